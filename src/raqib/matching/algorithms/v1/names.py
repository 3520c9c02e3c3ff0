"""Full-name comparison for raqib-v1: align the parts of two names and weigh them by rarity.

The parts of the query name and of one candidate name are paired greedily, best similarity first, each
part used at most once and order ignored (family-name-first, comma forms and shuffled parts all align).
Two neighbouring parts may also pair with one part on the other side (``Bin Laden`` ~ ``Binladen``,
``Os ama`` ~ ``Osama``). The score is a weighted Dice coefficient::

    score = Σ evidence(pair) × (weight of its query parts + weight of its candidate parts)
            ─────────────────────────────────────────────────────────────────────────
                      Σ weight of all query parts + Σ weight of all candidate parts

where a part left unpaired in the *middle* of a name counts half (a missing father's or grandfather's
name is weak evidence against), and weights come from rarity: a shared *Zawahiri* moves the score far
more than a shared *Mohammed*.
"""

from __future__ import annotations

import functools
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace

from raqib.matching.algorithms.v1.tokens import INITIAL_WEIGHT_CAP, evidence, part_similarity
from raqib.names import NamePart, PartRole, is_arabic, is_function_word, skeleton_keys, vowel_shapes

MIDDLE_DISCOUNT = 0.5
# An unpaired part counts against the match with at least this weight, however common it is: a shared
# *Mohammed* is weak evidence for (many people share it) but a *different* given name is strong evidence
# against (the same person is rarely recorded under another one). Ziad MUSONI vs IO Musoni, Omar Khalid vs
# a listed alias Khalid.
UNPAIRED_FLOOR = 0.5
# Two neighbouring parts written as one (Os ama ~ Osama, Bin Laden ~ Binladen) must look like that one part
# closely: a loose merge of two names into one token is how 'Jane Doe' came to match 'Jund'.
MERGE_MINIMUM = 0.8
# How many of each part's own keys are concatenated into a merged part's keys (see :func:`merged_part`).
_MERGED_KEYS = 2
# A name with a single part (a bare family name, "Ahmed, A", "General Taganda" once its title is off, one
# compound) against a name with more: one word does not identify a person, however rare it is, so such a
# comparison stays below the alert threshold. (A single part against a single part is scored as usual: that
# is a search for exactly that name.)
SINGLE_PART_CAP = 0.65
# A first part paired only this weakly does not count as agreeing (Osama vs Samira, Hamed vs Mohamed).
FIRST_PART_AGREES = 0.6
# A low-quality ("weak") alias alone: it counts in full only when it agrees on two parts or on a rare one.
WEAK_RARE = 0.5
WEAK_CAP = 0.6
WEAK_FACTOR = 0.95
# Both names keep their first part unpaired (Qusay Saddam Hussein / Uday Saddam Hussein): brothers share
# father's and grandfather's names, so a different given name is strong evidence of a different person.
FIRST_NAME_CONFLICT = 0.82
# Two names made only of *common* parts (Salih Ali / Ali Salim, Hamed Hassan / Mohamed Hassan, Mansour Tarek /
# Mansour Thaer): a changed letter in a common name usually makes another common name, and nothing rare
# confirms the match, so every inexact same-script pair's evidence is raised to COMMON_SHARPNESS (evidence <= 1, so it
# only goes down: the index's upper bound stays valid). A rare part anywhere keeps the concave curve, and so
# do cross-script pairs (the same name in two scripts is routinely a little below 1: يحيى / Yahia).
COMMON_WEIGHT = 0.45
COMMON_SHARPNESS = 2.5
# Only common parts agree, and they leave a first or last part unpaired or agree out of order with a part
# left over (Ahmed
# Mohammed / Muhammad Yunis Ahmad, Othman Abdallah Omar / Umar Uthman, Mansour Moustafa / Salim Mansur
# Mustafa, Khalid Abdelrahman / Khalid Abd al-Rahman Hamd al-Fawaz): thousands of people share two common
# names, and the part that would tell them apart (a family name, a given name) is missing on one side, so
# the pair stays below the alert threshold however close the common parts are. A missing *middle* part in
# the same order is how the same person is routinely written (father's name left out) and is not capped;
# a rare agreeing part (a family name) lifts the cap.
COMMON_ONLY_CAP = 0.68
WeightOf = Callable[[NamePart], float]


