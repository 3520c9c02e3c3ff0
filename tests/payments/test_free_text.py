"""Free text of payments screened through raqib.text, against the real UN list of 2017-07-03.

The list extract is the one the text tests use (``tests/data/lists/un_full``): Ayman al-Zawahiri is
``un_sc:QDi.006`` and the ISIL entry the curated aliases point at is ``un_sc:QDe.115`` (AL-QAIDA IN IRAQ).
"""

from __future__ import annotations

from typing import Literal

import pytest

from raqib.lists import parse_list
from raqib.payments import (
    Decision,
    FieldValue,
    IdentifierIndex,
    PaymentMessage,
    PaymentScreener,
    Policy,
    load_policy,
    parse_messages,
)
from raqib.payments.decision import prepare_free_text, scan_free_text
from raqib.screening import Screener
from raqib.text import MAX_TEXT_CHARS, TextScreener
from tests.conftest import DATA

UN_2017 = DATA / "lists" / "un_full" / "un_consolidated_2017-07-03.xml.gz"
ZAWAHIRI = "un_sc:QDi.006"
ISIL = "un_sc:QDe.115"
Format = Literal["iso20022", "swift_mt"]

MT103 = """{{1:F01BANKGB2LAXXX0000000000}}{{2:O1031200240315BANKDEFFAXXX00000000002403151200N}}{{4:
:20:FREETEXT0001
:23B:CRED
:32A:240315EUR9800,50
:50K:/GB29NWBK60161331926819
JOHN SMITH
:59:/DE89370400440532013000
MARIA SCHNEIDER
{fields}
:71A:SHA
-}}"""


@pytest.fixture(scope="module")
def un_payments() -> PaymentScreener:
    entities = parse_list(UN_2017).entities
    return PaymentScreener(Screener(entities), IdentifierIndex(entities))


def _remittance(screener: PaymentScreener, text: str, fmt: Format = "iso20022") -> Decision:
    field = "CdtTrfTxInf.RmtInf.Ustrd" if fmt == "iso20022" else ":70:"
    message = PaymentMessage(fmt, "pacs.008.001.08" if fmt == "iso20022" else "MT103")
    message.free_text.append(FieldValue(field, text, "remittance"))
    return screener.screen(message)


def _mt103(screener: PaymentScreener, fields: str) -> Decision:
    (message,) = parse_messages(MT103.format(fields=fields).replace("\n", "\r\n").encode(), "test.fin")
    assert isinstance(message, PaymentMessage)
    return screener.screen(message)


def _free_text_reasons(decision: Decision) -> list[tuple[str, str, str, str]]:
    return [
        (r.kind, r.field, r.value, r.hit["entity_id"])
        for r in decision.reasons
        if r.kind.startswith("free_text")
    ]


@pytest.mark.parametrize(
    ("text", "fmt"),
    [("Donation for ISIS fighters", "iso20022"), ("DONATION FOR ISIS FIGHTERS", "swift_mt")],
)
def test_org_alias_in_remittance_is_a_review_naming_isil(
    un_payments: PaymentScreener, text: str, fmt: Format
) -> None:
    decision = _remittance(un_payments, text, fmt)
    assert decision.outcome == "review"  # the policy's free_text_action, aliases included
    (reason,) = [r for r in decision.reasons if r.kind == "free_text_alias"]
    assert reason.action == "review"
    assert reason.hit["entity_id"] == ISIL
    assert reason.hit["mention"] == "org_alias"
    assert reason.value == "ISIS"
    assert reason.offsets == (13, 17)
    assert reason.score == 1.0
    assert "curated alias 'ISIS'" in reason.detail


def test_lower_case_isis_is_not_the_acronym(un_payments: PaymentScreener) -> None:
    # The curated acronym is case-sensitive (Isis is also a given name and a goddess); raising each
    # word's first letter for lower-case remittances does not make "isis" ISIS.
    assert _free_text_reasons(_remittance(un_payments, "donation for isis temple")) == []


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("تبرع وبالظواهري", "الظواهري"),  # conjunction + preposition joined to the family name alone
        ("حوالة لأيمن الظواهري", "أيمن الظواهري"),  # preposition joined to the given name
        ("مساعدة للشيخ أيمن الظواهري", "شيخ أيمن الظواهري"),  # as `raqib text screen` reads it
    ],
)
def test_arabic_remittance_with_clitic_attached_listed_name(
    un_payments: PaymentScreener, text: str, value: str
) -> None:
    decision = _remittance(un_payments, text)
    assert decision.outcome == "review"
    (reason,) = [r for r in decision.reasons if r.kind == "free_text_name"]
    assert reason.hit["entity_id"] == ZAWAHIRI
    assert reason.value == value
    assert reason.offsets is not None
    assert text[reason.offsets[0] : reason.offsets[1]] == value


