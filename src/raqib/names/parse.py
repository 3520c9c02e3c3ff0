"""Tokenising and parsing a name into its parts (Arabic name structure, titles, particles).

A name is split into :class:`NamePart` values after :func:`~raqib.names.normalise`:

* leading **titles and honorifics** (الشيخ, اللواء, Dr., H.E., Sheikh, General) are recognised from the
  data file, kept for display and excluded from matching;
* **nasab particles** (بن, ابن, بنت, bin, ibn, bint, ben, ould) are kept but carry no weight;
* the **definite article** (ال, al-, el-, and sun-letter forms ad-Din, as-Sayyid, ash-Shami) is attached
  to the next word, so ``al-Zawahiri``, ``Al Zawahiri``, ``Zawahiri`` and ``الظواهري`` are one word
  with ``article=True``;
* **compound names** whose first element is عبد / أبو / أم (Abd al-Aziz, Abu Bakr, Umm Kulthum) become one
  part with a ``prefix`` and a ``stem``, however they are written: ``عبد العزيز``, ``عبدالعزيز``,
  ``Abd al-Aziz``, ``Abdel Aziz``, ``Abdulaziz``. Matching compares the stems, so *Abd al-Aziz* and
  *Abd al-Hadi* are different names and not a shared *Abd al-*;
* single letters are **initials**.

Nothing here decides which part is the given name and which the family name: name order differs by
country and list, so matching aligns parts regardless of order.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from enum import StrEnum

from raqib.names import _resources
from raqib.names.learned import learned_keys
from raqib.names.normalise import normalise
from raqib.names.transliterate import is_arabic, skeleton_keys, transliterate_word, vowel_shapes

_ARABIC_ARTICLE = "ال"
_MIN_STEM = 3
_LATIN_ARTICLES = ("al", "el")
_MIN_JOINED_ARTICLE = 5
_JOINED_NASAB = ("bin", "ben", "ibn")
# Latin consonants of the Arabic sun letters, which the article assimilates to (as-Saadi, Essaadi).
_SUN_CONSONANTS = "tdszrn"
_JOINED_NASAB_ARABIC = "بن"
_ARABIC_COMMA = "\u060c"  # ، : "Family، Given" is the comma form in Arabic script
# Arabic letters that never join the letter after them: a space dropped after one of them does not show
# in the rendered word (محمدعبد looks like محمد عبد), so such words are typed and listed glued together.
_NON_JOINING = frozenset("ادذرزو")
# A prefix glued to the word before it is recognised from this many letters (عبد, ابو; not ام, which ends
# too many words).
_MIN_GLUED_PREFIX = 3


class PartRole(StrEnum):
    """What a part of a name is, as far as the text alone tells."""

    NAME = "name"  # ism, father's or grandfather's name, family name, nisba, laqab
    COMPOUND = "compound"  # Abd al-X, Abu X, Umm X written as one part
    INITIAL = "initial"  # a single letter
    PARTICLE = "particle"  # bin, ibn, bint, ould: links to a parent's name
    TITLE = "title"  # honorific or rank, display only


@dataclass(frozen=True, slots=True)
class NamePart:
    """One part of a parsed name.

    Attributes:
        text: The normalised part as written (original script), article included.
        role: What the part is.
        stem: The part without article and compound prefix; what matching compares.
        prefix: ``"abd"``, ``"abu"`` or ``"umm"`` for compound names, else ``None``.
        article: True when the part carried the definite article (al-, el-, ال).
        latin: A readable romanisation of ``text``.
        keys: Phonetic skeleton keys of the stem (see :func:`raqib.names.skeleton_keys`).
        shapes: The same keys with the written vowels kept (see :func:`raqib.names.vowel_shapes`).
        learned_keys: How many of the last ``keys`` come from learned respellings (Latin parts only, see
            :mod:`raqib.names.learned`): the index blocks on them, matching uses them only against Arabic
            script and at a cost.
        learned_shapes: How many of the last ``shapes`` come from learned respellings.
    """

    text: str
    role: PartRole
    stem: str
    prefix: str | None = None
    article: bool = False
    latin: str = ""
    keys: tuple[str, ...] = ()
    shapes: tuple[str, ...] = ()
    learned_keys: int = 0
    learned_shapes: int = 0

    @property
    def own_keys(self) -> tuple[str, ...]:
        """The keys of the part's own spelling (without learned respellings)."""
        return self.keys[: len(self.keys) - self.learned_keys]

    @property
    def own_shapes(self) -> tuple[str, ...]:
        """The shapes of the part's own spelling (without learned respellings)."""
        return self.shapes[: len(self.shapes) - self.learned_shapes]


