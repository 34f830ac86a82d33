"""The operator's actions as console forms, in process, on SQLite and PostgreSQL: each form changes what
the command line would (state, the event naming the console account, mail queued again at the next
send-window opening), each refusal changes nothing, and every attempt leaves an audit row."""

from __future__ import annotations

import html
import re
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from maildaemon.config import CheckerConfig, WebConfig
from maildaemon.intake.roster import RosterRow
from maildaemon.operations.diagnose import DiagnoseSettings
from maildaemon.operations.respondents import resend_time
from maildaemon.outbound.planner import plan_campaign
from maildaemon.store import SendOutcome, Store
from maildaemon.web.app import build_app
from tests.support.console import Clock, Seed, hidden_csrf, login, seed
from tests.support.dbstate import snapshot
from tests.support.factories import MONDAY_10
from tests.support.mailstack import MailStack
from tests.support.testdns import DnsServer

CFG = WebConfig(enabled=True, session_minutes=60 * 24 * 30, lockout_after=3, lockout_minutes=15)
EVENING = MONDAY_10 + timedelta(hours=10)  # 20:00 in Vietnam: outside the send window
SIGN_IN_TABLES = ("audit", "web_sessions", "accounts")


class Console:
    def __init__(self, store: Store, s: Seed, diagnose: DiagnoseSettings | None = None) -> None:
        self.store, self.seed, self.clock = store, s, Clock(EVENING)
        self.app = build_app(store, CFG, now=self.clock, allow_test_domains=True, diagnose_settings=diagnose)

    def client(self) -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=("10.0.0.7", 40000))
        return httpx.AsyncClient(transport=transport, base_url="http://console.test")

    def page(self, email: str) -> str:
        return f"/c/t-campaign/p/{self.seed.people[email]}"

    async def person(self, email: str) -> Any:
        return await self.store.person(self.seed.campaign_id, email)

    async def state(self) -> dict[str, Any]:
        """Every row but the sign-in's own (audit, sessions, failure counters)."""
        return {k: v for k, v in (await snapshot(self.store)).items() if k not in SIGN_IN_TABLES}

    async def audit(self) -> list[Any]:
        return list(reversed(await self.store.audit_log(1000)))


@pytest.fixture
async def console(store: Store) -> AsyncIterator[Console]:
    yield Console(store, await seed(store, extra_stc=2))


async def act(c: httpx.AsyncClient, page: str, action: str, **fields: str) -> httpx.Response:
    """Post one of the page's forms with the page's own CSRF token, as a browser would."""
    html = (await c.get(page)).text
    return await c.post(f"{page}/{action}", data={"csrf": hidden_csrf(html), **fields})


def outcome(resp: httpx.Response, page: str) -> str:
    """``done=KEY`` (with what the new mailbox's check found, ``&check=KEY``) or ``why=KEY`` of the
    redirect back to ``page``."""
    assert resp.status_code == 303, resp.text[:300]
    m = re.fullmatch(
        re.escape(page) + r"\?((?:done|why)=[a-z_]+(?:&check=[a-z]+)?)(?:&new=[^#]*)?#actions",
        resp.headers["location"],
    )
    assert m, resp.headers["location"]
    return m.group(1)


def forms(html: str) -> set[str]:
    """The operator's decisions offered on a person's page (the mailbox check is not one of them)."""
    return set(re.findall(r'<form method="post" action="/c/[^"]+/p/\d+/([a-z]+)"', html)) - {"diagnose"}


