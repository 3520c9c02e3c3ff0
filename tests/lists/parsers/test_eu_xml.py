"""EU FSF XML parser: a schema-valid fixture, golden output, specific facts and hostile input."""

from __future__ import annotations

from pathlib import Path

import pytest
import xmlschema

from raqib.errors import ListParseError
from raqib.lists.model import EntityType, NameKind
from raqib.lists.parsers import detect_format, eu_xml

DATA = Path(__file__).parents[2] / "data" / "lists" / "eu"
SAMPLE = DATA / "eu_fsf_sample.xml"


def test_fixture_follows_the_published_xsd() -> None:
    schema = xmlschema.XMLSchema(DATA / "schema_1_1.xsd")
    schema.validate(SAMPLE)


def test_golden(golden) -> None:
    golden.check_json("lists/eu_xml/eu_fsf_sample.json", eu_xml.parse(SAMPLE).model_dump(mode="json"))


def test_detect() -> None:
    assert eu_xml.detect(SAMPLE)
    assert detect_format(SAMPLE) == "eu_xml"
    assert not eu_xml.detect(DATA / "schema_1_1.xsd")


def test_specific_facts() -> None:
    parsed = eu_xml.parse(SAMPLE)
    assert parsed.list_id == "eu_fsf"
    assert parsed.publisher_date == "2024-05-31T17:22:13.000+02:00"
    by_ref = {entity.source_ref: entity for entity in parsed.entities}
    assert set(by_ref) == {"EU.4001.41", "EU.2771.52", "EU.2710.31", "EU.7562.53", "EU.8282.49"}

    zaidi = by_ref["EU.4001.41"]
    assert zaidi.type is EntityType.PERSON
    assert zaidi.caption == "Ghalib Abdullah al-Zaidi"
    assert zaidi.names[0].parts == {"given": "Ghalib", "middle": "Abdullah", "family": "al-Zaidi"}
    arabic = [name for name in zaidi.names if name.lang == "ara"]
    assert [(name.full, name.kind) for name in arabic] == [("غالب عبدالله الزيدي", NameKind.ORIGINAL_SCRIPT)]
    assert [name.full for name in zaidi.names if name.kind is NameKind.WEAK_ALIAS] == ["Ghalib al Zaydi"]
    assert [birth.date for birth in zaidi.birth_dates] == ["1975", "1970"]
    assert zaidi.birth_places[0].region == "Marib Governorate"
    assert zaidi.nationalities[0].country_code == "ye"
    assert zaidi.programs == ["AQL"]
    assert zaidi.listed_on == "2017-03-01"
    assert zaidi.properties["un_reference"] == ["QDi.401"]

    baghdadi = by_ref["EU.2771.52"]
    assert baghdadi.birth_dates[0].approximate
    assert baghdadi.titles == ["Dr."]
    assert baghdadi.identifiers[0].type == "national_id"
    assert baghdadi.identifiers[0].note == "Ration card number"
    assert "height: 1.65 m" in (baghdadi.remarks or "")

    soyko = by_ref["EU.7562.53"]
    assert soyko.gender == "male"
    assert soyko.birth_dates[0].date == "1971-07-03"
    assert (soyko.birth_dates[1].year_from, soyko.birth_dates[1].year_to) == (1970, 1972)
    passport = soyko.identifiers[0]
    assert (passport.type, passport.number, passport.expires) == ("passport", "MP2244551", "2022-05-13")
    assert passport.note == "known expired"

    tobacco = by_ref["EU.8282.49"]
    assert tobacco.type is EntityType.ORGANIZATION
    assert tobacco.addresses[0].postal_code == "220035"
    assert tobacco.properties["contact_web"] == ["https://intertobacco.by"]
    assert tobacco.identifiers[0].type == "registration"


def _write(tmp_path: Path, text: str | bytes, name: str = "list.xml") -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        text = text.encode("utf-8")
    path.write_bytes(text)
    return path


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ListParseError, match="empty") as caught:
        eu_xml.parse(_write(tmp_path, b""))
    assert caught.value.path == str(tmp_path / "list.xml")


def test_truncated_file(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    with pytest.raises(ListParseError, match="malformed XML") as caught:
        eu_xml.parse(_write(tmp_path, data[: len(data) // 2]))
    assert caught.value.line is not None


def test_xml_bomb_is_refused(tmp_path: Path) -> None:
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2024-01-01T00:00:00" '
        'globalFileId="1">&lol3;</export>'
    )
    with pytest.raises(ListParseError, match="unsafe XML") as caught:
        eu_xml.parse(_write(tmp_path, bomb))
    assert caught.value.code == "unsafe_xml"


def test_xxe_is_refused(tmp_path: Path) -> None:
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE export [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>'
        '<export xmlns="http://eu.europa.ec/fpi/fsd/export" generationDate="2024-01-01T00:00:00" '
        'globalFileId="1"><sanctionEntity logicalId="1"><remark>&xxe;</remark></sanctionEntity></export>'
    )
    with pytest.raises(ListParseError, match="unsafe XML"):
        eu_xml.parse(_write(tmp_path, xxe))


def test_wrong_root(tmp_path: Path) -> None:
    with pytest.raises(ListParseError, match="not an EU FSF export"):
        eu_xml.parse(_write(tmp_path, "<CONSOLIDATED_LIST/>"))


def test_entity_without_logical_id(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace('logicalId="117201" ', "", 1)
    with pytest.raises(ListParseError, match="no logicalId") as caught:
        eu_xml.parse(_write(tmp_path, text))
    assert caught.value.field == "logicalId"


def test_entity_without_names(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8").replace('wholeName="AQI"', 'wholeName=""')
    text = text.replace('wholeName="Al-Qaida in Iraq"', 'wholeName=""')
    for name in (
        "القاعده في العراق",
        "Tanzim Qa'idat Al-Jihad fi Bilad al-Rafidayn",
        "Islamic State in Iraq and the Levant",
    ):
        text = text.replace(f'wholeName="{name}"', 'wholeName=""')
    with pytest.raises(ListParseError, match=r"EU\.2710\.31 has no name") as caught:
        eu_xml.parse(_write(tmp_path, text))
    assert caught.value.field == "nameAlias"
