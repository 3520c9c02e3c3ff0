"""Similarity of two name parts, in any pair of scripts, and the rarity weight of a part.

Two parts are compared on their phonetic consonant skeletons (Levenshtein similarity of the best pair
of keys, see :func:`raqib.names.skeleton_keys`): this is what makes ``محمد`` ~ ``Mohamed`` and
``الظواهري`` ~ ``Zawahiry``. When both parts are in Latin letters the spelled forms are compared as
well (a typo in a vowel or a letter keeps them close), and short skeletons (``Ali`` → ``L``) are
checked against the vowels so that *Ali* and *Ola* are not the same name. Compound parts (Abd al-X,
Abu X) compare stems only when their prefixes agree: *Abd al-Aziz* and *Abd al-Hadi* share nothing.
"""

from __future__ import annotations

import functools
import math

from rapidfuzz.distance import OSA, Indel

from raqib.names import NamePart, PartRole, is_arabic, skeleton_keys, transliterate_word

# Below this similarity two parts are not considered the same name at all (evidence 0).
SIMILARITY_FLOOR = 0.6
# Initials only match the first letter; they are weak evidence whatever the letter.
INITIAL_SIMILARITY = 0.85
INITIAL_WEIGHT_CAP = 0.15
# Weight of a part nobody has seen before is 1; a part as common as the commonest name tends to the floor.
WEIGHT_FLOOR = 0.08
SHORT_SKELETON = 2
_PREFIX_SKELETON = {"abd": "BD", "abu": "B", "umm": "M"}


@functools.lru_cache(maxsize=1 << 18)
def key_similarity(keys_a: tuple[str, ...], keys_b: tuple[str, ...]) -> float:
    """Best similarity between any key of one part and any key of the other (edit distance with transpositions)."""
    best = 0.0
    for key_a in keys_a:
        for key_b in keys_b:
            if key_a == key_b:
                return 1.0 if key_a else 0.0
            if key_a and key_b:
                best = max(best, OSA.normalized_similarity(key_a, key_b))
    return best


def joined_keys(part: NamePart) -> tuple[str, ...]:
    """Keys of a compound part as if its prefix were glued on (Abd al-Aziz -> BDZZ, BDLZZ)."""
    if part.prefix is None:
        return part.keys
    head = _PREFIX_SKELETON.get(part.prefix, "")
    return tuple(dict.fromkeys(head + key for key in part.keys)) + skeleton_keys(part.text.replace(" ", ""))


def _spelling_similarity(part_a: NamePart, part_b: NamePart) -> float:
    return Indel.normalized_similarity(part_a.stem, part_b.stem)


@functools.lru_cache(maxsize=1 << 18)
def part_similarity(part_a: NamePart, part_b: NamePart) -> float:
    """Similarity in [0, 1] of two name parts (1 = same name, possibly in another script or spelling)."""
    if part_a.role is PartRole.INITIAL or part_b.role is PartRole.INITIAL:
        return _initial_similarity(part_a, part_b)
    if part_a.prefix != part_b.prefix:
        # Abdulaziz vs Abd al-Aziz is handled by the parser; here one side is e.g. "Abdi" or "Bubakar".
        return 0.8 * key_similarity(joined_keys(part_a), joined_keys(part_b))
    skeleton = key_similarity(part_a.keys, part_b.keys)
    if not any(part_a.keys) and not any(part_b.keys):
        return _spelling_similarity(part_a, part_b)  # vowel-only names (Aya, Eowa)
    if skeleton <= SIMILARITY_FLOOR:
        # The skeleton gates: spelling can confirm a phonetic match but never create one (this is also
        # what lets the candidate index find every pair a full scan would).
        return skeleton
    same_script = is_arabic(part_a.stem) == is_arabic(part_b.stem)
    if same_script:
        spelling = _spelling_similarity(part_a, part_b)
        if max(map(len, part_a.keys)) <= SHORT_SKELETON:
            return max(skeleton * (0.6 + 0.4 * spelling), spelling)
        return max(skeleton, spelling)
    if max(map(len, part_a.keys)) <= SHORT_SKELETON and max(map(len, part_b.keys)) <= SHORT_SKELETON:
        # Short names: let the romanised vowels speak (علي ~ Ali, not Ola).
        latin_a, latin_b = part_a.latin.replace(" ", ""), part_b.latin.replace(" ", "")
        return skeleton * (0.75 + 0.25 * Indel.normalized_similarity(latin_a, latin_b))
    return skeleton


def first_letter(part: NamePart) -> str:
    """First letter of the part's stem in Latin letters (what an initial stands for)."""
    return transliterate_word(part.stem)[:1]


def _initial_similarity(part_a: NamePart, part_b: NamePart) -> float:
    first_a, first_b = first_letter(part_a), first_letter(part_b)
    if part_a.role is PartRole.INITIAL and part_b.role is PartRole.INITIAL:
        return 1.0 if first_a == first_b else 0.0
    return INITIAL_SIMILARITY if first_a == first_b and first_a != "" else 0.0


def evidence(similarity: float) -> float:
    """Map a part similarity to evidence in [0, 1]: 0 at or below the floor, 1 for the same name."""
    if similarity <= SIMILARITY_FLOOR:
        return 0.0
    return (similarity - SIMILARITY_FLOOR) / (1.0 - SIMILARITY_FLOOR)


def rarity_weight(count: float, total: float) -> float:
    """Weight of a part from how often its key occurs: 1 for unseen keys, small for the commonest names.

    The weight is the squared, normalised inverse document frequency ``(ln(total/(count+1)) / ln(total))²``,
    kept above :data:`WEIGHT_FLOOR` so a shared *Mohammed* still counts for a little.
    """
    if total <= 1:
        return 1.0
    idf = math.log(total / (count + 1.0)) / math.log(total)
    return max(WEIGHT_FLOOR, min(1.0, idf) ** 2)
