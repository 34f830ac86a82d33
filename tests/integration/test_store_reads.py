"""The console's reads at scale: a transaction that only reads (``Store.tx(read=True)``) takes no write
lock on SQLite, so it neither waits for the daemon's writes nor holds them up; an import leaves the
query planner statistics of the roster, so a unit's bounced people are found on the agency index."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import insert, select

from maildaemon.cli import usecases
from maildaemon.store import Store, tables
from tests.support.factories import MONDAY_10, make_campaign, roster_rows, write_roster_csv

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


async def test_an_import_leaves_the_planner_statistics_of_the_roster(store: Store, tmp_path: Path) -> None:
    campaign, text = make_campaign()
    await store.create_campaign(campaign, text, MONDAY_10)
    roster = write_roster_csv(tmp_path / "roster.csv", roster_rows(30))
    await usecases.import_roster(store, campaign.name, roster, allow_test_domains=True)
    async with store.tx(read=True) as conn:
        if store.dialect == "sqlite":  # no statistics until something runs ANALYZE
            found = (
                await conn.exec_driver_sql("SELECT stat FROM sqlite_stat1 WHERE tbl = 'respondents'")
            ).all()
        else:  # -1 until the table is analysed (or vacuumed)
            found = (await conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE relname = 'respondents' "
                                                "AND reltuples >= 30")).all()  # fmt: skip
    assert found