async def test_correcting_a_hard_bounced_address_queues_the_invitation_at_the_next_window_opening(
    console: Console,
) -> None:
    page = console.page("dung.stc@khanhhoa.test")
    before = await console.person("dung.stc@khanhhoa.test")
    async with console.client() as c:
        await login(c, "dm-stc")
        html = (await c.get(page)).text
        assert forms(html) == {"correct", "exclude"}  # a hard bounce: no resend until corrected
        assert "bị trả lại vĩnh viễn" in html
        resp = await act(c, page, "correct", new="  Dung.Moi@KhanhHoa.test ")
        assert outcome(resp, page) == "done=corrected"
        shown = (await c.get(resp.headers["location"])).text
    assert "Đã sửa địa chỉ. Thư chưa đến được sẽ gửi lại tới địa chỉ mới lúc 24/11/2026" in shown
    after = await console.person("dung.moi@khanhhoa.test")
    r = after.respondent
    assert (r["id"], r["token"], r["email"]) == (
        before.respondent["id"],
        before.respondent["token"],
        "Dung.Moi@khanhhoa.test",  # the domain as the roster import stores it
    )
    assert (r["delivery"], r["reason"], bool(r["hard_bounce"])) == ("queued", None, False)
    assert any(
        e["detail"].startswith("address corrected by dm-stc: dung.stc@khanhhoa.test -> ")
        for e in after.events
    )
    campaign = (await console.store.get_campaign("t-campaign")).campaign
    opening = resend_time(campaign, EVENING)
    assert opening is not None and opening > EVENING  # tomorrow morning, not tonight
    assert [
        (o["kind"], o["state"], o["not_before"].replace(tzinfo=opening.tzinfo)) for o in after.outbox
    ] == [("invitation", "queued", opening)]
    audit = [(a.username, a.action, a.outcome) for a in await console.audit()]
    assert ("dm-stc", "person.correct", "ok") in audit


@pytest.mark.parametrize(
    ("new", "why"),
    [
        ("tai@@khanhhoa", "invalid"),
        ("dung.stc@khanhhoa.test", "same"),
        ("LAN.STC@khanhhoa.test", "taken"),  # another person's address, in another case
        ("x" * 300 + "@khanhhoa.test", "too_long"),
        ("", "invalid"),
        ('"><script>alert(1)</script>\r\n@khanhhoa.test', "invalid"),
    ],
)
async def test_a_refused_correction_changes_nothing_and_says_why(
    console: Console, new: str, why: str
) -> None:
    page = console.page("dung.stc@khanhhoa.test")
    async with console.client() as c:
        await login(c, "op")
        before = await console.state()
        resp = await act(c, page, "correct", new=new)
        assert outcome(resp, page) == f"why={why}"
        shown = (await c.get(resp.headers["location"])).text
        assert await console.state() == before
    words = {"invalid": "không hợp lệ", "same": "trùng với địa chỉ hiện tại", "taken": "của một người khác",
             "too_long": "quá dài"}  # fmt: skip
    assert words[why] in shown and 'class="flash refused"' in shown
    typed = re.search(r'name="new"[^>]*value="([^"]*)"', shown)
    assert typed is not None and "<script>" not in shown
    if why != "too_long":  # the refused address is back in the field to be fixed, escaped
        assert html.unescape(typed.group(1)) == " ".join(new.split())
    denied = [a for a in await console.audit() if a.action == "person.correct"]
    assert [(a.username, a.outcome) for a in denied] == [("op", "denied")]


