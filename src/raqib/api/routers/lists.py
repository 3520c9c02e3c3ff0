"""Watchlists, their versions, diffs and entities (read-only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Query

from raqib.api.deps import ReaderDep, StateDep
from raqib.errors import InvalidInput
from raqib.lists import default_pairs, diff_versions

router = APIRouter(prefix="/v1", tags=["lists"])


@router.get("/lists", summary="The lists in the store with their latest version")
def lists(state: StateDep, _key: ReaderDep) -> list[dict[str, Any]]:
    return [
        {
            "id": w.id,
            "title": w.title,
            "versions": len(w.versions),
            "latest": w.latest.to_dict() if w.latest else None,
        }
        for w in state.store.watchlists()
    ]


@router.get("/lists/{list_id}/versions", summary="Every stored version of one list, oldest first")
def versions(list_id: str, state: StateDep, _key: ReaderDep) -> list[dict[str, Any]]:
    return [v.to_dict() for v in state.store.versions(list_id)]


@router.get("/lists/{list_id}/diff", summary="Entities added, removed and changed between two versions")
def diff(
    list_id: str,
    state: StateDep,
    _key: ReaderDep,
    from_version: int | None = Query(None, alias="from", description="Older version id"),
    to_version: int | None = Query(None, alias="to", description="Newer version id"),
) -> dict[str, Any]:
    store = state.store
    if from_version is None and to_version is None:
        pairs = default_pairs(store, list_id)
        if not pairs:
            raise InvalidInput(f"{list_id} has fewer than two versions: nothing to compare")
        old, new = pairs[0]
    elif from_version is not None and to_version is not None:
        old, new = store.version(from_version), store.version(to_version)
    else:
        raise InvalidInput("give both 'from' and 'to', or neither (the two most recent versions)")
    if old.list_id != list_id or new.list_id != list_id:
        raise InvalidInput(f"versions {old.id} and {new.id} are not both versions of {list_id}")
    return diff_versions(store, old, new).to_dict()


@router.get("/entities/{entity_id}", summary="One list entity with every fact the list gives")
def entity(
    entity_id: str,
    state: StateDep,
    _key: ReaderDep,
    version: int | None = Query(None, description="A list version id (default: the latest)"),
) -> dict[str, Any]:
    found = state.store.entity(entity_id, version)
    return {"id": found.id, **found.model_dump(mode="json")}
