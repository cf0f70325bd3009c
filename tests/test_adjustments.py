"""Adjustments to validated data (workforce/scenarios/apply.py): semantics, records and errors, no solver.

Fixtures: model_fixtures' tiny ICSs, 3 plan years from 2026/27.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from model_fixtures import CARERS, NURSES, SUPPORT, RecruitmentChannel, TrainingRoute, data, role
from workforce.data import ByYear, ModelData, in_year
from workforce.horizon import extend
from workforce.scenario import ScenarioError, load_scenario
from workforce.scenarios.adjustment import Adjustment, Operation
from workforce.scenarios.apply import AdjustmentError, apply_adjustments


def ics() -> ModelData:
    # Nurses follow their leaver rate for new starters (the workbook left it empty); support workers do not.
    nurses = role(NURSES, leaver_rate=0.1)
    return data([nurses.__class__(**{**nurses.__dict__, "new_starter_follows_leaver_rate": True}),
                 role(SUPPORT, leaver_rate=0.2, new_starter_leaver_rate=0.3),
                 role(CARERS, holder="Council", leaver_rate=0.25)],
                {NURSES: [100, 110, 120], SUPPORT: [50, 50, 50], CARERS: [80, 80, 80]},
                {"Trust": [6e6, 6e6, 6e6], "Council": [2e6, 2.1e6, 2.2e6]}, horizon=3, pooled_share=0.05,
                recruitment=[RecruitmentChannel(0, "Domestic", NURSES, 3_000, 20, 0),
                             RecruitmentChannel(1, "International", NURSES, 11_000, 40, 1),
                             RecruitmentChannel(2, "International", CARERS, 9_000, 30, 1)],
                training=[TrainingRoute(0, "Nursing apprenticeship", SUPPORT, NURSES, 2, 20_000, 10, 0.8, 0.4)])


def adjust(table: str, column: str, op: str, value: float, where: dict[str, object] | None = None,
           years: tuple[int, ...] | None = None) -> Adjustment:
    filters = tuple((k, tuple(v) if isinstance(v, list) else (v,)) for k, v in (where or {}).items())
    return Adjustment(table, column, Operation(op), value, filters, years)


def test_set_without_years_keeps_one_value_as_editing_the_cell_would() -> None:
    done = apply_adjustments(ics(), [adjust("Recruitment", "max_hires_per_year", "set", 0,
                                            {"channel": "International"})], "No international")
    caps = [c.max_hires_per_year_fte for c in done.data.recruitment]
    assert caps == [20, 0.0, 0.0]
    assert (done.applied[0].rows_matched, done.applied[0].values_changed) == (2, 2)


def test_years_make_a_one_value_column_differ_by_year_and_the_run_out_repeats_the_last() -> None:
    # A cap of 40 that becomes 0 from 2027/28: one value per plan year, and 0 through the run-out.
    done = apply_adjustments(ics(), [adjust("Recruitment", "max_hires_per_year", "set", 0,
                                            {"channel": "International", "staff_group": "RNs"}, (2027, 2028))], "s")
    cap = done.data.recruitment[1].max_hires_per_year_fte
    assert cap == ByYear((40.0, 0.0, 0.0))
    assert done.data.recruitment[2].max_hires_per_year_fte == 30  # care workers: not matched
    assert (done.applied[0].rows_matched, done.applied[0].values_changed) == (1, 2)
    extended = extend(done.data, 2)
    assert extended.recruitment[1].max_hires_per_year_fte == ByYear((40.0, 0.0, 0.0, 0.0, 0.0))
    assert [in_year(extended.recruitment[0].max_hires_per_year_fte, y) for y in range(1, 6)] == [20] * 5


def test_amounts_change_year_by_year_and_operations_apply_in_order() -> None:
    # Budget +£100k in 2027/28 only, then every budget × 0.5: (6e6 → 3e6; 6.1e6 → 3.05e6).
    done = apply_adjustments(ics(), [adjust("Budget", "amount", "add", 100_000, {"budget_holder": "trust"}, (2027,)),
                                     adjust("budget", "Amount", "multiply", 0.5)], "s")
    assert done.data.budget_gbp["Trust"] == (3e6, 3.05e6, 3e6)
    assert done.data.budget_gbp["Council"] == (1e6, 1.05e6, 1.1e6)
    assert [(a.rows_matched, a.values_changed) for a in done.applied] == [(1, 1), (2, 6)]


def test_a_new_starter_rate_the_workbook_left_empty_follows_the_leaver_rate() -> None:
    done = apply_adjustments(ics(), [adjust("Workforce", "leaver_rate", "add", 0.05)], "Leavers up")
    nurses, support, carers = done.data.roles
    assert (nurses.leaver_rate, nurses.new_starter_leaver_rate) == pytest.approx((0.15, 0.15))
    assert (support.leaver_rate, support.new_starter_leaver_rate) == pytest.approx((0.25, 0.3))  # its own value
    assert done.applied[0].values_changed == 3
    # Given a value of its own, the new-starter rate no longer follows.
    again = apply_adjustments(done.data, [adjust("Workforce", "new_starter_leaver_rate", "set", 0.2,
                                                 {"staff_group": "Registered nurses"}),
                                          adjust("Workforce", "leaver_rate", "set", 0.1)], "s")
    assert (again.data.roles[0].leaver_rate, again.data.roles[0].new_starter_leaver_rate) == (0.1, 0.2)


def test_filters_match_names_as_the_reader_does_and_lists_match_any() -> None:
    done = apply_adjustments(ics(), [adjust("Demand", "amount", "multiply", 2,
                                            {"staff_group": ["registered nurse", "Care Workers"]})], "s")
    assert done.data.demand_fte[NURSES] == (200, 220, 240)
    assert done.data.demand_fte[CARERS] == (160, 160, 160)
    assert done.data.demand_fte[SUPPORT] == (50, 50, 50)
    route = apply_adjustments(ics(), [adjust("Training", "completion_rate", "set", 0.9,
                                             {"route": "nursing apprenticeships", "to_staff_group": "RN"})], "s")
    assert route.data.training[0].completion_rate == 0.9


def test_the_ics_pooled_share_and_integer_columns() -> None:
    done = apply_adjustments(ics(), [adjust("ICS", "pooled_budget_share", "set", 0.2, years=(2028,)),
                                     adjust("Recruitment", "lead_time_years", "add", 1)], "s")
    assert [done.data.pooled_share(y) for y in (1, 2, 3)] == [0.05, 0.05, 0.2]
    assert [c.lead_time_years for c in done.data.recruitment] == [1, 2, 2]
    assert all(isinstance(c.lead_time_years, int) for c in done.data.recruitment)


def test_the_input_data_is_left_as_it_was() -> None:
    before = ics()
    apply_adjustments(before, [adjust("Budget", "amount", "multiply", 0.9)], "s")
    assert before == ics()


def test_every_problem_names_the_adjustment_the_scenario_and_the_row() -> None:
    with pytest.raises(AdjustmentError) as caught:
        apply_adjustments(ics(), [
            adjust("Recruitment", "max_hires_per_year", "set", 0, {"channel": "Internatinal"}),
            adjust("Workforce", "leaver_rate", "multiply", 5, {"staff_group": "Care workers"}, (2027,)),
            adjust("Budget", "amount", "set", 1e6, years=(2025, 2030)),
            adjust("Recruitment", "lead_time_years", "multiply", 1.5),
        ], "Bad ideas")
    problems = caught.value.problems
    assert len(problems) == 5, problems
    assert problems[0].startswith('Adjustment 1 of "Bad ideas" (Recruitment max_hires_per_year: set to 0 where '
                                  "channel = Internatinal): matches no row of the Recruitment sheet")
    assert ('Adjustment 2 of "Bad ideas"' in problems[1] and "leaver_rate of Care workers (Social care) in 2027/28 "
            "would be 1.25; expected a number from 0 to 1" in problems[1])
    assert "2025/26, 2030/31 are outside the plan (2026/27 to 2028/29)" in problems[2]
    assert all('Adjustment 4 of "Bad ideas"' in p and "expected a whole number of at least 0" in p
               for p in problems[3:])


def test_clipping_for_sampled_futures_and_unmatched_rows_allowed() -> None:
    done = apply_adjustments(ics(), [adjust("Workforce", "leaver_rate", "multiply", 5),
                                     adjust("Retention", "max_leaver_reduction", "set", 0.1)], "future 7",
                             clip=True, unmatched_ok=True)
    assert [r.leaver_rate for r in done.data.roles] == [0.5, 1.0, 1.0]
    assert (done.applied[0].values_clipped, done.applied[1].rows_matched) == (1, 0)  # 0.25 x 5 = 1.25


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_scenario_files_are_read_strictly(tmp_path: Path) -> None:
    path = write(tmp_path / "bad.toml", '''name = "Bad file"
[[adjust]]
table = "Recruitment"
column = "max_hires"
set = 0
[[adjust]]
table = "Budgets"
column = "amount"
[[adjust]]
table = "Recruitment"
column = "lead_time_years"
add = 1
multiply = 2
years = [2027]
where = { budget_holder = "Trust" }
colour = "red"
[[adjust]]
table = "Workforce"
column = "salary_cost"
multiply = "lots"
years = ["soon"]
''')
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    text = "\n".join(caught.value.problems)
    for expected in ('adjustment 1 of "Bad file": unknown column \'max_hires\' of the Recruitment sheet',
                     'adjustment 2 of "Bad file": unknown table \'Budgets\'',
                     "adjustment 2 of \"Bad file\": give exactly one of multiply, add or set",
                     "adjustment 3 of \"Bad file\": unknown key 'colour'",
                     "give exactly one of multiply, add or set (found multiply, add)",
                     "'where' filters on 'budget_holder', which is not a name column of the Recruitment sheet",
                     "lead_time_years holds one value for the whole plan and cannot take 'years'",
                     "adjustment 4 of \"Bad file\": 'multiply' is 'lots'; expected a number",
                     "'years' holds 'soon'; expected a financial year"):
        assert expected in text, expected


def test_extends_keeps_the_bases_adjustments_first_and_the_last_name(tmp_path: Path) -> None:
    base = Path(__file__).resolve().parents[1] / "models" / "base.toml"
    write(tmp_path / "lower.toml", f'extends = "{base}"\nname = "Lower budgets"\n'
          '[[adjust]]\ntable = "Budget"\ncolumn = "amount"\nmultiply = 0.95\n')
    child = write(tmp_path / "both.toml", 'extends = "lower.toml"\nname = "Lower budgets, no international"\n'
                  '[[adjust]]\ntable = "Recruitment"\ncolumn = "max_hires_per_year"\nset = 0\n'
                  'where = { channel = "International" }\nyears = ["2027/28", 2028]\n')
    scenario = load_scenario(child)
    assert scenario.name == scenario.label == "Lower budgets, no international"
    assert [(a.table, a.operation, a.years) for a in scenario.adjustments] == [
        ("Budget", Operation.MULTIPLY, None), ("Recruitment", Operation.SET, (2027, 2028))]
    assert load_scenario().adjustments == () and load_scenario().label == "base"


def test_the_example_scenarios_in_models_apply_to_every_sample() -> None:
    root = Path(__file__).resolve().parents[1]
    examples = sorted(p for p in (root / "models").glob("*.toml") if p.name not in ("base.toml", "national.toml"))
    assert len(examples) >= 4
    samples = sorted((root / "inputs").glob("Q*.xlsx"))[::7]
    from workforce.inputs.validate import load_model_data

    for sample in samples:
        d = load_model_data(sample)[0]
        for path in examples:
            scenario = load_scenario(path)
            assert scenario.name and scenario.adjustments, path.name
            done = apply_adjustments(d, scenario.adjustments, scenario.label)
            assert all(a.values_changed > 0 for a in done.applied), (sample.name, path.name)
