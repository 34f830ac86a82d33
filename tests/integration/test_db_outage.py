"""The database goes away and comes back (PostgreSQL restarted, seen through a TCP proxy we cut):
the daemon's loops fail, back off and recover; the campaign's mail goes out once it is back."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from maildaemon.config import Config, DaemonConfig, LoopsConfig, SmtpConfig
from maildaemon.intake.roster import RosterRow
from maildaemon.service.daemon import Daemon
from maildaemon.store import Store
from tests.support.db import _fresh_pg_schema
from tests.support.factories import make_campaign
from tests.support.relay import Collect

WINDOW = 'weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\nstart = "00:00"\nend = "24:00"'


class Proxy:
    """A TCP proxy to PostgreSQL that can be cut (every connection dropped) and restored."""

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.port = 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._client, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def cut(self) -> None:
        assert self.server is not None
        self.server.close()
        for w in list(self.writers):
            w.transport.abort()
        await self.server.wait_closed()

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            up_r, up_w = await asyncio.open_connection(*self.target)
        except OSError:
            writer.close()
            return
        self.writers |= {writer, up_w}

        async def pipe(r: asyncio.StreamReader, w: asyncio.StreamWriter) -> None:
            try:
                while data := await r.read(65536):
                    w.write(data)
                    await w.drain()
            except (ConnectionError, OSError):
                pass
            finally:
                w.transport.abort()

        await asyncio.gather(pipe(reader, up_w), pipe(up_r, writer))
        self.writers -= {writer, up_w}


async def test_daemon_recovers_after_the_database_comes_back(pg_url: str, relay: tuple[Collect, int]) -> None:
    handler, smtp_port = relay
    await _fresh_pg_schema(pg_url)
    direct = Store(pg_url)
    await direct.init_schema()
    now = datetime.now(UTC)
    campaign, text = make_campaign(
        opens=now - timedelta(hours=1), closes=now + timedelta(days=2), window=WINDOW
    )
    cid = await direct.create_campaign(campaign, text, now)
    rows = [RosterRow(line=i + 2, email=f"u{i}@snv.test", full_name="Đỗ Thị Thanh Tâm") for i in range(30)]
    await direct.import_roster(cid, "Tỉnh", rows, now, "r.csv")

    proxy = Proxy(("127.0.0.1", 5432))
    await proxy.start()
    through_proxy = pg_url.replace("127.0.0.1:5432", f"127.0.0.1:{proxy.port}")
    store = Store(through_proxy)
    await store.schema_version()  # a pooled connection exists, as in a running daemon
    await proxy.cut()  # PostgreSQL "restarts": every connection dies and none can be made
    cfg = Config(daemon=DaemonConfig(), smtp=SmtpConfig(host="127.0.0.1", port=smtp_port, security="none"),
                 loops=LoopsConfig(planner_interval_s=0.5, sender_interval_s=0.5))  # fmt: skip
    daemon = Daemon(cfg, store)
    serving = asyncio.create_task(daemon.serve())
    try:
        deadline = asyncio.get_running_loop().time() + 30
        while daemon.loop("planner").state.failures == 0:  # the loops see the outage
            assert asyncio.get_running_loop().time() < deadline and not serving.done()
            await asyncio.sleep(0.05)
        await proxy.start()  # back on the same port
        while handler.count < 30:  # and the daemon recovers by itself
            assert asyncio.get_running_loop().time() < deadline, f"only {handler.count} sent"
            assert not serving.done(), "the daemon died instead of waiting for the database"
            await asyncio.sleep(0.1)

        async def counts() -> dict[str, int]:
            return {c.delivery: c.count for c in await direct.agency_counts(cid) if c.count}

        while await counts() != {"sent": 30}:  # the relay has them; the answers are being recorded
            assert asyncio.get_running_loop().time() < deadline, await counts()
            await asyncio.sleep(0.1)
        assert handler.count == 30
    finally:
        daemon.stop.set()
        await serving
        await store.close()
        await direct.close()
        if proxy.server is not None:
            proxy.server.close()
