"""Convert list entities (the boundary model) into the matching core's light candidates, once."""

from __future__ import annotations

from raqib.lists.model import BirthDate, Entity, EntityType, NameKind
from raqib.matching import Candidate

# Identifier types that are a person's or company's document numbers; wallets and vessel numbers
# are matched exactly elsewhere (payments), not as a secondary identifier of a name match.
DOCUMENT_TYPES = frozenset({"passport", "national_id", "tax_id", "registration", "ssn", "cedula", "id"})


def _birth_date(value: BirthDate) -> str | None:
    if value.date:
        return f"~{value.date}" if value.approximate else value.date
    if value.year_from is not None and value.year_to is not None:
        if value.year_from == value.year_to:
            return f"~{value.year_from}" if value.approximate else str(value.year_from)
        return f"{value.year_from}/{value.year_to}"
    if value.year_from is not None:
        return f"~{value.year_from}"
    if value.year_to is not None:
        return f"~{value.year_to}"
    return None


def _entity_type(entity: Entity) -> str | None:
    return None if entity.type is EntityType.UNKNOWN else entity.type.value


def candidate_from_entity(entity: Entity) -> Candidate:
    """The matching core's view of a list entity: every name, DOB, country, document and gender."""
    # Low-quality aliases (UN "Low", OFAC weak a.k.a.) go apart: the scorer lets them find a person
    # only when the whole name agrees, never on one common token.
    names: list[str] = []
    weak: list[str] = []
    for name in entity.names:
        if not name.full or name.full in names or name.full in weak:
            continue
        (weak if name.kind is NameKind.WEAK_ALIAS else names).append(name.full)
    if not names:  # an entity known only by weak aliases must still be screenable
        names, weak = weak, []
    birth_dates = tuple(dict.fromkeys(d for d in map(_birth_date, entity.birth_dates) if d))
    countries = tuple(
        dict.fromkeys(a.country_code for a in (*entity.nationalities, *entity.addresses) if a.country_code)
    )
    identifiers = tuple(
        dict.fromkeys(
            i.number for i in entity.identifiers if i.number and (i.type in DOCUMENT_TYPES or "id" in i.type)
        )
    )
    return Candidate(
        id=entity.id,
        names=tuple(names),
        weak_names=tuple(weak),
        type=_entity_type(entity),
        birth_dates=birth_dates,
        countries=countries,
        identifiers=identifiers,
        gender=entity.gender,
    )


__all__ = ["candidate_from_entity"]