@dataclass(frozen=True, slots=True)
class ParsedName:
    """A name split into parts; ``titles`` hold the honorifics that were taken off the front."""

    original: str
    normalised: str
    parts: tuple[NamePart, ...]
    titles: tuple[str, ...] = field(default=())

    @property
    def matchable(self) -> tuple[NamePart, ...]:
        """Parts that take part in matching (names, compounds and initials)."""
        return tuple(part for part in self.parts if part.role not in (PartRole.PARTICLE, PartRole.TITLE))


@dataclass(frozen=True, slots=True)
class _Lexicon:
    titles: tuple[tuple[str, ...], ...]
    # The titles again, keyed by their first word (longest first within a key): a name is checked only
    # against the titles that start with its first word, not all ~140 of them.
    titles_by_first: dict[str, tuple[tuple[str, ...], ...]]
    nasab: frozenset[str]
    article: frozenset[str]
    # Sun-letter articles (ad-, as-, ...) -> the sounds each assimilates to (checked for every word).
    sun_sounds: dict[str, tuple[str, ...]]
    standalone: dict[str, str]
    joined: tuple[tuple[str, str], ...]
    # Arabic standalone spellings of the compound prefixes that a dropped space glues to the end of the
    # word before them (محمدعبد البصير).
    glued: tuple[str, ...]


@functools.cache
def _lexicon() -> _Lexicon:
    particle_data = _resources.particles()
    titles = {tuple(normalise(title).split()) for title in _resources.titles().titles}
    standalone: dict[str, str] = {}
    joined: list[tuple[str, str]] = []
    for prefix, spellings in particle_data.compounds.items():
        for spelling in spellings.standalone:
            standalone[normalise(spelling)] = prefix
        joined.extend((normalise(spelling), prefix) for spelling in spellings.joined)
    ordered = tuple(sorted((t for t in titles if t), key=len, reverse=True))
    article_sun = frozenset((normalise(a), normalise(b)) for a, b in particle_data.article_sun)
    sun_sounds: dict[str, list[str]] = {}
    for article, sound in sorted(article_sun):
        sun_sounds.setdefault(article, []).append(sound)
    by_first: dict[str, list[tuple[str, ...]]] = {}
    for title in ordered:
        by_first.setdefault(title[0], []).append(title)
    return _Lexicon(
        titles=ordered,
        titles_by_first={first: tuple(group) for first, group in by_first.items()},
        nasab=frozenset(normalise(word) for word in particle_data.nasab),
        article=frozenset(normalise(word) for word in particle_data.article),
        sun_sounds={article: tuple(sounds) for article, sounds in sun_sounds.items()},
        standalone=standalone,
        joined=tuple(sorted(joined, key=lambda item: -len(item[0]))),
        glued=tuple(
            spelling for spelling in standalone if is_arabic(spelling) and len(spelling) >= _MIN_GLUED_PREFIX
        ),
    )


def tokenise(text: str) -> list[str]:
    """Split a name into normalised words (no parsing).

    Args:
        text: A name in any script.

    Returns:
        The words of ``normalise(text)``.
    """
    return normalise(text).split()


def is_function_word(word: str) -> bool:
    """Whether a normalised word is a one-word title (Haji, Doctor, الشيخ) or a nasab particle (bin, ولد).

    Titles are taken off only at the start of a name and particles only between names, so such a word
    elsewhere stays a part; matching uses this to not count it as a *missing* name.
    """
    lexicon = _lexicon()
    return word in lexicon.nasab or (word,) in lexicon.titles_by_first.get(word, ())


