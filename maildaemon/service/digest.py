"""The daily digest: once a day, at the campaign's digest hour (local time), the report's summary
goes to the campaign's operator addresses, with the full HTML report attached.

Sent at most once per campaign per local day, however many daemons share the database: it is claimed
before it is sent (service.claimed_send, store.digests), and the event log remembers it (field
"campaign", new value "digest", detail the local date).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from typing import Any
from zoneinfo import ZoneInfo

from maildaemon.core.campaign import Campaign
from maildaemon.outbound.mailer import RelayPool
from maildaemon.reporting import vocabulary as V
from maildaemon.reporting.campaign import campaign_report
from maildaemon.reporting.clock import zone_label
from maildaemon.reporting.figures import DEFAULT_TARGET, Report
from maildaemon.reporting.render import render
from maildaemon.service.claimed_send import DEFAULT_LEASE, DigestKey, default_owner, send_claimed
from maildaemon.store import Store
from maildaemon.store.digests import OPERATORS

_TEXT: dict[str, dict[str, Any]] = {
    "vi": {
        "subject": "Báo cáo khảo sát ngày {day}: {title}",
        "intro": "Tình hình khảo sát đến {time} ngày {day}:",
        "rate": "Tỷ lệ phản hồi",
        "below": "Cơ quan, đơn vị chưa đạt tỷ lệ {target:.0%} ({n} trong số {m} cơ quan, đơn vị):",
        "none_below": "Tất cả cơ quan, đơn vị đã đạt tỷ lệ {target:.0%}.",
        "attached": "Báo cáo đầy đủ theo từng cơ quan, đơn vị được đính kèm (mở bằng trình duyệt).",
        "footer": "Thư này do hệ thống maildaemon gửi tự động.",
    },
    "en": {
        "subject": "Survey report for {day}: {title}",
        "intro": "Survey progress at {time} on {day}:",
        "rate": "Response rate",
        "below": "Agencies below the {target:.0%} target ({n} of {m} agencies):",
        "none_below": "Every agency has reached the {target:.0%} target.",
        "attached": "The full per-agency report is attached (open it in a browser).",
        "footer": "This message was sent automatically by maildaemon.",
    },
}


# The figures of the summary, in the words of ``reporting.vocabulary`` (as status and the report).
DIGEST_FIGURES = (
    "respondents",
    "invited",
    "relay_accepted",
    "delivered",
    "deferred",
    "bounced",
    "away",
    "completed",
)


def due(campaign: Campaign, now: datetime, last_sent_day: date | None) -> date | None:
    """Pure: the local day a digest is due for, or None (no operators, before the hour, sent already)."""
    if not campaign.operators or campaign.digest_hour is None:
        return None
    local = now.astimezone(ZoneInfo(campaign.timezone))
    if local.hour < campaign.digest_hour or local.date() == last_sent_day:
        return None
    if now < campaign.opens or local.date() > campaign.closes.astimezone(ZoneInfo(campaign.timezone)).date():
        return None
    return local.date()


def summary_text(report: Report, lang: str, now: datetime, tz: str) -> str:
    t = _TEXT[lang]
    local = now.astimezone(ZoneInfo(tz))
    total = report.total
    when = f"{local:%H:%M} ({zone_label(tz, local)})"
    lines = [t["intro"].format(time=when, day=local.strftime("%d/%m/%Y")), ""]
    for attr in DIGEST_FIGURES:
        lines.append(f"  {V.word(attr, lang)}: {getattr(total, attr)}")
    rate = total.rate
    lines.append(f"  {t['rate']}: {rate:.1%}" if rate is not None else f"  {t['rate']}: -")
    lines.append("")
    if report.below_target:
        lines.append(
            t["below"].format(target=report.target, n=len(report.below_target), m=report.agencies_counted)
        )
        for a in report.below_target[:30]:
            lines.append(f"  - {a.name}: {a.completed}/{a.respondents} ({(a.rate or 0):.0%})")
    else:
        lines.append(t["none_below"].format(target=report.target))
    lines += ["", t["attached"], "", "-- ", t["footer"]]
    return "\n".join(lines)


def build_message(campaign: Campaign, report: Report, now: datetime) -> EmailMessage:
    lang = campaign.language if campaign.language in _TEXT else "vi"
    local = now.astimezone(ZoneInfo(campaign.timezone))
    msg = EmailMessage()
    msg["From"] = (
        f"{campaign.sender_name} <{campaign.sender_address}>"
        if campaign.sender_name
        else campaign.sender_address
    )
    msg["To"] = ", ".join(campaign.operators)
    msg["Subject"] = _TEXT[lang]["subject"].format(day=local.strftime("%d/%m/%Y"), title=campaign.title)
    msg["Date"] = format_datetime(local)
    msg["Message-ID"] = make_msgid("digest", domain=campaign.bounce_domain)
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(summary_text(report, lang, now, campaign.timezone))
    html = render(report, "html", lang)
    assert isinstance(html, str)
    msg.add_attachment(
        html, subtype="html", charset="utf-8", filename=f"{campaign.name}-{local:%Y-%m-%d}.html"
    )
    return msg


class DigestSender:
    """The loop body: for each campaign whose digest is due, build it, then send it under a claim (so
    several daemons on one database send it once; see service.claimed_send). A claim older than ``lease``
    is a daemon's that stopped mid-send: it is taken over."""

    def __init__(
        self, store: Store, pool: RelayPool, *, now: Callable[[], datetime], owner: str = "",
        lease: timedelta = DEFAULT_LEASE,
    ) -> None:  # fmt: skip
        self.store = store
        self.pool = pool
        self.now = now
        self.owner = owner or default_owner()
        self.lease = lease

    async def run_once(self) -> int:
        sent = 0
        now = self.now()
        for rec in await self.store.list_campaigns():
            day = due(rec.campaign, now, await self.store.last_digest_day(rec.id))
            if day is None or await self.store.digests_held(
                rec.id, OPERATORS, day, claimed_since=now - self.lease
            ):
                continue
            report = await campaign_report(self.store, rec.name, DEFAULT_TARGET, now)
            msg = build_message(rec.campaign, report, now)
            key = DigestKey(rec.id, OPERATORS, 0, day)
            sent += await send_claimed(self.store, self.pool, key, msg, rec.campaign.sender_address,
                                       list(rec.campaign.operators), owner=self.owner, label=rec.name, now=now,
                                       lease=self.lease)  # fmt: skip
        return sent
