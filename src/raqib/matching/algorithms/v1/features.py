"""The secondary features of raqib-v1: evidence beyond the name.

Each feature is a function ``(query, candidate) -> (value, detail)``; ``value`` is in [-1, 1]
(1 agrees, -1 conflicts, 0 no evidence) and the function's docstring is the explanation shown to an
analyst (``tests/matching/test_features.py`` asserts every feature has one). How much each value moves
the score is declared next to it in :data:`FEATURE_EFFECTS`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from raqib.matching.dates import compare_dates, parse_date
from raqib.matching.types import Candidate, Query

FeatureFunction = Callable[[Query, Candidate], tuple[float, str]]
_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Z]")
_MIN_IDENTIFIER = 5


@dataclass(frozen=True, slots=True)
class Effect:
    """How a feature value moves a score: toward 1 when it agrees, multiplied down when it conflicts.

    Attributes:
        support: Fraction of the distance to 1 gained at value 1 (``score + support × value × (1 - score)``).
        conflict: Factor applied at value -1 (``score × (1 - conflict × |value|)``).
        description: Why these numbers.
    """

    support: float
    conflict: float
    description: str


def birth_date(query: Query, candidate: Candidate) -> tuple[float, str]:
    """Date of birth: the same day, month or year supports the match; years apart contradict it."""
    if query.birth_date is None or not candidate.birth_dates:
        return 0.0, "not compared"
    query_span = parse_date(query.birth_date)
    if query_span is None:
        return 0.0, f"query date {query.birth_date!r} not understood"
    best: tuple[float, str] | None = None
    for text in candidate.birth_dates:
        span = parse_date(text)
        if span is None:
            continue
        value, detail = compare_dates(query_span, span)
        if best is None or value > best[0]:
            best = (value, f"{query.birth_date} vs {text}: {detail}")
    return best if best is not None else (0.0, "listed dates not understood")


def country(query: Query, candidate: Candidate) -> tuple[float, str]:
    """Country: a shared nationality or residence supports the match; a different one weakly contradicts it."""
    if query.country is None or not candidate.countries:
        return 0.0, "not compared"
    wanted = country_key(query.country)
    if wanted in candidate.countries:
        return 1.0, f"{wanted} listed"
    return -1.0, f"{wanted} not among {', '.join(candidate.countries)}"


def gender(query: Query, candidate: Candidate) -> tuple[float, str]:
    """Gender: a different gender contradicts the match (same gender is no evidence, half of people share it)."""
    if query.gender is None or candidate.gender is None:
        return 0.0, "not compared"
    if query.gender.lower() == candidate.gender.lower():
        return 0.0, f"both {candidate.gender}"
    return -1.0, f"{query.gender} vs {candidate.gender}"


def entity_type(query: Query, candidate: Candidate) -> tuple[float, str]:
    """Entity type: a person cannot be a vessel or a company; a different type contradicts the match."""
    if query.type is None or candidate.type is None:
        return 0.0, "not compared"
    if query.type == candidate.type:
        return 0.0, f"both {candidate.type}"
    return -1.0, f"{query.type} vs {candidate.type}"


def _identifier_key(text: str) -> str:
    return _NOT_ALPHANUMERIC.sub("", text.upper())


def supporting_identifiers(values: Iterable[str]) -> set[str]:
    """The document numbers (normalised) that can support a match: only these can be shared."""
    return {key for key in map(_identifier_key, values) if len(key) >= _MIN_IDENTIFIER}


def country_key(text: str) -> str:
    """A query's country as the listed countries are compared with it."""
    return text.strip().lower()


def identifier(query: Query, candidate: Candidate) -> tuple[float, str]:
    """Passport or national-id number: the same number (ignoring spaces and dashes) strongly supports the match."""
    wanted = {_identifier_key(value) for value in query.identifiers} - {""}
    listed = {_identifier_key(value) for value in candidate.identifiers}
    shared = supporting_identifiers(wanted & listed)
    if shared:
        return 1.0, f"same number {sorted(shared)[0]}"
    # A different number is no evidence: people hold several passports and lists keep old ones.
    return 0.0, "not compared" if not wanted or not listed else "no shared number"


FEATURES: tuple[FeatureFunction, ...] = (birth_date, country, gender, entity_type, identifier)

FEATURE_EFFECTS: dict[str, Effect] = {
    "birth_date": Effect(0.3, 0.45, "a conflicting year of birth must be able to clear an exact name match"),
    "country": Effect(0.1, 0.05, "nationality is shared by millions and people hold several"),
    "gender": Effect(0.0, 0.35, "lists rarely err on gender; names like Nour are used for both"),
    "entity_type": Effect(0.0, 0.5, "a person and a company with one name are different parties"),
    "identifier": Effect(
        0.6, 0.0, "a matching document number is near-proof; a different one proves nothing"
    ),
}


def apply_effect(score: float, value: float, effect: Effect) -> float:
    """Move a score by one feature value, staying inside [0, 1]."""
    if value > 0:
        return score + effect.support * value * (1.0 - score)
    if value < 0:
        return score * (1.0 - effect.conflict * -value)
    return score
