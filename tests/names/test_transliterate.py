from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from raqib.names import normalise, parse_name, skeleton_keys, transliterate
from tests.names._cases import load_cases


def _keys(name: str) -> set[str]:
    parts = parse_name(name).matchable
    assert len(parts) == 1
    return set(parts[0].keys)


@pytest.mark.parametrize(("query", "candidate", "expected"), load_cases("skeleton.csv"))
def test_skeleton_cases(query: str, candidate: str, expected: str) -> None:
    shared = _keys(query) & _keys(candidate)
    assert bool(shared) == (expected == "same")


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [("محمد", "mhmd"), ("الظواهري", "alzwahri"), ("يوسف", "yusf"), ("أسامة بن لادن", "asamh bn ladn")],
)
def test_transliterate_is_readable_ascii(arabic: str, latin: str) -> None:
    assert transliterate(normalise(arabic)) == latin


@given(st.text())
def test_transliterate_and_keys_never_raise(text: str) -> None:
    normalised = normalise(text)
    assert transliterate(normalised).isascii()
    for word in normalised.split():
        keys = skeleton_keys(word)
        assert 1 <= len(keys) <= 6
