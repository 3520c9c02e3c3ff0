"""Canada SEMA/JVCFOR XML parser: a real extract, the newer ship layout, and hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest

from raqib.errors import ListParseError
from raqib.lists.model import EntityType, NameKind
from raqib.lists.parsers import ca_xml, detect_format

DATA = Path(__file__).parents[2] / "data" / "lists" / "ca"
EXTRACT = DATA / "sema_lmes_extract.xml"


def test_golden(golden) -> None:
    golden.check_json("lists/ca_xml/sema_lmes_extract.json", ca_xml.parse(EXTRACT).model_dump(mode="json"))


def test_detect() -> None:
    assert detect_format(EXTRACT) == "ca_xml"


def test_specific_facts() -> None:
    parsed = ca_xml.parse(EXTRACT)
    assert parsed.list_id == "ca_sema"
    assert len(parsed.entities) == 28
    by_ref = {entity.source_ref: entity for entity in parsed.entities}

    air_bagan = by_ref["burma/1/1"]
    assert air_bagan.type is EntityType.ORGANIZATION
    assert [name.full for name in air_bagan.names] == [
        "Air Bagan",
        "Air Bagan Holdings Pte. Ltd.",
        "Air Bagan Limited",
    ]
    assert air_bagan.programs == ["Burma"]
    assert air_bagan.properties["regulation"] == ["Burma / Birmanie"]

    akimov = by_ref["russia/1/94"]
    assert akimov.names[0].parts == {"given": "Andrey Igorevich", "family": "AKIMOV"}
    assert akimov.names[1].full == "Andrei Igorevich AKIMOV"  # the list's alias is just "Andrei"
    assert akimov.birth_dates[0].date == "1953-09-22"

    salyaev = by_ref["russia/1/112"]
    assert [name.full for name in salyaev.names[1:]] == [
        "Aleksei Mikhailovich SALYAEV",
        "Oleksii SALYAYEV",
        "Aleksey Mikhailovich SALIAIEV",
    ]

    pavlov = by_ref["ukraine/1/83"]  # a nickname stays as written, and weak
    assert [(name.full, name.kind) for name in pavlov.names[1:]] == [("Motorola", NameKind.WEAK_ALIAS)]

    hajizadeh = by_ref["iran/2/27"]  # a full alternative spelling is not "applied"
    assert hajizadeh.names[1].full == "Amir Ali Hajizadeh"
    assert hajizadeh.names[1].note is None

    two_dates = by_ref["jvcfor/1/54"]
    assert [birth.date for birth in two_dates.birth_dates] == ["1972-08-10", "1972-08-11"]
    assert two_dates.birth_dates[0].raw == "1972-08-10 or 1972-08-11"
    assert two_dates.programs == ["JVCFOR"]
    assert by_ref["jvcfor/1/53"].birth_dates[0].date == "1964-03"

    assert by_ref["syria/2/63"].titles == ["General/général"]
    assert by_ref["russia/2/5"].names[1].full == "Rosselkhozbank"
    # Venezuela records without <Schedule> and with "N/A" share the "na" key.
    assert {"venezuela/na/1", "venezuela/na/55", "ukraine/1-part-2/1"} <= set(by_ref)


def _write(tmp_path: Path, text: str | bytes) -> Path:
    path = tmp_path / "sema-lmes.xml"
    path.write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    return path


def _data_set(records: str) -> str:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<data-set>{records}</data-set>'


def test_newer_layout_with_ships(tmp_path: Path) -> None:
    records = (
        "<record><Country>Russia / Russie</Country><EntityOrShip>SPARTA IV</EntityOrShip>"
        "<TitleOrShip>General cargo ship</TitleOrShip><DateOfBirthOrShipBuildDate>2004</DateOfBirthOrShipBuildDate>"
        "<ShipIMONumber>9268112</ShipIMONumber><Schedule>1, Part 1</Schedule><Item>1</Item>"
        "<DateOfListing>2023-02-24</DateOfListing><Flag>Russia</Flag></record>"
    )
    parsed = ca_xml.parse(_write(tmp_path, _data_set(records)))
    ship = parsed.entities[0]
    assert ship.type is EntityType.VESSEL
    assert ship.source_ref == "russia/1-part-1/1"
    assert ship.identifiers[0].type == "imo"
    assert ship.identifiers[0].number == "9268112"
    assert ship.birth_dates == []
    assert ship.properties["build_date"] == ["2004"]
    assert ship.properties["Flag"] == ["Russia"]
    assert ship.listed_on == "2023-02-24"


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ListParseError, match="empty"):
        ca_xml.parse(_write(tmp_path, b""))


def test_truncated_file(tmp_path: Path) -> None:
    data = EXTRACT.read_bytes()
    with pytest.raises(ListParseError, match="malformed XML") as caught:
        ca_xml.parse(_write(tmp_path, data[: len(data) // 2]))
    assert caught.value.line is not None


def test_xml_bomb_is_refused(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE data-set [<!ENTITY a "aaaaaaaaaa">'
        '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>'
        "<data-set><record><Country>&c;</Country></record></data-set>"
    )
    with pytest.raises(ListParseError, match="unsafe XML"):
        ca_xml.parse(_write(tmp_path, bomb))


def test_xxe_is_refused(tmp_path: Path) -> None:
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE data-set [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        "<data-set><record><Country>&xxe;</Country><Entity>x</Entity><Item>1</Item></record></data-set>"
    )
    with pytest.raises(ListParseError, match="unsafe XML"):
        ca_xml.parse(_write(tmp_path, xxe))


def test_wrong_root(tmp_path: Path) -> None:
    with pytest.raises(ListParseError, match="expected 'data-set'"):
        ca_xml.parse(_write(tmp_path, "<export/>"))


def test_record_without_item(tmp_path: Path) -> None:
    records = "<record><Country>Iran</Country><Entity>A</Entity><Item>1</Item></record>"
    records += "<record><Country>Iran</Country><Entity>B</Entity></record>"
    with pytest.raises(ListParseError, match="record 2 has no Item") as caught:
        ca_xml.parse(_write(tmp_path, _data_set(records)))
    assert caught.value.field == "Item"


def test_record_without_name(tmp_path: Path) -> None:
    records = "<record><Country>Iran</Country><Schedule>1</Schedule><Item>7</Item></record>"
    with pytest.raises(ListParseError, match=r"record 1 \(iran/1/7\) has no LastName"):
        ca_xml.parse(_write(tmp_path, _data_set(records)))


def test_duplicate_reference(tmp_path: Path) -> None:
    record = "<record><Country>Iran</Country><Entity>A</Entity><Schedule>1</Schedule><Item>1</Item></record>"
    with pytest.raises(ListParseError, match="duplicate reference 'iran/1/1'"):
        ca_xml.parse(_write(tmp_path, _data_set(record * 2)))
