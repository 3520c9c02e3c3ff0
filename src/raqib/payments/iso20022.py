"""ISO 20022 credit transfers: pacs.008, pacs.009 (incl. COV/ADV) and pain.001, bare or in a CBPR+ envelope.

The message type comes from the namespace of the ``Document`` element
(``urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08``; any version is accepted). A business application
header (``AppHdr``, head.001) beside the Document is read for the sender and receiver BICs, and its
``MsgDefIdr`` is compared with the Document (a mismatch is a warning, not an error).

Extraction is a walk over the whole Document, so every party is found wherever the message version
puts it (pacs.009 COV carries an underlying customer transfer with its own debtor and creditor):

* an element holding ``FinInstnId`` is an institution (an agent, or the debtor/creditor of pacs.009);
* ``Dbtr``, ``Cdtr``, ``UltmtDbtr``, ``UltmtCdtr``, ``InitgPty``, ``Invcr``, ``Invcee`` are parties;
* an element whose name ends in ``Acct`` is an account (IBAN, other id, proxy);
* ``Ustrd``, ``AddtlRmtInf``, ``InstrInf`` and regulatory-reporting ``Inf`` are free text.

Each value's field is its path below the message element, e.g. ``CdtTrfTxInf.Cdtr.Nm``; a repeated
element gets a 1-based index (``CdtTrfTxInf[2].Cdtr.Nm``).
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from raqib.payments._xml import parse_payment_xml, payment_error, split_tag
from raqib.payments.model import FieldValue, Party, PaymentMessage

ISO_NAMESPACE = re.compile(
    r"^urn:iso:std:iso:20022:tech:xsd:(?P<type>[a-z]{4}\.\d{3})\.(?P<version>\d{3}\.\d{2})$"
)
HEADER_NAMESPACE = re.compile(r"^urn:iso:std:iso:20022:tech:xsd:head\.001\.\d{3}\.\d{2}$")

# Supported message type -> the element directly under Document.
MESSAGE_ROOTS = {
    "pacs.008": "FIToFICstmrCdtTrf",
    "pacs.009": "FICdtTrf",
    "pain.001": "CstmrCdtTrfInitn",
}
PARTY_TAGS = frozenset({"Dbtr", "Cdtr", "UltmtDbtr", "UltmtCdtr", "InitgPty", "Invcr", "Invcee"})
FREE_TEXT_TAGS = {"Ustrd": "remittance", "AddtlRmtInf": "remittance", "InstrInf": "instruction"}
ADDRESS_PARTS = ("Dept", "SubDept", "StrtNm", "BldgNb", "BldgNm", "Flr", "PstBx", "Room", "PstCd",
                 "TwnNm", "TwnLctnNm", "DstrctNm", "CtrySubDvsn")  # fmt: skip
TRANSACTION_TAGS = frozenset({"CdtTrfTxInf"})
BIC_PATTERN = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
IBAN_PATTERN = re.compile(r"^[A-Z]{2}\d{2}[A-Z0-9]{10,30}$")
MAX_DEPTH = 40  # the deepest real CBPR+ path is ~12 levels; refuse pathological nesting early


def _local(element: ET.Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments / processing instructions
        return ""
    return tag.rsplit("}", 1)[-1]


def _text(element: ET.Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    value = " ".join(element.text.split())
    return value or None


def _child(element: ET.Element, name: str) -> ET.Element | None:
    for child in element:
        if _local(child) == name:
            return child
    return None


def _find(element: ET.Element, *path: str) -> ET.Element | None:
    current: ET.Element | None = element
    for name in path:
        if current is None:
            return None
        current = _child(current, name)
    return current


def _bic_country(bic: str) -> str | None:
    return bic[4:6] if BIC_PATTERN.match(bic) else None


def _iban_country(iban: str) -> str | None:
    return iban[:2] if IBAN_PATTERN.match(iban) else None


class _Extractor:
    """Collects parties, identifiers, countries and free text from one Document."""

    def __init__(self, message: PaymentMessage):
        self.message = message

    def identifier(self, field: str, value: str | None, kind: str) -> None:
        if value:
            self.message.identifiers.append(FieldValue(field, value, kind))
            if kind == "bic" and (country := _bic_country(value)):
                self.message.countries.append(FieldValue(field, country, "bic"))
            elif kind == "iban" and (country := _iban_country(value)):
                self.message.countries.append(FieldValue(field, country, "iban"))

    def country(self, field: str, value: str | None, basis: str) -> str | None:
        if value and len(value) == 2 and value.isalpha():
            code = value.upper()
            self.message.countries.append(FieldValue(field, code, basis))
            return code
        return None

    def address(self, element: ET.Element | None, field: str) -> tuple[tuple[str, ...], str | None]:
        if element is None:
            return (), None
        lines: list[str] = []
        for part in ADDRESS_PARTS:
            if value := _text(_child(element, part)):
                lines.append(value)
        for child in element:
            if _local(child) == "AdrLine" and (value := _text(child)):
                lines.append(value)
        country = self.country(f"{field}.Ctry", _text(_child(element, "Ctry")), "address")
        return tuple(lines), country

    def account(self, element: ET.Element, field: str) -> str | None:
        account = None
        if (iban := _text(_find(element, "Id", "IBAN"))) is not None:
            self.identifier(f"{field}.Id.IBAN", iban, "iban")
            account = iban
        if (other := _text(_find(element, "Id", "Othr", "Id"))) is not None:
            self.identifier(f"{field}.Id.Othr.Id", other, "account")
            account = account or other
        if (proxy := _text(_find(element, "Prxy", "Id"))) is not None:
            self.identifier(f"{field}.Prxy.Id", proxy, "proxy")
        return account

    def institution(self, element: ET.Element, field: str, role: str, account: str | None) -> None:
        fin = _child(element, "FinInstnId")
        if fin is None:
            return
        base = f"{field}.FinInstnId"
        bic = _text(_child(fin, "BICFI"))
        self.identifier(f"{base}.BICFI", bic, "bic")
        self.identifier(f"{base}.LEI", _text(_child(fin, "LEI")), "lei")
        self.identifier(f"{base}.Othr.Id", _text(_find(fin, "Othr", "Id")), "other")
        address, country = self.address(_child(fin, "PstlAdr"), f"{base}.PstlAdr")
        name = _text(_child(fin, "Nm"))
        if name or bic or address or country or account:
            self.message.parties.append(Party(role, field, True, name, address, country, bic, account))

    def party(self, element: ET.Element, field: str, role: str, account: str | None) -> None:
        name = _text(_child(element, "Nm"))
        address, country = self.address(_child(element, "PstlAdr"), f"{field}.PstlAdr")
        self.country(f"{field}.CtryOfRes", _text(_child(element, "CtryOfRes")), "residence")
        bic = None
        if (identity := _child(element, "Id")) is not None:
            if (org := _child(identity, "OrgId")) is not None:
                bic = _text(_child(org, "AnyBIC"))
                self.identifier(f"{field}.Id.OrgId.AnyBIC", bic, "bic")
                self.identifier(f"{field}.Id.OrgId.LEI", _text(_child(org, "LEI")), "lei")
                for position, other in enumerate(o for o in org if _local(o) == "Othr"):
                    self.identifier(
                        f"{field}.Id.OrgId.Othr[{position + 1}].Id", _text(_child(other, "Id")), "other"
                    )
            if (private := _child(identity, "PrvtId")) is not None:
                birth = _find(private, "DtAndPlcOfBirth", "CtryOfBirth")
                self.country(f"{field}.Id.PrvtId.DtAndPlcOfBirth.CtryOfBirth", _text(birth), "birth")
                for position, other in enumerate(o for o in private if _local(o) == "Othr"):
                    self.identifier(
                        f"{field}.Id.PrvtId.Othr[{position + 1}].Id", _text(_child(other, "Id")), "other"
                    )
        if name or address or country or bic or account:
            self.message.parties.append(Party(role, field, False, name, address, country, bic, account))

    def walk(self, root: ET.Element) -> None:
        """Depth-first, in document order, without recursion (hostile nesting cannot blow the stack)."""
        stack: list[tuple[ET.Element, str, int, str | None]] = [(root, "", 0, None)]
        while stack:
            element, path, depth, account = stack.pop()
            name = _local(element)
            if depth > MAX_DEPTH:
                raise payment_error(
                    f"the message nests elements deeper than {MAX_DEPTH} levels",
                    code="malformed_message",
                    source=self.message.source,
                )
            if depth and _child(element, "FinInstnId") is not None:
                self.institution(element, path, name, account)
                continue
            if name in PARTY_TAGS:
                self.party(element, path, name, account)
                continue
            if name in FREE_TEXT_TAGS or (name == "Inf" and "RgltryRptg" in path):
                if value := _text(element):
                    kind = FREE_TEXT_TAGS.get(name, "regulatory")
                    self.message.free_text.append(FieldValue(path, value, kind))
                continue
            children = [c for c in element if isinstance(c.tag, str)]
            counts: dict[str, int] = {}
            for child in children:
                counts[_local(child)] = counts.get(_local(child), 0) + 1
            seen: dict[str, int] = {}
            named: list[tuple[ET.Element, str, str]] = []
            accounts: dict[str, str | None] = {}
            for child in children:
                child_name = _local(child)
                seen[child_name] = seen.get(child_name, 0) + 1
                segment = f"{child_name}[{seen[child_name]}]" if counts[child_name] > 1 else child_name
                field = f"{path}.{segment}" if path else segment
                if child_name.endswith("Acct"):
                    accounts[child_name[: -len("Acct")]] = self.account(child, field)
                else:
                    named.append((child, child_name, field))
            for child, child_name, field in reversed(named):
                stack.append((child, field, depth + 1, accounts.get(child_name)))


def _document_and_header(root: ET.Element, source: str | None) -> tuple[ET.Element, ET.Element | None]:
    if _local(root) == "Document":
        return root, None
    document = header = None
    # Envelopes vary (Envelope, BusMsg, DataPDU ...): look two levels down for AppHdr and Document.
    for child in root:
        for element in (child, *list(child)):
            name = _local(element)
            if name == "Document" and document is None:
                document = element
            elif name == "AppHdr" and header is None:
                header = element
    if document is None:
        raise payment_error(
            f"no ISO 20022 Document element (root element is {_local(root)!r})",
            code="unsupported_message",
            source=source,
        )
    return document, header


def is_iso20022(root: ET.Element) -> bool:
    """Does this XML look like an ISO 20022 message (a Document, or an envelope holding one)?"""
    if _local(root) == "Document":
        return True
    return any(_local(e) in {"Document", "AppHdr"} for child in root for e in (child, *list(child)))


def parse_iso20022(data: bytes, source: str | None = None) -> PaymentMessage:
    """Parse one ISO 20022 pacs.008 / pacs.009 / pain.001 message (bare Document or enveloped).

    Raises:
        InvalidInput: codes ``malformed_xml``, ``unsafe_xml``, ``message_too_large``, ``wrong_namespace``,
            ``unsupported_message``, ``malformed_message``.
    """
    return parse_iso20022_element(parse_payment_xml(data, source), source)


def parse_iso20022_element(root: ET.Element, source: str | None = None) -> PaymentMessage:
    """Like :func:`parse_iso20022`, for XML already parsed safely."""
    document, header = _document_and_header(root, source)
    namespace, _ = split_tag(document.tag)
    match = ISO_NAMESPACE.match(namespace)
    if not match:
        shown = namespace or "(none)"
        raise payment_error(
            f"the Document namespace {shown!r} is not an ISO 20022 message namespace "
            "(expected e.g. urn:iso:std:iso:20022:tech:xsd:pacs.008.001.08)",
            code="wrong_namespace",
            source=source,
        )
    kind = match.group("type")
    if kind not in MESSAGE_ROOTS:
        raise payment_error(
            f"{kind} messages are not screened here (supported: {', '.join(MESSAGE_ROOTS)})",
            code="unsupported_message",
            source=source,
        )
    body = next((c for c in document if isinstance(c.tag, str)), None)
    if body is None or _local(body) != MESSAGE_ROOTS[kind]:
        found = _local(body) if body is not None else "nothing"
        raise payment_error(
            f"a {kind} Document must hold {MESSAGE_ROOTS[kind]}, found {found}",
            code="wrong_namespace",
            source=source,
        )
    if split_tag(body.tag)[0] != namespace:
        raise payment_error(
            f"{_local(body)} is not in the Document's namespace {namespace!r}",
            code="wrong_namespace",
            source=source,
        )
    message = PaymentMessage(
        format="iso20022", message_type=f"{kind}.{match.group('version')}", source=source
    )
    if header is not None:
        _read_header(header, message)
    message.message_id = _text(_find(body, "GrpHdr", "MsgId"))
    transactions = [t for t in body.iter() if _local(t) in TRANSACTION_TAGS]
    message.transactions = len(transactions)
    for transaction in transactions[:1]:
        amount = _child(transaction, "IntrBkSttlmAmt")
        if amount is None:
            amount = _find(transaction, "Amt", "InstdAmt")
        if amount is not None:
            message.amount = _text(amount)
            message.currency = amount.get("Ccy")
        message.uetr = _text(_find(transaction, "PmtId", "UETR"))
        message.value_date = _text(_child(transaction, "IntrBkSttlmDt"))
    if message.value_date is None:
        message.value_date = _text(_find(body, "GrpHdr", "IntrBkSttlmDt"))
        if message.value_date is None and (info := _child(body, "PmtInf")) is not None:
            message.value_date = _text(_find(info, "ReqdExctnDt", "Dt")) or _text(_child(info, "ReqdExctnDt"))
    _Extractor(message).walk(body)
    return message


def _read_header(header: ET.Element, message: PaymentMessage) -> None:
    namespace, _ = split_tag(header.tag)
    if not HEADER_NAMESPACE.match(namespace):
        message.warnings.append(f"AppHdr namespace {namespace or '(none)'!r} is not head.001")
    extractor = _Extractor(message)
    for side, role in (("Fr", "AppHdr.Fr"), ("To", "AppHdr.To")):
        fiid = _find(header, side, "FIId")
        if fiid is not None and _child(fiid, "FinInstnId") is not None:
            extractor.institution(fiid, f"AppHdr.{side}.FIId", role, None)
    declared = _text(_child(header, "MsgDefIdr"))
    if declared and declared != message.message_type:
        message.warnings.append(
            f"AppHdr.MsgDefIdr says {declared} but the Document is {message.message_type}"
        )


__all__ = ["is_iso20022", "parse_iso20022", "parse_iso20022_element"]
