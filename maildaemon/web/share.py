"""The console's share of the daemon's event loop: served inside the daemon, the console runs one
request at a time and rests after each in proportion to what it took, so however many people browse,
the sender, the planner and the watcher keep most of the loop (and the database pool) to themselves."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from starlette.types import ASGIApp, Receive, Scope, Send

DAEMON_SHARE = 0.1  # at most this fraction of the loop's time goes to console requests
MAX_REST_S = 0.5  # a long request (a big report) makes the next wait at most this long


class LoopShare:
    """ASGI middleware: requests one at a time (first come, first served); after a request that took
    ``t`` seconds the next starts no sooner than ``t * (1 - share) / share`` later. Wall time is used,
    so the busier the loop the longer each request seems and the more the console holds back."""

    def __init__(self, app: ASGIApp, share: float = DAEMON_SHARE, *,
                 clock: Callable[[], float] = time.perf_counter,
                 sleep: Callable[[float], Awaitable[None]] = asyncio.sleep) -> None:  # fmt: skip
        if not 0 < share <= 1:
            raise ValueError(f"share must be in (0, 1], got {share}")
        self.app, self.share, self.clock, self.sleep = app, share, clock, sleep
        self._turn = asyncio.Lock()
        self._next_at = 0.0

    def rest_after(self, took: float) -> float:
        return min(MAX_REST_S, took * (1 - self.share) / self.share)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        async with self._turn:
            wait = self._next_at - self.clock()
            if wait > 0:
                await self.sleep(wait)
            start = self.clock()
            try:
                await self.app(scope, receive, send)
            finally:
                end = self.clock()
                self._next_at = end + self.rest_after(end - start)
