"""Helpers shared by the list parsers: hardened XML, decoding, dates and countries.

Every list file is untrusted input. XML goes only through defusedxml (no DTDs, no entities, no
external references: an XML bomb or XXE attempt is refused with a clear error), and every failure
becomes a :class:`~raqib.errors.ListParseError` naming the file and, where known, line and field.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable
from functools import cache, lru_cache
from pathlib import Path

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from raqib.errors import ListParseError

# Hard cap on one list file: the biggest official list (OFAC SDN advanced XML) is ~100 MB.
MAX_FILE_BYTES = 512 * 1024 * 1024


def read_bytes(path: Path) -> bytes:
    """Read a whole file, refusing empty and absurdly large ones."""
    if path.is_dir():
        raise ListParseError("this is a directory, expected a file", path=str(path), code="not_a_file")
    try:
        size = path.stat().st_size
    except OSError as err:
        raise ListParseError(f"cannot read file: {err.strerror}", path=str(path)) from err
    if size == 0:
        raise ListParseError("the file is empty", path=str(path), code="empty_file")
    if size > MAX_FILE_BYTES:
        raise ListParseError(f"the file is too large ({size} bytes)", path=str(path), code="file_too_large")
    try:
        return path.read_bytes()
    except OSError as err:
        raise ListParseError(f"cannot read file: {err.strerror}", path=str(path)) from err


def sniff(path: Path, size: int = 4096) -> bytes:
    """The first ``size`` bytes of a file, for cheap format detection; empty for anything unreadable."""
    if not path.is_file():
        return b""
    try:
        with path.open("rb") as handle:
            return handle.read(size)
    except OSError:
        return b""


def parse_xml(path: Path, data: bytes | None = None) -> ET.Element:
    """Parse untrusted XML safely; return the root element."""
    if data is None:
        data = read_bytes(path)
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        raise ListParseError(
            f"refused unsafe XML ({type(err).__name__}: DTDs, entities and external references are not allowed)",
            path=str(path),
            code="unsafe_xml",
        ) from err
    except ET.ParseError as err:
        line = err.position[0] if getattr(err, "position", None) else None
        raise ListParseError(
            f"malformed XML: {err}", path=str(path), line=line, code="malformed_xml"
        ) from err


def local_name(tag: str) -> str:
    """``{namespace}tag`` -> ``tag``."""
    return tag.rsplit("}", 1)[-1]


def decode_text(data: bytes, path: Path, encodings: Iterable[str] = ("utf-8-sig",)) -> str:
    """Decode bytes with the first encoding that works; a clear error when none does."""
    tried = []
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as err:
            tried.append(encoding)
            last = err
    line = data[: last.start].count(b"\n") + 1
    raise ListParseError(
        f"cannot decode the file as {' or '.join(tried)} (byte 0x{data[last.start]:02x} at offset {last.start})",
        path=str(path),
        line=line,
        code="bad_encoding",
    )


def clean(value: str | None) -> str | None:
    """Collapse whitespace; empty becomes None."""
    if value is None:
        return None
    value = re.sub(r"\s+", " ", value).strip()
    return value or None


@cache
def _country_type():  # type: ignore[no-untyped-def]
    from followthemoney import registry

    return registry.country


@lru_cache(maxsize=4096)
def country_code(name: str | None) -> str | None:
    """Country name or code as a list writes it -> ISO 3166-1 alpha-2 (lower case), or None."""
    if not name:
        return None
    try:
        code = _country_type().clean(name)
    except Exception:
        return None
    return code.lower() if code else None


_MONTHS = {
    m: i + 1
    for i, m in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    )
}


def iso_date(text: str | None) -> str | None:
    """Best-effort ISO prefix for common list date spellings; None when not recognised.

    Handles ``1961-07-15``, ``1961-07``, ``1961``, ``15 Jul 1961``, ``Jul 1961``, ``15/07/1961``
    (day first, as UN/UK/EU lists use) and ``07/15/1961`` only when unambiguous.
    """
    if not text:
        return None
    text = text.strip()
    if m := re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(?:T.*)?", text):
        return "-".join(p for p in m.groups() if p)
    if m := re.fullmatch(r"(\d{1,2})\s+([A-Za-z]{3})[a-z]*\.?\s+(\d{4})", text):
        month = _MONTHS.get(m.group(2).lower())
        if month:
            return f"{m.group(3)}-{month:02d}-{int(m.group(1)):02d}"
    if m := re.fullmatch(r"([A-Za-z]{3})[a-z]*\.?\s+(\d{4})", text):
        month = _MONTHS.get(m.group(1).lower())
        if month:
            return f"{m.group(2)}-{month:02d}"
    if m := re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{4})", text):
        first, second, year = int(m.group(1)), int(m.group(2)), m.group(3)
        day, month = (first, second) if second <= 12 else (second, first)
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year}-{month:02d}-{day:02d}"
    if m := re.fullmatch(r"(\d{1,2})[/.](\d{4})", text):
        return f"{m.group(2)}-{int(m.group(1)):02d}"
    return None


__all__ = [
    "clean",
    "country_code",
    "decode_text",
    "iso_date",
    "local_name",
    "parse_xml",
    "read_bytes",
    "sniff",
]
