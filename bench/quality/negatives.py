"""Negatives: pairs and names that must NOT match, built to be hard but honest.

Word pairs: an Arabic token is paired with another Latin token of the same corpus that looks
like its transliteration (same first letter and similar length, or the nearest spellings by
edit ratio) but is not one: every known Latin spelling of that Arabic token in *any* corpus is
excluded, and so is any Latin token with the same consonant skeleton as a known spelling
(``Janus``/``Janos``), because such a pair may well be the same name.

Full names: people who are not on the list, in Arabic and in Latin script, composed from common
given names and corpus tokens, plus three hard groups (a shared rare family name, a different
'Abd al-' compound, very common full names). A negative is dropped when it reproduces a listed
name: when it contains all of a listed name's non-common tokens (all of its tokens, when the
listed name is made only of common ones), compared by the lossy keys of :mod:`bench.quality.keys`
and, for Arabic tokens, through every Latin spelling the corpora know for them.
"""

from __future__ import annotations

import random
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from bench.quality.data import Lexicon, ListedEntity, WordPair
from bench.quality.keys import arabic_tokens, has_arabic, latin_key, latin_skeleton, latin_tokens
from bench.quality.tables import ABD_COMPOUND_PARTS, COMMON_GIVEN_NAMES, FEMALE_GIVEN_NAMES

NEGATIVE_GROUPS = ("composed", "rare_family", "abd_prefix", "common_full")

# --------------------------------------------------------------------------- word pairs


def word_pair_negatives(
    positives: Sequence[WordPair], vocabulary: Sequence[str], lexicon: Lexicon, size: int, rng: random.Random
) -> list[WordPair]:
    """``size`` hard negatives for one corpus, half 'same first letter and length', half 'nearest'.

    Args:
        positives: the sampled positive pairs of the corpus; their Arabic sides are reused.
        vocabulary: the corpus's distinct Latin tokens.
        lexicon: known Latin spellings of every Arabic token over all corpora.
        size: how many negatives to make.
        rng: the seeded random source.
    """
    buckets: dict[str, list[str]] = defaultdict(list)
    for latin in sorted(set(vocabulary)):
        buckets[latin[:1].lower()].append(latin)
    negatives: list[WordPair] = []
    seen: set[tuple[str, str]] = set()
    order = list(positives)
    rng.shuffle(order)
    attempts = 0
    while len(negatives) < size and attempts < size * 4 and order:
        pair = order[attempts % len(order)]
        attempts += 1
        kind = "nearest" if len(negatives) % 2 else "first_letter_length"
        bucket = buckets.get(pair.latin[:1].lower(), [])
        known = lexicon.variants(pair.arabic) | {pair.latin.lower()}
        skeletons = {latin_skeleton(k) for k in known}
        choice = _pick_negative(pair.latin, bucket, known, skeletons, kind, rng)
        if choice is None or (pair.arabic, choice.lower()) in seen:
            continue
        seen.add((pair.arabic, choice.lower()))
        negatives.append(WordPair(pair.arabic, choice, pair.corpus, positive=False, kind=kind))
    return negatives


def _pick_negative(
    latin: str, bucket: Sequence[str], known: set[str], skeletons: set[str], kind: str, rng: random.Random
) -> str | None:
    def acceptable(candidate: str) -> bool:
        return candidate.lower() not in known and latin_skeleton(candidate) not in skeletons

    if kind == "nearest":
        nearest = process.extract(latin.lower(), bucket, scorer=fuzz.ratio, processor=str.lower, limit=25)
        for candidate, _, _ in nearest:
            if acceptable(candidate):
                return candidate
        return None
    similar = [c for c in bucket if abs(len(c) - len(latin)) <= 1]
    for _ in range(20):
        if not similar:
            return None
        candidate = rng.choice(similar)
        if acceptable(candidate):
            return candidate
    return None


# --------------------------------------------------------------------------- full names


@dataclass(frozen=True, slots=True)
class NegativeName:
    """A name of someone who is not listed; ``source`` says what it was built from."""

    name: str
    script: str  # "arabic" or "latin"
    group: str
    source: str = ""


