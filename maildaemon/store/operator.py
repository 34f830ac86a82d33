"""Store operations behind the operator's commands on one person: look up with history, correct an
address, exclude and restore, resend. Each reads the respondent, asks ``core.lifecycle`` what the
command does, and writes the change, its events and any re-queued mail in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from maildaemon.core import corrections, lifecycle, tokens
from maildaemon.core.corrections import OperatorDecision
from maildaemon.errors import InputError, NotFound
from maildaemon.store import tables
from maildaemon.store.base import StoreBase
from maildaemon.store.corrections import last_mail, record_check, retarget, write_decision
from maildaemon.store.respondents import email_key

R = tables.respondents
A = tables.agencies
OB = tables.outbox
IN = tables.inbound
E = tables.events

_STATE_COLUMNS = (R.c.id, R.c.campaign_id, R.c.email, R.c.delivery, R.c.completion, R.c.reason, R.c.hard_bounce,
                  R.c.excluded_at, R.c.former_emails)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Person:
    """One respondent with everything `respondent show` prints."""

    respondent: dict[str, Any]
    agencies: list[dict[str, Any]]  # the agency first, then its parents up to the province
    events: list[dict[str, Any]]
    outbox: list[dict[str, Any]]
    inbound: list[dict[str, Any]]


@dataclass
class OperatorResult:
    """What an operator command did: per person (address, what happened), and who it refused and why."""

    done: list[tuple[str, str]] = field(default_factory=list)
    refused: list[tuple[str, str]] = field(default_factory=list)


def _by_address_or_token(campaign_id: int | None, who: str) -> Any:
    who = who.strip()
    q = select(R).order_by(R.c.id.desc())
    if "@" not in who and tokens.is_token(who.lower()):
        q = q.where(R.c.token == who.lower())
    else:
        q = q.where(R.c.email_key == email_key(who))
    if campaign_id is not None:
        q = q.where(R.c.campaign_id == campaign_id)
    return q


class OperatorOps(StoreBase):
    async def person(self, campaign_id: int | None, who: str) -> Person:
        """One respondent by address or token (in a campaign, or the latest anywhere), with its history."""
        async with self.tx() as conn:
            row = (await conn.execute(_by_address_or_token(campaign_id, who))).mappings().first()
            if row is None:
                raise NotFound(f"no respondent with address or token {who!r}")
            chain: list[dict[str, Any]] = []
            agency_id = row["agency_id"]
            while agency_id is not None and len(chain) < 10:
                a = (await conn.execute(select(A).where(A.c.id == agency_id))).mappings().first()
                if a is None:
                    break
                chain.append(dict(a))
                agency_id = a["parent_id"]
            rid = row["id"]
            events = (
                await conn.execute(select(E).where(E.c.respondent_id == rid).order_by(E.c.id))
            ).mappings()
            event_rows = [dict(e) for e in events]
            outbox = (
                await conn.execute(select(OB).where(OB.c.respondent_id == rid).order_by(OB.c.id))
            ).mappings()
            outbox_rows = [dict(o) for o in outbox]
            inbound = await conn.execute(
                select(
                    IN.c.id,
                    IN.c.received_at,
                    IN.c.kind,
                    IN.c.reason,
                    IN.c.status,
                    IN.c.hard,
                    IN.c.subject,
                    IN.c.attributed_by,
                )  # fmt: skip
                .where(IN.c.respondent_id == rid)
                .order_by(IN.c.received_at, IN.c.id)
            )
            inbound_rows = [dict(i) for i in inbound.mappings()]
        return Person(dict(row), chain, event_rows, outbox_rows, inbound_rows)

    async def correct_address(
        self, campaign_id: int, old: str, new: str, *, actor: str, now: datetime, not_before: datetime | None,
        check: corrections.AddressCheck | None = None,
    ) -> OperatorDecision:  # fmt: skip
        """Give a respondent a new address, keeping the person, token and history; the mail that did not
        reach the old address is queued again for ``not_before`` (the next send-window opening; None: the
        campaign has closed, nothing is queued). The new address's ``check``, when run, is recorded for
        the person in the same transaction and moves a pre-send state as ``maildaemon check`` would."""
        new_key = email_key(new)
        async with self.tx() as conn:
            row = await _one(conn, campaign_id, old)
            if email_key(row["email"]) == new_key:
                raise InputError(f"{old}: the new address is the same as the old one")
            taken = (
                await conn.execute(
                    select(R.c.id, R.c.full_name).where(
                        R.c.campaign_id == campaign_id, R.c.email_key == new_key
                    )
                )
            ).first()
            if taken is not None:
                raise InputError(
                    f"{new} is already the address of respondent #{taken.id} ({taken.full_name}) in this "
                    f"campaign; correct or exclude that person first"
                )
            last = await last_mail(conn, row["id"]) if not_before is not None else None
            decision = corrections.on_correct(
                _state(row), row["email"], new, actor, last["kind"] if last is not None else None, check
            )
            if decision.refused:
                raise InputError(f"{old}: {decision.refused}")
            former = corrections.former_addresses(row["former_emails"], row["email"])
            extra = (("email", new), ("email_key", new_key), ("former_emails", former))
            await write_decision(conn, decision, now, last, not_before or now, extra)
            await retarget(conn, row["id"], new_key, now)
            await record_check(conn, row["id"], decision, check, now)
        return decision

    async def set_excluded(
        self, campaign_id: int, who: str, *, exclude: bool, reason: str, actor: str, now: datetime,
        not_before: datetime,
    ) -> OperatorDecision:  # fmt: skip
        """Exclude (no mail, not a non-respondent) or restore one respondent; refusals are InputErrors.
        Mail waiting to go is cancelled on exclusion; a restore queues it again for ``not_before``."""
        async with self.tx() as conn:
            row = await _one(conn, campaign_id, who)
            if exclude:
                decision = corrections.on_exclude(_state(row), row["excluded_at"], reason, actor, now)
            else:
                decision = corrections.on_restore(_state(row), row["excluded_at"], actor)
            if decision.refused:
                raise InputError(f"{row['email']}: {decision.refused}")
            await write_decision(conn, decision, now, None, now)
            await (_hold_mail if exclude else _release_mail)(conn, row, now, not_before)
        return decision

    async def resend(
        self, campaign_id: int, *, actor: str, now: datetime, not_before: datetime,
        email: str | None = None, reasons: frozenset[str] = frozenset(), agency: str | None = None,
        dry_run: bool = False,
    ) -> OperatorResult:  # fmt: skip
        """Queue the latest mail again for the people selected (one address, reasons, or an agency and
        its units); hard bounces and people with nothing to resend are refused, each with why."""
        result = OperatorResult()
        async with self.tx() as conn:
            q = select(*_STATE_COLUMNS).where(R.c.campaign_id == campaign_id).order_by(R.c.id)
            if email is not None:
                rows = [await _one(conn, campaign_id, email)]
            else:
                q = q.where(
                    R.c.excluded_at.is_(None),
                    R.c.delivery.in_(("bounced", "failed", "deferred", "checked_bad")),
                )
                if reasons:
                    q = q.where(R.c.reason.in_(sorted(reasons)))
                if agency is not None:
                    q = q.where(R.c.agency_id.in_(await _agency_and_units(conn, campaign_id, agency)))
                rows = list((await conn.execute(q)).mappings().all())
            for row in rows:
                if row["excluded_at"] is not None:
                    result.refused.append((row["email"], "excluded: restore the person first"))
                    continue
                last = await last_mail(conn, row["id"])
                decision = corrections.on_resend(
                    _state(row), row["reason"], bool(row["hard_bounce"]), actor,
                    last["kind"] if last is not None else None,
                )  # fmt: skip
                if decision.refused:
                    result.refused.append((row["email"], decision.refused))
                    continue
                what = last["kind"] if decision.requeue and last is not None else "send despite the check"
                result.done.append((row["email"], what))
                if not dry_run:
                    await write_decision(conn, decision, now, last, not_before)
        return result

    async def last_mail_kind(self, respondent_id: int) -> str | None:
        """The kind of mail a correction or resend would send again (None: nothing has left yet)."""
        async with self.tx() as conn:
            last = await last_mail(conn, respondent_id)
        return str(last["kind"]) if last is not None else None

    async def excluded(self, campaign_id: int) -> list[dict[str, Any]]:
        """The people taken out of a campaign, for reports (listed, not counted as non-respondents)."""
        async with self.tx() as conn:
            rows = await conn.execute(
                select(R.c.email, R.c.full_name, R.c.agency_id, R.c.excluded_at, R.c.excluded_reason)
                .where(R.c.campaign_id == campaign_id, R.c.excluded_at.is_not(None))
                .order_by(R.c.id)
            )
            return [dict(r) for r in rows.mappings()]


async def _hold_mail(conn: AsyncConnection, row: RowMapping, now: datetime, not_before: datetime) -> None:
    waiting = (
        await conn.execute(
            select(OB.c.id, OB.c.kind, OB.c.state).where(
                OB.c.respondent_id == row["id"], OB.c.state.in_(("queued", "deferred"))
            )
        )
    ).all()
    if not waiting:
        return
    await conn.execute(
        update(OB).where(OB.c.id.in_([w.id for w in waiting])).values(state="cancelled", updated_at=now)
    )
    await conn.execute(
        insert(E),
        [
            _outbox_event(row, w.state, "cancelled", f"{w.kind}: the person was excluded", now)
            for w in waiting
        ],
    )


async def _release_mail(conn: AsyncConnection, row: RowMapping, now: datetime, not_before: datetime) -> None:
    """A mail cancelled by the exclusion while on its way (the person is still queued or deferred)."""
    if row["delivery"] not in ("queued", "deferred"):
        return
    last = (
        await conn.execute(
            select(OB.c.id, OB.c.kind, OB.c.state)
            .where(OB.c.respondent_id == row["id"])
            .order_by(OB.c.id.desc())
            .limit(1)
        )
    ).first()
    if last is None or last.state != "cancelled":
        return
    await conn.execute(
        update(OB).where(OB.c.id == last.id).values(state="queued", not_before=not_before, updated_at=now)
    )
    await conn.execute(
        insert(E), [_outbox_event(row, "cancelled", "queued", f"{last.kind}: the person was restored", now)]
    )


def _outbox_event(row: RowMapping, old: str, new: str, detail: str, now: datetime) -> dict[str, Any]:
    return {
        "at": now, "campaign_id": row["campaign_id"], "respondent_id": row["id"], "field": "outbox",
        "old_value": old, "new_value": new, "source": "operator", "detail": detail[:2000],
    }  # fmt: skip


def _state(row: RowMapping) -> lifecycle.Respondent:
    return lifecycle.stored(row["id"], row["campaign_id"], row["delivery"], row["completion"])


async def _one(conn: AsyncConnection, campaign_id: int, who: str) -> RowMapping:
    row = (
        (await conn.execute(_by_address_or_token(campaign_id, who).with_only_columns(*_STATE_COLUMNS)))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(f"no respondent with address or token {who!r} in this campaign")
    return row


async def _agency_and_units(conn: AsyncConnection, campaign_id: int, code: str) -> list[int]:
    rows = (
        await conn.execute(select(A.c.id, A.c.code, A.c.parent_id).where(A.c.campaign_id == campaign_id))
    ).all()
    top = [r.id for r in rows if r.code == code]
    if not top:
        raise NotFound(f"no agency with code {code!r} in this campaign")
    ids, frontier = set(top), set(top)
    while frontier:
        frontier = {r.id for r in rows if r.parent_id in frontier} - ids
        ids |= frontier
    return sorted(ids)


__all__ = ["OperatorOps", "OperatorResult", "Person"]
