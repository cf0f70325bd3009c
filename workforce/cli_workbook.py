"""``workforce template``, ``validate`` and ``vocabulary``: the input workbook, before anything is solved.

``cli.py`` declares the commands' options and calls these functions; exit codes and what is printed follow the
other commands (``workforce.cli_output``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from workforce.cli_output import EXIT_INPUT, echo_issues, existing_file, fail, issues_payload, print_json
from workforce.inputs.issues import errors_in, warnings_in

EXIT_OK = 0


def write_template(*, out: Path, ics_code: str | None, ics_name: str | None, first_year: int, horizon_years: int,
                   force: bool, as_json: bool) -> None:
    """A blank input workbook at ``out`` (exit 1, and nothing written, if it exists and ``force`` is not given)."""
    from workforce.inputs.template import write_blank_template

    if out.suffix.lower() != ".xlsx":
        raise click.BadParameter("the template must be saved as an .xlsx file", param_hint="OUT")
    try:
        write_blank_template(out, ics_code=ics_code, ics_name=ics_name, first_year=first_year,
                             horizon_years=horizon_years, overwrite=force)
    except FileExistsError:
        fail(EXIT_INPUT, "exists", f"{out} already exists; choose another name or add --force to replace it.", as_json)
    click.echo(f"Blank workbook written to {out}", err=True)
    if as_json:
        print_json({"status": "written", "output": str(out)})


def validate_workbook(*, workbook: Path, as_json: bool) -> None:
    """Every problem with ``workbook`` (the first 200, then how many more), then exit 1 if there is an error, else 0."""
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


def print_vocabulary(*, as_json: bool) -> None:
    """The standard names of each kind with the synonyms read as each: JSON on stdout, or a list."""
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
