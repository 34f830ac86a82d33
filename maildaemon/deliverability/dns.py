"""DNS lookups for deliverability: where a domain's mail goes (MX, null MX, A/AAAA fallback) and what
our sender domain publishes (SPF, DMARC).

Every lookup returns a value that says what happened; DNS failures never escape as exceptions, because
"the domain's name servers did not answer" is itself a finding.
"""

from __future__ import annotations

import asyncio
import ipaddress
import time
from collections.abc import Sequence
from typing import Any

import dns.asyncresolver
import dns.exception
import dns.name
import dns.nameserver
import dns.resolver

from maildaemon.deliverability.dns_records import DmarcCheck, MailHost, MailRoute, RouteStatus, SpfCheck

__all__ = ["DmarcCheck", "MailHost", "MailRoute", "RouteStatus", "SpfCheck"]


def make_resolver(
    nameservers: Sequence[tuple[str, int]] = (), *, timeout: float = 5.0
) -> dns.asyncresolver.Resolver:
    """A resolver for the given (address, port) pairs; the system's when empty."""
    if nameservers:
        resolver = dns.asyncresolver.Resolver(configure=False)
        resolver.nameservers = [dns.nameserver.Do53Nameserver(addr, port) for addr, port in nameservers]
    else:
        resolver = dns.asyncresolver.Resolver()
    resolver.timeout = timeout
    resolver.lifetime = timeout
    return resolver


class _Transient(Exception):
    """Internal: a lookup failed in a way that may pass (timeout, SERVFAIL, resolver down)."""


def _describe(exc: BaseException) -> str:
    if isinstance(exc, dns.resolver.LifetimeTimeout | dns.exception.Timeout):
        return "DNS timeout: no answer from the name servers in time"
    if isinstance(exc, dns.resolver.NoNameservers):
        return f"no name server could answer (SERVFAIL, refused or down): {exc}"
    return f"{type(exc).__name__}: {exc}"


async def _query(resolver: dns.asyncresolver.Resolver, name: str, rdtype: str) -> list[Any] | None:
    """Records of one type; None for NXDOMAIN, [] for no data. Transient failures raise _Transient."""
    try:
        answer = await resolver.resolve(name, rdtype, search=False)
    except dns.resolver.NXDOMAIN:
        return None
    except dns.resolver.NoAnswer:
        return []
    except (dns.exception.Timeout, dns.resolver.NoNameservers) as exc:
        raise _Transient(_describe(exc)) from exc
    except (dns.exception.DNSException, OSError) as exc:  # malformed name, socket trouble
        raise _Transient(_describe(exc)) from exc
    return list(answer)


async def host_addresses(resolver: dns.asyncresolver.Resolver, host: str) -> tuple[tuple[str, ...], str]:
    """A then AAAA addresses of a host, and an error text when there are none."""
    results = await asyncio.gather(
        _query(resolver, host, "A"), _query(resolver, host, "AAAA"), return_exceptions=True
    )
    addresses: list[str] = []
    errors: list[str] = []
    for res in results:
        if isinstance(res, _Transient):
            errors.append(str(res))
        elif isinstance(res, BaseException):
            raise res
        elif res:
            addresses.extend(r.address for r in res)
    if addresses:
        return tuple(addresses), ""
    if errors:
        return (), errors[0]
    if all(r is None for r in results):
        return (), "host name does not exist (NXDOMAIN)"
    return (), "host name has no A/AAAA record"


