"""Digest claims: a digest (the operators' daily one, a focal point's) is claimed in its own transaction
before it is sent, under a unique key (campaign, kind, agency, local day), so of several daemons on one
database only one sends it. A transient failure releases the claim; a send or a refusal settles it,
with its event row in the same transaction."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.dialects import postgresql, sqlite

from maildaemon.store import tables
from maildaemon.store.base import StoreBase, add_event

D = tables.digest_claims
OPERATORS = "operators"  # the operators' daily digest (agency 0)
FOCAL = "focal"  # a focal point's digest, one per agency
# How a settled digest shows in the event log: (field, new value); the old value is the agency id for
# a focal digest, the detail starts with the local day for the operators' digest.
EVENT = {OPERATORS: ("campaign", "digest"), FOCAL: ("focal_digest", None)}


class DigestOps(StoreBase):
    async def claim_digest(
        self, campaign_id: int, kind: str, agency_id: int, day: date, *, owner: str, now: datetime
    ) -> bool:
        """Claim one digest for sending, committed before the send; False when another daemon (or an
        earlier round) holds or settled it."""
        values = {"campaign_id": campaign_id, "kind": kind, "agency_id": agency_id, "day": day.isoformat(),
                  "state": "claimed", "owner": owner[:100], "claimed_at": now}  # fmt: skip
        ins: Any = postgresql.insert(D) if self.dialect == "postgresql" else sqlite.insert(D)
        async with self.tx() as conn:
            result = await conn.execute(ins.values(**values).on_conflict_do_nothing())
        return bool(result.rowcount)

    async def release_digest(self, campaign_id: int, kind: str, agency_id: int, day: date) -> None:
        """Give a claim back after a transient failure: the next round (of any daemon) sends it."""
        async with self.tx() as conn:
            await conn.execute(
                delete(D).where(*_key(campaign_id, kind, agency_id, day), D.c.state == "claimed")
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
        now: datetime,
    ) -> None:
        """Mark a claimed digest ``sent`` or ``refused`` for the day, with its event row."""
        field, new = EVENT[kind]
        async with self.tx() as conn:
            await conn.execute(update(D).where(*_key(campaign_id, kind, agency_id, day)).values(state=state))
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


def _key(campaign_id: int, kind: str, agency_id: int, day: date) -> tuple[Any, ...]:
    return (D.c.campaign_id == campaign_id, D.c.kind == kind, D.c.agency_id == agency_id,
            D.c.day == day.isoformat())  # fmt: skip
