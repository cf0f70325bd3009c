"""What the ``workforce`` command prints: issues (at most 200, then "and N more"), failures, roll-ups, runs.

Messages go to standard error, one line each; with ``--json`` a machine-readable object goes
to standard output — also when the command fails (``status``, ``exit_code``, ``message``).
"""

from __future__ import annotations

import errno
import functools
import json
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

import click

from workforce.atomic import CannotWrite, OutputPathError
from workforce.failures import (
    EXIT_CANNOT_WRITE,
    EXIT_CLUSTER_UNREACHABLE,
    EXIT_RECORDS_UNREACHABLE,
    EXIT_WOULD_OVERWRITE_INPUT,
    ClusterUnreachable,
    RecordsUnreachable,
)
from workforce.inputs.issues import MAX_LISTED, Issue, errors_in, listed, warnings_in

if TYPE_CHECKING:
    from pathlib import Path

    from workforce.inputs.issues import InputError
    from workforce.plan import Plan
    from workforce.rollup.outcome import RollupOutcome
    from workforce.scenario import Scenario
    from workforce.solve import SolveFailure
    from workforce.rollup.records import RunRecord
    from workforce.runner import SolveOutcome

Command = TypeVar("Command", bound=Callable[..., None])
DEFAULT_POLICY = "the packaged default, same as models/base.toml"
EXIT_INPUT = 1  # input errors: a bad workbook or scenario
EXIT_SOLVER = 3  # the solver could not produce an optimal plan


def existing_file(path: Path) -> Path:
    """``path``, when it is a file; a usage error (exit 2) naming it otherwise."""
    if not path.exists():
        raise click.BadParameter(f"there is no file at {path}", param_hint="IN.xlsx")
    if path.is_dir():
        raise click.BadParameter(f"{path} is a folder, not a workbook", param_hint="IN.xlsx")
    return path


def print_json(payload: object) -> None:
    click.echo(json.dumps(payload, indent=2, sort_keys=True, default=str))


def echo_issues(issues: list[Issue]) -> None:
    """Errors then warnings, one line each, on stderr: at most :data:`MAX_LISTED`, then "and N more"."""
    errors, warnings, more = listed(issues)
    for issue in errors:
        click.echo(f"Error: {issue.message()}", err=True)
    for issue in warnings:
        click.echo(f"Warning: {issue.message()}", err=True)
    if more:
        click.echo(f"… and {more:,} more ({len(errors_in(issues)):,} errors and {len(warnings_in(issues)):,} "
                   f"warnings in all; the first {MAX_LISTED} are listed)", err=True)


def issues_payload(issues: list[Issue]) -> dict[str, object]:
    """``errors`` and ``warnings`` (at most :data:`MAX_LISTED` together), their full counts, and how many are not
    listed (``not_listed``)."""
    errors, warnings, more = listed(issues)
    return {"errors": [i.as_dict() for i in errors], "warnings": [i.as_dict() for i in warnings],
            "error_count": len(errors_in(issues)), "warning_count": len(warnings_in(issues)), "not_listed": more}


def scenario_payload(plan: Plan) -> dict[str, object]:
    """``{"name": ..., "adjustments": [...]}``: the scenario a plan was made under and what it changed."""
    return {"name": plan.scenario_name, "adjustments": [a.as_json() for a in plan.adjustments]}


def adjustment_lines(plan: Plan) -> list[str]:
    """One line per adjustment for the terminal, under the scenario's name (nothing when there is none)."""
    if not plan.adjustments:
        return []
    lines = [f'  scenario "{plan.scenario_name}":']
    for a in plan.adjustments:
        lines.append(f"    {a.number}. {a.adjustment.describe()}: {a.rows_matched} row(s), "
                     f"{a.values_changed} value(s) changed")
    return lines


MAX_FUTURES = 100_000  # about 45 minutes for a sample ICS on 2 workers (bench_futures.py: 55 ms a future)


def futures_count_given(_ctx: click.Context, _param: click.Parameter, value: int | None) -> int | None:
    """``--futures``: at least 1 and at most MAX_FUTURES."""
    if value is not None and not 1 <= value <= MAX_FUTURES:
        raise click.BadParameter(f"{value:,} futures asked for: give a whole number from 1 to {MAX_FUTURES:,} "
                                 "(1,000 gives a probability to within about 1.6 percentage points, one standard error)")
    return value