async def mail_route(resolver: dns.asyncresolver.Resolver, domain: str) -> MailRoute:
    """MX hosts in preference order with their addresses; A/AAAA fallback; null MX; NXDOMAIN."""
    started = time.perf_counter()

    def done(status: RouteStatus, hosts: tuple[MailHost, ...] = (), error: str = "") -> MailRoute:
        return MailRoute(domain, status, hosts, error, (time.perf_counter() - started) * 1000)

    try:
        mx = await _query(resolver, domain, "MX")
        if mx is None:
            return done(RouteStatus.NO_DOMAIN, error="the domain does not exist (NXDOMAIN)")
        if not mx:
            addresses, error = await host_addresses(resolver, domain)
            if not addresses:
                transient = error.startswith(("DNS timeout", "no name server"))
                status = RouteStatus.DNS_ERROR if transient else RouteStatus.NO_MAIL_HOST
                return done(status, error=f"no MX record, and {error or 'no A/AAAA record'}")
            return done(RouteStatus.A_FALLBACK, (MailHost(0, domain, addresses),))
    except _Transient as exc:
        return done(RouteStatus.DNS_ERROR, error=str(exc))
    records = sorted(((r.preference, r.exchange) for r in mx), key=lambda pe: (pe[0], str(pe[1])))
    if any(exchange == dns.name.root for _, exchange in records):
        # RFC 7505: a null MX means no mail; it must be the only record, but one is enough to say so.
        return done(RouteStatus.NULL_MX, error="null MX (RFC 7505): the domain accepts no mail")
    names = [exchange.to_text(omit_final_dot=True) for _, exchange in records]
    resolved = await asyncio.gather(*(host_addresses(resolver, n) for n in names))
    hosts = tuple(
        MailHost(pref, name, addrs, err)
        for (pref, _), name, (addrs, err) in zip(records, names, resolved, strict=True)
    )
    if not any(h.addresses for h in hosts):
        errors = [h.error for h in hosts]
        transient = any(e.startswith(("DNS timeout", "no name server")) for e in errors)
        status = RouteStatus.DNS_ERROR if transient else RouteStatus.NO_MAIL_HOST
        return done(status, hosts, "no MX host resolves to an address: " + "; ".join(errors))
    return done(RouteStatus.MX, hosts)


async def _txt(resolver: dns.asyncresolver.Resolver, name: str) -> list[str] | None:
    records = await _query(resolver, name, "TXT")
    if records is None:
        return None
    return [b"".join(r.strings).decode("utf-8", "replace") for r in records]


async def dmarc_record(resolver: dns.asyncresolver.Resolver, domain: str) -> DmarcCheck:
    """DMARC at _dmarc.<domain>, then at the two-label parent (a rough organisational domain)."""
    candidates = [domain]
    labels = domain.split(".")
    if len(labels) > 2:
        candidates.append(".".join(labels[-2:]))
    for name in candidates:
        try:
            texts = await _txt(resolver, f"_dmarc.{name}")
        except _Transient as exc:
            return DmarcCheck(name, None, error=str(exc))
        for text in texts or []:
            if text.lower().startswith("v=dmarc1"):
                tags = dict(
                    part.strip().split("=", 1) for part in text.split(";") if "=" in part and part.strip()
                )
                return DmarcCheck(name, text, tags.get("p", "").strip().lower())
    return DmarcCheck(domain, None)


_LOOKUP_LIMIT = 10  # RFC 7208 4.6.4


async def spf_check(
    resolver: dns.asyncresolver.Resolver, domain: str, relay_ips: Sequence[str] = ()
) -> SpfCheck:
    """The SPF record of ``domain`` and whether it allows each relay IP (a small RFC 7208 evaluator:
    ip4, ip6, a, mx, include, redirect, all; macros and exists give neutral)."""
    try:
        record = await _spf_record(resolver, domain)
    except _Transient as exc:
        return SpfCheck(domain, None, tuple((ip, "temperror") for ip in relay_ips), str(exc))
    if record is None:
        return SpfCheck(domain, None, tuple((ip, "none") for ip in relay_ips))
    verdicts = []
    for ip in relay_ips:
        budget = [_LOOKUP_LIMIT]
        try:
            verdict = await _evaluate(resolver, domain, ipaddress.ip_address(ip), budget, record)
        except _Transient:
            verdict = "temperror"
        except (ValueError, _PermError):
            verdict = "permerror"
        verdicts.append((ip, verdict))
    return SpfCheck(domain, record, tuple(verdicts))


class _PermError(Exception):
    pass


