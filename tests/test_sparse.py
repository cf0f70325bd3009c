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
from workforce.sparse import CscArray, CsrArray

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
