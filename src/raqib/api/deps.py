"""FastAPI dependencies: the app state, and the caller authenticated and checked against the roles.

A caller authenticates with an API key (``Authorization: Bearer rqb_...`` or ``X-API-Key``) or a
login session (``Authorization: Bearer rqs_...``, or the ``raqib_session`` cookie the web UI
uses). Either becomes a :class:`~raqib.auth.Principal`; :func:`require` refuses an unknown caller
with 401 and a known one whose role is not allowed with 403.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Cookie, Depends, Header, Request
from starlette.exceptions import HTTPException

from raqib.api.state import AppState
from raqib.auth import Principal, Role, UserStore, roles_for
from raqib.cases import CaseWorkflow

SESSION_COOKIE = "raqib_session"


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.raqib
    return state


StateDep = Annotated[AppState, Depends(get_state)]


def get_users(request: Request, state: StateDep) -> UserStore:
    """One user store per app (its argon2 setup costs a hash); tests may place their own first."""
    users: UserStore | None = getattr(request.app.state, "raqib_users", None)
    if users is None:
        users = UserStore(state.engine, session_hours=state.settings.session_hours)
        request.app.state.raqib_users = users
    return users


UsersDep = Annotated[UserStore, Depends(get_users)]


def get_cases(state: StateDep) -> CaseWorkflow:
    return CaseWorkflow(
        state.engine,
        sla_days=state.settings.case_sla_days,
        evidence_max_bytes=state.settings.evidence_max_bytes,
    )


CasesDep = Annotated[CaseWorkflow, Depends(get_cases)]

READ_ROLES = frozenset(Role)
SCREEN_ROLES = frozenset({Role.ANALYST, Role.REVIEWER, Role.ADMIN, Role.API_CLIENT})


def _credential(authorization: str | None, x_api_key: str | None, cookie: str | None) -> str | None:
    if x_api_key:
        return x_api_key.strip()
    if authorization is not None:
        scheme, _, value = authorization.partition(" ")
        if scheme.lower() == "bearer" and value.strip():
            return value.strip()
    return cookie or None


def require(roles: frozenset[Role]) -> Callable[..., Principal]:
    """A dependency that authenticates the caller (API key or session) and checks its role."""

    def check(
        request: Request,
        state: StateDep,
        users: UsersDep,
        authorization: Annotated[str | None, Header()] = None,
        x_api_key: Annotated[str | None, Header()] = None,
        raqib_session: Annotated[str | None, Cookie()] = None,
    ) -> Principal:
        secret = _credential(authorization, x_api_key, raqib_session)
        if not secret:
            raise HTTPException(
                401, "authentication required: send 'Authorization: Bearer <API key or session token>'"
            )
        principal: Principal | None = None
        if secret.startswith("rqs_"):
            session = users.resolve(secret)
            if session is not None:
                principal = session.user.principal
                principal = Principal(
                    principal.actor, principal.name, principal.role, principal.kind, session_id=session.id
                )
        else:
            key = state.keys.verify(secret)
            if key is not None:
                principal = Principal.from_api_key(key)
                request.state.api_key_id = key.id
        if principal is None:
            raise HTTPException(401, "unknown, expired or revoked credential")
        if principal.role not in roles:
            raise HTTPException(403, f"the role {principal.role.value!r} may not do this")
        request.state.actor = principal.actor
        return principal

    return check


def allowed(action: str) -> Callable[..., Principal]:
    """``require`` for one action of the permission table (``case.read``, ``case.decide`` ...)."""
    return require(roles_for(action))


ReaderDep = Annotated[Principal, Depends(require(READ_ROLES))]
ScreenerRoleDep = Annotated[Principal, Depends(require(SCREEN_ROLES))]
AnyoneDep = ReaderDep
