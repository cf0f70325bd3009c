"""A portal roll-up's run records: kept by the worker in a file of its own, copied in by the server.

The roll-up worker is given no database address (it holds no secrets), so it writes its run
records (``workforce_runs``) into a SQLite file in the roll-up's folder.  Before it starts, the
server copies into that file the successful ICS solves of the same workbooks, so that an ICS
whose workbook, policy and code are unchanged is reused exactly as ``workforce rollup`` would;
afterwards the server copies every record the worker wrote into its own database.  A record the
worker left 'running' (it was killed, ran out of time, or the portal stopped) arrives as
'failed' with a message saying why.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timezone
from pathlib import Path

from sqlalchemy import create_engine, insert, select
from sqlalchemy.engine import Engine

from workforce.rollup.records import METADATA, RUNS, Status, now


def _records_engine(records: Path) -> Engine:
    return create_engine(f"sqlite:///{records}", future=True)


def seed_records(database: Engine, records: Path, input_sha256s: Iterable[str]) -> None:
    """Create the worker's records file holding the reusable ICS solves of these workbooks."""
    with database.connect() as conn:
        rows = [dict(r) for r in conn.execute(
            select(RUNS).where(RUNS.c.kind == "ics", RUNS.c.status == Status.SUCCEEDED,
                               RUNS.c.input_sha256.in_(sorted(set(input_sha256s))))).mappings()]
    scratch = _records_engine(records)
    try:
        METADATA.create_all(scratch)
        if rows:
            with scratch.begin() as conn:
                conn.execute(insert(RUNS), rows)
    finally:
        scratch.dispose()


def bring_in_records(database: Engine, records: Path, unfinished_message: str) -> int:
    """Copy what the worker recorded (every record the portal's database does not have yet) into it."""
    if not records.exists():
        return 0
    scratch = _records_engine(records)
    try:
        with scratch.connect() as conn:
            rows = [dict(r) for r in conn.execute(select(RUNS)).mappings()]
    finally:
        scratch.dispose()
    with database.connect() as conn:
        known = set(conn.execute(select(RUNS.c.run_id).where(RUNS.c.run_id.in_([r["run_id"] for r in rows]))).scalars())
    rows = [r for r in rows if r["run_id"] not in known]
    for row in rows:
        for key in ("started_at", "ended_at"):
            if row[key] is not None and row[key].tzinfo is None:  # SQLite keeps no time zone; all are UTC
                row[key] = row[key].replace(tzinfo=timezone.utc)
        if row["status"] == Status.RUNNING:
            row.update(status=Status.FAILED, ended_at=now(), message=unfinished_message)
    if rows:
        with database.begin() as conn:
            conn.execute(insert(RUNS), rows)
    return len(rows)
