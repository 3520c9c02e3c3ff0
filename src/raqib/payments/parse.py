"""Recognise a payment message's format and parse it: ISO 20022 XML or SWIFT MT (FIN/RJE)."""

from __future__ import annotations

from raqib.payments._xml import parse_payment_xml, payment_error
from raqib.payments.iso20022 import parse_iso20022_element
from raqib.payments.model import MessageError, PaymentMessage
from raqib.payments.swift_mt import looks_like_mt, parse_mt


def parse_messages(data: bytes | str, source: str | None = None) -> list[PaymentMessage | MessageError]:
    """Parse one file or request body into its messages.

    XML (anything starting with ``<`` after a BOM/whitespace) is read as one ISO 20022 message;
    text starting with ``{1:`` as SWIFT FIN, possibly several messages (RJE). In an RJE batch a
    message that cannot be screened is returned as a :class:`MessageError` in its place.

    Raises:
        InvalidInput: the whole input is unusable (``empty_message``, ``malformed_xml``, ``unsafe_xml``,
            ``wrong_namespace``, ``unsupported_message``, ``unknown_format``, ``truncated_block`` ...).
    """
    raw = data.encode("utf-8") if isinstance(data, str) else data
    head = raw.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not head:
        raise payment_error("the message is empty", code="empty_message", source=source)
    if head.startswith(b"<"):
        return [parse_iso20022_element(parse_payment_xml(raw, source), source)]
    if looks_like_mt(raw):
        return list(parse_mt(raw, source))
    raise payment_error(
        "not a payment message: expected ISO 20022 XML ('<...') or SWIFT FIN ('{1:...')",
        code="unknown_format",
        source=source,
    )


__all__ = ["parse_messages"]
