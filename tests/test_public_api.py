"""Each package's public surface is its ``__all__``: sorted, and every name really exists (httpx habit)."""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import raqib

PACKAGES = sorted(
    name
    for _, name, is_package in pkgutil.walk_packages(raqib.__path__, prefix="raqib.")
    if is_package and ".data" not in name and "migrations" not in name
)


def isort_key(name: str) -> tuple[int, str]:
    """The order ruff's RUF022 uses: CONSTANTS, then Classes, then functions and modules."""
    if name.isupper():
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


@pytest.mark.parametrize("package", ["raqib", *PACKAGES])
def test_all_is_sorted_and_complete(package: str) -> None:
    module = importlib.import_module(package)
    exported = getattr(module, "__all__", None)
    assert exported is not None, f"{package} has no __all__"
    assert list(exported) == sorted(exported, key=isort_key), f"{package}.__all__ is not sorted"
    missing = [name for name in exported if not hasattr(module, name)]
    assert missing == []
    assert module.__doc__, f"{package} has no docstring explaining it"
