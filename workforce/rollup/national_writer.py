"""The national workbook: Cover, National, (Range,) ICSs, Extra £1m, (National limits,) Submissions, Run.

Every figure is a sum over the ICS plans of the roll-up (``Plan`` records),
so it can be checked against them; written with xlsxwriter, atomically.  The
accessibility points of the plan workbook hold here too (``report/sheets.py``):
title in A1 (stating how many ICS plans the workbook holds), one marked-up
table per table, units in headers, codes for blanks, alt text on charts.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from xlsxwriter.workbook import Workbook

from workforce.answers import ics_figures
from workforce.answers.ics import ICS_COLUMNS
from workforce.answers.labels import CODES_MEANING, NOT_AVAILABLE, NOT_APPLICABLE, PLANNING_SCORE_UNIT
from workforce.atomic import atomic_write
from workforce.report.fast_sheet import TableWorkbook
from workforce.inputs.schema import year_label
from workforce.inputs.vocabulary import NameKind, vocabulary
from workforce.plan import ActionType, Plan
from workforce.report.charts import NHS_DARK_BLUE
from workforce.report.cover import write_cover
from workforce.report.plan_writer import PLAN_MARKER, is_plan_file
from workforce.report.range_sheet import RANGE
from workforce.rollup.ics_lines import UNKNOWN_REGION, ics_lines
from workforce.rollup.plan_years import plan_years_note
from workforce.report.sheets import (
    Column,
    Fmt,
    Styles,
    apply_widths,
    note_lines,
    print_setup,
    title,
    write_table,
)

if TYPE_CHECKING:
    from workforce.reference import ReferenceIcs
    from workforce.rollup.outcome import RollupOptions, RollupOutcome

NATIONAL_WORKBOOK = "national-plan.xlsx"
MEASURES = ("demand", "staff", "vacancy", "agency", "retained", "deployed", "training")


def national_rows(plans: Iterable[Plan], reference: dict[str, ReferenceIcs]
                  ) -> tuple[list[str], dict[tuple[int, str, str], dict[str, float]]]:
    """Totals per (year, breakdown, name): breakdown is England, Region, Sector or Staff group.

    Sectors, staff groups and channels are added up under their standard names (``workforce vocabulary``), so
    "HCAs" in one ICS and "Healthcare support workers" in another make one row; a local name outside the
    vocabulary keeps a row of its own, shared by ICSs that spell it alike (ignoring case, spacing and plurals).
    """
    channels: set[str] = set()
    totals: dict[tuple[int, str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    name = NationalNames()
    for plan in plans:
        region = reference[plan.ics_code].region if plan.ics_code in reference else UNKNOWN_REGION
        for r in plan.roles:
            sector, group = name(NameKind.SECTOR, r.sector), name(NameKind.STAFF_GROUP, r.staff_group)
            for key in ((r.year, "England", "England"), (r.year, "Region", region), (r.year, "Sector", sector),
                        (r.year, "Staff group", group)):
                t = totals[key]
                t["demand"] += r.demand_fte
                t["staff"] += r.staff_in_post_fte
                t["vacancy"] += r.vacancy_fte
                t["agency"] += r.agency_fte
                t["retained"] += r.leavers_retained_fte
                t["deployed"] += r.deployed_out_fte
                t["training"] += r.training_starts_fte
        for a in plan.actions:
            if a.action == ActionType.RECRUIT:
                channel = name(NameKind.CHANNEL, a.name)
                channels.add(channel)
                for key in ((a.year, "England", "England"), (a.year, "Region", region),
                            (a.year, "Sector", name(NameKind.SECTOR, a.sector)),
                            (a.year, "Staff group", name(NameKind.STAFF_GROUP, a.staff_group))):
                    totals[key][f"hires:{channel}"] += a.fte
        for b in plan.budgets:
            for key in ((b.year, "England", "England"), (b.year, "Region", region)):
                totals[key]["spend"] += b.spend_gbp
                totals[key]["budget"] += b.budget_gbp
                totals[key]["overspend"] += b.overspend_gbp
                totals[key]["fund"] += b.national_fund_gbp
    return sorted(channels, key=str.casefold), totals


def _plans(outcome: RollupOutcome) -> list[Plan]:
    return [o.plan for o in outcome.ics if o.plan is not None]


def workbook_title(outcome: RollupOutcome) -> str:
    """States how many ICS plans the workbook holds, and which kind of roll-up it is."""
    count = len(_plans(outcome))
    kind = "one coupled national plan" if outcome.coupled else "independent ICS plans"
    return f"National roll-up of {count} ICS plan{'s' if count != 1 else ''} ({kind})"


class NationalNames:
    """The national name of a sector, staff group or channel: the standard name, else the first spelling met."""

    def __init__(self) -> None:
        self.vocab = vocabulary()
        self.first: dict[tuple[NameKind, str], str] = {}

    def __call__(self, kind: NameKind, text: str) -> str:
        return self.first.setdefault((kind, self.vocab.national_key(kind, text)), self.vocab.standard_name(kind, text))


def _national(wb: Workbook, styles: Styles, outcome: RollupOutcome, reference: dict[str, ReferenceIcs]) -> None:
    ws = wb.add_worksheet("National")
    plans = _plans(outcome)
    channels, totals = national_rows(plans, reference)
    title(ws, styles, f"{workbook_title(outcome)}: by year for England, regions, sectors and staff groups")
    order = {"England": 0, "Region": 1, "Sector": 2, "Staff group": 3}
    keys = sorted(totals, key=lambda k: (k[0], order[k[1]], k[2].casefold()))
    columns = [Column("Year"), Column("Breakdown"), Column("Name"), Column("Demand (FTE)", Fmt.FTE),
               Column("Staff in post (FTE)", Fmt.FTE), Column("Vacancies (FTE)", Fmt.FTE),
               Column("Vacancy rate (%)", Fmt.RATE), Column("Agency (FTE)", Fmt.FTE)]
    columns += [Column(f"Hires made: {c} (FTE)", Fmt.FTE) for c in channels]
    columns += [Column("Leavers retained (FTE)", Fmt.FTE), Column("Deployed (FTE)", Fmt.FTE),
                Column("Training starts (FTE)", Fmt.FTE), Column("Spend (£)", Fmt.GBP), Column("Budget (£)", Fmt.GBP),
                Column("Overspend (£)", Fmt.GBP), Column("National fund (£)", Fmt.GBP)]
    rows = []
    for key in keys:
        t = totals[key]
        row: list[object] = [year_label(key[0]), key[1], key[2], t["demand"], t["staff"], t["vacancy"],
                             t["vacancy"] / t["demand"] if t["demand"] else 0.0, t["agency"]]
        row += [t[f"hires:{c}"] for c in channels]
        row += [t["retained"], t["deployed"], t["training"]]
        with_money = key[1] in ("England", "Region")  # budgets are held by organisations, not sectors
        row += [t[k] if with_money else NOT_APPLICABLE for k in ("spend", "budget", "overspend", "fund")]
        rows.append(row)
    widths: dict[int, float] = {}
    if not rows:
        ws.write_string(1, 0, "No ICS plan: every workbook was rejected or is missing (see Submissions).")
        return
    write_table(ws, styles, 1, columns, rows, name="National", widths=widths)
    apply_widths(ws, widths)
    ws.freeze_panes(2, 0)
    print_setup(ws, header_row=1, widths=widths, repeat_cols=3)
    _region_chart(wb, ws, styles, totals, len(columns) + 1)


def _region_chart(wb: Workbook, ws: object, styles: Styles, totals: dict[tuple[int, str, str], dict[str, float]],
                  col: int) -> None:
    last = max(k[0] for k in totals)
    regions = sorted(((k[2], t) for k, t in totals.items() if k[0] == last and k[1] == "Region"),
                     key=lambda item: -(item[1]["vacancy"] / item[1]["demand"] if item[1]["demand"] else 0.0))
    rows = [[name, t["vacancy"] / t["demand"] if t["demand"] else 0.0] for name, t in regions]
    widths: dict[int, float] = {col: 28, col + 1: 14}
    write_table(ws, styles, 1, [Column("NHS region"), Column(f"Vacancy rate, {year_label(last)} (%)", Fmt.RATE)], rows,
                name="Chart_data_regions", autofilter=False, first_col=col, widths=widths)
    apply_widths(ws, widths)  # type: ignore[arg-type]
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({"name": "Vacancy rate (%)", "categories": ["National", 2, col, 1 + len(rows), col],
                      "values": ["National", 2, col + 1, 1 + len(rows), col + 1], "fill": {"color": NHS_DARK_BLUE},
                      "data_labels": {"value": True, "num_format": "0.0%"}})
    chart.set_title({"name": f"Vacancy rate by NHS region, {year_label(last)} (%)"})
    chart.set_x_axis({"num_format": "0%", "name": "Vacancy rate (%)"})
    chart.set_y_axis({"reverse": True})
    chart.set_legend({"none": True})
    chart.set_size({"width": 620, "height": 360})
    worst = rows[0] if rows else ["", 0.0]
    ws.insert_chart(3 + len(rows), col, chart, {"description": (  # type: ignore[attr-defined]
        f"Bars of the vacancy rate of each NHS region in {year_label(last)}, highest first; the highest is "
        f"{worst[0]} at {worst[1]:.1%}.")})


def ics_rows(outcome: RollupOutcome, reference: dict[str, ReferenceIcs]) -> list[list[object]]:
    """The ICSs sheet's rows: one per ICS (``ics_lines``), figures not available where there is no plan."""
    rows = []
    for line in ics_lines(outcome, reference):
        row: list[object] = [line.code, line.name, line.region, line.population or NOT_AVAILABLE, line.status]
        if line.figures is None:
            rows.append(row + [NOT_AVAILABLE] * (len(ICS_COLUMNS) + 1))
            continue
        figures = line.figures.as_json()
        per_100k = line.planning_score_per_100k
        values = [figures[key] for key, _ in ICS_COLUMNS]
        rows.append(row + values[:3] + [NOT_AVAILABLE if per_100k is None else per_100k] + values[3:])
    return rows


