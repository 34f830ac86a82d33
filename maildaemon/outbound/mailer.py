"""SMTP out: a small pool of aiosmtplib connections to our relay, TLS verified, AUTH, DSN options.

Each transaction ends in a `Reply` that says what the relay answered and at which stage; the
sender turns that into outbox and respondent states. A dropped connection or a timeout is a
transient failure; AUTH refused is a transient failure for the message too (the operator must fix
the config; the message waits and is retried) but is logged loudly. Passwords never reach a log
or an exception: aiosmtplib's own exceptions are converted here.
"""

from __future__ import annotations

import asyncio
import logging
import re
import ssl
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any

import aiosmtplib

from maildaemon.config import SmtpConfig
from maildaemon.errors import PermanentError, TransientError
from maildaemon.outbound.compose import Outgoing, message_bytes

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Reply:
    """The relay's final word on one message."""

    stage: str  # connect | mail | rcpt | data
    code: int
    text: str

    @property
    def ok(self) -> bool:
        return 200 <= self.code < 300

    @property
    def transient(self) -> bool:
        return not self.ok and not self.permanent

    @property
    def permanent(self) -> bool:
        return 500 <= self.code < 600


_XTEXT_PLAIN = re.compile(r"[!-*,-<>-~]*")  # 33..126 but '+' and '=': nothing to escape


def xtext(value: str) -> str:
    """RFC 3461 xtext for ORCPT and ENVID: '+', '=' and anything outside 33..126 as +HH."""
    if _XTEXT_PLAIN.fullmatch(value):  # every token and nearly every address: once per message
        return value
    return "".join(f"+{ord(c):02X}" if c in "+=" or not 33 <= ord(c) <= 126 else c for c in value)


def tls_context(verify: bool, ca_file: str) -> ssl.SSLContext:
    ctx = ssl.create_default_context(cafile=ca_file or None)
    if not verify:  # only when the config says so explicitly (smtp.tls_verify = false)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
    return ctx


