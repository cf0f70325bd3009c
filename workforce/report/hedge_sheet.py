"""The plan's "Hedged year 1" sheet: the hedged first year beside the central plan's, from ``workforce.futures.hedge``.

First how the two first years compare — on the S futures the hedged plan was
solved for (expected overspend, expected planning score: the guarantee) and
on the N fresh futures of the Range sheet (expected overspend, probability of
overspend, expected and P90 vacancy, with Monte Carlo standard errors) — then
every first-year decision either plan takes, in FTE and £ as each would be in
the central data, with the share of its limit that each plan holds to.

Printing (``workforce.report.page_breaks``): the comparison (11 rows) stays on
the first page below the title and notes; the decisions start the next page,
title and header at the top (unless the whole sheet fits on one page).  Excel
repeats one band of header rows per sheet (its print titles), so decisions
longer than a page continue without their header: measured at the sheet's
70%, 60 decisions (about 2 pages) on the samples, 99 (about 3 pages) on a
30-role ICS.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xlsxwriter.workbook import Workbook

from workforce.futures.summary import CENTRAL, HEDGED
from workforce.report.page_breaks import Stacked
from workforce.report.sheets import Column, Fmt, Styles, apply_widths, note_lines, print_setup, title, write_table

if TYPE_CHECKING:  # the plan writer reads a summary without loading the solver's modules
    from workforce.futures.hedge import HedgeSummary

HEDGE_SHEET = "Hedged year 1"
SHOWN_FTE = 0.05  # a decision both plans leave below this (FTE) is not listed


def _notes(summary: HedgeSummary) -> str:
    h = summary.hedge
    if h.certain:
        return ("The workbook gives no ranges (its Uncertainty sheet is missing or has no rows), so every future is "
                "the plan itself: the hedged first year is the central plan's, and every figure below is the plan's "
                "own.")
    return (f"The central plan's first year is the best for the central inputs. The hedged first year is chosen once "
            f"for {h.futures:,} futures drawn from the workbook's ranges (a draw of their own, not the Range sheet's), "
            "with later years re-planned in each: it minimises the expected overspend first, then the expected "
            "planning score (weighted unmet demand), then the expected cost. On those futures it is never worse than "
            "the central first year in that order. Both are then held in the Range sheet's "
            f"{summary.count:,} fresh futures (seed {summary.seed}), later years re-planned, which shows what each "
            "risks in futures it was not chosen for. A first-year decision is held as the same share of what each "
            "future allows (the international nurses available, the leavers a lever can reach); below, each is shown "
            "in FTE and £ as it would be with the central inputs, £ being the decision's own cost in the first year "
            "as the Actions sheet counts it (per hire, per start, per FTE retained or deployed; agency at salary "
            "and premium), not the salaries that follow. Use the hedged first year when the chance of "
            "overspend matters more than the last FTE of vacancy filled.")


def _comparison_rows(summary: HedgeSummary) -> list[list[object]]:
    h, oos = summary.hedge, summary.out_of_sample
    solved_for = f"{h.futures:,} it was solved for"
    fresh = f"{summary.count:,} fresh"
    rows: list[list[object]] = []

    def add(measure: str, unit: str, futures: str, central: float, hedged: float, digits: int) -> None:
        rows.append([measure, unit, futures, round(central, digits), round(hedged, digits),
                     round(hedged - central, digits)])

    add("Expected overspend (solved model)", "£", solved_for, h.expected[CENTRAL].overspend_gbp,
        h.expected[HEDGED].overspend_gbp, 0)
    add("Expected planning score (weighted unmet demand)", "FTE-years", solved_for,
        h.expected[CENTRAL].weighted_unmet, h.expected[HEDGED].weighted_unmet, 2)
    c, d = oos[CENTRAL], oos[HEDGED]
    add("Expected overspend (solved model)", "£", fresh, c.expected_overspend_gbp, d.expected_overspend_gbp, 0)
    add("Standard error of the expected overspend", "£", fresh, c.se_expected_overspend_gbp,
        d.se_expected_overspend_gbp, 0)
    add("Probability of overspend (some holder, some plan year)", "%", fresh, 100 * c.probability_of_overspend,
        100 * d.probability_of_overspend, 1)
    add("Standard error of the probability", "percentage points", fresh, 100 * c.se_probability_of_overspend,
        100 * d.se_probability_of_overspend, 1)
    add("Expected planning score (weighted unmet demand)", "FTE-years", fresh, c.expected_weighted_unmet,
        d.expected_weighted_unmet, 2)
    add("Expected vacancy, average over the plan years", "FTE", fresh, c.expected_vacancy_fte,
        d.expected_vacancy_fte, 1)
    add("P90 vacancy, average over the plan years", "FTE", fresh, c.p90_vacancy_fte, d.p90_vacancy_fte, 1)
    add("Expected vacancy rate over the plan years", "%", fresh, 100 * c.expected_vacancy_rate,
        100 * d.expected_vacancy_rate, 2)
    add("P90 vacancy rate over the plan years", "%", fresh, 100 * c.p90_vacancy_rate, 100 * d.p90_vacancy_rate, 2)
    return rows


def _decision_rows(summary: HedgeSummary) -> tuple[list[list[object]], int | None]:
    h = summary.hedge
    rows: list[list[object]] = []
    for i, d in enumerate(h.decisions):
        central_fte, hedged_fte = float(h.fte[CENTRAL][i]), float(h.fte[HEDGED][i])
        if max(central_fte, hedged_fte) < SHOWN_FTE:
            continue
        central_gbp, hedged_gbp = float(h.gbp[CENTRAL][i]), float(h.gbp[HEDGED][i])
        rows.append([d.action, d.name, d.sector, d.staff_group, d.detail, float(h.shares[CENTRAL][i]),
                     float(h.shares[HEDGED][i]), central_fte, hedged_fte, hedged_fte - central_fte, central_gbp,
                     hedged_gbp, hedged_gbp - central_gbp])
    if not rows:
        return [["[z]", "Neither plan takes a first-year decision", None, None, None, 0, 0, 0, 0, 0, 0, 0, 0]], None
    totals = [sum(float(r[c]) for r in rows) for c in range(10, 13)]  # type: ignore[arg-type]
    rows.append(["Total", "All first-year decisions listed", None, None, None, None, None, None, None, None, *totals])
    return rows, len(rows) - 1


def write_hedge(wb: Workbook, styles: Styles, summary: HedgeSummary) -> None:
    """The "Hedged year 1" sheet."""
    ws = wb.add_worksheet(HEDGE_SHEET)
    title(ws, styles, f"Hedged year 1: one first-year plan for {summary.hedge.futures:,} futures, beside the "
                      "central plan's")
    row = note_lines(ws, styles, 1, _notes(summary)) + 1
    widths: dict[int, float] = {}
    ws.write_string(row, 0, "How the two first years compare", styles.subtitle)
    compare = [Column("Measure", Fmt.WRAPPED, 34), Column("Unit"), Column("Futures", Fmt.WRAPPED, 16),
               Column("Central plan's first year (the row's unit)", Fmt.NUMBER),
               Column("Hedged first year (the row's unit)", Fmt.NUMBER),
               Column("Difference, hedged − central (the row's unit)", Fmt.NUMBER)]
    row = write_table(ws, styles, row + 1, compare, _comparison_rows(summary), name="Hedge_comparison",
                      widths=widths) + 1
    decisions_top = row
    ws.write_string(row, 0, "First-year decisions (in the central inputs)", styles.subtitle)
    decisions = [Column("Action"), Column("Name"), Column("Sector"), Column("Staff group", Fmt.WRAPPED, 20),
                 Column("Detail", Fmt.WRAPPED, 24), Column("Central plan: share of the limit (%)", Fmt.RATE),
                 Column("Hedged: share of the limit (%)", Fmt.RATE), Column("Central plan (FTE)", Fmt.FTE),
                 Column("Hedged (FTE)", Fmt.FTE), Column("Change (FTE)", Fmt.FTE),
                 Column("Central plan: first-year cost (£)", Fmt.GBP),
                 Column("Hedged: first-year cost (£)", Fmt.GBP), Column("Change in cost (£)", Fmt.GBP)]
    rows, total = _decision_rows(summary)
    row = write_table(ws, styles, row + 1, decisions, rows, name="Hedge_decisions", widths=widths,
                      emphasised=() if total is None else (total,))
    apply_widths(ws, widths)
    ws.print_area(0, 0, row, len(decisions) - 1)
    # The comparison stays on the first page below the title and notes; the decisions start the next one.
    print_setup(ws, widths=widths, repeat_cols=1, stacked=Stacked(row, (decisions_top,)))
