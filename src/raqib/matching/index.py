"""MatchIndex: screen queries against a whole list without comparing with every listed name.

Build time (once per list version) does all candidate-side work: every name is parsed and weighed,
rarity counts are taken from the list itself, and each distinct name part (plus each pair of
neighbouring parts, for ``Bin Laden`` ~ ``Binladen``) is stored under its blocking keys
(:mod:`raqib.matching.blocking`).

Per query: parse the name, look up the blocking keys of its parts (and of neighbouring pairs), compute
the part similarities of the distinct listed parts found (cached), and from them an *upper bound* of
each listed name's score. Only names whose bound reaches the threshold are scored in full. Because the
blocking finds every part pair with non-zero evidence and the bound never underestimates, the results
equal those of scoring every listed name (``tests/matching/test_index.py`` checks this on a real list).
"""

from __future__ import annotations

import multiprocessing
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

from raqib.matching.algorithms.v1 import THRESHOLD, Matcher, parse
from raqib.matching.algorithms.v1.features import FEATURE_EFFECTS, FEATURES
from raqib.matching.algorithms.v1.names import MIDDLE_DISCOUNT, PreparedName, merged_part, prepare
from raqib.matching.algorithms.v1.tokens import evidence, part_similarity
from raqib.matching.blocking import index_blocks, query_blocks
from raqib.matching.types import Candidate, MatchResult, Query
from raqib.names import NamePart, part_key

_QUERY_CACHE_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class _Posting:
    name_id: int
    weight: float  # weight of the listed part(s) this entry stands for


def _minimum_denominator(name: PreparedName) -> float:
    last = len(name.parts) - 1
    return sum(
        weight * (MIDDLE_DISCOUNT if 0 < index < last else 1.0) for index, weight in enumerate(name.weights)
    )


