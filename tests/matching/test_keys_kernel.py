"""raqib.matching.blocking's compiled kernel and its Python fallback against a brute-force reading of what the
tables must find (every listed key compared with rapidfuzz), on generated tables and on the keys of the UN
extract: same owners, similarities equal bit for bit."""

from __future__ import annotations

import itertools
import pickle
import random
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import OSA, Indel

from raqib.matching import blocking
from raqib.matching.algorithms.v1 import parse
from raqib.matching.algorithms.v1.names import merged_part
from raqib.matching.algorithms.v1.tokens import (
    SIMILARITY_FLOOR,
    TYPO_MIN_LENGTH,
    latin_typo_similarity,
    typo_text,
)
from raqib.matching.blocking import COMPILED, KeyTable, TypoTable, listed_keys, query_keys
from raqib.names import NamePart, PartRole

needs_kernel = pytest.mark.skipif(
    not COMPILED,
    reason="raqib.matching._keys_kernel is not built (installed without Cython or a C compiler): "
    "only the Python fallback is tested",
)
IMPLEMENTATIONS = [pytest.param(False, id="python"), pytest.param(True, id="compiled", marks=needs_kernel)]
Result = tuple[np.ndarray, np.ndarray]


# -- reference: every listed key compared with every query key ------------------------------------------


def reference_similar(entries: Sequence[tuple[str, int]], keys: Iterable[str]) -> Result:
    """Each owner with a key whose OSA similarity with one of ``keys`` is above the floor, and its best."""
    wanted = [key for key in keys if key]
    best: dict[int, float] = {}
    for listed, owner in entries:
        if not listed:
            continue
        for key in wanted:
            similarity = float(OSA.normalized_similarity(key, listed))
            if similarity > SIMILARITY_FLOOR:
                best[owner] = max(best.get(owner, 0.0), similarity)
    owners = sorted(best)
    return np.asarray(owners, dtype=np.int32), np.asarray([best[owner] for owner in owners], dtype=np.float64)


def reference_typos(words: Sequence[tuple[NamePart, int]], part: NamePart) -> dict[int, float]:
    """The typo rule's similarity for every listed word (the table's value is exactly it, when found)."""
    best: dict[int, float] = {}
    if part.role is PartRole.INITIAL or len(typo_text(part)) < TYPO_MIN_LENGTH - 1:
        return best
    for listed, owner in words:
        if listed.role is PartRole.INITIAL or len(typo_text(listed)) < TYPO_MIN_LENGTH - 1:
            continue
        similarity = latin_typo_similarity(part, listed)
        if similarity > 0.0:
            best[owner] = max(best.get(owner, 0.0), similarity)
    return best


def assert_same(result: Result, expected: Result) -> None:
    owners, similarities = result
    assert owners.dtype == np.int32
    assert similarities.dtype == np.float64
    np.testing.assert_array_equal(owners, expected[0])
    # Bit for bit: the similarity is the one rapidfuzz computes, not one within rounding of it.
    assert similarities.tobytes() == expected[1].tobytes(), (similarities, expected[1])


@contextmanager
def layout(direct_scan: int, max_indexed: int, max_query_variant: int) -> Iterator[None]:
    """Tables built and searched with other thresholds, so that small generated tables and short keys also
    take the indexed, long-key and long-query paths."""
    with (
        mock.patch.object(blocking, "DIRECT_SCAN_KEYS", direct_scan),
        mock.patch.object(blocking, "MAX_INDEXED_LENGTH", max_indexed),
        mock.patch.object(blocking, "MAX_QUERY_VARIANT_LENGTH", max_query_variant),
    ):
        yield


LAYOUTS = [
    pytest.param((256, 10, 10), id="as-configured"),
    pytest.param((0, 10, 10), id="indexed"),
    pytest.param((0, 4, 4), id="long-keys"),
    pytest.param((0, 6, 3), id="long-queries"),
    pytest.param((0, 2, 8), id="mostly-long"),
]

# Consonant classes, a letter repeated, and a few code points beyond ASCII (one beyond the BMP).
key_letters = st.sampled_from("BDLRHMBBDDTSŞبڤ\U0001d400")
keys_strategy = st.text(key_letters, max_size=14)
entries_strategy = st.lists(st.tuples(keys_strategy, st.integers(0, 40)), max_size=60)


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
@pytest.mark.parametrize("thresholds", LAYOUTS)
@settings(max_examples=150, deadline=None)
@given(entries=entries_strategy, keys=st.lists(keys_strategy, max_size=4))
def test_generated_tables_find_every_key_above_the_floor(
    compiled: bool, thresholds: tuple[int, int, int], entries: list[tuple[str, int]], keys: list[str]
) -> None:
    with layout(*thresholds):
        table = KeyTable(entries, compiled=compiled)
        # The keys themselves, as listed, and as queries.
        assert_same(table.similar_many(keys), reference_similar(entries, keys))
        for listed, _ in entries[:5]:
            assert_same(table.similar_many([listed]), reference_similar(entries, [listed]))


