"""FollowTheMoney entity files (OpenSanctions exports, yente fixtures, any FtM producer).

The format is JSON lines: one entity per line, ``{"id", "schema", "properties": {name: [values]},
"datasets"?, "referents"?, "caption"?, "first_seen"?, "last_seen"?, ...}``. Each line goes through
the followthemoney library (``model.get_proxy(data, cleaned=False)``), so values are cleaned and
validated by FtM's own types (dates, countries, identifiers) instead of by hand.

Only *screenable* schemata become entities: ``Person``, ``Organization``, ``Company``,
``PublicBody``, ``LegalEntity``, ``Vessel`` and ``Airplane``. Supporting entities are folded into
the thing they reference and never imported on their own: ``Sanction`` (via ``entity``: programme,
listing date, authority, UN reference), ``Address`` (via the thing's ``addressEntity``),
``Identification``/``Passport`` (via ``holder``). Other schemata (``Family``, ``Ownership``,
``Position``, ...) are skipped. A schema FtM does not know is an error.

The list id is the ``list_id`` argument, else ``ftm_`` + the single dataset all things share
(their ``datasets``; prefixed so an OpenSanctions re-publication never collides with the official
list of the same name), else ``"ftm"``. Versioned *delta* files (``{"op": "ADD"|"MOD"|"DEL", "entity"}``)
are refused: a delta only means something applied to the base version it was made against.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from followthemoney import model
from followthemoney.exc import FollowTheMoneyException
from followthemoney.proxy import EntityProxy

from raqib.errors import ListParseError
from raqib.lists.model import Address, BirthDate, Entity, EntityType, Identifier, Name, NameKind, ParsedList
from raqib.lists.parsers._common import decode_text, read_bytes, sniff

FORMAT = "ftm_json"
DEFAULT_LIST_ID = "ftm"

_SNIFF_BYTES = 4096

SCHEMA_TYPES: dict[str, EntityType] = {
    "Person": EntityType.PERSON,
    "Organization": EntityType.ORGANIZATION,
    "Company": EntityType.ORGANIZATION,
    "PublicBody": EntityType.ORGANIZATION,
    "LegalEntity": EntityType.UNKNOWN,  # FtM's "person or organisation, we don't know which"
    "Vessel": EntityType.VESSEL,
    "Airplane": EntityType.AIRCRAFT,
}
_NAME_KINDS = {
    "name": NameKind.PRIMARY,
    "alias": NameKind.ALIAS,
    "weakAlias": NameKind.WEAK_ALIAS,
    "previousName": NameKind.FORMER,
}
# FtM identifier properties -> the model's identifier types (the FtM name goes in the note when
# several FtM properties share one type, so the export can tell them apart again).
IDENTIFIER_PROPERTIES: dict[str, str] = {
    "passportNumber": "passport",
    "idNumber": "national_id",
    "taxNumber": "tax_id",
    "innCode": "tax_id",
    "registrationNumber": "registration",
    "imoNumber": "imo",
    "swiftBic": "swift_bic",
}
# The model's identifier type -> its usual FtM property (the first FtM property of that type).
IDENTIFIER_TYPE_PROPERTY: dict[str, str] = {}
for _prop, _kind in IDENTIFIER_PROPERTIES.items():
    IDENTIFIER_TYPE_PROPERTY.setdefault(_kind, _prop)
# Properties mapped to dedicated fields; everything else is kept verbatim in ``properties``.
_MAPPED = {
    *_NAME_KINDS,
    *IDENTIFIER_PROPERTIES,
    "birthDate",
    "birthPlace",
    "birthCountry",
    "nationality",
    "citizenship",
    "country",
    "gender",
    "address",
    "addressEntity",
    "program",
    "notes",
    "position",
    "title",
}
# Sanction properties worth keeping on the sanctioned entity, under "sanction_<name>".
_SANCTION_KEEP = (
    "authority",
    "authorityId",
    "reason",
    "provisions",
    "status",
    "startDate",
    "endDate",
    "sourceUrl",
)


def detect(path: Path) -> bool:
    """True for a file whose first line looks like an FtM entity (or an FtM delta record)."""
    head = sniff(path, _SNIFF_BYTES)
    if not head.lstrip().startswith(b"{"):
        return False
    first_line = head.lstrip().split(b"\n", 1)[0]
    entity_like = b'"schema"' in first_line and b'"properties"' in first_line
    delta_like = b'"op"' in first_line and b'"entity"' in first_line
    return entity_like or delta_like


def parse(path: Path, list_id: str | None = None) -> ParsedList:
    """Parse an FtM entity JSON-lines file into a :class:`ParsedList`.

    Args:
        path: the ``entities.ftm.json`` file.
        list_id: the list id to use; by default the things' single dataset, else ``"ftm"``.

    Raises:
        ListParseError: the file is empty, not UTF-8, a line is not a JSON object (line number),
            an entity lacks ``id``/``schema``, names a schema FtM does not know, or the file is
            a delta file (which needs its base version).
    """
    text = decode_text(read_bytes(path), path, ("utf-8-sig",))
    things: list[tuple[EntityProxy, dict[str, Any]]] = []
    sanctions: dict[str, list[EntityProxy]] = defaultdict(list)
    identifications: dict[str, list[EntityProxy]] = defaultdict(list)
    addresses: dict[str, EntityProxy] = {}
    for line_number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        data = _load_line(line, line_number, path)
        proxy = _proxy(data, line_number, path)
        schema = proxy.schema
        if schema.name in SCHEMA_TYPES:
            things.append((proxy, data))
        elif schema.is_a("Sanction"):
            for target in proxy.get("entity", quiet=True):
                sanctions[target].append(proxy)
        elif schema.is_a("Identification"):
            for holder in proxy.get("holder", quiet=True):
                identifications[holder].append(proxy)
        elif schema.is_a("Address") and proxy.id is not None:
            addresses[proxy.id] = proxy
        # Any other schema (Family, Ownership, Position, ...) is not screenable: skipped.

    if list_id is None:
        datasets = {dataset for _, data in things for dataset in data.get("datasets") or []}
        # Prefixed: OpenSanctions' dataset "eu_fsf" is a re-publication, not the official EU file our
        # eu_xml parser stores as "eu_fsf"; sharing the id would make one look like a version of the other.
        list_id = f"ftm_{datasets.pop()}" if len(datasets) == 1 else DEFAULT_LIST_ID
    entities = [
        _entity(proxy, data, list_id, sanctions, identifications, addresses) for proxy, data in things
    ]
    last_seen = [str(data["last_seen"]) for _, data in things if data.get("last_seen")]
    return ParsedList(
        list_id=list_id,
        title=f"FollowTheMoney entities ({list_id})",
        format=FORMAT,
        # OpenSanctions stamps every entity with the export run's time: the latest is the export date.
        publisher_date=max(last_seen) if last_seen else None,
        entities=entities,
    )


def _load_line(line: str, line_number: int, path: Path) -> dict[str, Any]:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as err:
        raise ListParseError(
            f"invalid JSON: {err.msg} (column {err.colno})",
            path=str(path),
            line=line_number,
            code="invalid_json",
        ) from err
    if not isinstance(data, dict):
        raise ListParseError(
            f"expected a JSON object per line, found {type(data).__name__}",
            path=str(path),
            line=line_number,
            code="invalid_json",
        )
    if "op" in data and "entity" in data:
        raise ListParseError(
            f"this is a delta file ({data.get('op')} records); a delta needs the base version it was "
            "made against: import the full entities file (entities.ftm.json) instead",
            path=str(path),
            line=line_number,
            code="delta_needs_base",
        )
    return data


def _proxy(data: dict[str, Any], line_number: int, path: Path) -> EntityProxy:
    def fail(message: str, field: str, code: str) -> ListParseError:
        return ListParseError(message, path=str(path), line=line_number, field=field, code=code)

    entity_id = data.get("id")
    if not isinstance(entity_id, str) or not entity_id.strip():
        raise fail("the entity has no id", "id", "missing_field")
    schema_name = data.get("schema")
    if not isinstance(schema_name, str) or not schema_name:
        raise fail(f"entity {entity_id} has no schema", "schema", "missing_field")
    if model.get(schema_name) is None:
        raise fail(
            f"entity {entity_id}: unknown FollowTheMoney schema {schema_name!r}", "schema", "unknown_schema"
        )
    properties = data.get("properties", {})
    if not isinstance(properties, dict) or not all(
        isinstance(values, list) for values in properties.values()
    ):
        raise fail(
            f"entity {entity_id}: properties must map names to lists of values", "properties", "invalid_value"
        )
    try:
        # cleaned=False: every value goes through FtM's type cleaning; invalid values are dropped.
        return model.get_proxy(data, cleaned=False)
    except (FollowTheMoneyException, TypeError, ValueError) as err:
        raise fail(f"entity {entity_id}: {err}", "properties", "invalid_value") from err


def _entity(
    proxy: EntityProxy,
    data: dict[str, Any],
    list_id: str,
    sanctions: dict[str, list[EntityProxy]],
    identifications: dict[str, list[EntityProxy]],
    addresses: dict[str, EntityProxy],
) -> Entity:
    entity_id = str(proxy.id)
    entity = Entity(source=list_id, source_ref=entity_id, type=SCHEMA_TYPES[proxy.schema.name])
    properties: dict[str, list[str]] = {"schema": [proxy.schema.name]}

    caption = proxy.caption
    for prop, kind in _NAME_KINDS.items():
        values = proxy.get(prop, quiet=True)
        if prop == "name" and caption in values:
            values = [caption, *(value for value in values if value != caption)]  # caption first
        for value in values:
            if all(name.full != value for name in entity.names):
                entity.names.append(Name(full=value, kind=kind))

    gender = proxy.first("gender", quiet=True)
    entity.gender = gender if gender in ("male", "female") else None
    entity.birth_dates = [BirthDate(date=value) for value in proxy.get("birthDate", quiet=True)]
    entity.birth_places = [Address(full=value) for value in proxy.get("birthPlace", quiet=True)]
    entity.birth_places += [_country(code, "birthCountry") for code in proxy.get("birthCountry", quiet=True)]
    for prop in ("nationality", "citizenship", "country"):
        for code in proxy.get(prop, quiet=True):
            country = _country(code, None if prop == "nationality" else prop)
            if all(existing.country_code != code for existing in entity.nationalities):
                entity.nationalities.append(country)

    for prop, kind in IDENTIFIER_PROPERTIES.items():
        # Name the FtM property only where several share one type (innCode vs taxNumber).
        note = None if IDENTIFIER_TYPE_PROPERTY[kind] == prop else prop
        for number in proxy.get(prop, quiet=True):
            entity.identifiers.append(Identifier(type=kind, number=number, note=note))
    for document in identifications.get(entity_id, []):
        entity.identifiers.extend(_identification(document))

    entity.addresses = [Address(full=value) for value in proxy.get("address", quiet=True)]
    for address_id in proxy.get("addressEntity", quiet=True):
        address = addresses.get(address_id)
        if address is None:
            properties.setdefault("addressEntity", []).append(address_id)  # not in this file
            continue
        converted = _address(address)
        if all(existing.full != converted.full for existing in entity.addresses):
            entity.addresses.append(converted)

    entity.programs = list(proxy.get("program", quiet=True))
    entity.titles = list(proxy.get("title", quiet=True))
    entity.designations = list(proxy.get("position", quiet=True))
    entity.remarks = "\n".join(proxy.get("notes", quiet=True)) or None
    listing_dates = [
        date
        for sanction in sanctions.get(entity_id, [])
        for date in _fold_sanction(entity, sanction, properties)
    ]
    entity.listed_on = min(listing_dates) if listing_dates else None

    for prop, values in proxy.properties.items():
        if prop not in _MAPPED and values:
            properties.setdefault(prop, []).extend(
                value for value in values if value not in properties.get(prop, [])
            )
    for key in ("datasets", "referents", "first_seen", "last_seen", "last_change"):
        value = data.get(key)
        if isinstance(value, list) and value:
            properties[key] = [str(item) for item in value]
        elif isinstance(value, str) and value:
            properties[key] = [value]
    entity.properties = properties
    return entity


def _country(code: str, note: str | None) -> Address:
    from followthemoney import registry

    return Address(country=registry.country.caption(code), country_code=code, note=note)


def _identification(document: EntityProxy) -> list[Identifier]:
    is_passport = document.schema.is_a("Passport") or any(
        "passport" in t.lower() for t in document.get("type", quiet=True)
    )
    kind = "passport" if is_passport else "national_id"
    country = document.first("country", quiet=True)
    note = "; ".join(document.get("type", quiet=True) + document.get("authority", quiet=True)) or None
    return [
        Identifier(
            type=kind,
            number=number,
            country_code=country,
            issued=document.first("startDate", quiet=True),
            expires=document.first("endDate", quiet=True),
            note=note,
        )
        for number in document.get("number", quiet=True)
    ]


def _address(address: EntityProxy) -> Address:
    street = " ".join(address.get("street", quiet=True) + address.get("street2", quiet=True)) or None
    country = address.first("country", quiet=True)
    full = address.first("full", quiet=True) or address.caption
    return Address(
        full=full,
        street=street,
        city=address.first("city", quiet=True),
        region=address.first("region", quiet=True) or address.first("state", quiet=True),
        postal_code=address.first("postalCode", quiet=True),
        country_code=country,
    )


def _fold_sanction(entity: Entity, sanction: EntityProxy, properties: dict[str, list[str]]) -> list[str]:
    """Add a Sanction's programme and details to its entity; return its listing dates."""
    for program in sanction.get("program", quiet=True) or sanction.get("programId", quiet=True):
        if program not in entity.programs:
            entity.programs.append(program)
    for reference in sanction.get("unscId", quiet=True):
        values = properties.setdefault("un_reference", [])
        if reference not in values:
            values.append(reference)
    for prop in _SANCTION_KEEP:
        for value in sanction.get(prop, quiet=True):
            values = properties.setdefault(f"sanction_{prop}", [])
            if value not in values:
                values.append(value)
    return list(sanction.get("listingDate", quiet=True) or sanction.get("startDate", quiet=True))


__all__ = [
    "DEFAULT_LIST_ID",
    "FORMAT",
    "IDENTIFIER_PROPERTIES",
    "IDENTIFIER_TYPE_PROPERTY",
    "SCHEMA_TYPES",
    "detect",
    "parse",
]
