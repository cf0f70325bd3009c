"""The ``workforce`` command: a thin click layer over ``workforce.runner`` and ``workforce.rollup``.

Exit codes (every command): 0 success, 1 input errors, 2 usage (click), 3 the solver could not
produce an optimal plan (time limit, numerical failure), 7 an output could not be written (disk
full, quota, folder not writable), 8 the run-record database cannot be reached, 9 an output would
replace an input.  ``rollup`` adds 4, 5 and 6 (see its help).  What is printed: ``workforce.cli_output``.
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path

import click

from workforce.cli_output import (  # noqa: F401 (EXIT_INPUT and EXIT_SOLVER are the command's exit codes too)
    EXIT_INPUT,
    EXIT_SOLVER,
    DEFAULT_POLICY,
    adjustment_lines,
    clear_failures,
    echo_issues,
    executor_given,
    futures_count_given,
    futures_lines,
    futures_only_given,
    futures_payload,
    hedge_given,
    seed_given,
    existing_file,
    invalid_input,
    invalid_scenario,
    issues_payload,
    print_json,
    report_rollup,
    runs_lines,
    scenario_or_exit,
    scenario_payload,
    solver_failed,
)
from workforce.atomic import REASONS
from workforce.failures import EXIT_CANNOT_WRITE, EXIT_RECORDS_UNREACHABLE, EXIT_WOULD_OVERWRITE_INPUT  # noqa: F401
from workforce.inputs.issues import InputError, errors_in, warnings_in
from workforce.limits import JOB_MEMORY_MB, JOB_SECONDS
from workforce.cli_compare import compare, national_comparison
from workforce.scenario import DEFAULT_SCENARIO, Scenario, ScenarioError, load_scenario

EXIT_OK = 0
EXIT_USAGE = 2
# `workforce solve` owns the machine: the re-solves of a large ICS's Budget curve sheet are shared by two
# processes (workforce/marginal/split.py).  A constant, not --workers or the core count, so that the plan's
# numbers (and --json) never depend on either.
RESOLVE_WORKERS = 2
QUICK_EXIT = "quick_exit"  # key in the click context's obj: skip Python's tear-down after a solve




def _finish(code: int) -> None:
    """Exit with ``code``; as the installed command (:func:`run`), at once.

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


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ics-workforce", prog_name="workforce")
def main() -> None:
    """Plan an ICS's health and care workforce: recruitment, retention, deployment,
    training and agency, within budgets, year by year."""


@main.command()
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--ics-code", default=None, help="Pre-fill the ICS sheet with this ODS code, e.g. QHG.")
@click.option("--ics-name", default=None, help="Pre-fill the ICS sheet with this name.")
@click.option("--first-year", default=2026, show_default=True, type=click.IntRange(2000, 2100),
              help="First plan year (2026 = 2026/27).")
@click.option("--horizon", "horizon_years", default=5, show_default=True, type=click.IntRange(1, 15),
              help="Number of plan years.")
@click.option("--force", is_flag=True, help="Replace OUT if it already exists.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable status on stdout.")
@clear_failures
def template(out: Path, ics_code: str | None, ics_name: str | None, first_year: int, horizon_years: int,
             force: bool, as_json: bool) -> None:
    """Write a blank input workbook to OUT.xlsx, ready to fill in (exit 7 if it cannot be written)."""
    from workforce.inputs.template import write_blank_template

    if out.suffix.lower() != ".xlsx":
        raise click.BadParameter("the template must be saved as an .xlsx file", param_hint="OUT")
    try:
        write_blank_template(out, ics_code=ics_code, ics_name=ics_name, first_year=first_year,
                             horizon_years=horizon_years, overwrite=force)
    except FileExistsError:
        message = f"{out} already exists; choose another name or add --force to replace it."
        click.echo(f"Error: {message}", err=True)
        if as_json:
            print_json({"status": "exists", "exit_code": EXIT_INPUT, "message": message})
        sys.exit(EXIT_INPUT)
    click.echo(f"Blank workbook written to {out}", err=True)
    if as_json:
        print_json({"status": "written", "output": str(out)})


