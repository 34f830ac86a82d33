"""The IMAP watcher against the real Dovecot of the mail stack: real Postfix DSNs, moves, restarts,
UIDVALIDITY changes, odd messages, IDLE, TLS and a refused login. Each test has its own fresh mailbox."""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import os
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from typing import Any

import aiosmtplib
import pytest

from maildaemon.config import ImapConfig, Secret
from maildaemon.core.retry import RetryPolicy
from maildaemon.errors import PermanentError, TransientError
from maildaemon.inbound import imap_session
from maildaemon.inbound.classify import Verdict, classify
from maildaemon.inbound.classifypool import ClassifierPool
from maildaemon.inbound.sink import InboundResult
from maildaemon.inbound.watcher import Watcher
from maildaemon.outbound.planner import plan_campaign
from maildaemon.store import SendOutcome, Store
from tests.support.factories import MONDAY_10, make_campaign, roster_rows
from tests.support.mails import autoreply_vi, human_reply, postfix_dsn
from tests.support.mailstack import MailStack

FOLDERS = ("maildaemon/bounces", "maildaemon/auto-replies", "maildaemon/replies", "maildaemon/unattributed")
OUTCOME = {
    "bounce": "bounces",
    "delay": "bounces",
    "delivered": "bounces",
    "autoreply": "autoreplies",
    "reply": "replies",
}
FAST_BACKOFF = RetryPolicy(
    base=timedelta(milliseconds=50), max_delay=timedelta(milliseconds=500), max_age=timedelta(days=1)
)


def now() -> datetime:
    return datetime.now(UTC)


def new_token() -> str:
    return base64.b32encode(os.urandom(20)).decode().lower()[:26]


class MemorySink:
    """The sink's contract in memory: classify, dedupe by content hash, remember the mailbox state."""

    def __init__(self) -> None:
        self.state: dict[str, tuple[int, int]] = {}
        self.known: dict[str, InboundResult] = {}
        self.calls: list[tuple[int, str]] = []  # (uid, content hash) of every record_inbound call
        self.saves: list[tuple[int, int]] = []
        self.fail: Callable[[bytes], bool] = lambda raw: False
        self.before: Callable[[bytes], Awaitable[None]] | None = None

    async def mailbox_state(self, folder: str) -> tuple[int, int] | None:
        return self.state.get(folder)

    async def save_mailbox_state(self, folder: str, uidvalidity: int, last_uid: int, now: datetime) -> None:
        self.state[folder] = (uidvalidity, last_uid)
        self.saves.append((uidvalidity, last_uid))

    async def record_inbound(
        self, raw: bytes, *, folder: str, uidvalidity: int, uid: int, now: datetime
    ) -> InboundResult:
        digest = hashlib.sha256(raw).hexdigest()
        self.calls.append((uid, digest))
        if self.before is not None:
            await self.before(raw)
        if self.fail(raw):
            raise RuntimeError("sink refuses this one")
        if digest in self.known:
            seen = self.known[digest]
            return InboundResult(seen.outcome, True, seen.kind, None)
        kind = classify(raw).kind
        result = InboundResult(OUTCOME.get(kind, "unattributed"), False, kind, None)
        self.known[digest] = result
        return result

    def kinds(self) -> list[str]:
        return sorted(r.kind for r in self.known.values())


def imap_cfg(ms: MailStack, user: str, **kw: object) -> ImapConfig:
    settings: dict[str, object] = {
        "host": ms.host,
        "port": ms.imap_port,
        "security": "starttls",
        "ca_file": str(ms.cafile),
        "username": user,
        "password": Secret(ms.password),
    }
    settings.update(kw)
    return ImapConfig(**settings)  # type: ignore[arg-type]


def counts(ms: MailStack, user: str, folder: str = "INBOX") -> dict[str, int]:
    return {f: ms.count(user, f) for f in (folder, *FOLDERS)}


async def until(cond: Callable[[], bool], what: str, within: float = 20) -> None:
    """Wait for a condition with a deadline (polling a cheap in-memory check)."""
    deadline = time.monotonic() + within
    while not cond():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {within} s waiting for {what}")
        await asyncio.sleep(0.02)


