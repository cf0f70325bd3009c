"""The portal's separate process: parse, solve or roll up, and print one JSON result.

    python -m workforce.portal.worker check WORKBOOK
    python -m workforce.portal.worker solve WORKBOOK PLAN_PATH
    python -m workforce.portal.worker rollup INPUT_DIR OUT_DIR DATABASE_URL [NATIONAL_FILE]

The web server starts it with memory and time limits (``workforce.portal.jobs``), so a hostile
workbook can only ever take down this process.  It calls exactly the functions behind
``workforce validate``, ``workforce solve`` and ``workforce rollup``, so results are identical.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from workforce.inputs.issues import InputError, errors_in
from workforce.plan import Plan


def headline(plan: Plan) -> dict[str, object]:
    """What the submission page shows: vacancy rate and spend by year, and the top three insights."""
    years = []
    for year in plan.years:
        roles = [r for r in plan.roles if r.year == year]
        budgets = [b for b in plan.budgets if b.year == year]
        demand = sum(r.demand_fte for r in roles)
        years.append({
            "year": f"{year}/{(year + 1) % 100:02d}",
            "vacancy_rate": sum(r.vacancy_fte for r in roles) / demand if demand else 0.0,
            "target_rate": sum(r.vacancy_target * r.demand_fte for r in roles) / demand if demand else 0.0,
            "spend_gbp": sum(b.spend_gbp for b in budgets), "budget_gbp": sum(b.budget_gbp for b in budgets),
            "overspend_gbp": sum(b.overspend_gbp for b in budgets),
        })
    return {"objectives": plan.objectives.as_dict(), "years": years,
            "insights": [m.sentence for m in plan.marginals[:3]]}


def check(workbook: Path) -> dict[str, object]:
    from workforce.runner import check_workbook

    data, issues, _ = check_workbook(workbook)
    return {"status": "accepted" if data is not None and not errors_in(issues) else "rejected",
            "ics_code": data.ics_code if data is not None else None, "issues": [i.as_dict() for i in issues]}


def solve(workbook: Path, plan_path: Path) -> dict[str, object]:
    from workforce.runner import solve_workbook
    from workforce.scenario import load_scenario
    from workforce.solve import SolveFailure

    try:
        outcome = solve_workbook(workbook, load_scenario(), output_path=plan_path)
    except InputError as exc:
        return {"status": "failed", "message": "; ".join(i.message() for i in errors_in(exc.issues)[:5])}
    except SolveFailure as exc:
        return {"status": "failed", "message": str(exc)}
    return {"status": "done", "summary": headline(outcome.plan)}


def rollup(input_dir: Path, out_dir: Path, url: str, national: str | None) -> dict[str, object]:
    from workforce.rollup.national import load_national_limits
    from workforce.rollup.records import RunStore
    from workforce.rollup.run import RollupOptions, run_rollup
    from workforce.scenario import load_scenario

    store = RunStore(url)
    options = RollupOptions(input_dir=input_dir, out_dir=out_dir, scenario=load_scenario(),
                            national=load_national_limits(Path(national)) if national else None, workers=1,
                            executor="local", scheduler=None, force=False)
    try:
        outcome = run_rollup(options, store)
    finally:
        store.dispose()
    return {"status": "done", "run_id": outcome.run_id, "workbook": outcome.national_path,
            "planned": sum(o.status in ("succeeded", "reused") for o in outcome.ics),
            "missing": [m.code for m in outcome.missing]}


def main(argv: list[str]) -> int:
    command, args = argv[0], argv[1:]
    if command == "check":
        result = check(Path(args[0]))
    elif command == "solve":
        result = solve(Path(args[0]), Path(args[1]))
    elif command == "rollup":
        result = rollup(Path(args[0]), Path(args[1]), args[2], args[3] if len(args) > 3 else None)
    else:
        print(json.dumps({"status": "failed", "message": f"unknown command {command}"}))
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
