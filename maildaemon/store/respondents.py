"""Store operations on respondents and agencies: roster import, lookups, status counts, events."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from typing import Any, Protocol

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from maildaemon.core import corrections, lifecycle, tokens
from maildaemon.core.lifecycle import Effect
from maildaemon.errors import InputError, NotFound
from maildaemon.store import tables
from maildaemon.store.base import Change, StoreBase, apply_changes
from maildaemon.store.corrections import last_mail, record_check, retarget, write_decision
from maildaemon.store.focal import apply_roster_focal

R = tables.respondents
A = tables.agencies
E = tables.events
CHUNK = 1000
PROVINCE_CODE = "_province"


class RosterLike(Protocol):
    """What the import needs of a roster row (maildaemon.intake.roster.RosterRow)."""

    @property
    def line(self) -> int: ...
    @property
    def email(self) -> str: ...
    @property
    def full_name(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def agency_name(self) -> str: ...
    @property
    def agency_code(self) -> str: ...
    @property
    def parent_code(self) -> str: ...
    @property
    def parent_name(self) -> str: ...
    @property
    def group(self) -> str: ...
    @property
    def phone(self) -> str: ...
    @property
    def honorific(self) -> str: ...
    @property
    def extra(self) -> dict[str, str]: ...
    @property
    def key(self) -> str: ...
    @property
    def token(self) -> str: ...
    @property
    def focal_email(self) -> str: ...


@dataclass
class ImportSummary:
    imported: int = 0
    updated: int = 0
    unchanged: int = 0
    agencies_added: int = 0
    updated_lines: list[int] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)  # one line per person updated: what changed
    corrected: int = 0  # addresses changed for a person matched by key or token
    focal: dict[int, tuple[str, int]] = field(default_factory=dict)  # agency id -> (focal address, line)


def email_key(email: str) -> str:
    return email.strip().casefold()


def slug(text: str) -> str:
    """An agency code from a name when the roster has none: unaccented, lower-case, dashes."""
    text = text.replace("đ", "d").replace("Đ", "D")
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")[:90] or "unknown"


_FIELDS = ("full_name", "honorific", "title", "respondent_group", "phone", "extra", "agency_id")


def _row_values(row: RosterLike, agency_id: int | None) -> dict[str, Any]:
    return {
        "full_name": row.full_name,
        "honorific": row.honorific,
        "title": row.title,
        "respondent_group": row.group,
        "phone": row.phone,
        "extra": json.dumps(row.extra, ensure_ascii=False, sort_keys=True),
        "agency_id": agency_id,
    }


@dataclass(frozen=True, slots=True)
class AgencyCount:
    agency_id: int | None
    code: str
    name: str
    parent_id: int | None
    level: int
    delivery: str
    completion: str
    count: int


@dataclass(frozen=True, slots=True)
class EventRow:
    id: int
    at: datetime
    campaign: str | None
    email: str | None
    agency: str | None
    field: str
    old: str | None
    new: str | None
    source: str
    detail: str


@dataclass(frozen=True, slots=True)
class AddressChange:
    """A roster row that gives a known person a new address: a correction once imported."""

    line: int
    old: str
    new: str


async def _by_key_and_token(
    conn: AsyncConnection, campaign_id: int, chunk: Sequence[RosterLike], cols: Sequence[Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The campaign's people the chunk's person keys and tokens name (key -> row, token -> row)."""
    person_keys = sorted({r.key for r in chunk if r.key})
    by_key: dict[str, Any] = {}
    if person_keys:
        q = select(*cols).where(R.c.campaign_id == campaign_id, R.c.person_key.in_(person_keys))
        by_key = {m["person_key"]: m for m in (await conn.execute(q)).mappings()}
    toks = sorted({r.token for r in chunk if r.token})
    by_token: dict[str, Any] = {}
    if toks:
        q = select(*cols).where(R.c.campaign_id == campaign_id, R.c.token.in_(toks))
        by_token = {m["token"]: m for m in (await conn.execute(q)).mappings()}
    return by_key, by_token


