"""Several daemons on one PostgreSQL: outbox rows claimed with SKIP LOCKED and leases are sent once
each, and the watcher lock passes to another daemon when its holder dies."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from maildaemon.config import Config, DaemonConfig, SmtpConfig
from maildaemon.intake.roster import RosterRow
from maildaemon.outbound.planner import plan_campaign
from maildaemon.outbound.sender import Sender
from maildaemon.store import Store, tables
from maildaemon.store.locks import LeaderLock
from tests.support.factories import make_campaign
from tests.support.relay import Collect


async def test_three_daemons_send_each_message_once(pg_url: str, relay: tuple[Collect, int]) -> None:
    from tests.support.db import _fresh_pg_schema

    await _fresh_pg_schema(pg_url)
    handler, port = relay
    now = datetime.now(UTC)
    stores = [Store(pg_url) for _ in range(3)]
    await stores[0].init_schema()
    window = 'weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\nstart = "00:00"\nend = "24:00"'
    campaign, text = make_campaign(
        opens=now - timedelta(hours=1), closes=now + timedelta(days=3), window=window
    )
    cid = await stores[0].create_campaign(campaign, text, now)
    n = 1500
    rows = (RosterRow(line=i + 2, email=f"u{i}@snv.test", full_name="Phạm Quốc Việt") for i in range(n))
    await stores[0].import_roster(cid, "Tỉnh", rows, now, "r.csv")
    # every daemon plans at once too: the unique key lets only one row per person and kind in
    planned = await asyncio.gather(*(plan_campaign(s, cid, campaign, False, now) for s in stores))
    assert sum(planned) == n
    cfg = Config(daemon=DaemonConfig(), smtp=SmtpConfig(host="127.0.0.1", port=port, security="none",
                                                        batch_size=50, connections=3, per_domain_concurrency=3))  # fmt: skip
    senders = [Sender(s, cfg, f"daemon-{i}", now=lambda: datetime.now(UTC)) for i, s in enumerate(stores)]
    handled = await asyncio.gather(*(s.run_once() for s in senders))
    for s in senders:
        await s.close()
    assert sum(handled) == n and all(h > 0 for h in handled), handled  # all three did work
    assert len(handler.tokens) == n and max(handler.tokens.values()) == 1  # 0 lost, 0 duplicates
    async with stores[0].tx() as conn:
        states = dict(
            (
                await conn.execute(
                    select(tables.outbox.c.state, func.count()).group_by(tables.outbox.c.state)
                )
            ).all()
        )
    assert states == {"sent": n}
    for s in stores:
        await s.close()


async def test_watcher_lock_passes_on_when_its_holder_dies(pg_url: str) -> None:
    a, b = Store(pg_url), Store(pg_url)
    try:
        lock_a, lock_b = LeaderLock(a, "watcher-test"), LeaderLock(b, "watcher-test")
        assert await lock_a.try_acquire()
        assert await lock_a.try_acquire()  # still ours
        assert not await lock_b.try_acquire()
        await a.engine.dispose()  # the holder's connections die, as when its process is killed
        assert lock_a._conn is not None
        await lock_a._conn.invalidate()
        assert await lock_b.try_acquire()
        await lock_b.release()
    finally:
        await a.close()
        await b.close()


async def test_sqlite_lock_is_always_held(tmp_path: object) -> None:
    s = Store(f"sqlite+aiosqlite:///{tmp_path}/x.db")
    assert await LeaderLock(s, "watcher").try_acquire()
    await s.close()
