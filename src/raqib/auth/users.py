"""People: users with argon2id-hashed passwords, server-side sessions, and who may do what.

A :class:`Principal` is whoever acts, a user (by session or password) or a machine (by API key).
Its ``actor`` string (``user:alice``, ``key:3``) is what the audit trail and the four-eyes check
record. :data:`PERMISSIONS` maps each action to the roles allowed; the API and the CLI both check
it through :func:`authorize`, so no permission lives only in a user interface.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Engine

from raqib import audit
from raqib.auth.keys import ApiKey, Role
from raqib.db.tables import app_user, user_session
from raqib.errors import Conflict, InvalidInput, NotFound, RaqibError

MIN_PASSWORD_LENGTH = 12
SESSION_PREFIX = "rqs_"
_USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{1,99}$")

# Reviewer = the MLRO. Admin manages people and configuration, and may stand in for a reviewer.
# The auditor reads everything and changes nothing; an API client only screens.
_READERS = frozenset({Role.ANALYST, Role.REVIEWER, Role.ADMIN, Role.AUDITOR})
_WORKERS = frozenset({Role.ANALYST, Role.REVIEWER, Role.ADMIN})
PERMISSIONS: dict[str, frozenset[Role]] = {
    "alert.read": _READERS,
    "case.read": _READERS,
    "case.work": _WORKERS,  # create, group alerts, assign, due date, review, comment, evidence, propose
    "case.decide": frozenset({Role.REVIEWER, Role.ADMIN}),  # approve or return a proposal
    "audit.read": frozenset({Role.REVIEWER, Role.ADMIN, Role.AUDITOR}),
    "audit.verify": frozenset({Role.ADMIN, Role.AUDITOR}),
    "user.read": frozenset({Role.ADMIN, Role.AUDITOR}),
    "user.manage": frozenset({Role.ADMIN}),
}


class Forbidden(RaqibError):
    """The caller is known but may not do this (HTTP 403, exit 6)."""

    exit_code = 6
    http_status = 403
    default_code = "forbidden"


class Unauthenticated(RaqibError):
    """Who is calling is unknown: no or a wrong credential (HTTP 401, exit 6)."""

    exit_code = 6
    http_status = 401
    default_code = "unauthorized"


@dataclass(frozen=True, slots=True)
class Principal:
    """Whoever acts: ``actor`` is the stable id written to the audit trail."""

    actor: str
    name: str
    role: Role
    kind: str  # user, api_key, system
    session_id: int | None = None

    @classmethod
    def from_api_key(cls, key: ApiKey) -> Principal:
        return cls(actor=f"key:{key.id}", name=key.name, role=key.role, kind="api_key")

    @classmethod
    def system(cls, name: str) -> Principal:
        """The local operator at the command line (who already holds the database)."""
        return cls(actor=f"cli:{name}", name=name, role=Role.ADMIN, kind="system")

    def to_dict(self) -> dict[str, Any]:
        return {"actor": self.actor, "name": self.name, "role": self.role.value, "kind": self.kind}


def roles_for(action: str) -> frozenset[Role]:
    """The roles allowed to do ``action`` (a key of PERMISSIONS)."""
    return PERMISSIONS[action]


def authorize(principal: Principal, action: str) -> None:
    """Raise :class:`Forbidden` unless the principal's role may do ``action`` (a PERMISSIONS key)."""
    if principal.role not in PERMISSIONS[action]:
        raise Forbidden(
            f"the role {principal.role.value!r} may not do {action!r}",
            details={"action": action, "role": principal.role.value},
        )


@dataclass(frozen=True, slots=True)
class User:
    id: int
    username: str
    display_name: str
    role: Role
    created_at: datetime
    last_login_at: datetime | None
    disabled_at: datetime | None

    @property
    def principal(self) -> Principal:
        return Principal(actor=f"user:{self.username}", name=self.display_name, role=self.role, kind="user")

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "role": self.role.value,
            "created_at": self.created_at.isoformat(),
            "last_login_at": self.last_login_at.isoformat() if self.last_login_at else None,
            "disabled_at": self.disabled_at.isoformat() if self.disabled_at else None,
        }


@dataclass(frozen=True, slots=True)
class Session:
    id: int
    user: User
    expires_at: datetime

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "user": self.user.to_dict(), "expires_at": self.expires_at.isoformat()}


def _utc(value: datetime | None) -> datetime | None:
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _user(row: sa.Row[Any]) -> User:
    return User(
        id=row.id,
        username=row.username,
        display_name=row.display_name,
        role=Role(row.role),
        created_at=_utc(row.created_at),  # type: ignore[arg-type]
        last_login_at=_utc(row.last_login_at),
        disabled_at=_utc(row.disabled_at),
    )


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"a password needs at least {MIN_PASSWORD_LENGTH} characters", details={"field": "password"}
        )


