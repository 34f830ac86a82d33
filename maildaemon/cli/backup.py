"""`maildaemon db backup FILE` and `db restore FILE` for the SQLite database (PostgreSQL: pg_dump)."""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path
from typing import Any

from sqlalchemy.engine import make_url

from maildaemon.cli.run import sqlite_lock
from maildaemon.config import Config
from maildaemon.errors import ConfigError
from maildaemon.store import backup, migrations
from maildaemon.store.engine import normalise_url, safe_url


def sqlite_path(cfg: Config) -> Path:
    """The SQLite file behind the configured database; PostgreSQL is pg_dump's job."""
    url = make_url(normalise_url(cfg.database_url))
    if url.get_backend_name() != "sqlite":
        raise ConfigError(
            f"database {safe_url(cfg.database_url)} is PostgreSQL: back it up with pg_dump and restore "
            "it with pg_restore (README, 'Backup and restore')"
        )
    if not url.database or url.database == ":memory:":
        raise ConfigError("the configured SQLite database is in memory: nothing to back up")
    return Path(url.database)


async def cmd_db_backup(args: argparse.Namespace, cfg: Config) -> int:
    info = await asyncio.to_thread(
        backup.backup, sqlite_path(cfg), Path(args.file), migrations.newest_version()
    )
    print(
        f"backup written to {info.path}: schema version {info.version}, {info.campaigns} campaign(s), "
        f"{info.respondents} respondent(s), {info.size / 1e6:.1f} MB in {info.seconds:.1f} s"
    )
    return 0


async def cmd_db_restore(args: argparse.Namespace, cfg: Config) -> int:
    db = sqlite_path(cfg)
    newest = migrations.newest_version()
    with sqlite_lock(cfg, "sqlite"):  # refuses while a daemon runs on this database
        info, kept = await asyncio.to_thread(backup.restore, Path(args.file), db, newest)
    print(
        f"restored {info.path} into {db}: schema version {info.version}, {info.campaigns} campaign(s), "
        f"{info.respondents} respondent(s)"
    )
    if kept:
        print(f"the database it replaced is kept as {kept}")
    if info.version < newest:
        print(
            f"schema version {info.version} is older than this maildaemon's ({newest}): run 'maildaemon db upgrade'"
        )
    print(
        "mail sent after this backup was taken is not in it and will be sent again; "
        "mail in flight at that moment may be sent twice"
    )
    return 0


def register(db: Any) -> None:
    """Add ``backup`` and ``restore`` to the ``db`` command group."""
    bk = db.add_parser("backup", help="consistent copy of the SQLite database, also while the daemon runs")
    bk.add_argument("file")
    bk.set_defaults(func=cmd_db_backup)
    rs = db.add_parser("restore", help="check a backup and put it in place of the SQLite database")
    rs.add_argument("file")
    rs.set_defaults(func=cmd_db_restore)
