"""Sort the submissions (one workbook per ICS) and record what became of each ICS.

Pure bookkeeping between the roll-up's stages: which workbooks are accepted, rejected or
duplicates, which ICSs sent nothing, and one run record per ICS with its plan's path and hash
(the path where the plan is published, beside the national workbook).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from functools import partial
from pathlib import Path

from workforce.inputs.issues import error
from workforce.plan import plan_from_json, plan_to_json
from workforce.reference import ReferenceIcs
from workforce.rollup.outcome import IcsOutcome, Submission
from workforce.rollup.records import RunRecord, RunStore, Status, now
from workforce.rollup.executors import run_all
from workforce.rollup.tasks import Checked, Solved, check_lost, check_workbook


def find_workbooks(input_dir: Path) -> list[Path]:
    """The files of the input folder a roll-up looks at (hidden files and Excel's lock files left out)."""
    return sorted(p for p in input_dir.iterdir() if p.is_file() and not p.name.startswith((".", "~$")))


def check_submissions(executor: Executor, paths: list[Path], reference: dict[str, ReferenceIcs],
                      progress: Callable[[str], None] | None, memory_mb: int
                      ) -> tuple[list[Submission], list[Checked], list[ReferenceIcs]]:
    """Check every workbook through ``executor`` (a lost check is a rejection), then :func:`classify` them."""
    checked = run_all(executor, [(check_workbook, (str(p),)) for p in paths], progress, "checked",
                      on_failure=partial(check_lost, memory_mb=memory_mb))
    return classify(checked, reference)  # type: ignore[arg-type]


def classify(checked: list[Checked], reference: dict[str, ReferenceIcs]
             ) -> tuple[list[Submission], list[Checked], list[ReferenceIcs]]:
    """Every submission's outcome, the accepted workbooks (one per ICS), and the ICSs with no workbook."""
    by_code: dict[str, list[Checked]] = {}
    for c in checked:
        if c.data is not None:
            by_code.setdefault(c.data.ics_code.upper(), []).append(c)
    submissions, accepted = [], []
    for c in checked:
        if c.data is None:
            submissions.append(Submission(c.file_name, c.sha256, c.ics_code, "rejected", c.issues))
            continue
        same = by_code[c.data.ics_code.upper()]
        if len(same) > 1:
            others = ", ".join(o.file_name for o in same if o is not c)
            issue = error("ICS", "", "ics_code", c.data.ics_code,
                          f"one workbook per ICS: {c.file_name} and {others} are both for {c.data.ics_code}; "
                          "remove the one that should not be used")
            submissions.append(Submission(c.file_name, c.sha256, c.data.ics_code, "duplicate", c.issues + (issue,)))
            continue
        submissions.append(Submission(c.file_name, c.sha256, c.data.ics_code, "accepted", c.issues))
        accepted.append(c)
    present = {s.ics_code.upper() for s in submissions if s.ics_code}
    missing = [ics for code, ics in sorted(reference.items()) if code.upper() not in present]
    return submissions, accepted, missing


def totals(ics: list[IcsOutcome]) -> tuple[float, float, float]:
    """The three objectives summed over the ICS plans."""
    plans = [o.plan for o in ics if o.plan is not None]
    return (sum(p.objectives.overspend_gbp for p in plans), sum(p.objectives.unmet_fte_years for p in plans),
            sum(p.objectives.cost_gbp for p in plans))


def record_ics(store: RunStore, run_id: str, version: str, scen_sha: str, national_sha: str | None, c: Checked,
               solved: Solved | None, reused: RunRecord | None, published: Path) -> IcsOutcome:
    """One ICS's run record and outcome; ``published`` is where its plan will be, beside the national workbook."""
    assert c.data is not None
    ics_run = store.new_id()
    if reused is not None:
        plan = plan_from_json(reused.plan_json)  # type: ignore[arg-type]
        store.add(RunRecord(run_id=ics_run, kind="ics", parent_run_id=run_id, ics_code=c.data.ics_code,
                            status=Status.REUSED, started_at=now(), ended_at=now(), code_version=version,
                            scenario_sha256=scen_sha, national_sha256=national_sha, input_sha256=c.sha256,
                            reused_from=reused.run_id, objective_overspend_gbp=plan.objectives.overspend_gbp,
                            objective_unmet_fte_years=plan.objectives.unmet_fte_years,
                            objective_cost_gbp=plan.objectives.cost_gbp, output_path=str(published),
                            output_sha256=reused.output_sha256, message="inputs unchanged: earlier plan reused"))
        return IcsOutcome(c.data.ics_code, Status.REUSED, plan, str(published), reused.output_sha256 or "", "reused",
                          ics_run)
    assert solved is not None
    plan = solved.plan
    store.add(RunRecord(run_id=ics_run, kind="ics", parent_run_id=run_id, ics_code=c.data.ics_code,
                        status=solved.status, started_at=solved.started_at, ended_at=solved.ended_at,
                        code_version=version, scenario_sha256=scen_sha, national_sha256=national_sha,
                        input_sha256=c.sha256, timings=solved.timings,
                        objective_overspend_gbp=plan.objectives.overspend_gbp if plan else None,
                        objective_unmet_fte_years=plan.objectives.unmet_fte_years if plan else None,
                        objective_cost_gbp=plan.objectives.cost_gbp if plan else None,
                        output_path=str(published) if plan else None, output_sha256=solved.output_sha256 or None,
                        message=solved.message or None, plan_json=plan_to_json(plan) if plan else None))
    return IcsOutcome(c.data.ics_code, solved.status, plan, str(published) if plan else "", solved.output_sha256,
                      solved.message, ics_run, solved.timings)
