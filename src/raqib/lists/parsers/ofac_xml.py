"""Parser for OFAC lists in the ``sdnList`` XML format (``sdn.xml``, ``consolidated.xml``).

Both OFAC's SDN list and its non-SDN consolidated list are published in this format (namespace
``http://tempuri.org/sdnList.xsd``): ``publshInformation`` (sic) with ``Publish_Date`` in US
order (MM/DD/YYYY), then one ``sdnEntry`` per listing with ``akaList``, ``addressList``,
``idList``, ``dateOfBirthList``, ``placeOfBirthList``, ``nationalityList``, ``citizenshipList``,
``programList`` and ``vesselInfo``.

Which list a file is, the format does not say. The parser decides, in this order:

1. the file name: ``cons`` in it (``consolidated.xml``, ``cons_...``) -> ``us_ofac_cons``;
   otherwise ``sdn`` in it (``sdn.xml``) -> ``us_ofac_sdn``;
2. the content: a programme found only on the non-SDN lists (``NS-PLC``, ``561List``,
   ``NS-ISA``, ``FSE-*``, ``NS-MBS``, ``CMIC``-style ``NS-CMIC*``) -> ``us_ofac_cons``;
3. otherwise ``us_ofac_sdn``.

Identifier types are OFAC's labels mapped through the table shared with :mod:`ofac_csv`; labels
that are facts rather than identifiers (``Website``, ``Email Address``, ``Former Vessel Flag``,
``Additional Sanctions Information -`` ...) go into properties.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET  # types only; parsing goes through _common.parse_xml
from pathlib import Path

from raqib.errors import ListParseError
from raqib.lists.model import Address, Entity, EntityType, Identifier, Name, NameKind, ParsedList
from raqib.lists.parsers._common import clean, iso_date, local_name, parse_xml, read_bytes, sniff
from raqib.lists.parsers.ofac_cons_csv import LIST_ID as CONS_LIST_ID
from raqib.lists.parsers.ofac_csv import LIST_ID as SDN_LIST_ID
from raqib.lists.parsers.ofac_csv import (
    birth_date,
    cached_country_code,
    identifier_from_label,
    place,
    property_key,
)

FORMAT = "ofac_xml"
NAMESPACE = "http://tempuri.org/sdnList.xsd"
TITLES = {
    SDN_LIST_ID: "OFAC Specially Designated Nationals and Blocked Persons List (SDN)",
    CONS_LIST_ID: "OFAC Consolidated Sanctions List (non-SDN)",
}

_NS = f"{{{NAMESPACE}}}"
_NON_SDN_PROGRAMS = re.compile(r"NS-PLC|561LIST|NS-ISA|FSE-.*|NS-MBS|NS-CMIC.*", re.IGNORECASE)
_LINKED_TO = re.compile(r"Linked To:\s*([^;)]+?)\s*(?:[;)]|\.?$)")
_US_DATE = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_ENTITY_TYPES = {
    "individual": EntityType.PERSON,
    "entity": EntityType.ORGANIZATION,
    "vessel": EntityType.VESSEL,
    "aircraft": EntityType.AIRCRAFT,
}
_AKA_KINDS = {"a.k.a.": NameKind.ALIAS, "f.k.a.": NameKind.FORMER, "n.k.a.": NameKind.ALIAS}
_VESSEL_PROPERTIES = (
    ("callSign", "call_sign"),
    ("vesselType", "vessel_type"),
    ("vesselFlag", "vessel_flag"),
    ("vesselOwner", "vessel_owner"),
    ("tonnage", "tonnage"),
    ("grossRegisteredTonnage", "gross_registered_tonnage"),
)
_HANDLED = frozenset(
    {
        "uid",
        "firstName",
        "lastName",
        "title",
        "sdnType",
        "remarks",
        "programList",
        "idList",
        "akaList",
        "addressList",
        "nationalityList",
        "citizenshipList",
        "dateOfBirthList",
        "placeOfBirthList",
        "vesselInfo",
    }
)


def detect(path: Path) -> bool:
    """An ``sdnList`` XML file: the root element and OFAC's namespace within the first 4 KB."""
    head = sniff(path)
    return b"<sdnList" in head and NAMESPACE.encode() in head