# Honorifics and titles are not part of who someone is: a negative "Abdul Sattar" reproduces the
# listed "Haji Abdul Satar". Kept here (not taken from the engine's data) so the bench stays independent.
LATIN_TITLES = frozenset(
    {
        "haji",
        "hajji",
        "hajj",
        "alhaj",
        "alhajj",
        "sheikh",
        "shaykh",
        "sheik",
        "shaikh",
        "mullah",
        "mulla",
        "maulavi",
        "mawlawi",
        "maulvi",
        "molvi",
        "qari",
        "qazi",
        "dr",
        "doctor",
        "general",
        "colonel",
        "emir",
        "amir",
        "imam",
        "sayyid",
        "sayed",
        "syed",
        "sir",
        "mr",
        "mrs",
        "prof",
    }
)
ARABIC_TITLES = frozenset(
    {
        "الحاج",
        "الشيخ",
        "شيخ",
        "الملا",
        "ملا",
        "مولوي",
        "القاري",
        "الدكتور",
        "د",
        "اللواء",
        "العميد",
        "الامير",
        "امير",
        "الامام",
        "السيد",
    }
)


class ListedTokens:
    """The token sets of every listed name, to refuse negatives that reproduce one."""

    def __init__(self, entities: Iterable[ListedEntity], lexicon: Lexicon):
        self.lexicon = lexicon
        self.common_latin = {
            tok for _, forms in COMMON_GIVEN_NAMES for form in forms for tok in latin_tokens(form)
        }
        self.common_arabic = {tok for arabic, _ in COMMON_GIVEN_NAMES for tok in arabic_tokens(arabic)}
        self.latin_title_keys = frozenset(key for title in LATIN_TITLES for key in latin_tokens(title))
        self.arabic_title_keys = frozenset(key for title in ARABIC_TITLES for key in arabic_tokens(title))
        self.latin_names: list[tuple[frozenset[str], frozenset[str]]] = []
        self.arabic_names: list[tuple[frozenset[str], frozenset[str]]] = []
        for entity in entities:
            for name in (*entity.latin_names, *entity.weak_names):
                tokens = frozenset(latin_tokens(name)) - self.latin_title_keys
                if tokens:
                    self.latin_names.append((tokens, tokens - self.common_latin))
            for name in entity.arabic_names:
                tokens = frozenset(arabic_tokens(name)) - self.arabic_title_keys
                if tokens:
                    self.arabic_names.append((tokens, tokens - self.common_arabic))

    @staticmethod
    def _reproduces(query: set[str], listed: list[tuple[frozenset[str], frozenset[str]]]) -> bool:
        for tokens, rare in listed:
            if not rare and len(tokens) == 1 and query != tokens:
                continue  # a lone common alias ('Abdallah') is reproduced only by itself
            required = rare if rare else tokens
            if all(len(key) < 3 for key in required) and query != tokens:
                continue  # keys like 'ka' are too short to say anything
            if required <= query:
                return True
        return False

    def reproduces_listed(self, name: str) -> bool:
        """Whether ``name`` contains all the non-common tokens of some listed name."""
        if has_arabic(name):
            arabic = set(arabic_tokens(name))
            if self._reproduces(arabic, self.arabic_names):
                return True
            latin: set[str] = set()
            for key in arabic:  # compounds joined: 'عبد' alone is never looked up
                latin |= {
                    k for variant in self.lexicon.latin_by_arabic.get(key, ()) for k in latin_tokens(variant)
                }
            for common_arabic, forms in COMMON_GIVEN_NAMES:
                if set(arabic_tokens(common_arabic)) <= arabic:
                    latin |= {key for form in forms for key in latin_tokens(form)}
            for (
                part_arabic,
                stem,
            ) in ABD_COMPOUND_PARTS:  # عبد السلام -> Abd al-Salam even if no corpus has it
                if arabic_tokens(f"عبد {part_arabic}")[0] in arabic:
                    latin |= set(latin_tokens(f"Abd al-{stem}"))
            return self._reproduces(latin, self.latin_names)
        return self._reproduces(set(latin_tokens(name)), self.latin_names)


