"""The `maildaemon` command: parse arguments, set up logging, run one use case, print, exit.

Errors of the project's own types print their cause chain on one line each and exit non-zero;
anything else is a bug and gets a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any

from maildaemon import __version__
from maildaemon.cli import backup, migrate
from maildaemon.cli import usecases as app
from maildaemon.config import Config, load_config, redacted
from maildaemon.errors import ConfigError, InputError, MaildaemonError, NotFound
from maildaemon.reporting.display import status_lines, status_table, table
from maildaemon.service.logsetup import setup_logging

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_NOT_FOUND = 4

Handler = Callable[[argparse.Namespace, Config], Coroutine[Any, Any, int]]


def _print_json(obj: Any) -> None:
    print(json.dumps(obj, ensure_ascii=False, default=str))


# --- db, config ------------------------------------------------------------------------------


async def cmd_db_init(args: argparse.Namespace, cfg: Config) -> int:
    store = app.open_store(cfg)
    try:
        created = await store.init_schema()
        await store.require_schema()
    finally:
        await store.close()
    print(("created schema in " if created else "schema already present in ") + store.safe_url)
    return 0


async def cmd_db_check(args: argparse.Namespace, cfg: Config) -> int:
    store = app.open_store(cfg)
    try:
        await store.require_schema()
    finally:
        await store.close()
    print(f"schema ok in {store.safe_url}")
    return 0


async def cmd_config_check(args: argparse.Namespace, cfg: Config) -> int:
    data = redacted(cfg)
    if args.json:
        _print_json(data)
    else:
        print(f"# effective configuration from {cfg.source} (secrets redacted)")
        for section, values in data.items():
            if isinstance(values, dict):
                print(f"[{section}]")
                for key, value in values.items():
                    print(f"{key} = {json.dumps(value, ensure_ascii=False)}")
            else:
                print(f"{section} = {json.dumps(values, ensure_ascii=False)}")
    return 0


# --- campaigns --------------------------------------------------------------------------------


def _campaign_dict(rec: app.CampaignRecord) -> dict[str, Any]:
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
    store = await app.open_ready_store(cfg)
    try:
        rec, created = await app.create_campaign(store, Path(args.file), update=args.update)
    finally:
        await store.close()
    print(f"campaign {rec.name} {'created' if created else 'updated'}: {rec.campaign.title}")
    return 0


async def cmd_campaign_list(args: argparse.Namespace, cfg: Config) -> int:
    store = await app.open_ready_store(cfg)
    try:
        records = await store.list_campaigns()
    finally:
        await store.close()
    if args.json:
        _print_json([_campaign_dict(r) for r in records])
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
    store = await app.open_ready_store(cfg)
    try:
        rec = await store.get_campaign(args.name)
    finally:
        await store.close()
    data = _campaign_dict(rec)
    if args.json:
        _print_json(data)
    else:
        for key, value in data.items():
            print(f"{key:22} {value}")
    return 0


async def cmd_campaign_pause(args: argparse.Namespace, cfg: Config) -> int:
    store = await app.open_ready_store(cfg)
    try:
        changed = await store.set_paused(args.name, args.cmd2 == "pause", app.utcnow())
    finally:
        await store.close()
    state = "paused" if args.cmd2 == "pause" else "running"
    print(f"campaign {args.name} {state}" + ("" if changed else " (no change)"))
    return 0


# --- roster, status, events -------------------------------------------------------------------


async def cmd_import(args: argparse.Namespace, cfg: Config) -> int:
    store = await app.open_ready_store(cfg)
    try:
        result = await app.import_roster(
            store,
            args.campaign,
            Path(args.file),
            sheet=args.sheet,
            allow_test_domains=cfg.daemon.allow_test_domains,
        )
    finally:
        await store.close()
    s = result.summary
    if args.json:
        _print_json(
            {
                "imported": s.imported,
                "updated": s.updated,
                "unchanged": s.unchanged,
                "rejected": len(result.rejects),
                "rejects_file": str(result.rejects_path) if result.rejects_path else None,
                "encoding": result.encoding,
                "agencies_added": s.agencies_added,
            }
        )
    else:
        print(
            f"{args.file}: imported {s.imported}, updated {s.updated}, unchanged {s.unchanged}, "
            f"rejected {len(result.rejects)} (encoding {result.encoding}, header on line {result.header_line})"
        )
        for rej in result.rejects[:20]:
            print(f"  line {rej.line}: {rej.reason}")
        if len(result.rejects) > 20:
            print(f"  ... {len(result.rejects) - 20} more")
        if result.rejects_path:
            print(f"rejected rows written to {result.rejects_path}")
    return 0


async def cmd_status(args: argparse.Namespace, cfg: Config) -> int:
    from maildaemon.service.health import daemon_health

    store = await app.open_ready_store(cfg)
    try:
        rec = await store.get_campaign(args.campaign) if args.campaign else None
        counts = await store.agency_counts(rec.id) if rec else []
        health = await daemon_health(cfg, store, app.utcnow(), probe=not args.no_probe)
    finally:
        await store.close()
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
        _print_json(out)
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


def _reach_dict(r: Any) -> dict[str, Any]:
    return {"name": r.name, "target": r.target, "ok": r.ok, "detail": r.detail, "ms": r.ms}


async def cmd_events(args: argparse.Namespace, cfg: Config) -> int:
    store = await app.open_ready_store(cfg)
    try:
        campaign_id = (await store.get_campaign(args.campaign)).id if args.campaign else None
        after = 0
        if not args.follow and args.last:
            after = max(0, await _last_event_id(store) - args.last)
        while True:
            rows = await store.events(campaign_id=campaign_id, email=args.respondent, after_id=after)
            for ev in rows:
                after = ev.id
                if args.json:
                    _print_json(
                        {"id": ev.id, "at": ev.at.isoformat(), "campaign": ev.campaign, "email": ev.email,
                         "agency": ev.agency, "field": ev.field, "old": ev.old, "new": ev.new,
                         "source": ev.source, "detail": ev.detail}
                    )  # fmt: skip
                else:
                    change = f"{ev.field} {ev.old or '-'} -> {ev.new or '-'}"
                    print(
                        f"{ev.at:%Y-%m-%d %H:%M:%S} {ev.campaign or '-'} {ev.email or '-'} {change} "
                        f"[{ev.source}] {ev.detail}".rstrip()
                    )
            sys.stdout.flush()
            if not args.follow:
                return 0
            if not rows:
                await asyncio.sleep(1.0)  # polling the event log; nothing to synchronise with
    finally:
        await store.close()


async def _last_event_id(store: app.Store) -> int:
    from sqlalchemy import func, select

    from maildaemon.store import tables

    async with store.tx() as conn:
        return int((await conn.execute(select(func.coalesce(func.max(tables.events.c.id), 0)))).scalar() or 0)


# --- parser -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="maildaemon", description="Survey-mail workflow daemon.")
    p.add_argument(
        "--config", "-c", type=Path, help="config file (default: $MAILDAEMON_CONFIG, /etc/maildaemon)"
    )
    p.add_argument("--log-format", choices=["auto", "text", "json", "journal"], default=None)
    p.add_argument("--verbose", "-v", action="store_true", help="debug logging")
    p.add_argument("--version", action="version", version=f"maildaemon {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True, metavar="COMMAND")

    db = sub.add_parser("db", help="database schema").add_subparsers(dest="cmd2", required=True)
    db.add_parser("init", help="create the schema").set_defaults(func=cmd_db_init)
    db.add_parser("check", help="check the schema version").set_defaults(func=cmd_db_check)
    migrate.register(db)
    backup.register(db)

    cf = sub.add_parser("config", help="configuration").add_subparsers(dest="cmd2", required=True)
    cc = cf.add_parser("check", help="validate and print the effective config, secrets redacted")
    cc.add_argument("--json", action="store_true")
    cc.set_defaults(func=cmd_config_check)

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

    im = sub.add_parser("import", help="import a roster (.csv, .txt, .xlsx) into a campaign")
    im.add_argument("campaign")
    im.add_argument("file")
    im.add_argument("--sheet", help="worksheet name in an .xlsx file")
    im.add_argument("--json", action="store_true")
    im.set_defaults(func=cmd_import)

    st = sub.add_parser("status", help="respondents per agency by state, and the daemon's health")
    st.add_argument("campaign", nargs="?")
    st.add_argument("--no-probe", action="store_true", help="do not try to reach the SMTP and IMAP servers")
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_status)

    ev = sub.add_parser("events", help="read the event log")
    ev.add_argument("--campaign")
    ev.add_argument("--respondent", metavar="EMAIL")
    ev.add_argument("--follow", "-f", action="store_true")
    ev.add_argument("--last", type=int, default=0, help="only the last N events")
    ev.add_argument("--json", action="store_true")
    ev.set_defaults(func=cmd_events)

    for register in _extra_commands():
        register(sub)
    return p


def _extra_commands() -> list[Callable[[Any], None]]:
    from maildaemon.cli import check as checkcmd
    from maildaemon.cli import demo, purge
    from maildaemon.cli import inbound as inboundcmd
    from maildaemon.cli import report as reportcmd
    from maildaemon.cli import run as runcmd
    from maildaemon.intake import completions

    return [
        runcmd.register, inboundcmd.register, checkcmd.register, reportcmd.register, completions.register,
        demo.register, purge.register,
    ]  # fmt: skip


def _chain(exc: BaseException) -> list[str]:
    out = []
    seen: BaseException | None = exc
    while seen is not None:
        text = str(seen).strip()
        if text and text not in out:
            out.append(text)
        seen = seen.__cause__
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        cfg = load_config(args.config)
    except ConfigError as exc:
        print(f"maildaemon: config error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    setup_logging(args.log_format or cfg.daemon.log_format, "DEBUG" if args.verbose else cfg.daemon.log_level)
    handler: Handler = args.func
    try:
        return asyncio.run(handler(args, cfg))
    except KeyboardInterrupt:
        return 130
    except MaildaemonError as exc:
        kind = {ConfigError: EXIT_USAGE, InputError: EXIT_INPUT, NotFound: EXIT_NOT_FOUND}
        code = next((v for k, v in kind.items() if isinstance(exc, k)), EXIT_ERROR)
        lines = _chain(exc)
        print(f"maildaemon: error: {lines[0]}", file=sys.stderr)
        for line in lines[1:]:
            print(f"  caused by: {line}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
