"""The console's mail tied to nobody (list, decoded message, "this is person X"), its "what goes out next"
and its mailbox check, in process on SQLite and PostgreSQL; the check runs against the test DNS
(dnsmasq) and the local Postfix's MX port."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import update

from maildaemon.config import CheckerConfig, WebConfig
from maildaemon.operations.diagnose import DiagnoseSettings
from maildaemon.outbound.planner import plan_campaign
from maildaemon.store import Store, tables
from maildaemon.web.app import build_app
from tests.support.console import Clock, Seed, _row, hidden_csrf, login, seed
from tests.support.dbstate import snapshot
from tests.support.factories import MONDAY_10
from tests.support.loose import HTML_TEXT, REPLY_SUBJECT, REPLY_TEXT, record_loose
from tests.support.mails import postfix_dsn

CFG = WebConfig(enabled=True, session_minutes=20000)  # the clock moves days ahead in one session
C = "/c/t-campaign"


class Console:
    def __init__(
        self, store: Store, s: Seed, ids: dict[str, int], diagnose: DiagnoseSettings | None = None
    ) -> None:
        self.store, self.seed, self.ids, self.clock = store, s, ids, Clock(MONDAY_10 + timedelta(hours=1))
        self.app = build_app(store, CFG, now=self.clock, diagnose_settings=diagnose)

    def client(self) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=("10.0.0.7", 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://console.test")

    async def audit(self) -> list[Any]:
        return list(reversed(await self.store.audit_log(1000)))

    async def state(self) -> dict[str, Any]:
        """Every table but the console's own bookkeeping."""
        return {
            k: v
            for k, v in (await snapshot(self.store)).items()
            if k not in ("audit", "web_sessions", "accounts")
        }


@pytest.fixture
async def console(store: Store) -> AsyncIterator[Console]:
    s = await seed(store)
    yield Console(store, s, await record_loose(store, MONDAY_10 + timedelta(minutes=30)))


async def test_the_list_and_a_message_are_decoded_in_the_campaigns_time(console: Console) -> None:
    ids = console.ids
    async with console.client() as c:
        await login(c, "op")
        page = (await c.get(f"{C}/inbound")).text
        assert "Tìm thấy: 3" in page and "Phòng Tổng hợp &lt;tonghop@other.khanhhoa.test&gt;" in page
        assert REPLY_SUBJECT in page and "23/11/2026 10:30" in page  # 03:30 UTC is 10:30 in Vietnam
        assert page.index(f"/inbound/{ids['reply']}") < page.index(
            f"/inbound/{ids['bounce']}"
        )  # newest first
        html = (await c.get(f"{C}/inbound/{ids['autoreply']}")).text
        assert HTML_TEXT in html and "color:red" not in html and "=E1" not in html  # HTML as text, QP undone
        assert "Phòng Hành chính" in html and "trả lời tự động (vắng mặt)" in html
        reply = (await c.get(f"{C}/inbound/{ids['reply']}")).text
        assert REPLY_TEXT in reply and "Đây là thư của người" in reply  # base64 undone; the form is offered
        bounce = (await c.get(f"{C}/inbound/{ids['bounce']}")).text
        assert "cu.snv@old.khanhhoa.test" in bounce and "(550 5.1.1)" in bounce
        await c.get("/lang/en", params={"next": "/"})
        english = (await c.get(f"{C}/inbound/{ids['autoreply']}")).text
        assert "automatic reply (away)" in english and "This is person X" in english and HTML_TEXT in english
        assert "Mail tied to nobody" in (await c.get("/")).text
    async with console.client() as c:  # IT over the whole campaign reads, and may not tie
        await login(c, "it-all")
        page = (await c.get(f"{C}/inbound/{ids['reply']}")).text
        assert REPLY_TEXT in page and "Đây là thư của người" not in page


