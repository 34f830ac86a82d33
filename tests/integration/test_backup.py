"""SQLite backup and restore: a consistent copy while another connection writes, and files that are
not whole maildaemon databases refused with a message that says why."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import timedelta
from pathlib import Path

import pytest

from maildaemon.errors import InputError
from maildaemon.store import Store, backup, migrations
from tests.support.dbstate import NOW, fill_demo, snapshot


@pytest.fixture
async def live(tmp_path: Path) -> Store:
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'live.db'}")
    await store.init_schema()
    await fill_demo(store, respondents=40)
    return store


async def test_backup_is_one_consistent_snapshot_while_a_writer_runs(live: Store, tmp_path: Path) -> None:
    """Each pause/resume writes the campaign row and its event in one transaction; a torn copy
    would show a paused flag that disagrees with the last event."""
    newest = migrations.newest_version()
    stop = asyncio.Event()

    async def writer() -> int:
        flips = 0
        while not stop.is_set():
            flips += 1
            await live.set_paused("demo-2026", flips % 2 == 0, NOW + timedelta(seconds=flips))
        return flips

    task = asyncio.create_task(writer())
    try:
        copies = []
        for i in range(5):
            await asyncio.sleep(0.05)  # let the writer commit a few more transactions between copies
            copies.append(
                await asyncio.to_thread(backup.backup, tmp_path / "live.db", tmp_path / f"b{i}.db", newest)
            )
    finally:
        stop.set()
        flips = await task
    assert flips > 5
    for info in copies:
        assert info.version == newest and info.respondents == 40
        with sqlite3.connect(info.path) as conn:
            assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
            paused = conn.execute("SELECT paused FROM campaigns").fetchone()[0]
            last = conn.execute(
                "SELECT new_value FROM events WHERE field = 'campaign' ORDER BY id DESC LIMIT 1"
            ).fetchone()[0]
        assert (last == "paused") == bool(paused), info.path
    await live.close()


async def test_restore_swaps_in_the_backup_and_keeps_the_replaced_database(
    live: Store, tmp_path: Path
) -> None:
    newest = migrations.newest_version()
    before = await snapshot(live)
    backup.backup(tmp_path / "live.db", tmp_path / "b.db", newest)
    await live.set_paused("demo-2026", False, NOW + timedelta(days=1))
    changed = await snapshot(live)
    await live.close()
    info, kept = backup.restore(tmp_path / "b.db", tmp_path / "live.db", newest)
    assert info.campaigns == 1 and kept is not None and kept.is_file()
    reopened = Store(f"sqlite+aiosqlite:///{tmp_path / 'live.db'}")
    try:
        await reopened.require_schema()
        assert await snapshot(reopened) == before
    finally:
        await reopened.close()
    old = Store(f"sqlite+aiosqlite:///{kept}")
    try:
        assert await snapshot(old) == changed
    finally:
        await old.close()


async def test_restore_refuses_files_that_are_not_whole_maildaemon_databases(
    live: Store, tmp_path: Path
) -> None:
    newest = migrations.newest_version()
    await live.close()
    good = backup.backup(tmp_path / "live.db", tmp_path / "good.db", newest).path
    data = good.read_bytes()
    cases = {
        "truncated.db": (data[: len(data) // 2], "is truncated: its header counts"),
        "text.db": (b"campaign,email\npar,a@b.test\n" * 10, "not a SQLite database"),
        "empty.db": (b"", "not a SQLite database"),
    }
    for name, (content, message) in cases.items():
        (tmp_path / name).write_bytes(content)
        with pytest.raises(InputError, match=message):
            backup.restore(tmp_path / name, tmp_path / "live.db", newest)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as conn:
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
    with pytest.raises(InputError, match="not maildaemon's"):
        backup.restore(foreign, tmp_path / "live.db", newest)
    newer = tmp_path / "newer.db"
    newer.write_bytes(data)
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
    with pytest.raises(InputError, match="schema version 999, newer than this maildaemon"):
        backup.restore(newer, tmp_path / "live.db", newest)
    with pytest.raises(InputError, match="cannot read backup"):
        backup.restore(tmp_path / "missing.db", tmp_path / "live.db", newest)
    # nothing was touched by the refusals
    assert not list(tmp_path.glob("live.db.before-restore-*"))
    assert backup.check_file(tmp_path / "live.db", newest).respondents == 40
