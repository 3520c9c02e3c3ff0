"""OFSI ConList CSV parser: the real 2016 extract, the newer layout, and bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from raqib.errors import ListParseError
from raqib.lists.model import EntityType, NameKind
from raqib.lists.parsers import detect_format, uk_csv

DATA = Path(__file__).parents[2] / "data" / "lists" / "uk"
EXTRACT = DATA / "ConList_extract_2016.csv"
NEW_LAYOUT = DATA / "ConList_2022_layout_sample.csv"


@pytest.mark.parametrize(
    ("fixture", "golden_name"),
    [(EXTRACT, "conlist_extract_2016.json"), (NEW_LAYOUT, "conlist_2022_layout_sample.json")],
)
def test_golden(golden, fixture: Path, golden_name: str) -> None:
    golden.check_json(f"lists/uk_csv/{golden_name}", uk_csv.parse(fixture).model_dump(mode="json"))


def test_detect() -> None:
    assert detect_format(EXTRACT) == "uk_csv"
    assert detect_format(NEW_LAYOUT) == "uk_csv"


def test_extract_groups_rows_into_entities() -> None:
    parsed = uk_csv.parse(EXTRACT)
    assert parsed.list_id == "gb_hmt_ofsi"
    assert len(parsed.entities) == 41  # 77 name rows, 41 Group IDs
    # No title row in this extract: the date is the latest "Last Updated" of a row.
    assert parsed.publisher_date == "2020-02-20"
    by_ref = {entity.source_ref: entity for entity in parsed.entities}

    nasir = by_ref["13720"]  # 10 rows: 2 names x 5 birth years
    assert nasir.type is EntityType.PERSON
    assert [(name.full, name.kind) for name in nasir.names] == [
        ("Hajji 'ABD AL-NASIR", NameKind.PRIMARY),
        ("Hajji ABD AL-NASR", NameKind.ALIAS),
    ]
    assert [birth.date for birth in nasir.birth_dates] == ["1965", "1966", "1967", "1968", "1969"]
    assert nasir.birth_dates[0].raw == "00/00/1965"
    assert nasir.birth_places[0].full == "Tall 'Afar, Iraq"
    assert nasir.nationalities[0].country_code == "iq"
    assert nasir.properties["un_reference"] == ["QDi.420"]
    assert nasir.listed_on == "2018-11-20"

    qahtani = by_ref["13349"]
    assert [n.country_code for n in qahtani.nationalities] == ["sa", "qa"]
    assert qahtani.identifiers[0].number == "592667"
    assert qahtani.identifiers[0].type == "passport"

    brema = by_ref["12999"]
    assert [i.number for i in brema.identifiers if i.type == "passport"] == ["D00001184", "P04838205"]
    assert [i.number for i in brema.identifiers if i.type == "national_id"] == ["202-2708-8368"]
    assert brema.designations[:2] == ["General", "Minister for Security"]
    assert {address.country for address in brema.addresses} == {"Central African Republic", "Sudan"}

    mizan = by_ref["10657"]
    assert mizan.type is EntityType.ORGANIZATION
    assert [name.full for name in mizan.names] == ["3M MIZAN MACHINERY MANUFACTURING", "3MG"]
    assert mizan.names[0].parts == {}

    tong_san = by_ref["13556"]  # filed as "Entity" in 2016; the IMO number makes it a vessel
    assert tong_san.type is EntityType.VESSEL
    assert tong_san.identifiers[0].type == "imo"
    assert tong_san.identifiers[0].number == "8937675"

    # Windows-1252 curly quotes decode to the right characters.
    battalion = next(e for e in parsed.entities if e.caption == "14TH MOTORIZED RIFLE BATTALION")
    assert "so-called ’2nd Army Corps’" in (battalion.remarks or "")


def test_new_layout_with_non_latin_names() -> None:
    parsed = uk_csv.parse(NEW_LAYOUT)
    assert parsed.publisher_date == "2024-05-31"
    by_ref = {entity.source_ref: entity for entity in parsed.entities}
    zaidi = by_ref["13447"]
    assert zaidi.caption == "Ghalib Abdullah AL-ZAIDI"
    original = [name for name in zaidi.names if name.kind is NameKind.ORIGINAL_SCRIPT]
    assert [(name.full, name.lang) for name in original] == [("غالب عبدالله الزيدي", "ara")]
    assert [name.full for name in zaidi.names if name.kind is NameKind.WEAK_ALIAS] == ["Ghalib AL ZAYDI"]
    assert zaidi.properties["uk_designated_on"] == ["2020-12-31"]
    kim = by_ref["13562"]
    assert kim.identifiers[0].number == "836210029"
    assert kim.identifiers[0].note == "Passport issued by DPRK"
    assert by_ref["13556"].type is EntityType.VESSEL


def _write(tmp_path: Path, data: bytes, name: str = "ConList.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ListParseError, match="empty"):
        uk_csv.parse(_write(tmp_path, b""))


def test_missing_required_column(tmp_path: Path) -> None:
    data = NEW_LAYOUT.read_bytes().replace(b",Group ID\n", b",Group\n", 1)
    with pytest.raises(ListParseError, match="'Group ID' is missing") as caught:
        uk_csv.parse(_write(tmp_path, data))
    assert (caught.value.field, caught.value.line) == ("Group ID", 2)


def test_no_header(tmp_path: Path) -> None:
    with pytest.raises(ListParseError, match="no ConList header"):
        uk_csv.parse(_write(tmp_path, b"a,b,c\n1,2,3\n"))


def test_row_with_wrong_number_of_fields(tmp_path: Path) -> None:
    lines = EXTRACT.read_bytes().split(b"\n")
    lines[4] = lines[4] + b",extra"
    with pytest.raises(ListParseError, match="expected 29 fields, found 30") as caught:
        uk_csv.parse(_write(tmp_path, b"\n".join(lines)))
    assert caught.value.line == 5
    assert "line 5" in str(caught.value)


def test_truncated_file(tmp_path: Path) -> None:
    data = EXTRACT.read_bytes()
    cut = data.index(b"\n", len(data) // 2) + 40  # in the middle of a row
    with pytest.raises(ListParseError, match="fields") as caught:
        uk_csv.parse(_write(tmp_path, data[:cut]))
    assert caught.value.line is not None


def test_utf16_file_is_refused(tmp_path: Path) -> None:
    data = NEW_LAYOUT.read_text(encoding="utf-8-sig").encode("utf-16")
    with pytest.raises(ListParseError, match="UTF-16") as caught:
        uk_csv.parse(_write(tmp_path, data))
    assert caught.value.code == "bad_encoding"


def test_undecodable_bytes(tmp_path: Path) -> None:
    data = EXTRACT.read_bytes().replace(b"AL-QAHTANI", b"AL-QAH\x81TANI", 1)
    with pytest.raises(ListParseError, match="cannot decode") as caught:
        uk_csv.parse(_write(tmp_path, data))
    assert caught.value.line == 2
