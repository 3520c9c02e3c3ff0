"""The fast normalise / transliterate give byte-identical output to the implementations they replaced.

The previous implementations (per-character Python loops) are kept below, verbatim apart from names, and
run over real names (UN 2017 and OFAC 2021 extracts, the name-case CSVs, the Arabic and English texts)
and over arbitrary Unicode (hypothesis). They read the same packaged tables as the new code, so a change
to the data files changes both sides alike.
"""

from __future__ import annotations

import csv
import functools
import itertools
import re
import unicodedata
from pathlib import Path

from anyascii import anyascii
from hypothesis import given, settings
from hypothesis import strategies as st

from raqib.lists import parse_list
from raqib.names import _resources, normalise, skeleton_keys, vowel_shapes
from raqib.names.normalise import _MARKED_ARABIC, _one_pass, _unlink
from raqib.names.transliterate import (
    _arabic_chunks,
    _combine,
    _latin_chunks,
    _split_script_runs,
    is_arabic,
)

TESTS = Path(__file__).resolve().parent.parent
LIST_EXTRACTS = [
    TESTS / "data" / "lists" / "un_full" / "un_consolidated_2017-06-30.xml.gz",
    TESTS / "data" / "lists" / "ofac" / "sdn_2021-07",
]


# -- the previous normalise ------------------------------------------------------------------------------

_OLD_JOINERS = frozenset("'’‘`´ʼʻʿʾ.·・")
_OLD_SPELLED_OUT = str.maketrans(
    {"č": "ch", "ć": "ch", "š": "sh", "ş": "sh", "ș": "sh", "ž": "zh", "đ": "dj", "ł": "l"}
)
_OLD_LATIN_LETTER = re.compile(r"[a-zA-Z]")
_OLD_ARABIC_DOT = re.compile(
    r"(?<=[\u0600-\u06FF\u0750-\u077F])[.·・]|[.·・](?=[\u0600-\u06FF\u0750-\u077F])"
)


@functools.cache
def _old_tables() -> tuple[dict[int, str], dict[int, str]]:
    arabic = _resources.arabic_script()
    folding: dict[int, str] = {ord(src): dst for src, dst in arabic.letter_folding.items()}
    for index, digit in enumerate(arabic.digits):
        folding[ord(digit)] = str(index % 10)
    homoglyph = {ord(src): dst for src, dst in _resources.homoglyphs().homoglyphs.items()}
    return folding, homoglyph


def _old_fold_homoglyphs(word: str, homoglyph: dict[int, str]) -> str:
    if not any(ord(char) in homoglyph for char in word):
        return word
    for char in word:
        if char.isalpha() and ord(char) not in homoglyph and _OLD_LATIN_LETTER.match(char) is None:
            return word
    return word.translate(homoglyph)


def _old_is_invisible(char: str) -> bool:
    category = unicodedata.category(char)
    if category in ("Cf", "Cc", "Cs", "Co", "Cn"):
        return not char.isspace()
    return 0xFE00 <= ord(char) <= 0xFE0F or ord(char) == 0x034F


def _old_one_pass(text: str) -> str:
    folding, homoglyph = _old_tables()
    text = unicodedata.normalize("NFKC", text)
    text = "".join(char for char in text if not _old_is_invisible(char))
    # Added after the rewrite, to both sides alike: marks linking Arabic pieces (عص.ام) are decided per link.
    text = _OLD_ARABIC_DOT.sub(" ", _MARKED_ARABIC.sub(_unlink, text))
    text = " ".join(_old_fold_homoglyphs(word, homoglyph) for word in text.split())
    text = unicodedata.normalize(
        "NFKD", unicodedata.normalize("NFC", text.casefold()).translate(_OLD_SPELLED_OUT)
    )
    kept: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category.startswith("M"):
            continue
        if char in _OLD_JOINERS:
            continue
        if category[0] in "LN":
            kept.append(char)
        else:
            kept.append(" ")
    text = unicodedata.normalize("NFC", "".join(kept)).translate(folding)
    return " ".join(text.split())


def old_normalise(text: str) -> str:
    once = _old_one_pass(text)
    twice = _old_one_pass(once)
    return twice if twice == once else _old_one_pass(twice)


# -- the previous transliterate helpers --------------------------------------------------------------------

_OLD_LATIN_VOWELS = frozenset("aeiouy")
_OLD_LATIN_VOWEL_SYMBOLS = {"a": "a", "e": "e", "i": "i", "y": "i", "o": "u", "u": "u", "w": "u"}


def old_is_arabic(text: str) -> bool:
    return any(0x0600 <= ord(char) <= 0x06FF or 0x0750 <= ord(char) <= 0x077F for char in text)


def _old_is_arabic_char(char: str) -> bool:
    return 0x0600 <= ord(char) <= 0x06FF or 0x0750 <= ord(char) <= 0x077F


def old_split_script_runs(word: str) -> list[str]:
    return ["".join(group) for _, group in itertools.groupby(word, key=_old_is_arabic_char)]


