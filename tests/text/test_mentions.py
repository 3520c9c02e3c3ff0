"""Mentions in real and written texts: goldens, the news file, offsets, guards and errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from raqib.errors import InvalidInput
from raqib.screening import Screener
from raqib.text import MentionPolicy, TextScreener
from tests.text.conftest import TEXTS

WRITTEN = sorted(path for path in TEXTS.glob("*.txt"))


# The goldens pin what the text layer decides (which spans, which entities, alert or weak, and the
# guard's reason); engine scores and explanations are left out because the matching engine evolves on
# its own and has its own goldens.
GOLDEN_FIELDS = ("start", "end", "text", "entity_id", "type", "kind", "title")


def _summary(text: str, screener: TextScreener) -> dict[str, object]:
    result = screener.screen(text).to_dict()
    summary: dict[str, object] = {"lang": result["lang"], "direction": result["direction"]}
    for key in ("mentions", "weak_mentions"):
        rows = []
        for mention in result[key]:
            assert text[mention["start"] : mention["end"]] == mention["text"]
            row = {field: mention[field] for field in GOLDEN_FIELDS}
            if mention["kind"] == "name":
                row["guard"] = mention["explanation"].split("Text guard: ", 1)[1]
            rows.append(row)
        summary[key] = rows
    return summary


@pytest.mark.parametrize("path", WRITTEN, ids=lambda p: p.stem)
def test_golden(path: Path, text_screener: TextScreener, golden) -> None:  # type: ignore[no-untyped-def]
    golden.check_json(f"text/{path.stem}.json", _summary(path.read_text(encoding="utf-8"), text_screener))


def test_news_file_names_no_listed_person_and_refers_to_isil(text_screener: TextScreener) -> None:
    text = (TEXTS / "news_ar_qatar_us_ct_dialogue.txt").read_text(encoding="utf-8")
    result = text_screener.screen(text)
    assert [m for m in result.mentions if m.type == "person"] == []
    assert [(m.text, m.entity_id, m.kind.value) for m in result.mentions] == [
        ("داعش", "un_sc:QDe.115", "org_alias")
    ]
    assert result.lang == "ar"
    assert result.direction == "rtl"
    # قاعدة العديد الجوية (Al Udeid air base) is not al-Qaida.
    assert all(m.entity_id != "un_sc:QDe.004" for m in result.mentions)


def test_title_clitics_and_lone_family_name(text_screener: TextScreener) -> None:
    text = "وقال الشيخ أيمن الظواهري إن ... وأشار بيان منسوب للظواهري"
    mentions = text_screener.screen(text).mentions
    assert [(m.text, m.title, m.entity_id) for m in mentions] == [
        ("أيمن الظواهري", "الشيخ", "un_sc:QDi.006"),
        ("ظواهري", None, "un_sc:QDi.006"),
    ]


def test_one_shared_word_never_alerts(text_screener: TextScreener) -> None:
    for text in ("محمد الظواهري", "Ahmed Khalifa", "الأمير خليفة", "Mohammed Ali", "هزيمة", "وأن الأنصاري"):
        result = text_screener.screen(text)
        assert result.mentions == (), text
    weak = text_screener.screen("استقبل محمد الظواهري الوفد").weak_mentions
    assert [(m.text, m.entity_id) for m in weak] == [("الظواهري", "un_sc:QDi.006")]


def test_policy_is_data_with_reasons() -> None:
    policy = MentionPolicy.packaged()
    assert set(policy.reasons) == set(policy.to_dict())
    assert all(len(reason) > 20 for reason in policy.reasons.values())
    assert policy.span_threshold > 0.7  # higher than the single-party screen
    stricter = policy.with_threshold(0.95)
    assert stricter.span_threshold == 0.95
    assert stricter.single_part_threshold < 0.95


def test_threshold_changes_the_verdict(text_screener: TextScreener) -> None:
    text = "وقال الشيخ أيمن الظواهري"
    assert text_screener.screen(text).mentions
    strict = text_screener.with_policy(MentionPolicy.packaged().with_threshold(0.99))
    assert strict.screen(text).mentions == ()


def test_aliases_only_for_loaded_lists() -> None:
    # A screener without the ISIL entry finds no ISIL mention (nothing to point at).
    empty = TextScreener(Screener([]))
    assert empty.screen("هزيمة داعش").mentions == ()


@pytest.mark.parametrize(("text", "lang"), [("", None), ("   ", None), ("x" * 200_001, None), ("داعش", "fr")])
def test_bad_input(text_screener: TextScreener, text: str, lang: str | None) -> None:
    with pytest.raises(InvalidInput):
        text_screener.screen(text, lang=lang)
