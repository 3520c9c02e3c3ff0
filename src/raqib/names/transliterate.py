"""Transliteration to Latin letters and phonetic skeleton keys.

Two outputs, for two readers:

* :func:`transliterate` gives a readable ASCII romanisation (``محمد`` → ``mhmd`` is useless to an
  analyst; ``muhmd`` is not pretty but ``و``/``ي`` are read as vowels between consonants and the article
  is shown as ``al``). Other scripts go through ``anyascii``.
* :func:`skeleton_keys` gives what matching compares: the consonant skeleton of a word as a string of
  phonetic classes (``B F T D S Z K J H X C L M N R``). Vowels, semivowels, ayn and hamza carry no
  class because Arabic does not write short vowels and romanisations disagree on the long ones. Where
  one written form has several readings (Latin ``ch`` = ش / تش / ك / خ, Arabic ث = th / s) the word gets
  several keys, capped at :data:`MAX_KEYS`.
"""

from __future__ import annotations

import functools
import re

from anyascii import anyascii

from raqib.names import _resources

MAX_KEYS = 6
# Per-word caches are bounded: a long-running service sees an endless stream of new (misspelt) words.
_WORD_CACHE = 1 << 15
_ARABIC_FIRST, _ARABIC_LAST = 0x0600, 0x06FF
_VOWEL_LETTERS_ARABIC = frozenset("اويىع")
_LATIN_VOWELS = frozenset("aeiouy")


# Arabic and Arabic Supplement blocks; regular expressions scan in C (this runs for every part compared).
_ARABIC_CHAR = re.compile("[\u0600-\u06ff\u0750-\u077f]")
_SCRIPT_RUN = re.compile("[\u0600-\u06ff\u0750-\u077f]+|[^\u0600-\u06ff\u0750-\u077f]+")


def is_arabic(text: str) -> bool:
    """True when the text contains at least one Arabic-script letter."""
    return _ARABIC_CHAR.search(text) is not None


@functools.cache
def _latin_graphemes() -> tuple[tuple[str, tuple[str, ...]], ...]:
    table = _resources.phonetic().latin
    return tuple(sorted(((g, tuple(c)) for g, c in table.items()), key=lambda item: -len(item[0])))


@functools.cache
def _graphemes_by_letter() -> dict[str, tuple[tuple[str, tuple[str, ...]], ...]]:
    """:func:`_latin_graphemes` grouped by first letter, in the same (longest first) order: only the
    graphemes starting with the letter at hand can match there, and the first that does wins."""
    grouped: dict[str, list[tuple[str, tuple[str, ...]]]] = {}
    for grapheme, classes in _latin_graphemes():
        if not grapheme:
            raise ValueError("phonetic.yml: empty Latin grapheme")
        grouped.setdefault(grapheme[0], []).append((grapheme, classes))
    return {letter: tuple(entries) for letter, entries in grouped.items()}


def _romanise_arabic_word(word: str) -> str:
    table = _resources.arabic_script().romanisation
    out: list[str] = []
    for index, char in enumerate(word):
        if char in "وي":
            before = word[index - 1] if index > 0 else ""
            after = word[index + 1] if index + 1 < len(word) else ""
            consonant_before = before != "" and (before not in _VOWEL_LETTERS_ARABIC or index == 1)
            if consonant_before and after not in ("ا", "و", "ي"):
                out.append("u" if char == "و" else "i")
                continue
        out.append(table.get(char, char))
    return "".join(out)


@functools.lru_cache(maxsize=_WORD_CACHE)
def transliterate_word(word: str) -> str:
    """Romanise one normalised word into lower-case ASCII (Arabic by table, other scripts by anyascii)."""
    if is_arabic(word):
        romanised = "".join(
            _romanise_arabic_word(chunk) if is_arabic(chunk) else chunk for chunk in _split_script_runs(word)
        )
    else:
        romanised = word
    return anyascii(romanised).lower()


def _split_script_runs(word: str) -> list[str]:
    """The maximal runs of Arabic-script and of other characters, in order."""
    return _SCRIPT_RUN.findall(word)


def transliterate(text: str) -> str:
    """Return a readable lower-case ASCII romanisation of a normalised name.

    Args:
        text: A name, ideally already passed through :func:`raqib.names.normalise`.

    Returns:
        The romanised name; Arabic by the packaged table, other scripts by ``anyascii``.
    """
    return " ".join(transliterate_word(word) for word in text.split())


# Vowel symbols of the shapes (lower case, so they never collide with the consonant classes): what a
# written vowel letter says about the vowel heard. Arabic writes only long vowels (ا و ي); ع and a silent
# final ه stand for "some vowel or none" (``v``). Latin o/u/w are one class, i/y another; e sits between.
_ARABIC_VOWELS = {"ا": "a", "و": "u", "ي": "i", "ى": "a", "ع": "v", "ء": "v"}
_LATIN_VOWEL_SYMBOLS = {"a": "a", "e": "e", "i": "i", "y": "i", "o": "u", "u": "u", "w": "u"}
SILENT_VOWEL = "v"


