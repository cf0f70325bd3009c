"""A real portal server for tests: ``uvicorn`` in a subprocess on a loopback port.

    python tests/portal_server.py PORT [STAND_IN_BEHAVIOUR]

With a behaviour, every worker process is started through ``stand_in_worker.py`` (see there).
:func:`running_portal` starts one for a test and always stops it.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
STAND_IN = Path(__file__).resolve().parent / "stand_in_worker.py"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Portal:
    url: str
    port: int
    process: subprocess.Popen[bytes]


def portal_env(data: Path, **settings: str) -> dict[str, str]:
    env = {**os.environ, "WORKFORCE_PORTAL_DATA": str(data), "PYTHONPATH": str(REPO)}
    env.pop("WORKFORCE_DB", None)
    env.update(settings)
    return env


def start_portal(env: dict[str, str], stand_in: str | None = None) -> Portal:
    port = free_port()
    process = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), str(port), *([stand_in] if stand_in else [])],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the portal exited with code {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return Portal(f"http://127.0.0.1:{port}", port, process)
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("the portal did not start")


def stop_portal(portal: Portal, timeout: float = 60) -> int:
    """SIGTERM (a graceful stop), then SIGKILL if it has not stopped within ``timeout``."""
    if portal.process.poll() is None:
        portal.process.send_signal(signal.SIGTERM)
        try:
            portal.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            portal.process.kill()
            portal.process.wait()
    return portal.process.returncode


@contextmanager
def running_portal(env: dict[str, str], stand_in: str | None = None) -> Iterator[Portal]:
    portal = start_portal(env, stand_in)
    try:
        yield portal
    finally:
        stop_portal(portal)


def accounts(data: Path, people: dict[str, str | None]) -> dict[str, str]:
    """Accounts made before the portal starts (email → ICS code, None for the national team): their passwords."""
    from workforce.portal.config import load_config
    from workforce.portal.store import PortalStore

    store = PortalStore(load_config(data).database_url)
    try:
        return {email: store.add_user(email, code, code is None) for email, code in people.items()}
    finally:
        store.dispose()


def api_sign_in(client: httpx.Client, email: str, password: str) -> str:
    """Sign in through the API; returns the CSRF token."""
    answer = client.post("/api/session", json={"email": email, "password": password})
    assert answer.status_code == 200, answer.text
    return answer.json()["csrf_token"]


def api_upload(client: httpx.Client, token: str, path: Path) -> httpx.Response:
    with path.open("rb") as handle:
        return client.post("/api/submissions", files={"workbook": (path.name, handle)}, headers={"X-CSRF-Token": token})


def api_poll(client: httpx.Client, url: str, busy: object, seconds: float = 300) -> dict[str, object]:
    """GET ``url`` until ``busy(answer)`` is false."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        answer = client.get(url).json()
        if not busy(answer):  # type: ignore[operator]
            return answer
        time.sleep(0.3)
    raise AssertionError(f"{url} still busy after {seconds} s")


def main(argv: list[str]) -> None:
    import uvicorn

    from workforce.portal.app import create_app
    from workforce.portal.config import load_config
    from workforce.portal.process import WORKER_COMMAND

    command = (sys.executable, str(STAND_IN), argv[1]) if len(argv) > 1 else WORKER_COMMAND
    uvicorn.run(create_app(load_config(), worker_command=command), host="127.0.0.1", port=int(argv[0]),
                log_level="warning")


if __name__ == "__main__":
    main(sys.argv[1:])
