"""The portal's separate process: parse, solve or roll up, and print one JSON result.

    python -m workforce.portal.worker LIMITS check WORKBOOK
    python -m workforce.portal.worker LIMITS solve WORKBOOK PLAN_PATH [FUTURES]
    python -m workforce.portal.worker LIMITS rollup INPUT_DIR OUT_DIR RECORDS_FILE [NATIONAL_FILE]
    python -m workforce.portal.worker LIMITS compare WORKBOOK WHATIFS_JSON OUT_PATH
    python -m workforce.portal.worker LIMITS national-compare INPUT_DIR OUT_DIR WHATIFS_JSON

    LIMITS: --memory-bytes=N --cpu-seconds=S --parent=PID

A solve's result carries the plan's answers (``workforce.answers.answers_as_dict``) — with FUTURES
(``WORKFORCE_PORTAL_FUTURES``, default 100) and a workbook that gives ranges, also its Range sheet's
figures (futures of seed ``PORTAL_SEED``, 0, solved in this process within its limits) — and a roll-up's
the national workbook's ICS lines (``workforce.rollup.ics_lines``): the portal shows those, never
figures of its own.

The web server starts it (``workforce.portal.process``); before anything else it caps its own
address space and CPU time, lowers its priority, makes every file it writes private (umask 077)
and asks Linux to kill it if the server goes away, so a hostile workbook can only ever take down
this process.  It calls exactly the functions behind ``workforce validate``, ``workforce solve``
and ``workforce rollup`` (``compare``: ``workforce compare``; ``national-compare``: ``workforce rollup
--compare``), so results are identical.  It is given no secrets: a roll-up keeps its
run records in ``RECORDS_FILE`` (a SQLite file in the roll-up's folder) and the server copies them
into its own database afterwards.  A check lists at most ``MAX_ISSUES`` problems and counts the rest.
"""

from __future__ import annotations

import ctypes
import errno
import json
import os
import resource
import signal
import sys
from pathlib import Path

from workforce.inputs.issues import InputError, errors_in
from workforce.portal.process import MAX_ISSUES

MAX_FIELD_CHARS = 500
PORTAL_SEED = 0  # the portal's futures: the same for every upload of a workbook, as `workforce solve --seed 0`
PR_SET_PDEATHSIG = 1
DISK_FULL = ("the server ran out of disk space, so nothing was written. Try again later; if it happens again, "
             "tell the national team.")


def _clip(value: object) -> object:
    if isinstance(value, str) and len(value) > MAX_FIELD_CHARS:
        return value[:MAX_FIELD_CHARS] + "…"
    return value


def check(workbook: Path) -> dict[str, object]:
    from workforce.runner import check_workbook

    data, issues, _ = check_workbook(workbook)
    shown = [{key: _clip(value) for key, value in i.as_dict().items()} for i in issues[:MAX_ISSUES]]
    return {"status": "accepted" if data is not None and not errors_in(issues) else "rejected",
            "ics_code": data.ics_code if data is not None else None, "issues": shown,
            "issues_more": max(0, len(issues) - MAX_ISSUES)}


def solve(workbook: Path, plan_path: Path, futures: int = 0) -> dict[str, object]:
    from workforce.futures.run import FuturesRequest
    from workforce.runner import check_workbook, solve_workbook
    from workforce.scenario import load_scenario
    from workforce.solve import SolveFailure

    request = None
    if futures:  # only a workbook that gives ranges: a certain one has nothing to show
        data, _, _ = check_workbook(workbook)
        if data is not None and data.uncertainty:
            request = FuturesRequest(futures, PORTAL_SEED, workers=1, in_process=True)
    try:
        outcome = solve_workbook(workbook, load_scenario(), output_path=plan_path, futures=request)
    except InputError as exc:
        return {"status": "failed", "message": "; ".join(i.message() for i in errors_in(exc.issues)[:5])}
    except SolveFailure as exc:
        return {"status": "failed", "message": str(exc)}
    from workforce.answers import answers_as_dict, board_answers

    # What the submission page and the API show: the plan workbook's own answers (workforce.answers), and with
    # futures its Range sheet's figures (workforce.futures.summary.range_json).
    summary = answers_as_dict(board_answers(outcome.plan))
    if outcome.ranges is not None:
        from workforce.futures.summary import range_json

        summary["range"] = range_json(outcome.ranges)
    return {"status": "done", "summary": summary}