def parse(path: Path) -> ParsedList:
    """Parse an OFAC ``sdnList`` XML file (SDN or non-SDN consolidated list).

    Args:
        path: ``sdn.xml``, ``consolidated.xml`` or another file in the ``sdnList`` format.

    Returns:
        One entity per ``sdnEntry``, with ``uid`` as ``source_ref``; the list id is decided as
        the module docstring describes.

    Raises:
        ListParseError: The file is empty, not well-formed, unsafe XML, or not an sdnList.
    """
    root = parse_xml(path, read_bytes(path))
    if root.tag != f"{_NS}sdnList":
        raise ListParseError(
            f"not an OFAC sdnList file: the root element is <{local_name(root.tag)}> "
            f"(expected <sdnList> in namespace {NAMESPACE})",
            path=str(path),
            code="wrong_format",
        )
    entities = [_entry(entry, path) for entry in root.iterfind(f"{_NS}sdnEntry")]
    list_id = _list_id(path, entities)
    for entity in entities:
        entity.source = list_id
    return ParsedList(
        list_id=list_id,
        title=TITLES[list_id],
        format=FORMAT,
        publisher_date=_publish_date(root),
        entities=entities,
    )


def _list_id(path: Path, entities: list[Entity]) -> str:
    name = path.name.lower()
    if "cons" in name:
        return CONS_LIST_ID
    if "sdn" in name:
        return SDN_LIST_ID
    if any(_NON_SDN_PROGRAMS.fullmatch(program) for entity in entities for program in entity.programs):
        return CONS_LIST_ID
    return SDN_LIST_ID


def _publish_date(root: ET.Element) -> str | None:
    text = _text(root.find(f"{_NS}publshInformation/{_NS}Publish_Date"))
    if text is None:
        return None
    if match := _US_DATE.fullmatch(text):  # OFAC writes MM/DD/YYYY
        month, day, year = (int(group) for group in match.groups())
        return f"{year:04d}-{month:02d}-{day:02d}"
    return iso_date(text) or text


def _text(element: ET.Element | None) -> str | None:
    return None if element is None else clean(element.text)


def _get(element: ET.Element, tag: str) -> str | None:
    return _text(element.find(f"{_NS}{tag}"))


def _items(entry: ET.Element, list_tag: str, item_tag: str) -> list[ET.Element]:
    return entry.findall(f"{_NS}{list_tag}/{_NS}{item_tag}")


def _full_name(last: str | None, first: str | None) -> str:
    # The CSV set writes persons as "LAST, First"; keep the two formats comparable.
    return ", ".join(part for part in (last, first) if part)


def _entry(entry: ET.Element, path: Path) -> Entity:
    uid = _get(entry, "uid")
    if uid is None:
        raise ListParseError("an sdnEntry has no uid", path=str(path), field="uid", code="missing_field")
    sdn_type = _get(entry, "sdnType")
    entity_type = _ENTITY_TYPES.get((sdn_type or "").lower(), EntityType.UNKNOWN)
    entity = Entity(source=SDN_LIST_ID, source_ref=uid, type=entity_type)
    if entity_type is EntityType.UNKNOWN and sdn_type is not None:
        entity.properties["sdn_type"] = [sdn_type]
    last, first = _get(entry, "lastName"), _get(entry, "firstName")
    if last is None and first is None:
        raise ListParseError(
            f"sdnEntry {uid} has no name", path=str(path), field="lastName", code="missing_field"
        )
    entity.names.append(
        Name(full=_full_name(last, first), kind=NameKind.PRIMARY, parts=_parts(entity, last, first))
    )
    for aka in _items(entry, "akaList", "aka"):
        _alias(aka, entity)
    title = _get(entry, "title")
    if title is not None:
        entity.titles.append(title)
    entity.remarks = _get(entry, "remarks")
    if entity.remarks is not None:
        # Remarks are free text here, but links to other entries are worth a property.
        entity.properties.setdefault("linked_to", []).extend(_LINKED_TO.findall(entity.remarks))
        if not entity.properties["linked_to"]:
            del entity.properties["linked_to"]
    entity.programs.extend(p for e in _items(entry, "programList", "program") if (p := _text(e)))
    for element in _items(entry, "idList", "id"):
        _identifier(element, entity)
    for element in _items(entry, "addressList", "address"):
        address = _address(element)
        if address is not None:
            entity.addresses.append(address)
    for element in _items(entry, "dateOfBirthList", "dateOfBirthItem"):
        text = _get(element, "dateOfBirth")
        if text is not None:
            entity.birth_dates.append(birth_date(text, note=_not_main(element)))
    for element in _items(entry, "placeOfBirthList", "placeOfBirthItem"):
        text = _get(element, "placeOfBirth")
        if text is not None:
            entity.birth_places.append(place(text, note=_not_main(element)))
    for list_tag, item_tag, note in (
        ("nationalityList", "nationality", None),
        ("citizenshipList", "citizenship", "citizenship"),
    ):
        for element in _items(entry, list_tag, item_tag):
            country = _get(element, "country")
            if country is not None:
                extra = _not_main(element)
                entity.nationalities.append(
                    Address(
                        country=country,
                        country_code=cached_country_code(country),
                        note="; ".join(part for part in (note, extra) if part) or None,
                    )
                )
    vessel = entry.find(f"{_NS}vesselInfo")
    if vessel is not None:
        for tag, key in _VESSEL_PROPERTIES:
            value = _get(vessel, tag)
            if value is not None:
                entity.properties.setdefault(key, []).append(value)
    for child in entry:
        tag = local_name(child.tag)
        if tag not in _HANDLED and (value := _text(child)) is not None:
            entity.properties.setdefault(tag, []).append(value)
    return entity


