"""Canada: Consolidated Canadian Autonomous Sanctions List (SEMA and JVCFOR), XML.

Global Affairs Canada publishes ``<data-set>`` with one flat ``<record>`` per listed person,
entity or ship: ``Country`` (the regulation: ``Syria / Syrie``, or the JVCFOR regulation's name),
``LastName``/``GivenName`` or ``Entity`` (newer files: ``EntityOrShip``), ``Title``
(``TitleOrShip``), ``Aliases`` (one comma-separated cell), ``DateOfBirth``
(``DateOfBirthOrShipBuildDate``), ``ShipIMONumber``, ``Schedule``, ``Item`` and, in newer files,
``DateOfListing``. Unknown elements are kept in ``properties``.

``source_ref`` is ``<country>/<schedule>/<item>`` (``syria/2/60``, ``russia/1-part-2/12``,
``jvcfor/1/3``): the item number within a regulation's schedule is what Canada keeps stable
between versions, so diffs line up.

Aliases need care: for people the cell often holds only a *variant of one name part*
(``Andrei`` for Andrey Igorevich AKIMOV, ``PASHENKO`` for PASHCHENKO). A lone ``Andrei`` is
useless for screening, so a partial alias whose words each closely match a word of the primary
name is applied to the primary name (``Andrei Igorevich AKIMOV``, noted as such); other short
aliases (nicknames such as ``Motorola``) are kept as written, single words as weak aliases.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # types only; parsing goes through _common.parse_xml
from pathlib import Path

from rapidfuzz import fuzz

from raqib.errors import ListParseError
from raqib.lists.model import BirthDate, Entity, EntityType, Identifier, Name, NameKind, ParsedList
from raqib.lists.parsers._common import clean, iso_date, local_name, parse_xml, sniff

FORMAT = "ca_xml"
LIST_ID = "ca_sema"
TITLE = "Consolidated Canadian Autonomous Sanctions List (SEMA, JVCFOR)"

_SNIFF_BYTES = 4096
# A partial alias word must be this similar (rapidfuzz ratio, 0-100) to a word of the primary
# name to be read as a spelling variant of it: "Andrei"/"Andrey" 83, "Hajizadeh"/"Zadeh" 71 (no).
_VARIANT_SIMILARITY = 75.0
_KNOWN = {
    "Country",
    "LastName",
    "GivenName",
    "Entity",
    "EntityOrShip",
    "Title",
    "TitleOrShip",
    "Aliases",
    "DateOfBirth",
    "DateOfBirthOrShipBuildDate",
    "ShipIMONumber",
    "Schedule",
    "Item",
    "DateOfListing",
}


def detect(path: Path) -> bool:
    """True for an XML file that starts like the SEMA ``<data-set><record><Country>`` layout."""
    head = sniff(path, _SNIFF_BYTES)
    return b"<data-set" in head and b"<record>" in head and b"<Country>" in head


def parse(path: Path) -> ParsedList:
    """Parse the Canadian consolidated autonomous sanctions list XML.

    Raises:
        ListParseError: the file is empty, malformed or unsafe XML, not a ``data-set``, or a
            record lacks its Country, Item or any name (the record number is given).
    """
    root = parse_xml(path)
    if local_name(root.tag) != "data-set":
        raise ListParseError(
            f"not a Canadian sanctions list: root element is {root.tag!r}, expected 'data-set'",
            path=str(path),
            code="wrong_format",
        )
    entities = []
    seen: set[str] = set()
    for number, record in enumerate((child for child in root if local_name(child.tag) == "record"), start=1):
        entity = _entity(record, number, path)
        if entity.source_ref in seen:
            raise ListParseError(
                f"record {number}: duplicate reference {entity.source_ref!r} (Country/Schedule/Item)",
                path=str(path),
                field="Item",
                code="duplicate_reference",
            )
        seen.add(entity.source_ref)
        entities.append(entity)
    return ParsedList(list_id=LIST_ID, title=TITLE, format=FORMAT, publisher_date=None, entities=entities)


def _texts(record: ET.Element) -> dict[str, str]:
    values: dict[str, str] = {}
    for child in record:
        text = clean(child.text)
        if text is not None:
            values[local_name(child.tag)] = text
    return values


def _required(values: dict[str, str], name: str, number: int, path: Path) -> str:
    value = values.get(name)
    if value is None:
        raise ListParseError(
            f"record {number} has no {name}", path=str(path), field=name, code="missing_field"
        )
    return value


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _regulation(country: str) -> str:
    """``Syria / Syrie`` -> ``Syria``; the JVCFOR regulation's long bilingual name -> ``JVCFOR``."""
    english = country.split(" / ", 1)[0].strip()
    if acronym := re.search(r"\(([A-Z]{3,})\)", english):
        return acronym.group(1)
    return english


