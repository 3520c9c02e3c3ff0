from __future__ import annotations

import pytest

from raqib.matching import DEFAULT_THRESHOLD, match_names
from raqib.matching.algorithms.v1 import Matcher
from raqib.matching.algorithms.v1.names import _options
from tests.matching.conftest import CASES
from tests.names._cases import load_cases


@pytest.mark.parametrize(("query", "candidate", "expected"), load_cases("names.csv", CASES))
def test_name_cases(query: str, candidate: str, expected: str) -> None:
    result = match_names(query, candidate)
    assert (result.score >= DEFAULT_THRESHOLD) == (expected == "match"), result.explanation()


@pytest.mark.parametrize(
    ("query", "candidate"), [("محمد", "Mohammed"), ("Ayman al-Zawahiri", "أيمن الظواهري")]
)
def test_scores_are_symmetric_enough(query: str, candidate: str) -> None:
    assert abs(match_names(query, candidate).score - match_names(candidate, query).score) < 0.05


def test_rare_shared_name_weighs_more_than_common_one() -> None:
    rare = match_names("Ahmed al-Zawahiri", "Khalid al-Zawahiri").score
    common = match_names("Ahmed Mohammed", "Khalid Mohammed").score
    assert rare > common


def test_result_is_explained() -> None:
    result = match_names("الشيخ أيمن الظواهري", "Ayman al-Zawahiri")
    assert 0.0 <= result.score <= 1.0
    assert result.algorithm == "raqib-v1"
    assert {(a.query, a.candidate) for a in result.alignments} == {
        ("ايمن", "ayman"),
        ("الظواهري", "al zawahiri"),
    }
    line = result.explanation()
    assert "\n" not in line
    assert "Ayman al-Zawahiri" in line
    data = result.to_dict()
    assert data["features"][0]["name"] == "name_similarity"
    assert data["explanation"] == line


def test_empty_names_score_zero() -> None:
    assert match_names("", "Usama bin Laden").score == 0.0
    assert match_names("---", "").score == 0.0


def test_weak_alias_alone_does_not_alert_on_a_common_token() -> None:
    from raqib.matching import Candidate, Query, score

    weak_only = Candidate(id="x", names=("Muhammad Omar Akhund",), weak_names=("Omar",))
    assert score(Query("Omar"), weak_only).score < DEFAULT_THRESHOLD
    full_weak = Candidate(id="y", names=("Unrelated Person",), weak_names=("Abu Mohammed al-Zawahiri",))
    assert score(Query("أبو محمد الظواهري"), full_weak).score >= DEFAULT_THRESHOLD


@pytest.mark.parametrize(
    ("query", "candidate"), [("Ahmed Saleh Zawahiri", "A. Zawahiri"), ("A. Zawahiri", "Ahmed Saleh Zawahiri")]
)
def test_an_initial_never_stands_for_two_names(query: str, candidate: str) -> None:
    """Two neighbouring names may be one word written apart (Bin Laden ~ Binladen), but an initial is
    one name's first letter: 'Ahmed Saleh' read as one word is not an option against 'A.' (the single
    'Ahmed' is; the index then needs no initials in its look-ups of joined pairs)."""
    matcher = Matcher()
    options = _options(matcher.prepare(query), matcher.prepare(candidate))
    assert options
    assert all(len(option.query) == len(option.candidate) == 1 for option in options), options