_MALE_NAMES = tuple(entry for entry in COMMON_GIVEN_NAMES if entry[0] not in FEMALE_GIVEN_NAMES)


def _common(rng: random.Random, male: bool = False) -> tuple[str, str]:
    arabic, forms = rng.choice(_MALE_NAMES if male else COMMON_GIVEN_NAMES)
    return arabic, rng.choice(forms)


def _token_pair(pool: Sequence[WordPair], rng: random.Random) -> tuple[str, str]:
    pair = rng.choice(pool)
    return pair.arabic, pair.latin[:1].upper() + pair.latin[1:].lower()


def composed_names(pool: Sequence[WordPair], count: int, rng: random.Random) -> list[NegativeName]:
    """Given + father (+ grandfather) + family, alternately in Arabic and Latin script."""
    family_pool = [p for p in pool if p.arabic.startswith("ال")] or list(pool)
    out: list[NegativeName] = []
    for index in range(count):
        parts = [
            _common(rng) if rng.random() < 0.75 else _token_pair(pool, rng)
            for _ in range(rng.choice((1, 2, 2)))
        ]
        family = _token_pair(family_pool if rng.random() < 0.5 else pool, rng)
        if family[0].startswith("ال") and not family[1].lower().startswith("al"):
            family = (family[0], f"al-{family[1]}")
        parts.append(family)
        script = "arabic" if index % 2 == 0 else "latin"
        text = " ".join(p[0] if script == "arabic" else p[1] for p in parts)
        out.append(NegativeName(text, script, "composed"))
    return out


def rare_family_names(
    entities: Sequence[ListedEntity], common: ListedTokens, rng: random.Random
) -> list[NegativeName]:
    """A listed person's rare last name with different, common given names (Arabic and Latin)."""
    out: list[NegativeName] = []
    for entity in entities:
        if entity.type != "person":
            continue
        for arabic in entity.arabic_names[:1]:
            tokens = arabic.split()
            family = arabic_tokens(tokens[-1]) if len(tokens) >= 2 else []
            if family and family[0] not in common.common_arabic and len(family[0]) >= 3:
                given = _fresh_common(rng, exclude=arabic, script="arabic", count=rng.choice((1, 2)))
                out.append(NegativeName(" ".join([*given, tokens[-1]]), "arabic", "rare_family", entity.id))
        tokens = entity.primary.replace(",", " ").split()
        family_keys = latin_tokens(tokens[-1]) if len(tokens) >= 2 else []
        if family_keys and len(family_keys[0]) >= 3 and family_keys[0] not in common.common_latin:
            given = _fresh_common(rng, exclude=entity.primary, script="latin", count=rng.choice((1, 2)))
            out.append(NegativeName(" ".join([*given, tokens[-1]]), "latin", "rare_family", entity.id))
    return out


def _fresh_common(rng: random.Random, exclude: str, script: str, count: int) -> list[str]:
    present_latin = set(latin_tokens(exclude)) if script == "latin" else set()
    present_arabic = set(arabic_tokens(exclude)) if script == "arabic" else set()
    chosen: list[str] = []
    while len(chosen) < count:
        arabic, latin = _common(rng)
        if script == "arabic" and not (set(arabic_tokens(arabic)) & present_arabic):
            chosen.append(arabic)
            present_arabic |= set(arabic_tokens(arabic))
        elif script == "latin" and not (set(latin_tokens(latin)) & present_latin):
            chosen.append(latin)
            present_latin |= set(latin_tokens(latin))
    return chosen


