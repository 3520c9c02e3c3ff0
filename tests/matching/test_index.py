from __future__ import annotations

import random

import pytest

from raqib.matching import DEFAULT_THRESHOLD, Candidate, MatchIndex, Query


@pytest.fixture(scope="module")
def index(un_candidates: list[Candidate]) -> MatchIndex:
    return MatchIndex(un_candidates)


def _queries(un_rows: list[dict[str, str]]) -> list[Query]:
    """Arabic original-script names, Latin names with typos and dropped parts, and unrelated names."""
    rng = random.Random(7)
    queries = [Query(row["arabic_name"]) for row in un_rows if row["arabic_name"]]
    for row in un_rows:
        words = row["latin_names"].split("|")[0].split()
        if len(words) > 2:
            del words[rng.randrange(1, len(words) - 1)]
        word = rng.randrange(len(words))
        if len(words[word]) > 4:
            position = rng.randrange(1, len(words[word]) - 1)
            words[word] = words[word][:position] + words[word][position + 1 :]
        queries.append(Query(" ".join(words)))
    queries += [
        Query(name) for name in ("Mohammed Ahmed", "Abdullah", "John Smith", "عبد الله محمد", "Ali Hassan")
    ]
    return queries


def _ids(results: list[object]) -> list[tuple[str, float]]:
    return [(r.candidate_id, round(r.score, 9)) for r in results]  # type: ignore[attr-defined]


@pytest.mark.parametrize("threshold", [DEFAULT_THRESHOLD, 0.5])
def test_index_equals_brute_force(index: MatchIndex, un_rows: list[dict[str, str]], threshold: float) -> None:
    for query in _queries(un_rows)[::2]:
        assert _ids(index.search(query, threshold, limit=50)) == _ids(
            index.search_brute_force(query, threshold, limit=50)
        ), query.name


def test_arabic_names_find_their_latin_only_entry(index: MatchIndex, un_rows: list[dict[str, str]]) -> None:
    rows = [row for row in un_rows if row["arabic_name"]]
    found = sum(
        any(r.candidate_id == row["reference"] for r in index.search(Query(row["arabic_name"])))
        for row in rows
    )
    assert found / len(rows) >= 0.9


def test_search_many_matches_search(index: MatchIndex, un_rows: list[dict[str, str]]) -> None:
    queries = _queries(un_rows)[:150] * 2
    expected = [_ids(index.search(query)) for query in queries]
    assert [_ids(results) for results in index.search_many(queries, workers=2)] == expected
    assert [_ids(results) for results in index.search_many(queries, workers=1)] == expected


def test_limit_and_order(index: MatchIndex) -> None:
    results = index.search(Query("Saddam Hussein al-Tikriti"), threshold=0.3, limit=3)
    assert len(results) == 3
    assert results[0].candidate_id == "IQi.001"
    assert [r.score for r in results] == sorted((r.score for r in results), reverse=True)
    assert index.search(Query("")) == []
