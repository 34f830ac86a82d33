"""Focal-point digests: on the campaign's ``focal_digest_days`` from ``focal_digest_hour`` (local time),
each agency's focal point gets its own agency's and units' people to follow up (reporting.focal),
with a link to the agency's page in the console when ``[web] public_url`` is set.

Sent at most once per agency per local day, however many daemons share the database: each is claimed
before it is sent (service.claimed_send, store.digests). One report per campaign and pass, however many
focal points.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from urllib.parse import quote
from zoneinfo import ZoneInfo

from maildaemon.core.campaign import Campaign
from maildaemon.outbound.mailer import RelayPool
from maildaemon.reporting.campaign import campaign_report
from maildaemon.reporting.figures import DEFAULT_TARGET
from maildaemon.reporting.focal import FocalMail, focal_list, focal_mail
from maildaemon.service.claimed_send import DEFAULT_LEASE, DigestKey, default_owner, send_claimed
from maildaemon.store import FocalPoint, Store
from maildaemon.store.digests import FOCAL

log = logging.getLogger(__name__)


def focal_due(campaign: Campaign, now: datetime) -> date | None:
    """Pure: the local day focal digests are due for at ``now``, or None (not a digest day, before the hour,
    outside the campaign). Which agencies got theirs already is the store's to say."""
    if not campaign.focal_digest_days:
        return None
    tz = ZoneInfo(campaign.timezone)
    local = now.astimezone(tz)
    if local.weekday() not in campaign.focal_digest_days or local.hour < campaign.focal_digest_hour:
        return None
    if now < campaign.opens or local.date() > campaign.closes.astimezone(tz).date():
        return None
    return local.date()


def agency_link(public_url: str, campaign: str, agency_id: int) -> str | None:
    """The agency's page in the console, or None when the console's public address is not configured."""
    if not public_url.strip():
        return None
    return f"{public_url.strip().rstrip('/')}/c/{quote(campaign, safe='')}/a/{agency_id}"


def build_message(campaign: Campaign, to: str, mail: FocalMail, now: datetime) -> EmailMessage:
    """The digest as mail: UTF-8 text with an HTML alternative; non-ASCII headers RFC 2047-encoded."""
    msg = EmailMessage()
    msg["From"] = (
        f"{campaign.sender_name} <{campaign.sender_address}>"
        if campaign.sender_name
        else campaign.sender_address
    )
    msg["To"] = to
    if campaign.operators:  # a focal point's answer goes to the people who run the survey
        msg["Reply-To"] = ", ".join(campaign.operators)
    msg["Subject"] = f"{mail.subject} — {campaign.title}"
    msg["Date"] = format_datetime(now.astimezone(ZoneInfo(campaign.timezone)))
    msg["Message-ID"] = make_msgid("focal", domain=campaign.bounce_domain)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(mail.text, charset="utf-8")
    msg.add_alternative(mail.html, subtype="html", charset="utf-8")
    return msg


class FocalDigestSender:
    """The loop body: for each campaign whose focal digest is due, each focal point whose digest of the
    day nobody holds (see service.claimed_send): not claimed yet, or claimed longer than ``lease`` ago by a
    daemon that stopped mid-send."""

    def __init__(
        self, store: Store, pool: RelayPool, *, public_url: str, now: Callable[[], datetime], owner: str = "",
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:  # fmt: skip
        self.store = store
        self.pool = pool
        self.public_url = public_url
        self.now = now
        self.owner = owner or default_owner()
        self.lease = lease

    async def run_once(self) -> int:
        sent = 0
        now = self.now()
        for rec in await self.store.list_campaigns():
            day = focal_due(rec.campaign, now)
            if day is None:
                continue
            taken = await self.store.digests_held(rec.id, FOCAL, day, claimed_since=now - self.lease)
            waiting = [fp for fp in await self.store.focal_points(rec.id) if fp.agency_id not in taken]
            if not waiting:
                continue
            report = await campaign_report(self.store, rec.name, DEFAULT_TARGET, now)
            for fp in waiting:
                fl = focal_list(report, fp.code)
                if fl is None:
                    continue
                c = rec.campaign
                mail = focal_mail(fl, title=c.title, lang=c.language, now=now, tz=c.timezone,
                                  link=agency_link(self.public_url, rec.name, fp.agency_id),
                                  contact=c.contact or ", ".join(c.operators))  # fmt: skip
                sent += await self._send(rec.id, c, fp, mail, day, now)
        return sent

    async def _send(self, campaign_id: int, c: Campaign, fp: FocalPoint, mail: FocalMail, day: date,
                    now: datetime) -> int:  # fmt: skip
        msg = build_message(c, fp.email, mail, now)
        key = DigestKey(campaign_id, FOCAL, fp.agency_id, day)
        done = await send_claimed(self.store, self.pool, key, msg, c.sender_address, [fp.email], owner=self.owner,
                                  label=fp.code, now=now, lease=self.lease)  # fmt: skip
        return int(done)
