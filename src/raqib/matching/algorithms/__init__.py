"""Registry of matching algorithms, by name, so that a stored score can be replayed by the algorithm
that produced it (an alert from ``raqib-v1`` is re-scored by ``raqib-v1`` even after ``raqib-v2`` exists).
"""

from __future__ import annotations

from types import ModuleType

from raqib.errors import InvalidInput
from raqib.matching.algorithms import v1

ALGORITHMS: dict[str, ModuleType] = {v1.NAME: v1}
LATEST = v1.NAME


def get_algorithm(name: str) -> ModuleType:
    """Return the algorithm module registered under ``name`` (e.g. ``raqib-v1``).

    Raises:
        InvalidInput: no algorithm has that name.
    """
    try:
        return ALGORITHMS[name]
    except KeyError as err:
        raise InvalidInput(
            f"unknown matching algorithm {name!r}", details={"known": sorted(ALGORITHMS)}
        ) from err


__all__ = ["ALGORITHMS", "LATEST", "get_algorithm", "v1"]