def _strip_titles(words: list[str], lexicon: _Lexicon) -> tuple[list[str], list[str]]:
    found: list[str] = []
    changed = True
    while changed and len(words) > 1:
        changed = False
        for title in lexicon.titles_by_first.get(words[0], ()):
            if len(title) < len(words) and tuple(words[: len(title)]) == title:
                found.append(" ".join(title))
                words = words[len(title) :]
                changed = True
                break
    return words, found


def _is_article(word: str, following: str, lexicon: _Lexicon) -> bool:
    if word in lexicon.article:
        return True
    sounds = lexicon.sun_sounds.get(word)
    return sounds is not None and following.startswith(sounds)


def _split_arabic_article(word: str) -> tuple[str, bool]:
    if word.startswith(_ARABIC_ARTICLE) and len(word) > len(_ARABIC_ARTICLE) + 1:
        return word[len(_ARABIC_ARTICLE) :], True
    return word, False


@functools.cache
def _organisation_words() -> dict[str, tuple[str, ...]]:
    words: dict[str, tuple[str, ...]] = {}
    for word, equivalents in _resources.organisation_words().words.items():
        stem = normalise(word)
        latin = tuple(normalise(equivalent) for equivalent in equivalents)
        words[stem] = tuple(dict.fromkeys(words.get(stem, ()) + latin))
        if stem.endswith("ي"):  # nisba: اسلامي / اسلامية
            feminine = stem + normalise("ة")
            words[feminine] = tuple(dict.fromkeys(words.get(feminine, ()) + latin))
    return words


@functools.lru_cache(maxsize=1 << 15)  # bounded: one entry per distinct word seen
def organisation_equivalents(stem: str) -> tuple[str, ...]:
    """Latin equivalents of an Arabic word common in organisation names (``org_words.yml``), or ``()``.

    The word may carry the conjunction و (والجهاد) and the article, or the preposition ل with it (للصرافة).
    """
    if not is_arabic(stem):
        return ()
    words = _organisation_words()
    if stem in words:
        return words[stem]
    if stem.startswith("و") and len(stem) > 3:
        bare, _ = _split_arabic_article(stem[1:])
        return words.get(bare, ())
    if stem.startswith("لل") and len(stem) > 4:  # ل + the article: مكتب حنيفة للصرافة
        return words.get(stem[2:], ())
    return ()


def _compound_stem(word: str, prefix: str) -> str:
    """The stem of the word after a compound prefix, without the article written into it (عبد العزيز,
    Abd Albaki, Abdelrahman's "elrahman"); Abu Ali keeps its "al" (only Abd takes the article)."""
    if is_arabic(word):
        stem, _ = _split_arabic_article(word)
        return stem
    if _latin_article_after_abd(word, prefix):
        return word[2:]
    return word


def _latin_article_after_abd(word: str, prefix: str) -> bool:
    return prefix == "abd" and word.startswith(("al", "el", "ul")) and len(word) > 4


def _split_joined_compound(word: str, lexicon: _Lexicon) -> tuple[str, str] | None:
    for spelling, prefix in lexicon.joined:
        if word.startswith(spelling) and len(word) - len(spelling) >= _MIN_STEM:
            stem = word[len(spelling) :]
            if is_arabic(stem) or _latin_article_after_abd(stem, prefix):
                stem = _compound_stem(stem, prefix)
            elif len(stem) > 1 and stem[0] == stem[1]:
                stem = stem[1:]  # sun-letter assimilation: Abdurrahman, Abdussalam
            if len(stem) >= 2:
                return prefix, stem
    return None


# Customer files repeat words far more than names: a part is built once per distinct word (its keys,
# shapes and learned respellings are the costly part of parsing), bounded so memory stays flat.
@functools.lru_cache(maxsize=1 << 17)
def _make_part(
    text: str,
    role: PartRole,
    stem: str,
    prefix: str | None = None,
    article: bool = False,
    alternative: str | None = None,
) -> NamePart:
    keys = skeleton_keys(stem)
    shapes = vowel_shapes(stem)
    if alternative is not None:
        # A word that may or may not start with the article (الياس Elias, البرت Albert; Alzawahiri) is
        # compared both ways.
        keys = tuple(dict.fromkeys(keys + skeleton_keys(alternative)))
        shapes = tuple(dict.fromkeys(shapes + vowel_shapes(alternative)))
    for equivalent in organisation_equivalents(stem):
        # الجماعة also reads "group" and "jamaat": an Arabic organisation name finds its translated and its
        # transliterated Latin name. The word's own key stays first (its rarity is looked up by it).
        keys = tuple(dict.fromkeys(keys + skeleton_keys(equivalent)))
        shapes = tuple(dict.fromkeys(shapes + vowel_shapes(equivalent)))
    extra_keys, extra_shapes = learned_keys(stem, keys, shapes)
    return NamePart(
        text=text,
        role=role,
        stem=stem,
        prefix=prefix,
        article=article,
        latin=" ".join(transliterate_word(word) for word in text.split()),
        keys=keys + extra_keys,
        shapes=shapes + extra_shapes,
        learned_keys=len(extra_keys),
        learned_shapes=len(extra_shapes),
    )