def rollup(input_dir: Path, out_dir: Path, records: Path, national: str | None) -> dict[str, object]:
    from workforce.reference import reference_ics
    from workforce.rollup.ics_lines import ics_lines
    from workforce.rollup.national import load_national_limits
    from workforce.rollup.records import RunStore
    from workforce.rollup.run import RollupOptions, run_rollup
    from workforce.scenario import load_scenario

    store = RunStore(f"sqlite:///{records}")
    options = RollupOptions(input_dir=input_dir, out_dir=out_dir, scenario=load_scenario(),
                            national=load_national_limits(Path(national)) if national else None, workers=1,
                            executor="local", scheduler=None, force=False)
    try:
        outcome = run_rollup(options, store)
    finally:
        store.dispose()
    return {"status": "done", "run_id": outcome.run_id, "workbook": outcome.national_path,
            "planned": sum(o.status in ("succeeded", "reused") for o in outcome.ics),
            "missing": [m.code for m in outcome.missing],
            "warnings": [str(_clip(n)) for n in outcome.notes[:MAX_ISSUES]],  # `workforce rollup`'s Warning: lines
            "ics": [line.as_json() for line in ics_lines(outcome, reference_ics())]}  # the ICSs sheet's rows


def _whatifs(path: Path) -> list[object]:
    from workforce.portal.whatifs import scenario_of
    from workforce.scenario import load_scenario

    base = load_scenario()
    return [base] + [scenario_of(w, base) for w in json.loads(path.read_text(encoding="utf-8"))]


def compare(workbook: Path, whatifs: Path, out: Path) -> dict[str, object]:
    """The submission under the base policy and its what-ifs: ``workforce compare`` (one solve at a time)."""
    from workforce.portal.whatifs import comparison_summary
    from workforce.scenario import ScenarioError
    from workforce.scenarios.compare import compare_workbook
    from workforce.solve import SolveFailure

    try:
        base, *scenarios = _whatifs(whatifs)
        outcome = compare_workbook(workbook, base, scenarios, output_path=out, workers=1)  # type: ignore[arg-type]
    except ScenarioError as exc:  # also adjustments that do not fit this workbook
        return {"status": "invalid", "problems": [str(_clip(p)) for p in exc.problems[:MAX_ISSUES]]}
    except InputError as exc:
        return {"status": "failed", "message": "; ".join(i.message() for i in errors_in(exc.issues)[:5])}
    except SolveFailure as exc:
        return {"status": "failed", "message": str(exc)}
    return {"status": "done", "workbook": str(outcome.output_path),
            "summary": comparison_summary([(p.name, (p.plan,)) for p in outcome.plans])}


def national_compare(input_dir: Path, out_dir: Path, whatifs: Path) -> dict[str, object]:
    """Every ICS under the base policy and each what-if: ``workforce rollup --compare`` (one solve at a time)."""
    from workforce.portal.whatifs import comparison_summary
    from workforce.rollup.compare import compare_rollup
    from workforce.rollup.run import RollupOptions
    from workforce.scenario import ScenarioError

    try:
        base, *scenarios = _whatifs(whatifs)
    except ScenarioError as exc:
        return {"status": "invalid", "problems": [str(_clip(p)) for p in exc.problems[:MAX_ISSUES]]}
    options = RollupOptions(input_dir=input_dir, out_dir=out_dir, scenario=base, national=None,  # type: ignore[arg-type]
                            workers=1, executor="local", scheduler=None, force=False)
    outcome = compare_rollup(options, scenarios)  # type: ignore[arg-type]
    if not outcome.output_path:
        return {"status": "failed", "message": "no ICS could be planned under every scenario: "
                + "; ".join(f"{code}: {why}" for code, why in outcome.left_out[:5])}
    summary = comparison_summary(list(zip(outcome.names, outcome.plans)))
    summary["left_out"] = [{"ics_code": code, "why": str(_clip(why))} for code, why in outcome.left_out]
    summary["warnings"] = [str(_clip(n)) for n in outcome.notes[:MAX_ISSUES]]
    return {"status": "done", "workbook": outcome.output_path, "summary": summary}


def limit_myself(options: dict[str, str]) -> None:
    """Caps, priority and file modes for this process, before any workbook is opened."""
    memory = int(options["memory-bytes"])
    cpu = int(options["cpu-seconds"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    os.umask(0o077)
    os.nice(10)  # the web server answers first
    try:  # Linux: die with the server's thread that started us, and never outlive the server
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass
    if os.getppid() != int(options["parent"]):
        sys.exit(3)  # the server went away before we could ask to follow it


def run(command: str, args: list[str]) -> dict[str, object]:
    try:
        if command == "check":
            return check(Path(args[0]))
        if command == "solve":
            return solve(Path(args[0]), Path(args[1]), int(args[2]) if len(args) > 2 else 0)
        if command == "rollup":
            return rollup(Path(args[0]), Path(args[1]), Path(args[2]), args[3] if len(args) > 3 else None)
        if command == "compare":
            return compare(Path(args[0]), Path(args[1]), Path(args[2]))
        if command == "national-compare":
            return national_compare(Path(args[0]), Path(args[1]), Path(args[2]))
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return {"status": "failed", "message": DISK_FULL}
        raise
    return {"status": "failed", "message": f"unknown command {command}"}


def main(argv: list[str]) -> int:
    options = {}
    while argv and argv[0].startswith("--"):
        key, _, value = argv.pop(0)[2:].partition("=")
        options[key] = value
    limit_myself(options)
    print(json.dumps(run(argv[0], argv[1:])))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
