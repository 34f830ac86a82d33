"""IMAP in: read new mail from the bounce mailbox, hand each message to the sink (which classifies,
attributes and records it), move it to its folder, and remember how far we got (UIDVALIDITY, last UID).

Polling alone is correct; IDLE only makes it faster. Order: record, then move, then save the state, so
a crash in between re-reads a message and the sink's content-hash dedupe makes that harmless. Batches
are pipelined: the next ones are fetched (and, for the Store, classified in a worker process) while one
is recorded, and moves are grouped (MOVE_GROUP messages, or each batch once all are fetched) and overlap
recording.
"""

from __future__ import annotations

import asyncio
import base64
import collections
import logging
import random
import re
import ssl
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Protocol, TypeVar

import aioimaplib

from maildaemon.config import ImapConfig
from maildaemon.core.retry import RetryPolicy
from maildaemon.errors import PermanentError, TransientError
from maildaemon.inbound.classify import Verdict
from maildaemon.inbound.classifypool import ClassifierPool

log = logging.getLogger(__name__)

Classified = tuple[Verdict, str]  # a verdict and its stored JSON, from a classifier worker

OUTCOMES = ("bounces", "autoreplies", "replies", "unattributed")
COMMAND_TIMEOUT_S = 60.0  # per command; a FETCH's timer restarts with every chunk received
IDLE_RENEW_S = 25 * 60.0  # RFC 2177: re-issue IDLE before the server's 30-minute inactivity timeout
CLOSE_TIMEOUT_S = 5.0
PREFETCH_DEPTH = 2  # fetch batches in flight ahead of the one being recorded
# Processed messages whose moves are sent together (and at the end of each pass): fewer, larger MOVEs
# cost the server much less; a crash before them re-reads at most that many (deduplicated, harmless).
MOVE_GROUP = 2000
SINK_FAILURES_BEFORE_GIVING_UP = 5  # consecutive sink errors in one run: the store is down, stop the run
RECONNECT = RetryPolicy(
    base=timedelta(seconds=1), max_delay=timedelta(minutes=5), max_age=timedelta(days=3650), jitter=0.5
)

T = TypeVar("T")


# --- what the watcher and the store say to each other -------------------------------------------------


@dataclass(frozen=True, slots=True)
class InboundResult:
    """The sink's answer for one message: the key of ``ImapFolders`` to move it to, and whether the
    same content had been recorded before."""

    outcome: str  # bounces | autoreplies | replies | unattributed
    duplicate: bool
    kind: str
    respondent_id: int | None


class InboundOutcome(Protocol):
    """What the watcher reads from a sink's result (``InboundResult`` or the store's own)."""

    @property
    def outcome(self) -> str: ...

    @property
    def duplicate(self) -> bool: ...


class InboundSink(Protocol):
    """Where inbound mail goes: the Store in the daemon, an in-memory fake in tests."""

    async def mailbox_state(self, folder: str) -> tuple[int, int] | None: ...

    async def save_mailbox_state(
        self, folder: str, uidvalidity: int, last_uid: int, now: datetime
    ) -> None: ...

    async def record_inbound(
        self, raw: bytes, *, folder: str, uidvalidity: int, uid: int, now: datetime
    ) -> InboundOutcome: ...


# --- pure helpers: the protocol's text ------------------------------------------------------------------

_UIDVALIDITY_RE = re.compile(rb"\[UIDVALIDITY (\d+)\]", re.I)
_FETCH_RE = re.compile(rb"\d+ FETCH \(", re.I)
_UID_RE = re.compile(rb"\bUID (\d+)", re.I)
_LITERAL_RE = re.compile(rb"\{(\d+)\}$")
_LIST_DELIM_RE = re.compile(rb'\) (?:"((?:[^"\\]|\\.)*)"|NIL) ', re.I)
_CAPS_RE = re.compile(rb"\[CAPABILITY ([^\]]*)\]", re.I)
_EXISTS_RE = re.compile(rb"(?:\* )?\d+ EXISTS$")


def uid_set(uids: Iterable[int]) -> str:
    """Sorted UIDs as a compact IMAP sequence set: ``1:3,7,9:10``."""
    parts: list[str] = []
    ordered = sorted(set(uids))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}:{ordered[j]}")
        i = j + 1
    return ",".join(parts)


