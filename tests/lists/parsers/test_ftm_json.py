"""FollowTheMoney JSON-lines parser: OpenSanctions fixtures, folding of Sanction/Address/Passport, bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from raqib.errors import InvalidInput, ListParseError
from raqib.lists.model import EntityType, NameKind
from raqib.lists.parsers import detect_format, ftm_json

DATA = Path(__file__).parents[2] / "data" / "lists" / "ftm"
OS_T1 = DATA / "os_t1_entities.ftm.json"
DEMO = DATA / "demo_sanctions.ftm.json"
DELTA = DATA / "os_t2_entities.delta.json"


@pytest.mark.parametrize("fixture", [OS_T1, DEMO], ids=["os_t1", "demo"])
def test_golden(golden, fixture: Path) -> None:
    name = fixture.name.split(".")[0]
    golden.check_json(f"lists/ftm_json/{name}.json", ftm_json.parse(fixture).model_dump(mode="json"))


def test_detect() -> None:
    assert detect_format(OS_T1) == "ftm_json"
    assert detect_format(DEMO) == "ftm_json"
    assert ftm_json.detect(DELTA)  # detected, so that parse can explain why it is refused


def test_opensanctions_fixture() -> None:
    parsed = ftm_json.parse(OS_T1)
    assert parsed.list_id == "ftm_eu_fsf"  # every entity's only dataset, prefixed
    assert parsed.publisher_date == "2024-06-01T10:57:03"
    # Seven lines: six things and one Address that nothing in the file references.
    assert len(parsed.entities) == 6
    by_ref = {entity.source_ref: entity for entity in parsed.entities}
    soyko = by_ref["NK-2Myxbs6wX9xFKGoQn3sLaY"]
    assert soyko.type is EntityType.PERSON
    assert soyko.caption == "Viktor Vladimirovitj Sojko"
    assert "Виктор Владимирович СОЙКО" in [name.full for name in soyko.names]
    assert [birth.date for birth in soyko.birth_dates] == ["1971-07-03"]
    assert soyko.birth_places[0].full == "BELARUS, Komsomolskaya"
    assert soyko.nationalities[0].country_code == "by"
    assert soyko.titles == ["Colonel"]
    assert "gb-hmt-14688" in soyko.properties["referents"]
    tobacco = by_ref["NK-2GdmHtZTeNXjNVrBGEXZNj"]
    assert tobacco.type is EntityType.ORGANIZATION
    assert [(i.type, i.number) for i in tobacco.identifiers] == [("registration", "808000714")]
    assert tobacco.properties["addressEntity"] == ["addr-125caec37c3486d3a71de8ae943eec47f420b38a"]
    kuzmenko = by_ref["NK-2Ka3UvopqbpZmVDFjWd4LA"]
    assert [(i.type, i.number) for i in kuzmenko.identifiers] == [("tax_id", "366510784303")]


def test_list_id_option() -> None:
    assert ftm_json.parse(OS_T1, list_id="opensanctions").entities[0].source == "opensanctions"


def test_folding_of_supporting_entities() -> None:
    parsed = ftm_json.parse(DEMO)
    assert parsed.list_id == "ftm_demo_sanctions"
    by_ref = {entity.source_ref: entity for entity in parsed.entities}
    # Address, Passport, Sanction and Family entities are never screenable entities.
    assert set(by_ref) == {
        "demo-qdi-401",
        "demo-vessel-tong-san-2",
        "demo-airplane-1",
        "demo-company-3ao",
        "demo-legal-entity-1",
    }
    zaidi = by_ref["demo-qdi-401"]
    assert [(n.full, n.kind) for n in zaidi.names] == [
        ("Ghalib Abdullah al-Zaidi", NameKind.PRIMARY),
        ("غالب عبدالله الزيدي", NameKind.PRIMARY),
        ("Ghalib Abdallah Ali al-Zaydi", NameKind.ALIAS),
        ("Ghalib al Zaydi", NameKind.WEAK_ALIAS),
    ]
    passport = zaidi.identifiers[0]
    assert (passport.type, passport.number, passport.expires) == ("passport", "05456123", "2016-01-31")
    assert zaidi.addresses[0].region == "Marib Governorate"
    assert zaidi.programs == ["UN ISIL (Da'esh) and Al-Qaida sanctions", "EU AQL"]
    assert zaidi.listed_on == "2017-02-22"  # the earliest of the two sanctions
    assert zaidi.properties["un_reference"] == ["QDi.401"]
    assert zaidi.properties["sanction_authority"] == ["UN Security Council", "European Union"]

    assert by_ref["demo-vessel-tong-san-2"].type is EntityType.VESSEL
    assert by_ref["demo-vessel-tong-san-2"].identifiers[0].number == "IMO8937675"  # cleaned by FtM
    assert by_ref["demo-airplane-1"].type is EntityType.AIRCRAFT
    company = by_ref["demo-company-3ao"]
    assert company.properties["schema"] == ["Company"]
    assert [(n.full, n.kind) for n in company.names if n.kind is NameKind.FORMER] == [
        ("ZAO Interavtomatika", NameKind.FORMER)
    ]
    assert ("tax_id", "7725056162", "innCode") in [(i.type, i.number, i.note) for i in company.identifiers]
    assert ("swift_bic", "DEMORUMM") in [(i.type, i.number) for i in company.identifiers]
    assert company.programs == ["UK-UKRAINE"]  # programId when the Sanction has no program text
    assert by_ref["demo-legal-entity-1"].type is EntityType.UNKNOWN


def test_invalid_values_are_cleaned_away(tmp_path: Path) -> None:
    line = {
        "id": "x",
        "schema": "Person",
        "properties": {"name": ["A B"], "birthDate": ["not a date", "1970"]},
    }
    path = tmp_path / "e.ftm.json"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    assert [birth.date for birth in ftm_json.parse(path).entities[0].birth_dates] == ["1970"]


def _write(tmp_path: Path, data: str | bytes) -> Path:
    path = tmp_path / "entities.ftm.json"
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_delta_file_needs_a_base_version() -> None:
    with pytest.raises(InvalidInput, match="delta needs the base version") as caught:
        ftm_json.parse(DELTA)
    assert isinstance(caught.value, ListParseError)
    assert (caught.value.code, caught.value.line) == ("delta_needs_base", 1)


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ListParseError, match="empty"):
        ftm_json.parse(_write(tmp_path, b""))


def test_invalid_json_line(tmp_path: Path) -> None:
    lines = DEMO.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2][:-5]
    with pytest.raises(ListParseError, match="invalid JSON") as caught:
        ftm_json.parse(_write(tmp_path, "\n".join(lines)))
    assert caught.value.line == 3


def test_truncated_file(tmp_path: Path) -> None:
    data = OS_T1.read_bytes()
    cut = data.index(b"\n", len(data) // 2) + 100
    with pytest.raises(ListParseError, match="invalid JSON") as caught:
        ftm_json.parse(_write(tmp_path, data[:cut]))
    assert caught.value.line == data[:cut].count(b"\n") + 1


def test_unknown_schema(tmp_path: Path) -> None:
    text = DEMO.read_text(encoding="utf-8").replace('"schema": "Vessel"', '"schema": "Spaceship"')
    with pytest.raises(ListParseError, match="unknown FollowTheMoney schema 'Spaceship'") as caught:
        ftm_json.parse(_write(tmp_path, text))
    assert (caught.value.line, caught.value.field, caught.value.code) == (6, "schema", "unknown_schema")


@pytest.mark.parametrize(
    ("line", "field"),
    [
        ('{"schema": "Person", "properties": {}}', "id"),
        ('{"id": "x", "properties": {}}', "schema"),
        ('{"id": "x", "schema": "Person", "properties": ["name"]}', "properties"),
        ('{"id": "x", "schema": "Person", "properties": {"name": "not a list"}}', "properties"),
    ],
)
def test_malformed_entities(tmp_path: Path, line: str, field: str) -> None:
    with pytest.raises(ListParseError) as caught:
        ftm_json.parse(_write(tmp_path, line + "\n"))
    assert (caught.value.line, caught.value.field) == (1, field)


def test_a_line_that_is_not_an_object(tmp_path: Path) -> None:
    with pytest.raises(ListParseError, match="expected a JSON object per line, found list"):
        ftm_json.parse(_write(tmp_path, "[1, 2]\n"))


def test_utf16_file(tmp_path: Path) -> None:
    with pytest.raises(ListParseError, match="cannot decode"):
        ftm_json.parse(_write(tmp_path, OS_T1.read_text(encoding="utf-8").encode("utf-16")))
