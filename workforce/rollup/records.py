"""Run records: every roll-up and every ICS solve in it, in SQLite or PostgreSQL.

One table, ``workforce_runs``, written through SQLAlchemy Core so that the
same code talks to the embedded default (a SQLite file, created on first
use) and to PostgreSQL when several hosts share the records.  Where the
records live: ``--db`` on the command line, else the ``WORKFORCE_DB``
environment variable (a file path or an SQLAlchemy URL such as
``postgresql+psycopg://user:password@host/db``), else ``outputs/runs.sqlite``.

A record keeps what reuse needs: the hashes of the input, scenario,
national limits file and code, and — for a successful ICS solve — the plan
itself as JSON, so that an unchanged ICS is not solved again.

A database that cannot be reached or written — a server that is down, a
SQLite file in a read-only folder — raises :class:`RecordsUnreachable`, whose
message names the database (never its password) and the reason.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    desc,
    inspect,
    insert,
    make_url,
    select,
    update,
)
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from workforce.failures import RecordsUnreachable

DEFAULT_DB = Path("outputs") / "runs.sqlite"
ENV_DB = "WORKFORCE_DB"

METADATA = MetaData()
RUNS = Table(
    "workforce_runs", METADATA,
    Column("run_id", String(36), primary_key=True),
    Column("kind", String(16), nullable=False),  # "rollup" or "ics"
    Column("parent_run_id", String(36), index=True),
    Column("ics_code", String(16), index=True),
    Column("mode", String(16)),  # "independent" or "coupled"
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Column("code_version", String(80), nullable=False),
    Column("scenario_sha256", String(64)),
    Column("national_sha256", String(64)),
    Column("input_sha256", String(64), index=True),
    Column("status", String(16), nullable=False),  # running, succeeded, reused, rejected, failed
    Column("reused_from", String(36)),
    Column("objective_overspend_gbp", Float),
    Column("objective_unmet_fte_years", Float),
    Column("objective_cost_gbp", Float),
    Column("timings_json", Text),
    Column("output_path", Text),
    Column("output_sha256", String(64)),
    Column("message", Text),
    Column("plan_json", Text),
)


class Status:
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    REUSED = "reused"
    REJECTED = "rejected"
    FAILED = "failed"
    DONE = (SUCCEEDED, REUSED)


class NoRecords(Exception):
    """There is no run-record database (or no records table) where it was looked for."""


def database_url(option: str | None, *, create: bool = True) -> str:
    """The records' SQLAlchemy URL from ``--db``, ``WORKFORCE_DB`` or the default file (its folder made if
    ``create``)."""
    chosen = option or os.environ.get(ENV_DB) or str(DEFAULT_DB)
    if "://" in chosen:
        return chosen
    path = Path(chosen).expanduser().resolve()
    if create:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise RecordsUnreachable(f"the run records at {path} cannot be written: the folder cannot be made "
                                     f"({exc.strerror or exc})") from exc
    return f"sqlite:///{path}"


def shown_url(url: str) -> str:
    """Where the records are, for a message: the file of a SQLite URL, else the URL without its password."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        return "the given database address"
    if parsed.get_backend_name() == "sqlite":
        return parsed.database or "an in-memory database"
    return parsed.render_as_string(hide_password=True)


def database_reason(exc: SQLAlchemyError) -> str:
    """The database's own words, first line only (a driver's message can run to many lines)."""
    original = getattr(exc, "orig", None) or exc
    lines = [line.strip() for line in str(original).splitlines() if line.strip()]
    return lines[0] if lines else type(exc).__name__


def now() -> datetime:
    return datetime.now(timezone.utc)


@dataclass(frozen=True)
class RunRecord:
    """One row of ``workforce_runs`` as plain values."""

    run_id: str
    kind: str
    status: str
    started_at: datetime
    code_version: str
    parent_run_id: str | None = None
    ics_code: str | None = None
    mode: str | None = None
    ended_at: datetime | None = None
    scenario_sha256: str | None = None
    national_sha256: str | None = None
    input_sha256: str | None = None
    reused_from: str | None = None
    objective_overspend_gbp: float | None = None
    objective_unmet_fte_years: float | None = None
    objective_cost_gbp: float | None = None
    timings: dict[str, float] = field(default_factory=dict)
    output_path: str | None = None
    output_sha256: str | None = None
    message: str | None = None
    plan_json: str | None = None

    def as_dict(self) -> dict[str, object]:
        """Plain values for ``--json`` (without the stored plan)."""
        values = asdict(self)
        values["started_at"] = self.started_at.isoformat()
        values["ended_at"] = self.ended_at.isoformat() if self.ended_at else None
        values.pop("plan_json")
        return values


