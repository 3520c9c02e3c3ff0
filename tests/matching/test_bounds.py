"""raqib.matching.bounds: the compiled kernel and the numpy fallback against a plain reading of the
definitions (Python loops), on generated layouts and on the inputs real queries give a real index."""

from __future__ import annotations

import dataclasses
import pickle
import random
from collections.abc import Sequence

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from raqib.matching import Candidate, MatchIndex
from raqib.matching.algorithms.v1.names import unpaired_weights
from raqib.matching.bounds import COMPILED, SLACK, Bounder, Group, ListedLayout

needs_kernel = pytest.mark.skipif(
    not COMPILED,
    reason="raqib.matching._bounds_kernel is not built (installed without Cython or a C compiler): "
    "only the numpy fallback is tested",
)
IMPLEMENTATIONS = [pytest.param(False, id="numpy"), pytest.param(True, id="compiled", marks=needs_kernel)]
# Sums taken in another order differ by a few ulps; a name whose bound is this close to the cut-off may
# fall either side of it.
ROUNDING = 1e-12
Useful = tuple[np.ndarray, int, float]


# -- reference: the definitions, one name and one part at a time ----------------------------------------


def reference_bounds(
    layout: ListedLayout,
    names: Sequence[int],
    thresholds: Sequence[float],
    groups: Sequence[Group],
    query_weights: Sequence[float],
    query_unpaired: Sequence[float],
) -> list[float]:
    rows = [dict(zip(ids.tolist(), evidence.tolist(), strict=True)) for _, ids, evidence in groups]
    best_any: dict[int, float] = {}
    for row in rows:
        for vocabulary_id, value in row.items():
            best_any[vocabulary_id] = max(best_any.get(vocabulary_id, 0.0), value)
    bounds = []
    for name, threshold in zip(names, thresholds, strict=True):
        parts = range(int(layout.name_part_start[name]), int(layout.name_part_start[name + 1]))
        bound = 0.0
        for part in parts:
            ids = (layout.part_single[part], layout.part_pair_right[part], layout.part_pair_left[part])
            listed_best = max(best_any.get(int(vocabulary_id), 0.0) for vocabulary_id in ids)
            bound += max(
                layout.part_unpaired[part] * threshold, layout.part_weight[part] * (listed_best - threshold)
            )
        query_best = [0.0] * len(query_weights)
        for row, (group_parts, _, _) in zip(rows, groups, strict=True):
            # A query group meets a listed part or the pair it starts (not the pair it ends: that is the
            # previous part's).
            reached = max(
                max(
                    row.get(int(layout.part_single[part]), 0.0),
                    row.get(int(layout.part_pair_right[part]), 0.0),
                )
                for part in parts
            )
            for query_part in group_parts:
                query_best[query_part] = max(query_best[query_part], reached)
        for weight, unpaired, best in zip(query_weights, query_unpaired, query_best, strict=True):
            bound += max(-unpaired * threshold, weight * (best - threshold))
        bounds.append(bound)
    return bounds


def reference_member_bounds(
    generating: Sequence[np.ndarray], useful: Sequence[Useful], unpaired: Sequence[float]
) -> dict[int, float]:
    reached = sorted({int(name) for names in generating for name in names.tolist()})
    bounds = {}
    for name in reached:
        best = list(unpaired)
        for names, part, share in useful:
            if name in set(names.tolist()):
                best[part] = max(best[part], share)
        bounds[name] = sum(best)
    return bounds


def assert_members(result: np.ndarray, expected: dict[int, float]) -> None:
    """``result`` holds every name whose bound reaches ``-SLACK`` and no other, sorted (names within
    rounding of the cut-off may go either way)."""
    kept = result.tolist()
    assert kept == sorted(set(kept))
    assert {name for name, bound in expected.items() if bound >= -SLACK + ROUNDING} <= set(kept)
    assert set(kept) <= {name for name, bound in expected.items() if bound >= -SLACK - ROUNDING}


