"""What the payment parsers extract: one format-neutral view of a payment message.

ISO 20022 and SWIFT MT messages both become a :class:`PaymentMessage`: its parties (people,
companies and financial institutions, each with the field it came from), the identifiers it names
(BICs, IBANs, other account numbers, LEIs), the countries it touches and why, and its free text.
Every extracted value keeps its ``field`` (``Cdtr.Nm``, ``CdtTrfTxInf[2].DbtrAgt.BICFI``, ``:59:``)
so a screening reason can point the analyst at the exact place in the message.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

MessageFormat = Literal["iso20022", "swift_mt"]


@dataclass(frozen=True, slots=True)
class Party:
    """A party or agent of the payment.

    Attributes:
        role: What the party does, in ISO 20022 terms: ``Dbtr``, ``Cdtr``, ``UltmtDbtr``, ``UltmtCdtr``,
            ``InitgPty``, ``DbtrAgt``, ``CdtrAgt``, ``IntrmyAgt1`` ... (MT fields are mapped onto them).
        field: Where the party sits in the message (``Cdtr``, ``:59:``).
        is_institution: True for agents and for the institution parties of pacs.009 / MT202.
        name: The name as written (MT name lines joined), or None.
        address: Address lines as written, in order.
        country: ISO 3166-1 alpha-2 (upper case) from the postal address, when given.
        bic: The party's BIC, when given.
        account: The party's account (IBAN or other id), when given.
    """

    role: str
    field: str
    is_institution: bool = False
    name: str | None = None
    address: tuple[str, ...] = ()
    country: str | None = None
    bic: str | None = None
    account: str | None = None


@dataclass(frozen=True, slots=True)
class FieldValue:
    """One value found in the message: a free text, an identifier or a country.

    Attributes:
        field: Where it was found.
        value: The value as written (countries: ISO alpha-2, upper case).
        kind: For identifiers ``bic``, ``iban``, ``account``, ``lei``, ``proxy``, ``other``; for countries
            the basis (``address``, ``residence``, ``birth``, ``bic``, ``iban``, ``address_text``); for free
            text ``remittance``, ``instruction``, ``purpose``, ``regulatory``, ``sender_to_receiver``.
    """

    field: str
    value: str
    kind: str


@dataclass(slots=True)
class PaymentMessage:
    """A parsed payment message, format-neutral.

    Attributes:
        format: ``iso20022`` or ``swift_mt``.
        message_type: ``pacs.008.001.08``, ``pain.001.001.09``, ``MT103``, ``MT202`` ...
        message_id: GrpHdr/MsgId (ISO) or field 20 (MT).
        source: Where the message came from (file name, and ``#n`` for the n-th message of a file).
        transactions: How many transactions the message carries.
        amount: The (first) amount as written, with ``currency`` and ``value_date``.
        uetr: The unique end-to-end transaction reference, when given.
        warnings: Things worth knowing that did not stop parsing (header/document mismatch, a NAK).
    """

    format: MessageFormat
    message_type: str
    message_id: str | None = None
    source: str | None = None
    transactions: int = 1
    amount: str | None = None
    currency: str | None = None
    value_date: str | None = None
    uetr: str | None = None
    parties: list[Party] = field(default_factory=list)
    identifiers: list[FieldValue] = field(default_factory=list)
    countries: list[FieldValue] = field(default_factory=list)
    free_text: list[FieldValue] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form (tuples become lists, empty values kept so the shape is stable)."""
        return asdict(self)


@dataclass(frozen=True, slots=True)
class MessageError:
    """A message that could not be read, within a file that may hold others (RJE batches).

    Attributes:
        source: The file and position (``batch.rje#3``).
        code: A stable error code (``malformed_xml``, ``unsafe_xml``, ``truncated_block`` ...).
        message: What is wrong, for a person.
    """

    source: str | None
    code: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


__all__ = ["FieldValue", "MessageError", "MessageFormat", "Party", "PaymentMessage"]
