"""Portal storage: users, submissions and portal roll-ups, beside the run records.

Passwords are kept only as salted scrypt hashes (``hashlib.scrypt``, a slow
memory-hard function); a password is never stored or logged.  Each account has a
session epoch, written into its session cookies: signing out or resetting the
password moves the epoch on, which ends every session of that account at once.

A submission keeps at most the first 200 problems of its workbook and the count
of the rest (``issues_more``), so that no upload can make every later page large.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Boolean, Column, DateTime, Integer, MetaData, String, Table, Text, create_engine, desc, func, \
    insert, inspect, or_, select, text, update
from sqlalchemy.exc import SQLAlchemyError

from workforce.failures import RecordsUnreachable
from workforce.rollup.records import METADATA as RECORDS_METADATA
from workforce.rollup.records import database_reason, shown_url

METADATA = MetaData()
USERS = Table(
    "portal_users", METADATA,
    Column("email", String(254), primary_key=True),
    Column("password_hash", String(300), nullable=False),
    Column("ics_code", String(16)),
    Column("is_national", Boolean, nullable=False, default=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("session_epoch", Integer, nullable=False, default=0),
)
SUBMISSIONS = Table(
    "portal_submissions", METADATA,
    Column("id", String(36), primary_key=True),
    Column("ics_code", String(16), nullable=False, index=True),
    Column("user_email", String(254), nullable=False),
    Column("original_name", Text, nullable=False),
    Column("stored_name", Text, nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("uploaded_at", DateTime(timezone=True), nullable=False),
    Column("validation", String(16), nullable=False),  # checking, accepted, rejected
    Column("issues_json", Text),  # {"shown": [at most 200 issues], "more": how many were left out}
    Column("plan_status", String(16), nullable=False),  # none, waiting, solving, done, failed
    Column("plan_file", Text),
    Column("summary_json", Text),
    Column("message", Text),
)
ROLLUPS = Table(
    "portal_rollups", METADATA,
    Column("id", String(36), primary_key=True),
    Column("started_by", String(254), nullable=False),
    Column("mode", String(16), nullable=False),
    Column("national_file", Text),
    Column("status", String(16), nullable=False),  # running, done, failed
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True)),
    Column("workbook", Text),
    Column("summary_json", Text),
    Column("message", Text),
)

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    try:
        _, n, r, p, salt, digest = stored.split("$")
        got = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n), r=int(r), p=int(p), dklen=32)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got.hex(), digest)


def now() -> datetime:
    return datetime.now(timezone.utc)


def _aware(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


@dataclass(frozen=True)
class User:
    email: str
    ics_code: str | None
    is_national: bool
    session_epoch: int = 0

    def may_see(self, ics_code: str) -> bool:
        return self.is_national or (self.ics_code or "").upper() == ics_code.upper()


@dataclass(frozen=True)
class SubmissionRow:
    id: str
    ics_code: str
    user_email: str
    original_name: str
    stored_name: str
    sha256: str
    uploaded_at: datetime
    validation: str
    issues: list[dict[str, str]]
    issues_more: int
    plan_status: str
    plan_file: str | None
    summary: dict[str, object]
    message: str | None


@dataclass(frozen=True)
class RollupRow:
    id: str
    started_by: str
    mode: str
    national_file: str | None
    status: str
    started_at: datetime
    ended_at: datetime | None
    workbook: str | None
    summary: dict[str, object]
    message: str | None


class PortalStore:
    def __init__(self, url: str) -> None:
        """Raises :class:`~workforce.failures.RecordsUnreachable` (its message without the password) when the
        database cannot be reached or its tables made."""
        try:
            self.engine = create_engine(url, future=True)
            METADATA.create_all(self.engine)
            RECORDS_METADATA.create_all(self.engine)
            _add_session_epoch(self.engine)
        except SQLAlchemyError as exc:
            raise RecordsUnreachable(f"the portal's database at {shown_url(url)} cannot be reached or written: "
                                     f"{database_reason(exc)}") from exc
        except (ImportError, ValueError) as exc:  # no driver installed for the URL, or a malformed one
            raise RecordsUnreachable(f"the portal's database at {shown_url(url)} cannot be opened: {exc}") from exc
        self._no_such_account = hash_password(secrets.token_urlsafe(12))

    def add_user(self, email: str, ics_code: str | None, is_national: bool) -> str:
        """Create (or reset) an account; returns its new initial password.  A reset ends its sessions."""
        password = secrets.token_urlsafe(12)
        values = {"password_hash": hash_password(password), "ics_code": ics_code.upper() if ics_code else None,
                  "is_national": is_national, "created_at": now()}
        with self.engine.begin() as conn:
            exists = conn.execute(select(USERS.c.email).where(USERS.c.email == email.lower())).first()
            if exists:
                conn.execute(update(USERS).where(USERS.c.email == email.lower())
                             .values(session_epoch=USERS.c.session_epoch + 1, **values))
            else:
                conn.execute(insert(USERS).values(email=email.lower(), session_epoch=0, **values))
        return password

    def authenticate(self, email: str, password: str) -> User | None:
        """The account, if the password is right; one scrypt either way, so timing tells nothing."""
        with self.engine.connect() as conn:
            row = conn.execute(select(USERS).where(USERS.c.email == email.strip().lower())).mappings().first()
        if not verify_password(password, row["password_hash"] if row else self._no_such_account) or row is None:
            return None
        return _user(row)

    def user(self, email: str) -> User | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(USERS).where(USERS.c.email == email)).mappings().first()
        return _user(row) if row else None

    def end_sessions(self, email: str) -> None:
        """Sign the account out everywhere: every cookie issued so far stops working."""
        with self.engine.begin() as conn:
            conn.execute(update(USERS).where(USERS.c.email == email).values(session_epoch=USERS.c.session_epoch + 1))

    def jobs_in_flight(self, email: str) -> int:
        """The account's uploads still being checked or solved, and its roll-ups still running."""
        unfinished = or_(SUBMISSIONS.c.validation == "checking", SUBMISSIONS.c.plan_status.in_(("waiting", "solving")))
        with self.engine.connect() as conn:
            submissions = conn.execute(select(func.count()).select_from(SUBMISSIONS)
                                       .where(SUBMISSIONS.c.user_email == email, unfinished)).scalar_one()
            rollups = conn.execute(select(func.count()).select_from(ROLLUPS)
                                   .where(ROLLUPS.c.started_by == email, ROLLUPS.c.status == "running")).scalar_one()
        return int(submissions) + int(rollups)

    def unfinished(self) -> tuple[list[SubmissionRow], list[SubmissionRow], list[RollupRow]]:
        """Work an earlier process left: uploads being checked, plans waiting or solving, roll-ups running."""
        with self.engine.connect() as conn:
            checking = conn.execute(select(SUBMISSIONS).where(SUBMISSIONS.c.validation == "checking")
                                    .order_by(SUBMISSIONS.c.uploaded_at)).mappings().all()
            solving = conn.execute(select(SUBMISSIONS).where(SUBMISSIONS.c.validation == "accepted",
                                                             SUBMISSIONS.c.plan_status.in_(("waiting", "solving")))
                                   .order_by(SUBMISSIONS.c.uploaded_at)).mappings().all()
            running = conn.execute(select(ROLLUPS).where(ROLLUPS.c.status == "running")).mappings().all()
        return [_submission(r) for r in checking], [_submission(r) for r in solving], [_rollup(r) for r in running]

    def add_submission(self, ics_code: str, user_email: str, original_name: str, stored_name: str,
                       sha256: str) -> str:
        sid = str(uuid.uuid4())
        with self.engine.begin() as conn:
            conn.execute(insert(SUBMISSIONS).values(id=sid, ics_code=ics_code.upper(), user_email=user_email,
                                                    original_name=original_name, stored_name=stored_name,
                                                    sha256=sha256, uploaded_at=now(), validation="checking",
                                                    plan_status="none"))
        return sid

    def update_submission(self, sid: str, **values: object) -> None:
        if "issues" in values:
            values["issues_json"] = json.dumps({"shown": values.pop("issues"), "more": values.pop("issues_more", 0)})
        if "summary" in values:
            values["summary_json"] = json.dumps(values.pop("summary"))
        with self.engine.begin() as conn:
            conn.execute(update(SUBMISSIONS).where(SUBMISSIONS.c.id == sid).values(**values))

    def submission(self, sid: str) -> SubmissionRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(SUBMISSIONS).where(SUBMISSIONS.c.id == sid)).mappings().first()
        return _submission(row) if row else None

    def submissions(self, ics_code: str | None = None) -> list[SubmissionRow]:
        query = select(SUBMISSIONS).order_by(desc(SUBMISSIONS.c.uploaded_at))
        if ics_code is not None:
            query = query.where(SUBMISSIONS.c.ics_code == ics_code.upper())
        with self.engine.connect() as conn:
            return [_submission(r) for r in conn.execute(query).mappings().all()]

    def add_rollup(self, started_by: str, mode: str, national_file: str | None) -> str:
        rid = str(uuid.uuid4())
        with self.engine.begin() as conn:
            conn.execute(insert(ROLLUPS).values(id=rid, started_by=started_by, mode=mode, national_file=national_file,
                                                status="running", started_at=now()))
        return rid

    def update_rollup(self, rid: str, **values: object) -> None:
        if "summary" in values:
            values["summary_json"] = json.dumps(values.pop("summary"))
        with self.engine.begin() as conn:
            conn.execute(update(ROLLUPS).where(ROLLUPS.c.id == rid).values(**values))

    def rollup(self, rid: str) -> RollupRow | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(ROLLUPS).where(ROLLUPS.c.id == rid)).mappings().first()
        return _rollup(row) if row else None

    def rollups(self, last: int = 10) -> list[RollupRow]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(ROLLUPS).order_by(desc(ROLLUPS.c.started_at)).limit(last)).mappings().all()
        return [_rollup(r) for r in rows]

    def dispose(self) -> None:
        self.engine.dispose()


