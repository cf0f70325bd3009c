"""What-ifs from the portal's form: the same adjustments as a scenario file's ``[[adjust]]``, validated the same way.

The form (``templates/_whatif_form.html``) has a name and up to :data:`FORM_ROWS` adjustment rows; each row has
a sheet and column, a change (multiply, add, set), a value, an optional filter (a name column and one name)
and optional plan years.  :func:`whatif_from_form` turns a filled-in row into exactly the table a scenario file
would hold — ``{"table": ..., "column": ..., "set": 0, "where": {"channel": "International"}, "years": [2027]}``
— and checks it with :func:`workforce.scenarios.adjustment.parse_adjustment`, the function that checks files.
What can only be checked against the workbook (a filter that matches no row, a year outside the plan, a value
out of range once applied) is checked in the worker, before anything is solved, exactly as ``workforce
compare`` does.  A what-if is stored as ``{"name": ..., "adjustments": [table, ...]}`` (plain JSON) and read
back with :func:`scenario_of`.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import replace

from workforce.parameters import COLUMNS, SHEETS, Years
from workforce.scenario import NAME_MAX_LENGTH, Scenario
from workforce.scenarios.adjustment import Operation, parse_adjustment

FORM_ROWS = 3  # adjustment rows on the form
MAX_WHATIFS = 4  # what-ifs compared at once with the base (the benchmark: four scenarios)
CHANGE_WORDS = {Operation.MULTIPLY.value: "Multiply by", Operation.ADD.value: "Add", Operation.SET.value: "Set to"}


def column_choices() -> list[tuple[str, str]]:
    """(value, label) for the form's sheet-and-column list: every number a scenario may adjust."""
    found = []
    for c in COLUMNS:
        unit = f", {c.spec.unit}" if c.spec.unit else ""
        note = "" if c.years is not Years.ONCE else ", every year only"
        found.append((f"{c.sheet.name}:{c.name}", f"{c.sheet.name}: {c.name}{unit}{note}"))
    return found


def filter_choices() -> list[str]:
    """Every name column a filter may use (each sheet accepts its own: the check says which)."""
    return sorted({name for sheet in SHEETS for name in sheet.names})


def _text(form: Mapping[str, object], key: str) -> str:
    value = form.get(key, "")
    return value.strip() if isinstance(value, str) else ""


Errors = dict[str, str]  # form field id -> what is wrong with it, in the order of the fields on the page


def _add(errors: Errors, field: str, message: str) -> None:
    errors[field] = f"{errors[field]}; {message}" if field in errors else message


def _field_of(problem: str, i: int) -> str:
    """The field a problem of :func:`parse_adjustment` is about, for the error summary's link."""
    if "'where'" in problem:
        return f"where_column_{i}"
    if "'years'" in problem or "take 'years'" in problem:
        return f"years_{i}"
    if "exactly one of multiply" in problem:
        return f"change_{i}"
    if "expected a number" in problem:
        return f"value_{i}"
    return f"column_{i}"


def _row(form: Mapping[str, object], i: int, plan_years: list[int], errors: Errors) -> dict[str, object] | None:
    """Row ``i`` as a scenario file's table (``None`` for a row left empty); its problems go into ``errors``."""
    target, change, value = _text(form, f"column_{i}"), _text(form, f"change_{i}"), _text(form, f"value_{i}")
    if not target and not value:
        return None
    before = len(errors)
    table, _, column = target.partition(":")
    raw: dict[str, object] = {"table": table, "column": column}
    if not target:
        _add(errors, f"column_{i}", f"Adjustment {i}: choose the sheet and column to change")
    try:
        number = float(value.replace(",", ""))
        if not math.isfinite(number):
            raise ValueError(value)
    except ValueError:
        _add(errors, f"value_{i}", f"Adjustment {i}: the value is \"{value}\"; enter a number (rates as fractions: "
                                   "5% is 0.05)")
        number = 0.0
    if change not in CHANGE_WORDS:
        _add(errors, f"change_{i}", f"Adjustment {i}: choose multiply by, add or set to")
    else:
        raw[change] = number
    where_column, where_name = _text(form, f"where_column_{i}"), _text(form, f"where_name_{i}")
    if where_column and where_name:
        raw["where"] = {where_column: where_name}
    elif where_name:
        _add(errors, f"where_column_{i}", f"Adjustment {i}: choose the column the name \"{where_name}\" is in")
    elif where_column:
        _add(errors, f"where_name_{i}", f"Adjustment {i}: enter the {where_column} to change, or choose every row")
    years = form.get(f"years_{i}", [])
    years = [years] if isinstance(years, str) else list(years)  # type: ignore[arg-type]
    if years:
        chosen = [int(y) for y in years if str(y).isdigit() and int(y) in plan_years]
        if len(chosen) != len(years):
            _add(errors, f"years_{i}", f"Adjustment {i}: choose plan years from the list")
        raw["years"] = chosen
    flagged = set(list(errors)[before:])
    for problem in parse_adjustment(raw, "")[1]:  # what a scenario file's [[adjust]] would be refused for
        if _field_of(problem, i) not in flagged:
            _add(errors, _field_of(problem, i), f"Adjustment {i}{problem}")
    return raw


