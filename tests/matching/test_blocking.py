"""The blocking tables find every listed part a full comparison would (the index's exactness rests on it)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA

from raqib.matching.algorithms.v1 import parse
from raqib.matching.algorithms.v1.tokens import TYPO_MIN_LENGTH, latin_typo_similarity, typo_text
from raqib.matching.blocking import TypoTable
from raqib.names import NamePart


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


def test_typo_table_finds_every_word_one_typo_away(un_rows: list[dict[str, str]]) -> None:
    listed = _latin_parts(un_rows)
    table = TypoTable((part, owner) for owner, part in enumerate(listed))
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


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdehiklmnorsuyxz", min_size=TYPO_MIN_LENGTH - 1, max_size=9), st.integers(0, 1000))
def test_typo_table_agrees_with_the_rule_on_any_word(word: str, seed: int) -> None:
    """Any word and a one-edit variant of it: the table's ceiling is never below the rule's similarity."""
    listed_parts, query_parts = parse(word).parts, parse(_edited(word, random.Random(seed))).parts
    if len(listed_parts) != 1 or len(query_parts) != 1:
        return
    table = TypoTable([(listed_parts[0], 0)])
    assert table.similar(query_parts[0]).get(0, 0.0) >= latin_typo_similarity(query_parts[0], listed_parts[0])


def test_arabic_parts_are_not_in_the_typo_table() -> None:
    table = TypoTable([(parse("التكريتي").parts[0], 0), (parse("Tikriti").parts[0], 1)])
    assert len(table) == 1
    assert table.similar(parse("التكريتى").parts[0]) == {}
    assert set(table.similar(parse("Tikrity").parts[0])) == {1}
