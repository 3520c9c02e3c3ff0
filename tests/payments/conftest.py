"""Invented list entities for payment screening tests (no store, no real lists)."""

from __future__ import annotations

import pytest

from raqib.lists.model import Address, Entity, EntityType, Identifier, Name, NameKind, ParsedList
from raqib.payments import PaymentScreener
from tests.conftest import DATA

PAYMENTS = DATA / "payments"
MALFORMED = PAYMENTS / "malformed"
WALLET = "bc1qexampleraqibtestwallet0000000001"


def invented_entities() -> list[Entity]:
    return [
        Entity(
            source="test",
            source_ref="ORG-1",
            type=EntityType.ORGANIZATION,
            names=[Name(full="Al-Noor Trading Company"), Name(full="Al Nur Trading", kind=NameKind.ALIAS)],
            identifiers=[Identifier(type="iban", number="SY00 RAQI BTES T000 0000 001")],
        ),
        Entity(
            source="test",
            source_ref="PER-1",
            type=EntityType.PERSON,
            names=[
                Name(full="Ahmad Khalil Haddad"),
                Name(full="أحمد خليل حداد", kind=NameKind.ORIGINAL_SCRIPT),
            ],
            identifiers=[Identifier(type="crypto_wallet", number=WALLET, note="currency: XBT")],
        ),
        Entity(
            source="test",
            source_ref="BANK-1",
            type=EntityType.ORGANIZATION,
            names=[Name(full="Test Iranian Bank")],
            identifiers=[Identifier(type="swift_bic", number="TESTIRTHXXX")],
            addresses=[Address(country="Iran", country_code="ir")],
        ),
        Entity(
            source="test",
            source_ref="PER-2",
            type=EntityType.PERSON,
            names=[Name(full="Mercados Gestion Valores")],
        ),
    ]


def invented_list() -> ParsedList:
    return ParsedList(list_id="test", title="Invented test list", format="test", entities=invented_entities())


@pytest.fixture(scope="session")
def payment_screener() -> PaymentScreener:
    return PaymentScreener.from_entities(invented_entities())
