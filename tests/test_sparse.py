"""The numpy sparse arrays handed to Pyomo's compiler (workforce/sparse.py) behave as scipy.sparse does.

Each operation the compiler uses is compared with ``scipy.sparse`` on seeded
random matrices with duplicate entries and stored zeros; then whole models
are compiled both ways and must give identical standard forms; and a
single-ICS solve must not import scipy at all (the reason the module exists).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import sparse as scipy_sparse

from random_data import large_model_data, random_model_data
from workforce.model import build_model
from workforce.scenario import load_scenario
from workforce.solve import compile_standard_form
from workforce.sparse import CscArray, CsrArray, csc_from_entries

ROOT = Path(__file__).resolve().parents[1]


def random_csr_parts(seed: int, n_rows: int, n_cols: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """CSR arrays with repeated (row, column) entries, explicit zeros and empty rows, unsorted within rows."""
    rng = np.random.default_rng(seed)
    lengths = rng.integers(0, 6, size=n_rows)
    lengths[rng.random(n_rows) < 0.2] = 0
    indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int32)
    indices = rng.integers(0, n_cols, size=indptr[-1]).astype(np.int32)
    data = rng.choice([0.0, 1.0, -2.5, 0.75, 3.0], size=indptr[-1])
    return data, indices, indptr


def assert_same_csc(ours: CscArray, theirs: object) -> None:
    assert ours.shape == theirs.shape
    np.testing.assert_array_equal(ours.indptr, theirs.indptr)
    np.testing.assert_array_equal(ours.indices, theirs.indices)
    np.testing.assert_array_equal(ours.data, theirs.data)


@pytest.mark.parametrize("seed", range(8))
def test_csr_to_csc_summed_and_without_zeros_matches_scipy(seed: int) -> None:
    parts = random_csr_parts(seed, n_rows=30, n_cols=12)
    ours = CsrArray(parts, [30, 12]).tocsc()
    theirs = scipy_sparse.csr_array(parts, shape=(30, 12)).tocsc()
    np.testing.assert_array_equal(ours.toarray(), theirs.toarray())
    ours.sum_duplicates()
    theirs.sum_duplicates()
    assert_same_csc(ours, theirs)
    ours.eliminate_zeros()
    theirs.eliminate_zeros()
    assert_same_csc(ours, theirs)


@pytest.mark.parametrize("seed", range(4))
def test_column_mask_and_product_match_scipy(seed: int) -> None:
    parts = random_csr_parts(100 + seed, n_rows=20, n_cols=15)
    ours = CsrArray(parts, [20, 15]).tocsc()
    theirs = scipy_sparse.csr_array(parts, shape=(20, 15)).tocsc()
    mask = np.random.default_rng(seed).random(15) < 0.5
    x = np.arange(1.0, 16.0)
    np.testing.assert_array_equal(ours[:, mask].toarray(), theirs[:, mask].toarray())
    np.testing.assert_allclose(ours @ x, theirs @ x, rtol=0, atol=1e-12)


def test_empty_matrix_and_hand_worked_example() -> None:
    """[[0, 2], [1, 0]] stored by row with a duplicate (row 0, column 1: 1 + 1) and a stored zero."""
    csc = CsrArray(([1.0, 0.0, 1.0, 1.0], [1, 0, 1, 0], [0, 3, 4]), [2, 2]).tocsc()
    csc.sum_duplicates()
    csc.eliminate_zeros()
    np.testing.assert_array_equal(csc.indptr, [0, 1, 2])
    np.testing.assert_array_equal(csc.indices, [1, 0])
    np.testing.assert_array_equal(csc.data, [1.0, 2.0])
    empty = CsrArray(([], [], [0, 0, 0]), [2, 3]).tocsc()
    empty.sum_duplicates()
    assert empty.shape == (2, 3) and list(empty.indptr) == [0, 0, 0, 0]


def test_unsupported_indexing_and_bad_shapes_are_refused() -> None:
    csc = CsrArray(([1.0], [0], [0, 1]), [1, 1]).tocsc()
    with pytest.raises(TypeError):
        csc[0, np.array([True])]
    with pytest.raises(ValueError):
        csc @ np.ones(2)
    with pytest.raises(ValueError):
        CscArray(([1.0], [0], [0, 1, 1]), [1, 1])


@pytest.mark.parametrize("data", [random_model_data(7), random_model_data(11, roles=8, horizon=5),
                                  large_model_data(roles=12, horizon=6)], ids=["small", "medium", "large"])
def test_standard_form_is_identical_through_pyomo_and_scipy(data: object) -> None:
    built = build_model(data, load_scenario())
    ours = compile_standard_form(built)
    public = compile_standard_form(build_model(data, load_scenario()), direct=False)
    for name in ("cost", "matrix_start", "matrix_index", "matrix_value", "row_lower", "row_upper", "col_lower",
                 "col_upper"):
        np.testing.assert_array_equal(getattr(ours, name), getattr(public, name), err_msg=name)
    assert [c.name for c in ours.columns] == [c.name for c in public.columns]
    assert [r.name for r in ours.rows] == [r.name for r in public.rows]


def test_single_ics_solve_does_not_import_scipy(tmp_path: Path) -> None:
    """Pyomo's scipy import hook also loads scipy.stats (over a second): the single-ICS path avoids scipy."""
    workbook = next((ROOT / "inputs").glob("QHG-*.xlsx"))
    script = ("import sys\nfrom click.testing import CliRunner\nimport cli\n"
              f"result = CliRunner().invoke(cli.main, ['solve', {str(workbook)!r}, '--out', "
              f"{str(tmp_path / 'plan.xlsx')!r}])\n"
              "assert result.exit_code == 0, result.output\n"
              "print(sorted(m for m in sys.modules if m == 'scipy' or m.startswith('scipy.')))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_a_pyomo_asking_more_of_the_matrices_falls_back_to_its_public_path(monkeypatch: pytest.MonkeyPatch) -> None:
    import workforce.solve as solve_module

    class Incomplete(solve_module._NumpySparseCompiler):
        def write(self, model: object) -> object:
            raise AttributeError("'CscArray' object has no attribute 'something_new'")

    data = random_model_data(3)
    expected = compile_standard_form(build_model(data, load_scenario()), direct=False)
    monkeypatch.setattr(solve_module, "_NumpySparseCompiler", Incomplete)
    fallback = compile_standard_form(build_model(data, load_scenario()))
    np.testing.assert_array_equal(fallback.matrix_value, expected.matrix_value)
    np.testing.assert_array_equal(fallback.matrix_index, expected.matrix_index)


@pytest.mark.parametrize("seed", range(4))
def test_matrix_from_entries_matches_scipy(seed: int) -> None:
    """Entries in any order, some given twice for one place and some zero, as scipy's (data, (row, col))."""
    rng = np.random.default_rng(200 + seed)
    rows, cols = rng.integers(0, 9, size=40), rng.integers(0, 7, size=40)
    values = rng.choice([0.0, 1.0, -1.0, 2.5, 0.125], size=40)
    theirs = scipy_sparse.csc_array((values, (rows, cols)), shape=(9, 7))
    theirs.sort_indices()
    assert_same_csc(csc_from_entries(rows, cols, values, (9, 7)), theirs)
    empty = csc_from_entries(np.zeros(0, int), np.zeros(0, int), np.zeros(0), (3, 2))
    assert list(empty.indptr) == [0, 0, 0] and len(empty.data) == 0


def test_coupled_lp_and_fixed_allocation_lp_are_scipys_stacking() -> None:
    """The stacked national LP and one ICS's LP with the rest of England fixed, put together with numpy, are
    entry for entry the matrices scipy's block_diag / hstack / vstack gave before (how they were built)."""
    from workforce.marginal.fixed import fixed_allocation_lp, rest_of_england
    from workforce.rollup.blocks import build_block
    from workforce.rollup.national import NationalLimits, RecruitmentCap
    from workforce.rollup.stack import Layout, coupling, stack
    from workforce.inputs.validate import load_model_data

    scenario = load_scenario()
    datas = [load_model_data(next((ROOT / "inputs").glob(f"{code}-*.xlsx")))[0] for code in ("QE1", "QHG")]
    years = range(2026, 2031)
    limits = NationalLimits(path="test", sha256="0" * 64, text="", first_year=2026,
                            recruitment_caps=(RecruitmentCap("International", "Registered nurses",
                                                             {y: 10.0 for y in years}),),
                            training_places=(), fund_gbp={y: 1e6 for y in years})
    blocks = [build_block(d, scenario) for d in datas]
    layout = Layout.of(blocks)
    national, fund = coupling(blocks, datas, limits, layout)
    assert national and fund
    ours = stack(blocks, layout, national, fund)
    matrices = [scipy_sparse.csc_array((b.lp.matrix_value, b.lp.matrix_index, b.lp.matrix_start),
                                       shape=(b.lp.num_rows, b.lp.num_cols)) for b in blocks]
    fund_matrix = scipy_sparse.csc_array((-np.ones(len(fund)), ([f.budget_row for f in fund],
                                                                np.arange(len(fund)))),
                                         shape=(layout.num_rows, len(fund)))
    top = scipy_sparse.hstack([scipy_sparse.block_diag(matrices, format="csc"), fund_matrix], format="csc")
    rr = np.concatenate([np.full(len(row.columns), r) for r, row in enumerate(national)])
    cc = np.concatenate([row.columns for row in national])
    bottom = scipy_sparse.csc_array((np.ones(len(cc)), (rr, cc)), shape=(len(national), top.shape[1]))
    theirs = scipy_sparse.vstack([top, bottom], format="csc")
    theirs.sort_indices()
    assert_same_csc(CscArray((ours.matrix_value, ours.matrix_index, ours.matrix_start), (ours.num_rows,
                                                                                          ours.num_cols)), theirs)
    assert ours.matrix_index.dtype == ours.matrix_start.dtype == np.int32

    lp = blocks[0].lp  # the first ICS, with what a made-up coupled solution leaves it
    mine = np.zeros(ours.num_cols, dtype=bool)
    mine[:lp.num_cols] = True
    own_fund = [k for k, f in enumerate(fund) if f.block == 0]
    mine[layout.num_cols + np.array(own_fund)] = True
    local = np.zeros(ours.num_cols, dtype=np.int64)
    local[:lp.num_cols] = np.arange(lp.num_cols)
    local[layout.num_cols + np.array(own_fund)] = lp.num_cols + np.arange(len(own_fund))
    rest = rest_of_england([row.columns for row in national], np.array([row.limit for row in national]),
                           np.full(ours.num_cols, 0.5), mine, local,
                           np.array([fund[k].budget_row for k in own_fund], dtype=np.int64))
    fixed = fixed_allocation_lp(lp, rest, blocks[0].plan_budget_rows, blocks[0].vacancy_cols).sf
    n_fund, n_national = len(rest.fund_budget_rows), len(rest.room)
    own = scipy_sparse.csc_array((lp.matrix_value, lp.matrix_index, lp.matrix_start), shape=(lp.num_rows,
                                                                                            lp.num_cols))
    fund_part = scipy_sparse.csc_array((-np.ones(n_fund), (rest.fund_budget_rows, np.arange(n_fund))),
                                       shape=(lp.num_rows, n_fund))
    rr = np.concatenate([np.full(len(c), r) for r, c in enumerate(rest.national_columns)])
    cc = np.concatenate(list(rest.national_columns))
    national_part = scipy_sparse.csc_array((np.ones(len(cc)), (rr, cc)), shape=(n_national, lp.num_cols + n_fund))
    theirs = scipy_sparse.vstack([scipy_sparse.hstack([own, fund_part]), national_part], format="csc")
    theirs.sort_indices()
    assert_same_csc(CscArray((fixed.matrix_value, fixed.matrix_index, fixed.matrix_start), (fixed.num_rows,
                                                                                             fixed.num_cols)), theirs)


def test_coupled_plan_does_not_import_scipy() -> None:
    """Stacking the coupled LP and valuing each ICS's budgets with the rest of England fixed avoid scipy, which
    with Pyomo's hook takes 65 MB in the roll-up's process and in each worker (benchmarks/README.md)."""
    script = (
        "import sys\nfrom pathlib import Path\n"
        "from workforce.inputs.validate import load_model_data\n"
        "from workforce.rollup.coupled import solve_coupled\n"
        "from workforce.rollup.national import NationalLimits, RecruitmentCap\n"
        "from workforce.scenario import load_scenario\n"
        "datas = [load_model_data(next(Path('inputs').glob(c + '-*.xlsx')))[0] for c in ('QE1', 'QHG')]\n"
        "years = range(2026, 2031)\n"
        "limits = NationalLimits(path='test', sha256='0' * 64, text='', first_year=2026, training_places=(),\n"
        "    recruitment_caps=(RecruitmentCap('International', 'Registered nurses', {y: 10.0 for y in years}),),\n"
        "    fund_gbp={y: 1e6 for y in years})\n"
        "result = solve_coupled(datas, {}, load_scenario(), limits)\n"
        "assert not result.shortcut and result.plans[0].marginal_budget\n"
        "print(sorted(m for m in sys.modules if m == 'scipy' or m.startswith('scipy.')))\n")
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"
