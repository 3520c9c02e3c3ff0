"""UK HM Treasury OFSI Consolidated List (ConList), CSV.

One row per *name*: every alias of a designated person or entity is its own row, repeating the
entity's details, and rows sharing a ``Group ID`` are one entity. A row may also carry one of
several birth dates or addresses, so the entity gets the union of all its rows' values.

Layout handled (columns are found by header name, so column order does not matter):

* an optional title row ``Last Updated,<dd/mm/yyyy>`` before the header (the publisher's date);
* the 2016-era header ``Name 6, Name 1..5, Title, DOB, Town of Birth, Country of Birth,
  Nationality, Passport Details, NI Number, Position, Address 1..6, Post/Zip Code, Country,
  Other Information, Group Type, Alias Type, Regime, Listed On, Last Updated, Group ID``;
* the newer columns ``Name Non-Latin Script``, ``Non-Latin Script Type/Language``,
  ``Passport Number``, ``National Identification Number/Details``, ``Alias Quality`` and
  ``UK Sanctions List Date Designated`` when present;
* a header with a leading blank cell, with or without the matching blank cell in the data rows
  (an artefact of some re-exported extracts).

Dates are day first; ``00`` marks an unknown day or month (``00/00/1980`` is the year 1980).
Numbered lists in a cell (``(1) Saudi Arabia (2) Qatar``, ``a) General, b) Minister``) are split.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

from raqib.errors import ListParseError
from raqib.lists.model import Address, BirthDate, Entity, EntityType, Identifier, Name, NameKind, ParsedList
from raqib.lists.parsers._common import clean, country_code, decode_text, read_bytes, sniff

FORMAT = "uk_csv"
LIST_ID = "gb_hmt_ofsi"
TITLE = "UK HM Treasury OFSI Consolidated List of Financial Sanctions Targets"

_SNIFF_BYTES = 4096
# Older ConList files are Windows-1252 (0x92 for the apostrophe); newer ones UTF-8.
_ENCODINGS = ("utf-8-sig", "cp1252")
_REQUIRED = ("Name 6", "Group Type", "Group ID")
_NAME_COLUMNS = ("Name 1", "Name 2", "Name 3", "Name 4", "Name 5")
_ADDRESS_COLUMNS = ("Address 1", "Address 2", "Address 3", "Address 4", "Address 5", "Address 6")

_GROUP_TYPES = {
    "individual": EntityType.PERSON,
    "entity": EntityType.ORGANIZATION,
    "ship": EntityType.VESSEL,
}
_ALIAS_TYPES = {
    "prime alias": NameKind.PRIMARY,
    "primary name": NameKind.PRIMARY,
    "aka": NameKind.ALIAS,
    "alias": NameKind.ALIAS,
    "primary name variation": NameKind.ALIAS,
    "fka": NameKind.FORMER,
}

# "(1) x (2) y", "1) x 2) y", "a) x, b) y", "(a) x (b) y": the markers of a numbered list in a cell.
_NUMBERED = re.compile(r"(?:^|(?<=[\s,;]))\(?(?:\d{1,2}|[a-h])\)\s*")
_RANGE_PREFIX = re.compile(r"^\(\d\)\s*-\s*\(\d\)\s*")  # "(1)-(2) Indonesia": one value for all
_DOCUMENT_NUMBER = re.compile(r"(?<![\w/-])(?=[A-Za-z0-9/-]*\d)[A-Za-z0-9][A-Za-z0-9/-]{3,}")
_UN_REFERENCE = re.compile(
    r"UN\s*Ref(?:erence)?(?:\s*No)?\s*[.:]?\s*([A-Za-z]{1,4}\.[A-Za-z0-9.]*[A-Za-z0-9])", re.I
)
_IMO = re.compile(r"\bIMO(?:\s*(?:number|no))?\s*[.:]?\s*(\d{7})\b", re.I)
_T = TypeVar("_T")


def detect(path: Path) -> bool:
    """True for a CSV file whose first bytes contain the ConList header columns."""
    if path.suffix.lower() not in {".csv", ".txt"}:
        return False
    head = sniff(path, _SNIFF_BYTES)
    return b"Name 6" in head and b"Group ID" in head and b"Alias Type" in head


@dataclass
class _Group:
    """The rows of one Group ID, folded into one entity as they come."""

    entity: Entity
    listed_on: list[str] = field(default_factory=list)
    last_updated: list[str] = field(default_factory=list)
    remarks: list[str] = field(default_factory=list)


def parse(path: Path) -> ParsedList:
    """Parse an OFSI ConList CSV into a :class:`ParsedList`, one entity per Group ID.

    Raises:
        ListParseError: the file is empty, not decodable, has no ConList header or misses a
            required column (named), or a row has the wrong number of fields (line number).
    """
    text = decode_text(read_bytes(path), path, _ENCODINGS)
    if "\x00" in text:
        raise ListParseError(
            "the file contains NUL bytes (UTF-16?); save it as UTF-8 or Windows-1252 CSV",
            path=str(path),
            code="bad_encoding",
        )
    reader = csv.reader(io.StringIO(text, newline=""))
    publisher_date: str | None = None
    header: list[str] | None = None
    header_line = 0
    try:
        for row in reader:
            cells = [cell.strip() for cell in row]
            if "Name 6" in cells:
                header, header_line = cells, reader.line_num
                break
            if cells and cells[0].lower() == "last updated" and len(cells) > 1:
                publisher_date = _date(cells[1])
        if header is None:
            raise ListParseError(
                "no ConList header row (a row with 'Name 6', 'Group Type', 'Group ID') was found",
                path=str(path),
                code="missing_header",
            )
        for required in _REQUIRED:
            if required not in header:
                raise ListParseError(
                    f"required column {required!r} is missing",
                    path=str(path),
                    line=header_line,
                    field=required,
                    code="missing_column",
                )
        groups = _read_rows(reader, header, path)
    except csv.Error as err:
        raise ListParseError(
            f"malformed CSV: {err}", path=str(path), line=reader.line_num, code="malformed_csv"
        ) from err

    entities = []
    for group in groups.values():
        entity = group.entity
        entity.listed_on = min(group.listed_on) if group.listed_on else None
        entity.remarks = "\n".join(group.remarks) or None
        if group.last_updated:
            entity.properties["last_updated"] = [max(group.last_updated)]
        entities.append(entity)
    if publisher_date is None:
        # No title row (a re-exported extract): the latest row change is the best date available.
        publisher_date = max((date for group in groups.values() for date in group.last_updated), default=None)
    return ParsedList(
        list_id=LIST_ID, title=TITLE, format=FORMAT, publisher_date=publisher_date, entities=entities
    )


def _read_rows(reader: Any, header: list[str], path: Path) -> dict[str, _Group]:
    """Fold the data rows (``reader`` is a ``csv.reader`` past the header) into groups."""
    groups: dict[str, _Group] = {}
    columns: list[str] | None = None
    line = reader.line_num
    for row in reader:
        # line_num counts physical lines; a quoted cell may span several, so remember the start.
        start_line, line = line + 1, reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if columns is None:
            columns = header
            if header[0] == "" and len(row) == len(header) - 1:
                columns = header[1:]  # the blank header cell has no data column under it
        if len(row) != len(columns) and not (
            len(row) > len(columns) and not any(cell.strip() for cell in row[len(columns) :])
        ):
            raise ListParseError(
                f"expected {len(columns)} fields, found {len(row)}",
                path=str(path),
                line=start_line,
                code="wrong_field_count",
            )
        record = {name: cell for name, cell in zip(columns, row, strict=False) if name}
        group_id = clean(record.get("Group ID"))
        if group_id is None:
            raise ListParseError(
                "the row has no Group ID",
                path=str(path),
                line=start_line,
                field="Group ID",
                code="missing_field",
            )
        group = groups.get(group_id)
        if group is None:
            entity_type = _GROUP_TYPES.get(
                (clean(record.get("Group Type")) or "").lower(), EntityType.UNKNOWN
            )
            group = groups[group_id] = _Group(Entity(source=LIST_ID, source_ref=group_id, type=entity_type))
        _fold_row(group, record)
    return groups


def _fold_row(group: _Group, record: dict[str, str]) -> None:
    entity = group.entity

    def value(column: str) -> str | None:
        return clean(record.get(column))

    _name(entity, record)
    for title in _split(value("Title")):
        _append(entity.titles, title)
    for position in _split(value("Position")):
        _append(entity.designations, position)
    if dob := value("DOB"):
        _append(entity.birth_dates, _birth_date(dob))
    _birth_places(entity, value("Town of Birth"), value("Country of Birth"))
    for nationality in _split(value("Nationality")):
        _append(entity.nationalities, Address(country=nationality, country_code=country_code(nationality)))
    for number_column, details_column, kind in (
        ("Passport Number", "Passport Details", "passport"),
        ("National Identification Number", "National Identification Details", "national_id"),
        (None, "NI Number", "national_id"),
    ):
        _identifiers(entity, value(number_column) if number_column else None, value(details_column), kind)
    _address(entity, record)
    if regime := value("Regime"):
        _append(entity.programs, regime)
    if other := value("Other Information"):
        _append(group.remarks, other)
        for reference in _UN_REFERENCE.findall(other):
            _add(entity.properties, "un_reference", reference)
        for imo in _IMO.findall(other):
            _append(entity.identifiers, Identifier(type="imo", number=imo))
            if entity.type is EntityType.ORGANIZATION:
                entity.type = EntityType.VESSEL  # older lists file ships as "Entity"; an IMO number is a ship
    for column, target in (("Listed On", group.listed_on), ("Last Updated", group.last_updated)):
        if (date := _date(value(column) or "")) is not None:
            _append(target, date)
    if designated := _date(value("UK Sanctions List Date Designated") or ""):
        _add(entity.properties, "uk_designated_on", designated)


def _name(entity: Entity, record: dict[str, str]) -> None:
    given = [part for column in _NAME_COLUMNS if (part := clean(record.get(column)))]
    family = clean(record.get("Name 6"))
    full = clean(" ".join([*given, family or ""]))
    alias_type = (clean(record.get("Alias Type")) or "").lower()
    quality = clean(record.get("Alias Quality"))
    kind = _ALIAS_TYPES.get(alias_type, NameKind.ALIAS)
    if kind is NameKind.ALIAS and quality is not None and quality.lower().startswith("low"):
        kind = NameKind.WEAK_ALIAS
    if full is not None:
        parts: dict[str, str] = {}
        if entity.type is EntityType.PERSON:  # Name 1..5/Name 6 are name parts only for people
            parts = {f"given{index}": part for index, part in enumerate(given, start=1)}
            if family:
                parts["family"] = family
        _add_name(entity, Name(full=full, kind=kind, parts=parts, quality=quality))
    if original := clean(record.get("Name Non-Latin Script")):
        script = clean(record.get("Non-Latin Script Type"))
        language = clean(record.get("Non-Latin Script Language"))
        _add_name(
            entity,
            Name(
                full=original,
                kind=NameKind.ORIGINAL_SCRIPT,
                lang=_language(language or script),
                note=f"{script} script" if script else None,
            ),
        )


def _add_name(entity: Entity, name: Name) -> None:
    if all((existing.full, existing.kind) != (name.full, name.kind) for existing in entity.names):
        entity.names.append(name)


def _date(text: str) -> str | None:
    """``dd/mm/yyyy`` with ``00`` for unknown parts -> ISO prefix; None when not a date."""
    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", text)
    if match is None:
        return None
    day, month, year = (int(group) for group in match.groups())
    if year == 0:
        return None
    if month == 0 or month > 12:
        return f"{year:04d}"
    if day == 0 or day > 31:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _birth_date(text: str) -> BirthDate:
    date = _date(text)
    if date is None:
        return BirthDate(raw=text)
    plain = re.fullmatch(r"\d{2}/\d{2}/\d{4}", text) is not None and "00/" not in text
    return BirthDate(date=date, raw=None if plain else text)


def _birth_places(entity: Entity, towns_text: str | None, countries_text: str | None) -> None:
    towns = _split(towns_text)
    countries = _split(_RANGE_PREFIX.sub("", countries_text or "") or None)
    if len(countries) == len(towns):
        pairs = list(zip(towns, countries, strict=True))
    elif len(countries) == 1:
        pairs = [(town, countries[0]) for town in towns] or [(None, countries[0])]
    else:
        pairs = [(town, None) for town in towns] + [(None, country) for country in countries]
    for town, country in pairs:
        full = ", ".join(part for part in (town, country) if part)
        place = Address(full=full, city=town, country=country, country_code=country_code(country))
        _append(entity.birth_places, place)


def _identifiers(entity: Entity, number: str | None, details: str | None, kind: str) -> None:
    if number is not None:
        _append(entity.identifiers, Identifier(type=kind, number=number, note=details))
        return
    context = ""
    for piece in _split(details):
        match = _DOCUMENT_NUMBER.search(piece)
        if match is None:
            context = piece  # e.g. "Jordanian passport numbers" before "(1) K048787 (2) 486298"
            continue
        note = piece if piece != match.group(0) else None
        if context and note is None:
            note = context
        _append(entity.identifiers, Identifier(type=kind, number=match.group(0), note=note))


def _address(entity: Entity, record: dict[str, str]) -> None:
    lines = [part for column in _ADDRESS_COLUMNS if (part := clean(record.get(column)))]
    postal_code = clean(record.get("Post/Zip Code"))
    country = clean(record.get("Country"))
    full = ", ".join([*lines, *(part for part in (postal_code, country) if part)]) or None
    if full is None:
        return
    # Which of Address 1..6 holds the street or the city varies from row to row, so only the
    # whole address, the postcode and the country are mapped to fields.
    address = Address(
        full=full,
        postal_code=postal_code,
        country=country,
        country_code=country_code(country),
    )
    _append(entity.addresses, address)


def _split(text: str | None) -> list[str]:
    """Split a numbered-list cell into its items; a plain cell is one item."""
    if text is None:
        return []
    if not _NUMBERED.search(text):
        return [text]
    items = []
    for piece in _NUMBERED.split(text):
        item = clean(piece.strip(" ,;"))
        if item:
            items.append(item)
    return items


@cache
def _language(text: str | None) -> str | None:
    if text is None:
        return None
    from followthemoney import registry

    return registry.language.clean(text) or text


def _add(properties: dict[str, list[str]], key: str, value: str) -> None:
    values = properties.setdefault(key, [])
    if value not in values:
        values.append(value)


def _append(items: list[_T], item: _T) -> None:
    if item not in items:
        items.append(item)


__all__ = ["FORMAT", "LIST_ID", "TITLE", "detect", "parse"]