@pytest.mark.parametrize(
    "fields",
    [
        ":70:/ROC/INV 4411 PAYMENT FOR AYMAN MUHAMMED\nRABI AL-ZAWAHIRI",  # a plain line break
        ":72:/BNF/AYMAN MUHAMMED RABI\n//AL-ZAWAHIRI",  # a field 72 continuation line
        ":70:/RFB/AL-ZAWAHIRI,\nAYMAN",  # surname first, split after the comma
    ],
)
def test_name_split_across_an_mt_line_break(un_payments: PaymentScreener, fields: str) -> None:
    decision = _mt103(un_payments, fields)
    reasons = _free_text_reasons(decision)
    assert [(kind, entity) for kind, _, _, entity in reasons] == [("free_text_name", ZAWAHIRI)]
    (reason,) = [r for r in decision.reasons if r.kind == "free_text_name"]
    text = decision.message.free_text[0].value
    assert reason.offsets is not None
    assert text[reason.offsets[0] : reason.offsets[1]] == reason.value
    assert "ZAWAHIRI" in reason.value
    assert "AYMAN" in reason.value


def test_a_code_line_still_ends_the_name(payment_screener: PaymentScreener) -> None:
    # "//" continues the item; "/INS/" starts another one, so the words either side are not one name.
    joined = _mt103(payment_screener, ":72:/BNF/PAYMENT AHMAD KHALIL\n//HADDAD TRADING")
    assert [entity for *_, entity in _free_text_reasons(joined)] == ["test:PER-1"]
    split = _mt103(payment_screener, ":72:/BNF/PAYMENT AHMAD KHALIL\n/INS/HADDAD TRADING")
    assert _free_text_reasons(split) == []


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ("SCHOOL FEES FOR MOHAMMED ALI AHMED HASSAN", "swift_mt"),
        ("salary march abdullah mohammed", "iso20022"),
        ("رسوم مدرسية للطالب محمد علي أحمد", "iso20022"),
        ("قسط شهر مارس أيمن حسن", "iso20022"),  # shares the common given name of al-Zawahiri only
        ("PAYMENT FOR CONSULTING MARCH", "swift_mt"),
    ],
)
def test_common_names_only_never_alert(un_payments: PaymentScreener, text: str, fmt: Format) -> None:
    decision = _remittance(un_payments, text, fmt)
    assert _free_text_reasons(decision) == []
    assert decision.outcome == "pass"


def test_lower_case_remittance_is_screened_case_blind(un_payments: PaymentScreener) -> None:
    lower = _free_text_reasons(_remittance(un_payments, "gift to ayman al-zawahiri"))
    upper = _free_text_reasons(_remittance(un_payments, "GIFT TO AYMAN AL-ZAWAHIRI"))
    assert lower == [("free_text_name", "CdtTrfTxInf.RmtInf.Ustrd", "ayman al-zawahiri", ZAWAHIRI)]
    assert upper == [("free_text_name", "CdtTrfTxInf.RmtInf.Ustrd", "AYMAN AL-ZAWAHIRI", ZAWAHIRI)]


def test_same_mentions_as_the_text_screener(un_payments: PaymentScreener) -> None:
    """The payments adapter (span searches narrowed to mentions, caches) finds what raqib.text finds."""
    plain = TextScreener(un_payments.screener, policy=un_payments.text_screener.policy)
    texts = [
        "Donation for ISIS fighters and Daesh families",
        "PAYMENT FOR AYMAN MUHAMMED RABI AL-ZAWAHIRI REF 42",
        "تبرع وبالظواهري ولداعش",
        "قال الشيخ أيمن الظواهري إن القاعدة الجوية",
        "SUPPORT TO JAMA'AT NUSRAT AL-ISLAM WAL-MUSLIMIN AND ABU MOHAMMED AL-JAWLANI",
        "INVOICE 42 FOR MOHAMMED ALI, AHMED HASSAN AND AL-BAGHDADI",
        "Transfer to Harakat Al-Shabaab Al-Mujaahidiin via Hawala",
    ]
    named = 0
    for text in texts:
        best: dict[str, tuple[int, int, str, float]] = {}
        for m in plain.screen(prepare_free_text(text)).mentions:  # payments keep each entity's best
            if m.entity_id not in best or round(m.score, 4) > best[m.entity_id][3]:
                best[m.entity_id] = (m.start, m.end, m.entity_id, round(m.score, 4))
        found = {
            (m.start, m.end, m.entity_id, round(m.score, 4))
            for m in scan_free_text(un_payments.text_screener, text)
        }
        assert found == set(best.values()), text
        named += bool(found)
    assert named == len(texts) - 1  # al-Baghdadi alone is not the only distinctive part of his name


def test_long_free_text_is_screened_in_pieces(un_payments: PaymentScreener) -> None:
    text = "." * (MAX_TEXT_CHARS + 10) + " PAYMENT FOR AYMAN AL-ZAWAHIRI"
    (mention,) = scan_free_text(un_payments.text_screener, text)
    assert mention.entity_id == ZAWAHIRI
    assert text[mention.start : mention.end] == mention.text == "AYMAN AL-ZAWAHIRI"


def test_free_text_threshold_is_the_span_threshold(un_payments: PaymentScreener) -> None:
    assert un_payments.text_screener.policy.span_threshold == un_payments.free_text_threshold
    strict = PaymentScreener(un_payments.screener, un_payments.identifiers, threshold=0.9)
    assert strict.text_screener.policy.span_threshold == strict.free_text_threshold == 1.0


def test_policy_file_of_version_1_still_loads() -> None:
    current = load_policy()
    old = {**current.model_dump(), "version": 1, "free_text_window_min": 2, "free_text_window_max": 4}
    loaded = Policy.model_validate(old)
    assert loaded.version == 1
    assert loaded.free_text_margin == current.free_text_margin
    assert not hasattr(loaded, "free_text_window_min")
