"""Every number of :class:`ModelData`, by the workbook sheet and column it comes from.

One table (:data:`COLUMNS`) says, for each (sheet, column) of the input
workbook that holds a number: which records of ``ModelData`` it became, how to
read and replace its value in a record, the names a record can be picked out
by (its sheet's name columns), its valid range (the schema's ``ColumnSpec``,
so a changed value is checked exactly as a typed one), and how it runs over
the years:

- ``SERIES``: the year columns of Demand, Budget and Pipeline, one value per
  plan year (the column is called ``amount``);
- ``PARAM``: one value the workbook holds for all years, which a scenario may
  make differ by year (``workforce.data.ByYear``);
- ``ONCE``: one value, never per year: the staff in post at the start of the
  plan, and the whole-number lead times and training durations (they index
  the model's variables; a per-year duration would change which cohorts
  exist, which this model does not do).

Two stages read it and nothing else needs to know how ``ModelData`` is laid
out: the run-out (``workforce/horizon.py`` extends per-year parameters past
the plan) and scenario adjustments (``workforce/scenarios``).  Records of the
yearly sheets are ``(key, values)`` pairs of ``ModelData``'s dictionaries;
the ICS sheet's one record is the ``ModelData`` itself.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import Enum
from typing import Any

from workforce.data import ByYear, ModelData, role_label
from workforce.inputs.schema import (
    BUDGET,
    DEMAND,
    DEPLOYMENT,
    ICS,
    PIPELINE,
    RECRUITMENT,
    RETENTION,
    TRAINING,
    WORKFORCE,
    ColumnSpec,
    Kind,
    SheetSpec,
)

AMOUNT = "amount"  # the year columns of Demand, Budget and Pipeline

Record = Any  # a Role, RecruitmentChannel, ... ; a (key, values) pair; or the ModelData (ICS sheet)


class Years(str, Enum):
    """How a column runs over the years."""

    SERIES = "series"  # one value per plan year (year columns)
    PARAM = "param"  # one value for all years, which may be made per year
    ONCE = "once"  # one value, never per year


@dataclass(frozen=True, eq=False)  # compared by identity: one object per sheet
class Sheet:
    """A sheet as ``ModelData`` holds it: its records, and the names each can be picked out by."""

    name: str
    records: Callable[[ModelData], tuple[Record, ...]]
    with_records: Callable[[ModelData, tuple[Record, ...]], ModelData]
    names: Mapping[str, Callable[[Record], str]]  # name column -> the record's name in it
    label: Callable[[Record], str]  # the record in words, for messages


@dataclass(frozen=True)
class Column:
    """One numeric column: where its values are in ``ModelData``, its valid range and how it runs over years."""

    sheet: Sheet
    name: str
    spec: ColumnSpec
    get: Callable[[Record], Any]  # float | ByYear | int, or a tuple of values per plan year (SERIES)
    put: Callable[[Record, Any], Record]
    years: Years


def _role_names(sector: Callable[[Record], str], group: Callable[[Record], str]
                ) -> dict[str, Callable[[Record], str]]:
    return {"sector": sector, "staff_group": group}


def _series_sheet(spec: SheetSpec, field: str) -> Sheet:
    """Demand, Budget or Pipeline: ``(key, values)`` records from the ``ModelData`` dictionary ``field``."""
    by_holder = spec is BUDGET

    def records(d: ModelData) -> tuple[Record, ...]:
        held = {"demand_fte": d.demand_fte, "budget_gbp": d.budget_gbp, "pipeline_fte": d.pipeline_fte}[field]
        return tuple(held.items())

    def with_records(d: ModelData, rows: tuple[Record, ...]) -> ModelData:
        return replace(d, **{field: dict(rows)})

    names = ({"budget_holder": lambda r: r[0]} if by_holder
             else _role_names(lambda r: r[0][0], lambda r: r[0][1]))
    label = (lambda r: r[0]) if by_holder else (lambda r: role_label(r[0]))
    return Sheet(spec.name, records, with_records, names, label)


WORKFORCE_SHEET = Sheet(
    WORKFORCE.name, lambda d: d.roles, lambda d, rows: replace(d, roles=rows),
    {**_role_names(lambda r: r.sector, lambda r: r.staff_group), "budget_holder": lambda r: r.budget_holder},
    lambda r: r.label)
RECRUITMENT_SHEET = Sheet(
    RECRUITMENT.name, lambda d: d.recruitment, lambda d, rows: replace(d, recruitment=rows),
    {"channel": lambda r: r.channel, **_role_names(lambda r: r.role[0], lambda r: r.role[1])},
    lambda r: f"{r.channel} recruitment of {role_label(r.role)}")
RETENTION_SHEET = Sheet(
    RETENTION.name, lambda d: d.retention, lambda d, rows: replace(d, retention=rows),
    {"lever": lambda r: r.lever, **_role_names(lambda r: r.role[0], lambda r: r.role[1])},
    lambda r: f"{r.lever} for {role_label(r.role)}")
DEPLOYMENT_SHEET = Sheet(
    DEPLOYMENT.name, lambda d: d.deployment, lambda d, rows: replace(d, deployment=rows),
    {"from_sector": lambda r: r.from_role[0], "from_staff_group": lambda r: r.from_role[1],
     "to_sector": lambda r: r.to_role[0], "to_staff_group": lambda r: r.to_role[1]},
    lambda r: f"deployment of {role_label(r.from_role)} to {role_label(r.to_role)}")
TRAINING_SHEET = Sheet(
    TRAINING.name, lambda d: d.training, lambda d, rows: replace(d, training=rows),
    {"route": lambda r: r.route, "sector": lambda r: r.from_role[0], "from_staff_group": lambda r: r.from_role[1],
     "to_staff_group": lambda r: r.to_role[1]},
    lambda r: f"{r.route} from {role_label(r.from_role)} to {r.to_role[1]}")
ICS_SHEET = Sheet(ICS.name, lambda d: (d,), lambda d, rows: rows[0], {}, lambda _r: "the ICS")
DEMAND_SHEET = _series_sheet(DEMAND, "demand_fte")
BUDGET_SHEET = _series_sheet(BUDGET, "budget_gbp")
PIPELINE_SHEET = _series_sheet(PIPELINE, "pipeline_fte")


def _amount(sheet: Sheet, spec: SheetSpec) -> Column:
    unit = spec.year_unit
    column = ColumnSpec(AMOUNT, Kind.NUMBER, spec.year_description, unit=unit, minimum=spec.year_minimum)
    return Column(sheet, AMOUNT, column, lambda r: r[1], lambda r, v: (r[0], tuple(v)), Years.SERIES)


COLUMNS: tuple[Column, ...] = (
    Column(WORKFORCE_SHEET, "staff_in_post_fte", WORKFORCE.column("staff_in_post_fte"),
           lambda r: r.staff_in_post_fte, lambda r, v: replace(r, staff_in_post_fte=v), Years.ONCE),
    Column(WORKFORCE_SHEET, "leaver_rate", WORKFORCE.column("leaver_rate"),
           lambda r: r.leaver_rate, lambda r, v: replace(r, leaver_rate=v), Years.PARAM),
    Column(WORKFORCE_SHEET, "new_starter_leaver_rate", WORKFORCE.column("new_starter_leaver_rate"),
           lambda r: r.new_starter_leaver_rate,
           lambda r, v: replace(r, new_starter_leaver_rate=v), Years.PARAM),
    Column(WORKFORCE_SHEET, "salary_cost", WORKFORCE.column("salary_cost"),
           lambda r: r.salary_cost_gbp, lambda r, v: replace(r, salary_cost_gbp=v), Years.PARAM),
    Column(WORKFORCE_SHEET, "agency_premium", WORKFORCE.column("agency_premium"),
           lambda r: r.agency_premium, lambda r, v: replace(r, agency_premium=v), Years.PARAM),
    Column(WORKFORCE_SHEET, "agency_max_share", WORKFORCE.column("agency_max_share"),
           lambda r: r.agency_max_share, lambda r, v: replace(r, agency_max_share=v), Years.PARAM),
    Column(WORKFORCE_SHEET, "vacancy_target", WORKFORCE.column("vacancy_target"),
           lambda r: r.vacancy_target, lambda r, v: replace(r, vacancy_target=v), Years.PARAM),
    Column(WORKFORCE_SHEET, "priority", WORKFORCE.column("priority"),
           lambda r: r.priority, lambda r, v: replace(r, priority=v), Years.PARAM),
    _amount(DEMAND_SHEET, DEMAND),
    Column(RECRUITMENT_SHEET, "cost_per_hire", RECRUITMENT.column("cost_per_hire"),
           lambda r: r.cost_per_hire_gbp, lambda r, v: replace(r, cost_per_hire_gbp=v), Years.PARAM),
    Column(RECRUITMENT_SHEET, "max_hires_per_year", RECRUITMENT.column("max_hires_per_year"),
           lambda r: r.max_hires_per_year_fte, lambda r, v: replace(r, max_hires_per_year_fte=v), Years.PARAM),
    Column(RECRUITMENT_SHEET, "lead_time_years", RECRUITMENT.column("lead_time_years"),
           lambda r: r.lead_time_years, lambda r, v: replace(r, lead_time_years=v), Years.ONCE),
    Column(RETENTION_SHEET, "cost_per_fte_retained", RETENTION.column("cost_per_fte_retained"),
           lambda r: r.cost_per_fte_retained_gbp, lambda r, v: replace(r, cost_per_fte_retained_gbp=v), Years.PARAM),
    Column(RETENTION_SHEET, "max_leaver_reduction", RETENTION.column("max_leaver_reduction"),
           lambda r: r.max_leaver_reduction, lambda r, v: replace(r, max_leaver_reduction=v), Years.PARAM),
    Column(DEPLOYMENT_SHEET, "max_share", DEPLOYMENT.column("max_share"),
           lambda r: r.max_share, lambda r, v: replace(r, max_share=v), Years.PARAM),
    Column(DEPLOYMENT_SHEET, "cost_per_fte", DEPLOYMENT.column("cost_per_fte"),
           lambda r: r.cost_per_fte_gbp, lambda r, v: replace(r, cost_per_fte_gbp=v), Years.PARAM),
    Column(DEPLOYMENT_SHEET, "efficiency", DEPLOYMENT.column("efficiency"),
           lambda r: r.efficiency, lambda r, v: replace(r, efficiency=v), Years.PARAM),
    Column(TRAINING_SHEET, "duration_years", TRAINING.column("duration_years"),
           lambda r: r.duration_years, lambda r, v: replace(r, duration_years=v), Years.ONCE),
    Column(TRAINING_SHEET, "cost_per_start", TRAINING.column("cost_per_start"),
           lambda r: r.cost_per_start_gbp, lambda r, v: replace(r, cost_per_start_gbp=v), Years.PARAM),
    Column(TRAINING_SHEET, "max_starts_per_year", TRAINING.column("max_starts_per_year"),
           lambda r: r.max_starts_per_year_fte, lambda r, v: replace(r, max_starts_per_year_fte=v), Years.PARAM),
    Column(TRAINING_SHEET, "completion_rate", TRAINING.column("completion_rate"),
           lambda r: r.completion_rate, lambda r, v: replace(r, completion_rate=v), Years.PARAM),
    Column(TRAINING_SHEET, "work_contribution", TRAINING.column("work_contribution"),
           lambda r: r.work_contribution, lambda r, v: replace(r, work_contribution=v), Years.PARAM),
    _amount(BUDGET_SHEET, BUDGET),
    _amount(PIPELINE_SHEET, PIPELINE),
    Column(ICS_SHEET, "pooled_budget_share", ICS.column("pooled_budget_share"),
           lambda d: d.pooled_budget_share, lambda d, v: replace(d, pooled_budget_share=v), Years.PARAM),
)

SHEETS: tuple[Sheet, ...] = tuple(dict.fromkeys(c.sheet for c in COLUMNS))


def columns_of(sheet: Sheet) -> tuple[Column, ...]:
    """The numeric columns of ``sheet``, in workbook order."""
    return tuple(c for c in COLUMNS if c.sheet is sheet)


def extend_per_year(data: ModelData, years: int) -> ModelData:
    """``data`` with every per-year parameter (``ByYear``) longer by ``years``, repeating its last value.

    Parameters held as one number already hold for every year, and are left as they are.
    """
    if years == 0:
        return data
    for sheet in SHEETS:
        params = [c for c in columns_of(sheet) if c.years is Years.PARAM]
        records = sheet.records(data)
        extended = []
        for record in records:
            for column in params:
                value = column.get(record)
                if isinstance(value, ByYear):
                    record = column.put(record, ByYear(value.values + (value.values[-1],) * years))
            extended.append(record)
        if any(a is not b for a, b in zip(extended, records)):
            data = sheet.with_records(data, tuple(extended))
    return data
