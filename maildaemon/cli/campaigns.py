"""`maildaemon campaign`: create, list, show, pause and resume campaigns."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.cli.output import print_json
from maildaemon.config import Config
from maildaemon.reporting.display import table
from maildaemon.store import CampaignRecord


def _campaign_dict(rec: CampaignRecord) -> dict[str, Any]:
    c = rec.campaign
    return {
        "name": c.name,
        "title": c.title,
        "survey_kind": c.survey_kind,
        "opens": c.opens.isoformat(),
        "closes": c.closes.isoformat(),
        "timezone": c.timezone,
        "language": c.language,
        "sender": f"{c.sender_name} <{c.sender_address}>",
        "bounce_domain": c.bounce_domain,
        "paused": rec.paused,
        "halted_reason": rec.halted_reason,
        "reminder_offsets_days": [o.total_seconds() / 86400 for o in c.reminders.offsets],
        "reminder_max": c.reminders.max_count,
        "window": {
            "weekdays": sorted(c.window.weekdays),
            "start": c.window.start.isoformat("minutes"),
            "end": c.window.end.isoformat("minutes"),
            "holidays": sorted(d.isoformat() for d in c.window.holidays),
        },
    }


async def cmd_campaign_create(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        rec, created = await app.create_campaign(store, Path(args.file), update=args.update)
    print(f"campaign {rec.name} {'created' if created else 'updated'}: {rec.campaign.title}")
    return 0


async def cmd_campaign_list(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        records = await store.list_campaigns()
    if args.json:
        print_json([_campaign_dict(r) for r in records])
        return 0
    rows = [
        [r.name, r.campaign.title, r.campaign.opens.strftime("%Y-%m-%d %H:%M"),
         r.campaign.closes.strftime("%Y-%m-%d %H:%M"),
         "halted" if r.halted_reason else "paused" if r.paused else "running"]
        for r in records
    ]  # fmt: skip
    print(
        table(["name", "title", "opens", "closes", "state"], rows, numeric_from=99)
        if rows
        else "no campaigns"
    )
    return 0


async def cmd_campaign_show(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        rec = await store.get_campaign(args.name)
    data = _campaign_dict(rec)
    if args.json:
        print_json(data)
    else:
        for key, value in data.items():
            print(f"{key:22} {value}")
    return 0


async def cmd_campaign_pause(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        changed = await store.set_paused(args.name, args.cmd2 == "pause", app.utcnow())
    state = "paused" if args.cmd2 == "pause" else "running"
    print(f"campaign {args.name} {state}" + ("" if changed else " (no change)"))
    return 0


def register(sub: Any) -> None:
    camp = sub.add_parser("campaign", help="create and control campaigns").add_subparsers(
        dest="cmd2", required=True
    )
    cr = camp.add_parser("create", help="create a campaign from its TOML file")
    cr.add_argument("file")
    cr.add_argument("--update", action="store_true", help="replace the definition of an existing campaign")
    cr.set_defaults(func=cmd_campaign_create)
    ls = camp.add_parser("list", help="list campaigns")
    ls.add_argument("--json", action="store_true")
    ls.set_defaults(func=cmd_campaign_list)
    sh = camp.add_parser("show", help="show one campaign")
    sh.add_argument("name")
    sh.add_argument("--json", action="store_true")
    sh.set_defaults(func=cmd_campaign_show)
    for verb in ("pause", "resume"):
        pr = camp.add_parser(verb, help=f"{verb} sending for a campaign")
        pr.add_argument("name")
        pr.set_defaults(func=cmd_campaign_pause)
