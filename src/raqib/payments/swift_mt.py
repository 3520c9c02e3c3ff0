"""SWIFT MT103 and MT202 (FIN), single messages or RJE batches with acknowledgements.

A FIN message is a run of blocks ``{1:...}{2:...}{3:{108:...}}{4:\\n:20:...\\n-}{5:{CHK:...}}``.
Files may hold several messages separated by ``$`` (RJE) or nothing at all, and a service message
(block 1 service id ``21``, an ACK or NAK) may precede the message it acknowledges; its result is
kept as a warning on that message (a NAK is worth knowing about, it is not a parse error).

Field mapping onto the ISO 20022 roles used throughout :mod:`raqib.payments`:

======  ==========================  ====================================
field   MT103                       MT202 / MT202COV
======  ==========================  ====================================
50a     Dbtr (ordering customer)    (COV sequence B: Dbtr)
59a     Cdtr (beneficiary)          (COV sequence B: Cdtr)
52a     DbtrAgt                     Dbtr (ordering institution)
58a     --                          Cdtr (beneficiary institution)
53a     InstgRmbrsmntAgt            InstgRmbrsmntAgt
54a     InstdRmbrsmntAgt            InstdRmbrsmntAgt
55a     ThrdRmbrsmntAgt             --
56a     IntrmyAgt1                  IntrmyAgt1
57a     CdtrAgt                     CdtrAgt
70, 72  free text                   72 free text
======  ==========================  ====================================

The sender and receiver BICs (from blocks 1 and 2) are kept as ``Sender`` and ``Receiver``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from raqib.errors import InvalidInput
from raqib.payments._xml import payment_error
from raqib.payments.model import FieldValue, MessageError, Party, PaymentMessage

SUPPORTED_TYPES = frozenset({"103", "202"})
MAX_MT_BYTES = 20 * 1024 * 1024
FIELD_START = re.compile(r"^:(\d{2}[A-Z]?):", re.MULTILINE)
BIC_PATTERN = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
IBAN_PATTERN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
AMOUNT_32A = re.compile(r"^(\d{2})(\d{2})(\d{2})([A-Z]{3})([\d,]+)$")
PARTY_ID_LINE = re.compile(r"^(?:/[CD]/|//|/)")  # /account, /C/ or /D/ account, //clearing code

# MT field number -> ISO role, for each supported message type.
ROLES: dict[str, dict[str, str]] = {
    "103": {
        "50": "Dbtr", "59": "Cdtr", "52": "DbtrAgt", "53": "InstgRmbrsmntAgt", "54": "InstdRmbrsmntAgt",
        "55": "ThrdRmbrsmntAgt", "56": "IntrmyAgt1", "57": "CdtrAgt",
    },
    "202": {
        "52": "Dbtr", "58": "Cdtr", "53": "InstgRmbrsmntAgt", "54": "InstdRmbrsmntAgt",
        "56": "IntrmyAgt1", "57": "CdtrAgt", "50": "UndrlygDbtr", "59": "UndrlygCdtr",
    },
}  # fmt: skip
CUSTOMER_FIELDS = frozenset({"50", "59"})
FREE_TEXT_FIELDS = {"70": "remittance", "72": "sender_to_receiver"}


class _Block:
    __slots__ = ("content", "id", "start")

    def __init__(self, block_id: str, content: str, start: int):
        self.id = block_id
        self.content = content
        self.start = start


def _blocks(text: str, source: str | None) -> Iterator[_Block]:
    """Split FIN text into top-level blocks; refuse unterminated ones with the offset."""
    position = 0
    length = len(text)
    while position < length:
        char = text[position]
        if char in " \t\r\n$-" or char == "\x03" or char == "\x01":
            position += 1  # separators between messages: RJE '$', trailing '---', SOH/ETX
            continue
        if char != "{":
            snippet = text[position : position + 20].replace("\n", "\\n")
            raise payment_error(
                f"unexpected text outside a block at offset {position}: {snippet!r}",
                code="malformed_mt",
                source=source,
                offset=position,
            )
        colon = text.find(":", position, position + 5)
        if colon == -1:
            raise payment_error(
                f"a block at offset {position} has no 'n:' identifier", code="malformed_mt", source=source
            )
        block_id = text[position + 1 : colon]
        body_start = colon + 1
        if block_id == "4" and text[body_start : body_start + 1] in ("\r", "\n"):
            end = _text_block_end(text, body_start)
            if end == -1:
                raise payment_error(
                    f"block 4 starting at offset {position} is not terminated by '-}}' (truncated message?)",
                    code="truncated_block",
                    source=source,
                    offset=position,
                )
            yield _Block(block_id, text[body_start:end], position)
            position = end + 2
            continue
        depth = 0
        index = position
        while index < length:
            if text[index] == "{":
                depth += 1
            elif text[index] == "}":
                depth -= 1
                if depth == 0:
                    break
            index += 1
        if depth != 0:
            raise payment_error(
                f"block {block_id} starting at offset {position} is not closed (truncated message?)",
                code="truncated_block",
                source=source,
                offset=position,
            )
        yield _Block(block_id, text[body_start:index], position)
        position = index + 1


def _text_block_end(text: str, start: int) -> int:
    """Offset of the ``-}`` that closes a text block (at the start of a line), or -1."""
    for match in re.finditer(r"(?:\r?\n)-\}", text[start:]):
        return start + match.start() + (match.end() - match.start() - 2)
    return -1


def _fields(block4: str) -> list[tuple[str, str]]:
    """``:20:ABC\\n:59:/1\\nNAME`` -> [("20", "ABC"), ("59", "/1\\nNAME")] (order kept, repeats kept)."""
    text = block4.replace("\r\n", "\n").replace("\r", "\n")
    starts = list(FIELD_START.finditer(text))
    fields = []
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
        fields.append((match.group(1), text[match.end() : end].strip("\n")))
    return fields


def _bic_from_lt(address: str) -> str | None:
    """12-character logical terminal address -> BIC11 (drop the terminal code)."""
    if len(address) != 12:
        return None
    bic = address[:8] + address[9:]
    return bic if BIC_PATTERN.match(bic) else None


class _MessageBuilder:
    def __init__(self, source: str | None):
        self.source = source
        self.block1: str | None = None
        self.block2: str | None = None
        self.block3: str | None = None
        self.block4: str | None = None
        self.warnings: list[str] = []

    def build(self) -> PaymentMessage:
        if self.block4 is None:
            raise payment_error(
                "the message has no text block (block 4)", code="malformed_mt", source=self.source
            )
        if not self.block2:
            raise payment_error(
                "the message has no application header (block 2), so its type is unknown",
                code="malformed_mt",
                source=self.source,
            )
        direction = self.block2[0]
        mt = self.block2[1:4]
        if direction not in "IO" or not mt.isdigit():
            raise payment_error(
                f"block 2 {self.block2[:20]!r} is not an input (I) or output (O) application header",
                code="malformed_mt",
                source=self.source,
            )
        if mt not in SUPPORTED_TYPES:
            raise payment_error(
                f"MT{mt} is not screened here (supported: MT103, MT202)",
                code="unsupported_message",
                source=self.source,
            )
        cover = bool(self.block3 and "{119:COV}" in self.block3)
        message = PaymentMessage(
            format="swift_mt", message_type=f"MT{mt}{'COV' if cover else ''}", source=self.source
        )
        message.warnings.extend(self.warnings)
        own = _bic_from_lt(self.block1[3:15]) if self.block1 and len(self.block1) >= 15 else None
        other = None
        if direction == "O" and len(self.block2) >= 26:
            other = _bic_from_lt(self.block2[14:26])
        elif direction == "I" and len(self.block2) >= 16:
            other = _bic_from_lt(self.block2[4:16])
        sender, receiver = (other, own) if direction == "O" else (own, other)
        if self.block3 and (uetr := re.search(r"\{121:([^}]*)\}", self.block3)):
            message.uetr = uetr.group(1)
        for role, label, bic in (("Sender", "{1:}" if direction == "I" else "{2:}", sender),
                                 ("Receiver", "{2:}" if direction == "I" else "{1:}", receiver)):  # fmt: skip
            if bic:
                message.parties.append(Party(role, label, True, bic=bic))
                _identifier(message, label, bic, "bic")
        roles = ROLES[mt]
        for tag, value in _fields(self.block4):
            field = f":{tag}:"
            number, option = tag[:2], tag[2:]
            if tag == "20":
                message.message_id = value.strip() or None
            elif tag == "32A":
                _amount(message, value)
            elif number in FREE_TEXT_FIELDS:
                text = " ".join(line.strip() for line in value.split("\n") if line.strip())
                if text:
                    message.free_text.append(FieldValue(field, text, FREE_TEXT_FIELDS[number]))
            elif number in roles:
                customer = number in CUSTOMER_FIELDS and mt == "103"
                message.parties.append(_party(message, roles[number], field, option, value, customer))
        return message


def _identifier(message: PaymentMessage, field: str, value: str, kind: str) -> None:
    message.identifiers.append(FieldValue(field, value, kind))
    if kind == "bic" and BIC_PATTERN.match(value):
        message.countries.append(FieldValue(field, value[4:6], "bic"))
    elif kind == "iban" and IBAN_PATTERN.match(value):
        message.countries.append(FieldValue(field, value[:2], "iban"))


def _amount(message: PaymentMessage, value: str) -> None:
    if match := AMOUNT_32A.match(value.strip()):
        year, month, day, currency, amount = match.groups()
        message.value_date = f"20{year}-{month}-{day}"
        message.currency = currency
        message.amount = amount.replace(",", ".").rstrip(".")


def _account(message: PaymentMessage, field: str, line: str) -> str | None:
    """``/DE89...`` or ``//FW123`` or ``/C/123`` -> the account; recorded as an identifier."""
    account = PARTY_ID_LINE.sub("", line).strip()
    if not account:
        return None
    compact = account.replace(" ", "")
    _identifier(message, field, compact, "iban" if IBAN_PATTERN.match(compact) else "account")
    return compact