async def test_the_new_mailbox_is_checked_first_and_the_operator_may_correct_anyway(
    store: Store, mailstack: MailStack, mailbox_user: Any, test_dns: DnsServer
) -> None:
    """Against the stack's Postfix as khanhhoa.test's MX (through the test DNS), under the [checker] the
    console is given: an unknown user is refused and offered "correct anyway"; the override is recorded;
    a mail host that does not answer lets the correction through and says so; a real mailbox passes."""
    host, port = test_dns.nameservers[0]
    checker = CheckerConfig(
        nameservers=(f"{host}:{port}",), smtp_port=mailstack.mx_port, ca_file=str(mailstack.cafile),
        helo_name="probe.survey.test", connect_timeout_s=5.0, command_timeout_s=10.0, per_mx_min_gap_s=0.0,
    )  # fmt: skip
    console = Console(store, await seed(store), DiagnoseSettings(checker, allow_test_domains=True))
    pid = console.seed.people["dung.stc@khanhhoa.test"]
    page = console.page("dung.stc@khanhhoa.test")
    real = mailbox_user(prefix="dung")
    local, domain = real.split("@")
    unknown = f"khongco.{local}@{domain}"
    async with console.client() as c:
        await login(c, "dm-stc")
        assert 'name="force"' not in (await c.get(page)).text  # offered only after such a refusal
        before = await console.state()
        resp = await act(c, page, "correct", new=unknown)
        assert outcome(resp, page) == "why=no_mailbox"
        shown = (await c.get(resp.headers["location"])).text
        after = await console.state()
        assert {k: v for k, v in after.items() if k != "checks"} == {
            k: v for k, v in before.items() if k != "checks"
        }
        # the refused check is kept in the address's history, tied to nobody
        assert [(h.kind, h.outcome, h.reason) for h in await store.address_history(unknown)] == [
            ("check", "rejected", "userunknown")
        ]
        assert "máy chủ nhận thư trả lời rằng hộp thư này không tồn tại" in shown
        assert 'class="flash refused"' in shown and "Vẫn sửa (hộp thư vẫn được kiểm tra" in shown
        typed = re.search(r'name="new"[^>]*value="([^"]*)"', shown)
        assert typed is not None and typed.group(1) == unknown

        # "correct anyway": the check runs again and is not obeyed; the event and the audit say what it found
        resp = await act(c, page, "correct", new=unknown, force="1")
        assert outcome(resp, page) == "done=corrected&check=overridden"
        shown = (await c.get(resp.headers["location"])).text
        assert (
            "dù kiểm tra cho thấy hộp thư mới không nhận được thư; kết quả kiểm tra được ghi vào lịch sử"
            in shown
        )
        person = await console.person(unknown)
        assert person.respondent["id"] == pid and person.respondent["delivery"] == "queued"
        said = [e["detail"] for e in person.events if (e["detail"] or "").startswith("address corrected by")]
        assert len(said) == 1 and said[0].startswith(
            f"address corrected by dm-stc: dung.stc@khanhhoa.test -> {unknown}; mailbox check overridden by the "
            "operator: the receiving server says the mailbox does not exist (rejected, userunknown 550 5.1.1 "
        )  # fmt: skip
        # both checks are in the address's history: the refused one tied to nobody, the overridden one the person's
        checks = [
            (h.kind, h.outcome, h.reason) for h in await store.address_history(unknown) if h.kind == "check"
        ]
        assert checks == [("check", "rejected", "userunknown")] * 2
        audit = [a for a in await console.audit() if a.action == "person.correct"]
        assert [a.outcome for a in audit] == ["denied", "ok"]
        assert "mailbox does not exist" in audit[0].detail
        assert "check overridden by the operator" in audit[1].detail and "userunknown 550" in audit[1].detail

        # in English: a domain nobody serves is refused; a mail host that does not answer is not
        await c.get("/lang/en", params={"next": "/"})
        resp = await act(c, page, "correct", new=f"{local}@khong-co-ten-mien.test")
        assert outcome(resp, page) == "why=no_domain"
        shown = (await c.get(resp.headers["location"])).text
        assert "domain does not exist or receives no mail" in shown and "Correct anyway" in shown
        silent = f"{local}@down.probe.test"
        resp = await act(c, page, "correct", new=silent)
        assert outcome(resp, page) == "done=corrected_only&check=unsure"
        assert "could not be checked" in (await c.get(resp.headers["location"])).text
        assert (
            "mailbox check inconclusive (unreachable" in (await console.person(silent)).events[-1]["detail"]
        )

        # a real mailbox passes; its check is the person's check result
        resp = await act(c, page, "correct", new=real)
        assert outcome(resp, page) == "done=corrected_only&check=ok"
        assert "the receiving server accepts the address" in (await c.get(resp.headers["location"])).text
    assert [(h.kind, h.outcome) for h in await store.address_history(real) if h.kind == "check"] == [
        ("check", "accepted")
    ]
    person = await console.person(real)
    assert person.events[-1]["detail"].endswith(f"{silent} -> {real}; mailbox check: accepted")


