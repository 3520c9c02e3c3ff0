"""Normalisation: one canonical, comparable form of a name in any script.

The steps, in order, and why:

1. Unicode NFKC folds compatibility forms (Arabic presentation forms such as the ﻻ ligature,
   full-width Latin, ligatures) to ordinary letters.
2. Invisible characters are removed: format controls (category Cf: zero-width space/joiner/non-joiner,
   bidi marks and embeddings, the Arabic letter mark, soft hyphen, BOM), other control characters and
   variation selectors. They change nothing a reader sees and are a known evasion trick.
3. Look-alike Cyrillic and Greek letters inside Latin words are mapped to Latin (``Оsama`` with a
   Cyrillic О), per the homoglyph data file.
4. Letters are case-folded and their diacritics dropped (é → e, Arabic harakat, shadda, superscript
   alef), then Arabic letter variants are folded (أ إ آ ٱ → ا, ى → ي, ة → ه, ؤ → و, ئ → ي, Persian
   ی ک → ي ك), tatweel is removed and Eastern digits become ASCII digits.
5. Marks that sit *inside* a word (apostrophe, ayn/hamza marks ʿ ʾ, full stop, middle dot) are removed
   so ``Ja'far`` and ``O.sama`` become one word; every other punctuation or symbol separates words.
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from collections.abc import Callable

from raqib.names import _resources

# Joined inside a word rather than splitting it: apostrophes, ayn/hamza modifier letters, full stop,
# middle dot, backtick. Explicit so the rule is easy to read and test.
_JOINERS = frozenset("'’‘`´ʼʻʿʾ.·・")


@functools.cache
def _tables() -> tuple[dict[int, str], dict[int, str]]:
    arabic = _resources.arabic_script()
    folding: dict[int, str] = {ord(src): dst for src, dst in arabic.letter_folding.items()}
    for index, digit in enumerate(arabic.digits):
        folding[ord(digit)] = str(index % 10)
    homoglyph = {ord(src): dst for src, dst in _resources.homoglyphs().homoglyphs.items()}
    return folding, homoglyph


# Latin letters whose diacritic changes the sound in a way romanisations of Arabic and Slavic names
# spell out with two letters (Čolaković = Cholakovich = تشولاكوفيتش). Applied before diacritics are dropped.
_SPELLED_OUT = str.maketrans(
    {"č": "ch", "ć": "ch", "š": "sh", "ş": "sh", "ș": "sh", "ž": "zh", "đ": "dj", "ł": "l"}
)

_LATIN_LETTER = re.compile(r"[a-zA-Z]")
# A full stop or middle dot touching an Arabic letter separates words: Arabic names have no abbreviations,
# and dots between the words are an evasion pattern (عدي.صدام.حسين).
_ARABIC_DOT = re.compile(r"(?<=[\u0600-\u06FF\u0750-\u077F])[.·・]|[.·・](?=[\u0600-\u06FF\u0750-\u077F])")
# Arabic words linked by marks with no space (dots, hyphens, underscores): Arabic script writes no
# hyphenated names and no abbreviations, so each link is either an evasion mark inserted *inside* a word
# (عص.ام, السامرا.ئي, الق-بيسي) or one put *between* words instead of a space (عدي.صدام.حسين).
_ARABIC_RUN = "[\u0600-\u06ff\u0750-\u077f]+"
_MARKED_ARABIC = re.compile(f"{_ARABIC_RUN}(?:[.·・_\\-‐‑–—]+{_ARABIC_RUN})+")
_LINK = re.compile("[.·・_\\-‐‑–—]+")
# A piece of at most this many letters is part of a word, not a word: linked to its neighbour it is joined.
_PIECE_LETTERS = 2


def _letter_count(piece: str) -> int:
    return sum(1 for char in piece if unicodedata.category(char) == "Lo")


def _unlink(match: re.Match[str]) -> str:
    """Decide each mark between Arabic pieces: a short piece (at most two letters: a name is longer) is
    joined to its neighbour, as the mark was put inside a word; between longer pieces it is a space.

    A name written with a mark between every word (سامي_بن_خميس, نور-الدين-بن-علي) keeps them all as
    spaces: three pieces or more, none of one letter, read as words even where one is short (بن، في، طه).
    """
    pieces = _LINK.split(match.group())
    letters = [_letter_count(piece) for piece in pieces]
    if len(pieces) >= 3 and min(letters) >= _PIECE_LETTERS:
        return " ".join(pieces)
    words = [pieces[0]]
    for piece, (before, after) in zip(pieces[1:], itertools.pairwise(letters), strict=True):
        if min(before, after) <= _PIECE_LETTERS:
            words[-1] += piece
        else:
            words.append(piece)
    return " ".join(words)


def _fold_homoglyphs(word: str, homoglyph: dict[int, str]) -> str:
    """Map look-alike letters to Latin only where every letter of the word is Latin or a look-alike."""
    if not any(ord(char) in homoglyph for char in word):
        return word
    for char in word:
        if char.isalpha() and ord(char) not in homoglyph and _LATIN_LETTER.match(char) is None:
            return word  # a genuine Cyrillic/Greek word: leave it to transliteration
    return word.translate(homoglyph)


def _is_invisible(char: str) -> bool:
    category = unicodedata.category(char)
    if category in ("Cf", "Cc", "Cs", "Co", "Cn"):
        return not char.isspace()
    # Variation selectors and combining grapheme joiner are marks with no visible form of their own.
    return 0xFE00 <= ord(char) <= 0xFE0F or ord(char) == 0x034F


class _LazyTable(dict[int, "int | str | None"]):
    """A ``str.translate`` table whose entries are computed on first sight of a character.

    Every rule of a pass that depends on one character alone is a table look-up done in C; a
    character's entry is worked out once per process (names use a few hundred distinct characters).
    """

    def __init__(self, rule: Callable[[str], str | None]) -> None:
        super().__init__()
        self._rule = rule

    def __missing__(self, code: int) -> int | str | None:
        char = chr(code)
        result = self._rule(char)
        value: int | str | None = code if result == char else result
        self[code] = value
        return value


def _visible(char: str) -> str | None:
    return None if _is_invisible(char) else char


def _letter_or_space(char: str) -> str:
    """Marks (diacritics, harakat, shadda, superscript alef) and in-word joiners go; letters and digits
    stay; any other character separates words."""
    category = unicodedata.category(char)
    if category.startswith("M") or char in _JOINERS:
        return ""
    return char if category[0] in "LN" else " "


_DROP_INVISIBLE = _LazyTable(_visible)
_LETTERS_ONLY = _LazyTable(_letter_or_space)


@functools.cache
def _homoglyph_pattern() -> re.Pattern[str]:
    _, homoglyph = _tables()
    return re.compile("[" + "".join(re.escape(chr(code)) for code in sorted(homoglyph)) + "]")


@functools.cache
def _fixed_point() -> re.Pattern[str]:
    """Strings a pass leaves unchanged: single spaces between words of ASCII lower-case letters and
    digits and of Arabic letters that are already folded (checked one by one with the pass itself).
    None of them has a decomposition or composes with a neighbour, so a pass over such a string is
    the identity and :func:`normalise` can skip its confirming second pass."""
    arabic = "".join(
        chr(code)
        for code in range(0x0621, 0x064B)
        if unicodedata.category(chr(code)) == "Lo"
        and not unicodedata.decomposition(chr(code))
        and _one_pass(chr(code)) == chr(code)
    )
    word = f"[a-z0-9{arabic}]+"
    return re.compile(f"(?:{word}(?: {word})*)?")


def _one_pass(text: str) -> str:
    folding, homoglyph = _tables()
    text = unicodedata.normalize("NFKC", text).translate(_DROP_INVISIBLE)
    text = _ARABIC_DOT.sub(" ", _MARKED_ARABIC.sub(_unlink, text))
    if _homoglyph_pattern().search(text) is None:
        text = " ".join(text.split())
    else:
        text = " ".join(_fold_homoglyphs(word, homoglyph) for word in text.split())
    text = unicodedata.normalize(
        "NFKD", unicodedata.normalize("NFC", text.casefold()).translate(_SPELLED_OUT)
    )
    text = unicodedata.normalize("NFC", text.translate(_LETTERS_ONLY)).translate(folding)
    return " ".join(text.split())


def normalise(text: str) -> str:
    """Return the canonical form of a name used for matching.

    Lower-case, no diacritics, no invisible characters, Arabic letter variants folded, punctuation
    turned into single spaces. The result contains only letters, digits and single spaces, and
    ``normalise(normalise(x)) == normalise(x)`` for every string.

    Args:
        text: A name in any script, as written by a person or a list.

    Returns:
        The normalised name (possibly empty).

    Example:
        >>> normalise("  الشَّيْخ  أسامة ‏بن لادن ")
        'الشيخ اسامه بن لادن'
    """
    once = _one_pass(text)
    if _fixed_point().fullmatch(once) is not None:
        return once
    # Case folding and NFC recomposition can, for a few exotic characters, produce a form that one more
    # pass changes again; a second pass reaches the fixed point (checked by a hypothesis property).
    twice = _one_pass(once)
    return twice if twice == once else _one_pass(twice)
