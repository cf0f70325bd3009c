"""The ``workforce compare`` command and ``workforce rollup --compare``: scenarios side by side.

Kept apart from ``cli.py`` (which adds the command) so that the entry point stays short; exit codes and what is
printed follow the other commands (``workforce.cli_output``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workforce.cli_options import json_flag, policy_option, workers_option
from workforce.cli_output import (
    clear_failures,
    echo_issues,
    existing_file,
    fail,
    icss,
    invalid_input,
    invalid_scenario,
    print_json,
    solver_failed,
)
from workforce.inputs.issues import InputError
from workforce.scenario import Scenario, ScenarioError, load_scenario

EXIT_OK = 0


@click.command()
@click.argument("workbook", type=click.Path(path_type=Path))
@click.argument("more_scenarios", nargs=-1, type=click.Path(path_type=Path), metavar="")
@click.option("--scenario", "scenario_paths", type=click.Path(dir_okay=False, path_type=Path), multiple=True,
              required=True, help="A what-if (TOML): give --scenario once for each scenario to compare.")
@policy_option("--base", "base_path", "The base policy, compared first (named \"Base\" unless it names itself).")
@click.option("--out", "out_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the comparison [default: outputs/<ics_code>-comparison.xlsx].")
@workers_option("Scenarios solved at once (one HiGHS thread each), through the roll-up's executor.")
@json_flag("Print each scenario's name and objectives on stdout.")
@clear_failures
def compare(workbook: Path, more_scenarios: tuple[Path, ...], scenario_paths: tuple[Path, ...], base_path: Path,
            out_path: Path | None, workers: int, as_json: bool) -> None:
    """Solve WORKBOOK under the base policy and each --scenario, in parallel, and write one comparison workbook.

    \b
    Exit codes: 0 comparison written; 1 a bad scenario file, adjustments that
    do not fit the workbook, or input errors (nothing solved or written); 3 a
    scenario could not be solved (nothing written); 7 the comparison could not
    be written; 9 --out would replace an input.
    """
    from workforce.rollup.executors import progress_printer
    from workforce.scenarios.compare import compare_workbook
    from workforce.solve import SolveFailure

    if more_scenarios:
        every = " ".join(f"--scenario {p}" for p in (*scenario_paths, *more_scenarios))
        raise click.UsageError(f"unexpected argument(s) {', '.join(map(str, more_scenarios))}: give --scenario once "
                               f"for each scenario ({every})")
    existing_file(workbook)
    if out_path is not None and out_path.suffix.lower() != ".xlsx":
        raise click.BadParameter("the comparison must be written to an .xlsx file", param_hint="--out")
    problems: list[str] = []
    loaded = []
    for path in (base_path, *scenario_paths):
        try:
            loaded.append(load_scenario(path))
        except ScenarioError as exc:
            problems += exc.problems
    if problems:
        invalid_scenario(problems, as_json)
    try:
        outcome = compare_workbook(workbook, loaded[0], loaded[1:], output_path=out_path, workers=workers,
                                   progress=None if as_json else progress_printer())
    except ScenarioError as exc:  # two scenarios with one name, or adjustments that do not fit the workbook
        invalid_scenario(exc.problems, as_json)
    except InputError as exc:
        invalid_input(workbook, exc, as_json)
    except SolveFailure as exc:
        solver_failed(exc, "No comparison was written.", as_json)
    echo_issues(list(outcome.warnings))
    if as_json:
        print_json({"scenarios": [{"name": p.name, "objectives": p.plan.objectives.as_dict()} for p in outcome.plans]})
    click.echo(f"Comparison of {len(outcome.plans)} scenarios written to {outcome.output_path}", err=True)
    for p in outcome.plans:
        o = p.plan.objectives
        click.echo(f"  {p.name}: overspend £{o.overspend_gbp:,.0f}; planning score {o.unmet_fte_years:,.1f} "
                   f"weighted FTE-years; cost £{o.cost_gbp:,.0f} (solved model)", err=True)
    sys.exit(EXIT_OK)


def national_comparison(options: object, scenarios: list[Scenario], as_json: bool) -> None:
    """``workforce rollup --compare``: run it, report it and exit with its code."""
    from workforce.rollup.compare import compare_rollup
    from workforce.rollup.lock import LockHeld
    from workforce.rollup.outcome import EXIT_LOCKED

    try:
        outcome = compare_rollup(options, scenarios)  # type: ignore[arg-type]
    except ScenarioError as exc:
        invalid_scenario(exc.problems, as_json)
    except LockHeld as exc:
        fail(EXIT_LOCKED, "locked", str(exc), as_json)
    for note in outcome.notes:
        click.echo(f"Warning: {note}", err=True)
    for code, why in outcome.left_out:
        click.echo(f"Left out: {code}: {why}", err=True)
    rejected = [s for s in outcome.submissions if s.status != "accepted"]
    for s in rejected:
        click.echo(f"Rejected: {s.file_name} ({s.status})", err=True)
    for m in outcome.missing:
        click.echo(f"Missing: no workbook for {m.code} {m.name}", err=True)
    count = len(outcome.plans[0]) if outcome.plans else 0
    if as_json:
        print_json({"status": "written" if outcome.output_path else "not_written", "exit_code": outcome.exit_code,
                    "national_comparison": outcome.output_path or None, "ics_compared": count,
                    "scenarios": [{"name": name, "objectives": {
                        "objective_overspend_gbp": sum(p.objectives.overspend_gbp for p in plans),
                        "objective_unmet_fte_years": sum(p.objectives.unmet_fte_years for p in plans),
                        "objective_cost_gbp": sum(p.objectives.cost_gbp for p in plans)}}
                        for name, plans in zip(outcome.names, outcome.plans)],
                    "left_out": [{"ics_code": c, "why": w} for c, w in outcome.left_out],
                    "rejected": [s.file_name for s in rejected], "missing": [m.code for m in outcome.missing],
                    "warnings": list(outcome.notes), "timings_s": outcome.seconds})
    if outcome.output_path:
        click.echo(f"National comparison of {len(outcome.names)} scenarios over {icss(count)} written to "
                   f"{outcome.output_path}", err=True)
    else:
        click.echo("No ICS could be planned under every scenario: nothing was written.", err=True)
    sys.exit(outcome.exit_code)
