"""Deliverability probe: address syntax, the domain's mail route, then the SMTP dialogue with each MX up
to RCPT TO (then RSET and QUIT, never DATA), keeping a timed transcript and the TLS details.

Polite per MX host (bounded concurrency, a minimum gap between connection starts), one connection
checks many recipients of a domain, and definite results are cached per address for a while.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import functools
import logging
import re
import secrets
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, NamedTuple

import email_validator

from maildaemon.deliverability import dns as dnscheck
from maildaemon.deliverability.dns import MailHost, MailRoute, RouteStatus
from maildaemon.deliverability.findings import DEFINITE, Outcome, enhanced_status, reason_for_reply

log = logging.getLogger(__name__)


@dataclass(slots=True)
class ProbeSettings:
    helo_name: str = "localhost"
    mail_from: str = ""  # the campaign's bounce address; "" sends MAIL FROM:<>
    smtp_port: int = 25
    connect_timeout: float = 10.0
    command_timeout: float = 30.0
    per_mx_concurrency: int = 2
    per_mx_min_gap: float = 1.0  # seconds between connection starts to one MX address
    catch_all_check: bool = True
    tls_verify: bool = True
    ca_file: str | None = None  # None: the system's trust store
    nameservers: list[tuple[str, int]] = field(default_factory=list)  # empty: the system's resolver
    dns_timeout: float = 5.0
    max_rcpt_per_connection: int = 50
    rcpt_per_transaction: int = 20  # RCPTs under one MAIL FROM before RSET
    max_connections: int = 100  # over all MX hosts
    cache_ttl: float = 86400.0  # seconds a definite result is reused
    route_ttl: float = 300.0  # seconds a domain's MX answer is reused within one Prober
    inspect_failed_tls: bool = True  # on a certificate failure, reconnect unverified to show its details
    test_environment: bool = False  # allow special-use domains such as .test (tests and benchmarks only)


@dataclass(frozen=True, slots=True)
class Step:
    """One transcript line, like swaks: ``->`` sent, ``<-`` received, ``**`` a note."""

    at_ms: float  # since the connection attempt started
    kind: str
    text: str
    lapse_ms: float | None = None  # for replies: time since the command was sent

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"at_ms": round(self.at_ms, 1), "kind": self.kind, "text": self.text}
        if self.lapse_ms is not None:
            d["lapse_ms"] = round(self.lapse_ms, 1)
        return d


@dataclass(frozen=True, slots=True)
class TlsInfo:
    protocol: str = ""
    cipher: str = ""
    bits: int | None = None
    subject: str = ""
    issuer: str = ""
    not_before: str = ""  # ISO 8601, UTC
    not_after: str = ""
    names: tuple[str, ...] = ()  # subjectAltName DNS names
    name_match: bool | None = None
    verified: bool = False
    problem: str = ""  # "", expired, self-signed, untrusted, name-mismatch, handshake
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"names": list(self.names)}


@dataclass(frozen=True, slots=True)
class MxAttempt:
    """One connection to one MX address and what it said about the address checked."""

    host: str
    address: str
    preference: int
    outcome: Outcome
    stage: str  # connect, banner, ehlo, starttls, mail, rcpt
    code: int | None = None
    text: str = ""
    tls: TlsInfo | None = None
    tls_offered: bool | None = None
    transcript: tuple[Step, ...] = ()
    elapsed_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "address": self.address,
            "preference": self.preference,
            "outcome": self.outcome.value,
            "stage": self.stage,
            "code": self.code,
            "text": self.text,
            "tls": self.tls.to_dict() if self.tls else None,
            "tls_offered": self.tls_offered,
            "transcript": [s.to_dict() for s in self.transcript],
            "elapsed_ms": round(self.elapsed_ms, 1),
        }


@dataclass(frozen=True, slots=True)
class ProbeResult:
    address: str
    domain: str  # ASCII (IDNA) form
    outcome: Outcome
    reason: str = ""  # bounce reason name for rejected / try-later
    code: int | None = None
    enhanced: str = ""
    text: str = ""  # the deciding server reply, without the code
    stage: str = ""  # syntax, dns, connect, banner, ehlo, starttls, mail, rcpt
    detail: str = ""  # one English sentence for logs
    mx_host: str = ""
    route: MailRoute | None = None
    attempts: tuple[MxAttempt, ...] = ()
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    elapsed_ms: float = 0.0
    from_cache: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "domain": self.domain,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "code": self.code,
            "enhanced": self.enhanced,
            "text": self.text,
            "stage": self.stage,
            "detail": self.detail,
            "mx_host": self.mx_host,
            "route": self.route.to_dict() if self.route else None,
            "attempts": [a.to_dict() for a in self.attempts],
            "checked_at": self.checked_at.isoformat(),
            "elapsed_ms": round(self.elapsed_ms, 1),
            "from_cache": self.from_cache,
        }

    def to_json(self) -> str:
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False)


class ProbeCache:
    """Definite results per address for ``ttl`` seconds; transient ones are never reused."""

    def __init__(
        self, ttl: float = 86400.0, *, max_entries: int = 200_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._items: dict[str, tuple[float, ProbeResult]] = {}

    def get(self, key: str) -> ProbeResult | None:
        item = self._items.get(key)
        if item is None:
            return None
        if item[0] <= self._clock():
            del self._items[key]
            return None
        return item[1]

    def put(self, key: str, result: ProbeResult) -> None:
        if result.outcome not in DEFINITE or self.ttl <= 0:
            return
        if len(self._items) >= self.max_entries:
            now = self._clock()
            self._items = {k: v for k, v in self._items.items() if v[0] > now}
            while len(self._items) >= self.max_entries:  # still full: drop the oldest inserted
                del self._items[next(iter(self._items))]
        self._items[key] = (self._clock() + self.ttl, result)

    def __len__(self) -> int:
        return len(self._items)


# --- the SMTP dialogue -----------------------------------------------------------------------------------


class _Reply(NamedTuple):
    code: int
    lines: tuple[str, ...]

    @property
    def text(self) -> str:
        return " ".join(line for line in self.lines if line)


class _ProtocolError(Exception):
    """The peer does not speak SMTP as we understand it."""


class _Closed(Exception):
    """The peer closed or reset the connection."""


class _Session:
    """A small SMTP client that records every line with its time."""

    def __init__(self, address: str, port: int, settings: ProbeSettings) -> None:
        self.address = address
        self.port = port
        self.settings = settings
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
        async with asyncio.timeout(self.settings.connect_timeout):
            self.reader, self.writer = await asyncio.open_connection(self.address, self.port)
        self.note(f"Connected to {self.address}:{self.port}")

    async def read_reply(self) -> _Reply:
        assert self.reader is not None
        sent_at = self.ms()
        code = None
        lines: list[str] = []
        async with asyncio.timeout(self.settings.command_timeout):
            while True:
                raw = await self.reader.readline()
                if not raw.endswith(b"\n"):
                    if raw:
                        self.steps.append(Step(self.ms(), "<-", raw.decode("utf-8", "replace")))
                    raise _Closed("connection closed by the server")
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                self.steps.append(Step(self.ms(), "<-", line, self.ms() - sent_at))
                head = line[:3]
                if not head.isdigit() or len(line) > 3 and line[3] not in " -":
                    raise _ProtocolError(f"not an SMTP reply: {line[:80]!r}")
                if code is not None and int(head) != code:
                    raise _ProtocolError(f"reply code changed within a multi-line reply: {line[:80]!r}")
                code = int(head)
                lines.append(line[4:])
                if len(line) == 3 or line[3] == " ":
                    return _Reply(code, tuple(lines))
                if len(lines) > 500:
                    raise _ProtocolError("reply longer than 500 lines")

    async def command(self, line: str) -> _Reply:
        assert self.writer is not None
        self.steps.append(Step(self.ms(), "->", line))
        self.writer.write(line.encode("utf-8") + b"\r\n")
        await self.writer.drain()
        return await self.read_reply()

    async def starttls(self, context: ssl.SSLContext, server_hostname: str) -> None:
        assert self.writer is not None
        async with asyncio.timeout(self.settings.command_timeout):
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
                    async with asyncio.timeout(min(self.settings.command_timeout, 5.0)):
                        await self.command("QUIT")
        finally:  # even when cancelled: never leave a socket open
            self.writer.close()
        with contextlib.suppress(Exception):
            async with asyncio.timeout(1.0):
                await self.writer.wait_closed()


_VERIFY_PROBLEMS = {10: "expired", 18: "self-signed", 19: "self-signed", 20: "untrusted", 21: "untrusted",
                    2: "untrusted", 62: "name-mismatch", 9: "expired"}  # fmt: skip


def _tls_problem(exc: ssl.SSLError) -> tuple[str, str]:
    if isinstance(exc, ssl.SSLCertVerificationError):
        return _VERIFY_PROBLEMS.get(exc.verify_code, "untrusted"), exc.verify_message or str(exc)
    return "handshake", exc.reason or str(exc)


def _names_match(hostname: str, names: Sequence[str]) -> bool:
    host = hostname.lower().rstrip(".")
    for name in names:
        name = name.lower().rstrip(".")
        if name == host:
            return True
        if name.startswith("*.") and "." in host and host.split(".", 1)[1] == name[2:]:
            return True
    return False


def _describe_cert(der: bytes | None, hostname: str) -> dict[str, Any]:
    """Subject, issuer, validity and names of a DER certificate (needs ``cryptography``; {} without)."""
    if not der:
        return {}
    try:
        from cryptography import x509
    except ImportError:  # optional: details are a nicety, the verdict comes from OpenSSL
        return {}
    try:
        cert = x509.load_der_x509_certificate(der)
        try:
            san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
            names = tuple(san.value.get_values_for_type(x509.DNSName))
        except x509.ExtensionNotFound:
            names = ()
        return {
            "subject": cert.subject.rfc4514_string(),
            "issuer": cert.issuer.rfc4514_string(),
            "not_before": cert.not_valid_before_utc.isoformat(),
            "not_after": cert.not_valid_after_utc.isoformat(),
            "names": names,
            "name_match": _names_match(hostname, names),
        }
    except ValueError:
        return {}


def _tls_info(obj: ssl.SSLObject | None, hostname: str, verified: bool) -> TlsInfo:
    if obj is None:
        return TlsInfo(verified=verified)
    cipher = obj.cipher()
    details = _describe_cert(obj.getpeercert(binary_form=True), hostname)
    return TlsInfo(
        protocol=obj.version() or "",
        cipher=cipher[0] if cipher else "",
        bits=cipher[2] if cipher else None,
        verified=verified,
        **details,
    )


class _Failure(NamedTuple):
    """Why a connection ended before every recipient had a verdict."""

    outcome: Outcome
    stage: str
    code: int | None
    text: str
    reason: str = ""


_FAILURE_RANK = {Outcome.REJECTED: 0, Outcome.TLS_FAILED: 1, Outcome.TRY_LATER: 2, Outcome.UNKNOWN: 3,
                 Outcome.UNREACHABLE: 4}  # fmt: skip


_DOT_ATOM = re.compile(r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*\Z")


@functools.lru_cache(maxsize=8192)
def _ascii_domain(domain: str, test_environment: bool) -> str:
    """The lower-case ASCII form of a valid mail domain, or "" (email-validator is slow per call)."""
    try:
        v = email_validator.validate_email(
            f"a@{domain}", check_deliverability=False, test_environment=test_environment
        )
    except email_validator.EmailNotValidError:
        return ""
    return str(v.ascii_domain).lower()


class _Addr(NamedTuple):
    original: str
    key: str  # cache key: local part @ ASCII domain
    rcpt: str  # what goes into RCPT TO
    domain: str
    needs_smtputf8: bool


# --- politeness --------------------------------------------------------------------------------------------


class _HostGate:
    """At most ``concurrency`` connections to one MX address, starts at least ``gap`` seconds apart."""

    def __init__(self, concurrency: int, gap: float) -> None:
        self._sem = asyncio.Semaphore(max(1, concurrency))
        self._gap = gap
        self._next = 0.0

    @asynccontextmanager
    async def slot(self) -> AsyncIterator[None]:
        async with self._sem:
            loop = asyncio.get_running_loop()
            now = loop.time()
            start = max(now, self._next)
            self._next = start + self._gap
            if start > now:
                await asyncio.sleep(start - now)
            yield


# --- the prober ---------------------------------------------------------------------------------------------


class Prober:
    """Checks addresses; use as ``async with Prober(settings) as prober``."""

    def __init__(self, settings: ProbeSettings, *, cache: ProbeCache | None = None) -> None:
        self.settings = settings
        self.cache = cache if cache is not None else ProbeCache(settings.cache_ttl)
        self._resolver = dnscheck.make_resolver(settings.nameservers, timeout=settings.dns_timeout)
        self._gates: dict[str, _HostGate] = {}
        self._routes: dict[str, tuple[float, asyncio.Future[MailRoute]]] = {}
        self._catch_all: dict[str, bool] = {}
        self._all = asyncio.Semaphore(max(1, settings.max_connections))
        self._verify_ctx = self._context(verify=settings.tls_verify)
        self._plain_ctx = self._context(verify=False)

    def _context(self, verify: bool) -> ssl.SSLContext:
        if verify:
            return ssl.create_default_context(cafile=self.settings.ca_file)
        ctx = ssl.create_default_context()
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        return ctx

    async def __aenter__(self) -> Prober:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        for _, fut in self._routes.values():
            fut.cancel()
        self._routes.clear()

    @property
    def resolver(self) -> Any:
        return self._resolver

    async def check(self, address: str) -> ProbeResult:
        # Drain the generator so the connection ends with QUIT rather than being cancelled.
        (result,) = [r async for r in self.check_many([address])]
        return result

    async def check_many(self, addresses: Iterable[str]) -> AsyncIterator[ProbeResult]:
        """One result per address, as they come; addresses are grouped by domain."""
        ready: list[ProbeResult] = []
        by_domain: dict[str, list[_Addr]] = {}
        for original in addresses:
            parsed = self._parse(original)
            if isinstance(parsed, ProbeResult):
                ready.append(parsed)
                continue
            cached = self.cache.get(parsed.key)
            if cached is not None:
                ready.append(dataclasses.replace(cached, address=original, from_cache=True))
                continue
            by_domain.setdefault(parsed.domain, []).append(parsed)
        for result in ready:
            yield result
        queue: asyncio.Queue[ProbeResult] = asyncio.Queue()
        expected = sum(len(v) for v in by_domain.values())
        tasks = [
            asyncio.create_task(self._check_domain(domain, addrs, queue.put_nowait), name=f"probe:{domain}")
            for domain, addrs in by_domain.items()
        ]
        finished = False
        try:
            for _ in range(expected):
                yield await queue.get()
            await asyncio.gather(*tasks)  # the connections end politely (QUIT)
            finished = True
        finally:
            if not finished:  # the caller stopped early, or we were cancelled
                for task in tasks:
                    task.cancel()
                await asyncio.gather(*tasks, return_exceptions=True)

    def _parse(self, original: str) -> _Addr | ProbeResult:
        # Fast path for the common plain address: the domain is validated once per domain (cached).
        local, _, domain = original.rpartition("@")
        if len(local) <= 64 and len(original) <= 254 and _DOT_ATOM.match(local):
            ascii_domain = _ascii_domain(domain, self.settings.test_environment)
            if ascii_domain:
                key = f"{local}@{ascii_domain}"
                return _Addr(original, key, key, ascii_domain, False)
        try:
            v = email_validator.validate_email(
                original,
                check_deliverability=False,
                allow_smtputf8=True,
                test_environment=self.settings.test_environment,
            )
        except email_validator.EmailNotValidError as exc:
            return ProbeResult(original, "", Outcome.INVALID, text=str(exc), stage="syntax", detail=str(exc))
        domain = v.ascii_domain.lower()
        local = v.local_part
        return _Addr(original, f"{local}@{domain}", f"{local}@{domain}", domain, not local.isascii())

    async def _route(self, domain: str) -> MailRoute:
        loop = asyncio.get_running_loop()
        memo = self._routes.get(domain)
        if memo is not None and (memo[0] > loop.time() or not memo[1].done()):
            return await asyncio.shield(memo[1])
        fut: asyncio.Future[MailRoute] = loop.create_future()
        self._routes[domain] = (loop.time() + self.settings.route_ttl, fut)
        try:
            route = await dnscheck.mail_route(self._resolver, domain)
        except BaseException as exc:
            self._routes.pop(domain, None)
            fut.set_exception(exc)
            fut.exception()  # retrieved here so an unawaited future does not warn
            raise
        fut.set_result(route)
        if route.status is RouteStatus.DNS_ERROR:
            self._routes.pop(domain, None)
        return route

    async def _check_domain(
        self, domain: str, addrs: list[_Addr], emit: Callable[[ProbeResult], None]
    ) -> None:
        started = time.perf_counter()
        pending = list(addrs)
        try:
            route = await self._route(domain)
            if route.status not in (RouteStatus.MX, RouteStatus.A_FALLBACK):
                outcome, stage = {
                    RouteStatus.NO_DOMAIN: (Outcome.NO_DOMAIN, "dns"),
                    RouteStatus.NULL_MX: (Outcome.NO_MX, "dns"),
                    RouteStatus.NO_MAIL_HOST: (Outcome.NO_MX, "dns"),
                }.get(route.status, (Outcome.TRY_LATER, "dns"))
                for a in pending:
                    self._emit(emit, a, ProbeResult(
                        a.original, domain, outcome, text=route.error, stage=stage, detail=route.error,
                        route=route, elapsed_ms=(time.perf_counter() - started) * 1000,
                    ))  # fmt: skip
                pending.clear()
                return
            size = max(1, self.settings.max_rcpt_per_connection)
            batches = [pending[i : i + size] for i in range(0, len(pending), size)]
            await asyncio.gather(*(self._run_batch(route, batch, emit) for batch in batches))
            pending.clear()
        except Exception as exc:  # a bug must not lose results: report it as a result
            log.exception("probe.internal_error domain=%s", domain)
            for a in pending:
                self._emit(emit, a, ProbeResult(
                    a.original, domain, Outcome.UNKNOWN, text=f"internal error: {exc!r}", stage="internal",
                    detail=f"internal error: {exc!r}",
                ))  # fmt: skip

    def _emit(self, emit: Callable[[ProbeResult], None], a: _Addr, result: ProbeResult) -> None:
        self.cache.put(a.key, result)
        log.debug("probe.result domain=%s outcome=%s stage=%s", result.domain, result.outcome, result.stage)
        emit(result)

    async def _run_batch(
        self, route: MailRoute, batch: list[_Addr], emit: Callable[[ProbeResult], None]
    ) -> None:
        """Try the MX addresses in preference order until every address of the batch has a verdict."""
        started = time.perf_counter()
        pending = list(batch)
        failed: list[MxAttempt] = []
        done: set[int] = set()

        def finish(a: _Addr, result: ProbeResult) -> None:
            done.add(id(a))
            self._emit(emit, a, dataclasses.replace(
                result, route=route, attempts=tuple(failed) + result.attempts,
                elapsed_ms=(time.perf_counter() - started) * 1000,
            ))  # fmt: skip

        for host in route.hosts:
            for ip in host.addresses:
                pending = [a for a in pending if id(a) not in done]
                if not pending:
                    return
                attempt = await self._talk(route.domain, host, ip, pending, finish)
                if attempt is not None:
                    failed.append(attempt)
        pending = [a for a in pending if id(a) not in done]
        if not pending:
            return
        worst = min(failed, key=lambda f: _FAILURE_RANK.get(f.outcome, 9)) if failed else None
        for a in pending:
            if worst is None:
                finish(a, ProbeResult(a.original, route.domain, Outcome.UNREACHABLE, stage="connect",
                                      text="no MX address to try", detail="no MX address to try"))  # fmt: skip
                continue
            text = worst.text
            finish(a, ProbeResult(
                a.original, route.domain, worst.outcome, reason=_reason(worst.outcome, worst.code, text),
                code=worst.code, enhanced=enhanced_status(text), text=text, stage=worst.stage,
                detail=f"{worst.host} [{worst.address}] {worst.stage}: {text}", mx_host=worst.host,
            ))  # fmt: skip

    def _gate(self, ip: str) -> _HostGate:
        gate = self._gates.get(ip)
        if gate is None:
            gate = self._gates[ip] = _HostGate(self.settings.per_mx_concurrency, self.settings.per_mx_min_gap)
        return gate

    async def _talk(
        self,
        domain: str,
        host: MailHost,
        ip: str,
        pending: list[_Addr],
        finish: Callable[[_Addr, ProbeResult], None],
    ) -> MxAttempt | None:
        """One connection: the dialogue for each pending address. Returns the failure that ended the
        connection early (the remaining addresses go to the next MX), or None."""
        s = self.settings
        async with self._gate(ip).slot(), self._all:
            sess = _Session(ip, s.smtp_port, s)
            tls: TlsInfo | None = None
            offered: bool | None = None
            stage = "connect"
            checked = 0
            clean = False

            def failure(f: _Failure) -> MxAttempt:
                sess.note(f"{stage}: {f.text}")
                log.info("probe.connection host=%s ip=%s outcome=%s stage=%s checked=%d ms=%.0f",
                         host.host, ip, f.outcome, stage, checked, sess.ms())  # fmt: skip
                return MxAttempt(host.host, ip, host.preference, f.outcome, f.stage, f.code, f.text, tls,
                                 offered, tuple(sess.steps), sess.ms())  # fmt: skip

            try:
                await sess.connect()
                stage = "banner"
                banner = await sess.read_reply()
                if banner.code != 220:
                    return failure(_reply_failure(banner, stage))
                stage = "ehlo"
                ehlo = await sess.command(f"EHLO {s.helo_name}")
                if ehlo.code != 250:
                    ehlo = await sess.command(f"HELO {s.helo_name}")
                    if ehlo.code != 250:
                        return failure(_reply_failure(ehlo, stage))
                    ehlo = _Reply(250, ())
                ext = _extensions(ehlo)
                offered = "STARTTLS" in ext
                if offered:
                    stage = "starttls"
                    reply = await sess.command("STARTTLS")
                    if reply.code == 220:
                        tls, broken = await self._handshake(sess, host, ip)
                        if broken is not None:
                            return failure(broken)
                        stage = "ehlo"
                        ehlo = await sess.command(f"EHLO {s.helo_name}")
                        if ehlo.code != 250:
                            return failure(_reply_failure(ehlo, stage))
                        ext = _extensions(ehlo)
                    else:
                        sess.note("STARTTLS refused; continuing without TLS")
                sess.smtputf8 = "SMTPUTF8" in ext
                preamble = tuple(sess.steps)
                for n, a in enumerate(pending):
                    mark = len(sess.steps)
                    stage = "mail"
                    verdict = await self._recipient(sess, domain, a)
                    checked += 1
                    if n == len(pending) - 1 and sess.txn_open:
                        await self._rset(sess)  # before the last result, so its transcript shows it
                    own = tuple(sess.steps[mark:])
                    if not any(st.kind == "->" and st.text.startswith("MAIL") for st in own):
                        own = sess.txn_steps + own  # the MAIL FROM this RCPT was sent under
                    finish(a, ProbeResult(
                        a.original, domain, verdict.outcome, reason=verdict.reason, code=verdict.code,
                        enhanced=enhanced_status(verdict.text), text=verdict.text, stage=verdict.stage,
                        detail=f"{host.host} [{ip}] {verdict.stage}: {verdict.code or ''} {verdict.text}".strip(),
                        mx_host=host.host,
                        attempts=(MxAttempt(host.host, ip, host.preference, verdict.outcome, verdict.stage,
                                            verdict.code, verdict.text, tls, offered,
                                            preamble + own, sess.ms()),),
                    ))  # fmt: skip
                clean = True
                log.info("probe.connection host=%s ip=%s outcome=done checked=%d ms=%.0f",
                         host.host, ip, checked, sess.ms())  # fmt: skip
                return None
            except TimeoutError:
                what = "connection" if stage == "connect" else "reply"
                limit = s.connect_timeout if stage == "connect" else s.command_timeout
                return failure(_Failure(Outcome.UNREACHABLE, stage, None, f"no {what} within {limit:g} s"))
            except (_Closed, asyncio.IncompleteReadError, ConnectionError, EOFError) as exc:
                text = str(exc) or type(exc).__name__
                if isinstance(exc, ConnectionResetError):
                    text = "connection reset by the server"
                elif isinstance(exc, ConnectionRefusedError):
                    text = "connection refused"
                return failure(_Failure(Outcome.UNREACHABLE, stage, None, text))
            except _ProtocolError as exc:
                return failure(_Failure(Outcome.UNKNOWN, stage, None, str(exc)))
            except OSError as exc:
                return failure(_Failure(Outcome.UNREACHABLE, stage, None, exc.strerror or str(exc)))
            finally:
                await sess.close(quit_first=clean)

    async def _handshake(
        self, sess: _Session, host: MailHost, ip: str
    ) -> tuple[TlsInfo | None, _Failure | None]:
        """STARTTLS handshake; on a certificate failure, optionally fetch the certificate unverified."""
        try:
            await sess.starttls(self._verify_ctx, host.host)
        except ssl.SSLError as exc:
            problem, message = _tls_problem(exc)
            sess.note(f"TLS failed: {message}")
            info = TlsInfo(problem=problem, error=message)
            if self.settings.inspect_failed_tls and problem != "handshake":
                seen = await self._inspect_tls(host, ip)
                if seen is not None:
                    sess.note("certificate details fetched over a second, unverified connection")
                    info = dataclasses.replace(seen, verified=False, problem=problem, error=message)
            return info, _Failure(Outcome.TLS_FAILED, "starttls", None, f"{problem}: {message}")
        info = _tls_info(sess.ssl_object(), host.host, verified=self.settings.tls_verify)
        sess.note(f"TLS started: {info.protocol} {info.cipher}")
        return info, None

    async def _inspect_tls(self, host: MailHost, ip: str) -> TlsInfo | None:
        s = self.settings
        sess = _Session(ip, s.smtp_port, s)
        try:
            async with self._gate(ip).slot(), self._all:
                await sess.connect()
                if (await sess.read_reply()).code != 220:
                    return None
                if (await sess.command(f"EHLO {s.helo_name}")).code != 250:
                    return None
                if (await sess.command("STARTTLS")).code != 220:
                    return None
                await sess.starttls(self._plain_ctx, host.host)
                return _tls_info(sess.ssl_object(), host.host, verified=False)
        except (TimeoutError, OSError, ssl.SSLError, _Closed, _ProtocolError):
            return None
        finally:
            await sess.close(quit_first=True)

    async def _recipient(self, sess: _Session, domain: str, a: _Addr) -> _Failure:
        """The verdict on one address (and the catch-all probe, once per domain)."""
        if a.needs_smtputf8 and not sess.smtputf8:
            sess.note("address needs SMTPUTF8, which the server does not offer")
            text = "5.6.7 the server does not offer SMTPUTF8, so a non-ASCII local part cannot be delivered"
            return _Failure(Outcome.REJECTED, "mail", None, text, "notaccept")
        verdict = await self._rcpt(sess, a.rcpt, a.needs_smtputf8)
        if verdict.outcome is Outcome.ACCEPTED and self.settings.catch_all_check:
            catch_all = self._catch_all.get(domain)
            if catch_all is None:
                probe = f"md-probe-{secrets.token_hex(6)}@{domain}"
                sess.note(f"catch-all check with {probe}")
                other = await self._rcpt(sess, probe, sess.txn_utf8)
                if other.outcome in (Outcome.ACCEPTED, Outcome.REJECTED):
                    catch_all = self._catch_all[domain] = other.outcome is Outcome.ACCEPTED
            if catch_all:
                return verdict._replace(outcome=Outcome.CATCH_ALL)
        return verdict

    async def _rcpt(self, sess: _Session, rcpt: str, smtputf8: bool) -> _Failure:
        """RCPT TO within the open transaction (MAIL FROM first when none is open; a new one when it is
        full or lacks SMTPUTF8). Each RCPT reply is a verdict on its own recipient."""
        for attempt in (1, 2):
            if sess.txn_open and (
                (smtputf8 and not sess.txn_utf8) or sess.txn_count >= self.settings.rcpt_per_transaction
            ):
                await self._rset(sess)
            if not sess.txn_open:
                mark = len(sess.steps)
                mail_from = f"MAIL FROM:<{self.settings.mail_from}>" + (" SMTPUTF8" if smtputf8 else "")
                reply = await sess.command(mail_from)
                sess.txn_steps = tuple(sess.steps[mark:])
                if reply.code != 250:
                    await self._rset(sess)
                    return _reply_failure(reply, "mail")
                sess.txn_open, sess.txn_utf8, sess.txn_count = True, smtputf8, 0
            reply = await sess.command(f"RCPT TO:<{rcpt}>")
            sess.txn_count += 1
            if reply.code in (250, 251):
                return _Failure(Outcome.ACCEPTED, "rcpt", reply.code, reply.text)
            if reply.code == 452 and sess.txn_count > 1 and attempt == 1:
                await self._rset(sess)  # too many recipients for one transaction: start a new one
                continue
            return _reply_failure(reply, "rcpt")
        raise AssertionError("unreachable")  # pragma: no cover

    async def _rset(self, sess: _Session) -> None:
        sess.txn_open = False
        try:
            await sess.command("RSET")
        except (TimeoutError, _Closed, _ProtocolError, ConnectionError) as exc:
            # Verdicts so far stand; the next command on this connection fails and moves on.
            sess.note(f"RSET failed: {exc!r}")


def _extensions(ehlo: _Reply) -> set[str]:
    return {line.split(" ", 1)[0].upper() for line in ehlo.lines[1:] if line}


def _reason(outcome: Outcome, code: int | None, text: str) -> str:
    if outcome is Outcome.TLS_FAILED:
        return "failedstarttls"
    if outcome not in (Outcome.REJECTED, Outcome.TRY_LATER) or code is None:
        return ""
    return reason_for_reply(code, enhanced_status(text), text)


def _reply_failure(reply: _Reply, stage: str) -> _Failure:
    if 400 <= reply.code < 500:
        outcome = Outcome.TRY_LATER
    elif 500 <= reply.code < 600:
        outcome = Outcome.REJECTED
    else:
        outcome = Outcome.UNKNOWN
    return _Failure(outcome, stage, reply.code, reply.text, _reason(outcome, reply.code, reply.text))