@dataclass(frozen=True, slots=True)
class PreparedName:
    """A name parsed and weighed once (candidate names are prepared at index build)."""

    text: str
    parts: tuple[NamePart, ...]
    weights: tuple[float, ...]
    weak: bool = False

    @property
    def total_weight(self) -> float:
        return sum(self.weights)


@dataclass(frozen=True, slots=True)
class Pairing:
    """One aligned group: query part indices, candidate part indices, similarity."""

    query: tuple[int, ...]
    candidate: tuple[int, ...]
    similarity: float


@dataclass(frozen=True, slots=True)
class NameComparison:
    score: float
    pairings: tuple[Pairing, ...]


def prepare(text: str, parts: Sequence[NamePart], weight_of: WeightOf, *, weak: bool = False) -> PreparedName:
    """Attach a rarity weight to each matchable part (initials capped: they are weak evidence).

    ``weak`` marks a low-quality alias (UN "Low", OFAC weak a.k.a.), scored with :data:`WEAK_CAP`.
    """
    weights = tuple(
        min(weight_of(part), INITIAL_WEIGHT_CAP) if part.role is PartRole.INITIAL else weight_of(part)
        for part in parts
    )
    return PreparedName(text=text, parts=tuple(parts), weights=weights, weak=weak)


def mergeable(part: NamePart) -> bool:
    """Plain name parts may be written as one word; compounds may not (their prefix would be lost), and
    Latin initials stand for a whole name. An Arabic single letter is a fragment, not an initial."""
    if part.role is PartRole.NAME:
        return True
    return part.role is PartRole.INITIAL and is_arabic(part.stem)


@functools.lru_cache(maxsize=1 << 16)
def merged_keys(first: NamePart, second: NamePart) -> tuple[str, ...]:
    """The keys of :func:`merged_part` alone (what a look-up needs; the shapes only serve scoring)."""
    keys = skeleton_keys(first.stem + second.stem)
    return keys + tuple(
        key
        for key in dict.fromkeys(
            a + b for a in first.own_keys[:_MERGED_KEYS] for b in second.own_keys[:_MERGED_KEYS]
        )
        if key not in keys
    )


def merged_part(first: NamePart, second: NamePart) -> NamePart:
    """Two neighbouring parts read as one word.

    Besides the keys of the joined stems, the parts' own keys are concatenated: the skeleton merges a
    consonant repeated across the join (سعد + الدين → SDN) that a one-word romanisation with a vowel
    between keeps (Sadudin → SDDN), and keeps the article of the second part (Saadaldin → SDLDN).
    """
    stem = first.stem + second.stem
    keys = merged_keys(first, second)
    shapes = vowel_shapes(stem)
    shapes += tuple(
        shape
        for shape in dict.fromkeys(
            a + b for a in first.own_shapes[:_MERGED_KEYS] for b in second.own_shapes[:_MERGED_KEYS]
        )
        if shape not in shapes
    )
    return replace(
        first,
        text=f"{first.text} {second.text}",
        role=PartRole.NAME,
        stem=stem,
        prefix=None,
        latin=first.latin + second.latin,
        keys=keys,
        shapes=shapes,
        learned_keys=0,
        learned_shapes=0,
    )


