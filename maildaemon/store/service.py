"""Store operations the service side reads and writes about itself: when the watcher last polled,
the newest event, and the day of the last daily digest in the event log (the claim that keeps it
single is store.digests). Kept here so that no SQL runs outside ``store/``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select

from maildaemon.store import tables
from maildaemon.store.base import StoreBase

E = tables.events
DIGEST_FIELD = "campaign"
DIGEST_VALUE = "digest"


@dataclass(frozen=True, slots=True)
class Activity:
    """The latest signs of life in the database: the watcher's last poll and the newest event."""

    last_imap_poll: datetime | None
    last_event: datetime | None


class ServiceOps(StoreBase):
    async def last_event_id(self) -> int:
        """The id of the newest event, 0 on an empty log (``events --last N`` counts back from it)."""
        async with self.tx() as conn:
            return int((await conn.execute(select(func.coalesce(func.max(E.c.id), 0)))).scalar() or 0)

    async def activity(self) -> Activity:
        async with self.tx(read=True) as conn:
            last_poll = (await conn.execute(select(func.max(tables.mailbox_state.c.updated_at)))).scalar()
            # the newest row's time, found on the primary key (max(at) would read the whole log)
            last_event = (await conn.execute(select(E.c.at).order_by(E.c.id.desc()).limit(1))).scalar()
        return Activity(last_imap_poll=last_poll, last_event=last_event)

    async def last_digest_day(self, campaign_id: int) -> date | None:
        """The local day of the campaign's last digest, as its event recorded it; None if never sent."""
        async with self.tx() as conn:
            detail = (
                await conn.execute(
                    select(E.c.detail)
                    .where(E.c.campaign_id == campaign_id, E.c.field == DIGEST_FIELD,
                           E.c.new_value == DIGEST_VALUE)
                    .order_by(E.c.id.desc())
                    .limit(1)
                )
            ).scalar()  # fmt: skip
        try:
            return date.fromisoformat(str(detail)[:10]) if detail else None
        except ValueError:
            return None