# -- generated layouts and queries --------------------------------------------------------------------


def build_layout(
    names: list[list[int]], weights: list[list[float]], unpaired: list[list[float]]
) -> ListedLayout:
    """Vocabulary ids as MatchIndex._build_vocabulary gives them: single parts first, then pairs of
    neighbouring parts, then the sentinel for "no pair"."""
    singles: dict[int, int] = {}
    pairs: dict[tuple[int, int], int] = {}
    part_single, right_pair = [], []
    for parts in names:
        for index, word in enumerate(parts):
            part_single.append(singles.setdefault(word, len(singles)))
            if index < len(parts) - 1:
                right_pair.append(pairs.setdefault((word, parts[index + 1]), len(pairs)))
            else:
                right_pair.append(-1)
    sentinel = len(singles) + len(pairs)
    right = [pair + len(singles) if pair >= 0 else sentinel for pair in right_pair]
    left, position = [], 0
    for parts in names:
        left += [sentinel, *right[position : position + len(parts) - 1]]
        position += len(parts)
    return ListedLayout(
        name_part_start=np.cumsum([0] + [len(parts) for parts in names]).astype(np.int64),
        part_single=np.asarray(part_single, dtype=np.int32),
        part_pair_left=np.asarray(left, dtype=np.int32),
        part_pair_right=np.asarray(right, dtype=np.int32),
        part_weight=np.asarray([w for name in weights for w in name]),
        part_unpaired=np.asarray([u for name in unpaired for u in name]),
        vocabulary_size=sentinel,
    )


weights_strategy = st.floats(0.05, 1.0)
evidence_strategy = st.floats(0.0, 1.0, exclude_min=True)


@st.composite
def layouts(draw: st.DrawFn) -> ListedLayout:
    words = draw(st.integers(1, 12))
    names = draw(
        st.lists(st.lists(st.integers(0, words - 1), min_size=1, max_size=6), min_size=1, max_size=25)
    )
    weights = [[draw(weights_strategy) for _ in parts] for parts in names]
    unpaired = [[-draw(st.floats(0.0, 1.0)) * max(w, 0.5) for w in name] for name in weights]
    return build_layout(names, weights, unpaired)


@st.composite
def bound_inputs(
    draw: st.DrawFn,
) -> tuple[ListedLayout, np.ndarray, np.ndarray, list[Group], list[float], list[float]]:
    layout = draw(layouts())
    name_count = len(layout.name_part_start) - 1
    query_parts = draw(st.integers(1, 4))
    possible = [(part,) for part in range(query_parts)] + [
        (part, part + 1) for part in range(query_parts - 1)
    ]
    groups: list[Group] = []
    for parts in draw(st.lists(st.sampled_from(possible), max_size=len(possible), unique=True)):
        ids = sorted(draw(st.sets(st.integers(0, layout.vocabulary_size - 1), min_size=1, max_size=8)))
        evidence = [draw(evidence_strategy) for _ in ids]
        groups.append((parts, np.asarray(ids, dtype=np.int32), np.asarray(evidence)))
    names = draw(st.lists(st.integers(0, name_count - 1), max_size=30))
    thresholds = [draw(st.floats(0.5, 1.0)) for _ in names]
    query_weights = [draw(weights_strategy) for _ in range(query_parts)]
    query_unpaired = [max(weight, 0.5) * draw(st.sampled_from([0.5, 1.0])) for weight in query_weights]
    return (
        layout,
        np.asarray(sorted(names), dtype=np.int32),
        np.asarray(thresholds),
        groups,
        query_weights,
        query_unpaired,
    )


MEMBER_NAMES = 61  # members reads name ids only: a layout of one-part names is enough
MEMBER_LAYOUT = build_layout([[0]] * MEMBER_NAMES, [[1.0]] * MEMBER_NAMES, [[-0.5]] * MEMBER_NAMES)
sorted_names = st.sets(st.integers(0, MEMBER_NAMES - 1), max_size=25).map(
    lambda names: np.asarray(sorted(names), dtype=np.int32)
)


