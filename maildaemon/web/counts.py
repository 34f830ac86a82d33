"""A campaign's figures per agency and state, shared by every page and session for a few seconds: the
overview, the campaign page and each open tab's progress refresh then cost one aggregate per campaign
per interval, however many people watch, and a crowd of them cannot queue aggregates ahead of the
daemon's own work."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from maildaemon.store import Store
from maildaemon.store.console import StateCount

TTL_S = 2.0  # figures this old are shown as they are (the page says when it was updated)


class SharedCounts:
    def __init__(
        self, store: Store, ttl_s: float = TTL_S, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._store, self._ttl, self._clock = store, ttl_s, clock
        self._cache: dict[int, tuple[float, list[StateCount]]] = {}
        self._lock = asyncio.Lock()

    def _fresh(self, campaign_id: int) -> list[StateCount] | None:
        hit = self._cache.get(campaign_id)
        return hit[1] if hit is not None and self._clock() - hit[0] < self._ttl else None

    async def of(self, campaign_id: int) -> list[StateCount]:
        """The campaign's counts, at most ``ttl_s`` old."""
        counts = self._fresh(campaign_id)
        if counts is not None:
            return counts
        async with self._lock:  # one aggregate at a time: the others wait for it and share it
            counts = self._fresh(campaign_id)
            if counts is None:
                counts = await self._store.state_counts(campaign_id)
                self._cache[campaign_id] = (self._clock(), counts)
            return counts

    def forget(self, campaign_id: int | None = None) -> None:
        """Drop the cached figures (after a change the next page must show); None: every campaign."""
        if campaign_id is None:
            self._cache.clear()
        else:
            self._cache.pop(campaign_id, None)