def _options(query: PreparedName, candidate: PreparedName) -> list[Pairing]:
    options: list[Pairing] = []
    for i, q_part in enumerate(query.parts):
        for j, c_part in enumerate(candidate.parts):
            similarity = part_similarity(q_part, c_part)
            if evidence(similarity) > 0.0:
                options.append(Pairing((i,), (j,), similarity))
    for i in range(len(query.parts) - 1):
        if not (mergeable(query.parts[i]) and mergeable(query.parts[i + 1])):
            continue
        merged = merged_part(query.parts[i], query.parts[i + 1])
        for j, c_part in enumerate(candidate.parts):
            if c_part.role is PartRole.INITIAL:
                continue  # an initial stands for one name, never for two written as one
            similarity = part_similarity(merged, c_part)
            if similarity >= MERGE_MINIMUM:
                options.append(Pairing((i, i + 1), (j,), similarity))
    for j in range(len(candidate.parts) - 1):
        if not (mergeable(candidate.parts[j]) and mergeable(candidate.parts[j + 1])):
            continue
        merged = merged_part(candidate.parts[j], candidate.parts[j + 1])
        for i, q_part in enumerate(query.parts):
            if q_part.role is PartRole.INITIAL:
                continue
            similarity = part_similarity(q_part, merged)
            if similarity >= MERGE_MINIMUM:
                options.append(Pairing((i,), (j, j + 1), similarity))
    return options


def unpaired_weights(name: PreparedName) -> list[float]:
    """What each part of a name adds to the denominator when it stays unpaired.

    A middle part counts at the middle discount (a missing father's name is weak evidence against), and
    so does a title or particle word left in place (*Karimullah Haji*, *Ould Ali Mohamed*: it names no
    one); a first or last part counts at least :data:`UNPAIRED_FLOOR`, an initial at its own weight. The
    index bounds scores with these values (:mod:`raqib.matching.index`).
    """
    last = len(name.parts) - 1
    weights: list[float] = []
    for index, (part, weight) in enumerate(zip(name.parts, name.weights, strict=True)):
        if 0 < index < last or (part.role is not PartRole.INITIAL and is_function_word(part.text)):
            weights.append(weight * MIDDLE_DISCOUNT)
        elif part.role is PartRole.INITIAL:
            weights.append(weight)
        else:
            weights.append(max(weight, UNPAIRED_FLOOR))
    return weights


def _denominator_weight(name: PreparedName, used: set[int]) -> float:
    unpaired = unpaired_weights(name)
    return sum(weight if index in used else unpaired[index] for index, weight in enumerate(name.weights))


def _first_names_conflict(query: PreparedName, candidate: PreparedName, chosen: Sequence[Pairing]) -> bool:
    if len(query.parts) < 2 or len(candidate.parts) < 2:
        return False
    for pairing in chosen:
        if not (0 in pairing.query or 0 in pairing.candidate):
            continue
        strength = evidence(pairing.similarity)
        if strength >= FIRST_PART_AGREES:
            return False
        if (
            strength > 0.0
            and _rare_plain(candidate, pairing.candidate)
            and _rare_plain(query, pairing.query, 0.0)
        ):
            return False  # a rare listed name written a letter off is a typo more often than a brother
    return query.parts[0].role is not PartRole.INITIAL and candidate.parts[0].role is not PartRole.INITIAL


def _rare_plain(name: PreparedName, indices: Iterable[int], rare: float = COMMON_WEIGHT) -> bool:
    """The parts are plain names (not compounds: Abd al-Rahman and Abd al-Rahim are two names one letter
    apart) weighing at least ``rare``."""
    return all(name.parts[i].role is PartRole.NAME and name.weights[i] >= rare for i in indices)


def _full_parts(name: PreparedName) -> int:
    return sum(1 for part in name.parts if part.role is not PartRole.INITIAL)


def _one_part_against_more(
    query: PreparedName, candidate: PreparedName, used_q: set[int], used_c: set[int]
) -> bool:
    """One name has a single full part, the other has more and leaves one of them unpaired."""
    q_full, c_full = _full_parts(query), _full_parts(candidate)
    if q_full == 1 and c_full > 1:
        return _has_unpaired(candidate, used_c)
    if c_full == 1 and q_full > 1:
        return _has_unpaired(query, used_q)
    return False


def _has_unpaired(name: PreparedName, used: set[int]) -> bool:
    """A full part is left unpaired (a title or particle word left in place does not count: the list's
    *Haji Karimullah* written family-first is *Karimullah Haji*, and the title is only stripped in front)."""
    return _missing_name(name, used, range(len(name.parts)))


def _same_script(query: PreparedName, candidate: PreparedName, pairing: Pairing) -> bool:
    return is_arabic(query.parts[pairing.query[0]].stem) == is_arabic(
        candidate.parts[pairing.candidate[0]].stem
    )


