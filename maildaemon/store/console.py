"""What the operator console reads: a campaign's agencies, one page of people in some agencies
(filtered, searched, paged in SQL: never a whole campaign in memory), one person and their history."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal_column, or_, select, table, text

from maildaemon.store import tables
from maildaemon.store.base import StoreBase
from maildaemon.store.search import TRIGRAM, case_spellings, fts_phrase, like_pattern

log = logging.getLogger(__name__)

A, R, E, OB = tables.agencies, tables.respondents, tables.events, tables.outbox
WAITING = ("queued", "deferred", "leased")  # outbox states of mail that has not left yet

FTS = table("respondents_fts")  # SQLite's trigram index over names and addresses (0006)
SORT_AT_MOST = 5000  # matches a page sorts (a few ms on SQLite); more: it walks the name index (dense)
BOUNCED = ("bounced", "failed", "checked_bad")
# filter name -> condition on the respondents table; "" is everyone
FILTERS: dict[str, Any] = {
    "pending": R.c.completion == "pending",
    "bounced": R.c.delivery.in_(BOUNCED),
    "away": R.c.completion == "away",
    "replied": R.c.completion == "replied",
    "completed": R.c.completion == "completed",
}


@dataclass(frozen=True, slots=True)
class AgencyRow:
    id: int
    code: str
    name: str
    parent_id: int | None
    level: int
    focal_email: str | None


@dataclass(frozen=True, slots=True)
class StateCount:
    """How many people of one agency are in one (delivery, completion) state."""

    agency_id: int | None
    delivery: str
    completion: str
    count: int


@dataclass(frozen=True, slots=True)
class PersonRow:
    id: int
    agency_id: int | None
    email: str
    full_name: str
    title: str
    delivery: str
    completion: str
    reason: str | None
    away_until: datetime | None
    last_sent_at: datetime | None


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    at: datetime
    field: str
    old_value: str | None
    new_value: str | None
    source: str
    detail: str


@dataclass(frozen=True, slots=True)
class Waiting:
    """Mail of ``kind`` not yet gone: due at ``now`` or not, how many, the earliest ``not_before``."""

    kind: str
    due: bool
    count: int
    earliest: datetime


class ConsoleOps(StoreBase):
    _fts: bool | None = None  # found out on the first search (SQLite)

    async def agencies(self, campaign_id: int) -> list[AgencyRow]:
        async with self.tx(read=True) as conn:
            rows = await conn.execute(
                select(A).where(A.c.campaign_id == campaign_id).order_by(A.c.level, A.c.name)
            )
        return [AgencyRow(int(r.id), r.code, r.name, r.parent_id, int(r.level), r.focal_email) for r in rows]

    async def state_counts(
        self, campaign_id: int, agency_ids: Sequence[int] | None = None
    ) -> list[StateCount]:
        """People per agency and state, excluded people not counted: an aggregate in SQL over the
        respondents_campaign_agency index alone (``agency_ids`` None: the whole campaign), no row in memory."""
        where = [R.c.campaign_id == campaign_id, R.c.excluded_at.is_(None)]
        if agency_ids is not None:
            where.append(R.c.agency_id.in_(list(agency_ids)))
        async with self.tx(read=True) as conn:
            rows = await conn.execute(
                select(R.c.agency_id, R.c.delivery, R.c.completion, func.count())
                .where(*where)
                .group_by(R.c.agency_id, R.c.delivery, R.c.completion)
            )
            return [StateCount(a, d, c, int(n)) for a, d, c, n in rows.all()]

    async def due_now(self, now: datetime) -> int:
        """Outbox rows due now (queued or deferred), counted on the outbox_due index."""
        async with self.tx(read=True) as conn:
            q = select(func.count()).where(OB.c.state.in_(("queued", "deferred")), OB.c.not_before <= now)
            return int((await conn.execute(q)).scalar() or 0)

    async def people(self, campaign_id: int, agency_ids: Sequence[int] | None, *, status: str = "",
                     reason: str = "", search: str = "", offset: int = 0,
                     limit: int = 50) -> tuple[list[PersonRow], int]:  # fmt: skip
        """One page of people (by name) and how many match; ``agency_ids`` None: the whole campaign.

        Without a search the count reads an index, then the page walks an index in name order (many
        matches) or sorts the matches (up to SORT_AT_MOST); a search (a fragment anywhere in a name or
        address, store.search) reads its matches once, counting and paging together."""
        term = search.strip()
        searching = bool(term)
        # a search must not walk respondents_campaign_name row by row (one lookup per person, most of
        # them not matching): "+ 0" keeps the planner off that index, so a search is one plain scan or
        # (SQLite, three characters or more) a lookup of the trigram index's hits
        where = [
            (R.c.campaign_id + 0 if searching and agency_ids is None else R.c.campaign_id) == campaign_id
        ]
        if agency_ids is not None:
            where.append(R.c.agency_id.in_(list(agency_ids)))
        if status in FILTERS:
            where.append(FILTERS[status])
        if reason:
            where.append(R.c.reason == reason)
        if searching:
            where.append(await self._matches(term))
        cols = (R.c.id, R.c.agency_id, R.c.email, R.c.full_name, R.c.title, R.c.delivery, R.c.completion,
                R.c.reason, R.c.away_until, R.c.last_sent_at)  # fmt: skip
        count = select(func.count()).select_from(R).where(*where)

        def page(sort: bool) -> Select[Any]:
            # SQLite walks respondents_campaign_name in name order even for a few matches (a department's
            # bounced people: 1 row in 80, each a lookup, worse on every later page); "|| ''" keeps it off
            # that index, so it reads the matches on a filter index and sorts them, keeping the top rows
            name = R.c.full_name + "" if sort and self.dialect == "sqlite" else R.c.full_name
            return select(*cols).where(*where).order_by(name, R.c.id).offset(offset).limit(limit)

        async with self.tx(read=True) as conn:
            if searching:  # the window count reads every match anyway: sorting them costs no more reads
                rows = (await conn.execute(page(True).add_columns(func.count().over()))).all()
                people = [PersonRow(*r[:-1]) for r in rows]
                total = int(rows[0][-1]) if rows else 0
                if not rows and offset:  # past the last page: the count alone
                    total = int((await conn.execute(count)).scalar() or 0)
            else:
                total = int((await conn.execute(count)).scalar() or 0)
                people = [PersonRow(*r) for r in (await conn.execute(page(total <= SORT_AT_MOST))).all()]
        return people, total

    async def _matches(self, term: str) -> ColumnElement[bool]:
        """People whose name or address holds ``term``, in any case, diacritics as typed (store.search)."""
        address = R.c.email_key.like(like_pattern(term.casefold()), escape="\\")
        if self.dialect == "postgresql":  # ILIKE folds every letter; pg_trgm's index serves it
            return or_(R.c.full_name.ilike(like_pattern(term), escape="\\"), address)
        if len(term) >= TRIGRAM and await self._has_fts():
            match = text("respondents_fts MATCH :phrase").bindparams(phrase=fts_phrase(term))
            return R.c.id.in_(select(literal_column("rowid")).select_from(FTS).where(match))
        names = [R.c.full_name.like(like_pattern(s), escape="\\") for s in case_spellings(term)]
        return or_(*names, address)

    async def _has_fts(self) -> bool:
        """Whether this SQLite database has the trigram index (0006 leaves it out where FTS5 lacks it)."""
        if self._fts is None:
            async with self.tx(read=True) as conn:
                found = await conn.execute(text("SELECT 1 FROM sqlite_master WHERE name = 'respondents_fts'"))
                self._fts = found.first() is not None
            if not self._fts:
                log.warning("no trigram index (respondents_fts): the console's searches read every row")
        return self._fts

    async def console_person(self, campaign_id: int, respondent_id: int) -> dict[str, Any] | None:
        async with self.tx(read=True) as conn:
            row = (
                (await conn.execute(select(R).where(R.c.id == respondent_id, R.c.campaign_id == campaign_id)))
                .mappings()
                .first()
            )
        return dict(row) if row else None

    async def person_history(self, respondent_id: int, limit: int = 500) -> list[HistoryEvent]:
        async with self.tx(read=True) as conn:
            rows = await conn.execute(
                select(E.c.at, E.c.field, E.c.old_value, E.c.new_value, E.c.source, E.c.detail)
                .where(E.c.respondent_id == respondent_id)
                .order_by(E.c.id)
                .limit(limit)
            )
            return [HistoryEvent(*r) for r in rows.all()]

    async def waiting_mail(self, campaign_id: int, agency_ids: Sequence[int] | None,
                           now: datetime) -> list[Waiting]:  # fmt: skip
        """The campaign's mail not yet gone, by kind and due-or-later, counted in one aggregate query over
        the outbox's waiting rows (index outbox_due); ``agency_ids`` narrows it to those agencies' people."""
        due = or_(OB.c.not_before <= now, OB.c.state == "leased").label("due")
        q = select(OB.c.kind, due, func.count(), func.min(OB.c.not_before)).where(
            OB.c.campaign_id == campaign_id, OB.c.state.in_(WAITING)
        )
        if agency_ids is not None:
            q = q.join(R, R.c.id == OB.c.respondent_id).where(R.c.agency_id.in_(list(agency_ids)))
        async with self.tx() as conn:
            rows = (await conn.execute(q.group_by(OB.c.kind, due))).all()
        return [Waiting(str(kind), bool(d), int(n), first) for kind, d, n, first in rows]
