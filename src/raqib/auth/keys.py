"""API keys, stored hashed, each with one role."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from raqib import audit
from raqib.db.tables import api_key
from raqib.errors import InvalidInput, NotFound

# ``last_used_at`` is kept to this resolution (it tells an operator which keys are still in use).
LAST_USED_RESOLUTION = timedelta(minutes=1)


class Role(StrEnum):
    ANALYST = "analyst"
    REVIEWER = "reviewer"  # the MLRO: approves what analysts propose
    ADMIN = "admin"
    AUDITOR = "auditor"  # read-only
    API_CLIENT = "api_client"  # a machine that screens


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: int
    name: str
    prefix: str
    role: Role
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None

    def to_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "name": self.name,
            "prefix": self.prefix,
            "role": self.role.value,
            "created_at": self.created_at.isoformat(),
            "revoked_at": self.revoked_at.isoformat() if self.revoked_at else None,
            "last_used_at": self.last_used_at.isoformat() if self.last_used_at else None,
        }


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _utc(value: datetime | None) -> datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value


def _row(row: sa.Row[tuple[object, ...]]) -> ApiKey:
    return ApiKey(
        id=row.id,
        name=row.name,
        prefix=row.prefix,
        role=Role(row.role),
        created_at=_utc(row.created_at),  # type: ignore[arg-type]
        revoked_at=_utc(row.revoked_at),
        last_used_at=_utc(row.last_used_at),
    )


class ApiKeyStore:
    def __init__(self, engine: Engine):
        self.engine = engine

    def create(self, name: str, role: Role | str, actor: str = "cli:operator") -> tuple[ApiKey, str]:
        """Create a key; returns it and the full secret, which is never shown again."""
        try:
            role = Role(role)
        except ValueError as err:
            raise InvalidInput(
                f"unknown role {role!r}: use one of {', '.join(r.value for r in Role)}"
            ) from err
        if not name.strip():
            raise InvalidInput("an API key needs a name (who or what uses it)")
        prefix = secrets.token_hex(4)
        secret = f"rqb_{prefix}_{secrets.token_urlsafe(32)}"
        with self.engine.begin() as conn:
            key_id = conn.execute(
                api_key.insert().values(
                    name=name.strip(),
                    prefix=prefix,
                    secret_hash=_hash(secret),
                    role=role.value,
                    created_at=datetime.now(UTC),
                )
            ).inserted_primary_key[0]
            row = conn.execute(sa.select(api_key).where(api_key.c.id == key_id)).one()
            audit.append(
                conn, actor, "apikey.create", f"apikey:{key_id}", {"name": name.strip(), "role": role.value}
            )
        return _row(row), secret

    def verify(self, secret: str) -> ApiKey | None:
        """The live key for this secret, or None (unknown, malformed or revoked)."""
        parts = secret.split("_")
        if len(parts) < 3 or parts[0] != "rqb":
            return None
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(api_key).where(api_key.c.prefix == parts[1])).first()
        if row is None or row.revoked_at is not None:
            return None
        if not hmac.compare_digest(row.secret_hash, _hash(secret)):
            return None
        now = datetime.now(UTC)
        last_used = _utc(row.last_used_at)
        if last_used is None or now - last_used >= LAST_USED_RESOLUTION:
            # Written at most once per resolution period: a write per request serialised every API call
            # on the database's write lock (SQLite) and made the screening latency tail seconds long.
            with self.engine.begin() as conn:
                conn.execute(api_key.update().where(api_key.c.id == row.id).values(last_used_at=now))
        return _row(row)

    def list(self) -> list[ApiKey]:
        with self.engine.connect() as conn:
            return [_row(r) for r in conn.execute(sa.select(api_key).order_by(api_key.c.id)).all()]

    def revoke(self, key_id: int, actor: str = "cli:operator") -> ApiKey:
        with self.engine.begin() as conn:
            result = conn.execute(
                api_key.update()
                .where(api_key.c.id == key_id, api_key.c.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            )
            row = conn.execute(sa.select(api_key).where(api_key.c.id == key_id)).first()
            if row is not None and result.rowcount:
                audit.append(conn, actor, "apikey.revoke", f"apikey:{key_id}", {"name": row.name})
        if row is None:
            raise NotFound(f"no API key {key_id}")
        if result.rowcount == 0 and row.revoked_at is None:
            raise NotFound(f"no API key {key_id}")
        return _row(row)

    def count_active(self, role: Role | None = None) -> int:
        query = sa.select(sa.func.count()).select_from(api_key).where(api_key.c.revoked_at.is_(None))
        if role is not None:
            query = query.where(api_key.c.role == role.value)
        with self.engine.connect() as conn:
            return int(conn.execute(query).scalar_one())


__all__ = ["ApiKey", "ApiKeyStore", "Role"]
