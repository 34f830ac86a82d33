"""`maildaemon events`: read the event log ("what happened to this person, and when?"), or follow it."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.cli.output import print_json
from maildaemon.config import Config
from maildaemon.store import EventRow

POLL_S = 1.0


async def cmd_events(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        campaign_id = (await store.get_campaign(args.campaign)).id if args.campaign else None
        after = 0
        if not args.follow and args.last:
            after = max(0, await store.last_event_id() - args.last)
        while True:
            rows = await store.events(campaign_id=campaign_id, email=args.respondent, after_id=after)
            for ev in rows:
                after = ev.id
                _print_event(ev, args.json)
            sys.stdout.flush()
            if not args.follow:
                return 0
            if not rows:
                await asyncio.sleep(POLL_S)  # polling the event log; nothing to synchronise with


def _print_event(ev: EventRow, as_json: bool) -> None:
    if as_json:
        print_json(
            {"id": ev.id, "at": ev.at.isoformat(), "campaign": ev.campaign, "email": ev.email,
             "agency": ev.agency, "field": ev.field, "old": ev.old, "new": ev.new,
             "source": ev.source, "detail": ev.detail}
        )  # fmt: skip
        return
    change = f"{ev.field} {ev.old or '-'} -> {ev.new or '-'}"
    print(
        f"{ev.at:%Y-%m-%d %H:%M:%S} {ev.campaign or '-'} {ev.email or '-'} {change} "
        f"[{ev.source}] {ev.detail}".rstrip()
    )


def register(sub: Any) -> None:
    ev = sub.add_parser("events", help="read the event log")
    ev.add_argument("--campaign")
    ev.add_argument("--respondent", metavar="EMAIL")
    ev.add_argument("--follow", "-f", action="store_true")
    ev.add_argument("--last", type=int, default=0, help="only the last N events")
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=cmd_events)
