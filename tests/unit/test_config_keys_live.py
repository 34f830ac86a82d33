"""Every key documented in ``config/*.example.toml`` is live: set to another valid value, it changes what
the component built from it does, not only the parsed config.

Each key has a probe: the new value and an observer, a function from the loaded settings to what a
component does with them (the arguments the SMTP and IMAP clients are opened with, the TLS context,
the batches claimed, the folders mail is moved to, the mail composed, the mail due at each instant, the
CLI's report, ...). The test loads the example file, then the file with that one line changed, and
asserts both the typed config and the observation differ. A new documented key without a probe fails
``test_every_documented_key_has_a_probe``; so does a probe for a key the examples no longer document.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import io
import logging
import random
import re
import shutil
import tomllib
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from maildaemon.cli.check import probe_settings
from maildaemon.cli.main import main as cli_main
from maildaemon.config import Config, load_config
from maildaemon.core import retention
from maildaemon.core.campaign import Campaign, campaign_from_text
from maildaemon.core.model import Completion, Delivery
from maildaemon.errors import MaildaemonError
from maildaemon.inbound import imap_session
from maildaemon.inbound import watcher as watcher_mod
from maildaemon.inbound.sink import InboundResult
from maildaemon.inbound.watcher import Watcher
from maildaemon.outbound import mailer as mailer_mod
from maildaemon.outbound import sender as sender_mod
from maildaemon.outbound.compose import Composer, Recipient
from maildaemon.outbound.planner import plan_campaign
from maildaemon.outbound.policy import RespondentView, due_mail
from maildaemon.outbound.sender import ComposerCache, Sender
from maildaemon.outbound.templates import TemplateSet
from maildaemon.service import digest, focal_digest
from maildaemon.service import httpd as httpd_mod
from maildaemon.service.daemon import Daemon
from maildaemon.store import SendOutcome, Store
from tests.support.factories import roster_rows, write_roster_csv
from tests.support.mails import human_reply

REPO = Path(__file__).resolve().parents[2]
DAEMON_EXAMPLE = REPO / "config" / "maildaemon.example.toml"
CAMPAIGN_EXAMPLE = REPO / "config" / "campaign.example.toml"
TEMPLATES = REPO / "templates"
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # the example campaign's first Monday, 16:00 local

# Wired by another change in the store's lifecycle; their behaviour is asserted there.
ELSEWHERE = {
    "bounce.transient_threshold": "tests/unit/test_lifecycle.py",
    "bounce.transient_period_days": "tests/unit/test_lifecycle.py",
}


def documented_keys(path: Path) -> list[str]:
    def walk(table: dict[str, Any], prefix: str) -> Iterator[str]:
        for key, value in table.items():
            if isinstance(value, dict):
                yield from walk(value, f"{prefix}{key}.")
            else:
                yield f"{prefix}{key}"

    return list(walk(tomllib.loads(path.read_text(encoding="utf-8")), ""))


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, time):
        return f'"{value.strftime("%H:%M")}"'
    return repr(value)


def with_value(text: str, dotted: str, value: Any) -> str:
    """The file with the line of ``dotted`` (in its table) given ``value``; its comment kept."""
    table, _, key = dotted.rpartition(".")
    current = ""
    lines = text.splitlines()
    for i, line in enumerate(lines):
        header = re.match(r"\s*\[([^\]]+)\]", line)
        if header:
            current = header.group(1).strip()
            continue
        match = re.match(rf"(\s*{re.escape(key)}\s*=\s*)(\"[^\"]*\"|\[[^\]]*\]|[^#\s]+)(.*)$", line)
        if match and current == table:
            lines[i] = match.group(1) + toml_value(value) + match.group(3)
            return "\n".join(lines) + "\n"
    raise AssertionError(f"{dotted} not found")


# --- what the observers get ----------------------------------------------------------------------------


@dataclass
class Setup:
    cfg: Config
    cfg_path: Path
    campaign: Campaign
    campaign_text: str
    campaign_path: Path
    tmp: Path
    ca_file: Path
    template_root: Path


Observer = Callable[[Setup], Awaitable[Any]]


class FakeSMTP:
    """Stands in for aiosmtplib.SMTP: remembers how the relay session was opened."""

    made: list[FakeSMTP] = []

    def __init__(self, **kwargs: Any) -> None:
        self.kwargs = kwargs
        self.calls: list[tuple[str, Any]] = []
        self.is_connected = False
        self.last_ehlo_response = None
        FakeSMTP.made.append(self)

    async def connect(self) -> None:
        self.is_connected = True

    async def starttls(self, **kwargs: Any) -> None:
        self.calls.append(("starttls", None))

    async def login(self, user: str, password: str) -> None:
        self.calls.append(("login", user))

    async def ehlo(self) -> None:
        self.calls.append(("ehlo", None))

    def supports_extension(self, name: str) -> bool:
        return True

    async def quit(self) -> None:
        self.is_connected = False

    def close(self) -> None:
        self.is_connected = False


def _ctx_view(ctx: Any) -> Any:
    if ctx is None:
        return None
    return (ctx.verify_mode, ctx.check_hostname, len(ctx.get_ca_certs()))


async def observe_relay(s: Setup) -> Any:
    """How the pool opens relay sessions, how many at once, and whether a session is reused."""
    FakeSMTP.made = []
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(mailer_mod.aiosmtplib, "SMTP", FakeSMTP)
        pool = mailer_mod.RelayPool(s.cfg.smtp)
        async with pool.connection() as conn:
            conn.sent_on_connection = 1
        reused = len(pool._idle)
        await pool.close()
    smtp = FakeSMTP.made[0]
    kwargs = {k: v for k, v in smtp.kwargs.items() if k != "tls_context"}
    return kwargs, _ctx_view(smtp.kwargs["tls_context"]), smtp.calls, pool._slots._value, reused


class ClaimStore:
    """What the sender asks of the store, recorded; there is nothing to send."""

    def __init__(self, campaign: Campaign) -> None:
        self.campaign = campaign
        self.claims: list[tuple[int, timedelta]] = []

    async def claim(self, owner: str, limit: int, now: datetime, lease: timedelta) -> list[Any]:
        self.claims.append((limit, lease))
        return []

    async def get_campaign_by_id(self, campaign_id: int) -> Any:
        return SimpleNamespace(campaign=self.campaign)


async def observe_sender(s: Setup) -> Any:
    """The claims, the recorder's group size, the retry schedule, the domain limits, the composed mail."""
    everies: list[int] = []

    class Recorder(sender_mod._Recorder):
        def __init__(self, store: Any, now: Callable[[], datetime], every: int = 20, **kw: Any) -> None:
            everies.append(every)
            super().__init__(store, now, every, **kw)

    store = ClaimStore(s.campaign)
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(sender_mod, "_Recorder", Recorder)
        sender = Sender(store, s.cfg, "probe", now=lambda: NOW)  # type: ignore[arg-type]
        await sender.run_once()
    schedule = [
        sender.retry.next_attempt(n, first, NOW, random.Random(7))
        for first in (NOW, NOW - timedelta(hours=30))
        for n in range(1, 12)
    ]
    limiter = (sender.limiter.semaphore("khanhhoa.gov.vn")._value, sender.limiter._gap)
    composer = await sender.composers.get(1)
    subject = next(
        line
        for line in composer.compose(Recipient("t" * 26, "an@khanhhoa.gov.vn"), "invitation").data.split(
            b"\r\n"
        )
        if line.startswith(b"Subject:")
    )
    await sender.close()
    return store.claims, everies, schedule, limiter, subject


