"""``workforce solve``: one workbook's plan, reported on the terminal or as ``--json``.

``cli.py`` declares the command's options and calls :func:`solve_and_report`; exit codes and what is printed follow
the other commands (``workforce.cli_output``).  The solver's modules are imported when a solve starts, not when the
command starts, so that ``workforce --help`` and bad options answer at once.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from workforce.cli_output import (
    adjustment_lines,
    echo_issues,
    executor_given,
    existing_file,
    futures_lines,
    futures_only_given,
    futures_payload,
    invalid_input,
    invalid_scenario,
    print_json,
    scenario_or_exit,
    scenario_payload,
    solver_failed,
)
from workforce.inputs.issues import InputError

EXIT_OK = 0
# `workforce solve` owns the machine: the re-solves of a large ICS's Budget curve sheet are shared by two
# processes (workforce/marginal/split.py).  A constant, not --workers or the core count, so that the plan's
# numbers (and --json) never depend on either.
RESOLVE_WORKERS = 2
QUICK_EXIT = "quick_exit"  # key in the click context's obj: skip Python's tear-down after a solve


def finish(code: int) -> None:
    """Exit with ``code``; as the installed command (``cli.run``), at once.

    Once the plan is written and reported nothing is left to do, but Python's
    own tear-down would free the Pyomo model object by object: 0.2–0.4 s for
    the large 40-role ICS, a tenth of the whole command (``benchmarks/``).
    Under a test runner, or imported, this is an ordinary ``sys.exit``.
    """
    context = click.get_current_context(silent=True)
    if context is not None and isinstance(context.obj, dict) and context.obj.get(QUICK_EXIT):
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)
    sys.exit(code)


def solve_and_report(*, workbook: Path, scenario_path: Path, out_path: Path | None, write_lp: Path | None,
                     time_limit: float | None, futures_count: int | None, seed: int | None, hedge_count: int | None,
                     workers: int, executor: str, scheduler: str | None, as_json: bool) -> None:
    """Solve ``workbook`` under the policy at ``scenario_path``, write the plan, report it and exit 0 (a failure
    exits with its own code: ``workforce solve --help``)."""
    from workforce.futures.run import FuturesRequest
    from workforce.rollup.executors import progress_printer
    from workforce.runner import solve_workbook
    from workforce.scenarios.apply import AdjustmentError
    from workforce.solve import SolveFailure

    existing_file(workbook)
    if out_path is not None and out_path.suffix.lower() != ".xlsx":
        raise click.BadParameter("the plan must be written to an .xlsx file", param_hint="--out")
    futures_only_given(click.get_current_context(), futures_count)
    executor_given(executor, scheduler)
    scenario = scenario_or_exit(scenario_path, as_json)
    request = None if futures_count is None else FuturesRequest(futures_count, seed or 0, hedge_count or 0, workers,
                                                                 executor, scheduler)
    progress = None if as_json or request is None else progress_printer()
    try:
        outcome = solve_workbook(workbook, scenario, output_path=out_path, write_lp=write_lp,
                                 time_limit_s=time_limit, futures=request, progress=progress,
                                 resolve_workers=RESOLVE_WORKERS)
    except AdjustmentError as exc:
        invalid_scenario(exc.problems, as_json)
    except InputError as exc:
        invalid_input(workbook, exc, as_json)
    except SolveFailure as exc:
        solver_failed(exc, "No plan was written; try a longer --time-limit.", as_json)
    finally:
        if progress is not None:
            click.echo(err=True)  # end the progress line
    plan = outcome.plan
    echo_issues(list(plan.warnings))
    if as_json:
        payload = {
            "status": outcome.run.status,
            "ics_code": plan.ics_code,
            "input": str(workbook),
            "output": str(outcome.output_path),
            "objectives": plan.objectives.as_dict(),
            "scenario": scenario_payload(plan),
            "run_out_years": plan.run_out_years,
            "marginal_budget": [v.as_json() for v in plan.marginal_budget],
            "budget_curve": [p.as_json() for p in plan.budget_curve],
            "timings_s": outcome.run.timings_s,
            "warnings": [i.as_dict() for i in plan.warnings],
        }
        print_json(payload if outcome.futures is None else {**futures_payload(outcome), **{
            k: v for k, v in payload.items() if k != "timings_s"}})
    else:
        o = plan.objectives
        click.echo(f"{plan.ics_name} ({plan.ics_code}): plan written to {outcome.output_path}", err=True)
        for line in adjustment_lines(plan):
            click.echo(line, err=True)
        for line in futures_lines(outcome):
            click.echo(line, err=True)
        click.echo(f"  solved model (plan and {plan.run_out_years} run-out years): overspend £{o.overspend_gbp:,.0f}; "
                   f"planning score (weighted unmet demand) {o.unmet_fte_years:,.1f} FTE-years; "
                   f"total cost £{o.cost_gbp:,.0f}", err=True)
    finish(EXIT_OK)
