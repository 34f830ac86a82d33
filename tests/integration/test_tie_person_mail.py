"""Mail tied to nobody, tied by hand, on SQLite and PostgreSQL: the demo's hand-written mail from a personal
address is recorded as a reply and tying it marks the person as having replied; a message of no recognised
kind only leaves a note, which the console's person page reads in its own language."""

from __future__ import annotations

from datetime import timedelta

import httpx

from maildaemon.cli import demo, demodata
from maildaemon.config import WebConfig
from maildaemon.core.retry import TransientBouncePolicy
from maildaemon.operations import inbound as ops
from maildaemon.store import Store
from maildaemon.web.app import build_app
from tests.support.console import Clock, login, seed
from tests.support.factories import MONDAY_10

NOW = MONDAY_10 + timedelta(hours=1)
C = "/c/t-campaign"
NEWSLETTER = (
    "From: Bản tin <bantin@tin.example.vn>\r\nTo: bounces@survey.test\r\nSubject: Bản tin tuần\r\n"
    "List-Id: <bantin.tin.example.vn>\r\nDate: Mon, 23 Nov 2026 10:10:00 +0700\r\n"
    "Content-Type: text/plain; charset=utf-8\r\n\r\nTin tức trong tuần.\r\n"
).encode()


async def test_hand_written_mail_is_a_reply_and_an_unknown_message_a_note_in_words(store: Store) -> None:
    s = await seed(store)
    rec = await store.get_campaign(s.campaign)
    person = demodata.people(40)[7]
    personal = demodata.personal_address(person)
    mails = [demo._personal_mail(person, personal), NEWSLETTER]
    hand, news = await store.record_inbound_many(
        list(enumerate(mails, 1)), folder="INBOX", uidvalidity=1, now=MONDAY_10 + timedelta(minutes=30)
    )
    assert (hand.outcome, hand.kind, news.outcome, news.kind) == (
        "unattributed",
        "reply",
        "unattributed",
        "unknown",
    )
    assert hand.inbound_id is not None and news.inbound_id is not None
    lan, duc = s.people["lan.stc@khanhhoa.test"], s.people["duc.vp@khanhhoa.test"]
    policy = TransientBouncePolicy()

    done = await ops.assign(store, rec, hand.inbound_id, lan, actor="op", now=NOW, bounces=policy)
    assert done.kind == "reply"
    row = await store.console_person(s.campaign_id, lan)
    assert row is not None and (row["delivery"], row["completion"]) == ("delivered", "replied")

    before = await store.console_person(s.campaign_id, duc)
    await ops.assign(store, rec, news.inbound_id, duc, actor="op", now=NOW, bounces=policy)
    after = await store.console_person(s.campaign_id, duc)
    assert before is not None and after is not None
    assert (after["delivery"], after["completion"]) == (before["delivery"], before["completion"])

    app = build_app(store, WebConfig(enabled=True, session_minutes=20000), now=Clock(NOW))
    transport = httpx.ASGITransport(app=app, client=("10.0.0.7", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://console.test") as c:
        await login(c, "op")
        page = (await c.get(f"{C}/p/{duc}")).text
        assert "Ghi chú: thư nhận về không phân loại được (chỉ ghi lại, không đổi tình trạng)" in page
        assert f"thư nhận về số {news.inbound_id}: không xác định (tied by hand by op)" in page
        assert "Ghi chú: unknown" not in page and ": unknown" not in page
        await c.get("/lang/en", params={"next": "/"})
        english = (await c.get(f"{C}/p/{duc}")).text
        assert "Note: a message of no recognised kind (noted, no state changed)" in english