@st.composite
def member_inputs(draw: st.DrawFn) -> tuple[list[np.ndarray], list[Useful], list[float]]:
    parts = draw(st.integers(1, 5))
    unpaired = [-draw(st.floats(0.0, 1.0)) for _ in range(parts)]
    useful = draw(
        st.lists(st.tuples(sorted_names, st.integers(0, parts - 1), st.floats(-1.0, 1.5)), max_size=8)
    )
    generating = draw(st.lists(sorted_names, max_size=5))
    return generating, useful, unpaired


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
@settings(max_examples=300, deadline=None)
@given(inputs=bound_inputs())
def test_bounds_follow_the_definition(
    compiled: bool, inputs: tuple[ListedLayout, np.ndarray, np.ndarray, list[Group], list[float], list[float]]
) -> None:
    layout, names, thresholds, groups, query_weights, query_unpaired = inputs
    bounder = Bounder(layout, compiled=compiled)
    expected = reference_bounds(
        layout, names.tolist(), thresholds.tolist(), groups, query_weights, query_unpaired
    )
    for _ in range(2):  # the second call finds the scratch memory as the first found it
        result = bounder.bounds(names, thresholds, groups, query_weights, query_unpaired)
        assert result.dtype == np.float64
        np.testing.assert_allclose(result, expected, rtol=0, atol=1e-9)


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
@settings(max_examples=300, deadline=None)
@given(inputs=member_inputs())
def test_members_follow_the_definition(
    compiled: bool, inputs: tuple[list[np.ndarray], list[Useful], list[float]]
) -> None:
    generating, useful, unpaired = inputs
    bounder = Bounder(MEMBER_LAYOUT, compiled=compiled)
    assert_members(
        bounder.members(generating, useful, unpaired), reference_member_bounds(generating, useful, unpaired)
    )


@needs_kernel
@settings(max_examples=200, deadline=None)
@given(inputs=bound_inputs(), member=member_inputs())
def test_compiled_equals_numpy(
    inputs: tuple[ListedLayout, np.ndarray, np.ndarray, list[Group], list[float], list[float]],
    member: tuple[list[np.ndarray], list[Useful], list[float]],
) -> None:
    layout, names, thresholds, groups, weights, query_unpaired = inputs
    compiled, fallback = Bounder(layout, compiled=True), Bounder(layout, compiled=False)
    np.testing.assert_allclose(
        compiled.bounds(names, thresholds, groups, weights, query_unpaired),
        fallback.bounds(names, thresholds, groups, weights, query_unpaired),
        rtol=0,
        atol=1e-9,
    )
    generating, useful, unpaired = member
    expected = reference_member_bounds(generating, useful, unpaired)
    compiled, fallback = Bounder(MEMBER_LAYOUT, compiled=True), Bounder(MEMBER_LAYOUT, compiled=False)
    assert_members(compiled.members(*member), expected)
    assert_members(fallback.members(*member), expected)


# -- edge cases ------------------------------------------------------------------------------------------


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
def test_empty_inputs(compiled: bool) -> None:
    layout = build_layout([[0, 1], [2]], [[0.5, 0.7], [1.0]], [[-0.5, -0.7], [-1.0]])
    bounder = Bounder(layout, compiled=compiled)
    group: Group = ((0,), np.asarray([1], dtype=np.int32), np.asarray([0.9]))
    none = np.zeros(0, dtype=np.int32)
    assert bounder.bounds(none, np.zeros(0), [group], [1.0], [1.0]).shape == (0,)
    # No groups: every part is unpaired.
    alone = bounder.bounds(np.asarray([1], dtype=np.int32), np.asarray([0.8]), [], [0.4], [0.5])
    np.testing.assert_allclose(alone, [max(-1.0 * 0.8, 1.0 * -0.8) + max(-0.5 * 0.8, 0.4 * -0.8)])
    bounder = Bounder(MEMBER_LAYOUT, compiled=compiled)
    assert bounder.members([], [], [-0.5]).shape == (0,)
    assert bounder.members([none], [], [-0.5]).shape == (0,)
    assert bounder.members([np.asarray([3], dtype=np.int32)], [], [-0.5]).shape == (0,)
    assert bounder.members([np.asarray([3], dtype=np.int32)], [(none, 0, 0.9)], [-0.5]).shape == (0,)
    reached = bounder.members(
        [np.asarray([3, 5], dtype=np.int32)], [(np.asarray([5], dtype=np.int32), 0, 0.2)], [-0.1]
    )
    assert reached.tolist() == [5]


