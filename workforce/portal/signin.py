"""Failed sign-ins are limited per account and per client address.

After ``WORKFORCE_PORTAL_SIGNIN_FAILURES`` failed sign-ins for one email address, or
``WORKFORCE_PORTAL_SIGNIN_FAILURES_PER_ADDRESS`` from one client address, within
``WORKFORCE_PORTAL_SIGNIN_WINDOW_MINUTES``, further attempts are refused (HTTP 429 with a
``Retry-After`` header) until the oldest failure leaves the window.  Email addresses are counted
whether or not an account has them, and a refused attempt checks no password, so neither the
answer nor its timing tells which accounts exist.  A successful sign-in clears its account's count.

Counts are kept in this process's memory (the portal runs as one process), at most
``MAX_KEYS`` addresses of each kind: beyond that the longest-idle are forgotten first.
"""

from __future__ import annotations

import math
import threading
import time
from collections import OrderedDict, deque
from collections.abc import Callable

MAX_KEYS = 50_000


class _Window:
    """Failure times per key within a sliding window."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self.failures: OrderedDict[str, deque[float]] = OrderedDict()

    def wait(self, key: str, now: float) -> float:
        times = self.failures.get(key)
        if not times:
            return 0.0
        while times and times[0] <= now - self.seconds:
            times.popleft()
        if not times:
            del self.failures[key]
            return 0.0
        return times[0] + self.seconds - now if len(times) >= self.limit else 0.0

    def add(self, key: str, now: float) -> None:
        self.failures.setdefault(key, deque(maxlen=self.limit)).append(now)
        self.failures.move_to_end(key)
        while len(self.failures) > MAX_KEYS:
            self.failures.popitem(last=False)


class SignInLimiter:
    def __init__(self, per_account: int, per_address: int, window_seconds: float,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.accounts = _Window(per_account, window_seconds)
        self.addresses = _Window(per_address, window_seconds)
        self.clock = clock
        self._lock = threading.Lock()

    def retry_after(self, email: str, address: str) -> int:
        """Whole seconds to wait before this account or address may try again (0: it may now)."""
        with self._lock:
            now = self.clock()
            wait = max(self.accounts.wait(_account(email), now), self.addresses.wait(address, now))
        return math.ceil(wait) if wait > 0 else 0

    def failed(self, email: str, address: str) -> None:
        with self._lock:
            now = self.clock()
            self.accounts.add(_account(email), now)
            self.addresses.add(address, now)

    def succeeded(self, email: str) -> None:
        with self._lock:
            self.accounts.failures.pop(_account(email), None)


def _account(email: str) -> str:
    return email.strip().lower()[:254]
