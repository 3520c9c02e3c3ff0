"""Liveness and readiness (no authentication)."""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from raqib import __version__
from raqib.api.deps import StateDep
from raqib.api.errors import error_response

router = APIRouter(tags=["health"])


@router.get("/health", summary="The process is up")
def health() -> dict[str, object]:
    return {"ok": True, "version": __version__}


@router.get("/ready", summary="The lists are loaded and the screening index is warm")
def ready(state: StateDep) -> JSONResponse:
    if state.warm_error is not None:
        return error_response(503, "not_ready", state.warm_error)
    if not state.screeners.ready:
        return error_response(503, "not_ready", "the screening index is being built")
    return JSONResponse({"ok": True})