async def test_this_is_person_x_ties_the_message_and_applies_its_verdict(console: Console) -> None:
    s, ids = console.seed, console.ids
    duc = s.people["duc.vp@khanhhoa.test"]
    async with console.client() as c:
        await login(c, "op")
        page = await c.get(f"{C}/inbound/{ids['bounce']}", params={"q": "duc.vp"})
        assert "Tìm thấy: 1" in page.text and f'name="respondent" value="{duc}"' in page.text
        assert (
            "<script>alert" not in page.text and "&lt;script&gt;alert" in page.text
        )  # the roster's markup, escaped
        for tag in re.findall(r"<[a-z][^>]*>", page.text):  # the CSP allows no inline script or style
            assert not re.search(r"\son[a-z]+\s*=", tag) and " style=" not in tag, tag
        csrf = hidden_csrf(page.text)
        before = await console.state()
        assert (
            await c.post(f"{C}/inbound/{ids['bounce']}/assign", data={"respondent": str(duc)})
        ).status_code == 403
        assert await console.state() == before  # no CSRF token: refused, nothing changed
        resp = await c.post(
            f"{C}/inbound/{ids['bounce']}/assign", data={"csrf": csrf, "respondent": str(duc)}
        )
        assert resp.status_code == 303 and resp.headers["location"] == f"{C}/p/{duc}"
        person = (await c.get(resp.headers["location"])).text
        assert "Cán bộ theo dõi" in person and "tied by hand by op (console)" in person
        row = await console.store.console_person(s.campaign_id, duc)
        assert row is not None and (row["delivery"], row["reason"]) == ("bounced", "userunknown")
        assert f"/inbound/{ids['bounce']}" not in (await c.get(f"{C}/inbound")).text  # no longer listed
        before = await console.state()
        other = s.people["lan.stc@khanhhoa.test"]
        again = await c.post(
            f"{C}/inbound/{ids['bounce']}/assign", data={"csrf": csrf, "respondent": str(other)}
        )
        assert again.status_code == 409 and "Không gắn được" in again.text
        assert await console.state() == before
    done = [(a.action, a.outcome, a.target) for a in await console.audit() if a.action == "inbound.assign"]
    assert done == [("inbound.assign", "ok", f"inbound {ids['bounce']} of t-campaign"),
                    ("inbound.assign", "failed", f"inbound {ids['bounce']} of t-campaign")]  # fmt: skip


async def test_who_may_read_and_tie_mail_tied_to_nobody(console: Console) -> None:
    """Every role on the list, a message, and the form, in and out of scope: 404 and nothing changed."""
    s, ids = console.seed, console.ids
    duc = str(s.people["duc.vp@khanhhoa.test"])
    readers = ("admin", "op", "it-all")  # whole-campaign accounts; the agency-scoped ones see no loose mail
    before = await console.state()
    for user in ("dm-snv", "dm-stc", "it-snv", "it-all", "admin", "op"):
        async with console.client() as c:
            assert (await login(c, user)).status_code == 303
            for path in (f"{C}/inbound", f"{C}/inbound/{ids['reply']}"):
                resp = await c.get(path)
                assert resp.status_code == (200 if user in readers else 404), (user, path)
                if resp.status_code == 404:
                    assert REPLY_TEXT not in resp.text and "tonghop@" not in resp.text
            for path in ("/c/khong-co/inbound", f"{C}/inbound/999999", f"{C}/inbound/1%20OR%201=1"):
                assert (await c.get(path)).status_code == 404, (user, path)
            csrf = hidden_csrf((await c.get("/")).text)
            for target, who in ((ids["reply"], "999999"), (999999, duc), (ids["reply"], "1 OR 1=1")):
                resp = await c.post(f"{C}/inbound/{target}/assign", data={"csrf": csrf, "respondent": who})
                assert resp.status_code == 404, (user, target, who)
            mine = {"admin": ids["autoreply"], "op": ids["reply"]}.get(user, ids["reply"])
            resp = await c.post(f"{C}/inbound/{mine}/assign", data={"csrf": csrf, "respondent": duc})
            if user in ("admin", "op"):
                assert resp.status_code == 303, user
            else:
                assert resp.status_code == 404, user
                assert await console.state() == before, user
    denied = {a.username for a in await console.audit() if a.outcome == "denied"}
    assert {"dm-snv", "dm-stc", "it-snv", "it-all"} <= denied


# --- what the server said; the mail behind a person's history ---------------------------------------

# A policy refusal quoting markup and an over-long line, as real servers write them
POLICY = ("550 5.7.1 <{rcpt}>: Message rejected <b>by policy</b> & logged; see "
          "https://postmaster.khanhhoa.test/policy?ref=ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz")  # fmt: skip