def parse_uidvalidity(lines: Sequence[Any]) -> int | None:
    for line in lines:
        if isinstance(line, bytes | bytearray):
            match = _UIDVALIDITY_RE.search(line)
            if match:
                return int(match.group(1))
    return None


def parse_search(lines: Sequence[Any]) -> list[int]:
    """UIDs from a SEARCH answer (aioimaplib strips ``* SEARCH``; the last line is the tagged text)."""
    uids: list[int] = []
    for line in lines[:-1]:
        if isinstance(line, bytes | bytearray):
            uids.extend(int(tok) for tok in line.split() if tok.isdigit())
    return uids


def parse_fetch(lines: Sequence[Any]) -> dict[int, bytes]:
    """``UID -> message`` from a ``UID FETCH (UID BODY.PEEK[])`` answer. The UID may come before or after
    the literal; items without a body (expunged meanwhile) are left out."""
    out: dict[int, bytes] = {}
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        i += 1
        if not isinstance(line, bytes) or not _FETCH_RE.match(line):
            continue
        uid_match = _UID_RE.search(line)
        body: bytes | None = None
        if _LITERAL_RE.search(line) and i < n and isinstance(lines[i], bytearray):
            body = bytes(lines[i])
            i += 1
            if uid_match is None and i < n and isinstance(lines[i], bytes):
                uid_match = _UID_RE.search(lines[i])
        if uid_match is not None and body is not None:
            out[int(uid_match.group(1))] = body
    return out


def parse_delimiter(lines: Sequence[Any]) -> str | None:
    """The hierarchy delimiter from ``LIST "" ""``; None when the server has no hierarchy."""
    for line in lines[:-1]:
        if isinstance(line, bytes | bytearray):
            match = _LIST_DELIM_RE.search(line)
            if match:
                return match.group(1).decode("ascii", "replace").replace("\\", "") if match.group(1) else None
    return None


def parse_capabilities(lines: Sequence[Any]) -> set[str]:
    """Capabilities announced in a response code (``OK [CAPABILITY ...] Logged in``)."""
    for line in lines:
        if isinstance(line, bytes | bytearray):
            match = _CAPS_RE.search(line)
            if match:
                return {c.upper() for c in match.group(1).decode("ascii", "replace").split()}
    return set()


def imap_utf7(name: str) -> str:
    """RFC 3501 modified UTF-7 for mailbox names, so Vietnamese folder names survive."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            b64 = base64.b64encode("".join(pending).encode("utf-16-be")).decode("ascii")
            out.append("&" + b64.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return "".join(out)


def quote_mailbox(name: str) -> str:
    encoded = imap_utf7(name)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def server_name(folder: str, delimiter: str | None) -> str:
    """Config folder names use ``/`` for hierarchy; the server may use another delimiter."""
    return folder if not delimiter or delimiter == "/" else folder.replace("/", delimiter)


def _text(lines: Sequence[Any], secret: str = "") -> str:
    """A server answer for a log or an error message: the tagged text, never the password."""
    last = lines[-1] if lines else b""
    text = bytes(last).decode("utf-8", "replace") if isinstance(last, bytes | bytearray) else str(last)
    return _scrub(text[:300], secret)


def _scrub(text: str, secret: str) -> str:
    return text.replace(secret, "***") if secret else text


def _tls_context(cfg: ImapConfig) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=cfg.ca_file or None)
    if not cfg.tls_verify:  # only when the config says so explicitly (imap.tls_verify = false)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


# --- one IMAP session -----------------------------------------------------------------------------------


class _FetchCommand(aioimaplib.FetchCommand):
    """The library's FETCH, made linear: it rescans every response line for each line received, which
    is quadratic in the batch size; here the scan resumes where it stopped. And its timeout, which the
    library re-arms (a new timer) for every line and literal received, is a deadline checked lazily:
    the timer fires once per timeout period and re-arms itself for what is left."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._scanned = 0
        self._last_item = 0

    def _set_timer(self) -> None:
        self._touched = self._loop.time()
        if self._timeout is not None:
            self._timer = self._loop.call_later(self._timeout, self._check_deadline)

    def _reset_timer(self) -> None:
        self._touched = self._loop.time()

    def _check_deadline(self) -> None:
        assert self._timeout is not None
        left = self._touched + self._timeout - self._loop.time()
        if left > 0:
            self._timer = self._loop.call_later(left, self._check_deadline)
        else:
            self._timeout_callback()

    def wait_data(self) -> bool:
        lines = self.response.lines
        for index in range(self._scanned, len(lines)):
            line = lines[index]
            if isinstance(line, bytes) and self.FETCH_MESSAGE_DATA_RE.match(line):
                self._last_item = index
        self._scanned = len(lines)
        tail = b"".join(line for line in lines[self._last_item :] if isinstance(line, bytes))
        return tail.count(b"(") != tail.count(b")")


