"""``workforce rollup --futures``: every ICS's futures added up future by future, then percentiles.

Known answers by hand (two ICSs, three futures); the national Range sheet against percentiles computed from each
ICS's own futures (as ``workforce solve --futures`` makes them); 1 and 2 workers and a Dask cluster alike; one
ICS's futures failing leaves the others; bad combinations refused.
"""

from __future__ import annotations

import shutil
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from openpyxl.utils.cell import range_boundaries

from cli import main
from workforce.futures.national import CERTAIN, FAILED, SOLVED, IcsFutures, Stack, national_range
from workforce.futures.run import run_futures
from workforce.futures.summary import CENTRAL, KINDS, PERFECT
from workforce.inputs.validate import load_model_data
from workforce.optimise import plan_for
from workforce.rollup import futures as rollup_futures
from workforce.rollup.national_writer import NATIONAL_WORKBOOK
from workforce.scenario import load_scenario
from workforce.solve import SolveFailure

REPO = Path(__file__).resolve().parents[1]
CODES = ("QHG", "QF7")
COUNT, SEED = 4, 3
SCENARIO = load_scenario()


def sample(code: str) -> Path:
    return next((REPO / "inputs").glob(f"{code}-*.xlsx"))


def stack(vacancy: list[list[float]], demand: list[float], overspend: list[float]) -> Stack:
    """One year, one budget holder: vacancy futures × roles, demand per role, overspend per future."""
    v = np.array(vacancy, dtype=float)[:, :, None]
    d = np.broadcast_to(np.array(demand, dtype=float)[None, :, None], v.shape).copy()
    o = np.array(overspend, dtype=float)[:, None, None]
    return Stack(v, d, 1_000_000.0 + o, o)


def hand_made() -> list[IcsFutures]:
    """ICS A (Acute and adult social care roles) with three futures; ICS B (Acute) without ranges."""
    a_futures = stack([[10, 5], [20, 5], [30, 10]], [100, 50], [0, 100, 0])
    a = IcsFutures("AAA", SOLVED, "", 2026, ("Acute", "Adult social care"), stack([[12, 6]], [100, 50], [0]),
                   {kind: a_futures for kind in KINDS})
    b = IcsFutures("BBB", CERTAIN, "", 2026, ("Acute",), stack([[4]], [50], [0]), {})
    return [a, b]


def test_national_futures_add_up_future_by_future() -> None:
    result = national_range(hand_made(), 3, 0, {"AAA": "North", "BBB": "South"})
    k = result.kinds[PERFECT]
    england = k.vacancy_fte[("England", "England", 2026)]
    # Per future: 10 + 5 + 4 = 19, 20 + 5 + 4 = 29, 30 + 10 + 4 = 44; numpy's linear percentiles on 3 values:
    # P10 at position 0.2 = 19 + 0.2 × 10 = 21, P50 = 29, P90 at position 1.8 = 29 + 0.8 × 15 = 41.
    assert (england.p10, england.p50, england.p90) == pytest.approx((21.0, 29.0, 41.0))
    assert england.central == pytest.approx(12 + 6 + 4)
    rate = k.vacancy_rate[("England", "England", 2026)]  # 19/200, 29/200, 44/200
    assert rate.p50 == pytest.approx(29 / 200) and rate.central == pytest.approx(22 / 200)
    acute = k.vacancy_fte[("Sector", "Acute", 2026)]  # 14, 24, 34: B's 4 FTE in every future
    assert (acute.p10, acute.p50, acute.p90) == pytest.approx((16.0, 24.0, 32.0))
    assert k.vacancy_fte[("Sector", "Adult social care", 2026)].p50 == pytest.approx(5.0)
    assert k.vacancy_fte[("Region", "South", 2026)].p10 == pytest.approx(4.0)  # B alone: its plan in every future
    assert ("Sector", "Acute", 2026) not in k.spend_gbp  # budgets are not held by sectors
    assert k.overspend_chance[("England", "England", 2026)].p == pytest.approx(1 / 3)
    assert k.overspend_chance[("Region", "South", 2026)].p == 0.0
    assert k.spend_gbp[("England", "England", 2026)].p50 == pytest.approx(2_000_000.0)


def test_a_failed_ics_counts_its_plan_in_every_future() -> None:
    a, b = hand_made()
    failed = IcsFutures("AAA", FAILED, "the solver stopped", 2026, a.sectors, a.central, {})
    result = national_range([failed, b], 3, 0, {"AAA": "North", "BBB": "South"})
    england = result.kinds[CENTRAL].vacancy_fte[("England", "England", 2026)]
    assert england.p10 == england.p90 == pytest.approx(22.0)


def test_icss_add_up_by_financial_year() -> None:
    a, b = hand_made()
    later = IcsFutures("BBB", CERTAIN, "", 2027, b.sectors, b.central, {})
    result = national_range([a, later], 3, 0, {"AAA": "North", "BBB": "North"})
    k = result.kinds[PERFECT].vacancy_fte
    assert k[("England", "England", 2026)].p50 == pytest.approx(25.0)  # A alone in 2026/27
    assert k[("England", "England", 2027)].p50 == pytest.approx(4.0)  # B alone in 2027/28
    assert result.years == (2026, 2027)


def table(path: Path, name: str) -> list[tuple[object, ...]]:
    ws = load_workbook(path)["Range"]
    cells = ws[ws.tables[f"tbl_{name}"].ref]
    return [tuple(c.value for c in row) for row in cells[1:]]


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("national-futures") / "in"
    folder.mkdir()
    for code in CODES:
        shutil.copy(sample(code), folder)
    return folder


