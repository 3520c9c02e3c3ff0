"""Matching: does a screened name belong to a listed entity, how sure are we, and why.

The pure matching core (no I/O, no database, no web). Given a :class:`Query` (a name and, where known,
birth date, country, gender, type and document numbers) and a :class:`Candidate` (a listed entity with
all its names and identifiers), an *algorithm* returns a :class:`MatchResult`: a score in [0, 1], the
candidate name that matched, which query parts aligned with which listed parts
(:class:`TokenAlignment`), and each feature's contribution (:class:`FeatureScore`), so an analyst can
see why an alert was raised and an auditor can replay it.

* :func:`match_names` compares two names; :func:`score` a query with one candidate.
* :class:`MatchIndex` screens against a whole list without scanning it: blocking on phonetic keys and
  their deletion neighbourhood, then an upper bound per listed name, then full scoring of the short-list.
  Its results equal a full scan (tested). :func:`rarity_matcher` gives a small index (a list update's
  entities) the full list's rarity weights without building the full index.
* Algorithms are versioned and registered by name (:data:`ALGORITHM` is the current one,
  ``raqib-v1``); :func:`get_algorithm` returns the one that produced a stored score.
* :data:`DEFAULT_THRESHOLD` (0.7) is the documented alert level; see ``docs/matching.md``.

Name handling (scripts, spellings, titles, particles, compounds) comes from :mod:`raqib.names`.
"""

from __future__ import annotations

from raqib.matching.algorithms import ALGORITHMS, get_algorithm
from raqib.matching.algorithms.v1 import NAME as ALGORITHM
from raqib.matching.algorithms.v1 import THRESHOLD as DEFAULT_THRESHOLD
from raqib.matching.algorithms.v1 import Matcher, match_names, score
from raqib.matching.index import MatchIndex, rarity_matcher
from raqib.matching.types import Candidate, FeatureScore, MatchResult, Query, TokenAlignment

__all__ = [
    "ALGORITHM",
    "ALGORITHMS",
    "DEFAULT_THRESHOLD",
    "Candidate",
    "FeatureScore",
    "MatchIndex",
    "MatchResult",
    "Matcher",
    "Query",
    "TokenAlignment",
    "get_algorithm",
    "match_names",
    "rarity_matcher",
    "score",
]
