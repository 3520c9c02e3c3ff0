"""OFAC sdnList XML parser: golden extract, list identity, facts and hostile input."""

from __future__ import annotations

import contextlib
import random
import shutil
from pathlib import Path

import pytest

from raqib.errors import ListParseError, RaqibError
from raqib.lists.model import EntityType, NameKind
from raqib.lists.parsers import detect_format, ofac_xml, parse_list

DATA = Path(__file__).parents[2] / "data" / "lists"
CONS_XML = DATA / "ofac" / "consolidated_sdnList_extract_2018-04.xml"
UN_FILE = DATA / "un" / "un_extract_2017-06-30.xml"

ENTRY_WITH_CRYPTO = """<?xml version="1.0" standalone="yes"?>
<sdnList xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://tempuri.org/sdnList.xsd">
  <publshInformation><Publish_Date>12/31/2021</Publish_Date><Record_Count>1</Record_Count></publshInformation>
  <sdnEntry><uid>1</uid><firstName>Test</firstName><lastName>PERSON</lastName><sdnType>Individual</sdnType>
    <programList><program>CYBER2</program></programList>
    <idList><id><uid>2</uid><idType>Digital Currency Address - XBT</idType><idNumber>1abc</idNumber></id>
      <id><uid>3</uid><idType>Passport</idType><idNumber>A123</idNumber><idCountry>Iran</idCountry>
      <issueDate>10 Jul 1991</issueDate><expirationDate>09 Jun 2009</expirationDate></id>
      <id><uid>4</uid><idType>Some New Label</idType><idNumber>X9</idNumber></id></idList>
  </sdnEntry>
</sdnList>
"""


def by_ref() -> dict:
    return {entity.source_ref: entity for entity in ofac_xml.parse(CONS_XML).entities}


def test_golden(golden) -> None:
    golden.check_json(
        "lists/ofac_xml/consolidated_extract_2018-04.json", ofac_xml.parse(CONS_XML).model_dump(mode="json")
    )


def test_identity() -> None:
    parsed = ofac_xml.parse(CONS_XML)
    assert parsed.list_id == "us_ofac_cons"
    assert parsed.format == "ofac_xml"
    assert parsed.publisher_date == "2018-04-06"  # Publish_Date 04/06/2018 is month first
    assert {entity.source for entity in parsed.entities} == {"us_ofac_cons"}


def test_list_id_from_file_name_then_content(tmp_path: Path) -> None:
    sdn = tmp_path / "sdn.xml"
    shutil.copy(CONS_XML, sdn)
    assert ofac_xml.parse(sdn).list_id == "us_ofac_sdn"
    neutral = tmp_path / "list.xml"
    shutil.copy(CONS_XML, neutral)
    assert ofac_xml.parse(neutral).list_id == "us_ofac_cons"  # NS-PLC entries only exist off the SDN list
    (tmp_path / "other.xml").write_text(ENTRY_WITH_CRYPTO, encoding="utf-8")
    assert ofac_xml.parse(tmp_path / "other.xml").list_id == "us_ofac_sdn"


def test_vessel() -> None:
    vessel = by_ref()["15036"]
    assert vessel.type is EntityType.VESSEL
    assert any(i.type == "imo" and i.number == "9187629" for i in vessel.identifiers)
    assert vessel.properties["vessel_flag"] == ["Tanzania"]
    assert vessel.properties["former_vessel_flag"] == ["Malta", "Tuvalu", "None Identified"]
    assert vessel.properties["linked_to"] == ["NATIONAL IRANIAN TANKER COMPANY"]
    assert all(name.kind is NameKind.FORMER for name in vessel.names[1:])


def test_person_birth_and_weak_alias() -> None:
    entities = by_ref()
    person = entities["9639"]
    assert person.names[0].full == "HANIYA, Ismail Abdul Salah"
    assert person.names[0].parts == {"family": "HANIYA", "given": "Ismail Abdul Salah"}
    assert person.birth_dates[0].date == "1962"
    assert person.birth_places[0].full == "Shati"
    assert person.programs == ["NS-PLC"]
    weak = [name for name in entities["4637"].names if name.kind is NameKind.WEAK_ALIAS]
    assert weak
    assert weak[0].quality == "weak"