@main.command(name="validate")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report on stdout.")
@clear_failures
def validate_command(workbook: Path, as_json: bool) -> None:
    """Check WORKBOOK and list every problem (the first 200, then how many more); exit 1 if there is any error."""
    from workforce.runner import check_workbook

    existing_file(workbook)
    data, issues, timings = check_workbook(workbook)
    errors = errors_in(issues)
    if as_json:
        print_json({"status": "invalid" if errors else "valid", "input": str(workbook),
                     "timings_s": timings, **issues_payload(issues)})
    else:
        echo_issues(issues)
        if errors:
            click.echo(f"{workbook}: {len(errors)} error(s), {len(warnings_in(issues))} warning(s). "
                       "Nothing was solved.", err=True)
        else:
            click.echo(f"{workbook}: valid ({len(warnings_in(issues))} warning(s)).", err=True)
    sys.exit(EXIT_INPUT if errors or data is None else EXIT_OK)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--scenario", "scenario_path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_SCENARIO, show_default=DEFAULT_POLICY, help="Policy settings (TOML).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the plan [default: outputs/<ics_code>-plan.xlsx].")
@click.option("--write-lp", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the stage-1 LP with readable names to this file (never over an input).")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Seconds HiGHS may take for all three stages [default: from the scenario].")
@click.option("--futures", "futures_count", type=int, default=None, callback=futures_count_given,
              help="Sample this many futures (1 to 100,000) from the workbook's Uncertainty sheet and add a Range "
                   "sheet: each future re-planned, and with this plan's first year held.")
@click.option("--seed", type=int, default=None, callback=seed_given,
              help="Seed of the futures (a whole number, 0 or more) [default: 0]: the same seed gives the same "
                   "futures and the same --json, byte for byte.")
@click.option("--hedge", "hedge_count", type=int, default=None, callback=hedge_given,
              help="Also choose a hedged first year: one plan for this many futures of its own (1 to 200; 50 is a "
                   "good start), shown beside this plan's first year and compared on the --futures N fresh "
                   "futures (a \"Hedged year 1\" sheet).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Futures solved at once (one HiGHS thread each), through the roll-up's executor.")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Local process pool, or a Dask cluster (--scheduler), for the futures.")
@click.option("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary on stdout (with --futures: "
              "without timings, so that it is the same for a seed).")
@clear_failures
def solve(workbook: Path, scenario_path: Path, out_path: Path | None, write_lp: Path | None,
          time_limit: float | None, futures_count: int | None, seed: int | None, hedge_count: int | None,
          workers: int, executor: str,
          scheduler: str | None, as_json: bool) -> None:
    """Solve WORKBOOK and write the plan workbook.

    \b
    Exit codes: 0 plan written; 1 input errors (nothing written); 3 no optimal
    plan (nothing written); 7 the plan could not be written (disk full, folder
    not writable); 9 --out or --write-lp would replace the input.
    """
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
    _finish(EXIT_OK)


@main.command()
@click.argument("input_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("more_scenarios", nargs=-1, metavar="[SCENARIO.toml]...", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
              show_default=True, help="Folder for the ICS plans and the national workbook.")
