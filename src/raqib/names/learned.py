"""Learned respellings: extra skeleton keys for Latin spellings the hand-written classes miss.

The ``learned`` section of ``phonetic.yml`` lists Latin graphemes that the Arabic↔Latin word-pair
corpora often write for an Arabic letter of another phonetic class (``s`` for ز in *Jones* / جونز, ``w``
for ف in German names, ``j`` for ي in Slavic names; counted by ``scripts/derive_substitutions.py``).
A Latin word gets the keys of its spellings with *one* such grapheme respelt. They are kept apart from
the word's own keys (see :class:`raqib.names.NamePart`): matching uses them only against Arabic script
and at a cost, so a respelling never outranks a regular reading.
"""

from __future__ import annotations

import functools

from raqib.names import _resources
from raqib.names.transliterate import is_arabic, skeleton_keys, vowel_shapes

# At most this many learned keys per word (the index blocks on every key).
MAX_LEARNED_KEYS = 6
# Per-word caches are bounded: a long-running service sees an endless stream of new (misspelt) words.
_WORD_CACHE = 1 << 15


@functools.cache
def _rules() -> tuple[tuple[tuple[str, int, tuple[str, ...]], ...], tuple[str, ...]]:
    """The learned rules in the file's order, each with its width in graphemes, and the graphemes."""
    phonetic = _resources.phonetic()
    graphemes = tuple(sorted(phonetic.latin, key=len, reverse=True))
    rules = tuple(
        (grapheme, len(_segments(grapheme, graphemes)), tuple(spellings))
        for grapheme, spellings in phonetic.learned.items()
    )
    return rules, graphemes


@functools.cache
def _by_first_letter(graphemes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    table: dict[str, list[str]] = {}
    for grapheme in graphemes:  # longest first, kept in each letter's list
        table.setdefault(grapheme[0], []).append(grapheme)
    return {letter: tuple(found) for letter, found in table.items()}


def _segments(word: str, graphemes: tuple[str, ...]) -> list[str]:
    """The word cut into the Latin graphemes of ``phonetic.yml`` (longest match first)."""
    by_letter = _by_first_letter(graphemes)
    segments: list[str] = []
    position = 0
    while position < len(word):
        for grapheme in by_letter.get(word[position], ()):
            if word.startswith(grapheme, position):
                segments.append(grapheme)
                position += len(grapheme)
                break
        else:
            segments.append(word[position])
            position += 1
    return segments


@functools.lru_cache(maxsize=_WORD_CACHE)
def respellings(word: str) -> tuple[str, ...]:
    """Spellings of a normalised Latin word with one learned grapheme respelt (``()`` for Arabic script)."""
    if not word or is_arabic(word):
        return ()
    rules, graphemes = _rules()
    segments = _segments(word, graphemes)
    found: list[str] = []
    for grapheme, width, spellings in rules:  # in the file's order: most useful rule first
        if grapheme not in word:
            continue  # cheap exit: most rules do not occur in a given word at all
        for index in range(len(segments) - width + 1):
            if "".join(segments[index : index + width]) == grapheme:
                before, after = "".join(segments[:index]), "".join(segments[index + width :])
                found.extend(before + spelling + after for spelling in spellings)
    return tuple(dict.fromkeys(found))


@functools.lru_cache(maxsize=_WORD_CACHE)
def learned_keys(
    word: str, own_keys: tuple[str, ...], own_shapes: tuple[str, ...]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Skeleton keys and vowel shapes of :func:`respellings` that the word's own keys do not already have.

    Args:
        word: A normalised word (a part's stem).
        own_keys: The word's own skeleton keys.
        own_shapes: The word's own vowel shapes.

    Returns:
        ``(keys, shapes)``: at most :data:`MAX_LEARNED_KEYS` keys (rules in the file's order) and the shapes
        of the kept keys.
    """
    keys: dict[str, None] = {}
    shapes: dict[str, None] = {}
    for spelling in respellings(word):
        # Only the most likely reading of each respelling: the respelt letter is the one unusual choice.
        key, shape = skeleton_keys(spelling)[0], vowel_shapes(spelling)[0]
        if key not in own_keys:
            keys[key] = None
        if shape not in own_shapes:
            shapes[shape] = None
    kept = tuple(keys)[:MAX_LEARNED_KEYS]
    # A shape is only useful with its consonant key (the index finds parts by key, never by shape).
    reachable = set(kept) | set(own_keys)
    return kept, tuple(shape for shape in shapes if _consonants(shape) in reachable)


def _consonants(shape: str) -> str:
    return "".join(char for char in shape if not char.islower())