def _party(message: PaymentMessage, role: str, field: str, option: str, value: str, customer: bool) -> Party:
    lines = [line.strip() for line in value.split("\n") if line.strip()]
    account = None
    if lines and lines[0].startswith("/"):
        account = _account(message, field, lines.pop(0))
    elif option == "F" and lines and re.match(r"^[A-Z]{4}/[A-Z]{2}/", lines[0]):
        message.identifiers.append(FieldValue(field, lines.pop(0), "other"))  # 50F party identifier
    if option == "A":  # BIC (optionally after the account line)
        bic = lines[0].replace(" ", "") if lines else None
        if bic:
            _identifier(message, field, bic, "bic")
        return Party(role, field, not customer, None, (), None, bic, account)
    if option == "F":  # structured: 1/name, 2/address, 3/country/town ...
        names, address, country = [], [], None
        for line in lines:
            number, _, rest = line.partition("/")
            if number == "1":
                names.append(rest)
            elif number == "2":
                address.append(rest)
            elif number == "3":
                code = rest.partition("/")[0]
                if len(code) == 2 and code.isalpha():
                    country = code.upper()
                    message.countries.append(FieldValue(field, country, "address"))
                address.append(rest)
        name = " ".join(names) or None
        return Party(role, field, not customer, name, tuple(address), country, None, account)
    if option in ("B", "C"):  # location / party identifier only
        return Party(role, field, not customer, None, tuple(lines), None, None, account)
    # No letter (59), K, D, H: name then address lines.
    name = lines[0] if lines else None
    return Party(role, field, not customer, name, tuple(lines[1:]), None, None, account)


