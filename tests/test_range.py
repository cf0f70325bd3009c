"""The Range sheet and ``solve --futures``: the statistics by hand, the CLI end to end, every future rebuildable.

Known answers for percentiles, their standard errors, probabilities and means (``workforce.futures.summary``'s
docstring gives the definitions); ``--json`` byte-identical for a seed; a future taken from ``--json`` and
applied as a scenario's adjustments, solved afresh, gives the same objectives; holding the central first year
is never better than re-planning with perfect foresight; no ranges means every figure is the plan's own.
"""

from __future__ import annotations

import json
import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import EXIT_OK, EXIT_USAGE, main
from plan_fixture import run_info
from test_uncertainty_sheet import row, with_ranges
from workbook_fixture import write_workbook
from workforce.futures.evaluate import evaluate, prepare
from workforce.futures.outcomes import Labels, Outcome, plan_outcome
from workforce.futures.run import FuturesRun, run_futures, solve_futures
from workforce.futures.sampling import sample_futures
from workforce.futures.summary import (
    CENTRAL,
    HEDGED,
    PERFECT,
    band,
    chance,
    mean_and_se,
    percentile_se,
    summarise,
    summary,
)
from workforce.inputs.validate import load_model_data
from workforce.optimise import plan_for
from workforce.report.plan_writer import write_plan
from workforce.scenario import load_scenario
from workforce.solve import SolveFailure

REPO = Path(__file__).resolve().parents[1]
SCENARIO = load_scenario()
SAMPLE = REPO / "inputs" / "QHG-bedfordshire-luton-and-milton-keynes.xlsx"
OBJECTIVES = ("objective_overspend_gbp", "objective_unmet_fte_years", "objective_cost_gbp")


def run(*args: str) -> object:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


# --- the statistics, by hand -------------------------------------------------------------------------------

def test_percentiles_and_their_standard_errors_by_hand() -> None:
    values = np.array([7.0, 3.0, 10.0, 1.0, 5.0, 9.0, 2.0, 8.0, 4.0, 6.0])  # 1..10, shuffled
    b = band(values, central=5.0)
    # Type 7: x at position 1 + q(N − 1) of the sorted values: 1.9, 5.5, 9.1.
    assert (b.p10, b.p50, b.p90) == pytest.approx((1.9, 5.5, 9.1))
    # q = 0.1: √(10·0.1·0.9) = 0.949, j = ⌊0.051⌋ → 1 (clamped), k = ⌈1.949⌉ = 2: (2 − 1)/2.
    # q = 0.5: √2.5 = 1.581, j = ⌊3.419⌋ = 3, k = ⌈6.581⌉ = 7: (7 − 3)/2.
    # q = 0.9: j = ⌊8.051⌋ = 8, k = ⌈9.949⌉ = 10: (10 − 8)/2.
    assert (b.se10, b.se50, b.se90) == pytest.approx((0.5, 2.0, 1.0))
    assert b.central == 5.0
    assert percentile_se(np.array([4.0]), 0.5) == 0.0  # one future: nothing to spread


def test_probability_and_mean_with_standard_errors_by_hand() -> None:
    c = chance(np.array([True, False, False, False]), central=False)
    assert c.p == 0.25 and c.se == pytest.approx(math.sqrt(0.25 * 0.75 / 4))  # 0.2165
    assert chance(np.array([True] * 5), central=True).se == 0.0
    mean, se = mean_and_se(np.array([1.0, 2.0, 3.0, 4.0]))
    # s² = (2.25 + 0.25 + 0.25 + 2.25)/3 = 5/3; s/√4 = 0.6455.
    assert mean == 2.5 and se == pytest.approx(math.sqrt(5 / 3) / 2)
    assert mean_and_se(np.array([3.0])) == (3.0, 0.0)