def rollup(inputs: Path, out: Path, *more: str) -> Path:
    result = CliRunner().invoke(main, ["rollup", str(inputs), "--out", str(out), "--db", str(out.parent / "r.sqlite"),
                                       "--futures", str(COUNT), "--seed", str(SEED), "--force", *more],
                                catch_exceptions=False)
    assert result.exit_code == 4, result.output  # the other 40 ICSs are missing from this folder
    return out / NATIONAL_WORKBOOK


@pytest.fixture(scope="module")
def one_worker(inputs: Path) -> Path:
    return rollup(inputs, inputs.parent / "one", "--workers", "1")


def test_national_range_is_the_percentiles_of_each_icss_own_futures(one_worker: Path) -> None:
    """Each ICS's futures as a single solve makes them (run_futures through the local pool, same seed)."""
    per_future = np.zeros(COUNT)
    central = 0.0
    year = None
    for code in CODES:
        data, _ = load_model_data(sample(code))
        plan = plan_for(data, SCENARIO, SCENARIO.solver, [])
        run = run_futures(data, SCENARIO, plan, count=COUNT, seed=SEED, workers=1)
        per_future += np.array([o.vacancy_fte[:, 0].sum() for o in run.outcomes(CENTRAL)])
        central += run.central.vacancy_fte[:, 0].sum()
        year = data.first_year
    rows = [r for r in table(one_worker, "Range_vacancy_fte")
            if r[1] == "England" and r[3] == "Central first year held" and r[0] == f"{year}/{(year + 1) % 100:02d}"]
    assert len(rows) == 1
    p10, p50, p90 = np.percentile(per_future, (10, 50, 90))
    assert rows[0][4:7] == pytest.approx((p10, p50, p90))
    assert rows[0][10] == pytest.approx(central)
    assert p90 > p10  # the samples' ranges do move the vacancies


def test_two_workers_give_the_same_range_sheet(inputs: Path, one_worker: Path) -> None:
    two = rollup(inputs, inputs.parent / "two", "--workers", "2")
    for name in ("Range_vacancy_rate", "Range_vacancy_fte", "Range_money", "Range_ics"):
        assert table(two, name) == table(one_worker, name)
    assert [r[:2] for r in table(two, "Range_ics")] == [(c, "Futures solved") for c in sorted(CODES)]


def test_the_range_sheet_through_a_dask_cluster_matches_the_local_pool(inputs: Path, one_worker: Path) -> None:
    distributed = pytest.importorskip("distributed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        on_dask = rollup(inputs, inputs.parent / "dask", "--executor", "dask", "--scheduler",
                         cluster.scheduler_address)
    for name in ("Range_vacancy_rate", "Range_money"):
        assert table(on_dask, name) == table(one_worker, name)


def test_one_icss_futures_failing_leaves_the_others(monkeypatch: pytest.MonkeyPatch) -> None:
    planned = []
    for code in CODES:
        data, _ = load_model_data(sample(code))
        planned.append((data, plan_for(data, SCENARIO, SCENARIO.solver, [])))
    import workforce.futures.run as engine  # the worker's task imports run_futures from here when it runs

    solve = engine.run_futures

    def failing(data: object, *args: object, **kwargs: object) -> object:
        if data.ics_code == "QF7":  # type: ignore[attr-defined]
            raise SolveFailure("stage 1", "HiGHS stopped")
        return solve(data, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(engine, "run_futures", failing)
    with ThreadPoolExecutor(1) as executor:
        result = rollup_futures.national_futures(planned, SCENARIO, 2, 0, executor, {}, 1024)
    status = {i.ics_code: (i.status, i.message) for i in result.ics}
    assert status["QHG"] == (SOLVED, "")
    assert status["QF7"][0] == FAILED and "HiGHS stopped" in status["QF7"][1]


@pytest.mark.parametrize(("args", "message"), [
    (["--futures", "10", "--national", "models/national.toml"], "cannot be combined with --national"),
    (["--seed", "4"], "give --futures N with it"),
    (["--futures", "0"], "give a whole number from 1"),
    (["--futures", "5", "--seed", "-1"], "the seed is a whole number"),
    (["--futures", "5", "--compare", "models/base.toml"], "Run them separately"),
    (["--scheduler", "tcp://127.0.0.1:1"], "give --executor dask"),
])
def test_bad_futures_options_are_refused(tmp_path: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(main, ["rollup", str(tmp_path), "--out", str(tmp_path / "out"), *args])
    assert result.exit_code == 2
    assert message in " ".join(result.output.split())
    assert not (tmp_path / "out").exists()


def test_national_range_prints_each_table_from_the_top_of_a_page(one_worker: Path) -> None:
    """A page break just above each table's title (the row above its header); the tables are where they were."""
    ws = load_workbook(one_worker)["Range"]
    headers = {t.name: range_boundaries(t.ref)[1] for t in ws.tables.values() if not t.name.startswith("tbl_Fan")}
    assert list(headers) == ["tbl_Range_vacancy_rate", "tbl_Range_vacancy_fte", "tbl_Range_money", "tbl_Range_ics"]
    assert ws.cell(headers["tbl_Range_vacancy_rate"] - 1, 1).value.startswith("Vacancy rate by year")
    assert ws.cell(headers["tbl_Range_ics"] - 1, 1).value == "Each ICS's futures"
    table_breaks = [header - 2 for header in headers.values()]  # a page ends after the row before the title
    found = sorted(b.id for b in ws.row_breaks.brk)
    assert found[-len(table_breaks):] == table_breaks
    assert all(row < table_breaks[0] for row in found[:-len(table_breaks)])  # the rest keep fan charts whole
    assert ws.page_setup.orientation == "landscape" and ws.page_setup.scale == 70
