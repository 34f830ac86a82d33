"""Soft stays soft, through the real local Postfix and Dovecot: the always-full mailbox (a real 5.2.2 DSN
read back over IMAP) and the domain that answers "450 4.7.1 Try again later" keep their people deferred
and retried, the full mailbox keeps getting its reminders, and only the configured [bounce] threshold
(here 3 days within 7) turns them bounced — never "failed", never "correct the address"."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from maildaemon.config import BounceConfig, Config, DaemonConfig, ImapConfig, Secret, SmtpConfig
from maildaemon.core.campaign import campaign_from_text
from maildaemon.intake.roster import RosterRow
from maildaemon.reporting.campaign import campaign_report
from maildaemon.service.daemon import Daemon
from maildaemon.store import Store
from tests.support.factories import campaign_text
from tests.support.mailstack import MailStack

WINDOW = 'weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\nstart = "00:00"\nend = "24:00"'
FULL, TEMPFAIL = "full@khanhhoa.test", "an@tempfail.test"


class Clock:
    def __init__(self) -> None:
        self.at = datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.at


async def test_full_mailbox_and_tempfail_stay_deferred_until_the_threshold(
    mailstack: MailStack, mailbox_user: object, tmp_path: Path
) -> None:
    ms = mailstack
    watched = mailbox_user(prefix="softbox")  # type: ignore[operator]
    wlocal, wdomain = watched.split("@")
    clock = Clock()
    text = campaign_text("soft", opens=clock.at - timedelta(hours=1), closes=clock.at + timedelta(days=14),
                         window=WINDOW, reminders="offsets_days = [1, 2]\nmax = 2\nfinal_before_close_hours = 0")  # fmt: skip
    text = text.replace('bounce_domain = "survey.test"', f'bounce_domain = "{wdomain}"')
    text = text.replace("[sender]", f'[sender]\nbounce_prefix = "{wlocal}"')
    campaign = campaign_from_text(text, "campaign")
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'md.db'}")
    await store.init_schema()
    try:
        cid = await store.create_campaign(campaign, text, clock.at)
        rows = [RosterRow(line=i + 2, email=e, full_name="Đỗ Thị Thanh Tâm", agency_name="Sở Y tế",
                          agency_code="SYT") for i, e in enumerate([FULL, TEMPFAIL])]  # fmt: skip
        await store.import_roster(cid, "Tỉnh Khánh Hòa", rows, clock.at, "r.csv")
        cfg = Config(
            daemon=DaemonConfig(state_dir=str(tmp_path)),
            smtp=SmtpConfig(host=ms.host, port=ms.smtp_port, security="starttls", ca_file=str(ms.cafile),
                            connections=2, retry_base_s=60.0),
            imap=ImapConfig(enabled=True, host=ms.host, port=ms.imap_port, security="starttls",
                            ca_file=str(ms.cafile), username=watched, password=Secret(ms.password)),
            bounce=BounceConfig(transient_threshold=3, transient_period_days=7.0),
        )  # fmt: skip
        daemon = Daemon(cfg, store, now=clock)
        assert daemon.watcher is not None
        try:
            await _three_days(daemon, store, cid, clock)
        finally:
            await daemon.sender.close()  # also when a step fails: no relay connection outlives the test
    finally:
        await store.close()


async def _three_days(daemon: Daemon, store: Store, cid: int, clock: Clock) -> None:
    """Day 0 to day 2 of soft failures, and what the operator is told after each."""

    async def day(n_inbound: int) -> tuple[dict[str, object], dict[str, object]]:
        """Plan and send what is due now, then read back the DSNs expected so far."""
        await daemon.run_once()
        deadline = asyncio.get_running_loop().time() + 120
        while len(await store.inbound_list()) < n_inbound:
            assert asyncio.get_running_loop().time() < deadline, "the full mailbox's DSN did not arrive"
            await daemon.watcher.run_once()  # type: ignore[union-attr]
            await asyncio.sleep(0.2)  # Postfix is still writing the DSN: poll, as the daemon does
        return await store.respondent(cid, FULL), await store.respondent(cid, TEMPFAIL)

    # day 0: the relay accepts the invitation to the full mailbox, Dovecot refuses it (5.2.2);
    # tempfail.test answers 450 at RCPT
    full, temp = await day(1)
    assert (full["delivery"], full["reason"], full["hard_bounce"], full["transient_count"]) == (
        "deferred", "mailboxfull", False, 1)  # fmt: skip
    assert (temp["delivery"], temp["reason"], temp["transient_count"]) == ("deferred", "blocked", 1)
    # the report tells the operator to have the mailbox cleaned (not to correct the address), and to
    # wait while the 450s are retried
    report = await campaign_report(store, "soft", 0.6, clock.at)
    actions = {p.email: p.action for p in report.not_answered}
    assert actions == {FULL: "clean_mailbox", TEMPFAIL: "wait_retry"}

    # day 1: the first reminder goes to the full mailbox (and bounces again); the invitation to
    # tempfail.test is retried (not given up) and deferred again
    clock.at += timedelta(days=1, hours=1)
    full, temp = await day(2)
    assert (full["delivery"], full["transient_count"]) == ("deferred", 2)
    assert (temp["delivery"], temp["transient_count"]) == ("deferred", 2)

    # day 2: a third day of soft failures within 7 days makes both permanent (bounced, not failed)
    clock.at += timedelta(days=1, hours=1)
    full, temp = await day(3)
    assert (full["delivery"], full["reason"], full["hard_bounce"]) == ("bounced", "mailboxfull", False)
    assert (temp["delivery"], temp["reason"], temp["hard_bounce"]) == ("bounced", "blocked", False)

    kinds = {(e.detail.split(":")[0], e.new) for e in await store.events(email=FULL) if e.field == "outbox"}
    assert {("invitation", "sent"), ("reminder-1", "sent"), ("reminder-2", "sent")} <= kinds
    tries = [e for e in await store.events(email=TEMPFAIL) if e.field == "outbox" and e.new == "deferred"]
    assert len(tries) == 3 and all("450" in e.detail for e in tries)
    assert not [e for e in await store.events(email=TEMPFAIL) if e.new == "failed"]
    report = await campaign_report(store, "soft", 0.6, clock.at)
    assert {p.email: p.action for p in report.address_problems} == {
        FULL: "clean_mailbox",
        TEMPFAIL: "ask_it",
    }
