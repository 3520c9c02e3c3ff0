"""The allow-list ("good-guy list"): an analyst's confirmed false positive, customer X is not entity Y.

An entry suppresses that one pair in later screenings *only while nothing changed*: it records the
customer's record hash and the entity's list-record hash at the time of the decision, and lapses as
soon as either changes (new date of birth, new alias, ...), when it expires, or when it is revoked.
Every entry keeps who decided, when and why.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from raqib import audit
from raqib.db.tables import allow_entry, customer, list_entity
from raqib.errors import InvalidInput, NotFound
from raqib.lists.store import ListStore


@dataclass(frozen=True, slots=True)
class AllowEntry:
    id: int
    customer_id: str
    entity_id: str
    reason: str
    created_by: str
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "customer_id": self.customer_id,
            "entity_id": self.entity_id,
            "reason": self.reason,
            "created_by": self.created_by,
            "created_at": self.created_at.isoformat(),
            "expires_at": self.expires_at.isoformat() if self.expires_at else None,
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
        }


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _entry(row: sa.Row[tuple[object, ...]]) -> AllowEntry:
    return AllowEntry(
        row.id,
        row.customer_id,
        row.entity_id,
        row.reason,
        row.created_by,
        _utc(row.created_at),  # type: ignore[arg-type]
        _utc(row.expires_at),
        _utc(row.revoked_at),
    )


class AllowList:
    def __init__(self, engine: Engine):
        self.engine = engine
        self.lists = ListStore(engine)

    def _entity_hashes(self, conn: sa.Connection, entity_ids: Iterable[str]) -> dict[str, str]:
        """Hash of each entity's record in the latest version of its list."""
        version_ids = [v.id for v in self.lists.latest_versions()]
        ids = sorted(set(entity_ids))
        hashes: dict[str, str] = {}
        for start in range(0, len(ids), 500):
            rows = conn.execute(
                sa.select(list_entity.c.entity_id, list_entity.c.data).where(
                    list_entity.c.version_id.in_(version_ids),
                    list_entity.c.entity_id.in_(ids[start : start + 500]),
                )
            ).all()
            hashes.update({r.entity_id: hashlib.sha256(r.data.encode()).hexdigest() for r in rows})
        return hashes

    def add(
        self,
        customer_id: str,
        entity_id: str,
        reason: str,
        created_by: str,
        expires_at: datetime | None = None,
    ) -> AllowEntry:
        if not reason.strip():
            raise InvalidInput("an allow-list entry needs a reason", details={"field": "reason"})
        if not created_by.strip():
            raise InvalidInput("an allow-list entry needs the deciding user", details={"field": "created_by"})
        now = datetime.now(UTC)
        if expires_at is not None and _utc(expires_at) <= now:  # type: ignore[operator]
            raise InvalidInput("the expiry date is in the past", details={"field": "expires_at"})
        with self.engine.begin() as conn:
            customer_hash = conn.execute(
                sa.select(customer.c.record_hash).where(customer.c.id == customer_id)
            ).scalar_one_or_none()
            if customer_hash is None:
                raise NotFound(f"no customer {customer_id!r} in the register")
            entity_hash = self._entity_hashes(conn, [entity_id]).get(entity_id)
            if entity_hash is None:
                raise NotFound(f"no entity {entity_id!r} in the latest list versions")
            entry_id = conn.execute(
                allow_entry.insert().values(
                    customer_id=customer_id,
                    entity_id=entity_id,
                    customer_hash=customer_hash,
                    entity_hash=entity_hash,
                    reason=reason.strip(),
                    created_by=created_by.strip(),
                    created_at=now,
                    expires_at=expires_at,
                )
            ).inserted_primary_key[0]
            row = conn.execute(sa.select(allow_entry).where(allow_entry.c.id == entry_id)).one()
            audit.append(
                conn,
                created_by.strip() if ":" in created_by else f"user:{created_by.strip()}",
                "allowlist.add",
                f"allow:{entry_id}",
                {
                    "customer_id": customer_id,
                    "entity_id": entity_id,
                    "reason": reason.strip(),
                    "expires_at": expires_at.isoformat() if expires_at else None,
                },
            )
        return _entry(row)

    def revoke(self, entry_id: int, actor: str = "cli:operator") -> AllowEntry:
        with self.engine.begin() as conn:
            result = conn.execute(
                allow_entry.update()
                .where(allow_entry.c.id == entry_id, allow_entry.c.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            )
            row = conn.execute(sa.select(allow_entry).where(allow_entry.c.id == entry_id)).first()
            if row is not None and result.rowcount:
                audit.append(
                    conn,
                    actor,
                    "allowlist.revoke",
                    f"allow:{entry_id}",
                    {"customer_id": row.customer_id, "entity_id": row.entity_id},
                )
        if row is None:
            raise NotFound(f"no allow-list entry {entry_id}")
        return _entry(row)

    def entries(self) -> list[AllowEntry]:
        with self.engine.connect() as conn:
            return [_entry(r) for r in conn.execute(sa.select(allow_entry).order_by(allow_entry.c.id)).all()]

    def suppressed(self, conn: sa.Connection, pairs: Iterable[tuple[str, str]]) -> set[tuple[str, str]]:
        """Of these (customer, entity) pairs, those a live entry suppresses right now."""
        wanted = set(pairs)
        if not wanted:
            return set()
        now = datetime.now(UTC)
        customer_ids = sorted({c for c, _ in wanted})
        rows = []
        for start in range(0, len(customer_ids), 500):
            rows.extend(
                conn.execute(
                    sa.select(allow_entry, customer.c.record_hash)
                    .join(customer, customer.c.id == allow_entry.c.customer_id)
                    .where(
                        allow_entry.c.customer_id.in_(customer_ids[start : start + 500]),
                        allow_entry.c.revoked_at.is_(None),
                    )
                ).all()
            )
        live = [
            r
            for r in rows
            if (r.customer_id, r.entity_id) in wanted
            and r.record_hash == r.customer_hash
            and (r.expires_at is None or _utc(r.expires_at) > now)  # type: ignore[operator]
        ]
        if not live:
            return set()
        entity_hashes = self._entity_hashes(conn, [r.entity_id for r in live])
        return {(r.customer_id, r.entity_id) for r in live if entity_hashes.get(r.entity_id) == r.entity_hash}


__all__ = ["AllowEntry", "AllowList"]
