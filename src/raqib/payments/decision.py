"""Screen a parsed payment and decide: pass, review or hold, with every reason."""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from raqib.errors import InvalidInput
from raqib.lists.model import Entity
from raqib.matching import DEFAULT_THRESHOLD, Query
from raqib.payments.model import MessageError, Party, PaymentMessage
from raqib.payments.risk import (
    IdentifierIndex,
    JurisdictionHit,
    JurisdictionTable,
    ListedIdentifier,
    Policy,
    load_jurisdictions,
    load_policy,
)
from raqib.screening import Screener, ScreeningHit

Outcome = Literal["pass", "review", "hold"]
_RANK = {"pass": 0, "review": 1, "hold": 2}
_TOKEN = re.compile(r"[^\W\d_][\w'\-]*", re.UNICODE)


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a payment is held or reviewed.

    Attributes:
        action: ``hold`` or ``review``: what this reason alone asks for.
        kind: ``party_name``, ``free_text_name``, ``identifier``, ``jurisdiction``, ``jurisdiction_text``.
        field: Where in the message (``CdtTrfTxInf.Cdtr.Nm``, ``:59:``, ``:70:``).
        value: The value found there (for free text, the matched window).
        hit: What it matched: a list entity (``entity_id``, ``source``, ``source_ref``, ``caption``) or a
            jurisdiction (``code``, ``name``, ``categories``).
        score: The matching score for name hits; 1.0 for exact identifier and jurisdiction matches.
        detail: One line for a person (the engine's explanation, or the jurisdiction's category).
        offsets: For free text, ``[start, end]`` character offsets of the match in the field's text.
    """

    action: Literal["hold", "review"]
    kind: str
    field: str
    value: str
    hit: dict[str, Any]
    score: float
    detail: str = ""
    offsets: tuple[int, int] | None = None

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "action": self.action,
            "kind": self.kind,
            "field": self.field,
            "value": self.value,
            "hit": self.hit,
            "score": round(self.score, 4),
            "detail": self.detail,
        }
        if self.offsets is not None:
            data["offsets"] = list(self.offsets)
        return data


@dataclass(slots=True)
class Decision:
    """The screening outcome of one message."""

    message: PaymentMessage
    outcome: Outcome = "pass"
    reasons: list[Reason] = field(default_factory=list)

    @property
    def hold(self) -> bool:
        """True when the payment must be stopped (the alerts module raises an alert for these)."""
        return self.outcome == "hold"

    def add(self, reason: Reason) -> None:
        self.reasons.append(reason)
        if _RANK[reason.action] > _RANK[self.outcome]:
            self.outcome = reason.action

    def to_dict(self) -> dict[str, Any]:
        message = self.message
        return {
            "source": message.source,
            "format": message.format,
            "message_type": message.message_type,
            "message_id": message.message_id,
            "uetr": message.uetr,
            "decision": self.outcome,
            "hold": self.hold,
            "reasons": [r.to_dict() for r in self.reasons],
            "warnings": list(message.warnings),
            "summary": {
                "parties": len(message.parties),
                "identifiers": len(message.identifiers),
                "countries": sorted({c.value for c in message.countries}),
                "free_text_fields": len(message.free_text),
                "amount": message.amount,
                "currency": message.currency,
            },
        }


def _entity_hit(hit: ScreeningHit) -> dict[str, Any]:
    entity = hit.entity
    return {
        "entity_id": entity.entity_id,
        "source": entity.source,
        "source_ref": entity.source_ref,
        "caption": entity.caption,
        "matched_name": hit.result.matched_name,
    }


def _listed_hit(listed: ListedIdentifier) -> dict[str, Any]:
    return {
        "entity_id": listed.entity_id,
        "source": listed.source,
        "source_ref": listed.source_ref,
        "caption": listed.caption,
        "identifier_type": listed.type,
        "identifier": listed.number,
        "note": listed.note,
    }


def _jurisdiction_hit(found: JurisdictionHit) -> dict[str, Any]:
    return {"code": found.code, "name": found.name, "categories": list(found.categories)}


# Payment streams repeat themselves (the same customers, the same remittance phrases): results per
# (name, threshold, limit) are kept per screener, which is immutable once built, so they stay valid.
_RESULT_CACHES: weakref.WeakKeyDictionary[Screener, dict[tuple[str, float, int], list[ScreeningHit]]] = (
    weakref.WeakKeyDictionary()
)
CACHE_ENTRIES = 200_000


def screen_names(
    screener: Screener, names: Sequence[str], threshold: float, limit: int
) -> list[list[ScreeningHit]]:
    """``screener.screen_many`` by name only, with a bounded per-screener cache of results."""
    cache = _RESULT_CACHES.setdefault(screener, {})
    keys = [(name, threshold, limit) for name in names]
    missing = list(dict.fromkeys(key for key in keys if key not in cache))
    if missing:
        if len(cache) + len(missing) > CACHE_ENTRIES:
            cache.clear()
        found = screener.screen_many(
            [Query(name=name) for name, _, _ in missing], threshold=threshold, limit=limit
        )
        cache.update(zip(missing, found, strict=True))
    return [cache[key] for key in keys]


def text_windows(text: str, smallest: int, largest: int) -> list[tuple[str, int, int]]:
    """Windows of ``smallest``..``largest`` consecutive word tokens of ``text``, with character offsets.

    Tokens are runs of letters (digits, punctuation and reference codes split them), so
    ``"INV 42 PAYMENT TO OSAMA BIN LADEN"`` yields ``"PAYMENT TO"``, ... ``"OSAMA BIN LADEN"``.
    """
    tokens = [(m.start(), m.end()) for m in _TOKEN.finditer(text)]
    windows = []
    for size in range(smallest, largest + 1):
        for first in range(0, len(tokens) - size + 1):
            start, end = tokens[first][0], tokens[first + size - 1][1]
            windows.append((text[start:end], start, end))
    return windows


def scan_free_text(
    screener: Screener, text: str, threshold: float, policy: Policy
) -> list[tuple[ScreeningHit, str, int, int]]:
    """Listed names mentioned in a free text: screen every 2-4 token window at a high threshold.

    A deliberately simple stand-in for the planned free-text module (``raqib.text``): it finds names
    written whole and close together, not names split across MT line breaks in the middle of a word
    or names declined/inflected in a sentence. Replace this one function when ``raqib.text`` lands.
    Each entity is reported once, at its best window.
    """
    windows = text_windows(text, policy.free_text_window_min, policy.free_text_window_max)
    if not windows:
        return []
    results = screen_names(screener, [window for window, _, _ in windows], threshold, policy.hits_per_name)
    best: dict[str, tuple[ScreeningHit, str, int, int]] = {}
    for (window, start, end), hits in zip(windows, results, strict=True):
        for hit in hits:
            known = best.get(hit.entity.entity_id)
            if known is None or hit.score > known[0].score:
                best[hit.entity.entity_id] = (hit, window, start, end)
    return sorted(best.values(), key=lambda item: (item[2], -item[0].score))


def _party_name(party: Party) -> str | None:
    # Screened by name only: an address country is not a nationality, and a customer field may
    # name a person or a company, so neither country nor type is given to the engine.
    if not party.name or not party.name.strip():
        return None
    return party.name[:500]


class PaymentScreener:
    """Screens parsed payment messages against list entities and the jurisdiction table.

    Args:
        screener: The name-matching screener (``Screener(entities)`` or ``Screener.from_store``).
        identifiers: Exact-match index of listed wallets/BICs/IBANs (``IdentifierIndex(entities)``).
        jurisdictions: The jurisdiction table (default: the shipped one).
        policy: Thresholds and actions (default: the shipped ``policy.yml``).
        threshold: The hold threshold for party names (default: the engine's ``DEFAULT_THRESHOLD``).
    """

    def __init__(
        self,
        screener: Screener,
        identifiers: IdentifierIndex,
        jurisdictions: JurisdictionTable | None = None,
        policy: Policy | None = None,
        threshold: float | None = None,
    ):
        self.screener = screener
        self.identifiers = identifiers
        self.jurisdictions = jurisdictions or load_jurisdictions()
        self.policy = policy or load_policy()
        self.hold_threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        self.review_threshold = max(0.0, self.hold_threshold - self.policy.review_band)
        self.free_text_threshold = min(1.0, self.hold_threshold + self.policy.free_text_margin)

    @classmethod
    def from_entities(cls, entities: Iterable[Entity], **options: Any) -> PaymentScreener:
        """Build both indexes from the same entities (tests, small lists)."""
        entities = list(entities)
        return cls(Screener(entities), IdentifierIndex(entities), **options)

    def screen(self, message: PaymentMessage) -> Decision:
        """Screen one message: party names, free text, identifiers, jurisdictions."""
        decision = Decision(message)
        self._parties(message, decision)
        self._identifiers(message, decision)
        self._jurisdictions(message, decision)
        self._free_text(message, decision)
        return decision

    def screen_all(self, items: Sequence[PaymentMessage | MessageError]) -> list[Decision | MessageError]:
        """Screen every parsed message; errors are passed through in place."""
        return [item if isinstance(item, MessageError) else self.screen(item) for item in items]

    def _parties(self, message: PaymentMessage, decision: Decision) -> None:
        named = [(party, name) for party in message.parties if (name := _party_name(party)) is not None]
        if not named:
            return
        results = screen_names(
            self.screener, [name for _, name in named], self.review_threshold, self.policy.hits_per_name
        )
        for (party, _), hits in zip(named, results, strict=True):
            field = (
                f"{party.field}.Nm"
                if message.format == "iso20022" and not party.is_institution
                else party.field
            )
            if message.format == "iso20022" and party.is_institution:
                field = f"{party.field}.FinInstnId.Nm"
            for hit in hits:
                action: Literal["hold", "review"] = "hold" if hit.score >= self.hold_threshold else "review"
                decision.add(
                    Reason(
                        action,
                        "party_name",
                        field,
                        party.name or "",
                        _entity_hit(hit),
                        hit.score,
                        hit.result.explanation(),
                    )
                )

    def _identifiers(self, message: PaymentMessage, decision: Decision) -> None:
        action = self.policy.identifier_action
        for value in message.identifiers:
            for listed in self.identifiers.lookup(value.value):
                detail = f"{value.kind} {value.value} is listed as {listed.type} of {listed.caption}"
                decision.add(
                    Reason(action, "identifier", value.field, value.value, _listed_hit(listed), 1.0, detail)
                )
        for text in message.free_text:
            for listed, start, end in self.identifiers.scan_text(text.value):
                detail = f"the text names {listed.type} {listed.number} of {listed.caption}"
                decision.add(
                    Reason(
                        action,
                        "identifier",
                        text.field,
                        text.value[start:end],
                        _listed_hit(listed),
                        1.0,
                        detail,
                        (start, end),
                    )
                )

    def _jurisdictions(self, message: PaymentMessage, decision: Decision) -> None:
        seen: set[tuple[str, str]] = set()
        for country in message.countries:
            found = self.jurisdictions.lookup(country.value)
            if found is not None and (country.field, found.code) not in seen:
                seen.add((country.field, found.code))
                detail = f"{found.name} ({country.kind}): {found.reason}"
                decision.add(
                    Reason(
                        found.action,
                        "jurisdiction",
                        country.field,
                        country.value,
                        _jurisdiction_hit(found),
                        1.0,
                        detail,
                    )
                )
        cap = self.policy.jurisdiction_text_action
        suffix = ".PstlAdr" if message.format == "iso20022" else ""
        texts = [(f"{p.field}{suffix}", " | ".join(p.address)) for p in message.parties if p.address]
        texts += [(t.field, t.value) for t in message.free_text]
        for where, text in texts:
            if not text:
                continue
            for found, start, end in self.jurisdictions.find_in_text(text, cap):
                if (where, found.code) in seen:
                    continue
                seen.add((where, found.code))
                detail = f"{found.name} named in the text: {found.reason}"
                decision.add(
                    Reason(
                        found.action,
                        "jurisdiction_text",
                        where,
                        text[start:end],
                        _jurisdiction_hit(found),
                        1.0,
                        detail,
                        (start, end),
                    )
                )

    def _free_text(self, message: PaymentMessage, decision: Decision) -> None:
        action = self.policy.free_text_action
        for text in message.free_text:
            for hit, window, start, end in scan_free_text(
                self.screener, text.value, self.free_text_threshold, self.policy
            ):
                decision.add(
                    Reason(
                        action,
                        "free_text_name",
                        text.field,
                        window,
                        _entity_hit(hit),
                        hit.score,
                        hit.result.explanation(),
                        (start, end),
                    )
                )


def check_threshold(value: float | None) -> float | None:
    """Validate a caller's threshold override."""
    if value is not None and not 0.0 < value <= 1.0:
        raise InvalidInput("the threshold must be in (0, 1]", details={"field": "threshold"})
    return value


__all__ = [
    "Decision",
    "Outcome",
    "PaymentScreener",
    "Reason",
    "check_threshold",
    "scan_free_text",
    "text_windows",
]
