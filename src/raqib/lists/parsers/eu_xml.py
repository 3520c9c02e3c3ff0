"""EU Financial Sanctions Files (FSF) consolidated list, XML export schema 1.1.

The European Commission publishes the consolidated list of persons, groups and entities subject
to EU financial sanctions as ``<export xmlns="http://eu.europa.ec/fpi/fsd/export">`` with one
``sanctionEntity`` per listed subject. Every detail (name alias, citizenship, birth date, address,
identification) is its own element with its own ``logicalId`` and regulation summary.

Mapping choices:

* ``source_ref`` is the ``euReferenceNumber`` (``EU.4001.41``), stable across exports; the
  ``logicalId`` is the fallback and is always kept in ``properties["logical_id"]``.
* The first strong ``nameAlias`` is the primary name; other strong aliases are aliases, aliases
  with ``strong="false"`` are weak aliases and names written in a non-Latin script (the Arabic
  ``nameLanguage="AR"`` aliases) are ``original_script`` names.
* Country code ``00`` (``UNKNOWN``) means "no country" and is dropped.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET  # types only; parsing goes through _common.parse_xml
from functools import cache
from pathlib import Path
from typing import TypeVar

from raqib.errors import ListParseError
from raqib.lists.model import Address, BirthDate, Entity, EntityType, Identifier, Name, NameKind, ParsedList
from raqib.lists.parsers._common import clean, iso_date, local_name, parse_xml, sniff

FORMAT = "eu_xml"
LIST_ID = "eu_fsf"
TITLE = "EU Financial Sanctions Files (consolidated)"
NAMESPACE = "http://eu.europa.ec/fpi/fsd/export"

_SNIFF_BYTES = 4096
# The root element (with or without a prefix) declaring the FSF namespace; not the XSD itself.
_ROOT_PATTERN = re.compile(rb"<(?:[\w.-]+:)?export\b[^>]*http://eu\.europa\.ec/fpi/fsd/export")
_T = TypeVar("_T")

# EU identificationTypeCode -> the model's identifier types. Unknown codes become "other" and keep
# the EU description in the note.
_ID_TYPES = {
    "passport": "passport",
    "id": "national_id",
    "nationalid": "national_id",
    "ssn": "national_id",
    "tin": "tax_id",
    "fiscalcode": "tax_id",
    "regnumber": "registration",
    "imo": "imo",
    "swift": "swift_bic",
    "swiftbic": "swift_bic",
}

_GENDERS = {"M": "male", "F": "female"}


def detect(path: Path) -> bool:
    """True for an XML file whose first bytes name the FSF export namespace."""
    head = sniff(path, _SNIFF_BYTES)
    return _ROOT_PATTERN.search(head) is not None


def parse(path: Path) -> ParsedList:
    """Parse an EU FSF XML export into a :class:`ParsedList`.

    Raises:
        ListParseError: the file is empty, malformed, unsafe XML, not an FSF export, or a
            ``sanctionEntity`` lacks its ``logicalId`` or any name.
    """
    root = parse_xml(path)
    if local_name(root.tag) != "export" or _namespace(root.tag) != NAMESPACE:
        raise ListParseError(
            f"not an EU FSF export: root element is {root.tag!r}, expected 'export' in {NAMESPACE}",
            path=str(path),
            code="wrong_format",
        )
    entities = [_entity(element, path) for element in _children(root, "sanctionEntity")]
    return ParsedList(
        list_id=LIST_ID,
        title=TITLE,
        format=FORMAT,
        publisher_date=clean(root.get("generationDate")),
        entities=entities,
    )


def _namespace(tag: str) -> str:
    return tag[1:].split("}", 1)[0] if tag.startswith("{") else ""


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [child for child in element if local_name(child.tag) == name]


def _attr(element: ET.Element, name: str) -> str | None:
    return clean(element.get(name))


def _true(element: ET.Element, name: str) -> bool:
    return (element.get(name) or "").strip().lower() == "true"


def _country_code(element: ET.Element) -> str | None:
    code = _attr(element, "countryIso2Code")
    if code is None or code == "00":
        return None
    return code.lower()


def _country_name(element: ET.Element) -> str | None:
    name = _attr(element, "countryDescription")
    return None if name is None or name.upper() == "UNKNOWN" else name


def _entity(element: ET.Element, path: Path) -> Entity:
    logical_id = _attr(element, "logicalId")
    if logical_id is None:
        raise ListParseError(
            "a sanctionEntity has no logicalId", path=str(path), field="logicalId", code="missing_field"
        )
    reference = _attr(element, "euReferenceNumber")
    source_ref = reference or logical_id
    properties: dict[str, list[str]] = {"logical_id": [logical_id]}

    subject = next(iter(_children(element, "subjectType")), None)
    entity_type = EntityType.UNKNOWN
    if subject is not None:
        classification = _attr(subject, "classificationCode")
        entity_type = {"P": EntityType.PERSON, "E": EntityType.ORGANIZATION}.get(
            classification or "", EntityType.UNKNOWN
        )
        _add(properties, "subject_type", _attr(subject, "code"))

    entity = Entity(source=LIST_ID, source_ref=source_ref, type=entity_type)
    entity.listed_on = iso_date(_attr(element, "designationDate"))
    _add(properties, "un_reference", _attr(element, "unitedNationId"))
    _add(properties, "delisting_date", _attr(element, "delistingDate"))
    _add(properties, "designation_details", _attr(element, "designationDetails"))
    remarks = [text for remark in _children(element, "remark") if (text := clean(remark.text))]
    entity.remarks = "\n".join(remarks) or None
    for info in _children(element, "additionalInformation"):
        _add(properties, "additional_information", _key_value(info))

    for regulation in _children(element, "regulation"):
        programme = _attr(regulation, "programme")
        if programme and programme not in entity.programs:
            entity.programs.append(programme)
        _add(properties, "regulation", _attr(regulation, "numberTitle"))
        for url in _children(regulation, "publicationUrl"):
            _add(properties, "regulation_url", clean(url.text))

    _names(entity, element)
    if not entity.names:
        raise ListParseError(
            f"sanctionEntity {source_ref} has no name",
            path=str(path),
            field="nameAlias",
            code="missing_field",
        )
    for citizenship in _children(element, "citizenship"):
        country = _country_name(citizenship)
        code = _country_code(citizenship)
        if country or code:
            _append_unique(entity.nationalities, Address(country=country, country_code=code))
    for birth in _children(element, "birthdate"):
        _birth(entity, birth)
    for address in _children(element, "address"):
        _address(entity, address, properties)
    for identification in _children(element, "identification"):
        _identification(entity, identification)
    entity.properties = properties
    return entity


def _names(entity: Entity, element: ET.Element) -> None:
    have_primary = False
    for alias in _children(element, "nameAlias"):
        parts = {
            key: value
            for key, attribute in (("given", "firstName"), ("middle", "middleName"), ("family", "lastName"))
            if (value := _attr(alias, attribute))
        }
        full = _attr(alias, "wholeName") or clean(" ".join(parts.values()))
        if full is None:
            continue
        if gender := _GENDERS.get(_attr(alias, "gender") or ""):
            entity.gender = entity.gender or gender
        if (title := _attr(alias, "title")) and title not in entity.titles:
            entity.titles.append(title)
        if (function := _attr(alias, "function")) and function not in entity.designations:
            entity.designations.append(function)
        strong = alias.get("strong") is None or _true(alias, "strong")
        if not _is_latin(full):
            kind = NameKind.ORIGINAL_SCRIPT
        elif not strong:
            kind = NameKind.WEAK_ALIAS
        elif not have_primary:
            kind = NameKind.PRIMARY
            have_primary = True
        else:
            kind = NameKind.ALIAS
        name = Name(full=full, kind=kind, parts=parts, lang=_language(_attr(alias, "nameLanguage")))
        if all(existing.full != name.full for existing in entity.names):
            entity.names.append(name)


def _birth(entity: Entity, element: ET.Element) -> None:
    date = iso_date(_attr(element, "birthdate"))
    year = _attr(element, "year")
    if date is None and year is not None:
        month = _attr(element, "monthOfYear")
        day = _attr(element, "dayOfMonth")
        date = year
        if month is not None:
            date += f"-{int(month):02d}"
            if day is not None:
                date += f"-{int(day):02d}"
    year_from = _attr(element, "yearRangeFrom")
    year_to = _attr(element, "yearRangeTo")
    calendar = _attr(element, "calendarType")
    note = f"{calendar.lower()} calendar" if calendar and calendar != "GREGORIAN" else None
    if date is not None or year_from is not None or year_to is not None:
        birth = BirthDate(
            date=date,
            year_from=int(year_from) if year_from else None,
            year_to=int(year_to) if year_to else None,
            approximate=_true(element, "circa"),
            note=note,
        )
        _append_unique(entity.birth_dates, birth)
    city = _attr(element, "city") or _attr(element, "place")
    region = _attr(element, "region")
    country = _country_name(element)
    if city or region or country:
        full = ", ".join(part for part in (city, region, country) if part)
        place = Address(
            full=full, city=city, region=region, country=country, country_code=_country_code(element)
        )
        _append_unique(entity.birth_places, place)


def _address(entity: Entity, element: ET.Element, properties: dict[str, list[str]]) -> None:
    street = _attr(element, "street")
    po_box = _attr(element, "poBox")
    city = _attr(element, "city")
    postal_code = _attr(element, "zipCode")
    region = _attr(element, "region")
    place = _attr(element, "place")
    country = _country_name(element)
    pieces = [street, f"PO Box {po_box}" if po_box else None, place, city, postal_code, region, country]
    full = ", ".join(piece for piece in pieces if piece) or None
    if full is not None:
        address = Address(
            full=full,
            street=street,
            city=city,
            region=region,
            postal_code=postal_code,
            country=country,
            country_code=_country_code(element),
            note="address at listing time" if _true(element, "asAtListingTime") else None,
        )
        _append_unique(entity.addresses, address)
    for contact in _children(element, "contactInfo"):
        key = _attr(contact, "key")
        if key:
            _add(properties, f"contact_{key.lower()}", _attr(contact, "value"))


def _identification(entity: Entity, element: ET.Element) -> None:
    number = _attr(element, "number") or _attr(element, "latinNumber")
    if number is None:
        return
    code = (_attr(element, "identificationTypeCode") or "").lower()
    description = _attr(element, "identificationTypeDescription")
    notes = []
    if code not in _ID_TYPES and description:
        notes.append(description)
    latin = _attr(element, "latinNumber")
    if latin and latin != number:
        notes.append(f"Latin number: {latin}")
    for flag, label in (
        ("diplomatic", "diplomatic"),
        ("knownExpired", "known expired"),
        ("knownFalse", "known false"),
        ("reportedLost", "reported lost"),
        ("revokedByIssuer", "revoked by issuer"),
    ):
        if _true(element, flag):
            notes.append(label)
    if issued_by := _attr(element, "issuedBy"):
        notes.append(f"issued by {issued_by}")
    if name_on_document := _attr(element, "nameOnDocument"):
        notes.append(f"name on document: {name_on_document}")
    notes.extend(text for remark in _children(element, "remark") if (text := clean(remark.text)))
    identifier = Identifier(
        type=_ID_TYPES.get(code, "other"),
        number=number,
        country=_country_name(element),
        country_code=_country_code(element),
        issued=iso_date(_attr(element, "issueDate") or _attr(element, "validFrom")),
        expires=iso_date(_attr(element, "validTo")),
        note="; ".join(notes) or None,
    )
    _append_unique(entity.identifiers, identifier)


def _key_value(element: ET.Element) -> str | None:
    key = _attr(element, "key")
    value = _attr(element, "value")
    if value is None:
        return None
    return f"{key}: {value}" if key else value


@cache
def _language(code: str | None) -> str | None:
    """EU two-letter language code -> ISO 639-3 (``AR`` -> ``ara``), as the model's other names use."""
    if code is None:
        return None
    from followthemoney import registry

    return registry.language.clean(code.lower()) or code.lower()


def _is_latin(text: str) -> bool:
    """True when every letter of ``text`` is Latin (so the name is not an original-script name)."""
    letters = [char for char in text if char.isalpha()]
    return all("LATIN" in unicodedata.name(char, "") for char in letters)


def _add(properties: dict[str, list[str]], key: str, value: str | None) -> None:
    if value is None:
        return
    values = properties.setdefault(key, [])
    if value not in values:
        values.append(value)


def _append_unique(items: list[_T], item: _T) -> None:
    if item not in items:
        items.append(item)


__all__ = ["FORMAT", "LIST_ID", "TITLE", "detect", "parse"]
