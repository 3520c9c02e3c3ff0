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

import numpy as np
from rapidfuzz.distance import OSA, Indel, Levenshtein

from raqib.names import NamePart, PartRole, is_arabic, skeleton_keys, transliterate_word

# Below this similarity two parts are not considered the same name at all (evidence 0).
SIMILARITY_FLOOR = 0.6
# Initials only match the first letter; they are weak evidence whatever the letter.
INITIAL_SIMILARITY = 0.85
INITIAL_WEIGHT_CAP = 0.15
# Weight of a part nobody has seen before is 1; a part as common as the commonest name tends to the floor.
WEIGHT_FLOOR = 0.08
SHORT_SKELETON = 2
# A Latin word this long with one letter typed wrong is still that word (Zubaii for Zubaidi), even when the typo
# took a consonant out of a short skeleton; shorter words one edit apart are often other names (Ali, Ola).
TYPO_MIN_LENGTH = 5
_PREFIX_SKELETON = {"abd": "BD", "abu": "B", "umm": "M"}
# Similarity lost per unit of vowel disagreement between two parts whose consonants align (see
# :func:`vowel_cost`): Hamed/Ahmad (HMD, HMD) lose 1.5 units, Hasan/Hossein 1, Mohammed/محمد none.
VOWEL_UNIT = 0.2
# Units of vowel disagreement for a Latin final -a after an Arabic final pronounced ه (طه Taha): the short vowel
# is not written in Arabic, but a vowel written on one side only at the end of a word otherwise costs a full unit.
FINAL_H_VOWEL = 0.3
# Evidence grows faster than similarity near the floor (``((s - floor) / (1 - floor)) ** 0.6``): one changed
# consonant in a long name (التكريتي typed الكتريتي, 0.75) is still good evidence (0.56, not 0.38).
EVIDENCE_CURVE = 0.6
# Similarity lost when two parts agree only through a learned respelling (see :mod:`raqib.names.learned`).
LEARNED_COST = 0.16


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


def consonant_similarity(key_a: str, key_b: str) -> float:
    """Normalised edit similarity (OSA: transpositions count as one edit) of two skeleton keys."""
    if key_a == key_b:
        return 1.0 if key_a else 0.0
    if not key_a or not key_b:
        return 0.0
    return float(OSA.normalized_similarity(key_a, key_b))


@functools.lru_cache(maxsize=1 << 16)
def _slots(shape: str) -> tuple[str, tuple[str, ...]]:
    """Split a shape into its consonant key and the vowel run before, between and after the consonants.

    Cached: the same shapes recur in every comparison (it was called ~175 times per query).
    """
    consonants: list[str] = []
    slots: list[str] = [""]
    for char in shape:
        if char.islower():
            slots[-1] += char
        else:
            consonants.append(char)
            slots.append("")
    return "".join(consonants), tuple(slots)


_COVERS = {"a": frozenset("ae"), "i": frozenset("ie"), "u": frozenset("u")}
_LATIN_CLASSES = {
    "a": frozenset("a"),
    "e": frozenset("ai"),
    "i": frozenset("i"),
    "u": frozenset("u"),
    "v": frozenset(),
}


@functools.lru_cache(maxsize=1 << 12)
def _latin_classes(run: str) -> frozenset[str]:
    return frozenset().union(*(_LATIN_CLASSES.get(char, frozenset()) for char in run))


def _slot_cost(run_a: str, run_b: str, position: str, arabic_a: bool, arabic_b: bool, cluster: bool) -> float:
    """Disagreement of the vowels written at one position (``initial``, ``internal`` or ``final``)."""
    if run_a == run_b:
        return 0.0
    if arabic_a and not arabic_b:
        return _cross_slot_cost(run_a, run_b, position, cluster)
    if arabic_b and not arabic_a:
        return _cross_slot_cost(run_b, run_a, position, cluster)
    silent_a, silent_b = run_a.replace("v", ""), run_b.replace("v", "")
    if ("v" in run_a or "v" in run_b) and (not silent_a or not silent_b):
        return 0.0
    if bool(silent_a) != bool(silent_b):
        if position == "initial":
            return 1.0
        if position == "final":
            return 0.3 if (silent_a or silent_b) == "e" else 1.0
        return 0.7 if arabic_a else 0.5  # Arabic writes only long vowels: a missing one counts more
    if arabic_a:
        return 0.0 if set(silent_a) & set(silent_b) else 0.7
    if position == "initial":
        # The onset decides: Wali is not Ali, Yasin is not Asin.
        silent_a, silent_b = silent_a[0], silent_b[0]
    return 0.0 if _latin_classes(silent_a) & _latin_classes(silent_b) else 1.0


