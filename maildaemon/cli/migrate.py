"""`maildaemon db upgrade`: bring the database to the newest schema, one migration per transaction."""

from __future__ import annotations

import argparse
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.config import Config
from maildaemon.store import migrations


async def cmd_db_upgrade(args: argparse.Namespace, cfg: Config) -> int:
    store = app.open_store(cfg)
    try:
        before = await store.schema_version()
        steps = await migrations.upgrade(store)
    finally:
        await store.close()
    for step in steps:
        verb = "recognised existing schema as" if step.action == "stamp" else "upgraded to"
        print(f"{verb} version {step.version} ({step.seconds:.2f} s)")
    newest = migrations.newest_version()
    if not any(s.action == "upgrade" for s in steps):
        print(f"schema already at version {newest} in {store.safe_url}")
    else:
        print(f"schema at version {newest} in {store.safe_url} (was {before or 'empty'})")
    return 0


def register(db: Any) -> None:
    """Add ``upgrade`` to the ``db`` command group."""
    up = db.add_parser("upgrade", help="migrate the database to the newest schema (take a backup first)")
    up.set_defaults(func=cmd_db_upgrade)