def test_passport_and_citizenship() -> None:
    entities = by_ref()
    assert any(i.type == "passport" for i in entities["15960"].identifiers)
    citizen = entities["16134"]
    assert any(n.note == "citizenship" and n.country_code for n in citizen.nationalities)


def test_id_list_crypto_dates_and_unknown_labels(tmp_path: Path) -> None:
    """Synthetic entry: the 2018 fixture predates OFAC's digital currency identifiers."""
    path = tmp_path / "sdn.xml"
    path.write_text(ENTRY_WITH_CRYPTO, encoding="utf-8")
    parsed = ofac_xml.parse(path)
    assert parsed.publisher_date == "2021-12-31"
    identifiers = parsed.entities[0].identifiers
    assert identifiers[0].type == "crypto_wallet"
    assert identifiers[0].note == "currency: XBT"
    assert identifiers[1].issued == "1991-07-10"
    assert identifiers[1].expires == "2009-06-09"
    assert identifiers[1].country_code == "ir"
    assert identifiers[2].type == "other"
    assert identifiers[2].note == "Some New Label"


def test_detection() -> None:
    assert ofac_xml.detect(CONS_XML)
    assert not ofac_xml.detect(UN_FILE)
    assert not ofac_xml.detect(DATA / "ofac" / "sdn_2021-07")
    assert detect_format(CONS_XML) == "ofac_xml"


def test_un_file_given_as_ofac_xml() -> None:
    with pytest.raises(ListParseError) as caught:
        parse_list(UN_FILE, format="ofac_xml")
    assert caught.value.code == "wrong_format"


def test_csv_given_as_ofac_xml() -> None:
    with pytest.raises(ListParseError) as caught:
        parse_list(DATA / "ofac" / "sdn_2021-07" / "sdn.csv", format="ofac_xml")
    assert caught.value.code == "malformed_xml"


def test_truncated(tmp_path: Path) -> None:
    data = CONS_XML.read_bytes()
    path = tmp_path / "cut.xml"
    path.write_bytes(data[: len(data) * 2 // 3])
    with pytest.raises(ListParseError) as caught:
        ofac_xml.parse(path)
    assert caught.value.code == "malformed_xml"
    assert caught.value.line is not None


@pytest.mark.parametrize(
    "payload",
    [
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
        b'<sdnList xmlns="http://tempuri.org/sdnList.xsd"><sdnEntry><uid>&b;</uid></sdnEntry></sdnList>',
        b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<sdnList xmlns="http://tempuri.org/sdnList.xsd"><sdnEntry><uid>&x;</uid></sdnEntry></sdnList>',
    ],
    ids=["billion_laughs", "xxe"],
)
def test_hostile_xml(tmp_path: Path, payload: bytes) -> None:
    path = tmp_path / "sdn.xml"
    path.write_bytes(payload)
    with pytest.raises(ListParseError) as caught:
        ofac_xml.parse(path)
    assert caught.value.code == "unsafe_xml"


def test_empty_and_wrong_encoding(tmp_path: Path) -> None:
    empty = tmp_path / "empty.xml"
    empty.write_bytes(b"")
    with pytest.raises(ListParseError, match="empty"):
        ofac_xml.parse(empty)
    latin = tmp_path / "latin.xml"
    latin.write_bytes(CONS_XML.read_bytes().replace(b"<lastName>BANK", b"<lastName>\xd1BANK", 1))
    with pytest.raises(ListParseError) as caught:
        ofac_xml.parse(latin)
    assert caught.value.code == "malformed_xml"


def test_entry_without_uid(tmp_path: Path) -> None:
    path = tmp_path / "sdn.xml"
    path.write_bytes(CONS_XML.read_bytes().replace(b"<uid>4632</uid>", b"", 1))
    with pytest.raises(ListParseError) as caught:
        ofac_xml.parse(path)
    assert caught.value.field == "uid"


def test_mangled_input_raises_only_raqib_errors(tmp_path: Path) -> None:
    original = CONS_XML.read_bytes()
    rng = random.Random(2018)
    for attempt in range(60):
        data = bytearray(original)
        for _ in range(rng.randint(1, 8)):
            position = rng.randrange(len(data))
            data[position : position + rng.randint(1, 40)] = rng.randbytes(rng.randint(0, 6))
        path = tmp_path / f"mangled{attempt}.xml"
        path.write_bytes(bytes(data))
        with contextlib.suppress(RaqibError):
            ofac_xml.parse(path)
