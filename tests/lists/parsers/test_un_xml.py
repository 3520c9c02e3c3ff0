"""UN consolidated list XML parser: golden extracts, specific facts, hostile and broken input."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

import pytest

from raqib.errors import ListParseError, RaqibError
from raqib.lists.model import EntityType, NameKind
from raqib.lists.parsers import detect_format, parse_list, un_xml

DATA = Path(__file__).parents[2] / "data" / "lists"
UN_2026 = DATA / "un" / "un_extract_2026-02-27.xml"
UN_2017 = DATA / "un" / "un_extract_2017-06-30.xml"
OFAC_XML = DATA / "ofac" / "consolidated_sdnList_extract_2018-04.xml"

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CONSOLIDATED_LIST dateGenerated="2026-01-01"><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&lol3;</FIRST_NAME>
</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<CONSOLIDATED_LIST dateGenerated="2026-01-01"><INDIVIDUALS><INDIVIDUAL><FIRST_NAME>&xxe;</FIRST_NAME>
</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"""


def by_ref(path: Path) -> dict[str, object]:
    return {entity.source_ref: entity for entity in un_xml.parse(path).entities}


@pytest.mark.parametrize("path", [UN_2026, UN_2017], ids=["2026", "2017"])
def test_golden(path: Path, golden) -> None:
    parsed = un_xml.parse(path)
    golden.check_json(f"lists/un_xml/{path.stem}.json", parsed.model_dump(mode="json"))


def test_list_identity_and_counts() -> None:
    parsed = un_xml.parse(UN_2026)
    assert (parsed.list_id, parsed.format, parsed.title) == ("un_sc", "un_xml", un_xml.TITLE)
    assert parsed.publisher_date == "2026-02-27T00:00:09.554Z"
    types = [entity.type for entity in parsed.entities]
    assert types.count(EntityType.PERSON) == 7
    assert types.count(EntityType.ORGANIZATION) == 2


def test_qdi001_names() -> None:
    entity = by_ref(UN_2026)["QDi.001"]
    primary = entity.names[0]
    assert primary.kind is NameKind.PRIMARY
    assert primary.full == "MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE"
    assert primary.parts == {
        "first": "MOHAMMED",
        "second": "SALAHALDIN",
        "third": "ABD EL HALIM",
        "fourth": "ZIDANE",
    }
    original = [name for name in entity.names if name.kind is NameKind.ORIGINAL_SCRIPT]
    assert original[0].full == "محمد صلاح الدين عبدالحليم زيدان"
    assert original[0].lang == "ara"
    # "In Arabic: سيف العدل" in an alias note becomes an original-script name too
    assert any(name.full == "سيف العدل" for name in original)
    weak = [name.full for name in entity.names if name.kind is NameKind.WEAK_ALIAS]
    assert "Seif al Adel" in weak
    assert all(name.quality == "Low" for name in entity.names if name.kind is NameKind.WEAK_ALIAS)
    good = [name for name in entity.names if name.kind is NameKind.ALIAS]
    assert good
    assert all(name.quality == "Good" for name in good)
    assert entity.source_ref == "QDi.001"
    assert entity.id == "un_sc:QDi.001"
    assert entity.programs == ["Al-Qaida", "UN List"]
    assert entity.listed_on == "2001-01-25"
    assert entity.nationalities[0].country_code == "eg"
    assert entity.properties["dataid"] == ["113219"]
    assert entity.remarks is not None
    assert entity.remarks.startswith("Responsible for Usama bin Laden")


def test_cyrillic_original_script_from_alias_note() -> None:
    entity = by_ref(UN_2026)["QDi.363"]
    scripted = [name for name in entity.names if name.kind is NameKind.ORIGINAL_SCRIPT and name.lang is None]
    assert scripted, "Cyrillic names in 'original script:' notes are kept, without an Arabic lang tag"


def test_birth_dates() -> None:
    entities = by_ref(UN_2026)
    between = [d for d in entities["TAi.002"].birth_dates if d.year_from is not None]
    assert between
    assert between[0].year_to is not None
    assert between[0].year_from <= between[0].year_to
    assert any(d.approximate for d in entities["CDi.014"].birth_dates)
    old = by_ref(UN_2017)
    # xs:date with a time zone, as the 2017-2020 files write some dates
    assert [d.date for d in old["QDi.057"].birth_dates if d.date] == ["1966-02-02"]
    # birth details given per alias in older files
    assert any(d.note and "alias" in d.note for d in old["QDi.295"].birth_dates)


