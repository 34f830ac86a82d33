"""Schema migrations on SQLite and PostgreSQL: a pre-migration database upgraded with every row kept,
an upgrade that fails or is killed half-way leaving the old version, and the version check."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import inspect

from maildaemon.errors import StoreError
from maildaemon.store import Store, migrations, tables
from tests.support.dbstate import build_v1, fill_demo, snapshot


async def test_pre_migration_database_is_stamped_and_upgraded_with_every_row_kept(db_url: str) -> None:
    store = await build_v1(db_url)
    try:
        cid = await fill_demo(store)
        before = await snapshot(store)
        assert {k: len(v) for k, v in before.items() if k in ("respondents", "outbox", "inbound", "events")} == {
            "respondents": 60, "outbox": 60, "inbound": 13, "events": len(before["events"]),
        }  # fmt: skip
        assert len(before["events"]) > 100
        assert await store.schema_version() == 1

        steps = await migrations.upgrade(store)

        assert [(s.action, s.version) for s in steps][0] == ("stamp", 1)
        assert [s.version for s in steps] == [
            migrations.version_of(r) for r in migrations.revisions(migrations.script_directory())
        ]
        assert await store.schema_version() == tables.SCHEMA_VERSION
        after = await snapshot(store)
        assert set(after) >= set(before)  # later versions add tables (0002: the console's)
        for name, rows in before.items():
            old_columns = {c for c, _ in rows[0]} if rows else set()
            kept = sorted((tuple(cv for cv in row if cv[0] in old_columns) for row in after[name]), key=repr)
            if name == "schema_version":  # each later migration adds its own row
                assert set(rows) <= set(kept)
                continue
            assert kept == rows, name
        await store.require_schema()
        added = {
            "person_key",
            "excluded_at",
            "excluded_reason",
            "former_emails",
        }  # 0003: empty on every upgraded row
        assert all(v is None for row in after["respondents"] for c, v in row if c in added)
        counts = await store.agency_counts(cid)  # today's queries work on the upgraded database
        assert sum(c.count for c in counts) == 60
        assert await migrations.upgrade(store) == []
    finally:
        await store.close()


async def test_empty_database_is_built_by_the_migrations(db_url: str) -> None:
    store = Store(db_url)
    try:
        assert await store.schema_version() is None
        with pytest.raises(StoreError, match="run 'maildaemon db init'"):
            await store.require_schema()
        assert await store.init_schema() is True
        assert await store.init_schema() is False
        assert await store.schema_version() == tables.SCHEMA_VERSION == migrations.newest_version()
    finally:
        await store.close()


def _extra_migration(where: Path, body: str) -> Path:
    """A migration after the newest one, in its own version directory."""
    head = migrations.newest_version()
    where.mkdir()
    (where / f"{head + 1:04d}_extra.py").write_text(
        textwrap.dedent(f'''
        import os, time
        from pathlib import Path
        import sqlalchemy as sa
        from alembic import op

        revision = "{head + 1:04d}"
        down_revision = "{head:04d}"
        branch_labels = None
        depends_on = None


        def upgrade():
            op.add_column("campaigns", sa.Column("extra_col", sa.Integer))
            op.create_table("extra_table", sa.Column("id", sa.Integer, primary_key=True))
            op.execute("UPDATE campaigns SET title = 'changed'")
        ''')
        + textwrap.indent(textwrap.dedent(body), "    "),
        encoding="utf-8",
    )
    return where


def _columns(sync_conn: object, table: str) -> set[str]:
    return {c["name"] for c in inspect(sync_conn).get_columns(table)}  # type: ignore[arg-type]


async def _assert_untouched(store: Store, version: int) -> None:
    assert await store.schema_version() == version
    async with store.engine.connect() as conn:
        assert "extra_col" not in await conn.run_sync(_columns, "campaigns")
        assert not await conn.run_sync(lambda c: inspect(c).has_table("extra_table"))
    assert (await store.get_campaign("demo-2026")).campaign.title.startswith("Khảo sát")


async def test_migration_failing_half_way_leaves_the_previous_version(db_url: str, tmp_path: Path) -> None:
    store = Store(db_url)
    try:
        await store.init_schema()
        await fill_demo(store, respondents=12)
        head = migrations.newest_version()
        extra = _extra_migration(tmp_path / "v", "raise RuntimeError('half-way')\n")
        with pytest.raises(
            StoreError, match=f"to version {head + 1} failed; the database stays at version {head}"
        ):
            await migrations.upgrade(store, extra_locations=[extra])
        await _assert_untouched(store, head)
        await store.require_schema()
    finally:
        await store.close()


async def test_upgrade_killed_half_way_leaves_the_previous_version(db_url: str, tmp_path: Path) -> None:
    store = Store(db_url)
    try:
        await store.init_schema()
        await fill_demo(store, respondents=12)
        head = migrations.newest_version()
        ready = tmp_path / "ready"
        extra = _extra_migration(
            tmp_path / "v",
            f"Path({str(ready)!r}).write_text(str(os.getpid()))\ntime.sleep(120)\n",
        )
        code = (
            "import asyncio, sys\nfrom pathlib import Path\nfrom maildaemon.store import Store, migrations\n"
            "async def main():\n    s = Store(sys.argv[1])\n"
            "    await migrations.upgrade(s, extra_locations=[Path(sys.argv[2])])\n"
            "asyncio.run(main())\n"
        )
        proc = await asyncio.create_subprocess_exec(sys.executable, "-c", code, db_url, str(extra))
        try:
            deadline = time.monotonic() + 60
            while not ready.exists():  # the migration has done its DDL and waits inside its transaction
                assert proc.returncode is None, "upgrade process ended early"
                assert time.monotonic() < deadline, "migration never started"
                await asyncio.sleep(0.05)
            os.kill(proc.pid, signal.SIGKILL)
        finally:
            if proc.returncode is None:
                proc.kill()
            assert await asyncio.wait_for(proc.wait(), 30) == -signal.SIGKILL
        await _assert_untouched(store, head)
        assert [s.version for s in await migrations.upgrade(store)] == []
    finally:
        await store.close()


async def test_schema_older_or_newer_than_known_is_refused_with_the_command_to_run(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store(db_url)
    try:
        await store.init_schema()
        head = migrations.newest_version()
        extra = _extra_migration(tmp_path / "v", "")
        steps = await migrations.upgrade(store, extra_locations=[extra])
        assert [(s.action, s.version) for s in steps] == [("upgrade", head + 1)]
        with pytest.raises(StoreError, match=f"schema version {head + 1}, newer than this maildaemon"):
            await store.require_schema()
        with pytest.raises(StoreError, match="newer than this maildaemon knows"):
            await migrations.upgrade(store)
        monkeypatch.setattr(migrations, "newest_version", lambda: head + 2)
        with pytest.raises(StoreError, match="run 'maildaemon db upgrade'"):
            await store.require_schema()
    finally:
        await store.close()


def test_revisions_are_numbered_in_one_line() -> None:
    revs = migrations.revisions(migrations.script_directory())
    assert revs == [f"{n:04d}" for n in range(1, len(revs) + 1)]
    assert migrations.newest_version() == tables.SCHEMA_VERSION
