"""Compressed sparse arrays in plain numpy, for Pyomo's standard-form compiler and for the national roll-up.

Why this exists: Pyomo's ``LinearStandardFormCompiler`` builds its matrices
with ``scipy.sparse``, and Pyomo registers a hook on the import of scipy that
also loads ``scipy.stats``, ``scipy.spatial`` and ``scipy.integrate``
(``pyomo.common.dependencies._finalize_scipy``) — whoever imports scipy.  On a
2-core machine that costs 1–1.5 s, more than reading, solving and writing a
sample ICS together (``benchmarks/``).  The compiler declares its sparse-matrix
constructors as class attributes "so that others can change the hooks";
:mod:`workforce.solve` hands it these two classes instead, so a single-ICS
solve never imports scipy.  The national roll-up puts its coupled LP, and each
ICS's LP with the rest of England fixed, together with :func:`csc_from_entries`
for the same reason, and for memory: scipy loaded that way takes 65-67 MB in the
roll-up's process and in each of its workers (measured; ``benchmarks/README.md``).

They implement exactly what the compiler (Pyomo 6.10) and
:func:`workforce.solve.compile_standard_form` use — construction from
``(data, indices, indptr)`` and a shape, ``tocsc``, ``sum_duplicates``,
``eliminate_zeros``, selecting columns by a boolean mask, and multiplying by
a vector — with scipy's semantics; ``tests/test_sparse.py`` checks each
against ``scipy.sparse``.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

INDEX = np.int32


def _positions(indptr: np.ndarray) -> np.ndarray:
    """For each stored entry, the index of the row (CSR) or column (CSC) that holds it."""
    return np.repeat(np.arange(len(indptr) - 1, dtype=INDEX), np.diff(indptr))


def _indptr(major: np.ndarray, n_major: int) -> np.ndarray:
    """Index pointer of entries already sorted by ``major`` (row for CSR, column for CSC)."""
    counts = np.bincount(major, minlength=n_major)
    return np.concatenate(([0], np.cumsum(counts))).astype(INDEX)


class _Compressed:
    """``data`` and ``indices`` of the stored entries, ``indptr`` into them per row (CSR) or column (CSC)."""

    major_axis = 0  # 0: compressed by row; 1: by column

    def __init__(self, arg: tuple[Sequence[float], Sequence[int], Sequence[int]], shape: Sequence[int]) -> None:
        data, indices, indptr = arg
        self.data = np.asarray(data, dtype=np.float64)
        self.indices = np.asarray(indices, dtype=INDEX)
        self.indptr = np.asarray(indptr, dtype=INDEX)
        self.shape = (int(shape[0]), int(shape[1]))
        if len(self.indptr) != self.shape[self.major_axis] + 1 or len(self.data) != len(self.indices):
            raise ValueError(f"inconsistent compressed arrays for shape {self.shape}")


class CscArray(_Compressed):
    """A sparse matrix stored by column: column ``j`` holds ``data[indptr[j]:indptr[j+1]]``
    in rows ``indices[indptr[j]:indptr[j+1]]``."""

    major_axis = 1

    def tocsc(self) -> CscArray:
        return self

    def sum_duplicates(self) -> None:
        """Sort each column by row and add up entries stored twice for the same (row, column), in place."""
        if len(self.data) == 0:
            return
        cols = _positions(self.indptr)
        order = np.lexsort((self.indices, cols))
        cols, rows, data = cols[order], self.indices[order], self.data[order]
        first = np.ones(len(data), dtype=bool)
        first[1:] = (cols[1:] != cols[:-1]) | (rows[1:] != rows[:-1])
        starts = np.flatnonzero(first)
        self.data = np.add.reduceat(data, starts)
        self.indices = rows[starts]
        self.indptr = _indptr(cols[starts], self.shape[1])

    def eliminate_zeros(self) -> None:
        """Drop stored zeros, in place."""
        keep = self.data != 0
        if keep.all():
            return
        cols = _positions(self.indptr)[keep]
        self.data = self.data[keep]
        self.indices = self.indices[keep]
        self.indptr = _indptr(cols, self.shape[1])

    def __getitem__(self, key: tuple[slice, np.ndarray]) -> CscArray:
        """``a[:, mask]``: the columns where the boolean ``mask`` is true (the only indexing the compiler uses)."""
        rows, mask = key
        mask = np.asarray(mask)
        if rows != slice(None) or mask.dtype != np.bool_ or mask.shape != (self.shape[1],):
            raise TypeError("only a[:, boolean column mask] is supported")
        keep = np.repeat(mask, np.diff(self.indptr))
        kept_cols = _positions(self.indptr)[keep]
        new_index = np.cumsum(mask) - 1
        return CscArray((self.data[keep], self.indices[keep], _indptr(new_index[kept_cols], int(mask.sum()))),
                        (self.shape[0], int(mask.sum())))

    def __matmul__(self, x: np.ndarray) -> np.ndarray:
        """Matrix times a vector of length ``shape[1]``."""
        x = np.asarray(x, dtype=np.float64)
        if x.shape != (self.shape[1],):
            raise ValueError(f"cannot multiply a {self.shape} matrix by a vector of shape {x.shape}")
        result = np.zeros(self.shape[0])
        np.add.at(result, self.indices, self.data * x[_positions(self.indptr)])
        return result

    def toarray(self) -> np.ndarray:
        dense = np.zeros(self.shape)
        np.add.at(dense, (self.indices, _positions(self.indptr)), self.data)
        return dense


def csc_from_entries(rows: np.ndarray, cols: np.ndarray, values: np.ndarray, shape: tuple[int, int]) -> CscArray:
    """The matrix with ``values[k]`` at (``rows[k]``, ``cols[k]``), stored by column with each column sorted by row
    and entries given twice for one place added up: ``scipy.sparse.csc_array((values, (rows, cols)), shape)``
    after ``sort_indices``.  The coupled national LP and an ICS's LP with the rest of England fixed are put
    together this way (``workforce/rollup/stack.py``, ``workforce/marginal/fixed.py``) so that neither the
    roll-up nor its workers import scipy (see above: 65-67 MB of memory in each process, with Pyomo's hook).
    """
    cols = np.asarray(cols, dtype=np.int64)
    order = np.argsort(cols, kind="stable")
    matrix = CscArray((np.asarray(values, dtype=np.float64)[order], np.asarray(rows, dtype=INDEX)[order],
                       _indptr(cols[order], shape[1])), shape)
    matrix.sum_duplicates()
    return matrix


def csc_entries(indptr: np.ndarray, indices: np.ndarray, values: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                                       np.ndarray]:
    """(rows, columns, values) of the entries of CSC arrays, in storage order."""
    return np.asarray(indices), _positions(np.asarray(indptr)), np.asarray(values)


class CsrArray(_Compressed):
    """A sparse matrix stored by row (the compiler builds rows, then converts to columns)."""

    major_axis = 0

    def tocsc(self) -> CscArray:
        """The same matrix stored by column (duplicates kept, as scipy keeps them)."""
        rows = _positions(self.indptr)
        order = np.lexsort((rows, self.indices))  # by column, then row
        return CscArray((self.data[order], rows[order], _indptr(self.indices[order], self.shape[1])), self.shape)