def test_documents_titles_and_gender() -> None:
    entities = by_ref(UN_2026)
    documents = entities["CFi.012"].identifiers
    assert documents
    assert all(doc.number for doc in documents)
    assert any(doc.issued for doc in documents)
    assert entities["CFi.012"].titles
    assert entities["CDi.001"].gender == "male"
    # a document without a number is kept as text, never as an empty identifier
    assert entities["QDi.068"].properties.get("document")


def test_entity_aliases() -> None:
    entity = by_ref(UN_2026)["CDe.001"]
    assert entity.type is EntityType.ORGANIZATION
    kinds = {name.kind for name in entity.names}
    assert NameKind.FORMER in kinds
    assert NameKind.ALIAS in kinds


def test_submitted_by_kept_in_properties() -> None:
    assert by_ref(UN_2017)["QDi.253"].properties["submitted_by"]


def test_detection() -> None:
    assert un_xml.detect(UN_2026)
    assert un_xml.detect(UN_2017)
    assert not un_xml.detect(OFAC_XML)
    assert not un_xml.detect(DATA / "ofac" / "sdn_2021-07")
    assert detect_format(UN_2017) == "un_xml"


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_truncated_xml(tmp_path: Path) -> None:
    data = UN_2026.read_bytes()
    path = write(tmp_path, "cut.xml", data[: len(data) // 2])
    with pytest.raises(ListParseError) as caught:
        un_xml.parse(path)
    assert caught.value.code == "malformed_xml"
    assert caught.value.line is not None
    assert str(path) in str(caught.value)


@pytest.mark.parametrize("payload", [BILLION_LAUGHS, XXE], ids=["billion_laughs", "xxe"])
def test_hostile_xml(tmp_path: Path, payload: bytes) -> None:
    path = write(tmp_path, "hostile.xml", payload)
    with pytest.raises(ListParseError) as caught:
        un_xml.parse(path)
    assert caught.value.code == "unsafe_xml"


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ListParseError) as caught:
        un_xml.parse(write(tmp_path, "empty.xml", b""))
    assert caught.value.code == "empty_file"


def test_wrong_encoding(tmp_path: Path) -> None:
    # Declared UTF-8, written in Latin-1: the byte 0xE9 is not valid UTF-8.
    data = UN_2017.read_bytes().replace(b"<FIRST_NAME>", b"<FIRST_NAME>\xe9", 1)
    with pytest.raises(ListParseError) as caught:
        un_xml.parse(write(tmp_path, "latin1.xml", data))
    assert caught.value.code == "malformed_xml"


def test_wrong_format(tmp_path: Path) -> None:
    with pytest.raises(ListParseError) as caught:
        parse_list(OFAC_XML, format="un_xml")
    assert caught.value.code == "wrong_format"
    with pytest.raises(ListParseError):
        parse_list(DATA / "ofac" / "sdn_2021-07", format="un_xml")  # a directory
    with pytest.raises(ListParseError):
        parse_list(DATA / "ofac" / "sdn_2021-07" / "sdn.csv", format="un_xml")


def test_missing_reference_number(tmp_path: Path) -> None:
    data = UN_2017.read_bytes().replace(b"<REFERENCE_NUMBER>QDi.057</REFERENCE_NUMBER>", b"", 1)
    with pytest.raises(ListParseError) as caught:
        un_xml.parse(write(tmp_path, "noref.xml", data))
    assert caught.value.field == "REFERENCE_NUMBER"


def test_mangled_input_raises_only_raqib_errors(tmp_path: Path) -> None:
    """Random byte damage must give a parse or a raqib error, never a stray exception."""
    original = UN_2017.read_bytes()
    rng = random.Random(20260227)
    for attempt in range(60):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(data))
            data[position : position + rng.randint(1, 40)] = rng.randbytes(rng.randint(0, 6))
        path = write(tmp_path, f"mangled{attempt}.xml", bytes(data))
        with contextlib.suppress(RaqibError):
            un_xml.parse(path)
