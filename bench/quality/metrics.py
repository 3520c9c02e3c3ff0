"""Recall, false-match rate and recall at a fixed false-match rate."""

from __future__ import annotations

from collections.abc import Sequence


def rate(flags: Sequence[bool]) -> float | None:
    """Share of true flags, or None for an empty sequence."""
    return sum(flags) / len(flags) if flags else None


def at_threshold(
    positives: Sequence[float], negatives: Sequence[float], threshold: float
) -> dict[str, float | None]:
    """Recall and false-match rate when a score >= threshold counts as a match."""
    return {
        "threshold": threshold,
        "recall": rate([s >= threshold for s in positives]),
        "fmr": rate([s >= threshold for s in negatives]),
    }


def recall_at_fmr(
    positives: Sequence[float], negatives: Sequence[float], max_fmr: float
) -> dict[str, float | None]:
    """Best recall among thresholds whose false-match rate is at most ``max_fmr``.

    With negatives sorted high to low, at most ``k = floor(max_fmr * n)`` may score at or above
    the threshold, so the threshold must lie just above the (k+1)-th highest negative score ``s``:
    a pair matches when its score is strictly greater than ``s``.
    """
    if not positives or not negatives:
        return {"max_fmr": max_fmr, "above": None, "recall": None, "fmr": None}
    ordered = sorted(negatives, reverse=True)
    allowed = int(max_fmr * len(ordered))
    cut = ordered[allowed] if allowed < len(ordered) else float("-inf")
    return {
        "max_fmr": max_fmr,
        "above": cut,
        "recall": rate([s > cut for s in positives]),
        "fmr": rate([s > cut for s in negatives]),
    }


def calibrated_threshold(negatives: Sequence[float], max_fmr: float) -> float:
    """The lowest 'score >= t' threshold with false-match rate at most ``max_fmr`` on ``negatives``."""
    ordered = sorted(negatives, reverse=True)
    allowed = int(max_fmr * len(ordered))
    if allowed >= len(ordered):
        return 0.0
    # Scores are floats in [0, 1]; a hair above the cut keeps 'score >= t' strict.
    return min(1.0, ordered[allowed] + 1e-9)
