"""Evidence attached to a case: stored in the database with its SHA-256, checked again on read.

The content lives in the same database as the case (one backup, one transaction); the hash is
also written to the audit trail, so a swapped file shows twice: its own hash no longer matches,
and the audit record names the original hash.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

_UNSAFE = re.compile(r"[^\w.\- ()+,@]", re.UNICODE)
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,62}/[a-z0-9][a-z0-9!#$&^_.+-]{0,62}$")
MAX_FILENAME_BYTES = 200


@dataclass(frozen=True, slots=True)
class Evidence:
    id: int
    case_id: int
    filename: str
    media_type: str
    size: int
    sha256: str
    content: bytes
    uploaded_by: str


def sanitise_filename(name: str) -> str:
    """A safe display and download name: no directories, control characters or shell specials.

    Arabic and other letters are kept (NFC); anything else unusual becomes ``_``; a leading dot is
    removed so the name never hides; the result is at most 200 UTF-8 bytes and never empty.
    """
    base = re.split(r"[\\/]", unicodedata.normalize("NFC", name))[-1]
    base = "".join(ch for ch in base if unicodedata.category(ch)[0] != "C")
    base = _UNSAFE.sub("_", base).strip(" .")
    while len(base.encode("utf-8")) > MAX_FILENAME_BYTES:
        stem, dot, suffix = base.rpartition(".")
        base = f"{stem[:-1]}{dot}{suffix}" if dot and len(suffix) <= 10 and stem else base[:-1]
    return base or "evidence"


def clean_media_type(media_type: str | None) -> str:
    value = (media_type or "").split(";")[0].strip().lower()
    return value if _MEDIA_TYPE.match(value) else "application/octet-stream"


def content_hash(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


__all__ = ["MAX_FILENAME_BYTES", "Evidence", "clean_media_type", "content_hash", "sanitise_filename"]
