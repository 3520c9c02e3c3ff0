"""Blocking: which listed name parts a query part must be compared with, found without a full scan.

:func:`~raqib.matching.algorithms.v1.tokens.part_similarity` gates on the phonetic skeleton: two parts
can only have evidence if one key of each is within OSA similarity
:data:`~raqib.matching.algorithms.v1.tokens.SIMILARITY_FLOOR` (same compound prefix), or their joined
keys are (different prefixes), or both have no consonant, or one is an initial of the other's first
letter. So the index only needs, per query key, *every listed key within that similarity*:
:class:`KeyTable` finds them.

A key of length ``n`` is within the floor of another only if their OSA distance is at most
:func:`max_distance` of the longer one; the deletions needed on each side are then at most
``max_distance`` of its *own* length (SymSpell's symmetric-deletion argument; a transposition is one
deletion on each side). Listed keys up to :data:`MAX_INDEXED_LENGTH` classes are stored under their
deletion variants, as 64-bit hashes in one sorted numpy array (no Python string per variant: this is
what keeps the UN + OFAC index small). Longer listed keys (almost all of them joined pairs of parts)
are few, and are compared directly with rapidfuzz when a query key is long enough to reach them. Every
candidate key is confirmed with the OSA similarity itself, so hash collisions cost time, never results.

Both tables run on a compiled kernel (``_keys_kernel.pyx``, built by ``setup.py`` when Cython and a C
compiler are there): variants made and hashed in C (FNV-1a over the code points) into a bucketed table
of fingerprinted entries, OSA with a cut-off, owners' best similarities through per-table position
arrays. With Python and numpy calls, a look-up of a new query part cost ~200-250 µs, most of it around
~100 comparisons; the kernel takes ~10-30 µs and its tables hold 40% less memory. Where the kernel is
not built, the Python code here runs, with the same results (``tests/matching/test_keys_kernel.py``
checks both against a brute-force reading); its hashes are Python's ``hash`` of the variant, valid
within one process and its forks, so a table pickles as its entries and is built again.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Iterator
from types import ModuleType

import numpy as np
from rapidfuzz import process
from rapidfuzz.distance import OSA, Indel

from raqib.matching.algorithms.v1.tokens import (
    SIMILARITY_FLOOR,
    TYPO_MIN_LENGTH,
    first_letter,
    joined_keys,
    typo_text,
)
from raqib.matching.bounds import gather_ranges
from raqib.names import NamePart, PartRole, is_arabic

_kernel: ModuleType | None
try:
    from raqib.matching import _keys_kernel as _kernel
except ImportError:  # not built (no Cython or no compiler at install): the Python code below runs
    _kernel = None

COMPILED: bool = _kernel is not None
"""Whether the compiled kernel is built and imports (the tables then use it by default)."""

# Listed keys longer than this are compared with rapidfuzz instead of being stored under their
# deletion variants (a 12-class key would need all 4-deletions: 794 variants).
MAX_INDEXED_LENGTH = 10
# Query keys longer than this are compared with rapidfuzz against every listed key of a reachable
# length (rare: joined pairs of long parts).
MAX_QUERY_VARIANT_LENGTH = 10
# A table with at most this many keys (a delta index of the entities a list update changed) is
# searched by comparing the query key with every key of a reachable length: cheaper than generating
# and looking up the query key's deletion variants.
DIRECT_SCAN_KEYS = 256


@functools.cache
def max_distance(length: int) -> int:
    """Largest OSA distance at which a key of ``length`` classes (the longer one) is above the floor."""
    distance = 0
    while distance < length and 1.0 - (distance + 1) / length > SIMILARITY_FLOOR:
        distance += 1
    return distance


def _variants(key: str) -> set[str]:
    """Every string made by deleting up to ``max_distance(len(key))`` classes from ``key``."""
    length, distance = len(key), max_distance(len(key))
    if distance <= 3:
        # Deletion positions chosen directly: each variant is built once (the level-by-level expansion
        # below builds most of them several times, which dominated the index build).
        variants = {key}
        positions = range(length)
        if distance >= 1:
            variants.update(key[:i] + key[i + 1 :] for i in positions)
        if distance >= 2:
            variants.update(
                key[:i] + key[i + 1 : j] + key[j + 1 :] for i in positions for j in range(i + 1, length)
            )
        if distance >= 3:
            variants.update(
                key[:i] + key[i + 1 : j] + key[j + 1 : k] + key[k + 1 :]
                for i in positions
                for j in range(i + 1, length)
                for k in range(j + 1, length)
            )
        return variants
    level = {key}
    variants = {key}
    for _ in range(max_distance(len(key))):
        level = {variant[:index] + variant[index + 1 :] for variant in level for index in range(len(variant))}
        variants |= level
    return variants


@functools.lru_cache(maxsize=1 << 12)
def deletion_variants(key: str) -> tuple[str, ...]:
    """The key and every string reachable from it by deleting up to ``max_distance(len(key))`` classes.

    Cached for query keys only (a few thousand recur); the table build hashes each listed key's variants
    once without keeping them: a cache of all UN + OFAC keys' variants held ~380 MB of strings.
    """
    return tuple(_variants(key))


def _reachable(query_length: int, listed_length: int) -> bool:
    """Whether keys of these lengths can be within the floor at all (the length difference is an edit)."""
    return abs(query_length - listed_length) <= max_distance(max(query_length, listed_length))


_NO_OWNERS: tuple[np.ndarray, np.ndarray] = (np.zeros(0, dtype=np.int32), np.zeros(0, dtype=np.float64))


def best_by_owner(owners: np.ndarray, similarities: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each distinct owner once (sorted) with its highest similarity."""
    if not owners.size:
        return _NO_OWNERS
    order = np.lexsort((-similarities, owners))
    owners, similarities = owners[order], similarities[order]
    first = np.ones(len(owners), dtype=bool)
    first[1:] = owners[1:] != owners[:-1]
    return owners[first].astype(np.int32, copy=False), similarities[first]


