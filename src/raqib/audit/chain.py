"""The hash chain: append inside the caller's transaction, verify from the first record."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from raqib.db.tables import audit_head, audit_log
from raqib.errors import InvalidInput

GENESIS = "0" * 64
_PAGE = 1000


@dataclass(frozen=True, slots=True)
class AuditRecord:
    seq: int
    ts: str
    actor: str
    action: str
    subject: str
    details: str  # canonical JSON text, exactly as hashed
    prev_hash: str
    hash: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq,
            "ts": self.ts,
            "actor": self.actor,
            "action": self.action,
            "subject": self.subject,
            "details": json.loads(self.details),
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


@dataclass(frozen=True, slots=True)
class ChainBreak:
    """The first record that fails verification, and why."""

    seq: int
    reason: str

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "reason": self.reason}


def canonical_json(value: Any) -> str:
    """Sorted keys, no spaces, UTF-8 text: the same value always gives the same bytes."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def record_hash(
    prev_hash: str, seq: int, ts: str, actor: str, action: str, subject: str, details: str
) -> str:
    """sha256(prev_hash + canonical record); the record is a JSON array, so fields cannot bleed."""
    body = canonical_json([seq, ts, actor, action, subject, details])
    return hashlib.sha256((prev_hash + body).encode("utf-8")).hexdigest()


def append(
    conn: sa.Connection,
    actor: str,
    action: str,
    subject: str,
    details: Mapping[str, Any] | None = None,
) -> AuditRecord:
    """Append one record inside the caller's transaction; it commits or rolls back with the change.

    The head row is updated first, which locks it (PostgreSQL row lock, SQLite write lock) until the
    caller's transaction ends: concurrent appenders queue behind it and the chain never forks. Call
    it as the last statement of a transaction, so the lock is held briefly.

    Args:
        conn: a connection inside the transaction that makes the change being recorded.
        actor: who did it (``user:alice``, ``key:3``, ``cli:root``).
        action: what, dotted (``case.approve``, ``auth.login``, ``list.import``).
        subject: on what (``case:12``, ``user:bob``, ``list:un_sc``).
        details: JSON-serialisable facts; stored as canonical JSON.
    """
    if not actor or not action or not subject:
        raise InvalidInput("an audit record needs an actor, an action and a subject")
    head = conn.execute(
        audit_head.update()
        .where(audit_head.c.id == 1)
        .values(seq=audit_head.c.seq + 1)
        .returning(audit_head.c.seq, audit_head.c.hash)
    ).one()
    seq, prev_hash = int(head.seq), str(head.hash)
    ts = datetime.now(UTC).isoformat(timespec="microseconds")
    details_text = canonical_json(dict(details or {}))
    digest = record_hash(prev_hash, seq, ts, actor, action, subject, details_text)
    record = AuditRecord(seq, ts, actor[:200], action[:60], subject[:200], details_text, prev_hash, digest)
    conn.execute(
        audit_log.insert().values(
            seq=seq,
            ts=ts,
            actor=record.actor,
            action=record.action,
            subject=record.subject,
            details=details_text,
            prev_hash=prev_hash,
            hash=digest,
        )
    )
    conn.execute(audit_head.update().where(audit_head.c.id == 1).values(hash=digest))
    return record


def _record(row: sa.Row[Any]) -> AuditRecord:
    return AuditRecord(
        int(row.seq), row.ts, row.actor, row.action, row.subject, row.details, row.prev_hash, row.hash
    )


def _pages(conn: sa.Connection) -> Iterator[AuditRecord]:
    """Every record in seq order, a page at a time (keyset pagination, constant memory)."""
    after = -1
    while True:
        rows = conn.execute(
            sa.select(audit_log).where(audit_log.c.seq > after).order_by(audit_log.c.seq).limit(_PAGE)
        ).all()
        for row in rows:
            yield _record(row)
        if len(rows) < _PAGE:
            return
        after = int(rows[-1].seq)


def verify(engine: Engine, anchor: tuple[int, str] | None = None) -> ChainBreak | None:
    """Recompute the chain; the first bad record, or None when the whole log is intact.

    Detects an edited record (its hash no longer matches), a deleted one (a gap in seq, or a tail
    the head row still counts), a reordering (a broken link to the previous hash) and, given an
    ``anchor`` (seq, hash) recorded outside the database earlier, a wholesale rewrite of the chain.
    """
    expected_seq, prev_hash = 1, GENESIS
    anchor_seen = anchor is None
    with engine.connect() as conn:
        for record in _pages(conn):
            if record.seq != expected_seq:
                return ChainBreak(record.seq, f"gap: record {expected_seq} is missing (deleted or reordered)")
            if record.prev_hash != prev_hash:
                return ChainBreak(record.seq, "broken link: prev_hash is not the previous record's hash")
            recomputed = record_hash(
                record.prev_hash,
                record.seq,
                record.ts,
                record.actor,
                record.action,
                record.subject,
                record.details,
            )
            if recomputed != record.hash:
                return ChainBreak(record.seq, "edited: the record no longer matches its hash")
            if anchor is not None and record.seq == anchor[0]:
                if record.hash != anchor[1]:
                    return ChainBreak(record.seq, "rewritten: the hash differs from the external anchor")
                anchor_seen = True
            prev_hash = record.hash
            expected_seq += 1
        head = conn.execute(sa.select(audit_head).where(audit_head.c.id == 1)).one()
    last = expected_seq - 1
    if int(head.seq) != last:
        return ChainBreak(last + 1, f"truncated: the head counts {head.seq} records, the log has {last}")
    if head.hash != prev_hash:
        return ChainBreak(last, "head mismatch: the head hash is not the last record's hash")
    if not anchor_seen:
        return ChainBreak(anchor[0], "truncated: the anchored record is missing")  # type: ignore[index]
    return None


def head(engine: Engine) -> tuple[int, str]:
    """The chain head (seq, hash): write it down outside the database to anchor later checks."""
    with engine.connect() as conn:
        row = conn.execute(sa.select(audit_head).where(audit_head.c.id == 1)).one()
    return int(row.seq), str(row.hash)


def records(
    engine: Engine,
    *,
    subject: str | None = None,
    action: str | None = None,
    after_seq: int = 0,
    limit: int = 100,
) -> list[AuditRecord]:
    """Records in seq order, optionally of one subject or action prefix (``case.``)."""
    query = sa.select(audit_log).where(audit_log.c.seq > after_seq).order_by(audit_log.c.seq)
    if subject is not None:
        query = query.where(audit_log.c.subject == subject)
    if action is not None:
        query = query.where(audit_log.c.action.startswith(action, autoescape=True))
    with engine.connect() as conn:
        return [_record(row) for row in conn.execute(query.limit(max(1, min(limit, 10_000)))).all()]


__all__ = [
    "GENESIS",
    "AuditRecord",
    "ChainBreak",
    "append",
    "canonical_json",
    "head",
    "record_hash",
    "records",
    "verify",
]
