"""``workforce rollup`` and ``workforce runs``: the national roll-up and its run records.

``cli.py`` declares the commands' options and calls :func:`rollup_and_report` and :func:`list_runs`; exit codes and
what is printed follow the other commands (``workforce.cli_output``).  The roll-up's modules are imported when it
starts, not when the command starts.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workforce.cli_compare import national_comparison
from workforce.cli_output import EXIT_INPUT, executor_given, fail, print_json, report_rollup, runs_lines
from workforce.scenario import Scenario, ScenarioError, load_scenario


def rollup_and_report(*, input_dir: Path, more_scenarios: tuple[Path, ...], out_dir: Path, scenario_path: Path,
                      national_path: Path | None, compare_paths: tuple[Path, ...], workers: int, executor: str,
                      scheduler: str | None, job_memory_mb: int, job_seconds: float, futures_count: int | None,
                      seed: int | None, force: bool, db: str | None, as_json: bool) -> None:
    """Check the options and settings files, run the roll-up (or with ``compare_paths`` the national comparison),
    report it and exit with its code."""
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
        fail(EXIT_LOCKED, "locked", str(exc), as_json)
    finally:
        store.dispose()
    for note in outcome.notes:
        click.echo(f"Warning: {note}", err=True)
    report_rollup(outcome, as_json)
    sys.exit(outcome.exit_code)


def list_runs(*, last: int, db: str | None, as_json: bool) -> None:
    """The ``last`` roll-ups, newest first, each followed by its ICS runs; "no run records" if there are none."""
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
