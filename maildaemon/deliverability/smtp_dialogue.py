"""The hand-written SMTP dialogue of a probe, up to RCPT TO and never DATA: a client that keeps a timed
transcript (like swaks), mail transactions of several RCPTs under one MAIL FROM, and what each reply
or connection failure means as a probe outcome."""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import time
from typing import NamedTuple

from maildaemon.deliverability.findings import enhanced_status, reason_for_reply
from maildaemon.deliverability.outcomes import Outcome
from maildaemon.deliverability.results import Step, TlsInfo


class Reply(NamedTuple):
    code: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(line for line in self.lines if line)


class SmtpProtocolError(Exception):
    """The peer does not speak SMTP as we understand it."""


class SmtpClosed(Exception):
    """The peer closed or reset the connection."""


class SmtpSession:
    """A small SMTP client that records every line with its time, and what the connection showed so
    far: the stage reached, TLS offered and negotiated."""

    def __init__(self, address: str, port: int, *, connect_timeout: float, command_timeout: float) -> None:
        self.address = address
        self.port = port
        self.connect_timeout = connect_timeout
        self.command_timeout = command_timeout
        self.stage = "connect"  # connect, banner, ehlo, starttls, mail, rcpt: where a failure happened
        self.tls: TlsInfo | None = None
        self.tls_offered: bool | None = None
        self.steps: list[Step] = []
        self.t0 = time.perf_counter()
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None
        self.smtputf8 = False
        # the open mail transaction: several RCPTs share one MAIL FROM
        self.txn_open = False
        self.txn_utf8 = False
        self.txn_count = 0
        self.txn_steps: tuple[Step, ...] = ()

    def ms(self) -> float:
        return (time.perf_counter() - self.t0) * 1000

    def note(self, text: str) -> None:
        self.steps.append(Step(self.ms(), "**", text))

    async def connect(self) -> None:
        self.note(f"Trying {self.address}:{self.port}...")
        async with asyncio.timeout(self.connect_timeout):
            self.reader, self.writer = await asyncio.open_connection(self.address, self.port)
        self.note(f"Connected to {self.address}:{self.port}")

    async def read_reply(self) -> Reply:
        assert self.reader is not None
        sent_at = self.ms()
        code = None
        lines: list[str] = []
        async with asyncio.timeout(self.command_timeout):
            while True:
                raw = await self.reader.readline()
                if not raw.endswith(b"\n"):
                    if raw:
                        self.steps.append(Step(self.ms(), "<-", raw.decode("utf-8", "replace")))
                    raise SmtpClosed("connection closed by the server")
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                self.steps.append(Step(self.ms(), "<-", line, self.ms() - sent_at))
                head = line[:3]
                if not head.isdigit() or len(line) > 3 and line[3] not in " -":
                    raise SmtpProtocolError(f"not an SMTP reply: {line[:80]!r}")
                if code is not None and int(head) != code:
                    raise SmtpProtocolError(f"reply code changed within a multi-line reply: {line[:80]!r}")
                code = int(head)
                lines.append(line[4:])
                if len(line) == 3 or line[3] == " ":
                    return Reply(code, tuple(lines))
                if len(lines) > 500:
                    raise SmtpProtocolError("reply longer than 500 lines")

    async def command(self, line: str) -> Reply:
        assert self.writer is not None
        self.steps.append(Step(self.ms(), "->", line))
        self.writer.write(line.encode("utf-8") + b"\r\n")
        await self.writer.drain()
        return await self.read_reply()

    async def starttls(self, context: ssl.SSLContext, server_hostname: str) -> None:
        assert self.writer is not None
        async with asyncio.timeout(self.command_timeout):
            await self.writer.start_tls(context, server_hostname=server_hostname)

    def ssl_object(self) -> ssl.SSLObject | None:
        if self.writer is None:
            return None
        obj = self.writer.get_extra_info("ssl_object")
        return obj if isinstance(obj, ssl.SSLObject) else None

    async def close(self, quit_first: bool) -> None:
        if self.writer is None:
            return
        try:
            if quit_first:
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(min(self.command_timeout, 5.0)):
                        await self.command("QUIT")
        finally:  # even when cancelled: never leave a socket open
            self.writer.close()
        with contextlib.suppress(Exception):
            async with asyncio.timeout(1.0):
                await self.writer.wait_closed()


