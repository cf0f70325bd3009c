"""Run parsing, solving and roll-ups in a separate, limited process, and record the outcome.

Checks run while the upload request waits (they take well under a second for a normal
workbook); solves and roll-ups run on a small background thread pool, each in its own
process with an address-space and CPU-time limit and a wall-clock timeout.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from workforce.portal.config import PortalConfig
from workforce.portal.store import PortalStore, now

TOO_MUCH = ("the file could not be processed: it needed more memory or time than a workbook of this kind "
            "should (it may be damaged, or built to be hostile). Check it opens in Excel and upload it again.")


def _limits(memory_bytes: int, seconds: float) -> object:
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
        cpu = int(seconds) + 1
        resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))

    return apply


def run_worker(config: PortalConfig, *args: str) -> dict[str, object]:
    """One limited worker process; its JSON result, or a failure a user can read."""
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2])}
    try:
        done = subprocess.run([sys.executable, "-m", "workforce.portal.worker", *args], capture_output=True,
                              text=True, timeout=config.job_seconds, env=env,
                              preexec_fn=_limits(config.job_memory_bytes, config.job_seconds))  # noqa: PLW1509
    except subprocess.TimeoutExpired:
        return {"status": "failed", "message": TOO_MUCH}
    if done.returncode != 0:
        return {"status": "failed", "message": TOO_MUCH}
    try:
        return json.loads(done.stdout.strip().splitlines()[-1])
    except (json.JSONDecodeError, IndexError):
        return {"status": "failed", "message": TOO_MUCH}


class Jobs:
    """Background work for one portal."""

    def __init__(self, config: PortalConfig, store: PortalStore) -> None:
        self.config = config
        self.store = store
        self.pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="portal-job")

    def check_now(self, sid: str, path: Path) -> dict[str, object]:
        return run_worker(self.config, "check", str(path))

    def solve_later(self, sid: str, path: Path) -> None:
        self.store.update_submission(sid, plan_status="waiting")
        self.pool.submit(self._solve, sid, path)

    def _solve(self, sid: str, path: Path) -> None:
        self.store.update_submission(sid, plan_status="solving")
        target = self.config.plans / f"{sid}.xlsx"
        result = run_worker(self.config, "solve", str(path), str(target))
        if result.get("status") == "done":
            self.store.update_submission(sid, plan_status="done", plan_file=target.name,
                                         summary=result["summary"])
        else:
            self.store.update_submission(sid, plan_status="failed", message=str(result.get("message")))

    def rollup_later(self, rid: str, workbooks: list[tuple[str, Path]], national: str | None) -> None:
        """Roll up copies of ``workbooks`` (file name, stored path) in a fresh folder."""
        self.pool.submit(self._rollup, rid, workbooks, national)

    def _rollup(self, rid: str, workbooks: list[tuple[str, Path]], national: str | None) -> None:
        folder = self.config.rollups / rid
        inputs = folder / "in"
        inputs.mkdir(parents=True, exist_ok=True)
        for name, path in workbooks:
            shutil.copyfile(path, inputs / name)
        args = ["rollup", str(inputs), str(folder / "out"), self.config.database_url] + ([national] if national else [])
        result = run_worker(self.config, *args)
        if result.get("status") == "done":
            self.store.update_rollup(rid, status="done", ended_at=now(), workbook=str(result["workbook"]),
                                     summary=result)
        else:
            self.store.update_rollup(rid, status="failed", ended_at=now(), message=str(result.get("message")))

    def shutdown(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=False)
