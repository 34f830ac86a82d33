"""Read-only store queries behind the operator report: agencies, respondent counts by state, the
people who need attention and hourly event counts. Figures are grouped in SQL so memory grows
with the number of agencies and of people still to chase, not with the roster."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, and_, func, literal_column, or_, select
from sqlalchemy.ext.asyncio import AsyncConnection

from maildaemon.core.corrections import excluded_by
from maildaemon.reporting.figures import (
    ADDRESS_PROBLEM,
    BOUNCE,
    COMPLETION,
    NOT_ANSWERED,
    SEND,
    AgencyRow,
    EventBucket,
    ExcludedRow,
    PersonRow,
    ReportData,
    StateCount,
)
from maildaemon.store import tables
from maildaemon.store.base import StoreBase

R = tables.respondents
A = tables.agencies
E = tables.events


class ReportOps(StoreBase):
    async def report_data(self, campaign_id: int) -> ReportData:
        """Everything ``maildaemon.reporting.figures.build_report`` needs for one campaign, in one transaction."""
        async with self.tx() as conn:
            return ReportData(
                agencies=await _agencies(conn, campaign_id),
                counts=await _counts(conn, campaign_id),
                people=await _people(conn, campaign_id),
                events=await _events(conn, campaign_id, self.dialect),
                excluded=await _excluded(conn, campaign_id),
            )


async def _excluded(conn: AsyncConnection, campaign_id: int) -> list[ExcludedRow]:
    """Who is excluded, with the operator named by their latest exclusion event (the row keeps no actor)."""
    last = (
        select(E.c.respondent_id, func.max(E.c.id).label("eid"))
        .where(E.c.campaign_id == campaign_id, E.c.field == "note", E.c.new_value == "excluded")
        .group_by(E.c.respondent_id)
        .subquery()
    )
    rows = await conn.execute(
        select(R.c.agency_id, R.c.full_name, R.c.email, R.c.excluded_reason, R.c.excluded_at, E.c.detail)
        .select_from(R.outerjoin(last, last.c.respondent_id == R.c.id).outerjoin(E, E.c.id == last.c.eid))
        .where(R.c.campaign_id == campaign_id, R.c.excluded_at.is_not(None))
        .order_by(R.c.id)
    )
    return [
        ExcludedRow(
            agency_id=None if r.agency_id is None else int(r.agency_id),
            full_name=r.full_name,
            email=r.email,
            reason=r.excluded_reason or "",
            by=excluded_by(r.detail or "", r.excluded_reason or ""),
            at=r.excluded_at,
        )  # fmt: skip
        for r in rows.all()
    ]


async def _agencies(conn: AsyncConnection, campaign_id: int) -> list[AgencyRow]:
    rows = await conn.execute(
        select(A.c.id, A.c.code, A.c.name, A.c.parent_id, A.c.level)
        .where(A.c.campaign_id == campaign_id)
        .order_by(A.c.id)
    )
    return [
        AgencyRow(int(i), str(code), str(name), None if p is None else int(p), int(lv))
        for i, code, name, p, lv in rows.all()
    ]


async def _counts(conn: AsyncConnection, campaign_id: int) -> list[StateCount]:
    invited = R.c.invited_at.is_not(None).label("invited")
    rows = await conn.execute(
        select(R.c.agency_id, R.c.delivery, R.c.completion, R.c.reason, invited, func.count())
        .where(R.c.campaign_id == campaign_id, R.c.excluded_at.is_(None))  # excluded: not in the figures
        .group_by(R.c.agency_id, R.c.delivery, R.c.completion, R.c.reason, R.c.invited_at.is_not(None))
    )
    return [
        StateCount(
            agency_id=None if aid is None else int(aid),
            delivery=str(d),
            completion=str(c),
            invited=bool(inv),
            count=int(n),
            reason=reason if d in ADDRESS_PROBLEM else None,
        )
        for aid, d, c, reason, inv, n in rows.all()
    ]


async def _people(conn: AsyncConnection, campaign_id: int) -> list[PersonRow]:
    rows = await conn.execute(
        select(
            R.c.agency_id,
            R.c.full_name,
            R.c.email,
            R.c.title,
            R.c.delivery,
            R.c.completion,
            R.c.reason,
            R.c.status_code,
            R.c.invited_at,
            R.c.last_sent_at,
            R.c.away_until,
            R.c.phone,
        )
        .where(
            R.c.campaign_id == campaign_id,
            R.c.excluded_at.is_(None),  # an excluded person is nobody to chase
            or_(
                R.c.completion.in_(sorted(NOT_ANSWERED)),
                R.c.delivery.in_(sorted(ADDRESS_PROBLEM)),
            ),
        )
        .order_by(R.c.agency_id, R.c.id)
    )
    return [
        PersonRow(
            agency_id=None if r.agency_id is None else int(r.agency_id),
            full_name=r.full_name,
            email=r.email,
            title=r.title,
            delivery=r.delivery,
            completion=r.completion,
            reason=r.reason,
            status_code=r.status_code,
            invited_at=r.invited_at,
            last_sent_at=r.last_sent_at,
            away_until=r.away_until,
            phone=r.phone,
        )
        for r in rows.all()
    ]


async def _events(conn: AsyncConnection, campaign_id: int, dialect: str) -> list[EventBucket]:
    """Sends (the relay accepted a message), bounces and completions per UTC hour."""
    hour = _hour_bucket(dialect).label("bucket")
    kinds = {
        ("outbox", "sent"): SEND,
        ("delivery", "bounced"): BOUNCE,
        ("completion", "completed"): COMPLETION,
    }
    rows = await conn.execute(
        select(E.c.field, E.c.new_value, hour, func.count())
        .where(
            E.c.campaign_id == campaign_id,
            or_(*[and_(E.c.field == f, E.c.new_value == v) for f, v in kinds]),
        )
        .group_by(E.c.field, E.c.new_value, literal_column("bucket"))
    )
    return [
        EventBucket(_parse_hour(h), kinds[(str(f), str(v))], int(n))
        for f, v, h, n in rows.all()
        if h is not None
    ]


def _hour_bucket(dialect: str) -> Any:
    # Timestamps are stored naive UTC; render the hour as text so both engines agree.
    if dialect == "sqlite":
        return func.strftime("%Y-%m-%d %H", E.c.at, type_=String)
    return func.to_char(func.date_trunc("hour", E.c.at), "YYYY-MM-DD HH24", type_=String)


def _parse_hour(text: str) -> datetime:
    return datetime.strptime(str(text), "%Y-%m-%d %H").replace(tzinfo=UTC)