@click.option("--scenario", "scenario_path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_SCENARIO, show_default=DEFAULT_POLICY, help="Policy settings (TOML).")
@click.option("--national", "national_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="National limits (TOML): solve the ICSs as one coupled national plan.")
@click.option("--compare", "compare_paths", type=click.Path(dir_okay=False, path_type=Path), multiple=True,
              help="Scenarios (TOML) to compare with --scenario, every ICS under each: writes "
                   "national-comparison.xlsx in --out, by region and sector (e.g. --compare A.toml B.toml).")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Parallel ICS solves (one HiGHS thread each).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Local process pool, or a Dask cluster.")
@click.option("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")
@click.option("--job-memory-mb", type=click.IntRange(min=256), default=JOB_MEMORY_MB, show_default=True,
              help="Memory limit of each workbook's check and solve (local pool or Dask); a workbook that needs "
                   "more is rejected.")
@click.option("--job-seconds", type=click.FloatRange(min=1), default=JOB_SECONDS, show_default=True,
              help="Time limit of each workbook's check and of each solve, from when it starts (local pool or "
                   "Dask); one that takes longer is rejected.")
@click.option("--futures", "futures_count", type=int, default=None, callback=futures_count_given,
              help="Also sample this many futures (1 to 100,000) of each ICS from its Uncertainty sheet, solve them "
                   "through --executor and add a Range sheet to the national workbook (independent roll-ups only).")
@click.option("--seed", type=int, default=None, callback=seed_given,
              help="Seed of the futures [default: 0]: every ICS gets this seed, so its futures are those of "
                   "`workforce solve WORKBOOK --futures N --seed S`.")
@click.option("--force", is_flag=True, help="Solve every ICS again even if its inputs are unchanged.")
@click.option("--db", default=None, help="Run records: a SQLite file or an SQLAlchemy URL "
              "[default: $WORKFORCE_DB, else outputs/runs.sqlite].")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary on stdout.")
@clear_failures
def rollup(input_dir: Path, more_scenarios: tuple[Path, ...], out_dir: Path, scenario_path: Path,
           national_path: Path | None, compare_paths: tuple[Path, ...], workers: int, executor: str,
           scheduler: str | None, job_memory_mb: int, job_seconds: float, futures_count: int | None,
           seed: int | None, force: bool, db: str | None, as_json: bool) -> None:
    """Solve every ICS workbook in INPUT_DIR and write the national workbook (with --compare: the national
    comparison of --scenario and each scenario instead; no ICS plan is written and no run recorded).

    \b
    Exit codes: 0 every ICS planned; 1 bad scenario or national file; 3 an ICS
    could not be solved; 4 completed, but some workbooks were rejected (errors,
    or their check or solve crashed or overran --job-memory-mb/--job-seconds),
    were duplicates or are missing; 5 another roll-up is writing the same --out
    folder; 6 stopped by a signal (the folder keeps the previous roll-up);
    7 an output could not be written (disk full, folder not writable); 8 the
    run records cannot be reached; 9 an output would replace an input (--out is
    the input folder).
    """
    from workforce.rollup.executors import progress_printer
    from workforce.rollup.lock import LockHeld
    from workforce.rollup.national import NationalLimitsError, load_national_limits
    from workforce.rollup.publish import check_out_folder
    from workforce.rollup.records import RunStore, database_url
    from workforce.rollup.futures import FUTURES_WITH_NATIONAL
    from workforce.rollup.run import EXIT_LOCKED, RollupOptions, run_rollup

    executor_given(executor, scheduler)
    if more_scenarios and not compare_paths:
        raise click.UsageError(f"unexpected argument(s) {', '.join(map(str, more_scenarios))}: scenario files follow "
                               "--compare")
    if compare_paths and national_path is not None:
        raise click.UsageError("--compare compares independent ICS plans; it cannot be combined with --national")
    if seed is not None and futures_count is None:
        raise click.BadParameter("a seed only chooses futures: give --futures N with it", param_hint="--seed")
    if futures_count is not None and national_path is not None:
        raise click.UsageError(FUTURES_WITH_NATIONAL)
    if futures_count is not None and compare_paths:
        raise click.UsageError("--futures adds a Range sheet to the national workbook; --compare writes a "
                               "comparison instead. Run them separately")
    problems: list[str] = []
    scenario = national = None
    compared: list[Scenario] = []
    for path in (scenario_path, *compare_paths, *more_scenarios):
        try:
            compared.append(load_scenario(path))
        except ScenarioError as exc:
            problems += exc.problems
    scenario = compared[0] if compared and not problems else None
    if national_path is not None:
        try:
            national = load_national_limits(national_path)
        except NationalLimitsError as exc:
            problems += exc.problems
    if problems:
        for problem in problems:
            click.echo(f"Error: {problem}", err=True)
        if as_json:
            print_json({"status": "invalid_settings", "errors": problems})
        sys.exit(EXIT_INPUT)
    options = RollupOptions(input_dir=input_dir, out_dir=out_dir, scenario=scenario, national=national,
                            workers=workers, executor=executor, scheduler=scheduler, force=force,
                            progress=None if as_json else progress_printer(), job_memory_mb=job_memory_mb,
                            job_seconds=job_seconds, futures=futures_count or 0, seed=seed or 0)
    check_out_folder(input_dir, out_dir)
    if compare_paths:
        national_comparison(options, compared[1:], as_json)
    store = RunStore(database_url(db))
    try:
        outcome = run_rollup(options, store)
    except LockHeld as exc:
        click.echo(f"Error: {exc}", err=True)
        if as_json:
            print_json({"status": "locked", "exit_code": EXIT_LOCKED, "message": str(exc)})
        sys.exit(EXIT_LOCKED)
    finally:
        store.dispose()
    for note in outcome.notes:
        click.echo(f"Warning: {note}", err=True)
    report_rollup(outcome, as_json)
    sys.exit(outcome.exit_code)


@main.command()
@click.option("--last", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many roll-ups to list, newest first, each followed by its ICS runs.")
@click.option("--db", default=None, help="Run records [default: $WORKFORCE_DB, else outputs/runs.sqlite].")
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON on stdout.")
@clear_failures
def runs(last: int, db: str | None, as_json: bool) -> None:
    """List recent roll-ups, each followed by its ICS runs (exit 0, and "no run records", if there are none)."""
    from workforce.rollup.records import NoRecords, RunStore, database_url, shown_url

    url = database_url(db, create=False)
    try:
        store = RunStore(url, create=False)
    except NoRecords:
        click.echo(f"No run records at {shown_url(url)}.", err=True)
        if as_json:
            print_json([])
        return
    try:
        groups = [(r, store.children(r.run_id)) for r in store.recent(last, kind="rollup")]
    finally:
        store.dispose()
    if as_json:
        print_json([r.as_dict() for rollup_run, children in groups for r in (rollup_run, *children)])
        return
    if not groups:
        click.echo(f"No run records at {shown_url(url)}.", err=True)
        return
    for line in runs_lines(groups):
        click.echo(line)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@clear_failures
def serve(host: str, port: int) -> None:
    """Start the upload portal (settings from WORKFORCE_PORTAL_* environment variables; see the README)."""
    import uvicorn

    from workforce.portal.app import create_app

    uvicorn.run(create_app(), host=host, port=port, log_level="info")


@main.group()
def users() -> None:
    """Portal accounts."""


@users.command(name="add")
@click.argument("email")
@click.option("--ics", "ics_code", default=None, help="The ICS this workforce lead plans for (ODS code, e.g. QHG).")
@click.option("--national", is_flag=True, help="A national team account (sees every ICS, runs roll-ups).")
@clear_failures
def users_add(email: str, ics_code: str | None, national: bool) -> None:
    """Create an account (or reset its password) and print its initial password once."""
    from workforce.portal.config import load_config
    from workforce.portal.store import PortalStore
    from workforce.reference import reference_ics_codes

    if national == bool(ics_code):
        raise click.UsageError("give exactly one of --ics CODE or --national")
    if "@" not in email:
        raise click.BadParameter("expected an email address", param_hint="EMAIL")
    codes = reference_ics_codes()
    if ics_code and ics_code.upper() not in codes:
        raise click.BadParameter(f"{ics_code} is not one of the 42 ICB ODS codes", param_hint="--ics")
    store = PortalStore(load_config().database_url)
    try:
        password = store.add_user(email, ics_code, national)
    finally:
        store.dispose()
    who = "national team" if national else f"ICS {ics_code.upper()}"  # type: ignore[union-attr]
    click.echo(f"Account {email.lower()} ({who}) ready. Initial password (shown once): {password}")


@main.command()
@click.option("--json", "as_json", is_flag=True, help="Print the vocabulary as JSON on stdout.")
def vocabulary(as_json: bool) -> None:
    """List the standard names of sectors, staff groups, recruitment channels and training routes, with the
    synonyms read as each.  Any other name is kept as written and reported."""
    from workforce.inputs.vocabulary import NameKind, vocabulary as standard_names

    vocab = standard_names()
    if as_json:
        print_json({kind.value: [{"name": e.name, "synonyms": list(e.synonyms), "source": e.source,
                                   **({"family": e.family} if e.family else {})} for e in vocab.names[kind]]
                     for kind in NameKind})
        return
    for kind in NameKind:
        click.echo(f"{kind.label.capitalize()}s")
        for e in vocab.names[kind]:
            family = f" [{e.family}]" if e.family else ""
            also = f" — also read: {', '.join(e.synonyms)}" if e.synonyms else ""
            click.echo(f"  {e.name}{family}{also}")
        click.echo("")
    click.echo("Case, spacing, punctuation and singular/plural are ignored. Sources: "
               "workforce/inputs/vocabulary.toml.")


@main.command()
def formulation() -> None:
    """Print the LP formulation, family by family, from the code's docstrings."""
    from workforce.formulation import formulation_text

    click.echo(formulation_text())


main.add_command(compare)


def run() -> None:
    """The installed ``workforce`` command: :func:`main`, allowed to exit at once after a solve.

    If the command's own output cannot be written (stdout or stderr on a full disk, as from cron with
    ``>> rollup.log``), it says so on stderr if it can and exits 7, never with a traceback.
    """
    try:
        main(obj={QUICK_EXIT: True})
    except OSError as exc:
        if exc.errno not in (errno.ENOSPC, errno.EDQUOT):  # a full disk; other failures are not this one
            raise
        reason = REASONS[exc.errno]
        try:
            sys.stderr.write(f"Error: could not write the command's output: {reason}\n")
            sys.stderr.flush()
        except OSError:
            pass
        os._exit(EXIT_CANNOT_WRITE)


if __name__ == "__main__":
    run()
