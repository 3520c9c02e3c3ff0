"""Screen a parsed payment and decide: pass, review or hold, with every reason."""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal, cast

from raqib.errors import InvalidInput
from raqib.lists.model import Entity
from raqib.matching import DEFAULT_THRESHOLD, Query
from raqib.matching.algorithms.v1 import parse as parse_name_cached
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
from raqib.text import MAX_TEXT_CHARS, Mention, MentionKind, MentionPolicy, TextScreener

Outcome = Literal["pass", "review", "hold"]
_RANK = {"pass": 0, "review": 1, "hold": 2}


@dataclass(frozen=True, slots=True)
class Reason:
    """Why a payment is held or reviewed.

    Attributes:
        action: ``hold`` or ``review``: what this reason alone asks for.
        kind: ``party_name``, ``free_text_name`` (a listed name in free text), ``free_text_alias`` (a
            curated short name of a listed organisation in free text: ISIS, داعش), ``identifier``,
            ``jurisdiction``, ``jurisdiction_text``.
        field: Where in the message (``CdtTrfTxInf.Cdtr.Nm``, ``:59:``, ``:70:``).
        value: The value found there (for free text, the mentioned words as written).
        hit: What it matched: a list entity (``entity_id``, ``source``, ``source_ref``, ``caption``; for
            free text also ``type``, ``mention`` (``name`` or ``org_alias``) and any ``title``) or a
            jurisdiction (``code``, ``name``, ``categories``).
        score: The matching score for name hits; 1.0 for exact identifier and jurisdiction matches and
            curated aliases.
        detail: One line for a person (the engine's explanation, with the text guard's verdict for free
            text, the alias and its source, or the jurisdiction's category).
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


# A line of MT field 72 (and of some field 70 conventions) that starts with "//" continues the item of
# the line before; the parser joins lines with a space, so the marker sits after whitespace. Blanked
# (same length, so offsets hold) it no longer ends the phrase and a name wrapped onto the continuation
# line is still one span. A code such as /BNF/ or /ROC/ starts a new item and stays a phrase break.
_MT_CONTINUATION = re.compile(r"(?:^|(?<=\s))//")
# Lists and payment systems write names surname first ("HADDAD, AHMAD KHALIL"); in running text a
# comma ends a phrase, in a payment's free text a comma between two words is read as a space.
_NAME_COMMA = re.compile(r"(?<=[^\W\d_])(\s*)[,،](?=\s*[^\W\d_])")
# Payment free text is cased by the sending system, not by grammar (MT is upper-case throughout,
# some banks lower-case everything), so every Latin word is offered to the text screener as a
# possible name, as upper-case MT words already are: the first letter of each word is raised. Whole
# words are not upper-cased, so case-sensitive acronyms (ISIS, not "isis") keep their meaning.
_WORD_START = re.compile(r"(?<![\w'’‘ʼʾʿ`´])[a-z\u00df-\u00f6\u00f8-\u00ff\u0100-\u024f]")
# Remittance lines repeat (the same customers send the same lines): mentions are kept per screener
# and text. Long texts (over this many characters) are rare and not worth keeping.
_CACHED_TEXT_CHARS = 2_000
_MENTION_CACHES: weakref.WeakKeyDictionary[Screener, dict[tuple[MentionPolicy, str], tuple[Mention, ...]]] = (
    weakref.WeakKeyDictionary()
)


def _matchable_parts(name: str) -> int:
    # raqib-v1's per-process cache of parse_name: the search that follows parses the same span.
    return len(parse_name_cached(name).matchable)


class _PaymentSpans:
    """What :class:`~raqib.text.TextScreener` asks of its screener, narrowed to what payments use.

    The text screener searches every candidate span of a text at its lowest threshold (the one-word
    threshold, 0.6 for payments) so that it can also report weak mentions. Payments take mentions only,
    and a span of two or more matchable name parts is a mention only at or above the span threshold
    (``TextScreener._assess``: organisations and persons with two aligned parts need it; only a
    one-part span can alert below it, through the one-word rule). So multi-part spans are searched at
    the span threshold: the same mentions (``tests/payments/test_free_text.py`` compares them with a
    plain :class:`~raqib.text.TextScreener`), far fewer near candidates to score. Searches go through
    the per-screener cache of :func:`screen_names` (remittance texts share many spans). Anything else
    is the wrapped screener's.
    """

    def __init__(self, screener: Screener, span_threshold: float) -> None:
        self.wrapped = screener
        self.span_threshold = span_threshold

    def screen_many(
        self, queries: Sequence[Query], threshold: float | None = None, limit: int = 10, workers: int = 1
    ) -> list[list[ScreeningHit]]:
        if threshold is None or any(query != Query(name=query.name) for query in queries):
            return self.wrapped.screen_many(queries, threshold=threshold, limit=limit, workers=workers)
        names = [query.name for query in queries]
        several = [_matchable_parts(name) >= 2 for name in names]
        one = screen_names(
            self.wrapped, [n for n, s in zip(names, several, strict=True) if not s], threshold, limit
        )
        many = screen_names(
            self.wrapped,
            [n for n, s in zip(names, several, strict=True) if s],
            max(threshold, self.span_threshold),
            limit,
        )
        ones, manys = iter(one), iter(many)
        return [next(manys) if s else next(ones) for s in several]

    def __getattr__(self, name: str) -> Any:
        return getattr(self.wrapped, name)


def _raise_first(match: re.Match[str]) -> str:
    letter = match.group()
    upper = letter.upper()
    return upper if len(upper) == 1 else letter  # keep the length: offsets must not move (ß -> SS)


def prepare_free_text(text: str, *, swift_mt: bool = False) -> str:
    """The form of a payment's free text given to the text screener: same length, same offsets.

    Every Latin word gets a capital first letter (see ``_WORD_START``), a comma between two words
    becomes a space (``_NAME_COMMA``) and, for SWIFT MT, ``//`` continuation markers become spaces.
    """
    if swift_mt:
        text = _MT_CONTINUATION.sub("  ", text)
    text = _NAME_COMMA.sub(lambda match: match.group(1) + " ", text)
    return _WORD_START.sub(_raise_first, text)


def _text_chunks(text: str) -> list[tuple[int, str]]:
    """``text`` cut (at whitespace where possible) into pieces the text screener accepts, with offsets."""
    chunks: list[tuple[int, str]] = []
    start = 0
    while len(text) - start > MAX_TEXT_CHARS:
        end = start + MAX_TEXT_CHARS
        cut = max(text.rfind(" ", start, end), text.rfind("\n", start, end))
        end = cut + 1 if cut > start else end
        chunks.append((start, text[start:end]))
        start = end
    chunks.append((start, text[start:]))
    return [(offset, chunk) for offset, chunk in chunks if chunk.strip()]


def scan_free_text(text_screener: TextScreener, text: str, *, swift_mt: bool = False) -> list[Mention]:
    """Listed people and organisations mentioned in a payment's free text, through :mod:`raqib.text`.

    The text is screened as ``raqib text screen`` screens a document (Arabic clitics, titles, curated
    organisation aliases, the guard that one shared common word is never an alert), after
    :func:`prepare_free_text`. Only the screener's mentions count (its weak mentions are not reasons).
    Each entity is reported once, at its best mention (highest score, then the first in the text).
    Offsets index ``text``; a mention's ``text`` is taken from ``text`` itself.

    Args:
        text_screener: The text screener (its policy's span threshold is the free-text threshold).
        text: The free text as parsed.
        swift_mt: The text comes from an MT field (70, 72): ``//`` continuation markers are joiners.

    Returns:
        The mentions in text order.
    """
    if not text.strip():
        return []
    prepared = prepare_free_text(text, swift_mt=swift_mt)
    screener = text_screener.screener
    cache = _MENTION_CACHES.setdefault(
        screener.wrapped if isinstance(screener, _PaymentSpans) else screener, {}
    )
    key = (text_screener.policy, prepared)
    found = cache.get(key)
    if found is None:
        best: dict[str, Mention] = {}
        for offset, chunk in _text_chunks(prepared):
            for mention in text_screener.screen(chunk).mentions:
                known = best.get(mention.entity_id)
                if known is None or round(mention.score, 4) > round(known.score, 4):
                    start, end = mention.start + offset, mention.end + offset
                    best[mention.entity_id] = replace(mention, start=start, end=end)
        found = tuple(sorted(best.values(), key=lambda m: (m.start, -m.score, m.entity_id)))
        if len(prepared) <= _CACHED_TEXT_CHARS:
            if len(cache) >= CACHE_ENTRIES:
                cache.clear()
            cache[key] = found
    return [replace(mention, text=text[mention.start : mention.end]) for mention in found]


def _mention_hit(mention: Mention) -> dict[str, Any]:
    hit: dict[str, Any] = {
        "entity_id": mention.entity_id,
        "source": mention.source,
        "source_ref": mention.source_ref,
        "caption": mention.caption,
        "type": mention.type,
        "mention": mention.kind.value,
    }
    if mention.title:
        hit["title"] = mention.title
    return hit


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
        # Free text is screened as `raqib text screen` screens a document, with the text layer's span
        # threshold set to the free-text threshold (its one-word threshold keeps its distance below).
        mention_policy = MentionPolicy.packaged().with_threshold(self.free_text_threshold)
        self.text_screener = TextScreener(
            cast(Screener, _PaymentSpans(screener, mention_policy.span_threshold)), policy=mention_policy
        )

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
        # Every mention is a reason with the policy's free_text_action (review), a curated organisation
        # alias (ISIS, داعش) included: the text says which listed organisation the payment is *about*,
        # not that a party of the payment is listed (that holds through the party, identifier and
        # jurisdiction checks), so an analyst judges it. Acronyms also lose their case in upper-case
        # MT text (ISIS is a given name too), which a hold on the word alone would not survive.
        action = self.policy.free_text_action
        swift_mt = message.format == "swift_mt"
        for text in message.free_text:
            for mention in scan_free_text(self.text_screener, text.value, swift_mt=swift_mt):
                alias = mention.kind is MentionKind.ORG_ALIAS
                decision.add(
                    Reason(
                        action,
                        "free_text_alias" if alias else "free_text_name",
                        text.field,
                        mention.text,
                        _mention_hit(mention),
                        mention.score,
                        mention.explanation,
                        (mention.start, mention.end),
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
    "prepare_free_text",
    "scan_free_text",
]
