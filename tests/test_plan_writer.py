"""The plan workbook: its sheets, numbers, safety (no formulas from user text) and atomic writing.

Most tests use the solver-free fake plan of ``plan_fixture``; one writes a plan the solver made.
"""

from __future__ import annotations

import os
import re
import stat
import zipfile
from collections import defaultdict
from pathlib import Path

import pytest
from openpyxl import load_workbook
from openpyxl.worksheet.worksheet import Worksheet
from plan_fixture import COUNCILS, TRUSTS, ics_sized_plan, renamed, run_info, small_plan

from workforce import atomic
from workforce.atomic import OutputPathError, atomic_write, sha256_file
from workforce.plan import ActionType, Plan
from workforce.report import plan_writer
from workforce.report.plan_writer import NO_ACTIONS, SHEETS, write_plan

HOSTILE = '=HYPERLINK("http://x")'
YEAR_LABEL = re.compile(r"^\d{4}/\d{2}$")


def written(tmp_path: Path, plan: Plan | None = None, **run_changes: str) -> Path:
    plan = plan or small_plan()
    target = tmp_path / "plan.xlsx"
    write_plan(plan, run_info(plan, **run_changes), target)
    return target


def rows_of(ws: Worksheet) -> list[tuple[object, ...]]:
    return list(ws.iter_rows(values_only=True))


def table_below(rows: list[tuple[object, ...]], first: str, second: str) -> tuple[list[object], list[tuple]]:
    """The header and data rows of the table whose header starts with ``first``, ``second``."""
    top = next(i for i, r in enumerate(rows) if r[0] == first and r[1] == second)
    end = next((i for i in range(top + 1, len(rows)) if rows[i][0] is None), len(rows))
    return list(rows[top]), rows[top + 1:end]


