"""Purpose-built SMTP servers on loopback addresses, for the deliverability prober's tests.

All run in one background thread with its own event loop: aiosmtpd servers for the well-behaved kinds
(mailbox with unknown users, catch-all, greylisting, TLS with bad certificates, policy rejection) and a
few raw protocols for the badly behaved ones (slow banner, 421, reset, not SMTP). A throw-away CA signs
the certificates. Each server counts its connections so tests can check the prober's politeness.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import os
import random
import socket
import ssl
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiosmtpd.smtp import SMTP, Envelope, Session

from tests.support.testdns import IP, SUFFIX

DEFAULT_PORT = 2590
USERS = frozenset({"an", "binh", "full", "nguyễn"})


# --- certificates -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Certs:
    ca_file: Path
    pairs: dict[str, tuple[Path, Path]]  # kind -> (cert, key)

    def context(self, kind: str) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        cert, key = self.pairs[kind]
        ctx.load_cert_chain(cert, key)
        return ctx


def make_certs(directory: Path) -> Certs:
    """A CA and leaf certificates: valid (for the mailbox server's names), expired, self-signed, and one
    for the wrong name. Needs the ``cryptography`` package."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = dt.datetime.now(dt.UTC)

    def name(cn: str) -> x509.Name:
        return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, cn)])

    def write(stem: str, cert: x509.Certificate, key: ec.EllipticCurvePrivateKey) -> tuple[Path, Path]:
        cpath, kpath = directory / f"{stem}.crt", directory / f"{stem}.key"
        cpath.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
        kpath.write_bytes(
            key.private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        return cpath, kpath

    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca = (
        x509.CertificateBuilder()
        .subject_name(name("maildaemon test CA"))
        .issuer_name(name("maildaemon test CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(False, False, False, False, False, True, True, False, False), critical=True
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    ca_file, _ = write("ca", ca, ca_key)

    def leaf(names: list[str], *, start: dt.datetime, end: dt.datetime, self_signed: bool = False) -> Any:
        key = ec.generate_private_key(ec.SECP256R1())
        builder = (
            x509.CertificateBuilder()
            .subject_name(name(names[0]))
            .issuer_name(name(names[0]) if self_signed else ca.subject)
            .public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(start)
            .not_valid_after(end)
            .add_extension(x509.SubjectAlternativeName([x509.DNSName(n) for n in names]), critical=False)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        )
        if not self_signed:
            builder = builder.add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), critical=False
            )
        return builder.sign(key if self_signed else ca_key, hashes.SHA256()), key

    later = now + dt.timedelta(days=20)
    specs = {
        "valid": ([f"mx.mailbox.{SUFFIX}", f"nomx.{SUFFIX}"], now - dt.timedelta(days=1), later, False),
        "expired": ([f"mx.expired.{SUFFIX}"], now - dt.timedelta(days=60), now - dt.timedelta(days=2), False),
        "selfsigned": ([f"mx.selfsigned.{SUFFIX}"], now - dt.timedelta(days=1), later, True),
        "mismatch": (["other.example.test"], now - dt.timedelta(days=1), later, False),
    }
    pairs = {}
    for kind, (names, start, end, selfsigned) in specs.items():
        cert, key = leaf(names, start=start, end=end, self_signed=selfsigned)
        pairs[kind] = write(kind, cert, key)
    return Certs(ca_file, pairs)


# --- bookkeeping ------------------------------------------------------------------------------------------


@dataclass
class ConnStats:
    """Connections seen by one server (updated from the server thread; read after the fact)."""

    starts: list[float] = field(default_factory=list)  # time.monotonic() of each accepted connection
    active: int = 0
    max_active: int = 0
    rcpts: int = 0

    def opened(self) -> None:
        self.starts.append(time.monotonic())
        self.active += 1
        self.max_active = max(self.max_active, self.active)

    def closed(self) -> None:
        self.active -= 1

    def reset(self) -> None:
        self.starts.clear()
        self.max_active = self.active
        self.rcpts = 0


class _CountingSMTP(SMTP):
    stats: ConnStats

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        if not getattr(self, "_counted", False):  # STARTTLS calls this again for the TLS transport
            self._counted = True
            self.stats.opened()
        super().connection_made(transport)

    def ended(self) -> None:
        """The client is done (QUIT, or the connection is gone); counted once."""
        if getattr(self, "_counted", False) and not getattr(self, "_lost", False):
            self._lost = True
            self.stats.closed()

    def connection_lost(self, exc: Exception | None) -> None:
        self.ended()
        # After STARTTLS aiosmtpd's writer holds the TLS transport, which is not marked closed when the
        # peer goes away; its StreamWriter would warn "unclosed" when collected, in some later test.
        if self.transport is not None:
            with contextlib.suppress(Exception):
                self.transport.close()
        super().connection_lost(exc)


# --- handlers ---------------------------------------------------------------------------------------------


class MailboxHandler:
    """Known local parts (any domain) are accepted; ``full`` gets 552 5.2.2; others 550 5.1.1."""

    def __init__(self, stats: ConnStats, users: frozenset[str] = USERS, rcpt_delay: float = 0.0) -> None:
        self.stats = stats
        self.users = users
        self.rcpt_delay = rcpt_delay

    async def handle_QUIT(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        # Count the connection as ended before the 221 goes out: the client's next connection may
        # start as soon as it reads the reply, before this side sees the socket close.
        if isinstance(server, _CountingSMTP):
            server.ended()
        return "221 Bye"

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        self.stats.rcpts += 1
        if self.rcpt_delay:
            await asyncio.sleep(
                self.rcpt_delay
            )  # a deliberately slow server (benchmark), not synchronisation
        local = address.rsplit("@", 1)[0]
        if local == "full":
            return f"552 5.2.2 <{address}>: Mailbox full, quota exceeded"
        if local in self.users:
            envelope.rcpt_tos.append(address)
            return "250 2.1.5 Ok"
        return f"550 5.1.1 <{address}>: Recipient address rejected: User unknown in virtual mailbox table"


class CatchAllHandler(MailboxHandler):
    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        self.stats.rcpts += 1
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"


class GreylistHandler(MailboxHandler):
    """451 4.7.1 the first time a recipient is seen, then as the mailbox server."""

    def __init__(self, stats: ConnStats) -> None:
        super().__init__(stats, USERS | {"grey"})
        self.seen: set[str] = set()

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        if address not in self.seen:
            self.seen.add(address)
            self.stats.rcpts += 1
            return f"451 4.7.1 <{address}>: Recipient address rejected: Greylisted, please try again later"
        return await super().handle_RCPT(server, session, envelope, address, options)


class PolicyHandler(MailboxHandler):
    async def handle_MAIL(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: list[str]
    ) -> str:
        return f"554 5.7.1 <{address}>: Sender address rejected: Access denied by policy"


# --- raw protocols for misbehaving servers ----------------------------------------------------------------


class _Raw(asyncio.Protocol):
    def __init__(self, stats: ConnStats, behaviour: str, banner_delay: float) -> None:
        self.stats = stats
        self.behaviour = behaviour
        self.banner_delay = banner_delay
        self.transport: asyncio.Transport | None = None
        self.timer: asyncio.TimerHandle | None = None

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.stats.opened()
        if self.behaviour == "slow":
            loop = asyncio.get_running_loop()
            self.timer = loop.call_later(self.banner_delay, transport.write, b"220 slow ESMTP finally\r\n")
        elif self.behaviour == "busy":
            transport.write(b"421 4.7.0 mx.busy.probe.test Error: too many connections, try again later\r\n")
            transport.close()
        elif self.behaviour == "garbage":
            transport.write(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")
            transport.close()
        elif self.behaviour == "reset":
            sock = transport.get_extra_info("socket")
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            transport.abort()  # linger 0: the peer sees a TCP RST

    def connection_lost(self, exc: Exception | None) -> None:
        if self.timer is not None:
            self.timer.cancel()
        self.stats.closed()


# --- the server set ---------------------------------------------------------------------------------------


class ServerThread:
    """An event loop in a daemon thread hosting any number of servers on one port."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self._run, name="smtpservers", daemon=True)
        self.servers: list[asyncio.base_events.Server] = []
        self.thread.start()

    def _run(self) -> None:
        asyncio.set_event_loop(self.loop)
        self.loop.run_forever()

    def call(self, coro: Any, timeout: float = 10.0) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def listen(self, ip: str, port: int, factory: Callable[[], asyncio.BaseProtocol]) -> None:
        async def start() -> asyncio.base_events.Server:
            return await self.loop.create_server(factory, host=ip, port=port, reuse_address=True)

        self.servers.append(self.call(start()))

    def smtp(
        self,
        ip: str,
        port: int,
        handler: Any,
        stats: ConnStats,
        *,
        hostname: str,
        tls: ssl.SSLContext | None = None,
        smtputf8: bool = False,
    ) -> None:
        def factory() -> asyncio.BaseProtocol:
            proto = _CountingSMTP(
                handler,
                hostname=hostname,
                ident="ESMTP maildaemon-test",
                tls_context=tls,
                enable_SMTPUTF8=smtputf8,
                loop=self.loop,
            )
            proto.stats = stats
            return proto

        self.listen(ip, port, factory)

    def close(self) -> None:
        async def stop() -> None:
            for server in self.servers:
                server.close()
            for task in asyncio.all_tasks():
                if task is not asyncio.current_task():
                    task.cancel()
            await asyncio.sleep(0)

        with contextlib.suppress(Exception):
            self.call(stop())
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)
        if not self.thread.is_alive():
            self.loop.close()


def port_free_on(ips: list[str], port: int) -> bool:
    for ip in ips:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind((ip, port))
            except OSError:
                return False
    return True


def pick_port(ips: list[str], wanted: int) -> int:
    """``wanted`` if it is free on every address, else a random free one."""
    if port_free_on(ips, wanted):
        return wanted
    for _ in range(200):
        port = random.randint(20000, 60000)
        if port_free_on(ips, port):
            return port
    raise RuntimeError("no common free port on the test addresses")


@dataclass
class SmtpServers:
    port: int
    ca_file: Path
    stats: dict[str, ConnStats]
    thread: ServerThread
    greylist: GreylistHandler
    banner_delay: float

    def reset_stats(self) -> None:
        for s in self.stats.values():
            s.reset()


@contextlib.contextmanager
def running_servers(
    workdir: Path, port: int | None = None, banner_delay: float = 60.0
) -> Iterator[SmtpServers]:
    """Every server of :data:`testdns.IP` (except ``down``) on one port."""
    certs = make_certs(workdir)
    ips = list(IP.values())
    port = pick_port(ips, port or int(os.environ.get("MAILDAEMON_TEST_SMTP_PORT", DEFAULT_PORT)))
    st = ServerThread()
    stats = {name: ConnStats() for name in IP}
    try:
        host = {name: f"mx.{name}.{SUFFIX}" for name in IP}
        st.smtp(IP["mailbox"], port, MailboxHandler(stats["mailbox"]), stats["mailbox"], hostname=host["mailbox"],
                tls=certs.context("valid"), smtputf8=True)  # fmt: skip
        st.smtp(IP["catchall"], port, CatchAllHandler(stats["catchall"]), stats["catchall"],
                hostname=host["catchall"])  # fmt: skip
        grey = GreylistHandler(stats["greylist"])
        st.smtp(IP["greylist"], port, grey, stats["greylist"], hostname=host["greylist"])
        for kind in ("expired", "selfsigned", "mismatch"):
            st.smtp(IP[kind], port, MailboxHandler(stats[kind]), stats[kind], hostname=host[kind],
                    tls=certs.context(kind))  # fmt: skip
        st.smtp(IP["policy"], port, PolicyHandler(stats["policy"]), stats["policy"], hostname=host["policy"])
        for kind in ("slow", "busy", "reset", "garbage"):
            st.listen(IP[kind], port, lambda kind=kind: _Raw(stats[kind], kind, banner_delay))  # type: ignore[misc]
        yield SmtpServers(port, certs.ca_file, stats, st, grey, banner_delay)
    finally:
        st.close()
