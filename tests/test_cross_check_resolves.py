"""``benchmarks/bare_solve.py --resolves`` re-solves what ``workforce solve`` re-solves, with the same figures.

Issue 13's single-ICS ratio compares ``workforce solve`` as shipped — with the extra-£1m values and the budget
curve, both re-solves — against ``bare_solve.py --resolves``, which does the same re-solves itself in bare
highspy on its own LP (``benchmarks/bare_lp.py``).  That comparison is like for like only while both re-solve
the same holder-years and curve points: here the command's ``--json`` figures and the bare script's must agree
to the stage tolerance (``bare_solve.differences``), on a sample ICS and on the same ICS with its budgets cut
until it overspends (then stage 1 is re-solved too).  No timings are asserted.
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from workforce.inputs.template import write_model_data
from workforce.inputs.validate import load_model_data

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))
from bare_solve import differences  # noqa: E402

SAMPLE = ROOT / "inputs" / "QHG-bedfordshire-luton-and-milton-keynes.xlsx"


def figures(workbook: Path, out: Path) -> tuple[dict, dict]:
    """The command's ``--json`` document and the bare script's ``--resolves`` one for ``workbook``."""
    run = lambda *args: subprocess.run([sys.executable, *args], check=True, capture_output=True, text=True,  # noqa: E731
                                       cwd=ROOT).stdout
    product = json.loads(run(str(ROOT / "cli.py"), "solve", str(workbook), "--out", str(out), "--json"))
    bare = json.loads(run(str(ROOT / "benchmarks" / "bare_solve.py"), str(workbook), "--resolves").splitlines()[-1])
    return product, bare


def overspending(tmp_path: Path) -> Path:
    """The sample with every budget at 80%: it overspends, so an extra £1m re-solves stage 1 as well."""
    data, _ = load_model_data(SAMPLE)
    cut = {holder: tuple(0.8 * v for v in values) for holder, values in data.budget_gbp.items()}
    path = tmp_path / "overspending.xlsx"
    write_model_data(path, replace(data, budget_gbp=cut))
    return path


@pytest.mark.parametrize("case", ["sample", "overspending"])
def test_bare_resolves_reproduce_the_products_figures(case: str, tmp_path: Path) -> None:
    workbook = SAMPLE if case == "sample" else overspending(tmp_path)
    product, bare = figures(workbook, tmp_path / "plan.xlsx")
    assert (bare["objectives"]["overspend_gbp"] > 1e6) == (case == "overspending")
    assert differences(product, bare) == []
    # Each side re-solved something that moved: the check cannot pass on two lists of zeros.
    assert sum(r["resolved"] for r in bare["marginal_budget"]) >= 2
    assert any(r["weighted_unmet_avoided"] > 1 for r in product["marginal_budget"])
    assert len({round(p["weighted_unmet"], 3) for p in product["budget_curve"]}) >= 5
    if case == "overspending":
        assert any(r["overspend_avoided_gbp"] > 1e5 for r in product["marginal_budget"])


def test_differences_notice_a_figure_that_drifts() -> None:
    product = {"marginal_budget": [{"holder": "A", "year": "2026/27", "overspend_avoided_gbp": 0.0,
                                    "weighted_unmet_avoided": 10.0, "vacancy_avoided_fte_years": 5.0}],
               "budget_curve": [{"holder": "A", "change": 0.05, "overspend_gbp": 0.0, "weighted_unmet": 100.0,
                                 "vacancy_fte_years": 50.0}]}
    bare = json.loads(json.dumps({**product, "objectives": {"overspend_gbp": 0.0, "unmet_fte_years": 120.0}}))
    assert differences(product, bare) == []
    bare["budget_curve"][0]["weighted_unmet"] = 100.001
    bare["marginal_budget"][0]["year"] = "2027/28"
    found = differences(product, bare)
    assert len(found) == 2 and "weighted_unmet" in found[1] and "2027/28" in found[0]
