"""OFAC legacy SDN CSV set: golden extracts, remarks parsing, encodings and broken input."""

from __future__ import annotations

import contextlib
import random
import shutil
from pathlib import Path

import pytest

from raqib.errors import ListParseError, RaqibError
from raqib.lists.model import EntityType, NameKind
from raqib.lists.parsers import detect_format, ofac_csv, parse_list

DATA = Path(__file__).parents[2] / "data" / "lists"
SDN_2021 = DATA / "ofac" / "sdn_2021-07"
SDN_2019 = DATA / "ofac" / "sdn_2019-01"
UN_FILE = DATA / "un" / "un_extract_2017-06-30.xml"


def by_ref(path: Path = SDN_2021) -> dict:
    return {entity.source_ref: entity for entity in ofac_csv.parse(path).entities}


def copy_set(tmp_path: Path, source: Path = SDN_2021) -> Path:
    target = tmp_path / "set"
    shutil.copytree(source, target)
    return target


@pytest.mark.parametrize("path", [SDN_2021, SDN_2019], ids=["2021-07", "2019-01"])
def test_golden(path: Path, golden) -> None:
    golden.check_json(f"lists/ofac_csv/{path.name}.json", ofac_csv.parse(path).model_dump(mode="json"))


def test_identity_and_source_refs() -> None:
    parsed = ofac_csv.parse(SDN_2021)
    assert parsed.list_id == "us_ofac_sdn"
    assert parsed.format == "ofac_csv"
    assert parsed.publisher_date is None  # the CSV set carries no date
    assert len(parsed.entities) == 15
    assert {entity.source for entity in parsed.entities} == {"us_ofac_sdn"}


def test_sdn_csv_path_reads_its_siblings() -> None:
    assert ofac_csv.parse(SDN_2021 / "sdn.csv") == ofac_csv.parse(SDN_2021)


def test_sdgt_person_passport() -> None:
    entity = by_ref()["2676"]
    assert entity.type is EntityType.PERSON
    assert entity.programs == ["SDGT"]
    assert entity.names[0].parts == {"family": "AL ZAWAHIRI", "given": "Dr. Ayman"}
    passports = [i for i in entity.identifiers if i.type == "passport"]
    assert passports[0].number == "1084010"
    assert passports[0].country_code == "eg"
    assert entity.birth_dates[0].date == "1951-06-19"
    assert entity.birth_places[0].country_code == "eg"


def test_passport_issue_and_expiry_dates() -> None:
    identifiers = by_ref()["6944"].identifiers
    assert any(i.issued and i.expires for i in identifiers if i.type == "passport")


def test_crypto_addresses_and_remarks_continuation() -> None:
    entity = by_ref()["29703"]
    wallets = [i for i in entity.identifiers if i.type == "crypto_wallet"]
    assert len(wallets) == 17
    assert wallets[0].number == "1Fz29BQp82pE3vXXcsZoMNQ3KSHfMzfMe3"
    assert wallets[0].note == "currency: XBT"
    # The last clauses only exist in sdn_comments.csv; the cut fell inside the word "Address".
    assert any(i.note == "currency: BSV" for i in wallets)
    assert any(i.type == "passport" and i.number == "4005504207" for i in entity.identifiers)
    assert entity.gender == "male"
    assert entity.properties["email"] == ["antonandreyv@gmail.com"]


def test_weak_aliases_from_remarks() -> None:
    entity = by_ref()["28264"]
    weak = [name.full for name in entity.names if name.kind is NameKind.WEAK_ALIAS]
    assert weak == ["blackjack1987", "khaleesi"]
    assert entity.properties["linked_to"] == ["LAZARUS GROUP"]
    assert by_ref()["306"].names[-1].full == "BNC"


def test_alias_kinds() -> None:
    entities = by_ref()
    assert any(name.kind is NameKind.FORMER and name.quality == "strong" for name in entities["4359"].names)
    nka = [name for name in entities["8244"].names if name.note and "n.k.a." in name.note]
    assert nka
    assert any(name.kind is NameKind.FORMER and name.quality == "weak" for name in entities["4243"].names)


