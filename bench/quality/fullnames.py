"""The full-name screening task: queries made from the UN list's Arabic and Latin names.

Positive queries: for every listed entity with an Arabic original-script name, one query per
variation class (seeded per entity and class, so a subset run gives the same queries). Arabic
classes rewrite the Arabic name; Latin classes rewrite one of the entity's Latin names. The index
that is searched contains no Arabic script at all.
"""

from __future__ import annotations

import random
from collections.abc import Sequence

from bench.quality.baselines import ScreenQuery
from bench.quality.data import Lexicon, ListedEntity, WordPair
from bench.quality.negatives import full_name_negatives
from bench.quality.variations import ALL_CLASSES, VariationClass


def positive_queries(
    entities: Sequence[ListedEntity], classes: Sequence[VariationClass], seed: int
) -> dict[str, list[ScreenQuery]]:
    """Queries per variation class; a class that does not apply to a name yields no query for it."""
    by_class: dict[str, list[ScreenQuery]] = {variation.name: [] for variation in classes}
    for entity in entities:
        if not entity.arabic_names:
            continue
        for variation in classes:
            if variation.persons_only and entity.type != "person":
                continue
            rng = random.Random(f"{seed}:{variation.name}:{entity.id}")
            source = (
                entity.arabic_names[0] if variation.script == "arabic" else rng.choice(entity.latin_names)
            )
            text = variation.apply(source, rng)
            if text is None:
                continue
            by_class[variation.name].append(
                ScreenQuery(
                    text=text,
                    type=entity.type,
                    true_id=entity.id,
                    group=variation.name,
                    script=variation.script,
                    source=source,
                )
            )
    return by_class


def negative_queries(
    entities: Sequence[ListedEntity], token_pool: Sequence[WordPair], lexicon: Lexicon, size: int, seed: int
) -> tuple[dict[str, list[ScreenQuery]], dict[str, int]]:
    """Negative queries per group ('<group>_<script>'), plus how many candidates were dropped and why."""
    rng = random.Random(f"{seed}:negatives")
    negatives, dropped = full_name_negatives(entities, token_pool, lexicon, size, rng)
    by_group: dict[str, list[ScreenQuery]] = {}
    for negative in negatives:
        group = f"{negative.group}_{'ar' if negative.script == 'arabic' else 'latin'}"
        by_group.setdefault(group, []).append(
            ScreenQuery(
                text=negative.name,
                type="person",
                true_id=None,
                group=group,
                script=negative.script,
                source=negative.source,
            )
        )
    return dict(sorted(by_group.items())), dropped


def select_classes(names: Sequence[str] | None) -> list[VariationClass]:
    """The variation classes to run (all by default), in report order."""
    if not names:
        return list(ALL_CLASSES)
    known = {variation.name: variation for variation in ALL_CLASSES}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SystemExit(f"unknown variation class(es): {', '.join(unknown)}; known: {', '.join(known)}")
    return [variation for variation in ALL_CLASSES if variation.name in names]
