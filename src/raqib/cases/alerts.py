"""Alerts: one per (customer, entity) pair, whatever raised it, de-duplicated by the database."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from raqib.db.tables import alert
from raqib.db.upsert import insert_ignore


@dataclass(frozen=True, slots=True)
class NewAlert:
    customer_id: str
    entity_id: str
    list_id: str
    list_version_id: int
    score: float
    matched_name: str
    explanation: str
    detail: dict[str, Any]
    algorithm: str


class AlertStatus:
    OPEN = "open"
    ENTITY_REMOVED = "entity_removed"  # the entity left the list; the alert stays for the record
    CLOSED = "closed"


def alert_rows(
    alerts: Iterable[NewAlert], source: str, job_id: int | None, now: datetime
) -> list[dict[str, Any]]:
    return [
        {
            "customer_id": a.customer_id,
            "entity_id": a.entity_id,
            "list_id": a.list_id,
            "list_version_id": a.list_version_id,
            "source": source,
            "status": AlertStatus.OPEN,
            "score": a.score,
            "matched_name": a.matched_name[:1000],
            "explanation": a.explanation,
            "detail": json.dumps(a.detail, ensure_ascii=False),
            "algorithm": a.algorithm,
            "job_id": job_id,
            "created_at": now,
            "updated_at": now,
        }
        for a in alerts
    ]


def add_alerts(
    conn: sa.Connection, alerts: Sequence[NewAlert], source: str, job_id: int | None = None
) -> int:
    """Record alerts inside the caller's transaction; an existing (customer, entity) pair is kept as is."""
    return insert_ignore(
        conn, alert, alert_rows(alerts, source, job_id, datetime.now(UTC)), ("customer_id", "entity_id")
    )


def mark_entities_removed(conn: sa.Connection, entity_ids: Sequence[str]) -> int:
    """Open alerts on entities that left their list are marked, not deleted (the record stays)."""
    changed = 0
    for start in range(0, len(entity_ids), 500):
        result = conn.execute(
            alert.update()
            .where(
                alert.c.entity_id.in_(list(entity_ids[start : start + 500])),
                alert.c.status == AlertStatus.OPEN,
            )
            .values(status=AlertStatus.ENTITY_REMOVED, updated_at=datetime.now(UTC))
        )
        changed += result.rowcount
    return changed


class AlertStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    def list(
        self, status: str | None = None, customer_id: str | None = None, limit: int | None = None
    ) -> list[dict[str, Any]]:
        query = sa.select(alert).order_by(alert.c.id)
        if status is not None:
            query = query.where(alert.c.status == status)
        if customer_id is not None:
            query = query.where(alert.c.customer_id == customer_id)
        if limit is not None:
            query = query.limit(limit)
        with self.engine.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query).all()]

    def count(self, status: str | None = None) -> int:
        query = sa.select(sa.func.count()).select_from(alert)
        if status is not None:
            query = query.where(alert.c.status == status)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())


__all__ = ["AlertStatus", "AlertStore", "NewAlert", "add_alerts", "mark_entities_removed"]
