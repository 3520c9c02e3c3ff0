"""OFAC non-SDN consolidated CSV set: the SDN reader with other names; goldens and facts."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from raqib.errors import ListParseError
from raqib.lists.model import NameKind
from raqib.lists.parsers import detect_format, ofac_cons_csv, ofac_csv, parse_list

DATA = Path(__file__).parents[2] / "data" / "lists" / "ofac"
CONS_2025 = DATA / "cons_2025-12"
CONS_2018 = DATA / "cons_2018-04"


@pytest.mark.parametrize("path", [CONS_2025, CONS_2018], ids=["2025-12", "2018-04"])
def test_golden(path: Path, golden) -> None:
    golden.check_json(
        f"lists/ofac_cons_csv/{path.name}.json", ofac_cons_csv.parse(path).model_dump(mode="json")
    )


def by_ref(path: Path = CONS_2025) -> dict:
    return {entity.source_ref: entity for entity in ofac_cons_csv.parse(path).entities}


def test_identity() -> None:
    parsed = ofac_cons_csv.parse(CONS_2025)
    assert parsed.list_id == "us_ofac_cons"
    assert parsed.format == "ofac_cons_csv"
    assert {entity.source for entity in parsed.entities} == {"us_ofac_cons"}


def test_spillover_comments_are_joined() -> None:
    entities = by_ref()
    # 30930's weak alias only exists in cons_comments.csv
    assert any(n.full == "CCCC" and n.kind is NameKind.WEAK_ALIAS for n in entities["30930"].names)
    assert entities["17014"].properties.get("more_information")


def test_isin_and_directive_dates() -> None:
    entity = by_ref()["30882"]
    assert any(i.type == "isin" for i in entity.identifiers)
    assert entity.properties.get("listing_date")


def test_release_without_comments_file() -> None:
    entities = by_ref(CONS_2018)
    assert set(entities) == {"4632", "4637", "9639", "15036", "15960"}
    assert entities["9639"].birth_dates[0].date == "1962"


def test_same_parse_as_the_xml_of_that_release() -> None:
    """The 2018 CSV and XML releases describe the same entries: their names must agree."""
    from raqib.lists.parsers import ofac_xml

    xml = {
        e.source_ref: e for e in ofac_xml.parse(DATA / "consolidated_sdnList_extract_2018-04.xml").entities
    }
    csv = by_ref(CONS_2018)
    for ref, entity in csv.items():
        assert entity.names[0].full == xml[ref].names[0].full


def test_detection_keeps_the_two_sets_apart() -> None:
    assert ofac_cons_csv.detect(CONS_2025)
    assert ofac_cons_csv.detect(CONS_2025 / "cons_prim.csv")
    assert not ofac_cons_csv.detect(DATA / "sdn_2021-07")
    assert not ofac_csv.detect(CONS_2025)
    assert detect_format(CONS_2018) == "ofac_cons_csv"


def test_sdn_set_given_as_cons() -> None:
    with pytest.raises(ListParseError) as caught:
        parse_list(DATA / "sdn_2021-07", format="ofac_cons_csv")
    assert caught.value.code == "missing_file"
    assert "cons_prim.csv" in str(caught.value)


def test_malformed_row_line_number(tmp_path: Path) -> None:
    target = tmp_path / "set"
    shutil.copytree(CONS_2025, target)
    add = target / "cons_add.csv"
    add.write_bytes(add.read_bytes().replace(b"\r\n", b',"extra"\r\n', 1))
    with pytest.raises(ListParseError) as caught:
        ofac_cons_csv.parse(target)
    assert caught.value.line == 1
    assert caught.value.path == str(add)