def _old_is_slavic_w(word: str, position: int) -> bool:
    after = word[position + 1 : position + 2]
    return (
        position > 0
        and word[position - 1] in _OLD_LATIN_VOWELS
        and after != ""
        and after not in _OLD_LATIN_VOWELS
    )


def old_latin_chunks(word: str) -> list[tuple[str, ...]]:
    table = _resources.phonetic().latin
    graphemes = tuple(sorted(((g, tuple(c)) for g, c in table.items()), key=lambda item: -len(item[0])))
    chunks: list[tuple[str, ...]] = []
    position = 0
    while position < len(word):
        for grapheme, classes in graphemes:
            if word.startswith(grapheme, position):
                if grapheme == "h" and position == len(word) - 1 and position > 0:
                    classes = ("", "H") if word[position - 1] in _OLD_LATIN_VOWELS else classes
                elif grapheme == "w" and _old_is_slavic_w(word, position):
                    classes = ("u", "F")
                elif grapheme == "c" and word[position + 1 : position + 2] in ("e", "i", "y"):
                    classes = ("S",)
                elif classes == ("",) and grapheme in _OLD_LATIN_VOWEL_SYMBOLS:
                    classes = (_OLD_LATIN_VOWEL_SYMBOLS[grapheme],)
                chunks.append(classes)
                position += len(grapheme)
                break
        else:
            chunks.append(("",))
            position += 1
    return chunks


# -- real names --------------------------------------------------------------------------------------------


@functools.cache
def real_names() -> tuple[str, ...]:
    names: list[str] = []
    for path in LIST_EXTRACTS:
        for entity in parse_list(path).entities:
            names += [name.full for name in entity.names]
    case_files = [
        *sorted((TESTS / "names" / "cases").glob("*.csv")),
        TESTS / "matching" / "cases" / "names.csv",
    ]
    case_files.append(TESTS / "data" / "matching" / "un_individuals_2026_extract.csv")
    for case_file in case_files:
        with case_file.open(encoding="utf-8", newline="") as handle:
            for row in csv.reader(handle):
                names += [cell for cell in row if cell]
    for text_file in sorted((TESTS / "data" / "text").glob("*.txt")):
        names += [line for line in text_file.read_text(encoding="utf-8").splitlines() if line.strip()]
    return tuple(dict.fromkeys(names))


def real_words() -> list[str]:
    return list(dict.fromkeys(word for name in real_names() for word in old_normalise(name).split()))


def test_corpus_is_large_and_mixed() -> None:
    names = real_names()
    assert len(names) > 4000
    assert sum(old_is_arabic(name) for name in names) > 400


def test_normalise_equals_previous_on_real_names() -> None:
    for name in real_names():
        assert normalise(name) == old_normalise(name), name
        assert _one_pass(name) == _old_one_pass(name), name


def test_word_functions_equal_previous_on_real_words() -> None:
    words = real_words()
    assert len(words) > 3000
    for word in words:
        assert is_arabic(word) == old_is_arabic(word), word
        assert _split_script_runs(word) == old_split_script_runs(word), word
        latin = anyascii(word).lower()
        assert _latin_chunks(latin) == old_latin_chunks(latin), word


unicode_text = st.text(
    alphabet=st.characters(codec=None, exclude_categories=()),  # every code point, surrogates included
    max_size=40,
)
name_like = st.text(
    alphabet=st.sampled_from(
        list("abcdefghijklmnopqrstuvwxyzABCÇČŠŽĐéü'’.·- ,")
        + list("ابتثجحخدذرسشصضطظعغفقكلمنهويءآأإؤئىةـًٌٍَُِّْٰ٠١٩")
        + ["\u200b", "\u200d", "\u200f", "\ufeff", "\u00ad", "\ufe0f", "\u034f", "о", "а", "Α", "ی", "ک"]
    ),
    max_size=30,
)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(unicode_text, name_like))
def test_normalise_equals_previous_on_any_text(text: str) -> None:
    assert _one_pass(text) == _old_one_pass(text)
    assert normalise(text) == old_normalise(text)


@settings(max_examples=1500, deadline=None)
@given(st.one_of(unicode_text, name_like))
def test_word_functions_equal_previous_on_any_text(text: str) -> None:
    assert is_arabic(text) == old_is_arabic(text)
    assert _split_script_runs(text) == old_split_script_runs(text)
    latin = anyascii(text).lower()
    assert _latin_chunks(latin) == old_latin_chunks(latin)


def _old_chunks(word: str) -> list[tuple[str, ...]]:
    if not old_is_arabic(word):
        return old_latin_chunks(anyascii(word).lower())
    chunks: list[tuple[str, ...]] = []
    for run in old_split_script_runs(word):
        chunks.extend(_arabic_chunks(run) if old_is_arabic(run) else old_latin_chunks(anyascii(run).lower()))
    return chunks


def test_keys_and_shapes_equal_previous_on_real_words() -> None:
    """The public word functions, rebuilt from the previous helpers (the unchanged ``_combine`` and
    ``_arabic_chunks`` included), on every word of the corpus."""
    for word in real_words():
        chunks = _old_chunks(word)
        assert skeleton_keys(word) == _combine(chunks), word
        assert vowel_shapes(word) == _combine(chunks, vowels=True), word
