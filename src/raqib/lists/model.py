"""The internal entity model every watchlist parser produces.

One model for every list (UN, OFAC, EU, UK, Canada, FollowTheMoney, national CSV), so that
screening, diffs and exports never care where an entity came from. Parsers keep *every* fact the
list gives: what has no dedicated field goes into ``properties`` (name -> list of strings) rather
than being dropped. Dates are kept as ISO prefixes (``1961``, ``1961-07``, ``1961-07-15``) as in
FollowTheMoney, with the list's original text in ``raw`` when it was not already ISO.

These are pydantic models because they sit at a boundary (parsed files, JSON in the store, the
API). The pure matching core converts them once into its own light types.
"""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class EntityType(StrEnum):
    PERSON = "person"
    ORGANIZATION = "organization"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"
    UNKNOWN = "unknown"


class NameKind(StrEnum):
    PRIMARY = "primary"  # the list's main name for the entity
    ALIAS = "alias"  # a.k.a.
    WEAK_ALIAS = "weak_alias"  # low-quality alias (UN "Low", OFAC "weak aka")
    FORMER = "former"  # f.k.a.
    ORIGINAL_SCRIPT = "original_script"  # the name in its own script (UN NAME_ORIGINAL_SCRIPT)


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=False)


class Name(_Model):
    full: str = Field(description="The whole name as the list writes it.")
    kind: NameKind = NameKind.PRIMARY
    parts: dict[str, str] = Field(
        default_factory=dict,
        description="Name parts as the list gives them: first/second/third/fourth (UN), given, family, ...",
    )
    quality: str | None = Field(default=None, description="The list's quality mark (UN: Good/Low).")
    lang: str | None = Field(default=None, description="ISO 639 language or script hint, e.g. 'ara'.")
    note: str | None = None


class BirthDate(_Model):
    date: str | None = Field(default=None, description="ISO prefix: YYYY, YYYY-MM or YYYY-MM-DD.")
    year_from: int | None = Field(default=None, description="Start of a year range (inclusive).")
    year_to: int | None = Field(default=None, description="End of a year range (inclusive).")
    approximate: bool = False
    raw: str | None = Field(default=None, description="The list's text when it was not plain ISO.")
    note: str | None = None


class Address(_Model):
    full: str | None = None
    street: str | None = None
    city: str | None = None
    region: str | None = None
    postal_code: str | None = None
    country: str | None = Field(default=None, description="Country as the list writes it.")
    country_code: str | None = Field(default=None, description="ISO 3166-1 alpha-2, lower case.")
    note: str | None = None


class Identifier(_Model):
    type: str = Field(
        description="passport, national_id, tax_id, registration, imo, swift_bic, crypto_wallet, other ..."
    )
    number: str
    country: str | None = None
    country_code: str | None = None
    issued: str | None = None
    expires: str | None = None
    note: str | None = None


class Entity(_Model):
    source: str = Field(description="The list this entity comes from, e.g. 'un_sc', 'us_ofac_sdn'.")
    source_ref: str = Field(description="The list's own reference: UN reference number, OFAC ent_num, ...")
    type: EntityType = EntityType.UNKNOWN
    names: list[Name] = Field(default_factory=list)
    gender: str | None = Field(default=None, description="'male', 'female' or None.")
    birth_dates: list[BirthDate] = Field(default_factory=list)
    birth_places: list[Address] = Field(default_factory=list)
    nationalities: list[Address] = Field(
        default_factory=list, description="Nationality/citizenship countries (country and country_code)."
    )
    identifiers: list[Identifier] = Field(default_factory=list)
    addresses: list[Address] = Field(default_factory=list)
    programs: list[str] = Field(default_factory=list, description="Sanctions programmes / list types.")
    listed_on: str | None = Field(default=None, description="ISO date the entity was listed.")
    titles: list[str] = Field(default_factory=list)
    designations: list[str] = Field(default_factory=list)
    remarks: str | None = None
    properties: dict[str, list[str]] = Field(
        default_factory=dict, description="Every other fact the list gives, kept verbatim."
    )

    @property
    def id(self) -> str:
        return f"{self.source}:{self.source_ref}"

    @property
    def caption(self) -> str:
        for name in self.names:
            if name.kind is NameKind.PRIMARY:
                return name.full
        return self.names[0].full if self.names else self.source_ref


class ParsedList(_Model):
    """What a parser returns: one list's entities from one published version."""

    list_id: str = Field(description="Stable id of the list, e.g. 'un_sc'.")
    title: str = Field(description="Human title, e.g. 'UN Security Council Consolidated List'.")
    format: str = Field(description="The parser that read it, e.g. 'un_xml'.")
    publisher_date: str | None = Field(default=None, description="The publisher's date, ISO 8601.")
    entities: list[Entity] = Field(default_factory=list)


__all__ = [
    "Address",
    "BirthDate",
    "Entity",
    "EntityType",
    "Identifier",
    "Name",
    "NameKind",
    "ParsedList",
]
