"""One national plan: the ICS LPs coupled only through national limits.

Maths
-----
Each ICS i keeps its own LP (issue 2, section 2) unchanged.  The coupling adds,
for every national limit and financial year Y (plan year y_i = Y − first_year_i + 1):

    Σ_i Σ_{c of i: channel (and staff group) match} h_i[c, y_i] ≤ Cap[Y]        recruitment cap
    Σ_i Σ_{k of i: route matches}               n_i[k, y_i] ≤ Places[Y]     training places
    Σ_i Σ_b f_i[b, y_i] ≤ Fund[Y],   f ≥ 0                                     national fund

and the fund enters each budget row:  spend − o + t_out − t_in − f_i[b,y] ≤ Budget.
Objectives are the per-ICS ones summed, O_s = Σ_i O_s,i, minimised lexicographically
with the same tolerances, so the national limits go where they cut weighted unmet
demand most (after overspend).  Each ICS's LP is built from its workbook extended
by the run-out (``workforce/horizon.py``); national limits and the fund apply to the
ICSs' plan years only (the run-out is a modelling device, not years the national
file plans for).

Symbols
-------
| symbol | code | unit | national file |
|---|---|---|---|
| Cap[Y] | `RecruitmentCap.max_hires_fte` | FTE | recruitment_caps.max_hires_fte |
| Places[Y] | `TrainingPlaces.max_starts_fte` | FTE | training_places.max_starts_fte |
| Fund[Y] | `NationalLimits.fund_gbp` | £ (£k in the LP) | fund.amount_gbp |
| f_i[b,y] | fund column of ICS i, holder b | £k | — |

Structure: the coupled LP is the ICS matrices stacked block-diagonally plus a
handful of coupling rows and fund columns (``workforce/rollup/stack.py``);
nothing else links the blocks.  The ICS blocks are built, compiled and solved
on their own in the workers (``workforce/rollup/blocks.py``), and the parent
stacks arrays.  The ICSs' own optima are used three ways: with no limit that
binds them and no fund, they *are* the coupled optimum (no coupled solve at
all); stage 1 is skipped when they overspend nowhere and satisfy the limits
(coupled O1* is then 0); and otherwise the coupled stages start from their
bases (``workforce.strategy.COUPLED``: the ICSs' bases side by side, national
rows basic, fund columns at 0).  Each plan is then extracted in a worker, which
also values its ICS's budgets with the rest of England held fixed
(``workforce.marginal.fixed``); what one more unit of each national limit does
is re-solved on the coupled LP here (``workforce.marginal.national``), in a
thread of the parent while the workers extract the plans (:class:`Beside`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Generic, TypeVar

import numpy as np

from workforce.data import ModelData
from workforce.inputs.issues import Issue
from workforce.marginal.fixed import RestOfEngland, fixed_allocation_lp, fixed_allocation_values, rest_of_england
from workforce.marginal.national import limit_value
from workforce.memory import return_freed_memory
from workforce.model.index import MONEY_UNIT_GBP
from workforce.optimise import stage_key
from workforce.plan import ActionType, Plan
from workforce.results import attach_marginal_budget, shown_as_zero
from workforce.rollup.blocks import IcsBlock, block_plan, build_block
from workforce.rollup.national import NationalLimits
from workforce.rollup.stack import CouplingRow, FundColumn, Layout, coupling, stack, starts
from workforce.scenario import Scenario
from workforce.solve import LexState, Solution, solve_lexicographic
from workforce.strategy import COUPLED, Strategy

GBP_PER_MILLION = 1_000_000.0
SLACK_FTE = 1e-6  # a limit used to within this is treated as binding
NO_SOLVE_NEEDED = "no national limit binds the independent plans and there is no fund, so they are already the " \
                  "coupled optimum"
NO_ICS = "no ICS workbook was accepted (each was rejected, or none was found), so there is no plan to share the " \
         "national limits between"

T = TypeVar("T")

# Runs calls (function, arguments) — in worker processes in a roll-up — and returns their results in order;
# the text says what they do, for progress.
RunCalls = Callable[[list[tuple[Callable[..., object], tuple[object, ...]]], str], list[object]]


@dataclass(frozen=True)
class NationalMarginal:
    """What one more unit of a national limit does (``workforce.marginal.national``).

    ``value`` is the local rate (weighted unmet demand avoided per unit at the margin, stage-2 duals);
    the ``*_avoided`` fields come from re-solving the coupled plan with the limit one unit higher (£1m for
    the fund, one FTE for a cap); the rate holds for limits from ``holds_from`` to ``holds_to``.
    """

    kind: str
    label: str
    year: int
    limit: float  # FTE, or £ for the fund
    used: float  # FTE, or £
    value: float  # weighted unmet demand avoided at the margin, FTE-years per FTE or per £1m
    unit: str
    overspend_avoided_gbp: float = 0.0
    weighted_unmet_avoided: float = 0.0
    vacancy_avoided_fte_years: float = 0.0
    holds_from: float = 0.0
    holds_to: float | None = None
    available: bool = True  # False: the re-solve failed, so the *_avoided figures are not known (shown as [x])


@dataclass(frozen=True)
class CoupledResult:
    plans: tuple[Plan, ...]
    marginals: tuple[NationalMarginal, ...]
    fund_by_ics: dict[str, dict[int, float]]  # ICS -> year -> £ allocated
    places_by_ics: dict[tuple[str, str, int], float]  # (label, ICS, year) -> FTE used
    stage_objectives: tuple[float, float, float]  # £, FTE-years, £
    shortcut: str  # "" when the coupled LP was solved, else why it was not needed
    seconds: dict[str, float]
    iterations: dict[str, int] = field(default_factory=dict)  # HiGHS iterations per coupled stage
    strategy: str = ""  # how HiGHS ran the coupled stages (workforce.strategy)
    size: tuple[int, int] = (0, 0)  # columns and rows of the coupled LP
    rest_of_england: tuple[RestOfEngland, ...] = ()  # per plan: what the others leave it (its budget values)


class Beside(Generic[T]):
    """A computation run in a thread of its own while this one waits on the workers (``alongside``), or at once.

    The national limits' re-solves (HiGHS, which lets go of the GIL while it solves) run in the parent while
    the workers extract the plans and value each ICS's budgets: on two cores the parent's core is otherwise
    idle for all of that.  Nothing is shared but read-only arrays and the coupled HiGHS model, which only the
    re-solves use.  In-process runs (no workers) compute at once: two HiGHS solves in one process at a time
    are not needed there.  The thread is a daemon, so an interrupted roll-up does not wait for it.
    """

    def __init__(self, work: Callable[[], T], *, alongside: bool) -> None:
        self._work = work
        self._value: T | None = None
        self._error: BaseException | None = None
        self.seconds = 0.0
        self._thread: threading.Thread | None = None
        if alongside:
            self._thread = threading.Thread(target=self._run, name="national-values", daemon=True)
            self._thread.start()
        else:
            self._run()

    def _run(self) -> None:
        started = time.perf_counter()
        try:
            self._value = self._work()
        except BaseException as error:  # handed to the thread that asks for the result
            self._error = error
        self.seconds = time.perf_counter() - started

    def result(self) -> T:
        if self._thread is not None:
            self._thread.join()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]


def _in_process(calls: list[tuple[Callable[..., object], tuple[object, ...]]], _what: str) -> list[object]:
    return [fn(*args) for fn, args in calls]


def _block_solution(block: IcsBlock, layout: Layout, bi: int, solution: Solution) -> Solution:
    cols = slice(layout.col_offset[bi], layout.col_offset[bi + 1])
    rows = slice(layout.row_offset[bi], layout.row_offset[bi + 1])
    x = solution.col_value[cols]
    objectives = tuple(float(block.lp.cost[s] @ x) for s in range(3))
    return replace(solution, stage_objectives=objectives, col_value=x, row_dual=solution.row_dual[rows],
                   col_dual=solution.col_dual[cols], state=None, stages=(), bases=())


def coupled_plan(data: ModelData, scenario: Scenario, block: IcsBlock, part: Solution,
                 fund_gbp: dict[tuple[int, int], float], warnings: list[Issue], rest: RestOfEngland | None
                 ) -> tuple[Plan, dict[str, float]]:
    """One ICS's plan from its part of the coupled solution, with its share of the national fund and (given
    ``rest``) its budgets valued with the rest of England held fixed; and the seconds each took (in a worker)."""
    started = time.perf_counter()
    plan = block_plan(data, scenario, block, part, warnings)

    def fund(row: object) -> float:
        return fund_gbp.get((data.budget_holders.index(row.budget_holder),  # type: ignore[attr-defined]
                             row.year - data.first_year + 1), 0.0)  # type: ignore[attr-defined]

    budgets = tuple(replace(row, national_fund_gbp=fund(row),
                            headroom_gbp=shown_as_zero(row.headroom_gbp + fund(row), plan.stage_tolerance_gbp))
                    for row in plan.budgets)
    plan = replace(plan, budgets=budgets)
    extracted = time.perf_counter()
    if rest is not None:
        lp = fixed_allocation_lp(block.lp, rest, block.plan_budget_rows, block.vacancy_cols)
        plan = attach_marginal_budget(plan, fixed_allocation_values(lp, scenario))
    return plan, {"extract": extracted - started, "marginal": time.perf_counter() - extracted}


def _usage_by_limit(limits: NationalLimits, independent: dict[str, Plan]) -> list[tuple[str, int, float, float]]:
    """(label, year, limit, FTE the independent plans use) for every national cap and training limit."""
    usage = []
    for cap in limits.recruitment_caps:
        for year, amount in sorted(cap.max_hires_fte.items()):
            used = sum(a.fte for p in independent.values() for a in p.actions
                       if a.action == ActionType.RECRUIT and a.year == year and cap.applies_to(a.name, a.staff_group))
            usage.append((cap.label, year, amount, used))
    for places in limits.training_places:
        for year, amount in sorted(places.max_starts_fte.items()):
            used = sum(a.fte for p in independent.values() for a in p.actions
                       if a.action == ActionType.TRAIN and a.year == year and places.applies_to(a.name))
            usage.append((places.label, year, amount, used))
    return usage


def _from_recorded_plans(datas: list[ModelData], limits: NationalLimits, independent: dict[str, Plan]
                         ) -> CoupledResult | None:
    """The recorded independent plans as the coupled plan, when they leave every national limit slack and there is
    no fund: the coupled LP is then the independent ones plus constraints those plans already satisfy with room to
    spare, so they are its lexicographic optimum and every national marginal value is 0.  ``None`` otherwise."""
    usage = _usage_by_limit(limits, independent)
    if any(amount > 0 for amount in limits.fund_gbp.values()) or \
            any(used >= limit - SLACK_FTE for _, _, limit, used in usage):
        return None
    plans = tuple(independent[d.ics_code] for d in datas)
    marginals = tuple(NationalMarginal("training" if label.endswith("places") else "recruitment", label, year,
                                       limit, used, 0.0, "FTE") for label, year, limit, used in usage)
    totals = (sum(p.objectives.overspend_gbp for p in plans), sum(p.objectives.unmet_fte_years for p in plans),
              sum(p.objectives.cost_gbp for p in plans))
    return CoupledResult(plans=plans, marginals=marginals, fund_by_ics={}, places_by_ics={}, stage_objectives=totals,
                         seconds={"solve": 0.0}, shortcut=NO_SOLVE_NEEDED)


def _own_optima(blocks: list[IcsBlock], layout: Layout, n_national: int, n_fund: int) -> Solution:
    """The ICSs' own optima side by side (fund columns at 0): the coupled optimum when no limit binds them."""
    own = np.concatenate([b.independent.col_value for b in blocks] + [np.zeros(n_fund)])
    objectives = tuple(sum(b.independent.stage_objectives[s] for b in blocks) for s in range(3))
    return Solution(stage_objectives=objectives, col_value=own,  # type: ignore[arg-type]
                    row_dual=np.zeros(layout.num_rows + n_national), col_dual=np.zeros(len(own)),
                    status="optimal", highs_version="", solve_seconds=0.0)


