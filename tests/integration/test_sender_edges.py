"""The sender against purpose-built aiosmtpd relays: TLS, AUTH, rejections at each stage, a dropped
connection, a relay without DSN and a relay that is down. Every answer ends in a recorded state."""

from __future__ import annotations

import ssl
import subprocess
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session

from maildaemon.config import Config, DaemonConfig, Secret, SmtpConfig
from maildaemon.intake.roster import RosterRow
from maildaemon.outbound.mailer import RelayPool
from maildaemon.outbound.planner import plan_campaign
from maildaemon.outbound.sender import Sender
from maildaemon.store import Store
from tests.support.factories import MONDAY_10, make_campaign
from tests.support.relay import free_port

PASSWORD = "relay-pa55word-xyz"


@dataclass
class Relay:
    """Collects what it receives; its answers depend on the recipient's local part."""

    messages: list[Envelope] = field(default_factory=list)
    mail_options: list[list[str]] = field(default_factory=list)
    rcpt_options: list[list[str]] = field(default_factory=list)

    async def handle_MAIL(self, server: Any, session: Session, envelope: Envelope, address: str,
                          mail_options: list[str]) -> str:  # fmt: skip
        self.mail_options.append(list(mail_options))
        envelope.mail_from = address
        return "250 OK"

    async def handle_RCPT(self, server: Any, session: Session, envelope: Envelope, address: str,
                          rcpt_options: list[str]) -> str:  # fmt: skip
        self.rcpt_options.append(list(rcpt_options))
        local = address.split("@")[0]
        if local.startswith("unknown"):
            return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"
        if local.startswith("later"):
            return f"450 4.7.1 <{address}>: Recipient address rejected: greylisted, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        rcpt = envelope.rcpt_tos[0]
        if rcpt.startswith("spam"):
            return "554 5.7.1 Message rejected: content looks like spam"
        if rcpt.startswith("drop"):
            server.transport.abort()  # the connection dies before the final reply
            return "250 never seen"
        self.messages.append(envelope)
        return "250 2.0.0 Ok: queued as 1234"


def _authenticator(
    server: Any, session: Session, envelope: Envelope, mechanism: str, auth_data: Any
) -> AuthResult:
    ok = isinstance(auth_data, LoginPassword) and auth_data.password == PASSWORD.encode()
    return AuthResult(success=ok, handled=False)


