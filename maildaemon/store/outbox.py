"""Store operations on the outbox: the planner reads pages of candidates and enqueues, the sender
claims with a lease and records each relay answer (what it does to the respondent is
``core.lifecycle``'s decision). Leases make a crash lose nothing: an expired lease is claimed again.

Duplicate bound: a message is sent twice only if the daemon dies after the relay accepted it
and before the result was recorded; at most the messages leased at that moment (one claim batch)
can be sent twice.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from maildaemon.core import lifecycle
from maildaemon.core.lifecycle import RelayAnswer
from maildaemon.core.model import COMPLETION_DONE, DELIVERY_BLOCKED, Delivery
from maildaemon.core.retry import TransientBouncePolicy
from maildaemon.store import tables
from maildaemon.store.base import Change, StoreBase, apply_changes
from maildaemon.store.bulk import insert_rows, update_rows
from maildaemon.store.respondents import change_of, note_row

log = logging.getLogger(__name__)

OB = tables.outbox
R = tables.respondents
A = tables.agencies
C = tables.campaigns
E = tables.events

_INELIGIBLE_DELIVERY = tuple(sorted(d.value for d in DELIVERY_BLOCKED))
_INELIGIBLE_COMPLETION = tuple(sorted(c.value for c in COMPLETION_DONE))
# Mail not yet handed to our relay holds the next one: not a planning candidate. A deferred person is one
# (a soft bounce is reminded as usual); whether their own mail is still waiting here is ``PlanRow.pending``.
_IN_FLIGHT = (Delivery.QUEUED.value,)
_WAITING = ("queued", "leased", "deferred")


@dataclass(frozen=True, slots=True)
class PlanRow:
    """One respondent the planner may have mail for, with what the policy reads."""

    respondent_id: int
    email_key: str
    delivery: str
    completion: str
    away_until: datetime | None
    invited_at: datetime | None
    last_sent_at: datetime | None
    force_send: bool
    planned: frozenset[str]  # outbox kinds present for this respondent, any state
    pending: bool = False  # one of them is still waiting in the outbox (queued, leased, deferred)


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

    async def plan_page(self, campaign_id: int, after: int, limit: int) -> list[PlanRow]:
        """Up to ``limit`` respondents with id > ``after`` who may be due mail (not blocked, done or in
        flight), in id order, with the outbox kinds each already has."""
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
                        R.c.excluded_at.is_(None),  # an operator took them out of the survey
                        R.c.delivery.not_in(_INELIGIBLE_DELIVERY + _IN_FLIGHT),
                        R.c.completion.not_in(_INELIGIBLE_COMPLETION),
                    )
                    .order_by(R.c.id)
                    .limit(limit)
                )
            ).all()
            planned, pending = await self._planned(conn, [r.id for r in rows])
        return [
            PlanRow(
                r.id,
                r.email_key,
                r.delivery,
                r.completion,
                r.away_until,
                r.invited_at,
                r.last_sent_at,
                bool(r.force_send),
                frozenset(planned.get(r.id, ())),
                r.id in pending,
            )  # fmt: skip
            for r in rows
        ]

    async def _planned(
        self, conn: AsyncConnection, ids: Sequence[int]
    ) -> tuple[dict[int, list[str]], set[int]]:
        """Each respondent's outbox kinds, and who has one still waiting to go."""
        out: dict[int, list[str]] = {}
        pending: set[int] = set()
        if not ids:
            return out, pending
        q = select(OB.c.respondent_id, OB.c.kind, OB.c.state).where(OB.c.respondent_id.in_(ids))
        for rid, kind, state in (await conn.execute(q)).all():
            out.setdefault(rid, []).append(kind)
            if state in _WAITING:
                pending.add(rid)
        return out, pending

    async def enqueue(self, campaign_id: int, due: Sequence[tuple[PlanRow, str]], now: datetime) -> int:
        """Insert one queued outbox row per (respondent, kind) and move the respondents as the lifecycle
        says, in one transaction; returns how many rows were new (another daemon may have planned the
        rest first: the unique key says so)."""
        if not due:
            return 0
        values = [
            {
                "campaign_id": campaign_id,
                "respondent_id": r.respondent_id,
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
        async with self.tx() as conn:
            inserted = set(
                await insert_rows(
                    conn, OB, values, conflict=("respondent_id", "kind"), returning=("respondent_id", "kind")
                )
            )
            if not inserted:
                return 0
            # the state as it is now, not as the page read it: the watcher may have moved someone since
            current = {
                r.id: r
                for r in (
                    await conn.execute(
                        select(R.c.id, R.c.delivery, R.c.completion).where(
                            R.c.id.in_(sorted({rid for rid, _ in inserted}))
                        )
                    )
                ).all()
            }
            changes: list[Change] = []
            notes: list[dict[str, Any]] = []
            for r, kind in due:
                cur = current.get(r.respondent_id)
                if (r.respondent_id, kind) not in inserted or cur is None:
                    continue
                state = lifecycle.stored(cur.id, campaign_id, cur.delivery, cur.completion)
                effect = lifecycle.on_planned(state, kind)
                if effect is not None:
                    changes.append(change_of(effect))
                notes.append(
                    _event(campaign_id, r.respondent_id, "outbox", None, "queued", "planner", kind, now)
                )
            await apply_changes(conn, changes, now)
            await insert_rows(conn, E, notes)
        return len(inserted)

    async def cancel_ineligible(self, campaign_id: int, now: datetime) -> int:
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

    async def record_outcomes(
        self, outcomes: Sequence[SendOutcome], now: datetime, bounces: TransientBouncePolicy | None = None
    ) -> None:
        """Record a batch of relay answers: outbox rows, respondent states and events, one transaction.

        With ``bounces`` ([bounce]), a 4xx about the recipient counts towards the soft-bounce threshold."""
        if not outcomes:
            return
        async with self.tx() as conn:
            ids = sorted({o.claim.respondent_id for o in outcomes})
            soft = await _soft_failures(
                conn, {o.claim.respondent_id for o in outcomes if o.result == "deferred" and o.reason},
                lifecycle.soft_bounce_window(bounces, now) if bounces is not None else now,
            )  # fmt: skip
            current = {
                r.id: lifecycle.stored(
                    r.id,
                    r.campaign_id,
                    r.delivery,
                    r.completion,
                    r.transient_count or 0,
                    tuple(soft.get(r.id, ())),
                    invited=r.invited_at is not None,
                )  # fmt: skip
                for r in (
                    await conn.execute(
                        select(
                            R.c.id,
                            R.c.campaign_id,
                            R.c.delivery,
                            R.c.completion,
                            R.c.invited_at,
                            R.c.transient_count,
                        ).where(R.c.id.in_(ids))
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
                    answer = RelayAnswer(c.kind, o.result, o.code, o.reply, o.reason, o.hard)
                    effect = lifecycle.on_relay(cur, answer, now, bounces)
                    if effect is not None:
                        current[c.respondent_id] = effect.after  # a second mail of the batch starts here
                        changes.append(change_of(effect))
                        if effect.note is not None:
                            notes.append(note_row(effect, now))
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


async def _soft_failures(conn: AsyncConnection, ids: set[int], since: datetime) -> dict[int, list[datetime]]:
    """Each respondent's relay soft failures after ``since`` (the lifecycle's notes), one query."""
    out: dict[int, list[datetime]] = {}
    if not ids:
        return out
    rows = await conn.execute(
        select(E.c.respondent_id, E.c.at).where(
            E.c.respondent_id.in_(sorted(ids)), E.c.field == "note", E.c.new_value == lifecycle.SOFT_FAILURE,
            E.c.at > since,
        )
    )  # fmt: skip
    for rid, at in rows.all():
        out.setdefault(int(rid), []).append(at)
    return out


_OUTBOX_STATE = {"sent": "sent", "deferred": "deferred", "bounced": "failed", "failed": "failed"}


def _event(
    campaign_id: int, respondent_id: int | None, field: str, old: str | None, new: str | None, source: str,
    detail: str, now: datetime,
) -> dict[str, Any]:  # fmt: skip
    return {
        "at": now, "campaign_id": campaign_id, "respondent_id": respondent_id, "field": field,
        "old_value": old, "new_value": new, "source": source, "detail": detail[:2000],
    }  # fmt: skip