def _icss(wb: Workbook, styles: Styles, outcome: RollupOutcome, reference: dict[str, ReferenceIcs]) -> None:
    ws = wb.add_worksheet("ICSs")
    title(ws, styles, f"{workbook_title(outcome)}: one row per ICS ({NOT_AVAILABLE} = no plan)")
    figures = [Column(c.label, c.kind) for _, c in ICS_COLUMNS]
    columns = [Column("ICS code"), Column("ICS"), Column("Region"), Column("Population (people)", Fmt.INTEGER),
               Column("Status"), *figures[:3],
               Column(f"Planning score per 100,000 population ({PLANNING_SCORE_UNIT})", Fmt.FTE_YEARS),
               *figures[3:]]
    widths: dict[int, float] = {}
    write_table(ws, styles, 1, columns, ics_rows(outcome, reference), name="ICSs", widths=widths)
    apply_widths(ws, widths)
    ws.freeze_panes(2, 0)
    print_setup(ws, header_row=1, widths=widths, repeat_cols=2)


def _extra_million(wb: Workbook, styles: Styles, outcome: RollupOutcome) -> None:
    """Where an extra £1m fills most vacancy, one row per ICS, sorted, with a chart of the same order."""
    ws = wb.add_worksheet("Extra £1m")
    title(ws, styles, f"{workbook_title(outcome)}: where an extra £1m fills most vacancy (each ICS's best "
                      "holder and year, re-solved)")
    ranked, overspending = [], []
    for plan in sorted(_plans(outcome), key=lambda p: p.ics_code):
        best = ics_figures(plan).best_million
        if best is not None:
            ranked.append([plan.ics_code, plan.ics_name, best.holder, best.year_label, best.vacancy_avoided_fte_years,
                           best.weighted_unmet_avoided, "fills vacancy"])
        elif any(v.cuts_overspend for v in plan.marginal_budget):
            overspending.append([plan.ics_code, plan.ics_name, NOT_APPLICABLE, NOT_APPLICABLE, NOT_APPLICABLE,
                                 NOT_APPLICABLE, "an extra £1m goes to its overspend first"])
    ranked.sort(key=lambda r: (-r[4], r[0]))
    rows = ranked + overspending
    if not rows:
        ws.write_string(1, 0, "No budget binds in any ICS plan: an extra £1m would not fill vacancies.")
        return
    columns = [Column("ICS code"), Column("ICS"), Column("Budget holder"), Column("Year"),
               Column("Vacancy filled by an extra £1m (FTE-years)", Fmt.FTE_YEARS),
               Column(f"Planning score avoided ({PLANNING_SCORE_UNIT})", Fmt.FTE_YEARS), Column("What it does")]
    widths: dict[int, float] = {}
    write_table(ws, styles, 1, columns, rows, name="Extra_million_by_ICS", widths=widths)
    apply_widths(ws, widths)
    ws.freeze_panes(2, 0)
    print_setup(ws, header_row=1, widths=widths, repeat_cols=2)
    if ranked:
        chart = wb.add_chart({"type": "bar"})
        chart.add_series({"name": "Vacancy filled by an extra £1m (FTE-years)",
                          "categories": ["Extra £1m", 2, 0, 1 + len(ranked), 0],
                          "values": ["Extra £1m", 2, 4, 1 + len(ranked), 4], "fill": {"color": NHS_DARK_BLUE},
                          "data_labels": {"value": True, "num_format": "#,##0.0"}})
        chart.set_title({"name": "Where an extra £1m fills most vacancy (FTE-years), best first"})
        chart.set_x_axis({"name": "Vacancy filled by an extra £1m (FTE-years)", "num_format": "#,##0"})
        chart.set_y_axis({"reverse": True, "name": "ICS"})
        chart.set_legend({"none": True})
        chart.set_size({"width": 720, "height": max(300, 22 * len(ranked) + 120)})
        top = ranked[0]
        ws.insert_chart(1, len(columns) + 1, chart, {"description": (
            f"Bars, sorted from most to least, of the vacancy (FTE-years) an extra £1m fills in each ICS's best "
            f"budget holder and year; {top[0]} is first with {top[4]:,.1f} FTE-years. ICSs whose extra £1m goes to "
            "an overspend are listed in the table, not charted.")})


