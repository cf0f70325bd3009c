"""The roll-up on a Dask cluster (a local one, started by the test): same code path, same plans, same limits."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from cli import main
from test_rollup_recovery import LARGE_CODE, large_workbook, sample
from workforce.rollup.national_writer import NATIONAL_WORKBOOK
from workforce.rollup.records import RunStore
from workforce.rollup.run import EXIT_REJECTED

REPO = Path(__file__).resolve().parents[1]
distributed = pytest.importorskip("distributed")


def test_rollup_through_a_dask_cluster_matches_the_local_pool(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    for code in ("QHG", "QF7"):
        shutil.copy(next((REPO / "inputs").glob(f"{code}-*.xlsx")), inputs)
    runner = CliRunner()
    local = json.loads(runner.invoke(main, ["rollup", str(inputs), "--out", str(tmp_path / "local"), "--db",
                                            str(tmp_path / "runs.sqlite"), "--json"]).stdout)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        result = runner.invoke(main, ["rollup", str(inputs), "--out", str(tmp_path / "dask"), "--db",
                                      str(tmp_path / "runs.sqlite"), "--executor", "dask", "--scheduler",
                                      cluster.scheduler_address, "--json", "--force"])
    assert result.exit_code == 4, result.output  # the other 40 ICSs are missing from this folder
    on_dask = json.loads(result.stdout)
    assert [i["status"] for i in on_dask["ics"]] == ["succeeded", "succeeded"]
    assert [i["objectives"] for i in on_dask["ics"]] == [i["objectives"] for i in local["ics"]]
    assert (tmp_path / "dask" / "national-plan.xlsx").exists()


def test_dask_needs_a_scheduler_address(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["rollup", str(tmp_path), "--executor", "dask"])
    assert result.exit_code == 2 and "--scheduler" in result.output


def test_dask_workers_get_the_local_pools_memory_cap_for_the_rollup_only() -> None:
    import resource

    from workforce.rollup.executors import make_executor
    from workforce.limits import JOB_MEMORY_MB

    def soft_limit() -> int:
        return resource.getrlimit(resource.RLIMIT_AS)[0]

    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        with distributed.Client(cluster) as observer:
            before = list(observer.run(soft_limit).values())
            with make_executor("dask", 1, cluster.scheduler_address) as executor:
                during = executor.submit(soft_limit).result()
            after = list(observer.run(soft_limit).values())
    assert during == JOB_MEMORY_MB * 2**20
    assert after == before and before != [JOB_MEMORY_MB * 2**20]


def ics_plan_rows(out: Path) -> dict[str, tuple[object, ...]]:
    """The national workbook's Run sheet, ICS plans table: code -> (status, note)."""
    rows = list(load_workbook(out / NATIONAL_WORKBOOK, read_only=True)["Run"].iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "ICS code") + 1
    return {str(r[0]): (r[1], r[4]) for r in rows[start:] if r[0]}


def test_a_solve_over_its_time_limit_on_dask_is_rejected_as_on_the_local_pool(tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(sample("QHG"), inputs)
    large_workbook(inputs)
    runner = CliRunner()
    db = tmp_path / "runs.sqlite"
    # --job-seconds 2: QHG's check and solve take a fraction of it even on a loaded machine; the large ICS's solve
    # (40 roles, 15 years and its run-out, then its extra-£1m re-solves) takes several times it.
    common = ["--db", str(db), "--json", "--job-seconds", "2", "--force"]
    local = runner.invoke(main, ["rollup", str(inputs), "--out", str(tmp_path / "local"), *common])
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
                                  host="127.0.0.1") as cluster:
        result = runner.invoke(main, ["rollup", str(inputs), "--out", str(tmp_path / "dask"), *common,
                                      "--executor", "dask", "--scheduler", cluster.scheduler_address])
    assert local.exit_code == EXIT_REJECTED, local.output
    assert result.exit_code == EXIT_REJECTED, result.output
    on_dask = {i["ics_code"]: i for i in json.loads(result.stdout)["ics"]}
    locally = {i["ics_code"]: i for i in json.loads(local.stdout)["ics"]}
    assert on_dask["QHG"]["status"] == "succeeded"
    assert on_dask[LARGE_CODE]["status"] == "rejected"
    assert "solving this ICS stopped: it took longer than the 2 s limit" in on_dask[LARGE_CODE]["message"]
    assert on_dask[LARGE_CODE]["message"] == locally[LARGE_CODE]["message"]  # one reason text for both executors
    assert ics_plan_rows(tmp_path / "dask") == ics_plan_rows(tmp_path / "local")  # the national workbook alike
    store = RunStore(f"sqlite:///{db}")
    try:
        [record] = [c for c in store.children(json.loads(result.stdout)["run_id"]) if c.ics_code == LARGE_CODE]
    finally:
        store.dispose()
    assert (record.status, record.message) == ("rejected", on_dask[LARGE_CODE]["message"])
