"""The national workbook: National, ICSs, Submissions, Run (+ national limits in a coupled plan).

Every figure is a sum over the ICS plans of the roll-up (``Plan`` records),
so it can be checked against them; written with xlsxwriter, atomically.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

from xlsxwriter.workbook import Workbook

from workforce.atomic import atomic_write
from workforce.plan import ActionType, Plan
from workforce.report.fast_sheet import TableWorkbook
from workforce.report.plan_writer import PLAN_MARKER, is_plan_file
from workforce.report.sheets import Column, Fmt, Styles, apply_widths, print_setup, write_key_values, write_table
from workforce.inputs.schema import year_label

if TYPE_CHECKING:
    from workforce.reference import ReferenceIcs
    from workforce.rollup.run import RollupOptions, RollupOutcome

NATIONAL_WORKBOOK = "national-plan.xlsx"
UNKNOWN_REGION = "Region not known"
MEASURES = ("demand", "staff", "vacancy", "agency", "retained", "deployed", "training")


def national_rows(plans: Iterable[Plan], reference: dict[str, ReferenceIcs]
                  ) -> tuple[list[str], dict[tuple[int, str, str], dict[str, float]]]:
    """Totals per (year, breakdown, name): breakdown is England, Region, Sector or Staff group."""
    channels: set[str] = set()
    totals: dict[tuple[int, str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for plan in plans:
        region = reference[plan.ics_code].region if plan.ics_code in reference else UNKNOWN_REGION
        for r in plan.roles:
            for key in ((r.year, "England", "England"), (r.year, "Region", region), (r.year, "Sector", r.sector),
                        (r.year, "Staff group", r.staff_group)):
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
                channels.add(a.name)
                for key in ((a.year, "England", "England"), (a.year, "Region", region), (a.year, "Sector", a.sector),
                            (a.year, "Staff group", a.staff_group)):
                    totals[key][f"hires:{a.name}"] += a.fte
        for b in plan.budgets:
            for key in ((b.year, "England", "England"), (b.year, "Region", region)):
                totals[key]["spend"] += b.spend_gbp
                totals[key]["budget"] += b.budget_gbp
                totals[key]["overspend"] += b.overspend_gbp
                totals[key]["fund"] += b.national_fund_gbp
    return sorted(channels, key=str.casefold), totals


def _national(wb: Workbook, styles: Styles, outcome: RollupOutcome, reference: dict[str, ReferenceIcs]) -> None:
    ws = wb.add_worksheet("National")
    plans = [o.plan for o in outcome.ics if o.plan is not None]
    channels, totals = national_rows(plans, reference)
    title = "National roll-up" + (" — coupled national plan" if outcome.coupled else " — 42 independent ICS plans")
    ws.write_string(0, 0, title, styles.title)
    ws.write_string(1, 0, f"{len(plans)} ICS plans. Staff in FTE, money in £. Spend and budget are shown for "
                    "England and regions (budgets are held by organisations, not by sector or staff group).",
                    styles.note)
    order = {"England": 0, "Region": 1, "Sector": 2, "Staff group": 3}
    keys = sorted(totals, key=lambda k: (k[0], order[k[1]], k[2].casefold()))
    money = any(k[1] in ("England", "Region") for k in keys)
    columns = [Column("Year"), Column("Breakdown"), Column("Name"), Column("Demand (FTE)", Fmt.FTE),
               Column("Staff in post (FTE)", Fmt.FTE), Column("Vacancies (FTE)", Fmt.FTE),
               Column("Vacancy rate", Fmt.RATE), Column("Agency (FTE)", Fmt.FTE)]
    columns += [Column(f"Hires made: {c} (FTE)", Fmt.FTE) for c in channels]
    columns += [Column("Leavers retained (FTE)", Fmt.FTE), Column("Deployed (FTE)", Fmt.FTE),
                Column("Training starts (FTE)", Fmt.FTE)]
    if money:
        columns += [Column("Spend (£)", Fmt.GBP), Column("Budget (£)", Fmt.GBP), Column("Overspend (£)", Fmt.GBP),
                    Column("National fund (£)", Fmt.GBP)]
    rows = []
    for key in keys:
        t = totals[key]
        row: list[object] = [year_label(key[0]), key[1], key[2], t["demand"], t["staff"], t["vacancy"],
                             t["vacancy"] / t["demand"] if t["demand"] else 0.0, t["agency"]]
        row += [t[f"hires:{c}"] for c in channels]
        row += [t["retained"], t["deployed"], t["training"]]
        if money:
            with_money = key[1] in ("England", "Region")
            row += [t["spend"] if with_money else None, t["budget"] if with_money else None,
                    t["overspend"] if with_money else None, t["fund"] if with_money else None]
        rows.append(row)
    top = 3
    write_table(ws, styles, top, columns, rows)
    ws.freeze_panes(top + 1, 3)
    if plans:
        _region_chart(wb, ws, styles, totals, len(columns) + 1)


def _region_chart(wb: Workbook, ws: object, styles: Styles, totals: dict[tuple[int, str, str], dict[str, float]],
                  col: int) -> None:
    last = max(k[0] for k in totals)
    regions = sorted((k[2], t) for k, t in totals.items() if k[0] == last and k[1] == "Region")
    ws.write_string(3, col, f"Vacancy rate by region, {year_label(last)}", styles.subtitle)  # type: ignore[attr-defined]
    for i, (name, t) in enumerate(regions, start=4):
        ws.write_string(i, col, name)  # type: ignore[attr-defined]
        ws.write_number(i, col + 1, t["vacancy"] / t["demand"] if t["demand"] else 0.0,  # type: ignore[attr-defined]
                        styles.by_fmt[Fmt.RATE])
    chart = wb.add_chart({"type": "bar"})
    chart.add_series({"name": "Vacancy rate", "categories": ["National", 4, col, 3 + len(regions), col],
                      "values": ["National", 4, col + 1, 3 + len(regions), col + 1], "fill": {"color": "#005EB8"}})
    chart.set_title({"name": f"Vacancy rate by NHS region, {year_label(last)}"})
    chart.set_x_axis({"num_format": "0%"})
    chart.set_legend({"none": True})
    chart.set_size({"width": 620, "height": 360})
    ws.insert_chart(5 + len(regions), col, chart)  # type: ignore[attr-defined]
    ws.set_column(col, col, 28)  # type: ignore[attr-defined]


def ics_rows(outcome: RollupOutcome, reference: dict[str, ReferenceIcs]) -> list[list[object]]:
    """One row per ICS: reference ICSs first (missing ones included), then any others."""
    by_code = {o.ics_code.upper(): o for o in outcome.ics}
    rejected = {s.ics_code.upper(): s.status for s in outcome.submissions if s.ics_code and s.status != "accepted"}
    codes = list(reference) + sorted(c for c in by_code if c not in {r.upper() for r in reference})
    rows = []
    for code in codes:
        ref = reference.get(code)
        o = by_code.get(code.upper())
        plan = o.plan if o else None
        status = (o.status if o else rejected.get(code.upper(), "missing"))
        row: list[object] = [code, ref.name if ref else (plan.ics_name if plan else ""),
                             ref.region if ref else UNKNOWN_REGION, ref.population if ref else None, status]
        if plan is None:
            rows.append(row + [None] * 10)
            continue
        first, last = plan.years[0], plan.years[-1]

        def rate(year: int) -> float:
            demand = sum(r.demand_fte for r in plan.roles if r.year == year)
            return sum(r.vacancy_fte for r in plan.roles if r.year == year) / demand if demand else 0.0

        unmet = plan.objectives.unmet_fte_years
        per_100k = unmet / ref.population * 100_000 if ref and ref.population else None
        best_first = max((b.unmet_avoided_per_gbp_1m for b in plan.budgets if b.year == first), default=0.0)
        best_any = max((b.unmet_avoided_per_gbp_1m for b in plan.budgets), default=0.0)
        row += [rate(first), rate(last), unmet, per_100k, sum(b.spend_gbp for b in plan.budgets),
                sum(b.budget_gbp for b in plan.budgets), plan.objectives.overspend_gbp, best_first, best_any,
                sum(b.national_fund_gbp for b in plan.budgets)]
        rows.append(row)
    return rows


def _icss(wb: Workbook, styles: Styles, outcome: RollupOutcome, reference: dict[str, ReferenceIcs]) -> None:
    ws = wb.add_worksheet("ICSs")
    columns = [Column("ICS code"), Column("ICS"), Column("Region"), Column("Population", Fmt.INTEGER),
               Column("Status"), Column("Vacancy rate, first year", Fmt.RATE),
               Column("Vacancy rate, last year", Fmt.RATE), Column("Weighted unmet demand (FTE-years)", Fmt.FTE_YEARS),
               Column("Unmet demand per 100,000 population (FTE-years)", Fmt.FTE_YEARS),
               Column("Spend (£)", Fmt.GBP), Column("Budget (£)", Fmt.GBP), Column("Overspend (£)", Fmt.GBP),
               Column("Unmet demand avoided by an extra £1m, first year (FTE-years)", Fmt.FTE_YEARS),
               Column("Unmet demand avoided by an extra £1m, best year (FTE-years)", Fmt.FTE_YEARS),
               Column("National fund received (£)", Fmt.GBP)]
    rows = ics_rows(outcome, reference)
    write_table(ws, styles, 0, columns, rows)
    ws.freeze_panes(1, 2)
    if rows:
        chart = wb.add_chart({"type": "bar"})
        chart.add_series({"name": "FTE-years avoided per extra £1m (first year)",
                          "categories": ["ICSs", 1, 1, len(rows), 1], "values": ["ICSs", 1, 12, len(rows), 12],
                          "fill": {"color": "#005EB8"}})
        chart.set_title({"name": "Where an extra £1m does most good"})
        chart.set_legend({"none": True})
        chart.set_y_axis({"reverse": True})
        chart.set_size({"width": 720, "height": 900})
        ws.insert_chart(1, len(columns) + 1, chart)


def _submissions(wb: Workbook, styles: Styles, outcome: RollupOutcome) -> None:
    ws = wb.add_worksheet("Submissions")
    columns = [Column("File"), Column("SHA-256"), Column("ICS code"), Column("Outcome"), Column("Errors", Fmt.INTEGER),
               Column("Warnings", Fmt.INTEGER), Column("First errors", width=120)]
    rows = []
    for s in outcome.submissions:
        errors = [i for i in s.issues if i.severity.value == "error"]
        rows.append([s.file_name, s.sha256, s.ics_code or "", s.status, len(errors), len(s.issues) - len(errors),
                     " | ".join(i.message() for i in errors[:3])])
    widths: dict[int, float] = {}
    row = write_table(ws, styles, 0, columns, rows, widths=widths) + 1
    ws.write_string(row, 0, f"ICSs with no workbook ({len(outcome.missing)})", styles.subtitle)
    if outcome.missing:
        write_table(ws, styles, row + 1, [Column("ICS code"), Column("ICS"), Column("Region")],
                    [[m.code, m.name, m.region] for m in outcome.missing], autofilter=False, widths=widths)
    apply_widths(ws, widths)
    ws.freeze_panes(1, 1)


def _limits(wb: Workbook, styles: Styles, outcome: RollupOutcome) -> None:
    coupled = outcome.coupled
    assert coupled is not None
    ws = wb.add_worksheet("National limits")
    ws.write_string(0, 0, "How the national limits were shared", styles.title)
    note = coupled.shortcut or ("Value = weighted unmet demand avoided (FTE-years) by one more national place, or "
                                "by one more £1m in the fund, from the second solve.")
    ws.write_string(1, 0, note, styles.note)
    columns = [Column("Limit"), Column("Year"), Column("Limit (FTE or £)", Fmt.NUMBER),
               Column("Used (FTE or £)", Fmt.NUMBER), Column("Value of one more unit (FTE-years)", Fmt.FTE_YEARS),
               Column("Unit")]
    rows = [[m.label, year_label(m.year), m.limit, m.used, m.value, m.unit] for m in coupled.marginals]
    widths: dict[int, float] = {}
    row = write_table(ws, styles, 3, columns, rows, widths=widths) + 1
    if coupled.places_by_ics:
        ws.write_string(row, 0, "National places by ICS (FTE)", styles.subtitle)
        places = [[label, code, year_label(year), fte] for (label, code, year), fte in sorted(coupled.places_by_ics.items())]
        row = write_table(ws, styles, row + 1, [Column("Limit"), Column("ICS code"), Column("Year"),
                                                 Column("FTE", Fmt.FTE)], places, autofilter=False, widths=widths) + 1
    if coupled.fund_by_ics:
        ws.write_string(row, 0, "National fund by ICS (£)", styles.subtitle)
        fund = [[code, year_label(year), gbp] for code, years in sorted(coupled.fund_by_ics.items())
                for year, gbp in sorted(years.items()) if gbp > 0.5]
        write_table(ws, styles, row + 1, [Column("ICS code"), Column("Year"), Column("£", Fmt.GBP)], fund,
                    autofilter=False, widths=widths)
    apply_widths(ws, widths)


def _run(wb: Workbook, styles: Styles, outcome: RollupOutcome, options: RollupOptions, version: str) -> None:
    ws = wb.add_worksheet("Run")
    national = options.national
    plans = [o.plan for o in outcome.ics if o.plan is not None]
    pairs: list[tuple[str, object, str]] = [
        ("run_id", outcome.run_id, Fmt.TEXT), ("mode", outcome.mode, Fmt.TEXT),
        ("written_at", datetime.now(timezone.utc).isoformat(timespec="seconds"), Fmt.TEXT),
        ("code_version", version, Fmt.TEXT), ("input_folder", str(options.input_dir), Fmt.TEXT),
        ("scenario_file", options.scenario.path, Fmt.TEXT),
        ("national_file", national.path if national else "", Fmt.TEXT),
        ("national_sha256", national.sha256 if national else "", Fmt.TEXT),
        ("executor", options.executor, Fmt.TEXT), ("workers", options.workers, Fmt.INTEGER),
        ("objective_overspend_gbp", sum(p.objectives.overspend_gbp for p in plans), Fmt.NUMBER),
        ("objective_unmet_fte_years", sum(p.objectives.unmet_fte_years for p in plans), Fmt.NUMBER),
        ("objective_cost_gbp", sum(p.objectives.cost_gbp for p in plans), Fmt.NUMBER),
    ]
    pairs += [(f"solver_option.{k}", v, Fmt.NUMBER if isinstance(v, (int, float)) else Fmt.TEXT)
              for k, v in options.scenario.solver.as_dict().items()]
    pairs += [(f"timing_{k}_s", v, Fmt.NUMBER) for k, v in outcome.seconds.items()]
    ws.write_string(0, 0, "key", styles.header)
    ws.write_string(0, 1, "value", styles.header)
    row = write_key_values(ws, styles, 1, pairs) + 1
    ws.write_string(row, 0, "ICS plans", styles.subtitle)
    columns = [Column("ICS code"), Column("Status"), Column("Plan file"), Column("SHA-256"), Column("Note")]
    rows = [[o.ics_code, o.status, o.output_path, o.output_sha256, o.message[:200]] for o in outcome.ics]
    widths: dict[int, float] = {0: 34, 1: 70}
    write_table(ws, styles, row + 1, columns, rows, autofilter=False, widths=widths)
    apply_widths(ws, widths)


def write_national_workbook(outcome: RollupOutcome, reference: dict[str, ReferenceIcs], options: RollupOptions,
                            version: str, target: Path, *, protected: Iterable[Path] = ()) -> None:
    def write(tmp: Path) -> None:
        wb = TableWorkbook(str(tmp), {"strings_to_formulas": False, "strings_to_urls": False})
        wb.set_properties({"title": "National workforce roll-up", "author": "ICS workforce planning optimiser"})
        wb.set_custom_property(PLAN_MARKER, "national roll-up")
        styles = Styles(wb)
        _national(wb, styles, outcome, reference)
        _icss(wb, styles, outcome, reference)
        if outcome.coupled is not None:
            _limits(wb, styles, outcome)
        _submissions(wb, styles, outcome)
        _run(wb, styles, outcome, options, version)
        for ws in wb.worksheets():
            print_setup(ws)
        wb.close()

    atomic_write(target, write, protected=protected, may_replace=is_plan_file)
