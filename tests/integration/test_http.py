"""The daemon's HTTP endpoint over a real socket: health, metrics, signed completion links."""

import asyncio
import json
from datetime import timedelta

import pytest

from maildaemon.config import Config, HttpConfig, Secret
from maildaemon.outbound.planner import plan_campaign
from maildaemon.service.daemon import Daemon
from maildaemon.service.httpd import sign
from maildaemon.store import SendOutcome, Store
from tests.support.factories import MONDAY_10, make_campaign, roster_rows


async def _get(port: int, path: str) -> tuple[int, bytes]:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: localhost\r\n\r\n".encode())
    await writer.drain()
    data = await reader.read()
    writer.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.fixture
async def daemon(store: Store) -> Daemon:
    cfg = Config(http=HttpConfig(enabled=True, listen="127.0.0.1:0", completion_secret=Secret("s3cret-key")))
    d = Daemon(cfg, store, now=lambda: MONDAY_10)
    await d._start_http()
    yield d
    await d.http.close()


async def _person(store: Store) -> dict[str, object]:
    campaign, text = make_campaign()
    cid = await store.create_campaign(campaign, text, MONDAY_10)
    await store.import_roster(cid, "Tỉnh", roster_rows(2), MONDAY_10, "r.csv")
    await plan_campaign(store, cid, campaign, False, MONDAY_10)
    claims = await store.claim("w", 10, MONDAY_10, timedelta(minutes=5))
    await store.record_outcomes([SendOutcome(c, "sent", 250, "ok") for c in claims], MONDAY_10)
    return await store.respondent(cid, "user1@khanhhoa.test")


async def test_completion_link(daemon: Daemon, store: Store) -> None:
    p = await _person(store)
    token = str(p["token"])
    port = daemon.http.port
    assert (await _get(port, f"/complete/{token}"))[0] == 403  # no signature
    assert (await _get(port, f"/complete/{token}?sig={'0' * 64}"))[0] == 403  # forged
    forged_token = "a" * 26
    assert (await _get(port, f"/complete/{forged_token}?sig={sign('s3cret-key', forged_token)}"))[0] == 404
    assert (await store.respondent(None, "user1@khanhhoa.test"))["completion"] == "pending"
    status, body = await _get(port, f"/complete/{token}?sig={sign('s3cret-key', token)}")
    assert status == 200 and json.loads(body) == {"status": "completed"}
    after = await store.respondent(None, "user1@khanhhoa.test")
    assert (after["completion"], after["delivery"]) == ("completed", "delivered")
    status, body = await _get(port, f"/complete/{token}?sig={sign('s3cret-key', token)}")
    assert json.loads(body) == {"status": "already"}
    assert [e.source for e in await store.events(email="user1@khanhhoa.test")][-1] == "link"


async def test_health_and_metrics(daemon: Daemon, store: Store) -> None:
    await _person(store)
    status, body = await _get(daemon.http.port, "/healthz")
    data = json.loads(body)
    assert status == 200 and data["status"] == "ok" and "planner" in data["loops"]
    status, body = await _get(daemon.http.port, "/metrics")
    assert status == 200 and b"maildaemon_sent_total" in body and b"maildaemon_queue_due" in body
    assert (await _get(daemon.http.port, "/nope"))[0] == 404
