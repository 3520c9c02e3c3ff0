"""The tokeniser keeps offsets into the original text, whatever invisible or decorating characters it holds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from raqib.text import Script, is_break, tokenise


def test_offsets_index_the_original_text_with_diacritics_tatweel_and_invisible_characters() -> None:
    text = "وقـــال الشَّيْخُ\u200f أَيْمَن الظو\u200cاهري\u200b، ISIS‎ و\u200dداعش"
    tokens = tokenise(text)
    assert [t.text for t in tokens] == [
        "وقـــال",
        "الشَّيْخُ",
        "أَيْمَن",
        "الظو\u200cاهري",
        "ISIS",
        "و\u200dداعش",
    ]
    for token in tokens:
        assert text[token.start : token.end] == token.text
    assert [t.norm for t in tokens] == ["وقال", "الشيخ", "ايمن", "الظواهري", "isis", "وداعش"]
    assert tokens[4].script is Script.LATIN
    assert tokens[0].script is Script.ARABIC
    # The reading without the conjunction starts after the joiner that followed it.
    daesh = tokens[5].readings[-1]
    assert daesh.norm == "داعش"
    assert text[daesh.start : tokens[5].end] == "داعش"


def test_clitic_readings_keep_the_whole_word_first() -> None:
    (token,) = tokenise("وبالظواهري")
    assert [(r.norm, r.clitics, r.article) for r in token.readings] == [
        ("وبالظواهري", (), False),
        ("بالظواهري", ("و",), False),
        ("الظواهري", ("و", "ب"), True),
    ]
    assert token.readings[-1].start == 2
    (elided,) = tokenise("للظواهري")
    assert elided.readings[-1].norm == "الظواهري"
    assert elided.readings[-1].start == 2
    # Names that begin with a clitic letter stay whole; two-letter remainders are not offered.
    for name in ("وليد", "بلال", "فيصل", "كمال"):
        assert tokenise(name)[0].readings[0].norm == name
    assert [r.norm for r in tokenise("بكر")[0].readings] == ["بكر"]


def test_apostrophes_and_hyphens_stay_in_the_phrase() -> None:
    tokens = tokenise("Abd al-Rahman bin 'Umayr al-Nu'aymi, then")
    assert [t.text for t in tokens] == ["Abd", "al", "Rahman", "bin", "Umayr", "al", "Nu'aymi", "then"]
    assert [is_break(t.gap) for t in tokens] == [False] * 7 + [True]


def test_breaks() -> None:
    assert not is_break(" ")
    assert not is_break("\n")
    assert is_break("\n\n")
    assert is_break("، ")
    assert is_break(' "')
    assert not is_break("\u200f ")


@given(
    st.text(
        alphabet=st.sampled_from(
            list("ابتثجحخدذرسشصضطظعغفقكلمنهويءأإآىةـًٌٍَُِّْ ,.-'\u200b\u200c\u200d\u200f\u202bAbZz0 \n")
        ),
        max_size=80,
    )
)
def test_every_token_is_a_slice_of_the_text(text: str) -> None:
    previous_end = 0
    for token in tokenise(text):
        assert text[token.start : token.end] == token.text
        assert token.start >= previous_end
        assert text[previous_end : token.start] == token.gap
        for reading in token.readings:
            assert token.start <= reading.start < token.end
        previous_end = token.end
