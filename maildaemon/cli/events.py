"""`maildaemon events`: read the event log ("what happened to this person, and when?") a page at a
time, saying how many more there are, or follow it; times in each campaign's zone, labelled."""

from __future__ import annotations

import argparse
import asyncio
import sys
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.cli.output import print_json
from maildaemon.config import Config
from maildaemon.errors import InputError
from maildaemon.reporting import clock
from maildaemon.reporting import vocabulary as V
from maildaemon.store import EventRow

POLL_S = 1.0

_MORE = {
    "vi": "… còn {more} sự kiện nữa (đã hiện {first}-{last} trong {total}); xem tiếp: {hint}",
    "en": "… {more} more events (shown {first}-{last} of {total}); next: {hint}",
}
_NONE = {"vi": "Không có sự kiện nào.", "en": "No events."}


async def cmd_events(args: argparse.Namespace, cfg: Config) -> int:
    if args.limit < 1 or args.page < 1:
        raise InputError("--limit and --page must be at least 1")
    lang = V.lang_of(args.lang or cfg.daemon.language)
    async with app.open_store(cfg) as store:
        zones = {rec.name: rec.campaign.timezone for rec in await store.list_campaigns()}
        campaign_id = (await store.get_campaign(args.campaign)).id if args.campaign else None
        where: dict[str, Any] = {"campaign_id": campaign_id, "email": args.respondent}
        if args.follow:
            start = max(0, await store.last_event_id() - args.last) if args.last else 0
            await _follow(store, where, start, zones, args.json, lang)
            return 0
        total = await store.count_events(**where)
        limit = min(args.limit, args.last) if args.last else args.limit
        skip = (max(0, total - args.last) if args.last else 0) + (args.page - 1) * limit
        after = 0
        if skip:  # the event log is read by id; a page starts after the last id of the ones before it
            skipped = await store.events(**where, limit=skip)
            after = skipped[-1].id if skipped else 0
        rows = await store.events(**where, after_id=after, limit=limit) if skip < total else []
    for ev in rows:
        _print_event(ev, args.json, zones, lang)
    more = total - skip - len(rows)
    if not rows and not args.json:
        print(_NONE[lang])
    if more > 0:
        hint = " ".join([*_argv_without_page(), "--page", str(args.page + 1)])
        note = _MORE[lang].format(more=_n(more, lang), first=skip + 1, last=skip + len(rows), total=_n(total, lang),
                                  hint=hint)  # fmt: skip
        print(note, file=sys.stderr if args.json else sys.stdout)
    return 0


async def _follow(store: Any, where: dict[str, Any], after: int, zones: dict[str, str], as_json: bool,
                  lang: str) -> None:  # fmt: skip
    while True:
        rows = await store.events(**where, after_id=after)
        for ev in rows:
            after = ev.id
            _print_event(ev, as_json, zones, lang)
        sys.stdout.flush()
        if not rows:
            await asyncio.sleep(POLL_S)  # polling the event log; nothing to synchronise with


def _argv_without_page() -> list[str]:
    """The command as the operator typed it, without its --page, for the "next page" hint."""
    argv = ["maildaemon", *sys.argv[1:]]
    out: list[str] = []
    skip_next = False
    for a in argv:
        if skip_next:
            skip_next = False
            continue
        if a == "--page":
            skip_next = True
            continue
        if a.startswith("--page="):
            continue
        out.append(a)
    return out


def _print_event(ev: EventRow, as_json: bool, zones: dict[str, str], lang: str) -> None:
    tz = zones.get(ev.campaign or "", clock.DEFAULT_TZ)
    if as_json:
        print_json(
            {"id": ev.id, "at": clock.iso(ev.at, tz), "campaign": ev.campaign, "email": ev.email,
             "agency": ev.agency, "field": ev.field, "old": ev.old, "new": ev.new,
             "source": ev.source, "detail": ev.detail}
        )  # fmt: skip
        return
    fmt = "%d/%m/%Y %H:%M:%S" if lang == "vi" else "%Y-%m-%d %H:%M:%S"
    change = (f"{V.event_field(ev.field, lang)}: {V.event_word(ev.field, ev.old, lang)} -> "
              f"{V.event_word(ev.field, ev.new, lang)}")  # fmt: skip
    print(
        f"{clock.local(ev.at, tz, fmt)} {ev.campaign or '-'} {ev.email or '-'} {change} "
        f"[{V.event_source(ev.source, lang)}] {ev.detail}".rstrip()
    )


def register(sub: Any) -> None:
    ev = sub.add_parser("events", help="read the event log, a page at a time")
    ev.add_argument("--campaign")
    ev.add_argument("--respondent", metavar="EMAIL")
    ev.add_argument("--follow", "-f", action="store_true")
    ev.add_argument("--last", type=int, default=0, help="only the last N events")
    ev.add_argument("--limit", type=int, default=1000, help="events per page (default 1000)")
    ev.add_argument("--page", type=int, default=1, help="which page (default 1)")
    ev.add_argument("--lang", choices=["vi", "en"], default=None, help="default: daemon.language")
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=cmd_events)


def _n(n: int, lang: str) -> str:
    """Thousands as each language writes them (Vietnamese: 18.365)."""
    return f"{n:,}".replace(",", ".") if lang == "vi" else f"{n:,}"