def test_birth_date_ranges() -> None:
    circa = [d for d in by_ref()["9754"].birth_dates if d.approximate]
    assert circa
    ranges = [d for d in by_ref()["15962"].birth_dates if d.year_from is not None]
    assert ranges
    assert ranges[0].raw is not None
    assert " to " in ranges[0].raw


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("10 Dec 1948", {"date": "1948-12-10", "raw": "10 Dec 1948"}),
        ("1962", {"date": "1962"}),
        ("circa 1951", {"date": "1951", "approximate": True, "raw": "circa 1951"}),
        ("1965 to 1967", {"year_from": 1965, "year_to": 1967, "raw": "1965 to 1967"}),
        ("circa 1960-1962", {"year_from": 1960, "year_to": 1962, "approximate": True}),
        ("01 Jan 1960 to 31 Dec 1962", {"year_from": 1960, "year_to": 1962}),
        ("Feb 1971", {"date": "1971-02"}),
        ("some day", {"raw": "some day"}),
    ],
)
def test_birth_date_spellings(text: str, expected: dict) -> None:
    result = ofac_csv.birth_date(text).model_dump()
    assert {key: result[key] for key in expected} == expected


def test_vessel_and_aircraft() -> None:
    entities = by_ref()
    vessel = entities["15036"]
    assert vessel.type is EntityType.VESSEL
    assert any(i.type == "imo" and i.number == "9187629" for i in vessel.identifiers)
    assert any(i.type == "mmsi" for i in vessel.identifiers)
    assert vessel.properties["call_sign"] == ["T2EU4"]
    aircraft = entities["15431"]
    assert aircraft.type is EntityType.AIRCRAFT
    assert any(i.type == "aircraft_serial" for i in aircraft.identifiers)


def test_ssn_citizenship_website() -> None:
    entities = by_ref()
    assert any(i.note == "SSN" for i in entities["6931"].identifiers)
    assert any(n.note == "citizenship" for n in entities["6931"].nationalities)
    assert entities["10933"].properties.get("website")


def test_programs_split() -> None:
    assert ofac_csv.split_programs("SDGT] [IRGC] [IFSR") == ["SDGT", "IRGC", "IFSR"]
    assert ofac_csv.split_programs(None) == []


def test_unparsed_remarks_stay() -> None:
    assert ofac_csv.split_remarks("DOB 1962; Linked To: R D I S.A.") == ["DOB 1962", "Linked To: R D I S.A."]
    assert ofac_csv.split_remarks("DOB 1962; POB Gaza.") == ["DOB 1962", "POB Gaza"]


def test_detection() -> None:
    assert ofac_csv.detect(SDN_2021)
    assert ofac_csv.detect(SDN_2021 / "sdn.csv")
    assert not ofac_csv.detect(SDN_2021 / "add.csv")
    assert not ofac_csv.detect(UN_FILE)
    assert not ofac_csv.detect(DATA / "ofac" / "cons_2025-12")
    assert detect_format(SDN_2019) == "ofac_csv"


def test_cp1252_file_is_decoded(tmp_path: Path) -> None:
    target = copy_set(tmp_path)
    sdn = target / "sdn.csv"
    sdn.write_bytes(
        sdn.read_bytes().replace(b"BANCO NACIONAL DE CUBA", "BANCO NACIONAL DE CUBA ÑÉ".encode("cp1252"))
    )
    assert by_ref(target)["306"].names[0].full == "BANCO NACIONAL DE CUBA ÑÉ"


def test_utf16_file_is_refused(tmp_path: Path) -> None:
    target = copy_set(tmp_path)
    sdn = target / "sdn.csv"
    sdn.write_bytes(sdn.read_bytes().decode("utf-8").encode("utf-16"))
    with pytest.raises(ListParseError) as caught:
        ofac_csv.parse(target)
    assert caught.value.code == "bad_encoding"
    assert caught.value.path == str(sdn)