class UserStore:
    """Users and their sessions. Every change is audited in the same transaction."""

    def __init__(self, engine: Engine, *, hasher: PasswordHasher | None = None, session_hours: float = 8):
        self.engine = engine
        # argon2id with the library's RFC 9106 defaults; tests pass a cheaper hasher.
        self.hasher = hasher or PasswordHasher()
        self.session_hours = session_hours
        self._dummy_hash = self.hasher.hash(secrets.token_hex(16))

    def create(
        self, username: str, password: str, role: Role | str, by: Principal, display_name: str | None = None
    ) -> User:
        username = username.strip().lower()
        if not _USERNAME.match(username):
            raise InvalidInput(
                "a username is 2-100 characters: a-z, 0-9, '.', '_' or '-'", details={"field": "username"}
            )
        try:
            role = Role(role)
        except ValueError as err:
            raise InvalidInput(f"unknown role {role!r}", details={"field": "role"}) from err
        _check_password(password)
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            if conn.execute(sa.select(app_user.c.id).where(app_user.c.username == username)).first():
                raise Conflict(f"the user {username!r} already exists")
            user_id = conn.execute(
                app_user.insert()
                .values(
                    username=username,
                    display_name=(display_name or username).strip()[:200],
                    role=role.value,
                    password_hash=self.hasher.hash(password),
                    created_at=now,
                    password_changed_at=now,
                )
                .returning(app_user.c.id)
            ).scalar_one()
            audit.append(conn, by.actor, "user.create", f"user:{username}", {"role": role.value})
            row = conn.execute(sa.select(app_user).where(app_user.c.id == user_id)).one()
        return _user(row)

    def get(self, username: str) -> User:
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(app_user).where(app_user.c.username == username.lower())).first()
        if row is None:
            raise NotFound(f"no user {username!r}")
        return _user(row)

    def list(self) -> list[User]:
        with self.engine.connect() as conn:
            return [_user(r) for r in conn.execute(sa.select(app_user).order_by(app_user.c.username))]

    def authenticate(self, username: str, password: str) -> User | None:
        """The live user with this password, or None. Failures are audited (without the password)."""
        username = username.strip().lower()
        with self.engine.connect() as conn:
            row = conn.execute(sa.select(app_user).where(app_user.c.username == username)).first()
        stored = row.password_hash if row is not None else self._dummy_hash
        try:
            # An unknown user costs one hash as well, so timing does not reveal who exists.
            self.hasher.verify(stored, password)
            ok = row is not None and row.disabled_at is None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        with self.engine.begin() as conn:
            if not ok or row is None:
                audit.append(conn, f"user:{username}"[:200], "auth.login_failed", f"user:{username}", {})
                return None
            values: dict[str, Any] = {"last_login_at": datetime.now(UTC)}
            if self.hasher.check_needs_rehash(row.password_hash):
                values["password_hash"] = self.hasher.hash(password)
            conn.execute(app_user.update().where(app_user.c.id == row.id).values(**values))
        return _user(row)

    def login(self, username: str, password: str) -> tuple[Session, str]:
        """Check the password and open a session; returns it and its token (shown once)."""
        user = self.authenticate(username, password)
        if user is None:
            raise Unauthenticated("unknown user or wrong password")
        token = SESSION_PREFIX + secrets.token_urlsafe(32)
        now = datetime.now(UTC)
        expires_at = now + timedelta(hours=self.session_hours)
        with self.engine.begin() as conn:
            session_id = conn.execute(
                user_session.insert()
                .values(token_hash=_token_hash(token), user_id=user.id, created_at=now, expires_at=expires_at)
                .returning(user_session.c.id)
            ).scalar_one()
            audit.append(
                conn,
                user.principal.actor,
                "auth.login",
                f"user:{user.username}",
                {"session": session_id, "expires_at": expires_at.isoformat()},
            )
        return Session(session_id, user, expires_at), token

    def resolve(self, token: str) -> Session | None:
        """The live session for this token (not expired, not revoked, user not disabled), or None."""
        if not token.startswith(SESSION_PREFIX):
            return None
        with self.engine.connect() as conn:
            row = conn.execute(
                sa.select(
                    user_session.c.id.label("session_id"),
                    user_session.c.expires_at,
                    user_session.c.revoked_at,
                    app_user,
                )
                .join(app_user, app_user.c.id == user_session.c.user_id)
                .where(user_session.c.token_hash == _token_hash(token))
            ).first()
        if row is None or row.revoked_at is not None or row.disabled_at is not None:
            return None
        expires_at = _utc(row.expires_at)
        if expires_at is None or expires_at <= datetime.now(UTC):
            return None
        return Session(row.session_id, _user(row), expires_at)

    def logout(self, session_id: int, by: Principal) -> None:
        with self.engine.begin() as conn:
            conn.execute(
                user_session.update()
                .where(user_session.c.id == session_id, user_session.c.revoked_at.is_(None))
                .values(revoked_at=datetime.now(UTC))
            )
            audit.append(conn, by.actor, "auth.logout", by.actor, {"session": session_id})

    def set_password(self, username: str, password: str, by: Principal) -> None:
        """Replace a password and end the user's sessions."""
        _check_password(password)
        user = self.get(username)
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(
                app_user.update()
                .where(app_user.c.id == user.id)
                .values(password_hash=self.hasher.hash(password), password_changed_at=now)
            )
            self._revoke_sessions(conn, user.id, now)
            audit.append(conn, by.actor, "user.password", f"user:{user.username}", {})

    def disable(self, username: str, by: Principal) -> User:
        """Disable a user at once: no login, and every open session ends."""
        user = self.get(username)
        now = datetime.now(UTC)
        with self.engine.begin() as conn:
            conn.execute(
                app_user.update()
                .where(app_user.c.id == user.id, app_user.c.disabled_at.is_(None))
                .values(disabled_at=now)
            )
            self._revoke_sessions(conn, user.id, now)
            audit.append(conn, by.actor, "user.disable", f"user:{user.username}", {})
        return self.get(username)

    @staticmethod
    def _revoke_sessions(conn: sa.Connection, user_id: int, now: datetime) -> None:
        conn.execute(
            user_session.update()
            .where(user_session.c.user_id == user_id, user_session.c.revoked_at.is_(None))
            .values(revoked_at=now)
        )


__all__ = [
    "MIN_PASSWORD_LENGTH",
    "PERMISSIONS",
    "Forbidden",
    "Principal",
    "Session",
    "Unauthenticated",
    "User",
    "UserStore",
    "authorize",
    "roles_for",
]
