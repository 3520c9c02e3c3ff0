"""List entities become matching candidates with every name, date, country and document."""

from __future__ import annotations

from raqib.lists import Address, BirthDate, Entity, EntityType, Identifier, Name, NameKind
from raqib.screening import candidate_from_entity


def test_candidate_keeps_weak_aliases_apart_and_converts_dates() -> None:
    entity = Entity(
        source="un_sc",
        source_ref="QDi.001",
        type=EntityType.PERSON,
        names=[
            Name(full="AIMAN MUHAMMED RABI AL-ZAWAHIRI"),
            Name(full="أيمن محمد ربيع الظواهري", kind=NameKind.ORIGINAL_SCRIPT),
            Name(full="Abu Mohammed", kind=NameKind.WEAK_ALIAS),
        ],
        birth_dates=[
            BirthDate(date="1951-06-19"),
            BirthDate(year_from=1950, year_to=1952),
            BirthDate(date="1953", approximate=True),
        ],
        nationalities=[Address(country="Egypt", country_code="eg")],
        identifiers=[
            Identifier(type="passport", number="1084010"),
            Identifier(type="crypto_wallet", number="1abc"),
        ],
        gender="male",
    )
    candidate = candidate_from_entity(entity)
    assert candidate.id == "un_sc:QDi.001"
    assert candidate.names == ("AIMAN MUHAMMED RABI AL-ZAWAHIRI", "أيمن محمد ربيع الظواهري")
    assert candidate.weak_names == ("Abu Mohammed",)
    assert candidate.birth_dates == ("1951-06-19", "1950/1952", "~1953")
    assert candidate.countries == ("eg",)
    assert candidate.identifiers == ("1084010",)
    assert candidate.type == "person"
    assert candidate.gender == "male"


def test_entity_with_only_weak_aliases_is_still_screenable() -> None:
    entity = Entity(source="x", source_ref="1", names=[Name(full="Abu Omar", kind=NameKind.WEAK_ALIAS)])
    candidate = candidate_from_entity(entity)
    assert candidate.names == ("Abu Omar",)
    assert candidate.weak_names == ()
    assert candidate.type is None
