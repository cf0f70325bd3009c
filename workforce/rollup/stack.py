"""The coupled national LP assembled from the ICS blocks: where each block sits, the national rows, the stacking.

The maths is in ``workforce/rollup/coupled.py``.  Everything here works on
arrays (:class:`workforce.rollup.blocks.IcsBlock`), in the parent process:
the blocks were built, compiled and solved in the workers.

Layout of the stacked LP (columns; rows):

    [ block 1 | block 2 | … | block n | fund columns ]
    [ rows of block 1; …; rows of block n; national rows (one per limit and year) ]

Each fund column f_i[b,y] has −1 in its ICS's budget row ``budget.limit[b,y]``
and +1 in the fund's national row of that financial year.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from workforce.data import ModelData
from workforce.model.index import MONEY_UNIT_GBP
from workforce.rollup.blocks import IcsBlock
from workforce.rollup.national import NationalLimits
from workforce.solve import StandardForm
from workforce.sparse import csc_entries, csc_from_entries
from workforce.strategy import AT_LOWER, BASIC, Basis


@dataclass(frozen=True)
class CouplingRow:
    """One national limit in one year, and which columns it sums."""

    kind: str  # "recruitment", "training" or "fund"
    label: str
    year: int  # financial year start
    limit: float  # model units (FTE, or £k for the fund)
    columns: np.ndarray


@dataclass(frozen=True)
class FundColumn:
    """One fund column: its ICS (block), budget holder, plan year and the stacked row of that budget."""

    block: int
    holder: int
    year: int  # plan year of the ICS
    budget_row: int  # in the stacked LP


@dataclass(frozen=True)
class Layout:
    """Where each block sits in the stacked LP: ``col_offset[i]`` … ``col_offset[i + 1]`` are block i's columns."""

    col_offset: tuple[int, ...]
    row_offset: tuple[int, ...]

    @staticmethod
    def of(blocks: list[IcsBlock]) -> Layout:
        cols = np.concatenate(([0], np.cumsum([b.lp.num_cols for b in blocks]))).astype(int)
        rows = np.concatenate(([0], np.cumsum([b.lp.num_rows for b in blocks]))).astype(int)
        return Layout(tuple(int(c) for c in cols), tuple(int(r) for r in rows))

    @property
    def num_cols(self) -> int:
        """Columns of the blocks (the fund columns come after them)."""
        return self.col_offset[-1]

    @property
    def num_rows(self) -> int:
        """Rows of the blocks (the national rows come after them)."""
        return self.row_offset[-1]

    def block_of(self, columns: np.ndarray) -> np.ndarray:
        """The block of each of ``columns`` (block columns only)."""
        return np.searchsorted(np.asarray(self.col_offset), columns, side="right") - 1


def _plan_year(year: int, data: ModelData) -> int | None:
    """ICS plan year of financial year ``year``; ``None`` outside its plan years (national limits bind plan years,
    not the run-out, which is a modelling device)."""
    y = year - data.first_year + 1
    return y if 1 <= y <= data.horizon_years else None


def coupling(blocks: list[IcsBlock], datas: list[ModelData], limits: NationalLimits, layout: Layout
             ) -> tuple[list[CouplingRow], list[FundColumn]]:
    """The national rows, and the fund columns in order (the k-th is column ``layout.num_cols + k``)."""
    rows: list[CouplingRow] = []
    for cap in limits.recruitment_caps:
        for year, amount in sorted(cap.max_hires_fte.items()):
            cols = [layout.col_offset[bi] + block.hire_columns[(c.index, y)]
                    for bi, (block, d) in enumerate(zip(blocks, datas)) if (y := _plan_year(year, d)) is not None
                    for c in d.recruitment
                    if cap.applies_to(c.channel, c.role[1]) and (c.index, y) in block.hire_columns]
            rows.append(CouplingRow("recruitment", cap.label, year, amount, np.array(cols, dtype=np.int64)))
    for places in limits.training_places:
        for year, amount in sorted(places.max_starts_fte.items()):
            cols = [layout.col_offset[bi] + block.start_columns[(k.index, y)]
                    for bi, (block, d) in enumerate(zip(blocks, datas)) if (y := _plan_year(year, d)) is not None
                    for k in d.training if places.applies_to(k.route) and (k.index, y) in block.start_columns]
            rows.append(CouplingRow("training", places.label, year, amount, np.array(cols, dtype=np.int64)))
    fund: list[FundColumn] = []
    for year, amount in sorted(limits.fund_gbp.items()):
        cols = []
        for bi, (block, d) in enumerate(zip(blocks, datas)):
            y = _plan_year(year, d)
            if y is None:
                continue
            for b in range(len(d.budget_holders)):
                cols.append(layout.num_cols + len(fund))
                fund.append(FundColumn(bi, b, y, layout.row_offset[bi] + block.budget_limit_rows[(b, y)]))
        rows.append(CouplingRow("fund", "National workforce fund", year, amount / MONEY_UNIT_GBP,
                                np.array(cols, dtype=np.int64)))
    return rows, fund