def plain(subject: str, body: str = "xin chào") -> bytes:
    return f"From: someone@elsewhere.test\r\nSubject: {subject}\r\n\r\n{body}\r\n".encode()


async def real_dsn(ms: MailStack, rcpt: str) -> bytes:
    """Send through the Postfix relay with our VERP sender; return the DSN Postfix sends back."""
    token = new_token()
    msg = EmailMessage()
    msg["From"] = "Sở Nội vụ <khaosat@survey.test>"
    msg["To"] = rcpt
    msg["Subject"] = "Khảo sát"
    msg["Message-ID"] = f"<md.{token}.invitation@survey.test>"
    msg["X-Survey-Token"] = token
    msg.set_content("Kính gửi Quý cơ quan")
    deadline = time.monotonic() + 90
    while True:  # a Dovecot restart elsewhere leaves Postfix's smtpd throttled for up to a minute
        try:
            await aiosmtplib.send(
                msg,
                sender=f"bounces+{token}@survey.test",
                recipients=[rcpt],
                **{**ms.smtp_settings(), "timeout": 10},
            )
            break
        except (aiosmtplib.SMTPConnectError, aiosmtplib.SMTPTimeoutError, aiosmtplib.SMTPServerDisconnected):
            if time.monotonic() > deadline:
                raise
        except aiosmtplib.SMTPAuthenticationError as exc:  # 454: Dovecot's auth service was restarting
            if exc.code // 100 != 4 or time.monotonic() > deadline:
                raise
    found = await ms.wait_for_messages(ms.bounce_user, 1, contains=token.encode(), timeout=60)
    return found[0]


# --- the everyday path -------------------------------------------------------------------------------------


async def test_real_dsns_autoreply_and_reply_are_recorded_and_moved(
    mailstack: MailStack, mailbox_user: Callable[..., str]
) -> None:
    user = mailbox_user()
    unknown, full = await asyncio.gather(
        real_dsn(mailstack, "unknown@khanhhoa.test"), real_dsn(mailstack, "full@khanhhoa.test")
    )
    token = new_token()
    raws = [unknown, full, autoreply_vi(token, "an@khanhhoa.test"), human_reply(token, "binh@khanhhoa.test")]
    for raw in raws:
        mailstack.deliver_raw(user, raw)
    sink = MemorySink()
    w = Watcher(imap_cfg(mailstack, user), sink, now=now)

    assert await w.run_once() == 4
    assert sink.kinds() == ["autoreply", "bounce", "bounce", "reply"]
    reasons = sorted(classify(r).reason for r in (unknown, full))
    assert reasons == ["mailboxfull", "userunknown"]
    assert counts(mailstack, user) == {
        "INBOX": 0,
        "maildaemon/bounces": 2,
        "maildaemon/auto-replies": 1,
        "maildaemon/replies": 1,
        "maildaemon/unattributed": 0,
    }
    moved = mailstack.fetch_all(user, "maildaemon/replies")
    assert moved == [raws[3]]  # moved intact, not re-encoded
    assert len(set(sink.calls)) == 4
    assert await w.run_once() == 0  # nothing new, nothing twice
    assert len(sink.calls) == 4


async def test_twice_without_moving_processes_nothing_twice(
    mailstack: MailStack, mailbox_user: Callable[..., str]
) -> None:
    user = mailbox_user()
    for i in range(7):
        mailstack.deliver_raw(user, plain(f"thư {i}"))
    sink = MemorySink()
    w = Watcher(imap_cfg(mailstack, user, move=False, fetch_batch=3), sink, now=now)
    assert await w.run_once() == 7
    assert [uid for uid, _ in sink.calls] == list(range(1, 8))
    assert [last for _, last in sink.saves] == [3, 6, 7]  # state saved after each batch
    assert await w.run_once() == 0
    mailstack.deliver_raw(user, plain("thư mới"))
    assert await w.run_once() == 1
    assert [uid for uid, _ in sink.calls] == list(range(1, 9))
    assert mailstack.count(user) == 8  # left in place, nothing deleted


