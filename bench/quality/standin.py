"""A tiny stand-in with the same API as ``raqib.matching``, used only when the engine is missing.

It lets the runner be exercised end to end before the real engine exists (``--engine standin``).
Its numbers mean nothing about Raqib: it is anyascii + token-sorted Jaro-Winkler, a full scan.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from anyascii import anyascii
from rapidfuzz.distance import JaroWinkler

ALGORITHM = "bench-standin"
DEFAULT_THRESHOLD = 0.88


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    names: tuple[str, ...]
    type: str | None = None
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    gender: str | None = None


@dataclass(frozen=True, slots=True)
class Query:
    name: str
    birth_date: str | None = None
    country: str | None = None
    type: str | None = None
    identifiers: tuple[str, ...] = ()
    gender: str | None = None


@dataclass(frozen=True, slots=True)
class MatchResult:
    score: float
    candidate_id: str | None = None
    matched_name: str | None = None


def _form(name: str) -> str:
    return " ".join(sorted(re.findall(r"[a-z0-9]+", anyascii(name).lower())))


def score(a: str, b: str) -> float:
    return float(JaroWinkler.normalized_similarity(_form(a), _form(b)))


def match_names(a: str, b: str) -> MatchResult:
    return MatchResult(score=score(a, b))


class MatchIndex:
    def __init__(self, candidates: Sequence[Candidate]):
        self._forms = [(c.id, name, _form(name)) for c in candidates for name in c.names]

    def search(
        self, query: Query, threshold: float = DEFAULT_THRESHOLD, limit: int = 10
    ) -> list[MatchResult]:
        form = _form(query.name)
        best: dict[str, MatchResult] = {}
        for candidate_id, name, other in self._forms:
            value = float(JaroWinkler.normalized_similarity(form, other))
            if value >= threshold and (candidate_id not in best or best[candidate_id].score < value):
                best[candidate_id] = MatchResult(score=value, candidate_id=candidate_id, matched_name=name)
        return sorted(best.values(), key=lambda r: -r.score)[:limit]

    def search_many(
        self,
        queries: Sequence[Query],
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 10,
        workers: int = 1,  # noqa: ARG002 - same signature as the engine
    ) -> list[list[MatchResult]]:
        return [self.search(query, threshold, limit) for query in queries]
