"""National designation CSV: the documented format, an invented sample, and every kind of bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from raqib.errors import ListParseError
from raqib.lists.model import EntityType, NameKind
from raqib.lists.parsers import detect_format, national_csv

DOCS = Path(__file__).parents[3] / "docs" / "formats" / "national-csv.md"
SAMPLE = Path(__file__).parents[2] / "data" / "lists" / "national" / "national_list_sample.csv"
HEADER = "ref,type,name_ar,name_en,aliases_ar,aliases_en,dob,pob,nationality,passport,national_id,address,listed_on,program,remarks"


def _write(tmp_path: Path, data: str | bytes, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def test_golden(golden) -> None:
    golden.check_json(
        "lists/national_csv/national_list_sample.json", national_csv.parse(SAMPLE).model_dump(mode="json")
    )


def test_detect() -> None:
    assert detect_format(SAMPLE) == "national_csv"


def test_specific_facts() -> None:
    parsed = national_csv.parse(SAMPLE)
    assert parsed.list_id == "demo_nctc"
    assert len(parsed.entities) == 10
    by_ref = {entity.source_ref: entity for entity in parsed.entities}
    assert all(entity.source == "demo_nctc" for entity in parsed.entities)

    harbi = by_ref["NCTC-P-0001"]
    assert harbi.type is EntityType.PERSON
    assert harbi.caption == "سالم عبدالرحمن يوسف الحربي"
    assert [(n.full, n.kind, n.lang) for n in harbi.names[:2]] == [
        ("سالم عبدالرحمن يوسف الحربي", NameKind.PRIMARY, "ara"),
        ("Salem Abdulrahman Yousef Al-Harbi", NameKind.PRIMARY, "eng"),
    ]
    assert [n.full for n in harbi.names if n.kind is NameKind.ALIAS] == [
        "أبو يوسف",
        "سالم الحربي",
        "Abu Yousef",
        "Salem al-Harby",
    ]
    assert harbi.birth_places[0].full == "Riyadh, Saudi Arabia"
    assert [(i.type, i.number) for i in harbi.identifiers] == [
        ("passport", "K1234567"),
        ("national_id", "1029384756"),
    ]

    shami = by_ref["NCTC-P-0003"]
    assert (shami.birth_dates[0].year_from, shami.birth_dates[0].year_to) == (1965, 1968)
    assert [n.country_code for n in shami.nationalities] == ["sy", "jo"]
    assert len(shami.addresses) == 2

    kaabi = by_ref["NCTC-P-0004"]  # Arabic name only
    assert [n.lang for n in kaabi.names] == ["ara", "ara"]
    assert kaabi.birth_dates[0].date == "1982"
    assert kaabi.birth_dates[0].approximate

    adam = by_ref["NCTC-P-0005"]  # Latin only, Arabic "circa" with Arabic-Indic digits
    assert adam.caption == "Yusuf Ibrahim Adam"
    assert (adam.birth_dates[0].date, adam.birth_dates[0].approximate) == ("1985", True)

    assert "\n" in (by_ref["NCTC-P-0007"].remarks or "")
    assert by_ref["NCTC-P-0007"].birth_dates[0].date == "1975-07"
    foundation = by_ref["NCTC-E-0001"]
    assert foundation.type is EntityType.ORGANIZATION
    assert foundation.addresses[0].full == "P.O. Box 1234, Sanaa, Yemen"


def test_docs_example_parses(tmp_path: Path) -> None:
    text = DOCS.read_text(encoding="utf-8")
    example = text.split("```csv\n", 1)[1].split("```", 1)[0]
    parsed = national_csv.parse(_write(tmp_path, example))
    assert [entity.source_ref for entity in parsed.entities] == ["NCTC-P-0001", "NCTC-P-0004", "NCTC-E-0001"]


def test_defaults_without_list_id_and_extra_columns(tmp_path: Path) -> None:
    data = "\ufeffREF,Name_EN,Gazette\nX-1,Some Person,Gazette 12/2023\n"
    parsed = national_csv.parse(_write(tmp_path, data))
    assert parsed.list_id == "national"
    entity = parsed.entities[0]
    assert (entity.source, entity.type) == ("national", EntityType.UNKNOWN)
    assert entity.properties == {"gazette": ["Gazette 12/2023"]}


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(ListParseError, match="empty"):
        national_csv.parse(_write(tmp_path, b""))


@pytest.mark.parametrize(
    ("header", "column"),
    [("type,name_ar,name_en", "ref"), ("ref,type,aliases_ar", "name_ar")],
)
def test_missing_required_column(tmp_path: Path, header: str, column: str) -> None:
    with pytest.raises(ListParseError, match=f"'{column}'") as caught:
        national_csv.parse(_write(tmp_path, header + "\nA,B,C\n"))
    assert caught.value.field == column
    assert caught.value.code == "missing_column"


def test_row_with_wrong_number_of_fields(tmp_path: Path) -> None:
    lines = SAMPLE.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3] + ",extra"
    with pytest.raises(ListParseError, match="expected 16 fields, found 17") as caught:
        national_csv.parse(_write(tmp_path, "\n".join(lines)))
    assert caught.value.line == 4


def test_line_numbers_count_multiline_cells(tmp_path: Path) -> None:
    first = ",".join(["A", "person", "", "One", *[""] * 10, '"two\nlines"'])
    second = ",".join(["B", "person", *[""] * 13])
    data = f"{HEADER}\n{first}\n{second}\n"
    with pytest.raises(ListParseError, match="neither name_ar nor name_en") as caught:
        national_csv.parse(_write(tmp_path, data))
    assert caught.value.line == 4


def test_truncated_file(tmp_path: Path) -> None:
    data = SAMPLE.read_bytes()
    cut = data.index(b"\n", len(data) // 2) + 30
    with pytest.raises(ListParseError, match="fields") as caught:
        national_csv.parse(_write(tmp_path, data[:cut]))
    assert caught.value.line is not None


@pytest.mark.parametrize("encoding", ["cp1256", "utf-16"])
def test_wrong_encoding(tmp_path: Path, encoding: str) -> None:
    data = SAMPLE.read_text(encoding="utf-8").encode(encoding, errors="replace")
    with pytest.raises(ListParseError, match="UTF-8") as caught:
        national_csv.parse(_write(tmp_path, data))
    assert caught.value.code == "bad_encoding"
    if encoding == "cp1256":
        assert caught.value.line == 2  # the first Arabic name


@pytest.mark.parametrize(
    ("row", "field", "message"),
    [
        (",person,اسم,,,,,,,,,,,,", "ref", "no ref"),
        ("A,ship,اسم,,,,,,,,,,,,", "type", "unknown type 'ship'"),
        ("A,person,اسم,,,,14/13/1978,,,,,,,,", "dob", "date of birth '14/13/1978'"),
        ("A,person,اسم,,,,1980-1970,,,,,,,,", "dob", "date of birth"),
        ("A,person,اسم,,,,,,,,,,yesterday,,", "listed_on", "listing date 'yesterday'"),
    ],
)
def test_bad_values_name_line_and_field(tmp_path: Path, row: str, field: str, message: str) -> None:
    with pytest.raises(ListParseError, match=message) as caught:
        national_csv.parse(_write(tmp_path, f"{HEADER}\n{row}\n"))
    assert (caught.value.line, caught.value.field) == (2, field)


def test_duplicate_ref(tmp_path: Path) -> None:
    data = f"{HEADER}\nA,person,اسم,,,,,,,,,,,,\nA,person,اسم آخر,,,,,,,,,,,,\n"
    with pytest.raises(ListParseError, match="duplicate ref 'A' \\(first on line 2\\)") as caught:
        national_csv.parse(_write(tmp_path, data))
    assert caught.value.line == 3


def test_mixed_list_ids(tmp_path: Path) -> None:
    data = "list_id,ref,name_en\none,A,X\ntwo,B,Y\n"
    with pytest.raises(ListParseError, match="one value") as caught:
        national_csv.parse(_write(tmp_path, data))
    assert (caught.value.line, caught.value.field) == (3, "list_id")
