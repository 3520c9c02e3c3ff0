"""Hardened XML for payment messages: defusedxml only, with payment-specific error codes."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from raqib.errors import InvalidInput

# One payment message is a few KB; the biggest CBPR+ "max" samples are ~70 KB. A batch file of
# pain.001 can be large, but 20 MB is well beyond anything a screening call should accept at once.
MAX_MESSAGE_BYTES = 20 * 1024 * 1024


def payment_error(message: str, *, code: str, source: str | None, **details: object) -> InvalidInput:
    """An :class:`InvalidInput` that names the message's source and a stable code."""
    where = f"{source}: " if source else ""
    extra = {k: v for k, v in details.items() if v is not None}
    return InvalidInput(f"{where}{message}", code=code, details={"source": source, **extra})


def parse_payment_xml(data: bytes, source: str | None) -> ET.Element:
    """Parse untrusted XML; refuse DTDs, entities and external references (XML bombs, XXE)."""
    if len(data) > MAX_MESSAGE_BYTES:
        raise payment_error(
            f"the message is too large ({len(data)} bytes; at most {MAX_MESSAGE_BYTES})",
            code="message_too_large",
            source=source,
        )
    try:
        return SafeET.fromstring(data, forbid_dtd=True, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as err:
        raise payment_error(
            f"refused unsafe XML ({type(err).__name__}: DTDs, entities and external references are not allowed)",
            code="unsafe_xml",
            source=source,
        ) from err
    except ET.ParseError as err:
        line = err.position[0] if getattr(err, "position", None) else None
        raise payment_error(f"malformed XML: {err}", code="malformed_xml", source=source, line=line) from err


def split_tag(tag: str) -> tuple[str, str]:
    """``{namespace}Name`` -> (namespace, Name); no namespace gives ``""``."""
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return "", tag


__all__ = ["MAX_MESSAGE_BYTES", "parse_payment_xml", "payment_error", "split_tag"]
