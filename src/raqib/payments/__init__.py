"""Payment-message screening: ISO 20022 (pacs.008, pacs.009, pain.001) and SWIFT MT103/MT202.

Parsing (:func:`parse_messages`) turns a message into a format-neutral :class:`PaymentMessage`:
every party and agent with its field, address, country, BIC and account; every identifier (BIC,
IBAN, account, LEI, proxy); every country and why it is there (postal address, residence, birth,
the BIC's or IBAN's country); and the free text (remittance information, MT fields 70 and 72).
Untrusted XML goes only through defusedxml. A malformed or hostile message raises
:class:`raqib.errors.InvalidInput` with a stable code (``malformed_xml``, ``unsafe_xml``,
``wrong_namespace``, ``unsupported_message``, ``truncated_block``, ``malformed_mt``, ...); inside an RJE
batch a bad message becomes a :class:`MessageError` in its place.

Screening (:class:`PaymentScreener`) gives a :class:`Decision` per message, ``pass``, ``review`` or
``hold``, with every :class:`Reason` (field, value, kind, hit, score). The policy, with its numbers in
``raqib/data/payments/policy.yml`` and the country data in ``raqib/data/jurisdictions.yml``:

* **hold** when a party name scores at or above the engine's ``DEFAULT_THRESHOLD`` against a listed
  entity; when the message names an identifier a list carries (crypto wallet, BIC, IBAN, bank
  account; exact match after normalisation); or when a country code in the message (address,
  residence, birth, BIC, IBAN) is a comprehensively embargoed jurisdiction;
* **review** when a party name scores in the band ``[DEFAULT_THRESHOLD - review_band, DEFAULT_THRESHOLD)``;
  when the free text mentions a listed person or organisation (found by :mod:`raqib.text`, as
  ``raqib text screen`` finds it, with the span threshold ``DEFAULT_THRESHOLD + free_text_margin``;
  curated organisation aliases such as ISIS or داعش included); when a country code is on a FATF list
  (call for action or increased monitoring); or when a listed jurisdiction is only *named* in an
  address or free text;
* **pass** otherwise.

``Decision.hold`` marks the payments an alert must be raised for.
"""

from raqib.payments.decision import Decision, PaymentScreener, Reason, scan_free_text
from raqib.payments.model import FieldValue, MessageError, Party, PaymentMessage
from raqib.payments.parse import parse_messages
from raqib.payments.risk import IdentifierIndex, JurisdictionTable, Policy, load_jurisdictions, load_policy

__all__ = [
    "Decision",
    "FieldValue",
    "IdentifierIndex",
    "JurisdictionTable",
    "MessageError",
    "Party",
    "PaymentMessage",
    "PaymentScreener",
    "Policy",
    "Reason",
    "load_jurisdictions",
    "load_policy",
    "parse_messages",
    "scan_free_text",
]