async def test_moves_are_grouped_until_all_is_fetched_then_go_batch_by_batch(
    mailstack: MailStack, mailbox_user: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    user = mailbox_user()
    for i in range(12):
        mailstack.deliver_raw(user, plain(f"nhóm {i}"))
    moves: list[list[int]] = []
    last_fetched = asyncio.Event()
    real_move, real_fetch = imap_session.ImapSession.move, imap_session.ImapSession.fetch

    async def move(self: imap_session.ImapSession, uids: Sequence[int], folder: str) -> None:
        moves.append(list(uids))
        await real_move(self, uids, folder)

    async def fetch(self: imap_session.ImapSession, uids: Sequence[int]) -> dict[int, bytes]:
        got = await real_fetch(self, uids)
        if 12 in uids:
            last_fetched.set()
        return got

    async def before(raw: bytes) -> None:
        if "nhóm 8".encode() in raw:  # the fifth batch is recorded after the sixth (last) is fetched
            await last_fetched.wait()

    monkeypatch.setattr(imap_session.ImapSession, "move", move)
    monkeypatch.setattr(imap_session.ImapSession, "fetch", fetch)
    sink = MemorySink()
    sink.before = before
    w = Watcher(imap_cfg(mailstack, user, fetch_batch=2), sink, now=now, move_group=100)
    assert await w.run_once() == 12
    # the group never reached 100 messages, yet the pass does not end with one large MOVE: once all is
    # fetched, each batch is moved as soon as it is recorded
    assert moves == [list(range(1, 11)), [11, 12]]
    assert mailstack.count(user) == 0


async def test_copy_fallback_without_move_capability(
    mailstack: MailStack, mailbox_user: Callable[..., str], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = imap_session.parse_capabilities
    monkeypatch.setattr(imap_session, "parse_capabilities", lambda lines: real(lines) - {"MOVE"})
    user = mailbox_user()
    token = new_token()
    mailstack.deliver_raw(user, human_reply(token, "an@khanhhoa.test"))
    mailstack.deliver_raw(user, plain("để lại"))
    sink = MemorySink()
    sink.fail = lambda raw: b"Subject: " in raw and "để lại".encode() in raw
    w = Watcher(imap_cfg(mailstack, user), sink, now=now)
    assert await w.run_once() == 1
    # UID COPY + \Deleted + UID EXPUNGE of exactly the moved UID: the refused message stays untouched
    assert mailstack.count(user) == 1 and mailstack.count(user, "maildaemon/replies") == 1
    client = mailstack.imap(user)
    try:
        client.select("INBOX", readonly=True)
        _, data = client.fetch("1:*", "(FLAGS)")
    finally:
        client.logout()
    assert len(data) == 1 and b"\\Deleted" not in data[0]


# --- with the real Store as the sink (SQLite and PostgreSQL) -------------------------------------------------


async def _invited(store: Store, n: int) -> tuple[int, list[dict[str, Any]]]:
    """A campaign whose ``n`` respondents were sent their invitation (the relay said 250)."""
    campaign, text = make_campaign()
    cid = await store.create_campaign(campaign, text, MONDAY_10)
    await store.import_roster(cid, "Tỉnh", roster_rows(n), MONDAY_10, "r.csv")
    await plan_campaign(store, cid, campaign, False, MONDAY_10)
    claims = await store.claim("w", 100, MONDAY_10, timedelta(minutes=5))
    await store.record_outcomes([SendOutcome(c, "sent", 250, "2.0.0 Ok") for c in claims], MONDAY_10)
    return cid, [await store.respondent(cid, f"user{i}@khanhhoa.test") for i in range(1, n + 1)]


@pytest.mark.parametrize("workers", [0, 1], ids=["in-process", "worker-process"])
async def test_store_sink_attributes_records_and_moves(
    mailstack: MailStack, mailbox_user: Callable[..., str], store: Store, workers: int
) -> None:
    cid, people = await _invited(store, 3)
    user = mailbox_user()
    raws = [
        postfix_dsn(people[0]["token"], people[0]["email"]),
        autoreply_vi(people[1]["token"], people[1]["email"]),
        human_reply(people[2]["token"], people[2]["email"]),
        plain("không liên quan"),
    ]
    for raw in raws:
        mailstack.deliver_raw(user, raw)
    mailstack.deliver_raw(user, raws[0])  # the same bounce twice: recorded once

    pool = ClassifierPool(workers, min_batch=1)
    from_workers: list[int] = []
    classify_in_pool = pool.classify

    async def spy(raws: Sequence[bytes]) -> list[tuple[Verdict, str]] | None:
        verdicts = await classify_in_pool(raws)
        if verdicts is not None:
            from_workers.append(len(verdicts))
        return verdicts

    pool.classify = spy  # type: ignore[method-assign]
    assert await pool.ready() == bool(workers)
    w = Watcher(imap_cfg(mailstack, user, fetch_batch=2), store, now=lambda: MONDAY_10, pool=pool)
    assert await w.run_once() == 5
    assert sum(from_workers) == (
        5 if workers else 0
    )  # every batch classified by the worker when there is one
    assert await w.run_once() == 0
    assert (await store.mailbox_state("INBOX") or (0, 0))[1] == 5
    assert counts(mailstack, user) == {
        "INBOX": 0,
        "maildaemon/bounces": 2,
        "maildaemon/auto-replies": 1,
        "maildaemon/replies": 1,
        "maildaemon/unattributed": 1,
    }
    states = [await store.respondent(cid, p["email"]) for p in people]
    assert [s["delivery"] for s in states] == ["bounced", "delivered", "delivered"]
    assert states[1]["completion"] == "away"
    assert len(await store.inbound_list()) == 4
    assert [r.subject for r in await store.inbound_list(unattributed=True)] == ["không liên quan"]


async def test_serving_with_a_worker_process_records_everything_once_and_stops_cleanly(
    mailstack: MailStack, mailbox_user: Callable[..., str], store: Store
) -> None:
    cid, people = await _invited(store, 30)
    user = mailbox_user()
    for i in range(120):  # bounces, auto-replies and replies of 30 people, each message distinct
        p = people[i % 30]
        raw = (postfix_dsn, autoreply_vi, human_reply)[i % 3](p["token"], p["email"])
        mailstack.deliver_raw(user, raw.replace(b"\r\n\r\n", f"\r\nX-Seq: {i}\r\n\r\n".encode(), 1))
    pool = ClassifierPool(1, min_batch=1)
    stop = asyncio.Event()
    w = Watcher(imap_cfg(mailstack, user, fetch_batch=25, idle=False, poll_interval_s=0.1), store,
                now=lambda: MONDAY_10, pool=pool)  # fmt: skip
    task = asyncio.create_task(w.serve(stop))
    try:
        await until(lambda: task.done() or pool._executor is not None, "the worker process started")
        state: list[tuple[int, int] | None] = [None]

        async def progress() -> bool:
            state[0] = await store.mailbox_state("INBOX")
            return state[0] is not None and state[0][1] == 120

        deadline = time.monotonic() + 60
        while not await progress():  # the watcher saves the UID state after its moves
            assert not task.done(), task
            assert time.monotonic() < deadline, f"stuck at {state[0]}"
            await asyncio.sleep(0.05)
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
    assert pool._executor is None  # the worker went away with the watcher
    assert len(await store.inbound_list(limit=1000)) == 120  # each once
    assert counts(mailstack, user)["INBOX"] == 0
    states = [await store.respondent(cid, p["email"]) for p in people]
    assert all(s["delivery"] in ("bounced", "delivered") for s in states)


# --- failures ------------------------------------------------------------------------------------------------


async def test_uidvalidity_change_rescans_without_processing_twice(
    mailstack: MailStack, mailbox_user: Callable[..., str]
) -> None:
    user = mailbox_user()
    raws = [plain(f"uv {i}") for i in range(3)]
    for raw in raws:
        mailstack.deliver_raw(user, raw, folder="watch")
    sink = MemorySink()
    w = Watcher(imap_cfg(mailstack, user, folder="watch", move=False), sink, now=now)
    assert await w.run_once() == 3
    old_validity = sink.state["watch"][0]

    assert mailstack.doveadm("mailbox", "delete", "-u", user, "watch").returncode == 0
    for raw in [*raws, plain("uv new")]:
        mailstack.deliver_raw(user, raw, folder="watch")
    assert await w.run_once() == 4  # rescanned from UID 1
    assert sink.state["watch"][0] != old_validity and sink.state["watch"][1] == 4
    assert len(sink.known) == 4  # the three re-delivered ones were duplicates
    assert await w.run_once() == 0


async def test_odd_messages_never_stop_the_watcher(
    mailstack: MailStack, mailbox_user: Callable[..., str]
) -> None:
    user = mailbox_user()
    big = base64.encodebytes(os.urandom(10 * 1024 * 1024)).replace(b"\n", b"\r\n")
    odd = [
        b'From: x@y.test\r\nSubject: truncated\r\nContent-Type: multipart/mixed; boundary="zz"\r\n\r\n--zz\r\n'
        b"Content-Type: text/plain\r\n\r\nhalf a mess",
        b"From: x@y.test\r\nSubject: charset\r\nContent-Type: text/plain; charset=x-klingon-42\r\n\r\n\xfe\xff\x00\r\n",
        "From: Nguyễn Văn Ân <an@khanhhoa.test>\r\nSubject: Trả lời tự động: vắng mặt\r\n\r\nTôi vắng mặt.\r\n".encode(),
        b'From: x@y.test\r\nSubject: big\r\nContent-Type: multipart/mixed; boundary="b"\r\n\r\n--b\r\n'
        b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + big
        + b"\r\n--b--\r\n",
        b"",
    ]
    for raw in odd:
        mailstack.deliver_raw(user, raw or b"\r\n")
    mailstack.deliver_raw(user, plain("refused by the sink"))
    mailstack.deliver_raw(user, plain("after the refused one"))
    sink = MemorySink()
    sink.fail = lambda raw: b"refused by the sink" in raw
    w = Watcher(imap_cfg(mailstack, user, fetch_batch=4), sink, now=now)

    assert await w.run_once() == 6
    assert [u for u, _ in sink.calls].count(6) == 1  # tried once in this run, not in a loop
    assert sink.state["INBOX"][1] == 5  # not advanced past the refused message
    assert mailstack.count(user) == 1  # it stays in place; the one after it was moved
    assert sum(counts(mailstack, user).values()) == 7

    sink.fail = lambda raw: False  # the store is fine again: the next run takes it
    assert await w.run_once() == 1
    assert sink.state["INBOX"][1] == 6 and mailstack.count(user) == 0
    assert any(len(r) > 10_000_000 for r in mailstack.fetch_all(user, "maildaemon/unattributed"))


# --- IDLE and polling ---------------------------------------------------------------------------------------


async def test_idle_wakes_the_watcher_when_mail_arrives(
    mailstack: MailStack, mailbox_user: Callable[..., str]
) -> None:
    user = mailbox_user()
    mailstack.deliver_raw(user, plain("first"))
    sink = MemorySink()
    stop = asyncio.Event()
    # a poll interval far beyond the deadline: only IDLE can bring the second message in time
    w = Watcher(imap_cfg(mailstack, user, poll_interval_s=3600), sink, now=now)
    task = asyncio.create_task(w.serve(stop))
    try:
        await until(lambda: len(sink.known) == 1, "the first message")
        mailstack.deliver_raw(user, plain("second"))
        await until(lambda: len(sink.known) == 2, "the second message, via IDLE", within=10)
        await until(lambda: mailstack.count(user) == 0, "both moved")
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)  # stop is prompt even while idling
    assert task.done() and task.exception() is None


async def test_polling_alone_is_correct_and_stops_promptly(
    mailstack: MailStack, mailbox_user: Callable[..., str]
) -> None:
    user = mailbox_user()
    sink = MemorySink()
    stop = asyncio.Event()
    w = Watcher(imap_cfg(mailstack, user, idle=False, poll_interval_s=0.2), sink, now=now)
    task = asyncio.create_task(w.serve(stop))
    try:
        for i in range(3):
            mailstack.deliver_raw(user, plain(f"poll {i}"))
            await until(lambda i=i: len(sink.known) == i + 1, f"poll message {i}")
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)  # stops at once, not after a poll interval or a timeout