def _used(row: CouplingRow, x: np.ndarray) -> float:
    return float(x[row.columns].sum()) if len(row.columns) else 0.0


def _national_marginals(national: list[CouplingRow], solution: Solution, layout: Layout, datas: list[ModelData],
                        state: LexState | None, vacancy: np.ndarray
                        ) -> tuple[list[NationalMarginal], dict[tuple[str, str, int], float]]:
    """Each national limit-year's use and what one more unit does (re-solved on ``state``; 0 everywhere without
    one: no limit binds); and each ICS's use of the caps and places."""
    marginals = []
    places_by_ics: dict[tuple[str, str, int], float] = {}
    for r, row in enumerate(national):
        used = _used(row, solution.col_value)
        fund_row = row.kind == "fund"
        scale = MONEY_UNIT_GBP if fund_row else 1.0
        unit = "£1m" if fund_row else "FTE"
        if state is None:
            marginals.append(NationalMarginal(row.kind, row.label, row.year, row.limit * scale, used * scale, 0.0,
                                              unit, holds_from=used * scale))
        else:
            worth = limit_value(state, layout.num_rows + r, GBP_PER_MILLION / MONEY_UNIT_GBP if fund_row else 1.0,
                                row.limit * scale, scale, vacancy, MONEY_UNIT_GBP)
            marginals.append(NationalMarginal(row.kind, row.label, row.year, row.limit * scale, used * scale,
                                              worth.rate_per_unit, unit, worth.overspend_avoided_gbp,
                                              worth.weighted_unmet_avoided, worth.vacancy_avoided_fte_years,
                                              worth.holds_from, worth.holds_to, worth.available))
            # A long re-solve leaves 50-60 MB of freed HiGHS work space that glibc keeps, while both workers
            # value budgets: hand it back to the system before the next one.
            return_freed_memory()
        if not fund_row:
            for bi, d in enumerate(datas):
                lo, hi = layout.col_offset[bi], layout.col_offset[bi + 1]
                mine = row.columns[(row.columns >= lo) & (row.columns < hi)]
                if len(mine):
                    places_by_ics[(row.label, d.ics_code, row.year)] = float(solution.col_value[mine].sum())
    return marginals, places_by_ics