def test_family_rates_overspend_and_targets_by_hand() -> None:
    labels = Labels(1, 2026, ("Nurses, Acute", "Care workers, Care homes"), ("NHS", "Adult social care"), ("ICB",))

    def outcome(nurse_gap: float, carer_gap: float, over: float) -> Outcome:
        return Outcome((over, 0.0, 0.0), np.array([[nurse_gap], [carer_gap]]), np.array([[100.0], [50.0]]),
                       np.array([[nurse_gap <= 10], [carer_gap <= 5]]), np.array([[1000.0 + over]]),
                       np.array([[over]]))

    futures = [outcome(5, 5, 0), outcome(10, 10, 0), outcome(20, 0, 30), outcome(15, 5, 10)]
    figures = summarise(labels, futures, outcome(10, 5, 0))
    nhs = figures.vacancy_rate[("NHS", 2026)]
    # NHS rates 0.05, 0.10, 0.20, 0.15: P50 = 0.125, P10 = 0.05 + 0.3·0.05 = 0.065; the central plan 0.10.
    assert (nhs.p10, nhs.p50, nhs.central) == pytest.approx((0.065, 0.125, 0.10))
    assert figures.vacancy_fte[("Adult social care", 2026)].p50 == pytest.approx(5.0)
    assert figures.overspend_chance[("ICB", 2026)].p == 0.5  # 30 and 10 of 4 futures
    assert figures.expected_overspend_gbp[("ICB", 2026)][0] == pytest.approx(10.0)
    assert figures.spend_gbp[("ICB", 2026)].p90 == pytest.approx(1024.0)  # sorted 1000, 1000, 1010, 1030: 1010 + 0.7·20
    assert figures.target_chance[("Nurses, Acute", 2026)].p == 0.5  # 5 and 10 meet ≤ 10
    assert figures.target_chance[("Care workers, Care homes", 2026)].p == 0.75


# --- the command line ----------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def ranged(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The fixture ICS with ranges on leavers, international supply (grouped with demand) and one budget."""
    return write_workbook(tmp_path_factory.mktemp("range") / "ics.xlsx", with_ranges(
        row("Workforce", "leaver_rate", 0.8, 1.25),
        row("Recruitment", "max_hires_per_year", 0.5, 1.5, channel="International", group="supply"),
        row("Demand", "amount", 0.95, 1.1, distribution="triangular", group="supply"),
        row("Budget", "amount", 0.9, 1.05, distribution="uniform")))


