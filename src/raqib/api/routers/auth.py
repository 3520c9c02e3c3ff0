"""Login sessions and user management.

``POST /v1/auth/login`` checks a password and opens a server-side session: the token comes back
once in the body (for API use, as ``Authorization: Bearer rqs_...``) and as an HttpOnly,
SameSite=Strict cookie for the web UI.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Response
from pydantic import BaseModel, Field

from raqib.api.deps import SESSION_COOKIE, AnyoneDep, UsersDep, allowed
from raqib.auth import Principal, Role
from raqib.errors import InvalidInput

router = APIRouter(prefix="/v1", tags=["auth"])

UserReaderDep = Annotated[Principal, Depends(allowed("user.read"))]
UserAdminDep = Annotated[Principal, Depends(allowed("user.manage"))]


class LoginRequest(BaseModel):
    username: str = Field(max_length=100, examples=["alice"])
    password: str = Field(max_length=1000)


class NewUser(BaseModel):
    username: str = Field(max_length=100, examples=["alice"])
    password: str = Field(min_length=1, max_length=1000)
    role: Role = Field(examples=["analyst"])
    display_name: str | None = Field(None, max_length=200, examples=["Alice Analyst"])


class NewPassword(BaseModel):
    password: str = Field(min_length=1, max_length=1000)


@router.post("/auth/login", summary="Log in with a password; returns a session token (shown once)")
def login(body: LoginRequest, users: UsersDep, response: Response) -> dict[str, Any]:
    session, token = users.login(body.username, body.password)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(users.session_hours * 3600),
        httponly=True,
        samesite="strict",
        path="/",
    )
    return {**session.to_dict(), "token": token}


@router.post("/auth/logout", summary="End the current session")
def logout(who: AnyoneDep, users: UsersDep, response: Response) -> dict[str, Any]:
    if who.session_id is None:
        raise InvalidInput("this request is authenticated by an API key, not a session")
    users.logout(who.session_id, who)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return {"ok": True}


@router.get("/auth/me", summary="Who the caller is, and its role")
def me(who: AnyoneDep) -> dict[str, Any]:
    return who.to_dict()


@router.get("/users", summary="Every user (never a password hash)")
def list_users(_who: UserReaderDep, users: UsersDep) -> list[dict[str, Any]]:
    return [u.to_dict() for u in users.list()]


@router.post("/users", summary="Create a user", status_code=201)
def create_user(body: NewUser, who: UserAdminDep, users: UsersDep) -> dict[str, Any]:
    return users.create(body.username, body.password, body.role, who, body.display_name).to_dict()


@router.post("/users/{username}/disable", summary="Disable a user and end their sessions")
def disable_user(username: str, who: UserAdminDep, users: UsersDep) -> dict[str, Any]:
    return users.disable(username, who).to_dict()


@router.post("/users/{username}/password", summary="Set a user's password and end their sessions")
def set_password(username: str, body: NewPassword, who: UserAdminDep, users: UsersDep) -> dict[str, Any]:
    users.set_password(username, body.password, who)
    return {"ok": True}


__all__ = ["router"]