async def observe_daemon(s: Setup) -> Any:
    """The loops the daemon runs and how often they are woken, its name, the watcher, the HTTP server."""
    with pytest.MonkeyPatch.context() as mp:

        async def no_listen(self: Any) -> None:
            pass

        mp.setattr(httpd_mod.HttpServer, "start", no_listen)
        daemon = Daemon(s.cfg, ClaimStore(s.campaign), now=lambda: NOW)  # type: ignore[arg-type]
        http = await daemon._start_http()
        await daemon.sender.close()
    return (
        [(lp.name, lp.interval_s) for lp in daemon.loops],
        daemon.owner,
        daemon.watcher is not None,
        None if http is None else (http.host, http.port),
    )


async def observe_daemon_console(s: Setup) -> Any:
    """Whether the daemon serves the operator console, and where (its listening is stubbed)."""
    from maildaemon.web.app import build_app

    with pytest.MonkeyPatch.context() as mp:

        async def no_listen(self: Any) -> None:
            pass

        mp.setattr(httpd_mod.AsgiServer, "start", no_listen)
        daemon = Daemon(s.cfg, ClaimStore(s.campaign), now=lambda: NOW, console=build_app)  # type: ignore[arg-type]
        web = await daemon._start_web()
        await daemon.sender.close()
    return None if web is None else (web.host, web.port)