def _submissions(wb: Workbook, styles: Styles, outcome: RollupOutcome) -> None:
    ws = wb.add_worksheet("Submissions")
    title(ws, styles, f"Submissions: every file in the input folder ({len(outcome.submissions)}) and ICSs with none")
    columns = [Column("File"), Column("SHA-256"), Column("ICS code"), Column("Outcome"),
               Column("Errors (count)", Fmt.INTEGER), Column("Warnings (count)", Fmt.INTEGER),
               Column("First errors", Fmt.WRAPPED, 100)]
    rows = []
    for s in outcome.submissions:
        errors = [i for i in s.issues if i.severity.value == "error"]
        rows.append([s.file_name, s.sha256 or NOT_AVAILABLE, s.ics_code or NOT_AVAILABLE, s.status, len(errors),
                     len(s.issues) - len(errors), " | ".join(i.message() for i in errors[:3]) or NOT_APPLICABLE])
    widths: dict[int, float] = {}
    row = 1
    if rows:
        row = write_table(ws, styles, 1, columns, rows, name="Submissions", widths=widths) + 1
        ws.freeze_panes(2, 0)
    ws.write_string(row, 0, f"ICSs with no workbook ({len(outcome.missing)})", styles.subtitle)
    if outcome.missing:
        write_table(ws, styles, row + 1, [Column("ICS code"), Column("ICS"), Column("Region")],
                    [[m.code, m.name, m.region] for m in outcome.missing], name="Missing", autofilter=False,
                    widths=widths)
    apply_widths(ws, widths)
    print_setup(ws, header_row=1, widths=widths)


