"""The difference between two versions of a list: entities added, removed and changed, field by field.

Entities are compared by their canonical JSON, so an unchanged entity costs one string comparison.
For a changed entity each top-level field is compared; list fields (names, documents, addresses,
...) report the items added and removed rather than the whole list, which is what an analyst needs
to see ("alias X added", "passport Y removed").
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from raqib.errors import InvalidInput
from raqib.lists.store import ListStore, ListVersion


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: Any = None
    after: Any = None
    added: list[Any] = field(default_factory=list)
    removed: list[Any] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        if self.added or self.removed:
            return {"field": self.field, "added": self.added, "removed": self.removed}
        return {"field": self.field, "before": self.before, "after": self.after}


@dataclass(frozen=True, slots=True)
class EntitySummary:
    entity_id: str
    caption: str
    type: str

    def to_dict(self) -> dict[str, Any]:
        return {"entity_id": self.entity_id, "caption": self.caption, "type": self.type}


@dataclass(frozen=True, slots=True)
class EntityChange:
    entity: EntitySummary
    changes: list[FieldChange]

    def to_dict(self) -> dict[str, Any]:
        return {**self.entity.to_dict(), "changes": [c.to_dict() for c in self.changes]}


@dataclass(frozen=True, slots=True)
class ListDiff:
    list_id: str
    old: ListVersion
    new: ListVersion
    added: list[EntitySummary]
    removed: list[EntitySummary]
    changed: list[EntityChange]

    @property
    def touched_ids(self) -> set[str]:
        """Entities a delta re-screen must look at: added or changed."""
        return {e.entity_id for e in self.added} | {c.entity.entity_id for c in self.changed}

    def to_dict(self) -> dict[str, Any]:
        return {
            "list_id": self.list_id,
            "old": self.old.to_dict(),
            "new": self.new.to_dict(),
            "summary": {"added": len(self.added), "removed": len(self.removed), "changed": len(self.changed)},
            "added": [e.to_dict() for e in self.added],
            "removed": [e.to_dict() for e in self.removed],
            "changed": [c.to_dict() for c in self.changed],
        }


def _summary(entity_id: str, data: dict[str, Any]) -> EntitySummary:
    names = data.get("names") or []
    primary = next((n["full"] for n in names if n.get("kind") == "primary"), None)
    caption = primary or (names[0]["full"] if names else data.get("source_ref", entity_id))
    return EntitySummary(entity_id, caption, data.get("type", "unknown"))


def _freeze(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def compare_entities(old: dict[str, Any], new: dict[str, Any]) -> list[FieldChange]:
    """Field-by-field changes between two entity dicts (``Entity.model_dump(mode='json')``)."""
    changes = []
    for key in sorted(set(old) | set(new)):
        before, after = old.get(key), new.get(key)
        if before == after:
            continue
        if isinstance(before, list) and isinstance(after, list):
            old_items = {_freeze(v) for v in before}
            new_items = {_freeze(v) for v in after}
            added = [v for v in after if _freeze(v) not in old_items]
            removed = [v for v in before if _freeze(v) not in new_items]
            if added or removed:
                changes.append(FieldChange(key, added=added, removed=removed))
            else:  # same items, new order: report it, it is still a change of the record
                changes.append(FieldChange(key, before=before, after=after))
        elif isinstance(before, dict) and isinstance(after, dict):
            for sub in sorted(set(before) | set(after)):
                if before.get(sub) != after.get(sub):
                    changes.append(FieldChange(f"{key}.{sub}", before=before.get(sub), after=after.get(sub)))
        else:
            changes.append(FieldChange(key, before=before, after=after))
    return changes


def diff_versions(store: ListStore, old: ListVersion, new: ListVersion) -> ListDiff:
    """Compare two versions of the same list."""
    if old.list_id != new.list_id:
        raise InvalidInput(
            f"cannot diff versions of different lists ({old.list_id} v{old.id} and {new.list_id} v{new.id})"
        )
    old_rows = store.entity_rows(old.id)
    new_rows = store.entity_rows(new.id)
    added = [_summary(i, json.loads(new_rows[i])) for i in sorted(new_rows.keys() - old_rows.keys())]
    removed = [_summary(i, json.loads(old_rows[i])) for i in sorted(old_rows.keys() - new_rows.keys())]
    changed = []
    for entity_id in sorted(old_rows.keys() & new_rows.keys()):
        if old_rows[entity_id] == new_rows[entity_id]:
            continue
        before, after = json.loads(old_rows[entity_id]), json.loads(new_rows[entity_id])
        changes = compare_entities(before, after)
        if changes:
            changed.append(EntityChange(_summary(entity_id, after), changes))
    return ListDiff(old.list_id, old, new, added, removed, changed)


def default_pairs(store: ListStore, list_id: str | None = None) -> list[tuple[ListVersion, ListVersion]]:
    """The two most recent versions of each list (or of one list) that has at least two."""
    lists = [store.watchlist(list_id)] if list_id else store.watchlists()
    return [(w.versions[-2], w.versions[-1]) for w in lists if len(w.versions) >= 2]


__all__ = [
    "EntityChange",
    "EntitySummary",
    "FieldChange",
    "ListDiff",
    "compare_entities",
    "default_pairs",
    "diff_versions",
]