class Said(NamedTuple):
    """What one step of the dialogue says: a recipient's verdict, or why a connection ended before
    every recipient had one."""

    outcome: Outcome
    stage: str
    code: int | None
    text: str
    reason: str = ""


def extensions(ehlo: Reply) -> set[str]:
    return {line.split(" ", 1)[0].upper() for line in ehlo.lines[1:] if line}


def reason(outcome: Outcome, code: int | None, text: str, stage: str = "rcpt") -> str:
    """The bounce reason of a refusal or a deferral at ``stage`` (a refusal at MAIL is of our sender, whatever
    words it gives); "" for anything else."""
    if outcome is Outcome.TLS_FAILED:
        return "failedstarttls"
    if outcome not in (Outcome.REJECTED, Outcome.TRY_LATER) or code is None:
        return ""
    return reason_for_reply(code, enhanced_status(text), text, stage=stage)


def reply_said(reply: Reply, stage: str) -> Said:
    if 400 <= reply.code < 500:
        outcome = Outcome.TRY_LATER
    elif 500 <= reply.code < 600:
        outcome = Outcome.REJECTED
    else:
        outcome = Outcome.UNKNOWN
    return Said(outcome, stage, reply.code, reply.text, reason(outcome, reply.code, reply.text, stage))


def connection_said(exc: OSError | EOFError | SmtpClosed | SmtpProtocolError, sess: SmtpSession) -> Said:
    """What a network or protocol error at the session's stage means for the recipients left."""
    stage = sess.stage
    if isinstance(exc, TimeoutError):
        what = "connection" if stage == "connect" else "reply"
        limit = sess.connect_timeout if stage == "connect" else sess.command_timeout
        return Said(Outcome.UNREACHABLE, stage, None, f"no {what} within {limit:g} s")
    if isinstance(exc, SmtpClosed | EOFError | ConnectionError):  # EOFError: asyncio.IncompleteReadError
        text = str(exc) or type(exc).__name__
        if isinstance(exc, ConnectionResetError):
            text = "connection reset by the server"
        elif isinstance(exc, ConnectionRefusedError):
            text = "connection refused"
        return Said(Outcome.UNREACHABLE, stage, None, text)
    if isinstance(exc, SmtpProtocolError):
        return Said(Outcome.UNKNOWN, stage, None, str(exc))
    return Said(Outcome.UNREACHABLE, stage, None, exc.strerror or str(exc))


async def rcpt(
    sess: SmtpSession, recipient: str, smtputf8: bool, *, mail_from: str, per_transaction: int
) -> Said:
    """RCPT TO within the open transaction (MAIL FROM first when none is open; a new one when it is
    full or lacks SMTPUTF8). Each RCPT reply is a verdict on its own recipient."""
    for attempt in (1, 2):
        if sess.txn_open and ((smtputf8 and not sess.txn_utf8) or sess.txn_count >= per_transaction):
            await rset(sess)
        if not sess.txn_open:
            mark = len(sess.steps)
            reply = await sess.command(f"MAIL FROM:<{mail_from}>" + (" SMTPUTF8" if smtputf8 else ""))
            sess.txn_steps = tuple(sess.steps[mark:])
            if reply.code != 250:
                await rset(sess)
                return reply_said(reply, "mail")
            sess.txn_open, sess.txn_utf8, sess.txn_count = True, smtputf8, 0
        reply = await sess.command(f"RCPT TO:<{recipient}>")
        sess.txn_count += 1
        if reply.code in (250, 251):
            return Said(Outcome.ACCEPTED, "rcpt", reply.code, reply.text)
        if reply.code == 452 and sess.txn_count > 1 and attempt == 1:
            await rset(sess)  # too many recipients for one transaction: start a new one
            continue
        return reply_said(reply, "rcpt")
    raise AssertionError("unreachable")  # pragma: no cover


async def rset(sess: SmtpSession) -> None:
    sess.txn_open = False
    try:
        await sess.command("RSET")
    except (TimeoutError, SmtpClosed, SmtpProtocolError, ConnectionError) as exc:
        # Verdicts so far stand; the next command on this connection fails and moves on.
        sess.note(f"RSET failed: {exc!r}")
