"""The ``workforce`` command: a thin click layer over ``workforce.runner``.

Exit codes: 0 success, 1 input errors, 2 usage (click), 3 the solver could
not produce an optimal plan (time limit, numerical failure).
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from workforce.inputs.issues import InputError, Issue, errors_in, warnings_in
from workforce.scenario import DEFAULT_SCENARIO, ScenarioError, load_scenario

EXIT_OK = 0
EXIT_INPUT = 1
EXIT_USAGE = 2
EXIT_SOLVER = 3
QUICK_EXIT = "quick_exit"  # key in the click context's obj: skip Python's tear-down after a solve


def _echo_issues(issues: list[Issue]) -> None:
    """Errors then warnings, one line each, on stderr."""
    for issue in errors_in(issues):
        click.echo(f"Error: {issue.message()}", err=True)
    for issue in warnings_in(issues):
        click.echo(f"Warning: {issue.message()}", err=True)


def _print_json(payload: dict[str, object]) -> None:
    click.echo(json.dumps(payload, indent=2, sort_keys=True))


def _issues_payload(issues: list[Issue]) -> dict[str, object]:
    return {
        "errors": [i.as_dict() for i in errors_in(issues)],
        "warnings": [i.as_dict() for i in warnings_in(issues)],
    }


def _existing_file(path: Path) -> Path:
    if not path.exists():
        raise click.BadParameter(f"there is no file at {path}", param_hint="IN.xlsx")
    if path.is_dir():
        raise click.BadParameter(f"{path} is a folder, not a workbook", param_hint="IN.xlsx")
    return path


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
def template(out: Path, ics_code: str | None, ics_name: str | None, first_year: int, horizon_years: int,
             force: bool) -> None:
    """Write a blank input workbook to OUT.xlsx, ready to fill in."""
    from workforce.inputs.template import write_blank_template

    if out.suffix.lower() != ".xlsx":
        raise click.BadParameter("the template must be saved as an .xlsx file", param_hint="OUT")
    try:
        write_blank_template(out, ics_code=ics_code, ics_name=ics_name, first_year=first_year,
                             horizon_years=horizon_years, overwrite=force)
    except FileExistsError:
        click.echo(f"Error: {out} already exists; choose another name or add --force to replace it.", err=True)
        sys.exit(EXIT_INPUT)
    click.echo(f"Blank workbook written to {out}", err=True)


@main.command(name="validate")
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable report on stdout.")
def validate_command(workbook: Path, as_json: bool) -> None:
    """Check WORKBOOK and list every problem; exit 1 if there is any error."""
    from workforce.runner import check_workbook

    _existing_file(workbook)
    data, issues, timings = check_workbook(workbook)
    errors = errors_in(issues)
    if as_json:
        _print_json({"status": "invalid" if errors else "valid", "input": str(workbook),
                     "timings_s": timings, **_issues_payload(issues)})
    else:
        _echo_issues(issues)
        if errors:
            click.echo(f"{workbook}: {len(errors)} error(s), {len(warnings_in(issues))} warning(s). "
                       "Nothing was solved.", err=True)
        else:
            click.echo(f"{workbook}: valid ({len(warnings_in(issues))} warning(s)).", err=True)
    sys.exit(EXIT_INPUT if errors or data is None else EXIT_OK)


@main.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.option("--scenario", "scenario_path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_SCENARIO, show_default="models/base.toml", help="Policy settings (TOML).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the plan [default: outputs/<ics_code>-plan.xlsx].")
@click.option("--write-lp", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Also write the stage-1 LP with readable names to this file.")
@click.option("--time-limit", type=click.FloatRange(min=0, min_open=True), default=None,
              help="Seconds HiGHS may take for all three stages [default: from the scenario].")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary on stdout.")
def solve(workbook: Path, scenario_path: Path, out_path: Path | None, write_lp: Path | None,
          time_limit: float | None, as_json: bool) -> None:
    """Solve WORKBOOK and write the plan workbook."""
    from workforce.atomic import OutputPathError
    from workforce.runner import solve_workbook
    from workforce.solve import SolveFailure

    _existing_file(workbook)
    if out_path is not None and out_path.suffix.lower() != ".xlsx":
        raise click.BadParameter("the plan must be written to an .xlsx file", param_hint="--out")
    try:
        scenario = load_scenario(scenario_path)
    except ScenarioError as exc:
        for problem in exc.problems:
            click.echo(f"Error: {problem}", err=True)
        if as_json:
            _print_json({"status": "invalid_scenario", "errors": exc.problems})
        sys.exit(EXIT_INPUT)
    try:
        outcome = solve_workbook(workbook, scenario, output_path=out_path, write_lp=write_lp,
                                 time_limit_s=time_limit)
    except InputError as exc:
        _echo_issues(exc.issues)
        click.echo(f"{workbook}: {len(errors_in(exc.issues))} error(s). Nothing was solved or written.", err=True)
        if as_json:
            _print_json({"status": "invalid", "input": str(workbook), **_issues_payload(exc.issues)})
        sys.exit(EXIT_INPUT)
    except OutputPathError as exc:
        click.echo(f"Error: {exc}", err=True)
        if as_json:
            _print_json({"status": "invalid_output", "errors": [str(exc)]})
        sys.exit(EXIT_INPUT)
    except SolveFailure as exc:
        click.echo(f"Error: {exc}. No plan was written; try a longer --time-limit.", err=True)
        if as_json:
            _print_json({"status": "solver_failed", "stage": exc.stage, "solver_status": exc.status})
        sys.exit(EXIT_SOLVER)
    plan = outcome.plan
    _echo_issues(list(plan.warnings))
    if as_json:
        _print_json({
            "status": outcome.run.status,
            "ics_code": plan.ics_code,
            "input": str(workbook),
            "output": str(outcome.output_path),
            "objectives": plan.objectives.as_dict(),
            "timings_s": outcome.run.timings_s,
            "warnings": [i.as_dict() for i in plan.warnings],
        })
    else:
        o = plan.objectives
        click.echo(f"{plan.ics_name} ({plan.ics_code}): plan written to {outcome.output_path}", err=True)
        click.echo(f"  overspend £{o.overspend_gbp:,.0f}; weighted unmet demand {o.unmet_fte_years:,.1f} "
                   f"FTE-years; total cost £{o.cost_gbp:,.0f}", err=True)
    _finish(EXIT_OK)


@main.command()
@click.argument("input_dir", type=click.Path(exists=True, file_okay=False, path_type=Path))
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("outputs"),
              show_default=True, help="Folder for the ICS plans and the national workbook.")
@click.option("--scenario", "scenario_path", type=click.Path(dir_okay=False, path_type=Path),
              default=DEFAULT_SCENARIO, show_default="models/base.toml", help="Policy settings (TOML).")
@click.option("--national", "national_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="National limits (TOML): solve the ICSs as one coupled national plan.")
@click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True,
              help="Parallel ICS solves (one HiGHS thread each).")
@click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
              help="Local process pool, or a Dask cluster.")
@click.option("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://10.0.0.5:8786.")
@click.option("--force", is_flag=True, help="Solve every ICS again even if its inputs are unchanged.")
@click.option("--db", default=None, help="Run records: a SQLite file or an SQLAlchemy URL "
              "[default: $WORKFORCE_DB, else outputs/runs.sqlite].")
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary on stdout.")
def rollup(input_dir: Path, out_dir: Path, scenario_path: Path, national_path: Path | None, workers: int,
           executor: str, scheduler: str | None, force: bool, db: str | None, as_json: bool) -> None:
    """Solve every ICS workbook in INPUT_DIR and write the national workbook.

    \b
    Exit codes: 0 every ICS planned; 1 bad scenario or national file; 3 an ICS
    could not be solved; 4 completed, but some workbooks were rejected, were
    duplicates or are missing; 5 another roll-up is writing the same --out
    folder; 6 stopped by a signal (the previous national workbook is intact).
    """
    from workforce.rollup.lock import LockHeld
    from workforce.rollup.national import NationalLimitsError, load_national_limits
    from workforce.rollup.records import RunStore, database_url
    from workforce.rollup.executors import progress_printer
    from workforce.rollup.run import EXIT_LOCKED, RollupOptions, run_rollup

    if executor == "dask" and not scheduler:
        raise click.BadParameter("give the Dask scheduler's address with --scheduler", param_hint="--executor dask")
    problems: list[str] = []
    scenario = national = None
    try:
        scenario = load_scenario(scenario_path)
    except ScenarioError as exc:
        problems += exc.problems
    if national_path is not None:
        try:
            national = load_national_limits(national_path)
        except NationalLimitsError as exc:
            problems += exc.problems
    if problems:
        for problem in problems:
            click.echo(f"Error: {problem}", err=True)
        if as_json:
            _print_json({"status": "invalid_settings", "errors": problems})
        sys.exit(EXIT_INPUT)
    store = RunStore(database_url(db))
    options = RollupOptions(input_dir=input_dir, out_dir=out_dir, scenario=scenario, national=national,
                            workers=workers, executor=executor, scheduler=scheduler, force=force,
                            progress=None if as_json else progress_printer())
    try:
        outcome = run_rollup(options, store)
    except LockHeld as exc:
        click.echo(f"Error: {exc}", err=True)
        if as_json:
            _print_json({"status": "locked", "message": str(exc)})
        sys.exit(EXIT_LOCKED)
    finally:
        store.dispose()
    _report_rollup(outcome, as_json)
    sys.exit(outcome.exit_code)


def _report_rollup(outcome: object, as_json: bool) -> None:
    o = outcome
    accepted = [s for s in o.submissions if s.status == "accepted"]  # type: ignore[attr-defined]
    rejected = [s for s in o.submissions if s.status != "accepted"]  # type: ignore[attr-defined]
    if as_json:
        _print_json({
            "run_id": o.run_id, "mode": o.mode, "status": o.status, "exit_code": o.exit_code,  # type: ignore[attr-defined]
            "national_workbook": o.national_path, "national_sha256": o.national_sha256,  # type: ignore[attr-defined]
            "accepted": len(accepted), "missing": [m.code for m in o.missing],  # type: ignore[attr-defined]
            "rejected": [{"file": s.file_name, "status": s.status, "errors": [i.message() for i in s.issues
                                                                              if i.severity.value == "error"][:10]}
                         for s in rejected],
            "ics": [{"ics_code": i.ics_code, "status": i.status, "plan": i.output_path,  # type: ignore[attr-defined]
                     "objectives": i.plan.objectives.as_dict() if i.plan else None, "message": i.message,
                     "timings_s": i.timings}
                    for i in o.ics],  # type: ignore[attr-defined]
            "timings_s": o.seconds,  # type: ignore[attr-defined]
            "coupled": None if o.coupled is None else {  # type: ignore[attr-defined]
                "seconds": o.coupled.seconds, "shortcut": o.coupled.shortcut,  # type: ignore[attr-defined]
                "iterations": o.coupled.iterations, "strategy": o.coupled.strategy,  # type: ignore[attr-defined]
                "lp_columns": o.coupled.size[0], "lp_rows": o.coupled.size[1],  # type: ignore[attr-defined]
                "national_marginals": [{"limit": m.label, "year": m.year, "value": m.value, "unit": m.unit,
                                        "used": m.used, "cap": m.limit} for m in o.coupled.marginals]},  # type: ignore[attr-defined]
        })
        return
    click.echo("", err=True)
    for s in rejected:
        first = next((i.message() for i in s.issues if i.severity.value == "error"), "")
        click.echo(f"Rejected: {s.file_name} ({s.status}): {first}", err=True)
    for m in o.missing:  # type: ignore[attr-defined]
        click.echo(f"Missing: no workbook for {m.code} {m.name}", err=True)
    for i in o.ics:  # type: ignore[attr-defined]
        if i.status == "failed":
            click.echo(f"Failed: {i.ics_code}: {i.message}", err=True)
    done = sum(i.status in ("succeeded", "reused") for i in o.ics)  # type: ignore[attr-defined]
    reused = sum(i.status == "reused" for i in o.ics)  # type: ignore[attr-defined]
    click.echo(f"{done} ICS plans ({reused} reused), {len(rejected)} rejected, {len(o.missing)} missing. "  # type: ignore[attr-defined]
               f"National workbook: {o.national_path}", err=True)  # type: ignore[attr-defined]


@main.command()
@click.option("--last", type=click.IntRange(min=1), default=20, show_default=True, help="How many runs to list.")
@click.option("--db", default=None, help="Run records [default: $WORKFORCE_DB, else outputs/runs.sqlite].")
@click.option("--json", "as_json", is_flag=True, help="Print the runs as JSON on stdout.")
def runs(last: int, db: str | None, as_json: bool) -> None:
    """List recent roll-ups and ICS solves."""
    from workforce.rollup.records import RunStore, database_url

    store = RunStore(database_url(db))
    try:
        records = store.recent(last)
    finally:
        store.dispose()
    if as_json:
        click.echo(json.dumps([r.as_dict() for r in records], indent=2, default=str))
        return
    for r in records:
        what = r.ics_code or f"roll-up ({r.mode})"
        took = f"{(r.ended_at - r.started_at).total_seconds():.1f} s" if r.ended_at else "-"
        click.echo(f"{r.started_at:%Y-%m-%d %H:%M:%S}  {r.run_id[:8]}  {r.kind:6}  {what:24}  {r.status:9}  {took:>8}  "
                   f"{r.message or ''}")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535), help="Port to listen on.")
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
def formulation() -> None:
    """Print the LP formulation, family by family, from the code's docstrings."""
    from workforce.formulation import formulation_text

    click.echo(formulation_text())


def run() -> None:
    """The installed ``workforce`` command: :func:`main`, allowed to exit at once after a solve."""
    main(obj={QUICK_EXIT: True})


if __name__ == "__main__":
    run()
