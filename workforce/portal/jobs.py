"""The portal's background work: checking uploads, solving plans, national roll-ups.

Nothing heavy runs in a request.  An upload is stored and answered at once with the status
"checking"; the check, the solve and the roll-up each run in a limited worker process
(``workforce.portal.process``) started from a small thread pool — checks on one pool, solves and
roll-ups on another, each at most ``WORKFORCE_PORTAL_WORKERS`` at a time — and their outcome is
written to the portal's database, which the pages and the API read.

The database is the queue's memory: on start, :meth:`Jobs.resume` finds what an earlier process
left unfinished (uploads "checking", plans "waiting" or "solving", roll-ups "running") and checks
or solves it again, or marks it failed with a message a workforce lead can act on.  A graceful
stop (:meth:`Jobs.stop`) lets running work finish for ``WORKFORCE_PORTAL_STOP_SECONDS``, then
stops it and leaves it queued for the next start (a roll-up is marked failed: the national team
starts it again when they choose).
"""

from __future__ import annotations

import concurrent.futures
import json
import logging
import shutil
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from workforce.atomic import sha256_file
from workforce.portal.comparisons import ComparisonStore
from workforce.portal.config import PortalConfig, private_folder
from workforce.portal.process import MAX_ISSUES, STOPPED, TOO_MUCH, WORKER_COMMAND, WorkerProcesses
from workforce.portal.rollup_records import bring_in_records, seed_records
from workforce.portal.store import PortalStore, SubmissionRow, now

LOG = logging.getLogger("workforce.portal")
LOST_UPLOAD = ("the uploaded file was no longer on the server when the portal restarted, so it could not be "
               "checked or solved. Upload the workbook again.")
ROLLUP_STOPPED = ("the portal was stopped or restarted while this roll-up was running, so it did not finish. "
                  "Start the roll-up again from the national page.")
ROLLUP_UNPREPARED = ("the roll-up could not be prepared: a stored workbook is missing, the server's disk is full or "
                     "its database could not be reached. Try again; if it keeps happening, tell the national team.")
ROLLUP_WORKER_STOPPED = "interrupted: the roll-up stopped before finishing"
COMPARE_UNPREPARED = ("the comparison could not be prepared: a stored workbook is missing or the server's disk is "
                      "full. Try again; if it keeps happening, tell the national team.")
RECORD_ATTEMPTS = 4


def _issue(sheet: str, column: str, found: str, expected: str, message: str) -> dict[str, str]:
    return {"severity": "error", "sheet": sheet, "cell": "", "column": column, "found": found,
            "expected": expected, "message": message}


def verdict(result: dict[str, object], row: SubmissionRow, national: bool
            ) -> tuple[str, list[dict[str, str]], int, str | None]:
    """(validation, issues, issues left out, ICS code found) for a check's result.

    A workforce lead may only submit their own ICS's workbook; a failed check (limits exceeded)
    becomes one issue carrying the worker's message.
    """
    issues = list(result.get("issues", []))  # type: ignore[call-overload]
    more = int(result.get("issues_more", 0))  # type: ignore[call-overload]
    found = result.get("ics_code")
    status = result.get("status")
    if status == "accepted" and not national and str(found).upper() != row.ics_code:
        status = "rejected"
        issues.insert(0, _issue("ICS", "ics_code", f'"{found}"', f"your ICS's code, {row.ics_code}",
                                f'ICS (ics_code): found "{found}"; expected your ICS\'s code, {row.ics_code}'))
    if status not in ("accepted", "rejected"):
        message = str(result.get("message") or TOO_MUCH)
        status, issues, more = "rejected", [_issue("", "", row.original_name, message, message)], 0
    if len(issues) > MAX_ISSUES:
        issues, more = issues[:MAX_ISSUES], more + len(issues) - MAX_ISSUES
    return str(status), issues, more, str(found).upper() if found else None


