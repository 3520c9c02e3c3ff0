"""raqib-v1: cross-script name matching with rarity weights and secondary evidence.

1. Both names are parsed by :func:`raqib.names.parse_name` (titles off, particles weightless,
   compounds kept whole) and each part gets a rarity weight from the packaged corpus frequencies plus,
   inside a :class:`~raqib.matching.MatchIndex`, the frequencies of the list being screened.
2. :func:`name_similarity` aligns the parts (:mod:`.names`) and gives the base score in [0, 1].
3. Each secondary feature (:mod:`.features`) moves the score toward 1 when it agrees or scales it down
   when it conflicts, as declared in ``FEATURE_EFFECTS``.

The score of an entity is that of its best-scoring name. :data:`THRESHOLD` is the default alert level.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence

from raqib.matching.algorithms.v1.features import FEATURE_EFFECTS, FEATURES, apply_effect
from raqib.matching.algorithms.v1.names import NameComparison, PreparedName, compare, prepare
from raqib.matching.algorithms.v1.tokens import rarity_weight
from raqib.matching.types import Candidate, FeatureScore, MatchResult, Query, TokenAlignment
from raqib.names import NamePart, ParsedName, parse_name, part_key
from raqib.names.frequency import corpus_size, token_frequency

NAME = "raqib-v1"
# Default alert threshold. A full name that matches part for part (any script, any common spelling)
# scores 0.85-1.0; the same name missing a middle part ~0.8; two different people who share only a
# rare family name or only common given names stay below 0.6. 0.7 sits in that gap; see docs/matching.md.
THRESHOLD = 0.7
# A word seen in no corpus and not on the list is as likely a misspelling (زضيدي for زبيدي) as a very rare
# name: it weighs like a rare listed name, not more, so one typo does not outweigh the parts that agree.
UNSEEN_WEIGHT = 0.5


@functools.lru_cache(maxsize=1 << 16)
def parse(text: str) -> ParsedName:
    """Parse a name once per process (customer files repeat names a lot)."""
    return parse_name(text)


class Matcher:
    """raqib-v1 with its rarity table: packaged corpus counts plus optional counts from a list.

    Args:
        list_counts: Part key -> number of listed names containing it (from the candidates).
        list_total: Number of part keys counted in ``list_counts``.
    """

    def __init__(self, list_counts: Mapping[str, int] | None = None, list_total: int = 0) -> None:
        self._list_counts: Mapping[str, int] = list_counts or {}
        self._total = corpus_size() + list_total
        self._weights: dict[str, float] = {}

    def weight_of(self, part: NamePart) -> float:
        """Rarity weight of one name part (cached per key)."""
        key = part_key(part.prefix, part.keys[0])
        weight = self._weights.get(key)
        if weight is None:
            count = token_frequency(key) * corpus_size() + self._list_counts.get(key, 0)
            weight = rarity_weight(count, self._total)
            if count == 0:
                weight = min(weight, UNSEEN_WEIGHT)
            self._weights[key] = weight
        return weight

    def prepare(self, text: str, *, weak: bool = False) -> PreparedName:
        """Parse and weigh a name (``weak`` for a low-quality alias)."""
        return prepare(text, parse(text).matchable, self.weight_of, weak=weak)

    def prepare_candidate(self, candidate: Candidate) -> list[PreparedName]:
        """Every name of a candidate, prepared: its names, then its weak aliases (flagged ``weak``)."""
        names = [self.prepare(text) for text in candidate.names]
        names += [
            self.prepare(text, weak=True) for text in candidate.weak_names if text not in candidate.names
        ]
        return [name for name in names if name.parts]

    def score(
        self,
        query: Query,
        candidate: Candidate,
        prepared_query: PreparedName | None = None,
        prepared_names: Sequence[PreparedName] | None = None,
    ) -> MatchResult:
        """Score a query against every name of a candidate and keep the best, then apply the features."""
        q_name = prepared_query if prepared_query is not None else self.prepare(query.name)
        names = prepared_names if prepared_names is not None else self.prepare_candidate(candidate)
        best_name: PreparedName | None = None
        best = NameComparison(0.0, ())
        for c_name in names:
            comparison = compare(q_name, c_name)
            if best_name is None or comparison.score > best.score:
                best_name, best = c_name, comparison
        return self._result(query, candidate, q_name, best_name, best)

    def _result(
        self,
        query: Query,
        candidate: Candidate,
        q_name: PreparedName,
        c_name: PreparedName | None,
        comparison: NameComparison,
    ) -> MatchResult:
        alignments = _alignments(q_name, c_name, comparison) if c_name is not None else []
        score = comparison.score
        features = [
            FeatureScore(
                "name_similarity", score, score, f"{_doc(name_similarity)} {len(alignments)} part(s) aligned"
            )
        ]
        for feature in FEATURES:
            value, detail = feature(query, candidate)
            moved = apply_effect(score, value, FEATURE_EFFECTS[feature.__name__])
            features.append(FeatureScore(feature.__name__, value, moved - score, f"{_doc(feature)} {detail}"))
            score = moved
        return MatchResult(
            candidate_id=candidate.id,
            score=max(0.0, min(1.0, score)),
            matched_name=c_name.text if c_name is not None else "",
            algorithm=NAME,
            features=features,
            alignments=alignments,
            query_name=query.name,
        )


def name_similarity(query: PreparedName, candidate: PreparedName) -> float:
    """Name: parts aligned across scripts and spellings, weighted by how rare each part is."""
    return compare(query, candidate).score


def _doc(function: object) -> str:
    doc = getattr(function, "__doc__", None) or ""
    return doc.strip().splitlines()[0] if doc else ""


def _alignments(
    q_name: PreparedName, c_name: PreparedName, comparison: NameComparison
) -> list[TokenAlignment]:
    return [
        TokenAlignment(
            query=" ".join(q_name.parts[i].text for i in pairing.query),
            candidate=" ".join(c_name.parts[j].text for j in pairing.candidate),
            similarity=pairing.similarity,
            weight=sum(q_name.weights[i] for i in pairing.query)
            + sum(c_name.weights[j] for j in pairing.candidate),
        )
        for pairing in comparison.pairings
    ]


@functools.cache
def default_matcher() -> Matcher:
    """The matcher with packaged frequencies only (pair scoring outside an index)."""
    return Matcher()


def score(query: Query, candidate: Candidate) -> MatchResult:
    """Score one query against one candidate with the packaged rarity table."""
    return default_matcher().score(query, candidate)


def match_names(name_a: str, name_b: str) -> MatchResult:
    """Compare two names only (no secondary identifiers)."""
    return score(Query(name=name_a), Candidate(id="", names=(name_b,)))


__all__ = ["NAME", "THRESHOLD", "Matcher", "match_names", "name_similarity", "parse", "score"]
