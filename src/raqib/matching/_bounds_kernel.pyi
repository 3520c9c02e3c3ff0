"""Type stub for the compiled kernel built from ``_bounds_kernel.pyx`` (see :mod:`raqib.matching.bounds`)."""

from collections.abc import Sequence

import numpy as np

class Kernel:
    def __init__(
        self,
        name_part_start: np.ndarray,
        part_single: np.ndarray,
        part_pair_left: np.ndarray,
        part_pair_right: np.ndarray,
        part_weight: np.ndarray,
        part_unpaired: np.ndarray,
        vocabulary_size: int,
    ) -> None: ...
    def bounds(
        self,
        names: np.ndarray,
        thresholds: np.ndarray,
        groups: Sequence[tuple[Sequence[int], np.ndarray, np.ndarray]],
        query_weights: Sequence[float],
        query_unpaired: Sequence[float],
    ) -> np.ndarray: ...
    def members(
        self,
        generating: Sequence[np.ndarray],
        useful: Sequence[tuple[np.ndarray, int, float]],
        unpaired: Sequence[float],
        slack: float,
    ) -> np.ndarray: ...