@needs_kernel
def test_kernel_rejects_ids_out_of_range_and_stays_clean() -> None:
    """The kernel reads without bounds checks, so it checks its inputs first; a rejected call leaves no
    evidence behind in its scratch memory."""
    layout = build_layout([[0, 1], [2]], [[0.5, 0.7], [1.0]], [[-0.5, -0.7], [-1.0]])
    compiled, fallback = Bounder(layout, compiled=True), Bounder(layout, compiled=False)
    names, thresholds = np.asarray([0, 1], dtype=np.int32), np.asarray([0.8, 0.9])
    good: Group = ((0,), np.asarray([0, 3], dtype=np.int32), np.asarray([0.9, 0.6]))
    outside: Group = (
        (0,),
        np.asarray([1, layout.vocabulary_size + 1], dtype=np.int32),
        np.asarray([0.9, 0.6]),
    )
    with pytest.raises(ValueError, match="vocabulary id"):
        compiled.bounds(names, thresholds, [good, outside], [1.0], [1.0])
    with pytest.raises(ValueError, match="name"):
        compiled.bounds(np.asarray([2], dtype=np.int32), thresholds[:1], [good], [1.0], [1.0])
    with pytest.raises(ValueError, match="query part"):
        compiled.bounds(names, thresholds, [((1,), good[1], good[2])], [1.0], [1.0])
    with pytest.raises(ValueError, match="query part"):
        compiled.members([names], [(names, 2, 0.5)], [-0.5])
    with pytest.raises(ValueError, match="name 2 out of range"):
        compiled.members([names], [(np.asarray([0, 2], dtype=np.int32), 0, 0.5)], [-0.5])
    with pytest.raises(ValueError, match="name 2 out of range"):
        compiled.members([np.asarray([2], dtype=np.int32)], [], [-0.5])
    # The scratch positions were left clean: name 1 is not taken for one of the names looked at.
    assert compiled.members([names[:1]], [(names[1:], 0, 0.9)], [-0.5]).tolist() == []
    with pytest.raises(ValueError, match="vocabulary id"):
        Bounder(dataclasses.replace(layout, vocabulary_size=2), compiled=True)
    np.testing.assert_array_equal(
        compiled.bounds(names, thresholds, [good], [1.0], [1.0]),
        fallback.bounds(names, thresholds, [good], [1.0], [1.0]),
    )


@pytest.mark.parametrize("compiled", IMPLEMENTATIONS)
def test_a_bounder_pickles(compiled: bool) -> None:
    layout = build_layout([[0, 1], [2]], [[0.5, 0.7], [1.0]], [[-0.5, -0.7], [-1.0]])
    bounder = Bounder(layout, compiled=compiled)
    copy = pickle.loads(pickle.dumps(bounder))  # noqa: S301 - our own bytes
    assert copy.compiled == compiled
    arguments = (
        np.asarray([0, 1], dtype=np.int32),
        np.asarray([0.8, 0.9]),
        [((0,), np.asarray([0, 3], dtype=np.int32), np.asarray([0.9, 0.6]))],
        [1.0],
        [1.0],
    )
    np.testing.assert_array_equal(copy.bounds(*arguments), bounder.bounds(*arguments))


