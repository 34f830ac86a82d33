"""`maildaemon status`: respondents per agency by state, and the daemon's health seen from outside."""

from __future__ import annotations

import argparse
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.cli.output import print_json
from maildaemon.config import Config
from maildaemon.reporting.display import status_lines, status_table
from maildaemon.service.health import Reachability, daemon_health


async def cmd_status(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        rec = await store.get_campaign(args.campaign) if args.campaign else None
        counts = await store.agency_counts(rec.id) if rec else []
        health = await daemon_health(cfg, store, app.utcnow(), probe=not args.no_probe)
    lines = status_lines(counts)
    if args.json:
        reach = [_reach_dict(r) for r in health.get("reachability", [])]
        out: dict[str, Any] = {"health": {**health, "reachability": reach}}
        if rec:
            out.update(
                campaign=rec.name, paused=rec.paused, halted_reason=rec.halted_reason,
                agencies=[{"code": ln.code, "name": ln.name, "total": ln.total, "delivery": ln.delivery,
                           "completion": ln.completion} for ln in lines],
            )  # fmt: skip
        print_json(out)
        return 0
    if rec:
        state = "halted: " + rec.halted_reason if rec.halted_reason else "paused" if rec.paused else "running"
        print(f"{rec.name} — {rec.campaign.title} ({state})")
        print(status_table(lines))
        print()
    q = health["queue"]
    oldest = q["oldest_deferred"]
    print(f"outbox: {', '.join(f'{k} {v}' for k, v in sorted(q['states'].items())) or 'empty'}; due now {q['due']}"
          + (f"; oldest deferred since {oldest:%Y-%m-%d %H:%M} UTC" if oldest else ""))  # fmt: skip
    poll = health["last_imap_poll"]
    print(f"last IMAP poll: {poll:%Y-%m-%d %H:%M:%S} UTC" if poll else "last IMAP poll: never")
    for r in health.get("reachability", []):
        print(f"{r.name} {r.target}: {'reachable' if r.ok else 'NOT reachable'} ({r.detail}, {r.ms} ms)")
    return 0


def _reach_dict(r: Reachability) -> dict[str, Any]:
    return {"name": r.name, "target": r.target, "ok": r.ok, "detail": r.detail, "ms": r.ms}


def register(sub: Any) -> None:
    st = sub.add_parser("status", help="respondents per agency by state, and the daemon's health")
    st.add_argument("campaign", nargs="?")
    st.add_argument("--no-probe", action="store_true", help="do not try to reach the SMTP and IMAP servers")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_status)
