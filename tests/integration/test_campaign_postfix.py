"""A campaign of a few hundred respondents through the real local Postfix: unknown users bounce with
real DSNs read back over IMAP, the full mailbox bounces, the tempfailing domain is deferred and
retried; every person ends in the state the mail system's answers say, and good mailboxes got
exactly one invitation."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from maildaemon.config import Config, DaemonConfig, ImapConfig, Secret, SmtpConfig
from maildaemon.intake.roster import RosterRow
from maildaemon.service.daemon import Daemon
from maildaemon.store import Store
from tests.support.factories import make_campaign
from tests.support.mailstack import MailStack

WINDOW = 'weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\nstart = "00:00"\nend = "24:00"'


class Clock:
    def __init__(self) -> None:
        self.at = datetime.now(UTC)

    def __call__(self) -> datetime:
        return self.at


async def test_campaign_through_postfix(mailstack: MailStack, mailbox_user: object, tmp_path: Path) -> None:
    ms = mailstack
    collector = mailbox_user(prefix="camp")  # type: ignore[operator]
    watched = mailbox_user(prefix="bouncebox")  # type: ignore[operator]
    local, domain = collector.split("@")
    good = [f"{local}+{i}@{domain}" for i in range(240)]
    unknown = [f"khongtontai{i}.{local}@{domain}" for i in range(8)]
    tempfail = ["an@tempfail.test", "binh@tempfail.test"]
    everyone = good + unknown + tempfail + ["full@khanhhoa.test"]
    clock = Clock()
    campaign, text = make_campaign(opens=clock.at - timedelta(hours=1), closes=clock.at + timedelta(days=5),
                                   window=WINDOW)  # fmt: skip
    # bounces come back to bounces+<token>@survey.test; here they go to a fresh mailbox of this test
    wlocal, wdomain = watched.split("@")
    text = text.replace('bounce_domain = "survey.test"', f'bounce_domain = "{wdomain}"')
    text = text.replace("[sender]", f'[sender]\nbounce_prefix = "{wlocal}"')
    from maildaemon.core.campaign import campaign_from_text

    campaign = campaign_from_text(text, "campaign")
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'md.db'}")
    await store.init_schema()
    try:
        cid = await store.create_campaign(campaign, text, clock.at)
        rows = [RosterRow(line=i + 2, email=e, full_name="Võ Minh Khôi", agency_name="Sở Y tế", agency_code="SYT")
                for i, e in enumerate(everyone)]  # fmt: skip
        await store.import_roster(cid, "Tỉnh Khánh Hòa", rows, clock.at, "r.csv")
        cfg = Config(
            daemon=DaemonConfig(state_dir=str(tmp_path)),
            smtp=SmtpConfig(host=ms.host, port=ms.smtp_port, security="starttls", ca_file=str(ms.cafile),
                            connections=4, per_domain_concurrency=4, retry_base_s=60.0),
            imap=ImapConfig(enabled=True, host=ms.host, port=ms.imap_port, security="starttls",
                            ca_file=str(ms.cafile), username=watched, password=Secret(ms.password)),
        )  # fmt: skip
        daemon = Daemon(cfg, store, now=clock)
        await daemon.run_once()
        st = daemon.sender.stats
        assert (st.sent, st.deferred, st.bounced) == (len(good) + len(unknown) + 1, 2, 0)
        # the DSNs for the unknown users and the full mailbox come back; the watcher reads them
        assert daemon.watcher is not None
        deadline = asyncio.get_running_loop().time() + 120
        while len(await store.inbound_list()) < len(unknown) + 1:
            assert asyncio.get_running_loop().time() < deadline, "DSNs did not arrive"
            await daemon.watcher.run_once()
            await asyncio.sleep(0.2)  # Postfix is still writing the DSNs: poll, as the daemon does
        for e in unknown:
            r = await store.respondent(cid, e)
            assert (r["delivery"], r["reason"], r["hard_bounce"]) == ("bounced", "userunknown", True), e
        full = await store.respondent(cid, "full@khanhhoa.test")
        # a full mailbox is a soft bounce: deferred with its reason, not a bad address
        assert (full["delivery"], full["reason"], full["transient_count"]) == ("deferred", "mailboxfull", 1)
        for e in tempfail:
            assert (await store.respondent(cid, e))["delivery"] == "deferred"
        # the deferred ones are retried when due, and deferred again (the domain still says 450)
        clock.at += timedelta(minutes=5)
        await daemon.run_once()
        assert daemon.sender.stats.deferred == 4
        claims = await store.claim("t", 10, clock.at + timedelta(hours=1), timedelta(minutes=5))
        assert {c.email for c in claims} == set(tempfail) and all(c.attempts == 2 for c in claims)
        await store.release("t", [c.outbox_id for c in claims], clock.at)
        # every good mailbox got exactly one invitation, with its own token
        got = await ms.wait_for_messages(collector, len(good), timeout=120)
        tokens = [next(line for line in m.split(b"\r\n") if line.startswith(b"X-Survey-Token:")) for m in got]
        assert len(got) == len(good) and len(set(tokens)) == len(good)
        counts = {c.delivery: c.count for c in await store.agency_counts(cid) if c.count}
        assert counts == {"sent": len(good), "bounced": len(unknown), "deferred": 3}
        await daemon.sender.close()
    finally:
        await store.close()
