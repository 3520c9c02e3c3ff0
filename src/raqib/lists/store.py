"""The versioned watchlist store.

Each import of a list becomes a *version*: the list's entities as published, a content hash, the
publisher's date and the import time. Versions are immutable; importing content that is already
stored is a no-op that names the existing version. An import is one transaction: a failure leaves
the previous versions exactly as they were and nothing half-imported is visible.

The content hash covers the parsed entities (canonical JSON), not the file bytes, so a list
re-published with a new timestamp but identical content does not create a version that would
trigger needless re-screening.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from raqib.db.tables import list_entity, list_version, watchlist
from raqib.errors import Conflict, InvalidInput, NotFound
from raqib.lists.model import Entity, ParsedList

_INSERT_BATCH = 2000


@dataclass(frozen=True, slots=True)
class ListVersion:
    id: int
    list_id: str
    content_hash: str
    publisher_date: str | None
    imported_at: datetime
    format: str
    source_path: str | None
    entity_count: int

    @property
    def sort_key(self) -> tuple[str, int]:
        return (self.publisher_date or self.imported_at.isoformat(), self.id)

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "list_id": self.list_id,
            "content_hash": self.content_hash,
            "publisher_date": self.publisher_date,
            "imported_at": self.imported_at.isoformat(),
            "format": self.format,
            "source_path": self.source_path,
            "entity_count": self.entity_count,
        }


@dataclass(frozen=True, slots=True)
class Watchlist:
    id: str
    title: str
    versions: tuple[ListVersion, ...]

    @property
    def latest(self) -> ListVersion | None:
        return self.versions[-1] if self.versions else None


@dataclass(frozen=True, slots=True)
class ImportResult:
    version: ListVersion
    created: bool
    previous: ListVersion | None


def canonical_json(entity: Entity) -> str:
    return json.dumps(
        entity.model_dump(mode="json"), ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def content_hash(rows: Iterable[tuple[str, str]]) -> str:
    digest = hashlib.sha256()
    for entity_id, data in sorted(rows):
        digest.update(entity_id.encode())
        digest.update(b"\t")
        digest.update(data.encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _version(row: sa.Row[tuple[object, ...]]) -> ListVersion:
    imported = row.imported_at
    if imported.tzinfo is None:  # SQLite drops the zone; we always store UTC
        imported = imported.replace(tzinfo=UTC)
    return ListVersion(
        id=row.id,
        list_id=row.list_id,
        content_hash=row.content_hash,
        publisher_date=row.publisher_date,
        imported_at=imported,
        format=row.format,
        source_path=row.source_path,
        entity_count=row.entity_count,
    )


class ListStore:
    """Watchlists and their versions in a SQL database (SQLite or PostgreSQL)."""

    def __init__(self, engine: Engine):
        self.engine = engine

    # -- writing -----------------------------------------------------------------------------
    def import_parsed(self, parsed: ParsedList, source_path: str | None = None) -> ImportResult:
        """Store a parsed list as a new version, unless the same content is already stored."""
        if not parsed.entities:
            raise InvalidInput(
                f"{source_path or parsed.list_id}: the list holds no entities", code="empty_list"
            )
        rows: dict[str, tuple[Entity, str]] = {}
        for entity in parsed.entities:
            if entity.id in rows:
                raise InvalidInput(
                    f"{source_path or parsed.list_id}: two entities share the reference {entity.source_ref!r}",
                    code="duplicate_reference",
                )
            rows[entity.id] = (entity, canonical_json(entity))
        digest = content_hash((entity_id, data) for entity_id, (_, data) in rows.items())
        now = datetime.now(UTC)
        try:
            with self.engine.begin() as conn:
                existing = conn.execute(
                    sa.select(list_version).where(
                        list_version.c.list_id == parsed.list_id, list_version.c.content_hash == digest
                    )
                ).first()
                if existing is not None:
                    return ImportResult(_version(existing), created=False, previous=None)
                if (
                    conn.execute(sa.select(watchlist.c.id).where(watchlist.c.id == parsed.list_id)).first()
                    is None
                ):
                    conn.execute(
                        watchlist.insert().values(id=parsed.list_id, title=parsed.title, created_at=now)
                    )
                previous = self._latest(conn, parsed.list_id)
                version_id = conn.execute(
                    list_version.insert().values(
                        list_id=parsed.list_id,
                        content_hash=digest,
                        publisher_date=parsed.publisher_date,
                        imported_at=now,
                        format=parsed.format,
                        source_path=source_path,
                        entity_count=len(rows),
                    )
                ).inserted_primary_key[0]
                batch: list[dict[str, object]] = []
                for entity_id, (entity, data) in rows.items():
                    batch.append(
                        {
                            "version_id": version_id,
                            "entity_id": entity_id,
                            "type": entity.type.value,
                            "caption": entity.caption[:1000],
                            "data": data,
                        }
                    )
                    if len(batch) >= _INSERT_BATCH:
                        conn.execute(list_entity.insert(), batch)
                        batch = []
                if batch:
                    conn.execute(list_entity.insert(), batch)
                row = conn.execute(sa.select(list_version).where(list_version.c.id == version_id)).one()
        except sa.exc.IntegrityError as err:
            # Two importers raced on the same content: the other one won, which is what we wanted.
            raise Conflict(f"{parsed.list_id}: this content was imported concurrently; retry") from err
        return ImportResult(_version(row), created=True, previous=previous)

    # -- reading -----------------------------------------------------------------------------
    @staticmethod
    def _latest(conn: sa.Connection, list_id: str) -> ListVersion | None:
        rows = conn.execute(sa.select(list_version).where(list_version.c.list_id == list_id)).all()
        versions = sorted((_version(r) for r in rows), key=lambda v: v.sort_key)
        return versions[-1] if versions else None

    def watchlists(self) -> list[Watchlist]:
        with self.engine.connect() as conn:
            lists = conn.execute(sa.select(watchlist).order_by(watchlist.c.id)).all()
            versions = [_version(r) for r in conn.execute(sa.select(list_version)).all()]
        by_list: dict[str, list[ListVersion]] = {}
        for version in versions:
            by_list.setdefault(version.list_id, []).append(version)
        return [
            Watchlist(row.id, row.title, tuple(sorted(by_list.get(row.id, []), key=lambda v: v.sort_key)))
            for row in lists
        ]

    def watchlist(self, list_id: str) -> Watchlist:
        for item in self.watchlists():
            if item.id == list_id:
                return item
        known = ", ".join(w.id for w in self.watchlists()) or "none imported yet"
        raise NotFound(f"no list {list_id!r} in the store (lists: {known})")

    def versions(self, list_id: str) -> list[ListVersion]:
        return list(self.watchlist(list_id).versions)

    def version(self, version_id: int) -> ListVersion:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(list_version).where(list_version.c.id == version_id)).first()
        if row is None:
            raise NotFound(f"no list version {version_id}")
        return _version(row)

    def latest_versions(self, list_ids: Iterable[str] | None = None) -> list[ListVersion]:
        wanted = set(list_ids) if list_ids is not None else None
        result = []
        for item in self.watchlists():
            if wanted is not None and item.id not in wanted:
                continue
            if item.latest is not None:
                result.append(item.latest)
        if wanted is not None and (missing := wanted - {v.list_id for v in result}):
            raise NotFound(f"no list {', '.join(sorted(missing))!r} in the store")
        return result

    def entity_rows(self, version_id: int) -> dict[str, str]:
        """``entity_id -> canonical JSON`` for one version (what diffs compare)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(list_entity.c.entity_id, list_entity.c.data).where(
                    list_entity.c.version_id == version_id
                )
            ).all()
        return {row.entity_id: row.data for row in rows}

    def entities(self, version_id: int) -> Iterator[Entity]:
        with self.engine.connect() as conn:
            result = conn.execution_options(stream_results=True).execute(
                sa.select(list_entity.c.data)
                .where(list_entity.c.version_id == version_id)
                .order_by(list_entity.c.entity_id)
            )
            for row in result:
                yield Entity.model_validate_json(row.data)

    def entity(self, entity_id: str, version_id: int | None = None) -> Entity:
        """One entity, from the given version or from the latest version of its list."""
        if version_id is None:
            list_id = entity_id.split(":", 1)[0]
            latest = self.latest_versions([list_id]) if list_id in {w.id for w in self.watchlists()} else []
            if not latest:
                raise NotFound(f"no entity {entity_id!r}")
            version_id = latest[0].id
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(list_entity.c.data).where(
                    list_entity.c.version_id == version_id, list_entity.c.entity_id == entity_id
                )
            ).first()
        if row is None:
            raise NotFound(f"no entity {entity_id!r} in list version {version_id}")
        return Entity.model_validate_json(row.data)


__all__ = ["ImportResult", "ListStore", "ListVersion", "Watchlist", "canonical_json", "content_hash"]