def _hashed_lookup(hashes: np.ndarray, values: np.ndarray, variants: Iterable[str]) -> set[int]:
    """The ``values`` stored under any of ``variants`` in a table sorted by (Python) hash.

    Hash collisions only add candidates: callers confirm each with the real distance.
    """
    wanted = np.fromiter(map(hash, variants), dtype=np.int64)
    lows = np.searchsorted(hashes, wanted, side="left")
    highs = np.searchsorted(hashes, wanted, side="right")
    found: set[int] = set()
    for low, high in zip(lows.tolist(), highs.tolist(), strict=True):
        if high > low:
            found.update(values[low:high].tolist())
    return found


def _use_kernel(compiled: bool | None) -> ModuleType | None:
    if compiled is None:
        compiled = COMPILED
    if compiled and _kernel is None:
        raise RuntimeError("raqib.matching._keys_kernel is not built (reinstall with Cython and a compiler)")
    return _kernel if compiled else None


def _owner_arrays(owner_lists: Iterable[list[int]]) -> tuple[np.ndarray, np.ndarray]:
    """Each list's distinct owners, sorted, one list after another, and where each list begins."""
    distinct = [sorted(set(owners)) for owners in owner_lists]
    starts = np.zeros(len(distinct) + 1, dtype=np.int64)
    np.cumsum([len(owners) for owners in distinct], out=starts[1:])
    owners = np.fromiter(
        (owner for group in distinct for owner in group), dtype=np.int32, count=int(starts[-1])
    )
    return starts, owners


