"""MatchIndex: screen queries against a whole list without comparing with every listed name.

Build time (once per list version) does all candidate-side work: every name is parsed and weighed,
rarity counts are taken from the list itself, every distinct name part (and every pair of neighbouring
parts, for ``Bin Laden`` ~ ``Binladen``) gets a vocabulary id, postings (vocabulary id -> listed names)
and a per-name layout of part weights are stored in numpy arrays, and the parts' skeleton keys go into
:class:`~raqib.matching.blocking.KeyTable` s.

Per query:

1. *Hits.* For each query part (and each pair of neighbouring query parts) the listed parts with
   non-zero evidence: key-table look-up, then ``part_similarity`` on what it found. Cached per distinct
   query part: customer files are written with a small, Zipf-distributed vocabulary.
2. *Which names to look at.* Write the score as ``N / D`` (:mod:`~raqib.matching.algorithms.v1.names`).
   A name reaches the threshold ``T`` only if ``N - T·D >= 0``, and ``N - T·D`` is at most a sum of one
   share per query part and one per listed part: ``(e - T)·w`` for a part paired with evidence ``e``,
   ``-T·u`` for an unpaired one (``u`` = :func:`~raqib.matching.algorithms.v1.names.unpaired_weights`:
   half the weight in the middle of a name or for a title word left in place, at least
   ``UNPAIRED_FLOOR`` first or last; the algorithm counts an unpaired part exactly that). Bounding each query part's share by its best hit *per group the name is in* leaves out names
   that only share common parts (*Mohammed*) when the rare parts decide: prefix filtering, generalised.
   Candidates are seeded only from the parts that must agree (the common parts whose gains together
   cannot lift a name to ``T`` are left out of seeding, longest postings first), then every query
   part's share is looked up for those candidates only (sorted arrays, ``searchsorted``).
3. *Bound.* For the names left, the same sum with both sides' shares taken per name (vectorised): first
   with a cheap *ceiling* of each part pair's evidence (skeleton keys and spelling, see
   :meth:`MatchIndex._ceilings`), then with the algorithm's own ``part_similarity`` for the pairs the
   remaining names contain. ``T`` is per name: the query's birth date, country or identifier can only
   lift an entity that has one too, and once the entities are known their features' exact (affine)
   effect gives the name score each must reach (a contradicted birth date usually needs more than 1).
4. *Score.* Only names whose bound is not negative are scored in full, by the algorithm, and an entity
   only against those of its names (the others cannot reach its threshold, so its best name and score
   are the same). Entities go best bound first; once ``limit`` results are in, the rest are bounded
   again at the k-th best score.

:meth:`MatchIndex.may_match` answers step 2 alone: a cheap, certain "no" for delta re-screening.

Because the key tables find every part pair with non-zero evidence and the bounds never underestimate,
the results equal those of scoring every listed name (``tests/matching/test_index.py`` checks this on a
real list). ``search_many`` keeps a pool of forked worker processes for the life of the index (close it
with :meth:`MatchIndex.close` or a ``with`` block; it is also closed when the index is collected).
"""

from __future__ import annotations

import contextlib
import gc
import itertools
import multiprocessing
import multiprocessing.pool
import os
import weakref
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from types import TracebackType
from typing import Generic, TypeVar

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import Indel

from raqib.matching.algorithms.v1 import THRESHOLD, Matcher, parse
from raqib.matching.algorithms.v1.features import (
    FEATURE_EFFECTS,
    FEATURES,
    country_key,
    supporting_identifiers,
)
from raqib.matching.algorithms.v1.names import (
    COMMON_ONLY_CAP,
    COMMON_WEIGHT,
    MERGE_MINIMUM,
    SINGLE_PART_CAP,
    PreparedName,
    mergeable,
    merged_keys,
    merged_part,
    unpaired_weights,
)
from raqib.matching.algorithms.v1.tokens import (
    INITIAL_SIMILARITY,
    SIMILARITY_FLOOR,
    evidence,
    evidence_above_floor,
    joined_keys,
    part_similarity,
)
from raqib.matching.blocking import (
    KeyTable,
    TypoTable,
    best_by_owner,
    initial_letter,
    is_vowel_only,
    listed_keys,
)
from raqib.matching.bounds import Bounder, ListedLayout, gather_ranges
from raqib.matching.dates import parse_date, year_bounds
from raqib.matching.types import Candidate, MatchResult, Query
from raqib.names import NamePart, PartRole, is_arabic, is_function_word, part_key

_T = TypeVar("_T")
_QUERY_CACHE_SIZE = 50_000
# Secondary identifiers that may support a match: birth date, country, identifier (one bit each).
_FEATURE_MASKS = 8
_ALL_FEATURES = _FEATURE_MASKS - 1
_BIRTH_DATE, _COUNTRY, _IDENTIFIER = 1, 2, 4
# The most a name score can be when only common parts agree and a name is left incomplete (or one full
# part stands against several): the algorithm's caps (see raqib.matching.algorithms.v1.names).
_CAPPED = max(COMMON_ONLY_CAP, SINGLE_PART_CAP)
_HITS_CACHE_SIZE = 100_000  # each entry holds numpy arrays; bounded memory per worker
_MERGED_CACHE_SIZE = 50_000
# An index with at most this many names (a delta index) bounds all of them in may_match.
_SMALL_INDEX_NAMES = 2_000
# Verdicts on pairs of neighbouring query parts that have no hit at all (most of them).
_PAIR_VERDICTS_SIZE = 200_000
# ... and at most this many bytes of them (a common part reaches thousands of listed names).
_HITS_CACHE_BYTES = 64 * 1024 * 1024
# Bounds are compared with this slack so that floating-point rounding can never drop a name that a
# full scan reports.
_SLACK = 1e-9
_MIN_BATCH_PER_WORKER = 64
# A query part's hits get their exact evidence (instead of a ceiling) when it is seen this many times.
_REFINE_AFTER_USES = 20
# ... at most this many exact part similarities per use (bounded work per query: see _refined).
_REFINE_STEP = 16
# Prefix filtering leaves a part out of candidate generation only with this much to spare (rounding).
_PREFIX_MARGIN = 1e-7
# part_similarity across different compound prefixes: this factor times the joined keys' similarity.
_CROSS_PREFIX_FACTOR = 0.8


@dataclass(slots=True)
class _Hits:
    """Listed parts that may have evidence for one query part: vocabulary ids and a *ceiling* of their
    evidence (parallel arrays, ids sorted), refined to the exact evidence on demand."""

    part: NamePart
    pair: bool  # the query part is two neighbouring query parts joined
    ids: np.ndarray
    ceiling: np.ndarray
    postings: int  # listed names reached through these parts (cost of walking them)
    exact: dict[int, float]
    names: np.ndarray  # the listed names reached (sorted, unique)
    rare_names: np.ndarray  # ... through a listed part that is not common (weight >= COMMON_WEIGHT)
    uses: int = 0
    refine_cursor: int = 0  # position in ``ids`` up to which the exact evidence is known
    refined: bool = False


@dataclass(frozen=True, slots=True)
class _Group:
    """One query part, or two neighbouring ones taken together, with evidence per vocabulary id."""

    parts: tuple[int, ...]
    ids: np.ndarray
    evidence: np.ndarray
    postings: int


