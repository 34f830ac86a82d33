"""A campaign with its own ``bounce_prefix`` through the real Postfix: its invitations to unknown users bounce
back to ``<prefix>+<token>@``, the watcher reads the DSNs from that mailbox and attributes each to its
respondent by the VERP address, also when the relay returns nothing of the original message.

The stack needs no change for a custom prefix: Postfix's ``recipient_delimiter = +`` delivers
``<prefix>+<token>@survey.test`` to the mailbox ``<prefix>@survey.test``, which must exist (here a fresh one
per test; in production a mailbox or an alias)."""

from __future__ import annotations

import email
import email.message
import email.policy
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from maildaemon.config import Config, DaemonConfig, ImapConfig, Secret, SmtpConfig
from maildaemon.core.campaign import campaign_from_text
from maildaemon.inbound.watcher import Watcher
from maildaemon.intake.roster import RosterRow
from maildaemon.service.daemon import Daemon
from maildaemon.store import Store
from tests.support.factories import campaign_text
from tests.support.mailstack import MailStack

WINDOW = 'weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\nstart = "00:00"\nend = "24:00"'


def without_returned_headers(raw: bytes) -> bytes:
    """The DSN as a relay that returns no part of the original would send it: the returned headers go,
    so our Message-ID and X-Survey-Token go with them and only the VERP address is left."""
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    parts = msg.get_payload()
    assert isinstance(parts, list)
    kept: list[Any] = [
        p
        for p in parts
        if isinstance(p, email.message.Message)
        and p.get_content_type() not in ("text/rfc822-headers", "message/rfc822")
    ]
    assert len(kept) == len(parts) - 1, "Postfix's DSN should carry the returned headers (RET=HDRS)"
    msg.set_payload(kept)
    stripped = msg.as_bytes()
    assert b"X-Survey-Token" not in stripped and b"Message-ID: <md." not in stripped
    return stripped


def replace_in_mailbox(ms: MailStack, user: str, token: str, new: bytes) -> None:
    """Expunge the message that mentions ``token`` and deliver ``new`` in its place."""
    client = ms.imap(user)
    try:
        client.select("INBOX")
        typ, data = client.uid("SEARCH", "TEXT", f'"{token}"')
        uids = (data[0] or b"").split()
        assert typ == "OK" and len(uids) == 1, data
        client.uid("STORE", uids[0].decode(), "+FLAGS", r"(\Deleted)")
        client.expunge()
    finally:
        client.logout()
    ms.deliver_raw(user, new)


async def test_custom_bounce_prefix_bounces_are_attributed_by_verp(
    mailstack: MailStack, mailbox_user: Callable[..., str], tmp_path: Path
) -> None:
    ms = mailstack
    bounce_box = mailbox_user(domain="survey.test", prefix="khaosat")
    prefix = bounce_box.split("@")[0]
    unknown = [f"khongtontai-{uuid.uuid4().hex[:10]}@khanhhoa.test" for _ in range(2)]
    at = datetime.now(UTC)
    text = campaign_text(opens=at - timedelta(hours=1), closes=at + timedelta(days=5), window=WINDOW)
    text = text.replace("[sender]", f'[sender]\nbounce_prefix = "{prefix}"')
    campaign = campaign_from_text(text, "campaign")
    assert campaign.bounce_prefix == prefix and prefix not in ("bounces", "reply")
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'md.db'}")
    await store.init_schema()
    try:
        cid = await store.create_campaign(campaign, text, at)
        rows = [RosterRow(line=i + 2, email=e, full_name="Võ Minh Khôi", agency_name="Sở Y tế", agency_code="SYT")
                for i, e in enumerate(unknown)]  # fmt: skip
        await store.import_roster(cid, "Tỉnh Khánh Hòa", rows, at, "r.csv")
        people = [await store.respondent(cid, e) for e in unknown]
        cfg = Config(
            daemon=DaemonConfig(state_dir=str(tmp_path)),
            smtp=SmtpConfig(host=ms.host, port=ms.smtp_port, security="starttls", ca_file=str(ms.cafile)),
        )
        daemon = Daemon(cfg, store, now=lambda: at)  # no watcher here: the DSNs are read below, once all came
        await daemon.run_once()
        assert daemon.sender.stats.sent == 2
        await daemon.sender.close()

        dsns = await ms.wait_for_messages(bounce_box, 2, timeout=120)
        for person in people:  # each came back to its VERP address
            assert sum(f"{prefix}+{person['token']}@survey.test".encode() in d for d in dsns) == 1
        # the second respondent's DSN as a relay would send it that returns nothing of our message
        second = next(d for d in dsns if people[1]["token"].encode() in d)
        replace_in_mailbox(ms, bounce_box, people[1]["token"], without_returned_headers(second))

        imap = ImapConfig(enabled=True, host=ms.host, port=ms.imap_port, security="starttls",
                          ca_file=str(ms.cafile), username=bounce_box, password=Secret(ms.password))  # fmt: skip
        assert await Watcher(imap, store, now=lambda: at).run_once() == 2

        for person in people:
            r = await store.respondent(cid, person["email"])
            assert (r["delivery"], r["reason"], r["hard_bounce"]) == ("bounced", "userunknown", True), person
        rows_in = await store.inbound_list()
        assert sorted((row.email, row.attributed_by) for row in rows_in) == sorted(
            (e, "verp") for e in unknown
        )  # not the weaker DSN-recipient match, which is all that was left before the parser knew any prefix
    finally:
        await store.close()