def _not_main(element: ET.Element) -> str | None:
    return "not the main entry" if (_get(element, "mainEntry") or "true").lower() == "false" else None


def _alias(aka: ET.Element, entity: Entity) -> None:
    last, first = _get(aka, "lastName"), _get(aka, "firstName")
    if last is None and first is None:
        return
    aka_type = _get(aka, "type") or "a.k.a."
    category = _get(aka, "category")
    kind = _AKA_KINDS.get(aka_type.lower(), NameKind.ALIAS)
    if category is not None and category.lower() == "weak" and kind is NameKind.ALIAS:
        kind = NameKind.WEAK_ALIAS
    note = aka_type if aka_type.lower() not in ("a.k.a.", "f.k.a.") else None
    entity.names.append(
        Name(
            full=_full_name(last, first),
            kind=kind,
            parts=_parts(entity, last, first),
            quality=category,
            note=note,
        )
    )


def _parts(entity: Entity, last: str | None, first: str | None) -> dict[str, str]:
    if entity.type is not EntityType.PERSON:
        return {}
    return {key: value for key, value in (("family", last), ("given", first)) if value}


def _identifier(element: ET.Element, entity: Entity) -> None:
    label, number = _get(element, "idType"), _get(element, "idNumber")
    if label is None or number is None:
        return
    country = _get(element, "idCountry")
    identifier = identifier_from_label(label, number, country)
    if identifier is None:
        key = property_key(label)
        if key is not None:
            entity.properties.setdefault(key, []).append(number)
            return
        # An idType we do not know yet is still an identifier: keep it, labelled.
        identifier = Identifier(
            type="other",
            number=number,
            country=country,
            country_code=cached_country_code(country),
            note=label,
        )
    issued, expires = _get(element, "issueDate"), _get(element, "expirationDate")
    identifier.issued = (iso_date(issued) or issued) if issued else None
    identifier.expires = (iso_date(expires) or expires) if expires else None
    entity.identifiers.append(identifier)


def _address(element: ET.Element) -> Address | None:
    street = (
        ", ".join(line for tag in ("address1", "address2", "address3") if (line := _get(element, tag)))
        or None
    )
    city, region = _get(element, "city"), _get(element, "stateOrProvince")
    postal, country = _get(element, "postalCode"), _get(element, "country")
    if not any((street, city, region, postal, country)):
        return None
    return Address(
        full=", ".join(part for part in (street, city, region, postal, country) if part),
        street=street,
        city=city,
        region=region,
        postal_code=postal,
        country=country,
        country_code=cached_country_code(country),
    )


__all__ = ["FORMAT", "NAMESPACE", "TITLES", "detect", "parse"]