MAX_HEDGE_FUTURES = 200  # the two-stage LP holds every future: ~1,000 rows each for a sample ICS, and its solve
# time grows faster than that (50 futures take seconds, 200 minutes); beyond it, sample more fresh futures instead


def hedge_given(_ctx: click.Context, _param: click.Parameter, value: int | None) -> int | None:
    """``--hedge``: at least 1 and at most MAX_HEDGE_FUTURES."""
    if value is not None and not 1 <= value <= MAX_HEDGE_FUTURES:
        raise click.BadParameter(f"{value:,} futures asked for the hedged plan: give a whole number from 1 to "
                                 f"{MAX_HEDGE_FUTURES} (one LP holds them all; 50 is a good start)")
    return value


def seed_given(_ctx: click.Context, _param: click.Parameter, value: int | None) -> int | None:
    """``--seed``: a whole number, 0 or more."""
    if value is not None and value < 0:
        raise click.BadParameter(f"{value} is negative: the seed is a whole number, 0 or more")
    return value


def executor_given(executor: str, scheduler: str | None) -> None:
    """``--executor`` and ``--scheduler`` make sense together: Dask needs an address, and an address needs Dask."""
    if executor == "dask" and not scheduler:
        raise click.BadParameter("give the Dask scheduler's address with --scheduler", param_hint="--executor dask")
    if scheduler and executor != "dask":
        raise click.BadParameter("a scheduler address is for a Dask cluster: give --executor dask with it (without "
                                 "it the work runs in a local process pool)", param_hint="--scheduler")


def futures_only_given(ctx: click.Context, futures_count: int | None) -> None:
    """``solve``: the options that only say how futures are solved need ``--futures``."""
    for name, given in (("seed", "a seed only chooses futures"),
                        ("hedge_count", "the hedged first year is compared with this plan's on fresh futures"),
                        ("workers", "workers solve futures"), ("executor", "the executor solves futures"),
                        ("scheduler", "the scheduler solves futures")):
        source = ctx.get_parameter_source(name)
        if futures_count is None and source is not None and source is not click.core.ParameterSource.DEFAULT:
            flag = "--hedge" if name == "hedge_count" else f"--{name}"
            raise click.BadParameter(f"{given}: give --futures N with it", param_hint=flag)


def futures_payload(outcome: SolveOutcome) -> dict[str, object]:
    """``futures`` (each future of (a): its index, multipliers by Uncertainty row and objectives) and ``range``."""
    from workforce.futures.summary import range_json
    from workforce.plan import Objectives

    run = outcome.futures
    assert run is not None and outcome.ranges is not None
    if run.certain:
        rows = [{"index": k, "multipliers": {}, "objectives": outcome.plan.objectives.as_dict()}
                for k in range(run.count)]
    else:
        rows = [{"index": r.future.index, "multipliers": r.future.named(run.ranges),
                 "objectives": Objectives(*r.perfect.objectives).as_dict()}  # type: ignore[union-attr]
                for r in run.results]
    payload: dict[str, object] = {"futures": rows, "range": range_json(outcome.ranges)}
    if outcome.hedge is not None:
        from workforce.futures.hedge import hedge_json

        payload["hedge"] = hedge_json(outcome.hedge)
    return payload


def futures_lines(outcome: SolveOutcome) -> list[str]:
    """A line on the futures, for the terminal."""
    ranges = outcome.ranges
    if ranges is None:
        return []
    if ranges.certain:
        return [f"  {ranges.count:,} futures: the workbook gives no ranges, so each is the plan itself (Range sheet)"] \
            + hedge_lines(outcome)
    from workforce.inputs.schema import year_label

    held = ranges.kinds["central"].overspend_chance
    (holder, year), chance = max(held.items(), key=lambda item: item[1].p)
    first = f"  {ranges.count:,} futures (seed {ranges.seed}) on the Range sheet; holding this plan's first year, "
    if chance.p == 0:
        return [first + "no budget holder overspends in any of them"] + hedge_lines(outcome)
    return [first + f"the likeliest overspend is {holder} in {year_label(year)}: {chance.p:.0%} of futures"] \
        + hedge_lines(outcome)


