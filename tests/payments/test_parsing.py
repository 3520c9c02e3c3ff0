"""Parsing of the sample messages (goldens) and of every malformed or hostile case."""

from __future__ import annotations

from pathlib import Path

import pytest

from raqib.errors import InvalidInput
from raqib.payments import MessageError, PaymentMessage, parse_messages
from raqib.payments.risk import normalise_identifier
from tests.payments.conftest import MALFORMED, PAYMENTS

SAMPLES = sorted(p.name for p in PAYMENTS.iterdir() if p.is_file() and p.suffix in {".xml", ".fin", ".rje"})
MALFORMED_CASES = sorted(p.name for p in MALFORMED.iterdir() if p.is_file())


def _parse(path: Path) -> list[PaymentMessage | MessageError]:
    return parse_messages(path.read_bytes(), path.name)


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_golden(name: str, golden) -> None:  # type: ignore[no-untyped-def]
    items = _parse(PAYMENTS / name)
    golden.check_json(f"payments/parsed/{name}.json", [item.to_dict() for item in items])


def _outcome(path: Path) -> dict[str, object]:
    try:
        items = _parse(path)
    except InvalidInput as err:
        return {"raises": err.code, "message": err.message}
    return {
        "results": [
            {"error": item.code, "message": item.message}
            if isinstance(item, MessageError)
            else {"message_type": item.message_type, "message_id": item.message_id, "warnings": item.warnings}
            for item in items
        ]
    }


@pytest.mark.parametrize("name", MALFORMED_CASES)
def test_malformed_golden(name: str, golden) -> None:  # type: ignore[no-untyped-def]
    golden.check_json(f"payments/malformed/{name}.json", _outcome(MALFORMED / name))


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("xml_bomb.xml", "unsafe_xml"),
        ("xxe.xml", "unsafe_xml"),
        ("truncated.xml", "malformed_xml"),
        ("wrong_namespace.xml", "wrong_namespace"),
        ("no_namespace.xml", "wrong_namespace"),
        ("wrong_body.xml", "wrong_namespace"),
        ("no_document.xml", "unsupported_message"),
        ("camt053_unsupported.xml", "unsupported_message"),
        ("deep_nesting.xml", "malformed_message"),
        ("binary.bin", "unknown_format"),
        ("empty.txt", "empty_message"),
        ("unknown_format.txt", "unknown_format"),
        ("mt103_truncated_block4.fin", "truncated_block"),
        ("mt103_truncated_block3.fin", "truncated_block"),
        ("mt101_unsupported.fin", "unsupported_message"),
        ("mt103_no_block2.fin", "malformed_mt"),
    ],
)
def test_malformed_raises_named_code(name: str, code: str) -> None:
    with pytest.raises(InvalidInput) as caught:
        _parse(MALFORMED / name)
    assert caught.value.code == code
    assert name in caught.value.message  # the error names the message


def test_rje_batch_keeps_good_messages_around_a_broken_one() -> None:
    items = _parse(MALFORMED / "rje_one_broken.rje")
    assert [type(i).__name__ for i in items] == ["PaymentMessage", "MessageError", "PaymentMessage"]
    broken = items[1]
    assert isinstance(broken, MessageError)
    assert broken.code == "truncated_block"
    assert broken.source == "rje_one_broken.rje#2"


def test_trailing_garbage_after_a_complete_message_is_a_warning() -> None:
    (message,) = _parse(MALFORMED / "mt103_trailing_garbage.fin")
    assert isinstance(message, PaymentMessage)
    assert message.warnings
    assert "GARBAGE" in message.warnings[0]


