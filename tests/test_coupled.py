"""The coupled national plan: limits respected, never worse than a pro-rata split, equal when slack."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from workforce.optimise import plan_for
from workforce.plan import ActionType, Objectives, Plan
from workforce.rollup.coupled import solve_coupled
from workforce.rollup.national import NationalLimits, NationalLimitsError, RecruitmentCap, load_national_limits
from workforce.reference import reference_ics
from workforce.scenario import load_scenario
from workforce.inputs.validate import load_model_data
from workforce.model.index import MONEY_UNIT_GBP
from workforce.strategy import COLD_DUAL, COUPLED

REPO = Path(__file__).resolve().parents[1]
CODES = ("QE1", "QF7", "QHG")
YEARS = range(2026, 2031)


@pytest.fixture(scope="module")
def datas() -> list:
    return [load_model_data(next((REPO / "inputs").glob(f"{c}-*.xlsx")))[0] for c in CODES]


def limits(cap_fte: float | None = None, fund_gbp: float = 0.0) -> NationalLimits:
    caps = () if cap_fte is None else (RecruitmentCap("International", "Registered nurses",
                                                      {y: cap_fte for y in YEARS}),)
    return NationalLimits(path="test", sha256="0" * 64, text="", first_year=2026, recruitment_caps=caps,
                          training_places=(), fund_gbp={y: fund_gbp for y in YEARS} if fund_gbp else {})


def totals(plans: list[Plan] | tuple[Plan, ...]) -> Objectives:
    return Objectives(sum(p.objectives.overspend_gbp for p in plans), sum(p.objectives.unmet_fte_years for p in plans),
                      sum(p.objectives.cost_gbp for p in plans))


def international_nurse_hires(plans: tuple[Plan, ...], year: int) -> float:
    return sum(a.fte for p in plans for a in p.actions if a.action == ActionType.RECRUIT and a.year == year
               and a.name == "International" and a.staff_group == "Registered nurses")


def lex_leq(a: Objectives, b: Objectives) -> bool:
    tol = 1e-6 * max(1.0, b.overspend_gbp) + 1.0
    if a.overspend_gbp < b.overspend_gbp - tol:
        return True
    return a.overspend_gbp <= b.overspend_gbp + tol and a.unmet_fte_years <= b.unmet_fte_years * (1 + 1e-6) + 1e-4


def test_binding_cap_is_respected_and_beats_a_pro_rata_split(datas: list) -> None:
    scenario = load_scenario()
    cap = 30.0  # the three ICSs would hire 53.6 a year between them unconstrained
    coupled = solve_coupled(datas, {}, scenario, limits(cap))
    for year in YEARS:
        assert international_nurse_hires(coupled.plans, year) <= cap + 1e-6
    assert any(m.value > 0 and m.used == pytest.approx(m.limit) for m in coupled.marginals), "the cap binds"
    population = reference_ics()
    share = {d.ics_code: population[d.ics_code].population for d in datas}
    whole = sum(share.values())
    split = [solve_coupled([d], {}, scenario, limits(cap * share[d.ics_code] / whole)).plans[0] for d in datas]
    assert lex_leq(totals(coupled.plans), totals(split))
    per_ics = {p.ics_code: p.objectives for p in coupled.plans}
    assert sum(o.unmet_fte_years for o in per_ics.values()) == pytest.approx(coupled.stage_objectives[1], rel=1e-6)


def test_slack_cap_gives_the_independent_objectives(datas: list) -> None:
    scenario = load_scenario()
    independent = {d.ics_code: plan_for(d, scenario, scenario.solver, []) for d in datas}
    solved = solve_coupled(datas, {}, scenario, limits(1e6))  # settled by the ICSs' own optima, solved here
    shortcut = solve_coupled(datas, {}, scenario, limits(1e6), independent)  # settled by the recorded plans
    expected = totals(list(independent.values()))
    for result in (solved, shortcut):
        got = totals(result.plans)
        assert got.overspend_gbp == pytest.approx(expected.overspend_gbp, rel=1e-6, abs=1.0)
        assert got.unmet_fte_years == pytest.approx(expected.unmet_fte_years, rel=1e-6)
        assert got.cost_gbp == pytest.approx(expected.cost_gbp, rel=1e-4)
        assert all(m.value == 0.0 for m in result.marginals)
    assert shortcut.shortcut and solved.shortcut and solved.seconds["solve"] == 0.0


def test_national_fund_goes_where_it_cuts_overspend_first(datas: list) -> None:
    scenario = load_scenario()
    fund = 5_000_000.0
    without = solve_coupled(datas, {}, scenario, limits())
    with_fund = solve_coupled(datas, {}, scenario, limits(fund_gbp=fund))
    assert totals(without.plans).overspend_gbp > 0  # QF7 is in deficit
    # Money is fungible within a year: the fund removes up to its amount of each year's overspend.
    for year in YEARS:
        before = sum(b.overspend_gbp for p in without.plans for b in p.budgets if b.year == year)
        after = sum(b.overspend_gbp for p in with_fund.plans for b in p.budgets if b.year == year)
        assert after == pytest.approx(max(0.0, before - fund), rel=1e-6, abs=1.0)
    for year in YEARS:
        allocated = sum(by_year.get(year, 0.0) for by_year in with_fund.fund_by_ics.values())
        assert allocated <= fund + 1.0
    fund_rows = [m for m in with_fund.marginals if m.kind == "fund"]
    assert len(fund_rows) == 5 and all(m.unit == "£1m" for m in fund_rows)
    for plan in with_fund.plans:
        for b in plan.budgets:
            assert b.headroom_gbp >= -1.0


def test_national_limits_file_is_checked_strictly(tmp_path: Path) -> None:
    example = load_national_limits(REPO / "models" / "national.toml")
    assert example.recruitment_caps and example.training_places and example.fund_gbp
    bad = tmp_path / "national.toml"
    bad.write_text('first_year = 2026\n[[recruitment_caps]]\nchanel = "International"\nmax_hires_fte = [10, -1]\n'
                   '[fund]\namount = [1]\n', encoding="utf-8")
    with pytest.raises(NationalLimitsError) as caught:
        load_national_limits(bad)
    problems = " | ".join(caught.value.problems)
    assert "unknown key 'chanel'" in problems and "max_hires_fte[1]: found -1" in problems
    assert "unknown key 'amount'" in problems and "channel: expected some text" in problems


def test_pooled_and_fund_together_keep_budget_identity(datas: list) -> None:
    scenario = load_scenario()
    result = solve_coupled(datas, {}, scenario, replace(limits(40.0, 2_000_000.0)))
    for plan in result.plans:
        for b in plan.budgets:
            assert b.spend_gbp <= (b.budget_gbp + b.national_fund_gbp + b.overspend_gbp + b.transfers_in_gbp
                                   - b.transfers_out_gbp + 1.0)


def test_the_coupled_strategy_finds_the_optima_of_the_cold_solve(tmp_path: Path) -> None:
    """Issue 13: the coupled LP started from the ICSs' bases (no scaling, stage 3 on the optimal face) gives
    the optima of the solve it replaced (each stage from the previous one's optimum, dual simplex, stage rows)
    to the stage tolerances; O3 may only be higher, by what the O2 tolerance would have bought."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from national_case import case_data, national_toml

    datas = case_data(ics=4, roles=10, horizon=5)  # the benchmark's realistic case, smaller
    path = tmp_path / "national.toml"
    path.write_text(national_toml(datas), encoding="utf-8")
    national = load_national_limits(path)
    scenario = load_scenario()
    old = solve_coupled(datas, {}, scenario, national, strategy=COLD_DUAL)
    new = solve_coupled(datas, {}, scenario, national, strategy=COUPLED)
    assert not old.shortcut and not new.shortcut and new.strategy.startswith("coupled from ICS bases")
    assert sum(m.value > 0 for m in new.marginals) >= 3, "national limits bind"
    (o1, o2, o3), (n1, n2, n3) = old.stage_objectives, new.stage_objectives
    rtol, atol = scenario.relative_tolerance, scenario.absolute_tolerance
    assert abs(n1 - o1) <= (rtol * abs(o1) + atol) * MONEY_UNIT_GBP
    assert abs(n2 - o2) <= rtol * abs(o2) + atol
    assert o3 * (1 - 1e-9) <= n3 <= o3 * (1 + 1e-4)
    assert totals(new.plans).unmet_fte_years == pytest.approx(n2, rel=1e-9)


def test_a_coupled_rollup_builds_and_extracts_in_the_workers_and_records_how_it_solved(tmp_path: Path) -> None:
    import json
    import shutil

    from click.testing import CliRunner
    from openpyxl import load_workbook

    from cli import main

    inputs = tmp_path / "in"
    inputs.mkdir()
    for code in CODES:
        shutil.copy(next((REPO / "inputs").glob(f"{code}-*.xlsx")), inputs)
    national = tmp_path / "national.toml"
    national.write_text('first_year = 2026\n[[recruitment_caps]]\nchannel = "International"\n'
                        'staff_group = "Registered nurses"\nmax_hires_fte = [30, 30, 30, 30, 30]\n'
                        '[fund]\namount_gbp = [5_000_000, 5_000_000, 5_000_000, 5_000_000, 5_000_000]\n',
                        encoding="utf-8")
    result = CliRunner().invoke(main, ["rollup", str(inputs), "--out", str(tmp_path / "out"), "--db",
                                       str(tmp_path / "runs.sqlite"), "--national", str(national), "--workers", "2",
                                       "--json"])
    assert result.exit_code == 4, result.output  # the other ICSs are missing
    coupled = json.loads(result.stdout)["coupled"]
    assert coupled["strategy"].startswith("coupled from ICS bases") and coupled["lp_columns"] > 0
    assert set(coupled["iterations"]) <= {"stage_1_overspend", "stage_2_unmet_demand", "stage_3_cost"}
    assert "stage_2_unmet_demand" in coupled["seconds"] and coupled["seconds"]["ics_solve_total"] > 0
    in_process = solve_coupled([load_model_data(next((REPO / "inputs").glob(f"{c}-*.xlsx")))[0] for c in CODES], {},
                               load_scenario(), load_national_limits(national))
    by_code = {i["ics_code"]: i["objectives"] for i in json.loads(result.stdout)["ics"]}
    for plan in in_process.plans:
        assert by_code[plan.ics_code]["objective_unmet_fte_years"] == pytest.approx(plan.objectives.unmet_fte_years)
    run = {r[0]: r[1] for r in load_workbook(tmp_path / "out" / "QHG-plan.xlsx")["Run"].iter_rows(values_only=True)}
    assert str(run["solve_strategy"]).startswith("coupled from ICS bases")
    assert run["iterations_stage_2_unmet_demand"] >= 0 and run["timing_stage_2_unmet_demand_s"] >= 0
