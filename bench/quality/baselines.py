"""The systems compared: Raqib's engine and three baselines, behind one small interface.

Every system scores word pairs (``score_pairs``) and screens full-name queries (``screen``),
returning, per query, the hits at or above its own threshold, best first, at most ``limit``.

Raqib screens with its own ``MatchIndex`` over the whole list. The baselines have no index, so
each query is scored only against a *short-list* built once, the same way for all of them: the
top ``k`` entities by a cheap rapidfuzz ``token_set_ratio`` over anyascii forms, **plus the true
entity** for positive queries. That favours the baselines: they never miss a true entity at the
retrieval step, and they cannot raise false alerts on entities outside the short-list.
"""

from __future__ import annotations

import itertools
import multiprocessing
import re
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, fields
from types import ModuleType
from typing import Any, Protocol

from anyascii import anyascii
from rapidfuzz import fuzz, process
from rapidfuzz.distance import JaroWinkler

from bench.quality.data import ListedEntity

Hit = tuple[str, float]  # (entity id, score)

# yente's default match threshold (yente/settings.py: SCORE_THRESHOLD = 0.70), used with every
# nomenklatura algorithm: nomenklatura itself defines no threshold.
NOMENKLATURA_THRESHOLD = 0.70


@dataclass(frozen=True, slots=True)
class ScreenQuery:
    """One full-name screening query; ``true_id`` is None for negatives."""

    text: str
    type: str
    true_id: str | None
    group: str  # variation class or negative group
    script: str
    source: str = ""  # the listed name it was made from (positives) or its origin (negatives)


class System(Protocol):
    name: str
    threshold: float
    threshold_note: str

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[float]: ...

    def screen(
        self, queries: Sequence[ScreenQuery], shortlists: Sequence[Sequence[int]], limit: int
    ) -> list[list[Hit]]: ...


def ascii_form(name: str) -> str:
    """Lower-cased anyascii transliteration with sorted tokens (the rapidfuzz baseline's view)."""
    return " ".join(sorted(re.findall(r"[a-z0-9]+", anyascii(name).lower())))


def _top(scored: list[Hit], threshold: float, limit: int) -> list[Hit]:
    return sorted((hit for hit in scored if hit[1] >= threshold), key=lambda hit: -hit[1])[:limit]


# --------------------------------------------------------------------------- short-lists


def build_shortlists(
    queries: Sequence[ScreenQuery], entities: Sequence[ListedEntity], size: int, workers: int
) -> list[list[int]]:
    """Indexes into ``entities`` for each query: top ``size`` by token_set_ratio, plus the true one."""
    choices: list[str] = []
    owner: list[int] = []
    for position, entity in enumerate(entities):
        for name in (*entity.latin_names, *entity.weak_names):
            choices.append(ascii_form(name))
            owner.append(position)
    position_of = {entity.id: position for position, entity in enumerate(entities)}
    forms = [ascii_form(query.text) for query in queries]
    shortlists: list[list[int]] = []
    chunk = 500
    for start in range(0, len(forms), chunk):
        matrix = process.cdist(
            forms[start : start + chunk], choices, scorer=fuzz.token_set_ratio, workers=workers, dtype="uint8"
        )
        for offset, row in enumerate(matrix):
            best: dict[int, int] = {}
            for choice_index in row.argsort()[::-1][: size * 4]:
                entity_index = owner[int(choice_index)]
                if entity_index not in best:
                    best[entity_index] = int(row[choice_index])
                if len(best) >= size:
                    break
            selected = list(best)
            true_id = queries[start + offset].true_id
            if true_id is not None and position_of[true_id] not in best:
                selected.append(position_of[true_id])
            shortlists.append(selected)
    return shortlists


# --------------------------------------------------------------------------- rapidfuzz