def test_pacs008_extracts_parties_agents_accounts_and_countries() -> None:
    (message,) = _parse(PAYMENTS / "pacs008_p211_AtoB.xml")
    assert isinstance(message, PaymentMessage)
    roles = {p.role: p for p in message.parties}
    assert roles["Dbtr"].name == "C Consumer"
    assert roles["Dbtr"].country == "GB"
    assert roles["Dbtr"].account == "12547896"
    assert roles["Cdtr"].name == "Evli"
    assert roles["Cdtr"].field == "CdtTrfTxInf.Cdtr"
    assert roles["IntrmyAgt1"].bic == "NDEAFIHHXXX"
    assert roles["IntrmyAgt1"].is_institution
    assert {"AppHdr.Fr", "AppHdr.To", "InstgAgt", "InstdAgt", "DbtrAgt", "CdtrAgt"} <= set(roles)
    assert ("CdtTrfTxInf.CdtrAgt.FinInstnId.BICFI", "FI", "bic") in {
        (c.field, c.value, c.kind) for c in message.countries
    }
    assert message.uetr == "8a562c67-ca16-48ba-b074-65581be6f001"
    assert message.amount == "15669.38"
    assert message.currency == "EUR"


def test_pacs009_cov_finds_the_underlying_customers() -> None:
    (message,) = _parse(PAYMENTS / "pacs009cov_p231a_AtoB.xml")
    assert isinstance(message, PaymentMessage)
    fields = {p.field for p in message.parties}
    assert any(f.startswith("CdtTrfTxInf.UndrlygCstmrCdtTrf.Dbtr") for f in fields)
    assert any(p.role == "Dbtr" and p.is_institution for p in message.parties)  # the FI debtor


def test_pain001_initiating_party_and_remittance() -> None:
    (message,) = _parse(PAYMENTS / "pain001_sample_2026.xml")
    assert isinstance(message, PaymentMessage)
    assert message.message_type.startswith("pain.001")
    assert any(p.role in {"InitgPty", "Dbtr"} for p in message.parties)


def test_mt103_fields_and_ack() -> None:
    items = _parse(PAYMENTS / "mt103_bulk_with_ack.rje")
    assert len(items) == 3
    first = items[0]
    assert isinstance(first, PaymentMessage)
    assert first.message_type == "MT103"
    assert first.message_id == "234234233"
    assert (first.amount, first.currency, first.value_date) == ("3700", "USD", "2019-04-25")
    debtor = next(p for p in first.parties if p.role == "Dbtr")
    assert debtor.field == ":50K:"
    assert debtor.account == "0000000000"
    assert debtor.address == ("NO. 62/64 FOO ROAD BENIN CITY", "EDO STATE")
    assert [(t.field, t.kind) for t in first.free_text] == [
        (":70:", "remittance"),
        (":72:", "sender_to_receiver"),
    ]
    assert any(p.role == "Sender" and p.bic == "BBBBUS33XXX" for p in first.parties)


def test_mt202_institutions_and_50f_structured_party() -> None:
    (mt202,) = _parse(PAYMENTS / "mt202_invented.fin")
    assert isinstance(mt202, PaymentMessage)
    roles = {p.role: p for p in mt202.parties}
    assert roles["Dbtr"].bic == "BANKGB2L"
    assert roles["Dbtr"].is_institution
    assert roles["Cdtr"].bic == "TESTAEADXXX"
    assert roles["Cdtr"].account == "DE89370400440532013000"
    assert roles["IntrmyAgt1"].bic == "TESTIRTH"
    (mt103,) = _parse(PAYMENTS / "mt103_invented_hits.fin")
    assert isinstance(mt103, PaymentMessage)
    debtor = next(p for p in mt103.parties if p.role == "Dbtr")
    assert (debtor.name, debtor.country) == ("AHMAD KHALIL HADDAD", "IR")


@pytest.mark.parametrize(
    ("raw", "normalised"),
    [
        ("DE89 3704 0044 0532 0130 00", "DE89370400440532013000"),
        ("testirthxxx", "TESTIRTH"),
        ("0xAbC0000000000000000000000000000000000001", "0xabc0000000000000000000000000000000000001"),
        ("1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2", "1BvBMSEYstWetqTFn5Au4m4GFg7xJaNVN2"),
    ],
)
def test_identifier_normalisation(raw: str, normalised: str) -> None:
    assert normalise_identifier(raw) == normalised