async def _bounce_for(console: Console, email: str, diagnostic: str = POLICY) -> int:
    """A DSN about ``email``'s invitation, recorded as the watcher would (tied by its VERP token)."""
    p = await console.store.respondent(console.seed.campaign_id, email)
    raw = postfix_dsn(str(p["token"]), email, status="5.7.1", diagnostic=diagnostic)
    (r,) = await console.store.record_inbound_many([(9, raw)], folder="INBOX", uidvalidity=1, now=MONDAY_10)
    assert r.respondent_id == p["id"] and r.inbound_id is not None, r
    return r.inbound_id


async def test_a_bounce_shows_what_the_server_said_escaped_in_both_languages(console: Console) -> None:
    mid = await _bounce_for(console, "duc.vp@khanhhoa.test")
    async with console.client() as c:
        await login(c, "it-all")
        page = (await c.get(f"{C}/inbound/{mid}")).text
        said = page[page.index('class="card said"') :]
        assert "Máy chủ thư bên nhận trả lời" in said and '<code class="host">mx.example</code>' in said
        assert (
            "Message rejected &lt;b&gt;by policy&lt;/b&gt; &amp; logged" in said
            and "<b>by policy" not in page
        )
        assert (
            "&lt;duc.vp@khanhhoa.test&gt;" in said and "ref=ABCDEFGHIJ" in said
        )  # the whole line, as written
        assert "Vĩnh viễn: thư bị từ chối, địa chỉ vẫn đúng" in said and "(550 5.7.1)" in said
        assert "Đề nghị bộ phận CNTT bên nhận sửa bộ lọc hoặc cho phép địa chỉ gửi" in said  # core.actions
        assert "blocked" not in said and "policyviolation" not in said  # words, not codes
        assert f'href="{C}/p/{console.seed.people["duc.vp@khanhhoa.test"]}"' in page  # to the person
        await c.get("/lang/en", params={"next": "/"})
        page = (await c.get(f"{C}/inbound/{mid}")).text
        said = page[page.index('class="card said"') :]
        assert (
            "What the receiving mail server said" in said and '<code class="host">mx.example</code>' in said
        )
        assert "Message rejected &lt;b&gt;by policy&lt;/b&gt; &amp; logged" in said
        assert "Permanent: the mail was refused, the address is fine" in said
        assert "Ask their IT to fix the filter or allow our sender" in said
    async with console.client() as c:  # a bounce for an unknown user: the address is what is wrong
        await login(c, "op")
        said = (await c.get(f"{C}/inbound/{console.ids['bounce']}")).text
        assert "Vĩnh viễn: địa chỉ thư không dùng được" in said and "Sửa địa chỉ thư" in said
        assert "&lt;cu.snv@old.khanhhoa.test&gt;: Recipient address rejected: User unknown" in said
        p = await console.store.respondent(console.seed.campaign_id, "lan.stc@khanhhoa.test")
        delay = postfix_dsn(str(p["token"]), p["email"], status="4.2.2", action="delayed",
                            diagnostic="452 4.2.2 <{rcpt}>: Mailbox full")  # fmt: skip
        (r,) = await console.store.record_inbound_many(
            [(10, delay)], folder="INBOX", uidvalidity=1, now=MONDAY_10
        )
        said = (await c.get(f"{C}/inbound/{r.inbound_id}")).text
        assert "Tạm thời: thư sẽ được gửi lại" in said and "(452 4.2.2)" in said
        assert "Đề nghị người nhận hoặc bộ phận CNTT dọn hộp thư" in said
        away = (await c.get(f"{C}/inbound/{console.ids['autoreply']}")).text  # no server: what the reply says
        assert "Nội dung trả lời tự động" in away and "Máy chủ trả lời" not in away