class RapidfuzzJaroWinkler:
    """Token-sorted Jaro-Winkler over anyascii-transliterated, lower-cased names (max over aliases)."""

    name = "rapidfuzz-JW"

    def __init__(self, entities: Sequence[ListedEntity], threshold: float, threshold_note: str):
        self.threshold = threshold
        self.threshold_note = threshold_note
        self.entities = entities
        self._forms = [[ascii_form(n) for n in e.latin_names] for e in entities]

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        return [float(JaroWinkler.normalized_similarity(ascii_form(a), ascii_form(b))) for a, b in pairs]

    def screen(
        self, queries: Sequence[ScreenQuery], shortlists: Sequence[Sequence[int]], limit: int
    ) -> list[list[Hit]]:
        results: list[list[Hit]] = []
        for query, shortlist in zip(queries, shortlists, strict=True):
            form = ascii_form(query.text)
            scored = [
                (
                    self.entities[i].id,
                    max(
                        (JaroWinkler.normalized_similarity(form, other) for other in self._forms[i]),
                        default=0.0,
                    ),
                )
                for i in shortlist
            ]
            results.append(_top(scored, self.threshold, limit))
        return results


# --------------------------------------------------------------------------- nomenklatura

_FTM_SCHEMA = {"person": "Person", "organization": "Organization"}
_worker_state: dict[str, Any] = {}
# Query and pair entities get ids unique over the whole run: nomenklatura memoises name analysis
# by entity id, so a reused id would silently score the wrong name.
_calls = itertools.count()


def _ftm_entity(entity_id: str, schema: str, names: Sequence[str], **props: Sequence[str]) -> Any:
    from followthemoney import model

    proxy = model.make_entity(schema)
    # nomenklatura caches name analysis by entity id: every distinct entity needs its own id.
    proxy.id = entity_id
    proxy.add("name", list(names))
    for prop, values in props.items():
        if values:
            proxy.add(prop, list(values), quiet=True)
    return proxy


def _candidate_entity(entity: ListedEntity) -> Any:
    schema = _FTM_SCHEMA.get(entity.type, "LegalEntity")
    extra: dict[str, Sequence[str]] = {"weakAlias": entity.weak_names}
    if schema == "Person":
        extra["birthDate"] = entity.birth_dates
        extra["nationality"] = entity.countries
    else:
        extra["country"] = entity.countries
    return _ftm_entity(f"c-{entity.id}", schema, entity.latin_names, **extra)


def _nk_screen_chunk(args: tuple[str, list[tuple[str, str]], list[list[int]]]) -> list[list[Hit]]:
    prefix, queries, shortlists = args
    algorithm, threshold, limit = (
        _worker_state["algorithm"],
        _worker_state["threshold"],
        _worker_state["limit"],
    )
    candidates, entities = _worker_state["candidates"], _worker_state["entities"]
    config = algorithm.default_config()
    results: list[list[Hit]] = []
    for offset, ((text, kind), shortlist) in enumerate(zip(queries, shortlists, strict=True)):
        query = _ftm_entity(f"q-{prefix}-{offset}", _FTM_SCHEMA.get(kind, "LegalEntity"), [text])
        scored = [
            (entities[i].id, float(algorithm.compare(query, candidates[i], config).score)) for i in shortlist
        ]
        results.append(_top(scored, threshold, limit))
    return results


def _nk_score_chunk(args: tuple[str, list[tuple[str, str]]]) -> list[float]:
    prefix, pairs = args
    algorithm = _worker_state["algorithm"]
    config = algorithm.default_config()
    scores: list[float] = []
    for offset, (a, b) in enumerate(pairs):
        left = _ftm_entity(f"a-{prefix}-{offset}", "Person", [a])
        right = _ftm_entity(f"b-{prefix}-{offset}", "Person", [b])
        scores.append(float(algorithm.compare(left, right, config).score))
    return scores


