"""``--job-seconds`` on Dask (``workforce/rollup/dask_deadline.py``): an overrunning task fails alone with the local
pool's reason, its worker is freed, and time counts from when a task starts running, not from when it was sent."""

from __future__ import annotations

import operator
import threading
import time
from collections.abc import Iterator

import pytest

from workforce.rollup.executors import run_all
from workforce.rollup.pool import WorkerLost, overran

distributed = pytest.importorskip("distributed")
from workforce.rollup.dask_deadline import DeadlineExecutor  # noqa: E402 (needs distributed)

HOUR = 3600.0


def local_cluster(workers: int, *, processes: bool = True) -> distributed.LocalCluster:
    """Worker processes under nannies (as ``make_executor`` starts), or worker threads without a nanny."""
    where = {"host": "127.0.0.1"} if processes else {}
    return distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=processes,
                                    dashboard_address=None, **where)


@pytest.fixture
def one_worker() -> Iterator[distributed.Client]:
    with local_cluster(1) as cluster, distributed.Client(cluster) as client:
        yield client


def failures_kept(args: tuple[object, ...], exc: BaseException) -> BaseException:
    return exc


def workers(client: distributed.Client) -> set[str]:
    return set(client.scheduler_info()["workers"])


def test_a_task_over_its_time_fails_alone_with_the_local_pools_reason_and_frees_its_worker(
        one_worker: distributed.Client) -> None:
    before = workers(one_worker)
    executor = DeadlineExecutor(one_worker, 2)
    # One worker: the two sums can only run once the sleeping task's worker has been restarted.
    results = run_all(executor, [(time.sleep, (HOUR,)), (operator.add, (1, 2)), (operator.add, (2, 2))], None,
                      "done", on_failure=failures_kept)
    executor.shutdown()
    lost = results[0]
    assert isinstance(lost, WorkerLost) and (lost.reason, lost.detail) == (overran(2).reason, overran(2).detail)
    assert lost.detail == "it took longer than the 2 s limit"
    assert results[1:] == [3, 4]
    after = workers(one_worker)
    assert len(after) == 1 and after != before  # the worker that ran it was replaced by its nanny


def test_time_counts_from_when_a_task_starts_not_from_when_it_was_sent(one_worker: distributed.Client) -> None:
    executor = DeadlineExecutor(one_worker, 10)
    # One worker runs them one after another: the last ends about 12 s after all were sent, each 3 s after it
    # started.  Timed from submission the last would overrun its 10 s.
    results = run_all(executor, [(time.sleep, (3,))] * 4, None, "done", on_failure=failures_kept)
    executor.shutdown()
    assert results == [None] * 4


def test_an_error_in_a_task_is_its_own_not_a_time_out(one_worker: distributed.Client) -> None:
    executor = DeadlineExecutor(one_worker, HOUR)
    results = run_all(executor, [(operator.truediv, (1, 0)), (operator.add, (1, 1))], None, "done",
                      on_failure=failures_kept)
    executor.shutdown()
    assert isinstance(results[0], ZeroDivisionError) and results[1] == 2


RELEASE = threading.Event()  # lets go of a task stuck in a worker thread of this process (workers without a nanny)


def stuck_until_released() -> None:
    RELEASE.wait(HOUR)


def test_a_worker_without_a_nanny_is_retired_so_the_others_go_on() -> None:
    with local_cluster(2, processes=False) as cluster, distributed.Client(cluster) as client:
        executor = DeadlineExecutor(client, 2)
        try:
            results = run_all(executor, [(stuck_until_released, ()), (operator.add, (1, 2))], None, "done",
                              on_failure=failures_kept)
            executor.shutdown()
            remaining = workers(client)
        finally:
            RELEASE.set()  # the retired worker's thread: nothing can stop it from outside, so the test does
    assert isinstance(results[0], WorkerLost) and results[0].reason == "time" and results[1] == 3
    assert len(remaining) == 1  # distributed cannot restart a worker without a nanny: it is retired


def test_shutdown_with_cancel_fails_the_tasks_in_flight(one_worker: distributed.Client) -> None:
    executor = DeadlineExecutor(one_worker, HOUR)
    future = executor.submit(time.sleep, HOUR)
    executor.shutdown(wait=True, cancel_futures=True)
    with pytest.raises(WorkerLost, match="stopped"):
        future.result()
    with pytest.raises(RuntimeError):
        executor.submit(operator.add, 1, 2)


class _UnreachableScheduler:
    """A client whose scheduler answers neither a restart nor a retirement."""

    def restart_workers(self, workers: list[str], raise_for_error: bool = True) -> None:
        raise OSError("the scheduler did not answer")

    def retire_workers(self, workers: list[str], close_workers: bool = False) -> None:
        raise OSError("the scheduler did not answer")


def test_a_worker_that_cannot_be_restarted_is_listed_and_the_terminal_told(capsys: pytest.CaptureFixture[str]) -> None:
    executor = DeadlineExecutor.__new__(DeadlineExecutor)  # only the restart is under test: no cluster needed
    executor.client, executor.seconds, executor.stuck_workers = _UnreachableScheduler(), 2.0, []  # type: ignore[assignment]
    executor._restart("tcp://10.0.0.9:4000")
    assert executor.stuck_workers == ["tcp://10.0.0.9:4000"]
    assert capsys.readouterr().err == (
        "Warning: the Dask worker tcp://10.0.0.9:4000 ran a task past the 2 s limit and could not be restarted "
        "(the scheduler did not answer); it may stay busy until the cluster removes it.\n")