class KeyTable:
    """Skeleton keys of listed parts, searchable by OSA similarity above the floor.

    Args:
        entries: ``(key, owner)`` pairs; an owner (a vocabulary id) may have several keys.
        compiled: Use the compiled kernel (default: when it is built). ``False`` forces the Python code
            (tests and benchmarks compare the two); ``True`` raises if the kernel is not built.
    """

    def __init__(self, entries: Iterable[tuple[str, int]], compiled: bool | None = None) -> None:
        owners_of: dict[str, list[int]] = {}
        for key, owner in entries:
            if key:
                owners_of.setdefault(key, []).append(owner)
        self.keys: list[str] = list(owners_of)
        kernel = _use_kernel(compiled)
        self.compiled = kernel is not None
        if kernel is not None:
            starts, owners = _owner_arrays(owners_of.values())
            self._kernel = kernel.KeyKernel(
                self.keys,
                starts,
                owners,
                SIMILARITY_FLOOR,
                MAX_INDEXED_LENGTH,
                MAX_QUERY_VARIANT_LENGTH,
                DIRECT_SCAN_KEYS,
            )
            return
        self._kernel = None
        self._key_array = np.asarray(self.keys, dtype=object)
        self._lengths = np.fromiter((len(key) for key in self.keys), dtype=np.int32, count=len(self.keys))
        self._owner_start, self._owners = _owner_arrays(owners_of.values())
        # One small int64 array per key (not a Python list of every hash: ~10 million ints for UN + OFAC).
        hash_arrays: list[np.ndarray] = []
        variant_counts: list[int] = []
        for key in self.keys:
            if len(key) <= MAX_INDEXED_LENGTH:
                variants = _variants(key)
                hash_arrays.append(np.fromiter(map(hash, variants), dtype=np.int64, count=len(variants)))
                variant_counts.append(len(variants))
            else:
                variant_counts.append(0)
        hashes = np.concatenate(hash_arrays) if hash_arrays else np.zeros(0, dtype=np.int64)
        del hash_arrays
        # Sorted with as few copies alive at once as possible: this is the build's memory peak.
        order = np.argsort(hashes, kind="stable")
        self._variant_hashes = hashes[order]
        del hashes
        key_of_variant = np.repeat(np.arange(len(self.keys), dtype=np.int32), variant_counts)
        self._variant_keys = key_of_variant[order]
        del order, key_of_variant
        self._long_ids = np.flatnonzero(self._lengths > MAX_INDEXED_LENGTH).astype(np.int32)

    def __len__(self) -> int:
        return len(self.keys)

    def __reduce__(self) -> tuple[type[KeyTable], tuple[list[tuple[str, int]], bool | None]]:
        # Rebuilt from its entries: the Python code's hashes are only valid in this process.
        return KeyTable, (list(self._entries()), None if self.compiled else False)

    def _entries(self) -> Iterator[tuple[str, int]]:
        if self._kernel is not None:
            starts, owners = self._kernel.owner_arrays()
        else:
            starts, owners = self._owner_start, self._owners
        for index, key in enumerate(self.keys):
            for owner in owners[starts[index] : starts[index + 1]].tolist():
                yield key, owner

    @property
    def nbytes(self) -> int:
        """Memory held in numpy arrays (the variant index dominates)."""
        if self._kernel is not None:
            kernel_bytes: int = self._kernel.nbytes
            return kernel_bytes
        arrays = (self._lengths, self._owner_start, self._owners, self._variant_hashes, self._variant_keys)
        return sum(array.nbytes for array in arrays)

    def _reachable_ids(self, length: int, ids: np.ndarray) -> list[int]:
        lengths = self._lengths[ids]
        reach = np.asarray([_reachable(length, listed) for listed in range(int(lengths.max()) + 1)])
        reachable: list[int] = ids[reach[lengths]].tolist()
        return reachable

    def _candidate_keys(self, key: str) -> list[int]:
        length = len(key)
        if length > MAX_QUERY_VARIANT_LENGTH:
            return self._reachable_ids(length, np.arange(len(self.keys), dtype=np.int32))
        found = _hashed_lookup(self._variant_hashes, self._variant_keys, deletion_variants(key))
        # A longer key is reachable only if the shortest long length at least as long as the key is
        # (``n - max_distance(n)`` never decreases).
        if self._long_ids.size and _reachable(length, max(length, MAX_INDEXED_LENGTH + 1)):
            found.update(self._reachable_ids(length, self._long_ids))
        return list(found)

    def similar_many(self, keys: Iterable[str]) -> tuple[np.ndarray, np.ndarray]:
        """Owners of every listed key whose OSA similarity with one of ``keys`` (a part's keys) is above
        the floor, with the best such similarity per owner: ``(owners, similarities)``, owners sorted
        and unique.

        One rapidfuzz matrix over the keys and the union of their candidate keys: a candidate found
        through one key and compared with another is a true similarity, so the result is that of
        looking each key up alone and keeping the maxima, without a Python loop per key or per owner
        (a short key reaches hundreds of owners).
        """
        if self._kernel is not None:  # it skips empty keys (a repeated key only costs time)
            found: tuple[np.ndarray, np.ndarray] = self._kernel.similar_many(
                keys if isinstance(keys, (tuple, list)) else list(keys)
            )
            return found
        wanted = [key for key in dict.fromkeys(keys) if key]
        if not wanted or not self.keys:
            return _NO_OWNERS
        return self._python_similar_many(wanted)

    def _python_similar_many(self, wanted: list[str]) -> tuple[np.ndarray, np.ndarray]:
        if len(self.keys) <= DIRECT_SCAN_KEYS:
            candidates: list[int] | np.ndarray = np.arange(len(self.keys), dtype=np.int32)
        else:
            found: set[int] = set()
            for key in wanted:
                found.update(self._candidate_keys(key))
            if not found:
                return _NO_OWNERS
            candidates = np.fromiter(found, dtype=np.int32, count=len(found))
        matrix = process.cdist(
            wanted,
            self._key_array[candidates].tolist(),
            scorer=OSA.normalized_similarity,
            score_cutoff=SIMILARITY_FLOOR,
            dtype=np.float64,
        )
        best_per_key = matrix.max(axis=0)
        above = np.flatnonzero(best_per_key > SIMILARITY_FLOOR)
        if not above.size:
            return _NO_OWNERS
        key_ids = np.asarray(candidates)[above]
        starts, ends = self._owner_start[key_ids], self._owner_start[key_ids + 1]
        positions, _ = gather_ranges(starts, ends)
        return best_by_owner(self._owners[positions], np.repeat(best_per_key[above], ends - starts))


