"""National designation list as CSV: the simple format a national committee can publish.

Documented for list publishers in ``docs/formats/national-csv.md``. UTF-8 (a BOM is fine), a
header row, one row per designated person or organisation, Arabic and Latin names side by side.
Columns (order free, names case-insensitive):

``ref`` (required), ``type``, ``name_ar``, ``name_en`` (at least one name per row),
``aliases_ar``, ``aliases_en``, ``dob``, ``pob``, ``nationality``, ``passport``, ``national_id``,
``address``, ``listed_on``, ``program``, ``remarks`` and the optional ``list_id``. Multi-valued
cells separate values with ``|``. Any other column is kept verbatim in ``properties``.

Both names are the list's own main name, so both are ``primary`` (Arabic first, so the Arabic
name is the caption); aliases are ``alias``. Every problem is reported with its line and column.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from raqib.errors import ListParseError
from raqib.lists.model import Address, BirthDate, Entity, EntityType, Identifier, Name, NameKind, ParsedList
from raqib.lists.parsers._common import clean, country_code, decode_text, iso_date, read_bytes, sniff

FORMAT = "national_csv"
DEFAULT_LIST_ID = "national"
TITLE = "National designation list"

_SNIFF_BYTES = 4096
_SEPARATOR = "|"
_COLUMNS = (
    "ref",
    "type",
    "name_ar",
    "name_en",
    "aliases_ar",
    "aliases_en",
    "dob",
    "pob",
    "nationality",
    "passport",
    "national_id",
    "address",
    "listed_on",
    "program",
    "remarks",
    "list_id",
)
_TYPES = {
    "person": EntityType.PERSON,
    "individual": EntityType.PERSON,
    "فرد": EntityType.PERSON,
    "شخص": EntityType.PERSON,
    "organization": EntityType.ORGANIZATION,
    "organisation": EntityType.ORGANIZATION,
    "entity": EntityType.ORGANIZATION,
    "كيان": EntityType.ORGANIZATION,
    "منظمة": EntityType.ORGANIZATION,
}
# Arabic-Indic and Eastern Arabic-Indic digits -> ASCII, so "١٩٧٠" is a year too.
_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
_CIRCA = re.compile(r"^(?:circa|ca\.?|c\.|about|approx\.?|حوالي|حوالى|تقريبا|تقريباً)\s*(\d{4})$", re.I)
_RANGE = re.compile(r"^(\d{4})\s*[-–/]\s*(\d{4})$")


def detect(path: Path) -> bool:
    """True for a CSV file whose header has ``ref`` and ``name_ar`` or ``name_en``."""
    if path.suffix.lower() not in {".csv", ".txt"}:
        return False
    head = sniff(path, _SNIFF_BYTES).decode("utf-8-sig", errors="ignore")
    header = {cell.strip().strip('"').lower() for cell in head.splitlines()[0].split(",")} if head else set()
    return "ref" in header and bool(header & {"name_ar", "name_en"})


def parse(path: Path) -> ParsedList:
    """Parse a national designation CSV.

    Raises:
        ListParseError: the file is empty or not UTF-8, the header lacks ``ref`` or both name
            columns (named), or a row has the wrong number of fields, no reference, a duplicate
            reference, no name, an unknown type or an unreadable date (line and column given).
    """
    text = _decode(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header_row = next(reader, None)
        if header_row is None:
            raise ListParseError("the file has no header row", path=str(path), code="missing_header")
        header = [cell.strip().lower() for cell in header_row]
        _check_header(header, path)
        entities: list[Entity] = []
        list_ids: dict[str, int] = {}
        seen: dict[str, int] = {}
        line = reader.line_num
        for row in reader:
            # line_num counts physical lines; a quoted cell may span several, so keep the start.
            start_line, line = line + 1, reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                raise ListParseError(
                    f"expected {len(header)} fields, found {len(row)}",
                    path=str(path),
                    line=start_line,
                    code="wrong_field_count",
                )
            record = dict(zip(header, row, strict=True))
            entity = _entity(record, path, start_line)
            if entity.source_ref in seen:
                raise ListParseError(
                    f"duplicate ref {entity.source_ref!r} (first on line {seen[entity.source_ref]})",
                    path=str(path),
                    line=start_line,
                    field="ref",
                    code="duplicate_reference",
                )
            seen[entity.source_ref] = start_line
            if list_id := clean(record.get("list_id")):
                list_ids.setdefault(list_id, start_line)
            entities.append(entity)
    except csv.Error as err:
        raise ListParseError(
            f"malformed CSV: {err}", path=str(path), line=reader.line_num, code="malformed_csv"
        ) from err
    if len(list_ids) > 1:
        first, second = list(list_ids)[:2]
        raise ListParseError(
            f"the list_id column must hold one value; found {first!r} and {second!r}",
            path=str(path),
            line=list_ids[second],
            field="list_id",
            code="mixed_list_id",
        )
    list_id = next(iter(list_ids), DEFAULT_LIST_ID)
    for entity in entities:
        entity.source = list_id
    return ParsedList(list_id=list_id, title=TITLE, format=FORMAT, publisher_date=None, entities=entities)


def _decode(path: Path) -> str:
    data = read_bytes(path)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:_SNIFF_BYTES]:
        raise ListParseError(
            "the file is UTF-16; the national CSV format is UTF-8 (save as 'CSV UTF-8')",
            path=str(path),
            code="bad_encoding",
        )
    try:
        return decode_text(data, path, ("utf-8-sig",))
    except ListParseError as err:
        raise ListParseError(
            f"{err.message.split(': ', 1)[-1]}; the national CSV format is UTF-8 "
            "(a Windows Arabic/cp1256 file must be saved as 'CSV UTF-8')",
            path=str(path),
            line=err.line,
            code="bad_encoding",
        ) from err


def _check_header(header: list[str], path: Path) -> None:
    if "ref" not in header:
        raise ListParseError(
            "required column 'ref' is missing", path=str(path), line=1, field="ref", code="missing_column"
        )
    if "name_ar" not in header and "name_en" not in header:
        raise ListParseError(
            "a name column is required: 'name_ar' or 'name_en' (or both)",
            path=str(path),
            line=1,
            field="name_ar",
            code="missing_column",
        )
    duplicates = sorted({column for column in header if column and header.count(column) > 1})
    if duplicates:
        raise ListParseError(
            f"column {duplicates[0]!r} appears twice",
            path=str(path),
            line=1,
            field=duplicates[0],
            code="duplicate_column",
        )


def _values(record: dict[str, str], column: str) -> list[str]:
    return [value for piece in (record.get(column) or "").split(_SEPARATOR) if (value := clean(piece))]


def _entity(record: dict[str, str], path: Path, line: int) -> Entity:
    def fail(column: str, message: str, code: str = "invalid_value") -> ListParseError:
        return ListParseError(message, path=str(path), line=line, field=column, code=code)

    ref = clean(record.get("ref"))
    if ref is None:
        raise fail("ref", "the row has no ref", "missing_field")
    type_text = clean(record.get("type"))
    entity_type = EntityType.UNKNOWN
    if type_text is not None:
        if type_text.lower() not in _TYPES:
            raise fail("type", f"unknown type {type_text!r}; use 'person' or 'organization'")
        entity_type = _TYPES[type_text.lower()]
    entity = Entity(source=DEFAULT_LIST_ID, source_ref=ref, type=entity_type)

    for column, lang in (("name_ar", "ara"), ("name_en", "eng")):
        if full := clean(record.get(column)):
            entity.names.append(Name(full=full, kind=NameKind.PRIMARY, lang=lang))
    if not entity.names:
        raise fail("name_ar", "the row has neither name_ar nor name_en", "missing_field")
    for column, lang in (("aliases_ar", "ara"), ("aliases_en", "eng")):
        for alias in _values(record, column):
            if all(name.full != alias for name in entity.names):
                entity.names.append(Name(full=alias, kind=NameKind.ALIAS, lang=lang))

    for text in _values(record, "dob"):
        birth = _birth_date(text)
        if birth is None:
            raise fail(
                "dob",
                f"cannot read the date of birth {text!r}; use YYYY-MM-DD, YYYY, YYYY-YYYY or 'circa YYYY'",
            )
        entity.birth_dates.append(birth)
    for place in _values(record, "pob"):
        entity.birth_places.append(Address(full=place, country_code=country_code(place)))
    for nationality in _values(record, "nationality"):
        entity.nationalities.append(Address(country=nationality, country_code=country_code(nationality)))
    for column, kind in (("passport", "passport"), ("national_id", "national_id")):
        for number in _values(record, column):
            entity.identifiers.append(Identifier(type=kind, number=number))
    for address in _values(record, "address"):
        entity.addresses.append(Address(full=address))
    entity.programs = _values(record, "program")
    if listed_text := clean(record.get("listed_on")):
        listed_on = iso_date(listed_text.translate(_DIGITS))
        if listed_on is None:
            raise fail("listed_on", f"cannot read the listing date {listed_text!r}; use YYYY-MM-DD")
        entity.listed_on = listed_on
    entity.remarks = (record.get("remarks") or "").strip() or None  # line breaks are the author's
    for column, value in record.items():
        if column and column not in _COLUMNS and (cleaned := clean(value)):
            entity.properties[column] = [cleaned]
    return entity


def _birth_date(text: str) -> BirthDate | None:
    """ISO date or prefix, ``YYYY-YYYY`` range or ``circa YYYY``; None when unreadable."""
    normalised = text.translate(_DIGITS).strip()
    if match := _CIRCA.match(normalised):
        return BirthDate(date=match.group(1), approximate=True, raw=text)
    if match := _RANGE.match(normalised):
        start, end = int(match.group(1)), int(match.group(2))
        if start <= end:
            return BirthDate(year_from=start, year_to=end, raw=text)
        return None
    date = iso_date(normalised)
    if date is None:
        return None
    return BirthDate(date=date, raw=None if date == text else text)


__all__ = ["DEFAULT_LIST_ID", "FORMAT", "TITLE", "detect", "parse"]