async def observe_console(s: Setup) -> Any:
    """The console built from [web], signed in to over plain http: the answer and the session cookie it
    sets (value left out), after which wrong password the account locks, and whether the right password opens it
    a minute later and twenty minutes later."""
    import httpx

    from maildaemon.web import accounts
    from maildaemon.web.app import build_app
    from tests.support.console import Clock, login

    Path(s.cfg.daemon.state_dir).mkdir(parents=True, exist_ok=True)
    store = Store(s.cfg.database_url)
    right = "mat-khau-du-dai-2026"
    try:
        await store.init_schema()
        await accounts.add_user(store, username="op", password=right, role="operator", campaign=None, agency=None,
                                display_name="", now=NOW, by="test")  # fmt: skip
        clock = Clock(NOW)
        transport = httpx.ASGITransport(app=build_app(store, s.cfg.web, now=clock))
        async with httpx.AsyncClient(transport=transport, base_url="http://console.test") as client:
            first = await login(client, "op", right)  # a Secure cookie does not come back over http: refused
            cookie = (first.status_code, first.headers.get("set-cookie", "").partition(";")[2])
            client.cookies.clear()
            for _ in range(12):
                await login(client, "op", "sai-mat-khau-roi")
            details = [a.detail for a in reversed(await store.audit_log())]
            locked = "wrong password, account now locked"
            locked_at = details.index(locked) if locked in details else None
            opens = []
            for minutes in (1, 20):
                clock.at = NOW + timedelta(minutes=minutes)
                opens.append((await login(client, "op", right)).status_code)
                client.cookies.clear()
    finally:
        await store.close()
    return cookie, locked_at, opens


class FakeImapClient:
    """Stands in for the IMAP client: remembers how it was opened, refuses the login."""

    made: list[FakeImapClient] = []

    def __init__(self, host: str, port: int, **kwargs: Any) -> None:
        self.args = (host, port)
        self.ssl_context = kwargs.get("ssl_context")
        self.login_as: str | None = None
        self.protocol = SimpleNamespace(capabilities=set(), transport=None)
        self._client_task = SimpleNamespace(cancel=lambda: None)
        FakeImapClient.made.append(self)

    async def wait_hello_from_server(self) -> None:
        pass

    async def login(self, user: str, password: str) -> Any:
        self.login_as = user
        return SimpleNamespace(result="NO", lines=[b"refused by the probe"])


async def observe_imap_connection(s: Setup) -> Any:
    """Where the watcher connects, with which TLS context, as whom."""
    FakeImapClient.made = []
    tls_seen: list[Any] = []
    real_tls = imap_session._tls_context
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(imap_session, "_Client", FakeImapClient)

        def tls_context(cfg: Any) -> Any:
            tls_seen.append(real_tls(cfg))
            return tls_seen[-1]

        mp.setattr(imap_session, "_tls_context", tls_context)
        watcher = Watcher(s.cfg.imap, MemorySink(), now=lambda: NOW)
        with pytest.raises(MaildaemonError) as err:
            await watcher.run_once()
    client = FakeImapClient.made[0]
    return (
        client.args,
        _ctx_view(client.ssl_context),
        [_ctx_view(c) for c in tls_seen],
        client.login_as,
        type(err.value).__name__,
        watcher.pool.workers,
    )


class MemorySink:
    OUTCOMES = ("bounces", "autoreplies", "replies", "unattributed")

    def __init__(self) -> None:
        self.count = 0

    async def mailbox_state(self, folder: str) -> tuple[int, int] | None:
        return None

    async def save_mailbox_state(self, folder: str, uidvalidity: int, last_uid: int, now: datetime) -> None:
        pass

    async def record_inbound(
        self, raw: bytes, *, folder: str, uidvalidity: int, uid: int, now: datetime
    ) -> Any:
        self.count += 1
        return InboundResult(self.OUTCOMES[uid % 4], False, "bounce", None)


