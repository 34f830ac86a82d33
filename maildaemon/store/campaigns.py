"""Store operations on campaigns: create, read, pause/resume, halt on a template error."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from maildaemon.core.campaign import Campaign, campaign_from_text
from maildaemon.errors import ConfigError, NotFound
from maildaemon.store import tables
from maildaemon.store.base import StoreBase, add_event

C = tables.campaigns


@dataclass(frozen=True, slots=True)
class CampaignRecord:
    id: int
    campaign: Campaign
    definition: str
    paused: bool
    halted_reason: str | None
    created_at: datetime

    @property
    def name(self) -> str:
        return self.campaign.name

    @property
    def active(self) -> bool:
        return not self.paused and not self.halted_reason


class CampaignOps(StoreBase):
    async def create_campaign(self, campaign: Campaign, definition: str, now: datetime) -> int:
        async with self.tx() as conn:
            try:
                result = await conn.execute(
                    insert(C).values(
                        name=campaign.name,
                        title=campaign.title,
                        definition=definition,
                        opens_at=campaign.opens,
                        closes_at=campaign.closes,
                        paused=False,
                        created_at=now,
                        updated_at=now,
                    )
                )
            except IntegrityError:
                raise ConfigError(f"campaign {campaign.name!r} exists already") from None
            cid = int(result.inserted_primary_key[0])  # type: ignore[index]
            await add_event(
                conn, now=now, campaign_id=cid, respondent_id=None, field="campaign", old=None,
                new="created", source="operator", detail=campaign.title,
            )  # fmt: skip
        return cid

    async def update_campaign(self, campaign: Campaign, definition: str, now: datetime) -> None:
        """Replace a campaign's definition (same name); states and outbox stay."""
        async with self.tx() as conn:
            result = await conn.execute(
                update(C)
                .where(C.c.name == campaign.name)
                .values(
                    title=campaign.title,
                    definition=definition,
                    opens_at=campaign.opens,
                    closes_at=campaign.closes,
                    halted_reason=None,
                    updated_at=now,
                )  # fmt: skip
            )
            if result.rowcount == 0:
                raise NotFound(f"no campaign named {campaign.name!r}")

    async def get_campaign(self, name: str) -> CampaignRecord:
        async with self.tx(read=True) as conn:
            row = (await conn.execute(select(C).where(C.c.name == name))).mappings().first()
        if row is None:
            raise NotFound(f"no campaign named {name!r} (see 'maildaemon campaign list')")
        return _record(row)

    async def get_campaign_by_id(self, campaign_id: int) -> CampaignRecord:
        async with self.tx(read=True) as conn:
            row = (await conn.execute(select(C).where(C.c.id == campaign_id))).mappings().first()
        if row is None:
            raise NotFound(f"no campaign with id {campaign_id}")
        return _record(row)

    async def list_campaigns(self) -> list[CampaignRecord]:
        async with self.tx(read=True) as conn:
            rows = (await conn.execute(select(C).order_by(C.c.id))).mappings().all()
        return [_record(r) for r in rows]

    async def set_paused(
        self, name: str, paused: bool, now: datetime, source: str = "operator", actor: str = ""
    ) -> bool:
        """Pause or resume; resuming also clears a template halt. False if nothing changed. The event
        names ``actor`` (who paused it), as every operator decision's does."""
        async with self.tx() as conn:
            row = (await conn.execute(select(C).where(C.c.name == name))).mappings().first()
            if row is None:
                raise NotFound(f"no campaign named {name!r}")
            if bool(row["paused"]) == paused and (paused or not row["halted_reason"]):
                return False
            values: dict[str, object] = {"paused": paused, "updated_at": now}
            if not paused:
                values["halted_reason"] = None
            await conn.execute(update(C).where(C.c.id == row["id"]).values(**values))
            await add_event(
                conn, now=now, campaign_id=row["id"], respondent_id=None, field="campaign",
                old="paused" if row["paused"] else "running", new="paused" if paused else "running",
                source=source, detail=f"by {actor}" if actor else "",
            )  # fmt: skip
        return True

    async def halt_campaign(self, campaign_id: int, reason: str, now: datetime) -> None:
        """Stop one campaign (e.g. a template error) without stopping the daemon."""
        async with self.tx() as conn:
            await conn.execute(
                update(C).where(C.c.id == campaign_id).values(halted_reason=reason[:2000], updated_at=now)
            )
            await add_event(
                conn, now=now, campaign_id=campaign_id, respondent_id=None, field="campaign",
                old="running", new="halted", source="daemon", detail=reason,
            )  # fmt: skip


def _record(row: object) -> CampaignRecord:
    r = dict(row)  # type: ignore[call-overload]
    campaign = campaign_from_text(r["definition"], f"campaign {r['name']!r} in the database")
    return CampaignRecord(
        id=int(r["id"]),
        campaign=campaign,
        definition=r["definition"],
        paused=bool(r["paused"]),
        halted_reason=r["halted_reason"],
        created_at=r["created_at"],
    )
