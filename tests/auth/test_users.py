"""Users: argon2id passwords, sessions with expiry and revocation, permissions, all audited."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from argon2 import PasswordHasher

from raqib import audit
from raqib.auth import Forbidden, Principal, Role, Unauthenticated, UserStore, authorize, roles_for
from raqib.db import open_engine
from raqib.db.tables import app_user, user_session
from raqib.errors import Conflict, InvalidInput, NotFound

CHEAP = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
PASSWORD = "correct horse battery"
ADMIN = Principal.system("test")


@pytest.fixture
def users(store_url: str) -> Iterator[UserStore]:
    engine = open_engine(store_url)
    yield UserStore(engine, hasher=CHEAP, session_hours=1)
    engine.dispose()


def test_password_is_stored_as_argon2id_only(users: UserStore) -> None:
    user = users.create("Alice", PASSWORD, Role.ANALYST, ADMIN, display_name="Alice A.")
    assert user.username == "alice"
    with users.engine.connect() as conn:
        stored = conn.execute(sa.select(app_user.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert users.authenticate("alice", PASSWORD) is not None
    assert users.authenticate("ALICE", PASSWORD) is not None
    assert users.authenticate("alice", "wrong password!!") is None
    assert users.authenticate("nobody", PASSWORD) is None
    actions = [r.action for r in audit.records(users.engine)]
    assert actions == ["user.create", "auth.login_failed", "auth.login_failed"]


def test_default_hasher_is_argon2id(users: UserStore) -> None:
    assert UserStore(users.engine).hasher.type.name == "ID"


def test_create_refuses_bad_input(users: UserStore) -> None:
    with pytest.raises(InvalidInput, match="12 characters"):
        users.create("bob", "short", Role.ANALYST, ADMIN)
    with pytest.raises(InvalidInput, match="username"):
        users.create("bad name!", PASSWORD, Role.ANALYST, ADMIN)
    with pytest.raises(InvalidInput, match="role"):
        users.create("bob", PASSWORD, "superuser", ADMIN)
    users.create("bob", PASSWORD, Role.REVIEWER, ADMIN)
    with pytest.raises(Conflict):
        users.create("bob", PASSWORD, Role.REVIEWER, ADMIN)
    with pytest.raises(NotFound):
        users.get("carol")


def test_session_login_resolve_logout(users: UserStore) -> None:
    users.create("bob", PASSWORD, Role.REVIEWER, ADMIN)
    session, token = users.login("bob", PASSWORD)
    assert token.startswith("rqs_")
    with users.engine.connect() as conn:
        assert conn.execute(sa.select(user_session.c.token_hash)).scalar_one() != token
    resolved = users.resolve(token)
    assert resolved is not None
    assert resolved.user.principal.actor == "user:bob"
    assert resolved.user.role is Role.REVIEWER
    assert users.resolve(token + "x") is None
    assert users.resolve("rqb_not_a_session") is None
    users.logout(session.id, resolved.user.principal)
    assert users.resolve(token) is None
    with pytest.raises(Unauthenticated):
        users.login("bob", "wrong password!!")


def test_session_expires(users: UserStore) -> None:
    users.create("bob", PASSWORD, Role.REVIEWER, ADMIN)
    _session, token = users.login("bob", PASSWORD)
    with users.engine.begin() as conn:
        conn.execute(user_session.update().values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    assert users.resolve(token) is None


def test_disable_and_password_change_end_sessions(users: UserStore) -> None:
    users.create("bob", PASSWORD, Role.REVIEWER, ADMIN)
    _s1, first = users.login("bob", PASSWORD)
    users.set_password("bob", "another long password", ADMIN)
    assert users.resolve(first) is None
    assert users.authenticate("bob", PASSWORD) is None
    _s2, second = users.login("bob", "another long password")
    disabled = users.disable("bob", ADMIN)
    assert disabled.disabled_at is not None
    assert users.resolve(second) is None
    assert users.authenticate("bob", "another long password") is None
    actions = [r.action for r in audit.records(users.engine, subject="user:bob")]
    assert actions == [
        "user.create",
        "auth.login",
        "user.password",
        "auth.login_failed",
        "auth.login",
        "user.disable",
        "auth.login_failed",
    ]
    assert audit.verify(users.engine) is None


def test_old_hash_parameters_are_upgraded_on_login(users: UserStore) -> None:
    users.create("bob", PASSWORD, Role.REVIEWER, ADMIN)
    stronger = UserStore(users.engine, hasher=PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    assert stronger.authenticate("bob", PASSWORD) is not None
    with users.engine.connect() as conn:
        assert "t=2" in conn.execute(sa.select(app_user.c.password_hash)).scalar_one()


def test_permissions() -> None:
    auditor = Principal("user:aud", "aud", Role.AUDITOR, "user")
    authorize(auditor, "case.read")
    authorize(auditor, "audit.verify")
    with pytest.raises(Forbidden):
        authorize(auditor, "case.work")
    assert Role.API_CLIENT not in roles_for("case.read")
    assert roles_for("case.decide") == {Role.REVIEWER, Role.ADMIN}
    assert roles_for("user.manage") == {Role.ADMIN}
