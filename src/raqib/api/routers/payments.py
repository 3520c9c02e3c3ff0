"""Payment screening: ``POST /v1/payments/screen`` with an ISO 20022 or SWIFT MT message."""

from __future__ import annotations

import threading
from typing import Any, Literal

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from raqib.api.deps import ScreenerRoleDep, StateDep
from raqib.api.state import AppState
from raqib.lists.store import ListStore
from raqib.payments import IdentifierIndex, MessageError, PaymentScreener, load_jurisdictions, parse_messages
from raqib.payments.risk import load_policy
from raqib.screening import Screener, record_payment_hold

router = APIRouter(prefix="/v1/payments", tags=["payments"])

MAX_MESSAGE_CHARS = 2_000_000


class PaymentScreenRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    message: str = Field(
        min_length=1,
        max_length=MAX_MESSAGE_CHARS,
        description="One ISO 20022 pacs.008/pacs.009/pain.001 XML message, or SWIFT FIN text (MT103/MT202; "
        "several messages in RJE form are allowed).",
    )
    source: str | None = Field(default=None, max_length=200, description="Your reference, echoed in results.")
    threshold: float | None = Field(
        default=None, gt=0.0, le=1.0, description="Hold threshold for party names (default: the engine's)."
    )
    lists: list[str] | None = Field(default=None, description="Only these list ids (default: all)")


class PaymentScreenResponse(BaseModel):
    decision: Literal["pass", "review", "hold"] = Field(
        description="The strictest outcome over all messages."
    )
    hold: bool
    jurisdiction_table: dict[str, Any]
    list_versions: list[dict[str, Any]]
    results: list[dict[str, Any]] = Field(
        description="One per message: a decision with its reasons, or {ok: false, code, message} for a "
        "message of an RJE batch that could not be read."
    )


class _IdentifierCache:
    """One identifier index per set of list versions (rebuilt when a list gets a new version)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cache: dict[tuple[int, ...], IdentifierIndex] = {}

    def get(self, store: ListStore, screener: Screener) -> IdentifierIndex:
        key = tuple(sorted(v.id for v in screener.versions))
        index = self._cache.get(key)
        if index is not None:
            return index
        with self._lock:
            index = self._cache.get(key)
            if index is None:
                index = IdentifierIndex(e for v in screener.versions for e in store.entities(v.id))
                if len(self._cache) >= 8:
                    self._cache.pop(next(iter(self._cache)))
                self._cache[key] = index
            return index


_identifiers = _IdentifierCache()
_RANK = {"pass": 0, "review": 1, "hold": 2}


def _payment_screener(state: AppState, body: PaymentScreenRequest) -> PaymentScreener:
    screener = state.screeners.get(body.lists)
    return PaymentScreener(screener, _identifiers.get(state.store, screener), threshold=body.threshold)


@router.post(
    "/screen", summary="Screen a payment message: pass, review or hold", response_model=PaymentScreenResponse
)
def screen_payment(
    body: PaymentScreenRequest, state: StateDep, _key: ScreenerRoleDep
) -> PaymentScreenResponse:
    """Parse the message (errors are 400 with a code such as ``malformed_xml``, ``unsafe_xml``,
    ``wrong_namespace``, ``unsupported_message``, ``truncated_block``) and screen every party, identifier,
    country and free-text field."""
    messages = parse_messages(body.message, body.source)  # before the (slower) screener lookup
    payments = _payment_screener(state, body)
    results: list[dict[str, Any]] = []
    outcome = "pass"
    for item in payments.screen_all(messages):
        if isinstance(item, MessageError):
            results.append({"ok": False, **item.to_dict()})
            continue
        result = item.to_dict()
        if item.hold:  # a hold raises an alert, so it reaches a case
            record_payment_hold(state.engine, result, payments.screener.versions)
        results.append({"ok": True, **result})
        if _RANK[item.outcome] > _RANK[outcome]:
            outcome = item.outcome
    if outcome == "pass" and any(not r["ok"] for r in results):
        outcome = "review"  # an unreadable message in a batch is never silently passed
    table = load_jurisdictions()
    return PaymentScreenResponse(
        decision=outcome,  # type: ignore[arg-type]
        hold=outcome == "hold",
        jurisdiction_table={
            "statement_date": table.statement_date,
            "version": table.version,
            "policy_version": load_policy().version,
        },
        list_versions=payments.screener.list_versions(),
        results=results,
    )
