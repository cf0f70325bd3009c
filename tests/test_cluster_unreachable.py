"""A Dask scheduler that cannot be reached: one line, exit 10, a status object with --json, nothing written."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from workforce.failures import EXIT_CLUSTER_UNREACHABLE

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = next((ROOT / "inputs").glob("QHG-*.xlsx"))
NOBODY = "tcp://127.0.0.1:9"  # the discard port: nothing listens there


@pytest.mark.parametrize("command", ["rollup", "solve"])
def test_an_unreachable_scheduler_is_one_line_and_exit_10(tmp_path: Path, command: str) -> None:
    inputs = tmp_path / "in"
    inputs.mkdir()
    shutil.copy(SAMPLE, inputs / SAMPLE.name)
    out = tmp_path / "out"
    if command == "rollup":
        args = ["rollup", str(inputs), "--out", str(out), "--db", str(tmp_path / "r.sqlite")]
    else:
        args = ["solve", str(inputs / SAMPLE.name), "--out", str(out / "plan.xlsx"), "--futures", "3"]
    # A process of its own, as the command runs (a failed Dask client leaves state behind in a process).
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    result = subprocess.run([sys.executable, str(ROOT / "cli.py"), *args, "--executor", "dask", "--scheduler", NOBODY,
                             "--json"], capture_output=True, text=True, env=env, timeout=120, check=False)
    assert result.returncode == EXIT_CLUSTER_UNREACHABLE, result.stderr
    status = json.loads(result.stdout)
    assert status["status"] == "cluster_unreachable" and NOBODY in status["message"]
    assert "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) <= 2, result.stderr
    assert not (out / "plan.xlsx").exists() and not (out / "national-plan.xlsx").exists()