def _concatenated(found: Sequence[tuple[np.ndarray, np.ndarray]]) -> tuple[np.ndarray, np.ndarray]:
    """Several ``(ids, values)`` look-up results (each sorted and unique) as one, each id once with its
    highest value."""
    found = [(ids, values) for ids, values in found if ids.size]
    if not found:
        return np.zeros(0, dtype=np.int32), np.zeros(0)
    if len(found) == 1:
        return found[0]
    return best_by_owner(np.concatenate([ids for ids, _ in found]), np.concatenate([v for _, v in found]))


_K = TypeVar("_K")
_V = TypeVar("_V")


class _LeastRecentlyUsed(Generic[_K, _V]):
    """A dict bounded in entries (and optionally in bytes) that drops its least recently used entries.

    A customer file's words recur with Zipf frequencies while most pairs of neighbouring words are seen
    once: dropping the whole cache when full (as this index first did) threw the common words' refined
    hits away every ~17,000 queries, and the next thousands of queries recomputed them.
    """

    def __init__(
        self, entries: int, nbytes: int | None = None, size_of: Callable[[_V], int] | None = None
    ) -> None:
        self._data: dict[_K, _V] = {}
        self._entries, self._limit, self._size_of = entries, nbytes, size_of
        self.nbytes = 0

    def __len__(self) -> int:
        return len(self._data)

    def get(self, key: _K) -> _V | None:
        value = self._data.pop(key, None)
        if value is not None:
            self._data[key] = value  # most recently used last
        return value

    def put(self, key: _K, value: _V) -> None:
        old = self._data.pop(key, None)
        if self._size_of is not None:
            self.nbytes += self._size_of(value) - (self._size_of(old) if old is not None else 0)
        self._data[key] = value
        while len(self._data) > self._entries or (self._limit is not None and self.nbytes > self._limit):
            dropped = self._data.pop(next(iter(self._data)))
            if self._size_of is not None:
                self.nbytes -= self._size_of(dropped)


def _nbytes(hits: _Hits) -> int:
    arrays = hits.ids.nbytes + hits.ceiling.nbytes + hits.names.nbytes + hits.rare_names.nbytes
    return int(arrays) + 100 * len(hits.exact)


class _NameThresholds:
    """For one query: the name score each listed name needs for its entity to reach the threshold.

    A secondary identifier lifts a score only where it agrees, and it can agree only with an entity
    whose birth dates' years overlap the query's, that lists the query's country, or that holds the
    same document number (:mod:`~raqib.matching.algorithms.v1.features`). Only those entities' names
    can do with less than the threshold; the others need the threshold itself. (The features' exact
    effect is computed later, for the entities left.)

    Call it with an array of name ids; ``lowest`` is the lowest threshold any name needs.
    """

    __slots__ = ("birth", "birth_span", "by_mask", "country", "identifier", "lowest", "owners", "threshold")

    def __init__(
        self,
        threshold: float,
        by_mask: list[float],
        owners: np.ndarray,
        birth: tuple[np.ndarray, np.ndarray, int, int] | None,
        country: np.ndarray | None,
        identifier: np.ndarray | None,
    ) -> None:
        self.threshold = threshold
        self.owners = owners
        self.birth, self.country, self.identifier = birth, country, identifier
        possible = (
            (_BIRTH_DATE if birth is not None else 0)
            | (_COUNTRY if country is not None else 0)
            | (_IDENTIFIER if identifier is not None else 0)
        )
        # Every lift only lowers the need: the most lifts possible give the lowest.
        self.lowest = by_mask[possible]
        self.by_mask = np.asarray(by_mask) if possible else None

    def __call__(self, names: np.ndarray) -> np.ndarray:
        if self.by_mask is None:
            return np.full(len(names), self.threshold)
        owners = self.owners[names]
        mask = np.zeros(len(names), dtype=np.int8)
        if self.birth is not None:
            first, last, year_from, year_to = self.birth
            mask |= ((first[owners] <= year_to) & (last[owners] >= year_from)).view(np.int8)
        if self.country is not None:
            mask |= self.country[owners].view(np.int8) << 1
        if self.identifier is not None:
            mask |= self.identifier[owners].view(np.int8) << 2
        needed: np.ndarray = self.by_mask[mask]
        return needed


def _sorted_unique(values: np.ndarray) -> np.ndarray:
    """``np.unique`` by sorting: numpy 2's hash-based ``np.unique`` took 10-17x longer on the index's
    arrays of 500-20,000 name ids (measured: 32 vs 3 us for 500)."""
    if values.size < 2:
        return values
    ordered = np.sort(values)
    first = np.empty(len(ordered), dtype=bool)
    first[0] = True
    np.not_equal(ordered[1:], ordered[:-1], out=first[1:])
    kept: np.ndarray = ordered[first]
    return kept


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Build without the cyclic garbage collector (its state is restored afterwards).

    An index is hundreds of thousands of long-lived objects (parts, keys, cached parses) and no
    reference cycles: full collections during the build only re-scan them (~12% of the build). A
    long-running process that owns its heap can also move them out of the collector's reach once built
    (``gc.freeze``, as ``raqib serve`` does); a library must not do that to its host process.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def rarity_matcher(candidates: Iterable[Candidate]) -> Matcher:
    """The algorithm with rarity counts taken from ``candidates`` (the parts of their strong names).

    This is all a small index (the entities a list update touched) needs from the full list to score as
    the full index would, and it costs a parse of the names only: no key tables, no postings.
    """
    counts: Counter[str] = Counter()
    for candidate in candidates:  # a part counts once per entity, however many of its names carry it
        counts.update(
            {
                part_key(part.prefix, part.keys[0])
                for name in candidate.names
                for part in parse(name).matchable
            }
        )
    return Matcher(counts, sum(counts.values()))


