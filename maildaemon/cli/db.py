"""`maildaemon db`: create the schema and check its version."""

from __future__ import annotations

import argparse
from typing import Any

from maildaemon.cli.usecases import open_store
from maildaemon.config import Config


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


def register(sub: Any) -> None:
    db = sub.add_parser("db", help="database schema").add_subparsers(dest="cmd2", required=True)
    db.add_parser("init", help="create the schema").set_defaults(func=cmd_db_init)
    db.add_parser("check", help="check the schema version").set_defaults(func=cmd_db_check)
