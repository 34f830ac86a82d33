"""Deliverability probe: address syntax, the domain's mail route, then the SMTP dialogue with each MX up
to RCPT TO (then RSET and QUIT, never DATA), keeping a timed transcript and the TLS details.

Polite per MX host (bounded concurrency, a minimum gap between connection starts), one connection
checks many recipients of a domain, and definite results are cached per address for a while.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import secrets
import ssl
import time
from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from maildaemon.deliverability import dns as dnscheck
from maildaemon.deliverability import smtp_dialogue as smtp
from maildaemon.deliverability.addresses import Address, parse_address
from maildaemon.deliverability.dns import MailHost, MailRoute, RouteStatus
from maildaemon.deliverability.findings import enhanced_status
from maildaemon.deliverability.outcomes import Outcome
from maildaemon.deliverability.politeness import HostGate
from maildaemon.deliverability.results import MxAttempt, ProbeCache, ProbeResult, Step, TlsInfo
from maildaemon.deliverability.smtp_dialogue import Reply, Said, SmtpClosed, SmtpProtocolError, SmtpSession
from maildaemon.deliverability.tls_inspect import tls_context, tls_info, tls_problem

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


_FAILURE_RANK = {Outcome.REJECTED: 0, Outcome.TLS_FAILED: 1, Outcome.TRY_LATER: 2, Outcome.UNKNOWN: 3,
                 Outcome.UNREACHABLE: 4}  # fmt: skip


# --- the prober ---------------------------------------------------------------------------------------------


class Prober:
    """Checks addresses; use as ``async with Prober(settings) as prober``."""

    def __init__(self, settings: ProbeSettings, *, cache: ProbeCache | None = None) -> None:
        self.settings = settings
        self.cache = cache if cache is not None else ProbeCache(settings.cache_ttl)
        self._resolver = dnscheck.make_resolver(settings.nameservers, timeout=settings.dns_timeout)
        self._gates: dict[str, HostGate] = {}
        self._routes: dict[str, tuple[float, asyncio.Future[MailRoute]]] = {}
        self._catch_all: dict[str, bool] = {}
        self._all = asyncio.Semaphore(max(1, settings.max_connections))
        self._verify_ctx = tls_context(settings.tls_verify, settings.ca_file)
        self._plain_ctx = tls_context(verify=False)

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
        by_domain: dict[str, list[Address]] = {}
        for original in addresses:
            parsed = parse_address(original, self.settings.test_environment)
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
        self, domain: str, addrs: list[Address], emit: Callable[[ProbeResult], None]
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

    def _emit(self, emit: Callable[[ProbeResult], None], a: Address, result: ProbeResult) -> None:
        self.cache.put(a.key, result)
        log.debug("probe.result domain=%s outcome=%s stage=%s", result.domain, result.outcome, result.stage)
        emit(result)

    async def _run_batch(
        self, route: MailRoute, batch: list[Address], emit: Callable[[ProbeResult], None]
    ) -> None:
        """Try the MX addresses in preference order until every address of the batch has a verdict."""
        started = time.perf_counter()
        pending = list(batch)
        failed: list[MxAttempt] = []
        done: set[int] = set()

        def finish(a: Address, result: ProbeResult) -> None:
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
                a.original, route.domain, worst.outcome, reason=smtp.reason(worst.outcome, worst.code, text, worst.stage),
                code=worst.code, enhanced=enhanced_status(text), text=text, stage=worst.stage,
                detail=f"{worst.host} [{worst.address}] {worst.stage}: {text}", mx_host=worst.host,
            ))  # fmt: skip

    def _gate(self, ip: str) -> HostGate:
        gate = self._gates.get(ip)
        if gate is None:
            gate = self._gates[ip] = HostGate(self.settings.per_mx_concurrency, self.settings.per_mx_min_gap)
        return gate

    def _session(self, ip: str) -> SmtpSession:
        s = self.settings
        return SmtpSession(
            ip, s.smtp_port, connect_timeout=s.connect_timeout, command_timeout=s.command_timeout
        )

    async def _talk(
        self,
        domain: str,
        host: MailHost,
        ip: str,
        pending: list[Address],
        finish: Callable[[Address, ProbeResult], None],
    ) -> MxAttempt | None:
        """One connection: the dialogue for each pending address. Returns the failure that ended the
        connection early (the remaining addresses go to the next MX), or None."""
        async with self._gate(ip).slot(), self._all:
            sess = self._session(ip)
            checked = 0
            clean = False

            def failure(f: Said) -> MxAttempt:
                sess.note(f"{sess.stage}: {f.text}")
                log.info("probe.connection host=%s ip=%s outcome=%s stage=%s checked=%d ms=%.0f",
                         host.host, ip, f.outcome, sess.stage, checked, sess.ms())  # fmt: skip
                return MxAttempt(host.host, ip, host.preference, f.outcome, f.stage, f.code, f.text, sess.tls,
                                 sess.tls_offered, tuple(sess.steps), sess.ms())  # fmt: skip

            try:
                await sess.connect()
                refused = await self._greet(sess, host, ip)
                if refused is not None:
                    return failure(refused)
                preamble = tuple(sess.steps)
                for n, a in enumerate(pending):
                    mark = len(sess.steps)
                    sess.stage = "mail"
                    verdict = await self._recipient(sess, domain, a)
                    checked += 1
                    if n == len(pending) - 1 and sess.txn_open:
                        await smtp.rset(sess)  # before the last result, so its transcript shows it
                    own = tuple(sess.steps[mark:])
                    if not any(st.kind == "->" and st.text.startswith("MAIL") for st in own):
                        own = sess.txn_steps + own  # the MAIL FROM this RCPT was sent under
                    finish(a, _verdict_result(a, domain, host, ip, verdict, sess, preamble + own))
                clean = True
                log.info("probe.connection host=%s ip=%s outcome=done checked=%d ms=%.0f",
                         host.host, ip, checked, sess.ms())  # fmt: skip
                return None
            except (OSError, EOFError, SmtpClosed, SmtpProtocolError) as exc:  # OSError: timeouts too
                return failure(smtp.connection_said(exc, sess))
            finally:
                await sess.close(quit_first=clean)

    async def _greet(self, sess: SmtpSession, host: MailHost, ip: str) -> Said | None:
        """Banner, EHLO (or HELO) and STARTTLS when offered; the refusal that ends it, or None."""
        s = self.settings
        sess.stage = "banner"
        banner = await sess.read_reply()
        if banner.code != 220:
            return smtp.reply_said(banner, sess.stage)
        sess.stage = "ehlo"
        ehlo = await sess.command(f"EHLO {s.helo_name}")
        if ehlo.code != 250:
            ehlo = await sess.command(f"HELO {s.helo_name}")
            if ehlo.code != 250:
                return smtp.reply_said(ehlo, sess.stage)
            ehlo = Reply(250, ())
        ext = smtp.extensions(ehlo)
        sess.tls_offered = "STARTTLS" in ext
        if sess.tls_offered:
            sess.stage = "starttls"
            reply = await sess.command("STARTTLS")
            if reply.code == 220:
                sess.tls, broken = await self._handshake(sess, host, ip)
                if broken is not None:
                    return broken
                sess.stage = "ehlo"
                ehlo = await sess.command(f"EHLO {s.helo_name}")
                if ehlo.code != 250:
                    return smtp.reply_said(ehlo, sess.stage)
                ext = smtp.extensions(ehlo)
            else:
                sess.note("STARTTLS refused; continuing without TLS")
        sess.smtputf8 = "SMTPUTF8" in ext
        return None

    async def _handshake(
        self, sess: SmtpSession, host: MailHost, ip: str
    ) -> tuple[TlsInfo | None, Said | None]:
        """STARTTLS handshake; on a certificate failure, optionally fetch the certificate unverified."""
        try:
            await sess.starttls(self._verify_ctx, host.host)
        except ssl.SSLError as exc:
            problem, message = tls_problem(exc)
            sess.note(f"TLS failed: {message}")
            info = TlsInfo(problem=problem, error=message)
            if self.settings.inspect_failed_tls and problem != "handshake":
                seen = await self._inspect_tls(host, ip)
                if seen is not None:
                    sess.note("certificate details fetched over a second, unverified connection")
                    info = dataclasses.replace(seen, verified=False, problem=problem, error=message)
            return info, Said(Outcome.TLS_FAILED, "starttls", None, f"{problem}: {message}")
        info = tls_info(sess.ssl_object(), host.host, verified=self.settings.tls_verify)
        sess.note(f"TLS started: {info.protocol} {info.cipher}")
        return info, None

    async def _inspect_tls(self, host: MailHost, ip: str) -> TlsInfo | None:
        s = self.settings
        sess = self._session(ip)
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
                return tls_info(sess.ssl_object(), host.host, verified=False)
        except (TimeoutError, OSError, ssl.SSLError, SmtpClosed, SmtpProtocolError):
            return None
        finally:
            await sess.close(quit_first=True)

    async def _recipient(self, sess: SmtpSession, domain: str, a: Address) -> Said:
        """The verdict on one address (and the catch-all probe, once per domain)."""
        if a.needs_smtputf8 and not sess.smtputf8:
            sess.note("address needs SMTPUTF8, which the server does not offer")
            text = "5.6.7 the server does not offer SMTPUTF8, so a non-ASCII local part cannot be delivered"
            return Said(Outcome.REJECTED, "mail", None, text, "notaccept")
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

    async def _rcpt(self, sess: SmtpSession, recipient: str, smtputf8: bool) -> Said:
        s = self.settings
        return await smtp.rcpt(
            sess, recipient, smtputf8, mail_from=s.mail_from, per_transaction=s.rcpt_per_transaction
        )


def _verdict_result(
    a: Address,
    domain: str,
    host: MailHost,
    ip: str,
    verdict: Said,
    sess: SmtpSession,
    transcript: tuple[Step, ...],
) -> ProbeResult:
    """One recipient's result from the connection that gave its verdict."""
    return ProbeResult(
        a.original, domain, verdict.outcome, reason=verdict.reason, code=verdict.code,
        enhanced=enhanced_status(verdict.text), text=verdict.text, stage=verdict.stage,
        detail=f"{host.host} [{ip}] {verdict.stage}: {verdict.code or ''} {verdict.text}".strip(),
        mx_host=host.host,
        attempts=(MxAttempt(host.host, ip, host.preference, verdict.outcome, verdict.stage, verdict.code,
                            verdict.text, sess.tls, sess.tls_offered, transcript, sess.ms()),),
    )  # fmt: skip