def hedge_lines(outcome: SolveOutcome) -> list[str]:
    """A line on the hedged first year, for the terminal."""
    if outcome.hedge is None:
        return []
    h, oos = outcome.hedge.hedge, outcome.hedge.out_of_sample
    c, d = oos["central"], oos["hedged"]
    return [f"  hedged first year (solved for {h.futures:,} futures; the \"Hedged year 1\" sheet): on "
            f"{outcome.hedge.count:,} fresh futures, probability of overspend {d.probability_of_overspend:.0%} "
            f"against {c.probability_of_overspend:.0%} for this plan's first year, expected overspend "
            f"£{d.expected_overspend_gbp:,.0f} against £{c.expected_overspend_gbp:,.0f}"]


def invalid_input(workbook: Path, exc: InputError, as_json: bool) -> None:
    """Every problem with the workbook, then exit 1 (nothing was solved or written)."""
    echo_issues(exc.issues)
    click.echo(f"{workbook}: {len(errors_in(exc.issues))} error(s). Nothing was solved or written.", err=True)
    if as_json:
        print_json({"status": "invalid", "input": str(workbook), **issues_payload(exc.issues)})
    sys.exit(EXIT_INPUT)


def solver_failed(exc: SolveFailure, then: str, as_json: bool) -> None:
    """The solver could not finish; exit 3 (nothing written)."""
    click.echo(f"Error: {exc}. {then}", err=True)
    if as_json:
        print_json({"status": "solver_failed", "stage": exc.stage, "solver_status": exc.status})
    sys.exit(EXIT_SOLVER)


def invalid_scenario(problems: list[str], as_json: bool) -> None:
    """Every problem with a scenario file (or with applying it to a workbook), then exit 1."""
    for problem in problems:
        click.echo(f"Error: {problem}", err=True)
    if as_json:
        print_json({"status": "invalid_scenario", "errors": problems})
    sys.exit(EXIT_INPUT)


def scenario_or_exit(path: Path, as_json: bool) -> Scenario:
    """The policy file at ``path``, or every problem with it and exit 1."""
    from workforce.scenario import ScenarioError, load_scenario

    try:
        return load_scenario(path)
    except ScenarioError as exc:
        invalid_scenario(exc.problems, as_json)
        raise  # not reached: invalid_scenario exits


def fail(exit_code: int, status: str, message: str, as_json: bool) -> None:
    """One line on stderr (and the status object with ``--json``), then exit."""
    click.echo(f"Error: {message}", err=True)
    if as_json:
        print_json({"status": status, "exit_code": exit_code, "message": message})
    sys.exit(exit_code)


def clear_failures(command: Command) -> Command:
    """A command that ends with one line and an exit code of its own — never a traceback — when an output cannot be
    written (7), the run records cannot be reached (8), an output would replace an input (9) or the Dask scheduler
    cannot be reached (10)."""

    @functools.wraps(command)
    def run(*args: object, **kwargs: object) -> None:
        as_json = bool(kwargs.get("as_json"))
        try:
            command(*args, **kwargs)
        except CannotWrite as exc:
            advice = "free some space or choose another place" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else \
                "choose another place"
            fail(EXIT_CANNOT_WRITE, "cannot_write", f"{exc}. Nothing was changed; {advice}, and run the command "
                 "again.", as_json)
        except RecordsUnreachable as exc:
            fail(EXIT_RECORDS_UNREACHABLE, "records_unreachable", f"{exc}. Check the database is running and "
                 "reachable (--db or WORKFORCE_DB), and run the command again.", as_json)
        except OutputPathError as exc:
            fail(EXIT_WOULD_OVERWRITE_INPUT, "would_overwrite_input", str(exc), as_json)
        except ClusterUnreachable as exc:
            fail(EXIT_CLUSTER_UNREACHABLE, "cluster_unreachable", f"{exc}. Check the address given with "
                 "--scheduler and that the cluster is running, or run without --executor dask.", as_json)

    return run  # type: ignore[return-value]


def icss(count: int) -> str:
    """``1 ICS``, ``2 ICSs``: how the roll-up's messages count ICSs."""
    return f"{count} ICS{'' if count == 1 else 's'}"


