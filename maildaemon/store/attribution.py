"""Mail tied to nobody, for the operator: one page of it for a campaign's period (newest first, paged in
SQL), and tying one message to a respondent by hand, its verdict's effect written with its event rows,
the message's new attribution and the folder it is now to be filed in, in one transaction."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select, update

from maildaemon.core import assignment
from maildaemon.core.lifecycle import Effect, InboundEvidence, is_transient, soft_bounce_window, stored
from maildaemon.core.retry import TransientBouncePolicy
from maildaemon.errors import InputError, NotFound
from maildaemon.inbound.readable import readable
from maildaemon.store import tables
from maildaemon.store.base import StoreBase, apply_changes
from maildaemon.store.inbound import OUTCOME_FOLDER, campaign_settings, soft_bounce_times
from maildaemon.store.respondents import change_of, note_row

IN, R, C = tables.inbound, tables.respondents, tables.campaigns
HEAD = 8192  # enough of a raw message for its From and Subject: a page never reads whole bounces


@dataclass(frozen=True, slots=True)
class LooseMessage:
    """One unattributed message as the list shows it (headers decoded)."""

    id: int
    received_at: datetime
    kind: str
    reason: str | None
    from_: str
    subject: str


@dataclass(frozen=True, slots=True)
class Assigned:
    """What tying a message did: to whom, and the effect written (None fields: nothing moved)."""

    inbound_id: int
    respondent_id: int
    email: str
    kind: str
    effect: Effect


class AttributionOps(StoreBase):
    async def unattributed(self, since: datetime, until: datetime, *, offset: int = 0,
                           limit: int = 50) -> tuple[list[LooseMessage], int]:  # fmt: skip
        """One page of the messages tied to nobody received in [since, until], newest first, and their count."""
        where = (IN.c.attributed_by.is_(None), IN.c.received_at >= since, IN.c.received_at <= until)
        head = func.substr(IN.c.raw, 1, HEAD)
        async with self.tx() as conn:
            total = int(
                (await conn.execute(select(func.count()).select_from(IN).where(*where))).scalar() or 0
            )
            if limit <= 0:  # the count alone (the overview's link)
                return [], total
            rows = (
                await conn.execute(
                    select(
                        IN.c.id, IN.c.received_at, IN.c.kind, IN.c.reason, IN.c.subject, head.label("head")
                    )
                    .where(*where)
                    .order_by(IN.c.id.desc())
                    .offset(offset)
                    .limit(limit)
                )
            ).all()
        out = []
        for r in rows:
            shown = readable(bytes(r.head or b""))
            out.append(LooseMessage(int(r.id), r.received_at, r.kind, r.reason, shown.from_,
                                    shown.subject or r.subject or ""))  # fmt: skip
        return out, total

    async def assign_inbound(
        self, inbound_id: int, respondent_id: int, *, campaign_id: int, actor: str, now: datetime,
        bounces: TransientBouncePolicy, period: tuple[datetime, datetime] | None = None,
    ) -> Assigned:  # fmt: skip
        """Tie message ``inbound_id`` (received within ``period`` when given) to a respondent of
        ``campaign_id`` and apply its verdict, in one transaction. A message already tied is refused
        (InputError) and nothing changes; so is one tied by someone else meanwhile."""
        async with self.tx() as conn:
            msg = (
                await conn.execute(
                    select(
                        IN.c.id,
                        IN.c.kind,
                        IN.c.reason,
                        IN.c.status,
                        IN.c.hard,
                        IN.c.verdict,
                        IN.c.received_at,
                        IN.c.attributed_by,
                        R.c.email,
                    )  # fmt: skip
                    .select_from(IN.outerjoin(R, R.c.id == IN.c.respondent_id))
                    .where(IN.c.id == inbound_id)
                )
            ).first()
            if msg is None or (period is not None and not period[0] <= msg.received_at <= period[1]):
                raise NotFound(f"no inbound message #{inbound_id} for this campaign")
            why = assignment.already_tied(msg.attributed_by, msg.email)
            if why is not None:
                raise InputError(f"inbound message #{inbound_id}: {why}")
            person = (
                await conn.execute(
                    select(
                        R.c.id,
                        R.c.campaign_id,
                        R.c.email,
                        R.c.delivery,
                        R.c.completion,
                        R.c.transient_count,
                        C.c.definition,
                    )  # fmt: skip
                    .join(C, C.c.id == R.c.campaign_id)
                    .where(R.c.id == respondent_id, R.c.campaign_id == campaign_id)
                )
            ).first()
            if person is None:
                raise NotFound(f"no respondent #{respondent_id} in this campaign")
            evidence = _evidence(msg)
            soft: list[datetime] = []
            if is_transient(evidence.kind, evidence.reason, evidence.hard):
                soft = (await soft_bounce_times(conn, {respondent_id}, soft_bounce_window(bounces, now)))[
                    respondent_id
                ]
            state = stored(person.id, person.campaign_id, person.delivery, person.completion,
                           person.transient_count or 0, tuple(soft))  # fmt: skip
            effect = assignment.on_assigned(
                state, evidence, campaign_settings(person.definition or ""), bounces, now, actor
            )
            tied = await conn.execute(
                update(IN)
                .where(IN.c.id == inbound_id, IN.c.attributed_by.is_(None))
                .values(
                    respondent_id=respondent_id,
                    campaign_id=campaign_id,
                    attributed_by=assignment.ATTRIBUTED_BY,
                    # where the watcher files it now (it was filed as unattributed): it moves the message
                    # on its next round and records where it put it (store.filing)
                    moved_to=OUTCOME_FOLDER.get(msg.kind, "unattributed"),
                )  # fmt: skip
            )
            if tied.rowcount != 1:
                raise InputError(f"inbound message #{inbound_id} was tied by someone else meanwhile")
            changes = [change_of(effect)] if effect.changes_respondent else []
            notes = [note_row(effect, now)] if effect.note is not None else []
            await apply_changes(conn, changes, now, notes)
        return Assigned(inbound_id, respondent_id, str(person.email), evidence.kind, effect)


def _evidence(msg: Any) -> InboundEvidence:
    """What the stored verdict proves, as the watcher would have passed it (its first recipient's)."""
    data = json.loads(msg.verdict or "{}")
    back = data.get("return_date")
    try:
        return_date = date.fromisoformat(back) if back else None
    except ValueError:
        return_date = None
    return InboundEvidence(msg.kind, int(msg.id), msg.reason or "", msg.status or "", bool(msg.hard),
                           str(data.get("diagnostic") or ""), return_date)  # fmt: skip
