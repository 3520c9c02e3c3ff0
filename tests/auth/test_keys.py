"""API keys: stored hashed, verified, revoked; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from raqib.auth import ApiKeyStore, Role
from raqib.auth.keys import LAST_USED_RESOLUTION
from raqib.db import open_engine
from raqib.db.tables import api_key
from raqib.errors import InvalidInput, NotFound


def test_keys_lifecycle(store_url: str) -> None:
    engine = open_engine(store_url)
    keys = ApiKeyStore(engine)
    key, secret = keys.create("bank core system", Role.API_CLIENT)
    assert secret.startswith(f"rqb_{key.prefix}_")
    with engine.connect() as conn:
        stored = conn.execute(sa.select(api_key.c.secret_hash)).scalar_one()
    assert secret not in stored
    assert keys.verify(secret) is not None
    assert keys.verify(secret + "x") is None
    assert keys.verify("garbage") is None
    assert keys.count_active(Role.ADMIN) == 0
    keys.revoke(key.id)
    assert keys.verify(secret) is None
    with pytest.raises(NotFound):
        keys.revoke(999)
    with pytest.raises(InvalidInput):
        keys.create("x", "superuser")
    with pytest.raises(InvalidInput):
        keys.create("  ", Role.ADMIN)
    engine.dispose()


def test_last_used_is_written_once_per_resolution(store_url: str) -> None:
    """A write per request serialised every API call on the database's write lock: at most one per minute."""
    engine = open_engine(store_url)
    keys = ApiKeyStore(engine)
    _, secret = keys.create("bank core system", Role.API_CLIENT)
    writes: list[str] = []

    def count_updates(conn: object, cursor: object, statement: str, *args: object) -> None:
        if statement.lstrip().upper().startswith("UPDATE API_KEY"):
            writes.append(statement)

    sa.event.listen(engine, "before_cursor_execute", count_updates)
    for _ in range(5):
        assert keys.verify(secret) is not None
    assert len(writes) == 1
    first = keys.list()[0].last_used_at
    assert first is not None
    with engine.begin() as conn:  # a minute later the next use is recorded again
        conn.execute(api_key.update().values(last_used_at=first - LAST_USED_RESOLUTION))
    writes.clear()
    assert keys.verify(secret) is not None
    assert len(writes) == 1
    engine.dispose()
