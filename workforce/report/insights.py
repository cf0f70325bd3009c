"""The plan's Insights sheet (what would help most, and why) and its "Extra £1m" sheet.

Both read ``workforce.answers`` (the single source the portal reads too):
binding limits grouped across years and ranked, short enough for one screen;
a plain-words reason for each role that misses its target; what pooled
budgets move and why; and what a full extra £1m does for each budget holder
and year, beside the local rate and the range it holds over.
"""

from __future__ import annotations

from xlsxwriter.workbook import Workbook

from workforce.answers import SHOWN, Answers
from workforce.answers.labels import NOT_AVAILABLE, NOT_APPLICABLE, PLANNING_SCORE_UNIT
from workforce.inputs.schema import year_label
from workforce.plan import Plan
from workforce.report.sheets import Column, Fmt, Styles, apply_widths, note_lines, print_setup, title, write_table

SENTENCE_WIDTH = 28
EXTRA_MILLION = "Extra £1m"


def write_insights(wb: Workbook, styles: Styles, plan: Plan, answers: Answers) -> None:
    ws = wb.add_worksheet("Insights")
    title(ws, styles, "What would help most, and why")
    widths: dict[int, float] = {0: 6}
    row = 2
    ws.write_string(row, 0, f"Binding limits, ranked (the top {SHOWN}; value = the planning score avoided by one more "
                            "unit in each year the limit binds, summed)", styles.subtitle)
    shown = answers.limits[:SHOWN]
    if shown:
        columns = [Column("Rank (number)", Fmt.INTEGER), Column("Limit", Fmt.WRAPPED, 46),
                   Column("Years it binds"), Column(f"Total value ({PLANNING_SCORE_UNIT})", Fmt.FTE_YEARS),
                   Column("Per extra (unit)")]
        rows = [[i, g.name, g.years_label, g.total_value, "£1m a year" if g.unit == "£1m" else "FTE a year"]
                for i, g in enumerate(shown, 1)]
        row = write_table(ws, styles, row + 1, columns, rows, name="Limits", autofilter=False, widths=widths)
        more = len(answers.limits) - len(shown)
        if more > 0:
            ws.write_string(row, 0, f"{more} more limits bind less; the Extra £1m sheet has every budget.",
                            styles.note)
        row += 2
    else:
        ws.write_string(row + 1, 0, "No limit binds: relaxing a cap or adding money would not cut the planning score.")
        row += 3
    row = _reasons(ws, styles, row, answers, widths)
    row = _transfers(ws, styles, row, answers, widths)
    if plan.warnings:
        ws.write_string(row, 0, "Warnings about the input", styles.subtitle)
        write_table(ws, styles, row + 1, [Column("Warning", Fmt.WRAPPED, 100)],
                    [[issue.message()] for issue in plan.warnings], name="Warnings", autofilter=False, widths=widths)
    apply_widths(ws, widths)
    print_setup(ws, widths=widths)


def _reasons(ws: object, styles: Styles, row: int, answers: Answers, widths: dict[int, float]) -> int:
    ws.write_string(row, 0, "Why targets are missed", styles.subtitle)  # type: ignore[attr-defined]
    if not answers.reasons:
        ws.write_string(row + 1, 0, "Every role meets its vacancy target in every year.")  # type: ignore[attr-defined]
        return row + 3
    columns = [Column("Rank (number)", Fmt.INTEGER), Column("Role and reason", Fmt.WRAPPED, 46 + 20),
               Column("Worst vacancy rate (%)", Fmt.RATE), Column("Target (%)", Fmt.RATE)]
    rows = [[i, r.sentence, r.worst_rate, r.target] for i, r in enumerate(answers.reasons, 1)]
    return write_table(ws, styles, row + 1, columns, rows, name="Reasons", autofilter=False, widths=widths) + 1


def _transfers(ws: object, styles: Styles, row: int, answers: Answers, widths: dict[int, float]) -> int:
    if not answers.transfers:
        return row
    ws.write_string(row, 0, "Pooled budgets: what moves, from whom to whom, and why", styles.subtitle)  # type: ignore[attr-defined]
    columns = [Column("Rank (number)", Fmt.INTEGER), Column("What moves and why", Fmt.WRAPPED, 66),
               Column("Total moved (£)", Fmt.GBP)]
    rows = [[i, t.sentence, t.total_gbp] for i, t in enumerate(answers.transfers, 1)]
    return write_table(ws, styles, row + 1, columns, rows, name="Pooled_budgets", autofilter=False,
                       widths=widths) + 1


def write_extra_million(wb: Workbook, styles: Styles, plan: Plan, answers: Answers) -> None:
    ws = wb.add_worksheet(EXTRA_MILLION)
    title(ws, styles, "What an extra £1m does, by budget holder and year (best first)")
    top = note_lines(ws, styles, 1, "Each row: the plan solved again with that one budget £1m higher. Local rate: "
                     "the same at the margin (per £1m), which holds only between 'rate holds from' and 'to'. "
                     f"{NOT_APPLICABLE} in 'to': no upper end; {NOT_AVAILABLE}: not available.")
    if not answers.million:
        ws.write_string(top, 0, "The plan has no budget holders.")
        return
    columns = [Column("Year"), Column("Budget holder", Fmt.WRAPPED, 19), Column("Budget (£)", Fmt.GBP),
               Column("Overspend avoided (£)", Fmt.GBP),
               Column(f"Planning score avoided ({PLANNING_SCORE_UNIT})", Fmt.FTE_YEARS),
               Column("Vacancy avoided (FTE-years)", Fmt.FTE_YEARS),
               Column(f"Local rate ({PLANNING_SCORE_UNIT} per £1m)", Fmt.FTE_YEARS),
               Column("Rate holds from (£)", Fmt.GBP), Column("Rate holds to (£)", Fmt.GBP),
               Column("What it means", Fmt.WRAPPED, SENTENCE_WIDTH)]
    rows = []
    for a in answers.million:
        v = a.value
        known = (v.overspend_avoided_gbp, v.weighted_unmet_avoided, v.vacancy_avoided_fte_years) if v.available \
            else (NOT_AVAILABLE,) * 3
        rows.append([year_label(v.year), v.holder, v.budget_gbp, *known, v.local_rate_per_million,
                     v.rate_holds_from_gbp, NOT_APPLICABLE if v.rate_holds_to_gbp is None else v.rate_holds_to_gbp,
                     a.sentence])
    widths: dict[int, float] = {}
    write_table(ws, styles, top, columns, rows, name="Extra_million", widths=widths)
    apply_widths(ws, widths)
    ws.freeze_panes(top + 1, 0)
    print_setup(ws, header_row=top, widths=widths, repeat_cols=2)
