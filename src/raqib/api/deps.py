"""FastAPI dependencies: the app state, and the caller's key checked against the roles allowed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, Header, Request
from starlette.exceptions import HTTPException

from raqib.api.state import AppState
from raqib.auth import ApiKey, Role


def get_state(request: Request) -> AppState:
    state: AppState = request.app.state.raqib
    return state


StateDep = Annotated[AppState, Depends(get_state)]

READ_ROLES = frozenset(Role)
SCREEN_ROLES = frozenset({Role.ANALYST, Role.REVIEWER, Role.ADMIN, Role.API_CLIENT})


def require(roles: frozenset[Role]) -> Callable[..., ApiKey]:
    """A dependency that authenticates the caller's API key and checks its role."""

    def check(
        request: Request,
        state: StateDep,
        authorization: Annotated[str | None, Header()] = None,
        x_api_key: Annotated[str | None, Header()] = None,
    ) -> ApiKey:
        secret = x_api_key
        if secret is None and authorization is not None:
            scheme, _, value = authorization.partition(" ")
            if scheme.lower() == "bearer":
                secret = value.strip()
        if not secret:
            raise HTTPException(401, "an API key is required: send 'Authorization: Bearer <key>'")
        key = state.keys.verify(secret)
        if key is None:
            raise HTTPException(401, "unknown or revoked API key")
        if key.role not in roles:
            raise HTTPException(403, f"the role {key.role.value!r} may not do this")
        request.state.api_key_id = key.id
        return key

    return check


ReaderDep = Annotated[ApiKey, Depends(require(READ_ROLES))]
ScreenerRoleDep = Annotated[ApiKey, Depends(require(SCREEN_ROLES))]