class TypoTable:
    """Latin-script parts as written, searchable for those one typo away (OSA distance at most 1).

    :func:`~raqib.matching.algorithms.v1.tokens.latin_typo_similarity` lets one typed letter through the
    skeleton gate, so the index must find such pairs even when their keys are far apart. Two words are
    one substitution, insertion, deletion or transposition apart only if deleting at most one letter
    from each makes them equal (symmetric deletion), so each listed word is stored under itself and its
    single-letter deletions: as hashes in one sorted array, like :class:`KeyTable`, and every candidate
    is confirmed with the OSA distance.

    Args:
        entries: ``(part, owner)`` pairs; Arabic-script parts and words too short for the rule are left out.
        compiled: As for :class:`KeyTable`.
    """

    def __init__(self, entries: Iterable[tuple[NamePart, int]], compiled: bool | None = None) -> None:
        owners_of: dict[str, list[int]] = {}
        for part, owner in entries:
            if _typo_candidate(part):
                owners_of.setdefault(typo_text(part), []).append(owner)
        self._build(owners_of, compiled)

    @classmethod
    def _from_words(cls, owners_of: dict[str, list[int]], compiled: bool | None) -> TypoTable:
        table = cls.__new__(cls)
        table._build(owners_of, compiled)
        return table

    def __reduce__(self) -> tuple[object, tuple[dict[str, list[int]], bool | None]]:
        # Rebuilt from its words (see KeyTable.__reduce__).
        if self._kernel is not None:
            starts, owners = self._kernel.owner_arrays()
        else:
            starts, owners = self._owner_start, self._owners
        owners_of = {
            word: owners[starts[index] : starts[index + 1]].tolist() for index, word in enumerate(self.words)
        }
        return TypoTable._from_words, (owners_of, None if self.compiled else False)

    def _build(self, owners_of: dict[str, list[int]], compiled: bool | None) -> None:
        self.words: list[str] = list(owners_of)
        kernel = _use_kernel(compiled)
        self.compiled = kernel is not None
        if kernel is not None:
            starts, owners = _owner_arrays(owners_of.values())
            self._kernel = kernel.TypoKernel(self.words, starts, owners, TYPO_MIN_LENGTH)
            return
        self._kernel = None
        self._owner_start, self._owners = _owner_arrays(owners_of.values())
        # Streamed straight into numpy, one word's variants alive at a time: holding every variant (as a
        # string or a Python int) would add tens of MB to the build's memory peak.
        counts: list[int] = []

        def variant_hashes() -> Iterator[int]:
            for word in self.words:
                variants = _single_deletions(word)
                counts.append(len(variants))
                yield from map(hash, variants)

        hashes = np.fromiter(variant_hashes(), dtype=np.int64)
        order = np.argsort(hashes, kind="stable")
        self._hashes = hashes[order]
        del hashes
        self._word_of = np.repeat(np.arange(len(self.words), dtype=np.int32), counts)[order]

    def __len__(self) -> int:
        return len(self.words)

    @property
    def nbytes(self) -> int:
        """Memory held in numpy arrays."""
        if self._kernel is not None:
            kernel_bytes: int = self._kernel.nbytes
            return kernel_bytes
        return sum(array.nbytes for array in (self._owner_start, self._owners, self._hashes, self._word_of))

    def similar(self, part: NamePart) -> dict[int, float]:
        """Owners of listed words one typo from ``part``, with the spelling similarity the rule gives."""
        owners, similarities = self.similar_arrays(part)
        return dict(zip(owners.tolist(), similarities.tolist(), strict=True))

    def similar_arrays(self, part: NamePart) -> tuple[np.ndarray, np.ndarray]:
        """:meth:`similar` as ``(owners, similarities)``: owners sorted and unique (int32), similarities
        float64, like :meth:`KeyTable.similar_many` (no dict to build and convert back)."""
        if not self.words or not _typo_candidate(part):
            return _NO_OWNERS
        if self._kernel is None:
            best = self._python_similar(part)
            owners = np.fromiter(sorted(best), dtype=np.int32, count=len(best))
            return owners, np.fromiter(
                (best[owner] for owner in owners.tolist()), dtype=np.float64, count=len(best)
            )
        found: tuple[np.ndarray, np.ndarray] = self._kernel.similar(typo_text(part))
        return found

    def _python_similar(self, part: NamePart) -> dict[int, float]:
        """The Python code's look-up (:meth:`similar_arrays` has checked the part can have typo hits)."""
        text = typo_text(part)
        best: dict[int, float] = {}
        for word_id in _hashed_lookup(self._hashes, self._word_of, _single_deletions(text)):
            word = self.words[word_id]
            if max(len(word), len(text)) < TYPO_MIN_LENGTH or OSA.distance(text, word, score_cutoff=1) > 1:
                continue
            similarity = float(Indel.normalized_similarity(text, word))
            for owner in self._owners[self._owner_start[word_id] : self._owner_start[word_id + 1]].tolist():
                best[owner] = max(best.get(owner, 0.0), similarity)
        return best


