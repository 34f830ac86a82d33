"""`maildaemon db ...` as an operator runs it: upgrade of a pre-migration database, the version check
that stops the daemon, backup and restore."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

import pytest

from tests.acceptance.test_cli import run
from tests.support.dbstate import build_v1, fill_demo


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    (tmp_path / "md.toml").write_text(
        '[daemon]\nstate_dir = "state"\nallow_test_domains = true\n[smtp]\nhost = "127.0.0.1"\nport = 1\n',
        encoding="utf-8",
    )
    return tmp_path


def _v1_database(path: Path) -> None:
    async def build() -> None:
        store = await build_v1(f"sqlite+aiosqlite:///{path}")
        try:
            await fill_demo(store, respondents=12)
        finally:
            await store.close()

    asyncio.run(build())


def test_upgrade_recognises_a_pre_migration_database_and_run_refuses_a_newer_one(tmp: Path) -> None:
    db = tmp / "state" / "maildaemon.db"
    _v1_database(db)
    out = run(tmp, "db", "upgrade").stdout
    assert "recognised existing schema as version 1" in out
    assert "schema already at version" in run(tmp, "db", "upgrade").stdout
    run(tmp, "db", "check")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
    proc = run(tmp, "run", "--once", check=False)
    assert proc.returncode == 1
    assert "schema version 999, newer than this maildaemon" in proc.stderr
    proc = run(tmp, "db", "upgrade", check=False)
    assert proc.returncode == 1 and "newer than this maildaemon knows" in proc.stderr
