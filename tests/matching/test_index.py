from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace

import pytest

from raqib.matching import DEFAULT_THRESHOLD, Candidate, MatchIndex, MatchResult, Query, rarity_matcher
from raqib.matching.algorithms.v1.tokens import evidence, part_similarity
from raqib.names import PartRole


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


def _ids(results: Sequence[MatchResult]) -> list[tuple[str, float]]:
    return [(r.candidate_id, round(r.score, 9)) for r in results]


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


def test_similarity_ceiling_never_below_part_similarity(
    index: MatchIndex, un_rows: list[dict[str, str]]
) -> None:
    """The index bounds evidence by a ceiling before asking the algorithm; a ceiling below the
    algorithm's own similarity would lose matches (this guards changes to part_similarity)."""
    for query in _queries(un_rows)[::5]:
        for part in index.matcher.prepare(query.name).parts:
            ids, values = index._ceilings(part, pair=False)
            ceilings = dict(zip(ids.tolist(), values.tolist(), strict=True))
            for vocabulary_id, listed in enumerate(index._vocabulary_parts):
                if part.role is PartRole.INITIAL and vocabulary_id >= index._single_count:
                    continue  # the algorithm never pairs an initial with two parts written as one
                similarity = part_similarity(part, listed)
                if evidence(similarity) > 0.0:
                    assert ceilings.get(vocabulary_id, 0.0) >= similarity - 1e-12, (part.text, listed.text)


def test_small_index_scores_like_the_full_one(index: MatchIndex, un_candidates: list[Candidate]) -> None:
    """Delta re-screening: an index over a few changed entities reuses the full index's rarity table."""
    changed = un_candidates[10:14]
    small = MatchIndex(changed, reference=index)
    alone = MatchIndex(changed)
    for candidate in changed:
        query = Query(candidate.names[0])
        expected = {r.candidate_id: r.score for r in index.search(query, threshold=0.3, limit=100)}
        for result in small.search(query, threshold=0.3, limit=100):
            assert result.score == expected[result.candidate_id]
        assert candidate.id in {r.candidate_id for r in small.search(query, threshold=0.3)}
    # Without the reference the rarity would come from four entities only.
    assert alone.matcher is not index.matcher
    assert small.matcher is index.matcher


def test_weak_names_are_indexed(un_candidates: list[Candidate]) -> None:
    base = un_candidates[:50]
    weak = Candidate(id="WEAK.1", names=("Zebulon Quartermain",), weak_names=("Abu Muhannad al-Zarqawiyya",))
    small = MatchIndex([*base, weak])
    query = Query("Abu Muhannad al-Zarqawiyya")
    assert _ids(small.search(query, threshold=0.3, limit=50)) == _ids(
        small.search_brute_force(query, threshold=0.3, limit=50)
    )
    assert "WEAK.1" in {r.candidate_id for r in small.search(query, threshold=0.3)}


def test_worker_pool_is_reused_and_closed(
    un_candidates: list[Candidate], un_rows: list[dict[str, str]]
) -> None:
    queries = _queries(un_rows)[:200]
    with MatchIndex(un_candidates[:300]) as small:
        first = small.search_many(queries, workers=2)
        pool = small._pool
        second = small.search_many(queries, workers=2)
        assert small._pool is pool
        assert first == second
        assert [_ids(r) for r in first] == [_ids(small.search(q)) for q in queries]
    assert small._pool is None
    assert small.search_many(queries[:5], workers=2) == [small.search(q) for q in queries[:5]]


@pytest.fixture(scope="module")
def featured_index(un_candidates: list[Candidate]) -> MatchIndex:
    """Some entities with countries and identifiers, some without birth dates: the index lowers the
    name threshold per entity only for the identifiers both sides have."""
    featured = []
    for position, candidate in enumerate(un_candidates):
        if position % 3 == 0:
            candidate = replace(candidate, countries=("iq",), identifiers=(f"A{position:07d}",))
        elif position % 3 == 1:
            candidate = replace(candidate, birth_dates=())
        featured.append(candidate)
    return MatchIndex(featured)


