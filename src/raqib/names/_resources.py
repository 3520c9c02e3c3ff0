"""The one place where the pure core reads files: the language data shipped inside the package.

``raqib.names`` and ``raqib.matching`` do no I/O at call time. The single exception is this module:
it reads the versioned data files under ``raqib/data/names/`` through :mod:`importlib.resources`,
validates each into a pydantic model, and caches the result (``functools.cache``), so each file is
read at most once per process. ``tests/test_architecture.py`` allows file access here and nowhere else
in the core.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

_PACKAGE = "raqib"
_FOLDER = "data/names"


class DataFile(BaseModel):
    """What every packaged data file carries: where its data comes from and a version."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10, description="Where the data comes from.")
    version: int = Field(ge=1)


class ArabicScriptData(DataFile):
    letter_folding: dict[str, str]
    digits: str
    romanisation: dict[str, str]


class PhoneticData(DataFile):
    arabic: dict[str, list[str]]
    latin: dict[str, list[str]]
    learned: dict[str, list[str]] = {}


class TitleData(DataFile):
    titles: list[str]


class CompoundSpellings(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    standalone: list[str]
    joined: list[str]


class ParticleData(DataFile):
    nasab: list[str]
    article: list[str]
    article_sun: list[tuple[str, str]]
    compounds: dict[str, CompoundSpellings]


class HomoglyphData(DataFile):
    homoglyphs: dict[str, str]


class OrganisationWordData(DataFile):
    words: dict[str, list[str]] = Field(description="Arabic word (no article) -> Latin equivalents.")


class FrequencyData(DataFile):
    total: int = Field(ge=1, description="Number of name tokens counted.")
    counts: dict[str, int] = Field(description="Phonetic key -> number of tokens with that key.")


def read_package_text(folder: str, filename: str) -> str:
    """Return the text of one data file shipped in ``raqib/<folder>/`` (e.g. ``data/text``)."""
    return resources.files(_PACKAGE).joinpath(folder, filename).read_text(encoding="utf-8")


def load_yaml(folder: str, filename: str) -> dict[str, Any]:
    """Parse one packaged YAML data file, which must hold a mapping (``source:``, ``version:``, ...)."""
    loaded = yaml.safe_load(read_package_text(folder, filename))
    if not isinstance(loaded, dict):
        raise TypeError(f"{filename}: expected a mapping at the top level")
    return loaded


def read_text(filename: str) -> str:
    """Return the text of one packaged names data file (the only file read in the pure core)."""
    return read_package_text(_FOLDER, filename)


def _yaml(filename: str) -> dict[str, Any]:
    return load_yaml(_FOLDER, filename)


@functools.cache
def arabic_script() -> ArabicScriptData:
    return ArabicScriptData.model_validate(_yaml("arabic_script.yml"))


@functools.cache
def phonetic() -> PhoneticData:
    return PhoneticData.model_validate(_yaml("phonetic.yml"))


@functools.cache
def titles() -> TitleData:
    return TitleData.model_validate(_yaml("titles.yml"))


@functools.cache
def particles() -> ParticleData:
    return ParticleData.model_validate(_yaml("particles.yml"))


@functools.cache
def organisation_words() -> OrganisationWordData:
    return OrganisationWordData.model_validate(_yaml("org_words.yml"))


@functools.cache
def homoglyphs() -> HomoglyphData:
    return HomoglyphData.model_validate(_yaml("homoglyphs.yml"))


@functools.cache
def token_frequencies() -> FrequencyData:
    """Read ``token_frequencies.tsv``: ``# source:``/``# version:``/``# total:`` headers, then key<TAB>count."""
    header: dict[str, Any] = {}
    counts: dict[str, int] = {}
    for line in read_text("token_frequencies.tsv").splitlines():
        if line.startswith("#"):
            field, _, value = line[1:].partition(":")
            header[field.strip()] = value.strip()
        elif line.strip():
            key, _, count = line.partition("\t")
            counts[key] = int(count)
    return FrequencyData.model_validate({**header, "counts": counts})
