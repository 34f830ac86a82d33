"""`maildaemon campaign`: create, list, show, pause and resume campaigns."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.cli.output import print_json
from maildaemon.cli.respondents import default_actor
from maildaemon.config import Config
from maildaemon.core.window import clock_text
from maildaemon.reporting import clock
from maildaemon.reporting import vocabulary as V
from maildaemon.reporting.display import table
from maildaemon.store import CampaignRecord


def _campaign_dict(rec: CampaignRecord) -> dict[str, Any]:
    c = rec.campaign
    return {
        "name": c.name,
        "title": c.title,
        "survey_kind": c.survey_kind,
        "opens": clock.iso(c.opens, c.timezone),
        "closes": clock.iso(c.closes, c.timezone),
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
            "start": clock_text(c.window.start),
            "end": clock_text(c.window.end),
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
    t = _TEXT[V.lang_of(args.lang or cfg.daemon.language)]
    rows = [
        [r.name, r.campaign.title, clock.local(r.campaign.opens, r.campaign.timezone),
         clock.local(r.campaign.closes, r.campaign.timezone), _state(r, t)]
        for r in records
    ]  # fmt: skip
    print(table([t[k] for k in ("name", "title", "opens", "closes", "state")], rows, numeric_from=99)
          if rows else t["none"])  # fmt: skip
    return 0


_TEXT = {
    "vi": {"name": "Mã đợt", "title": "Tên đợt khảo sát", "opens": "Mở", "closes": "Đóng", "state": "Trạng thái",
           "none": "Chưa có đợt khảo sát nào.", "running": "đang chạy", "paused": "tạm dừng", "halted": "đã dừng",
           "timezone": "Múi giờ", "language": "Ngôn ngữ", "sender": "Người gửi", "bounce_domain": "Tên miền nhận thư trả về",
           "halted_reason": "Lý do dừng", "reminder_offsets_days": "Nhắc lại sau (ngày)", "reminder_max": "Số lần nhắc tối đa",
           "window": "Khung giờ gửi", "survey_kind": "Loại khảo sát"},
    "en": {"name": "Name", "title": "Title", "opens": "Opens", "closes": "Closes", "state": "State",
           "none": "No campaigns.", "running": "running", "paused": "paused", "halted": "halted",
           "timezone": "Time zone", "language": "Language", "sender": "Sender", "bounce_domain": "Bounce domain",
           "halted_reason": "Halted because", "reminder_offsets_days": "Reminders after (days)",
           "reminder_max": "Most reminders", "window": "Send window", "survey_kind": "Survey kind"},
}  # fmt: skip


def _state(rec: CampaignRecord, t: dict[str, str]) -> str:
    return t["halted"] if rec.halted_reason else t["paused"] if rec.paused else t["running"]


async def cmd_campaign_show(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        rec = await store.get_campaign(args.name)
    data = _campaign_dict(rec)
    if args.json:
        print_json(data)
        return 0
    t = _TEXT[V.lang_of(args.lang or cfg.daemon.language)]
    c = rec.campaign
    shown = {**data, "opens": clock.local(c.opens, c.timezone), "closes": clock.local(c.closes, c.timezone),
             "paused": None, "state": _state(rec, t)}  # fmt: skip
    for key, value in shown.items():
        if value is None or (key == "halted_reason" and not value):
            continue
        print(f"{t.get(key, key) + ':':26} {value}")
    return 0


async def cmd_campaign_pause(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        changed = await store.set_paused(args.name, args.cmd2 == "pause", app.utcnow(), actor=default_actor())
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
    ls.add_argument("--lang", choices=["vi", "en"], default=None, help="default: daemon.language")
    ls.set_defaults(func=cmd_campaign_list)
    sh = camp.add_parser("show", help="show one campaign")
    sh.add_argument("name")
    sh.add_argument("--json", action="store_true")
    sh.add_argument("--lang", choices=["vi", "en"], default=None, help="default: daemon.language")
    sh.set_defaults(func=cmd_campaign_show)
    for verb in ("pause", "resume"):
        pr = camp.add_parser(verb, help=f"{verb} sending for a campaign")
        pr.add_argument("name")
        pr.set_defaults(func=cmd_campaign_pause)