@needs_kernel
@settings(max_examples=100, deadline=None)
@given(
    extra=st.lists(st.tuples(st.text(key_letters, min_size=1, max_size=14), st.integers(0, 40)), max_size=40),
    keys=st.lists(keys_strategy, min_size=1, max_size=3),
)
def test_tables_of_many_code_points(extra: list[tuple[str, int]], keys: list[str]) -> None:
    """More than 255 distinct code points: the kernel keeps code points instead of byte symbols."""
    many = [(chr(0x4E00 + index) + "BD", index % 7) for index in range(300)]
    entries = many + extra
    with layout(0, 10, 10):
        compiled, fallback = KeyTable(entries, compiled=True), KeyTable(entries, compiled=False)
        for query in [keys, ["一BD"], ["\u4e05B"]]:
            expected = reference_similar(entries, query)
            assert_same(compiled.similar_many(query), expected)
            assert_same(fallback.similar_many(query), expected)


# -- the kernel's pieces ----------------------------------------------------------------------------------


wide_text = st.text(st.sampled_from("abcab\u00e9\u0628\U0001d400"), max_size=80)


@needs_kernel
@settings(max_examples=400, deadline=None)
@given(first=wide_text, second=wide_text, cutoff=st.integers(0, 90))
def test_kernel_osa_distance_is_rapidfuzz(first: str, second: str, cutoff: int) -> None:
    """Bit-parallel (patterns up to 64) and row by row (longer) alike."""
    from raqib.matching import _keys_kernel

    distance = OSA.distance(first, second)
    assert _keys_kernel.osa_distance(first, second, cutoff) == min(distance, cutoff + 1)
    # The letter-count bound never rules out a pair within the cut-off.
    if distance <= cutoff:
        assert _keys_kernel.may_reach(first, second, cutoff)


@needs_kernel
@settings(max_examples=400, deadline=None)
@given(first=st.text("abcd\u00e9", max_size=9), second=st.text("abcd\u00e9", max_size=9))
def test_kernel_one_edit_indel(first: str, second: str) -> None:
    from raqib.matching import _keys_kernel

    expected = Indel.distance(first, second) if OSA.distance(first, second) <= 1 else -1
    assert _keys_kernel.one_edit_indel(first, second) == expected


@needs_kernel
@settings(max_examples=200, deadline=None)
@given(text=st.text("BDLRBB\u0628", max_size=11), depth=st.integers(0, 3))
def test_kernel_deletion_variants_are_the_python_ones(text: str, depth: int) -> None:
    from raqib.matching import _keys_kernel

    variants: set[str] = {text}
    for _ in range(depth):
        variants |= {variant[:i] + variant[i + 1 :] for variant in variants for i in range(len(variant))}
    expected = {int(_keys_kernel.deletion_hashes(variant, 0)[0]) for variant in variants}
    assert set(_keys_kernel.deletion_hashes(text, depth).tolist()) == expected


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
def test_similarities_are_rapidfuzz_bit_for_bit(compiled: bool) -> None:
    """Every (distance, length) pair up to 70 classes, including the cut-off's edge (exactly 0.6 is out)."""
    entries = [("B" * length, length) for length in range(1, 71)]
    table = KeyTable(entries, compiled=compiled)
    for length in range(1, 71):
        for distance in range(length + 1):
            query = "B" * (length - distance) + "D" * distance
            assert_same(table.similar_many([query]), reference_similar(entries, [query]))
    words = [(parse(word).parts[0], owner) for owner, word in enumerate(["Abcdefghij", "Abcdef", "Abcde"])]
    typos = TypoTable(words, compiled=compiled)
    for word in ["Abcdefghik", "Abcdefghi", "Abcdefghijk", "Abdcef", "Abcd", "Abcdde"]:
        part = parse(word).parts[0]
        found = typos.similar(part)
        expected = reference_typos(words, part)
        assert found == expected
        assert all(
            found[owner] == Indel.normalized_similarity(typo_text(part), typo_text(listed))
            for listed, owner in words
            if owner in found
        )


# -- the keys and words of the UN extract -----------------------------------------------------------------


