"""The roll-up on a Dask cluster (a local one, started by the test): same code path, same plans."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main

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