def _arabic_chunks(word: str) -> list[tuple[str, ...]]:
    table = _resources.phonetic().arabic
    chunks: list[tuple[str, ...]] = []
    for index, char in enumerate(word):
        classes = tuple(table.get(char, ("",)))
        if classes == ("",) and char in _ARABIC_VOWELS:
            classes = (_ARABIC_VOWELS[char],)
        if char == "ه" and index == len(word) - 1 and index > 0:
            # final ه is usually ta marbuta (Fatima) or silent (Abdullah); a ta marbuta is also read "t" as
            # in Turkish, Persian and Urdu names and before a second noun (Izzat عزة, Hikmat, Nusrat)
            classes = (SILENT_VOWEL, "H", "T")
        chunks.append(classes)
    return chunks


def _latin_chunks(word: str) -> list[tuple[str, ...]]:
    by_letter = _graphemes_by_letter()
    chunks: list[tuple[str, ...]] = []
    position = 0
    while position < len(word):
        for grapheme, classes in by_letter.get(word[position], ()):
            if word.startswith(grapheme, position):
                if grapheme == "h" and position == len(word) - 1 and position > 0:
                    # Final h after a vowel is usually ta marbuta (Fatimah) but can be ح or ه (Salah, Allah)
                    classes = ("", "H") if word[position - 1] in _LATIN_VOWELS else classes
                elif grapheme == "w" and _is_slavic_w(word, position):
                    classes = ("u", "F")  # Polish/German w before a consonant: Romanowski → رومانوفسكي
                elif grapheme == "c" and word[position + 1 : position + 2] in ("e", "i", "y"):
                    classes = ("S",)  # soft c: Cecil, Marcel
                elif classes == ("",) and grapheme in _LATIN_VOWEL_SYMBOLS:
                    classes = (_LATIN_VOWEL_SYMBOLS[grapheme],)
                chunks.append(classes)
                position += len(grapheme)
                break
        else:
            chunks.append(("",))  # digits and unknown letters carry no class
            position += 1
    return chunks


def _is_slavic_w(word: str, position: int) -> bool:
    after = word[position + 1 : position + 2]
    return position > 0 and word[position - 1] in _LATIN_VOWELS and after != "" and after not in _LATIN_VOWELS


def _combine(chunks: list[tuple[str, ...]], *, vowels: bool = False) -> tuple[str, ...]:
    keys: list[str] = [""]
    for classes in chunks:
        # Repeated letters (Mohammed, Hassan) collapse; a vowel between them keeps both.
        if len(classes) == 1:  # most letters have one class: no branching of the keys
            cls = classes[0]
            keys = [_append(key, cls, vowels) for key in keys]
        else:
            # The same partial key reached twice grows the same way: keep it once (order kept).
            keys = list(dict.fromkeys(_append(key, cls, vowels) for key in keys for cls in classes))[
                : MAX_KEYS * 4
            ]
    unique = tuple(dict.fromkeys(key.replace("|", "") for key in keys))
    return unique[:MAX_KEYS]


def _append(key: str, cls: str, vowels: bool) -> str:
    if not cls or cls.islower():
        if vowels and cls:
            return key + cls
        return key if not key or key[-1] == "|" else key + "|"
    if key.endswith(cls):
        return key
    return key + cls


@functools.lru_cache(maxsize=1 << 16)
def _chunks(word: str) -> tuple[tuple[str, ...], ...]:
    """The phonetic classes of each letter (or grapheme) of a word; shared by keys and shapes."""
    if is_arabic(word):
        chunks: list[tuple[str, ...]] = []
        for run in _split_script_runs(word):
            chunks.extend(_arabic_chunks(run) if is_arabic(run) else _latin_chunks(anyascii(run).lower()))
        return tuple(chunks)
    return tuple(_latin_chunks(anyascii(word).lower()))


@functools.lru_cache(maxsize=_WORD_CACHE)
def skeleton_keys(word: str) -> tuple[str, ...]:
    """Return the phonetic consonant-skeleton keys of one normalised word (most likely first).

    Args:
        word: One normalised word in any script.

    Returns:
        One to :data:`MAX_KEYS` class strings; ``("",)`` for words with no consonant (``Ali`` → ``L``).
    """
    return _combine(list(_chunks(word)))


@functools.lru_cache(maxsize=_WORD_CACHE)
def vowel_shapes(word: str) -> tuple[str, ...]:
    """Return the skeleton keys of one normalised word with its written vowels kept (lower case).

    The upper-case letters of a shape are a skeleton key (the consonant classes, in the same order as
    :func:`skeleton_keys`); the lower-case letters between them say which vowels are written there:
    ``a``, ``e``, ``i`` (i, y, ي), ``u`` (o, u, w, و) and ``v`` for ع or a silent final ه (some vowel or
    none). ``حامد`` → ``HaMD``, ``Ahmad`` → ``aHMaD``: same skeleton, different names.

    Args:
        word: One normalised word in any script.

    Returns:
        One to :data:`MAX_KEYS` shapes.
    """
    return _combine(list(_chunks(word)), vowels=True)