def test_index_with_secondary_identifiers_equals_brute_force(
    featured_index: MatchIndex, un_rows: list[dict[str, str]]
) -> None:
    rng = random.Random(11)
    for position, query in enumerate(_queries(un_rows)[1::3]):
        row = un_rows[rng.randrange(len(un_rows))]
        dates = [date for date in row["birth_dates"].split("|") if date]
        featured = replace(
            query,
            birth_date=dates[0] if dates and position % 2 == 0 else None,
            country="iq" if position % 3 else "sy",
            identifiers=(f"A{rng.randrange(180):07d}",) if position % 4 == 0 else (),
        )
        for threshold in (DEFAULT_THRESHOLD, 0.6):
            assert _ids(featured_index.search(featured, threshold, limit=50)) == _ids(
                featured_index.search_brute_force(featured, threshold, limit=50)
            ), featured


def test_agreeing_secondary_identifiers_equal_brute_force(featured_index: MatchIndex) -> None:
    """Birth date, country and identifier that agree lift a partial name over the threshold."""
    for candidate in featured_index._candidates[:60]:
        words = candidate.names[0].split()
        query = Query(
            " ".join(words[:2]),
            birth_date=candidate.birth_dates[0] if candidate.birth_dates else "1970",
            country=candidate.countries[0] if candidate.countries else "iq",
            identifiers=candidate.identifiers,
        )
        for threshold, limit in ((DEFAULT_THRESHOLD, 50), (0.6, 2)):
            assert _ids(featured_index.search(query, threshold, limit=limit)) == _ids(
                featured_index.search_brute_force(query, threshold, limit=limit)
            ), query


@pytest.mark.parametrize("limit", [1, 3])
def test_small_limit_equals_brute_force(index: MatchIndex, un_rows: list[dict[str, str]], limit: int) -> None:
    """Candidates are scored best bound first and the rest filtered again at the k-th best score."""
    queries = [*_queries(un_rows)[::4], Query("Mohammed Ali"), Query("Abd al-Rahman"), Query("محمد")]
    for query in queries:
        for threshold in (0.3, 0.5):
            assert _ids(index.search(query, threshold, limit=limit)) == _ids(
                index.search_brute_force(query, threshold, limit=limit)
            ), query.name


def test_may_match_false_means_search_empty(index: MatchIndex, un_rows: list[dict[str, str]]) -> None:
    """Delta re-screening pre-filter: a small index of changed entities, queried with many names."""
    small = MatchIndex(index._candidates[20:26], reference=index)
    names = [query.name for query in _queries(un_rows)] + ["John Smith", "Maria Garcia", "", "!!"]
    answers = {name: small.may_match(name) for name in names}
    for name, may in answers.items():
        if not may:
            assert small.search(Query(name)) == [], name
            assert small.search(Query(name), 0.5) == [] or small.may_match(name, 0.5), name
    assert sum(not may for may in answers.values()) > len(names) * 0.8  # it does filter
    for candidate in small._candidates:
        assert small.may_match(candidate.names[0])
    assert not MatchIndex([]).may_match("Osama bin Laden")


def test_may_match_many_equals_may_match(index: MatchIndex, un_rows: list[dict[str, str]]) -> None:
    queries: list[Query | str] = [*_queries(un_rows)[:300], "John Smith", ""]
    with MatchIndex(index._candidates[20:26], reference=index) as small:
        for threshold in (0.5, 0.7):
            expected = [small.may_match(query, threshold) for query in queries]
            assert small.may_match_many(queries, threshold, workers=2) == expected
            assert small.may_match_many(queries[:3], threshold, workers=2) == expected[:3]


def test_may_match_counts_agreeing_secondary_identifiers(featured_index: MatchIndex) -> None:
    """A partial name that only an agreeing birth date lifts over the threshold is not filtered out."""
    for candidate in featured_index._candidates[:90]:
        words = candidate.names[0].split()
        for birth_date in (candidate.birth_dates[0] if candidate.birth_dates else "1970", None):
            query = Query(" ".join(words[:2]), birth_date=birth_date, country="iq")
            if featured_index.search(query):
                assert featured_index.may_match(query), query


# Customers as a bank holds them: common given names before a family name that is, or is not, listed.
_GIVEN = ("Mohammed", "Ahmed", "Ali", "Abdullah", "Omar", "محمد", "أحمد", "علي", "عبد الله", "عمر")
_FAMILY = (
    "Smith",
    "Haddad",
    "Karimi",
    "al-Masri",
    "Hussein",
    "الحداد",
    "المصري",
    "حسين",
    "Qurashi",
    "Zawahiri",
)