class RealTables:
    """The blocking tables MatchIndex builds, from the UN extract's names (Latin and Arabic), built the way
    ``MatchIndex._build_lookups`` builds them, in both implementations."""

    def __init__(self, rows: list[dict[str, str]]) -> None:
        names = [name for row in rows for name in row["latin_names"].split("|")]
        names += [row["arabic_name"] for row in rows if row["arabic_name"]]
        singles: dict[NamePart, int] = {}
        pairs: dict[NamePart, int] = {}
        for name in names:
            parts = parse(name).parts
            for part in parts:
                singles.setdefault(part, len(singles))
            for first, second in itertools.pairwise(parts):
                pairs.setdefault(merged_part(first, second), len(pairs))
        self.names = names
        self.parts = list(singles)
        by_namespace: dict[str, list[tuple[str, int]]] = {}
        for part, owner in singles.items():
            if part.role is not PartRole.INITIAL:
                for namespace, key in listed_keys(part):
                    by_namespace.setdefault(namespace, []).append((key, owner))
        pair_entries = [
            (key, len(singles) + owner) for part, owner in pairs.items() for _, key in listed_keys(part)
        ]
        self.entries = {**by_namespace, "pairs": pair_entries}
        self.words = [*singles.items(), *((part, len(singles) + owner) for part, owner in pairs.items())]

    def key_tables(self, compiled: bool) -> dict[str, KeyTable]:
        return {name: KeyTable(entries, compiled=compiled) for name, entries in self.entries.items()}


@pytest.fixture(scope="module")
def real(un_rows: list[dict[str, str]]) -> RealTables:
    return RealTables(un_rows)


def real_query_parts(real: RealTables) -> list[NamePart]:
    """Query parts as customers write them: listed names with a letter changed, dropped, doubled or moved,
    common names, and neighbouring parts joined."""
    rng = random.Random(17)
    queries = ["Mohammed Ahmed Abdullah", "Ali Hassan al-Basri", "عبد الله محمد", "Abu Bakr", "Umm Salama"]
    for name in rng.sample(real.names, 150):
        letters = list(name)
        position = rng.randrange(len(letters))
        operation = rng.choice(("change", "drop", "double", "swap"))
        if operation == "change" and letters[position].isalpha():
            letters[position] = rng.choice("aeioubdhklmnrstz")
        elif operation == "drop":
            del letters[position]
        elif operation == "double":
            letters.insert(position, letters[position])
        elif position + 1 < len(letters):
            letters[position], letters[position + 1] = letters[position + 1], letters[position]
        queries.append("".join(letters))
    parts: dict[NamePart, None] = {}
    for query in queries:
        found = parse(query).parts
        for part in found:
            parts.setdefault(part)
        for first, second in itertools.pairwise(found):
            parts.setdefault(merged_part(first, second))
    return [part for part in parts if part.role is not PartRole.INITIAL]


def test_real_tables_are_large_enough_to_be_indexed(real: RealTables) -> None:
    sizes = {name: len(entries) for name, entries in real.entries.items()}
    assert sizes[""] > blocking.DIRECT_SCAN_KEYS
    assert sizes["pairs"] > blocking.DIRECT_SCAN_KEYS
    longest = max(len(key) for key, _ in real.entries["pairs"])
    assert longest > blocking.MAX_INDEXED_LENGTH  # the long-key path is taken too


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
def test_real_keys_against_the_reference(real: RealTables, compiled: bool) -> None:
    """Every listed key looked up as a query, and a few hundred customer-like query parts' keys."""
    tables = real.key_tables(compiled)
    queries = [[key] for entries in real.entries.values() for key, _ in entries]
    for part in real_query_parts(real):
        for namespace in {namespace for namespace, _ in query_keys(part)}:
            queries.append([key for space, key in query_keys(part) if space == namespace])
    assert len(queries) > 2000
    rng = random.Random(3)
    for name, table in tables.items():
        # Against the reference on a sample (the reference is slow), the whole list below.
        for keys in rng.sample(queries, 150):
            assert_same(table.similar_many(keys), reference_similar(real.entries[name], keys))