def _rests(blocks: list[IcsBlock], layout: Layout, national: list[CouplingRow], fund: list[FundColumn],
           x: np.ndarray) -> tuple[RestOfEngland, ...]:
    """For each ICS, what the rest of England leaves it of each national row at the coupled solution ``x``."""
    total = layout.num_cols + len(fund)
    fund_block = np.array([f.block for f in fund], dtype=np.int64)
    owner = np.concatenate([layout.block_of(np.arange(layout.num_cols)), fund_block])
    local = np.zeros(total, dtype=np.int64)
    rests = []
    for bi in range(len(blocks)):
        lo, hi = layout.col_offset[bi], layout.col_offset[bi + 1]
        local[lo:hi] = np.arange(hi - lo)
        own_fund = np.flatnonzero(fund_block == bi)
        local[layout.num_cols + own_fund] = (hi - lo) + np.arange(len(own_fund))
        budget_rows = np.array([fund[k].budget_row - layout.row_offset[bi] for k in own_fund], dtype=np.int64)
        rests.append(rest_of_england([row.columns for row in national], np.array([row.limit for row in national]),
                                     x, owner == bi, local, budget_rows))
    return tuple(rests)


def solve_coupled(datas: list[ModelData], warnings: dict[str, list[Issue]], scenario: Scenario,
                  limits: NationalLimits, independent: dict[str, Plan] | None = None, *,
                  run_calls: RunCalls | None = None, strategy: Strategy = COUPLED,
                  with_budget_values: bool = True) -> CoupledResult:
    """The coupled national plan.

    ``independent`` plans (if recorded) let it skip the solve when they settle it; ``run_calls`` runs the
    per-ICS work (building, compiling and solving each ICS on its own; extracting its plan and valuing its
    budgets) — in a roll-up's workers — and defaults to this process.  ``strategy`` is how HiGHS runs the
    coupled stages; ``with_budget_values=False`` leaves out each ICS's extra-£1m values.
    """
    if not datas:  # nothing to couple; the roll-up still lists the rejected and missing workbooks
        return CoupledResult((), (), {}, {}, (0.0, 0.0, 0.0), NO_ICS, {})
    if independent is not None and len(independent) == len(datas):
        recorded = _from_recorded_plans(datas, limits, independent)
        if recorded is not None:
            return recorded
    calls = run_calls or _in_process
    seconds: dict[str, float] = {}
    started = time.perf_counter()
    blocks: list[IcsBlock] = calls([(build_block, (d, scenario)) for d in datas], "built")  # type: ignore[assignment]
    seconds["build_and_hand_off"] = time.perf_counter() - started  # wall time: in parallel, with the ICS solves
    for part in ("build", "hand_off", "solve"):
        seconds[f"ics_{part}_total"] = sum(b.seconds[part] for b in blocks)
    started = time.perf_counter()
    layout = Layout.of(blocks)
    national, fund = coupling(blocks, datas, limits, layout)
    own = _own_optima(blocks, layout, len(national), len(fund))
    own_use = [_used(row, own.col_value) for row in national]
    no_fund = not any(row.kind == "fund" and row.limit > 0 for row in national)
    shortcut, stages, size, state = "", (), (0, 0), None
    if no_fund and all(used < row.limit - SLACK_FTE for row, used in zip(national, own_use) if row.kind != "fund"):
        solution, shortcut = own, NO_SOLVE_NEEDED
        seconds["stack"], seconds["solve"] = time.perf_counter() - started, 0.0
    else:
        stacked = stack(blocks, layout, national, fund)
        size = (stacked.num_cols, stacked.num_rows)
        seconds["stack"] = time.perf_counter() - started
        # Stage 1 is settled when the ICSs' own optima overspend nowhere and respect every limit: they are
        # feasible for the coupled LP with O1 = 0, and O1 cannot be negative.
        settled = own.stage_objectives[0] <= scenario.absolute_tolerance and \
            all(used <= row.limit for row, used in zip(national, own_use))
        first = starts(blocks, len(fund), len(national)) if strategy.start_from_ics_bases else ()
        started = time.perf_counter()
        solution = solve_lexicographic(stacked, scenario.solver, scenario.relative_tolerance,
                                       scenario.absolute_tolerance, first_optimum=0.0 if settled else None,
                                       strategy=strategy, starts=first, keep_state=True)
        seconds["solve"] = time.perf_counter() - started
        stages, state = solution.stages, solution.state
        # HiGHS freed ~85 MB of the stages' work space, which glibc keeps: handed back before the workers and
        # the national re-solves run side by side, the roll-up's peak of memory.
        return_freed_memory()
    for record in stages:
        seconds[stage_key(record.name)] = record.seconds
        if record.finish_iterations or record.finish_seconds:
            seconds[stage_key(record.name) + "_finish"] = record.finish_seconds
    vacancy = np.concatenate([layout.col_offset[bi] + b.vacancy_cols for bi, b in enumerate(blocks)])
    national_values = Beside(lambda: _national_marginals(national, solution, layout, datas, state, vacancy),
                             alongside=run_calls is not None)
    fund_value = solution.col_value[layout.num_cols:]
    fund_of = [{(f.holder, f.year): fund_value[k] * MONEY_UNIT_GBP for k, f in enumerate(fund) if f.block == bi}
               for bi in range(len(blocks))]
    rests = _rests(blocks, layout, national, fund, solution.col_value)
    started = time.perf_counter()
    parts = [_block_solution(block, layout, bi, solution) for bi, block in enumerate(blocks)]
    done: list[tuple[Plan, dict[str, float]]] = calls(  # type: ignore[assignment]
        [(coupled_plan, (d, scenario, block, part, fund_gbp, warnings.get(d.ics_code, []),
                         rest if with_budget_values else None))
         for d, block, part, fund_gbp, rest in zip(datas, blocks, parts, fund_of, rests)], "extracted")
    seconds["extract_and_budget_values"] = time.perf_counter() - started  # wall time, in the workers
    marginals, places_by_ics = national_values.result()
    seconds["national_values"] = national_values.seconds  # its own time (alongside the workers' in a roll-up)
    seconds["national_values_wait"] = time.perf_counter() - started - seconds["extract_and_budget_values"]
    state, solution = None, replace(solution, state=None)  # the coupled HiGHS model is no longer needed: free it
    return_freed_memory()  # and hand its ~200 MB back to the system before the plans are written
    seconds["ics_extract_total"] = sum(s["extract"] for _, s in done)
    seconds["ics_budget_values_total"] = sum(s["marginal"] for _, s in done)
    fund_by_ics: dict[str, dict[int, float]] = {}
    for bi, d in enumerate(datas):
        by_year: dict[int, float] = {}
        for (b, y), gbp in fund_of[bi].items():
            by_year[d.year_start(y)] = by_year.get(d.year_start(y), 0.0) + gbp
        fund_by_ics[d.ics_code] = by_year
    o1, o2, o3 = solution.stage_objectives
    iterations = {stage_key(s.name): s.iterations for s in stages}
    iterations.update({stage_key(s.name) + "_finish": s.finish_iterations for s in stages if s.finish_iterations})
    return CoupledResult(plans=tuple(plan for plan, _ in done), marginals=tuple(marginals), fund_by_ics=fund_by_ics,
                         places_by_ics=places_by_ics,
                         stage_objectives=(o1 * MONEY_UNIT_GBP, o2, o3 * MONEY_UNIT_GBP), shortcut=shortcut,
                         seconds=seconds, iterations=iterations, strategy=solution.strategy, size=size,
                         rest_of_england=rests)
