"""Variation generators: how a listed name is rewritten into a screening query.

Each generator takes a name and a seeded ``random.Random`` and returns the rewritten name, or
``None`` when the class does not apply to that name (no compound to split, no long token to
misspell, ...). They model what real inputs do to a name (spelling conventions, keyboards,
document layouts, deliberate evasion) and are written independently of Raqib's normaliser so
that the benchmark does not grade the engine against its own rules.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from bench.quality.tables import (
    ARABIC_LETTERS,
    ARABIC_TITLES,
    BIDI_CONTROLS,
    COMMON_GIVEN_NAMES,
    COMPOUND_SECOND_WORDS,
    FEMALE_GIVEN_NAMES,
    HOMOGLYPHS,
    ROMANISATION_FAMILIES,
    ZERO_WIDTH,
)

Generator = Callable[[str, random.Random], str | None]

HARAKAT = "\u064e\u064f\u0650\u0651\u0652\u064b\u064c\u064d"
TATWEEL = "\u0640"
# Letters that do not join to the following letter (so no tatweel or medial form after them).
NON_JOINING = set("اأإآٱدذرزوؤةءى")
_ARABIC_LETTER = re.compile(r"[\u0621-\u064a\u0671-\u06d3]")


@dataclass(frozen=True, slots=True)
class VariationClass:
    """A named way of rewriting a name; ``persons_only`` classes skip organisations."""

    name: str
    script: str  # "arabic" or "latin": which of the entity's names is rewritten
    generate: Generator
    persons_only: bool = False

    def apply(self, name: str, rng: random.Random) -> str | None:
        """The rewritten name, or None when the class does not apply (or the name is blank)."""
        if not name.strip():
            return None
        result = self.generate(name.strip(), rng)
        return result if result is not None and result.strip() else None


# --------------------------------------------------------------------------- Arabic helpers


def _units(name: str) -> list[str]:
    """Name units: whitespace tokens with 'عبد X', 'أبو X', 'بن X', 'آل X' kept together."""
    tokens = name.split()
    units: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token in {"عبد", "أبو", "ابو", "بن", "ابن", "بنت", "آل", "أم", "ام"} and index + 1 < len(tokens):
            units.append(f"{token} {tokens[index + 1]}")
            index += 2
        elif index + 1 < len(tokens) and tokens[index + 1] in COMPOUND_SECOND_WORDS:
            units.append(f"{token} {tokens[index + 1]}")  # سيف الدين is one given name
            index += 2
        else:
            units.append(token)
            index += 1
    return units


def _changed(original: str, result: str) -> str | None:
    return result if result != original else None


def exact(name: str, rng: random.Random) -> str | None:  # noqa: ARG001 - same signature as the others
    """The name as the list gives it."""
    return name


_LETTER_RULES: tuple[tuple[str, Callable[[str], str]], ...] = (
    ("hamza alef to bare alef", lambda s: re.sub("[أإآ]", "ا", s)),
    ("bare initial alef to hamza", lambda s: re.sub(r"(^|\s)ا(?=[^ل])", r"\1أ", s)),
    ("final teh marbuta to heh", lambda s: re.sub(r"ة(?=\s|$)", "ه", s)),
    ("final heh to teh marbuta", lambda s: re.sub(r"(?<!ل)ه(?=\s|$)", "ة", s)),
    ("final alef maksura to yeh", lambda s: re.sub(r"ى(?=\s|$)", "ي", s)),
    ("final yeh to alef maksura", lambda s: re.sub(r"ي(?=\s|$)", "ى", s)),
    ("hamza on waw/yeh seats", lambda s: s.replace("ؤ", "و").replace("ئ", "ي")),
    ("Persian yeh", lambda s: s.replace("ي", "ی").replace("ى", "ی")),
    ("Persian kaf", lambda s: s.replace("ك", "ک")),
)


def letter_variants(name: str, rng: random.Random) -> str | None:
    """Spelling variants of single letters: hamza seats, ة/ه, ى/ي, Persian ی and ک."""
    applicable = [rule for _, rule in _LETTER_RULES if rule(name) != name]
    if not applicable:
        return None
    chosen = [rule for rule in applicable if rng.random() < 0.5] or [rng.choice(applicable)]
    result = name
    for rule in chosen:
        result = rule(result)
    return _changed(name, result)


def diacritics_tatweel(name: str, rng: random.Random) -> str | None:
    """Short vowels, shadda and sukun on some letters; tatweel stretching inside a word."""
    out: list[str] = []
    for index, char in enumerate(name):
        out.append(char)
        if not _ARABIC_LETTER.match(char):
            continue
        if rng.random() < 0.3:
            out.append(rng.choice(HARAKAT))
        following = name[index + 1] if index + 1 < len(name) else " "
        if char not in NON_JOINING and _ARABIC_LETTER.match(following) and rng.random() < 0.12:
            out.append(TATWEEL * rng.choice((1, 1, 2)))
    result = "".join(out)
    if result == name:  # very short names: force one mark
        result = name[0] + rng.choice(HARAKAT) + name[1:]
    return result


def compound_split_join(name: str, rng: random.Random) -> str | None:
    """Join a split compound (عبد الله → عبدالله, أبو بكر → أبوبكر) or split a joined one."""
    rewrites: list[str] = []
    if re.search(r"(عبد|أبو|ابو) (?=\S)", name):
        rewrites.append(re.sub(r"(^|\s)(عبد|أبو|ابو) (?=\S)", r"\1\2", name))
    if re.search(r"(^|\s)عبد(?=ال)", name):
        rewrites.append(re.sub(r"(^|\s)عبد(?=ال)", r"\1عبد ", name))
    if re.search(r"(^|\s)(أبو|ابو)(?=\S{3,})", name):
        rewrites.append(re.sub(r"(^|\s)(أبو|ابو)(?=\S{3,})", r"\1\2 ", name))
    if not rewrites:
        return None
    return _changed(name, rng.choice(rewrites))


def titles(name: str, rng: random.Random) -> str | None:
    """An honorific or rank before the name (اللواء، الشيخ، الدكتور، الحاج، سعادة ...)."""
    title = rng.choice(ARABIC_TITLES)
    if rng.random() < 0.15:
        title = f"{rng.choice(('سعادة', 'معالي', 'سماحة'))} {title}"
    return f"{title} {name}"


def name_order(name: str, rng: random.Random) -> str | None:
    """Family name first, with or without a comma (التكريتي، صدام حسين)."""
    units = _units(name)
    if len(units) < 2:
        return None
    family, rest = units[-1], " ".join(units[:-1])
    separator = rng.choice((" ", "، ", ", "))
    return f"{family}{separator}{rest}"


def missing_part(name: str, rng: random.Random) -> str | None:
    """One middle name (a father's or grandfather's name, or a 'بن X' link) left out."""
    units = _units(name)
    if len(units) < 3:
        return None
    drop = rng.randrange(1, len(units) - 1)
    return " ".join(unit for index, unit in enumerate(units) if index != drop)


def extra_part(name: str, rng: random.Random) -> str | None:
    """An extra 'بن X' link or an extra given name after the first name."""
    units = _units(name)
    present = set(name.split())
    choices = [
        arabic
        for arabic, _ in COMMON_GIVEN_NAMES
        if " " not in arabic and arabic not in present and arabic not in FEMALE_GIVEN_NAMES
    ]
    extra = rng.choice(choices)
    if rng.random() < 0.5:
        extra = f"بن {extra}"
    return " ".join([units[0], extra, *units[1:]])


def typo(name: str, rng: random.Random) -> str | None:
    """One edit (substitution, deletion, insertion, transposition) on a non-first letter of a long token."""
    tokens = name.split()
    long_tokens = [index for index, token in enumerate(tokens) if len(token) >= 5]
    if not long_tokens:
        return None
    index = rng.choice(long_tokens)
    tokens[index] = _edit(tokens[index], rng, ARABIC_LETTERS)
    return _changed(name, " ".join(tokens))


def _edit(token: str, rng: random.Random, alphabet: str) -> str:
    position = rng.randrange(1, len(token))
    operation = rng.choice(("substitute", "delete", "insert", "transpose"))
    if operation == "substitute":
        letter = rng.choice([c for c in alphabet if c != token[position].lower()])
        if token[position].isupper():
            letter = letter.upper()
        return token[:position] + letter + token[position + 1 :]
    if operation == "delete":
        return token[:position] + token[position + 1 :]
    if operation == "insert":
        letter = rng.choice(alphabet)
        if token[position - 1].isupper():
            letter = letter.upper()
        return token[:position] + letter + token[position:]
    if position == len(token) - 1:
        position -= 1
    if position < 1 or token[position] == token[position + 1]:
        return token[:position] + token[position + 1 :]  # nothing to swap: delete instead
    return token[:position] + token[position + 1] + token[position] + token[position + 2 :]


@cache
def _presentation_forms() -> dict[tuple[str, str], str]:
    """(letter, form) -> Arabic presentation-form character, read from Unicode decompositions."""
    forms: dict[tuple[str, str], str] = {}
    for code in (*range(0xFB50, 0xFDFF), *range(0xFE70, 0xFEFF)):
        decomposition = unicodedata.decomposition(chr(code)).split()
        if len(decomposition) == 2 and decomposition[0] in {"<isolated>", "<final>", "<initial>", "<medial>"}:
            letter = chr(int(decomposition[1], 16))
            forms.setdefault((letter, decomposition[0].strip("<>")), chr(code))
    return forms


def to_presentation_forms(text: str) -> str:
    """Rewrite Arabic letters as their contextual presentation forms (as copy-pasted from PDFs)."""
    forms = _presentation_forms()
    out: list[str] = []
    for index, char in enumerate(text):
        previous = text[index - 1] if index > 0 else " "
        following = text[index + 1] if index + 1 < len(text) else " "
        joins_previous = bool(_ARABIC_LETTER.match(previous)) and previous not in NON_JOINING
        joins_next = char not in NON_JOINING and bool(_ARABIC_LETTER.match(following))
        form = {
            (True, True): "medial",
            (True, False): "final",
            (False, True): "initial",
            (False, False): "isolated",
        }[(joins_previous, joins_next)]
        out.append(forms.get((char, form)) or forms.get((char, "isolated")) or char)
    return "".join(out)


def _insert_invisible(text: str, rng: random.Random, pool: tuple[str, ...]) -> str:
    positions = sorted(rng.sample(range(1, len(text)), k=min(len(text) - 1, rng.randint(1, 3))), reverse=True)
    for position in positions:
        text = text[:position] + rng.choice(pool) + text[position:]
    return text


def _break_spacing(text: str, rng: random.Random) -> str:
    tokens = text.split()
    if len(tokens) > 1 and rng.random() < 0.5:
        return rng.choice((".", "-", "_", " . ", "/")).join(tokens)
    index = max(range(len(tokens)), key=lambda i: len(tokens[i]))
    token = tokens[index]
    if len(token) >= 4:
        cut = rng.randrange(2, len(token) - 1)
        tokens[index] = token[:cut] + rng.choice((" ", ".", "-")) + token[cut:]
    return " ".join(tokens)


_EVASIONS: tuple[Callable[[str, random.Random], str], ...] = (
    lambda s, rng: _insert_invisible(s, rng, ZERO_WIDTH),
    lambda s, rng: _insert_invisible(s, rng, BIDI_CONTROLS),
    lambda s, rng: to_presentation_forms(s),  # noqa: ARG005 - uniform signature
    _break_spacing,
)


def evasion(name: str, rng: random.Random) -> str | None:
    """Zero-width and bidi controls, presentation forms, spaces or punctuation inside the name."""
    chosen = rng.sample(range(len(_EVASIONS)), k=rng.choice((1, 2)))
    result = name
    # Presentation forms first: they are computed on the clean letters.
    for index in sorted(chosen, key=lambda i: i != 2):
        result = _EVASIONS[index](result, rng)
    return _changed(name, result)


# --------------------------------------------------------------------------- Latin helpers

_FAMILY_OF = {member: family for family in ROMANISATION_FAMILIES for member in family}
_PARTICLES = {"al", "el", "bin", "ben", "ibn", "abu", "abou", "abd", "abdul", "abdel", "bint", "ould", "ul"}
_ABD = re.compile(r"\b(abd(?:ul|el|al|ol|u)?)[\s\-]*(?:(?:al|el|ul)[\s\-]+)?([a-z]{3,})\b", re.IGNORECASE)


def _recase(template: str, word: str) -> str:
    if template.isupper() and len(template) > 1:
        return word.upper()
    if template[:1].isupper():
        return word[:1].upper() + word[1:]
    return word


def _respell_family(tokens: list[str], rng: random.Random) -> list[str] | None:
    hits = [i for i, t in enumerate(tokens) if t.lower() in _FAMILY_OF]
    if not hits:
        return None
    index = rng.choice(hits)
    family = _FAMILY_OF[tokens[index].lower()]
    other = rng.choice([m for m in family if m != tokens[index].lower()])
    return [*tokens[:index], _recase(tokens[index], other), *tokens[index + 1 :]]


def _respell_abd(tokens: list[str], rng: random.Random) -> list[str] | None:
    text = " ".join(tokens)
    match = _ABD.search(text)
    if match is None or match.group(2).lower() in {"lah", "llah", "allah"}:
        return None
    stem = match.group(2).lower()
    form = rng.choice(
        (
            f"Abdul {stem.title()}",
            f"Abd al-{stem.title()}",
            f"Abdel{stem}",
            f"Abdul{stem}",
            f"Abd-el-{stem.title()}",
        )
    )
    if match.group(0).isupper():
        form = form.upper()
    return _changed_tokens(tokens, (text[: match.start()] + form + text[match.end() :]).split())


def _respell_article(tokens: list[str], rng: random.Random) -> list[str] | None:
    text = " ".join(tokens)
    match = re.search(r"\b(al|el)[\-\s]([a-z]{3,})", text, re.IGNORECASE)
    if match is None:
        return None
    stem = match.group(2)
    form = rng.choice((f"el-{stem}", f"Al {stem}", stem, f"Al-{stem}", f"al{stem.lower()}"))
    if match.group(0).isupper():
        form = form.upper()
    return _changed_tokens(tokens, (text[: match.start()] + form + text[match.end() :]).split())


_LETTER_RESPELLINGS: tuple[tuple[str, str], ...] = (
    (r"ou", "u"),
    (r"(?<=[^aeiou])u(?=[^aeiou])", "ou"),
    (r"oo", "u"),
    (r"q", "k"),
    (r"dh", "z"),
    (r"z", "dh"),
    (r"kh", "h"),
    (r"ei", "ay"),
    (r"ay", "ei"),
    (r"([bdfklmnrst])\1", r"\1"),
    (r"(?<=[aeiou])([mnrsl])(?=[aeiou])", r"\1\1"),
    (r"ee", "i"),
    (r"(?<=[^aeiou])i(?=[^aeiou])", "ee"),
    (r"^j", "dj"),
    (r"sh", "ch"),
    (r"ah$", "a"),
    (r"(?<=[^aeiouh])a$", "ah"),
    (r"gh", "g"),
    (r"th", "t"),
    (r"['`ʿʾ]", ""),
)


def _respell_letters(tokens: list[str], rng: random.Random) -> list[str] | None:
    options: list[tuple[int, str]] = []
    for index, token in enumerate(tokens):
        if token.lower() in _PARTICLES or len(token) < 3:
            continue
        for pattern, replacement in _LETTER_RESPELLINGS:
            rewritten = re.sub(pattern, replacement, token.lower(), count=1)
            if rewritten != token.lower() and len(rewritten) >= 2:
                options.append((index, rewritten))
    if not options:
        return None
    index, rewritten = rng.choice(options)
    return [*tokens[:index], _recase(tokens[index], rewritten), *tokens[index + 1 :]]


def _changed_tokens(before: list[str], after: list[str]) -> list[str] | None:
    return after if [t.lower() for t in after] != [t.lower() for t in before] else None


_ROMANISATION_RULES = (_respell_family, _respell_abd, _respell_article, _respell_letters)


def latin_romanisation(name: str, rng: random.Random) -> str | None:
    """Another romanisation of the same Arabic name (Mohammed→Muhammad, Abdul Aziz→Abd al-Aziz, al-→el-, ou/u, q/k ...)."""
    tokens = name.split()
    for _ in range(rng.choice((1, 2, 2, 3))):
        rules = list(_ROMANISATION_RULES)
        rng.shuffle(rules)
        for rule in rules:
            rewritten = rule(tokens, rng)
            if rewritten is not None:
                tokens = rewritten
                break
    result = " ".join(tokens)
    return result if result.lower() != name.lower() else None


def _latin_units(name: str) -> list[str]:
    tokens = name.replace(",", " ").split()
    units: list[str] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.lower() in _PARTICLES and index + 1 < len(tokens):
            units.append(f"{token} {tokens[index + 1]}")
            index += 2
        else:
            units.append(token)
            index += 1
    return units


def latin_order(name: str, rng: random.Random) -> str | None:
    """'LAST, First Middle' or family name first without a comma."""
    units = _latin_units(name)
    if len(units) < 2:
        return None
    separator = rng.choice((", ", " "))
    return f"{units[-1]}{separator}{' '.join(units[:-1])}"


def latin_homoglyph(name: str, rng: random.Random) -> str | None:
    """Cyrillic or Greek look-alike letters, sometimes with a zero-width character."""
    positions = [i for i, char in enumerate(name) if char in HOMOGLYPHS]
    if not positions:
        return None
    chars = list(name)
    for position in rng.sample(positions, k=min(len(positions), rng.randint(1, 3))):
        chars[position] = rng.choice(HOMOGLYPHS[chars[position]])
    result = "".join(chars)
    if rng.random() < 0.4:
        result = _insert_invisible(result, rng, ZERO_WIDTH)
    return result


def latin_typo(name: str, rng: random.Random) -> str | None:
    """One edit on a non-first letter of a Latin token of five letters or more."""
    tokens = name.split()
    long_tokens = [i for i, token in enumerate(tokens) if len(token) >= 5 and token.isalpha()]
    if not long_tokens:
        return None
    index = rng.choice(long_tokens)
    tokens[index] = _edit(tokens[index], rng, "abcdefghijklmnopqrstuvwxyz")
    return _changed(name, " ".join(tokens))


ARABIC_CLASSES: tuple[VariationClass, ...] = (
    VariationClass("exact", "arabic", exact),
    VariationClass("letter_variants", "arabic", letter_variants),
    VariationClass("diacritics_tatweel", "arabic", diacritics_tatweel),
    VariationClass("compound_split_join", "arabic", compound_split_join),
    VariationClass("titles", "arabic", titles, persons_only=True),
    VariationClass("name_order", "arabic", name_order, persons_only=True),
    VariationClass("missing_part", "arabic", missing_part, persons_only=True),
    VariationClass("extra_part", "arabic", extra_part, persons_only=True),
    VariationClass("typo", "arabic", typo),
    VariationClass("evasion", "arabic", evasion),
)
LATIN_CLASSES: tuple[VariationClass, ...] = (
    VariationClass("latin_romanisation", "latin", latin_romanisation),
    VariationClass("latin_order", "latin", latin_order, persons_only=True),
    VariationClass("latin_homoglyph", "latin", latin_homoglyph),
    VariationClass("latin_typo", "latin", latin_typo),
)
ALL_CLASSES: tuple[VariationClass, ...] = ARABIC_CLASSES + LATIN_CLASSES
