"""Plausibility warnings: values that are valid but look like a slip of units or of the keyboard.

None of these stops a solve.  Each names the cell, the value and the likely slip; the plan's Insights sheet
repeats them (they travel with the plan as ``Plan.warnings``).

| check | threshold | likely slip |
|---|---|---|
| budget against the pay bill of its roles (Σ salary_cost × staff_in_post_fte) | below 20% or above 5× | £ millions for £; salaries in £ thousands |
| salary_cost | below £10,000 or above £400,000 per FTE-year | £ thousands for £; a group's pay bill for one FTE |
| agency_premium | above 3 (an agency FTE at 4× salary) | a percentage for a fraction (55 for 0.55) |
| leaver_rate | above 0.5 | — |
| demand and no staff in post | staff_in_post_fte = 0, some demand | staff in post left out |
| demand and no way in | no channel, training route, deployment into the role or pipeline | a role forgotten on an option sheet |
| demand year on year | rises more than 50% | an extra digit, a shifted column |
| demand against staff in post | first-year demand below half the staff | demand or staff of another role |

Rates above 1 in a column bounded by 1 are errors (``workforce.inputs.cells``); they carry the same
percentage hint.  Duplicate options are warned about where options are checked (``validate``).
"""

from __future__ import annotations

from dataclasses import dataclass

from workforce.data import RoleKey
from workforce.inputs.cells import Row, YearlyRow, key_text, percent_slip
from workforce.inputs.issues import Issue, show_value, warning
from workforce.inputs.schema import year_label

BUDGET_LOW_SHARE = 0.2  # budget below 20% of the pay bill of its roles
BUDGET_HIGH_MULTIPLE = 5.0  # budget above 5× the pay bill
SALARY_LOW_GBP = 10_000.0
SALARY_HIGH_GBP = 400_000.0
AGENCY_PREMIUM_HIGH = 3.0
LEAVER_RATE_HIGH = 0.5
DEMAND_JUMP = 1.5  # demand more than 50% above the year before


@dataclass(frozen=True)
class CheckedSheets:
    """What the plausibility checks read: validated rows by role or holder, and where each sheet is."""

    workforce_title: str
    demand_title: str
    budget_title: str
    roles: dict[RoleKey, Row]
    demand: dict[RoleKey, YearlyRow]
    budget: dict[str, YearlyRow]  # key_text(holder) -> row
    ways_in: frozenset[RoleKey]  # roles a channel, training route, deployment or pipeline can fill


