"""The one exception tree of Raqib.

Every error a user can cause is a :class:`RaqibError`; the CLI turns it into a message and an
exit code, the API into ``{"ok": false, "code", "message", "details"}`` and an HTTP status::

    RaqibError                  (exit 1,  HTTP 500)
    ├── InvalidInput            (exit 2,  HTTP 400)
    │   └── ListParseError      (exit 2,  HTTP 400)  file, line and field of the problem
    ├── NotFound                (exit 3,  HTTP 404)
    ├── Conflict                (exit 4,  HTTP 409)
    ├── IntegrityError          (exit 5,  HTTP 500)  e.g. a broken audit chain
    └── ConfigError             (exit 78, HTTP 500)
"""

from __future__ import annotations

from typing import Any


class RaqibError(Exception):
    """Base of every error Raqib raises on purpose."""

    exit_code = 1
    http_status = 500
    default_code = "error"

    def __init__(self, message: str, *, code: str | None = None, details: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code or self.default_code
        self.details: dict[str, Any] = details or {}

    def __str__(self) -> str:
        return self.message


class InvalidInput(RaqibError):
    """The caller gave something Raqib cannot use (a bad argument, a malformed file)."""

    exit_code = 2
    http_status = 400
    default_code = "invalid_input"


class ListParseError(InvalidInput):
    """A watchlist file could not be parsed. Names the file and, where known, line and field."""

    default_code = "list_parse_error"

    def __init__(
        self,
        message: str,
        *,
        path: str | None = None,
        line: int | None = None,
        field: str | None = None,
        code: str | None = None,
    ):
        where = []
        if path is not None:
            where.append(str(path))
        if line is not None:
            where.append(f"line {line}")
        if field is not None:
            where.append(f"field {field!r}")
        full = f"{': '.join([', '.join(where), message]) if where else message}"
        details: dict[str, Any] = {"path": path, "line": line, "field": field}
        super().__init__(full, code=code, details={k: v for k, v in details.items() if v is not None})
        self.path = path
        self.line = line
        self.field = field


class NotFound(RaqibError):
    """Something asked for does not exist."""

    exit_code = 3
    http_status = 404
    default_code = "not_found"


class Conflict(RaqibError):
    """The request conflicts with the current state (a concurrent change, a duplicate)."""

    exit_code = 4
    http_status = 409
    default_code = "conflict"


class IntegrityError(RaqibError):
    """Stored data failed an integrity check (for example the audit hash chain)."""

    exit_code = 5
    http_status = 500
    default_code = "integrity_error"


class ConfigError(RaqibError):
    """The configuration is invalid or unsafe."""

    exit_code = 78
    http_status = 500
    default_code = "config_error"


__all__ = [
    "ConfigError",
    "Conflict",
    "IntegrityError",
    "InvalidInput",
    "ListParseError",
    "NotFound",
    "RaqibError",
]