class FakeSession:
    """A mailbox of eight messages; remembers what the watcher selected, fetched, moved and waited for."""

    log: list[tuple[str, Any]] = []
    offers_idle = True

    def __init__(self, cfg: Any) -> None:
        self.capabilities = {"IDLE"} if FakeSession.offers_idle else set()

    async def open(self) -> None:
        pass

    async def select(self, folder: str) -> int:
        self.log.append(("select", folder))
        return 1

    async def uids_after(self, last_uid: int) -> list[int]:
        return [uid for uid in range(1, 9) if uid > last_uid]

    async def fetch(self, uids: list[int]) -> dict[int, bytes]:
        self.log.append(("fetch", len(uids)))
        return {uid: b"Subject: x\r\n\r\nx\r\n" for uid in uids}

    async def move(self, uids: list[int], target: str) -> None:
        self.log.append(("move", (target, len(uids))))

    def mail_arrived(self) -> bool:
        return False

    async def idle(self, stop: asyncio.Event, renew: float) -> bool:
        self.log.append(("idle", None))
        stop.set()
        return False

    async def logout(self) -> None:
        pass

    async def aclose(self) -> None:
        pass

    def close(self) -> None:
        pass


async def observe_watching(s: Setup) -> Any:
    """One pass over the mailbox (folder, fetch batches, moves), then how it waits: IDLE or a poll."""
    seen = []
    for offers_idle in (True, False):
        FakeSession.log = []
        FakeSession.offers_idle = offers_idle
        with pytest.MonkeyPatch.context() as mp:
            mp.setattr(watcher_mod, "ImapSession", FakeSession)

            async def wait(stop: asyncio.Event, seconds: float) -> bool:
                FakeSession.log.append(("poll", seconds))
                stop.set()
                return True

            mp.setattr(watcher_mod, "_wait", wait)
            await Watcher(s.cfg.imap, MemorySink(), now=lambda: NOW, pool=None).serve(asyncio.Event())
        seen.append(sorted(FakeSession.log, key=repr))
    return seen


async def observe_checker(s: Setup) -> Any:
    """The prober's settings, as ``maildaemon check`` and ``diagnose`` build them."""
    return dataclasses.asdict(probe_settings(s.cfg.checker, "bounces@survey.test", False))


async def observe_effective(s: Setup) -> Any:
    """What the engine connects to and the secrets in effect (keys whose job is only that)."""
    return s.cfg.database_url, s.cfg.smtp.password.reveal()


def observe_cli(s: Setup) -> Any:
    """``db init``, ``campaign create``, ``import`` of a roster of .test addresses and ``report``, in process:
    what they print and how they set up logging."""
    root = logging.getLogger()
    saved_handlers, saved_level = root.handlers[:], root.level
    out = io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    roster = write_roster_csv(s.tmp / "roster.csv", roster_rows(3))
    name = s.campaign.name
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(io.StringIO()):
            codes = [
                cli_main(["--config", str(s.cfg_path), *argv])
                for argv in (
                    ["db", "init"],
                    ["campaign", "create", str(s.campaign_path)],
                    ["import", name, str(roster)],
                    ["report", name],
                )  # fmt: skip
            ]
        handler = root.handlers[0]
        logging_setup = type(handler.formatter).__name__, root.level
    finally:
        root.handlers[:] = saved_handlers
        root.setLevel(saved_level)
    text = out.getvalue().decode()
    text = re.sub(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}|\d+ \w+ \d{4} \d{2}:\d{2}", "<now>", text)
    text = text.replace(str(s.tmp), "<tmp>")
    return codes, text, logging_setup


async def observe_compose(s: Setup) -> Any:
    """Every kind of mail the campaign sends one respondent, headers and text, at a fixed time."""
    templates = TemplateSet.for_campaign(s.campaign, s.template_root)
    composer = Composer(s.campaign, templates, now_fn=lambda: NOW)
    person = Recipient("t" * 26, "an@khanhhoa.gov.vn", "Nguyễn Văn An", "ông", "", "Sở Tư pháp")
    mails = []
    for kind in ("invitation", "reminder-1", "final"):
        out = composer.compose(person, kind)
        mails.append((out.envelope_from, out.message_id, out.data))
    return mails


