"""Reading HTML form posts with the standard library (no python-multipart dependency).

``application/x-www-form-urlencoded`` is parsed with :func:`urllib.parse.parse_qsl`;
``multipart/form-data`` (file uploads: evidence, a payment message) with the :mod:`email` parser,
which handles the MIME structure of a browser's upload. The body size is already bounded by the
app's ``BodyLimitMiddleware``; every text field is limited again here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from email.message import Message
from email.parser import BytesParser
from email.policy import HTTP
from urllib.parse import parse_qsl

from starlette.requests import Request

from raqib.errors import InvalidInput

MAX_FIELD_CHARS = 2_000_000


@dataclass(frozen=True, slots=True)
class Upload:
    filename: str
    content: bytes
    media_type: str | None


@dataclass
class Form:
    """Text fields (last value wins, like a browser's single inputs) and uploaded files."""

    values: dict[str, list[str]] = field(default_factory=dict)
    files: dict[str, Upload] = field(default_factory=dict)

    def get(self, name: str, default: str = "") -> str:
        items = self.values.get(name)
        return items[-1] if items else default

    def optional(self, name: str) -> str | None:
        value = self.get(name).strip()
        return value or None

    def all(self, name: str) -> list[str]:
        return list(self.values.get(name, []))

    def add(self, name: str, value: str) -> None:
        if len(value) > MAX_FIELD_CHARS:
            raise InvalidInput(f"the field {name!r} is too long", details={"field": name})
        self.values.setdefault(name, []).append(value)


def _multipart(body: bytes, content_type: str) -> Form:
    form = Form()
    header = f"Content-Type: {content_type}\r\nMIME-Version: 1.0\r\n\r\n".encode()
    message = BytesParser(policy=HTTP).parsebytes(header + body)
    if not message.is_multipart():
        raise InvalidInput("the form could not be read (malformed multipart body)")
    for part in message.iter_parts():  # type: ignore[attr-defined]
        if not isinstance(part, Message):
            continue
        name = part.get_param("name", header="content-disposition")
        if not isinstance(name, str):
            continue
        filename = part.get_filename()
        payload = part.get_payload(decode=True)
        content = payload if isinstance(payload, bytes) else b""
        if filename is not None:
            if filename or content:
                form.files[name] = Upload(filename, content, part.get_content_type())
            continue
        charset = part.get_content_charset() or "utf-8"
        form.add(name, content.decode(charset, errors="replace"))
    return form


async def read_form(request: Request) -> Form:
    """The posted form; an unknown content type gives an empty form (the CSRF check then refuses)."""
    content_type = request.headers.get("content-type", "")
    body = await request.body()
    if content_type.startswith("application/x-www-form-urlencoded"):
        form = Form()
        for name, value in parse_qsl(body.decode("utf-8", errors="replace"), keep_blank_values=True):
            form.add(name, value)
        return form
    if content_type.startswith("multipart/form-data"):
        return _multipart(body, content_type)
    return Form()


__all__ = ["MAX_FIELD_CHARS", "Form", "Upload", "read_form"]