def _cross_slot_cost(arabic: str, latin: str, position: str, cluster: bool) -> float:
    """Arabic long vowels must show in the Latin spelling; Latin short vowels need no Arabic letter.

    At the start and end of a word both scripts write the vowel: Arabic always writes an initial vowel
    (ا, ع) and a final one (ا, ي, و, ة), so a vowel written on one side only is evidence of a different
    word (بلانكارد vs Blancardo, ياكوبوفا vs Yakubov, حامد vs Ahmad). A Latin word starting with two
    consonants takes a prothetic alif in Arabic (استيفان, Stefan).
    """
    if position == "initial":
        if not arabic and latin:
            return 1.0
        if arabic and not latin:
            return 0.2 if cluster else 1.0
        return 0.0  # initial alif or ayn carries any vowel
    letters = arabic.replace("v", "")
    if position == "final":
        if not arabic and latin:
            return 0.3 if latin == "e" else 1.0
        if letters and not latin:
            return 1.0
    if not letters:
        return 0.0
    if not latin:
        return 0.8
    covered = set(latin)
    if position == "final":
        covered |= {"a"} if "i" in letters else set()  # alif maqsura written as ي: Mustafa, Yahya
        letters = letters.replace("i", "") if "a" in latin else letters
    missing = sum(1 for letter in letters if not (_COVERS.get(letter, frozenset()) & covered))
    return 0.6 * missing / max(1, len(letters))


def vowel_cost(shape_a: str, shape_b: str, arabic_a: bool, arabic_b: bool) -> float:
    """Units of vowel disagreement between two shapes, compared where their consonants align."""
    key_a, slots_a = _slots(shape_a)
    key_b, slots_b = _slots(shape_b)
    if not key_a or not key_b:
        return 0.0
    matched: set[tuple[int, int]] = set()
    for block in Levenshtein.opcodes(key_a, key_b).as_matching_blocks():
        matched.update((block.a + k, block.b + k) for k in range(block.size))
    cost = 0.0
    if (0, 0) in matched:
        latin_slots = slots_b if arabic_a and not arabic_b else slots_a
        cluster = len(latin_slots) > 2 and not latin_slots[0] and not latin_slots[1]
        cost += _slot_cost(slots_a[0], slots_b[0], "initial", arabic_a, arabic_b, cluster)
    last = (len(key_a) - 1, len(key_b) - 1)
    for i, j in matched:
        if (i + 1, j + 1) in matched:
            cost += _slot_cost(slots_a[i + 1], slots_b[j + 1], "internal", arabic_a, arabic_b, False)
    if last in matched:
        if _vowel_after_final_h(key_a, slots_a[-1], slots_b[-1], arabic_a, arabic_b) or _vowel_after_final_h(
            key_b, slots_b[-1], slots_a[-1], arabic_b, arabic_a
        ):
            cost += FINAL_H_VOWEL
        else:
            cost += _slot_cost(slots_a[-1], slots_b[-1], "final", arabic_a, arabic_b, False)
    return cost


def _vowel_after_final_h(key: str, run: str, other_run: str, arabic: bool, other_arabic: bool) -> bool:
    """An Arabic word ending in a pronounced ه (طه) against a Latin spelling that voices it (Taha)."""
    return arabic and not other_arabic and key.endswith("H") and not run and other_run == "a"


@functools.lru_cache(maxsize=1 << 18)
def shape_similarity(
    shapes_a: tuple[str, ...], shapes_b: tuple[str, ...], arabic_a: bool, arabic_b: bool
) -> float:
    """Best similarity of two parts' shapes: consonants by edit distance, minus vowel disagreement."""
    best = 0.0
    scored = sorted(
        ((consonant_similarity(_slots(a)[0], _slots(b)[0]), a, b) for a in shapes_a for b in shapes_b),
        reverse=True,
    )
    for consonants, shape_a, shape_b in scored:
        if consonants <= best:
            break
        best = max(best, consonants - VOWEL_UNIT * vowel_cost(shape_a, shape_b, arabic_a, arabic_b))
    return best


def typo_text(part: NamePart) -> str:
    """What the typo rule compares: the part as written, without the spaces of a compound."""
    return part.text.replace(" ", "")


def latin_typo_similarity(part_a: NamePart, part_b: NamePart) -> float:
    """Spelling similarity of two Latin-script words of five letters or more one edit (or one
    transposition) apart, else 0.

    A typed word is compared letter by letter: one wrong key is a typo whatever it does to the phonetic
    skeleton (*Yaqou* for *Yaqoub* loses the only consonant after the first, *Mohamxmad* gains two,
    *Adbullah* no longer starts with the *Abd* prefix). Latin only: an Arabic letter typed wrong usually
    is another name's consonant, and the Arabic keys already absorb the letter variants.
    :class:`~raqib.matching.blocking.TypoTable` finds these pairs for the index.
    """
    if is_arabic(part_a.stem) or is_arabic(part_b.stem):
        return 0.0
    text_a, text_b = typo_text(part_a), typo_text(part_b)
    if max(len(text_a), len(text_b)) < TYPO_MIN_LENGTH or OSA.distance(text_a, text_b, score_cutoff=1) > 1:
        return 0.0
    return float(Indel.normalized_similarity(text_a, text_b))


