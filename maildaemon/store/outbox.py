"""Store operations on the outbox: the planner enqueues, the sender claims with a lease and
records each relay answer. Leases make a crash lose nothing: an expired lease is claimed again.

Duplicate bound: a message is sent twice only if the daemon dies after the relay accepted it
and before the result was recorded; at most the messages leased at that moment (one claim batch)
can be sent twice.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from maildaemon.core.campaign import Campaign
from maildaemon.core.model import Completion, Delivery, parse_outbox_kind
from maildaemon.outbound import policy
from maildaemon.store import tables
from maildaemon.store.base import Change, StoreBase, apply_changes
from maildaemon.store.bulk import insert_rows, update_rows

log = logging.getLogger(__name__)

OB = tables.outbox
R = tables.respondents
A = tables.agencies
C = tables.campaigns
E = tables.events
PAGE = 2000

# Delivery states from which a new mail takes the respondent to "queued"; otherwise (sent,
# delivered) the respondent keeps what we know and only the outbox moves.
_QUEUE_FROM = frozenset({Delivery.NEW, Delivery.CHECKED_OK, Delivery.CHECKED_BAD})
_SENT_FROM = frozenset({Delivery.QUEUED, Delivery.DEFERRED, Delivery.NEW, Delivery.CHECKED_OK})
_DEFER_FROM = frozenset({Delivery.QUEUED, Delivery.SENT})
_INELIGIBLE_DELIVERY = ("bounced", "failed")
_INELIGIBLE_COMPLETION = ("completed", "declined")


@dataclass(frozen=True, slots=True)
class Claim:
    """One leased outbox row with what is needed to compose and send it."""

    outbox_id: int
    campaign_id: int
    respondent_id: int
    kind: str
    attempts: int
    first_attempt_at: datetime | None
    created_at: datetime
    token: str
    email: str
    full_name: str
    honorific: str
    title: str
    agency_name: str


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """What the relay said about one claimed message."""

    claim: Claim
    result: str  # sent | deferred | bounced | failed
    code: int | None = None
    reply: str = ""
    message_id: str | None = None
    next_attempt: datetime | None = None  # deferred: when to try again
    reason: str | None = None  # bounced/failed: taxonomy reason
    hard: bool = False


class OutboxOps(StoreBase):
    # --- planner ------------------------------------------------------------------------------

    async def plan_campaign(
        self, campaign_id: int, campaign: Campaign, paused: bool, now: datetime,
        on_page: Callable[[int], None] | None = None,
    ) -> int:  # fmt: skip
        """Enqueue every mail due at ``now`` for this campaign; returns how many were enqueued.

        Pages through respondents by id so memory stays flat; each page is one transaction, and
        ``on_page`` hears how many mails each committed page enqueued (the sender can start on them
        while the rest of a large campaign is planned).
        """
        await self._cancel_ineligible(campaign_id, now)
        if paused or now >= campaign.closes or not policy.in_window(campaign, now):
            return 0
        total, after = 0, 0
        while True:
            async with self.tx() as conn:
                rows = (
                    await conn.execute(
                        select(
                            R.c.id,
                            R.c.email_key,
                            R.c.delivery,
                            R.c.completion,
                            R.c.away_until,
                            R.c.invited_at,
                            R.c.last_sent_at,
                            R.c.force_send,
                        )  # fmt: skip
                        .where(
                            R.c.campaign_id == campaign_id,
                            R.c.id > after,
                            R.c.delivery.not_in(_INELIGIBLE_DELIVERY + ("queued", "deferred")),
                            R.c.completion.not_in(_INELIGIBLE_COMPLETION),
                        )
                        .order_by(R.c.id)
                        .limit(PAGE)
                    )
                ).all()
                if not rows:
                    return total
                after = rows[-1].id
                planned = await self._planned(conn, [r.id for r in rows])
                due: list[tuple[Any, str]] = []
                for i, r in enumerate(rows):
                    if i % 200 == 199:  # let the sender's replies in: a page is a few hundred ms of policy
                        await asyncio.sleep(0)
                    view = policy.RespondentView(
                        delivery=Delivery(r.delivery),
                        completion=Completion(r.completion),
                        away_until=r.away_until,
                        invited_at=r.invited_at,
                        last_sent_at=r.last_sent_at,
                        planned=frozenset(planned.get(r.id, ())),
                        force=bool(r.force_send),
                    )
                    kind = policy.due_mail(campaign, paused, view, now)
                    if kind is not None:
                        due.append((r, kind))
                enqueued = await self._enqueue(conn, campaign_id, due, now) if due else 0
            total += enqueued
            if enqueued and on_page is not None:
                on_page(enqueued)

    async def _planned(self, conn: AsyncConnection, ids: Sequence[int]) -> dict[int, list[str]]:
        out: dict[int, list[str]] = {}
        if not ids:
            return out
        q = select(OB.c.respondent_id, OB.c.kind).where(OB.c.respondent_id.in_(ids))
        for rid, kind in (await conn.execute(q)).all():
            out.setdefault(rid, []).append(kind)
        return out

    async def _enqueue(
        self, conn: AsyncConnection, campaign_id: int, due: Sequence[tuple[Any, str]], now: datetime
    ) -> int:
        values = [
            {
                "campaign_id": campaign_id,
                "respondent_id": r.id,
                "kind": kind,
                "state": "queued",
                "recipient_domain": r.email_key.rsplit("@", 1)[-1],
                "attempts": 0,
                "not_before": now,
                "created_at": now,
                "updated_at": now,
            }  # fmt: skip
            for r, kind in due
        ]
        inserted = set(
            await insert_rows(
                conn, OB, values, conflict=("respondent_id", "kind"), returning=("respondent_id", "kind")
            )
        )
        changes: list[Change] = []
        notes: list[dict[str, Any]] = []
        for r, kind in due:
            if (r.id, kind) not in inserted:
                continue  # another daemon planned it first: the unique key says so
            if Delivery(r.delivery) in _QUEUE_FROM:
                changes.append(
                    Change(r.id, campaign_id, r.delivery, r.completion, delivery="queued", source="planner",
                           detail=kind)
                )  # fmt: skip
            notes.append(_event(campaign_id, r.id, "outbox", None, "queued", "planner", kind, now))
        await apply_changes(conn, changes, now)
        await insert_rows(conn, E, notes)
        return len(inserted)

    async def _cancel_ineligible(self, campaign_id: int, now: datetime) -> int:
        """Queued mail for someone who completed, declined or bounced meanwhile is cancelled."""
        async with self.tx() as conn:
            ids = (
                await conn.execute(
                    select(OB.c.id, OB.c.respondent_id, OB.c.kind, OB.c.state)
                    .join(R, R.c.id == OB.c.respondent_id)
                    .where(
                        OB.c.campaign_id == campaign_id,
                        OB.c.state.in_(("queued", "deferred")),
                        or_(
                            R.c.delivery.in_(_INELIGIBLE_DELIVERY), R.c.completion.in_(_INELIGIBLE_COMPLETION)
                        ),
                    )
                )
            ).all()
            if not ids:
                return 0
            await conn.execute(
                update(OB).where(OB.c.id.in_([i.id for i in ids])).values(state="cancelled", updated_at=now)
            )
            await conn.execute(
                insert(E),
                [_event(campaign_id, i.respondent_id, "outbox", i.state, "cancelled", "planner", i.kind, now)
                 for i in ids],
            )  # fmt: skip
        return len(ids)

    # --- sender -------------------------------------------------------------------------------

    async def claim(self, owner: str, limit: int, now: datetime, lease: timedelta) -> list[Claim]:
        """Lease up to ``limit`` due messages of running campaigns (FOR UPDATE SKIP LOCKED on PostgreSQL)."""
        running = select(C.c.id).where(C.c.paused.is_(False), C.c.halted_reason.is_(None))
        due = (
            select(OB.c.id)
            .where(
                OB.c.campaign_id.in_(running),
                or_(
                    and_(OB.c.state.in_(("queued", "deferred")), OB.c.not_before <= now),
                    and_(OB.c.state == "leased", OB.c.lease_until < now),
                ),
            )
            .order_by(OB.c.not_before, OB.c.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        async with self.tx() as conn:
            ids = [
                row[0]
                for row in (
                    await conn.execute(
                        update(OB)
                        .where(OB.c.id.in_(due.scalar_subquery()))
                        .values(state="leased", lease_owner=owner, lease_until=now + lease, updated_at=now)
                        .returning(OB.c.id)
                    )
                ).all()
            ]
            if not ids:
                return []
            rows = (
                await conn.execute(
                    select(
                        OB.c.id,
                        OB.c.campaign_id,
                        OB.c.respondent_id,
                        OB.c.kind,
                        OB.c.attempts,
                        OB.c.first_attempt_at,
                        OB.c.created_at,
                        R.c.token,
                        R.c.email,
                        R.c.full_name,
                        R.c.honorific,
                        R.c.title,
                        func.coalesce(A.c.name, "").label("agency_name"),
                    )  # fmt: skip
                    .select_from(
                        OB.join(R, R.c.id == OB.c.respondent_id).outerjoin(A, A.c.id == R.c.agency_id)
                    )
                    .where(OB.c.id.in_(ids))
                    .order_by(OB.c.id)
                )
            ).all()
        return [Claim(*row) for row in rows]

    async def release(self, owner: str, outbox_ids: Iterable[int], now: datetime) -> int:
        """Give leased rows back untouched (graceful shutdown before sending them)."""
        ids = list(outbox_ids)
        if not ids:
            return 0
        async with self.tx() as conn:
            result = await conn.execute(
                update(OB)
                .where(OB.c.id.in_(ids), OB.c.lease_owner == owner, OB.c.state == "leased")
                .values(state="queued", lease_owner=None, lease_until=None, updated_at=now)
            )
        return int(result.rowcount or 0)

    async def record_outcomes(self, outcomes: Sequence[SendOutcome], now: datetime) -> None:
        """Record a batch of relay answers: outbox rows, respondent states and events, one transaction."""
        if not outcomes:
            return
        async with self.tx() as conn:
            ids = sorted({o.claim.respondent_id for o in outcomes})
            current = {
                r.id: r
                for r in (
                    await conn.execute(
                        select(R.c.id, R.c.delivery, R.c.completion, R.c.invited_at).where(R.c.id.in_(ids))
                    )
                ).all()
            }
            rows: list[dict[str, Any]] = []
            changes: list[Change] = []
            notes: list[dict[str, Any]] = []
            for o in outcomes:
                c = o.claim
                row: dict[str, Any] = {
                    "id": c.outbox_id, "state": _OUTBOX_STATE[o.result], "attempts": c.attempts + 1,
                    "first_attempt_at": c.first_attempt_at or now, "last_code": o.code,
                    "last_reply": o.reply[:2000], "lease_owner": None, "lease_until": None, "updated_at": now,
                }  # fmt: skip
                if o.message_id:
                    row["message_id"] = o.message_id
                if o.result == "sent":
                    row["sent_at"] = now
                if o.result == "deferred":
                    row["not_before"] = o.next_attempt or now
                rows.append(row)
                detail = f"{c.kind}: {o.code or ''} {o.reply}".strip()[:2000]
                notes.append(_event(c.campaign_id, c.respondent_id, "outbox", "leased", row["state"], "sender",
                                    detail, now))  # fmt: skip
                cur = current.get(c.respondent_id)
                if cur is not None:
                    change = _respondent_change(o, cur, now)
                    if change is not None:
                        changes.append(change)
            await update_rows(conn, OB, "id", rows)
            await apply_changes(conn, changes, now, notes)

    async def queue_depth(self, now: datetime) -> dict[str, Any]:
        """Outbox figures for `status`: rows per state, due now, oldest deferred."""
        async with self.tx() as conn:
            result = await conn.execute(select(OB.c.state, func.count()).group_by(OB.c.state))
            per_state: dict[str, int] = {str(k): int(v) for k, v in result.all()}
            due = (
                await conn.execute(
                    select(func.count()).where(OB.c.state.in_(("queued", "deferred")), OB.c.not_before <= now)
                )
            ).scalar()
            oldest = (
                await conn.execute(select(func.min(OB.c.first_attempt_at)).where(OB.c.state == "deferred"))
            ).scalar()
        return {
            "states": {k: int(v) for k, v in per_state.items()},
            "due": int(due or 0),
            "oldest_deferred": oldest,
        }


_OUTBOX_STATE = {"sent": "sent", "deferred": "deferred", "bounced": "failed", "failed": "failed"}


def _respondent_change(o: SendOutcome, cur: Any, now: datetime) -> Change | None:
    c = o.claim
    old = Delivery(cur.delivery)
    values: list[tuple[str, Any]] = []
    new: str | None = None
    detail = f"{c.kind}: {o.code or ''} {o.reply}".strip()
    if o.result == "sent":
        values.append(("last_sent_at", now))
        if parse_outbox_kind(c.kind)[0].value == "invitation" and cur.invited_at is None:
            values.append(("invited_at", now))
        if old in _SENT_FROM:
            new = "sent"
    elif o.result == "deferred":
        if old in _DEFER_FROM:
            new = "deferred"
    elif o.result == "bounced":
        new = "bounced"
        values += [("reason", o.reason), ("status_code", str(o.code or "")), ("hard_bounce", o.hard)]
    elif o.result == "failed":
        new = "failed"
        values += [("reason", o.reason), ("status_code", str(o.code or ""))]
    if new is None and not values:
        return None
    return Change(c.respondent_id, c.campaign_id, cur.delivery, cur.completion, delivery=new, source="sender",
                  detail=detail, values=tuple(values))  # fmt: skip


def _event(
    campaign_id: int, respondent_id: int | None, field: str, old: str | None, new: str | None, source: str,
    detail: str, now: datetime,
) -> dict[str, Any]:  # fmt: skip
    return {
        "at": now, "campaign_id": campaign_id, "respondent_id": respondent_id, "field": field,
        "old_value": old, "new_value": new, "source": source, "detail": detail[:2000],
    }  # fmt: skip
