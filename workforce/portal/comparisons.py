"""Comparisons the portal runs: an accepted submission under its what-ifs, or the latest submissions nationally.

One row per comparison asked for: whose, of what (a submission, or "national": the latest accepted submission
of every ICS), the what-ifs it compares with the base (``workforce.portal.whatifs``), and what came of it —
``queued`` and ``running``, then ``done`` (with a summary for the page and the comparison workbook), ``invalid``
(the what-ifs do not fit the workbook: the problems, as ``workforce compare`` lists them) or ``failed``.
Adding or removing a what-if makes a new comparison with the list changed, so each row is one run, kept.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, DateTime, MetaData, String, Table, Text, desc, func, insert, select, update

from workforce.portal.store import _aware as aware_time, now

METADATA = MetaData()
NATIONAL = "national"
BUSY = ("queued", "running")
COMPARISONS = Table(
    "portal_comparisons", METADATA,
    Column("id", String(36), primary_key=True),
    Column("subject", String(36), nullable=False, index=True),  # a submission id, or "national"
    Column("ics_code", String(16)),  # the submission's ICS (None nationally)
    Column("started_by", String(254), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Column("status", String(16), nullable=False),  # queued, running, done, invalid, failed
    Column("whatifs_json", Text, nullable=False),  # [{"name": ..., "adjustments": [scenario-file tables]}]
    Column("summary_json", Text),
    Column("problems_json", Text),
    Column("workbook", Text),
    Column("message", Text),
)


@dataclass(frozen=True)
class ComparisonRow:
    id: str
    subject: str
    ics_code: str | None
    started_by: str
    started_at: datetime
    ended_at: datetime | None
    status: str
    whatifs: list[dict[str, object]]
    summary: dict[str, object]
    problems: list[str]
    workbook: str | None
    message: str | None

    @property
    def national(self) -> bool:
        return self.subject == NATIONAL

    @property
    def busy(self) -> bool:
        return self.status in BUSY


class ComparisonStore:
    """The comparisons table, in the portal's database."""

    def __init__(self, engine: object) -> None:
        self.engine = engine
        METADATA.create_all(engine)  # type: ignore[arg-type]

    def add(self, subject: str, ics_code: str | None, started_by: str, whatifs: list[dict[str, object]]) -> str:
        cid = str(uuid.uuid4())
        with self.engine.begin() as conn:  # type: ignore[attr-defined]
            conn.execute(insert(COMPARISONS).values(id=cid, subject=subject, ics_code=ics_code, started_by=started_by,
                                                    started_at=now(), status="queued",
                                                    whatifs_json=json.dumps(whatifs)))
        return cid

    def update(self, cid: str, **values: object) -> None:
        for key in ("summary", "problems"):
            if key in values:
                values[f"{key}_json"] = json.dumps(values.pop(key))
        with self.engine.begin() as conn:  # type: ignore[attr-defined]
            conn.execute(update(COMPARISONS).where(COMPARISONS.c.id == cid).values(**values))

    def get(self, cid: str) -> ComparisonRow | None:
        with self.engine.connect() as conn:  # type: ignore[attr-defined]
            row = conn.execute(select(COMPARISONS).where(COMPARISONS.c.id == cid)).mappings().first()
        return _row(row) if row else None

    def of(self, subject: str, last: int = 10) -> list[ComparisonRow]:
        """A submission's comparisons (or the national ones), newest first."""
        query = (select(COMPARISONS).where(COMPARISONS.c.subject == subject)
                 .order_by(desc(COMPARISONS.c.started_at)).limit(last))
        with self.engine.connect() as conn:  # type: ignore[attr-defined]
            return [_row(r) for r in conn.execute(query).mappings().all()]

    def in_flight(self, email: str) -> int:
        """The account's comparisons queued or running (they count towards its job limit)."""
        with self.engine.connect() as conn:  # type: ignore[attr-defined]
            return int(conn.execute(select(func.count()).select_from(COMPARISONS).where(
                COMPARISONS.c.started_by == email, COMPARISONS.c.status.in_(BUSY))).scalar_one())

    def unfinished(self) -> list[ComparisonRow]:
        with self.engine.connect() as conn:  # type: ignore[attr-defined]
            rows = conn.execute(select(COMPARISONS).where(COMPARISONS.c.status.in_(BUSY))
                                .order_by(COMPARISONS.c.started_at)).mappings().all()
        return [_row(r) for r in rows]


def _row(row: object) -> ComparisonRow:
    r = dict(row)  # type: ignore[call-overload]
    return ComparisonRow(id=r["id"], subject=r["subject"], ics_code=r["ics_code"], started_by=r["started_by"],
                         started_at=aware_time(r["started_at"]), ended_at=aware_time(r["ended_at"]),  # type: ignore[arg-type]
                         status=r["status"], whatifs=json.loads(r["whatifs_json"] or "[]"),
                         summary=json.loads(r["summary_json"] or "{}"), problems=json.loads(r["problems_json"] or "[]"),
                         workbook=r["workbook"], message=r["message"])
