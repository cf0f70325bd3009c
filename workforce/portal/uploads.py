"""Uploads stored under server-side names, whole or not at all.

The file is copied (and hashed) into a hidden ``.part`` file readable by the service user only,
flushed to disk, and renamed to ``<uuid>.xlsx`` only once complete; if anything fails — the disk
is full, the client went away — the partial file is removed and the error goes on to the caller.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import BinaryIO

from workforce.portal.config import PRIVATE_FILE

CHUNK_BYTES = 1 << 16


def save_upload(source: BinaryIO, folder: Path) -> tuple[str, str]:
    """Copy ``source`` into ``folder``; returns (stored file name, SHA-256 of its bytes)."""
    name = f"{uuid.uuid4()}.xlsx"
    part = folder / f".{name}.part"
    digest = hashlib.sha256()
    handle = os.open(part, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    try:
        with os.fdopen(handle, "wb") as out:
            while chunk := source.read(CHUNK_BYTES):
                digest.update(chunk)
                out.write(chunk)
            out.flush()
            os.fsync(out.fileno())
        os.replace(part, folder / name)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    return name, digest.hexdigest()


def remove_upload(folder: Path, name: str) -> None:
    (folder / name).unlink(missing_ok=True)
