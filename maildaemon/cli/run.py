"""`maildaemon run` and `maildaemon preview`: the daemon's entry points, behind the CLI."""

from __future__ import annotations

import argparse
import contextlib
import email
import email.policy
import fcntl
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.cli.web import console_factory
from maildaemon.config import Config
from maildaemon.errors import MaildaemonError, NotFound
from maildaemon.outbound.compose import Composer, Recipient
from maildaemon.outbound.templates import TemplateSet
from maildaemon.service.daemon import Daemon
from maildaemon.web.share import DAEMON_SHARE

log = logging.getLogger(__name__)


@contextlib.contextmanager
def sqlite_lock(cfg: Config, dialect: str) -> Iterator[None]:
    """Two daemons on one SQLite file would fight over it: the second one refuses to start."""
    if dialect != "sqlite":
        yield
        return
    path = Path(cfg.daemon.state_dir) / "maildaemon.lock"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a+") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise MaildaemonError(
                f"another maildaemon is running on this SQLite database (lock {path} is held)"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


async def cmd_run(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        with sqlite_lock(cfg, store.dialect):
            # inside the daemon the console gets a bounded share of the loop: browsing never starves the sender
            console = console_factory(cfg, loop_share=DAEMON_SHARE) if cfg.web.enabled else None
            daemon = Daemon(cfg, store, console=console)
            if args.once:
                results = await daemon.run_once()
                await daemon.sender.close()
                s = daemon.sender.stats
                print(
                    f"planned {results.get('planner', 0)}, sent {s.sent}, deferred {s.deferred}, "
                    f"bounced {s.bounced}, failed {s.failed}"
                    + "".join(f", {k} {v}" for k, v in results.items() if k not in ("planner", "sender"))
                )
                return 0
            await daemon.serve()
    return 0


async def cmd_preview(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        rec = await store.get_campaign(args.campaign)
        try:
            row = await store.respondent(rec.id, args.email)
            agency = await store.agency_name(row["agency_id"])
            recipient = Recipient(row["token"], row["email"], row["full_name"], row["honorific"], row["title"],
                                  agency)  # fmt: skip
        except NotFound:
            if not args.sample:
                raise
            recipient = Recipient("sampletoken0000000000000000"[:26], args.email, "Nguyễn Văn An", "ông",
                                  "Chuyên viên", "Sở Nội vụ")  # fmt: skip
    composer = Composer(rec.campaign, TemplateSet.for_campaign(rec.campaign, cfg.daemon.template_dir or None))
    kind = args.kind if args.kind != "reminder" else f"reminder-{args.number}"
    out = composer.compose(recipient, kind)
    if args.raw:
        print(out.data.decode("ascii"), end="")
        return 0
    msg = email.message_from_bytes(out.data, policy=email.policy.default)
    print(f"Envelope-From: {out.envelope_from}\nEnvelope-To: {out.recipient}")
    for name in ("From", "To", "Reply-To", "Subject", "Date", "Message-ID", "X-Survey-Token"):
        print(f"{name}: {msg[name]}")
    print()
    part = msg.get_body(preferencelist=("html",) if args.html else ("plain",))
    if part is not None:
        print(part.get_content())
    return 0


def register(sub: Any) -> None:
    rn = sub.add_parser("run", help="run the daemon (planner, sender, watcher) until stopped")
    rn.add_argument("--once", action="store_true", help="do all due work once and exit (cron, tests)")
    rn.set_defaults(func=cmd_run)
    pv = sub.add_parser("preview", help="print the mail a respondent would get")
    pv.add_argument("campaign")
    pv.add_argument("email")
    pv.add_argument("--kind", choices=["invitation", "reminder", "final"], default="invitation")
    pv.add_argument("--number", type=int, default=1, help="reminder number")
    pv.add_argument("--html", action="store_true", help="show the HTML part instead of the text")
    pv.add_argument("--raw", action="store_true", help="the message exactly as sent")
    pv.add_argument("--sample", action="store_true", help="use a sample person if the address is not found")
    pv.set_defaults(func=cmd_preview)
