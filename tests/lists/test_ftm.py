"""FtM export: valid FtM for every entity type, a golden export, and the FtM -> Raqib -> FtM round trip."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from followthemoney import model

from raqib.lists.ftm import entity_to_ftm, ftm_id, sanction_to_ftm, write_ftm
from raqib.lists.model import Address, BirthDate, Entity, EntityType, Identifier, Name, NameKind
from raqib.lists.parsers import ftm_json

FTM_DATA = Path(__file__).parents[1] / "data" / "lists" / "ftm"


def _entities() -> list[Entity]:
    """One entity per type, built from the model (the parsers are tested on their own)."""
    person = Entity(
        source="un_sc",
        source_ref="QDi.401",
        type=EntityType.PERSON,
        names=[
            Name(
                full="Ghalib Abdullah al-Zaidi",
                parts={"given": "Ghalib", "middle": "Abdullah", "family": "al-Zaidi"},
            ),
            Name(full="غالب عبدالله الزيدي", kind=NameKind.ORIGINAL_SCRIPT, lang="ara"),
            Name(full="Ghalib Abdallah Ali al-Zaydi", kind=NameKind.ALIAS),
            Name(full="Ghalib al Zaydi", kind=NameKind.WEAK_ALIAS),
        ],
        gender="male",
        birth_dates=[
            BirthDate(date="1975"),
            BirthDate(year_from=1968, year_to=1970),
            BirthDate(date="1971", approximate=True),
        ],
        birth_places=[
            Address(city="Raqqah Region", region="Marib Governorate", country="Yemen", country_code="ye")
        ],
        nationalities=[Address(country="Yemen", country_code="ye")],
        identifiers=[
            Identifier(type="passport", number="05456123", country_code="ye"),
            Identifier(type="national_id", number="0134852"),
        ],
        addresses=[Address(full="Marib Governorate, Yemen", country_code="ye")],
        programs=["Al-Qaida"],
        listed_on="2017-02-22",
        titles=["Sheikh"],
        designations=["AQAP leader"],
        remarks="A leader of AQAP.",
        properties={"un_reference": ["QDi.401"], "logical_id": ["117001"]},
    )
    organization = Entity(
        source="gb_hmt_ofsi",
        source_ref="10657",
        type=EntityType.ORGANIZATION,
        names=[Name(full="3M MIZAN MACHINERY MANUFACTURING"), Name(full="3MG", kind=NameKind.ALIAS)],
        nationalities=[Address(country="Iran", country_code="ir")],
        identifiers=[
            Identifier(type="registration", number="1037739044111"),
            Identifier(type="swift_bic", number="MIZNIRTH"),
            Identifier(type="tax_id", number="7725056162"),
        ],
        addresses=[Address(street="PO Box 16595-365", city="Tehran", country="Iran")],
        programs=["Iran (nuclear proliferation)"],
        listed_on="2008-06-24",
    )
    vessel = Entity(
        source="gb_hmt_ofsi",
        source_ref="13556",
        type=EntityType.VESSEL,
        names=[Name(full="TONG SAN 2")],
        identifiers=[Identifier(type="imo", number="8937675")],
        nationalities=[Address(country="North Korea", country_code="kp")],
        programs=["North Korea"],
    )
    aircraft = Entity(
        source="us_ofac_sdn",
        source_ref="18070",
        type=EntityType.AIRCRAFT,
        names=[Name(full="EP-MNE"), Name(full="Mahan Air A310", kind=NameKind.ALIAS)],
        identifiers=[Identifier(type="registration", number="EP-MNE")],
    )
    unknown = Entity(
        source="national",
        source_ref="NCTC E/0003",
        names=[Name(full="كتائب الفجر", lang="ara"), Name(full="Al-Fajr Brigades", lang="eng")],
        identifiers=[Identifier(type="other", number="X-1")],
    )
    return [person, organization, vessel, aircraft, unknown]


def test_golden_export(golden) -> None:
    stream = io.StringIO()
    lines = write_ftm(_entities(), stream)
    records = [json.loads(line) for line in stream.getvalue().splitlines()]
    assert lines == len(records) == 8  # 5 things + 3 sanctions (the aircraft and the last have no programme)
    golden.check_json("lists/ftm_export/five_types.json", records)


def test_export_is_valid_ftm() -> None:
    for entity in _entities():
        for record in (entity_to_ftm(entity), sanction_to_ftm(entity)):
            if record is None:
                continue
            # Re-cleaning through FtM changes nothing: every value is already valid.
            proxy = model.get_proxy(record, cleaned=False)
            assert proxy.to_dict() == record
            assert proxy.schema.name == record["schema"]


def test_schemata_and_values() -> None:
    person, organization, vessel, aircraft, unknown = (entity_to_ftm(e) for e in _entities())
    assert [r["schema"] for r in (person, organization, vessel, aircraft, unknown)] == [
        "Person",
        "Organization",
        "Vessel",
        "Airplane",
        "LegalEntity",
    ]
    props = person["properties"]
    assert person["id"] == "raqib-un-sc-QDi.401"
    assert props["name"] == ["Ghalib Abdullah al-Zaidi", "غالب عبدالله الزيدي"]
    assert props["weakAlias"] == ["Ghalib al Zaydi"]
    assert props["birthDate"] == ["1975", "1968", "1969", "1970", "1971"]
    assert props["passportNumber"] == ["05456123"]
    assert props["idNumber"] == ["0134852"]
    assert props["nationality"] == ["ye"]
    assert props["topics"] == ["sanction"]
    assert props["middleName"] == ["Abdullah"]
    assert "logical_id" not in props
    assert organization["properties"]["address"] == ["PO Box 16595-365, Tehran, Iran"]
    assert organization["properties"]["swiftBic"] == ["MIZNIRTH"]
    assert vessel["properties"]["imoNumber"] == ["IMO8937675"]
    assert unknown["id"] == "raqib-national-NCTC-E-0003"
    sanction = sanction_to_ftm(_entities()[0])
    assert sanction is not None
    assert sanction["properties"]["entity"] == [person["id"]]
    assert sanction["properties"]["listingDate"] == ["2017-02-22"]
    assert sanction["properties"]["unscId"] == ["QDi.401"]


def test_ids_are_stable_and_case_sensitive() -> None:
    entity = Entity(source="eu_fsf", source_ref="NK-2GdmHtZTeNXjNVrBGEXZNj")
    other = Entity(source="eu_fsf", source_ref="NK-2gdmhtztenxjnvrbgexznj")
    assert ftm_id(entity) == "raqib-eu-fsf-NK-2GdmHtZTeNXjNVrBGEXZNj"
    assert ftm_id(entity) != ftm_id(other)
    long = Entity(source="national", source_ref="x" * 300)
    assert len(ftm_id(long)) <= 200  # followthemoney ENTITY_ID_LEN
    assert ftm_id(long) != ftm_id(Entity(source="national", source_ref="x" * 299))


@pytest.mark.parametrize("fixture", ["os_t1_entities.ftm.json", "demo_sanctions.ftm.json"])
def test_round_trip_keeps_names_dates_and_identifiers(tmp_path: Path, fixture: str) -> None:
    first = ftm_json.parse(FTM_DATA / fixture)
    exported = tmp_path / "export.ftm.json"
    with exported.open("w", encoding="utf-8") as stream:
        write_ftm(first.entities, stream)
    second = ftm_json.parse(exported, list_id=first.list_id)
    assert len(second.entities) == len(first.entities)
    for before, after in zip(first.entities, second.entities, strict=True):
        assert after.source_ref == ftm_id(before)
        assert after.type is before.type
        assert {(n.full, n.kind) for n in after.names} == {(n.full, n.kind) for n in before.names}
        assert [b.date for b in after.birth_dates] == [b.date for b in before.birth_dates]
        assert {(i.type, i.number) for i in after.identifiers} == {
            (i.type, i.number) for i in before.identifiers
        }
        assert {c.country_code for c in after.nationalities} == {c.country_code for c in before.nationalities}
        assert after.gender == before.gender
        assert after.programs == before.programs
        assert after.listed_on == before.listed_on
        assert after.remarks == before.remarks
        assert {a.full for a in after.addresses} == {a.full for a in before.addresses}