@pytest.fixture(scope="module")
def futures_json(ranged: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    out = tmp_path_factory.mktemp("plan") / "plan.xlsx"
    result = run("solve", str(ranged), "--futures", "12", "--seed", "7", "--out", str(out), "--json")
    assert result.exit_code == EXIT_OK, result.output
    return json.loads(result.stdout)


def test_json_lists_each_future_and_is_byte_identical_for_a_seed(ranged: Path, tmp_path: Path,
                                                                   futures_json: dict[str, object]) -> None:
    out = tmp_path / "plan.xlsx"
    first = run("solve", str(ranged), "--futures", "12", "--seed", "7", "--out", str(out), "--json").stdout
    again = run("solve", str(ranged), "--futures", "12", "--seed", "7", "--out", str(out), "--json",
                "--workers", "1").stdout
    assert first == again
    other = json.loads(run("solve", str(ranged), "--futures", "12", "--seed", "8", "--out", str(out), "--json").stdout)
    futures = futures_json["futures"]
    assert [f["index"] for f in futures] == list(range(12))  # type: ignore[index]
    assert set(futures[0]["multipliers"]) == {"Uncertainty!2", "Uncertainty!3", "Uncertainty!4", "Uncertainty!5"}
    supply = [f["multipliers"]["Uncertainty!3"] for f in futures]  # type: ignore[index]
    demand = [f["multipliers"]["Uncertainty!4"] for f in futures]  # type: ignore[index]
    assert sorted(range(12), key=supply.__getitem__) == sorted(range(12), key=demand.__getitem__)  # one draw
    assert set(futures[0]["objectives"]) == set(OBJECTIVES)
    assert other["futures"][0]["multipliers"] != futures[0]["multipliers"]  # type: ignore[index]
    assert "timings_s" not in futures_json and futures_json["range"]["futures"] == 12  # type: ignore[index]


def test_a_future_rebuilt_as_a_scenario_gives_its_objectives(ranged: Path, tmp_path: Path,
                                                             futures_json: dict[str, object]) -> None:
    data, _ = load_model_data(ranged)
    by_key = {r.key: r for r in data.uncertainty}
    assert not any(c["values"] for c in futures_json["range"]["clipping"])  # type: ignore[index]
    rebuilt = futures_json["futures"][:3]  # type: ignore[index]
    assert any(f["objectives"] != futures_json["objectives"] for f in rebuilt)  # futures that differ from the plan
    for future in rebuilt:
        lines = [f'extends = "{REPO / "models" / "base.toml"}"', f'name = "Future {future["index"]}"']
        for key, m in future["multipliers"].items():
            r = by_key[key]
            where = ", ".join(f'{name} = {json.dumps(list(values))}' for name, values in r.where)
            lines += ["[[adjust]]", f'table = "{r.table}"', f'column = "{r.column}"', f"multiply = {m!r}"]
            lines += [f"where = {{ {where} }}"] if where else []
        path = tmp_path / f"future-{future['index']}.toml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        result = run("solve", str(ranged), "--scenario", str(path), "--out", str(tmp_path / "f.xlsx"), "--json")
        assert result.exit_code == EXIT_OK, result.output
        solved = json.loads(result.stdout)["objectives"]
        for name in OBJECTIVES:
            assert future["objectives"][name] == pytest.approx(solved[name], rel=1e-6, abs=1e-3), name


def test_the_plan_gains_a_range_sheet_with_fan_charts(futures_json: dict[str, object]) -> None:
    wb = load_workbook(futures_json["output"])  # type: ignore[arg-type]
    assert wb.sheetnames.index("Range") == wb.sheetnames.index("Summary") + 1
    ws = wb["Range"]
    assert ws["A1"].value == "Range: the plan under uncertainty (12 futures)"
    text = {str(c.value) for line in ws.iter_rows() for c in line if c.value is not None}
    assert {"Probability of overspend (%)", "Standard error of P50 (percentage points)", "Uncertainty!5"} <= text
    assert len(ws._charts) == 4  # NHS and adult social care, for (a) and (b)
    assert "Range" in {str(c.value) for line in wb["Cover"].iter_rows() for c in line}


def test_bad_futures_and_seeds_are_refused(ranged: Path, tmp_path: Path) -> None:
    out = tmp_path / "plan.xlsx"
    for args, says in ((["--futures", "0"], "from 1 to 100,000"), (["--futures", "-5"], "from 1 to 100,000"),
                       (["--futures", "100001"], "from 1 to 100,000"), (["--futures", "3", "--seed", "-1"],
                                                                        "0 or more"),
                       (["--seed", "3"], "give --futures N"), (["--workers", "4"], "give --futures N"),
                       (["--executor", "dask", "--scheduler", "tcp://127.0.0.1:1"], "give --futures N"),
                       (["--futures", "3", "--scheduler", "tcp://127.0.0.1:1"], "give --executor dask")):
        result = run("solve", str(ranged), *args, "--out", str(out))
        assert result.exit_code == EXIT_USAGE and says in result.output, (args, result.output)
    assert not out.exists()


def test_with_no_ranges_every_future_is_the_plan(tmp_path: Path) -> None:
    workbook = write_workbook(tmp_path / "certain.xlsx")
    result = CliRunner().invoke(main, ["solve", str(workbook), "--futures", "3", "--out", str(tmp_path / "p.xlsx")])
    assert result.exit_code == EXIT_OK and "the workbook gives no ranges" in result.output
    payload = json.loads(run("solve", str(workbook), "--futures", "3", "--out", str(tmp_path / "p.xlsx"),
                             "--json").stdout)
    assert [f["multipliers"] for f in payload["futures"]] == [{}] * 3
    assert all(f["objectives"] == payload["objectives"] for f in payload["futures"])
    assert payload["range"]["certain"] and payload["range"]["clipping"] == []
    for kind in (PERFECT, CENTRAL):
        for figure in ("vacancy_rate", "vacancy_fte", "spend_gbp", "overspend_gbp"):
            for b in payload["range"][kind][figure]:
                assert b["p10"] == b["p50"] == b["p90"] == b["central"] and b["se_p90"] == 0


# --- invariants of the futures' solutions -----------------------------------------------------------------

def test_holding_the_first_year_is_never_better_than_perfect_foresight() -> None:
    data, _ = load_model_data(SAMPLE)
    plan = plan_for(data, SCENARIO, SCENARIO.solver, [])
    futures = run_futures(data, SCENARIO, plan, count=16, seed=11, workers=1)  # type: ignore[arg-type]
    tol_gbp = 1.0 + 1e-6 * sum(abs(b.budget_gbp) for b in plan.budgets)
    for r in futures.results:
        a, b = r.perfect, r.held[CENTRAL]
        assert a is not None
        assert b.objectives[0] >= a.objectives[0] - tol_gbp
        if abs(b.objectives[0] - a.objectives[0]) <= tol_gbp:
            assert b.objectives[1] >= a.objectives[1] * (1 - 1e-6) - 1e-3
        for o in (a, b):
            assert (o.vacancy_fte >= -1e-6).all() and (o.demand_fte > 0).all()
            assert (o.overspend_gbp >= 0).all() and (o.spend_gbp >= 0).all()
            assert o.overspend_gbp.sum() <= o.objectives[0] + tol_gbp  # the plan years' share of the whole


def test_a_second_first_year_held_joins_the_summary_and_the_range_sheet(tmp_path: Path) -> None:
    """The plumbing a hedged plan uses: another first-year plan in ``FutureResult.held`` (here: nothing done in
    the first year) is summarised beside (a) and (b) and gets its rows and fan charts on the Range sheet."""
    data, _ = load_model_data(SAMPLE)
    plan = plan_for(data, SCENARIO, SCENARIO.solver, [])
    prepared = prepare(data, SCENARIO, data.horizon_years)  # type: ignore[arg-type]
    futures = sample_futures(data.uncertainty, 3, 6)  # type: ignore[attr-defined]
    nothing = np.zeros_like(prepared.central_shares)
    results = evaluate(prepared, futures, {CENTRAL: prepared.central_shares, HEDGED: nothing})
    labels = Labels.of(data, plan.horizon_years)  # type: ignore[arg-type]
    futures_run = FuturesRun(data.uncertainty, 3, 6, labels, plan_outcome(plan, labels), tuple(results), prepared)  # type: ignore[arg-type]
    figures = summary(futures_run)
    assert tuple(figures.kinds) == (PERFECT, CENTRAL, HEDGED)
    for r in results:  # doing nothing in the first year is never better than re-planning it
        assert r.held[HEDGED].objectives[1] >= r.perfect.objectives[1] * (1 - 1e-6)  # type: ignore[union-attr]
    target = tmp_path / "plan.xlsx"
    write_plan(plan, run_info(plan), target, ranges=figures)
    ws = load_workbook(target)["Range"]
    assert len(ws._charts) == 6
    assert "Hedged first year held" in {c.value for line in ws.iter_rows() for c in line}


def test_a_future_that_cannot_be_solved_is_named_and_reaches_the_command_from_its_worker() -> None:
    data, _ = load_model_data(SAMPLE)
    prepared = prepare(data, SCENARIO, data.horizon_years)  # type: ignore[arg-type]
    hurried = replace(prepared, options=replace(prepared.options, time_limit_s=1e-9))
    futures = sample_futures(data.uncertainty, 1, 2)  # type: ignore[attr-defined]
    with pytest.raises(SolveFailure) as raised:  # through the local process pool: the failure pickles
        solve_futures(hurried, futures, {CENTRAL: prepared.central_shares}, perfect=True, workers=1)
    assert raised.value.stage == "overspend in future 0, re-planned with perfect foresight"
    assert raised.value.status == "time limit reached"


def test_futures_of_a_scenario_are_around_the_scenario_plan(tmp_path: Path) -> None:
    """The scenario's adjustments are applied once, before the futures: nearly certain ranges give the plan of the
    scenario (budgets 5% lower), not of the workbook as it stands."""
    workbook = write_workbook(tmp_path / "narrow.xlsx", with_ranges(
        row("Workforce", "leaver_rate", 0.999999, 1.000001), row("Budget", "amount", 0.999999, 1.000001)))
    args = ["solve", str(workbook), "--scenario", str(REPO / "models" / "budgets-5-percent-lower.toml"),
            "--futures", "4", "--out", str(tmp_path / "p.xlsx"), "--json"]
    payload = json.loads(run(*args).stdout)
    plain = json.loads(run("solve", str(workbook), "--out", str(tmp_path / "q.xlsx"), "--json").stdout)
    assert payload["objectives"] != plain["objectives"]
    for future in payload["futures"]:
        for name in OBJECTIVES:
            assert future["objectives"][name] == pytest.approx(payload["objectives"][name], rel=1e-4, abs=1.0)
    for b in payload["range"][PERFECT]["spend_gbp"]:
        assert b["p10"] == pytest.approx(b["central"], rel=1e-4) and b["p90"] == pytest.approx(b["central"], rel=1e-4)


def test_a_ten_year_plan_gets_its_range_sheet_with_one_chart_data_table_a_chart(tmp_path: Path) -> None:
    """The chart-data tables right of the Range sheet are spaced by the plan's years: a 10-year plan with
    futures (and a hedged first year) used to stop with xlsxwriter's "overlaps previous table range"."""
    from openpyxl.utils.cell import range_boundaries

    from random_data import random_model_data
    from workforce.inputs.template import write_model_data

    workbook = tmp_path / "ten-years.xlsx"
    write_model_data(workbook, random_model_data(7, roles=3, horizon=10))
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["solve", str(workbook), "--futures", "3", "--hedge", "2", "--out", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    ws = load_workbook(out)["Range"]
    spans = sorted(range_boundaries(t.ref)[1::2] for t in ws.tables.values() if t.name.startswith("tbl_Fan_data"))
    assert len(spans) == len(ws._charts) >= 2
    assert all(last - first == 10 for first, last in spans)  # the header and one row a year
    assert all(below[0] > above[1] for above, below in zip(spans, spans[1:]))  # none overlaps the next


@pytest.mark.parametrize("horizon", [1, 15], ids=["one year", "fifteen years (the schema's maximum)"])
def test_the_shortest_and_longest_plans_of_one_role_solve_with_futures_and_a_hedge(tmp_path: Path,
                                                                                   horizon: int) -> None:
    """The samples all have 5 years and many roles; the extremes of the schema (1 and 15 years, one role, so one
    family and no deployment) go through every sheet of ``solve --futures --hedge`` and every table has a year
    row for each plan year and no empty cell."""
    from accessibility import workbook_problems
    from random_data import random_model_data
    from workforce.data import UncertainRange
    from workforce.inputs.template import write_model_data

    ranges = (UncertainRange(2, "Workforce", "leaver_rate", (), 0.8, 1.25, "lognormal"),
              UncertainRange(3, "Demand", "amount", (), 0.95, 1.1, "uniform"))
    workbook = tmp_path / "one-role.xlsx"
    write_model_data(workbook, replace(random_model_data(6, roles=1, horizon=horizon, deployments=0),
                                       uncertainty=ranges))
    out = tmp_path / "plan.xlsx"
    result = CliRunner().invoke(main, ["solve", str(workbook), "--futures", "2", "--hedge", "1", "--out", str(out)])
    assert result.exit_code == EXIT_OK, result.output
    assert workbook_problems(out) == []
    wb = load_workbook(out)
    assert {"Range", "Hedged year 1"} <= set(wb.sheetnames)
    years = {row[0] for row in wb["Roles"].iter_rows(min_row=3, values_only=True)}
    assert len(years) == horizon