class RelayConnection:
    """One SMTP session with the relay, reused for many messages."""

    def __init__(self, cfg: SmtpConfig, ctx: ssl.SSLContext | None) -> None:
        self.cfg = cfg
        self._ctx = ctx
        self._smtp: aiosmtplib.SMTP | None = None
        self.sent_on_connection = 0
        self.dsn = False

    @property
    def connected(self) -> bool:
        return self._smtp is not None and self._smtp.is_connected

    async def connect(self) -> None:
        cfg = self.cfg
        smtp = aiosmtplib.SMTP(
            hostname=cfg.host,
            port=cfg.port,
            timeout=cfg.timeout_s,
            use_tls=cfg.security == "tls",
            start_tls=False,
            tls_context=self._ctx,
            local_hostname=cfg.helo_name or None,
        )
        try:
            await smtp.connect()
            if cfg.security == "starttls":
                await smtp.starttls(tls_context=self._ctx)
            if cfg.username:
                await smtp.login(cfg.username, cfg.password.reveal())
            if smtp.last_ehlo_response is None:  # MAIL below is sent raw, so greet explicitly
                await smtp.ehlo()
        except aiosmtplib.SMTPAuthenticationError as exc:
            await _close(smtp)
            # the server's text, never our credentials
            raise TransientError(
                f"relay {cfg.host}:{cfg.port} refused authentication for user {cfg.username!r}: "
                f"{exc.code} {exc.message}",
                code=exc.code,
                reply=exc.message,
            ) from None
        except aiosmtplib.SMTPResponseException as exc:
            await _close(smtp)
            err = PermanentError if 500 <= exc.code < 600 else TransientError
            raise err(
                f"relay {cfg.host}:{cfg.port} refused the session: {exc.code} {exc.message}",
                code=exc.code,
                reply=exc.message,
            ) from None
        except (TimeoutError, aiosmtplib.SMTPException, OSError, ssl.SSLError) as exc:
            await _close(smtp)
            raise TransientError(f"cannot connect to relay {cfg.host}:{cfg.port}: {_describe(exc)}") from None
        self._smtp = smtp
        self.dsn = smtp.supports_extension("dsn")
        self.pipelining = smtp.supports_extension("pipelining")
        self.sent_on_connection = 0

    async def send(self, msg: Outgoing, *, notify_success: bool = False) -> Reply:
        """One transaction (MAIL, RCPT, DATA). Raises TransientError when the connection breaks."""
        smtp = self._smtp
        if smtp is None:
            raise TransientError("not connected")
        mail_opts: list[str] = []
        rcpt_opts: list[str] = []
        if self.dsn:
            mail_opts = ["RET=HDRS", f"ENVID={xtext(msg.envid)}"]
            notify = "SUCCESS,FAILURE,DELAY" if notify_success else "FAILURE,DELAY"
            rcpt_opts = [f"NOTIFY={notify}", f"ORCPT=rfc822;{xtext(msg.recipient)}"]
        stage = "mail"
        try:
            if self.pipelining:
                return await self._send_pipelined(smtp, msg, mail_opts, rcpt_opts)
            # The envelope addresses are ASCII and checked by compose: no need for aiosmtplib's parser.
            resp = await smtp.execute_command(b"MAIL", f"FROM:<{msg.envelope_from}>".encode(),
                                              *(o.encode() for o in mail_opts))  # fmt: skip
            if resp.code != 250:
                raise aiosmtplib.SMTPSenderRefused(resp.code, resp.message, msg.envelope_from)
            stage = "rcpt"
            resp = await smtp.execute_command(b"RCPT", f"TO:<{msg.recipient}>".encode(),
                                              *(o.encode() for o in rcpt_opts))  # fmt: skip
            if resp.code not in (250, 251):
                raise aiosmtplib.SMTPRecipientRefused(resp.code, resp.message, msg.recipient)
            stage = "data"
            resp = await smtp.data(msg.data)
        except aiosmtplib.SMTPServerDisconnected as exc:
            self._smtp = None
            raise TransientError(f"relay closed the connection during {stage.upper()}: {exc}") from None
        except aiosmtplib.SMTPResponseException as exc:
            if exc.code in (421,):
                await self.close()
            else:
                await self._reset()
            return Reply(stage, exc.code, exc.message)
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            await self.close()
            raise TransientError(
                f"relay connection failed during {stage.upper()}: {_describe(exc)}"
            ) from None
        self.sent_on_connection += 1
        return Reply("data", resp.code, resp.message)

    async def _send_pipelined(
        self, smtp: aiosmtplib.SMTP, msg: Outgoing, mail_opts: list[str], rcpt_opts: list[str]
    ) -> Reply:
        """RFC 2920: MAIL, RCPT and DATA in one write, their three replies read back in order, then
        the message; one round trip fewer per message (aiosmtplib has no pipelining of its own).

        Connection errors propagate to ``send``, which turns them into TransientError."""
        proto = smtp.protocol
        if proto is None or proto._command_lock is None:  # aiosmtplib's own per-connection lock
            raise aiosmtplib.SMTPServerDisconnected("not connected")
        timeout = self.cfg.timeout_s
        head = (
            f"MAIL FROM:<{msg.envelope_from}>{''.join(' ' + o for o in mail_opts)}\r\n"
            f"RCPT TO:<{msg.recipient}>{''.join(' ' + o for o in rcpt_opts)}\r\nDATA\r\n"
        ).encode("ascii")
        async with proto._command_lock:
            proto.write(head)
            mail = await _next_reply(proto, timeout)
            rcpt = await _next_reply(proto, timeout)
            data = await _next_reply(proto, timeout)
            if data.code == 354 and (mail.code != 250 or rcpt.code not in (250, 251)):
                proto.write(b".\r\n")  # a server that said go ahead anyway: send an empty message's end
                await _next_reply(proto, timeout)
            elif data.code == 354:
                proto.write(dot_stuffed(msg.data) + b".\r\n")
                final = await _next_reply(proto, timeout)
        if mail.code != 250:
            failed = Reply("mail", mail.code, mail.message)
        elif rcpt.code not in (250, 251):
            failed = Reply("rcpt", rcpt.code, rcpt.message)
        elif data.code != 354:
            failed = Reply("data", data.code, data.message)
        else:
            if final.code == 421:
                await self.close()
            elif final.code != 250:
                await self._reset()
            else:
                self.sent_on_connection += 1
            return Reply("data", final.code, final.message)
        if failed.code == 421:
            await self.close()
        else:
            await self._reset()
        return failed

    async def send_message(self, msg: EmailMessage, sender: str, recipients: list[str]) -> str:
        """A one-off message (the operators' digest); failures raise Transient/PermanentError."""
        smtp = self._smtp
        if smtp is None:
            raise TransientError("not connected")
        try:
            refused, reply = await smtp.sendmail(sender, recipients, message_bytes(msg))
        except aiosmtplib.SMTPResponseException as exc:
            await self._reset()
            err = PermanentError if 500 <= exc.code < 600 else TransientError
            raise err(
                f"relay refused the message: {exc.code} {exc.message}", code=exc.code, reply=exc.message
            ) from None
        except aiosmtplib.SMTPRecipientsRefused as exc:  # all refused at RCPT: for good if all 5xx
            await self._reset()
            first = exc.recipients[0] if exc.recipients else None
            final = bool(exc.recipients) and all(r.code >= 500 for r in exc.recipients)
            err = PermanentError if final else TransientError
            text = "; ".join(f"{r.recipient}: {r.code} {r.message}" for r in exc.recipients)
            raise err(f"relay refused the recipients: {text}", code=first.code if first else None,
                      reply=first.message if first else "") from None  # fmt: skip
        except (TimeoutError, aiosmtplib.SMTPException, OSError) as exc:
            await self.close()
            raise TransientError(f"relay connection failed: {_describe(exc)}") from None
        self.sent_on_connection += 1
        return reply + (f" (refused: {', '.join(refused)})" if refused else "")

    async def _reset(self) -> None:
        if self._smtp is None:
            return
        try:
            await self._smtp.rset()
        except (TimeoutError, aiosmtplib.SMTPException, OSError):
            await self.close()

    async def close(self) -> None:
        smtp, self._smtp = self._smtp, None
        if smtp is not None:
            await _close(smtp, quit=True)


