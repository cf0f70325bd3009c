"""The coupled national plan: limits respected, never worse than a pro-rata split, equal when slack."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import pytest

from workforce.data import ModelData
from workforce.optimise import plan_for
from workforce.plan import ActionType, Objectives, Plan
from workforce.rollup.coupled import solve_coupled
from workforce.rollup.national import NationalLimits, NationalLimitsError, RecruitmentCap, load_national_limits
from workforce.reference import reference_ics
from workforce.scenario import load_scenario
from workforce.inputs.validate import load_model_data
from workforce.model.index import MONEY_UNIT_GBP
from workforce.strategy import COLD_DUAL, COUPLED, COUPLED_BEFORE_RUN_OUT
from plain_solve import cold_optima

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
    cap = 30.0  # the three ICSs would hire 609 to 893 a year between them unconstrained (2026 samples)
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


def in_deficit(d: ModelData, share: float) -> ModelData:
    """``d`` with every budget cut to ``share`` of itself."""
    return replace(d, budget_gbp={h: tuple(v * share for v in values) for h, values in d.budget_gbp.items()})


def test_national_fund_goes_where_it_cuts_overspend_first(datas: list) -> None:
    scenario = load_scenario()
    fund = 5_000_000.0
    # No sample ICS is in deficit (budgets grow from today's pay bill): QF7's budgets are cut to 80%, below the
    # pay of its NHS staff who stay in 2026/27.
    datas = [in_deficit(d, 0.8) if d.ics_code == "QF7" else d for d in datas]
    without = solve_coupled(datas, {}, scenario, limits())
    with_fund = solve_coupled(datas, {}, scenario, limits(fund_gbp=fund))
    assert sum(b.overspend_gbp for p in without.plans for b in p.budgets if b.year == 2026) > fund
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
            # overspend within the stage tolerance (and a millionth of the budget) is reported as 0
            assert b.spend_gbp <= (b.budget_gbp + b.national_fund_gbp + b.overspend_gbp + b.transfers_in_gbp
                                   - b.transfers_out_gbp + 1.0 + plan.stage_tolerance_gbp + 1e-6 * b.budget_gbp)


def test_national_limits_file_binds_on_the_samples() -> None:
    """Every limit-year models/national.toml gives is used in full and worth something (its comments: how much)."""
    datas = [load_model_data(path)[0] for path in sorted((REPO / "inputs").glob("Q*.xlsx"))]
    national = load_national_limits(REPO / "models" / "national.toml")
    result = solve_coupled(datas, {}, load_scenario(), national)
    given = sum(len(c.max_hires_fte) for c in national.recruitment_caps) + sum(
        len(p.max_starts_fte) for p in national.training_places) + len(national.fund_gbp)
    assert len(result.marginals) == given == 10
    for m in result.marginals:
        assert m.used == pytest.approx(m.limit, rel=1e-6) and m.value > 0, (m.label, m.year, m.used, m.limit)
    starts = sum(a.fte for p in result.plans for a in p.actions
                 if a.action == ActionType.TRAIN and a.name == "Nursing degree apprenticeship")
    assert starts == pytest.approx(2 * 1200), "the apprenticeship is started, up to its national places"


def test_national_limits_and_ics_budgets_are_valued_by_re_solves(datas: list) -> None:
    from workforce.marginal.fixed import fixed_allocation_lp, fixed_allocation_values
    from workforce.rollup.blocks import build_block
    from workforce.solve import solve_lexicographic

    scenario = load_scenario()
    result = solve_coupled(datas, {}, scenario, limits(30.0))
    binding = [m for m in result.marginals if m.used == pytest.approx(m.limit)]
    assert binding, "the cap binds"
    for m in binding:  # one more FTE of the cap, re-solved: it cannot make the plan worse
        assert m.weighted_unmet_avoided >= 0 and m.overspend_avoided_gbp >= 0
    assert any(m.weighted_unmet_avoided > 0 and m.value > 0 for m in binding)
    slack = [m for m in result.marginals if m.used < m.limit - 1.0]
    assert all((m.value, m.weighted_unmet_avoided, m.holds_to) == (0.0, 0.0, None) for m in slack)
    # Each ICS with the rest of England held fixed: its part of the coupled plan is optimal in its own LP.
    for d, plan, rest in zip(datas, result.plans, result.rest_of_england):
        block = build_block(d, scenario)
        lp = fixed_allocation_lp(block.lp, rest, block.plan_budget_rows, block.vacancy_cols)
        own = solve_lexicographic(lp.sf, scenario.solver, scenario.relative_tolerance, scenario.absolute_tolerance)
        # (the coupled plan may put its own stage tolerance, rtol x national overspend, on any ICS: a few pounds)
        assert own.stage_objectives[0] * 1000 == pytest.approx(plan.objectives.overspend_gbp, rel=1e-6, abs=100.0)
        assert own.stage_objectives[1] == pytest.approx(plan.objectives.unmet_fte_years, rel=1e-5)
        values = fixed_allocation_values(lp, scenario)
        assert len(values) == len(plan.budgets) and {v.year for v in values} == set(plan.years)
        assert [(v.holder, v.year) for v in values] == [(v.holder, v.year) for v in plan.marginal_budget]


def test_the_coupled_strategy_gives_the_formulations_optima(tmp_path: Path) -> None:
    """Issue 13: however the coupled LP is solved (from the ICSs' bases, no scaling, stage 2 first with the
    overspend held at 0 and then finished with the formulation's row; with or without stage 2's cost
    perturbation and stage 3's bound perturbation), the optima are those of a plain cold solve of each stage,
    to far within the stage tolerance (rtol 1e-7)."""
    sys.path.insert(0, str(REPO / "benchmarks"))
    from national_case import case_data, national_toml
    from workforce.rollup.blocks import build_block
    from workforce.rollup.stack import Layout, coupling, stack

    datas = case_data(ics=4, roles=10, horizon=5)  # the benchmark's realistic case, smaller
    path = tmp_path / "national.toml"
    path.write_text(national_toml(datas), encoding="utf-8")
    national = load_national_limits(path)
    scenario = load_scenario()
    new = solve_coupled(datas, {}, scenario, national, strategy=COUPLED)
    old = solve_coupled(datas, {}, scenario, national, strategy=COLD_DUAL, with_budget_values=False)
    before = solve_coupled(datas, {}, scenario, national, strategy=COUPLED_BEFORE_RUN_OUT, with_budget_values=False)
    assert not new.shortcut and new.strategy.startswith("coupled from ICS bases")
    assert sum(m.value > 0 for m in new.marginals) >= 3, "national limits bind"
    assert "stage_2_unmet_demand_finish" in new.seconds, "stage 2 ran with the overspend held, then was finished"
    blocks = [build_block(d, scenario) for d in datas]
    layout = Layout.of(blocks)
    rows, fund = coupling(blocks, datas, national, layout)
    c1, c2, c3 = cold_optima(stack(blocks, layout, rows, fund), scenario)
    cold = (c1 * MONEY_UNIT_GBP, c2, c3 * MONEY_UNIT_GBP)
    for result in (new, old, before):
        for got, expected in zip(result.stage_objectives, cold):
            assert got == pytest.approx(expected, rel=1e-9, abs=1e-3), (result.strategy, got, expected)
    # The plans' weighted unmet demand is stage 3's: within the stage tolerance of O2*, as the formulation allows
    assert new.stage_objectives[1] * (1 - 1e-9) <= totals(new.plans).unmet_fte_years <= \
        new.stage_objectives[1] * (1 + scenario.relative_tolerance) + scenario.absolute_tolerance + 1e-6


def test_a_coupled_rollup_builds_and_extracts_in_the_workers_and_records_how_it_solved(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
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
    monkeypatch.chdir(tmp_path)  # --out given as a relative path, as a user types it
    result = CliRunner().invoke(main, ["rollup", str(inputs), "--out", "out", "--db",
                                       str(tmp_path / "runs.sqlite"), "--national", str(national), "--workers", "2",
                                       "--json"])
    assert result.exit_code == 4, result.output  # the other ICSs are missing
    coupled = json.loads(result.stdout)["coupled"]
    assert coupled["strategy"].startswith("coupled from ICS bases") and coupled["lp_columns"] > 0
    assert set(coupled["iterations"]) <= {f"{s}{finish}" for s in ("stage_1_overspend", "stage_2_unmet_demand",
                                                                   "stage_3_cost") for finish in ("", "_finish")}
    assert "stage_2_unmet_demand" in coupled["seconds"] and coupled["seconds"]["ics_solve_total"] > 0
    assert coupled["seconds"]["ics_budget_values_total"] > 0
    in_process = solve_coupled([load_model_data(next((REPO / "inputs").glob(f"{c}-*.xlsx")))[0] for c in CODES], {},
                               load_scenario(), load_national_limits(national))
    by_code = {i["ics_code"]: i["objectives"] for i in json.loads(result.stdout)["ics"]}
    for plan in in_process.plans:
        assert by_code[plan.ics_code]["objective_unmet_fte_years"] == pytest.approx(plan.objectives.unmet_fte_years)
    run = {r[0]: r[1] for r in load_workbook(tmp_path / "out" / "QHG-plan.xlsx")["Run"].iter_rows(values_only=True)}
    assert str(run["solve_strategy"]).startswith("coupled from ICS bases")
    assert run["iterations_stage_2_unmet_demand"] >= 0 and run["timing_stage_2_unmet_demand_s"] >= 0
    again = CliRunner().invoke(main, ["rollup", str(inputs), "--out", "out", "--db",
                                      str(tmp_path / "runs.sqlite"), "--national", str(national), "--json"])
    assert again.exit_code == 4, again.output
    assert json.loads(again.stdout)["status"] == "reused"  # nothing changed: the earlier national plan stands
    # named as the user named --out, as the fresh roll-up named it (not the resolved path the record holds)
    assert json.loads(again.stdout)["national_workbook"] == json.loads(result.stdout)["national_workbook"]


@pytest.mark.parametrize("alongside", [False, True])
def test_work_beside_the_workers_gives_its_result_or_its_error(alongside: bool) -> None:
    from workforce.rollup.coupled import Beside

    assert Beside(lambda: (1, 2), alongside=alongside).result() == (1, 2)

    def fails() -> None:
        raise ValueError("the re-solve failed")

    failing = Beside(fails, alongside=alongside)
    with pytest.raises(ValueError, match="the re-solve failed"):
        failing.result()
    assert failing.seconds >= 0.0