def _add_session_epoch(engine: object) -> None:
    """Databases made before sessions had epochs get the column (every existing session then ends)."""
    columns = {c["name"] for c in inspect(engine).get_columns("portal_users")}
    if "session_epoch" not in columns:
        with engine.begin() as conn:  # type: ignore[attr-defined]
            conn.execute(text("ALTER TABLE portal_users ADD COLUMN session_epoch INTEGER NOT NULL DEFAULT 0"))


def _user(row: object) -> User:
    r = dict(row)  # type: ignore[call-overload]
    return User(r["email"], r["ics_code"], bool(r["is_national"]), int(r["session_epoch"] or 0))


def _issues(stored: str | None) -> tuple[list[dict[str, str]], int]:
    found = json.loads(stored or "[]")
    if isinstance(found, list):  # written before the list was capped
        return found, 0
    return found["shown"], int(found["more"])


def _submission(row: object) -> SubmissionRow:
    r = dict(row)  # type: ignore[call-overload]
    issues, more = _issues(r["issues_json"])
    return SubmissionRow(
        id=r["id"], ics_code=r["ics_code"], user_email=r["user_email"], original_name=r["original_name"],
        stored_name=r["stored_name"], sha256=r["sha256"], uploaded_at=_aware(r["uploaded_at"]),
        validation=r["validation"], issues=issues, issues_more=more, plan_status=r["plan_status"],
        plan_file=r["plan_file"], summary=json.loads(r["summary_json"] or "{}"), message=r["message"])


def _rollup(row: object) -> RollupRow:
    r = dict(row)  # type: ignore[call-overload]
    return RollupRow(id=r["id"], started_by=r["started_by"], mode=r["mode"], national_file=r["national_file"],
                     status=r["status"], started_at=_aware(r["started_at"]), ended_at=_aware(r["ended_at"]),
                     workbook=r["workbook"], summary=json.loads(r["summary_json"] or "{}"), message=r["message"])
