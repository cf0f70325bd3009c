"""Roll-ups of workbooks unlike the samples (which all plan 2026/27 to 2030/31): ICS plans of different years,
and national limits whose lists miss years the ICSs plan.

Both roll up by financial year, as documented; what these tests hold is that neither passes silently: a year
that only some ICSs plan, or that a national limit gives no value for, is a warning (and for the plans' years a
note on the national workbook's Cover), and plans that all cover the same years give none.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from random_data import random_model_data
from workforce.data import ModelData, UncertainRange
from workforce.inputs.template import write_model_data
from workforce.rollup.national import limits_outside_the_plans, load_national_limits
from workforce.rollup.national_writer import NATIONAL_WORKBOOK
from workforce.rollup.run import EXIT_REJECTED

REPO = Path(__file__).resolve().parents[1]

YEARS_NOTE = "the ICS plans do not cover the same years"


def ics(code: str, first_year: int, horizon: int, seed: int) -> ModelData:
    return replace(random_model_data(seed, roles=2, horizon=horizon), ics_code=code, first_year=first_year)


def rollup(tmp_path: Path, datas: list[ModelData]) -> tuple[dict[str, object], Path]:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for d in datas:
        write_model_data(inputs / f"{d.ics_code}.xlsx", d)
    result = CliRunner().invoke(main, ["rollup", str(inputs), "--out", str(out), "--db", str(tmp_path / "r.sqlite"),
                                       "--json"], catch_exceptions=False)
    return json.loads(result.stdout), out / NATIONAL_WORKBOOK


def cover_notes(path: Path) -> dict[str, str]:
    rows = load_workbook(path, read_only=True)["Cover"].iter_rows(values_only=True)
    return {r[0]: r[1] for r in rows if len(r) > 1 and r[0] and r[1]}


def england_demand(path: Path) -> dict[str, float]:
    rows = list(load_workbook(path, read_only=True)["National"].iter_rows(min_row=2, values_only=True))
    return {r[0]: r[3] for r in rows[1:] if r[1] == "England"}


def test_plans_of_different_years_roll_up_by_financial_year_and_say_so(tmp_path: Path) -> None:
    datas = [ics("QE1", 2026, 2, 1), ics("QF7", 2026, 3, 2), ics("QHG", 2027, 2, 3)]
    summary, national = rollup(tmp_path, datas)
    assert summary["accepted"] == 3
    demand = england_demand(national)
    assert list(demand) == ["2026/27", "2027/28", "2028/29"]
    first_year_demand = sum(sum(v[0] for v in d.demand_fte.values()) for d in datas[:2])  # QHG starts a year later
    assert demand["2026/27"] == pytest.approx(first_year_demand)
    notes = [w for w in summary["warnings"] if YEARS_NOTE in w]  # type: ignore[union-attr]
    assert notes == [f"{YEARS_NOTE} (2026/27 to 2027/28: QE1; 2026/27 to 2028/29: QF7; 2027/28 to 2028/29: QHG); "
                     "the national figures for a year add up only the ICSs whose plans include it, so England's "
                     "totals jump where a plan starts or ends"]
    assert cover_notes(national)["Years"].startswith("The ICS plans do not cover the same years (2026/27 to")


def test_a_national_comparison_of_plans_of_different_years_says_so(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    for d in (ics("QE1", 2026, 2, 1), ics("QF7", 2026, 3, 2)):
        write_model_data(inputs / f"{d.ics_code}.xlsx", d)
    scenario = tmp_path / "more.toml"
    scenario.write_text('name = "More demand"\n[[adjust]]\ntable = "Demand"\ncolumn = "amount"\nmultiply = 1.03\n',
                        encoding="utf-8")
    result = CliRunner().invoke(main, ["rollup", str(inputs), "--out", str(out), "--compare", str(scenario),
                                       "--json"], catch_exceptions=False)
    warnings = json.loads(result.stdout)["warnings"]
    assert [w for w in warnings if YEARS_NOTE in w] == [
        f"{YEARS_NOTE} (2026/27 to 2027/28: QE1; 2026/27 to 2028/29: QF7); the national figures for a year add up "
        "only the ICSs whose plans include it, so England's totals jump where a plan starts or ends"]


def test_plans_of_the_same_years_give_no_note(tmp_path: Path) -> None:
    summary, national = rollup(tmp_path, [ics("QE1", 2026, 2, 1), ics("QF7", 2026, 2, 2)])
    assert summary["accepted"] == 2
    assert not any(YEARS_NOTE in w for w in summary["warnings"])  # type: ignore[union-attr]
    assert "Years" not in cover_notes(national)


def limits(tmp_path: Path, first_year: int, values: list[float], channel: str) -> object:
    path = tmp_path / "national.toml"
    listed = ", ".join(str(v) for v in values)
    path.write_text(f'first_year = {first_year}\n[[recruitment_caps]]\nchannel = "{channel}"\nmax_hires_fte = '
                    f'[{listed}]\n[[training_places]]\nroute = "No such route"\nmax_starts_fte = [{listed}]\n'
                    f"[fund]\namount_gbp = [{listed}]\n", encoding="utf-8")
    return load_national_limits(path)


def test_national_lists_for_years_before_the_plans_are_named(tmp_path: Path) -> None:
    d = ics("QE1", 2026, 2, 1)
    channel = d.recruitment[0].channel
    a_year_early = limits_outside_the_plans(limits(tmp_path, 2025, [5, 5], channel), [d])  # type: ignore[arg-type]
    assert a_year_early == [
        f'the national limit "{channel} hires" (national.toml) gives values for 2025/26, before the ICS plans start '
        "(2026/27 to 2027/28), so they limit nothing; check its first_year",
        "the national workforce fund (national.toml) gives values for 2025/26, before the ICS plans start (2026/27 "
        "to 2027/28), so no ICS can draw on them; check its first_year"]  # the route applies to nothing: warned apart
    years_out = limits_outside_the_plans(limits(tmp_path, 2036, [5, 5], channel), [d])  # type: ignore[arg-type]
    assert len(years_out) == 2 and "gives values for 2036/37, 2037/38, outside the years the ICS plans cover " \
        "(2026/27 to 2027/28), so they limit nothing" in years_out[0]
    # allowed by the format: a list that stops early (the later years unlimited), starts late, or runs on
    for first_year, values in ((2026, [5]), (2027, [5, 5]), (2026, [5, 5, 5, 5])):
        allowed = limits(tmp_path, first_year, values, channel)
        assert limits_outside_the_plans(allowed, [d]) == []  # type: ignore[arg-type]


def test_the_example_national_limits_give_no_warning_on_the_samples() -> None:
    """models/national.toml leaves late years unlimited on purpose (its comments say why): no warning."""
    from workforce.inputs.validate import load_model_data

    datas = [load_model_data(p)[0] for p in sorted((REPO / "inputs").glob("Q*.xlsx"))[:3]]
    assert limits_outside_the_plans(load_national_limits(REPO / "models" / "national.toml"), datas) == []


@pytest.mark.parametrize("more", [["--national", str(REPO / "models" / "national.toml")], ["--futures", "5"]],
                         ids=["coupled", "futures"])
def test_a_folder_whose_only_workbook_is_broken_still_gets_its_national_workbook(tmp_path: Path,
                                                                                  more: list[str]) -> None:
    """As an independent roll-up does: the rejection listed, exit 4, and a workbook that says there is no plan."""
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    (inputs / "QWE.xlsx").write_bytes(b"half a workbook")
    result = CliRunner().invoke(main, ["rollup", str(inputs), "--out", str(out), "--db", str(tmp_path / "r.sqlite"),
                                       *more], catch_exceptions=False)
    assert result.exit_code == EXIT_REJECTED, result.output
    assert "Rejected: QWE.xlsx" in result.stderr
    wb = load_workbook(out / NATIONAL_WORKBOOK, read_only=True)
    sheet = "National limits" if "--national" in more else "Range"
    text = " ".join(str(c) for r in wb[sheet].iter_rows(values_only=True) for c in r if c)
    assert "no ICS workbook was accepted" in text if "--national" in more else "No ICS plan" in text


def test_a_roll_up_of_one_ics_counts_it_in_the_singular(tmp_path: Path) -> None:
    inputs, out = tmp_path / "in", tmp_path / "out"
    inputs.mkdir()
    ranges = (UncertainRange(2, "Workforce", "leaver_rate", (), 0.9, 1.1, "lognormal"),)
    write_model_data(inputs / "QE1.xlsx", replace(ics("QE1", 2026, 2, 1), uncertainty=ranges))
    result = CliRunner().invoke(main, ["rollup", str(inputs), "--out", str(out), "--db", str(tmp_path / "r.sqlite"),
                                       "--futures", "2"], catch_exceptions=False)
    assert "solved for 1 ICS; the national workbook's Range sheet" in result.stderr
    assert "\n1 ICS plan (0 reused), 0 rejected, 41 missing." in result.stderr