@needs_kernel
def test_real_keys_compiled_equals_python(real: RealTables) -> None:
    compiled, fallback = real.key_tables(True), real.key_tables(False)
    queries = [[key] for entries in real.entries.values() for key, _ in entries]
    for part in real_query_parts(real):
        queries.append([key for _, key in query_keys(part)])
        queries.append(list(part.keys))
    for name in real.entries:
        for keys in queries:
            assert_same(compiled[name].similar_many(keys), fallback[name].similar_many(keys))


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
def test_real_words_against_the_reference(real: RealTables, compiled: bool) -> None:
    """Listed Latin words, and one-edit variants of them, against the typo rule on every listed word."""
    table = TypoTable(real.words, compiled=compiled)
    rng = random.Random(5)
    latin = [part for part in real.parts if typo_text(part).isascii() and len(typo_text(part)) >= 4]
    queries = [*latin[:100], *real_query_parts(real)]
    for part in rng.sample(latin, 150):
        text = typo_text(part)
        position = rng.randrange(len(text))
        edited = rng.choice(
            [
                text[:position] + text[position + 1 :],
                text[:position] + "x" + text[position:],
                text[:position] + "q" + text[position + 1 :],
                text[:position] + text[position + 1 : position + 2] + text[position] + text[position + 2 :],
            ]
        )
        queries += [found for found in parse(edited).parts if found.role is not PartRole.INITIAL]
    fallback = TypoTable(real.words, compiled=False)
    hits = 0
    for part in queries:
        found = table.similar(part)
        assert found == reference_typos(real.words, part), part.text
        assert found == fallback.similar(part)
        owners, similarities = table.similar_arrays(part)
        assert owners.tolist() == sorted(found)
        assert similarities.tolist() == [found[owner] for owner in sorted(found)]
        hits += bool(found)
    assert hits > 100


@needs_kernel
def test_compiled_tables_are_smaller(real: RealTables) -> None:
    """The index must not grow: the kernel's arrays (scratch memory included) against the Python ones."""
    compiled, fallback = real.key_tables(True), real.key_tables(False)
    assert sum(table.nbytes for table in compiled.values()) < sum(table.nbytes for table in fallback.values())
    assert TypoTable(real.words, compiled=True).nbytes < TypoTable(real.words, compiled=False).nbytes


# -- use -------------------------------------------------------------------------------------------------


@needs_kernel
def test_threads_share_a_table(real: RealTables) -> None:
    """A look-up holds the GIL from its first write to the scratch memory to its reset."""
    table = KeyTable(real.entries["pairs"], compiled=True)
    queries = [[key] for key, _ in real.entries["pairs"][:400]]
    expected = [table.similar_many(keys) for keys in queries]
    failures: list[str] = []

    def work(offset: int) -> None:
        for index in range(len(queries)):
            position = (index + offset) % len(queries)
            owners, similarities = table.similar_many(queries[position])
            if not (
                np.array_equal(owners, expected[position][0])
                and np.array_equal(similarities, expected[position][1])
            ):
                failures.append(queries[position][0])

    threads = [threading.Thread(target=work, args=(offset * 97,)) for offset in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
def test_tables_pickle_as_their_entries(real: RealTables, compiled: bool) -> None:
    keys = KeyTable(real.entries[""], compiled=compiled)
    typos = TypoTable(real.words, compiled=compiled)
    key_copy = pickle.loads(pickle.dumps(keys))  # noqa: S301 - our own bytes
    typo_copy = pickle.loads(pickle.dumps(typos))  # noqa: S301 - our own bytes
    assert key_copy.compiled == compiled
    assert typo_copy.compiled == compiled
    assert key_copy.keys == keys.keys
    for key, _ in real.entries[""][:200]:
        assert_same(key_copy.similar_many([key]), keys.similar_many([key]))
    for part in real.parts[:200]:
        assert typo_copy.similar(part) == typos.similar(part)


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
def test_empty_tables_and_keys(compiled: bool) -> None:
    none = KeyTable([], compiled=compiled)
    assert len(none) == 0
    assert none.similar_many(["BDL"])[0].size == 0
    table = KeyTable([("", 1), ("BDL", 2), ("BDL", 2), ("BDL", 3)], compiled=compiled)
    assert table.keys == ["BDL"]
    assert table.similar_many([])[0].size == 0
    assert table.similar_many(["", ""])[0].size == 0
    owners, similarities = table.similar_many(["", "BDL", "BDL", "BD"])
    assert owners.tolist() == [2, 3]
    assert similarities.tolist() == [1.0, 1.0]
    assert len(TypoTable([], compiled=compiled)) == 0
    assert TypoTable([], compiled=compiled).similar(parse("Tikriti").parts[0]) == {}


@pytest.mark.skipif(COMPILED, reason="the kernel is built")
def test_asking_for_the_missing_kernel_raises() -> None:
    with pytest.raises(RuntimeError, match="not built"):
        KeyTable([("BDL", 1)], compiled=True)
    with pytest.raises(RuntimeError, match="not built"):
        TypoTable([], compiled=True)
