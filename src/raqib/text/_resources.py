"""The data files of the text layer (``raqib/data/text/``), read once per process and validated.

Like :mod:`raqib.names._resources` for names, this is the only module of :mod:`raqib.text` that reads
files; everything else receives the validated models.
"""

from __future__ import annotations

import functools
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from raqib.names._resources import DataFile, load_yaml

_FOLDER = "data/text"


class Proclitics(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    conjunctions: list[str]
    prepositions: list[str]
    article: str


class FunctionWordData(DataFile):
    proclitics: Proclitics
    arabic: list[str]
    english: list[str]


class PolicyValue(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    value: float
    reason: str = Field(min_length=10)


class PolicyData(DataFile):
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


class AliasData(DataFile):
    organisations: list[AliasOrganisation]


def _yaml(filename: str) -> dict[str, Any]:
    return load_yaml(_FOLDER, filename)


@functools.cache
def function_words() -> FunctionWordData:
    return FunctionWordData.model_validate(_yaml("function_words.yml"))


@functools.cache
def policy() -> PolicyData:
    return PolicyData.model_validate(_yaml("mention_policy.yml"))


@functools.cache
def org_aliases() -> AliasData:
    return AliasData.model_validate(_yaml("org_aliases.yml"))