def _spelling_similarity(part_a: NamePart, part_b: NamePart) -> float:
    return Indel.normalized_similarity(part_a.stem, part_b.stem)


@functools.lru_cache(maxsize=1 << 18)
def part_similarity(part_a: NamePart, part_b: NamePart) -> float:
    """Similarity in [0, 1] of two name parts (1 = same name, possibly in another script or spelling)."""
    if part_a.role is PartRole.INITIAL or part_b.role is PartRole.INITIAL:
        return _initial_similarity(part_a, part_b)
    typo = latin_typo_similarity(part_a, part_b)
    if part_a.prefix != part_b.prefix:
        # Abdulaziz vs Abd al-Aziz is handled by the parser; here one side is e.g. "Abdi" or "Bubakar"
        # (or a typo broke the prefix: Adbullah).
        return max(0.8 * key_similarity(joined_keys(part_a), joined_keys(part_b)), typo)
    own_a, own_b = part_a.own_keys, part_b.own_keys
    skeleton = key_similarity(own_a, own_b)
    if not any(own_a) and not any(own_b):
        return max(_spelling_similarity(part_a, part_b), typo)  # vowel-only names (Aya, Eowa)
    arabic_a, arabic_b = is_arabic(part_a.stem), is_arabic(part_b.stem)
    same_script = arabic_a == arabic_b
    learned = not same_script and (part_a.learned_keys > 0 or part_b.learned_keys > 0)
    if learned and skeleton < 1.0:
        # Learned respellings (Jones ~ جونز) count only across scripts, and a little less than a reading.
        skeleton = max(skeleton, key_similarity(part_a.keys, part_b.keys) - LEARNED_COST)
    if skeleton <= SIMILARITY_FLOOR:
        # The skeleton gates: spelling can confirm a phonetic match but never create one, except for a
        # one-letter typo in a long Latin word (the index finds both through its key and typo tables).
        return max(skeleton, typo)
    own_shapes = shape_similarity(part_a.own_shapes, part_b.own_shapes, arabic_a, arabic_b)
    skeleton = own_shapes
    if learned and own_shapes < 1.0 and (part_a.learned_shapes > 0 or part_b.learned_shapes > 0):
        all_shapes = shape_similarity(part_a.shapes, part_b.shapes, arabic_a, arabic_b)
        skeleton = max(own_shapes, all_shapes - LEARNED_COST)
    if same_script:
        spelling = _spelling_similarity(part_a, part_b)
        short_a = max(map(len, own_a)) <= SHORT_SKELETON
        short_b = max(map(len, own_b)) <= SHORT_SKELETON
        if short_a or short_b:
            scaled = skeleton * (0.6 + 0.4 * spelling)  # short names: the spelling cannot override vowels
            # ... unless one letter typed wrong in a long word dropped a consonant (Zubaii for Zubaidi, Rahi for
            # Rahim) or moved a vowel (Abdullha): the spelling is then as close as for any other typo.
            return max(scaled, typo)
        return max(skeleton, spelling, typo)
    if max(map(len, own_a)) <= SHORT_SKELETON and max(map(len, own_b)) <= SHORT_SKELETON:
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
    return float(((similarity - SIMILARITY_FLOOR) / (1.0 - SIMILARITY_FLOOR)) ** EVIDENCE_CURVE)


def evidence_above_floor(similarities: np.ndarray) -> np.ndarray:
    """:func:`evidence` of many similarities, all above the floor, at once (the index's ceilings)."""
    scaled: np.ndarray = ((similarities - SIMILARITY_FLOOR) / (1.0 - SIMILARITY_FLOOR)) ** EVIDENCE_CURVE
    return scaled


def rarity_weight(count: float, total: float) -> float:
    """Weight of a part from how often its key occurs: 1 for unseen keys, small for the commonest names.

    The weight is the squared, normalised inverse document frequency ``(ln(total/(count+1)) / ln(total))²``,
    kept above :data:`WEIGHT_FLOOR` so a shared *Mohammed* still counts for a little.
    """
    if total <= 1:
        return 1.0
    idf = math.log(total / (count + 1.0)) / math.log(total)
    return max(WEIGHT_FLOOR, min(1.0, idf) ** 2)
