"""The ``workforce`` command: a thin click layer over ``workforce.runner`` and ``workforce.rollup``.

Each command declares its options here and hands them, as click names them (``--json`` is ``as_json``), to one
keyword-only typed function beside ``workforce.cli_output`` (what is printed): ``cli_workbook`` (template, validate,
vocabulary), ``cli_solve``, ``cli_rollup`` (rollup, runs), ``cli_compare`` and ``cli_portal`` (serve, users add).
Options that several commands share are declared once in ``workforce.cli_options``.  Each of those modules imports
the solver, the roll-up or the portal only when its command runs, so that ``workforce --help`` answers at once.

Exit codes (every command): 0 success, 1 input errors, 2 usage (click), 3 the solver could not
produce an optimal plan (time limit, numerical failure), 7 an output could not be written (disk
full, quota, folder not writable), 8 the run-record database cannot be reached, 9 an output would
replace an input.  ``rollup`` adds 4, 5 and 6 (see its help).
"""

from __future__ import annotations

import errno
import os
import sys
from pathlib import Path
from typing import Any

import click

from workforce.atomic import REASONS
from workforce.cli_compare import compare
from workforce.cli_options import db_option, executor_options, futures_options, json_flag, policy_option, workers_option
from workforce.cli_output import EXIT_INPUT, EXIT_SOLVER, clear_failures, hedge_given  # noqa: F401 (exit codes too)
from workforce.cli_portal import add_user, serve_portal
from workforce.cli_rollup import list_runs, rollup_and_report
from workforce.cli_solve import QUICK_EXIT, solve_and_report
from workforce.cli_workbook import print_vocabulary, validate_workbook, write_template
from workforce.failures import EXIT_CANNOT_WRITE, EXIT_RECORDS_UNREACHABLE, EXIT_WOULD_OVERWRITE_INPUT  # noqa: F401
from workforce.limits import JOB_MEMORY_MB, JOB_SECONDS

EXIT_OK = 0
EXIT_USAGE = 2


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
@json_flag("Print a machine-readable status on stdout.")
@clear_failures
def template(**options: Any) -> None:
    """Write a blank input workbook to OUT.xlsx, ready to fill in (exit 7 if it cannot be written)."""
    write_template(**options)


@main.command(name="validate")
@click.argument("workbook", type=click.Path(path_type=Path))
@json_flag("Print a machine-readable report on stdout.")
@clear_failures
def validate_command(**options: Any) -> None:
    """Check WORKBOOK and list every problem (the first 200, then how many more); exit 1 if there is any error."""
    validate_workbook(**options)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@policy_option()
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the plan [default: outputs/<ics_code>-plan.xlsx].")
@click.option("--write-lp", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the stage-1 LP with readable names to this file (never over an input).")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Seconds HiGHS may take for all three stages [default: from the scenario].")
@futures_options("Sample this many futures (1 to 100,000) from the workbook's Uncertainty sheet and add a Range "
                 "sheet: each future re-planned, and with this plan's first year held.",
                 "Seed of the futures (a whole number, 0 or more) [default: 0]: the same seed gives the same "
                 "futures and the same --json, byte for byte.")
@click.option("--hedge", "hedge_count", type=int, default=None, callback=hedge_given,
              help="Also choose a hedged first year: one plan for this many futures of its own (1 to 200; 50 is a "
                   "good start), shown beside this plan's first year and compared on the --futures N fresh "
                   "futures (a \"Hedged year 1\" sheet).")
@workers_option("Futures solved at once (one HiGHS thread each), through the roll-up's executor.")
@executor_options("Local process pool, or a Dask cluster (--scheduler), for the futures.")
@json_flag("Print a machine-readable summary on stdout (with --futures: without timings, so that it is the same "
           "for a seed).")
@clear_failures
def solve(**options: Any) -> None:
    """Solve WORKBOOK and write the plan workbook.

    \b
    Exit codes: 0 plan written; 1 input errors (nothing written); 3 no optimal
    plan (nothing written); 7 the plan could not be written (disk full, folder
    not writable); 9 --out or --write-lp would replace the input.
    """
    solve_and_report(**options)


@main.command()
@click.argument("input_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.argument("more_scenarios", nargs=-1, metavar="[SCENARIO.toml]...", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
              show_default=True, help="Folder for the ICS plans and the national workbook.")
@policy_option()
@click.option("--national", "national_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="National limits (TOML): solve the ICSs as one coupled national plan.")
@click.option("--compare", "compare_paths", type=click.Path(dir_okay=False, path_type=Path), multiple=True,
              help="Scenarios (TOML) to compare with --scenario, every ICS under each: writes "
                   "national-comparison.xlsx in --out, by region and sector (e.g. --compare A.toml B.toml).")
@workers_option("Parallel ICS solves (one HiGHS thread each).")
@executor_options("Local process pool, or a Dask cluster.")
@click.option("--job-memory-mb", type=click.IntRange(min=256), default=JOB_MEMORY_MB, show_default=True,
              help="Memory limit of each workbook's check and solve (local pool or Dask); a workbook that needs "
                   "more is rejected.")
@click.option("--job-seconds", type=click.FloatRange(min=1), default=JOB_SECONDS, show_default=True,
              help="Time limit of each workbook's check and of each solve, from when it starts (local pool or "
                   "Dask); one that takes longer is rejected.")
@futures_options("Also sample this many futures (1 to 100,000) of each ICS from its Uncertainty sheet, solve them "
                 "through --executor and add a Range sheet to the national workbook (independent roll-ups only).",
                 "Seed of the futures [default: 0]: every ICS gets this seed, so its futures are those of "
                 "`workforce solve WORKBOOK --futures N --seed S`.")
@click.option("--force", is_flag=True, help="Solve every ICS again even if its inputs are unchanged.")
@db_option("Run records: a SQLite file or an SQLAlchemy URL [default: $WORKFORCE_DB, else outputs/runs.sqlite].")
@json_flag("Print a machine-readable summary on stdout.")
@clear_failures
def rollup(**options: Any) -> None:
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
    rollup_and_report(**options)


@main.command()
@click.option("--last", type=click.IntRange(min=1), default=20, show_default=True,
              help="How many roll-ups to list, newest first, each followed by its ICS runs.")
@db_option("Run records [default: $WORKFORCE_DB, else outputs/runs.sqlite].")
@json_flag("Print the runs as JSON on stdout.")
@clear_failures
def runs(**options: Any) -> None:
    """List recent roll-ups, each followed by its ICS runs (exit 0, and "no run records", if there are none)."""
    list_runs(**options)


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
@clear_failures
def serve(**options: Any) -> None:
    """Start the upload portal (settings from WORKFORCE_PORTAL_* environment variables; see the README)."""
    serve_portal(**options)


@main.group()
def users() -> None:
    """Portal accounts."""


@users.command(name="add")
@click.argument("email")
@click.option("--ics", "ics_code", default=None, help="The ICS this workforce lead plans for (ODS code, e.g. QHG).")
@click.option("--national", is_flag=True, help="A national team account (sees every ICS, runs roll-ups).")
@clear_failures
def users_add(**options: Any) -> None:
    """Create an account (or reset its password) and print its initial password once."""
    add_user(**options)


@main.command()
@json_flag("Print the vocabulary as JSON on stdout.")
def vocabulary(**options: Any) -> None:
    """List the standard names of sectors, staff groups, recruitment channels and training routes, with the
    synonyms read as each.  Any other name is kept as written and reported."""
    print_vocabulary(**options)


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