@pytest.fixture(scope="module")
def cert(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(
        ["openssl", "req", "-x509", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-days", "2", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
         "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    return d / "cert.pem", d / "key.pem"


@pytest.fixture
def relay(request: pytest.FixtureRequest, cert: tuple[Path, Path]) -> Iterator[tuple[Relay, int]]:
    """A relay on a free loopback port; parametrise with "tls" for STARTTLS + required AUTH."""
    mode = getattr(request, "param", "plain")
    handler = Relay()
    kwargs: dict[str, Any] = {}
    if mode == "tls":
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ctx.load_cert_chain(*cert)
        kwargs = {"tls_context": ctx, "require_starttls": True, "authenticator": _authenticator,
                  "auth_required": True, "auth_require_tls": True}  # fmt: skip
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port, **kwargs)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[Store]:
    s = Store(f"sqlite+aiosqlite:///{tmp_path / 'md.db'}")
    await s.init_schema()
    yield s
    await s.close()


async def _run(store: Store, port: int, emails: list[str], **smtp: Any) -> tuple[Sender, int]:
    campaign, text = make_campaign()
    cid = await store.create_campaign(campaign, text, MONDAY_10)
    rows = [RosterRow(line=i + 2, email=e, full_name="Trần Văn Đức", agency_name="Sở Nội vụ", agency_code="SNV")
            for i, e in enumerate(emails)]  # fmt: skip
    await store.import_roster(cid, "Tỉnh Khánh Hòa", rows, MONDAY_10, "r.csv")
    await plan_campaign(store, cid, campaign, False, MONDAY_10)
    cfg = Config(daemon=DaemonConfig(), smtp=SmtpConfig(**{"host": "127.0.0.1", "port": port, "security": "none",
                                                          "timeout_s": 10.0, **smtp}))  # fmt: skip
    sender = Sender(store, cfg, "t", now=lambda: MONDAY_10)
    await sender.run_once()
    await sender.close()
    return sender, cid


async def _state(store: Store, cid: int, email: str) -> str:
    return str((await store.respondent(cid, email))["delivery"])


async def test_each_answer_is_recorded(store: Store, relay: tuple[Relay, int]) -> None:
    handler, port = relay
    emails = ["ok1@snv.test", "unknown1@snv.test", "later1@snv.test", "spam1@snv.test", "ok2@snv.test"]
    sender, cid = await _run(store, port, emails)
    assert [await _state(store, cid, e) for e in emails] == ["sent", "bounced", "deferred", "bounced", "sent"]
    unknown = await store.respondent(cid, "unknown1@snv.test")
    assert (unknown["reason"], unknown["hard_bounce"]) == ("userunknown", True)
    spam = await store.respondent(cid, "spam1@snv.test")
    assert spam["reason"] in ("spamdetected", "contenterror", "policyviolation") and not spam["hard_bounce"]
    assert sorted(e.rcpt_tos[0] for e in handler.messages) == ["ok1@snv.test", "ok2@snv.test"]
    # a relay without DSN gets no DSN options (aiosmtpd would refuse them)
    assert all(opts == [] for opts in handler.mail_options)
    # the relay's reply is on the event log
    events = await store.events(email="later1@snv.test")
    assert any("greylisted" in e.detail for e in events)
    msg = handler.messages[0]
    assert msg.mail_from.startswith("bounces+") and msg.mail_from.endswith("@survey.test")


async def test_deferred_message_is_retried_and_then_sent(store: Store, relay: tuple[Relay, int]) -> None:
    handler, port = relay
    sender, cid = await _run(store, port, ["later2@snv.test"])
    claims = await store.claim("t", 10, MONDAY_10 + timedelta(hours=3), timedelta(minutes=5))
    assert [c.email for c in claims] == ["later2@snv.test"] and claims[0].attempts == 1
    await store.release("t", [c.outbox_id for c in claims], MONDAY_10)


async def test_dropped_connection_mid_data_is_deferred(store: Store, relay: tuple[Relay, int]) -> None:
    handler, port = relay
    sender, cid = await _run(store, port, ["drop1@snv.test", "ok3@snv.test"], connections=1)
    assert await _state(store, cid, "drop1@snv.test") == "deferred"
    assert await _state(store, cid, "ok3@snv.test") == "sent"


@pytest.mark.parametrize("relay", ["tls"], indirect=True)
async def test_starttls_verified_and_auth(
    store: Store, relay: tuple[Relay, int], cert: tuple[Path, Path]
) -> None:
    handler, port = relay
    sender, cid = await _run(store, port, ["ok4@snv.test"], security="starttls", ca_file=str(cert[0]),
                             username="khaosat", password=Secret(PASSWORD))  # fmt: skip
    assert await _state(store, cid, "ok4@snv.test") == "sent"
    assert len(handler.messages) == 1


@pytest.mark.parametrize("relay", ["tls"], indirect=True)
async def test_unverifiable_certificate_is_refused(store: Store, relay: tuple[Relay, int]) -> None:
    handler, port = relay  # the relay's certificate is not signed by any CA we trust
    sender, cid = await _run(store, port, ["ok5@snv.test"], security="starttls", username="khaosat",
                             password=Secret(PASSWORD))  # fmt: skip
    assert await _state(store, cid, "ok5@snv.test") == "deferred"
    assert handler.messages == []
    assert any("certificate" in e.detail.lower() for e in await store.events(email="ok5@snv.test"))


@pytest.mark.parametrize("relay", ["tls"], indirect=True)
async def test_refused_auth_defers_and_hides_the_password(
    store: Store, relay: tuple[Relay, int], cert: tuple[Path, Path], caplog: pytest.LogCaptureFixture
) -> None:
    handler, port = relay
    wrong = "wrong-pa55-" + "q" * 8
    sender, cid = await _run(store, port, ["ok6@snv.test"], security="starttls", ca_file=str(cert[0]),
                             username="khaosat", password=Secret(wrong))  # fmt: skip
    assert await _state(store, cid, "ok6@snv.test") == "deferred"
    events = await store.events(email="ok6@snv.test")
    assert any("authentication" in e.detail for e in events)
    for text in [e.detail for e in events] + [caplog.text]:
        assert wrong not in text and PASSWORD not in text


async def test_relay_down_defers_everything_quickly(store: Store) -> None:
    port = free_port()  # nobody listens there
    sender, cid = await _run(store, port, [f"ok{i}@snv.test" for i in range(40)])
    assert sender.stats.deferred == 40 and sender.stats.sent == 0
    claims = await store.claim("t", 100, MONDAY_10 + timedelta(minutes=1), timedelta(minutes=5))
    assert claims == []  # nothing is due again before its backoff
    later = await store.claim("t", 100, MONDAY_10 + timedelta(hours=1), timedelta(minutes=5))
    assert len(later) == 40


async def test_relay_down_for_minutes_then_back(store: Store) -> None:
    """Deferred while the relay is down (retried on the backoff schedule), sent when it is back; none failed."""
    port = free_port()
    campaign, text = make_campaign()
    cid = await store.create_campaign(campaign, text, MONDAY_10)
    emails = [f"ok{i}@snv.test" for i in range(20)]
    rows = [RosterRow(line=i + 2, email=e, full_name="Bùi Văn Lộc") for i, e in enumerate(emails)]
    await store.import_roster(cid, "Tỉnh Khánh Hòa", rows, MONDAY_10, "r.csv")
    await plan_campaign(store, cid, campaign, False, MONDAY_10)
    clock = [MONDAY_10]
    cfg = Config(daemon=DaemonConfig(), smtp=SmtpConfig(host="127.0.0.1", port=port, security="none",
                                                        timeout_s=5.0, retry_base_s=60.0))  # fmt: skip
    # no fail-fast pause: each pass below stands for a loop run minutes later and tries the relay afresh
    sender = Sender(store, cfg, "t", now=lambda: clock[0], pool=RelayPool(cfg.smtp, down_pause_s=0.0))
    for minute in (0, 3, 9):  # the relay stays down for nine minutes
        clock[0] = MONDAY_10 + timedelta(minutes=minute)
        await sender.run_once()
    assert sender.stats.sent == 0 and sender.stats.failed == 0 and sender.stats.deferred >= 20
    handler = Relay()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        clock[0] = MONDAY_10 + timedelta(hours=1)
        await sender.run_once()
    finally:
        controller.stop()
        await sender.close()
    assert sender.stats.sent == 20 and sender.stats.failed == 0
    assert sorted(e.rcpt_tos[0] for e in handler.messages) == sorted(emails)
    assert {await _state(store, cid, e) for e in emails} == {"sent"}
