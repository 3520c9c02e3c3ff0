"""Decisions on the sample messages (goldens) and the policy rules one by one."""

from __future__ import annotations

import pytest
import yaml

from raqib.matching import DEFAULT_THRESHOLD
from raqib.payments import (
    Decision,
    IdentifierIndex,
    MessageError,
    PaymentMessage,
    PaymentScreener,
    load_jurisdictions,
    load_policy,
    parse_messages,
)
from raqib.payments.decision import prepare_free_text
from raqib.payments.model import FieldValue, Party
from tests.payments.conftest import PAYMENTS, WALLET, invented_entities

SAMPLES = sorted(p.name for p in PAYMENTS.iterdir() if p.is_file() and p.suffix in {".xml", ".fin", ".rje"})


def _decide(screener: PaymentScreener, name: str) -> list[Decision | MessageError]:
    return screener.screen_all(parse_messages((PAYMENTS / name).read_bytes(), name))


@pytest.mark.parametrize("name", SAMPLES)
def test_decision_golden(name: str, payment_screener: PaymentScreener, golden) -> None:  # type: ignore[no-untyped-def]
    results = _decide(payment_screener, name)
    golden.check_json(f"payments/decisions/{name}.json", [r.to_dict() for r in results])


def _kinds(decision: Decision) -> set[tuple[str, str, str]]:
    return {(r.action, r.kind, r.field) for r in decision.reasons}


def test_invented_pacs008_is_held_with_every_reason(payment_screener: PaymentScreener) -> None:
    (decision,) = _decide(payment_screener, "pacs008_invented_hits.xml")
    assert isinstance(decision, Decision)
    assert decision.hold
    kinds = _kinds(decision)
    assert ("hold", "party_name", "CdtTrfTxInf.Cdtr.Nm") in kinds
    assert ("hold", "identifier", "CdtTrfTxInf.CdtrAcct.Id.IBAN") in kinds  # IBAN listed with spaces
    assert ("review", "jurisdiction", "CdtTrfTxInf.Cdtr.PstlAdr.Ctry") in kinds  # Syria: FATF grey list
    assert ("review", "free_text_name", "CdtTrfTxInf.RmtInf.Ustrd") in kinds
    mention = next(r for r in decision.reasons if r.kind == "free_text_name")
    assert mention.hit["entity_id"] == "test:PER-1"
    assert mention.offsets is not None
    text = decision.message.free_text[0].value
    assert text[mention.offsets[0] : mention.offsets[1]] == mention.value
    for reason in decision.reasons:
        assert set(reason.to_dict()) >= {"field", "value", "kind", "hit", "score"}


def test_invented_mt103_embargo_wallet_and_review_country(payment_screener: PaymentScreener) -> None:
    (decision,) = _decide(payment_screener, "mt103_invented_hits.fin")
    assert isinstance(decision, Decision)
    assert decision.outcome == "hold"
    kinds = _kinds(decision)
    assert ("hold", "jurisdiction", ":50F:") in kinds  # 3/IR/TEHRAN: Iran is embargoed
    assert ("hold", "identifier", ":70:") in kinds  # the listed wallet in field 70
    assert ("hold", "party_name", ":50F:") in kinds
    assert ("review", "jurisdiction_text", ":59:") in kinds  # BEIRUT LEBANON in the address
    wallet = next(r for r in decision.reasons if r.kind == "identifier")
    assert wallet.value == WALLET
    assert wallet.hit["identifier_type"] == "crypto_wallet"


def test_mt202_listed_bic_holds(payment_screener: PaymentScreener) -> None:
    (decision,) = _decide(payment_screener, "mt202_invented.fin")
    assert isinstance(decision, Decision)
    assert decision.hold
    assert ("hold", "identifier", ":56A:") in _kinds(decision)
    assert ("hold", "jurisdiction", ":56A:") in _kinds(decision)  # the BIC's country is IR


def test_clean_sample_passes(payment_screener: PaymentScreener) -> None:
    (decision,) = _decide(payment_screener, "pacs008_p211_AtoB.xml")
    assert isinstance(decision, Decision)
    assert decision.outcome == "pass"
    assert not decision.hold


def test_review_band_between_threshold_minus_band_and_threshold() -> None:
    policy = load_policy()
    screener = PaymentScreener.from_entities(invented_entities())
    message = PaymentMessage(
        "iso20022", "pacs.008.001.08", parties=[Party("Cdtr", "Cdtr", name="Ahmad Haddad")]
    )
    decision = screener.screen(message)
    scores = [r.score for r in decision.reasons if r.kind == "party_name"]
    assert scores, "expected a near hit for a shortened name"
    for reason in decision.reasons:
        if reason.kind == "party_name":
            expected = "hold" if reason.score >= DEFAULT_THRESHOLD else "review"
            assert reason.action == expected
            assert reason.score >= DEFAULT_THRESHOLD - policy.review_band


def test_prepared_free_text_keeps_offsets() -> None:
    text = "/BNF/SETTLEMENT AL NOOR //TRADING straße, ahmad qa'ida isis"
    prepared = prepare_free_text(text, swift_mt=True)
    assert len(prepared) == len(text)
    assert prepared == "/BNF/SETTLEMENT AL NOOR   TRADING Straße  Ahmad Qa'ida Isis"
    assert prepare_free_text("//X") == "//X"  # continuation markers are an MT convention only
    assert prepare_free_text("1,999.00 ßa") == "1,999.00 ßa"  # no comma between digits; ß stays ß


def test_free_text_ignores_weak_matches(payment_screener: PaymentScreener) -> None:
    message = PaymentMessage(
        "swift_mt",
        "MT103",
        free_text=[FieldValue(":70:", "PAYMENT FOR TRADING SERVICES MARCH", "remittance")],
    )
    assert payment_screener.screen(message).outcome == "pass"


def test_identifier_index_only_indexes_policy_types() -> None:
    index = IdentifierIndex(invented_entities())
    assert index.lookup("SY00RAQIBTEST0000000001")
    assert index.lookup("TESTIRTH")
    assert index.lookup("testirthxxx")
    assert not index.lookup("TESTIRTH001")  # another branch is another BIC
    assert index.scan_text(f"pay to {WALLET} today")[0][1:] == (7, 7 + len(WALLET))


def test_jurisdiction_table_is_dated_and_consistent() -> None:
    table = load_jurisdictions()
    assert len(table.source) > 50
    assert table.version >= 1
    assert table.statement_date
    assert table.lookup("KP") is not None
    assert table.lookup("KP").action == "hold"
    assert table.lookup("IR").action == "hold"  # type: ignore[union-attr]
    assert table.lookup("MM").action == "review"  # type: ignore[union-attr]
    assert table.lookup("SY").action == "review"  # type: ignore[union-attr]
    assert table.lookup("GB") is None
    assert table.lookup("NG") is None
    codes = [j.code for j in table.jurisdictions]
    assert len(codes) == len(set(codes))


def test_data_files_have_source_and_version_headers() -> None:
    from importlib import resources

    # The jurisdiction table is the payment view of the shared data/jurisdictions.yml.
    for name in ("jurisdictions.yml", "payments/policy.yml"):
        text = (resources.files("raqib") / "data" / name).read_text(encoding="utf-8")
        data = yaml.safe_load(text)
        assert text.startswith("source:")
        assert "version" in data
