"""Write output files atomically, and never over an input.

A file is written under a temporary name in the target's folder and renamed
over the target only when complete, so a crash or a kill leaves either the
old file or the new one, never half of one.  A write the operating system
refuses (disk full, quota, read-only or unwritable folder) raises
:class:`CannotWrite`, with the reason in a user's words.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import os
import re
import secrets
import zipfile
from collections.abc import Callable, Iterable
from pathlib import Path

NEW_FILE_MODE = 0o666  # narrowed by the user's umask, as for any file a program creates
TEMP_NAME_TRIES = 100


class OutputPathError(ValueError):
    """The chosen output path would overwrite something the user owns."""


REASONS = {
    errno.ENOSPC: "the disk is full",
    errno.EDQUOT: "the disk quota is used up",
    errno.EROFS: "the disk is read-only",
    errno.EACCES: "permission denied: the folder is not writable",
    errno.EPERM: "permission denied: the folder is not writable",
}


class CannotWrite(OSError):
    """An output could not be written (``OSError(errno, message)``); nothing half-written is left behind."""

    def __str__(self) -> str:
        return str(self.strerror)


def cannot_write(target: Path, cause: OSError) -> CannotWrite:
    """:class:`CannotWrite` for ``target``, saying why in a user's words."""
    reason = REASONS.get(cause.errno or 0) or cause.strerror or str(cause)
    if cause.errno in (errno.EEXIST, errno.ENOTDIR):  # a folder on the way to target is a file
        with contextlib.suppress(OSError):
            in_the_way = next((p for p in reversed(Path(target).parents) if p.exists() and not p.is_dir()), None)
            reason = f"{in_the_way} is a file, not a folder" if in_the_way is not None else reason
    return CannotWrite(cause.errno, f"could not write {target}: {reason}")


def os_error_in(exc: BaseException) -> OSError | None:
    """The operating-system error behind ``exc`` (itself, or what it was raised from), if any."""
    seen: BaseException | None = exc
    for _ in range(5):
        if seen is None:
            return None
        if isinstance(seen, OSError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_output_path(target: Path, *, protected: Iterable[Path] = (),
                      may_replace: Callable[[Path], bool] | None = None) -> None:
    """Raise :class:`OutputPathError` when ``target`` must not be written.

    ``target`` must not be one of ``protected`` (the inputs), compared by
    resolved path and by file identity (so a link to an input counts), must
    not be a folder, and, when it exists, ``may_replace`` (if given) must
    agree that it is ours to replace.
    """
    resolved = target.resolve()
    for path in protected:
        if Path(path).resolve() == resolved or _same_file(Path(path), target):
            raise OutputPathError(f"{target} is an input file; choose another file name for the output "
                                  "(inputs are never overwritten)")
    if target.is_dir():
        raise OutputPathError(f"{target} is a folder; give a file name ending in {target.suffix or '.xlsx'}")
    if target.exists() and may_replace is not None and not may_replace(target):
        kind = written_as(target)
        if kind is not None:  # ours, but another kind of file: a plan where a comparison goes, say
            raise OutputPathError(f"{target} already exists: it is a {kind} this tool wrote, not the kind of file "
                                  "this command writes, so it is left as it is; choose another file name for the "
                                  "output")
        raise OutputPathError(f"{target} already exists and was not written by this tool (it may be an input); "
                              "choose another file name for the output")


_CUSTOM_PROPERTY = re.compile(rb'name="workforce_[a-z_]+"><vt:lpwstr>([^<]{1,200})</vt:lpwstr>')


def written_as(path: Path) -> str | None:
    """What a workbook this tool wrote says it is ("QE1 plan", "national comparison", …), else None.

    Read from the custom document property every workbook of this tool carries (``workforce_plan``,
    ``workforce_comparison``), so that refusing to replace it can say what it is.
    """
    try:
        with zipfile.ZipFile(path) as archive:
            found = _CUSTOM_PROPERTY.search(archive.read("docProps/custom.xml"))
    except (OSError, KeyError, zipfile.BadZipFile):
        return None
    return found.group(1).decode("utf-8", "replace") if found else None


def _new_temp_file(target: Path) -> Path:
    """An empty, new file next to ``target``: hidden name, same suffix, mode as the umask allows."""
    for _ in range(TEMP_NAME_TRIES):
        tmp = target.parent / f".{target.stem}-{secrets.token_hex(6)}.tmp{target.suffix}"
        try:
            handle = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, NEW_FILE_MODE)
        except FileExistsError:
            continue
        os.close(handle)
        return tmp
    raise OSError(f"could not create a temporary file next to {target}")


def _fsync_file(path: Path) -> None:
    with path.open("rb") as written:
        os.fsync(written.fileno())


def fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _close_abandoned_archives(exc: BaseException) -> None:
    """Close the zip archives a failed writer left open, ignoring their errors.

    When the disk fills, xlsxwriter's write fails and the archive it was
    writing stays open; Python would close it later, fail again on the full
    disk and print that second failure as a traceback.  The archives are the
    locals of the frames the exception (and what it was raised from) passed
    through.
    """
    seen: set[int] = set()
    failure: BaseException | None = exc
    while failure is not None and id(failure) not in seen:
        seen.add(id(failure))
        frame = failure.__traceback__
        while frame is not None:
            for value in frame.tb_frame.f_locals.values():
                if isinstance(value, zipfile.ZipFile) and value.fp is not None:
                    with contextlib.suppress(Exception):
                        value.close()
            frame = frame.tb_next
        failure = failure.__cause__ or failure.__context__


def atomic_write(target: Path, write: Callable[[Path], None], *, protected: Iterable[Path] = (),
                 may_replace: Callable[[Path], bool] | None = None) -> None:
    """Call ``write(tmp)`` and move ``tmp`` onto ``target`` once it has succeeded.

    Raises :class:`OutputPathError` (nothing written) when ``target`` must not
    be written: see :func:`check_output_path`.  The temporary file sits in
    the target's folder, its name starts with ``.`` and keeps the target's
    suffix.  If anything fails, the temporary file is removed, an existing
    ``target`` is left as it was and the exception propagates (as
    :class:`CannotWrite` when the operating system refused the write).
    """
    target = Path(target)
    check_output_path(target, protected=protected, may_replace=may_replace)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = _new_temp_file(target)
    except OSError as exc:
        raise cannot_write(target, exc) from exc
    try:
        write(tmp)
        _fsync_file(tmp)
        os.replace(tmp, target)
    except BaseException as exc:
        _close_abandoned_archives(exc)
        tmp.unlink(missing_ok=True)
        cause = os_error_in(exc) if isinstance(exc, Exception) else None
        if cause is not None and not isinstance(exc, CannotWrite):  # e.g. xlsxwriter's FileCreateError
            raise cannot_write(target, cause) from exc
        raise
    fsync_folder(target.parent)


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
