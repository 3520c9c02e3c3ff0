"""Screening endpoints: one party, a batch, and a name pair."""

from __future__ import annotations

import logging

from fastapi import APIRouter

from raqib.api.deps import ScreenerRoleDep, StateDep
from raqib.api.schemas import (
    BatchRequest,
    BatchResponse,
    BatchResult,
    Hit,
    MatchRequest,
    Party,
    ScreenRequest,
    ScreenResponse,
)
from raqib.errors import InvalidInput
from raqib.matching import ALGORITHM, DEFAULT_THRESHOLD, Query, match_names
from raqib.screening import ScreeningHit, make_query, record_hits

router = APIRouter(prefix="/v1", tags=["screening"])
log = logging.getLogger("raqib.api")


def _query(party: Party) -> Query:
    return make_query(
        party.name,
        dob=party.dob,
        country=party.country,
        type=party.type,
        identifiers=party.identifiers,
        gender=party.gender,
    )


def _hits(hits: list[ScreeningHit]) -> list[Hit]:
    return [Hit(**hit.to_dict()) for hit in hits]


@router.post("/screen", summary="Screen one party against the lists", response_model=ScreenResponse)
def screen(body: ScreenRequest, state: StateDep, _key: ScreenerRoleDep) -> ScreenResponse:
    query = _query(body)
    screener = state.screeners.get(body.lists)
    threshold = DEFAULT_THRESHOLD if body.threshold is None else body.threshold
    hits = screener.screen(query, threshold=threshold, limit=body.limit)
    if body.customer_id and hits:
        record_hits(state.engine, body.customer_id, hits, screener.versions, "single")
    if state.settings.log_names:
        log.info("screened %r: %d hits", body.name, len(hits))
    return ScreenResponse(
        algorithm=ALGORITHM, threshold=threshold, list_versions=screener.list_versions(), hits=_hits(hits)
    )


@router.post("/screen/batch", summary="Screen many parties at once (bounded)", response_model=BatchResponse)
def screen_batch(body: BatchRequest, state: StateDep, _key: ScreenerRoleDep) -> BatchResponse:
    if len(body.parties) > state.settings.max_batch:
        raise InvalidInput(
            f"a batch holds at most {state.settings.max_batch} parties; this one has {len(body.parties)}",
            details={"field": "parties", "max": state.settings.max_batch},
        )
    queries = []
    for position, party in enumerate(body.parties):
        try:
            queries.append(_query(party))
        except InvalidInput as err:
            err.details = {
                **err.details,
                "field": f"parties.{position}.{err.details.get('field', '')}".rstrip("."),
            }
            raise
    screener = state.screeners.get(body.lists)
    threshold = DEFAULT_THRESHOLD if body.threshold is None else body.threshold
    results = screener.screen_many(queries, threshold=threshold, limit=body.limit)
    return BatchResponse(
        algorithm=ALGORITHM,
        threshold=threshold,
        list_versions=screener.list_versions(),
        results=[BatchResult(id=p.id, hits=_hits(h)) for p, h in zip(body.parties, results, strict=True)],
    )


@router.post("/match", summary="Score two names against each other, with the explanation")
def match(body: MatchRequest, _key: ScreenerRoleDep) -> dict[str, object]:
    result = match_names(body.left, body.right)
    return {"left": body.left, "right": body.right, **result.to_dict(), "explanation": result.explanation()}