def whatif_from_form(form: Mapping[str, object], plan_years: list[int], taken: list[str]
                     ) -> tuple[dict[str, object] | None, Errors]:
    """The what-if a submitted form describes, or every problem with it by field (``taken``: names in use)."""
    name = " ".join(_text(form, "name").split())
    errors: Errors = {}
    if not name:
        errors["whatif-name"] = "Enter a name for the what-if, e.g. No international recruitment from 2027"
    elif len(name) > NAME_MAX_LENGTH:
        errors["whatif-name"] = f"The name has {len(name)} characters: keep it to {NAME_MAX_LENGTH}"
    elif name.casefold() in {t.casefold() for t in taken + ["Base"]}:
        errors["whatif-name"] = f"\"{name}\" is already the name of a scenario here: give this what-if its own"
    adjustments = [raw for i in range(1, FORM_ROWS + 1) if (raw := _row(form, i, plan_years, errors)) is not None]
    if not adjustments and "column_1" not in errors:
        errors["column_1"] = "Fill in at least one adjustment: a sheet and column, a change and a value"
    if errors:
        order = ["whatif-name"] + [f"{field}_{i}" for i in range(1, FORM_ROWS + 1)
                                   for field in ("column", "change", "value", "where_column", "where_name", "years")]
        return None, {field: errors[field] for field in order if field in errors}
    return {"name": name, "adjustments": adjustments}, {}


def scenario_of(whatif: Mapping[str, object], base: Scenario) -> Scenario:
    """The policy a stored what-if stands for: the base policy with its name and adjustments (checked again,
    as a file's are)."""
    from workforce.scenario import ScenarioError

    name = str(whatif["name"])
    adjustments, problems = [], []
    for i, raw in enumerate(whatif["adjustments"], start=1):  # type: ignore[arg-type]
        adjustment, found = parse_adjustment(raw, f'adjustment {i} of "{name}"')
        problems += found
        if adjustment is not None:
            adjustments.append(adjustment)
    if problems:
        raise ScenarioError(problems)
    return replace(base, name=name, adjustments=tuple(adjustments), path=f"what-if \"{name}\" (portal form)",
                   text=f"# what-if from the portal form\n{whatif!r}")


def describe(whatif: Mapping[str, object]) -> list[str]:
    """Each adjustment of a stored what-if in words (for the page)."""
    from workforce.scenarios.adjustment import parse_adjustment as parse

    found = []
    for raw in whatif["adjustments"]:  # type: ignore[union-attr]
        adjustment, _ = parse(raw, "")
        if adjustment is not None:
            found.append(adjustment.describe())
    return found


def comparison_summary(columns: list[tuple[str, tuple[object, ...]]]) -> dict[str, object]:
    """What the comparison page shows, one value per scenario (base first), each the sum of the column's plans:
    objectives, the planning score, role-years missing their target; vacancy rates against target by family and
    year; spend, overspend and agency by year.  The figures of the comparison workbook's Comparison sheet."""
    from workforce.answers.headlines import planning_score
    from workforce.inputs.schema import year_label
    from workforce.report.comparison import family_keys, summed_families, summed_money

    plans = [tuple(p) for _, p in columns]
    families = [summed_families(p) for p in plans]  # type: ignore[arg-type]
    money = [summed_money(p) for p in plans]  # type: ignore[arg-type]
    return {
        "scenarios": [{"name": name, "ics": len(p),
                       "objectives": {key: sum(q.objectives.as_dict()[key] for q in p)  # type: ignore[attr-defined]
                                      for key in ("objective_overspend_gbp", "objective_unmet_fte_years",
                                                  "objective_cost_gbp")},
                       "planning_score": sum(planning_score(q) for q in p),  # type: ignore[arg-type]
                       "targets_missed": sum(len(q.targets_missed()) for q in p)}  # type: ignore[attr-defined]
                      for (name, _), p in zip(columns, plans)],
        "vacancy": [{"family": fam, "year": year_label(y), "target_rate": families[0][(fam, y)].target_rate,
                     "rates": [f[(fam, y)].vacancy_rate for f in families],
                     "fte": [f[(fam, y)].vacancy_fte for f in families]} for fam, y in family_keys(families)],
        "money": [{"year": year_label(m.year), "spend_gbp": [money[i][k].spend_gbp for i in range(len(plans))],
                   "overspend_gbp": [money[i][k].overspend_gbp for i in range(len(plans))],
                   "agency_fte": [money[i][k].agency_fte for i in range(len(plans))]}
                  for k, m in enumerate(money[0])],
    }
