"""Digest claims: a digest (the operators' daily one, a focal point's) is claimed in its own transaction
before it is sent, under a unique key (campaign, kind, agency, local day), so of several daemons on one
database only one sends it. A transient failure releases the claim; a send or a refusal settles it,
with its event row in the same transaction. A claim is a lease: one still unsettled after the lease (its
daemon stopped between claim and settle) is taken over by the next round of any daemon, so a crash
costs at most one duplicate digest, never a lost one."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from maildaemon.store import tables
from maildaemon.store.base import StoreBase, add_event

log = logging.getLogger(__name__)
D = tables.digest_claims
OPERATORS = "operators"  # the operators' daily digest (agency 0)
FOCAL = "focal"  # a focal point's digest, one per agency
# How a settled digest shows in the event log: (field, new value); the old value is the agency id for
# a focal digest, the detail starts with the local day for the operators' digest.
EVENT = {OPERATORS: ("campaign", "digest"), FOCAL: ("focal_digest", None)}
# A claim taken over after its lease: field, old value the kind, new value TAKEN_OVER; the detail names
# the day, the agency, the owner it was taken from and when that owner claimed it.
CLAIM_FIELD = "digest_claim"
TAKEN_OVER = "taken_over"
_KEY = (D.c.campaign_id, D.c.kind, D.c.agency_id, D.c.day)


class DigestOps(StoreBase):
    async def claim_digest(
        self, campaign_id: int, kind: str, agency_id: int, day: date, *, owner: str, now: datetime,
        lease: timedelta,
    ) -> bool:  # fmt: skip
        """Claim one digest for sending, committed before the send; False when it is settled or another
        daemon's claim is younger than ``lease``. An older claim is taken over: one UPDATE guarded by
        its state and age, so of several daemons only one takes it, with an event row saying from whom."""
        values = {"campaign_id": campaign_id, "kind": kind, "agency_id": agency_id, "day": day.isoformat(),
                  "state": "claimed", "owner": owner[:100], "claimed_at": now}  # fmt: skip
        ins: Any = postgresql.insert(D) if self.dialect == "postgresql" else sqlite.insert(D)
        key, cutoff = _key(campaign_id, kind, agency_id, day), now - lease
        async with self.tx() as conn:
            if (await conn.execute(ins.values(**values).on_conflict_do_nothing())).rowcount:
                return True
            stale = (
                await conn.execute(
                    select(D.c.owner, D.c.claimed_at).where(
                        *key, D.c.state == "claimed", D.c.claimed_at < cutoff
                    )
                )
            ).first()
            if stale is None:
                return False
            # the guard is checked again by the UPDATE itself: of two daemons that both saw the stale claim,
            # the second finds it claimed just now (PostgreSQL re-reads the row after the first commits)
            taken = await conn.execute(
                update(D)
                .where(*key, D.c.state == "claimed", D.c.claimed_at < cutoff, D.c.owner == stale.owner)
                .values(owner=owner[:100], claimed_at=now)
            )
            if not taken.rowcount:
                return False
            since = f"{stale.claimed_at:%Y-%m-%d %H:%M:%S} UTC"
            await add_event(conn, now=now, campaign_id=campaign_id, respondent_id=None, field=CLAIM_FIELD,
                            old=kind, new=TAKEN_OVER, source="daemon",
                            detail=f"{day.isoformat()} agency {agency_id}: claimed by {stale.owner} at {since}, "
                                   f"not settled within {lease}; taken over by {owner[:100]}")  # fmt: skip
        log.warning("digest.taken_over kind=%s campaign_id=%s agency_id=%s day=%s from=%s claimed_at=%s", kind,
                    campaign_id, agency_id, day, stale.owner, since)  # fmt: skip
        return True

    async def release_digest(
        self, campaign_id: int, kind: str, agency_id: int, day: date, *, owner: str
    ) -> None:
        """Give ``owner``'s claim back after a transient failure: the next round (of any daemon) sends it.
        A claim another daemon took over meanwhile is not touched."""
        async with self.tx() as conn:
            await conn.execute(
                delete(D).where(
                    *_key(campaign_id, kind, agency_id, day), D.c.state == "claimed", D.c.owner == owner[:100]
                )
            )

    async def settle_digest(
        self,
        campaign_id: int,
        kind: str,
        agency_id: int,
        day: date,
        *,
        state: str,
        detail: str,
        owner: str,
        now: datetime,
    ) -> None:
        """Mark a claimed digest ``sent`` or ``refused`` for the day, with its event row. The event is
        written whatever the claim became meanwhile (the digest did go out, or was refused); a claim
        already settled keeps its state, and one released or taken over by another daemon after this
        one's lease ran out is settled too (the digest is out: it is not sent a third time)."""
        field, new = EVENT[kind]
        ins: Any = postgresql.insert(D) if self.dialect == "postgresql" else sqlite.insert(D)
        row = {"campaign_id": campaign_id, "kind": kind, "agency_id": agency_id, "day": day.isoformat(),
               "state": state, "owner": owner[:100], "claimed_at": now}  # fmt: skip
        upsert = ins.values(**row).on_conflict_do_update(
            index_elements=list(_KEY),
            set_={"state": state, "owner": owner[:100]},
            where=D.c.state == "claimed",
        )
        async with self.tx() as conn:
            await conn.execute(upsert)
            if kind == OPERATORS:
                await add_event(conn, now=now, campaign_id=campaign_id, respondent_id=None, field=field, old=None,
                                new=new, source="daemon", detail=f"{day.isoformat()} {detail}")  # fmt: skip
            else:
                await add_event(conn, now=now, campaign_id=campaign_id, respondent_id=None, field=field,
                                old=str(agency_id), new=day.isoformat(), source="daemon", detail=detail)  # fmt: skip

    async def digests_claimed(self, campaign_id: int, kind: str, day: date) -> dict[int, str]:
        """The agencies (0: the operators' digest) whose digest of ``day`` is claimed, sent or refused."""
        async with self.tx() as conn:
            rows = await conn.execute(
                select(D.c.agency_id, D.c.state).where(
                    D.c.campaign_id == campaign_id, D.c.kind == kind, D.c.day == day.isoformat()
                )
            )
            return {int(a): str(s) for a, s in rows.all()}

    async def digests_held(
        self, campaign_id: int, kind: str, day: date, *, claimed_since: datetime
    ) -> set[int]:
        """The agencies (0: the operators' digest) whose digest of ``day`` nobody may claim now: settled, or
        claimed at ``claimed_since`` or later. A claim older than that is left for ``claim_digest`` to
        take over."""
        async with self.tx(read=True) as conn:
            rows = await conn.execute(
                select(D.c.agency_id).where(
                    D.c.campaign_id == campaign_id, D.c.kind == kind, D.c.day == day.isoformat(),
                    or_(D.c.state != "claimed", D.c.claimed_at >= claimed_since),
                )
            )  # fmt: skip
            return {int(a) for (a,) in rows.all()}


def _key(campaign_id: int, kind: str, agency_id: int, day: date) -> tuple[Any, ...]:
    return (D.c.campaign_id == campaign_id, D.c.kind == kind, D.c.agency_id == agency_id,
            D.c.day == day.isoformat())  # fmt: skip
