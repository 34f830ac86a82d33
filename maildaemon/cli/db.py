"""`maildaemon db`: create, check and upgrade the schema; back up and restore an SQLite database."""

from __future__ import annotations

import argparse
from typing import Any

from maildaemon.cli import backup
from maildaemon.cli.usecases import open_store
from maildaemon.config import Config
from maildaemon.store import migrations


async def cmd_db_init(args: argparse.Namespace, cfg: Config) -> int:
    async with open_store(cfg, ready=False) as store:
        created = await store.init_schema()
        await store.require_schema()
    print(("created schema in " if created else "schema already present in ") + store.safe_url)
    return 0


async def cmd_db_check(args: argparse.Namespace, cfg: Config) -> int:
    async with open_store(cfg, ready=False) as store:
        await store.require_schema()
    print(f"schema ok in {store.safe_url}")
    return 0


async def cmd_db_upgrade(args: argparse.Namespace, cfg: Config) -> int:
    async with open_store(cfg, ready=False) as store:
        before = await store.schema_version()
        steps = await migrations.upgrade(store)
    for step in steps:
        verb = "recognised existing schema as" if step.action == "stamp" else "upgraded to"
        print(f"{verb} version {step.version} ({step.seconds:.2f} s)")
    newest = migrations.newest_version()
    if not any(s.action == "upgrade" for s in steps):
        print(f"schema already at version {newest} in {store.safe_url}")
    else:
        print(f"schema at version {newest} in {store.safe_url} (was {before or 'empty'})")
    return 0


def register(sub: Any) -> None:
    db = sub.add_parser("db", help="database schema").add_subparsers(dest="cmd2", required=True)
    db.add_parser("init", help="create the schema").set_defaults(func=cmd_db_init)
    db.add_parser("check", help="check the schema version").set_defaults(func=cmd_db_check)
    up = db.add_parser("upgrade", help="migrate the database to the newest schema (take a backup first)")
    up.set_defaults(func=cmd_db_upgrade)
    backup.register(db)