def _number(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _first_demand(row: YearlyRow | None) -> tuple[int, float] | None:
    """The first year with demand, and that demand."""
    if row is None:
        return None
    return next(((y, v) for y, v in sorted(row.by_year.items()) if v > 0), None)


def _salary_hint(salary: float) -> str:
    """After "did you type £ thousands?": the pounds it would be, where that is a plausible salary."""
    if SALARY_LOW_GBP <= salary * 1000 <= SALARY_HIGH_GBP:
        return f"£{salary * 1000:,.0f} is {salary * 1000:.0f}"
    return "Or a monthly, weekly or part-time amount? Give the cost of one full-time post for a year"


def role_warnings(sheets: CheckedSheets) -> list[Issue]:
    """Per-role checks on the Workforce sheet (salary, agency premium, leavers, staff, ways in)."""
    issues: list[Issue] = []
    sheet = sheets.workforce_title
    for key, row in sheets.roles.items():
        v, cells = row.values, row.cells
        salary, premium = _number(v.get("salary_cost")), _number(v.get("agency_premium"))
        rate, staff = _number(v.get("leaver_rate")), _number(v.get("staff_in_post_fte"))
        if salary is not None and salary < SALARY_LOW_GBP:
            issues.append(warning(sheet, cells["salary_cost"], "salary_cost", show_value(v["salary_cost"]),
                                  f"a cost of at least £{SALARY_LOW_GBP:,.0f} per FTE-year (salary plus on-costs): "
                                  f"did you type £ thousands? {_salary_hint(salary)}"))
        elif salary is not None and salary > SALARY_HIGH_GBP:
            issues.append(warning(sheet, cells["salary_cost"], "salary_cost", show_value(v["salary_cost"]),
                                  f"a cost of at most £{SALARY_HIGH_GBP:,.0f} per FTE-year: is this the pay bill of "
                                  "the whole group rather than the cost of one FTE, or an amount in pence?"))
        if premium is not None and premium > AGENCY_PREMIUM_HIGH:
            slip = percent_slip(premium) if premium <= 100 else "write the premium as a fraction: 0.55 is 55%"
            issues.append(warning(sheet, cells["agency_premium"], "agency_premium", show_value(v["agency_premium"]),
                                  f"an agency premium of at most {AGENCY_PREMIUM_HIGH:g} (agency at "
                                  f"{AGENCY_PREMIUM_HIGH + 1:g}× salary): {slip}"))
        if rate is not None and rate > LEAVER_RATE_HIGH:
            issues.append(warning(sheet, cells["leaver_rate"], "leaver_rate", show_value(v["leaver_rate"]),
                                  "a leaver rate below 0.5 (more than half the staff leaving each year is unusual)"))
        issues += _demand_against_role(sheets, key, row, staff)
    return issues


def _demand_against_role(sheets: CheckedSheets, key: RoleKey, row: Row, staff: float | None) -> list[Issue]:
    sheet, demand = sheets.workforce_title, sheets.demand.get(key)
    if demand is None or not demand.by_year:
        return []
    label = f"{key[0]} / {key[1]}"
    first = _first_demand(demand)
    if first is None:
        return [warning(sheet, f"row {row.number}", "", label, "some demand for this role: it is zero in every year")]
    issues: list[Issue] = []
    year, fte = first
    when = f"{fte:,.1f} FTE in {year_label(year)}"
    if staff == 0:
        issues.append(warning(sheet, row.cells["staff_in_post_fte"], "staff_in_post_fte", "0",
                              f"staff in post for a role with demand ({when}): the role starts empty; if it is "
                              "not a new service, type its staff in post"))
    elif staff is not None and demand.by_year[min(demand.by_year)] < 0.5 * staff:
        issues.append(warning(sheet, row.cells["staff_in_post_fte"], "staff_in_post_fte", f"{staff:g}",
                              f"demand near staff in post: demand in the first year is "
                              f"{demand.by_year[min(demand.by_year)]:g} FTE, less than half of it"))
    if key not in sheets.ways_in:
        issues.append(warning(sheet, row.cells.get("staff_group", f"row {row.number}"), "staff_group", label,
                              f"a way to fill a role with demand ({when}): nothing in this workbook can fill this "
                              "role (no recruitment channel, training route, deployment into it or pipeline); "
                              "add a row on the Recruitment sheet, or only agency staff can cover it"))
    return issues


def demand_jumps(sheets: CheckedSheets) -> list[Issue]:
    """Demand more than 50% above the year before, at the cell of the later year."""
    issues: list[Issue] = []
    for row in sheets.demand.values():
        years = sorted(row.by_year)
        for before, year in zip(years, years[1:]):
            previous, value = row.by_year[before], row.by_year[year]
            if previous > 0 and value > DEMAND_JUMP * previous:
                issues.append(warning(sheets.demand_title, row.year_cells.get(year, f"row {row.number}"),
                                      year_label(year), f"{value:g}",
                                      f"demand within 50% of the year before ({previous:g} FTE in "
                                      f"{year_label(before)}); this is {value / previous:.1f}× it: is a digit "
                                      "extra, or a column shifted?"))
    return issues


def budget_warnings(sheets: CheckedSheets) -> list[Issue]:
    """Each holder's budget against the pay bill of the roles it pays for; one warning per holder."""
    pay_bill: dict[str, float] = {}
    for row in sheets.roles.values():
        holder, salary = row.values.get("budget_holder"), _number(row.values.get("salary_cost"))
        staff = _number(row.values.get("staff_in_post_fte"))
        if isinstance(holder, str) and salary is not None and staff is not None:
            pay_bill[key_text(holder)] = pay_bill.get(key_text(holder), 0.0) + salary * staff
    issues: list[Issue] = []
    for holder, row in sheets.budget.items():
        bill = pay_bill.get(holder, 0.0)
        if bill <= 0:
            continue
        odd = [(y, v) for y, v in sorted(row.by_year.items())
               if v > 0 and not BUDGET_LOW_SHARE * bill <= v <= BUDGET_HIGH_MULTIPLE * bill]
        if not odd:
            continue
        year, value = odd[0]
        others = f" (also in {len(odd) - 1} other year(s))" if len(odd) > 1 else ""
        basis = f"the pay bill of its roles (£{bill:,.0f} a year: salary_cost × staff_in_post_fte)"
        if value < BUDGET_LOW_SHARE * bill:
            share = f"{value / bill:.0%}" if value >= 0.01 * bill else "less than 1%"
            expected = (f"a budget of at least {BUDGET_LOW_SHARE:.0%} of {basis}; this is {share} of it"
                        f"{others}: did you type £ millions? Budgets are in pounds: £62m is 62000000")
        else:
            expected = (f"a budget of at most {BUDGET_HIGH_MULTIPLE:g}× {basis}; this is {value / bill:,.0f}× it"
                        f"{others}: are the salaries of these roles in £ thousands, or is the budget in pence? "
                        "Both are in pounds")
        issues.append(warning(sheets.budget_title, row.year_cells.get(year, f"row {row.number}"), year_label(year),
                              show_value(value), expected))
    return issues


def plausibility_warnings(sheets: CheckedSheets) -> list[Issue]:
    """Every plausibility warning, Workforce sheet first."""
    return role_warnings(sheets) + demand_jumps(sheets) + budget_warnings(sheets)