class Nomenklatura:
    """A nomenklatura algorithm (logic-v1, logic-v2) run in-process on FollowTheMoney entities."""

    def __init__(self, algorithm_name: str, entities: Sequence[ListedEntity], workers: int):
        from nomenklatura.matching import get_algorithm

        algorithm = get_algorithm(algorithm_name)
        if algorithm is None:
            raise ValueError(f"nomenklatura has no algorithm {algorithm_name!r}")
        self.algorithm = algorithm
        self.name = algorithm_name
        self.threshold = NOMENKLATURA_THRESHOLD
        self.threshold_note = "yente default SCORE_THRESHOLD (nomenklatura defines none)"
        self.entities = entities
        self.workers = workers

    def _run(self, function: Callable[[Any], Any], jobs: list[Any], limit: int = 10) -> list[Any]:
        _worker_state.update(
            algorithm=self.algorithm,
            threshold=self.threshold,
            limit=limit,
            entities=self.entities,
            candidates=[_candidate_entity(e) for e in self.entities],
        )
        if self.workers <= 1 or len(jobs) <= 1:
            return [function(job) for job in jobs]
        # fork: the workers inherit the prepared candidate entities instead of pickling them.
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=self.workers, mp_context=context) as pool:
            return list(pool.map(function, jobs))

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        chunk = 500
        call = next(_calls)
        jobs = [
            (f"{call}.{start}", list(pairs[start : start + chunk])) for start in range(0, len(pairs), chunk)
        ]
        return list(itertools.chain.from_iterable(self._run(_nk_score_chunk, jobs)))

    def screen(
        self, queries: Sequence[ScreenQuery], shortlists: Sequence[Sequence[int]], limit: int
    ) -> list[list[Hit]]:
        chunk = 200
        call = next(_calls)
        jobs = [
            (
                f"{call}.{start}",
                [(q.text, q.type) for q in queries[start : start + chunk]],
                [list(s) for s in shortlists[start : start + chunk]],
            )
            for start in range(0, len(queries), chunk)
        ]
        return list(itertools.chain.from_iterable(self._run(_nk_screen_chunk, jobs, limit)))


# --------------------------------------------------------------------------- Raqib


def load_engine(choice: str) -> tuple[ModuleType, bool]:
    """The matching module to benchmark and whether it is the real engine.

    ``auto`` uses ``raqib.matching`` when it provides the contract, else the bench stand-in.
    """
    if choice in {"auto", "raqib"}:
        try:
            from raqib import matching

            required = ("DEFAULT_THRESHOLD", "Candidate", "Query", "MatchIndex", "match_names")
            if all(hasattr(matching, attribute) for attribute in required):
                return matching, True
            if choice == "raqib":
                raise ImportError("raqib.matching does not provide the matching contract yet")
        except ImportError:
            if choice == "raqib":
                raise
    from bench.quality import standin

    return standin, False


class Raqib:
    """Raqib's engine: ``match_names`` for pairs, its own ``MatchIndex`` for screening."""

    def __init__(self, engine: ModuleType, real: bool, entities: Sequence[ListedEntity], workers: int):
        self.engine = engine
        self.name = "raqib" if real else "raqib(stand-in)"
        self.threshold = float(engine.DEFAULT_THRESHOLD)
        self.threshold_note = f"{getattr(engine, 'ALGORITHM', '?')} DEFAULT_THRESHOLD"
        self.workers = workers
        self.entities = entities
        self._index: Any = None

    def _candidates(self) -> list[Any]:
        candidate_fields = {f.name for f in fields(self.engine.Candidate)}
        weak_field = next((f for f in ("weak_names", "weak_aliases") if f in candidate_fields), None)
        candidates = []
        for entity in self.entities:
            extra: dict[str, Any] = {}
            if weak_field is not None:
                extra[weak_field] = entity.weak_names
            candidates.append(
                self.engine.Candidate(
                    id=entity.id,
                    names=entity.latin_names,
                    type=entity.type,
                    birth_dates=entity.birth_dates,
                    countries=entity.countries,
                    **extra,
                )
            )
        return candidates

    def score_pairs(self, pairs: Sequence[tuple[str, str]]) -> list[float]:
        return [float(self.engine.match_names(a, b).score) for a, b in pairs]

    def screen(
        self,
        queries: Sequence[ScreenQuery],
        shortlists: Sequence[Sequence[int]],  # noqa: ARG002 - Raqib uses its own index
        limit: int,
    ) -> list[list[Hit]]:
        if self._index is None:
            self._index = self.engine.MatchIndex(self._candidates())
        engine_queries = [self.engine.Query(name=q.text, type=q.type) for q in queries]
        results = self._index.search_many(
            engine_queries, threshold=self.threshold, limit=limit, workers=self.workers
        )
        return [
            [(r.candidate_id, float(r.score)) for r in hits if r.score >= self.threshold] for hits in results
        ]
