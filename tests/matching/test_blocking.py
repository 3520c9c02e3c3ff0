"""The blocking tables find every listed part a full comparison would (the index's exactness rests on it).

Each test runs on the compiled kernel (where built) and on the Python fallback; tests/matching/
test_keys_kernel.py compares the two with a brute-force reading on generated and real tables.
"""

from __future__ import annotations

import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from raqib.matching.algorithms.v1 import parse
from raqib.matching.algorithms.v1.tokens import (
    SIMILARITY_FLOOR,
    TYPO_MIN_LENGTH,
    consonant_similarity,
    latin_typo_similarity,
    typo_text,
)
from raqib.matching.blocking import (
    COMPILED,
    KeyTable,
    TypoTable,
    best_by_owner,
    deletion_variants,
    listed_keys,
    max_distance,
)
from raqib.names import NamePart, PartRole

IMPLEMENTATIONS = [
    pytest.param(False, id="python"),
    pytest.param(
        True,
        id="compiled",
        marks=pytest.mark.skipif(not COMPILED, reason="raqib.matching._keys_kernel is not built"),
    ),
]


def _latin_parts(rows: list[dict[str, str]]) -> list[NamePart]:
    parts = {part for row in rows for name in row["latin_names"].split("|") for part in parse(name).parts}
    return sorted(parts, key=lambda part: part.text)


def _edited(word: str, rng: random.Random) -> str:
    position = rng.randrange(len(word))
    operation = rng.choice(("substitute", "delete", "insert", "transpose"))
    letter = rng.choice("abcdefghijklmnopqrstuvwxyz")
    if operation == "substitute":
        return word[:position] + letter + word[position + 1 :]
    if operation == "delete":
        return word[:position] + word[position + 1 :]
    if operation == "insert":
        return word[:position] + letter + word[position:]
    if position == len(word) - 1:
        return word
    return word[:position] + word[position + 1] + word[position] + word[position + 2 :]


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
def test_typo_table_finds_every_word_one_typo_away(un_rows: list[dict[str, str]], compiled: bool) -> None:
    listed = _latin_parts(un_rows)
    table = TypoTable(((part, owner) for owner, part in enumerate(listed)), compiled=compiled)
    rng = random.Random(3)
    queries = [parse(_edited(typo_text(part), rng)).parts for part in rng.sample(listed, 300)]
    for query in (parts[0] for parts in queries if len(parts) == 1):
        found = table.similar(query)
        for owner, part in enumerate(listed):
            expected = latin_typo_similarity(query, part)
            # The table's value is the ceiling the index uses: at least what the rule gives.
            assert found.get(owner, 0.0) >= expected, (query.text, part.text)
            if owner in found:
                assert OSA.distance(typo_text(query), typo_text(part)) <= 1


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdehiklmnorsuyxz", min_size=TYPO_MIN_LENGTH - 1, max_size=9), st.integers(0, 1000))
def test_typo_table_agrees_with_the_rule_on_any_word(compiled: bool, word: str, seed: int) -> None:
    """Any word and a one-edit variant of it: the table's value is the rule's similarity."""
    listed_parts, query_parts = parse(word).parts, parse(_edited(word, random.Random(seed))).parts
    if len(listed_parts) != 1 or len(query_parts) != 1:
        return
    table = TypoTable([(listed_parts[0], 0)], compiled=compiled)
    expected = latin_typo_similarity(query_parts[0], listed_parts[0])
    assert table.similar(query_parts[0]).get(0, 0.0) == expected
    owners, similarities = table.similar_arrays(query_parts[0])
    assert (owners.tolist(), similarities.tolist()) == (([0], [expected]) if expected else ([], []))


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
def test_arabic_parts_are_not_in_the_typo_table(compiled: bool) -> None:
    table = TypoTable([(parse("التكريتي").parts[0], 0), (parse("Tikriti").parts[0], 1)], compiled=compiled)
    assert len(table) == 1
    assert table.similar(parse("التكريتى").parts[0]) == {}
    assert set(table.similar(parse("Tikrity").parts[0])) == {1}
    assert table.similar_arrays(parse("التكريتى").parts[0])[0].size == 0


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
def test_typo_values_are_the_best_per_owner(compiled: bool) -> None:
    """An owner listed under several words gets the best of their spelling similarities."""
    words = ["Zubaidi", "Zubaydi", "Zubeidi"]
    table = TypoTable(
        [(parse(word).parts[0], 7) for word in words] + [(parse("Zubaidy").parts[0], 3)], compiled
    )
    query = parse("Zubaidx").parts[0]
    expected = max(latin_typo_similarity(query, parse(word).parts[0]) for word in words)
    owners, similarities = table.similar_arrays(query)
    assert owners.dtype == np.int32
    assert similarities.dtype == np.float64
    assert owners.tolist() == [3, 7]
    assert similarities[1] == expected
    assert table.similar(query) == dict(zip(owners.tolist(), similarities.tolist(), strict=True))


# -- the key table ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
def test_key_table_finds_every_listed_part_within_the_floor(
    un_rows: list[dict[str, str]], compiled: bool
) -> None:
    """Each listed part's keys against every listed key, as part_similarity's key gate reads them."""
    listed = [part for part in _latin_parts(un_rows) if part.role is not PartRole.INITIAL]
    entries = [(key, owner) for owner, part in enumerate(listed) for _, key in listed_keys(part)]
    table = KeyTable(entries, compiled=compiled)
    for part in listed[::7]:
        owners, similarities = table.similar_many(part.keys)
        found = dict(zip(owners.tolist(), similarities.tolist(), strict=True))
        for owner, other in enumerate(listed):
            best = max(
                (
                    consonant_similarity(key, listed_key)
                    for key in part.keys
                    for _, listed_key in listed_keys(other)
                ),
                default=0.0,
            )
            if best > SIMILARITY_FLOOR:
                assert found.get(owner) == best, (part.text, other.text)
            else:
                assert owner not in found


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
def test_long_keys_are_compared_directly(compiled: bool) -> None:
    """Keys longer than MAX_INDEXED_LENGTH are not indexed, and still found from shorter and longer keys."""
    long_key = "BDLRHMNSTKZ"  # 11 classes
    entries = [(long_key, 1), (long_key[:-1], 2)] + [
        ("".join(random.Random(i).choices("BDLR", k=5)), 10 + i) for i in range(300)
    ]
    table = KeyTable(entries, compiled=compiled)
    assert len(table) > 256  # indexed, not compared key by key
    for query in [long_key[:7], long_key[:-1], long_key, long_key + "BD", long_key[1:] + "XX"]:
        owners, similarities = table.similar_many([query])
        expected = {
            owner: float(OSA.normalized_similarity(query, key))
            for key, owner in entries
            if OSA.normalized_similarity(query, key) > SIMILARITY_FLOOR
        }
        assert dict(zip(owners.tolist(), similarities.tolist(), strict=True)) == expected, query


def test_python_helpers_stay_importable() -> None:
    """What the fallback is made of (and index.py imports) keeps its meaning."""
    assert [max_distance(length) for length in (5, 10, 11)] == [1, 3, 4]
    assert set(deletion_variants("BDL")) == {"BDL", "DL", "BL", "BD"}
    owners, values = best_by_owner(np.asarray([3, 1, 3]), np.asarray([0.7, 0.9, 0.8]))
    assert (owners.tolist(), values.tolist()) == ([1, 3], [0.9, 0.8])