def _parse_words(words: list[str], lexicon: _Lexicon) -> list[NamePart]:
    parts: list[NamePart] = []
    index = 0
    while index < len(words):
        word = words[index]
        following = words[index + 1] if index + 1 < len(words) else ""
        if following and word in lexicon.standalone:
            # Abd al-Aziz / Abdel Aziz / عبد العزيز / Abu Bakr: the next word (after an article) is the stem.
            prefix = lexicon.standalone[word]
            consumed = [word]
            stem_index = index + 1
            if stem_index + 1 < len(words) and _is_article(words[stem_index], words[stem_index + 1], lexicon):
                consumed.append(words[stem_index])
                stem_index += 1
            stem = _compound_stem(words[stem_index], prefix)
            consumed.append(words[stem_index])
            parts.append(_make_part(" ".join(consumed), PartRole.COMPOUND, stem, prefix=prefix))
            index = stem_index + 1
            continue
        if index > 0 and following and word in lexicon.nasab:
            parts.append(_make_part(word, PartRole.PARTICLE, word))
            index += 1
            continue
        if following and _is_article(word, following, lexicon):
            parts.append(_parse_single_word(f"{word} {following}", following, True))
            index += 2
            continue
        parts.append(_parse_single_word(word, word, False))
        index += 1
    return parts


def _latin_article_written_in(word: str) -> bool:
    """A Latin word that may start with the article written into it: Alzawahiri, Essaadi, Eddaouahiri."""
    if word.startswith(_LATIN_ARTICLES) and len(word) > _MIN_JOINED_ARTICLE and word[2] not in "aeiouy":
        return True
    return (
        len(word) > _MIN_JOINED_ARTICLE + 1
        and word[0] in "ae"
        and word[1] == word[2]
        and word[1] in _SUN_CONSONANTS
    )


def has_article(part: NamePart) -> bool:
    """Whether the part is written with the article, apart (al-Zawahiri, الظواهري) or joined into a Latin
    word (Alzawahiri, Eddaouahiri): a family name or nisba rather than a given name."""
    return part.article or (not is_arabic(part.stem) and _latin_article_written_in(part.text))


# Per distinct word: the compound and article checks walk the particle spellings (~40 us a word).
@functools.lru_cache(maxsize=1 << 17)
def _parse_single_word(text: str, word: str, article: bool) -> NamePart:
    lexicon = _lexicon()
    alternative: str | None = None
    if is_arabic(word):
        stem, has_article = _split_arabic_article(word)
        if has_article:
            alternative = word
        elif word.startswith(_JOINED_NASAB_ARABIC) and len(word) > len(_JOINED_NASAB_ARABIC) + 2:
            alternative = word[len(_JOINED_NASAB_ARABIC) :]  # بنحسين: ben Hassine written as one word
        article = article or has_article
    else:
        stem = word
        if _latin_article_written_in(word):
            # Alzawahiri; Essaadi, Ettounsi, Ennahdi: a sun-letter article (es-Saadi) written in
            alternative = word[2:]
        elif word.startswith(_JOINED_NASAB) and len(word) > _MIN_JOINED_ARTICLE + 1:
            alternative = word[3:]  # Binladen, Benali: the particle written into the family name
    compound = _split_joined_compound(stem, lexicon)
    if compound is not None:
        prefix, compound_stem = compound
        return _make_part(text, PartRole.COMPOUND, compound_stem, prefix=prefix, article=article)
    role = PartRole.INITIAL if len(stem) == 1 else PartRole.NAME
    return _make_part(text, role, stem, article=article, alternative=alternative)


