"""``workforce rollup DIR --futures N --seed S``: every ICS's futures through the roll-up's executor.

Stages (one entry point, :func:`national_futures`)::

    ICS plans of the roll-up (solved or reused) + their checked data
        ─► one task per ICS with ranges, largest first, through the roll-up's executor (local pool or Dask):
           ics_futures (in the worker: the scenario's data, run_futures in process, figures stacked)
        ─► [IcsFutures] ─► workforce.futures.national.national_range ─► the national Range sheet

Each ICS's futures are those of ``workforce solve WORKBOOK --futures N --seed S`` (same seed for every ICS;
``workforce.futures.national`` says why and what it means nationally).  An ICS without ranges is not sent:
its central plan stands in every future.  Failures follow the roll-up's rule, one ICS never stops the others:
an ICS whose futures fail (the solver, or its worker lost to a crash or a limit) is listed on the Range sheet
with the reason, contributes its central plan to every future, and the roll-up exits 3.

Only independent roll-ups: a coupled plan (``--national``) shares national limits between ICSs, which a
future of one ICS cannot re-plan alone, so ``--futures`` with ``--national`` is refused (``workforce.cli``).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from dataclasses import replace
from functools import partial

from workforce.data import ModelData
from workforce.inputs.vocabulary import NameKind
from workforce.futures.national import CERTAIN, FAILED, SOLVED, IcsFutures, NationalRange, Stack, national_range
from workforce.plan import Plan
from workforce.reference import ReferenceIcs
from workforce.rollup.ics_lines import UNKNOWN_REGION
from workforce.rollup.tasks import lost_message
from workforce.scenario import Scenario

FUTURES_WITH_NATIONAL = ("--futures cannot be combined with --national: a coupled national plan shares national "
                         "caps, places and the fund between ICSs, and a future re-plans each ICS on its own. Run "
                         "the futures on an independent roll-up (leave out --national)")


def _central(data: ModelData, plan: Plan) -> tuple[int, tuple[str, ...], Stack]:
    from workforce.futures.outcomes import Labels, plan_outcome

    labels = Labels.of(data, plan.horizon_years)
    return data.first_year, tuple(r.sector for r in data.roles), Stack.of([plan_outcome(plan, labels)])


def central_only(data: ModelData, plan: Plan, status: str, message: str = "") -> IcsFutures:
    """An ICS whose central plan stands in every future (no ranges, or its futures failed)."""
    first_year, sectors, central = _central(data, plan)
    return IcsFutures(data.ics_code, status, message, first_year, sectors, central, {})


def ics_futures(data: ModelData, scenario: Scenario, plan: Plan, count: int, seed: int) -> IcsFutures:
    """A worker's task: one ICS's futures, solved one after another in this process (never raises)."""
    from workforce.futures.run import run_futures
    from workforce.futures.summary import KINDS
    from workforce.scenarios.apply import apply_adjustments
    from workforce.solve import SolveFailure

    try:
        adjusted = apply_adjustments(data, scenario.adjustments, scenario.label, unmatched_ok=True).data
        single = replace(scenario, solver=replace(scenario.solver, threads=1))
        run = run_futures(adjusted, single, plan, count=count, seed=seed, in_process=True)
        first_year, sectors, central = _central(data, plan)
        return IcsFutures(data.ics_code, SOLVED, "", first_year, sectors, central,
                          {kind: Stack.of(run.outcomes(kind)) for kind in KINDS})
    except SolveFailure as exc:
        message = str(exc)
    except Exception:  # one ICS must not stop the others; the Range sheet carries the details
        message = "internal error: " + traceback.format_exc(limit=3)
    return central_only(data, plan, FAILED, message)


def futures_lost(args: tuple[object, ...], exc: BaseException, *, memory_mb: int) -> IcsFutures:
    """The record of an ICS whose futures' worker gave no answer (``args`` as given to :func:`ics_futures`)."""
    data, plan = args[0], args[2]
    assert isinstance(data, ModelData) and isinstance(plan, Plan)
    return central_only(data, plan, FAILED, lost_message(exc, "solving this ICS's futures", memory_mb))


def national_futures(planned: Sequence[tuple[ModelData, Plan]], scenario: Scenario, count: int, seed: int,
                     executor: Executor, reference: dict[str, ReferenceIcs], memory_mb: int,
                     progress: Callable[[str], None] | None = None) -> NationalRange:
    """Every planned ICS's futures (``planned``: its checked data and its plan), added up nationally."""
    from workforce.rollup.executors import run_all
    from workforce.rollup.national_writer import NationalNames

    ranged = sorted((p for p in planned if p[0].uncertainty), key=lambda p: -len(p[0].roles))  # largest first
    calls = [(ics_futures, (data, scenario, plan, count, seed)) for data, plan in ranged]
    solved = run_all(executor, calls, progress, "futures of ICSs solved:",  # type: ignore[arg-type]
                     on_failure=partial(futures_lost, memory_mb=memory_mb))
    by_code = {i.ics_code: i for i in solved}  # type: ignore[attr-defined]
    ics = [by_code.get(data.ics_code) or central_only(data, plan, CERTAIN) for data, plan in planned]
    names = NationalNames()
    return national_range(ics, count, seed,
                          lambda code: reference[code].region if code in reference else UNKNOWN_REGION,
                          lambda sector: names(NameKind.SECTOR, sector))
