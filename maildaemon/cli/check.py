"""`maildaemon check` (every respondent of a campaign, before sending) and `maildaemon diagnose`
(one address, for IT staff: DNS, each MX's transcript, TLS, our SPF/DMARC, history, what to do).
The use cases are in ``deliverability``; here they are parsed, called and printed."""

from __future__ import annotations

import argparse
import json
import socket
import sys
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.config import Config
from maildaemon.deliverability.check import check_campaign, probe_settings
from maildaemon.deliverability.diagnose import diagnose
from maildaemon.deliverability.findings import HistoryEvent
from maildaemon.deliverability.outcomes import EXIT_CODES, Outcome
from maildaemon.reporting.display import table


def _progress(done: int, total: int) -> None:
    print(f"\rchecked {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)


async def cmd_check(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        rec = await store.get_campaign(args.campaign)
        c = rec.campaign
        settings = probe_settings(
            cfg.checker, f"{c.bounce_prefix}@{c.bounce_domain}", cfg.daemon.allow_test_domains
        )
        progress = _progress if sys.stderr.isatty() and not args.json else None
        s = await check_campaign(store, rec.name, settings, args.agency, progress, now=app.utcnow)
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
    async with app.open_store(cfg) as store:
        campaigns = await store.list_campaigns()
        sender = args.sender_domain or (
            campaigns[-1].campaign.sender_address.rsplit("@", 1)[-1] if campaigns else ""
        )
        bounce = (f"{campaigns[-1].campaign.bounce_prefix}@{campaigns[-1].campaign.bounce_domain}"
                  if campaigns else "")  # fmt: skip
        history = [HistoryEvent(h.at, h.kind, h.outcome, h.reason, h.detail)
                   for h in await store.address_history(args.address)]  # fmt: skip
        tz = campaigns[-1].campaign.timezone if campaigns else "Asia/Ho_Chi_Minh"
    settings = probe_settings(cfg.checker, bounce, cfg.daemon.allow_test_domains)
    relay_ips = args.relay_ip or _resolve(cfg.smtp.host)
    result = await diagnose(args.address, settings, sender, history, relay_ips=relay_ips, tz=tz)
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, default=str))
    else:
        print(result.render_text(args.lang or cfg.daemon.language, tz))
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