class RespondentOps(StoreBase):
    async def import_roster(
        self, campaign_id: int, province: str, rows: Iterable[RosterLike], now: datetime, source: str,
        resend_at: datetime | None = None, requeue: bool = True,
        checks: Mapping[str, corrections.AddressCheck] | None = None,
    ) -> ImportSummary:  # fmt: skip
        """Insert or update respondents in one transaction (all or nothing), streaming in chunks.

        A row is the person with its key (or token) where the roster has one, else with its address; a
        changed address is a correction (``corrections.on_correct``: mail that bounced goes again at
        ``resend_at``; with ``requeue`` False, as once the campaign has closed, nothing is queued).
        ``checks``: the new addresses' mailbox checks by address key (``address_changes`` found them before
        the import; a correction refused by its check is not among the rows), each recorded for its person
        as ``respondent correct`` records it."""
        summary = ImportSummary()
        resend_at = resend_at or now
        async with self.tx() as conn:
            if self.dialect == "postgresql":
                # The table grows inside this one transaction, so the planner's statistics say it is
                # tiny and it would scan it for every chunk's lookups (quadratic on big rosters).
                await conn.exec_driver_sql("SET LOCAL enable_seqscan = off")
            agencies = await self._agency_ids(conn, campaign_id)
            province_id = await self._ensure_agency(
                conn, agencies, campaign_id, PROVINCE_CODE, province or "Tỉnh", None, 0, summary
            )
            it: Iterator[RosterLike] = iter(rows)
            while chunk := list(islice(it, CHUNK)):
                await self._import_chunk(
                    conn, campaign_id, province_id, agencies, chunk, now, source, summary,
                    resend_at if requeue else None, checks or {},
                )  # fmt: skip
            summary.changes += await apply_roster_focal(conn, campaign_id, summary.focal, now, source)
        return summary

    async def _import_chunk(
        self,
        conn: AsyncConnection,
        campaign_id: int,
        province_id: int,
        agencies: dict[str, int],
        chunk: Sequence[RosterLike],
        now: datetime,
        source: str,
        summary: ImportSummary,
        resend_at: datetime | None,
        checks: Mapping[str, corrections.AddressCheck],
    ) -> None:
        keys = [email_key(r.email) for r in chunk]
        cols = (R.c.id, R.c.campaign_id, R.c.email_key, R.c.email, R.c.person_key, R.c.token, R.c.delivery,
                R.c.completion, R.c.former_emails, *[R.c[f] for f in _FIELDS])  # fmt: skip
        # by address alone (its own index), the campaign filtered here: with the campaign in the
        # WHERE clause PostgreSQL may walk the (campaign, state) index over the whole campaign
        rows = await conn.execute(select(*cols).where(R.c.email_key.in_(keys)))
        existing = {m["email_key"]: m for m in rows.mappings() if m["campaign_id"] == campaign_id}
        by_key, by_token = await _by_key_and_token(conn, campaign_id, chunk, cols)
        inserts: list[dict[str, Any]] = []
        events: list[dict[str, Any]] = []
        for row, key in zip(chunk, keys, strict=True):
            parent_id = province_id
            if row.parent_code or row.parent_name:
                parent_id = await self._ensure_agency(
                    conn, agencies, campaign_id, row.parent_code or slug(row.parent_name),
                    row.parent_name or row.parent_code, province_id, 1, summary,
                )  # fmt: skip
            agency_id = parent_id
            if row.agency_code or row.agency_name:
                agency_id = await self._ensure_agency(
                    conn, agencies, campaign_id, row.agency_code or slug(row.agency_name),
                    row.agency_name or row.agency_code, parent_id, 2 if parent_id != province_id else 1, summary,
                )  # fmt: skip
            if row.focal_email:  # the reader refused two different addresses for one agency
                summary.focal.setdefault(agency_id, (row.focal_email, row.line))
            values = _row_values(row, agency_id)
            old = by_key.get(row.key) if row.key else None
            if old is None and row.token:
                old = by_token.get(row.token)
                if old is None:
                    raise InputError(
                        f"{source}:{row.line}: no respondent with token {row.token!r} in this campaign"
                    )
            by_address = existing.get(key)
            if old is None:
                old = by_address
                if old is not None and row.key and old["person_key"] and old["person_key"] != row.key:
                    raise InputError(
                        f"{source}:{row.line}: {row.email} belongs to the person with key {old['person_key']!r}, "
                        f"not {row.key!r}; nothing imported"
                    )
            elif by_address is not None and by_address["id"] != old["id"]:
                raise InputError(
                    f"{source}:{row.line}: the new address {row.email} of {row.full_name or row.key} is already "
                    f"the address of {by_address['full_name'] or by_address['email']} in this campaign; nothing imported"
                )
            if old is None:
                inserts.append(
                    {
                        **values,
                        "campaign_id": campaign_id,
                        "email": row.email,
                        "email_key": key,
                        "token": tokens.mint(),
                        "person_key": row.key or None,
                        "source_line": row.line,
                        "delivery": "new",
                        "completion": "pending",
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                continue
            changed = [f for f in _FIELDS if old[f] != values[f]]
            if row.key and old["person_key"] != row.key:
                changed.append("person_key")
                values["person_key"] = row.key
            if old["email"] != row.email:
                changed.append("email")
                values["email"] = row.email
                values["email_key"] = key
                values["former_emails"] = corrections.former_addresses(old["former_emails"], old["email"])
            if not changed:
                summary.unchanged += 1
                continue
            summary.updated += 1
            summary.updated_lines.append(row.line)
            await conn.execute(update(R).where(R.c.id == old["id"]).values(**values, updated_at=now))
            if old["email_key"] != key:  # the same person at a new address: a correction
                last = await last_mail(conn, old["id"]) if resend_at is not None else None
                check = checks.get(key)
                decision = corrections.on_correct(
                    lifecycle.stored(old["id"], campaign_id, old["delivery"], old["completion"]), old["email"],
                    row.email, f"import {source}:{row.line}", last["kind"] if last is not None else None, check,
                )  # fmt: skip
                if decision.refused:  # the caller takes refused rows out; a file changed since it looked
                    raise InputError(f"{source}:{row.line}: {decision.refused}; nothing imported")
                await write_decision(conn, decision, now, last, resend_at or now)
                await retarget(conn, old["id"], key, now)
                await record_check(conn, old["id"], decision, check, now)
                summary.corrected += 1
                again = f" ({last['kind']} queued again)" if decision.requeue and last is not None else ""
                note = f"; {corrections.check_note(check)}" if check is not None else ""
                summary.changes.append(f"line {row.line}: address {old['email']} -> {row.email}{again}{note}")
            others = [f for f in changed if f not in ("email", "person_key")]
            if others:
                summary.changes.append(f"line {row.line}: {row.email}: updated {', '.join(others)}")
            events.append(
                {
                    "at": now,
                    "campaign_id": campaign_id,
                    "respondent_id": old["id"],
                    "field": "note",
                    "old_value": None,
                    "new_value": None,
                    "source": "import",
                    "detail": f"{source}:{row.line}: updated {', '.join(changed)}",
                }  # fmt: skip
            )
        if inserts:
            ids = await self._insert_respondents(conn, inserts)
            summary.imported += len(inserts)
            for rid, ins in zip(ids, inserts, strict=True):
                events.append(
                    {
                        "at": now,
                        "campaign_id": campaign_id,
                        "respondent_id": rid,
                        "field": "delivery",
                        "old_value": None,
                        "new_value": "new",
                        "source": "import",
                        "detail": f"{source}:{ins['source_line']}",
                    }  # fmt: skip
                )
        if events:
            await conn.execute(insert(E), events)

    async def has_respondents(self, campaign_id: int) -> bool:
        """Whether anyone is in the campaign yet (a first import corrects nobody)."""
        async with self.tx() as conn:
            q = select(R.c.id).where(R.c.campaign_id == campaign_id).limit(1)
            return (await conn.execute(q)).first() is not None

    async def address_changes(self, campaign_id: int, rows: Sequence[RosterLike]) -> list[AddressChange]:
        """The rows of a roster (a chunk) that would correct an address on import: the person their key or
        token names is in the campaign at another address. Read-only, so the new mailboxes can be checked
        before the import's transaction."""
        found: list[AddressChange] = []
        keyed = [r for r in rows if r.key or r.token]
        if not keyed:
            return found
        async with self.tx() as conn:
            by_key, by_token = await _by_key_and_token(conn, campaign_id, keyed, (R.c.email, R.c.email_key,
                                                                                   R.c.person_key, R.c.token))  # fmt: skip
        for row in keyed:
            old = (by_key.get(row.key) if row.key else None) or (
                by_token.get(row.token) if row.token else None
            )
            if old is not None and old["email_key"] != email_key(row.email):
                found.append(AddressChange(row.line, str(old["email"]), row.email))
        return found

    async def _insert_respondents(self, conn: AsyncConnection, rows: list[dict[str, Any]]) -> list[int]:
        result = await conn.execute(insert(R).returning(R.c.token, R.c.id), rows)
        found: dict[str, int] = {str(t): int(i) for t, i in result.all()}
        return [found[r["token"]] for r in rows]

    async def _agency_ids(self, conn: AsyncConnection, campaign_id: int) -> dict[str, int]:
        rows = await conn.execute(select(A.c.code, A.c.id).where(A.c.campaign_id == campaign_id))
        return {code: int(aid) for code, aid in rows.all()}

    async def _ensure_agency(
        self,
        conn: AsyncConnection,
        known: dict[str, int],
        campaign_id: int,
        code: str,
        name: str,
        parent_id: int | None,
        level: int,
        summary: ImportSummary,
    ) -> int:
        if code in known:
            return known[code]
        result = await conn.execute(
            insert(A).values(campaign_id=campaign_id, code=code, name=name, parent_id=parent_id, level=level)
        )
        known[code] = int(result.inserted_primary_key[0])  # type: ignore[index]
        summary.agencies_added += 1
        return known[code]

    async def agency_counts(self, campaign_id: int) -> list[AgencyCount]:
        """Respondents per agency by delivery and completion state (agencies without people too)."""
        async with self.tx() as conn:
            counts = await conn.execute(
                select(R.c.agency_id, R.c.delivery, R.c.completion, func.count())
                .where(R.c.campaign_id == campaign_id, R.c.excluded_at.is_(None))  # excluded: not counted
                .group_by(R.c.agency_id, R.c.delivery, R.c.completion)
            )
            agencies = {
                int(r["id"]): r
                for r in (await conn.execute(select(A).where(A.c.campaign_id == campaign_id))).mappings()
            }
            out: list[AgencyCount] = []
            seen: set[int] = set()
            for agency_id, delivery, completion, n in counts.all():
                a = agencies.get(agency_id) if agency_id is not None else None
                seen.add(agency_id)
                out.append(
                    AgencyCount(
                        agency_id,
                        a["code"] if a else "",
                        a["name"] if a else "",
                        a["parent_id"] if a else None,
                        a["level"] if a else 2,
                        delivery,
                        completion,
                        int(n),
                    )  # fmt: skip
                )
            for aid, a in agencies.items():
                if aid not in seen:
                    out.append(AgencyCount(aid, a["code"], a["name"], a["parent_id"], a["level"], "", "", 0))
        return out

    async def respondent(self, campaign_id: int | None, email: str) -> dict[str, Any]:
        """One respondent by address (in a campaign, or the latest one anywhere)."""
        async with self.tx() as conn:
            q = select(R).where(R.c.email_key == email_key(email)).order_by(R.c.id.desc())
            if campaign_id is not None:
                q = q.where(R.c.campaign_id == campaign_id)
            row = (await conn.execute(q)).mappings().first()
        if row is None:
            raise NotFound(f"no respondent with address {email!r}")
        return dict(row)

    async def agency_name(self, agency_id: int | None) -> str:
        async with self.tx() as conn:
            return await _agency_name(conn, agency_id)

    async def events(
        self,
        *,
        campaign_id: int | None = None,
        email: str | None = None,
        after_id: int = 0,
        limit: int = 1000,
    ) -> list[EventRow]:
        C = tables.campaigns
        q = (
            select(E, C.c.name.label("campaign_name"), R.c.email, A.c.name.label("agency_name"))
            .select_from(E.outerjoin(C, C.c.id == E.c.campaign_id).outerjoin(R, R.c.id == E.c.respondent_id))
            .outerjoin(A, A.c.id == R.c.agency_id)
            .where(E.c.id > after_id)
            .order_by(E.c.id)
            .limit(limit)
        )
        if campaign_id is not None:
            q = q.where(E.c.campaign_id == campaign_id)
        if email is not None:
            q = q.where(R.c.email_key == email_key(email))
        async with self.tx() as conn:
            rows = (await conn.execute(q)).mappings().all()
        return [
            EventRow(
                r["id"],
                r["at"],
                r["campaign_name"],
                r["email"],
                r["agency_name"],
                r["field"],
                r["old_value"],
                r["new_value"],
                r["source"],
                r["detail"],
            )  # fmt: skip
            for r in rows
        ]

    async def count_events(
        self, *, campaign_id: int | None = None, email: str | None = None, after_id: int = 0
    ) -> int:
        """How many events ``events`` would return without a limit (``events`` pages say how many more)."""
        source = E.join(R, R.c.id == E.c.respondent_id) if email is not None else E
        q = select(func.count()).select_from(source).where(E.c.id > after_id)
        if campaign_id is not None:
            q = q.where(E.c.campaign_id == campaign_id)
        if email is not None:
            q = q.where(R.c.email_key == email_key(email))
        async with self.tx() as conn:
            return int((await conn.execute(q)).scalar() or 0)


async def _agency_name(conn: AsyncConnection, agency_id: int | None) -> str:
    if agency_id is None:
        return ""
    return str((await conn.execute(select(A.c.name).where(A.c.id == agency_id))).scalar() or "")


class CompletionOps(StoreBase):
    async def mark_completed(
        self, *, now: datetime, source: str, detail: str = "", token: str | None = None,
        campaign_id: int | None = None, email: str | None = None,
    ) -> str:  # fmt: skip
        """Record a completion by token or (campaign, email): "completed", "already" or "unknown"."""
        q = select(R.c.id, R.c.campaign_id, R.c.delivery, R.c.completion)
        if token is not None:
            q = q.where(R.c.token == token.lower())
            if campaign_id is not None:
                q = q.where(R.c.campaign_id == campaign_id)
        elif campaign_id is not None and email is not None:
            q = q.where(R.c.campaign_id == campaign_id, R.c.email_key == email_key(email))
        else:
            raise ValueError("mark_completed needs a token or a campaign and an email")
        async with self.tx() as conn:
            row = (await conn.execute(q)).first()
            if row is None:
                return "unknown"
            state = lifecycle.stored(row.id, row.campaign_id, row.delivery, row.completion)
            effect = lifecycle.on_completion(state, source, detail, now)
            if effect is None:
                return "already"
            await apply_changes(conn, [change_of(effect)], now)
        return "completed"


def change_of(effect: Effect) -> Change:
    """A lifecycle decision as the store's change request (written with its events by apply_changes)."""
    before = effect.before
    return Change(before.id, before.campaign_id, before.delivery, before.completion, delivery=effect.delivery,
                  completion=effect.completion, source=effect.source, detail=effect.detail,
                  values=effect.values)  # fmt: skip


def note_row(effect: Effect, now: datetime) -> dict[str, Any]:
    """The event row of an effect's note (a message that changed no state)."""
    note = effect.note
    if note is None:
        raise ValueError("this effect has no note")
    return {
        "at": now, "campaign_id": effect.before.campaign_id, "respondent_id": effect.before.id,
        "field": note.field, "old_value": note.old, "new_value": note.new, "source": note.source,
        "detail": note.detail[:2000],
    }  # fmt: skip