def _entity(record: ET.Element, number: int, path: Path) -> Entity:
    values = _texts(record)
    country = _required(values, "Country", number, path)
    item = _required(values, "Item", number, path)
    schedule = values.get("Schedule")
    regulation = _regulation(country)
    schedule_key = "na" if schedule is None or schedule.upper() == "N/A" else _slug(schedule)
    source_ref = f"{_slug(regulation)}/{schedule_key}/{_slug(item)}"

    family = values.get("LastName")
    given = values.get("GivenName")
    organisation = values.get("EntityOrShip") or values.get("Entity")
    imo = values.get("ShipIMONumber")
    if family or given:
        entity_type = EntityType.PERSON
    elif imo:
        entity_type = EntityType.VESSEL
    elif organisation:
        entity_type = EntityType.ORGANIZATION
    else:
        raise ListParseError(
            f"record {number} ({source_ref}) has no LastName, GivenName or Entity",
            path=str(path),
            field="LastName",
            code="missing_field",
        )
    entity = Entity(source=LIST_ID, source_ref=source_ref, type=entity_type, programs=[regulation])
    properties: dict[str, list[str]] = {"regulation": [country], "item": [item]}
    if schedule is not None:
        properties["schedule"] = [schedule]

    if entity_type is EntityType.PERSON:
        parts = {key: value for key, value in (("given", given), ("family", family)) if value}
        primary = Name(full=" ".join(parts.values()), kind=NameKind.PRIMARY, parts=parts)
    else:
        primary = Name(full=str(organisation), kind=NameKind.PRIMARY)
    entity.names.append(primary)
    if organisation and entity_type is EntityType.PERSON:
        entity.names.append(Name(full=organisation, kind=NameKind.ALIAS))
    for alias in _aliases(values.get("Aliases"), primary, entity_type):
        if all(existing.full != alias.full for existing in entity.names):
            entity.names.append(alias)

    title = values.get("TitleOrShip") or values.get("Title")
    if title:
        entity.titles.append(title)
    birth = values.get("DateOfBirthOrShipBuildDate") or values.get("DateOfBirth")
    if birth and entity_type is EntityType.VESSEL:
        properties["build_date"] = [birth]
    elif birth:
        entity.birth_dates = _birth_dates(birth)
    if imo:
        entity.identifiers.append(Identifier(type="imo", number=imo))
    entity.listed_on = iso_date(values.get("DateOfListing"))
    for name, value in values.items():
        if name not in _KNOWN:
            properties[name] = [value]
    entity.properties = properties
    return entity


def _birth_dates(text: str) -> list[BirthDate]:
    """``1972-08-10 or 1972-08-11`` -> two dates; unparsable text is kept as ``raw``."""
    births = []
    pieces = [piece.strip() for piece in re.split(r"\s+or\s+|;", text) if piece.strip()]
    for piece in pieces:
        date = iso_date(piece)
        if len(pieces) > 1:
            raw: str | None = text  # keep "A or B" so the alternative is visible
        else:
            raw = None if date == piece else piece
        births.append(BirthDate(date=date, raw=raw))
    return births


def _aliases(text: str | None, primary: Name, entity_type: EntityType) -> list[Name]:
    if text is None:
        return []
    names = []
    for piece in text.split(","):
        alias = clean(piece.strip().strip("()"))
        if alias is None:
            continue
        if entity_type is EntityType.PERSON:
            expanded = _apply_variant(alias, primary.full)
            if expanded is not None:
                names.append(
                    Name(
                        full=expanded,
                        kind=NameKind.ALIAS,
                        note=f"list alias {alias!r} applied to the primary name",
                    )
                )
                continue
        kind = NameKind.WEAK_ALIAS if len(alias.split()) == 1 else NameKind.ALIAS
        names.append(Name(full=alias, kind=kind))
    return names


def _apply_variant(alias: str, primary: str) -> str | None:
    """Replace the words of ``primary`` that ``alias``'s words are spelling variants of.

    Returns None unless ``alias`` is shorter than ``primary`` and every alias word closely
    matches a different primary word (so nicknames and full alternative names stay as written).
    """
    alias_words = alias.split()
    primary_words = primary.split()
    if len(alias_words) >= len(primary_words):
        return None
    replaced = list(primary_words)
    used: set[int] = set()
    for word in alias_words:
        scores = [
            (fuzz.ratio(word.lower(), candidate.lower()), index)
            for index, candidate in enumerate(primary_words)
            if index not in used
        ]
        score, index = max(scores)
        if score < _VARIANT_SIMILARITY:
            return None
        used.add(index)
        replaced[index] = word
    result = " ".join(replaced)
    return None if result == primary else result


__all__ = ["FORMAT", "LIST_ID", "TITLE", "detect", "parse"]