@pytest.mark.skipif(COMPILED, reason="the kernel is built")
def test_asking_for_the_missing_kernel_raises() -> None:
    with pytest.raises(RuntimeError, match="not built"):
        Bounder(build_layout([[0]], [[1.0]], [[-0.5]]), compiled=True)


# -- a real index ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def index(un_candidates: list[Candidate]) -> MatchIndex:
    return MatchIndex(un_candidates)


def real_query_names(un_rows: list[dict[str, str]]) -> list[str]:
    """Listed names, some with a part dropped, their Arabic originals, and a few common names."""
    rng = random.Random(11)
    names = []
    for row in un_rows:
        words = row["latin_names"].split("|")[0].split()
        names.append(" ".join(words))
        if len(words) > 2:
            del words[rng.randrange(len(words))]
            names.append(" ".join(words))
        if row["arabic_name"]:
            names.append(row["arabic_name"])
    return [*names, "Mohammed Ahmed", "Abdullah", "Ali Hassan", "عبد الله محمد"]


def real_inputs(
    index: MatchIndex, name: str, threshold: float, rng: random.Random
) -> (
    tuple[
        tuple[np.ndarray, np.ndarray, list[Group], list[float], list[float]],
        tuple[list[np.ndarray], list[Useful], list[float]],
    ]
    | None
):
    """What MatchIndex passes to the bounds for a query: its groups' ceilings over the names they reach."""
    query = index.matcher.prepare(name)
    found = index._groups(query)
    if not found:
        return None
    groups: list[Group] = [(parts, hits.ids, hits.ceiling) for parts, hits in found]
    reached = np.unique(np.concatenate([hits.names for _, hits in found]))
    thresholds = np.asarray([threshold + rng.choice([0.0, 0.0, 0.1, 0.4]) for _ in range(len(reached))])
    query_unpaired = unpaired_weights(query)
    unpaired = [-threshold * weight for weight in query_unpaired]
    useful: list[Useful] = []
    for parts, hits in found:
        above = float(hits.ceiling.max()) - threshold
        for part in parts:
            share = above * query.weights[part] + max(above, 0.0) * 1.5
            if share > unpaired[part]:
                useful.append((hits.names, part, share))
    # Leave the longest postings out of generation, as prefix filtering does.
    generating = sorted((names for names, _, _ in useful), key=len)[: max(1, len(useful) - 1)]
    return (reached, thresholds, groups, list(query.weights), query_unpaired), (generating, useful, unpaired)


def real_layout(index: MatchIndex) -> ListedLayout:
    layout: ListedLayout = index._bounder.layout
    return layout


@pytest.mark.parametrize("threshold", [0.5, 0.8])
def test_real_index_inputs(index: MatchIndex, un_rows: list[dict[str, str]], threshold: float) -> None:
    """Compiled (when built) and numpy agree on a few hundred real queries; every 8th is also checked
    against the reference loops."""
    layout = real_layout(index)
    implementations = [Bounder(layout, compiled=False)] + (
        [Bounder(layout, compiled=True)] if COMPILED else []
    )
    rng = random.Random(5)
    checked = 0
    for position, name in enumerate(real_query_names(un_rows)):
        inputs = real_inputs(index, name, threshold, rng)
        if inputs is None:
            continue
        bound_arguments, member_arguments = inputs
        results = [bounder.bounds(*bound_arguments) for bounder in implementations]
        members = [bounder.members(*member_arguments) for bounder in implementations]
        for result in results[1:]:
            np.testing.assert_allclose(result, results[0], rtol=0, atol=1e-9)
        for result in members[1:]:
            np.testing.assert_array_equal(result, members[0])
        if position % 8 == 0:
            names, thresholds, groups, weights, unpaired = bound_arguments
            expected = reference_bounds(
                layout, names.tolist(), thresholds.tolist(), groups, weights, unpaired
            )
            np.testing.assert_allclose(results[0], expected, rtol=0, atol=1e-9)
            assert_members(members[0], reference_member_bounds(*member_arguments))
        checked += 1
    assert checked > 300