@pytest.mark.parametrize(
    "stored",
    [
        "{not json",
        "",
        "null",
        "[1, 2]",
        '{"verdicts": "x", "hard": "yes", "reason": 7}',
        '{"verdicts": [null, {"recipient": ["a"], "diagnostic": {"x": 1}}]}',
        # as releases before the per-recipient words stored it: the server's line only at the top
        '{"kind": "bounce", "recipients": ["cu.snv@old.khanhhoa.test"], "reason": "userunknown", "hard": true,'
        ' "status": "5.1.1", "remote_mta": "mx.old", "diagnostic": "550 old <line>",'
        ' "verdicts": [{"recipient": "cu.snv@old.khanhhoa.test", "reason": "userunknown", "hard": true,'
        ' "status": "5.1.1"}]}',
    ],
)
async def test_an_old_partial_or_broken_verdict_still_shows_the_message(
    console: Console, stored: str
) -> None:
    mid = console.ids["bounce"]
    async with console.store.tx() as conn:
        await conn.execute(update(tables.inbound).where(tables.inbound.c.id == mid).values(verdict=stored))
    async with console.client() as c:
        await login(c, "op")
        resp = await c.get(f"{C}/inbound/{mid}")
        assert resp.status_code == 200 and "Máy chủ thư bên nhận trả lời" in resp.text
        assert "Địa chỉ người nhận không tồn tại" in resp.text  # the row's own reason, at least
        if "mx.old" in stored:
            assert '<code class="host">mx.old</code>' in resp.text and "550 old &lt;line&gt;" in resp.text


async def test_a_persons_history_links_to_the_mail_behind_it_for_those_who_may_read_it(
    console: Console,
) -> None:
    s = console.seed
    duc = s.people["duc.vp@khanhhoa.test"]
    mid = await _bounce_for(console, "duc.vp@khanhhoa.test")
    link = f'href="{C}/inbound/{mid}"'
    for user in ("admin", "op", "it-all"):  # the message page's readers: a link, and it resolves
        async with console.client() as c:
            await login(c, user)
            page = (await c.get(f"{C}/p/{duc}")).text
            assert page.count(link) == 3, (
                user
            )  # its history row, and in deliverability its event and its message
            assert "Xem thư" in page
            message = await c.get(f"{C}/inbound/{mid}")
            assert message.status_code == 200 and "Message rejected &lt;b&gt;by policy" in message.text, user
            assert f"Thư nhận số {mid}" in message.text
    for user in ("dm-snv", "it-snv"):  # see the person (their agency) but not the mail: no link, and 404
        async with console.client() as c:
            await login(c, user)
            page = await c.get(f"{C}/p/{duc}")
            assert page.status_code == 200 and "/inbound/" not in page.text and "Xem thư" not in page.text, (
                user
            )
            assert (await c.get(f"{C}/inbound/{mid}")).status_code == 404, user
    async with console.client() as c:  # a focal point of another agency: neither the person nor the mail
        await login(c, "dm-stc")
        assert (await c.get(f"{C}/p/{duc}")).status_code == 404
        assert (await c.get(f"{C}/inbound/{mid}")).status_code == 404
    async with console.client() as c:  # another person's page does not link this mail
        await login(c, "op")
        assert link not in (await c.get(f"{C}/p/{s.people['ha.snv@khanhhoa.test']}")).text


async def test_what_goes_out_next(console: Console) -> None:
    s, store = console.seed, console.store
    rec = await store.get_campaign(s.campaign)
    now = console.clock()
    await store.correct_address(s.campaign_id, "dung.stc@khanhhoa.test", "dung2.stc@khanhhoa.test", actor="t",
                                now=now, not_before=now + timedelta(days=1))  # fmt: skip
    await store.import_roster(s.campaign_id, "Tỉnh Khánh Hòa", [_row(99, "moi.snv@khanhhoa.test", "Người Mới",
                              "SNV", "Sở Nội vụ")], now, "them.csv")  # fmt: skip
    await plan_campaign(store, s.campaign_id, rec.campaign, False, now)
    waiting = sorted((w.kind, w.due, w.count) for w in await store.waiting_mail(s.campaign_id, None, now))
    assert waiting == [("invitation", False, 1), ("invitation", True, 1)]
    snv = [i for code, i in s.agencies.items() if code.startswith("SNV")]
    assert [(w.kind, w.due) for w in await store.waiting_mail(s.campaign_id, snv, now)] == [
        ("invitation", True)
    ]
    async with console.client() as c:
        await login(c, "op")
        page = (await c.get("/")).text
        due, later = (
            re.search(r"Đến hạn, gửi ngay</dt>\s*<dd>(.*?)</dd>", page),
            re.search(r"Đã xếp lịch, gửi sau</dt>\s*<dd>(.*?)</dd>", page),
        )
        assert due and later and "Thư mời: <b>1</b>" in due.group(1) and "Thư mời: <b>1</b>" in later.group(1)
        assert (
            "Đang trong khung giờ gửi thư." in page and "Lần gửi tiếp theo</dt><dd>23/11/2026 11:00" in page
        )
        assert "Thư chưa xác định được người nhận khảo sát</a>: <b>3</b>" in page
        console.clock.at = MONDAY_10 + timedelta(days=4, hours=9)  # Friday 19:00 in Vietnam
        page = (await c.get("/")).text
        assert "Ngoài khung giờ gửi thư; mở lại lúc <b>30/11/2026 08:00</b>" in page
    console.clock.at = now
    async with console.client() as c:  # a focal point sees its own agency's mail only, and no inbound link
        await login(c, "dm-stc")
        page = (await c.get("/")).text
        assert (
            re.search(r"Đã xếp lịch, gửi sau</dt>\s*<dd>Thư mời: <b>1</b></dd>", page)
            and "/inbound" not in page
        )
        assert re.search(r"Đến hạn, gửi ngay</dt>\s*<dd>0</dd>", page)


