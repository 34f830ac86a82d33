"""A transaction that only reads (``Store.tx(read=True)``: the console's pages) takes no write lock on
SQLite, so it neither waits for the daemon's writes nor holds them up."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

from maildaemon.store import Store, tables

MS = tables.mailbox_state


async def _read(store: Store) -> list[tuple[str, int]]:
    async with store.tx(read=True) as reader:
        return [(f, int(u)) for f, u in (await reader.execute(select(MS.c.folder, MS.c.last_uid))).all()]


async def test_a_read_goes_on_while_a_writer_holds_the_lock(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'reads.db'}"
    store, other = Store(url), Store(url)
    try:
        await store.init_schema()
        now = datetime(2026, 12, 6, tzinfo=UTC)
        async with store.tx() as writer:  # BEGIN IMMEDIATE: the write lock, held until the block ends
            await writer.execute(insert(MS).values(folder="INBOX", uidvalidity=1, last_uid=5, updated_at=now))
            # a locking read would wait out the 30 s busy timeout here; this one reads the committed state
            assert await asyncio.wait_for(_read(other), timeout=10) == []
        assert await _read(other) == [("INBOX", 5)]
    finally:
        await other.close()
        await store.close()
