from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from raqib.names import normalise
from tests.names._cases import load_cases

INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\u200e",
    "\u200f",
    "\u202a",
    "\u202b",
    "\u202c",
    "\u202d",
    "\u202e",
    "\u2066",
    "\u2067",
    "\u2068",
    "\u2069",
    "\u061c",
    "\ufeff",
    "\u00ad",
    "\u2060",
]


@pytest.mark.parametrize(("query", "candidate", "expected"), load_cases("normalise.csv"))
def test_normalise_cases(query: str, candidate: str, expected: str) -> None:
    assert expected == "equal"
    assert normalise(query) == normalise(candidate)


@given(st.text())
def test_normalise_is_idempotent_and_total(text: str) -> None:
    once = normalise(text)
    assert normalise(once) == once


@given(st.text(alphabet=st.characters(codec="utf-8")))
def test_output_is_letters_digits_and_single_spaces(text: str) -> None:
    result = normalise(text)
    assert "  " not in result
    assert result == result.strip()
    for char in result:
        assert char == " " or unicodedata.category(char)[0] in "LN"


@given(st.text(alphabet="abcأسامةمحمد "), st.lists(st.sampled_from(INVISIBLE), min_size=1), st.randoms())
def test_invisible_characters_are_stripped(text: str, invisible: list[str], random: object) -> None:
    chars = list(text)
    for mark in invisible:
        chars.insert(random.randint(0, len(chars)), mark)  # type: ignore[attr-defined]
    assert normalise("".join(chars)) == normalise(text)


@given(st.text(alphabet="abcdefghijklmnopqrstuvwxyz ABCXYZ"))
def test_latin_input_stays_ascii(text: str) -> None:
    assert normalise(text).isascii()


@given(st.text(alphabet="ابتثجحخدذرزسشصضطظعغفقكلمنهوي أإآةىؤئ ًٌٍَُِّْـ"))
def test_arabic_input_stays_arabic(text: str) -> None:
    result = normalise(text)
    assert all(char == " " or "\u0621" <= char <= "\u064a" for char in result)
    assert not any(char in result for char in "أإآةىؤئـ")