class _Protocol(aioimaplib.IMAP4ClientProtocol):
    """Two changes to the library's protocol. It parses a chunk of input recursively, one frame per
    response line (copying the rest of the chunk each time): feeding it at most 16 KiB or 64 untagged
    responses at a time keeps a chunk full of small messages, or a MOVE's thousands of EXPUNGEs, far
    from Python's recursion limit and from quadratic copying. And it drops untagged ``EXISTS`` sent
    with unrelated answers: we note them, since mail that arrives while we work is announced once,
    then never again in the next IDLE."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.exists_seen = False

    def _untagged_response(self, line: bytes) -> Any:
        if line.endswith(b" EXISTS") and _EXISTS_RE.match(line):
            self.exists_seen = True
        return super()._untagged_response(line)

    def data_received(self, d: bytes) -> None:
        step, lines = 16384, 64
        if len(d) <= step and d.count(b"\n* ") <= lines:
            super().data_received(d)
            return
        start, end_of_data = 0, len(d)
        while start < end_of_data:
            end = min(start + step, end_of_data)
            # untagged responses (a MOVE's EXPUNGEs): one frame each; a message's own lines are literal
            # data, read in bulk, and seldom start with "* "
            if d.count(b"\n* ", start, end) > lines:
                end = start
                for _ in range(lines):
                    end = d.index(b"\n* ", end) + 1
            super().data_received(d[start:end])
            start = end


class _Client(aioimaplib.IMAP4):
    def create_client(
        self,
        host: str,
        port: int,
        loop: asyncio.AbstractEventLoop | None,
        conn_lost_cb: Callable[[Exception | None], None] | None = None,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        local_loop = loop if loop is not None else asyncio.get_running_loop()
        self.protocol = _Protocol(local_loop, conn_lost_cb)
        self._client_task = local_loop.create_task(
            local_loop.create_connection(lambda: self.protocol, host, port, ssl=ssl_context)
        )


class _Session:
    """A logged-in connection; every failure leaves here as TransientError or PermanentError."""

    def __init__(self, cfg: ImapConfig) -> None:
        self.cfg = cfg
        self.where = f"{cfg.host}:{cfg.port}"
        self._secret = cfg.password.reveal()
        self._lost: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._client: Any = None
        self._delimiter: str | None = "/"
        self._created: set[str] = set()
        self.capabilities: set[str] = set()

    # the connection ------------------------------------------------------------------------------------
    async def open(self) -> None:
        cfg = self.cfg
        if cfg.security not in ("tls", "starttls", "none"):
            raise PermanentError(f"imap.security must be tls, starttls or none, not {cfg.security!r}")
        ctx = _tls_context(cfg) if cfg.security != "none" else None
        try:
            self._client = _Client(
                cfg.host,
                cfg.port,
                timeout=COMMAND_TIMEOUT_S,
                conn_lost_cb=self._on_lost,
                ssl_context=ctx if cfg.security == "tls" else None,
            )
            await self._call(self._client.wait_hello_from_server())
            if cfg.security == "starttls":
                assert ctx is not None
                await self._starttls(ctx)
        except ssl.SSLCertVerificationError as exc:
            await self.aclose()
            raise PermanentError(
                f"IMAP {self.where}: TLS certificate not trusted: {exc.verify_message}"
            ) from exc
        except (OSError, TimeoutError, aioimaplib.AioImapException) as exc:
            await self.aclose()
            raise TransientError(f"IMAP {self.where}: cannot connect: {self._describe(exc)}") from exc
        except (PermanentError, TransientError):  # STARTTLS missing or refused
            await self.aclose()
            raise
        try:
            await self._login()
        except (PermanentError, TransientError):  # e.g. LIST failed after login
            await self.aclose()
            raise

    async def _starttls(self, ctx: ssl.SSLContext) -> None:
        proto = self._client.protocol
        if "STARTTLS" not in proto.capabilities:
            raise PermanentError(
                f"IMAP {self.where} does not offer STARTTLS; refusing to log in in clear text"
            )
        command = aioimaplib.Command("STARTTLS", proto.new_tag(), loop=proto.loop)
        response = await self._call(asyncio.wait_for(proto.execute(command), COMMAND_TIMEOUT_S))
        if response.result != "OK":
            raise TransientError(f"IMAP {self.where}: STARTTLS refused: {_text(response.lines)}")
        loop = asyncio.get_running_loop()
        proto.transport = await loop.start_tls(proto.transport, proto, ctx, server_hostname=self.cfg.host)
        await self._call(asyncio.wait_for(proto.capability(), COMMAND_TIMEOUT_S))

    async def _login(self) -> None:
        user = self.cfg.username
        try:
            response = await self._call(self._client.login(user, self._secret))
        except (OSError, TimeoutError, aioimaplib.AioImapException) as exc:
            await self.aclose()
            # aioimaplib's command repr carries the password: keep it out of the cause chain
            raise TransientError(
                f"IMAP {self.where}: login as {user} failed: {self._describe(exc)}"
            ) from None
        if response.result != "OK":
            text = _text(response.lines, self._secret)
            await self.aclose()
            if "[UNAVAILABLE]" in text.upper():
                raise TransientError(f"IMAP {self.where}: login as {user} temporarily refused: {text}")
            raise PermanentError(f"IMAP {self.where}: login as {user} refused: {text}")
        caps = parse_capabilities(response.lines)
        if caps:
            self.capabilities = caps
        else:
            await self._call(asyncio.wait_for(self._client.protocol.capability(), COMMAND_TIMEOUT_S))
            self.capabilities = {c.upper() for c in self._client.protocol.capabilities}
        self._client.protocol.capabilities = self.capabilities  # aioimaplib checks MOVE, IDLE, UIDPLUS here
        listing = await self._command(self._client.list('""', '""'), "LIST")
        self._delimiter = parse_delimiter(listing.lines)

    def _on_lost(self, exc: Exception | None) -> None:
        if not self._lost.done():
            self._lost.set_result(None)

    async def _call(self, aw: Awaitable[T]) -> T:
        """Await one library call, or fail at once when the server hangs up (the library would wait
        for its timeout)."""
        task: asyncio.Future[T] = asyncio.ensure_future(aw)
        lost: asyncio.Future[Any] = self._lost
        done, _ = await asyncio.wait({task, lost}, return_when=asyncio.FIRST_COMPLETED)
        if task in done:
            return task.result()
        task.cancel()
        raise ConnectionResetError("the server closed the connection")

    async def _command(self, aw: Awaitable[Any], what: str, *, ok: bool = True) -> Any:
        try:
            response = await self._call(aw)
        except (OSError, TimeoutError, aioimaplib.AioImapException) as exc:
            raise TransientError(f"IMAP {self.where}: {what}: {self._describe(exc)}") from exc
        if ok and response.result != "OK":
            raise TransientError(
                f"IMAP {self.where}: {what} answered {response.result}: {_text(response.lines)}"
            )
        return response

    def _describe(self, exc: BaseException) -> str:
        text = str(exc) if not isinstance(exc, aioimaplib.CommandTimeout) else "command timed out"
        return _scrub(f"{type(exc).__name__}: {text}"[:300], self._secret)

    def close(self) -> None:
        client = self._client
        transport = getattr(getattr(client, "protocol", None), "transport", None)
        if transport is not None:
            transport.close()
        elif client is not None:
            client._client_task.cancel()

    async def aclose(self) -> None:
        """Close and wait until the socket is really gone: a TLS shutdown takes a few round trips, and
        a transport still closing when the caller's loop ends is a leaked socket."""
        self.close()
        transport = getattr(getattr(self._client, "protocol", None), "transport", None)
        if transport is None or self._lost.done():
            return
        try:
            await asyncio.wait_for(asyncio.shield(self._lost), CLOSE_TIMEOUT_S)
        except TimeoutError:  # the peer never answered our close_notify
            transport.abort()
            await asyncio.sleep(0)

    async def logout(self) -> None:
        """Say goodbye; a server already gone is fine."""
        try:
            if not self._lost.done():
                await asyncio.wait_for(self._call(self._client.logout()), 10)
        except (OSError, TimeoutError, aioimaplib.AioImapException) as exc:
            log.debug("imap.logout %s: %s", self.where, self._describe(exc))
        finally:
            await self.aclose()

    # the mailbox ---------------------------------------------------------------------------------------
    def mailbox(self, folder: str) -> str:
        return quote_mailbox(server_name(folder, self._delimiter))

    async def select(self, folder: str) -> int:
        response = await self._command(self._client.select(self.mailbox(folder)), f"SELECT {folder}")
        uidvalidity = parse_uidvalidity(response.lines)
        if uidvalidity is None:
            raise TransientError(f"IMAP {self.where}: SELECT {folder} gave no UIDVALIDITY")
        return uidvalidity

    async def uids_after(self, last_uid: int) -> list[int]:
        proto = self._client.protocol
        proto.exists_seen = False  # from here on, an EXISTS means: look again before idling
        aw = asyncio.wait_for(
            proto.search("UID", f"{last_uid + 1}:*", charset=None, by_uid=True), COMMAND_TIMEOUT_S
        )
        response = await self._command(aw, "UID SEARCH")
        # "N:*" always includes the highest UID, even when it is below N
        return sorted(uid for uid in set(parse_search(response.lines)) if uid > last_uid)

    async def fetch(self, uids: Sequence[int]) -> dict[int, bytes]:
        proto = self._client.protocol
        command = _FetchCommand(
            proto.new_tag(), uid_set(uids), "(UID BODY.PEEK[])", prefix="UID", loop=proto.loop,
            timeout=COMMAND_TIMEOUT_S,
        )  # fmt: skip
        response = await self._command(proto.execute(command), "UID FETCH")
        return parse_fetch(response.lines)

    async def move(self, uids: Sequence[int], folder: str) -> None:
        """Move exactly these messages: UID MOVE, else UID COPY + \\Deleted + UID EXPUNGE of the same set."""
        target = self.mailbox(folder)
        if folder not in self._created:
            await self._ensure_folder(folder, target)
        uset = uid_set(uids)
        proto = self._client.protocol
        if "MOVE" in self.capabilities:
            aw = asyncio.wait_for(proto.move(uset, target, by_uid=True), COMMAND_TIMEOUT_S)
            await self._command(aw, f"UID MOVE to {folder}")
            return
        await self._command(
            asyncio.wait_for(proto.copy(uset, target, by_uid=True), COMMAND_TIMEOUT_S), "UID COPY"
        )
        aw = asyncio.wait_for(
            proto.store(uset, "+FLAGS.SILENT", r"(\Deleted)", by_uid=True), COMMAND_TIMEOUT_S
        )
        await self._command(aw, "UID STORE")
        if "UIDPLUS" in self.capabilities:
            aw = asyncio.wait_for(proto.expunge(uset, by_uid=True), COMMAND_TIMEOUT_S)
            await self._command(aw, "UID EXPUNGE")
        else:  # a plain EXPUNGE would also remove what others flagged: leave them flagged, they are done
            log.warning("imap.no_uidplus %s: moved messages stay flagged \\Deleted in the inbox", self.where)

    async def _ensure_folder(self, folder: str, target: str) -> None:
        response = await self._command(self._client.create(target), f"CREATE {folder}", ok=False)
        text = _text(response.lines).upper()
        if response.result != "OK" and "ALREADYEXISTS" not in text and "EXISTS" not in text:
            raise TransientError(f"IMAP {self.where}: CREATE {folder} answered {response.result}: {text}")
        self._created.add(folder)

    def mail_arrived(self) -> bool:
        """Whether the server announced new mail since the last UID SEARCH began."""
        return bool(self._client.protocol.exists_seen)

    async def idle(self, stop: asyncio.Event, max_s: float) -> bool:
        """IDLE until new mail (True), ``max_s`` or ``stop`` (False)."""
        client = self._client
        queue = client.protocol.idle_queue
        while not queue.empty():  # what an earlier IDLE left behind
            queue.get_nowait()
        try:
            idle_task = await self._call(client.idle_start(timeout=max_s))
        except (OSError, TimeoutError, aioimaplib.AioImapException) as exc:
            raise TransientError(f"IMAP {self.where}: IDLE: {self._describe(exc)}") from exc
        deadline = time.monotonic() + max_s
        stopper = asyncio.ensure_future(stop.wait())
        new_mail = False
        try:
            while not new_mail and not stop.is_set():
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    break
                push = asyncio.ensure_future(queue.get())
                done, _ = await asyncio.wait(
                    {push, stopper, self._lost}, timeout=remaining, return_when=asyncio.FIRST_COMPLETED
                )
                if push not in done:
                    push.cancel()
                    if self._lost.done():
                        raise TransientError(f"IMAP {self.where}: connection lost during IDLE")
                    continue
                lines = push.result()
                if lines == aioimaplib.STOP_WAIT_SERVER_PUSH:
                    break
                new_mail = any(isinstance(line, bytes | bytearray) and b"EXISTS" in line for line in lines)
        finally:
            stopper.cancel()
            if not self._lost.done() and client.has_pending_idle():
                client.idle_done()
                try:
                    await asyncio.wait_for(self._call(idle_task), 10)
                except (OSError, TimeoutError, aioimaplib.AioImapException) as exc:
                    raise TransientError(f"IMAP {self.where}: ending IDLE: {self._describe(exc)}") from exc
            else:
                idle_task.cancel()
        return new_mail


