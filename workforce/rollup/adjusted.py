"""A scenario's adjustments in a national roll-up: applied to each ICS's data; misfits rejected, no-match warned.

Independent ICS plans apply them in their workers (``workforce.rollup.tasks.solve_and_write`` through
``plan_for``); a coupled national plan builds every ICS's LP in the roll-up's own process, so the data are
adjusted here first (:func:`adjust_for_scenario`).  Decided for issue 11: an adjustment that matches no row
of one ICS (a channel it does not use) is a warning for that ICS — the scenario still applies to the others —
while one that gives a value outside its column's range, or names a year outside that ICS's plan, rejects
that ICS with the message, as a workbook error would.
"""

from __future__ import annotations

from dataclasses import replace

from workforce.plan import Plan
from workforce.rollup.outcome import IcsOutcome
from workforce.rollup.tasks import Checked
from workforce.scenario import Scenario
from workforce.scenarios.adjustment import Applied
from workforce.scenarios.apply import AdjustmentError, apply_adjustments, unmatched_warning

MISFIT = "the scenario's adjustments cannot be applied to this ICS: "


def adjust_for_scenario(accepted: list[Checked], scenario: Scenario
                        ) -> tuple[list[Checked], list[tuple[Checked, str]], dict[str, tuple[Applied, ...]]]:
    """Each workbook with the scenario's data (warnings for adjustments that match nothing added to its issues);
    the workbooks it does not fit, with why; and what each adjustment did, by ICS code."""
    if not scenario.adjustments:
        return accepted, [], {c.data.ics_code: () for c in accepted if c.data is not None}
    fits, misfits, applied = [], [], {}
    for c in accepted:
        assert c.data is not None
        try:
            done = apply_adjustments(c.data, scenario.adjustments, scenario.label, unmatched_ok=True)
        except AdjustmentError as exc:
            misfits.append((c, MISFIT + "; ".join(exc.problems)))
            continue
        extra = tuple(unmatched_warning(a, scenario.label) for a in done.applied if not a.rows_matched)
        fits.append(replace(c, data=done.data, issues=c.issues + extra))
        applied[c.data.ics_code] = done.applied
    return fits, misfits, applied


def with_scenario(plan: Plan, scenario: Scenario, applied: tuple[Applied, ...]) -> Plan:
    """``plan`` naming the scenario it was made under and what it changed."""
    return replace(plan, scenario_name=scenario.label, adjustments=applied)


def unmatched_notes(ics: list[IcsOutcome]) -> list[str]:
    """One line per ICS and adjustment that matched no row there, for the roll-up's summary."""
    notes = []
    for o in ics:
        if o.plan is None:
            continue
        for a in o.plan.adjustments:
            if not a.rows_matched:
                notes.append(f'{o.ics_code}: adjustment {a.number} of "{o.plan.scenario_name}" '
                             f"({a.adjustment.describe()}) matches no row there; it changes nothing in that ICS")
    return notes