def _decode(data: bytes, source: str | None) -> str:
    if len(data) > MAX_MT_BYTES:
        raise payment_error(
            f"the file is too large ({len(data)} bytes)", code="message_too_large", source=source
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise payment_error(
            f"not UTF-8 or ASCII text (byte 0x{data[err.start]:02x} at offset {err.start})",
            code="bad_encoding",
            source=source,
        ) from err


def looks_like_mt(data: bytes) -> bool:
    """Does this start like FIN text (``{1:``, possibly after whitespace or SOH)?"""
    return data.lstrip(b" \t\r\n\x01\xef\xbb\xbf").startswith(b"{1:")


def parse_mt(data: bytes, source: str | None = None) -> list[PaymentMessage | MessageError]:
    """Parse a FIN file: one message or an RJE batch.

    A message that cannot be screened (unsupported type, missing block) becomes a
    :class:`MessageError` in its place, so one bad message does not hide the others. A file whose
    block structure is broken (a truncated block, stray text) raises, because the messages after the
    break cannot be located reliably.

    Raises:
        InvalidInput: codes ``bad_encoding``, ``message_too_large``, ``malformed_mt``, ``truncated_block``,
            ``empty_message``.
    """
    text = _decode(data, source)
    results: list[PaymentMessage | MessageError] = []
    # '$' is not in the SWIFT character set, so it safely separates RJE messages. Each chunk is read
    # on its own: a broken chunk becomes an error in its place and the next chunk is still read.
    chunks = [chunk for chunk in text.split("$") if chunk.strip(" \t\r\n\x01\x03-")]
    if not chunks:
        raise payment_error("no FIN message found (expected '{1:...}')", code="empty_message", source=source)
    for chunk in chunks:
        _parse_chunk(chunk, source, results, several=len(chunks) > 1)
    if len(results) == 1 and isinstance(results[0], MessageError):
        # A file with one message: its problem is the file's problem.
        only = results[0]
        raise payment_error(only.message.removeprefix(f"{only.source}: "), code=only.code, source=source)
    return results


def _parse_chunk(
    text: str, source: str | None, results: list[PaymentMessage | MessageError], several: bool
) -> None:
    current: _MessageBuilder | None = None
    in_ack = False
    ack_result: str | None = None

    def label() -> str:
        return f"{source or 'message'}#{len(results) + 1}"

    def finish() -> None:
        nonlocal current
        if current is None:
            return
        try:
            results.append(current.build())
        except InvalidInput as err:
            results.append(MessageError(current.source, err.code, err.message))
        current = None

    try:
        for block in _blocks(text, label() if several else source):
            if block.id == "1":
                finish()
                if block.content[1:3] == "21":  # an ACK/NAK service message about the next message
                    in_ack = True
                    ack_result = None
                    continue
                current = _MessageBuilder(label())
                current.block1 = block.content
                if in_ack and ack_result and ack_result.startswith("NAK"):
                    current.warnings.append(f"the network refused this message: {ack_result}")
                in_ack = False
                continue
            if current is None:
                if in_ack:
                    if block.id == "4":
                        status = re.search(r"\{451:(\d)\}", block.content)
                        reason = re.search(r"\{405:([^}]*)\}", block.content)
                        nak = status is not None and status.group(1) == "1"
                        ack_result = f"NAK {reason.group(1) if reason else ''}".strip() if nak else "ACK"
                    continue
                raise payment_error(
                    f"block {block.id} at offset {block.start} does not follow a basic header (block 1)",
                    code="malformed_mt",
                    source=label(),
                    offset=block.start,
                )
            if block.id == "2":
                current.block2 = block.content
            elif block.id == "3":
                current.block3 = block.content
            elif block.id == "4":
                current.block4 = block.content
    except InvalidInput as err:
        if current is not None and current.block4 is not None:
            # The message itself is complete; only what follows it is broken. Screen it, and say so.
            current.warnings.append(f"ignored after the message: {err.message}")
        else:
            current = None
            results.append(MessageError(err.details.get("source"), err.code, err.message))
    finish()
    if not results:
        raise payment_error("no FIN message found (expected '{1:...}')", code="empty_message", source=source)


__all__ = ["looks_like_mt", "parse_mt"]
