"""Store operations for deliverability checks: record a result, set checked_ok / checked_bad, and
read an address's history for `maildaemon diagnose`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select

from maildaemon.core import lifecycle
from maildaemon.store import tables
from maildaemon.store.base import StoreBase, apply_changes
from maildaemon.store.corrections import check_row
from maildaemon.store.respondents import change_of, email_key

R = tables.respondents
A = tables.agencies
CH = tables.checks
E = tables.events
IN = tables.inbound


@dataclass(frozen=True, slots=True)
class CheckTarget:
    respondent_id: int
    campaign_id: int
    email: str
    agency_code: str
    agency_name: str
    delivery: str
    completion: str


@dataclass(frozen=True, slots=True)
class HistoryRow:
    at: datetime
    kind: str  # check | sent | deferred | bounce | delivered | reply | autoreply
    outcome: str
    reason: str
    detail: str
    inbound_id: int | None = None  # the message a bounce, delay, reply or auto-reply row was read from


class CheckOps(StoreBase):
    async def check_targets(self, campaign_id: int, agency_code: str | None = None,
                            page: int = 2000) -> AsyncIterator[list[CheckTarget]]:  # fmt: skip
        """Respondents to check, page by page (memory stays flat)."""
        after = 0
        while True:
            q = (
                select(R.c.id, R.c.campaign_id, R.c.email, A.c.code, A.c.name, R.c.delivery, R.c.completion)
                .select_from(R.outerjoin(A, A.c.id == R.c.agency_id))
                .where(R.c.campaign_id == campaign_id, R.c.id > after)
                .order_by(R.c.id)
                .limit(page)
            )
            if agency_code:
                parent = A.alias("parent")
                q = q.outerjoin(parent, parent.c.id == A.c.parent_id).where(
                    (A.c.code == agency_code) | (parent.c.code == agency_code)
                )
            async with self.tx() as conn:
                rows = (await conn.execute(q)).all()
            if not rows:
                return
            after = rows[-1][0]
            yield [CheckTarget(r[0], r[1], r[2], r[3] or "", r[4] or "", r[5], r[6]) for r in rows]

    async def record_checks(self, results: list[tuple[CheckTarget | None, dict[str, Any], str | None]],
                            now: datetime) -> None:  # fmt: skip
        """Record probe results; ``verdict`` "ok"/"bad" moves a pre-check state, None only records."""
        if not results:
            return
        async with self.tx() as conn:
            rows = []
            changes = []
            for target, result, verdict in results:
                rows.append(check_row(target.respondent_id if target else None, result, now))
                if target is None or verdict is None:
                    continue
                state = lifecycle.stored(target.respondent_id, target.campaign_id, target.delivery,
                                         target.completion)  # fmt: skip
                check = lifecycle.CheckResult(verdict, result["outcome"], result.get("code"),
                                              result.get("text") or "", result.get("reason") or "")  # fmt: skip
                effect = lifecycle.on_check(state, check)
                if effect is not None:
                    changes.append(change_of(effect))
            await conn.execute(insert(CH), rows)
            await apply_changes(conn, changes, now)

    async def address_history(self, address: str, limit: int = 200) -> list[HistoryRow]:
        """What we know of an address: checks, sends, bounces, replies — newest last."""
        key = email_key(address)
        out: list[HistoryRow] = []
        async with self.tx() as conn:
            for r in (await conn.execute(
                select(CH.c.checked_at, CH.c.result, CH.c.reason, CH.c.code, CH.c.reply)
                .where(CH.c.address == address).order_by(CH.c.id.desc()).limit(limit)
            )).all():  # fmt: skip
                out.append(HistoryRow(r[0], "check", r[1], r[2] or "", f"{r[3] or ''} {r[4] or ''}".strip()))
            ids = (await conn.execute(select(R.c.id).where(R.c.email_key == key))).scalars().all()
            if ids:
                for r in (await conn.execute(
                    select(E.c.at, E.c.field, E.c.new_value, E.c.detail)
                    .where(E.c.respondent_id.in_(ids), E.c.field.in_(("outbox", "delivery", "completion")))
                    .order_by(E.c.id.desc()).limit(limit)
                )).all():  # fmt: skip
                    kind = _history_kind(r[1], r[2])
                    if kind:
                        out.append(HistoryRow(r[0], kind, r[2] or "", "", r[3] or ""))
                for r in (await conn.execute(
                    select(IN.c.received_at, IN.c.kind, IN.c.reason, IN.c.status, IN.c.subject, IN.c.id)
                    .where(IN.c.respondent_id.in_(ids)).order_by(IN.c.id.desc()).limit(limit)
                )).all():  # fmt: skip
                    kind = {"bounce": "bounce", "delay": "deferred", "delivered": "delivered", "reply": "reply",
                            "autoreply": "autoreply"}.get(r[1], r[1])  # fmt: skip
                    out.append(HistoryRow(r[0], kind, r[3] or "", r[2] or "", r[4] or "", r[5]))
        out.sort(key=lambda h: h.at)
        return out


def _history_kind(field: str, new: str | None) -> str:
    if field == "outbox" and new == "sent":
        return "sent"
    if field == "outbox" and new == "deferred":
        return "deferred"
    if field == "delivery" and new == "bounced":
        return "bounce"
    if field == "delivery" and new == "delivered":
        return "delivered"
    if field == "completion" and new in ("replied", "completed"):
        return "reply"
    return ""