async def observe_retention(s: Setup) -> Any:
    """From which day after closing the campaign's personal data may be purged."""
    c = s.campaign
    return [retention.refusal(c, c.closes + timedelta(days=d)) is None for d in (0, 30, 364, 366)]


async def observe_schedule(s: Setup) -> Any:
    """Which mail is due, every half hour from a day before opening to a day after closing, for a new
    respondent and for one invited at the first opportunity (and then reminded when due)."""
    c = s.campaign
    seen = []
    t = c.opens - timedelta(days=1)
    invited: datetime | None = None
    planned: set[str] = set()
    while t < c.closes + timedelta(days=1):
        fresh = due_mail(c, False, RespondentView(Delivery.CHECKED_OK, Completion.PENDING), t)
        view = RespondentView(Delivery.SENT if invited else Delivery.CHECKED_OK, Completion.PENDING,
                              invited_at=invited, last_sent_at=invited, planned=frozenset(planned))  # fmt: skip
        kind = due_mail(c, False, view, t)
        if kind is not None:
            planned.add(kind)
            invited = invited or t
            view = dataclasses.replace(view, last_sent_at=t)
        seen.append((t, fresh, kind))
        t += timedelta(minutes=30)
    return seen


async def observe_digest(s: Setup) -> Any:
    """When the operators' digest is due, each hour of the campaign."""
    c = s.campaign
    hours = int((c.closes - c.opens).total_seconds() // 3600) + 24
    return [digest.due(c, c.opens + timedelta(hours=h), None) for h in range(hours)], list(c.operators)


async def observe_focal_digest(s: Setup) -> Any:
    """When the focal points' digests are due, each hour of the campaign."""
    c = s.campaign
    hours = int((c.closes - c.opens).total_seconds() // 3600) + 24
    return [focal_digest.focal_due(c, c.opens + timedelta(hours=h)) for h in range(hours)]


async def observe_focal_link(s: Setup) -> Any:
    """What the daemon's focal-point digest says about the agency's page (a link, or to ask the operator)."""
    from maildaemon.reporting.figures import AgencyFigures
    from maildaemon.reporting.focal import FocalList, focal_mail

    daemon = Daemon(s.cfg, ClaimStore(s.campaign), now=lambda: NOW)  # type: ignore[arg-type]
    await daemon.sender.close()
    sender = daemon.focal_digest
    fl = FocalList(AgencyFigures("SNV", "Sở Nội vụ", 1, "_province"), (), ())
    link = focal_digest.agency_link(sender.public_url, s.campaign.name, 7)
    return focal_mail(fl, title="t", lang="vi", now=NOW, tz=s.campaign.timezone, link=link, contact="").text


async def observe_delivery_proof(s: Setup) -> Any:
    """Whether the sender asks the relay for success DSNs for this campaign's mail."""
    cache = ComposerCache(ClaimStore(s.campaign), "")  # type: ignore[arg-type]
    await cache.get(1)
    return cache.notify_success(1)


async def observe_reply(s: Setup) -> Any:
    """What a human reply does to an invited respondent (SQLite store)."""
    store = Store(f"sqlite+aiosqlite:///{s.tmp / 'reply.db'}")
    await store.init_schema()
    try:
        at = datetime(2026, 11, 23, 9, 0, tzinfo=s.campaign.opens.tzinfo)
        cid = await store.create_campaign(s.campaign, s.campaign_text, at)
        await store.import_roster(cid, s.campaign.province, roster_rows(1), at, "r.csv")
        await plan_campaign(store, cid, s.campaign, False, at)
        claims = await store.claim("probe", 10, at, timedelta(minutes=5))
        await store.record_outcomes([SendOutcome(c, "sent", 250, "2.0.0 Ok") for c in claims], at)
        person = await store.respondent(cid, "user1@khanhhoa.test")
        reply = human_reply(person["token"], person["email"])
        await store.record_inbound(reply, folder="INBOX", uidvalidity=1, uid=1, now=at + timedelta(hours=1))
        after = await store.respondent(cid, person["email"])
        return len(claims), after["delivery"], after["completion"]
    finally:
        await store.close()


# --- the probes ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Probe:
    value: Any
    observe: Observer | None = None
    cli: bool = False  # observed through the CLI (synchronous, runs its own event loop)
    base: tuple[tuple[str, Any], ...] = ()  # other keys set in both files, so this one has an effect


CLI_BASE = (("daemon.allow_test_domains", True),)  # the roster of .test addresses is imported


DAEMON_PROBES: dict[str, Probe] = {
    "daemon.state_dir": Probe("/srv/maildaemon", observe_effective),
    "daemon.database_url": Probe("postgresql://maildaemon@db.local/maildaemon", observe_effective),
    "daemon.instance_name": Probe("daemon-b", observe_daemon),
    "daemon.log_format": Probe("json", cli=True, base=CLI_BASE),
    "daemon.log_level": Probe("WARNING", cli=True, base=CLI_BASE),
    "daemon.template_dir": Probe("<custom templates>", observe_sender),
    "daemon.language": Probe("en", cli=True, base=CLI_BASE),
    "daemon.secrets_file": Probe("<secrets file>", observe_effective),
    "daemon.allow_test_domains": Probe(False, cli=True, base=CLI_BASE),
    "smtp.host": Probe("relay.khanhhoa.gov.vn", observe_relay),
    "smtp.port": Probe(587, observe_relay),
    "smtp.security": Probe("tls", observe_relay),
    "smtp.tls_verify": Probe(False, observe_relay),
    "smtp.ca_file": Probe("<ca file>", observe_relay),
    "smtp.username": Probe("khaosat", observe_relay),
    "smtp.helo_name": Probe("mail.snv.khanhhoa.gov.vn", observe_relay),
    "smtp.timeout_s": Probe(5.0, observe_relay),
    "smtp.connections": Probe(8, observe_relay),
    "smtp.per_domain_concurrency": Probe(1, observe_sender),
    "smtp.per_domain_rate_per_min": Probe(60.0, observe_sender),
    "smtp.messages_per_connection": Probe(1, observe_relay),
    "smtp.batch_size": Probe(50, observe_sender),
    "smtp.record_every": Probe(5, observe_sender),
    "smtp.lease_s": Probe(60.0, observe_sender),
    "smtp.retry_base_s": Probe(30.0, observe_sender),
    "smtp.retry_max_delay_s": Probe(600.0, observe_sender),
    "smtp.retry_max_age_h": Probe(24.0, observe_sender),
    "imap.enabled": Probe(True, observe_daemon),
    "imap.host": Probe("imap.khanhhoa.gov.vn", observe_imap_connection),
    "imap.port": Probe(1993, observe_imap_connection),
    "imap.security": Probe("none", observe_imap_connection),
    "imap.tls_verify": Probe(False, observe_imap_connection),
    "imap.ca_file": Probe("<ca file>", observe_imap_connection),
    "imap.username": Probe("bounces@survey.test", observe_imap_connection),
    "imap.folder": Probe("Bounces", observe_watching),
    "imap.poll_interval_s": Probe(15.0, observe_watching),
    "imap.idle": Probe(False, observe_watching),
    "imap.move": Probe(False, observe_watching),
    "imap.fetch_batch": Probe(3, observe_watching),
    "imap.classify_workers": Probe(0, observe_imap_connection),
    "imap.folders.bounces": Probe("Trả lại", observe_watching),
    "imap.folders.autoreplies": Probe("Tự động", observe_watching),
    "imap.folders.replies": Probe("Trả lời", observe_watching),
    "imap.folders.unattributed": Probe("Khác", observe_watching),
    "checker.nameservers": Probe(["127.0.0.1:5353"], observe_checker),
    "checker.smtp_port": Probe(2526, observe_checker),
    "checker.helo_name": Probe("probe.snv.khanhhoa.gov.vn", observe_checker),
    "checker.connect_timeout_s": Probe(3.0, observe_checker),
    "checker.command_timeout_s": Probe(7.0, observe_checker),
    "checker.per_mx_concurrency": Probe(1, observe_checker),
    "checker.per_mx_min_gap_s": Probe(2.0, observe_checker),
    "checker.catch_all_check": Probe(False, observe_checker),
    "checker.cache_ttl_h": Probe(1.0, observe_checker),
    "checker.tls_verify": Probe(False, observe_checker),
    "checker.ca_file": Probe("<ca file>", observe_checker),
    "loops.planner_interval_s": Probe(10.0, observe_daemon),
    "loops.sender_interval_s": Probe(1.0, observe_daemon),
    "http.enabled": Probe(True, observe_daemon),
    "http.listen": Probe("127.0.0.1:8026", observe_daemon, base=(("http.enabled", True),)),
    "web.enabled": Probe(True, observe_daemon_console),
    "web.listen": Probe("127.0.0.1:9443", observe_daemon_console, base=(("web.enabled", True),)),
    "web.session_minutes": Probe(60.0, observe_console),
    "web.secure_cookies": Probe(True, observe_console),
    "web.lockout_after": Probe(3, observe_console),
    "web.lockout_minutes": Probe(30.0, observe_console),
    "web.public_url": Probe("https://khaosat.snv.khanhhoa.gov.vn", observe_focal_link),
}

CAMPAIGN_PROBES: dict[str, Probe] = {
    "name": Probe("sipas2026-khanhhoa", observe_compose),
    "title": Probe("Khảo sát SIPAS năm 2026", observe_compose),
    "survey_kind": Probe("SIPAS", observe_compose),
    "survey_url": Probe("https://sipas.khanhhoa.test/s/{token}", observe_compose),
    "opens": Probe(datetime(2026, 11, 25, 8, 0), observe_schedule),
    "closes": Probe(datetime(2026, 12, 20, 17, 0), observe_compose),
    "timezone": Probe("Asia/Tokyo", observe_schedule),
    "language": Probe("en", observe_compose),
    "template_set": Probe("sipas", observe_compose),
    "organization": Probe("UBND tỉnh Khánh Hòa", observe_compose),
    "province": Probe("Tỉnh Ninh Thuận", cli=True, base=CLI_BASE),
    "contact": Probe("Văn phòng UBND tỉnh — ĐT 0258 3822 000", observe_compose),
    "operators": Probe([], observe_digest),
    "digest_hour": Probe(8, observe_digest),
    "focal_digest_days": Probe(["tue"], observe_focal_digest),
    "focal_digest_hour": Probe(14, observe_focal_digest),
    "reply_counts_as_completion": Probe(True, observe_reply),
    "delivery_proof": Probe(True, observe_delivery_proof),
    "sender.name": Probe("Văn phòng UBND tỉnh", observe_compose),
    "sender.address": Probe("vanphong@survey.test", observe_compose),
    "sender.reply_to": Probe("cchc@snv.khanhhoa.test", observe_compose),
    "sender.bounce_domain": Probe("bounce.survey.test", observe_compose),
    "sender.bounce_prefix": Probe("khaosat", observe_compose),
    "sender.reply_prefix": Probe("traloi", observe_compose),
    "window.weekdays": Probe(["mon", "wed", "fri"], observe_schedule),
    "window.start": Probe(time(7, 30), observe_schedule),
    "window.end": Probe(time(11, 30), observe_schedule),
    "window.holidays": Probe([date(2026, 12, 2)], observe_schedule),  # inside the campaign
    "reminders.offsets_days": Probe([2, 5], observe_schedule),
    "reminders.max": Probe(1, observe_schedule),
    "reminders.final_before_close_hours": Probe(0, observe_schedule),
    "retention_days": Probe(30, observe_retention),
}


def test_every_documented_key_has_a_probe() -> None:
    documented = set(documented_keys(DAEMON_EXAMPLE))
    assert documented - set(DAEMON_PROBES) - set(ELSEWHERE) == set(), "documented keys without a probe"
    assert (set(DAEMON_PROBES) | set(ELSEWHERE)) - documented == set(), "probes for undocumented keys"
    assert set(documented_keys(CAMPAIGN_EXAMPLE)) == set(CAMPAIGN_PROBES)


@pytest.fixture(scope="module")
def ca_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tests.support.smtpservers import make_certs

    return make_certs(tmp_path_factory.mktemp("ca")).ca_file


@pytest.fixture(scope="module")
def template_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped templates, a named set ``sipas`` and a different wording as a custom template_dir."""
    root = tmp_path_factory.mktemp("tpl") / "templates"
    shutil.copytree(TEMPLATES, root)
    shutil.copytree(TEMPLATES / "vi", root / "sipas" / "vi")
    (root / "sipas" / "vi" / "invitation.subject.txt").write_text("Phiếu SIPAS\n", encoding="utf-8")
    custom = root.parent / "custom"
    shutil.copytree(TEMPLATES, custom)
    for language in ("vi", "en"):
        (custom / language / "invitation.subject.txt").write_text("Custom subject\n", encoding="utf-8")
    return root


def make_setup(tmp: Path, ca: Path, templates: Path, edits: tuple[tuple[str, Any], ...]) -> Setup:
    """The example files with ``edits`` (dotted key, value) applied, loaded as the daemon loads them."""
    tmp.mkdir(parents=True, exist_ok=True)
    placeholders = {"<ca file>": str(ca), "<custom templates>": str(templates.parent / "custom")}
    daemon_text = with_value(
        DAEMON_EXAMPLE.read_text(encoding="utf-8"), "daemon.state_dir", str(tmp / "state")
    )
    campaign_text = CAMPAIGN_EXAMPLE.read_text(encoding="utf-8")
    for key, value in edits:
        if value == "<secrets file>":
            (tmp / "secrets.toml").write_text('smtp_password = "from-the-secrets-file"\n')
            value = str(tmp / "secrets.toml")
        value = placeholders.get(value, value) if isinstance(value, str) else value
        if key in DAEMON_PROBES or key in ELSEWHERE:
            daemon_text = with_value(daemon_text, key, value)
        else:
            campaign_text = with_value(campaign_text, key, value)
    cfg_path, campaign_path = tmp / "maildaemon.toml", tmp / "campaign.toml"
    cfg_path.write_text(daemon_text, encoding="utf-8")
    campaign_path.write_text(campaign_text, encoding="utf-8")
    (tmp / "state").mkdir(exist_ok=True)
    return Setup(
        cfg=load_config(cfg_path, env={}),
        cfg_path=cfg_path,
        campaign=campaign_from_text(campaign_text, str(campaign_path)),
        campaign_text=campaign_text,
        campaign_path=campaign_path,
        tmp=tmp,
        ca_file=ca,
        template_root=templates,
    )


ALL = {**DAEMON_PROBES, **CAMPAIGN_PROBES}


def _differs(base: Setup, changed: Setup, key: str) -> None:
    if key in DAEMON_PROBES:
        assert base.cfg != changed.cfg, f"{key}: the typed config did not change"
    else:
        assert base.campaign != changed.campaign, f"{key}: the campaign did not change"


@pytest.mark.parametrize("key", sorted(k for k, p in ALL.items() if not p.cli))
async def test_the_key_changes_what_its_component_does(
    key: str, tmp_path: Path, ca_file: Path, template_root: Path
) -> None:
    probe = ALL[key]
    assert probe.observe is not None
    base = make_setup(tmp_path / "base", ca_file, template_root, probe.base)
    changed = make_setup(tmp_path / "changed", ca_file, template_root, (*probe.base, (key, probe.value)))
    _differs(base, changed, key)
    assert await probe.observe(base) != await probe.observe(changed), f"{key} changed nothing observable"


@pytest.mark.parametrize("key", sorted(k for k, p in ALL.items() if p.cli))
def test_the_key_changes_what_the_cli_does(
    key: str, tmp_path: Path, ca_file: Path, template_root: Path
) -> None:
    probe = ALL[key]
    base = make_setup(tmp_path / "base", ca_file, template_root, probe.base)
    changed = make_setup(tmp_path / "changed", ca_file, template_root, (*probe.base, (key, probe.value)))
    _differs(base, changed, key)
    before, after = observe_cli(base), observe_cli(changed)
    assert before[0][:2] == [0, 0] and after[0][:2] == [0, 0], (before[0], after[0])
    assert before != after, f"{key} changed nothing the CLI does"