def _limits(wb: Workbook, styles: Styles, outcome: RollupOutcome) -> None:
    coupled = outcome.coupled
    assert coupled is not None
    ws = wb.add_worksheet("National limits")
    title(ws, styles, f"{workbook_title(outcome)}: how the national limits were shared, and what one more unit does")
    note = coupled.shortcut or ("One more unit = one FTE of a cap or places, £1m of the fund. Local rate: stage-2 "
                                "duals, at the margin; the avoided figures: the plan solved again with that limit one "
                                "unit higher.")
    top = note_lines(ws, styles, 1, note)
    unit = "FTE, or £ for the fund"
    columns = [Column("Limit"), Column("Year"), Column(f"Limit ({unit})", Fmt.NUMBER),
               Column(f"Used ({unit})", Fmt.NUMBER),
               Column(f"Local rate ({PLANNING_SCORE_UNIT} per unit)", Fmt.FTE_YEARS), Column("Unit"),
               Column("One more unit: overspend avoided (£)", Fmt.GBP),
               Column(f"One more unit: planning score avoided ({PLANNING_SCORE_UNIT})", Fmt.FTE_YEARS),
               Column("One more unit: vacancy avoided (FTE-years)", Fmt.FTE_YEARS),
               Column(f"Rate holds from ({unit})", Fmt.NUMBER), Column(f"Rate holds to ({unit})", Fmt.NUMBER)]
    rows = [[m.label, year_label(m.year), m.limit, m.used, m.value, m.unit,
             *((m.overspend_avoided_gbp, m.weighted_unmet_avoided, m.vacancy_avoided_fte_years) if m.available
               else (NOT_AVAILABLE,) * 3), m.holds_from,
             NOT_APPLICABLE if m.holds_to is None else m.holds_to] for m in coupled.marginals]
    widths: dict[int, float] = {}
    row = top + 1
    if rows:
        row = write_table(ws, styles, top, columns, rows, name="National_limits", widths=widths) + 1
    if coupled.places_by_ics:
        ws.write_string(row, 0, "National places by ICS", styles.subtitle)
        places = [[label, code, year_label(year), fte] for (label, code, year), fte in
                  sorted(coupled.places_by_ics.items())]
        row = write_table(ws, styles, row + 1, [Column("Limit"), Column("ICS code"), Column("Year"),
                                                 Column("Places used (FTE)", Fmt.FTE)], places, name="Places_by_ICS",
                          autofilter=False, widths=widths) + 1
    fund = [[code, year_label(year), gbp] for code, years in sorted(coupled.fund_by_ics.items())
            for year, gbp in sorted(years.items()) if gbp > 0.5]
    if fund:
        ws.write_string(row, 0, "National fund by ICS", styles.subtitle)
        write_table(ws, styles, row + 1, [Column("ICS code"), Column("Year"), Column("Fund received (£)", Fmt.GBP)],
                    fund, name="Fund_by_ICS", autofilter=False, widths=widths)
    apply_widths(ws, widths)
    print_setup(ws, header_row=top, widths=widths, repeat_cols=2)


