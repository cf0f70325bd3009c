"""Run records against the real engines: SQLite (embedded default) and PostgreSQL.

PostgreSQL comes from Debian's packages: ``.ci/run`` installs and starts it and sets
``WORKFORCE_TEST_POSTGRES_URL``.  Outside CI the PostgreSQL cases are skipped when that variable is
unset; in CI (``CI`` set) a missing server is a failure.
"""

from __future__ import annotations

import json
import os
import shutil
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from cli import main
from workforce.rollup.records import DEFAULT_DB, ENV_DB, RunRecord, RunStore, Status, database_url, now

REPO = Path(__file__).resolve().parents[1]
POSTGRES_ENV = "WORKFORCE_TEST_POSTGRES_URL"


def postgres_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        if os.environ.get("CI"):
            pytest.fail(f"{POSTGRES_ENV} is not set: .ci/run must install and start PostgreSQL")
        pytest.skip(f"PostgreSQL not configured ({POSTGRES_ENV} unset); CI starts one")
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'runs.sqlite'}" if request.param == "sqlite" else postgres_url()


def test_records_round_trip_and_reuse_lookup(url: str) -> None:
    store = RunStore(url)
    parent, child = store.new_id(), store.new_id()
    digest = uuid.uuid4().hex * 2  # unique per test run, so earlier runs in a shared database never match
    store.start(RunRecord(run_id=parent, kind="rollup", status=Status.RUNNING, started_at=now(), code_version="t",
                          mode="independent", output_path="/tmp/x"))
    store.add(RunRecord(run_id=child, kind="ics", parent_run_id=parent, ics_code="QHG", status=Status.SUCCEEDED,
                        started_at=now(), ended_at=now(), code_version="t", scenario_sha256="s", input_sha256=digest,
                        objective_unmet_fte_years=12.5, timings={"solve": 0.1}, plan_json="{}",
                        output_path="/tmp/x/QHG-plan.xlsx", output_sha256="abc"))
    store.finish(parent, status=Status.SUCCEEDED, objective_unmet_fte_years=12.5)
    found = store.find_reusable_ics(ics_code="QHG", input_sha256=digest, scenario_sha256="s", national_sha256=None,
                                    code_version="t")
    assert found is not None and found.run_id == child and found.timings == {"solve": 0.1}
    assert store.find_reusable_ics(ics_code="QHG", input_sha256=digest, scenario_sha256="s",
                                   national_sha256="n", code_version="t") is None
    assert store.find_reusable_ics(ics_code="QHG", input_sha256=digest, scenario_sha256="s",
                                   national_sha256=None, code_version="other") is None
    assert [r.run_id for r in store.children(parent)] == [child]
    finished = store.get(parent)
    assert finished.status == Status.SUCCEEDED and finished.ended_at >= finished.started_at
    store.dispose()


def test_interrupted_runs_are_marked_failed(url: str) -> None:
    store = RunStore(url)
    out = f"/tmp/{uuid.uuid4().hex}"
    run_id = store.new_id()
    store.start(RunRecord(run_id=run_id, kind="rollup", status=Status.RUNNING, started_at=now(), code_version="t",
                          output_path=out))
    assert store.fail_interrupted(out, "interrupted") == 1
    assert store.get(run_id).status == Status.FAILED
    store.dispose()


def test_rollup_records_in_the_chosen_database(url: str, tmp_path: Path) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(next((REPO / "inputs").glob("QHG-*.xlsx")), inputs)
    runner = CliRunner()
    # --force: the PostgreSQL database outlives this test, and an earlier test run may hold this ICS's plan
    first = json.loads(runner.invoke(main, ["rollup", str(inputs), "--out", str(tmp_path / "out"), "--db", url,
                                            "--json", "--workers", "1", "--force"]).stdout)
    second = json.loads(runner.invoke(main, ["rollup", str(inputs), "--out", str(tmp_path / "out"), "--db", url,
                                             "--json", "--workers", "1"]).stdout)
    assert first["ics"][0]["status"] == "succeeded" and second["ics"][0]["status"] == "reused"
    store = RunStore(url)
    assert store.get(second["run_id"]).status == Status.SUCCEEDED
    assert store.children(second["run_id"])[0].reused_from
    store.dispose()


def test_database_location(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_DB, raising=False)
    monkeypatch.chdir(tmp_path)
    assert database_url(None) == f"sqlite:///{(tmp_path / DEFAULT_DB).resolve()}"
    monkeypatch.setenv(ENV_DB, str(tmp_path / "elsewhere.sqlite"))
    assert database_url(None).endswith("elsewhere.sqlite")
    assert database_url("postgresql+psycopg://u:p@h/db") == "postgresql+psycopg://u:p@h/db"