def test_undecodable_bytes_are_refused(tmp_path: Path) -> None:
    target = copy_set(tmp_path)
    (target / "alt.csv").write_bytes(b'36,12,"aka","AERO\x81\x8d",-0-\r\n')
    with pytest.raises(ListParseError) as caught:
        ofac_csv.parse(target)
    assert caught.value.code == "bad_encoding"


def test_wrong_number_of_columns(tmp_path: Path) -> None:
    target = copy_set(tmp_path)
    sdn = target / "sdn.csv"
    lines = sdn.read_bytes().split(b"\r\n")
    lines[2] = lines[2].rsplit(b",", 1)[0]  # drop the Remarks column of line 3
    sdn.write_bytes(b"\r\n".join(lines))
    with pytest.raises(ListParseError) as caught:
        ofac_csv.parse(target)
    assert caught.value.line == 3
    assert caught.value.code == "malformed_row"
    assert "line 3" in str(caught.value)


def test_bad_ent_num(tmp_path: Path) -> None:
    target = copy_set(tmp_path)
    alt = target / "alt.csv"
    alt.write_bytes(alt.read_bytes() + b'X1,2,"aka","NAME",-0-\r\n')
    with pytest.raises(ListParseError) as caught:
        ofac_csv.parse(target)
    assert caught.value.field == "ent_num"
    assert caught.value.path == str(alt)


def test_unterminated_quote(tmp_path: Path) -> None:
    target = copy_set(tmp_path)
    (target / "sdn_comments.csv").write_bytes(b'12300,"never closed\r\n')
    with pytest.raises(ListParseError) as caught:
        ofac_csv.parse(target)
    assert caught.value.code == "malformed_csv"


def test_un_file_given_as_ofac_csv() -> None:
    with pytest.raises(ListParseError) as caught:
        parse_list(UN_FILE, format="ofac_csv")
    assert caught.value.code == "wrong_format"
    assert str(UN_FILE) in str(caught.value)


def test_empty_sdn_csv(tmp_path: Path) -> None:
    target = copy_set(tmp_path)
    (target / "sdn.csv").write_bytes(b"")
    with pytest.raises(ListParseError) as caught:
        ofac_csv.parse(target)
    assert caught.value.code == "empty_file"


def test_directory_without_sdn_csv(tmp_path: Path) -> None:
    target = copy_set(tmp_path)
    (target / "sdn.csv").unlink()
    assert not ofac_csv.detect(target)
    with pytest.raises(ListParseError) as caught:
        ofac_csv.parse(target)
    assert caught.value.code == "missing_file"
    assert "sdn.csv" in str(caught.value)


def test_missing_alt_csv(tmp_path: Path) -> None:
    target = copy_set(tmp_path)
    (target / "alt.csv").unlink()
    with pytest.raises(ListParseError, match=r"alt\.csv is missing"):
        ofac_csv.parse(target)


def test_upper_case_file_names(tmp_path: Path) -> None:
    target = copy_set(tmp_path, SDN_2019)
    for path in list(target.iterdir()):
        path.rename(path.with_name(path.name.upper()))
    assert ofac_csv.detect(target)
    assert len(ofac_csv.parse(target).entities) == 3


def test_mangled_input_raises_only_raqib_errors(tmp_path: Path) -> None:
    """Random byte damage must give a parse or a raqib error, never a stray exception."""
    rng = random.Random(2021)
    for attempt in range(40):
        target = tmp_path / f"set{attempt}"
        shutil.copytree(SDN_2021, target)
        victim = target / rng.choice(["sdn.csv", "add.csv", "alt.csv", "sdn_comments.csv"])
        data = bytearray(victim.read_bytes())
        for _ in range(rng.randint(1, 6)):
            position = rng.randrange(len(data))
            data[position : position + rng.randint(1, 30)] = rng.randbytes(rng.randint(0, 5))
        victim.write_bytes(bytes(data))
        with contextlib.suppress(RaqibError):
            ofac_csv.parse(target)
