"""Tying a message the watcher could not attribute to a respondent by hand: `maildaemon inbound assign`
and the console's "this is person X" form. The message's verdict then does to that person what it would
have done had the watcher tied it (core.assignment); a message already tied is refused, not moved."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from maildaemon.config import Config
from maildaemon.core.assignment import campaign_period
from maildaemon.core.retry import TransientBouncePolicy
from maildaemon.store import Assigned, CampaignRecord, Store

log = logging.getLogger(__name__)


def bounce_policy(cfg: Config) -> TransientBouncePolicy:
    """The [bounce] soft-bounce rule, as the watcher applies it."""
    return TransientBouncePolicy(
        cfg.bounce.transient_threshold, timedelta(days=cfg.bounce.transient_period_days)
    )


async def find_respondent(store: Store, who: str, campaign: str | None) -> tuple[CampaignRecord, int]:
    """A respondent by address or token: in the named campaign, else the latest one anywhere."""
    if campaign is not None:
        record = await store.get_campaign(campaign)
        person = await store.person(record.id, who)
    else:
        person = await store.person(None, who)
        cid = int(person.respondent["campaign_id"])
        record = next(r for r in await store.list_campaigns() if r.id == cid)
    return record, int(person.respondent["id"])


async def assign(
    store: Store, record: CampaignRecord, inbound_id: int, respondent_id: int, *, actor: str, now: datetime,
    bounces: TransientBouncePolicy, within_period: bool = True,
) -> Assigned:  # fmt: skip
    """Tie message ``inbound_id`` to respondent ``respondent_id`` of ``record``'s campaign. With
    ``within_period`` (the console) only a message received while the campaign ran can be tied."""
    c = record.campaign
    period = campaign_period(c.opens, c.closes) if within_period else None
    done = await store.assign_inbound(inbound_id, respondent_id, campaign_id=record.id, actor=actor, now=now,
                                      bounces=bounces, period=period)  # fmt: skip
    log.info("inbound.assigned id=%d campaign=%s respondent=%d kind=%s actor=%s", inbound_id, record.name,
             respondent_id, done.kind, actor)  # fmt: skip
    return done
