"""One logged-in IMAP session over aioimaplib, with the library patched where it is slow or loses
information (FETCH scanning, chunked input, untagged EXISTS). Every failure leaves here as
TransientError or PermanentError, with the password scrubbed from the message."""

from __future__ import annotations

import asyncio
import logging
import re
import ssl
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Any, TypeVar

import aioimaplib

from maildaemon.config import ImapConfig
from maildaemon.errors import PermanentError, TransientError
from maildaemon.inbound.imap_parse import (
    answer_text,
    parse_capabilities,
    parse_copyuid,
    parse_delimiter,
    parse_fetch,
    parse_search,
    parse_uidvalidity,
    quote_mailbox,
    quote_string,
    scrub,
    server_name,
    uid_set,
)

log = logging.getLogger(__name__)

COMMAND_TIMEOUT_S = 60.0  # per command; a FETCH's timer restarts with every chunk received
CLOSE_TIMEOUT_S = 5.0
_EXISTS_RE = re.compile(rb"(?:\* )?\d+ EXISTS$")

T = TypeVar("T")


def _tls_context(cfg: ImapConfig) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=cfg.ca_file or None)
    if not cfg.tls_verify:  # only when the config says so explicitly (imap.tls_verify = false)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


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


class ImapSession:
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
            raise TransientError(f"IMAP {self.where}: STARTTLS refused: {answer_text(response.lines)}")
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
            text = answer_text(response.lines, self._secret)
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
                f"IMAP {self.where}: {what} answered {response.result}: {answer_text(response.lines)}"
            )
        return response

    def _describe(self, exc: BaseException) -> str:
        text = str(exc) if not isinstance(exc, aioimaplib.CommandTimeout) else "command timed out"
        return scrub(f"{type(exc).__name__}: {text}"[:300], self._secret)

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

    async def select_existing(self, folder: str) -> int | None:
        """SELECT ``folder``; its UIDVALIDITY, or None when the server has no such folder (any other
        refusal is a TransientError, as for ``select``)."""
        response = await self._command(
            self._client.select(self.mailbox(folder)), f"SELECT {folder}", ok=False
        )
        if response.result != "OK":
            text = answer_text(response.lines).upper()
            if "NONEXISTENT" in text or "DOESN'T EXIST" in text or "NOT EXIST" in text:
                return None
            raise TransientError(f"IMAP {self.where}: SELECT {folder} answered {response.result}: {text}")
        uidvalidity = parse_uidvalidity(response.lines)
        if uidvalidity is None:
            raise TransientError(f"IMAP {self.where}: SELECT {folder} gave no UIDVALIDITY")
        return uidvalidity

    async def present(self, uids: Sequence[int]) -> set[int]:
        """Which of ``uids`` the selected folder still holds."""
        if not uids:
            return set()
        aw = asyncio.wait_for(
            self._client.protocol.search("UID", uid_set(uids), charset=None, by_uid=True), COMMAND_TIMEOUT_S
        )
        response = await self._command(aw, "UID SEARCH")
        return set(parse_search(response.lines)) & set(uids)

    async def with_message_id(self, message_id: str) -> list[int]:
        """UIDs in the selected folder whose Message-ID header contains ``message_id`` (ASCII only)."""
        aw = asyncio.wait_for(
            self._client.protocol.search("HEADER", "Message-ID", quote_string(message_id), charset=None,
                                         by_uid=True),
            COMMAND_TIMEOUT_S,
        )  # fmt: skip
        response = await self._command(aw, "UID SEARCH HEADER")
        return sorted(set(parse_search(response.lines)))

    async def with_size(self, size: int) -> list[int]:
        """UIDs in the selected folder whose RFC822.SIZE is ``size`` octets (the size of what FETCH BODY[]
        returns): the candidates for a message known only by its content."""
        aw = asyncio.wait_for(
            self._client.protocol.search("LARGER", str(size - 1), "SMALLER", str(size + 1), charset=None,
                                         by_uid=True),
            COMMAND_TIMEOUT_S,
        )  # fmt: skip
        response = await self._command(aw, "UID SEARCH LARGER")
        return sorted(set(parse_search(response.lines)))

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

    async def move(self, uids: Sequence[int], folder: str) -> tuple[int, dict[int, int]] | None:
        """Move exactly these messages: UID MOVE, else UID COPY + \\Deleted + UID EXPUNGE of the same set.
        Returns the target's UIDVALIDITY and each message's UID there when the server says (UIDPLUS)."""
        target = self.mailbox(folder)
        if folder not in self._created:
            await self._ensure_folder(folder, target)
        uset = uid_set(uids)
        proto = self._client.protocol
        if "MOVE" in self.capabilities:
            aw = asyncio.wait_for(proto.move(uset, target, by_uid=True), COMMAND_TIMEOUT_S)
            return parse_copyuid((await self._command(aw, f"UID MOVE to {folder}")).lines)
        copied = await self._command(
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
        return parse_copyuid(copied.lines)

    async def _ensure_folder(self, folder: str, target: str) -> None:
        response = await self._command(self._client.create(target), f"CREATE {folder}", ok=False)
        text = answer_text(response.lines).upper()
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
