"""The package stands alone: built as a wheel and installed into a fresh virtual environment in an empty folder
(no repository beside it), ``workforce rollup`` over three sample workbooks names their regions and lists the
other 39 ICSs as missing — with the packaged reference list and default policy, nothing else.

The wheel is built offline (``pip wheel --no-build-isolation``, from a copy of the project's files so the
working tree gets no build folders) and installed without its dependencies; the fresh environment reaches
the dependencies through a ``.pth`` file naming the test environment's site-packages, whose editable
install of this project is not activated that way (a ``.pth`` file's own ``.pth`` files are not read).
The test checks that ``workforce`` and ``cli`` are imported from the fresh environment.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

from openpyxl import load_workbook

REPO = Path(__file__).resolve().parents[1]
CODES = ("QE1", "QF7", "QHG")


def run(*args: str | Path, cwd: Path | None = None, env: dict[str, str] | None = None) -> str:
    done = subprocess.run([str(a) for a in args], capture_output=True, text=True, cwd=cwd, env=env, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return done.stdout


def build_wheel(tmp_path: Path) -> Path:
    source = tmp_path / "source"
    source.mkdir()
    for name in ("pyproject.toml", "README.md", "cli.py"):
        shutil.copy(REPO / name, source)
    shutil.copytree(REPO / "workforce", source / "workforce", ignore=shutil.ignore_patterns("__pycache__"))
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--no-index", "--quiet",
        "--wheel-dir", tmp_path / "dist", source)
    [wheel] = (tmp_path / "dist").glob("ics_workforce-*.whl")
    return wheel


def fresh_environment(tmp_path: Path, wheel: Path) -> Path:
    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv)
    python = venv / "bin" / "python"
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])").strip())
    (site / "dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8")
    run(sys.executable, "-m", "pip", "--python", python, "install", "--no-deps", "--no-index", "--quiet", wheel)
    return venv


def test_a_wheel_install_rolls_up_with_its_packaged_reference_list(tmp_path: Path) -> None:
    venv = fresh_environment(tmp_path, build_wheel(tmp_path))
    folder = tmp_path / "empty"
    (folder / "submissions").mkdir(parents=True)
    for code in CODES:
        shutil.copy(next((REPO / "inputs").glob(f"{code}-*.xlsx")), folder / "submissions")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "WORKFORCE_DB")}
    where = run(venv / "bin" / "python", "-c", "import cli, workforce; print(workforce.__file__); print(cli.__file__)",
                cwd=folder, env=env)
    assert all(Path(p).is_relative_to(venv) for p in where.split()), where
    done = subprocess.run([str(venv / "bin" / "workforce"), "rollup", "submissions", "--out", "out", "--json"],
                          capture_output=True, text=True, cwd=folder, env=env, timeout=600)
    assert done.returncode == 4, done.stderr[-3000:]  # completed; 39 ICSs have no workbook
    summary = json.loads(done.stdout)
    assert len(summary["missing"]) == 39 and not set(CODES) & set(summary["missing"])
    assert sorted(i["ics_code"] for i in summary["ics"] if i["status"] == "succeeded") == list(CODES)
    icss = {r[0]: r for r in load_workbook(folder / "out" / "national-plan.xlsx", read_only=True)["ICSs"]
            .iter_rows(min_row=2, values_only=True)}
    assert {icss[code][2] for code in CODES} == {"North West", "North East and Yorkshire", "East of England"}
    assert sum(1 for r in icss.values() if r[4] == "missing") == 39
    assert (folder / "outputs" / "runs.sqlite").exists()  # the default run records, beside the user's work
    offered = run(venv / "bin" / "python", "-c", "from workforce.portal.config import DEFAULT_NATIONAL_DIR as d; "
                  "from workforce.portal.context import national_files; print(d); print(national_files(d))",
                  cwd=folder, env=env).split("\n")
    assert Path(offered[0]).is_relative_to(venv) and offered[1] == "['national.toml']"  # the portal's coupled roll-up
