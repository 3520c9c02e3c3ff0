"""The data files of the text layer (``raqib/data/text/``), read once per process and validated.

Like :mod:`raqib.names._resources` for names, this is the only module of :mod:`raqib.text` that reads
files; everything else receives the validated models.
"""

from __future__ import annotations

import functools
from importlib import resources
from typing import Any

import yaml
from pydantic import BaseModel, ConfigDict, Field

_PACKAGE = "raqib"
_FOLDER = "data/text"


class _DataFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10, description="Where the data comes from.")
    version: int = Field(ge=1)


class Proclitics(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    conjunctions: list[str]
    prepositions: list[str]
    article: str


class FunctionWordData(_DataFile):
    proclitics: Proclitics
    arabic: list[str]
    english: list[str]


class PolicyValue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float
    reason: str = Field(min_length=10)


class PolicyData(_DataFile):
    model_config = ConfigDict(extra="allow", frozen=True)

    def values(self) -> dict[str, PolicyValue]:
        """Every parameter of the file (the fields besides ``source`` and ``version``)."""
        extra = self.model_extra or {}
        return {name: PolicyValue.model_validate(value) for name, value in extra.items()}


class AliasName(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    text: str = Field(min_length=2)
    source: str = Field(min_length=10)
    case_sensitive: bool = False
    alert: bool = True


class AliasReference(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    list: str
    ref: str
    name: str
    note: str | None = None


class AliasOrganisation(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    label: str
    names: list[AliasName] = Field(min_length=1)
    references: list[AliasReference] = Field(min_length=1)
    not_followed_by: list[str] = Field(default_factory=list)


class AliasData(_DataFile):
    organisations: list[AliasOrganisation]


def read_text(filename: str) -> str:
    """Return the text of one packaged data file of the text layer."""
    return resources.files(_PACKAGE).joinpath(_FOLDER, filename).read_text(encoding="utf-8")


def _yaml(filename: str) -> dict[str, Any]:
    loaded = yaml.safe_load(read_text(filename))
    if not isinstance(loaded, dict):
        raise TypeError(f"{filename}: expected a mapping at the top level")
    return loaded


@functools.cache
def function_words() -> FunctionWordData:
    return FunctionWordData.model_validate(_yaml("function_words.yml"))


@functools.cache
def policy() -> PolicyData:
    return PolicyData.model_validate(_yaml("mention_policy.yml"))


@functools.cache
def org_aliases() -> AliasData:
    return AliasData.model_validate(_yaml("org_aliases.yml"))
