"""Plans that need no new solve: an unchanged ICS, or an unchanged coupled national plan, from the run records.

An earlier plan is reused only when its input, scenario, national limits file and code
version all match and its file is still where the record says, with the hash it records.
"""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

from workforce.atomic import cannot_write, sha256_file
from workforce.plan import plan_from_json
from workforce.reference import ReferenceIcs
from workforce.rollup.national_writer import NATIONAL_WORKBOOK
from workforce.rollup.outcome import EXIT_OK, EXIT_REJECTED, IcsOutcome, RollupOptions, RollupOutcome, Submission
from workforce.rollup.records import RunRecord, RunStore, Status, now
from workforce.rollup.tasks import Checked


def _intact(path: str | None, sha256: str | None) -> bool:
    return bool(path) and Path(str(path)).exists() and sha256_file(Path(str(path))) == sha256


def reusable_coupled(store: RunStore, options: RollupOptions, combined_input: str, scen_sha: str,
                     version: str) -> tuple[RunRecord, list[RunRecord]] | None:
    """An earlier coupled roll-up with exactly these inputs whose files are all still in place."""
    found = store.find_reusable_rollup(input_sha256=combined_input, scenario_sha256=scen_sha,
                                       national_sha256=options.national.sha256 if options.national else None,
                                       code_version=version, mode="coupled")
    if found is None or found.output_path != str(options.out_dir.resolve()):
        return None
    if not _intact(str(options.out_dir / NATIONAL_WORKBOOK), found.output_sha256):
        return None
    children = store.children(found.run_id)
    for child in children:
        if child.status not in Status.DONE or not child.plan_json or not _intact(child.output_path,
                                                                                  child.output_sha256):
            return None
    return found, children


def record_coupled_reuse(store: RunStore, run_id: str, previous: tuple[RunRecord, list[RunRecord]],
                         submissions: list[Submission], missing: list[ReferenceIcs],
                         seconds: dict[str, float], out_dir: Path) -> RollupOutcome:
    """Record a coupled roll-up whose inputs are unchanged as reusing ``previous``; its national workbook is
    named as the user named ``out_dir`` (the record holds it resolved), as a fresh roll-up names it."""
    found, children = previous
    outcomes = []
    with store.batch():
        for child in children:
            ics_run = store.new_id()
            store.add(replace(child, run_id=ics_run, parent_run_id=run_id, status=Status.REUSED, started_at=now(),
                              ended_at=now(), reused_from=child.run_id,
                              message="inputs unchanged: earlier plan reused"))
            outcomes.append(IcsOutcome(child.ics_code or "", Status.REUSED, plan_from_json(child.plan_json or ""),
                                       child.output_path or "", child.output_sha256 or "", "reused", ics_run))
    rejected = [s for s in submissions if s.status != "accepted"]
    exit_code = EXIT_REJECTED if rejected or missing else EXIT_OK
    store.finish(run_id, status=Status.REUSED, reused_from=found.run_id, output_sha256=found.output_sha256,
                 national_sha256=found.national_sha256, timings=seconds,
                 objective_overspend_gbp=found.objective_overspend_gbp,
                 objective_unmet_fte_years=found.objective_unmet_fte_years,
                 objective_cost_gbp=found.objective_cost_gbp,
                 message="inputs, scenario, national limits and code unchanged: earlier national plan reused")
    return RollupOutcome(run_id=run_id, mode="coupled", status=Status.REUSED, exit_code=exit_code,
                         submissions=tuple(submissions), missing=tuple(missing), ics=tuple(outcomes),
                         national_path=str(out_dir / NATIONAL_WORKBOOK),
                         national_sha256=found.output_sha256 or "", coupled=None, seconds=seconds, reused=True)


def reuse_plan(store: RunStore, c: Checked, scen_sha: str, national_sha: str | None, version: str,
               staged: Path) -> RunRecord | None:
    """A previous identical solve whose plan file is intact, copied to ``staged`` (this roll-up's staging folder)."""
    assert c.data is not None
    found = store.find_reusable_ics(ics_code=c.data.ics_code, input_sha256=c.sha256, scenario_sha256=scen_sha,
                                    national_sha256=national_sha, code_version=version)
    if found is None or not found.plan_json or not _intact(found.output_path, found.output_sha256):
        return None
    try:
        shutil.copyfile(str(found.output_path), staged)
    except OSError as exc:
        raise cannot_write(staged, exc) from exc
    return found
