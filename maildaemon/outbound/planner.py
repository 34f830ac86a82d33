"""The planner loop: for each running campaign, page through its respondents and enqueue what the
policy says is due now. The policy decides, the store reads pages and writes what was decided."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from datetime import datetime

from maildaemon.core.campaign import Campaign
from maildaemon.core.model import Completion, Delivery
from maildaemon.outbound import policy
from maildaemon.store import Store
from maildaemon.store.outbox import PlanRow

log = logging.getLogger(__name__)

PAGE = 2000
YIELD_EVERY = 200  # let the sender's replies in: a page is a few hundred ms of policy


async def plan_campaign(
    store: Store, campaign_id: int, campaign: Campaign, paused: bool, now: datetime,
    on_page: Callable[[int], None] | None = None,
) -> int:  # fmt: skip
    """Enqueue every mail due at ``now`` for this campaign; returns how many were enqueued.

    Pages through respondents by id so memory stays flat; each page is enqueued in one transaction,
    and ``on_page`` hears how many mails each committed page enqueued (the sender can start on them
    while the rest of a large campaign is planned).
    """
    await store.cancel_ineligible(campaign_id, now)
    if paused or now >= campaign.closes or not policy.in_window(campaign, now):
        return 0
    total, after = 0, 0
    while True:
        rows = await store.plan_page(campaign_id, after, PAGE)
        if not rows:
            return total
        after = rows[-1].respondent_id
        due: list[tuple[PlanRow, str]] = []
        for i, row in enumerate(rows):
            if i % YIELD_EVERY == YIELD_EVERY - 1:
                await asyncio.sleep(0)
            kind = policy.due_mail(campaign, paused, _view(row), now)
            if kind is not None:
                due.append((row, kind))
        enqueued = await store.enqueue(campaign_id, due, now) if due else 0
        total += enqueued
        if enqueued and on_page is not None:
            on_page(enqueued)


def _view(row: PlanRow) -> policy.RespondentView:
    return policy.RespondentView(
        delivery=Delivery(row.delivery),
        completion=Completion(row.completion),
        away_until=row.away_until,
        invited_at=row.invited_at,
        last_sent_at=row.last_sent_at,
        planned=row.planned,
        force=row.force_send,
        pending=row.pending,
    )


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
            n = await plan_campaign(self.store, rec.id, rec.campaign, rec.paused, self.now(),
                                    on_page=self.on_enqueued)  # fmt: skip
            total += n
            if n:
                log.info("planner.enqueued campaign=%s count=%d duration=%.3fs", rec.name, n,
                         time.monotonic() - started)  # fmt: skip
        return total
