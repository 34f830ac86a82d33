"""`maildaemon check` (every respondent of a campaign, before sending) and `maildaemon diagnose`
(one address, for IT staff: DNS, each MX's transcript, TLS, our SPF/DMARC, history, what to do)."""

from __future__ import annotations

import argparse
import json
import logging
import socket
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.config import CheckerConfig, Config
from maildaemon.deliverability.diagnose import diagnose
from maildaemon.deliverability.findings import HistoryEvent
from maildaemon.deliverability.outcomes import EXIT_CODES, Outcome
from maildaemon.deliverability.probe import Prober, ProbeSettings
from maildaemon.deliverability.results import ProbeResult
from maildaemon.inbound.classify import is_hard
from maildaemon.reporting.display import table
from maildaemon.store import CheckTarget, Store

log = logging.getLogger(__name__)

BAD = frozenset({Outcome.NO_DOMAIN, Outcome.NO_MX, Outcome.INVALID})
GOOD = frozenset({Outcome.ACCEPTED, Outcome.CATCH_ALL})


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


def probe_settings(c: CheckerConfig, mail_from: str, test_environment: bool) -> ProbeSettings:
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


async def check_campaign(
    store: Store, campaign: str, settings: ProbeSettings, agency: str | None = None,
    progress: Callable[[int, int], None] | None = None,
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
            for t in targets.get(result.address, []):
                pending.append((t, result.to_dict(), verdict))
                summary.by_agency[t.agency_name or "-"][result.outcome.value] += 1
                if verdict == "bad":
                    summary.bad.append((t, result))
            summary.by_domain[result.domain][result.outcome.value] += 1
            done += 1
            if len(pending) >= 200:
                await store.record_checks(pending, app.utcnow())
                pending = []
            if progress:
                progress(done, len(targets))
    await store.record_checks(pending, app.utcnow())
    summary.seconds = time.monotonic() - started
    log.info("check.done campaign=%s checked=%d bad=%d duration=%.1fs", rec.name, summary.checked,
             len(summary.bad), summary.seconds)  # fmt: skip
    return summary


def _progress(done: int, total: int) -> None:
    print(f"\rchecked {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)


async def cmd_check(args: argparse.Namespace, cfg: Config) -> int:
    store = await app.open_ready_store(cfg)
    try:
        rec = await store.get_campaign(args.campaign)
        c = rec.campaign
        settings = probe_settings(
            cfg.checker, f"{c.bounce_prefix}@{c.bounce_domain}", cfg.daemon.allow_test_domains
        )
        progress = _progress if sys.stderr.isatty() and not args.json else None
        s = await check_campaign(store, rec.name, settings, args.agency, progress)
    finally:
        await store.close()
    if args.json:
        print(json.dumps({
            "campaign": s.campaign, "checked": s.checked, "seconds": round(s.seconds, 1),
            "by_domain": s.by_domain, "by_agency": s.by_agency,
            "bad": [{"email": t.email, "agency": t.agency_name, "outcome": r.outcome.value, "reason": r.reason,
                     "code": r.code, "text": r.text} for t, r in s.bad],
        }, ensure_ascii=False))  # fmt: skip
        return 0
    outcomes = [o.value for o in Outcome]
    used = [o for o in outcomes if any(c[o] for c in s.by_domain.values())]
    print(f"checked {s.checked} addresses of {s.campaign} in {s.seconds:.1f}s\n")
    print(table(["domain", *used], [[d, *[c[o] for o in used]] for d, c in sorted(s.by_domain.items())]))
    print()
    print(table(["agency", *used], [[a, *[c[o] for o in used]] for a, c in sorted(s.by_agency.items())]))
    if s.bad:
        print(f"\n{len(s.bad)} addresses to correct (they get no mail until fixed and re-imported):")
        print(table(["agency", "address", "result", "reason", "server said"],
                    [[t.agency_name, t.email, r.outcome.value, r.reason, f"{r.code or ''} {r.text}".strip()[:80]]
                     for t, r in s.bad], numeric_from=99))  # fmt: skip
    return 0


async def cmd_diagnose(args: argparse.Namespace, cfg: Config) -> int:
    store = await app.open_ready_store(cfg)
    try:
        campaigns = await store.list_campaigns()
        sender = args.sender_domain or (
            campaigns[-1].campaign.sender_address.rsplit("@", 1)[-1] if campaigns else ""
        )
        bounce = (f"{campaigns[-1].campaign.bounce_prefix}@{campaigns[-1].campaign.bounce_domain}"
                  if campaigns else "")  # fmt: skip
        history = [HistoryEvent(h.at, h.kind, h.outcome, h.reason, h.detail)
                   for h in await store.address_history(args.address)]  # fmt: skip
    finally:
        await store.close()
    settings = probe_settings(cfg.checker, bounce, cfg.daemon.allow_test_domains)
    relay_ips = args.relay_ip or _resolve(cfg.smtp.host)
    result = await diagnose(args.address, settings, sender, history, relay_ips=relay_ips)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, default=str))
    else:
        print(result.render_text(args.lang or cfg.daemon.language))
    return EXIT_CODES.get(result.result.outcome, 1)


def _resolve(host: str) -> list[str]:
    try:
        return sorted({str(ai[4][0]) for ai in socket.getaddrinfo(host, None)})
    except OSError:
        return []


def register(sub: Any) -> None:
    ck = sub.add_parser("check", help="check every respondent's mailbox before sending (DNS, SMTP RCPT, TLS)")
    ck.add_argument("campaign")
    ck.add_argument("--agency", metavar="CODE", help="only this agency (and its units)")
    ck.add_argument("--json", action="store_true")
    ck.set_defaults(func=cmd_check)
    dg = sub.add_parser("diagnose", help="why does this address not receive our mail? (for IT staff)")
    dg.add_argument("address")
    dg.add_argument("--json", action="store_true")
    dg.add_argument("--lang", choices=["vi", "en"], default=None)
    dg.add_argument(
        "--sender-domain", help="our sender domain to check SPF/DMARC for (default: latest campaign's)"
    )
    dg.add_argument(
        "--relay-ip", action="append", help="our relay's public IP (default: smtp.host's addresses)"
    )
    dg.set_defaults(func=cmd_diagnose)