def abd_prefix_names(
    entities: Sequence[ListedEntity], common: ListedTokens, rng: random.Random
) -> list[NegativeName]:
    """A listed 'Abd al-X' compound turned into 'Abd al-Y', the other common tokens kept, rare ones replaced."""
    out: list[NegativeName] = []
    for entity in entities:
        for arabic in entity.arabic_names[:1]:
            match = re.search(r"عبد ?(ال\S+)", arabic)
            if match is not None:
                other = rng.choice([a for a, _ in ABD_COMPOUND_PARTS if a != match.group(1)])
                text = arabic[: match.start()] + f"عبد {other}" + arabic[match.end() :]
                out.append(
                    NegativeName(
                        _replace_rare(text, common, rng, "arabic"), "arabic", "abd_prefix", entity.id
                    )
                )
        for latin in entity.latin_names[:2]:
            match = re.search(
                r"\babd(?:ul|el|al|u)?[\s\-]*(?:(?:al|el|ul)[\s\-]+)?([a-z]{3,})", latin, re.IGNORECASE
            )
            if match is None or match.group(1).lower() in {"lah", "llah", "allah"}:
                continue
            stems = [s for _, s in ABD_COMPOUND_PARTS if latin_key(s) != latin_key(match.group(1))]
            text = (latin[: match.start()] + f"Abdul {rng.choice(stems)}" + latin[match.end() :]).title()
            out.append(
                NegativeName(_replace_rare(text, common, rng, "latin"), "latin", "abd_prefix", entity.id)
            )
            break
    return out


def _replace_rare(text: str, common: ListedTokens, rng: random.Random, script: str) -> str:
    """Keep the Abd compound and common tokens; swap every other token for a common given name."""
    words = text.replace(",", " ").split()
    out: list[str] = []
    index = 0
    while index < len(words):
        word = words[index]
        lowered = word.lower()
        if lowered in {"عبد", "abdul", "abd", "abdel"} and index + 1 < len(words):
            out.extend(words[index : index + 2])
            index += 2
            continue
        if script == "arabic":
            keys = arabic_tokens(word)
            is_common = bool(keys) and keys[0] in common.common_arabic
            is_particle = word in {"بن", "ابن", "بنت", "أبو", "ابو"}
        else:
            keys = latin_tokens(word)
            is_common = bool(keys) and keys[0] in common.common_latin
            is_particle = lowered in {"bin", "ben", "ibn", "abu", "al", "el"}
        if is_common or is_particle:
            out.append(word)
        else:
            arabic, latin = _common(rng)
            out.append(arabic if script == "arabic" else latin)
        index += 1
    return " ".join(out)


def common_full_names(count: int, rng: random.Random) -> list[NegativeName]:
    """Very common full names made only of common given names (محمد أحمد, Mohammed Ali)."""
    out: list[NegativeName] = []
    for index in range(count):
        parts = [_common(rng, male=position > 0) for position in range(rng.choice((2, 2, 3)))]
        script = "arabic" if index % 2 == 0 else "latin"
        out.append(
            NegativeName(" ".join(p[0] if script == "arabic" else p[1] for p in parts), script, "common_full")
        )
    return out


def full_name_negatives(
    entities: Sequence[ListedEntity],
    token_pool: Sequence[WordPair],
    lexicon: Lexicon,
    size: int,
    rng: random.Random,
) -> tuple[list[NegativeName], dict[str, int]]:
    """About ``size`` negatives over all groups, de-duplicated and filtered; also the drop counts."""
    listed = ListedTokens(entities, lexicon)
    hard = rare_family_names(entities, listed, rng) + abd_prefix_names(entities, listed, rng)
    kept: list[NegativeName] = []
    seen: set[str] = set()
    dropped: dict[str, int] = defaultdict(int)

    def keep(candidates: Iterable[NegativeName]) -> None:
        for negative in candidates:
            key = negative.name.lower()
            if key in seen:
                dropped[f"{negative.group}:duplicate"] += 1
                continue
            seen.add(key)
            if listed.reproduces_listed(negative.name):
                dropped[f"{negative.group}:reproduces_listed"] += 1
                continue
            kept.append(negative)

    keep(hard)
    keep(common_full_names(max(size // 6, 10), rng))
    # Composed names fill up to the requested size (some are dropped as too close to a listed name).
    for _ in range(20):
        missing = size - len(kept)
        if missing <= 0:
            break
        keep(composed_names(token_pool, missing, rng))
    return kept, dict(dropped)