def _is_fragment(word: str, lexicon: _Lexicon) -> bool:
    """An Arabic word too short to be a name: a piece of one split by an inserted space or mark."""
    if not is_arabic(word) or word in lexicon.standalone:
        return False
    if word in lexicon.nasab or word in lexicon.article or (word,) in lexicon.titles_by_first.get(word, ()):
        return False
    # One letter only: Arabic-script words of two letters are real words too often (في, گل, and foreign
    # names written in Arabic: لي Li, دي De, هو Ho).
    if word.startswith(_ARABIC_ARTICLE):
        return len(word) == len(_ARABIC_ARTICLE) + 1
    return len(word) == 1


def _split_glued_prefixes(words: list[str], lexicon: _Lexicon) -> list[str]:
    """Split a compound prefix off the word it was glued to by an invisible dropped space.

    ``محمدعبد البصير`` is ``محمد عبد البصير`` (UN TAi.100): the word before ends in a letter that does not
    join the next one, so the missing space cannot be seen. Only a word that ends in the prefix, with a
    name of two letters or more before it, and that is followed by the prefix's stem, is split.
    """
    if not any(word.endswith(lexicon.glued) for word in words[:-1]):
        return words
    split: list[str] = []
    for index, word in enumerate(words):
        glued = next((prefix for prefix in lexicon.glued if word.endswith(prefix)), None)
        head = word[: -len(glued)] if glued else ""
        if glued and index + 1 < len(words) and len(head) >= 2 and head[-1] in _NON_JOINING:
            split += [head, glued]
        else:
            split.append(word)
    return split


def _join_fragments(words: list[str], lexicon: _Lexicon) -> list[str]:
    """Join split-off pieces of Arabic words back (ي شو → يشو, الش اعر → الشاعر, عبد الر حمن → عبد الرحمن).

    A run of pieces is joined together; a lone piece goes to the word before it when that word is the
    article with a short stem (الع ز), else to the word after it, else to the word before.
    """
    fragments = [_is_fragment(word, lexicon) for word in words]
    if not any(fragments):
        return words
    joined: list[str] = []
    index = 0
    while index < len(words):
        if not fragments[index]:
            joined.append(words[index])
            index += 1
            continue
        end = index
        while end + 1 < len(words) and fragments[end + 1]:
            end += 1
        piece = "".join(words[index : end + 1])
        previous = joined[-1] if joined else None
        short_article = (
            previous is not None
            and previous.startswith(_ARABIC_ARTICLE)
            and is_arabic(previous)
            and len(previous) <= len(_ARABIC_ARTICLE) + 2
        )
        if end > index:
            joined.append(piece)
        elif short_article and previous is not None:
            joined[-1] = previous + piece
        elif end + 1 < len(words):
            joined.append(piece + words[end + 1])
            end += 1
        elif previous is not None:
            joined[-1] = previous + piece
        else:
            joined.append(piece)
        index = end + 1
    return joined


def parse_name(text: str) -> ParsedName:
    """Parse a name into titles and parts.

    Handles "Family, Given" comma forms (the Arabic comma ، too) by moving the part before the comma to the end.

    Args:
        text: A person's or organisation's name in any script.

    Returns:
        The parsed name. ``parts`` is empty only when the name has no letters or digits.

    Example:
        >>> [p.stem for p in parse_name("اللواء عبد العزيز بن محمد آل سعود").matchable]
        ['عزيز', 'محمد', 'سعود']
    """
    text = text.replace(_ARABIC_COMMA, ",")
    if text.count(",") == 1:
        family, given = text.split(",")
        if normalise(family) and normalise(given):
            text = f"{given} {family}"
    lexicon = _lexicon()
    words = normalise(text).split()
    words, titles = _strip_titles(words, lexicon)
    words = _split_glued_prefixes(_join_fragments(words, lexicon), lexicon)
    parts = _parse_words(words, lexicon)
    return ParsedName(
        original=text,
        normalised=" ".join(words),
        parts=tuple(parts),
        titles=tuple(titles),
    )
