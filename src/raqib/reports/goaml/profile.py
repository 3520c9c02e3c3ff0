"""FIU profiles: which schema, which code lists, which business rules — data, not code.

A profile is ``src/raqib/data/goaml/profiles/<name>.yml``. Adding an FIU means adding a profile (and
its schema and code lists next to it), never code. A published FIU schema that a strict validator
rejects is corrected by a *patch* listed in the profile with its reason; the patch is applied when
the schema is loaded, and it must match exactly the number of places it says it does, so a new
version of the schema cannot silently slip past it.
"""

from __future__ import annotations

import functools
import json
import re
from importlib import resources
from typing import Any, Literal

import xmlschema
import yaml
from lxml import etree
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from raqib.errors import ConfigError, NotFound

_DATA = "data/goaml"
_XS = "http://www.w3.org/2001/XMLSchema"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SchemaPatch(_Model):
    """A correction applied to the schema text at load time, with the reason it is needed."""

    id: str
    reason: str
    facet: Literal["pattern"] = Field(description="Which facets' value attribute the patch rewrites.")
    find: str = Field(description="A Python regular expression matched against the whole facet value.")
    replace: str = Field(description="The replacement (re.sub syntax, \\1 for groups).")
    expect: int = Field(ge=1, description="How many facets must match; anything else is a config error.")


class SchemaSpec(_Model):
    path: str = Field(description="Relative to src/raqib/data/goaml/.")
    xsd_version: Literal["1.0", "1.1"] = "1.1"
    patches: tuple[SchemaPatch, ...] = ()


class CodeList(_Model):
    file: str = Field(description="JSON list of {code, label}, relative to src/raqib/data/goaml/.")
    elements: tuple[str, ...] = Field(
        default=(), description="Element names whose text must be a code of this list (empty: labels only)."
    )


class AmountRule(_Model):
    elements: tuple[str, ...] = ("amount_local", "foreign_amount")
    decimals: int = Field(default=2, ge=0, le=13)
    positive: bool = True


class Profile(_Model):
    """One FIU's goAML variant."""

    source: str
    version: int
    name: str
    title: str
    fiu: str
    goaml_version: str
    schema_: SchemaSpec = Field(alias="schema")
    write_schema_version: bool = Field(
        default=False, description="Write <schema_version> (the FIU's portal exports carry it)."
    )
    rentity_id: int | None = Field(default=None, description="Our reporting-entity id at this FIU.")
    currency_code_local: str
    submission_codes: tuple[str, ...] = ("E",)
    report_codes: tuple[str, ...] = Field(description="Report codes Raqib may file with this FIU.")
    date_format: str = "%Y-%m-%dT%H:%M:%S"
    amount: AmountRule = AmountRule()
    required: dict[str, tuple[str, ...]] = Field(
        default={},
        description="Per report code ('*' for all), paths under /report that must be present and non-empty.",
    )
    code_lists: dict[str, CodeList] = {}

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def profile_names() -> list[str]:
    """The names of the packaged FIU profiles."""
    folder = resources.files("raqib") / _DATA / "profiles"
    return sorted(
        entry.name.removesuffix(".yml") for entry in folder.iterdir() if entry.name.endswith(".yml")
    )


@functools.cache
def load_profile(name: str) -> Profile:
    """Load a packaged FIU profile by name (e.g. ``ae-5.0.2``).

    Raises:
        NotFound: there is no such profile.
        ConfigError: the profile file is malformed.
    """
    if not re.fullmatch(r"[a-z0-9][a-z0-9._-]*", name):
        raise NotFound(f"no goAML profile {name!r}; known: {', '.join(profile_names())}")
    entry = resources.files("raqib") / _DATA / "profiles" / f"{name}.yml"
    if not entry.is_file():
        raise NotFound(f"no goAML profile {name!r}; known: {', '.join(profile_names())}")
    try:
        data = yaml.safe_load(entry.read_text(encoding="utf-8"))
        return Profile.model_validate(data)
    except (yaml.YAMLError, ValidationError) as err:
        raise ConfigError(f"goAML profile {name!r} is malformed: {err}") from err


def _read_data(relative: str) -> bytes:
    entry = resources.files("raqib") / _DATA / relative
    if not entry.is_file():
        raise ConfigError(f"goAML data file {relative!r} is missing from the package")
    return entry.read_bytes()


def apply_patches(schema_text: bytes, patches: tuple[SchemaPatch, ...]) -> bytes:
    """Apply a profile's schema patches and return the patched schema.

    Only facet values are rewritten (comments and documentation are untouched); each patch must
    match exactly ``expect`` facets.

    Raises:
        ConfigError: a patch matched a different number of facets than it expects.
    """
    if not patches:
        return schema_text
    root = etree.fromstring(schema_text, etree.XMLParser(resolve_entities=False, no_network=True))
    for patch in patches:
        pattern = re.compile(patch.find)
        matched = 0
        for facet in root.iter(f"{{{_XS}}}{patch.facet}"):
            value = facet.get("value")
            if value is not None and pattern.fullmatch(value):
                facet.set("value", pattern.sub(patch.replace, value))
                matched += 1
        if matched != patch.expect:
            raise ConfigError(
                f"schema patch {patch.id!r} matched {matched} {patch.facet} facets, expected {patch.expect}: "
                "the schema changed; review the patch"
            )
    return etree.tostring(root, xml_declaration=True, encoding="utf-8")


@functools.cache
def load_schema(name: str) -> xmlschema.XMLSchemaBase:
    """The profile's XSD, patched as the profile says, compiled once per process.

    Raises:
        ConfigError: the schema does not compile, or compiles without a ``report`` element (an
            XSD 1.0 processor skips a whole schema marked ``vc:minVersion="1.1"``).
    """
    profile = load_profile(name)
    text = apply_patches(_read_data(profile.schema_.path), profile.schema_.patches)
    schema_class = xmlschema.XMLSchema11 if profile.schema_.xsd_version == "1.1" else xmlschema.XMLSchema10
    try:
        schema = schema_class(text.decode("utf-8"), validation="strict")
    except xmlschema.XMLSchemaParseError as err:
        raise ConfigError(f"goAML schema of profile {name!r} does not compile: {err.message}") from err
    if "report" not in schema.elements:
        raise ConfigError(
            f"goAML schema of profile {name!r} declares no <report> element as XSD {profile.schema_.xsd_version}"
        )
    return schema


@functools.cache
def code_list(name: str, list_name: str) -> dict[str, str]:
    """A profile's code list as ``{code: label}``.

    Raises:
        NotFound: the profile has no such code list.
    """
    profile = load_profile(name)
    spec = profile.code_lists.get(list_name)
    if spec is None:
        raise NotFound(f"goAML profile {name!r} has no code list {list_name!r}")
    entries: list[dict[str, Any]] = json.loads(_read_data(spec.file))
    return {str(entry["code"]): str(entry.get("label", "")) for entry in entries}


__all__ = [
    "AmountRule",
    "CodeList",
    "Profile",
    "SchemaPatch",
    "SchemaSpec",
    "apply_patches",
    "code_list",
    "load_profile",
    "load_schema",
    "profile_names",
]
