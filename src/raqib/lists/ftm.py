"""Export Raqib entities as FollowTheMoney (FtM) entities, the field's exchange format.

Every entity becomes one FtM *thing* (``Person``, ``Organization``, ``Vessel``, ``Airplane`` or
``LegalEntity`` when the type is unknown; an entity imported from FtM keeps its original schema,
e.g. ``Company``) and, when the entity has a programme or a listing date, one ``Sanction``
entity pointing at it, which is where FtM keeps programme, authority and listing date.

All values go through the followthemoney library (``proxy.add(..., cleaned=False)``), so what
comes out is valid FtM: dates, countries and identifiers are cleaned, and values FtM rejects are
dropped rather than written. Properties an entity keeps under an FtM property name (as the
``ftm_json`` parser stores them) are written back, so FtM -> Raqib -> FtM keeps them.

Ids are ``raqib-<source>-<source_ref>`` with every run of characters other than ASCII letters,
digits and ``.`` replaced by ``-`` (FtM's id alphabet). Case is kept on purpose: FtM/OpenSanctions ids such as
``NK-2GdmHtZTeNXjNVrBGEXZNj`` are case-sensitive, and lower-casing could merge two of them.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from typing import Any, TextIO

from followthemoney import model
from followthemoney.proxy import EntityProxy
from followthemoney.types.entity import ENTITY_ID_LEN

from raqib.lists.model import Entity, EntityType, NameKind
from raqib.lists.parsers.ftm_json import IDENTIFIER_TYPE_PROPERTY

_SCHEMATA = {
    EntityType.PERSON: "Person",
    EntityType.ORGANIZATION: "Organization",
    EntityType.VESSEL: "Vessel",
    EntityType.AIRCRAFT: "Airplane",
    EntityType.UNKNOWN: "LegalEntity",
}
_NAME_PROPERTIES = {
    NameKind.PRIMARY: "name",
    NameKind.ORIGINAL_SCRIPT: "name",
    NameKind.ALIAS: "alias",
    NameKind.WEAK_ALIAS: "weakAlias",
    NameKind.FORMER: "previousName",
}
# Name parts as the parsers write them -> FtM person name properties.
_PART_PROPERTIES = {"given": "firstName", "middle": "middleName", "family": "lastName"}
# A birth-year range no longer than this is written as every year in it (FtM has no ranges and
# matches birth dates by value); a longer range only as its two ends.
_MAX_RANGE_YEARS = 10


def ftm_id(entity: Entity) -> str:
    """The stable FtM id of an entity: ``raqib-<source>-<source_ref>``, slugified.

    FtM ids allow only ASCII letters, digits, ``.`` and ``-`` (and references to an id that
    breaks this rule are silently dropped by FtM), so everything else becomes ``-``; an id
    longer than FtM allows is cut and suffixed with a hash of the whole so it stays unique.
    """
    raw = f"raqib-{entity.source}-{entity.source_ref}"
    slug = re.sub(r"[^A-Za-z0-9.]+", "-", raw).strip("-.")
    if len(slug) > ENTITY_ID_LEN:
        digest = hashlib.sha1(raw.encode("utf-8"), usedforsecurity=False).hexdigest()[:16]
        slug = f"{slug[: ENTITY_ID_LEN - 17].rstrip('-.')}-{digest}"
    return slug


def _schema_name(entity: Entity) -> str:
    default = _SCHEMATA[entity.type]
    original = (entity.properties.get("schema") or [None])[0]
    # Keep a more specific original schema (Company is an Organization) but never change type.
    if original and (schema := model.get(original)) is not None and schema.is_a(default):
        return str(schema.name)
    return default


def _add(proxy: EntityProxy, prop: str, value: str | None, *fallbacks: str) -> None:
    """Add a value through FtM cleaning, to ``prop`` or the first fallback the schema has."""
    if value is None:
        return
    for name in (prop, *fallbacks):
        if proxy.schema.get(name) is not None:
            proxy.add(name, value, cleaned=False, quiet=True)
            return


def entity_to_ftm(entity: Entity) -> dict[str, Any]:
    """Convert one entity to a valid FtM entity dict (``{"id", "schema", "properties"}``)."""
    proxy = model.make_entity(_schema_name(entity))
    proxy.id = ftm_id(entity)
    person = proxy.schema.is_a("Person")

    for name in entity.names:
        _add(proxy, _NAME_PROPERTIES[name.kind], name.full, "name")
        if person and name.kind is NameKind.PRIMARY:
            for part, value in name.parts.items():
                prop = _PART_PROPERTIES.get(part.rstrip("0123456789"))
                if prop is not None:
                    _add(proxy, prop, value)

    for birth in entity.birth_dates:
        for date in _birth_dates(birth.date, birth.year_from, birth.year_to):
            _add(proxy, "birthDate", date)
    for place in entity.birth_places:
        text = place.full or ", ".join(part for part in (place.city, place.region, place.country) if part)
        _add(proxy, "birthPlace", text or None)
        _add(proxy, "birthCountry", place.country_code)
    for country in entity.nationalities:
        value = country.country_code or country.country
        if country.note in ("country", "citizenship"):
            _add(proxy, country.note, value)
        else:
            _add(proxy, "nationality", value, "country")
    _add(proxy, "gender", entity.gender)

    for identifier in entity.identifiers:
        prop = IDENTIFIER_TYPE_PROPERTY.get(identifier.type, "idNumber")
        if identifier.note and proxy.schema.get(identifier.note) is not None:
            prop = identifier.note  # e.g. innCode, as the ftm_json parser recorded it
        _add(proxy, prop, identifier.number, "idNumber", "registrationNumber")
    for address in entity.addresses:
        text = address.full or ", ".join(
            part
            for part in (address.street, address.city, address.postal_code, address.region, address.country)
            if part
        )
        _add(proxy, "address", text or None)

    for title in entity.titles:
        _add(proxy, "title", title)
    for designation in entity.designations:
        _add(proxy, "position", designation)
    for program in entity.programs:
        _add(proxy, "program", program)
    _add(proxy, "notes", entity.remarks)
    _add(proxy, "topics", "sanction")

    for key, values in entity.properties.items():
        # Only facts stored under an FtM property name of this schema (from an FtM import);
        # list-specific keys (logical_id, regulation, ...) have no FtM meaning and stay out.
        if key == "schema" or proxy.schema.get(key) is None:
            continue
        if proxy.schema.get(key).stub or proxy.schema.get(key).type.name == "entity":
            continue  # references to entities not in this export would dangle
        for value in values:
            _add(proxy, key, value)
    return proxy.to_dict()


def sanction_to_ftm(entity: Entity) -> dict[str, Any] | None:
    """The FtM ``Sanction`` for an entity (programmes, listing date), or None when it has neither."""
    if not entity.programs and entity.listed_on is None:
        return None
    sanction = model.make_entity("Sanction")
    sanction.id = f"{ftm_id(entity)}-sanction"
    sanction.add("entity", ftm_id(entity), cleaned=False)
    for program in entity.programs:
        sanction.add("program", program, cleaned=False, quiet=True)
    if entity.listed_on is not None:
        sanction.add("listingDate", entity.listed_on, cleaned=False, quiet=True)
    # A list's own reference is the authority's id for the entry; an FtM import's source_ref is
    # an FtM id instead, so there only an authorityId the FtM data gave is used.
    imported_from_ftm = "schema" in entity.properties
    for reference in entity.properties.get("sanction_authorityId") or (
        [] if imported_from_ftm else [entity.source_ref]
    ):
        sanction.add("authorityId", reference, cleaned=False, quiet=True)
    for reference in entity.properties.get("un_reference", []):
        sanction.add("unscId", reference, cleaned=False, quiet=True)
    for prop in ("authority", "reason", "provisions", "status", "startDate", "endDate", "sourceUrl"):
        for value in entity.properties.get(f"sanction_{prop}", []):
            sanction.add(prop, value, cleaned=False, quiet=True)
    return sanction.to_dict()


def write_ftm(entities: Iterable[Entity], stream: TextIO, *, sanctions: bool = True) -> int:
    """Write entities as FtM JSON lines (one object per line); return the number of lines.

    Args:
        entities: the entities to export.
        stream: a text stream opened for writing (UTF-8).
        sanctions: also write one ``Sanction`` entity per entity with programmes or a listing date.
    """
    lines = 0
    for entity in entities:
        records = [entity_to_ftm(entity)]
        if sanctions and (sanction := sanction_to_ftm(entity)) is not None:
            records.append(sanction)
        for record in records:
            stream.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            lines += 1
    return lines


def _birth_dates(date: str | None, year_from: int | None, year_to: int | None) -> list[str]:
    if date is not None:
        return [date]
    if year_from is not None and year_to is not None:
        if 0 <= year_to - year_from <= _MAX_RANGE_YEARS:
            return [str(year) for year in range(year_from, year_to + 1)]
        return [str(year_from), str(year_to)]
    return [str(year) for year in (year_from, year_to) if year is not None]


__all__ = ["entity_to_ftm", "ftm_id", "sanction_to_ftm", "write_ftm"]