async def test_serve_retries_while_the_server_is_unreachable(
    mailstack: MailStack, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="maildaemon.inbound.watcher")
    stop = asyncio.Event()
    cfg = imap_cfg(mailstack, "nobody@khanhhoa.test", port=1, security="none")
    w = Watcher(cfg, MemorySink(), now=now, backoff=FAST_BACKOFF)
    with pytest.raises(TransientError, match="127.0.0.1:1"):
        await w.run_once()
    task = asyncio.create_task(w.serve(stop))
    try:
        await until(
            lambda: sum("watcher.retry attempt=" in r.message for r in caplog.records) >= 3, "3 retries"
        )
        assert not task.done()
    finally:
        stop.set()
        await asyncio.wait_for(task, 5)


# --- TLS and login ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("security", ["tls", "starttls"])
async def test_tls_verified_against_the_stack_ca(
    mailstack: MailStack, mailbox_user: Callable[..., str], security: str
) -> None:
    user = mailbox_user()
    mailstack.deliver_raw(user, plain("tls"))
    port = mailstack.imaps_port if security == "tls" else mailstack.imap_port
    sink = MemorySink()
    assert (
        await Watcher(imap_cfg(mailstack, user, security=security, port=port), sink, now=now).run_once() == 1
    )
    # without the stack's CA the throw-away certificate is not trusted
    untrusted = imap_cfg(mailstack, user, security=security, port=port, ca_file="")
    with pytest.raises(PermanentError, match="certificate"):
        await Watcher(untrusted, MemorySink(), now=now).run_once()


