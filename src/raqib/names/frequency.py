"""How common a name word is, from the packaged corpus-derived frequency table.

The table counts phonetic skeleton keys (see :func:`raqib.names.skeleton_keys`) over the Arabic and
Latin sides of the name corpora and the Latin names of the UN and OFAC lists, so every spelling of
*Mohammed* adds to the same key ``MHMD``. Matching turns these counts (plus counts from the list being
screened, taken at index build) into rarity weights: a shared *Mohammed* is weak evidence, a shared
*Zawahiri* strong.
"""

from __future__ import annotations

import functools

from raqib.names import _resources


@functools.cache
def _table() -> tuple[dict[str, int], int]:
    data = _resources.token_frequencies()
    return data.counts, data.total


def token_frequency(key: str) -> float:
    """Return the relative frequency of a skeleton key in the packaged corpora (0.0 when unseen).

    Args:
        key: A phonetic skeleton key such as ``"MHMD"``.

    Returns:
        count / total tokens counted.
    """
    counts, total = _table()
    return counts.get(key, 0) / total


def corpus_size() -> int:
    """Number of tokens the packaged frequency table was built from."""
    return _table()[1]


def part_key(prefix: str | None, key: str) -> str:
    """The key a name part is counted under: its skeleton, prefixed for compounds (``abd:ZZ``)."""
    return key if prefix is None else f"{prefix}:{key}"
