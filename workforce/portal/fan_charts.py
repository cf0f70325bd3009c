"""A plan's futures on its submission page: fan charts as inline SVG, each beside its table, and the overspend risk.

The figures are the plan workbook's own Range sheet (``workforce.futures.summary.range_json``, stored with the
submission by the worker); nothing is computed here but positions on the chart.  What the page shows, for the
futures with the plan's first year held (the risk of committing to it): the vacancy rate of the NHS and of adult
social care by year — P10 to P90 as a band, the median as a solid line with circles, the plan as a dashed line
with squares — and, per budget holder and year, the probability of overspend with its standard error and the
P90 overspend.

Accessibility (WCAG 2.2 AA): each chart is an ``<svg role="img">`` named by its ``<title>`` (aria-labelledby)
and described (aria-describedby) by a ``<desc>`` that states the first and last years' figures; the same figures
are in the table beside it, so nothing is shown by the chart alone.  Lines and band edges are at least 3:1 against white; colours come from the style
sheet (classes only: the content-security policy forbids inline styles).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import Markup, escape

HELD = "central"  # range_json's key for the futures with the plan's first year held
WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 40, 16, 40  # plot margins, px
TICKS = 5


@dataclass(frozen=True)
class FanChart:
    """One chart: its element id, title, SVG markup and table rows (year, P10, P50, P90, the plan)."""

    id: str
    title: str
    svg: Markup
    rows: list[list[object]]


def _percent(value: float) -> str:
    return f"{value:.1%}"


def _scale_top(values: list[float]) -> float:
    """A round upper end for the y axis: TICKS steps of 1, 2, 2.5 or 5 × 10^n, at or above the largest value."""
    top = max(values + [0.01])
    magnitude = 10.0 ** math.floor(math.log10(top / TICKS))
    return next(nice * magnitude * TICKS for nice in (1.0, 2.0, 2.5, 5.0, 10.0) if nice * magnitude * TICKS >= top)


def fan_svg(chart_id: str, title: str, points: list[dict[str, object]]) -> Markup:
    """The chart's SVG: ``points`` the rows of range_json's vacancy_rate for one family, in year order."""
    years = [str(p["year"]) for p in points]
    p10, p50, p90, plan = ([float(p[k]) for p in points]  # type: ignore[arg-type]
                           for k in ("p10", "p50", "p90", "central"))
    top = _scale_top(p90 + plan)
    width, height = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(i: int) -> float:
        return LEFT + (width * i / (len(years) - 1) if len(years) > 1 else width / 2)

    def y(v: float) -> float:
        return TOP + height * (1 - v / top)

    def line(values: list[float]) -> str:
        return " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values))

    parts = [f'<svg class="fan" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" focusable="false" '
             f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
             'xmlns="http://www.w3.org/2000/svg">',
             f'<title id="{chart_id}-title">{escape(title)}</title>',
             f'<desc id="{chart_id}-desc">{escape(_description(years, p10, p50, p90, plan))}</desc>']
    for t in range(TICKS + 1):
        value = top * t / TICKS
        parts.append(f'<line class="grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(value):.1f}" y2="{y(value):.1f}"/>')
        parts.append(f'<text class="axis" x="{LEFT - 6}" y="{y(value) + 4:.1f}" text-anchor="end">'
                     f'{value:.0%}</text>')
    for i, year in enumerate(years):
        parts.append(f'<text class="axis" x="{x(i):.1f}" y="{HEIGHT - BOTTOM + 20}" text-anchor="middle">'
                     f'{escape(year)}</text>')
    band = line(p90) + " " + " ".join(f"{x(i):.1f},{y(v):.1f}" for i, v in reversed(list(enumerate(p10))))
    parts.append(f'<polygon class="band" points="{band}"/>')
    parts.append(f'<polyline class="median" points="{line(p50)}"/>')
    parts.append(f'<polyline class="plan" points="{line(plan)}"/>')
    parts += [f'<circle class="median-mark" cx="{x(i):.1f}" cy="{y(v):.1f}" r="4"/>' for i, v in enumerate(p50)]
    parts += [f'<rect class="plan-mark" x="{x(i) - 4:.1f}" y="{y(v) - 4:.1f}" width="8" height="8"/>'
              for i, v in enumerate(plan)]
    parts.append("</svg>")
    return Markup("".join(parts))


def _description(years: list[str], p10: list[float], p50: list[float], p90: list[float], plan: list[float]) -> str:
    ends = sorted({0, len(years) - 1})
    return ("The band holds 80% of futures, from P10 to P90; the solid line is the median and the dashed line this "
            "plan. " + "; ".join(f"{years[i]}: P10 {_percent(p10[i])}, median {_percent(p50[i])}, P90 "
                                 f"{_percent(p90[i])}, this plan {_percent(plan[i])}" for i in ends) + ".")


def fan_charts(ranges: dict[str, object]) -> list[FanChart]:
    """The page's fan charts: the vacancy rate of each sector family, the plan's first year held."""
    rows = ranges[HELD]["vacancy_rate"]  # type: ignore[index]
    charts = []
    for family in dict.fromkeys(r["family"] for r in rows):  # type: ignore[index]
        points = [r for r in rows if r["family"] == family]  # type: ignore[index]
        chart_id = "fan-" + "".join(ch if ch.isalnum() else "-" for ch in str(family).lower())
        title = f"{family} vacancy rate by year over {ranges['futures']:,} futures, this plan's first year held"
        charts.append(FanChart(chart_id, title, fan_svg(chart_id, title, points),
                               [[p["year"], p["p10"], p["p50"], p["p90"], p["central"]] for p in points]))
    return charts


def overspend_rows(ranges: dict[str, object]) -> list[list[object]]:
    """Per budget holder and year (the plan's first year held): probability of overspend, its standard error, P90
    overspend and the plan's own overspend."""
    held = ranges[HELD]  # type: ignore[index]
    p90 = {(r["holder"], r["year"]): r for r in held["overspend_gbp"]}  # type: ignore[index]
    return [[r["holder"], r["year"], r["probability"], r["se"], p90[(r["holder"], r["year"])]["p90"],
             p90[(r["holder"], r["year"])]["central"]] for r in held["overspend_probability"]]  # type: ignore[index]