# --- the mailbox check ------------------------------------------------------------------------------


@pytest.fixture
def checker(test_dns: Any, request: pytest.FixtureRequest) -> DiagnoseSettings:
    stack = request.getfixturevalue("mailstack")
    if stack.host != "127.0.0.1":
        pytest.skip(f"the test zone points khanhhoa.test at 127.0.0.1, the stack runs on {stack.host}")
    ((host, port),) = test_dns.nameservers
    return DiagnoseSettings(CheckerConfig(nameservers=(f"{host}:{port}",), smtp_port=stack.mx_port, helo_name="probe.survey.test",
                                          connect_timeout_s=5, command_timeout_s=5, per_mx_min_gap_s=0, catch_all_check=False,
                                          ca_file=str(stack.cafile)), allow_test_domains=True, relay_host="127.0.0.1")  # fmt: skip


async def test_check_the_mailbox_from_a_persons_page(store: Store, checker: DiagnoseSettings) -> None:
    s = await seed(store)
    console = Console(store, s, {}, checker)
    dung = f"{C}/p/{s.people['dung.stc@khanhhoa.test']}"
    async with console.client() as c:
        await login(c, "op")
        page = (await c.get(dung)).text
        assert "Kiểm tra hộp thư</button>" in page
        resp = await c.post(f"{dung}/diagnose", data={"csrf": hidden_csrf(page)})
        assert resp.status_code == 200, resp.text
        assert "máy chủ từ chối địa chỉ" in resp.text and "Nhận định" in resp.text and "550" in resp.text
        await c.get("/lang/en", params={"next": "/"})
        english = await c.post(f"{dung}/diagnose", data={"csrf": hidden_csrf(page)})
        assert "the server rejects the address" in english.text and "Findings" in english.text
        op = await store.account("op")
        assert op is not None
        for _ in range(8):  # ten in the last minute with the two above
            await store.audit(
                console.clock(), account_id=op.id, username="op", address="x", action="diagnose"
            )
        busy = await c.post(f"{dung}/diagnose", data={"csrf": hidden_csrf(page)})
        assert busy.status_code == 429 and "Too many checks in one minute" in busy.text
        console.clock.advance(seconds=61)
        assert (await c.post(f"{dung}/diagnose", data={"csrf": hidden_csrf(page)})).status_code == 200
    async with console.client() as c:  # no deliverability view for a focal point; IT of another agency: 404
        for user in ("dm-stc", "it-snv"):
            await login(c, user)
            page = (await c.get("/")).text
            assert (await c.post(f"{dung}/diagnose", data={"csrf": hidden_csrf(page)})).status_code == 404
            assert "Kiểm tra hộp thư</button>" not in (await c.get(dung)).text
            c.cookies.clear()
    runs = [
        (a.username, a.outcome)
        for a in await console.audit()
        if a.action == "diagnose" and a.address == "10.0.0.7"
    ]
    assert runs == [("op", "ok")] * 3 + [("dm-stc", "denied"), ("it-snv", "denied")]


async def test_the_check_is_not_offered_without_checker_settings(console: Console) -> None:
    person = f"{C}/p/{console.seed.people['dung.stc@khanhhoa.test']}"
    async with console.client() as c:
        await login(c, "op")
        page = (await c.get(person)).text
        resp = await c.post(f"{person}/diagnose", data={"csrf": hidden_csrf(page)})
        assert resp.status_code == 503 and "chưa được bật" in resp.text