def stack(blocks: list[IcsBlock], layout: Layout, national: list[CouplingRow], fund: list[FundColumn]
          ) -> StandardForm:
    """The coupled LP: the blocks side by side, the fund columns, the national rows (arrays only).

    The matrix is put together from its entries with numpy (:func:`workforce.sparse.csc_from_entries`), not
    ``scipy.sparse``: importing scipy in the roll-up's process, where Pyomo is loaded, costs about 65 MB of memory.
    """
    n_fund = len(fund)
    rows, cols, values = [], [], []
    for bi, b in enumerate(blocks):
        r, c, v = csc_entries(b.lp.matrix_start, b.lp.matrix_index, b.lp.matrix_value)
        rows.append(r.astype(np.int64) + layout.row_offset[bi])
        cols.append(c.astype(np.int64) + layout.col_offset[bi])
        values.append(v)
    rows.append(np.array([f.budget_row for f in fund], dtype=np.int64))  # each fund column: -1 in its budget row
    cols.append(layout.num_cols + np.arange(n_fund, dtype=np.int64))
    values.append(-np.ones(n_fund))
    for r, row in enumerate(national):  # +1 for each column a national row sums
        rows.append(np.full(len(row.columns), layout.num_rows + r, dtype=np.int64))
        cols.append(row.columns)
        values.append(np.ones(len(row.columns)))
    matrix = csc_from_entries(np.concatenate(rows), np.concatenate(cols), np.concatenate(values),
                              (layout.num_rows + len(national), layout.num_cols + n_fund))
    cost = np.hstack([np.hstack([b.lp.cost for b in blocks]), np.zeros((3, n_fund))])
    return StandardForm(
        cost=cost, matrix_start=matrix.indptr.astype(np.int32), matrix_index=matrix.indices.astype(np.int32),
        matrix_value=matrix.data.astype(float),
        row_lower=np.hstack([b.lp.row_lower for b in blocks] + [np.full(len(national), -np.inf)]),
        row_upper=np.hstack([b.lp.row_upper for b in blocks] + [np.array([c.limit for c in national])]),
        col_lower=np.hstack([b.lp.col_lower for b in blocks] + [np.zeros(n_fund)]),
        col_upper=np.hstack([b.lp.col_upper for b in blocks] + [np.full(n_fund, np.inf)]),
        rows=(), columns=(),
    )


def starts(blocks: list[IcsBlock], n_fund: int, n_national: int) -> tuple[Basis | None, Basis | None]:
    """Starting bases of coupled stages 1 and 2: the ICSs' own, national rows basic and fund columns at 0.

    An ICS whose stage-2 basis does not cover exactly its own rows (it overspends, so its stage 2 had the
    overspend row) contributes its stage-1 basis to stage 2 as well.
    """
    found: list[Basis | None] = []
    for stage in (0, 1):
        own = [b.independent.bases[stage] or b.independent.bases[0] for b in blocks]
        if any(basis is None for basis in own):
            found.append(None)
            continue
        cols = [o.col_status for o in own] + [np.full(n_fund, AT_LOWER, np.int8)]  # type: ignore[union-attr]
        rows = [o.row_status for o in own] + [np.full(n_national, BASIC, np.int8)]  # type: ignore[union-attr]
        found.append(Basis(np.concatenate(cols), np.concatenate(rows)))
    return found[0], found[1]
