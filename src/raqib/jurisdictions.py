"""Jurisdiction risk data: one dated, sourced file shared by payment screening and monitoring.

``raqib/data/jurisdictions.yml`` holds every jurisdiction Raqib treats as risky, each with the
categories it falls in (embargoed, FATF call for action, FATF increased monitoring, conflict-adjacent,
...). Payment screening (:mod:`raqib.payments.risk`) acts on the categories that carry an ``action``;
transaction-monitoring typologies (:mod:`raqib.monitoring.typologies`) use the named ``lists``, each
the ISO 3166-1 alpha-2 codes of the jurisdictions in some categories. Keeping both in one file means
the two cannot drift apart.

The file is validated once per process (:func:`load_jurisdiction_data`); a bad file raises
:class:`raqib.errors.ConfigError` saying where and what.
"""

from __future__ import annotations

import functools
import re
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from raqib.errors import ConfigError

Action = Literal["hold", "review"]
DATA_FILE = "data/jurisdictions.yml"

# The 249 officially assigned ISO 3166-1 alpha-2 codes (ISO 3166 Maintenance Agency). Exceptionally
# reserved and user-assigned codes (EU, UK, XK, ...) are left out on purpose: a data file naming one
# is almost always a typo ("UK" for "GB"). Kept here rather than taken from a library because none of
# Raqib's dependencies carries exactly this set.
_ISO_3166_ALPHA_2_TEXT = """
    AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT
    BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH
    ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT
    HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS
    LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI
    NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG
    SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG
    UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW
"""
ISO_3166_ALPHA_2 = frozenset(_ISO_3166_ALPHA_2_TEXT.split())
_REGION = re.compile(r"^(?P<country>[A-Z]{2})-[A-Z0-9]{1,3}$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_code(value: Any, *, regions: bool) -> Any:
    """Check one code; YAML reads an unquoted ``NO`` (Norway) as False, so say so."""
    if isinstance(value, bool) or value is None:
        raise ValueError(f"{value!r} is not a country code (quote codes such as 'NO' in YAML)")
    if not isinstance(value, str):
        return value  # pydantic reports the wrong type
    region = _REGION.match(value) if regions else None
    country = region.group("country") if region else value
    if country not in ISO_3166_ALPHA_2:
        what = "an ISO 3166-1 alpha-2 code or ISO 3166-2 region" if regions else "an ISO 3166-1 alpha-2 code"
        raise ValueError(f"{value!r} is not {what}")
    return value


class Category(BaseModel):
    """Why a jurisdiction is listed, and what payment screening does about it (nothing when no action)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str = Field(min_length=3)
    action: Action | None = None


class Jurisdiction(BaseModel):
    """A country (ISO 3166-1 alpha-2) or region (ISO 3166-2, with ``region_of``) and its categories."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str
    name: str = Field(min_length=2)
    categories: list[str] = Field(min_length=1)
    names: list[str] = Field(default_factory=list)
    region_of: str | None = None

    @field_validator("code", mode="before")
    @classmethod
    def _code_is_iso(cls, value: Any) -> Any:
        return _iso_code(value, regions=True)

    @field_validator("region_of", mode="before")
    @classmethod
    def _region_of_is_iso(cls, value: Any) -> Any:
        return None if value is None else _iso_code(value, regions=False)

    @model_validator(mode="after")
    def _region_consistent(self) -> Jurisdiction:
        region = _REGION.match(self.code)
        if region and self.region_of != region.group("country"):
            raise ValueError(f"{self.code}: region_of must be {region.group('country')}")
        if not region and self.region_of is not None:
            raise ValueError(f"{self.code}: region_of is only for ISO 3166-2 region codes")
        return self

    @property
    def is_country(self) -> bool:
        """True for an ISO 3166-1 country, False for an ISO 3166-2 region."""
        return self.region_of is None


class JurisdictionData(BaseModel):
    """The whole file: header (source, version, dates), categories, named lists and jurisdictions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    version: int = Field(ge=1)
    statement_date: str = Field(pattern=_DATE.pattern)
    embargo_review_date: str = Field(pattern=_DATE.pattern)
    categories: dict[str, Category] = Field(min_length=1)
    lists: dict[str, list[str]]
    jurisdictions: list[Jurisdiction]

    @model_validator(mode="after")
    def _consistent(self) -> JurisdictionData:
        seen: set[str] = set()
        for item in self.jurisdictions:
            if item.code in seen:
                raise ValueError(f"{item.code} is listed twice")
            seen.add(item.code)
            unknown = [c for c in item.categories if c not in self.categories]
            if unknown:
                raise ValueError(f"{item.code}: unknown categories {unknown}")
        for name, categories in self.lists.items():
            unknown = [c for c in categories if c not in self.categories]
            if unknown:
                raise ValueError(f"list {name}: unknown categories {unknown}")
        return self

    def in_categories(self, categories: list[str] | set[str]) -> list[Jurisdiction]:
        """The jurisdictions in any of ``categories``, in file order."""
        wanted = set(categories)
        return [item for item in self.jurisdictions if wanted.intersection(item.categories)]

    def named_lists(self) -> dict[str, list[str]]:
        """Each named list -> the sorted ISO 3166-1 alpha-2 codes of its countries (regions left out)."""
        return {
            name: sorted({item.code for item in self.in_categories(categories) if item.is_country})
            for name, categories in self.lists.items()
        }


def _describe(err: ValidationError) -> str:
    problems = []
    for error in err.errors():
        where = ".".join(str(part) for part in error["loc"]) or "file"
        problems.append(f"{where}: {error['msg'].removeprefix('Value error, ')}")
    return "; ".join(problems)


def parse_jurisdiction_data(text: str, origin: str = DATA_FILE) -> JurisdictionData:
    """Validate the text of a jurisdictions file.

    Args:
        text: The YAML text.
        origin: Where it came from, for error messages.

    Raises:
        ConfigError: Not YAML, not a mapping, or a field that fails validation (an unknown ISO code,
            an unknown category, a duplicate, ...); the message names the field and the value.
    """
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        raise ConfigError(f"{origin}: not valid YAML: {err}") from err
    if not isinstance(raw, dict):
        raise ConfigError(f"{origin}: expected a mapping at the top level")
    try:
        return JurisdictionData.model_validate(raw)
    except ValidationError as err:
        raise ConfigError(f"{origin}: {_describe(err)}") from err


@functools.cache
def load_jurisdiction_data() -> JurisdictionData:
    """The shipped ``raqib/data/jurisdictions.yml``, validated once per process.

    Raises:
        ConfigError: The shipped file is invalid.
    """
    text = (resources.files("raqib") / DATA_FILE).read_text(encoding="utf-8")
    return parse_jurisdiction_data(text, f"raqib/{DATA_FILE}")


__all__ = [
    "ISO_3166_ALPHA_2",
    "Action",
    "Category",
    "Jurisdiction",
    "JurisdictionData",
    "load_jurisdiction_data",
    "parse_jurisdiction_data",
]