async def test_wrong_password_is_permanent_and_never_shown(
    mailstack: MailStack, mailbox_user: Callable[..., str], caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    user = mailbox_user()
    password = "Wr0ng-Pässwörd-7781"
    cfg = imap_cfg(mailstack, user, password=Secret(password), security="none")
    with pytest.raises(PermanentError) as info:
        await Watcher(cfg, MemorySink(), now=now).run_once()
    text = str(info.value)
    assert user in text and mailstack.host in text and str(mailstack.imap_port) in text
    chain: BaseException | None = info.value
    while chain is not None:
        assert password not in str(chain) and password not in repr(chain)
        chain = chain.__cause__ or chain.__context__
    assert password not in caplog.text


# --- last in the file: restarting Dovecot makes Postfix's relay refuse AUTH for a while -------------------


async def test_dovecot_restart_mid_run_loses_nothing_and_repeats_only_the_open_batches(
    mailstack: MailStack, mailbox_user: Callable[..., str]
) -> None:
    user = mailbox_user()
    raws = [plain(f"restart {i}") for i in range(8)]
    for raw in raws:
        mailstack.deliver_raw(user, raw)
    sink = MemorySink()
    restarted = False

    async def restart_once(raw: bytes) -> None:
        nonlocal restarted
        if not restarted and len(sink.calls) == 4:  # the second message of the second batch
            restarted = True
            await asyncio.to_thread(mailstack.restart_dovecot)

    sink.before = restart_once
    stop = asyncio.Event()
    # moves (and the saved UID state) after every batch here, so what repeats is exactly what was open
    w = Watcher(imap_cfg(mailstack, user, fetch_batch=3, poll_interval_s=0.1, idle=False), sink, now=now,
                backoff=FAST_BACKOFF, move_group=3)  # fmt: skip
    task = asyncio.create_task(w.serve(stop))
    try:
        await until(
            lambda: len(sink.known) == 8 and sink.state.get("INBOX", (0, 0))[1] == 8, "all 8 recorded"
        )
        await until(lambda: mailstack.count(user) == 0, "inbox emptied")
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)
    assert restarted
    assert {h for _, h in sink.calls} == {hashlib.sha256(r).hexdigest() for r in raws}
    repeated = [uid for uid in {u for u, _ in sink.calls} if [u for u, _ in sink.calls].count(uid) > 1]
    # only the batches that were open when Dovecot went away: the one being recorded and the next,
    # already fetched (a batch's moves overlap the next batch's recording)
    assert set(repeated) <= {4, 5, 6, 7, 8}
    assert sum(counts(mailstack, user).values()) == 8  # moved once each: nothing lost, nothing doubled