class MatchIndex:
    """An in-memory screening index over a list's candidates (raqib-v1).

    Args:
        candidates: The listed entities. Their names are parsed, weighed and blocked here, once.
    """

    def __init__(self, candidates: Iterable[Candidate]) -> None:
        self._candidates: list[Candidate] = list(candidates)
        parsed = [[self._parse(name) for name in candidate.names] for candidate in self._candidates]
        counts: Counter[str] = Counter()
        for names in parsed:
            counts.update({part_key(part.prefix, part.keys[0]) for parts in names for part in parts})
        self.matcher = Matcher(counts, sum(counts.values()))
        self._names: list[PreparedName] = []
        self._owner: list[int] = []
        self._by_candidate: list[list[PreparedName]] = []
        for candidate_index, (candidate, names) in enumerate(zip(self._candidates, parsed, strict=True)):
            prepared = [
                self._prepare(text, parts)
                for text, parts in zip(candidate.names, names, strict=True)
                if parts
            ]
            self._by_candidate.append(prepared)
            for name in prepared:
                self._names.append(name)
                self._owner.append(candidate_index)
        self._min_denominator = [_minimum_denominator(name) for name in self._names]
        self._vocabulary: dict[NamePart, int] = {}
        self._vocabulary_parts: list[NamePart] = []
        self._postings: list[list[_Posting]] = []
        self._blocks: dict[str, list[int]] = defaultdict(list)
        for name_id, name in enumerate(self._names):
            for index, part in enumerate(name.parts):
                self._add(part, _Posting(name_id, name.weights[index]))
            for index in range(len(name.parts) - 1):
                pair_weight = name.weights[index] + name.weights[index + 1]
                self._add(
                    merged_part(name.parts[index], name.parts[index + 1]), _Posting(name_id, pair_weight)
                )
        self._blocks = dict(self._blocks)
        self._cache: dict[tuple[object, ...], list[MatchResult]] = {}

    @staticmethod
    def _parse(text: str) -> tuple[NamePart, ...]:
        return parse(text).matchable

    def _prepare(self, text: str, parts: tuple[NamePart, ...]) -> PreparedName:
        return prepare(text, parts, self.matcher.weight_of)

    def _add(self, part: NamePart, posting: _Posting) -> None:
        vocabulary_id = self._vocabulary.get(part)
        if vocabulary_id is None:
            vocabulary_id = len(self._vocabulary_parts)
            self._vocabulary[part] = vocabulary_id
            self._vocabulary_parts.append(part)
            self._postings.append([])
            for block in index_blocks(part):
                self._blocks[block].append(vocabulary_id)
        self._postings[vocabulary_id].append(posting)

    def __len__(self) -> int:
        return len(self._candidates)

    @property
    def name_count(self) -> int:
        """Number of listed names indexed (all aliases of all candidates)."""
        return len(self._names)

    def _similar_vocabulary(self, part: NamePart) -> list[tuple[int, float]]:
        found: set[int] = set()
        for block in query_blocks(part):
            found.update(self._blocks.get(block, ()))
        hits: list[tuple[int, float]] = []
        for vocabulary_id in found:
            similarity = part_similarity(part, self._vocabulary_parts[vocabulary_id])
            if evidence(similarity) > 0.0:
                hits.append((vocabulary_id, similarity))
        return hits

    def shortlist(self, query: PreparedName, threshold: float) -> list[int]:
        """Ids of listed names whose score upper bound reaches ``threshold``."""
        groups: list[tuple[int, NamePart, float]] = [
            (index, part, query.weights[index]) for index, part in enumerate(query.parts)
        ]
        groups += [
            (
                index,
                merged_part(query.parts[index], query.parts[index + 1]),
                query.weights[index] + query.weights[index + 1],
            )
            for index in range(len(query.parts) - 1)
        ]
        # best[name_id][query index] = best evidence x (query weight + listed weight) seen for that part
        best: dict[int, dict[int, float]] = defaultdict(dict)
        for query_index, part, query_weight in groups:
            for vocabulary_id, similarity in self._similar_vocabulary(part):
                strength = evidence(similarity)
                for posting in self._postings[vocabulary_id]:
                    value = strength * (query_weight + posting.weight)
                    per_part = best[posting.name_id]
                    if value > per_part.get(query_index, 0.0):
                        per_part[query_index] = value
        query_minimum = _minimum_denominator(query)
        return [
            name_id
            for name_id, per_part in best.items()
            if sum(per_part.values()) >= threshold * (query_minimum + self._min_denominator[name_id]) - 1e-9
        ]

    def search(self, query: Query, threshold: float = THRESHOLD, limit: int = 10) -> list[MatchResult]:
        """Return the best-scoring candidates at or above ``threshold``, best first (at most ``limit``).

        Args:
            query: The name (and optional secondary identifiers) to screen.
            threshold: Minimum score to report; defaults to the algorithm's alert threshold.
            limit: Maximum number of results.
        """
        cache_key = (query, threshold, limit)
        cached = self._cache.get(cache_key)
        if cached is not None:
            return [replace(result) for result in cached]
        results = self._search(query, threshold, limit)
        if len(self._cache) >= _QUERY_CACHE_SIZE:
            self._cache.clear()
        self._cache[cache_key] = results
        return [replace(result) for result in results]

    def _search(self, query: Query, threshold: float, limit: int) -> list[MatchResult]:
        prepared = self.matcher.prepare(query.name)
        if not prepared.parts:
            return []
        name_threshold = _name_threshold(query, threshold)
        candidate_ids = sorted({self._owner[name_id] for name_id in self.shortlist(prepared, name_threshold)})
        results = []
        for candidate_id in candidate_ids:
            candidate = self._candidates[candidate_id]
            result = self.matcher.score(query, candidate, prepared, self._by_candidate[candidate_id])
            if result.score >= threshold:
                results.append(result)
        results.sort(key=lambda result: (-result.score, result.candidate_id))
        return results[:limit]

    def search_brute_force(
        self, query: Query, threshold: float = THRESHOLD, limit: int = 10
    ) -> list[MatchResult]:
        """Score every candidate (for tests and audits: must equal :meth:`search`)."""
        prepared = self.matcher.prepare(query.name)
        results = []
        for candidate_id, candidate in enumerate(self._candidates):
            result = self.matcher.score(query, candidate, prepared, self._by_candidate[candidate_id])
            if result.score >= threshold:
                results.append(result)
        results.sort(key=lambda result: (-result.score, result.candidate_id))
        return results[:limit]

    def search_many(
        self,
        queries: Sequence[Query],
        threshold: float = THRESHOLD,
        limit: int = 10,
        workers: int = 1,
    ) -> list[list[MatchResult]]:
        """Screen many queries; with ``workers > 1`` the work is split over forked processes.

        Repeated queries (customer files repeat names a lot) are answered from a per-process cache.
        """
        if (
            workers <= 1
            or len(queries) < workers * 64
            or "fork" not in multiprocessing.get_all_start_methods()
        ):
            return [self.search(query, threshold, limit) for query in queries]
        global _SHARED_INDEX  # forked children inherit the index without pickling it
        _SHARED_INDEX = self
        chunk = max(1, len(queries) // (workers * 8))
        batches = [
            (list(queries[start : start + chunk]), threshold, limit)
            for start in range(0, len(queries), chunk)
        ]
        context = multiprocessing.get_context("fork")
        with context.Pool(processes=min(workers, os.cpu_count() or 1)) as pool:
            answers = pool.map(_search_batch, batches)
        _SHARED_INDEX = None
        return [results for batch in answers for results in batch]


_SHARED_INDEX: MatchIndex | None = None


def _name_threshold(query: Query, threshold: float) -> float:
    """The lowest name score that the query's secondary identifiers could still lift to ``threshold``."""
    present = {
        "birth_date": query.birth_date is not None,
        "country": query.country is not None,
        "identifier": bool(query.identifiers),
    }
    needed = threshold
    for feature in reversed(FEATURES):
        name = feature.__name__
        support = FEATURE_EFFECTS[name].support
        if present.get(name, False) and support > 0:
            needed = (needed - support) / (1.0 - support)
    return max(0.0, needed)


def _search_batch(batch: tuple[list[Query], float, int]) -> list[list[MatchResult]]:
    queries, threshold, limit = batch
    if _SHARED_INDEX is None:  # pragma: no cover - only reached if the pool was not forked
        raise RuntimeError("search_many worker started without an index")
    return [_SHARED_INDEX.search(query, threshold, limit) for query in queries]
