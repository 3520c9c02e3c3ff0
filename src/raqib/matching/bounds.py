"""The two bounding steps of :class:`~raqib.matching.index.MatchIndex`, compiled where possible.

Both bound ``N - T·D`` (a name reaches the threshold ``T`` only if this is not negative; see
:mod:`raqib.matching.index`) for many listed names at once:

- :meth:`Bounder.members`: which of the names reached through the query's *generating* groups can still
  qualify, from which groups each is in (each group at its best share);
- :meth:`Bounder.bounds`: each name's bound from both sides' shares, each listed part and each query part
  at its best evidence in the groups.

They do little arithmetic over ~1,000 names of ~4 parts per query, so with numpy the cost was the calls,
not the work (about half of every query). The compiled kernel (``_bounds_kernel.pyx``, built by
``setup.py`` when Cython and a C compiler are there) does the same arithmetic in one loop per name; where
it is not built, the numpy code here runs and gives the same results (``tests/matching/test_bounds.py``
checks both against a plain-Python reading of the definitions).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from types import ModuleType

import numpy as np

_kernel: ModuleType | None
try:
    from raqib.matching import _bounds_kernel as _kernel
except ImportError:  # not built (no Cython or no compiler at install): the numpy code below runs
    _kernel = None

COMPILED: bool = _kernel is not None
"""Whether the compiled kernel is built and imports (:class:`Bounder` then uses it by default)."""

SLACK = 1e-9
"""Bounds are compared with ``-SLACK``, not 0, so that rounding can never drop a name a full scan reports."""


@dataclass(frozen=True, slots=True)
class ListedLayout:
    """The index's per-listed-part arrays the bounds read (built once per index).

    Parts of name ``n`` are ``name_part_start[n]`` up to ``name_part_start[n + 1]``. Vocabulary ids run
    from 0 to ``vocabulary_size`` inclusive: single parts, then pairs of neighbouring parts, then the
    sentinel ``vocabulary_size`` that stands for "no pair" and never has evidence.
    """

    name_part_start: np.ndarray  # int64[names + 1]
    part_single: np.ndarray  # int32[parts]: vocabulary id of each listed part
    part_pair_left: np.ndarray  # int32[parts]: id of the pair (j - 1, j), or the sentinel
    part_pair_right: np.ndarray  # int32[parts]: id of the pair (j, j + 1), or the sentinel
    part_weight: np.ndarray  # float64[parts]
    part_unpaired: np.ndarray  # float64[parts]: share per unit of T when the part stays unpaired (<= 0)
    vocabulary_size: int  # the sentinel id


Group = tuple[Sequence[int], np.ndarray, np.ndarray]
"""A query group: its query part indices, vocabulary ids (int32, sorted, unique) and their evidence."""


class Bounder:
    """The bounds over one index's listed names, with scratch memory kept between calls.

    Args:
        layout: The index's listed parts.
        compiled: Use the compiled kernel (default: when it is built). ``False`` forces the numpy code
            (tests and benchmarks compare the two); ``True`` raises if the kernel is not built.

    The numpy code keeps scratch rows between calls, so with it one ``Bounder`` must not serve two
    threads at once; the compiled kernel holds the GIL for a whole call and can.
    """

    def __init__(self, layout: ListedLayout, compiled: bool | None = None) -> None:
        if compiled is None:
            compiled = COMPILED
        if compiled and _kernel is None:
            raise RuntimeError(
                "raqib.matching._bounds_kernel is not built (reinstall with Cython and a compiler)"
            )
        self.layout = layout
        self.compiled = compiled
        self._kernel = (
            _kernel.Kernel(
                layout.name_part_start,
                layout.part_single,
                layout.part_pair_left,
                layout.part_pair_right,
                layout.part_weight,
                layout.part_unpaired,
                layout.vocabulary_size,
            )
            if compiled and _kernel is not None
            else None
        )
        self._scratch = np.zeros((0, layout.vocabulary_size + 1))

    def __reduce__(self) -> tuple[type[Bounder], tuple[ListedLayout, bool | None]]:
        # The kernel's scratch memory is not state: a copy gets its own (and the numpy code where the
        # kernel is not built).
        return Bounder, (self.layout, None if self.compiled else False)

    def bounds(
        self,
        names: np.ndarray,
        thresholds: np.ndarray,
        groups: Sequence[Group],
        query_weights: Sequence[float],
        query_unpaired: Sequence[float],
    ) -> np.ndarray:
        """An upper bound of ``N - T·D`` for each of ``names``: one share per listed part and one per query
        part, each at its best evidence in ``groups``.

        A listed part's share is ``max(unpaired·T, weight·(e - T))`` with ``e`` its best evidence from any
        group, through its own id or either pair it is in. A query part's is
        ``max(-unpaired·T, weight·(e - T))`` with ``e`` the best, over the groups containing it, of the
        group's evidence for any part or right pair of the name.

        Args:
            names: Listed name ids (each with at least one part: names without parts are in no group).
            thresholds: Each name's ``T`` (float64, one per name).
            groups: The query's groups (:data:`Group`); ids must lie in ``0..vocabulary_size``.
            query_weights: The query parts' weights.
            query_unpaired: What each query part weighs when unpaired
                (:func:`~raqib.matching.algorithms.v1.names.unpaired_weights`, positive).

        Returns:
            float64 bounds, one per name, in the order of ``names``.
        """
        if self._kernel is not None:
            result: np.ndarray = self._kernel.bounds(names, thresholds, groups, query_weights, query_unpaired)
            return result
        return self._numpy_bounds(names, thresholds, groups, query_weights, query_unpaired)

    def members(
        self,
        generating: Sequence[np.ndarray],
        useful: Sequence[tuple[np.ndarray, int, float]],
        unpaired: Sequence[float],
    ) -> np.ndarray:
        """The names of ``generating`` whose bound from the groups they are in reaches ``-SLACK``.

        Each query part contributes its best share: ``unpaired[part]``, raised to ``share`` for the names
        in each ``useful`` entry of that part.

        Args:
            generating: Name arrays (int32, sorted, unique) whose union is looked at.
            useful: ``(names, query part, share)``: names (int32, sorted, unique) that get ``share``.

        Names are the layout's name ids (``0 <= name < len(name_part_start) - 1``; the compiled kernel
        checks).
            unpaired: Each query part's share when it stays unpaired (``-T·unpaired weight``).

        Returns:
            The names kept, int32, sorted.
        """
        if self._kernel is not None:
            kept: np.ndarray = self._kernel.members(generating, useful, unpaired, SLACK)
            return kept
        return _numpy_members(generating, useful, unpaired)

    # -- numpy fallback (MatchIndex's code before the kernel, unchanged) -----------------------------

    def _scratch_rows(self, count: int) -> np.ndarray:
        if self._scratch.shape[0] < count:
            self._scratch = np.zeros((count, self.layout.vocabulary_size + 1))
        return self._scratch

    def _numpy_bounds(
        self,
        names: np.ndarray,
        thresholds: np.ndarray,
        groups: Sequence[Group],
        query_weights: Sequence[float],
        query_unpaired: Sequence[float],
    ) -> np.ndarray:
        layout = self.layout
        if not len(names):
            return np.zeros(0)
        rows = self._scratch_rows(len(groups) + 1)
        best_any = rows[len(groups)]
        try:
            for row, (_, ids, evidence) in zip(rows, groups, strict=False):
                row[ids] = evidence
                best_any[ids] = np.maximum(best_any[ids], evidence)
            starts, ends = layout.name_part_start[names], layout.name_part_start[names + 1]
            positions, offsets = gather_ranges(starts, ends)
            part_threshold = np.repeat(thresholds, ends - starts)
            single = layout.part_single[positions]
            right = layout.part_pair_right[positions]
            left = layout.part_pair_left[positions]
            # Listed side: each listed part's best evidence from any query group.
            listed_best = np.maximum(np.maximum(best_any[single], best_any[right]), best_any[left])
            listed_share = np.maximum(
                layout.part_unpaired[positions] * part_threshold,
                layout.part_weight[positions] * (listed_best - part_threshold),
            )
            bound: np.ndarray = np.add.reduceat(listed_share, offsets)
            # Query side: each query part's best evidence from any group containing it.
            query_best = [np.zeros(len(names)) for _ in query_weights]
            for row, (parts, _, _) in zip(rows, groups, strict=False):
                reached = np.maximum.reduceat(np.maximum(row[single], row[right]), offsets)
                for part in parts:
                    np.maximum(query_best[part], reached, out=query_best[part])
            for part, (unpaired, weight) in enumerate(zip(query_unpaired, query_weights, strict=True)):
                bound += np.maximum(-unpaired * thresholds, weight * (query_best[part] - thresholds))
        finally:
            for row, (_, ids, _) in zip(rows, groups, strict=False):
                row[ids] = 0.0
                best_any[ids] = 0.0
        return bound


def _numpy_members(
    generating: Sequence[np.ndarray],
    useful: Sequence[tuple[np.ndarray, int, float]],
    unpaired: Sequence[float],
) -> np.ndarray:
    if not generating:
        return np.zeros(0, dtype=np.int32)
    reached = np.unique(np.concatenate(generating)) if len(generating) > 1 else generating[0]
    best = [np.full(len(reached), value) for value in unpaired]
    for members, part, share in useful:
        if not len(members):
            continue
        where = np.searchsorted(members, reached).clip(max=len(members) - 1)
        inside = members[where] == reached
        np.maximum(best[part], np.where(inside, share, unpaired[part]), out=best[part])
    bound = np.sum(best, axis=0)
    keep: np.ndarray = reached[bound >= -SLACK]
    return keep


def gather_ranges(starts: np.ndarray, ends: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions of the concatenated ranges ``[starts[i], ends[i])`` and where each range begins."""
    lengths = ends - starts
    offsets = np.zeros(len(lengths), dtype=np.int64)
    np.cumsum(lengths[:-1], out=offsets[1:])
    positions = np.repeat(starts - offsets, lengths) + np.arange(int(lengths.sum()), dtype=np.int64)
    return positions, offsets
