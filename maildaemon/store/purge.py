"""Purging a closed campaign's personal data: raw inbound messages deleted, names and addresses
replaced with pseudonyms, addresses scrubbed from free text; states, reasons, times, agencies and
events stay, so the per-agency figures and the report come out the same.

One transaction per campaign, set-based updates (memory stays flat), and a ``campaign purged``
event that makes a second purge a no-op. The decisions (is it due, what a pseudonym is) live in
``core.retention``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, String, Table, cast, func, literal, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from maildaemon.core import retention
from maildaemon.errors import InputError
from maildaemon.store import tables
from maildaemon.store.base import add_event

if TYPE_CHECKING:
    from maildaemon.store import CampaignRecord, Store

log = logging.getLogger(__name__)

R, IN, CH, OB, E, C = (tables.respondents, tables.inbound, tables.checks, tables.outbox, tables.events,
                       tables.campaigns)  # fmt: skip
PAGE = 1000
PURGED_VERDICT = '{"purged": true}'


@dataclass(frozen=True, slots=True)
class PurgeResult:
    """What a purge did, or with ``dry_run`` would do, to one campaign."""

    campaign: str
    dry_run: bool
    already: bool = False
    respondents: int = 0
    inbound: int = 0
    raw_bytes: int = 0
    checks: int = 0
    texts: int = 0  # event details and relay replies with an address scrubbed


def _count(conn_result: Any) -> int:
    return int(conn_result.scalar() or 0)


async def purge_campaign(store: Store, rec: CampaignRecord, now: datetime, *, dry_run: bool) -> PurgeResult:
    """Purge one campaign whose retention has ended; InputError names why when it may not."""
    reason = retention.refusal(rec.campaign, now)
    if reason:
        raise InputError(reason)
    cid = rec.id
    async with store.tx() as conn:
        # one purge at a time per campaign, also across daemons on one PostgreSQL
        await conn.execute(select(C.c.id).where(C.c.id == cid).with_for_update())
        if await _purged(conn, cid):
            return PurgeResult(rec.name, dry_run, already=True)
        people = select(R.c.id).where(R.c.campaign_id == cid).scalar_subquery()
        theirs = or_(IN.c.campaign_id == cid, IN.c.respondent_id.in_(people))
        result = PurgeResult(
            rec.name,
            dry_run,
            respondents=_count(await conn.execute(select(func.count()).where(R.c.campaign_id == cid))),
            inbound=_count(await conn.execute(select(func.count()).select_from(IN).where(theirs))),
            raw_bytes=_count(await conn.execute(select(func.sum(func.length(IN.c.raw))).where(theirs))),
            checks=_count(
                await conn.execute(select(func.count()).select_from(CH).where(CH.c.respondent_id.in_(people)))
            ),
            texts=await _scrub(conn, E, E.c.detail, E.c.campaign_id == cid, write=False)
            + await _scrub(conn, OB, OB.c.last_reply, OB.c.campaign_id == cid, write=False),
        )
        if dry_run:
            return result
        ident = cast(R.c.id, String)
        await conn.execute(
            update(R)
            .where(R.c.campaign_id == cid)
            .values(
                email=literal(retention.PSEUDONYM_PREFIX) + ident + literal("@" + retention.PSEUDONYM_DOMAIN),
                email_key=literal(retention.PSEUDONYM_PREFIX)
                + ident
                + literal("@" + retention.PSEUDONYM_DOMAIN),
                full_name=literal(retention.PSEUDONYM_PREFIX) + ident,
                token=literal("purged-") + ident,
                honorific="",
                title="",
                phone="",
                extra="{}",
                updated_at=now,
            )  # fmt: skip
        )
        # Message-IDs carry the old token, the key to the survey platform's answers: they go too
        await conn.execute(
            update(IN).where(theirs).values(raw=b"", subject=None, verdict=PURGED_VERDICT, message_id=None)
        )
        await conn.execute(update(OB).where(OB.c.campaign_id == cid).values(message_id=None))
        address = select(R.c.email).where(R.c.id == CH.c.respondent_id).scalar_subquery()
        await conn.execute(
            update(CH).where(CH.c.respondent_id.in_(people)).values(address=address, reply=None, detail="{}")
        )
        await _scrub(conn, E, E.c.detail, E.c.campaign_id == cid, write=True)
        await _scrub(conn, OB, OB.c.last_reply, OB.c.campaign_id == cid, write=True)
        await add_event(
            conn, now=now, campaign_id=cid, respondent_id=None, field="campaign", old=None, new="purged",
            source="purge",
            detail=f"{result.respondents} respondents pseudonymised, {result.inbound} raw messages deleted "
            f"(retention_days = {rec.campaign.retention_days})",
        )  # fmt: skip
    log.info("purge.done campaign=%s respondents=%d inbound=%d", rec.name, result.respondents, result.inbound)
    return result


async def _purged(conn: AsyncConnection, campaign_id: int) -> bool:
    q = select(E.c.id).where(
        E.c.campaign_id == campaign_id, E.c.field == "campaign", E.c.new_value == "purged"
    )
    return (await conn.execute(q.limit(1))).first() is not None


async def _scrub(conn: AsyncConnection, table: Table, column: Column[Any], where: Any, *, write: bool) -> int:
    """Replace addresses in ``column`` page by page (rows with an '@' only); returns rows changed."""
    key = table.c.id
    after, changed = 0, 0
    while True:
        rows: Sequence[Any] = (
            await conn.execute(
                select(key, column).where(where, column.like("%@%"), key > after).order_by(key).limit(PAGE)
            )
        ).all()
        if not rows:
            return changed
        after = rows[-1][0]
        fixed = [(r[0], retention.scrub(r[1])) for r in rows if retention.scrub(r[1]) != r[1]]
        changed += len(fixed)
        if write:
            for row_id, text in fixed:
                await conn.execute(update(table).where(key == row_id).values({column.name: text}))


async def purge_due(store: Store, now: datetime, *, dry_run: bool = False) -> list[PurgeResult]:
    """Every campaign whose retention has ended and that is not purged yet (the daemon's daily job)."""
    done = []
    for rec in await store.list_campaigns():
        if retention.refusal(rec.campaign, now) is None:
            result = await purge_campaign(store, rec, now, dry_run=dry_run)
            if not result.already:
                done.append(result)
    return done


PURGE_INTERVAL_S = 3600.0  # the daemon looks hourly; a campaign is purged once, when its retention ends


class Purger:
    """The daemon's purge loop body."""

    def __init__(self, store: Store, *, now: Callable[[], datetime]) -> None:
        self.store = store
        self.now = now

    async def run_once(self) -> int:
        return len(await purge_due(self.store, self.now()))
