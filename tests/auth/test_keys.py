"""API keys: stored hashed, verified, revoked; on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from raqib.auth import ApiKeyStore, Role
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