def test_customer_like_names_equal_brute_force(featured_index: MatchIndex) -> None:
    """Most customers share only common given names with listed people: the index drops those names
    from the bounds because the algorithm caps their score (only common parts agree, an end unpaired);
    it must not drop any that a birth date, a country or a rare part can still lift."""
    rng = random.Random(5)
    candidates = featured_index._candidates
    for position in range(150):
        listed = candidates[rng.randrange(len(candidates))]
        family = rng.choice(_FAMILY) if position % 3 else listed.names[0].split()[-1]
        given = rng.sample(_GIVEN[:5] if position % 2 else _GIVEN[5:], 2)
        query = Query(
            f"{given[0]} {given[1]} {family}",
            birth_date=listed.birth_dates[0] if listed.birth_dates and position % 4 else None,
            country=rng.choice(("iq", "sy", None)),
        )
        for threshold in (DEFAULT_THRESHOLD, 0.6):
            assert _ids(featured_index.search(query, threshold, limit=50)) == _ids(
                featured_index.search_brute_force(query, threshold, limit=50)
            ), query


def test_rarity_matcher_gives_the_full_index_weights(
    index: MatchIndex, un_candidates: list[Candidate]
) -> None:
    """Delta re-screening borrows the rarity counts only: scores equal those of the full index."""
    changed = un_candidates[10:14]
    small = MatchIndex(changed, reference=rarity_matcher(un_candidates))
    for candidate in changed:
        query = Query(candidate.names[0])
        expected = {r.candidate_id: r.score for r in index.search(query, threshold=0.3, limit=100)}
        found = small.search(query, threshold=0.3, limit=100)
        assert found
        assert all(result.score == expected[result.candidate_id] for result in found)


def test_unpaired_weights_never_exceed_the_scorers(index: MatchIndex) -> None:
    """The bounds count an unpaired part at ``unpaired_weights``; the scorer must count it at least as
    much (the denominator with every part but one paired, minus the paired parts' weights)."""
    from raqib.matching.algorithms.v1.names import _denominator_weight, unpaired_weights

    for name in index._names[:3000]:
        everything = set(range(len(name.parts)))
        for position, counted in enumerate(unpaired_weights(name)):
            others = sum(weight for at, weight in enumerate(name.weights) if at != position)
            scorer = _denominator_weight(name, everything - {position}) - others
            assert scorer >= counted - 1e-12, (name.text, position)


def test_query_caches_drop_the_least_recently_used_first() -> None:
    """Common words must stay cached in a long batch while one-off pairs come and go (the caches used
    to be emptied whole when full, throwing the common words' refined hits away)."""
    from raqib.matching.index import _LeastRecentlyUsed

    cache: _LeastRecentlyUsed[str, bytes] = _LeastRecentlyUsed(3, nbytes=10, size_of=len)
    cache.put("common", b"xx")
    for number in range(20):
        cache.put(f"pair{number}", b"x")
        assert cache.get("common") == b"xx"  # used by every query: never dropped
    assert len(cache) == 3
    assert cache.get("pair0") is None
    assert cache.get("pair19") == b"x"
    cache.put("big", b"x" * 9)  # over the byte budget: the oldest go until it fits
    assert cache.nbytes <= 10
    assert cache.get("big") is not None
    assert cache.get("pair18") is None


@pytest.mark.parametrize("threshold", [DEFAULT_THRESHOLD, 0.5])
def test_may_match_on_a_full_index(
    featured_index: MatchIndex,
    un_rows: list[dict[str, str]],
    threshold: float,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """may_match on an index too large to bound every name (members first, then the caps and the
    ceiling bounds): False still means the search finds nothing."""
    monkeypatch.setattr("raqib.matching.index._SMALL_INDEX_NAMES", featured_index.name_count // 4)
    rng = random.Random(3)
    queries = [
        replace(query, birth_date=rng.choice([None, "1970", "1964-05-01"]), country=rng.choice([None, "iq"]))
        for query in _queries(un_rows)[::3]
    ]
    queries += [Query(f"{given} {family}") for given in _GIVEN for family in _FAMILY[:4]]
    answers = [featured_index.may_match(query, threshold) for query in queries]
    for query, may in zip(queries, answers, strict=True):
        if not may:
            assert featured_index.search(query, threshold) == [], query
    if threshold == DEFAULT_THRESHOLD:
        assert not all(answers)  # it does filter