def _run(wb: Workbook, styles: Styles, outcome: RollupOutcome, options: RollupOptions, version: str) -> None:
    ws = wb.add_worksheet("Run")
    title(ws, styles, "Run details: how this roll-up was made")
    national = options.national
    plans = _plans(outcome)
    pairs: list[list[object]] = [
        ["run_id", outcome.run_id], ["mode", outcome.mode],
        ["written_at", datetime.now(timezone.utc).isoformat(timespec="seconds")],
        ["code_version", version], ["input_folder", str(options.input_dir)],
        ["scenario_file", options.scenario.path], ["national_file", national.path if national else NOT_APPLICABLE],
        ["national_sha256", national.sha256 if national else NOT_APPLICABLE],
        ["executor", options.executor], ["workers", options.workers], ["ics_plans", len(plans)],
        ["objective_overspend_gbp", sum(p.objectives.overspend_gbp for p in plans)],
        ["objective_unmet_fte_years", sum(p.objectives.unmet_fte_years for p in plans)],
        ["objective_cost_gbp", sum(p.objectives.cost_gbp for p in plans)],
    ]
    pairs += [[f"solver_option.{k}", v] for k, v in options.scenario.solver.as_dict().items()]
    pairs += [[f"timing_{k}_s", v] for k, v in outcome.seconds.items()]
    widths: dict[int, float] = {0: 34, 1: 70}
    row = write_table(ws, styles, 1, [Column("key"), Column("value (unit in the key)", Fmt.GENERAL)], pairs,
                      name="Run", widths=widths) + 1
    ws.write_string(row, 0, "ICS plans", styles.subtitle)
    columns = [Column("ICS code"), Column("Status"), Column("Plan file"), Column("SHA-256"), Column("Note")]
    rows = [[o.ics_code, o.status, o.output_path or NOT_AVAILABLE, o.output_sha256 or NOT_AVAILABLE,
             o.message[:200] or NOT_APPLICABLE] for o in outcome.ics]
    if rows:
        write_table(ws, styles, row + 1, columns, rows, name="ICS_plans", autofilter=False, widths=widths)
    apply_widths(ws, widths)
    ws.freeze_panes(2, 0)
    print_setup(ws, widths=widths)


