from __future__ import annotations

import pytest

from raqib.errors import InvalidInput
from raqib.matching import Candidate, Query, score
from raqib.matching.algorithms import ALGORITHMS, get_algorithm
from raqib.matching.algorithms.v1 import name_similarity
from raqib.matching.algorithms.v1.features import FEATURE_EFFECTS, FEATURES
from raqib.matching.dates import parse_date

LISTED = Candidate(
    id="QDi.006",
    names=("Ayman Muhammad Rabi al-Zawahiri",),
    type="person",
    birth_dates=("1951-06-19",),
    countries=("eg",),
    identifiers=("1084010",),
    gender="male",
)


@pytest.mark.parametrize("feature", [name_similarity, *FEATURES], ids=lambda f: f.__name__)
def test_every_feature_explains_itself(feature: object) -> None:
    doc = getattr(feature, "__doc__", None)
    assert doc is not None
    assert len(doc.strip().splitlines()[0]) > 20


def test_every_feature_declares_its_effect() -> None:
    assert {feature.__name__ for feature in FEATURES} == set(FEATURE_EFFECTS)
    assert all(effect.description for effect in FEATURE_EFFECTS.values())


def test_conflicting_birth_date_clears_an_exact_name_match() -> None:
    plain = score(Query("أيمن محمد ربيع الظواهري"), LISTED)
    conflicting = score(Query("أيمن محمد ربيع الظواهري", birth_date="1985-02-01"), LISTED)
    assert plain.score >= 0.9
    assert conflicting.score < 0.7
    assert "birth_date" in conflicting.explanation()


def test_same_birth_date_and_identifier_raise_the_score() -> None:
    base = score(Query("Ayman Zawahiri"), LISTED).score
    assert score(Query("Ayman Zawahiri", birth_date="1951-06-19"), LISTED).score > base
    assert score(Query("Ayman Zawahiri", identifiers=("1084 010",)), LISTED).score > base


@pytest.mark.parametrize(
    ("query", "better"),
    [
        (Query("Ayman al-Zawahiri", country="eg"), True),
        (Query("Ayman al-Zawahiri", country="no"), False),
        (Query("Ayman al-Zawahiri", gender="female"), False),
        (Query("Ayman al-Zawahiri", type="organization"), False),
    ],
)
def test_secondary_identifiers_move_the_score(query: Query, better: bool) -> None:
    base = score(Query("Ayman al-Zawahiri"), LISTED).score
    moved = score(query, LISTED).score
    assert (moved > base) == better
    assert 0.0 <= moved <= 1.0


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("1961", (1961, 1961)),
        ("1961-07-15", (1961, 1961)),
        ("1960/1962", (1960, 1962)),
        ("~1961", (1959, 1963)),
        ("1380H", (1960, 1961)),
        ("1380 هـ", (1960, 1961)),
    ],
)
def test_birth_date_forms(text: str, years: tuple[int, int]) -> None:
    span = parse_date(text)
    assert span is not None
    assert (span.year_from, span.year_to) == years


def test_unknown_date_forms_are_ignored() -> None:
    assert parse_date("sometime in the sixties") is None
    assert score(Query("Ayman al-Zawahiri", birth_date="unknown"), LISTED).score > 0.7


def test_algorithm_registry_replays_by_name() -> None:
    assert get_algorithm("raqib-v1") is ALGORITHMS["raqib-v1"]
    with pytest.raises(InvalidInput):
        get_algorithm("raqib-v0")
