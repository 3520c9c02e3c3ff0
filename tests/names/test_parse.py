from __future__ import annotations

import pytest

from raqib.names import PartRole, has_article, normalise, parse_name, tokenise
from tests.names._cases import load_cases


@pytest.mark.parametrize(("query", "candidate", "expected"), load_cases("parse.csv"))
def test_parse_cases(query: str, candidate: str, expected: str) -> None:
    assert expected == "stems"
    assert [part.stem for part in parse_name(query).matchable] == [normalise(s) for s in candidate.split("|")]


def test_titles_are_kept_for_display() -> None:
    parsed = parse_name("الشيخ الدكتور أيمن الظواهري")
    assert parsed.titles == ("الشيخ", "الدكتور")
    assert parsed.normalised == "ايمن الظواهري"


def test_roles() -> None:
    parts = parse_name("Abu Bakr bin Ali al-Baghdadi M.").parts
    assert [part.role for part in parts] == [
        PartRole.COMPOUND,
        PartRole.PARTICLE,
        PartRole.NAME,
        PartRole.NAME,
        PartRole.INITIAL,
    ]
    assert parts[0].prefix == "abu"
    assert parts[3].article


def test_compounds_keep_their_stem_apart() -> None:
    aziz, hadi = parse_name("Abd al-Aziz").parts[0], parse_name("Abd al-Hadi").parts[0]
    assert aziz.prefix == hadi.prefix == "abd"
    assert aziz.keys != hadi.keys


def test_empty_and_punctuation_only() -> None:
    assert parse_name("").parts == ()
    assert parse_name(" -- ,, ").parts == ()
    assert tokenise("  Usama   BIN-LADIN ") == ["usama", "bin", "ladin"]


def test_organisation_words_read_their_latin_equivalents() -> None:
    from raqib.names.parse import organisation_equivalents

    assert "group" in organisation_equivalents("جماعه")
    assert "islamic" in organisation_equivalents("اسلاميه")  # feminine nisba of اسلامي
    assert "jihad" in organisation_equivalents("والجهاد")  # conjunction and article
    assert organisation_equivalents("محمد") == ()
    assert organisation_equivalents("group") == ()


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("الظواهري", True),
        ("al-Zawahiri", True),
        ("Alzawahiri", True),
        ("Eddaouahiri", True),
        ("Zawahiri", False),
        ("Alan", False),
        ("Eddie", False),
    ],
)
def test_has_article(name: str, expected: bool) -> None:
    """A family name written with the article, apart or joined into a Latin word (text screening's test
    for a lone family name: the UN alias Eddaouahiri of al-Zawahiri)."""
    assert has_article(parse_name(name).parts[-1]) is expected