def report_rollup(o: RollupOutcome, as_json: bool) -> None:
    """The roll-up's summary: JSON on stdout, or what was rejected, missing and failed on stderr."""
    accepted = [s for s in o.submissions if s.status == "accepted"]
    rejected = [s for s in o.submissions if s.status != "accepted"]
    if as_json:
        print_json({
            "run_id": o.run_id, "mode": o.mode, "status": o.status, "exit_code": o.exit_code,
            "national_workbook": o.national_path, "national_sha256": o.national_sha256,
            "accepted": len(accepted), "missing": [m.code for m in o.missing], "warnings": list(o.notes),
            "rejected": [{"file": s.file_name, "status": s.status,
                          "errors": [i.message() for i in errors_in(list(s.issues))][:10]} for s in rejected],
            "ics": [{"ics_code": i.ics_code, "status": i.status, "plan": i.output_path,
                     "objectives": i.plan.objectives.as_dict() if i.plan else None, "message": i.message,
                     "timings_s": i.timings} for i in o.ics],
            "timings_s": o.seconds,
            "futures": None if o.futures is None else {
                "count": o.futures.count, "seed": o.futures.seed,
                "ics": [{"ics_code": f.ics_code, "status": f.status, "message": f.message} for f in o.futures.ics]},
            "coupled": None if o.coupled is None else {
                "seconds": o.coupled.seconds, "shortcut": o.coupled.shortcut,
                "iterations": o.coupled.iterations, "strategy": o.coupled.strategy,
                "lp_columns": o.coupled.size[0], "lp_rows": o.coupled.size[1],
                "national_marginals": [{"limit": m.label, "year": m.year, "value": m.value, "unit": m.unit,
                                        "used": m.used, "cap": m.limit,
                                        # null where the re-solve failed: not known, rather than 0
                                        "overspend_avoided_gbp": m.overspend_avoided_gbp if m.available else None,
                                        "weighted_unmet_avoided": m.weighted_unmet_avoided if m.available else None,
                                        "vacancy_avoided_fte_years": (m.vacancy_avoided_fte_years if m.available
                                                                      else None),
                                        "rate_holds_from": m.holds_from, "rate_holds_to": m.holds_to}
                                       for m in o.coupled.marginals]},
        })
        return
    click.echo("", err=True)
    for s in rejected:
        first = next((i.message() for i in errors_in(list(s.issues))), "")
        click.echo(f"Rejected: {s.file_name} ({s.status}): {first}", err=True)
    for m in o.missing:
        click.echo(f"Missing: no workbook for {m.code} {m.name}", err=True)
    for i in o.ics:
        if i.status in ("failed", "rejected"):
            click.echo(f"{i.status.capitalize()}: {i.ics_code}: {i.message}", err=True)
    if o.futures is not None:
        for f in o.futures.ics:
            if f.status == "failed":
                click.echo(f"Futures failed: {f.ics_code}: {f.message} (its plan counts in every future)", err=True)
        solved = sum(f.status == "solved" for f in o.futures.ics)
        click.echo(f"Futures: {o.futures.count:,} of each ICS (seed {o.futures.seed}), solved for {icss(solved)}; "
                   "the national workbook's Range sheet adds them up.", err=True)
    done = sum(i.status in ("succeeded", "reused") for i in o.ics)
    reused = sum(i.status == "reused" for i in o.ics)
    not_planned = len(rejected) + sum(i.status == "rejected" for i in o.ics)
    click.echo(f"{done} ICS plan{'' if done == 1 else 's'} ({reused} reused), {not_planned} rejected, "
               f"{len(o.missing)} missing. "
               f"National workbook: {o.national_path}", err=True)


RUNS_HEADER = f"{'started (UTC)':19}  {'run':8}  {'what':26}  {'status':9}  {'took':>8}  message"


def runs_lines(groups: list[tuple[RunRecord, list[RunRecord]]]) -> list[str]:
    """The ``workforce runs`` table: a header, then each roll-up followed by its ICS runs (indented)."""
    lines = [RUNS_HEADER]
    for rollup, children in groups:
        for r in (rollup, *children):
            what = f"  {r.ics_code}" if r.kind == "ics" else f"roll-up ({r.mode})"
            took = f"{(r.ended_at - r.started_at).total_seconds():.1f} s" if r.ended_at else "-"
            message = " ".join((r.message or "").split())[:120]
            lines.append(f"{r.started_at:%Y-%m-%d %H:%M:%S}  {r.run_id[:8]}  {what:26}  {r.status:9}  {took:>8}  "
                         f"{message}".rstrip())
    return lines
