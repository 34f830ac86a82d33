"""Store operations on agencies' focal points (đầu mối): their addresses, set by a roster import or by
hand, each change with its event row; and which focal points' digests the event log shows sent
(or refused) on a day; the claim that keeps them single is store.digests."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from maildaemon.errors import NotFound
from maildaemon.store import tables
from maildaemon.store.base import StoreBase, add_event

A, E = tables.agencies, tables.events
AGENCY_FIELD = (
    "agency"  # events about an agency: new value focal_set | focal_cleared, the addresses in detail
)
DIGEST_FIELD = (
    "focal_digest"  # one per focal-point digest sent: old value the agency id, new value the local day
)


@dataclass(frozen=True, slots=True)
class FocalPoint:
    """An agency whose focal point has an address: whom its digest goes to and which page it links."""

    agency_id: int
    code: str
    name: str
    email: str


async def write_focal(
    conn: AsyncConnection, campaign_id: int, agency_id: int, code: str, old: str | None, new: str | None,
    now: datetime, source: str, detail: str,
) -> bool:  # fmt: skip
    """Set one agency's focal address with its event, in the caller's transaction; False if unchanged."""
    if (old or "") == (new or ""):
        return False
    await conn.execute(update(A).where(A.c.id == agency_id).values(focal_email=new))
    shown = f"{code}: focal point {old or '-'} -> {new or '-'}"
    await add_event(conn, now=now, campaign_id=campaign_id, respondent_id=None, field=AGENCY_FIELD, old=None,
                    new="focal_set" if new else "focal_cleared", source=source, detail=f"{shown} ({detail})")  # fmt: skip
    return True


async def apply_roster_focal(
    conn: AsyncConnection, campaign_id: int, wanted: Mapping[int, tuple[str, int]], now: datetime, source: str
) -> list[str]:
    """The focal addresses a roster names (agency id -> (address, line)), written where they differ;
    one line per change for the import summary. An agency the roster names none for keeps its own."""
    if not wanted:
        return []
    rows = await conn.execute(select(A.c.id, A.c.code, A.c.focal_email).where(A.c.id.in_(sorted(wanted))))
    changes = []
    for aid, code, old in rows.all():
        new, line = wanted[int(aid)]
        if await write_focal(conn, campaign_id, int(aid), code, old, new, now, "import", f"{source}:{line}"):
            changes.append(f"line {line}: agency {code}: focal point {old or '-'} -> {new}")
    return changes


class FocalOps(StoreBase):
    async def set_focal_email(
        self, campaign_id: int, code: str, email: str | None, *, actor: str, now: datetime
    ) -> tuple[str | None, bool]:
        """Set (or with None clear) the focal address of the agency ``code``; its previous address and
        whether anything changed. NotFound names the code."""
        async with self.tx() as conn:
            row = (
                await conn.execute(
                    select(A.c.id, A.c.focal_email).where(A.c.campaign_id == campaign_id, A.c.code == code)
                )
            ).first()
            if row is None:
                raise NotFound(f"no agency with code {code!r} in this campaign")
            changed = await write_focal(conn, campaign_id, int(row.id), code, row.focal_email, email, now,
                                        "operator", f"by {actor}")  # fmt: skip
        return row.focal_email, changed

    async def focal_points(self, campaign_id: int) -> list[FocalPoint]:
        """The campaign's agencies that have a focal address, by code."""
        async with self.tx() as conn:
            rows = await conn.execute(
                select(A.c.id, A.c.code, A.c.name, A.c.focal_email)
                .where(A.c.campaign_id == campaign_id, A.c.focal_email.is_not(None), A.c.focal_email != "")
                .order_by(A.c.code)
            )
            return [FocalPoint(int(i), str(c), str(n), str(e)) for i, c, n, e in rows.all()]

    async def focal_digests_sent(self, campaign_id: int, day: date) -> set[int]:
        """The agencies whose focal point got the digest of local day ``day`` already."""
        async with self.tx() as conn:
            rows = await conn.execute(
                select(E.c.old_value).where(
                    E.c.campaign_id == campaign_id,
                    E.c.field == DIGEST_FIELD,
                    E.c.new_value == day.isoformat(),
                )
            )
            return {int(v) for (v,) in rows.all() if v is not None and str(v).isdigit()}
