"""The check use case: probe every respondent's address of a campaign once, politely (the prober's
per-MX limits and its connection reuse), record each result with the respondent's new state
(checked_ok / checked_bad), and summarise the outcomes per domain and per agency."""

from __future__ import annotations

import logging
import socket
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from maildaemon.config import CheckerConfig
from maildaemon.core.lifecycle import CheckResult
from maildaemon.deliverability.outcomes import Outcome
from maildaemon.deliverability.probe import Prober, ProbeSettings
from maildaemon.deliverability.results import ProbeResult
from maildaemon.inbound.classify import is_hard
from maildaemon.store import CheckTarget, Store

log = logging.getLogger(__name__)

BAD = frozenset({Outcome.NO_DOMAIN, Outcome.NO_MX, Outcome.INVALID})
GOOD = frozenset({Outcome.ACCEPTED, Outcome.CATCH_ALL})
RECORD_BATCH = 200  # results written per transaction


def utcnow() -> datetime:
    return datetime.now(UTC)


def verdict_for(result: ProbeResult) -> str | None:
    """Pure: does this result move the respondent to checked_ok ("ok"), checked_bad ("bad"), or not at all?

    Only what is about the address itself is "bad": no such domain or mail host, a malformed
    address, or a rejection for a hard reason (unknown user, ...). A policy rejection or a timeout
    says nothing against the address and leaves the state alone.
    """
    if result.outcome in GOOD:
        return "ok"
    if result.outcome in BAD:
        return "bad"
    if result.outcome is Outcome.REJECTED and result.reason and is_hard(result.reason):
        return "bad"
    return None


def check_result(result: ProbeResult) -> CheckResult:
    """Pure: a probe's result as the lifecycle and the operator's decisions read it."""
    return CheckResult(verdict_for(result), result.outcome.value, result.code, result.text, result.reason)


async def check_address(address: str, settings: ProbeSettings) -> ProbeResult:
    """Probe one address (an operator's corrected one) under the same settings and per-MX politeness as
    a campaign's check; every outcome, a timeout included, comes back as a result, never raised."""
    started = time.monotonic()
    async with Prober(settings) as prober:
        result = await prober.check(address)
    log.info("check.address domain=%s outcome=%s duration=%.1fs", result.domain, result.outcome.value,
             time.monotonic() - started)  # fmt: skip
    return result


def probe_settings(c: CheckerConfig, mail_from: str, test_environment: bool) -> ProbeSettings:
    """The prober's settings from the ``[checker]`` section; HELO as this host's name unless set."""
    nameservers = []
    for ns in c.nameservers:
        host, _, port = ns.rpartition(":") if ns.count(":") == 1 else (ns, "", "53")
        nameservers.append((host or ns, int(port or 53)))
    return ProbeSettings(
        helo_name=c.helo_name or socket.getfqdn(), mail_from=mail_from, smtp_port=c.smtp_port,
        connect_timeout=c.connect_timeout_s, command_timeout=c.command_timeout_s,
        per_mx_concurrency=c.per_mx_concurrency, per_mx_min_gap=c.per_mx_min_gap_s,
        catch_all_check=c.catch_all_check, tls_verify=c.tls_verify, ca_file=c.ca_file or None,
        nameservers=nameservers, cache_ttl=c.cache_ttl_h * 3600, test_environment=test_environment,
    )  # fmt: skip


@dataclass
class CheckSummary:
    campaign: str
    checked: int = 0
    seconds: float = 0.0
    by_domain: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    by_agency: dict[str, Counter[str]] = field(default_factory=lambda: defaultdict(Counter))
    bad: list[tuple[CheckTarget, ProbeResult]] = field(default_factory=list)

    def add(self, result: ProbeResult, targets: list[CheckTarget], verdict: str | None) -> None:
        """Count one address's result (once per domain; once per respondent for the agencies)."""
        for t in targets:
            self.by_agency[t.agency_name or "-"][result.outcome.value] += 1
            if verdict == "bad":
                self.bad.append((t, result))
        self.by_domain[result.domain][result.outcome.value] += 1


async def check_campaign(
    store: Store, campaign: str, settings: ProbeSettings, agency: str | None = None,
    progress: Callable[[int, int], None] | None = None, now: Callable[[], datetime] = utcnow,
) -> CheckSummary:  # fmt: skip
    """Probe every respondent's address once, record each result, set checked_ok / checked_bad."""
    rec = await store.get_campaign(campaign)
    targets: dict[str, list[CheckTarget]] = defaultdict(list)
    async for page in store.check_targets(rec.id, agency):
        for t in page:
            targets[t.email].append(t)
    summary = CheckSummary(rec.name, checked=len(targets))
    pending: list[tuple[CheckTarget | None, dict[str, Any], str | None]] = []
    started = time.monotonic()
    done = 0
    async with Prober(settings) as prober:
        async for result in prober.check_many(list(targets)):
            verdict = verdict_for(result)
            mine = targets.get(result.address, [])
            pending.extend((t, result.to_dict(), verdict) for t in mine)
            summary.add(result, mine, verdict)
            done += 1
            if len(pending) >= RECORD_BATCH:
                await store.record_checks(pending, now())
                pending = []
            if progress:
                progress(done, len(targets))
    await store.record_checks(pending, now())
    summary.seconds = time.monotonic() - started
    log.info("check.done campaign=%s checked=%d bad=%d duration=%.1fs", rec.name, summary.checked,
             len(summary.bad), summary.seconds)  # fmt: skip
    return summary
