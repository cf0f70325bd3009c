"""Write output files atomically, and never over an input.

A file is written under a temporary name in the target's folder and renamed
over the target only when complete, so a crash or a kill leaves either the
old file or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path


class OutputPathError(ValueError):
    """The chosen output path would overwrite something the user owns."""


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def atomic_write(target: Path, write: Callable[[Path], None], *, protected: Iterable[Path] = (),
                 may_replace: Callable[[Path], bool] | None = None) -> None:
    """Call ``write(tmp)`` and move ``tmp`` onto ``target`` once it has succeeded.

    Raises :class:`OutputPathError` when ``target`` is one of ``protected``
    (the inputs) — compared by resolved path and by file identity — or when
    it exists and ``may_replace`` says it is not ours to replace.
    """
    resolved = target.resolve()
    for path in protected:
        if path.resolve() == resolved or _same_file(path, target):
            raise OutputPathError(f"{target} is an input file; choose another file name for the output "
                                  "(inputs are never overwritten)")
    if target.exists() and target.is_dir():
        raise OutputPathError(f"{target} is a folder; give a file name ending in {target.suffix or '.xlsx'}")
    if target.exists() and may_replace is not None and not may_replace(target):
        raise OutputPathError(f"{target} already exists and was not written by this tool (it may be an input); "
                              "choose another file name for the output")
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=target.suffix, dir=target.parent)
    os.close(handle)
    tmp = Path(tmp_name)
    try:
        write(tmp)
        with tmp.open("rb") as written:
            os.fsync(written.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
