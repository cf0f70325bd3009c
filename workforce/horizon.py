"""Run-out: the model looks past the plan's last year, so that decisions near the end are not cut short.

Why
---
A hire made in plan year y arrives in y + lead and a training start completes
in y + D.  In a model that stops at the plan's last year H, arrivals after H
are worth nothing, so international recruitment and training stop in the last
year(s) of the plan: an artefact of where the model ends, not advice.

Maths
-----
The run-out is a pure transformation of validated data, applied before the
model is built.  For a workbook with plan years 1..H and ``run_out_years`` R,
the model is built, unchanged, from the workbook extended to H + R years:

    Demand[r, y]  = Demand[r, H]    for y = H+1..H+R     (the last plan year repeated)
    Budget[b, y]  = Budget[b, H]    for y = H+1..H+R
    P[r, y]       = 0               for y = H+1..H+R     (nothing already committed)

and everything else (staff, rates, costs, caps, lead times, durations,
priorities, targets, pooled share) as in the plan years: a parameter the
workbook holds once holds in the run-out too, and one a scenario made differ
by year (``workforce.data.ByYear``) takes its last plan year's value in every
run-out year,

    θ[·, y]       = θ[·, H]         for y = H+1..H+R     (per-year parameters)

so a change a scenario makes "from 2027" goes on through the run-out, as a
change to the workbook's one value would.  So the solve is
exactly the solve of the workbook extended that way, and can be checked
independently (``benchmarks/bare_lp.py`` applies the same extension).  The
objectives O1, O2 and O3 are those of the extended model (plan and run-out
years); every sheet, headline and marginal value of the plan covers the plan
years 1..H only.  Hires and training starts may be made in every plan year
(their arrivals fall in the run-out), so none stops for lack of time.

Setting: ``[horizon] run_out_years`` in the policy file, a whole number ≥ 0 or
``"auto"`` = the longest recruitment lead time or training duration in the
workbook, at most :data:`MAX_AUTO_RUN_OUT_YEARS`.  0 gives the model without a
run-out.  The default, 5 in ``models/base.toml``, removes the end-of-horizon
artefacts of every sample (measured on the 42 samples of 2026, whose longest
lead time is 1 year and longest training 3 years): with no run-out,
international recruitment in the last plan year stops altogether (0 FTE,
against 6,751 with a 10-year run-out); with 3 years or more it does not
(6,754 with 3), and last-year hires, agency and vacancy are within 0.01% of
demand of the 10-year run-out in every sample.  5 rather than 3: as long as
any "auto" value, and on these samples the coupled national LP solved faster
with 5 run-out years than with 3 (8.5–10.4 s against 13.0–14.9 s; 3.6 s with
none: its solve time depends on the LP's path more than on its size, issue
13).  A policy file may choose any length, or "auto".

Symbols
-------
| symbol | code | unit | workbook column |
|---|---|---|---|
| H | `ModelData.horizon_years` (before extension) | years | ICS.horizon_years |
| R | `run_out_years(setting, data)` | years | models/base.toml horizon.run_out_years |
| Demand[r,y] | `ModelData.demand(role, y)` | FTE | Demand year columns (year H repeated) |
| Budget[b,y] | `ModelData.budget(holder, y)` | £ | Budget year columns (year H repeated) |
| P[r,y] | `ModelData.pipeline(role, y)` | FTE | Pipeline year columns (0 in the run-out) |
| θ[·,y] | `in_year(param, y)` for a `ByYear` parameter | as its column | a column a scenario changed by year (year H repeated) |
"""

from __future__ import annotations

from dataclasses import replace

from workforce.data import ModelData
from workforce.parameters import extend_per_year

AUTO = "auto"
MAX_AUTO_RUN_OUT_YEARS = 5


def auto_run_out_years(data: ModelData) -> int:
    """The longest recruitment lead time or training duration in ``data``, at most 5 years."""
    longest = max([c.lead_time_years for c in data.recruitment] + [k.duration_years for k in data.training]
                  + [0])
    return min(MAX_AUTO_RUN_OUT_YEARS, longest)


def run_out_years(setting: int | str, data: ModelData) -> int:
    """The run-out to use: ``setting`` itself, or :func:`auto_run_out_years` for ``"auto"``."""
    if setting == AUTO:
        return auto_run_out_years(data)
    if isinstance(setting, bool) or not isinstance(setting, int) or setting < 0:
        raise ValueError(f"run_out_years must be a whole number of at least 0 or 'auto', not {setting!r}")
    return setting


def extend(data: ModelData, years: int) -> ModelData:
    """``data`` with ``years`` run-out years: demand, budgets and per-year parameters repeat the last plan year,
    pipeline is 0."""
    if years == 0:
        return data
    data = extend_per_year(data, years)

    def repeat_last(values: tuple[float, ...]) -> tuple[float, ...]:
        return tuple(values) + (values[-1],) * years

    return replace(
        data,
        horizon_years=data.horizon_years + years,
        demand_fte={key: repeat_last(values) for key, values in data.demand_fte.items()},
        budget_gbp={holder: repeat_last(values) for holder, values in data.budget_gbp.items()},
        pipeline_fte={key: tuple(values) + (0.0,) * years for key, values in data.pipeline_fte.items()},
    )
