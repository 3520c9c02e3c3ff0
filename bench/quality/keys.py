"""Coarse comparison keys the benchmark uses to keep its negatives honest.

They decide whether a generated negative is "really someone else", so they are deliberately
*lossy*: two spellings that might be the same name get the same key, and a doubtful negative is
dropped rather than counted against a system. They are the benchmark's own and independent of the
engine's normaliser.
"""

from __future__ import annotations

import re
import unicodedata

from anyascii import anyascii

_ARABIC_MARKS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_FOLD = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ؤ": "و",
        "ئ": "ي",
        "ی": "ي",
        "ک": "ك",
        "ے": "ي",
    }
)
_ARABIC_CHAR = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_NON_LETTER = re.compile(r"[^a-z]")
_LATIN_ARTICLE = re.compile(r"^(?:al|el|ul)(?=[a-z]{3,})")
_LATIN_ABD = re.compile(r"^abd(?:ul|el|al|ol|ou|u|e)?")
_ARABIC_COMPOUND_ARTICLE = re.compile("^(عبد|ابو)ال")


def has_arabic(text: str) -> bool:
    """Whether the text contains any Arabic-script character."""
    return _ARABIC_CHAR.search(text) is not None


def arabic_key(token: str) -> str:
    """Fold an Arabic token: no marks or tatweel, one alef, ة→ه, ى→ي, hamza seats, Persian letters.

    The article ``ال`` is dropped so that a nisba with and without it share a key.
    """
    folded = _ARABIC_MARKS.sub("", unicodedata.normalize("NFKC", token)).translate(_ARABIC_FOLD)
    if folded.startswith("ال") and len(folded) > 4:
        folded = folded[2:]
    return _ARABIC_COMPOUND_ARTICLE.sub(r"\1", folded)


def arabic_tokens(name: str) -> list[str]:
    """Arabic name tokens with 'عبد X' / 'أبو X' compounds joined, each folded by :func:`arabic_key`."""
    raw = [arabic_key(token) for token in re.split(r"[\s,،.\-]+", name) if token]
    joined: list[str] = []
    index = 0
    while index < len(raw):
        token = raw[index]
        if token in {"عبد", "ابو"} and index + 1 < len(raw):
            joined.append(token + raw[index + 1])
            index += 2
            continue
        joined.append(token)
        index += 1
    return [token for token in joined if token and token not in {"بن", "ابن", "بنت"}]


def latin_skeleton(token: str) -> str:
    """A consonant skeleton of a Latin (or any-script, via anyascii) token.

    ``Mohammed``, ``Muhammad`` and ``Mohamad`` all give ``mmd``; vowels, ``h``, ``w``, ``y`` and
    apostrophes are dropped, a few romanisation pairs are merged (q/k/c, z/dh, j/dj, ch/sh), the
    article is removed and doubled letters collapse.
    """
    text = _LATIN_ARTICLE.sub("", _NON_LETTER.sub("", anyascii(token).lower()))
    abd = _LATIN_ABD.match(text)
    if abd is not None and len(text) - abd.end() >= 3:
        return "bd" + _consonants(text[abd.end() :])
    return _consonants(text)


def _consonants(text: str) -> str:
    for old, new in (
        ("dh", "z"),
        ("dj", "j"),
        ("sh", "s"),
        ("ch", "s"),
        ("kh", "k"),
        ("gh", "g"),
        ("ph", "f"),
    ):
        text = text.replace(old, new)
    text = text.translate(str.maketrans({"q": "k", "c": "k", "x": "k"}))
    text = re.sub(r"[aeiouhwy]", "", text)
    return re.sub(r"(.)\1+", r"\1", text)


def latin_key(token: str) -> str:
    """A looser-than-spelling key of a Latin token: vowel runs become ``a``, doubles collapse.

    ``Mohammed``/``Muhammad``/``Mohamad`` give ``mahamad``, ``Hussein``/``Husayn`` give ``hasan``
    (as does ``Hassan``: lossy on purpose), but ``Ahmed`` (``ahmad``) and ``Hamid`` (``hamad``)
    stay apart, which the consonant skeleton does not manage.
    """
    text = _LATIN_ARTICLE.sub("", _NON_LETTER.sub("", anyascii(token).lower()))
    text = _LATIN_ABD.sub("abd", text) if len(text) > 6 else text
    for old, new in (
        ("dh", "z"),
        ("dj", "j"),
        ("sh", "s"),
        ("ch", "s"),
        ("kh", "k"),
        ("gh", "g"),
        ("ph", "f"),
    ):
        text = text.replace(old, new)
    text = text.translate(str.maketrans({"q": "k", "c": "k", "x": "k", "w": "u", "y": "i"}))
    text = re.sub(r"(?<=[aeiou])h$", "", text)
    text = re.sub(r"[aeiou]+", "a", text)
    return re.sub(r"(.)\1+", r"\1", text)


def latin_tokens(name: str) -> list[str]:
    """Latin name tokens as :func:`latin_key` keys, with 'Abd al-X' / 'Abu X' compounds joined; particles dropped."""
    words = [word for word in re.split(r"[\s,.\-']+", anyascii(name).lower()) if word]
    joined: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        if word in {"abd", "abdul", "abdel", "abdal", "abu", "abou"} and index + 1 < len(words):
            rest = words[index + 1]
            if rest in {"al", "el", "ul"} and index + 2 < len(words):
                rest = words[index + 2]
                index += 1
            joined.append(latin_key(("abd" if word.startswith("abd") else "abu") + rest))
            index += 2
            continue
        if word not in {"al", "el", "bin", "ben", "ibn", "bint", "ould"}:
            joined.append(latin_key(word))
        index += 1
    return [token for token in joined if token]
