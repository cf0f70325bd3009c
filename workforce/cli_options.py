"""Options that several ``workforce`` commands share, declared once.

Each factory returns a click decorator; where two commands give an option the same meaning but say it in their own
words (``--workers`` solves futures for ``solve``, ICSs for ``rollup``), the help text is the factory's argument.
:func:`stacked` applies several options as one decorator, listed in ``--help`` in the order given.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import click

from workforce.cli_output import DEFAULT_POLICY, futures_count_given, seed_given
from workforce.scenario import DEFAULT_SCENARIO

Command = TypeVar("Command", bound=Callable[..., None])
Decorator = Callable[[Command], Command]


def stacked(*options: Decorator) -> Decorator:
    """``options`` as one decorator: ``@stacked(a, b)`` is ``@a`` above ``@b``."""

    def apply(command: Command) -> Command:
        for option in reversed(options):
            command = option(command)
        return command

    return apply


def json_flag(help_text: str) -> Decorator:
    """``--json``: what the command prints on stdout instead of lines on stderr (``help_text`` says what)."""
    return click.option("--json", "as_json", is_flag=True, help=help_text)


def policy_option(flag: str = "--scenario", name: str = "scenario_path",
                  help_text: str = "Policy settings (TOML).") -> Decorator:
    """The policy file (TOML) the ICSs are planned under, by default the packaged one."""
    return click.option(flag, name, type=click.Path(dir_okay=False, path_type=Path), default=DEFAULT_SCENARIO,
                        show_default=DEFAULT_POLICY, help=help_text)


def workers_option(help_text: str) -> Decorator:
    """``--workers``: solves at once, one HiGHS thread each (``help_text`` says of what)."""
    return click.option("--workers", type=click.IntRange(min=1), default=2, show_default=True, help=help_text)


def executor_options(executor_help: str) -> Decorator:
    """``--executor`` (local process pool or Dask cluster) and the Dask ``--scheduler`` address."""
    return stacked(
        click.option("--executor", type=click.Choice(["local", "dask"]), default="local", show_default=True,
                     help=executor_help),
        click.option("--scheduler", default=None, help="Dask scheduler address, e.g. tcp://10.0.0.5:8786."),
    )


def futures_options(futures_help: str, seed_help: str) -> Decorator:
    """``--futures N`` (checked by :func:`futures_count_given`) and ``--seed`` (:func:`seed_given`)."""
    return stacked(
        click.option("--futures", "futures_count", type=int, default=None, callback=futures_count_given,
                     help=futures_help),
        click.option("--seed", type=int, default=None, callback=seed_given, help=seed_help),
    )


def db_option(help_text: str) -> Decorator:
    """``--db``: where the run records are (a SQLite file or an SQLAlchemy URL)."""
    return click.option("--db", default=None, help=help_text)
