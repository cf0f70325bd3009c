"""The least a script must do to solve one ICS: read the workbook with openpyxl, solve the LP with highspy.

    .venv/bin/python benchmarks/bare_solve.py WORKBOOK

The baseline of issue 13, item 4: ``workforce solve`` end to end (process start to plan written)
against this script as a fresh process.  It reads the sheets with openpyxl in its fastest mode
(read-only, saved values), trusts them (no validation, no messages), assembles the same LP with
``bare_lp.py`` (an independent implementation of the formulation), with the default policy's
run-out and target weight (``workforce/defaults/base.toml``), and solves the three stages with
each stage's row, stages 2 and 3 by primal simplex from the previous stage's optimum (the fastest
plain way, measured: as fast as the product's ``workforce.strategy.INDEPENDENT`` on the large ICS).
It writes nothing and does not re-solve for the extra £1m or the budget curve; it prints the three
objectives, so a benchmark can check that both solved the same LP.
"""

from __future__ import annotations

import sys
from pathlib import Path

from openpyxl import load_workbook

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bare_lp import assemble, run_out_for, solve_bare  # noqa: E402
from workforce.data import (  # noqa: E402
    DeploymentRoute,
    ModelData,
    RecruitmentChannel,
    RetentionLever,
    Role,
    TrainingRoute,
)


def _tables(path: Path) -> dict[str, list[dict[str, object]]]:
    """Every sheet as records: header → value, blank rows skipped."""
    wb = load_workbook(path, read_only=True, data_only=True)
    tables: dict[str, list[dict[str, object]]] = {}
    for ws in wb.worksheets:
        rows = ws.iter_rows(values_only=True)
        header = [str(h).strip() if h is not None else "" for h in next(rows, ())]
        tables[ws.title] = [dict(zip(header, row)) for row in rows if any(v is not None for v in row)]
    wb.close()
    return tables


def read(path: Path) -> ModelData:
    t = _tables(path)
    fields = {r["field"]: r["value"] for r in t["ICS"]}
    first, horizon = int(fields["first_year"]), int(fields["horizon_years"])  # type: ignore[arg-type]
    years = [f"{y}/{(y + 1) % 100:02d}" for y in range(first, first + horizon)]

    def key(r: dict[str, object], sector: str = "sector", group: str = "staff_group") -> tuple[str, str]:
        return (str(r[sector]), str(r[group]))

    def per_year(r: dict[str, object]) -> tuple[float, ...]:
        return tuple(float(r.get(y) or 0.0) for y in years)  # type: ignore[arg-type]

    roles = tuple(Role(str(r["sector"]), str(r["staff_group"]), str(r["budget_holder"]), float(r["staff_in_post_fte"]),
                       float(r["leaver_rate"]), float(r["new_starter_leaver_rate"] or r["leaver_rate"]),
                       float(r["salary_cost"]), float(r["agency_premium"]), float(r["agency_max_share"]),
                       float(r["vacancy_target"]), float(r["priority"] or 1.0))  # type: ignore[arg-type]
                  for r in t["Workforce"])
    pipeline = {role.key: (0.0,) * horizon for role in roles}
    pipeline.update({key(r): per_year(r) for r in t.get("Pipeline", [])})
    return ModelData(
        ics_code=str(fields["ics_code"]), ics_name=str(fields["ics_name"]), first_year=first, horizon_years=horizon,
        pooled_budget_share=float(fields.get("pooled_budget_share") or 0.0),  # type: ignore[arg-type]
        roles=roles, budget_holders=tuple(str(r["budget_holder"]) for r in t["Budget"]),
        demand_fte={key(r): per_year(r) for r in t["Demand"]},
        budget_gbp={str(r["budget_holder"]): per_year(r) for r in t["Budget"]}, pipeline_fte=pipeline,
        recruitment=tuple(RecruitmentChannel(i, str(r["channel"]), key(r), float(r["cost_per_hire"]),  # type: ignore[arg-type]
                                             float(r["max_hires_per_year"]), int(r["lead_time_years"]))  # type: ignore[arg-type]
                          for i, r in enumerate(t.get("Recruitment", []))),
        retention=tuple(RetentionLever(i, str(r["lever"]), key(r), float(r["cost_per_fte_retained"]),  # type: ignore[arg-type]
                                       float(r["max_leaver_reduction"]))  # type: ignore[arg-type]
                        for i, r in enumerate(t.get("Retention", []))),
        deployment=tuple(DeploymentRoute(i, key(r, "from_sector", "from_staff_group"),
                                         key(r, "to_sector", "to_staff_group"), float(r["max_share"]),  # type: ignore[arg-type]
                                         float(r["cost_per_fte"]), float(r["efficiency"]))  # type: ignore[arg-type]
                         for i, r in enumerate(t.get("Deployment", []))),
        training=tuple(TrainingRoute(i, str(r["route"]), key(r, "sector", "from_staff_group"),
                                     key(r, "sector", "to_staff_group"), int(r["duration_years"]),  # type: ignore[arg-type]
                                     float(r["cost_per_start"]), float(r["max_starts_per_year"]),  # type: ignore[arg-type]
                                     float(r["completion_rate"]), float(r["work_contribution"]))  # type: ignore[arg-type]
                       for i, r in enumerate(t.get("Training", []))),
    )


def policy() -> dict[str, object]:
    """The default policy's target weight, stage tolerances and run-out (a plain TOML read)."""
    import tomllib

    root = Path(__file__).resolve().parents[1]
    with (root / "workforce" / "defaults" / "base.toml").open("rb") as handle:
        return tomllib.load(handle)


def main() -> None:
    data, settings = read(Path(sys.argv[1])), policy()
    objective = settings["objective"]
    lp = assemble(data, objective["target_weight"], run_out_for(data, settings["horizon"]["run_out_years"]))
    result = solve_bare(lp, rel_tol=objective["relative_tolerance"], abs_tol=objective["absolute_tolerance"],
                        later_stages_primal=True)
    print(f"{result.overspend_gbp!r} {result.unmet_fte_years!r} {result.cost_gbp!r}")


if __name__ == "__main__":
    main()