def _typo_candidate(part: NamePart) -> bool:
    """Whether the typo rule can apply to ``part`` at all (as a listed or a query part)."""
    return (
        part.role is not PartRole.INITIAL
        and len(typo_text(part)) >= TYPO_MIN_LENGTH - 1
        and not is_arabic(part.stem)
    )


def _single_deletions(word: str) -> set[str]:
    return {word} | {word[:position] + word[position + 1 :] for position in range(len(word))}


def listed_keys(part: NamePart) -> list[tuple[str, str]]:
    """``(namespace, key)`` pairs under which a listed (non-initial) part is stored.

    Parts are compared key to key within their compound prefix (``abd`` with ``abd``), and by their
    joined keys across prefixes (``Abdi`` ~ ``Abd al-...``), so the joined keys go to the shared
    namespace ``""``.
    """
    pairs = [(part.prefix or "", key) for key in part.keys if key]
    if part.prefix is not None:
        pairs += [("", key) for key in joined_keys(part) if key]
    return pairs


def query_keys(part: NamePart) -> list[tuple[str, str]]:
    """``(namespace, key)`` pairs a (non-initial) query part looks up: the mirror of :func:`listed_keys`."""
    pairs = [(part.prefix or "", key) for key in part.keys if key]
    pairs += [("", key) for key in joined_keys(part) if key]
    return list(dict.fromkeys(pairs))


def is_vowel_only(part: NamePart) -> bool:
    """A part without any consonant class (``Aya``): compared by spelling with the other such parts."""
    return part.role is not PartRole.INITIAL and not any(part.keys)


def initial_letter(part: NamePart) -> str:
    """The letter an initial stands for, or the first letter a full part would be abbreviated to."""
    return first_letter(part)
