"""Split free text into words that keep their character offsets into the original string.

Screening text is different from screening a name field: the words must be found first, and every
finding must point back at the exact characters of the document (the web UI highlights them, an
analyst quotes them). So nothing here rewrites the text: each :class:`Token` records ``start`` and
``end`` in the original string, and all normalised forms are derived values.

* A word is a run of letters, digits and combining marks. Invisible characters (zero-width joiners,
  bidi controls, soft hyphens) and tatweel inside a word stay inside it (``الظو‍اهري`` is one word), and
  are trimmed from its edges. An apostrophe between Latin letters stays inside (``Qa'ida``).
* What separates two words is kept as the next token's ``gap``: :func:`is_break` says whether it ends a
  phrase (sentence punctuation, quotes, brackets, digits, a blank line) or not (spaces, a hyphen, a
  single line break).
* Arabic words get alternative :class:`Reading` values with the joined proclitics taken off (و, ف,
  then ب, ل, ك; ``وبالظواهري`` → و + ب + ``الظواهري``; ``للظواهري`` → ل + ال + ``ظواهري``). The whole word
  is always the first reading, so a name that really begins with one of these letters (وليد, بلال,
  فيصل, كمال) is never lost; a reading is only offered when at least three letters remain.
"""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from raqib.names import is_arabic, normalise
from raqib.text import _resources

TATWEEL = "\u0640"
# Apostrophes and ayn/hamza marks that romanisations put inside words (Qa'ida, Hay’at, ʿAbd).
APOSTROPHES = frozenset("'’‘ʼʾʿ`´")
# Joiners that keep two words in one phrase: hyphens (al-Qaida, ISIS-K), not dashes used as punctuation.
HYPHENS = frozenset("-\u2010\u2011")
# A clitic reading needs at least this many letters left: two-letter remainders (بكر → ب + كر) are
# almost never names and would only add noise.
MIN_REMAINDER = 3
_ALEF_FOLDING = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا"})


class Script(StrEnum):
    """The writing system of a word."""

    ARABIC = "arabic"
    LATIN = "latin"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Reading:
    """One way to read a word: the whole word, or the word with joined proclitics taken off.

    Attributes:
        start: Offset in the original text where this reading begins (after the stripped clitics).
        norm: The reading normalised with :func:`raqib.names.normalise`, without spaces; the article
            stays on (``الظواهري``), and an article elided after ل is restored (``للظواهري`` → ``الظواهري``).
        surface: A lighter form for comparing with function words: no diacritics, tatweel or invisible
            characters, alef forms folded, but ى and ة kept (على "on" is not علي "Ali").
        clitics: The proclitics taken off, in order (``("و", "ب")``).
        article: True when the reading starts with the article (written or elided).
    """

    start: int
    norm: str
    surface: str
    clitics: tuple[str, ...] = ()
    article: bool = False


@dataclass(frozen=True, slots=True)
class Token:
    """A word of the text with its offsets and readings.

    Attributes:
        start: Offset of the first character in the original text.
        end: Offset after the last character (``text[start:end]`` is the word).
        text: The word exactly as written, invisible characters included.
        script: Arabic, Latin or other.
        readings: The whole word first, then clitic-stripped readings (Arabic only).
        gap: The characters between the previous token and this one (``""`` for the first token).
        has_digits: The word contains a digit (dates, amounts, references: never a name).
    """

    start: int
    end: int
    text: str
    script: Script
    readings: tuple[Reading, ...]
    gap: str = ""
    has_digits: bool = False

    @property
    def norm(self) -> str:
        """The whole word, normalised."""
        return self.readings[0].norm

    @property
    def surface(self) -> str:
        """The whole word in the light form used for function words."""
        return self.readings[0].surface

    @property
    def cleaned(self) -> str:
        """The word as written minus invisible characters and tatweel (for case-sensitive acronyms)."""
        return "".join(ch for ch in self.text if not _ignorable(ch))


def _ignorable(ch: str) -> bool:
    return ch == TATWEEL or unicodedata.category(ch) == "Cf"


def _word_char(ch: str) -> bool:
    return unicodedata.category(ch)[0] in "LMN" and ch != TATWEEL


def _letter_count(ch: str) -> int:
    """How many letters a character contributes to the normalised word (marks and invisibles: none)."""
    if _ignorable(ch) or unicodedata.category(ch) in ("Mn", "Me"):
        return 0
    return len(unicodedata.normalize("NFKC", ch))


def surface_form(text: str) -> str:
    """The light comparison form of a word (see :attr:`Reading.surface`)."""
    decomposed = unicodedata.normalize("NFKC", text)
    kept = "".join(
        ch for ch in decomposed if not _ignorable(ch) and unicodedata.category(ch) not in ("Mn", "Me")
    )
    return kept.translate(_ALEF_FOLDING).casefold()


