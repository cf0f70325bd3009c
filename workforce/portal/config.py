"""Portal settings, from environment variables with safe defaults.

| variable | default | meaning |
|---|---|---|
| `WORKFORCE_PORTAL_DATA` | `portal-data` | folder for uploads, plans, roll-ups and the signing key (kept private: 0700) |
| `WORKFORCE_DB` | `<data>/portal.sqlite` | users, submissions and run records: SQLite file or SQLAlchemy URL |
| `WORKFORCE_PORTAL_SECRET` | generated once into `<data>/secret.key` | key that signs session cookies |
| `WORKFORCE_PORTAL_MAX_UPLOAD_MB` | `10` | largest workbook accepted (bigger: HTTP 413) |
| `WORKFORCE_PORTAL_JOB_MEMORY_MB` | `2048` | memory limit of each checking, solving or roll-up process |
| `WORKFORCE_PORTAL_JOB_SECONDS` | `300` | time limit of each checking, solving or roll-up process |
| `WORKFORCE_PORTAL_WORKERS` | `2` | checks run at most this many at once; solves and roll-ups likewise |
| `WORKFORCE_PORTAL_JOBS_PER_ACCOUNT` | `3` | uploads and roll-ups one account may have unfinished at once (more: HTTP 429) |
| `WORKFORCE_PORTAL_STOP_SECONDS` | `20` | on a graceful stop, how long running work may take to finish before it is requeued |
| `WORKFORCE_PORTAL_SIGNIN_FAILURES` | `5` | failed sign-ins allowed per account in the window (more: HTTP 429) |
| `WORKFORCE_PORTAL_SIGNIN_FAILURES_PER_ADDRESS` | `20` | failed sign-ins allowed per client address in the window |
| `WORKFORCE_PORTAL_SIGNIN_WINDOW_MINUTES` | `15` | the sign-in window |
| `WORKFORCE_PORTAL_NATIONAL_DIR` | the package's `workforce/defaults/` | folder of national limits files (TOML) the national team may choose for a coupled roll-up |
| `WORKFORCE_PORTAL_FUTURES` | `100` | futures (seed 0) solved with each plan whose workbook gives ranges on its Uncertainty sheet, for the page's fan charts and probability of overspend; `0` turns them off, at most `1000` |
| `WORKFORCE_PORTAL_SECURE_COOKIES` | `0` | set to `1` behind HTTPS so cookies are only sent over it |
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from workforce.rollup.records import database_url

PRIVATE_FOLDER = 0o700
PRIVATE_FILE = 0o600
DEFAULT_FUTURES = 100  # a plan's futures on the portal: P10/P90 to within a few percentiles, in seconds
MAX_FUTURES = 1000


DEFAULT_NATIONAL_DIR = Path(__file__).resolve().parents[1] / "defaults"  # packaged: works in a wheel install


@dataclass(frozen=True)
class PortalConfig:
    data_dir: Path
    database_url: str
    secret_key: str
    max_upload_bytes: int
    job_memory_bytes: int
    job_seconds: float
    secure_cookies: bool
    workers: int = 2
    jobs_per_account: int = 3
    stop_seconds: float = 20.0
    signin_failures_per_account: int = 5
    signin_failures_per_address: int = 20
    signin_window_seconds: float = 15 * 60.0
    national_dir: Path = DEFAULT_NATIONAL_DIR  # the national limits files the national team may choose from
    futures: int = DEFAULT_FUTURES  # futures of a plan whose workbook gives ranges (seed 0; 0: none)

    @property
    def uploads(self) -> Path:
        return self.data_dir / "uploads"

    @property
    def plans(self) -> Path:
        return self.data_dir / "plans"

    @property
    def rollups(self) -> Path:
        return self.data_dir / "rollups"


def _secret(data_dir: Path) -> str:
    given = os.environ.get("WORKFORCE_PORTAL_SECRET")
    if given:
        return given
    path = data_dir / "secret.key"
    if not path.exists():
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def _number(name: str, default: str) -> float:
    text = os.environ.get(name, default)
    try:
        value = float(text)
    except ValueError:
        raise ValueError(f"{name} must be a number; found {text!r}") from None
    if value <= 0:
        raise ValueError(f"{name} must be more than 0; found {text!r}")
    return value


def _futures() -> int:
    """``WORKFORCE_PORTAL_FUTURES``: a whole number from 0 (off) to MAX_FUTURES, so a submission stays quick."""
    text = os.environ.get("WORKFORCE_PORTAL_FUTURES", str(DEFAULT_FUTURES))
    if not text.strip().isdigit() or int(text) > MAX_FUTURES:
        raise ValueError(f"WORKFORCE_PORTAL_FUTURES must be a whole number from 0 to {MAX_FUTURES}; found {text!r}")
    return int(text)


def _count(name: str, default: str) -> int:
    value = _number(name, default)
    if value != int(value):
        raise ValueError(f"{name} must be a whole number; found {os.environ.get(name)!r}")
    return int(value)


def private_folder(folder: Path) -> None:
    """Create ``folder`` if need be and make it readable by the service user only."""
    folder.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
    os.chmod(folder, PRIVATE_FOLDER)


def load_config(data_dir: Path | None = None) -> PortalConfig:
    data = (data_dir or Path(os.environ.get("WORKFORCE_PORTAL_DATA", "portal-data"))).resolve()
    for folder in (data, data / "uploads", data / "plans", data / "rollups"):
        private_folder(folder)
    db = os.environ.get("WORKFORCE_DB") or str(data / "portal.sqlite")
    return PortalConfig(
        data_dir=data, database_url=database_url(db), secret_key=_secret(data),
        max_upload_bytes=int(_number("WORKFORCE_PORTAL_MAX_UPLOAD_MB", "10") * 1024 * 1024),
        job_memory_bytes=int(_number("WORKFORCE_PORTAL_JOB_MEMORY_MB", "2048") * 1024 * 1024),
        job_seconds=_number("WORKFORCE_PORTAL_JOB_SECONDS", "300"),
        secure_cookies=os.environ.get("WORKFORCE_PORTAL_SECURE_COOKIES", "0") == "1",
        workers=_count("WORKFORCE_PORTAL_WORKERS", "2"),
        jobs_per_account=_count("WORKFORCE_PORTAL_JOBS_PER_ACCOUNT", "3"),
        stop_seconds=_number("WORKFORCE_PORTAL_STOP_SECONDS", "20"),
        signin_failures_per_account=_count("WORKFORCE_PORTAL_SIGNIN_FAILURES", "5"),
        signin_failures_per_address=_count("WORKFORCE_PORTAL_SIGNIN_FAILURES_PER_ADDRESS", "20"),
        signin_window_seconds=_number("WORKFORCE_PORTAL_SIGNIN_WINDOW_MINUTES", "15") * 60,
        national_dir=Path(os.environ.get("WORKFORCE_PORTAL_NATIONAL_DIR") or DEFAULT_NATIONAL_DIR).resolve(),
        futures=_futures(),
    )
