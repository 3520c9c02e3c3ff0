"""Parser for the UN Security Council Consolidated List (official XML, ``sc-sanctions.xsd``).

The file is ``<CONSOLIDATED_LIST dateGenerated=...>`` with ``INDIVIDUALS/INDIVIDUAL`` and
``ENTITIES/ENTITY`` records. The layout has been stable since at least 2017; versions differ in
formatting (one line per record in 2017, pretty-printed in 2026), in which optional elements
appear (``GENDER`` from 2018 on, alias birth details in older files) and in small spellings
(``QUALITY`` is ``Good``/``Low`` for individuals but ``a.k.a.``/``f.k.a.`` for entities; some
dates carry an ``xs:date`` time zone such as ``1966-02-02-05:00``). Every element the parser does
not map to a model field is kept verbatim in ``Entity.properties`` under its lower-cased name.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # types only; parsing goes through _common.parse_xml
from functools import cache
from pathlib import Path

from raqib.errors import ListParseError
from raqib.lists.model import Address, BirthDate, Entity, EntityType, Identifier, Name, NameKind, ParsedList
from raqib.lists.parsers._common import (
    clean,
    country_code,
    iso_date,
    local_name,
    parse_xml,
    read_bytes,
    sniff,
)

FORMAT = "un_xml"
LIST_ID = "un_sc"
TITLE = "UN Security Council Consolidated List"

_ROOT = "CONSOLIDATED_LIST"
_NAME_PARTS = (
    ("FIRST_NAME", "first"),
    ("SECOND_NAME", "second"),
    ("THIRD_NAME", "third"),
    ("FOURTH_NAME", "fourth"),
)
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
_LATIN_LETTER = re.compile(r"[A-Za-z]")
# An alias note that carries the alias in its own script, e.g. "original script: Абу Банат" or
# "Previously listed as. In Arabic: أبوبكر الجزائري".
_SCRIPT_IN_NOTE = re.compile(
    r"(?:original script|in arabic(?: script)?)\s*:\s*(?P<name>[^;()]+)", re.IGNORECASE
)
# xs:date may carry a time zone (2017-2020 files): 1966-02-02-05:00, 1966-02-02Z.
_XS_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:Z|[+-]\d{2}:\d{2})?")
_EXPIRES_IN_NOTE = re.compile(
    r"(?:expir\w*|valid until)\s+(?:on\s+)?(\d{1,2}\s+[A-Za-z]{3,9}\.?\s+\d{4}|\d{4}-\d{2}-\d{2})",
    re.IGNORECASE,
)

# Elements the parser maps to model fields; every other element goes into properties.
_HANDLED = frozenset(
    {
        *(tag for tag, _ in _NAME_PARTS),
        "NAME_ORIGINAL_SCRIPT",
        "INDIVIDUAL_ALIAS",
        "ENTITY_ALIAS",
        "INDIVIDUAL_DATE_OF_BIRTH",
        "INDIVIDUAL_PLACE_OF_BIRTH",
        "NATIONALITY",
        "NATIONALITY2",
        "INDIVIDUAL_DOCUMENT",
        "INDIVIDUAL_ADDRESS",
        "ENTITY_ADDRESS",
        "GENDER",
        "TITLE",
        "DESIGNATION",
        "UN_LIST_TYPE",
        "LIST_TYPE",
        "LISTED_ON",
        "REFERENCE_NUMBER",
        "COMMENTS1",
    }
)


def detect(path: Path) -> bool:
    """A UN consolidated list: an XML file whose root element is ``CONSOLIDATED_LIST``."""
    return b"<CONSOLIDATED_LIST" in sniff(path)


def parse(path: Path) -> ParsedList:
    """Parse one UN consolidated list XML file.

    Args:
        path: The XML file as published (``consolidated.xml``).

    Returns:
        All individuals (persons) and entities (organisations), in file order.

    Raises:
        ListParseError: The file is empty, not well-formed, unsafe XML, or not a UN list.
    """
    data = read_bytes(path)
    root = parse_xml(path, data)
    if local_name(root.tag) != _ROOT:
        raise ListParseError(
            f"not a UN consolidated list: the root element is <{local_name(root.tag)}>, expected <{_ROOT}>",
            path=str(path),
            code="wrong_format",
        )
    entities: list[Entity] = []
    for group in root:
        group_tag = local_name(group.tag)
        if group_tag not in ("INDIVIDUALS", "ENTITIES"):
            continue
        for record in group:
            tag = local_name(record.tag)
            if tag == "INDIVIDUAL":
                entities.append(_record(record, EntityType.PERSON, path))
            elif tag == "ENTITY":
                entities.append(_record(record, EntityType.ORGANIZATION, path))
    return ParsedList(
        list_id=LIST_ID,
        title=TITLE,
        format=FORMAT,
        publisher_date=clean(root.get("dateGenerated")),
        entities=entities,
    )


def _text(element: ET.Element | None) -> str | None:
    return None if element is None else clean(element.text)


def _child(record: ET.Element, tag: str) -> str | None:
    return _text(record.find(tag))


def _values(record: ET.Element, tag: str) -> list[str]:
    """Texts of ``<TAG><VALUE>..</VALUE>...</TAG>`` (repeated TAGs too), empty ones skipped."""
    found = []
    for container in record.findall(tag):
        for value in container.findall("VALUE"):
            text = _text(value)
            if text is not None:
                found.append(text)
    return found


@cache
def _country_code(name: str) -> str | None:
    # Many records repeat the same few countries; FtM's lookup is the slow part of a parse.
    return country_code(name)


def _date(text: str | None) -> str | None:
    if text is None:
        return None
    if match := _XS_DATE.fullmatch(text):
        return match.group(1)
    return iso_date(text)


def _record(record: ET.Element, entity_type: EntityType, path: Path) -> Entity:
    reference = _child(record, "REFERENCE_NUMBER")
    if reference is None:
        dataid = _child(record, "DATAID")
        raise ListParseError(
            f"a {local_name(record.tag)} record (DATAID {dataid}) has no reference number",
            path=str(path),
            field="REFERENCE_NUMBER",
            code="missing_field",
        )
    entity = Entity(source=LIST_ID, source_ref=reference, type=entity_type)
    entity.names.extend(_primary_names(record))
    entity.names.extend(_alias_names(record, entity))
    for element in record.findall("INDIVIDUAL_DATE_OF_BIRTH"):
        birth_date = _birth_date(element)
        if birth_date is not None:
            entity.birth_dates.append(birth_date)
    for element in record.findall("INDIVIDUAL_PLACE_OF_BIRTH"):
        place = _address(element)
        if place is not None:
            entity.birth_places.append(place)
    for tag in ("NATIONALITY", "NATIONALITY2"):
        for country in _values(record, tag):
            entity.nationalities.append(Address(country=country, country_code=_country_code(country)))
    for element in record.findall("INDIVIDUAL_DOCUMENT"):
        _document(element, entity)
    for tag in ("INDIVIDUAL_ADDRESS", "ENTITY_ADDRESS"):
        for element in record.findall(tag):
            address = _address(element)
            if address is not None:
                entity.addresses.append(address)
    gender = _child(record, "GENDER")
    if gender is not None:
        if gender.lower() in ("male", "female"):
            entity.gender = gender.lower()
        else:
            entity.properties.setdefault("gender", []).append(gender)  # "Unknown": kept as given
    entity.titles.extend(_values(record, "TITLE"))
    entity.designations.extend(_values(record, "DESIGNATION"))
    un_list_type = _child(record, "UN_LIST_TYPE")
    if un_list_type is not None:
        entity.programs.append(un_list_type)
    entity.programs.extend(value for value in _values(record, "LIST_TYPE") if value not in entity.programs)
    listed_on = _child(record, "LISTED_ON")
    entity.listed_on = _date(listed_on)
    if listed_on is not None and entity.listed_on is None:
        entity.properties.setdefault("listed_on", []).append(listed_on)
    entity.remarks = _child(record, "COMMENTS1")
    _other_properties(record, entity)
    return entity


def _primary_names(record: ET.Element) -> list[Name]:
    names = []
    parts = {key: value for tag, key in _NAME_PARTS if (value := _child(record, tag)) is not None}
    if parts:
        names.append(Name(full=" ".join(parts.values()), kind=NameKind.PRIMARY, parts=parts))
    for element in record.findall("NAME_ORIGINAL_SCRIPT"):
        original = _text(element)
        if original is not None:
            names.append(Name(full=original, kind=NameKind.ORIGINAL_SCRIPT, lang=_script_lang(original)))
    return names


def _script_lang(text: str) -> str | None:
    return "ara" if _ARABIC.search(text) else None


def _alias_kind(quality: str | None) -> NameKind:
    lowered = (quality or "").lower()
    if "low" in lowered:  # "Low", "a.k.a low quality"
        return NameKind.WEAK_ALIAS
    if lowered.startswith("f.k.a"):
        return NameKind.FORMER
    return NameKind.ALIAS


def _alias_names(record: ET.Element, entity: Entity) -> list[Name]:
    names = []
    for element in (*record.findall("INDIVIDUAL_ALIAS"), *record.findall("ENTITY_ALIAS")):
        alias = _child(element, "ALIAS_NAME")
        if alias is None:
            continue  # the UN writes an empty <INDIVIDUAL_ALIAS> when there is none
        quality = _child(element, "QUALITY")
        note = _child(element, "NOTE")
        names.append(Name(full=alias, kind=_alias_kind(quality), quality=quality, note=note))
        if note is not None:
            for match in _SCRIPT_IN_NOTE.finditer(note):
                scripted = clean(match.group("name").rstrip(" .,"))
                if scripted is not None and not _LATIN_LETTER.search(scripted):
                    names.append(
                        Name(
                            full=scripted,
                            kind=NameKind.ORIGINAL_SCRIPT,
                            lang=_script_lang(scripted),
                            note=f"from the note of alias {alias!r}",
                        )
                    )
        # Older files give birth details per alias; they describe the same person.
        alias_birth = _date(_child(element, "DATE_OF_BIRTH"))
        if alias_birth is not None:
            entity.birth_dates.append(BirthDate(date=alias_birth, note=f"given for alias {alias!r}"))
        city, country = _child(element, "CITY_OF_BIRTH"), _child(element, "COUNTRY_OF_BIRTH")
        if city is not None or country is not None:
            entity.birth_places.append(
                Address(
                    full=", ".join(part for part in (city, country) if part),
                    city=city,
                    country=country,
                    country_code=_country_code(country) if country else None,
                    note=f"given for alias {alias!r}",
                )
            )
    return names


def _birth_date(element: ET.Element) -> BirthDate | None:
    kind = (_child(element, "TYPE_OF_DATE") or "").upper()
    exact = _child(element, "DATE")
    year = _child(element, "YEAR")
    year_from, year_to = _child(element, "FROM_YEAR"), _child(element, "TO_YEAR")
    note = _child(element, "NOTE")
    if not any((exact, year, year_from, year_to, note)):
        return None
    date = _date(exact) if exact is not None else _date(year)
    raw_source = exact if exact is not None else year
    raw = raw_source if raw_source is not None and date is None else None
    approximate = kind == "APPROXIMATELY" or (note is not None and note.lower() == "approximately")
    return BirthDate(
        date=date,
        year_from=_year(year_from),
        year_to=_year(year_to),
        approximate=approximate,
        raw=raw,
        note=note,
    )


def _year(text: str | None) -> int | None:
    return int(text) if text is not None and text.isdigit() else None


def _address(element: ET.Element) -> Address | None:
    street, city = _child(element, "STREET"), _child(element, "CITY")
    region, postal = _child(element, "STATE_PROVINCE"), _child(element, "ZIP_CODE")
    country, note = _child(element, "COUNTRY"), _child(element, "NOTE")
    if not any((street, city, region, postal, country, note)):
        return None
    full = ", ".join(part for part in (street, city, region, postal, country) if part) or None
    return Address(
        full=full,
        street=street,
        city=city,
        region=region,
        postal_code=postal,
        country=country,
        country_code=_country_code(country) if country else None,
        note=note,
    )


def _document_type(labels: list[str]) -> str:
    # TYPE_OF_DOCUMENT decides; TYPE_OF_DOCUMENT2 only refines an unknown one (a Russian
    # "national passport number" under "National Identification Number" is an identity number).
    for label in labels:
        text = label.lower()
        if any(word in text for word in ("passport", "passeport", "pasaporte")):
            return "passport"
        if any(word in text for word in ("identification", "identity", "id card", "tazkira", "national id")):
            return "national_id"
    return "other"


def _document(element: ET.Element, entity: Entity) -> None:
    labels: list[str] = []
    for tag in ("TYPE_OF_DOCUMENT", "TYPE_OF_DOCUMENT2"):
        label = _child(element, tag)
        if label is not None and label not in labels:
            labels.append(label)
    number = _child(element, "NUMBER")
    issuing, country_of_issue = _child(element, "ISSUING_COUNTRY"), _child(element, "COUNTRY_OF_ISSUE")
    city = _child(element, "CITY_OF_ISSUE")
    issued = _child(element, "DATE_OF_ISSUE")
    note = _child(element, "NOTE")
    if not any((labels, number, issuing, country_of_issue, city, issued, note)):
        return
    country = issuing or country_of_issue
    note_parts = list(labels)
    if city is not None:
        note_parts.append(f"issued in {city}")
    if issuing is not None and country_of_issue is not None and country_of_issue != issuing:
        note_parts.append(f"country of issue {country_of_issue}")
    if note is not None:
        note_parts.append(note)
    if number is None:
        # No number means nothing to match on; keep the fact as text rather than a fake identifier.
        described = "; ".join(note_parts + ([f"country {country}"] if country else []))
        entity.properties.setdefault("document", []).append(described)
        return
    expires_match = _EXPIRES_IN_NOTE.search(note) if note else None
    entity.identifiers.append(
        Identifier(
            type=_document_type(labels),
            number=number,
            country=country,
            country_code=_country_code(country) if country else None,
            issued=_date(issued) or issued,
            expires=_date(expires_match.group(1)) if expires_match else None,
            note="; ".join(note_parts) or None,
        )
    )


def _other_properties(record: ET.Element, entity: Entity) -> None:
    for child in record:
        tag = local_name(child.tag)
        if tag in _HANDLED:
            continue
        key = tag.lower()
        if len(child) == 0:
            text = _text(child)
            if text is not None:
                entity.properties.setdefault(key, []).append(text)
            continue
        for grandchild in child:
            text = _text(grandchild)
            if text is None:
                continue
            sub = local_name(grandchild.tag)
            entity.properties.setdefault(key if sub == "VALUE" else f"{key}.{sub.lower()}", []).append(text)


__all__ = ["FORMAT", "LIST_ID", "TITLE", "detect", "parse"]
