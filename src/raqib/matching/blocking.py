"""Blocking keys: which listed name parts a query part must be compared with.

Every part is indexed under its phonetic skeleton keys and their *deletion neighbourhood* (all strings
obtained by deleting up to ``d`` classes, SymSpell-style), with ``d`` the largest edit distance that can
still give a similarity above :data:`~raqib.matching.algorithms.v1.tokens.SIMILARITY_FLOOR` for a key of
that length. Two keys within edit distance ``d`` always share a deletion variant, so looking up the
query part's variants finds every listed part a full scan would pair with it. Initials are blocked on
their letter; compound parts on their prefix (``abd|ZZ``) and on their joined form.
"""

from __future__ import annotations

import functools
import itertools
import math

from raqib.matching.algorithms.v1.tokens import SIMILARITY_FLOOR, first_letter, joined_keys
from raqib.names import NamePart, PartRole

MAX_DEPTH = 3
VOWEL_ONLY = "V|"


@functools.lru_cache(maxsize=1 << 16)
def deletion_variants(key: str) -> frozenset[str]:
    """The key and every string reachable by deleting up to the depth allowed for its length."""
    depth = min(MAX_DEPTH, max(0, math.ceil((1.0 - SIMILARITY_FLOOR) * len(key)) - 1))
    variants = {key}
    for removed in range(1, depth + 1):
        for positions in itertools.combinations(range(len(key)), removed):
            variants.add("".join(char for index, char in enumerate(key) if index not in positions))
    return frozenset(variants)


def _namespaced(namespace: str, keys: tuple[str, ...]) -> set[str]:
    blocks: set[str] = set()
    for key in keys:
        if key:
            blocks.update(f"{namespace}|{variant}" for variant in deletion_variants(key))
    return blocks


def index_blocks(part: NamePart) -> set[str]:
    """Blocking keys under which a listed part is stored."""
    if part.role is PartRole.INITIAL:
        return {f"I|{first_letter(part)}"}
    blocks = _namespaced(part.prefix or "", part.keys)
    if part.prefix is not None:
        blocks |= _namespaced("", joined_keys(part))
    if not any(part.keys):
        blocks.add(VOWEL_ONLY)
    blocks.add(f"F|{first_letter(part)}")
    return blocks


def query_blocks(part: NamePart) -> set[str]:
    """Blocking keys a query part looks up (the mirror of :func:`index_blocks`)."""
    if part.role is PartRole.INITIAL:
        letter = first_letter(part)
        return {f"I|{letter}", f"F|{letter}"}
    blocks = _namespaced(part.prefix or "", part.keys)
    blocks |= _namespaced("", joined_keys(part))
    if not any(part.keys):
        blocks.add(VOWEL_ONLY)
    blocks.add(f"I|{first_letter(part)}")
    return blocks
