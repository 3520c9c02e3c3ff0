"""What the API process holds: the store, the key store and warm screeners."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field

from sqlalchemy.engine import Engine

from raqib.auth import ApiKeyStore
from raqib.config import Settings
from raqib.lists.store import ListStore
from raqib.screening import Screener

# How long a screener trusts that the lists have not changed before asking the database again.
VERSION_CHECK_SECONDS = 2.0


@dataclass
class _Cached:
    version_ids: tuple[int, ...]
    screener: Screener
    checked_at: float


@dataclass
class ScreenerCache:
    """One warm screener per set of lists, rebuilt when a list gets a new version."""

    store: ListStore
    _cache: dict[frozenset[str] | None, _Cached] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def get(self, list_ids: list[str] | None = None) -> Screener:
        key = frozenset(list_ids) if list_ids else None
        cached = self._cache.get(key)
        now = time.monotonic()
        if cached is not None and now - cached.checked_at < VERSION_CHECK_SECONDS:
            return cached.screener
        versions = self.store.latest_versions(list_ids)
        ids = tuple(sorted(v.id for v in versions))
        if cached is not None and cached.version_ids == ids:
            cached.checked_at = now
            return cached.screener
        with self._lock:
            cached = self._cache.get(key)
            if cached is not None and cached.version_ids == ids:
                return cached.screener
            screener = Screener.from_store(self.store, list_ids)
            if len(self._cache) >= 8:  # a few list subsets at most; drop the oldest
                self._cache.pop(next(iter(self._cache))).screener.close()
            previous = self._cache.get(key)
            self._cache[key] = _Cached(ids, screener, time.monotonic())
            if previous is not None:  # a list got a new version: retire the old index's workers
                previous.screener.close()
            return screener

    @property
    def ready(self) -> bool:
        return None in self._cache


@dataclass
class AppState:
    settings: Settings
    engine: Engine
    store: ListStore
    keys: ApiKeyStore
    screeners: ScreenerCache
    warm_error: str | None = None