# --- the watcher ----------------------------------------------------------------------------------------


class Watcher:
    """Reads the bounce mailbox: ``run_once`` for one pass, ``serve`` for the daemon's loop."""

    def __init__(
        self,
        cfg: ImapConfig,
        sink: InboundSink,
        *,
        now: Callable[[], datetime],
        backoff: RetryPolicy = RECONNECT,
        rng: random.Random | None = None,
        pool: ClassifierPool | None = None,
        move_group: int = MOVE_GROUP,
    ) -> None:
        self.cfg = cfg
        self.move_group = move_group
        self.sink = sink
        self.now = now
        self.backoff = backoff
        self.rng = rng or random.Random()
        self.pool = pool or ClassifierPool(cfg.classify_workers)
        # classified in worker processes only when the sink takes verdicts (the Store does)
        self._classify_pool = self.pool if getattr(sink, "takes_verdicts", False) else None
        self._failures: dict[tuple[int, int], int] = {}  # (uidvalidity, uid) -> sink errors, for the log

    async def run_once(self) -> int:
        """Connect, process everything new, log out. Returns the number of messages processed."""
        try:
            if self._classify_pool is not None:
                self._classify_pool.warm_up()  # while we log in and the server opens the mailbox
            session = await self._connect()
            try:
                count = await self._process(session, None)
            except Exception:
                await session.aclose()
                raise
            except BaseException:
                session.close()
                raise
            await session.logout()
        finally:
            await self.pool.aclose()
        return count

    async def serve(self, stop: asyncio.Event) -> None:
        """Until ``stop``: process, then IDLE (or sleep ``poll_interval_s``), again; reconnect on errors
        with exponential back-off and jitter. A refused login (PermanentError) ends it loudly."""
        try:
            await self._serve(stop)
        finally:
            await self.pool.aclose()
        log.info("watcher.stopped folder=%s", self.cfg.folder)

    async def _serve(self, stop: asyncio.Event) -> None:
        attempts = 0
        while not stop.is_set():
            session: _Session | None = None
            try:
                session = await self._connect()
                while not stop.is_set():
                    await self._process(session, stop)
                    attempts = 0
                    if stop.is_set():
                        break
                    if session.mail_arrived():  # announced while we worked: IDLE would not repeat it
                        continue
                    if self.cfg.idle and "IDLE" in session.capabilities:
                        woke = await session.idle(stop, IDLE_RENEW_S)
                        log.debug("watcher.idle_end new_mail=%s", woke)
                    elif await _wait(stop, self.cfg.poll_interval_s):
                        break
                await session.logout()
                session = None
            except TransientError as exc:
                attempts += 1
                delay = self.backoff.delay(attempts, self.rng).total_seconds()
                log.warning("watcher.retry attempt=%d in=%.1fs error=%s", attempts, delay, exc)
                if session is not None:
                    await session.aclose()
                await _wait(stop, delay)
            except BaseException:
                if session is not None:
                    session.close()
                raise

    async def _connect(self) -> _Session:
        session = _Session(self.cfg)
        await session.open()
        return session

    async def _process(self, session: _Session, stop: asyncio.Event | None) -> int:
        cfg = self.cfg
        folder = cfg.folder
        started = time.monotonic()
        uidvalidity = await session.select(folder)
        state = await self.sink.mailbox_state(folder)
        last_uid = 0
        if state is not None:
            if state[0] == uidvalidity:
                last_uid = state[1]
            else:
                log.warning(
                    "watcher.uidvalidity_changed folder=%s old=%s new=%s: rescanning from UID 1",
                    folder, state[0], uidvalidity,
                )  # fmt: skip
        uids = await session.uids_after(last_uid)
        tally = _Tally(last_uid)
        size = max(cfg.fetch_batch, 1)
        batches = [uids[i : i + size] for i in range(0, len(uids), size)]
        # The next batches are fetched (and classified, with a pool) while this one is recorded, so the
        # server, the classifier and the sink work at once; moves queue behind fetches in the library.
        prefetch = _Prefetch(session, self._classify_pool, batches)
        try:
            await self._batches(session, batches, prefetch, uidvalidity, last_uid, stop, tally)
        finally:
            prefetch.discard()
        log.info(
            "watcher.run folder=%s uidvalidity=%s new=%d processed=%d duplicates=%d failed=%d moved=%s "
            "last_uid=%d in %.2fs",
            folder, uidvalidity, len(uids), tally.processed, tally.duplicates, tally.failed, tally.moved or "-",
            tally.last_uid, time.monotonic() - started,
        )  # fmt: skip
        return tally.processed

    async def _record_batch(
        self,
        folder: str,
        uidvalidity: int,
        present: list[tuple[int, bytes]],
        verdicts: dict[int, Classified] | None,
    ) -> dict[int, InboundOutcome]:
        """One call for the whole fetch batch when the sink can (one transaction); on any error the
        caller records message by message, so one bad message cannot hold back the rest."""
        many = getattr(self.sink, "record_inbound_many", None)
        if many is None or not present:
            return {}
        extra: dict[str, Any] = {}
        if verdicts is not None:
            extra["verdicts"] = [verdicts[uid] for uid, _ in present]
        try:
            results = await many(present, folder=folder, uidvalidity=uidvalidity, now=self.now(), **extra)
        except Exception as exc:
            log.warning("watcher.batch_failed folder=%s count=%d error=%s: recording one by one", folder,
                        len(present), exc)  # fmt: skip
            return {}
        return {uid: r for (uid, _), r in zip(present, results, strict=True)}

    async def _batches(
        self,
        session: _Session,
        batches: list[list[int]],
        prefetch: _Prefetch,
        uidvalidity: int,
        last_uid: int,
        stop: asyncio.Event | None,
        tally: _Tally,
    ) -> None:
        cfg = self.cfg
        folder = cfg.folder
        blocked = False  # a message the sink refused stays in place and last_uid stops before it
        consecutive_failures = 0
        finishing: asyncio.Future[None] | None = None
        targets: dict[str, list[int]] = {}  # moves wait for move_group messages or the end of the pass
        pending_moves = 0
        advance = saved = last_uid
        prefetch.fill()
        for index, batch in enumerate(batches):
            messages, verdicts = await prefetch.result()
            if not (stop is not None and stop.is_set()):
                prefetch.fill()
            present = [(uid, messages[uid]) for uid in batch if messages.get(uid) is not None]
            recorded = await self._record_batch(folder, uidvalidity, present, verdicts)
            for position, uid in enumerate(batch):
                raw = messages.get(uid)
                if position % 32 == 31:  # let the prefetch read its answer while the sink works
                    await asyncio.sleep(0)
                if raw is not None:
                    try:
                        result = recorded.get(uid) or await self.sink.record_inbound(
                            raw, folder=folder, uidvalidity=uidvalidity, uid=uid, now=self.now()
                        )
                    except Exception as exc:  # one bad message (or a store hiccup) must not stop the watcher
                        tally.failed += 1
                        consecutive_failures += 1
                        blocked = True
                        key = (uidvalidity, uid)
                        self._failures[key] = self._failures.get(key, 0) + 1
                        log.error(
                            "watcher.record_failed folder=%s uid=%s attempt=%d error=%s: %s",
                            folder, uid, self._failures[key], type(exc).__name__, exc, exc_info=True,
                        )  # fmt: skip
                        if consecutive_failures >= SINK_FAILURES_BEFORE_GIVING_UP:
                            break
                        continue
                    consecutive_failures = 0
                    self._failures.pop((uidvalidity, uid), None)
                    tally.processed += 1
                    tally.duplicates += result.duplicate
                    if cfg.move:
                        outcome = result.outcome if result.outcome in OUTCOMES else "unattributed"
                        targets.setdefault(getattr(cfg.folders, outcome), []).append(uid)
                        pending_moves += 1
                # a UID with no body was expunged by someone else meanwhile: nothing to wait for
                if not blocked:
                    advance = uid
            sink_down = consecutive_failures >= SINK_FAILURES_BEFORE_GIVING_UP
            last = index + 1 == len(batches) or sink_down or (stop is not None and stop.is_set())
            # once every batch has been fetched the connection has nothing else to do: move each batch at
            # once, so the pass does not end waiting for one last large MOVE
            if last or not cfg.move or pending_moves >= self.move_group or prefetch.all_fetched():
                # The moves run while the next batches are recorded (the server and the database work at
                # once); the UID state is saved only after its moves, so a crash re-reads, never skips.
                if finishing is not None:
                    await finishing
                finishing = asyncio.ensure_future(self._finish_batch(session, targets, folder, uidvalidity,
                                                                     advance, saved, tally))  # fmt: skip
                targets, pending_moves, saved = {}, 0, max(saved, advance)
            if sink_down:
                log.error(
                    "watcher.sink_down folder=%s: %d failures in a row, ending this run", folder, tally.failed
                )
            if last:
                break
        if finishing is not None:
            await finishing

    async def _finish_batch(
        self, session: _Session, targets: dict[str, list[int]], folder: str, uidvalidity: int, advance: int,
        last_uid: int, tally: _Tally,
    ) -> None:  # fmt: skip
        for target, target_uids in targets.items():
            await session.move(target_uids, target)
            tally.moved[target] = tally.moved.get(target, 0) + len(target_uids)
        if advance > last_uid:
            await self.sink.save_mailbox_state(folder, uidvalidity, advance, self.now())
            tally.last_uid = advance


