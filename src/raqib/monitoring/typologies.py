"""Typologies as data: each is a YAML file in ``raqib/data/typologies/`` that compiles to one SQL query.

A typology file has ``name``, ``title``, ``version``, ``source`` (the FATF or Egmont documents it
follows), ``description``, ``parameters`` (each with ``type``, ``default``, bounds and a
``description``), an ``explanation`` template and the ``sql``. The SQL reads the canonical tables
(``transactions``, ``accounts``, ``account_events``, ``listed``), refers to parameters as ``$name``
(bound by the engine, never pasted in) and returns one row per alert with the columns
``account_id``, ``strength`` (0..1) and ``txn_ids`` (list of transaction ids) plus the evidence
columns that ``explanation`` names.

Country lists are named in ``raqib/data/jurisdictions.yml`` (shared with payment screening, read
through :mod:`raqib.jurisdictions`); a ``countries`` parameter may mix list names
(``fatf_call_for_action``) and ISO 3166 alpha-2 codes.
"""

from __future__ import annotations

import functools
import re
import string
from collections.abc import Mapping
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from raqib.errors import ConfigError, InvalidInput
from raqib.jurisdictions import load_jurisdiction_data
from raqib.monitoring.engines import parameters_used

_PACKAGE = "raqib"
REQUIRED_OUTPUT = ("account_id", "strength", "txn_ids")
_NAME = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
_COUNTRY = re.compile(r"^[A-Z]{2}$")

ParameterValue = int | float | str | list[str]


class Parameter(BaseModel):
    """A tunable of a typology, declared with its meaning and default (house style point 7)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    type: Literal["integer", "number", "countries", "text"]
    default: ParameterValue
    description: str = Field(min_length=10)
    minimum: float | None = None
    maximum: float | None = None

    def coerce(self, name: str, value: Any) -> ParameterValue:
        """Check and convert ``value`` for this parameter.

        Raises:
            InvalidInput: Wrong type or out of bounds.
        """
        try:
            if self.type == "integer":
                if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()):
                    raise ValueError(value)
                converted: ParameterValue = int(value)
            elif self.type == "number":
                if isinstance(value, bool):
                    raise ValueError(value)
                converted = float(value)
            elif self.type == "countries":
                items = [value] if isinstance(value, str) else list(value)
                converted = resolve_countries([str(item) for item in items])
            else:
                converted = str(value)
        except (TypeError, ValueError) as err:
            raise InvalidInput(f"parameter {name}: {value!r} is not a valid {self.type}") from err
        if isinstance(converted, int | float):
            if self.minimum is not None and converted < self.minimum:
                raise InvalidInput(f"parameter {name}: {converted} is below the minimum {self.minimum}")
            if self.maximum is not None and converted > self.maximum:
                raise InvalidInput(f"parameter {name}: {converted} is above the maximum {self.maximum}")
        return converted


class Typology(BaseModel):
    """One typology: what it looks for, where that comes from, its parameters and its SQL."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    version: int = Field(ge=1)
    source: list[str] = Field(min_length=1)
    description: str = Field(min_length=20)
    parameters: dict[str, Parameter]
    explanation: str
    sql: str

    @model_validator(mode="after")
    def _consistent(self) -> Typology:
        if not _NAME.match(self.name):
            raise ValueError(f"typology name {self.name!r} must be lower_snake_case")
        for name, parameter in self.parameters.items():
            if not _NAME.match(name):
                raise ValueError(f"parameter name {name!r} must be lower_snake_case")
            parameter.coerce(name, parameter.default)
        try:
            parameters_used(self.sql, self.parameters)
        except KeyError as err:
            raise ValueError(str(err)) from err
        fields = {f for _, f, _, _ in string.Formatter().parse(self.explanation) if f}
        bad = [f for f in fields if not _NAME.match(f.split(".")[0])]
        if bad:
            raise ValueError(f"explanation fields must be plain names: {bad}")
        return self

    def bind(self, overrides: Mapping[str, Any] | None = None) -> dict[str, ParameterValue]:
        """Defaults merged with ``overrides``, each checked.

        Raises:
            InvalidInput: An unknown parameter or a bad value.
        """
        overrides = dict(overrides or {})
        unknown = sorted(set(overrides) - set(self.parameters))
        if unknown:
            raise InvalidInput(f"typology {self.name}: unknown parameter(s) {', '.join(unknown)}")
        return {
            name: parameter.coerce(name, overrides.get(name, parameter.default))
            for name, parameter in self.parameters.items()
        }


class Jurisdictions(BaseModel):
    """Named country lists (FATF statements, conflict-adjacent areas) with their sources."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    version: int = Field(ge=1)
    lists: dict[str, list[str]]


@functools.cache
def jurisdictions() -> Jurisdictions:
    """The named country lists of the shipped ``raqib/data/jurisdictions.yml``.

    Raises:
        ConfigError: The shipped file is invalid.
    """
    data = load_jurisdiction_data()
    return Jurisdictions(source=data.source, version=data.version, lists=data.named_lists())


def resolve_countries(items: list[str]) -> list[str]:
    """Expand list names to ISO codes and check codes; sorted, without duplicates.

    Raises:
        ValueError: An item is neither a known list name nor a two-letter code.
    """
    named = jurisdictions().lists
    codes: set[str] = set()
    for item in items:
        if item in named:
            codes.update(named[item])
        elif _COUNTRY.match(item.upper()):
            codes.add(item.upper())
        else:
            raise ValueError(f"{item!r} is neither a country code nor a list in data/jurisdictions.yml")
    return sorted(codes)


@functools.cache
def load_typologies() -> dict[str, Typology]:
    """Every typology shipped with Raqib, by name, validated (loaded once per process)."""
    folder = resources.files(_PACKAGE).joinpath("data", "typologies")
    typologies: dict[str, Typology] = {}
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if not entry.name.endswith(".yml"):
            continue
        try:
            typology = Typology.model_validate(yaml.safe_load(entry.read_text(encoding="utf-8")))
        except ValidationError as err:
            raise ConfigError(f"typology file {entry.name}: {err}") from err
        if entry.name != f"{typology.name}.yml":
            raise ConfigError(f"typology file {entry.name} declares name {typology.name!r}")
        typologies[typology.name] = typology
    return typologies


def select_typologies(names: list[str] | None) -> list[Typology]:
    """The typologies named (all when ``names`` is empty or ``None``), in a stable order.

    Raises:
        InvalidInput: A name that is not a typology.
    """
    available = load_typologies()
    if not names:
        return list(available.values())
    unknown = [n for n in names if n not in available]
    if unknown:
        raise InvalidInput(f"unknown rule(s) {', '.join(unknown)}; known: {', '.join(available)}")
    return [available[n] for n in names]


__all__ = [
    "REQUIRED_OUTPUT",
    "Jurisdictions",
    "Parameter",
    "ParameterValue",
    "Typology",
    "jurisdictions",
    "load_typologies",
    "resolve_countries",
    "select_typologies",
]
