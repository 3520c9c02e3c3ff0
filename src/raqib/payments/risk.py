"""Risk data for payments: the jurisdiction table, the screening policy, and listed identifiers.

The policy is a versioned data file, ``raqib/data/payments/policy.yml``. The jurisdiction table is the
payment view of ``raqib/data/jurisdictions.yml`` (read through :mod:`raqib.jurisdictions`, shared with
transaction monitoring): the jurisdictions in a category with a payment action, with the file's
``source:``, ``version:`` and the FATF statement date it reflects. The :class:`IdentifierIndex` is built from list entities: every crypto wallet, BIC, IBAN or bank account
a list names, for exact lookup.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from raqib.jurisdictions import load_jurisdiction_data
from raqib.lists.model import Entity

Action = Literal["hold", "review"]
_FOLDER = "data/payments"


class _DataFile(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(min_length=10)
    version: int = Field(ge=1)


class Category(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    action: Action
    title: str


class Jurisdiction(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: str = Field(pattern=r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$")
    name: str
    categories: list[str] = Field(min_length=1)
    names: list[str] = Field(default_factory=list)
    region_of: str | None = None


# Keys of earlier policy files that no longer mean anything: version 1 sized the free-text windows of
# the scan that raqib.text replaced. A file that still has them loads; the values are ignored.
RETIRED_POLICY_KEYS = frozenset({"free_text_window_min", "free_text_window_max"})


class Policy(_DataFile):
    """Decision thresholds and actions (see ``policy.yml``)."""

    review_band: float = Field(ge=0.0, le=0.5)
    free_text_margin: float = Field(ge=0.0, le=0.5)
    free_text_action: Action
    jurisdiction_text_action: Action
    identifier_action: Action
    identifier_types: list[str]
    hits_per_name: int = Field(ge=1, le=20)

    @model_validator(mode="before")
    @classmethod
    def _drop_retired_keys(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if key not in RETIRED_POLICY_KEYS}
        return data


@dataclass(frozen=True, slots=True)
class JurisdictionHit:
    """A jurisdiction of the table found in a message: which, why it matters, and the action."""

    code: str
    name: str
    categories: tuple[str, ...]
    action: Action
    reason: str


class JurisdictionTable(_DataFile):
    """Embargoed and FATF-listed jurisdictions, with the statement date they reflect."""

    statement_date: str
    embargo_review_date: str
    categories: dict[str, Category]
    jurisdictions: list[Jurisdiction]

    def model_post_init(self, _context: object) -> None:
        for item in self.jurisdictions:
            unknown = [c for c in item.categories if c not in self.categories]
            if unknown:
                raise ValueError(f"{item.code}: unknown categories {unknown}")

    @functools.cached_property
    def _by_code(self) -> dict[str, Jurisdiction]:
        return {item.code: item for item in self.jurisdictions}

    @functools.cached_property
    def _name_pattern(self) -> tuple[re.Pattern[str], dict[str, Jurisdiction]]:
        spellings: dict[str, Jurisdiction] = {}
        for item in self.jurisdictions:
            for spelling in item.names:
                spellings[spelling.casefold()] = item
        ordered = sorted(spellings, key=len, reverse=True)  # longest first: "north korea" before "korea"
        pattern = re.compile(
            r"(?<!\w)(" + "|".join(re.escape(s) for s in ordered) + r")(?!\w)", re.IGNORECASE
        )
        return pattern, spellings

    def hit(self, item: Jurisdiction, action_cap: Action | None = None) -> JurisdictionHit:
        actions = [self.categories[c].action for c in item.categories]
        action: Action = "hold" if "hold" in actions else "review"
        if action_cap == "review":
            action = "review"
        reason = "; ".join(self.categories[c].title for c in item.categories)
        return JurisdictionHit(item.code, item.name, tuple(item.categories), action, reason)

    def lookup(self, code: str) -> JurisdictionHit | None:
        """An ISO 3166 code (``IR``, ``UA-43``) -> its risk, or None when the table does not list it."""
        item = self._by_code.get(code.upper())
        return self.hit(item) if item is not None else None

    def find_in_text(
        self, text: str, action_cap: Action | None = None
    ) -> list[tuple[JurisdictionHit, int, int]]:
        """Listed jurisdictions named in a text (addresses, free text), with character offsets."""
        pattern, spellings = self._name_pattern
        found = []
        for match in pattern.finditer(text):
            item = spellings[match.group(1).casefold()]
            found.append((self.hit(item, action_cap), match.start(), match.end()))
        return found


def _load(name: str) -> dict[str, object]:
    with (resources.files("raqib") / _FOLDER / name).open(encoding="utf-8") as stream:
        data = yaml.safe_load(stream)
    if not isinstance(data, dict):
        raise ValueError(f"{name}: expected a mapping")
    return data


@functools.cache
def load_jurisdictions() -> JurisdictionTable:
    """The shipped jurisdiction table (validated, cached).

    The payment view of ``raqib/data/jurisdictions.yml``: only the categories with a payment action,
    and only the jurisdictions in one of them (monitoring-only categories such as conflict-adjacent
    areas are left out, so they neither add hits nor change a hit's reason).

    Raises:
        ConfigError: The shipped file is invalid.
    """
    data = load_jurisdiction_data()
    categories = {
        name: Category(action=category.action, title=category.title)
        for name, category in data.categories.items()
        if category.action is not None
    }
    jurisdictions = [
        Jurisdiction(
            code=item.code,
            name=item.name,
            categories=[c for c in item.categories if c in categories],
            names=list(item.names),
            region_of=item.region_of,
        )
        for item in data.in_categories(set(categories))
    ]
    return JurisdictionTable(
        source=data.source,
        version=data.version,
        statement_date=data.statement_date,
        embargo_review_date=data.embargo_review_date,
        categories=categories,
        jurisdictions=jurisdictions,
    )


@functools.cache
def load_policy() -> Policy:
    """The shipped screening policy (validated, cached)."""
    return Policy.model_validate(_load("policy.yml"))


_ETH = re.compile(r"^0x[0-9a-fA-F]{40}$")


def normalise_identifier(value: str) -> str:
    """The form identifiers are compared in.

    Spaces, dashes and dots are dropped (IBANs are printed in groups); hex (``0x...``) and bech32
    (``bc1...``, ``ltc1...``) addresses are case-insensitive and folded to lower case; everything else
    that is all letters and digits is folded to upper case (BICs, IBANs, account numbers) except
    base58 crypto addresses, whose case matters. A BIC11 with the primary-office branch ``XXX`` is its
    BIC8.
    """
    compact = re.sub(r"[\s.\-]", "", value)
    if _ETH.match(compact) or re.match(r"^(bc1|ltc1|tb1)[0-9a-z]+$", compact, re.IGNORECASE):
        return compact.lower()
    if re.fullmatch(r"[A-Z0-9]+", compact.upper()) and (
        compact.isupper() or compact.isdigit() or compact.islower()
    ):
        compact = compact.upper()
        if len(compact) == 11 and compact.endswith("XXX") and compact[:6].isalpha():
            compact = compact[:8]
    return compact


@dataclass(frozen=True, slots=True)
class ListedIdentifier:
    """An identifier a list entity carries."""

    entity_id: str
    source: str
    source_ref: str
    caption: str
    type: str
    number: str
    note: str | None


class IdentifierIndex:
    """Exact lookup of the wallets, BICs, IBANs and accounts list entities carry."""

    def __init__(self, entities: Iterable[Entity], types: Iterable[str] | None = None):
        wanted = frozenset(types if types is not None else load_policy().identifier_types)
        self._index: dict[str, list[ListedIdentifier]] = {}
        for entity in entities:
            for identifier in entity.identifiers:
                if identifier.type not in wanted or not identifier.number.strip():
                    continue
                listed = ListedIdentifier(
                    entity.id, entity.source, entity.source_ref, entity.caption,
                    identifier.type, identifier.number, identifier.note,
                )  # fmt: skip
                self._index.setdefault(normalise_identifier(identifier.number), []).append(listed)

    def __len__(self) -> int:
        return len(self._index)

    def lookup(self, value: str) -> list[ListedIdentifier]:
        """Every listed identifier equal to ``value`` (after :func:`normalise_identifier`)."""
        if not value:
            return []
        return self._index.get(normalise_identifier(value), [])

    def scan_text(self, text: str) -> list[tuple[ListedIdentifier, int, int]]:
        """Listed identifiers written as whole tokens inside a free text, with offsets."""
        found = []
        for match in re.finditer(r"[A-Za-z0-9]{8,}", text):
            for listed in self._index.get(normalise_identifier(match.group()), []):
                found.append((listed, match.start(), match.end()))
        return found


__all__ = [
    "IdentifierIndex",
    "JurisdictionHit",
    "JurisdictionTable",
    "ListedIdentifier",
    "Policy",
    "load_jurisdictions",
    "load_policy",
    "normalise_identifier",
]