@dataclass
class _Tally:
    last_uid: int
    processed: int = 0
    duplicates: int = 0
    failed: int = 0
    moved: dict[str, int] = field(default_factory=dict)


class _Prefetch:
    """Up to ``depth`` batches fetched ahead of the one being recorded, each classified in a worker
    process as soon as it arrives (when there is a pool): fetch, classify and record overlap, and the
    classifier never waits for the next batch. Fetches run one at a time, in order."""

    def __init__(self, session: _Session, pool: ClassifierPool | None, batches: list[list[int]],
                 depth: int = PREFETCH_DEPTH) -> None:  # fmt: skip
        self.session = session
        self.pool = pool
        self.batches = batches
        self.depth = depth
        self.started = 0
        self.fetched = 0
        self.tasks: collections.deque[asyncio.Task[tuple[dict[int, bytes], dict[int, Classified] | None]]] = (
            collections.deque()
        )
        self._fetching = asyncio.Lock()

    def fill(self) -> None:
        while len(self.tasks) < self.depth and self.started < len(self.batches):
            self.tasks.append(asyncio.ensure_future(self._fetch(self.batches[self.started])))
            self.started += 1

    async def _fetch(self, uids: list[int]) -> tuple[dict[int, bytes], dict[int, Classified] | None]:
        async with self._fetching:
            messages = await self.session.fetch(uids)
            self.fetched += 1
        if self.pool is None:
            return messages, None
        verdicts = await self.pool.classify(list(messages.values()))
        return messages, (dict(zip(messages, verdicts, strict=True)) if verdicts is not None else None)

    def all_fetched(self) -> bool:
        return self.fetched == len(self.batches)

    async def result(self) -> tuple[dict[int, bytes], dict[int, Classified] | None]:
        return await self.tasks.popleft()

    def discard(self) -> None:
        """Stop fetches nobody will read (an error or ``stop`` ended the run), and retrieve their outcome."""
        while self.tasks:
            task = self.tasks.popleft()
            if task.done():
                if not task.cancelled():
                    task.exception()
            else:
                task.cancel()
                task.add_done_callback(lambda t: t.cancelled() or t.exception())


async def _wait(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep ``seconds`` or until ``stop``; True when stopped."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=max(seconds, 0.0))
    except TimeoutError:
        return False
    return True
