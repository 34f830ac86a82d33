"""Writing an operator's decision about one respondent (``corrections.OperatorDecision``): the state change
and its event or note, the re-queued mail and its outbox event, in the caller's transaction. Shared by
the operator's commands and the roster re-import, which corrects addresses the same way."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.engine import RowMapping
from sqlalchemy.ext.asyncio import AsyncConnection

from maildaemon.core.corrections import AddressCheck, OperatorDecision, on_corrected_check
from maildaemon.store import tables
from maildaemon.store.base import Change, apply_changes

OB = tables.outbox
# Outbox states of a mail that left (or tried to) and may go again; cancelled mail never left.
RESENDABLE = ("sent", "failed", "deferred", "queued")


async def last_mail(conn: AsyncConnection, respondent_id: int) -> RowMapping | None:
    """The respondent's latest mail that left or tried to, the one a correction or resend repeats."""
    q = (
        select(OB.c.id, OB.c.kind, OB.c.state)
        .where(OB.c.respondent_id == respondent_id, OB.c.state.in_(RESENDABLE))
        .order_by(OB.c.id.desc())
        .limit(1)
    )
    return (await conn.execute(q)).mappings().first()


async def write_decision(
    conn: AsyncConnection, decision: OperatorDecision, now: datetime, last: RowMapping | None,
    not_before: datetime, extra: Sequence[tuple[str, Any]] = (),
) -> None:  # fmt: skip
    """The respondent change with its event (or note), and the re-queued mail with its outbox event."""
    effect = decision.effect
    if effect is None:
        return
    before = effect.before
    change = Change(before.id, before.campaign_id, before.delivery, before.completion, delivery=effect.delivery,
                    completion=effect.completion, source=effect.source, detail=effect.detail,
                    values=(*effect.values, *extra))  # fmt: skip
    events: list[dict[str, Any]] = []
    if effect.note is not None:
        note = effect.note
        events.append(_event(before.campaign_id, before.id, note.field, note.old, note.new, note.detail, now))
    if decision.requeue and last is not None:
        await conn.execute(
            update(OB)
            .where(OB.c.id == last["id"])
            .values(
                state="queued",
                not_before=not_before,
                attempts=0,
                first_attempt_at=None,
                sent_at=None,
                message_id=None,
                last_code=None,
                last_reply=None,
                lease_owner=None,
                lease_until=None,
                updated_at=now,
            )  # fmt: skip
        )
        detail = f"{last['kind']}: queued again ({effect.detail})"
        events.append(_event(before.campaign_id, before.id, "outbox", last["state"], "queued", detail, now))
    await apply_changes(conn, [change], now, events)


async def retarget(conn: AsyncConnection, respondent_id: int, address_key: str, now: datetime) -> None:
    """Mail still waiting to go follows the respondent's new address (its domain is the sender's queue key)."""
    await conn.execute(
        update(OB)
        .where(OB.c.respondent_id == respondent_id, OB.c.state.in_(("queued", "deferred")))
        .values(recipient_domain=address_key.rsplit("@", 1)[-1], updated_at=now)
    )


def check_row(respondent_id: int | None, result: Mapping[str, Any], now: datetime) -> dict[str, Any]:
    """The ``checks`` row of one probe result (``ProbeResult.to_dict()``); shared with the correction,
    which records its new address's check in its own transaction."""
    return {
        "address": result["address"], "respondent_id": respondent_id, "checked_at": now,
        "result": result["outcome"], "reason": result.get("reason") or None, "code": result.get("code"),
        "reply": (result.get("text") or "")[:2000] or None, "mx": (result.get("mx_host") or "")[:255] or None,
        "detail": json.dumps(result, ensure_ascii=False, default=str),
    }  # fmt: skip


async def record_check(
    conn: AsyncConnection, respondent_id: int, decision: OperatorDecision, check: AddressCheck | None,
    now: datetime,
) -> None:  # fmt: skip
    """A made correction's new-address check, when run, is the person's check result (in the correction's
    transaction) and moves a pre-send state as ``maildaemon check`` would."""
    if check is None or check.record is None or decision.effect is None:
        return
    await conn.execute(insert(tables.checks), [check_row(respondent_id, check.record, now)])
    moved = on_corrected_check(decision, check)
    if moved is not None:
        before = moved.before
        change = Change(before.id, before.campaign_id, before.delivery, before.completion, delivery=moved.delivery,
                        completion=moved.completion, source=moved.source, detail=moved.detail,
                        values=moved.values)  # fmt: skip
        await apply_changes(conn, [change], now)


def _event(
    campaign_id: int,
    respondent_id: int,
    field: str,
    old: str | None,
    new: str | None,
    detail: str,
    now: datetime,
) -> dict[str, Any]:
    return {
        "at": now, "campaign_id": campaign_id, "respondent_id": respondent_id, "field": field,
        "old_value": old, "new_value": new, "source": "operator", "detail": detail[:2000],
    }  # fmt: skip