def _only_common_agree(
    query: PreparedName, candidate: PreparedName, used_q: set[int], used_c: set[int]
) -> bool:
    """Every paired part on both sides is common (and something is paired)."""
    return (
        bool(used_q)
        and all(query.weights[i] < COMMON_WEIGHT for i in used_q)
        and all(candidate.weights[j] < COMMON_WEIGHT for j in used_c)
    )


def _missing_name(name: PreparedName, used: set[int], indices: Iterable[int]) -> bool:
    """One of ``indices`` is an unpaired full name (not an initial, not a title or particle word left in
    place: Haji, Mullah, ben)."""
    return any(
        index not in used
        and name.parts[index].role is not PartRole.INITIAL
        and not is_function_word(name.parts[index].text)
        for index in indices
    )


def _crossed(chosen: Sequence[Pairing]) -> bool:
    """Two pairings in opposite orders on the two sides (Ahmed Mohammed ~ Muhammad ... Ahmad)."""
    ordered = sorted((pairing.query[0], pairing.candidate[0]) for pairing in chosen)
    return any(later[1] < earlier[1] for earlier, later in itertools.pairwise(ordered))


def _end_unpaired(name: PreparedName, used: set[int]) -> bool:
    """The first or the last (full) part of a name of two or more parts is unpaired."""
    if len(name.parts) < 2:
        return False
    return _missing_name(name, used, {0, len(name.parts) - 1})


def _all_common(name: PreparedName) -> bool:
    return len(name.parts) > 1 and all(weight < COMMON_WEIGHT for weight in name.weights)


def compare(query: PreparedName, candidate: PreparedName) -> NameComparison:
    """Align two prepared names and return the weighted score with the pairings used."""
    if not query.parts or not candidate.parts:
        return NameComparison(0.0, ())
    options = _options(query, candidate)
    # Best first; on ties prefer a single pair to a merged one (السعدي ~ Essaadi, not ~ "Ali Essaadi" through
    # the article key, which would leave Ali unpaired), then the option that covers more weight (the rarer one).
    options.sort(
        key=lambda o: (
            o.similarity,
            -len(o.query) - len(o.candidate),
            sum(query.weights[i] for i in o.query) + sum(candidate.weights[j] for j in o.candidate),
        ),
        reverse=True,
    )
    used_q: set[int] = set()
    used_c: set[int] = set()
    chosen: list[Pairing] = []
    common_only = _all_common(query) and _all_common(candidate)
    numerator = 0.0
    for option in options:
        if used_q.intersection(option.query) or used_c.intersection(option.candidate):
            continue
        used_q.update(option.query)
        used_c.update(option.candidate)
        chosen.append(option)
        pair_weight = sum(query.weights[i] for i in option.query) + sum(
            candidate.weights[j] for j in option.candidate
        )
        strength = evidence(option.similarity)
        if common_only and strength < 1.0 and _same_script(query, candidate, option):
            strength **= COMMON_SHARPNESS
        numerator += strength * pair_weight
    denominator = _denominator_weight(query, used_q) + _denominator_weight(candidate, used_c)
    score = numerator / denominator if denominator > 0 else 0.0
    if _first_names_conflict(query, candidate, chosen):
        score *= FIRST_NAME_CONFLICT
    if _one_part_against_more(query, candidate, used_q, used_c):
        score = min(score, SINGLE_PART_CAP)
    elif _only_common_agree(query, candidate, used_q, used_c) and (
        _end_unpaired(query, used_q)
        or _end_unpaired(candidate, used_c)
        or (
            _crossed(chosen)
            and (
                _missing_name(query, used_q, range(len(query.parts)))
                or _missing_name(candidate, used_c, range(len(candidate.parts)))
            )
        )
    ):
        score = min(score, COMMON_ONLY_CAP)
    if candidate.weak:
        score *= WEAK_FACTOR
        if len(chosen) < 2 and max((candidate.weights[j] for j in used_c), default=0.0) < WEAK_RARE:
            score = min(score, WEAK_CAP)
    return NameComparison(min(1.0, score), tuple(chosen))