def sheet_xml(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as archive:
        return {n: archive.read(n).decode() for n in archive.namelist() if n.startswith("xl/worksheets/sheet")}


def run_values(path: Path) -> dict[object, object]:
    return {r[0]: r[1] for r in rows_of(load_workbook(path)["Run"]) if r[0]}


# --- sheets and provenance ---------------------------------------------------------------------------------

def test_sheets_in_order_and_run_sheet_provenance(tmp_path: Path) -> None:
    plan = small_plan()
    target = written(tmp_path, plan)
    wb = load_workbook(target)
    assert wb.sheetnames == list(SHEETS) == ["Cover", "Summary", "Insights", "Extra £1m", "Budget curve", "Actions",
                                             "Roles", "Budget", "Run"]
    run = run_values(target)
    for key, value in plan.objectives.as_dict().items():
        assert isinstance(run[key], (int, float)) and run[key] == pytest.approx(value)  # a number, not text
    assert run["input_file"] == "QHG-workforce.xlsx" and run["input_sha256"] == "ab" * 32
    assert run["scenario_file"] == "models/base.toml" and run["status"] == "optimal"
    assert run["package_version"] == "0.1.0" and run["pyomo_version"] == "6.10.1" and run["highs_version"] == "1.16.0"
    assert run["started_at"] == "2026-11-24T12:00:00+00:00"
    assert run["solver_option.time_limit_s"] == 600.0 and run["solver_option.presolve"] == "on"
    assert run["solver_option.primal_feasibility_tolerance"] == pytest.approx(1e-7)
    assert run["solver_option.mip"] == "false"
    assert run["timing_solve_s"] == pytest.approx(0.2) and isinstance(run["timing_write_s"], float)
    keys = list(run)
    assert keys.index("input_file") < keys.index("solver_option.method") < keys.index("objective_overspend_gbp")
    assert run["run_out_years"] == 5
    texts = [r[0] for r in rows_of(wb["Run"])]
    assert texts[texts.index("Scenario file content (blank lines left out)") + 2:] == ["[objective]", "target_weight = 10.0"]


def test_document_properties_carry_only_what_the_run_says(tmp_path: Path) -> None:
    target = written(tmp_path)
    with zipfile.ZipFile(target) as archive:
        core = archive.read("docProps/core.xml").decode()
    assert "<dcterms:created xsi:type=\"dcterms:W3CDTF\">2026-11-24T12:00:00Z</dcterms:created>" in core
    assert plan_writer.is_plan_file(target)


def test_the_same_plan_writes_the_same_workbook(tmp_path: Path) -> None:
    """Apart from the measured write time, the output depends only on the plan and the run."""
    plan = small_plan()
    first, second = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    write_plan(plan, run_info(plan), first)
    write_plan(plan, run_info(plan), second)

    def contents(path: Path) -> dict[str, list[tuple]]:
        wb = load_workbook(path)
        return {ws.title: [r for r in rows_of(ws) if r[0] != "timing_write_s"] for ws in wb.worksheets}

    assert contents(first) == contents(second)


# --- Summary -----------------------------------------------------------------------------------------------

def test_summary_holder_rows_are_the_sums_of_their_roles_and_budgets(tmp_path: Path) -> None:
    plan = small_plan()
    wb = load_workbook(written(tmp_path, plan))
    header, table = table_below(rows_of(wb["Summary"]), "Year", "Budget holder")
    col = {name: i for i, name in enumerate(header)}
    roles_header, roles = table_below(rows_of(wb["Roles"]), "Year", "Sector")
    rcol = {name: i for i, name in enumerate(roles_header)}
    budget_header, budgets = table_below(rows_of(wb["Budget"]), "Year", "Budget holder")
    bcol = {name: i for i, name in enumerate(budget_header)}
    sums: dict[tuple[object, object], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for r in roles:
        for key in (r[rcol["Year"]], "all"), (r[rcol["Year"]], r[rcol["Budget holder"]]):
            s = sums[key]
            s["demand"] += r[rcol["Demand (FTE)"]]
            s["staff"] += r[rcol["Staff in post at end (FTE)"]]
            s["agency"] += r[rcol["Agency (FTE)"]]
            s["vacancy"] += r[rcol["Vacancy (FTE)"]]
            s["target"] += r[rcol["Vacancy target (%)"]] * r[rcol["Demand (FTE)"]]
    for b in budgets:
        for key in (b[bcol["Year"]], "all"), (b[bcol["Year"]], b[bcol["Budget holder"]]):
            s = sums[key]
            s["spend"] += b[bcol["Total spend (£)"]]
            s["budget"] += b[bcol["Budget (£)"]]
            s["net_in"] += b[bcol["Transfers in (£)"]] - b[bcol["Transfers out (£)"]]
            s["overspend"] += b[bcol["Overspend (£)"]]
            s["headroom"] += b[bcol["Headroom (£)"]]
    assert len(table) == len(plan.years) * 3
    for row in table:
        holder = "all" if row[col["Budget holder"]] == "All budget holders" else row[col["Budget holder"]]
        s = sums[(row[col["Year"]], holder)]
        assert row[col["Demand (FTE)"]] == pytest.approx(s["demand"])
        assert row[col["Agency (FTE)"]] == pytest.approx(s["agency"])
        assert row[col["Vacancies (FTE)"]] == pytest.approx(s["vacancy"])
        assert row[col["Vacancy rate (%)"]] == pytest.approx(s["vacancy"] / s["demand"])
        assert row[col["Target vacancy rate (%)"]] == pytest.approx(s["target"] / s["demand"])
        assert row[col["Spend (£)"]] == pytest.approx(s["spend"])
        assert row[col["Budget (£)"]] == pytest.approx(s["budget"])
        assert row[col["Overspend (£)"]] == pytest.approx(s["overspend"])
        # One meaning of headroom everywhere: money left unspent, the sum of the Budget sheet's rows.
        assert row[col["Headroom (£)"]] == pytest.approx(s["headroom"])
        assert row[col["Headroom (£)"]] >= 0
    assert sum(r[col["Spend (£)"]] for r in table if r[1] == "All budget holders") == pytest.approx(
        plan.objectives.cost_gbp)
    overspent = next(r for r in table if r[0] == "2026/27" and r[1] == COUNCILS)
    assert overspent[col["Headroom (£)"]] == 0 < overspent[col["Overspend (£)"]]


def test_summary_leads_with_vacancies_by_family_then_money_then_key_points(tmp_path: Path) -> None:
    from workforce.inputs.vocabulary import sector_family

    plan = small_plan()
    wb = load_workbook(written(tmp_path, plan))
    rows = rows_of(wb["Summary"])
    assert rows[0][0] == "Workforce plan: Bedfordshire, Luton and Milton Keynes (QHG), 2026/27 to 2027/28"
    header, vacancies = table_below(rows, "Year", "NHS vacancies (FTE)")
    assert header[:7] == ["Year", "NHS vacancies (FTE)", "NHS vacancy rate (%)", "NHS target rate (%)",
                          "Adult social care vacancies (FTE)", "Adult social care vacancy rate (%)",
                          "Adult social care target rate (%)"]
    for row in vacancies:
        for offset, family in ((1, "NHS"), (4, "Adult social care")):
            mine = [r for r in plan.roles if r.year_label == row[0] and sector_family(r.sector) == family]
            demand = sum(r.demand_fte for r in mine)
            assert row[offset] == pytest.approx(sum(r.vacancy_fte for r in mine))
            assert row[offset + 1] == pytest.approx(sum(r.vacancy_fte for r in mine) / demand)
            assert row[offset + 2] == pytest.approx(sum(r.vacancy_target * r.demand_fte for r in mine) / demand)
    header, money = table_below(rows, "Year", "Agency (FTE)")
    col = {name: i for i, name in enumerate(header)}
    for row in money:
        budgets = [b for b in plan.budgets if b.year_label == row[0]]
        assert row[col["Agency (FTE)"]] == pytest.approx(sum(r.agency_fte for r in plan.roles
                                                             if r.year_label == row[0]))
        assert row[col["Agency spend (£)"]] == pytest.approx(sum(b.agency_gbp for b in budgets))
        assert row[col["Spend (£)"]] == pytest.approx(sum(b.spend_gbp for b in budgets))
        assert row[col["Headroom (£)"]] == pytest.approx(sum(b.headroom_gbp for b in budgets))
        assert row[col["Overspend (£)"]] == pytest.approx(sum(b.overspend_gbp for b in budgets))
    text = " ".join(str(r[0]) for r in rows if r[0] and not r[1])  # the key points: lines of text in column A
    score = sum(r.priority * (r.vacancy_fte + 10 * r.excess_vacancy_fte) for r in plan.roles)
    assert f"Planning score (weighted) over the plan years: {score:,.1f} weighted FTE-years." in text
    assert "Planning score (weighted): each FTE-year of vacancy, weighted by the role's priority" in text
    assert f"Role-years missing their vacancy target: {len(plan.targets_missed())} " in text
    assert f"Where an extra £1m helps most: An extra £1m for {COUNCILS} in 2027/28 would fill" in text


def test_summary_has_staffing_charts_for_nhs_and_social_care_with_vacancy_and_a_money_chart(tmp_path: Path) -> None:
    with zipfile.ZipFile(written(tmp_path)) as archive:
        charts = sorted(n for n in archive.namelist() if n.startswith("xl/charts/chart"))
        texts = [archive.read(c).decode() for c in charts]
    assert len(charts) == 4  # three on the Summary, one on the Budget curve sheet
    staffing = [t for t in texts if "staffing against demand" in t]
    assert len(staffing) == 2 and any("NHS:" in t for t in staffing) and any("Adult social care:" in t for t in staffing)
    for name in ("Staff in post (own role)", "Deployed-in cover", "Trainee cover", "Agency",
                 "Vacancy (demand not covered)", "Demand"):
        assert all(name in t for t in staffing), name
    assert any("Spend against budget" in t for t in texts)
    assert any("Vacancy (FTE-years) by budget change" in t for t in texts)


# --- Actions, Roles, Budget, Insights ----------------------------------------------------------------------

def test_actions_are_sorted_for_reading(tmp_path: Path) -> None:
    plan = small_plan()
    assert list(plan.actions) != sorted(plan.actions, key=plan_writer.action_sort_key)  # the fixture shuffles them
    header, rows = table_below(rows_of(load_workbook(written(tmp_path, plan))["Actions"]), "Year", "Action")
    assert header == ["Year", "Action", "Channel / lever / route", "Sector", "Staff group", "Detail", "Staff (FTE)",
                      "Cost (£)"]
    assert len(rows) == len(plan.actions)
    keys = [(r[0], ActionType.ORDER.index(r[1]), r[3].replace("[z]", "").casefold(),
             r[4].replace("[z]", "").casefold(), r[2].casefold()) for r in rows]
    assert keys == sorted(keys)
    assert {r[1] for r in rows} == set(ActionType.ORDER)
    transfer = next(r for r in rows if r[1] == ActionType.TRANSFER)
    assert transfer[2] == f"From {TRUSTS}" and transfer[6] == "[z]" and transfer[7] == 100_000  # no FTE: a code


def test_a_plan_without_actions_says_so(tmp_path: Path) -> None:
    from dataclasses import replace

    plan = replace(small_plan(), actions=(), marginals=())
    wb = load_workbook(written(tmp_path, plan))
    assert rows_of(wb["Actions"])[1] == (NO_ACTIONS,)
    texts = [r[0] for r in rows_of(wb["Insights"]) if r[0]]
    assert any(str(t).startswith("No limit binds") for t in texts)


def test_roles_and_budget_sheets(tmp_path: Path) -> None:
    plan = small_plan()
    wb = load_workbook(written(tmp_path, plan))
    header, rows = table_below(rows_of(wb["Roles"]), "Year", "Sector")
    assert len(header) == 28 and header[-2:] == ["Target met?", "Priority (weight)"]
    assert [(r[1], r[2], r[0]) for r in rows] == sorted((r[1], r[2], r[0]) for r in rows)
    assert {r[26] for r in rows} == {"Yes", "No"}
    first = next(r for r in plan.roles if r.staff_group == "Registered nurses" and r.year == 2026)
    row = next(r for r in rows if r[2] == "Registered nurses" and r[0] == "2026/27")
    assert row[4:26] == pytest.approx([
        first.demand_fte, first.staff_in_post_start_fte, first.staff_in_post_fte, first.expected_leavers_fte,
        first.leavers_retained_fte, first.leavers_fte, first.hires_arrived_fte, first.pipeline_arrived_fte,
        first.new_starter_leavers_fte, first.training_starts_fte, first.trainees_in_training_fte,
        first.trainee_cover_fte, first.training_completers_in_fte, first.training_returners_fte,
        first.deployed_out_fte, first.deployed_in_fte, first.deployed_in_cover_fte, first.agency_fte,
        first.vacancy_fte, first.excess_vacancy_fte, first.vacancy_rate, first.vacancy_target])
    header, rows = table_below(rows_of(wb["Budget"]), "Year", "Budget holder")
    assert header[-2:] == ["Overspend (£)", "Headroom (£)"] and len(rows) == len(plan.budgets)
    header, rows = table_below(rows_of(wb["Extra £1m"]), "Year", "Budget holder")
    assert len(rows) == len(plan.marginal_budget)
    best = rows[0]
    assert (best[0], best[1]) == ("2027/28", COUNCILS)
    assert best[header.index("Planning score avoided (weighted FTE-years)")] == pytest.approx(12.5)
    over = next(r for r in rows if r[0] == "2026/27" and r[1] == COUNCILS)
    assert "cuts the overspend" in over[-1]
    slack = next(r for r in rows if r[1] == TRUSTS)
    assert slack[header.index("Rate holds to (£)")] == "[z]"  # no upper end: a code, never a blank


def test_insights_rank_limits_across_years_and_say_why_targets_are_missed(tmp_path: Path) -> None:
    plan = small_plan()
    rows = rows_of(load_workbook(written(tmp_path, plan))["Insights"])
    header, ranked = table_below(rows, "Rank (number)", "Limit")
    assert header == ["Rank (number)", "Limit", "Years it binds", "Total value (weighted FTE-years)",
                      "Per extra (unit)"]
    assert [r[0] for r in ranked] == [1, 2, 3]
    assert [r[3] for r in ranked] == sorted((r[3] for r in ranked), reverse=True)
    assert ranked[0][1] == f"Budget of {COUNCILS}" and ranked[1][1] == "International hire cap: Registered nurses (Acute)"
    _, reasons = table_below(rows, "Rank (number)", "Role and reason")
    assert len(reasons) == len({r.role_label for r in plan.targets_missed()})
    carers = next(r[1] for r in reasons if r[1].startswith("Care workers (Social care)"))
    assert carers.endswith(f"held back by the budget of {COUNCILS} (which overspends in 2026/27) and the agency cap.")
    nurses = next(r[1] for r in reasons if r[1].startswith("Registered nurses (Acute)"))
    assert "no limit on this role binds" in nurses  # its hire cap binds in 2026/27, a year it meets its target
    _, pooled = table_below(rows, "Rank (number)", "What moves and why")
    assert pooled[0][1].startswith(f"£100k is pooled from {TRUSTS} to {COUNCILS} in 2027/28")
    warned = next(i for i, r in enumerate(rows) if r[0] == "Warnings about the input")
    assert rows[warned + 2][0] == plan.warnings[0].message()


def test_years_are_financial_year_labels_everywhere(tmp_path: Path) -> None:
    wb = load_workbook(written(tmp_path))
    for name in ("Actions", "Roles", "Budget", "Extra £1m"):
        rows = rows_of(wb[name])
        header = next(r for r in rows if r[0] == "Year")
        _, table = table_below(rows, "Year", header[1])
        years = [r[0] for r in table]
        assert years and all(isinstance(y, str) and YEAR_LABEL.match(y) for y in years), name


def test_number_formats_frozen_headers_and_tables(tmp_path: Path) -> None:
    wb = load_workbook(written(tmp_path))
    budget, roles, actions = wb["Budget"], wb["Roles"], wb["Actions"]
    assert budget["C3"].number_format == "£#,##0" and budget["O3"].number_format == "£#,##0"
    assert roles["E3"].number_format == "#,##0.0" and roles["Y3"].number_format == "0.0%"
    assert budget["A2"].font.b and roles["A2"].font.b
    assert (budget.freeze_panes, roles.freeze_panes, actions.freeze_panes) == ("A3", "A3", "A3")
    assert budget.tables and roles.tables and actions.tables
    for ws in wb.worksheets:
        widths = [d.width for d in ws.column_dimensions.values() if d.width]
        assert widths and max(widths) <= 101, ws.title  # 100 characters at most (the Cover's notes)


# --- safety ------------------------------------------------------------------------------------------------

def test_user_text_is_never_a_formula(tmp_path: Path) -> None:
    plan = small_plan()
    for old in ("Acute", "Registered nurses", "International", TRUSTS, "Bedfordshire, Luton", "leavers kept",
                "An extra £1m", "Workforce"):
        plan = renamed(plan, old, HOSTILE)  # type: ignore[assignment]
    target = written(tmp_path, plan, scenario_text=f"{HOSTILE}\n[objective]\n", input_file=f"{HOSTILE}.xlsx",
                     scenario_file=HOSTILE)
    for name, xml in sheet_xml(target).items():
        assert "<f>" not in xml and "<f " not in xml, name
    wb = load_workbook(target)
    hostile_cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row
                     if isinstance(c.value, str) and HOSTILE in c.value]
    assert {c.parent.title for c in hostile_cells} == set(SHEETS)
    assert all(c.data_type == "s" for c in hostile_cells)
    assert any(c.value == HOSTILE for c in hostile_cells if c.parent.title == "Roles")


def test_a_failed_write_leaves_the_old_plan_and_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    target = written(tmp_path)
    before = target.read_bytes()

    def broken(*_args: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(plan_writer, "write_insights", broken)  # fails with three sheets already written
    with pytest.raises(RuntimeError, match="disk full"):
        written(tmp_path)
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_a_failed_rename_leaves_the_old_plan_and_no_temporary_file(tmp_path: Path, monkeypatch) -> None:
    target = written(tmp_path)
    before = sha256_file(target)

    def refuse(*_args: object) -> None:
        raise PermissionError("the plan is open in Excel")

    monkeypatch.setattr(atomic.os, "replace", refuse)
    with pytest.raises(atomic.CannotWrite, match="open in Excel"):  # an OSError, with the target named
        written(tmp_path)
    assert sha256_file(target) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.xlsx"]


def test_never_writes_over_an_input(tmp_path: Path) -> None:
    plan = small_plan()
    source = tmp_path / "ics.xlsx"
    source.write_bytes(b"the user's workbook")
    with pytest.raises(OutputPathError, match="input file"):
        write_plan(plan, run_info(plan), source, protected=[source])
    with pytest.raises(OutputPathError, match="input file"):  # the same file by another path
        write_plan(plan, run_info(plan), tmp_path / "sub" / ".." / "ics.xlsx", protected=[source])
    link = tmp_path / "link.xlsx"
    os.link(source, link)
    with pytest.raises(OutputPathError, match="input file"):  # a hard link to the input
        write_plan(plan, run_info(plan), link, protected=[source])
    other = tmp_path / "someone-elses.xlsx"
    other.write_bytes(b"not a plan")
    with pytest.raises(OutputPathError, match="not written by this tool"):
        write_plan(plan, run_info(plan), other)
    assert source.read_bytes() == b"the user's workbook" and other.read_bytes() == b"not a plan"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ics.xlsx", "link.xlsx", "someone-elses.xlsx"]


def test_refusing_a_workbook_of_another_kind_says_what_it_is(tmp_path: Path) -> None:
    """A plan this tool wrote, where a comparison is to go: refused, and the message names it as ours."""
    plan = small_plan()
    target = tmp_path / "plan.xlsx"
    write_plan(plan, run_info(plan), target)
    before = target.read_bytes()
    assert atomic.written_as(target) == f"{plan.ics_code} plan"
    with pytest.raises(OutputPathError, match=f"it is a {plan.ics_code} plan this tool wrote, not the kind of file "
                                              "this command writes") as refused:
        atomic.check_output_path(target, may_replace=lambda path: False)  # e.g. is_comparison_file
    assert "not written by this tool" not in str(refused.value)
    assert target.read_bytes() == before
    assert atomic.written_as(tmp_path / "missing.xlsx") is None
    (tmp_path / "text.xlsx").write_bytes(b"not a workbook")
    assert atomic.written_as(tmp_path / "text.xlsx") is None


def test_atomic_write_makes_the_folder_keeps_the_suffix_and_respects_the_umask(tmp_path: Path) -> None:
    seen: list[Path] = []

    def write(tmp: Path) -> None:
        seen.append(tmp)
        tmp.write_bytes(b"new")

    target = tmp_path / "new" / "folder" / "plan.xlsx"
    old_umask = os.umask(0o022)
    try:
        atomic_write(target, write)
    finally:
        os.umask(old_umask)
    assert target.read_bytes() == b"new" and not seen[0].exists()
    assert seen[0].parent == target.parent and seen[0].name.startswith(".") and seen[0].suffix == ".xlsx"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # readable by others, as any new file (not 0600)
    assert sha256_file(target) == "11507a0e2f5e69d5dfa40a62a1bd7b6ee57e6bcd85c67c9b8431b36fff21c437"


def test_the_quick_table_path_writes_what_xlsxwriter_writes_cell_by_cell(tmp_path: Path, monkeypatch) -> None:
    from xlsxwriter.workbook import Workbook

    plan = ics_sized_plan()
    quick, plain = tmp_path / "quick.xlsx", tmp_path / "plain.xlsx"
    monkeypatch.setattr(plan_writer.time, "perf_counter", lambda: 0.0)  # the Run sheet's timing_write_s
    write_plan(plan, run_info(plan), quick)
    monkeypatch.setattr(plan_writer, "TableWorkbook", Workbook)  # xlsxwriter's own worksheet, cell by cell
    write_plan(plan, run_info(plan), plain)
    with zipfile.ZipFile(quick) as a, zipfile.ZipFile(plain) as b:
        assert a.namelist() == b.namelist()
        for name in a.namelist():
            if name.startswith(("xl/worksheets/", "xl/sharedStrings")):
                assert a.read(name) == b.read(name), name


def test_an_ics_sized_plan_writes_every_sheet(tmp_path: Path) -> None:
    # How long writing takes is measured in benchmarks/bench_solve.py (no timed assertions in tests).
    plan = ics_sized_plan()
    run = run_info(plan)
    assert len(plan.roles) == 75
    target = tmp_path / "plan.xlsx"
    write_plan(plan, run, target)
    book = load_workbook(target, read_only=True)
    assert set(SHEETS) <= set(book.sheetnames)


# --- a plan the solver made ----------------------------------------------------------------------------------

def test_a_solved_plan_writes_and_names_its_binding_limits(tmp_path: Path) -> None:
    from model_fixtures import CARERS, RecruitmentChannel, data, role

    from workforce.optimise import plan_for
    from workforce.scenario import load_scenario

    nurses = ("Acute", "Registered nurses")
    d = data([role(nurses, staff=90, agency_max_share=0.05, vacancy_target=0.05),
              role(CARERS, holder="Council", staff=50, salary_gbp=25_000)],
             {nurses: [100, 104], CARERS: [55, 56]}, {"Trust": [4e6, 4.1e6], "Council": [1.3e6, 1.3e6]}, horizon=2,
             recruitment=[RecruitmentChannel(0, "International", nurses, 10_000, 4, 0),
                          RecruitmentChannel(1, "Domestic", CARERS, 1_000, 3, 0)])
    scenario = load_scenario()
    plan = plan_for(d, scenario, scenario.solver, [])
    target = written(tmp_path, plan)
    wb = load_workbook(target)
    assert wb.sheetnames == list(SHEETS)
    texts = [r[1] for r in rows_of(wb["Insights"]) if r[1]]
    assert any("International hire cap: Registered nurses (Acute)" == t for t in texts)
    assert run_values(target)["objective_cost_gbp"] == pytest.approx(plan.objectives.cost_gbp)
