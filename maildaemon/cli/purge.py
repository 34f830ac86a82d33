"""`maildaemon purge [CAMPAIGN] [--dry-run]`: delete raw inbound mail and pseudonymise the people of
campaigns whose retention after closing has ended (Decree 13/2023/NĐ-CP); the daemon does it too."""

from __future__ import annotations

import argparse
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.config import Config
from maildaemon.core import retention
from maildaemon.store.purge import PurgeResult, purge_campaign


def _line(r: PurgeResult) -> str:
    if r.already:
        return f"{r.campaign}: already purged"
    verb = "would pseudonymise" if r.dry_run else "pseudonymised"
    gone = "would delete" if r.dry_run else "deleted"
    return (
        f"{r.campaign}: {verb} {r.respondents} respondent(s), {gone} {r.inbound} raw message(s) "
        f"({r.raw_bytes / 1e6:.1f} MB), addresses scrubbed from {r.checks} check(s) and {r.texts} text(s)"
    )


async def cmd_purge(args: argparse.Namespace, cfg: Config) -> int:
    now = app.utcnow()
    async with app.open_store(cfg) as store:
        if args.campaign:
            rec = await store.get_campaign(args.campaign)
            print(_line(await purge_campaign(store, rec, now, dry_run=args.dry_run)))
            return 0
        for rec in await store.list_campaigns():
            why = retention.refusal(rec.campaign, now)
            if why:
                print(f"{rec.name}: kept ({why.split(': ', 1)[1].removesuffix(': purge refused')})")
            else:
                print(_line(await purge_campaign(store, rec, now, dry_run=args.dry_run)))
    return 0


def register(sub: Any) -> None:
    pg = sub.add_parser(
        "purge", help="delete raw inbound mail and pseudonymise people of campaigns past their retention"
    )
    pg.add_argument("campaign", nargs="?", help="one campaign (refused while open or within retention_days)")
    pg.add_argument("--dry-run", action="store_true", help="say what would go, change nothing")
    pg.set_defaults(func=cmd_purge)