def is_break(gap: str) -> bool:
    """Whether the characters between two words end a phrase (a name never spans a break).

    Spaces, invisible characters, hyphens, apostrophes (the ayn of 'Umayr, ʿAbd) and a single line break
    do not (a name may wrap onto the next line); anything else does: punctuation, quotes, brackets,
    slashes, digits and blank lines.
    """
    if gap.count("\n") >= 2:
        return True
    return any(not (ch.isspace() or ch in HYPHENS or ch in APOSTROPHES or _ignorable(ch)) for ch in gap)


@functools.cache
def _proclitics() -> tuple[tuple[str, ...], tuple[str, ...], str]:
    data = _resources.function_words().proclitics
    return tuple(data.conjunctions), tuple(data.prepositions), data.article


def _offset_after_letters(text: str, start: int, end: int, letters: int) -> int:
    """Offset of the first letter after ``letters`` letters of ``text[start:end]`` (marks skipped)."""
    counted = 0
    position = start
    while position < end and counted < letters:
        counted += _letter_count(text[position])
        position += 1
    while position < end and _letter_count(text[position]) == 0:
        position += 1  # marks and invisible characters belong to the letter before them
    return position


def _arabic_readings(text: str, start: int, end: int, whole: Reading) -> list[Reading]:
    conjunctions, prepositions, article = _proclitics()
    word, surface = whole.norm, whole.surface
    readings = [whole]
    for conjunction in ("", *conjunctions):
        if conjunction and not word.startswith(conjunction):
            continue
        after_conjunction = word[len(conjunction) :]
        for preposition in ("", *prepositions):
            if not conjunction and not preposition:
                continue
            if preposition and not after_conjunction.startswith(preposition):
                continue
            stripped = len(conjunction) + len(preposition)
            rest = word[stripped:]
            clitics = tuple(c for c in (conjunction, preposition) if c)
            if preposition == article[-1:] and rest.startswith(article[-1:]) and not rest.startswith(article):
                # ل + ال loses the alif: للظواهري. The reading restores the article; its offset is the stem.
                stem = rest[1:]
                if len(stem) >= MIN_REMAINDER:
                    readings.append(
                        Reading(
                            start=_offset_after_letters(text, start, end, stripped + 1),
                            norm=article + stem,
                            surface=article + surface[stripped + 1 :],
                            clitics=clitics,
                            article=True,
                        )
                    )
                continue
            if len(rest) < MIN_REMAINDER:
                continue
            readings.append(
                Reading(
                    start=_offset_after_letters(text, start, end, stripped),
                    norm=rest,
                    surface=surface[stripped:],
                    clitics=clitics,
                    article=rest.startswith(article),
                )
            )
    return readings


def _make_token(text: str, start: int, end: int, gap: str) -> Token | None:
    word = text[start:end]
    norm = normalise(word).replace(" ", "")
    if not norm:
        return None
    surface = surface_form(word)
    has_digits = any(ch.isdigit() for ch in word)
    if is_arabic(norm):
        script = Script.ARABIC
    elif any(unicodedata.name(ch, "").startswith("LATIN") for ch in word):
        script = Script.LATIN
    else:
        script = Script.OTHER
    _, _, article = _proclitics()
    whole = Reading(
        start=start, norm=norm, surface=surface, article=script is Script.ARABIC and norm.startswith(article)
    )
    readings = [whole]
    if script is Script.ARABIC and not has_digits:
        readings = _arabic_readings(text, start, end, whole)
    return Token(
        start=start,
        end=end,
        text=word,
        script=script,
        readings=tuple(readings),
        gap=gap,
        has_digits=has_digits,
    )


def _in_word_apostrophe(text: str, position: int) -> bool:
    if text[position] not in APOSTROPHES or position == 0 or position + 1 >= len(text):
        return False
    before, after = text[position - 1], text[position + 1]
    return before.isalpha() and after.isalpha() and not is_arabic(before)


def tokenise(text: str) -> list[Token]:
    """Split ``text`` into :class:`Token` values with offsets into ``text`` itself.

    Args:
        text: Free text in any script (Arabic, Latin or mixed), as received.

    Returns:
        The words in order. ``text[t.start:t.end] == t.text`` for every token.

    Example:
        >>> [(t.start, t.end, t.readings[-1].norm) for t in tokenise("وبالظواهري قال")]
        [(0, 10, 'الظواهري'), (11, 14, 'قال')]
    """
    tokens: list[Token] = []
    position = 0
    length = len(text)
    previous_end = 0
    while position < length:
        if not _word_char(text[position]):
            position += 1
            continue
        start = position
        while position < length and (
            _word_char(text[position]) or _ignorable(text[position]) or _in_word_apostrophe(text, position)
        ):
            position += 1
        end = position
        while end > start and _ignorable(text[end - 1]):
            end -= 1  # invisible characters at the edge belong to no word
        token = _make_token(text, start, end, text[previous_end:start])
        if token is not None:
            tokens.append(token)
            previous_end = end
    return tokens


__all__ = ["Reading", "Script", "Token", "is_break", "surface_form", "tokenise"]
