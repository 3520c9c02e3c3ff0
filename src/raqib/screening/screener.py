"""Screen parties against the entities of the store's lists.

A :class:`Screener` holds one matching index over the latest version of each chosen list and
answers queries with :class:`ScreeningHit` objects that carry everything an alert needs: the
entity's list and the list's own reference, the list version used, the algorithm, the score and
its explanation.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from raqib.errors import InvalidInput, NotFound
from raqib.lists.model import Entity
from raqib.lists.parsers._common import country_code
from raqib.lists.store import ListStore, ListVersion
from raqib.matching import (
    ALGORITHM,
    DEFAULT_THRESHOLD,
    Matcher,
    MatchIndex,
    MatchResult,
    Query,
    rarity_matcher,
)
from raqib.screening.candidates import candidate_from_entity

ENTITY_TYPES = ("person", "organization", "vessel", "aircraft")


@dataclass(frozen=True, slots=True)
class EntityInfo:
    entity_id: str
    source: str
    source_ref: str
    caption: str
    type: str


@dataclass(frozen=True, slots=True)
class ScreeningHit:
    entity: EntityInfo
    result: MatchResult

    @property
    def score(self) -> float:
        return self.result.score

    def to_dict(self) -> dict[str, Any]:
        return {
            "entity_id": self.entity.entity_id,
            "source": self.entity.source,
            "source_ref": self.entity.source_ref,
            "caption": self.entity.caption,
            "type": self.entity.type,
            "score": round(self.result.score, 4),
            "matched_name": self.result.matched_name,
            "explanation": self.result.explanation(),
            "match": self.result.to_dict(),
        }


def make_query(
    name: str,
    *,
    dob: str | None = None,
    country: str | None = None,
    type: str | None = None,
    identifiers: Sequence[str] = (),
    gender: str | None = None,
) -> Query:
    """Validate a caller's party and build the core's query (country names become ISO codes)."""
    if not name or not name.strip():
        raise InvalidInput("the name to screen is empty", details={"field": "name"})
    if len(name) > 500:
        raise InvalidInput("the name to screen is longer than 500 characters", details={"field": "name"})
    if type is not None and type not in ENTITY_TYPES:
        raise InvalidInput(
            f"unknown type {type!r}: use one of {', '.join(ENTITY_TYPES)}", details={"field": "type"}
        )
    code = None
    if country:
        code = country_code(country)
        if code is None:
            raise InvalidInput(f"unknown country {country!r}", details={"field": "country"})
    if gender is not None and gender not in {"male", "female"}:
        raise InvalidInput("gender must be 'male' or 'female'", details={"field": "gender"})
    return Query(
        name=name,
        birth_date=dob or None,
        country=code,
        type=type,
        identifiers=tuple(i for i in identifiers if i),
        gender=gender,
    )


class Screener:
    """A matching index over list entities, answering with list-aware hits."""

    def __init__(
        self,
        entities: Iterable[Entity],
        versions: Sequence[ListVersion] = (),
        reference: Screener | Matcher | None = None,
    ):
        """Index ``entities``; with ``reference``, score exactly as that (larger) screener would.

        Rarity weights come from the screened lists themselves, so a small screener over the entities
        a list update touched must borrow them from the full one, or its scores would differ: pass the
        full screener, or (cheaper: no index is built) :meth:`rarity_of` the lists' entities.
        """
        self.versions = list(versions)
        self._info: dict[str, EntityInfo] = {}
        self._entities: dict[str, Entity] = {}
        candidates = []
        for entity in entities:
            self._entities[entity.id] = entity
            self._info[entity.id] = EntityInfo(
                entity.id, entity.source, entity.source_ref, entity.caption, entity.type.value
            )
            candidates.append(candidate_from_entity(entity))
        self.index = MatchIndex(
            candidates, reference=reference.index if isinstance(reference, Screener) else reference
        )

    @classmethod
    def from_store(cls, store: ListStore, list_ids: Iterable[str] | None = None) -> Screener:
        versions = store.latest_versions(list_ids)
        if not versions:
            raise InvalidInput(
                "the store holds no lists yet: run `raqib lists import --bundled` or import a list"
            )

        def all_entities() -> Iterable[Entity]:
            for version in versions:
                yield from store.entities(version.id)

        return cls(all_entities(), versions)

    @staticmethod
    def rarity_of(entities: Iterable[Entity]) -> Matcher:
        """The rarity weights that a screener over ``entities`` would use, without building its index."""
        return rarity_matcher(candidate_from_entity(entity) for entity in entities)

    @property
    def algorithm(self) -> str:
        return ALGORITHM

    @property
    def size(self) -> int:
        return len(self._info)

    def _hits(self, results: list[MatchResult]) -> list[ScreeningHit]:
        return [ScreeningHit(self._info[r.candidate_id], r) for r in results]

    def screen(self, query: Query, threshold: float | None = None, limit: int = 10) -> list[ScreeningHit]:
        threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        return self._hits(self.index.search(query, threshold=threshold, limit=limit))

    def screen_many(
        self, queries: Sequence[Query], threshold: float | None = None, limit: int = 10, workers: int = 1
    ) -> list[list[ScreeningHit]]:
        threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        return [
            self._hits(results)
            for results in self.index.search_many(queries, threshold=threshold, limit=limit, workers=workers)
        ]

    def may_match(self, query: Query, threshold: float | None = None) -> bool:
        """False only when screening ``query`` certainly yields no hit (a cheap pre-filter).

        The query's birth date, country and identifiers are taken into account: they can lift a
        weaker name match of an entity they agree with.
        """
        threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        return bool(self.index.may_match(query, threshold))

    def may_match_many(
        self, queries: Sequence[Query], threshold: float | None = None, workers: int = 1
    ) -> list[bool]:
        """:meth:`may_match` for many queries, on ``workers`` processes (delta re-screening's pre-filter)."""
        threshold = DEFAULT_THRESHOLD if threshold is None else threshold
        return list(self.index.may_match_many(queries, threshold, workers=workers))

    def list_versions(self) -> list[dict[str, Any]]:
        return [v.to_dict() for v in self.versions]

    def entity(self, entity_id: str) -> Entity:
        """One of the screened entities, by id (e.g. ``un_sc:QDi.006``)."""
        try:
            return self._entities[entity_id]
        except KeyError:
            raise NotFound(f"no entity {entity_id!r} among the screened lists") from None

    def close(self) -> None:
        """Stop the index's worker processes, if any (also done when the screener is collected)."""
        close = getattr(self.index, "close", None)
        if close is not None:
            close()


__all__ = ["EntityInfo", "Screener", "ScreeningHit", "make_query"]
