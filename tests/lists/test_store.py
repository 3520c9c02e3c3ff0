"""The versioned list store and diffs, on SQLite and (when reachable) PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from raqib.db import open_engine
from raqib.errors import InvalidInput, NotFound
from raqib.lists import BirthDate, Entity, EntityType, ListStore, Name, NameKind, ParsedList, diff_versions
from raqib.lists.diff import default_pairs


def _entity(ref: str, name: str, **extra: object) -> Entity:
    return Entity(
        source="test_list", source_ref=ref, type=EntityType.PERSON, names=[Name(full=name)], **extra
    )  # type: ignore[arg-type]


def _parsed(*entities: Entity, date: str = "2026-01-01") -> ParsedList:
    return ParsedList(
        list_id="test_list", title="Test list", format="test", publisher_date=date, entities=list(entities)
    )


@pytest.fixture
def store(store_url: str) -> Iterator[ListStore]:
    engine = open_engine(store_url)
    yield ListStore(engine)
    engine.dispose()


def test_import_creates_version_and_same_content_is_noop(store: ListStore) -> None:
    first = store.import_parsed(_parsed(_entity("1", "Ayman al-Zawahiri")), source_path="a.xml")
    assert first.created
    assert first.previous is None
    again = store.import_parsed(
        _parsed(_entity("1", "Ayman al-Zawahiri"), date="2026-01-02"), source_path="b.xml"
    )
    assert not again.created
    assert again.version.id == first.version.id
    assert [v.id for v in store.versions("test_list")] == [first.version.id]


def test_versions_ordered_and_latest(store: ListStore) -> None:
    v1 = store.import_parsed(_parsed(_entity("1", "A"), date="2026-01-01")).version
    v2 = store.import_parsed(_parsed(_entity("1", "B"), date="2026-02-01")).version
    assert [v.id for v in store.versions("test_list")] == [v1.id, v2.id]
    assert store.latest_versions() == [v2]
    assert store.entity("test_list:1").caption == "B"
    assert store.entity("test_list:1", version_id=v1.id).caption == "A"


def test_diff_added_removed_changed_field_by_field(store: ListStore) -> None:
    old = store.import_parsed(
        _parsed(
            _entity("1", "Ayman al-Zawahiri", birth_dates=[BirthDate(date="1951-06-19")]),
            _entity("2", "Removed Person"),
            _entity("3", "Unchanged Person"),
        )
    ).version
    new = store.import_parsed(
        _parsed(
            _entity(
                "1",
                "Ayman al-Zawahiri",
                birth_dates=[BirthDate(date="1951-06-19")],
                remarks="new remark",
            ),
            _entity("3", "Unchanged Person"),
            _entity("4", "Added Person"),
            date="2026-02-01",
        )
    ).version
    assert new.entity_count == 3
    # give entity 1 an extra alias in a third version to check list-field reporting
    third = store.import_parsed(
        _parsed(
            Entity(
                source="test_list",
                source_ref="1",
                type=EntityType.PERSON,
                names=[
                    Name(full="Ayman al-Zawahiri"),
                    Name(full="أيمن الظواهري", kind=NameKind.ORIGINAL_SCRIPT),
                ],
                birth_dates=[BirthDate(date="1951-06-19")],
                remarks="new remark",
            ),
            _entity("3", "Unchanged Person"),
            _entity("4", "Added Person"),
            date="2026-03-01",
        )
    ).version

    diff = diff_versions(store, old, new)
    assert [e.entity_id for e in diff.added] == ["test_list:4"]
    assert [e.entity_id for e in diff.removed] == ["test_list:2"]
    assert [c.entity.entity_id for c in diff.changed] == ["test_list:1"]
    assert diff.changed[0].changes[0].to_dict() == {"field": "remarks", "before": None, "after": "new remark"}
    assert diff.touched_ids == {"test_list:1", "test_list:4"}

    names_change = diff_versions(store, new, third).changed[0].changes
    assert [c.field for c in names_change] == ["names"]
    assert names_change[0].added[0]["full"] == "أيمن الظواهري"
    assert names_change[0].removed == []
    assert default_pairs(store) == [(new, third)]


def test_failed_import_leaves_previous_version_intact(store: ListStore) -> None:
    store.import_parsed(_parsed(_entity("1", "A")))
    with pytest.raises(InvalidInput, match="share the reference"):
        store.import_parsed(_parsed(_entity("1", "A"), _entity("1", "B"), date="2026-05-01"))
    with pytest.raises(InvalidInput, match="no entities"):
        store.import_parsed(_parsed(date="2026-05-01"))
    versions = store.versions("test_list")
    assert len(versions) == 1
    assert [e.caption for e in store.entities(versions[0].id)] == ["A"]


def test_unknown_list_and_version(store: ListStore) -> None:
    with pytest.raises(NotFound):
        store.watchlist("nope")
    with pytest.raises(NotFound):
        store.version(999)
    with pytest.raises(NotFound):
        store.entity("nope:1")
