"""The roll-up's limited process pool: a crash, a memory or time overrun fails one task, never the pool."""

from __future__ import annotations

import os
import signal
import time

import pytest

from workforce.rollup.pool import LimitedPool, WorkerLost

MB = 2**20


def double(x: int) -> int:
    return 2 * x


def die(_x: int) -> int:
    os.kill(os.getpid(), signal.SIGKILL)
    return 0


def sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def allocate(size: int) -> int:
    return len(bytearray(size))


def refuse(x: int) -> int:
    raise ValueError(f"refused {x}")


def my_pid(_x: int) -> int:
    return os.getpid()


class TwoPartError(Exception):
    """Pickles (as its message) but cannot be rebuilt from it: its constructor takes two arguments."""

    def __init__(self, stage: str, status: str) -> None:
        super().__init__(f"{stage}: {status}")


def raise_two_part(_x: int) -> int:
    raise TwoPartError("stage", "status")


@pytest.fixture
def pool() -> LimitedPool:
    made = LimitedPool(2, 700 * MB, 3.0)
    yield made
    made.shutdown(cancel_futures=True)


def test_each_failure_stays_with_its_own_task(pool: LimitedPool) -> None:
    futures = [pool.submit(double, 1), pool.submit(die, 0), pool.submit(sleep, 30), pool.submit(allocate, 2**31),
               pool.submit(refuse, 7), pool.submit(double, 21)]
    assert futures[0].result() == 2
    crash = futures[1].exception()
    assert isinstance(crash, WorkerLost) and crash.reason == "crash" and "SIGKILL" in crash.detail
    overrun = futures[2].exception()
    assert isinstance(overrun, WorkerLost) and overrun.reason == "time" and "3 s" in overrun.detail
    assert isinstance(futures[3].exception(), MemoryError)  # 2 GB against a 700 MB limit
    assert str(futures[4].exception()) == "refused 7"
    assert futures[5].result() == 42  # replacement workers carry on


def test_a_worker_killed_while_idle_is_replaced(pool: LimitedPool) -> None:
    first = pool.submit(my_pid, 0).result()
    os.kill(first, signal.SIGKILL)
    time.sleep(0.5)
    assert [pool.submit(double, n).result() for n in range(4)] == [0, 2, 4, 6]


def test_workers_stop_when_the_pool_shuts_down() -> None:
    pool = LimitedPool(2, 700 * MB, 10.0)
    pids = {pool.submit(my_pid, n).result() for n in range(4)}
    pool.shutdown()
    time.sleep(0.2)
    for pid in pids:
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def test_shutdown_with_cancel_stops_work_in_flight() -> None:
    pool = LimitedPool(1, 700 * MB, 60.0)
    running = pool.submit(sleep, 30)
    queued = pool.submit(double, 1)
    time.sleep(0.5)
    started = time.monotonic()
    pool.shutdown(cancel_futures=True)
    assert time.monotonic() - started < 10
    assert isinstance(running.exception(), WorkerLost) and queued.cancelled()


def test_an_answer_that_cannot_be_rebuilt_fails_its_task_alone(pool: LimitedPool) -> None:
    lost = pool.submit(raise_two_part, 0)
    with pytest.raises(RuntimeError, match="could not be read"):
        lost.result(timeout=60)
    assert pool.submit(double, 21).result(timeout=60) == 42  # the pool goes on
