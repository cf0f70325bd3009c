"""Portal settings, from environment variables with safe defaults.

| variable | default | meaning |
|---|---|---|
| `WORKFORCE_PORTAL_DATA` | `portal-data` | folder for uploads, plans, roll-ups and the signing key |
| `WORKFORCE_DB` | `<data>/portal.sqlite` | users, submissions and run records: SQLite file or SQLAlchemy URL |
| `WORKFORCE_PORTAL_SECRET` | generated once into `<data>/secret.key` | key that signs session cookies |
| `WORKFORCE_PORTAL_MAX_UPLOAD_MB` | `10` | largest workbook accepted (bigger: HTTP 413) |
| `WORKFORCE_PORTAL_JOB_MEMORY_MB` | `2048` | memory limit of each parsing or solving process |
| `WORKFORCE_PORTAL_JOB_SECONDS` | `300` | time limit of each parsing or solving process |
| `WORKFORCE_PORTAL_SECURE_COOKIES` | `0` | set to `1` behind HTTPS so cookies are only sent over it |
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from workforce.rollup.records import database_url


@dataclass(frozen=True)
class PortalConfig:
    data_dir: Path
    database_url: str
    secret_key: str
    max_upload_bytes: int
    job_memory_bytes: int
    job_seconds: float
    secure_cookies: bool

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
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_urlsafe(48))
    return path.read_text().strip()


def load_config(data_dir: Path | None = None) -> PortalConfig:
    data = (data_dir or Path(os.environ.get("WORKFORCE_PORTAL_DATA", "portal-data"))).resolve()
    for folder in (data, data / "uploads", data / "plans", data / "rollups"):
        folder.mkdir(parents=True, exist_ok=True)
    db = os.environ.get("WORKFORCE_DB") or str(data / "portal.sqlite")
    return PortalConfig(
        data_dir=data, database_url=database_url(db), secret_key=_secret(data),
        max_upload_bytes=int(float(os.environ.get("WORKFORCE_PORTAL_MAX_UPLOAD_MB", "10")) * 1024 * 1024),
        job_memory_bytes=int(float(os.environ.get("WORKFORCE_PORTAL_JOB_MEMORY_MB", "2048")) * 1024 * 1024),
        job_seconds=float(os.environ.get("WORKFORCE_PORTAL_JOB_SECONDS", "300")),
        secure_cookies=os.environ.get("WORKFORCE_PORTAL_SECURE_COOKIES", "0") == "1",
    )