class RunStore:
    """Reads and writes run records; with ``create=False`` it only opens records that exist (else
    :class:`NoRecords`)."""

    def __init__(self, url: str, *, create: bool = True) -> None:
        self.url = url
        self._pending: list[dict[str, object]] | None = None
        try:
            self.engine: Engine = create_engine(url, future=True)
            if create:
                METADATA.create_all(self.engine)
                return
            sqlite_file = self.engine.url.database if self.engine.url.get_backend_name() == "sqlite" else None
            if sqlite_file is not None and not Path(sqlite_file).exists():
                raise NoRecords(shown_url(url))
            with self.engine.connect() as conn:
                if not inspect(conn).has_table(RUNS.name):
                    raise NoRecords(shown_url(url))
        except SQLAlchemyError as exc:
            raise RecordsUnreachable(self._unreachable(exc)) from exc
        except (ImportError, ValueError) as exc:  # no driver installed for the URL, or a malformed one
            raise RecordsUnreachable(f"the run records at {shown_url(url)} cannot be opened: {exc}") from exc

    def _unreachable(self, exc: SQLAlchemyError) -> str:
        return f"the run records at {shown_url(self.url)} cannot be reached or written: {database_reason(exc)}"

    @contextmanager
    def _connection(self, *, write: bool) -> Iterator[Connection]:
        try:
            with (self.engine.begin() if write else self.engine.connect()) as conn:
                yield conn
        except SQLAlchemyError as exc:
            raise RecordsUnreachable(self._unreachable(exc)) from exc

    def new_id(self) -> str:
        return str(uuid.uuid4())

    def start(self, record: RunRecord) -> None:
        with self._connection(write=True) as conn:
            conn.execute(insert(RUNS).values(**_row(record)))

    def finish(self, run_id: str, **values: object) -> None:
        if "timings" in values:
            values["timings_json"] = json.dumps(values.pop("timings"))
        values.setdefault("ended_at", now())
        with self._connection(write=True) as conn:
            conn.execute(update(RUNS).where(RUNS.c.run_id == run_id).values(**values))

    def add(self, record: RunRecord) -> None:
        """Insert a finished record (at the end of the current :meth:`batch`, if any)."""
        if self._pending is not None:
            self._pending.append(_row(record))
        else:
            self.start(record)

    @contextmanager
    def batch(self) -> Iterator[None]:
        """Records added inside are written together, in one transaction, on the way out."""
        self._pending = []
        try:
            yield
            if self._pending:
                with self._connection(write=True) as conn:
                    conn.execute(insert(RUNS), self._pending)
        finally:
            self._pending = None

    def find_reusable_ics(self, *, ics_code: str, input_sha256: str, scenario_sha256: str,
                          national_sha256: str | None, code_version: str) -> RunRecord | None:
        """The latest successful ICS solve with exactly these inputs, if any."""
        return self._latest_success(national_sha256, RUNS.c.kind == "ics", RUNS.c.ics_code == ics_code,
                                    RUNS.c.input_sha256 == input_sha256, RUNS.c.scenario_sha256 == scenario_sha256,
                                    RUNS.c.code_version == code_version)

    def find_reusable_rollup(self, *, input_sha256: str, scenario_sha256: str, national_sha256: str | None,
                             code_version: str, mode: str) -> RunRecord | None:
        """The latest successful roll-up with exactly these inputs, if any."""
        return self._latest_success(national_sha256, RUNS.c.kind == "rollup", RUNS.c.mode == mode,
                                    RUNS.c.input_sha256 == input_sha256, RUNS.c.scenario_sha256 == scenario_sha256,
                                    RUNS.c.code_version == code_version)

    def _latest_success(self, national_sha256: str | None, *conditions: object) -> RunRecord | None:
        national = RUNS.c.national_sha256.is_(None) if national_sha256 is None \
            else RUNS.c.national_sha256 == national_sha256
        query = (select(RUNS).where(*conditions, national, RUNS.c.status == Status.SUCCEEDED)
                 .order_by(desc(RUNS.c.started_at)).limit(1))
        with self._connection(write=False) as conn:
            row = conn.execute(query).mappings().first()
        return _record(row) if row else None

    def children(self, run_id: str) -> list[RunRecord]:
        with self._connection(write=False) as conn:
            rows = conn.execute(select(RUNS).where(RUNS.c.parent_run_id == run_id)
                                .order_by(RUNS.c.ics_code)).mappings().all()
        return [_record(r) for r in rows]

    def get(self, run_id: str) -> RunRecord | None:
        with self._connection(write=False) as conn:
            row = conn.execute(select(RUNS).where(RUNS.c.run_id == run_id)).mappings().first()
        return _record(row) if row else None

    def recent(self, last: int, kind: str | None = None) -> list[RunRecord]:
        query = select(RUNS).order_by(desc(RUNS.c.started_at)).limit(last)
        if kind is not None:
            query = query.where(RUNS.c.kind == kind)
        with self._connection(write=False) as conn:
            return [_record(r) for r in conn.execute(query).mappings().all()]

    def fail_interrupted(self, output_path: str, message: str) -> int:
        """Mark roll-ups into ``output_path`` still 'running' as failed (their process died)."""
        with self._connection(write=True) as conn:
            stale = [r.run_id for r in conn.execute(
                select(RUNS.c.run_id).where(RUNS.c.kind == "rollup", RUNS.c.status == Status.RUNNING,
                                            RUNS.c.output_path == output_path))]
            for run_id in stale:
                conn.execute(update(RUNS).where((RUNS.c.run_id == run_id) | (RUNS.c.parent_run_id == run_id))
                             .where(RUNS.c.status == Status.RUNNING)
                             .values(status=Status.FAILED, ended_at=now(), message=message))
        return len(stale)

    def dispose(self) -> None:
        self.engine.dispose()


def _row(record: RunRecord) -> dict[str, object]:
    values = {c.name: record.__dict__.get(c.name) for c in RUNS.columns if c.name != "timings_json"}
    values["timings_json"] = json.dumps(record.timings)
    return values


def _record(row: object) -> RunRecord:
    values = dict(row)  # type: ignore[call-overload]
    timings = json.loads(values.pop("timings_json") or "{}")
    for key in ("started_at", "ended_at"):
        if values[key] is not None and values[key].tzinfo is None:  # SQLite drops the zone
            values[key] = values[key].replace(tzinfo=timezone.utc)
    return RunRecord(timings=timings, **values)
