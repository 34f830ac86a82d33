"""The planner loop: for each running campaign, enqueue what the policy says is due now."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from datetime import datetime

from maildaemon.store import Store

log = logging.getLogger(__name__)


class Planner:
    """``on_enqueued`` hears of each committed page of new mail, so the sender can start on the first
    page of a large campaign while the rest is planned."""

    def __init__(
        self, store: Store, *, now: Callable[[], datetime], on_enqueued: Callable[[int], None] | None = None
    ) -> None:
        self.store = store
        self.now = now
        self.on_enqueued = on_enqueued

    async def run_once(self) -> int:
        """Plan every campaign once; returns how many mails were enqueued in all."""
        total = 0
        for rec in await self.store.list_campaigns():
            if rec.halted_reason:
                continue
            started = time.monotonic()
            n = await self.store.plan_campaign(
                rec.id, rec.campaign, rec.paused, self.now(), on_page=self.on_enqueued
            )
            total += n
            if n:
                log.info("planner.enqueued campaign=%s count=%d duration=%.3fs", rec.name, n,
                         time.monotonic() - started)  # fmt: skip
        return total