class Jobs:
    """Background work for one portal process."""

    def __init__(self, config: PortalConfig, store: PortalStore, command: Sequence[str] = WORKER_COMMAND) -> None:
        self.config = config
        self.store = store
        self.workers = WorkerProcesses(config.job_memory_bytes, config.job_seconds, command)
        self.comparisons = ComparisonStore(store.engine)
        self.checks = ThreadPoolExecutor(max_workers=config.workers, thread_name_prefix="portal-check")
        self.solves = ThreadPoolExecutor(max_workers=config.workers, thread_name_prefix="portal-solve")
        self._futures: set[Future[None]] = set()
        self._lock = threading.Lock()
        self._closing = False

    # ---- queueing ----------------------------------------------------------------------------
    def _submit(self, pool: ThreadPoolExecutor, work: Callable[..., None], *args: object) -> None:
        with self._lock:
            if self._closing:  # the row stays queued in the database; the next start picks it up
                return
            future = pool.submit(self._logged, work, *args)
            self._futures.add(future)
        future.add_done_callback(self._forget)

    def _forget(self, future: Future[None]) -> None:
        with self._lock:
            self._futures.discard(future)

    @staticmethod
    def _logged(work: Callable[..., None], *args: object) -> None:
        try:
            work(*args)
        except Exception:  # noqa: BLE001 - a job must never take its thread down silently
            LOG.exception("portal job %s%r failed; it is retried when the portal next starts", work.__name__, args)

    def _record(self, action: Callable[..., object], *args: object, **values: object) -> None:
        """Write an outcome, retrying a few times if the database is briefly unreachable."""
        for attempt in range(RECORD_ATTEMPTS):
            try:
                action(*args, **values)
                return
            except SQLAlchemyError:
                if attempt == RECORD_ATTEMPTS - 1:
                    raise
                time.sleep(2 ** attempt)

    # ---- checks ------------------------------------------------------------------------------
    def check_later(self, sid: str) -> None:
        self._submit(self.checks, self._check, sid)

    def _check(self, sid: str) -> None:
        row = self.store.submission(sid)
        if row is None or row.validation != "checking":
            return
        result = self.workers.run("check", str(self.config.uploads / row.stored_name))
        if result.get("status") == STOPPED:
            return  # still "checking": checked again when the portal next starts
        uploader = self.store.user(row.user_email)
        national = uploader is not None and uploader.is_national
        status, issues, more, found = verdict(result, row, national)
        if national and found:
            self._record(self.store.update_submission, sid, ics_code=found)
        self._record(self.store.update_submission, sid, validation=status, issues=issues, issues_more=more,
                     plan_status="waiting" if status == "accepted" else "none")
        if status == "accepted":
            self.solve_later(sid)

    # ---- solves ------------------------------------------------------------------------------
    def solve_later(self, sid: str) -> None:
        self._submit(self.solves, self._solve, sid)

    def _solve(self, sid: str) -> None:
        row = self.store.submission(sid)
        if row is None or row.plan_status not in ("waiting", "solving"):
            return
        self.store.update_submission(sid, plan_status="solving")
        target = self.config.plans / f"{sid}.xlsx"
        result = self.workers.run("solve", str(self.config.uploads / row.stored_name), str(target))
        if result.get("status") != "done":
            for leftover in self.config.plans.glob(f".{sid}-*"):  # a half-written plan of a killed worker
                leftover.unlink(missing_ok=True)
        if result.get("status") == STOPPED:
            self._record(self.store.update_submission, sid, plan_status="waiting")
        elif result.get("status") == "done":
            self._record(self.store.update_submission, sid, plan_status="done", plan_file=target.name,
                         summary=result["summary"])
        else:
            self._record(self.store.update_submission, sid, plan_status="failed",
                         message=str(result.get("message") or TOO_MUCH))

    # ---- roll-ups ----------------------------------------------------------------------------
    def rollup_later(self, rid: str, workbooks: list[tuple[str, Path]], national: str | None) -> None:
        """Roll up copies of ``workbooks`` (file name, stored path) in a fresh folder."""
        self._submit(self.solves, self._rollup, rid, workbooks, national)

    def _rollup(self, rid: str, workbooks: list[tuple[str, Path]], national: str | None) -> None:
        folder = self.config.rollups / rid
        inputs = folder / "in"
        records = folder / "records.sqlite"
        try:
            private_folder(inputs)
            for name, path in workbooks:
                shutil.copyfile(path, inputs / name)
            seed_records(self.store.engine, records, (sha256_file(inputs / name) for name, _ in workbooks))
        except (OSError, SQLAlchemyError):
            LOG.exception("roll-up %s could not be prepared", rid)
            shutil.rmtree(folder, ignore_errors=True)
            self._record(self.store.update_rollup, rid, status="failed", ended_at=now(), message=ROLLUP_UNPREPARED)
            return
        result = self.workers.run("rollup", str(inputs), str(folder / "out"), str(records),
                                  *([national] if national else []))
        self._record(bring_in_records, self.store.engine, records, ROLLUP_WORKER_STOPPED)  # safe to repeat
        if result.get("status") == "done":
            self._record(self.store.update_rollup, rid, status="done", ended_at=now(), workbook=str(result["workbook"]),
                         summary=result)
            return
        for leftover in (folder / "out").glob(".*.tmp*"):
            leftover.unlink(missing_ok=True)
        message = ROLLUP_STOPPED if result.get("status") == STOPPED else str(result.get("message") or TOO_MUCH)
        self._record(self.store.update_rollup, rid, status="failed", ended_at=now(), message=message)

    # ---- comparisons (what-ifs) --------------------------------------------------------------
    def compare_later(self, cid: str) -> None:
        """Compare a submission under its what-ifs, or (nationally) the latest accepted submissions."""
        self._submit(self.solves, self._compare, cid)

    def latest_accepted(self) -> list[SubmissionRow]:
        """The latest accepted submission of each ICS: what a roll-up or a national comparison takes."""
        chosen: dict[str, SubmissionRow] = {}
        for row in self.store.submissions():
            if row.validation == "accepted" and row.ics_code not in chosen:
                chosen[row.ics_code] = row
        return list(chosen.values())

    def _compare(self, cid: str) -> None:
        row = self.comparisons.get(cid)
        if row is None or not row.busy:
            return
        self._record(self.comparisons.update, cid, status="running")
        folder = self.config.data_dir / "comparisons" / cid
        try:
            shutil.rmtree(folder, ignore_errors=True)  # what an interrupted run left
            private_folder(folder)
            whatifs = folder / "whatifs.json"
            whatifs.write_text(json.dumps(row.whatifs), encoding="utf-8")
            if row.national:
                private_folder(folder / "in")
                for sub in self.latest_accepted():
                    shutil.copyfile(self.config.uploads / sub.stored_name,
                                    folder / "in" / f"{sub.ics_code}-{sub.stored_name}")
                args = ("national-compare", str(folder / "in"), str(folder / "out"), str(whatifs))
            else:
                submission = self.store.submission(row.subject)
                assert submission is not None
                args = ("compare", str(self.config.uploads / submission.stored_name), str(whatifs),
                        str(folder / "comparison.xlsx"))
        except (OSError, AssertionError):
            LOG.exception("comparison %s could not be prepared", cid)
            self._record(self.comparisons.update, cid, status="failed", ended_at=now(), message=COMPARE_UNPREPARED)
            return
        result = self.workers.run(*args)
        status = result.get("status")
        if status == STOPPED:
            self._record(self.comparisons.update, cid, status="queued")  # compared again at the next start
        elif status == "done":
            self._record(self.comparisons.update, cid, status="done", ended_at=now(), summary=result["summary"],
                         workbook=str(result["workbook"]))
        elif status == "invalid":
            self._record(self.comparisons.update, cid, status="invalid", ended_at=now(),
                         problems=list(result.get("problems", []))[:MAX_ISSUES])  # type: ignore[call-overload]
        else:
            self._record(self.comparisons.update, cid, status="failed", ended_at=now(),
                         message=str(result.get("message") or TOO_MUCH))

    # ---- restarts ----------------------------------------------------------------------------
    def resume(self) -> dict[str, int]:
        """Pick up what an earlier process left unfinished; returns how many of each kind."""
        checking, solving, running = self.store.unfinished()
        for folder in (self.config.uploads, self.config.plans):
            for leftover in folder.glob(".*"):  # half-written uploads and plans of a killed process
                leftover.unlink(missing_ok=True)
        for row in checking:
            if (self.config.uploads / row.stored_name).is_file():
                self.check_later(row.id)
            else:
                self.store.update_submission(row.id, validation="rejected", issues_more=0,
                                             issues=[_issue("", "", row.original_name, LOST_UPLOAD, LOST_UPLOAD)])
        for row in solving:
            if (self.config.uploads / row.stored_name).is_file():
                self.store.update_submission(row.id, plan_status="waiting")
                self.solve_later(row.id)
            else:
                self.store.update_submission(row.id, plan_status="failed", message=LOST_UPLOAD)
        for rollup in running:
            bring_in_records(self.store.engine, self.config.rollups / rollup.id / "records.sqlite",
                             ROLLUP_WORKER_STOPPED)
            self.store.update_rollup(rollup.id, status="failed", ended_at=now(), message=ROLLUP_STOPPED)
        comparisons = self.comparisons.unfinished()
        for comparison in comparisons:  # queued or interrupted: compared (again)
            self.comparisons.update(comparison.id, status="queued")
            self.compare_later(comparison.id)
        counts = {"checks": len(checking), "solves": len(solving), "rollups": len(running),
                  "comparisons": len(comparisons)}
        if any(counts.values()):
            LOG.warning("resumed work left by an earlier portal process: %s", counts)
        return counts

    def stop(self, grace_seconds: float) -> None:
        """Graceful stop: queued work stays queued; running work gets ``grace_seconds``, then is stopped."""
        with self._lock:
            self._closing = True
            running = list(self._futures)
        for pool in (self.checks, self.solves):
            pool.shutdown(wait=False, cancel_futures=True)
        concurrent.futures.wait(running, timeout=grace_seconds)
        self.workers.stop_all()
        concurrent.futures.wait(running, timeout=30)

    def shutdown(self) -> None:
        """Wait for every queued and running job (tests use this to finish cleanly)."""
        self.checks.shutdown(wait=True)
        self.solves.shutdown(wait=True)