def _contents(outcome: RollupOutcome) -> list[tuple[str, str]]:
    contents = [
        ("National", "Per year: demand, staff, vacancies, agency, hires by channel, retention, deployment, training, "
                     "spend against budget, for England, each NHS region, each sector and each staff group."),
        ("ICSs", "One row per ICS: vacancy rates, planning score, spend, budget, overspend, its best extra £1m."),
        ("Extra £1m", "Where an extra £1m fills most vacancy: each ICS's best budget holder and year, sorted."),
    ]
    if outcome.futures is not None:
        contents.insert(1, (RANGE, "Under uncertainty: every ICS's futures added up future by future; fan charts and "
                                   "P10/P50/P90 of vacancy rate, vacancy, spend and overspend by region and sector, "
                                   "and the probability of overspend."))
    if outcome.coupled is not None:
        contents.append(("National limits", "How the national caps, places and fund were shared between ICSs, and "
                                            "what one more unit of each would do."))
    contents += [("Submissions", "Every file in the input folder and what became of it; ICSs with no workbook."),
                 ("Run", "Provenance: folder, policy and national files, versions, objectives, timings, each plan.")]
    return contents


def write_national_workbook(outcome: RollupOutcome, reference: dict[str, ReferenceIcs], options: RollupOptions,
                            version: str, target: Path, *, protected: Iterable[Path] = ()) -> None:
    def write(tmp: Path) -> None:
        wb = TableWorkbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        heading = workbook_title(outcome)
        wb.set_properties({"title": heading, "author": "ICS workforce planning optimiser"})
        wb.set_custom_property(PLAN_MARKER, "national roll-up")
        styles = Styles(wb)
        years = plan_years_note(_plans(outcome))
        write_cover(wb, styles, heading, "Figures are sums over the ICS plans of this roll-up; each ICS's own plan "
                    "workbook explains its figures.", _contents(outcome), [
                        ("Units", "Staff in FTE, money in £, years are financial years (April to March). Every "
                                  "column header names its unit."),
                        ("Codes", CODES_MEANING),
                        ("Planning score", "Vacancy FTE-years weighted by role priority, plus a weight on those "
                                           "above target: what each plan minimises after overspend (weighted)."),
                        ("Extra £1m", "Found by solving a plan again with one budget £1m higher. In a coupled plan, "
                                      "an ICS's budgets are valued with every other ICS's use of the national "
                                      "limits held fixed; the limits themselves on the coupled plan.")]
                    + ([("Years", years[0].upper() + years[1:] + ".")] if years else []))
        _national(wb, styles, outcome, reference)
        if outcome.futures is not None:
            from workforce.rollup.range_writer import write_national_range

            write_national_range(wb, styles, outcome.futures)
        _icss(wb, styles, outcome, reference)
        _extra_million(wb, styles, outcome)
        if outcome.coupled is not None:
            _limits(wb, styles, outcome)
        _submissions(wb, styles, outcome)
        _run(wb, styles, outcome, options, version)
        wb.close()

    atomic_write(target, write, protected=protected, may_replace=is_plan_file)