class MatchIndex:
    """An in-memory screening index over a list's candidates (raqib-v1).

    Args:
        candidates: The listed entities. Their names (and ``weak_names``, if the type has them) are
            parsed, weighed and indexed here, once.
        reference: An index over the full list (or just its :func:`rarity_matcher`) whose rarity table
            this one should use. Give it when indexing a few entities (those a list update added or changed) so that their scores equal
            those the full index gives; by default the counts come from ``candidates`` themselves.
    """

    def __init__(
        self, candidates: Iterable[Candidate], reference: MatchIndex | Matcher | None = None
    ) -> None:
        with _collector_paused():
            self._build(candidates, reference)

    def _build(self, candidates: Iterable[Candidate], reference: MatchIndex | Matcher | None) -> None:
        self._candidates: list[Candidate] = list(candidates)
        if reference is None:
            self.matcher = rarity_matcher(self._candidates)
        elif isinstance(reference, Matcher):
            self.matcher = reference
        else:
            self.matcher = reference.matcher
        self._names: list[PreparedName] = []
        self._owner: list[int] = []
        # Every name of each candidate, weak aliases included, prepared exactly as the algorithm would.
        self._by_candidate = [self.matcher.prepare_candidate(candidate) for candidate in self._candidates]
        for candidate_index, prepared in enumerate(self._by_candidate):
            self._names.extend(prepared)
            self._owner.extend([candidate_index] * len(prepared))
        self._owner_array = np.asarray(self._owner, dtype=np.int32)
        self._candidate_first_name: list[int] = list(
            itertools.accumulate((len(prepared) for prepared in self._by_candidate[:-1]), initial=0)
        )
        self._build_features()
        self._build_vocabulary()
        self._cache: dict[tuple[object, ...], list[MatchResult]] = {}
        self._hits_cache: _LeastRecentlyUsed[tuple[NamePart, bool], _Hits] = _LeastRecentlyUsed(
            _HITS_CACHE_SIZE, _HITS_CACHE_BYTES, _nbytes
        )
        self._merged_cache: _LeastRecentlyUsed[tuple[NamePart, NamePart], NamePart] = _LeastRecentlyUsed(
            _MERGED_CACHE_SIZE
        )
        self._pair_verdicts: _LeastRecentlyUsed[tuple[NamePart, NamePart], bool] = _LeastRecentlyUsed(
            _PAIR_VERDICTS_SIZE
        )
        self._by_mask_cache: dict[tuple[bool, bool, bool, float], list[float]] = {}
        self._pool: multiprocessing.pool.Pool | None = None
        self._pool_workers = 0
        self._finalizer: Callable[[], object] | None = None

    # -- build ---------------------------------------------------------------------------------------

    def _build_features(self) -> None:
        """What each entity's secondary identifiers can agree with (see :class:`_NameThresholds`)."""
        count = len(self._candidates)
        never = np.iinfo(np.int32).max
        self._birth_first = np.full(count, never, dtype=np.int32)
        self._birth_last = np.full(count, -never, dtype=np.int32)
        self._country_owners: dict[str, list[int]] = {}
        self._identifier_owners: dict[str, list[int]] = {}
        for candidate_id, candidate in enumerate(self._candidates):
            years = year_bounds(candidate.birth_dates)
            if years is not None:
                self._birth_first[candidate_id], self._birth_last[candidate_id] = years
            for listed in set(candidate.countries):
                self._country_owners.setdefault(listed, []).append(candidate_id)
            for number in supporting_identifiers(candidate.identifiers):
                self._identifier_owners.setdefault(number, []).append(candidate_id)
        self._country_masks: dict[str, np.ndarray | None] = {}
        self._birth_spans: dict[tuple[int, int], bool] = {}

    def _build_vocabulary(self) -> None:
        singles: dict[NamePart, int] = {}
        pairs: dict[NamePart, int] = {}
        single_postings: list[list[int]] = []
        pair_postings: list[list[int]] = []
        single_weight: list[float] = []
        pair_weight: list[float] = []
        # The heavier weight of a pair's two parts anywhere in the list (a pair is rare if either is).
        pair_rare: list[float] = []
        part_single: list[int] = []
        part_pair_right: list[int] = []  # pair (j, j+1) of each part j, or -1
        part_weight: list[float] = []
        part_unpaired: list[float] = []  # share of N - T·D per unit of T when the part stays unpaired
        name_part_start = [0]
        for name_id, name in enumerate(self._names):
            count = len(name.parts)
            for index, part in enumerate(name.parts):
                vocabulary_id = singles.setdefault(part, len(singles))
                if vocabulary_id == len(single_postings):
                    single_postings.append([])
                    single_weight.append(0.0)
                single_postings[vocabulary_id].append(name_id)
                single_weight[vocabulary_id] = max(single_weight[vocabulary_id], name.weights[index])
                part_single.append(vocabulary_id)
                part_weight.append(name.weights[index])
                if index < count - 1 and mergeable(part) and mergeable(name.parts[index + 1]):
                    pair = merged_part(part, name.parts[index + 1])
                    pair_id = pairs.setdefault(pair, len(pairs))
                    if pair_id == len(pair_postings):
                        pair_postings.append([])
                        pair_weight.append(0.0)
                        pair_rare.append(0.0)
                    pair_postings[pair_id].append(name_id)
                    weight = name.weights[index] + name.weights[index + 1]
                    pair_weight[pair_id] = max(pair_weight[pair_id], weight)
                    heavier = max(name.weights[index], name.weights[index + 1])
                    pair_rare[pair_id] = max(pair_rare[pair_id], heavier)
                    part_pair_right.append(pair_id)
                else:
                    part_pair_right.append(-1)
            part_unpaired.extend(-weight for weight in unpaired_weights(name))
            name_part_start.append(len(part_single))
        # Pairs are numbered after the single parts; one extra id (the sentinel) never has evidence.
        offset = len(singles)
        self._single_count = offset
        self._vocabulary_size = offset + len(pairs)
        sentinel = self._vocabulary_size
        self._vocabulary_parts: list[NamePart] = list(singles) + list(pairs)
        self._max_weight = np.asarray(single_weight + pair_weight + [0.0])
        self._rare_vocabulary = np.asarray(single_weight + pair_rare + [0.0]) >= COMMON_WEIGHT
        postings = single_postings + pair_postings
        self._posting_start = np.zeros(len(postings) + 1, dtype=np.int64)
        np.cumsum([len(names) for names in postings], out=self._posting_start[1:])
        self._posting_names = np.fromiter(
            itertools.chain.from_iterable(postings), dtype=np.int32, count=int(self._posting_start[-1])
        )
        self._posting_count = np.diff(self._posting_start)
        right = np.asarray(
            [pair + offset if pair >= 0 else sentinel for pair in part_pair_right], dtype=np.int32
        )
        self._name_part_start = np.asarray(name_part_start, dtype=np.int64)
        first_of_name = np.zeros(len(right), dtype=bool)
        first_of_name[self._name_part_start[:-1]] = True
        left = np.empty_like(right)
        left[1:] = right[:-1]
        left[first_of_name] = sentinel
        self._part_single = np.asarray(part_single, dtype=np.int32)
        self._part_pair_left = left
        self._part_pair_right = right
        self._part_weight = np.asarray(part_weight)
        self._part_unpaired = np.asarray(part_unpaired)
        self._vocabulary_arabic = [is_arabic(part.stem) for part in self._vocabulary_parts]
        self._vocabulary_arabic_array = np.asarray(self._vocabulary_arabic, dtype=bool)
        self._vocabulary_stems = np.asarray([part.stem for part in self._vocabulary_parts], dtype=object)
        self._prefix_codes: dict[str | None, int] = {None: 0}
        for part in self._vocabulary_parts:
            self._prefix_codes.setdefault(part.prefix, len(self._prefix_codes))
        self._vocabulary_prefix = np.asarray(
            [self._prefix_codes[part.prefix] for part in self._vocabulary_parts], dtype=np.int16
        )
        self._build_lookups(list(singles), list(pairs), offset)
        self._bounder = Bounder(
            ListedLayout(
                name_part_start=self._name_part_start,
                part_single=self._part_single,
                part_pair_left=self._part_pair_left,
                part_pair_right=self._part_pair_right,
                part_weight=self._part_weight,
                part_unpaired=self._part_unpaired,
                vocabulary_size=self._vocabulary_size,
            )
        )

    def _build_lookups(self, singles: list[NamePart], pairs: list[NamePart], offset: int) -> None:
        by_namespace: dict[str, list[tuple[str, int]]] = {}
        self._initials: dict[str, list[int]] = {}
        self._first_letters: dict[str, list[int]] = {}
        self._vowel_only: list[int] = []
        for vocabulary_id, part in enumerate(singles):
            if part.role is PartRole.INITIAL:
                self._initials.setdefault(initial_letter(part), []).append(vocabulary_id)
                continue
            for namespace, key in listed_keys(part):
                by_namespace.setdefault(namespace, []).append((key, vocabulary_id))
            self._first_letters.setdefault(initial_letter(part), []).append(vocabulary_id)
            if is_vowel_only(part):
                self._vowel_only.append(vocabulary_id)
        self._single_tables = {namespace: KeyTable(entries) for namespace, entries in by_namespace.items()}
        pair_entries: list[tuple[str, int]] = []
        self._pair_vowel_only: list[int] = []
        for index, part in enumerate(pairs):
            vocabulary_id = offset + index
            pair_entries += [(key, vocabulary_id) for _, key in listed_keys(part)]
            if is_vowel_only(part):
                self._pair_vowel_only.append(vocabulary_id)
        self._pair_table = KeyTable(pair_entries)
        # Latin words one typed letter apart, whatever their skeletons (latin_typo_similarity).
        self._typo_table = TypoTable(
            itertools.chain(
                ((part, vocabulary_id) for vocabulary_id, part in enumerate(singles)),
                ((part, offset + index) for index, part in enumerate(pairs)),
            )
        )

    def __len__(self) -> int:
        return len(self._candidates)

    @property
    def name_count(self) -> int:
        """Number of listed names indexed (all aliases of all candidates)."""
        return len(self._names)

    @property
    def vocabulary_size(self) -> int:
        """Distinct listed parts plus distinct pairs of neighbouring parts."""
        return self._vocabulary_size

    # -- per query part ------------------------------------------------------------------------------

    def _hits(self, part: NamePart, pair: bool) -> _Hits:
        """Listed parts that may have evidence for a query part, with a ceiling of that evidence.

        ``pair``: the query part is two neighbouring query parts joined; it is only ever compared with
        single listed parts, and (like a joined listed pair) only counts from :data:`MERGE_MINIMUM` up.
        """
        cache_key = (part, pair)
        cached = self._hits_cache.get(cache_key)
        if cached is not None:
            return self._refined(cached)
        return self._new_hits(part, pair, *self._kept(*self._ceilings(part, pair), pair))

    def _new_hits(self, part: NamePart, pair: bool, ids: np.ndarray, ceilings: np.ndarray) -> _Hits:
        hits = self._make_hits(part, pair, ids, evidence_above_floor(ceilings), {})
        self._hits_cache.put((part, pair), hits)
        return hits

    def _kept(self, ids: np.ndarray, values: np.ndarray, pair: bool) -> tuple[np.ndarray, np.ndarray]:
        """The ceilings that can be evidence: above the floor, and from the merge minimum up for joined
        pairs (a joined query pair is only compared with single listed parts)."""
        joined = np.ones(len(ids), dtype=bool) if pair else ids >= self._single_count
        keep = (values > SIMILARITY_FLOOR) & ((values >= MERGE_MINIMUM) | ~joined)
        if pair:
            keep &= ids < self._single_count
        return ids[keep], values[keep]

    def _pair_hits(self, first: NamePart, second: NamePart) -> _Hits | None:
        """Hits of two neighbouring query parts read as one word, or None when there are none.

        Most such pairs in a customer file are new and have no hit. Whether they have any is decided on
        a probe carrying only what the look-up reads (the merged keys, stem and text: the same ceilings
        as the merged part's); the merged part itself (its vowel shapes serve only scoring) is built
        for the pairs that do, and the verdict is cached.
        """
        verdict = self._pair_verdicts.get((first, second))
        if verdict is False:
            return None
        if verdict is None:
            probe = NamePart(
                text=f"{first.text} {second.text}",
                role=PartRole.NAME,
                stem=first.stem + second.stem,
                keys=merged_keys(first, second),
            )
            ids, ceilings = self._kept(*self._ceilings(probe, True), True)
            self._pair_verdicts.put((first, second), bool(ids.size))
            if not ids.size:
                return None
            return self._new_hits(self._merged(first, second), True, ids, ceilings)
        return self._hits(self._merged(first, second), True)

    def _make_hits(
        self,
        part: NamePart,
        pair: bool,
        ids: np.ndarray,
        strengths: np.ndarray | list[float],
        exact: dict[int, float],
    ) -> _Hits:
        names = self._names_of(ids)
        rare = self._rare_vocabulary[ids]
        rare_names = names if rare.all() else self._names_of(ids[rare])
        return _Hits(
            part,
            pair,
            ids,
            np.asarray(strengths),
            int(self._posting_count[ids].sum()),
            exact,
            names,
            rare_names,
        )

    def _names_of(self, ids: np.ndarray) -> np.ndarray:
        """The listed names (sorted, unique) that contain any of the vocabulary ``ids``."""
        if not ids.size:
            return np.zeros(0, dtype=np.int32)
        positions, _ = gather_ranges(self._posting_start[ids], self._posting_start[ids + 1])
        return _sorted_unique(self._posting_names[positions])

    def _refined(self, hits: _Hits) -> _Hits:
        """A query part seen again (common names recur in customer files): replace its ceilings by the
        exact evidence, so that its bounds are tight from then on.

        The exact evidence is computed a few ids per use (:data:`_REFINE_STEP`), not all at once: a
        common part has hundreds of hits, and computing them in one go made the query that happened to
        use it for the 20th time ten times slower than the others (the p99 latency).
        """
        hits.uses += 1
        if hits.refined or hits.uses < _REFINE_AFTER_USES or not hits.ids.size:
            return hits
        ids = hits.ids.tolist()
        computed = 0
        while hits.refine_cursor < len(ids) and computed < _REFINE_STEP:
            vocabulary_id = ids[hits.refine_cursor]
            if vocabulary_id not in hits.exact:
                self._exact(hits, vocabulary_id)
                computed += 1
            hits.refine_cursor += 1
        if hits.refine_cursor < len(ids):
            return hits
        strengths = [hits.exact[vocabulary_id] for vocabulary_id in ids]
        kept = [index for index, strength in enumerate(strengths) if strength > 0.0]
        refined = self._make_hits(
            hits.part, hits.pair, hits.ids[kept], [strengths[index] for index in kept], hits.exact
        )
        refined.uses, refined.refined = hits.uses, True
        self._hits_cache.put((hits.part, hits.pair), refined)
        return refined

    def _ceilings(self, part: NamePart, pair: bool) -> tuple[np.ndarray, np.ndarray]:
        """An upper bound of ``part_similarity(part, listed part)`` for every listed part it can exceed
        the floor with (others are left out).

        ``part_similarity`` gates on the skeleton keys and then, for parts with the same compound prefix,
        takes the vowel-aware shape similarity (never above the keys' similarity) or, in the same script,
        at most the spelling similarity; across prefixes it is 0.8 x the joined keys' similarity. The
        ceiling is therefore max(keys, spelling) for the same prefix and the joined keys' similarity
        across prefixes; initials and vowel-only names get 1. A Latin word one typo from a listed one
        (:class:`~raqib.matching.blocking.TypoTable`) gets at least its spelling similarity, which is what
        the typo rule gives it whatever the keys say. ``tests/matching/test_index.py`` checks the ceiling
        against ``part_similarity`` on real names.

        Returns ``(ids, ceilings)``: vocabulary ids (sorted, unique) and their ceilings, in numpy arrays
        throughout (a short key reaches hundreds of listed parts: a dict per part cost most of a new
        query part's look-up).
        """
        letter = initial_letter(part)
        if part.role is PartRole.INITIAL:
            # An initial pairs with any listed single part with its letter (never with a listed pair).
            ids = np.fromiter(
                itertools.chain(self._initials.get(letter, ()), self._first_letters.get(letter, ())),
                dtype=np.int32,
            )
            return best_by_owner(ids, np.ones(len(ids)))
        found: list[tuple[np.ndarray, np.ndarray]] = []
        own_table = self._single_tables.get(part.prefix or "")
        own = [own_table.similar_many(part.keys)] if own_table is not None else []
        if part.prefix is None and not pair:
            own.append(self._pair_table.similar_many(part.keys))
        own_ids, own_values = _concatenated(own)
        part_prefix = self._prefix_codes.get(part.prefix, -1)
        if own_ids.size:
            own_values = own_values.copy()
            same_prefix = self._vocabulary_prefix[own_ids] == part_prefix
            spelled = same_prefix & (self._vocabulary_arabic_array[own_ids] == is_arabic(part.stem))
            if spelled.any():
                spelling = process.cdist(
                    [part.stem],
                    self._vocabulary_stems[own_ids[spelled]],
                    scorer=Indel.normalized_similarity,
                    dtype=np.float64,
                )[0]
                own_values[spelled] = np.maximum(own_values[spelled], spelling)
            found.append((own_ids[same_prefix], own_values[same_prefix]))
        if part.prefix is None:
            # The shared namespace holds plain keys and other parts' joined keys alike.
            joined_ids, joined_values = own_ids, own_values
        else:
            keys = joined_keys(part)
            shared = self._single_tables.get("")
            joined_found = [shared.similar_many(keys)] if shared is not None else []
            if not pair:
                joined_found.append(self._pair_table.similar_many(keys))
            joined_ids, joined_values = _concatenated(joined_found)
        if joined_ids.size:
            other_prefix = self._vocabulary_prefix[joined_ids] != part_prefix
            found.append((joined_ids[other_prefix], _CROSS_PREFIX_FACTOR * joined_values[other_prefix]))
        if is_vowel_only(part):
            vowel_only = self._vowel_only if pair else self._vowel_only + self._pair_vowel_only
            found.append((np.asarray(vowel_only, dtype=np.int32), np.ones(len(vowel_only))))
        initials = self._initials.get(letter, ()) if not pair else ()
        if initials:
            found.append((np.asarray(initials, dtype=np.int32), np.full(len(initials), INITIAL_SIMILARITY)))
        typo_ids, typo_values = self._typo_table.similar_arrays(part)
        if typo_ids.size:
            found.append((typo_ids, typo_values))
        return _concatenated(found)

    def _exact(self, hits: _Hits, vocabulary_id: int) -> float:
        """The evidence the algorithm itself gives the pair (0 below the merge minimum for joined pairs)."""
        value = hits.exact.get(vocabulary_id)
        if value is None:
            similarity = part_similarity(hits.part, self._vocabulary_parts[vocabulary_id])
            joined = hits.pair or vocabulary_id >= self._single_count
            value = evidence(similarity) if similarity >= MERGE_MINIMUM or not joined else 0.0
            hits.exact[vocabulary_id] = value
        return value

    def _merged(self, first: NamePart, second: NamePart) -> NamePart:
        """Two neighbouring query parts as one (cached: the same pairs recur in customer files)."""
        merged = self._merged_cache.get((first, second))
        if merged is None:
            merged = merged_part(first, second)
            self._merged_cache.put((first, second), merged)
        return merged

    def _groups(self, query: PreparedName) -> list[tuple[tuple[int, ...], _Hits]]:
        parts = query.parts
        groups: list[tuple[tuple[int, ...], _Hits]] = [
            ((index,), self._hits(part, False)) for index, part in enumerate(parts)
        ]
        # Only the neighbours the algorithm may read as one word (not compounds: Abd al-Rahman Ali).
        for index in range(len(parts) - 1):
            if mergeable(parts[index]) and mergeable(parts[index + 1]):
                pair_hits = self._pair_hits(parts[index], parts[index + 1])
                if pair_hits is not None:
                    groups.append(((index, index + 1), pair_hits))
        return [(group_parts, hits) for group_parts, hits in groups if hits.ids.size]

    # -- candidate generation ------------------------------------------------------------------------

    def _unpaired(self, query: PreparedName, threshold: float) -> list[float]:
        """Each query part's share of ``N - T·D`` when it stays unpaired."""
        return [-threshold * weight for weight in unpaired_weights(query)]

    def _best_shares(self, group: _Group, query: PreparedName, threshold: float) -> list[float]:
        """Upper bound of the share of ``N - T·D`` each query part of the group gets from its best hit.

        A listed part's own share is ``(e - T)·w``; it only counts (as at most ``(e - T)·max weight``)
        when positive, because an unpaired listed part's share is negative anyway.
        """
        above = group.evidence - threshold
        gain = np.maximum(above, 0.0) * self._max_weight[group.ids]
        last = group.parts[-1]
        shares = [float(above.max()) * query.weights[index] for index in group.parts[:-1]]
        shares.append(float((above * query.weights[last] + gain).max()))
        return shares

    def shortlist(
        self, query: PreparedName, threshold: float, per_name: np.ndarray | None = None
    ) -> list[int]:
        """Ids of listed names whose score upper bound reaches ``threshold`` (sorted).

        Args:
            query: The prepared query name.
            threshold: The name score to reach.
            per_name: Optionally, a threshold per listed name (each at least ``threshold``): what the
                name's entity needs, given which secondary identifiers it has (see :meth:`_search`).
        """

        def thresholds_of(names: np.ndarray) -> np.ndarray:
            return np.full(len(names), threshold) if per_name is None else per_name[names]

        names, _, _ = self._shortlist(query, threshold, thresholds_of)
        shortlisted: list[int] = names.tolist()
        return shortlisted

    def _shortlist(
        self, query: PreparedName, threshold: float, thresholds_of: Callable[[np.ndarray], np.ndarray]
    ) -> tuple[np.ndarray, np.ndarray, list[_Group]]:
        """Names whose bound reaches their threshold, the bound of each, and the exact-evidence groups.

        ``threshold`` is the lowest name threshold, ``thresholds_of`` gives each name's own.
        """
        nothing = np.zeros(0, dtype=np.int64)
        if threshold <= _SLACK:
            everything = np.arange(len(self._names), dtype=np.int64)
            return everything, np.full(len(everything), np.inf), []
        found = self._groups(query)
        allowed = self._decisive(found, query)
        if allowed is not None and not allowed.size and threshold > _CAPPED + _SLACK:
            return nothing, nothing, []  # every name is capped below the threshold it needs
        groups = [_Group(parts, hits.ids, hits.ceiling, hits.postings) for parts, hits in found]
        names = self._members(found, groups, query, threshold)
        if not names.size:
            return nothing, nothing, []
        names, thresholds = self._uncapped(names, thresholds_of(names), allowed)
        if not names.size:
            return nothing, nothing, []
        names, _ = self._bounded(names, groups, query, thresholds)
        if not names.size:
            return nothing, nothing, []
        # Replace the ceilings by the algorithm's own evidence, only for the parts of the names left.
        positions, _ = gather_ranges(self._name_part_start[names], self._name_part_start[names + 1])
        present = np.zeros(self._vocabulary_size + 1, dtype=bool)
        present[self._part_single[positions]] = True
        present[self._part_pair_right[positions]] = True
        exact_groups = []
        for parts, hits in found:
            ids = hits.ids[present[hits.ids]]
            strengths = np.asarray([self._exact(hits, vocabulary_id) for vocabulary_id in ids.tolist()])
            keep = strengths > 0.0
            if keep.any():
                exact_groups.append(_Group(parts, ids[keep], strengths[keep], 0))
        if not exact_groups:
            return nothing, nothing, []
        names, bounds = self._bounded(names, exact_groups, query, thresholds_of(names))
        return names, bounds, exact_groups

    def _decisive(self, found: list[tuple[tuple[int, ...], _Hits]], query: PreparedName) -> np.ndarray | None:
        """The names the algorithm's caps do not hold below ``_CAPPED`` (sorted), or None when the caps
        cannot apply to this query (one part, or no first or last part that must be paired).

        When only common parts agree (every paired part on both sides weighs less than
        ``COMMON_WEIGHT``) and the query leaves its first or last full part unpaired, the name score is
        capped at ``COMMON_ONLY_CAP`` (``SINGLE_PART_CAP`` in the one-part case, lower still). A name that
        needs more than that can therefore only qualify if it pairs a rare part (a rare query part, or a
        rare listed part) or pairs both ends of the query. A customer file is mostly common given names
        before a family name the list does not have: this keeps the thousands of listed names that share
        only the given names out of the bounds.
        """
        if len(query.parts) < 2:
            return None
        last = len(query.parts) - 1
        ends = [
            index
            for index in (0, last)
            if query.parts[index].role is not PartRole.INITIAL
            and not is_function_word(query.parts[index].text)
        ]
        if not ends:
            return None
        rare_query = {index for index, weight in enumerate(query.weights) if weight >= COMMON_WEIGHT}
        decisive = [
            hits.names if rare_query.intersection(parts) else hits.rare_names for parts, hits in found
        ]
        both_ends: np.ndarray | None = None
        for end in ends:
            reached = [hits.names for parts, hits in found if end in parts]
            if not reached:
                both_ends = None
                break
            covering = _sorted_unique(np.concatenate(reached)) if len(reached) > 1 else reached[0]
            both_ends = (
                covering if both_ends is None else np.intersect1d(both_ends, covering, assume_unique=True)
            )
        if both_ends is not None:
            decisive.append(both_ends)
        decisive = [array for array in decisive if array.size]
        if not decisive:
            return np.zeros(0, dtype=np.int32)
        return _sorted_unique(np.concatenate(decisive)) if len(decisive) > 1 else decisive[0]

    @staticmethod
    def _uncapped(
        names: np.ndarray, thresholds: np.ndarray, allowed: np.ndarray | None
    ) -> tuple[np.ndarray, np.ndarray]:
        """The names (with their thresholds) that the caps do not keep below their threshold: those that
        need no more than ``_CAPPED``, and the others among ``allowed`` (see :meth:`_decisive`)."""
        if allowed is None:
            return names, thresholds
        capped = thresholds > _CAPPED + _SLACK
        if not capped.any():
            return names, thresholds
        if allowed.size:
            position = np.searchsorted(allowed, names)
            keep = ~capped | (allowed[np.minimum(position, len(allowed) - 1)] == names)
        else:
            keep = ~capped
        return names[keep], thresholds[keep]

    def _members(
        self,
        found: list[tuple[tuple[int, ...], _Hits]],
        groups: list[_Group],
        query: PreparedName,
        threshold: float,
    ) -> np.ndarray:
        """Names whose bound from *which groups they are in* (each group at its best share) reaches 0.

        This is prefix filtering generalised: a name in no group but common ones (*Mohammed*) is not
        looked at when the rare query parts decide; names in two groups, or in one decisive group, are.
        """
        unpaired = self._unpaired(query, threshold)
        shares = [self._best_shares(group, query, threshold) for group in groups]
        useful = [
            (index, part, share)
            for index, group in enumerate(groups)
            for part, share in zip(group.parts, shares[index], strict=True)
            if share > unpaired[part]
        ]
        if not useful:
            return np.zeros(0, dtype=np.int64)
        # Prefix filtering: a name reached only through the parts in ``optional`` has a bound of at most
        # sum(unpaired) + their gains; while that stays negative, such names cannot qualify, so only the
        # names reached through the other parts are candidates. Common parts (long postings) go into
        # ``optional`` first, so the candidates come from the rare parts' short postings.
        gain = [0.0] * len(unpaired)
        postings = [0] * len(unpaired)
        for index, part, share in useful:
            gain[part] = max(gain[part], share - unpaired[part])
            postings[part] += groups[index].postings
        floor = sum(unpaired)
        optional: set[int] = set()
        for part in sorted(range(len(unpaired)), key=lambda part: -postings[part]):
            if floor + gain[part] >= -_PREFIX_MARGIN:
                break
            floor += gain[part]
            optional.add(part)
        generating = [found[index][1].names for index, part, _ in useful if part not in optional]
        if not generating:
            return np.zeros(0, dtype=np.int64)
        return self._bounder.members(
            generating, [(found[index][1].names, part, share) for index, part, share in useful], unpaired
        )

    def _bounded(
        self, names: np.ndarray, groups: list[_Group], query: PreparedName, thresholds: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray]:
        """The names among ``names`` whose upper bound of ``N - T·D`` is not negative, and the bounds.

        ``thresholds`` holds each name's ``T`` (the bound is linear in it); :mod:`raqib.matching.bounds`
        computes it (compiled where built).
        """
        bound = self._bounder.bounds(
            names,
            thresholds,
            [(group.parts, group.ids, group.evidence) for group in groups],
            query.weights,
            unpaired_weights(query),
        )
        keep = bound >= -_SLACK
        return names[keep], bound[keep]

    # -- search --------------------------------------------------------------------------------------

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

    def _score(
        self,
        query: Query,
        prepared: PreparedName,
        candidate_id: int,
        name_ids: Sequence[int] | None = None,
    ) -> MatchResult:
        """Score one candidate; with ``name_ids``, against those of its names only (in list order)."""
        candidate = self._candidates[candidate_id]
        names = self._by_candidate[candidate_id]
        if name_ids is not None:
            first = self._candidate_first_name[candidate_id]
            names = [names[name_id - first] for name_id in name_ids]
        return self.matcher.score(query, candidate, prepared, names)

    def name_thresholds(self, query: Query, threshold: float) -> _NameThresholds:
        """The name score each listed name needs so that its entity can reach ``threshold`` with the
        query's secondary identifiers (see :class:`_NameThresholds`; ``.lowest`` is the lowest)."""
        kind = (query.birth_date is not None, query.country is not None, bool(query.identifiers), threshold)
        by_mask = self._by_mask_cache.get(kind)
        if by_mask is None:
            by_mask = [_name_threshold(query, threshold, mask) for mask in range(_FEATURE_MASKS)]
            if len(self._by_mask_cache) >= _FEATURE_MASKS * 4:
                self._by_mask_cache.clear()
            self._by_mask_cache[kind] = by_mask
        birth = None
        span = parse_date(query.birth_date) if query.birth_date is not None else None
        if (
            span is not None
            and by_mask[_BIRTH_DATE] < threshold
            and self._birth_overlaps(span.year_from, span.year_to)
        ):
            birth = (self._birth_first, self._birth_last, span.year_from, span.year_to)
        country = self._country_mask(query.country) if query.country is not None else None
        identifier = self._identifier_mask(query.identifiers) if query.identifiers else None
        return _NameThresholds(threshold, by_mask, self._owner_array, birth, country, identifier)

    def _birth_overlaps(self, year_from: int, year_to: int) -> bool:
        """Whether any entity's birth years overlap these; cached per span (customers' birth years are a
        few dozen values, and the scan over every entity was paid by each query)."""
        overlaps = self._birth_spans.get((year_from, year_to))
        if overlaps is None:
            overlaps = bool(((self._birth_first <= year_to) & (self._birth_last >= year_from)).any())
            self._birth_spans[(year_from, year_to)] = overlaps
        return overlaps

    def _country_mask(self, country: str) -> np.ndarray | None:
        """Which entities list ``country`` (None if none does); cached per country."""
        wanted = country_key(country)
        if wanted not in self._country_masks:
            owners = self._country_owners.get(wanted)
            mask = None
            if owners:
                mask = np.zeros(len(self._candidates), dtype=bool)
                mask[owners] = True
            self._country_masks[wanted] = mask
        return self._country_masks[wanted]

    def _identifier_mask(self, identifiers: Sequence[str]) -> np.ndarray | None:
        owners = [
            owner
            for number in supporting_identifiers(identifiers)
            for owner in self._identifier_owners.get(number, ())
        ]
        if not owners:
            return None
        mask = np.zeros(len(self._candidates), dtype=bool)
        mask[owners] = True
        return mask

    def _search(self, query: Query, threshold: float, limit: int) -> list[MatchResult]:
        prepared = self.matcher.prepare(query.name)
        if not prepared.parts:
            return []
        thresholds = self.name_thresholds(query, threshold)
        names, bounds, exact_groups = self._shortlist(prepared, thresholds.lowest, thresholds)
        if not names.size:
            return []
        effects: dict[int, tuple[float, float]] | None = None
        if exact_groups and _has_secondary(query):
            # The secondary identifiers' exact effect on each entity left (far cheaper than its names'
            # comparisons): most customers' birth dates contradict a listed person's, which takes the
            # name score needed above 1.
            effects = self._feature_effects(query, self._owner_array[names])
            names, bounds = self._bounded(
                names, exact_groups, prepared, self._needed(names, threshold, effects)
            )
            if not names.size:
                return []
        owners = self._owner_array[names]
        # Best bound first, so that once ``limit`` results are in the rest can be filtered again at the
        # k-th best score (results are then identical to a full scan's top ``limit``).
        order = np.lexsort((names, -bounds))
        by_candidate: dict[int, list[int]] = {}
        for name_id, owner in zip(names[order].tolist(), owners[order].tolist(), strict=True):
            by_candidate.setdefault(owner, []).append(name_id)
        pending = list(by_candidate)
        results: list[MatchResult] = []
        position = 0
        while position < len(pending):
            if len(results) >= limit and exact_groups:
                pending = pending[:position] + self._still_possible(
                    query, prepared, pending[position:], by_candidate, exact_groups, results, limit, effects
                )
                if position >= len(pending):
                    break
            candidate_id = pending[position]
            position += 1
            result = self._score(query, prepared, candidate_id, sorted(by_candidate[candidate_id]))
            if result.score >= threshold:
                results.append(result)
        results.sort(key=lambda result: (-result.score, result.candidate_id))
        return results[:limit]

    def _feature_effects(self, query: Query, owners: np.ndarray) -> dict[int, tuple[float, float]]:
        """Per entity in ``owners``, the secondary features' effect as ``(slope, intercept)``:
        ``score = slope · name score + intercept`` (each feature's effect is affine in the score)."""
        effects: dict[int, tuple[float, float]] = {}
        for candidate_id in _sorted_unique(owners).tolist():
            candidate = self._candidates[candidate_id]
            slope, intercept = 1.0, 0.0
            for feature in FEATURES:
                value, _ = feature(query, candidate)
                effect = FEATURE_EFFECTS[feature.__name__]
                if value > 0:
                    lift = effect.support * value  # s + lift·(1 - s) = lift + (1 - lift)·s
                    slope, intercept = slope * (1.0 - lift), intercept * (1.0 - lift) + lift
                elif value < 0:
                    factor = 1.0 - effect.conflict * -value
                    slope, intercept = slope * factor, intercept * factor
            effects[candidate_id] = (slope, intercept)
        return effects

    def _needed(
        self, names: np.ndarray, target: float, effects: dict[int, tuple[float, float]]
    ) -> np.ndarray:
        """The name score each of ``names`` needs for its entity to reach ``target``."""
        pairs = [effects[owner] for owner in self._owner_array[names].tolist()]
        slopes = np.fromiter((slope for slope, _ in pairs), dtype=np.float64, count=len(pairs))
        intercepts = np.fromiter((intercept for _, intercept in pairs), dtype=np.float64, count=len(pairs))
        return _needed_name_score(target, slopes, intercepts)

    def _still_possible(
        self,
        query: Query,
        prepared: PreparedName,
        pending: list[int],
        by_candidate: dict[int, list[int]],
        exact_groups: list[_Group],
        results: list[MatchResult],
        limit: int,
        effects: dict[int, tuple[float, float]] | None,
    ) -> list[int]:
        """The pending candidates that can still enter the top ``limit`` (score at least the k-th best)."""
        kth = sorted((result.score for result in results), reverse=True)[limit - 1]
        names = np.asarray(sorted(itertools.chain.from_iterable(by_candidate[c] for c in pending)))
        if effects is not None:
            needed = self._needed(names, kth, effects)
        else:
            needed = self.name_thresholds(query, kth)(names)
        kept, _ = self._bounded(names, exact_groups, prepared, needed)
        alive = set(self._owner_array[kept].tolist())
        return [candidate_id for candidate_id in pending if candidate_id in alive]

    def may_match(self, query: Query | str, threshold: float = THRESHOLD) -> bool:
        """Whether ``search(query, threshold)`` could return anything (a cheap pre-filter).

        False is certain: no listed name's bound from the query parts' ceilings reaches the threshold
        its entity needs (the first steps of :meth:`search`, without exact evidence or scoring). True means
        "search to know". Meant for delta re-screening: a customer file against the few entities a
        list update changed, where almost every name answers False.

        Args:
            query: The query (its birth date, country and identifiers can lower the threshold an entity
                needs), or a bare name.
            threshold: The score the search would report from.
        """
        if not self._names:
            return False
        if isinstance(query, str):
            query = Query(name=query)
        prepared = self.matcher.prepare(query.name)
        if not prepared.parts:
            return False
        thresholds = self.name_thresholds(query, threshold)
        if thresholds.lowest <= _SLACK:
            return True
        found = self._groups(prepared)
        if not found:
            return False
        allowed = self._decisive(found, prepared)
        if allowed is not None and not allowed.size and thresholds.lowest > _CAPPED + _SLACK:
            return False  # every name is capped below the threshold it needs
        groups = [_Group(parts, hits.ids, hits.ceiling, hits.postings) for parts, hits in found]
        if len(self._names) <= _SMALL_INDEX_NAMES:
            # A delta index: bounding every name costs less than choosing which to bound.
            names = np.arange(len(self._names), dtype=np.int64)
        else:
            names = self._members(found, groups, prepared, thresholds.lowest)
        names, needed = self._uncapped(names, thresholds(names), allowed)
        if not names.size:
            return False
        names, _ = self._bounded(names, groups, prepared, needed)
        return bool(names.size)

    def may_match_many(
        self, queries: Sequence[Query | str], threshold: float = THRESHOLD, workers: int = 1
    ) -> list[bool]:
        """:meth:`may_match` for many queries, over ``workers`` processes."""
        pool, batches = self._batches(queries, workers)
        if pool is None:
            return [self.may_match(query, threshold) for query in queries]
        answers = pool.map(_may_match_batch, [(token, chunk, threshold) for token, chunk in batches])
        return [answer for batch in answers for answer in batch]

    def _batches(
        self, items: Sequence[_T], workers: int
    ) -> tuple[multiprocessing.pool.Pool | None, list[tuple[int, list[_T]]]]:
        """The worker pool and ``items`` cut into chunks for it; no pool when they are better done here.

        The worker count is capped at the CPU count here, once, so that every caller asks the pool for
        the same size (asking for another size restarts it).
        """
        workers = min(workers, os.cpu_count() or 1)
        if (
            workers <= 1
            or len(items) < workers * _MIN_BATCH_PER_WORKER
            or "fork" not in multiprocessing.get_all_start_methods()
        ):
            return None, []
        chunk = max(_MIN_BATCH_PER_WORKER, len(items) // (workers * 4))
        batches = [(self._token, list(items[start : start + chunk])) for start in range(0, len(items), chunk)]
        return self._worker_pool(workers), batches

    def search_brute_force(
        self, query: Query, threshold: float = THRESHOLD, limit: int = 10
    ) -> list[MatchResult]:
        """Score every candidate (for tests and audits: must equal :meth:`search`)."""
        prepared = self.matcher.prepare(query.name)
        results = []
        for candidate_id in range(len(self._candidates)):
            result = self._score(query, prepared, candidate_id)
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
        """Screen many queries; with ``workers > 1`` the work is split over forked worker processes.

        The worker pool is started on first use and kept (with its caches) for later calls, until
        :meth:`close`. ``workers=1`` (or a small batch) runs in this process. Repeated queries are
        answered from a per-process cache.
        """
        pool, batches = self._batches(queries, workers)
        if pool is None:
            return [self.search(query, threshold, limit) for query in queries]
        work = [(token, chunk, threshold, limit) for token, chunk in batches]
        answers = pool.map(_search_batch, work)
        return [results for batch in answers for results in batch]

    @property
    def _token(self) -> int:
        return id(self)

    def _worker_pool(self, workers: int) -> multiprocessing.pool.Pool:
        if self._pool is not None and self._pool_workers == workers:
            return self._pool
        self.close()
        _INDEXES[self._token] = self  # weak: forked children adopt it in _adopt_index
        context = multiprocessing.get_context("fork")
        pool = context.Pool(processes=workers, initializer=_adopt_index, initargs=(self._token,))
        self._pool, self._pool_workers = pool, workers
        self._finalizer = weakref.finalize(self, _stop_pool, pool)
        return pool

    def close(self) -> None:
        """Stop the worker processes of :meth:`search_many` (if any). The index stays usable."""
        if self._finalizer is not None:
            self._finalizer()
        self._pool, self._pool_workers, self._finalizer = None, 0, None

    def __enter__(self) -> MatchIndex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()


_INDEXES: weakref.WeakValueDictionary[int, MatchIndex] = weakref.WeakValueDictionary()
_ADOPTED: MatchIndex | None = None


def _adopt_index(token: int) -> None:
    """Pool initializer: keep a strong reference to the index this forked worker serves."""
    global _ADOPTED
    _ADOPTED = _INDEXES.get(token)
    # This worker process is the index's own: keep the collector from re-scanning the inherited heap
    # (a full collection took ~0.6 s and, by touching every object, copied the shared pages).
    gc.freeze()


def _stop_pool(pool: multiprocessing.pool.Pool) -> None:
    pool.terminate()
    pool.join()


def _has_secondary(query: Query) -> bool:
    return any((query.birth_date, query.country, query.identifiers, query.gender, query.type))


def _needed_name_score(target: float, slopes: np.ndarray, intercepts: np.ndarray) -> np.ndarray:
    """The name score each name needs for its entity to reach ``target`` (inverse of the features'
    affine effect), lowered by a margin so that the scorer's own rounding can never exceed it."""
    with np.errstate(divide="ignore", invalid="ignore"):
        needed = np.where(
            slopes > _SLACK, (target - intercepts) / slopes, np.where(intercepts >= target, 0.0, np.inf)
        )
    result: np.ndarray = needed - _SLACK
    return result


def _name_threshold(query: Query, threshold: float, mask: int = _ALL_FEATURES) -> float:
    """The lowest name score that the secondary identifiers shared by the query and an entity with
    ``mask`` (bits :data:`_BIRTH_DATE`, :data:`_COUNTRY`, :data:`_IDENTIFIER`) could still lift to
    ``threshold``."""
    present = {
        "birth_date": query.birth_date is not None and bool(mask & 1),
        "country": query.country is not None and bool(mask & 2),
        "identifier": bool(query.identifiers) and bool(mask & 4),
    }
    needed = threshold
    for feature in reversed(FEATURES):
        name = feature.__name__
        support = FEATURE_EFFECTS[name].support
        if present.get(name, False) and support > 0:
            needed = (needed - support) / (1.0 - support)
    return max(0.0, needed)


def _adopted(token: int) -> MatchIndex:
    index = _ADOPTED
    if index is None or index._token != token:  # pragma: no cover - only if the pool was not forked
        raise RuntimeError("search_many worker started without its index")
    return index


def _search_batch(batch: tuple[int, list[Query], float, int]) -> list[list[MatchResult]]:
    token, queries, threshold, limit = batch
    index = _adopted(token)
    return [index.search(query, threshold, limit) for query in queries]


def _may_match_batch(batch: tuple[int, list[Query | str], float]) -> list[bool]:
    token, queries, threshold = batch
    index = _adopted(token)
    return [index.may_match(query, threshold) for query in queries]
