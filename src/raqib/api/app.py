"""The FastAPI application factory."""

from __future__ import annotations

import gc
import json
import logging
import threading
import time
from collections.abc import AsyncIterator, Awaitable, Callable, MutableMapping
from contextlib import asynccontextmanager
from typing import Any

import anyio.to_thread
from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine

from raqib import __version__, web
from raqib.api.errors import error_response, install_error_handlers
from raqib.api.routers import audit as audit_routes
from raqib.api.routers import auth, cases, health, lists, payments, screening, text
from raqib.api.routers import reports as report_routes
from raqib.api.state import AppState, ScreenerCache
from raqib.auth import ApiKeyStore
from raqib.config import Settings, get_settings
from raqib.db import open_engine
from raqib.errors import RaqibError
from raqib.lists.store import ListStore

log = logging.getLogger("raqib.api")
access_log = logging.getLogger("raqib.access")

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class JsonFormatter(logging.Formatter):
    """One JSON object per line: easy to ship to a log store, never a screened name unless configured."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": self.formatTime(record, "%Y-%m-%dT%H:%M:%S"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        payload.update(getattr(record, "fields", {}))
        if record.exc_info:
            payload["exception"] = self.formatException(record.exc_info)
        return json.dumps(payload, ensure_ascii=False)


def configure_logging() -> None:
    handler = logging.StreamHandler()
    handler.setFormatter(JsonFormatter())
    for name in ("raqib.api", "raqib.access"):
        logger = logging.getLogger(name)
        logger.handlers = [handler]
        logger.setLevel(logging.INFO)
        logger.propagate = False


class BodyLimitMiddleware:
    """Refuse request bodies over ``limit`` bytes (HTTP 413), declared or streamed."""

    def __init__(self, app: ASGIApp, limit: int):
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        declared = headers.get(b"content-length")
        too_large = error_response(
            413,
            "request_too_large",
            f"the request body is larger than {self.limit} bytes",
            {"max": self.limit},
        )
        if declared is not None and declared.isdigit() and int(declared) > self.limit:
            await too_large(scope, receive, send)
            return
        received = 0

        async def limited_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise _TooLarge
            return message

        try:
            await self.app(scope, limited_receive, send)
        except _TooLarge:
            await too_large(scope, receive, send)


class _TooLarge(Exception):
    pass


class AccessLogMiddleware:
    """Method, path, status and duration of every request; never bodies (they hold names)."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def record_status(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, record_status)
        finally:
            access_log.info(
                "request",
                extra={
                    "fields": {
                        "method": scope["method"],
                        "path": scope["path"],
                        "status": status,
                        "ms": round((time.perf_counter() - started) * 1000, 2),
                    }
                },
            )


def _warm(state: AppState) -> None:
    try:
        state.screeners.get(None)
        # The index is long-lived and cycle-free: keep full collections from re-scanning it on every
        # request (this process is the server's own; see MatchIndex's build note).
        gc.freeze()
        state.warm_error = None
    except RaqibError as err:
        state.warm_error = err.message
    except Exception as err:  # the process must stay up and say why it is not ready
        log.exception("building the screening index failed")
        state.warm_error = f"building the screening index failed: {err}"


def create_app(settings: Settings | None = None, engine: Engine | None = None, warm: bool = True) -> FastAPI:
    """Build the API. ``warm`` builds the screening index in the background at start-up."""
    settings = settings or get_settings()
    engine = engine or open_engine(settings.database_url)
    store = ListStore(engine)
    state = AppState(settings, engine, store, ApiKeyStore(engine), ScreenerCache(store))

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Sync endpoints run on this many threads (see RAQIB_THREADS in docs/settings.md).
        anyio.to_thread.current_default_thread_limiter().total_tokens = settings.threads
        if warm:
            threading.Thread(target=_warm, args=(state,), name="raqib-warm", daemon=True).start()
        yield

    app = FastAPI(
        title="Raqib API",
        version=__version__,
        description=(
            "Screening against sanctions watchlists (UN, OFAC, EU, UK, national lists), in Arabic script "
            "or any romanisation. Authenticate with `Authorization: Bearer <API key>`."
        ),
        lifespan=lifespan,
    )
    app.state.raqib = state
    install_error_handlers(app)
    app.include_router(health.router)
    app.include_router(screening.router)
    app.include_router(text.router)
    app.include_router(lists.router)
    app.include_router(payments.router)
    app.include_router(auth.router)
    app.include_router(cases.router)
    app.include_router(audit_routes.router)
    app.include_router(report_routes.router)
    app.include_router(web.router)
    app.mount("/static", StaticFiles(directory=web.STATIC_DIR), name="static")
    app.add_middleware(BodyLimitMiddleware, limit=settings.max_request_bytes)
    app.add_middleware(AccessLogMiddleware)
    return app


def serve_app() -> FastAPI:
    """The app as ``raqib serve`` runs it (an import-string factory, so uvicorn can fork workers)."""
    configure_logging()
    return create_app()


__all__ = ["configure_logging", "create_app", "serve_app"]
