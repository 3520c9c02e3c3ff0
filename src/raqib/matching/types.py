"""Value types of the matching core: what goes in (Candidate, Query) and what comes out (MatchResult).

Plain frozen dataclasses with slots, because they are created in the millions during batch screening.
The API converts them to and from pydantic models at its edge (``MatchResult.to_dict`` gives JSON-safe
data for that).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Candidate:
    """A listed entity as the matcher sees it.

    Attributes:
        id: The list's identifier of the entity (kept in every result).
        names: Every name of the entity: primary, aliases, original script.
        type: ``person``, ``organization``, ``vessel``, ``aircraft`` or None when unknown.
        birth_dates: ISO prefixes ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``; ranges ``YYYY/YYYY``; approximate
            ``~YYYY``; Hijri years with an ``H`` suffix (``1380H``).
        countries: ISO 3166-1 alpha-2 codes, lower case (nationality, citizenship, residence).
        identifiers: Passport and national-id numbers as printed.
        gender: ``male`` or ``female``.
        weak_names: Low-quality aliases (UN "Low" quality, OFAC weak a.k.a.): scored like the other names
            but capped below the alert threshold unless they agree on two parts or on a rare one, so a weak
            alias can still find a person when the whole name agrees but a common token alone cannot alert.
    """

    id: str
    names: tuple[str, ...]
    type: str | None = None
    birth_dates: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    identifiers: tuple[str, ...] = ()
    gender: str | None = None
    weak_names: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Query:
    """What is screened: a name and, where known, secondary identifiers (same formats as Candidate)."""

    name: str
    birth_date: str | None = None
    country: str | None = None
    type: str | None = None
    identifiers: tuple[str, ...] = ()
    gender: str | None = None


@dataclass(frozen=True, slots=True)
class FeatureScore:
    """One feature's part in a score.

    Attributes:
        name: The feature function's name (``name_similarity``, ``birth_date``...).
        value: What the feature measured, in [-1, 1] (1 = agrees, -1 = conflicts, 0 = no evidence).
        contribution: How much the feature moved the score (signed; the name feature gives the base).
        explanation: The analyst-facing text: the feature's docstring summary plus the specifics.
    """

    name: str
    value: float
    contribution: float
    explanation: str

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": round(self.value, 4),
            "contribution": round(self.contribution, 4),
            "explanation": self.explanation,
        }


@dataclass(frozen=True, slots=True)
class TokenAlignment:
    """Which part(s) of the query name were paired with which part(s) of the listed name, and how well."""

    query: str
    candidate: str
    similarity: float
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "candidate": self.candidate,
            "similarity": round(self.similarity, 4),
            "weight": round(self.weight, 4),
        }


@dataclass(slots=True)
class MatchResult:
    """A scored comparison of a query with one candidate, with everything needed to explain and replay it.

    Attributes:
        candidate_id: Which entity.
        score: In [0, 1]; compare with the algorithm's threshold.
        matched_name: The candidate's name that scored best.
        algorithm: Name of the algorithm that produced the score (e.g. ``raqib-v1``).
        features: Each feature's measurement and contribution, name similarity first.
        alignments: Query parts paired with candidate parts.
        query_name: The query's name as given.
    """

    candidate_id: str
    score: float
    matched_name: str
    algorithm: str
    features: list[FeatureScore] = field(default_factory=list)
    alignments: list[TokenAlignment] = field(default_factory=list)
    query_name: str = ""

    def explanation(self) -> str:
        """One human-readable line: score, which names matched, which parts aligned, other evidence."""
        pairs = ", ".join(f"{item.query}={item.candidate} {item.similarity:.2f}" for item in self.alignments)
        others = "; ".join(
            f"{feature.name} {feature.contribution:+.2f}"
            for feature in self.features[1:]
            if feature.contribution != 0.0
        )
        line = f"{self.score:.2f} [{self.algorithm}] '{self.query_name}' ~ '{self.matched_name}'"
        line += f" ({pairs})" if pairs else " (no parts aligned)"
        return f"{line}; {others}" if others else line

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe form for the API, audit records and replay."""
        return {
            "candidate_id": self.candidate_id,
            "score": round(self.score, 4),
            "matched_name": self.matched_name,
            "query_name": self.query_name,
            "algorithm": self.algorithm,
            "features": [feature.to_dict() for feature in self.features],
            "alignments": [alignment.to_dict() for alignment in self.alignments],
            "explanation": self.explanation(),
        }
