"""Politeness towards each MX: bounded concurrency and a minimum gap between connection starts."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class HostGate:
    """At most ``concurrency`` connections to one MX address, starts at least ``gap`` seconds apart."""

    def __init__(self, concurrency: int, gap: float) -> None:
        self._sem = asyncio.Semaphore(max(1, concurrency))
        self._gap = gap
        self._next = 0.0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._sem:
            loop = asyncio.get_running_loop()
            now = loop.time()
            start = max(now, self._next)
            self._next = start + self._gap
            if start > now:
                await asyncio.sleep(start - now)
            yield