async def _spf_record(resolver: dns.asyncresolver.Resolver, domain: str) -> str | None:
    texts = await _txt(resolver, domain)
    spf = [t for t in texts or [] if t.lower() == "v=spf1" or t.lower().startswith("v=spf1 ")]
    return spf[0] if spf else None


def _split_cidr(value: str) -> tuple[str, int | None, int | None]:
    v4 = v6 = None
    if "//" in value:
        value, six = value.split("//", 1)
        v6 = int(six)
    if "/" in value:
        value, four = value.split("/", 1)
        v4 = int(four)
    return value, v4, v6


def _in_net(
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address, addr: str, v4: int | None, v6: int | None
) -> bool:
    other = ipaddress.ip_address(addr)
    if other.version != ip.version:
        return False
    bits = (v4 if ip.version == 4 else v6) or other.max_prefixlen
    return ip in ipaddress.ip_network(f"{addr}/{bits}", strict=False)


_QUALIFIERS = {"+": "pass", "-": "fail", "~": "softfail", "?": "neutral"}


async def _evaluate(
    resolver: dns.asyncresolver.Resolver,
    domain: str,
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
    budget: list[int],
    record: str | None = None,
) -> str:
    if record is None:
        record = await _spf_record(resolver, domain)
        if record is None:
            return "none"
    redirect = None
    for text in record.split()[1:]:
        if text.lower().startswith("redirect="):
            redirect = text.split("=", 1)[1]
            continue
        term = _term(text)
        if term is None:
            continue  # other modifiers (exp=)
        result, name, arg, cidr_tail = term
        if "%" in arg:
            return "neutral"  # macros: out of scope for this checker
        said = await _mechanism(resolver, domain, ip, budget, name, arg, cidr_tail)
        if said == "match":
            return result
        if said:
            return said
    if redirect:
        _spend(budget)
        inner = await _evaluate(resolver, redirect, ip, budget)
        return "permerror" if inner == "none" else inner
    return "neutral"


def _term(text: str) -> tuple[str, str, str, str] | None:
    """One SPF term as (result if it matches, mechanism, argument, CIDR suffix); None for a modifier."""
    if "=" in text.split(":", 1)[0]:
        return None
    qualifier = _QUALIFIERS.get(text[0], "")
    name, _, arg = (text[1:] if qualifier else text).partition(":")
    name, slash, rest = name.lower().partition("/")
    return qualifier or "pass", name, arg, slash + rest


def _spend(budget: list[int]) -> None:
    """One more DNS-querying term (RFC 7208 4.6.4 allows 10)."""
    budget[0] -= 1
    if budget[0] < 0:
        raise _PermError("too many DNS lookups")


async def _mechanism(
    resolver: dns.asyncresolver.Resolver,
    domain: str,
    ip: ipaddress.IPv4Address | ipaddress.IPv6Address,
    budget: list[int],
    name: str,
    arg: str,
    cidr_tail: str,
) -> str:
    """Does one mechanism match ``ip``: "match", "" (no), or an error result that ends the evaluation."""
    if name == "all":
        return "match"
    if name in ("ip4", "ip6"):
        addr, v4, v6 = _split_cidr(arg)
        return (
            "match" if _in_net(ip, addr, v4 if name == "ip4" else None, v4 if name == "ip6" else None) else ""
        )
    if name in ("a", "mx"):
        target, v4, v6 = _split_cidr((arg or domain) + cidr_tail)
        _spend(budget)
        hosts = [target]
        if name == "mx":
            mx = await _query(resolver, target, "MX") or []
            hosts = [r.exchange.to_text(omit_final_dot=True) for r in mx]
        for host in hosts:
            addrs, _ = await host_addresses(resolver, host)
            if any(_in_net(ip, a, v4, v6) for a in addrs):
                return "match"
        return ""
    if name == "include":
        _spend(budget)
        inner = await _evaluate(resolver, arg, ip, budget)
        if inner == "pass":
            return "match"
        if inner in ("temperror", "permerror"):
            return inner
        return "permerror" if inner == "none" else ""
    if name in ("exists", "ptr"):
        budget[0] -= 1  # counted, not evaluated
    return ""
