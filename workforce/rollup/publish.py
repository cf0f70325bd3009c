"""A roll-up's files appear together or not at all: written in a staging folder, then swapped in under a journal.

Every file of a roll-up — its ICS plans and ``national-plan.xlsx`` — is written into
``<out>/.staging-<run id>/``; nothing beside the national workbook changes until all of them
are written.  Then a journal, ``<out>/.rollup-journal.json``, is written (atomically) naming
the files to move in and the plans of earlier roll-ups that the new national workbook does
not list (to remove), and the moves are made.  Whatever stops a roll-up:

- before the journal exists, its staging folder is discarded — at once on SIGTERM or Ctrl-C,
  by the next roll-up after SIGKILL, a crash or a power cut — and the folder still holds the
  previous roll-up, untouched;
- once it exists, the moves are completed, by the same roll-up or by the next one.

So the ICS plans beside ``national-plan.xlsx`` are always exactly those it lists, with the
hashes it lists.  Moves are renames within one folder: they need no disk space.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

from workforce.atomic import OutputPathError, atomic_write, cannot_write, check_output_path, fsync_folder
from workforce.report.plan_writer import is_plan_file

STAGING_PREFIX = ".staging-"
JOURNAL = ".rollup-journal.json"
PLAN_SUFFIX = "-plan.xlsx"


def staging_folder(out_dir: Path, run_id: str) -> Path:
    """A new, empty staging folder for run ``run_id``."""
    folder = out_dir / f"{STAGING_PREFIX}{run_id}"
    try:
        folder.mkdir()
    except OSError as exc:
        raise cannot_write(folder, exc) from exc
    return folder


def check_out_folder(input_dir: Path, out_dir: Path) -> None:
    """Raise :class:`~workforce.atomic.OutputPathError` if ``out_dir`` is the input folder: the plans and the
    national workbook would lie among the submissions, and the next roll-up would read them as inputs."""
    if out_dir.resolve() == input_dir.resolve():
        raise OutputPathError(f"the --out folder {out_dir} is the input folder: the roll-up would write its plans and "
                              "national-plan.xlsx among the workbooks it reads; choose an --out folder other than the "
                              "input folder (inputs are never overwritten)")


def check_targets(out_dir: Path, names: Iterable[str], protected: Iterable[Path],
                  may_replace: Callable[[Path], bool] = is_plan_file) -> None:
    """Raise :class:`~workforce.atomic.OutputPathError` if a file to publish would replace an input, or a file this
    tool did not write (``may_replace``: is it one of ours? plans by default; a national comparison has its own
    marker)."""
    inputs = list(protected)
    for name in names:
        target = out_dir / name
        try:
            check_output_path(target, protected=inputs, may_replace=may_replace)
        except OutputPathError as exc:
            if any(target.resolve() == Path(p).resolve() for p in inputs):
                raise OutputPathError(f"{target} is an input of this roll-up (it is in the input folder) and the "
                                      f"roll-up would write its own {name} there; choose an --out folder other than "
                                      "the input folder (inputs are never overwritten)") from exc
            raise


def publish(out_dir: Path, staging: Path, names: list[str], protected: Iterable[Path]) -> None:
    """Move ``names`` from ``staging`` into ``out_dir`` and remove earlier plans not among them."""
    inputs = [Path(p).resolve() for p in protected]
    check_targets(out_dir, names, inputs)
    stale = sorted(p.name for p in out_dir.glob(f"*{PLAN_SUFFIX}")
                   if p.name not in names and p.resolve() not in inputs and is_plan_file(p))
    journal = {"staging": staging.name, "install": names, "remove": stale}
    atomic_write(out_dir / JOURNAL, lambda tmp: tmp.write_text(json.dumps(journal, indent=1), encoding="utf-8"))
    complete(out_dir)


def complete(out_dir: Path) -> bool:
    """Finish the moves a journal lists (again, if need be: every step can be repeated); ``True`` if there was one."""
    path = out_dir / JOURNAL
    if not path.exists():
        return False
    journal = json.loads(path.read_text(encoding="utf-8"))
    staging = out_dir / Path(str(journal["staging"])).name
    try:
        for name in journal["install"]:
            source = staging / Path(name).name
            if source.exists():
                os.replace(source, out_dir / Path(name).name)
        for name in journal["remove"]:
            (out_dir / Path(name).name).unlink(missing_ok=True)
        fsync_folder(out_dir)
        path.unlink()
    except OSError as exc:
        raise cannot_write(out_dir, exc) from exc
    shutil.rmtree(staging, ignore_errors=True)
    return True


def discard(staging: Path) -> None:
    """Remove a staging folder no journal refers to."""
    shutil.rmtree(staging, ignore_errors=True)


def recover(out_dir: Path) -> list[str]:
    """Put ``out_dir`` right after a roll-up that was stopped (call it holding the folder's lock): what was done."""
    notes = []
    if complete(out_dir):
        notes.append("the files of a roll-up stopped while they were being put in place were put in place")
    leftovers = [p for p in out_dir.glob(f"{STAGING_PREFIX}*") if p.is_dir()]
    for folder in leftovers:
        discard(folder)
    if leftovers:
        notes.append("the unfinished files of a stopped roll-up were removed (the folder kept the roll-up "
                     "before it, unchanged)")
    return notes