async def _close(smtp: aiosmtplib.SMTP, quit: bool = False) -> None:
    try:
        if quit and smtp.is_connected:
            await asyncio.wait_for(smtp.quit(), 5)
    except (TimeoutError, aiosmtplib.SMTPException, OSError):
        pass
    finally:
        smtp.close()


async def _next_reply(proto: Any, limit_s: float) -> Any:
    """The next reply: pipelined replies can arrive in one packet, and aiosmtplib's reader only
    parses one per packet, so look in its buffer before waiting for more data."""
    pending = proto._read_response_from_buffer()
    if pending is not None:
        return pending
    return await proto.read_response(timeout=limit_s)


def dot_stuffed(data: bytes) -> bytes:
    """RFC 5321 transparency: a line starting with '.' gets another one; data ends with CRLF."""
    if data.startswith(b"."):
        data = b"." + data
    data = data.replace(b"\r\n.", b"\r\n..")
    return data if data.endswith(b"\r\n") else data + b"\r\n"


def _describe(exc: BaseException) -> str:
    text = str(exc).strip()
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class RelayPool:
    """Up to ``cfg.connections`` open sessions; a session is replaced after
    ``messages_per_connection`` messages or any failure."""

    def __init__(self, cfg: SmtpConfig, *, down_pause_s: float = 5.0) -> None:
        self.cfg = cfg
        self.down_pause_s = down_pause_s
        self._ctx = tls_context(cfg.tls_verify, cfg.ca_file) if cfg.security != "none" else None
        self._idle: list[RelayConnection] = []
        self._slots = asyncio.Semaphore(max(1, cfg.connections))
        self.last_error: str = ""
        self.last_ok: float = 0.0
        self._down_until = 0.0  # after a failed connect, fail fast for a moment instead of hammering

    @asynccontextmanager
    async def connection(self) -> AsyncIterator[RelayConnection]:
        async with self._slots:
            if time.monotonic() < self._down_until:
                raise TransientError(f"relay unavailable: {self.last_error}")
            conn = self._idle.pop() if self._idle else RelayConnection(self.cfg, self._ctx)
            try:
                if not conn.connected:
                    try:
                        await conn.connect()
                    except TransientError as exc:
                        self.last_error = str(exc)
                        self._down_until = time.monotonic() + self.down_pause_s
                        raise
                yield conn
            except BaseException:
                await conn.close()
                raise
            if conn.connected and conn.sent_on_connection < self.cfg.messages_per_connection:
                self._idle.append(conn)
            else:
                await conn.close()
            self.last_ok = time.time()

    async def close(self) -> None:
        idle, self._idle = self._idle, []
        await asyncio.gather(*(c.close() for c in idle), return_exceptions=True)