async def test_no_correction_or_resend_once_the_campaign_has_closed(console: Console) -> None:
    page = console.page("dung.stc@khanhhoa.test")
    console.clock.at = MONDAY_10 + timedelta(days=30)
    async with console.client() as c:
        await login(c, "op")
        html = (await c.get(page)).text
        assert forms(html) == {"exclude"} and "Đợt khảo sát đã kết thúc" in html
        before = await console.state()
        assert outcome(await act(c, page, "correct", new="dung.moi@khanhhoa.test"), page) == "why=closed"
        assert outcome(await act(c, page, "resend"), page) == "why=closed"
        assert await console.state() == before


async def test_exclude_with_a_reason_then_restore(console: Console) -> None:
    email = "duc.vp@khanhhoa.test"
    page = console.page(email)
    async with console.client() as c:
        await login(c, "dm-snv")  # the unit below the focal point's agency
        assert forms((await c.get(page)).text) == {"correct", "exclude"}
        before = await console.state()
        assert outcome(await act(c, page, "exclude", reason=" \r\n "), page) == "why=reason_needed"
        assert outcome(await act(c, page, "restore"), page) == "why=not_excluded"
        assert await console.state() == before
        resp = await act(c, page, "exclude", reason="Đã chuyển công tác\r\nsang Sở Y tế")
        assert outcome(resp, page) == "done=excluded"
        html = (await c.get(resp.headers["location"])).text
        assert "Đã loại người này khỏi khảo sát" in html and "Đã chuyển công tác sang Sở Y tế" in html
        assert forms(html) == {"correct", "restore"}
        excluded = (await console.person(email)).respondent
        assert excluded["excluded_reason"] == "Đã chuyển công tác sang Sở Y tế" and excluded["excluded_at"]
        before = await console.state()
        assert outcome(await act(c, page, "exclude", reason="lần nữa"), page) == "why=already_excluded"
        assert await console.state() == before
        assert outcome(await act(c, page, "restore"), page) == "done=restored"
    after = await console.person(email)
    assert after.respondent["excluded_at"] is None
    details = [e["detail"] for e in after.events]
    assert (
        "excluded by dm-snv: Đã chuyển công tác sang Sở Y tế" in details and "restored by dm-snv" in details
    )
    audit = [(a.action, a.outcome) for a in await console.audit() if a.username == "dm-snv"]
    assert audit.count(("person.exclude", "denied")) == 2 and ("person.restore", "ok") in audit


async def test_resend_after_a_soft_bounce_and_refused_for_a_hard_one(console: Console) -> None:
    hard, sent = console.page("dung.stc@khanhhoa.test"), console.page("ha.snv@khanhhoa.test")
    soft_email = await _bounced_softly(console)
    soft = console.page(soft_email)
    async with console.client() as c:
        await login(c, "op")
        before = await console.state()
        assert outcome(await act(c, hard, "resend"), hard) == "why=hard_bounce"
        assert outcome(await act(c, sent, "resend"), sent) == "why=nothing_to_resend"
        assert await console.state() == before
        assert forms((await c.get(soft)).text) == {"correct", "resend", "exclude"}
        resp = await act(c, soft, "resend")
        assert outcome(resp, soft) == "done=resent"
        assert "Thư sẽ được gửi lại lúc 24/11/2026" in (await c.get(resp.headers["location"])).text
    after = await console.person(soft_email)
    opening = resend_time((await console.store.get_campaign("t-campaign")).campaign, console.clock())
    assert after.respondent["delivery"] == "queued" and opening is not None and opening > console.clock()
    assert [(o["state"], o["not_before"].replace(tzinfo=opening.tzinfo)) for o in after.outbox] == [
        ("queued", opening)
    ]
    assert any(e["detail"].startswith("resend by op: invitation after mailboxfull") for e in after.events)
    assert ("op", "person.resend", "ok") in [(a.username, a.action, a.outcome) for a in await console.audit()]


