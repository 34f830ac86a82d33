"""The demo's console side (issue 17): the accounts an operator signs in with, the focal points' digests
read back from the real mailbox, and how to open the console. Kept apart from the demo's campaign story
(cli/demo.py) so that each reads in one sitting."""

from __future__ import annotations

import asyncio
import contextlib
import email
import email.policy
import imaplib
import os
import re
import secrets
import socket
import ssl
import time
from dataclasses import dataclass
from datetime import date, datetime
from email.message import EmailMessage
from pathlib import Path

from maildaemon.errors import MaildaemonError
from maildaemon.store import Store
from maildaemon.store.digests import FOCAL
from maildaemon.web import accounts

ACCOUNTS_FILE = "console-accounts.txt"
PREFERRED_PORT = 8025  # the console's port in the demo when it is free; any free loopback port otherwise


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    role: str
    agency: str | None
    display_name: str
    who: str  # whom it stands for, as the demo says it


def demo_accounts(snv_focal: str) -> list[DemoAccount]:
    """One account per role: the province's operator, Sở Nội vụ's focal point, an IT account, an admin."""
    return [
        DemoAccount("cchc.snv", "operator", None, "Phòng Cải cách hành chính, Sở Nội vụ", "the province's operator"),
        DemoAccount("daumoi.snv", "focal", "SNV", f"Đầu mối Sở Nội vụ ({snv_focal})", "Sở Nội vụ's focal point"),
        DemoAccount("it.khanhhoa", "it", None, "Tổ công nghệ thông tin", "IT: deliverability, the whole province"),
        DemoAccount("admin", "admin", None, "Quản trị hệ thống", "admin: everything"),
    ]  # fmt: skip


def console_port() -> int:
    """8025 when nothing listens there now, else a free loopback port (the demo does not serve it itself)."""
    for port in (PREFERRED_PORT, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return int(s.getsockname()[1])
    raise MaildaemonError("no free loopback port for the console")


async def create_accounts(
    store: Store, campaign: str, state: Path, snv_focal: str, now: datetime
) -> list[str]:
    """Make the demo's accounts with generated passwords, written to console-accounts.txt (0600) beside
    the database; the lines to print once."""
    lines = []
    for a in demo_accounts(snv_focal):
        password = secrets.token_urlsafe(12)
        scope = None if a.role == "admin" else campaign
        await accounts.add_user(store, username=a.username, password=password, role=a.role, campaign=scope,
                                agency=a.agency, display_name=a.display_name, now=now, by="demo")  # fmt: skip
        lines.append(f"{a.username:<12} {password}  {a.who}")
    path = state / ACCOUNTS_FILE
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.fchmod(fd, 0o600)  # an older file keeps its mode through O_CREAT: set it
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write("# maildaemon demo: console accounts (username, password, who)\n" + "\n".join(lines) + "\n")
    return lines


@dataclass(frozen=True, slots=True)
class FocalReadBack:
    """What the focal digests did, as the database and one real mailbox show it."""

    sent: int  # focal points whose digest of the day went out (their claims, settled as sent)
    refused: int
    subject: str  # of the message found in the mailbox read back
    not_answered: int  # as that message lists them
    bounced: int
    completed: str  # "done/total" as that message says


async def focal_read_back(
    store: Store, campaign_id: int, day: date, mailbox: str, imap: dict[str, str], wait_s: float
) -> FocalReadBack:
    """Count the day's focal digests in the store and read one focal point's over IMAP (STARTTLS)."""
    states = await store.digests_claimed(campaign_id, FOCAL, day)
    msg = await asyncio.to_thread(_newest_message, mailbox, imap, wait_s)
    part = msg.get_body(("plain",))
    text = part.get_content() if part is not None else ""

    def count(pattern: str) -> int:
        m = re.search(pattern, text)
        return int(m.group(1)) if m else 0

    done = re.search(r"Đã hoàn thành phiếu: (\d+/\d+)", text)
    return FocalReadBack(
        sent=sum(1 for s in states.values() if s == "sent"),
        refused=sum(1 for s in states.values() if s == "refused"),
        subject=str(msg["Subject"] or ""),
        not_answered=count(r"Chưa trả lời \((\d+) người\)"),
        bounced=count(r"Thư mời không đến được \((\d+) người\)"),
        completed=done.group(1) if done else "?",
    )


def _newest_message(mailbox: str, imap: dict[str, str], wait_s: float) -> EmailMessage:
    """The newest message in ``mailbox``'s INBOX, polling until one is there or the deadline passes."""
    deadline = time.monotonic() + wait_s
    ctx = ssl.create_default_context(cafile=imap["MAILSTACK_CAFILE"])
    while True:
        client = imaplib.IMAP4(imap["MAILSTACK_HOST"], int(imap["MAILSTACK_IMAP_PORT"]), timeout=30)
        try:
            client.starttls(ctx)
            client.login(mailbox, imap.get("MAILSTACK_PASSWORD", "secret"))
            client.select("INBOX", readonly=True)
            _, data = client.search(None, "ALL")
            uids = data[0].split() if data and data[0] else []
            if uids:
                _, fetched = client.fetch(uids[-1], "(BODY.PEEK[])")
                raw = next(item[1] for item in fetched if isinstance(item, tuple))
                msg = email.message_from_bytes(raw, policy=email.policy.default)
                assert isinstance(msg, EmailMessage)
                return msg
        finally:
            with contextlib.suppress(OSError, imaplib.IMAP4.error):
                client.logout()
        if time.monotonic() > deadline:
            raise MaildaemonError(f"no focal digest arrived in {mailbox} within {wait_s:.0f}s")
        time.sleep(0.5)  # Postfix delivers in a moment: we poll, as the daemon's watcher does