async def _bounced_softly(console: Console) -> str:
    """A person added this morning whose invitation came back "mailbox full" (not permanent)."""
    store, cid, email = console.store, console.seed.campaign_id, "hoa.stc@khanhhoa.test"
    rec = await store.get_campaign("t-campaign")
    row = RosterRow(line=2, email=email, full_name="Phan Thị Hoa", title="Kế toán", agency_name="Sở Tài chính",
                    agency_code="STC")  # fmt: skip
    await store.import_roster(cid, "Tỉnh Khánh Hòa", [row], MONDAY_10, "them.csv")
    await plan_campaign(store, cid, rec.campaign, False, MONDAY_10)
    claims = await store.claim("w", 10, MONDAY_10, timedelta(minutes=5))
    assert [c.email for c in claims] == [email]
    await store.record_outcomes(
        [SendOutcome(claims[0], "bounced", 552, "5.2.2 mailbox full", reason="mailboxfull", hard=False)],
        MONDAY_10,
    )
    console.seed.people[email] = int((await store.respondent(cid, email))["id"])
    return email


async def test_pause_and_resume_for_operators_only(console: Console) -> None:
    async with console.client() as c:
        await login(c, "op")
        html = (await c.get("/c/t-campaign")).text
        assert 'action="/c/t-campaign/pause"' in html and "Đang gửi theo lịch" in html
        resp = await c.post("/c/t-campaign/pause", data={"csrf": hidden_csrf(html)})
        assert resp.status_code == 303 and resp.headers["location"] == "/c/t-campaign?done=paused#sending"
        html = (await c.get(resp.headers["location"])).text
        assert "Đã tạm dừng gửi thư" in html and 'action="/c/t-campaign/resume"' in html
        assert (await console.store.get_campaign("t-campaign")).paused
        again = await c.post("/c/t-campaign/pause", data={"csrf": hidden_csrf(html)})
        assert again.headers["location"] == "/c/t-campaign?done=unchanged#sending"
        resp = await c.post("/c/t-campaign/resume", data={"csrf": hidden_csrf(html)})
        assert resp.headers["location"] == "/c/t-campaign?done=resumed#sending"
        assert not (await console.store.get_campaign("t-campaign")).paused
    async with console.client() as c:
        await login(c, "dm-snv")
        html = (await c.get("/c/t-campaign")).text
        assert "/pause" not in html and "/resume" not in html
        before = await console.state()
        assert (await c.post("/c/t-campaign/pause", data={"csrf": hidden_csrf(html)})).status_code == 404
        assert await console.state() == before
    audit = [
        (a.username, a.action, a.outcome) for a in await console.audit() if a.action.startswith("campaign.")
    ]
    assert audit == [("op", "campaign.pause", "ok"), ("op", "campaign.pause", "ok"), ("op", "campaign.resume", "ok"),
                     ("dm-snv", "campaign.pause", "denied")]  # fmt: skip
    moves = [(e.old, e.new, e.detail) for e in await console.store.events(campaign_id=console.seed.campaign_id)
             if e.field == "campaign"]  # fmt: skip
    assert moves[-2:] == [("running", "paused", "by op"), ("paused", "running", "by op")] and len(moves) == 3


async def test_a_form_without_its_token_is_refused_and_changes_nothing(console: Console) -> None:
    page = console.page("dung.stc@khanhhoa.test")
    async with console.client() as c:
        await login(c, "op")
        before = await console.state()
        for data in ({"new": "dung.moi@khanhhoa.test"}, {"csrf": "wrong", "new": "dung.moi@khanhhoa.test"}):
            assert (await c.post(f"{page}/correct", data=data)).status_code == 403
        assert (await c.post("/c/t-campaign/pause", data={})).status_code == 403
        assert await console.state() == before


async def test_the_forms_and_outcomes_in_english(console: Console) -> None:
    page = console.page("dung.stc@khanhhoa.test")
    async with console.client() as c:
        await login(c, "op")
        await c.get("/lang/en", params={"next": "/"})
        html = (await c.get(page)).text
        assert "Correct the address" in html and "bounced permanently" in html and "Sửa địa chỉ" not in html
        resp = await act(c, page, "correct", new="lan.stc@khanhhoa.test")
        assert "belongs to someone else" in (await c.get(resp.headers["location"])).text
