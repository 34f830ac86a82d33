"""The operator console over its routes, in process (httpx's ASGI transport: the same client as
Starlette's TestClient, in the test's own event loop), on SQLite and PostgreSQL: sessions, CSRF,
lockout without account enumeration, the CSP, escaping of roster data, and the authorisation matrix."""

from __future__ import annotations

import re
import statistics
import time
from collections.abc import AsyncIterator
from dataclasses import replace
from typing import Any

import httpx
import pytest

from maildaemon.config import WebConfig
from maildaemon.store import Store
from maildaemon.web.app import build_app
from tests.support.console import ATTR, MARKUP, PASSWORD, Clock, Seed, hidden_csrf, login, seed
from tests.support.dbstate import snapshot
from tests.support.loose import record_loose

CFG = WebConfig(enabled=True, session_minutes=60, lockout_after=3, lockout_minutes=15)


class Console:
    def __init__(self, store: Store, s: Seed, clock: Clock, cfg: WebConfig = CFG) -> None:
        self.store, self.seed, self.clock = store, s, clock
        self.app = build_app(store, cfg, now=clock)

    def client(self, base: str = "http://console.test", address: str = "10.0.0.7") -> httpx.AsyncClient:
        transport = httpx.ASGITransport(app=self.app, client=(address, 40000))
        return httpx.AsyncClient(transport=transport, base_url=base)

    async def audit(self) -> list[Any]:
        return list(reversed(await self.store.audit_log(1000)))


@pytest.fixture
async def console(store: Store) -> AsyncIterator[Console]:
    yield Console(store, await seed(store, extra_stc=55), Clock())


def _cookie(resp: httpx.Response, name: str) -> str:
    for header in resp.headers.get_list("set-cookie"):
        if header.startswith(f"{name}="):
            return header
    raise AssertionError(f"no {name} cookie set")


async def test_session_cookie_is_hardened_and_logout_ends_it_on_the_server(console: Console) -> None:
    async with console.client() as c:
        resp = await login(c, "op")
        assert resp.status_code == 303 and resp.headers["location"] == "/"
        cookie = _cookie(resp, "md_session")
        attrs = {a.strip().split("=")[0].lower() for a in cookie.split(";")[1:]}
        assert {"httponly", "max-age", "path", "samesite"} <= attrs and "secure" not in attrs
        assert "Max-Age=3600" in cookie and "SameSite=lax" in cookie
        stolen = c.cookies.get("md_session")
        assert (await c.get("/")).status_code == 200
        page = await c.get("/")
        assert (await c.post("/logout", data={"csrf": hidden_csrf(page.text)})).status_code == 303
        assert (await c.get("/")).status_code == 303  # signed out here
    async with console.client() as thief:  # the cookie copied before logout opens nothing now
        thief.cookies.set("md_session", stolen)
        resp = await thief.get("/")
        assert resp.status_code == 303 and resp.headers["location"] == "/login"
        assert (await thief.get("/c/t-campaign/progress.json")).status_code == 401
    actions = [(a.username, a.action, a.outcome, a.address) for a in await console.audit()]
    assert ("op", "login", "ok", "10.0.0.7") in actions and ("op", "logout", "ok", "10.0.0.7") in actions


async def test_cookie_is_secure_behind_tls_and_sessions_expire(console: Console) -> None:
    async with console.client("https://console.test") as c:  # TLS (as the proxy's X-Forwarded-Proto says)
        assert "Secure" in _cookie(await login(c, "op"), "md_session")
        assert (await c.get("/")).status_code == 200
        console.clock.advance(minutes=61)
        assert (await c.get("/")).status_code == 303  # expired on the server, whatever the browser keeps
    forced = Console(console.store, console.seed, console.clock, replace(CFG, secure_cookies=True))
    async with forced.client("https://console.test") as c:
        assert "Secure" in _cookie(await login(c, "op"), "md_session")


async def test_forged_session_and_missing_or_wrong_csrf_are_refused_and_change_nothing(
    console: Console,
) -> None:
    async with console.client() as c:
        c.cookies.set("md_session", "forged-" + "x" * 40)
        assert (await c.get("/")).status_code == 303
        c.cookies.clear()
        page = await c.get("/login")  # login without the token of its own form
        resp = await c.post("/login", data={"username": "op", "password": PASSWORD})
        assert resp.status_code == 403 and "md_session" not in resp.headers.get("set-cookie", "")
        resp = await c.post("/login", data={"csrf": "wrong", "username": "op", "password": PASSWORD})
        assert resp.status_code == 403
        assert (await login(c, "op")).status_code == 303
        for data in (
            {},
            {"csrf": "wrong"},
            {"csrf": hidden_csrf(page.text)},
        ):  # the login form's token is not it
            assert (await c.post("/logout", data=data)).status_code == 403
        assert (await c.get("/")).status_code == 200  # still signed in: the refused logout did nothing
        big = {"csrf": "x", "note": "a" * 20000}
        assert (await c.post("/logout", data=big)).status_code == 413
        assert (await c.get("/")).status_code == 200
    refused = [a for a in await console.audit() if a.outcome == "denied"]
    assert len(refused) >= 5 and all(a.address == "10.0.0.7" for a in refused)


def _answer(resp: httpx.Response) -> tuple[int, str]:
    """What a refused login shows, without its fresh form token."""
    return resp.status_code, re.sub(r'value="[^"]+"', 'value=""', resp.text)


async def test_lockout_and_no_account_enumeration(console: Console) -> None:
    async with console.client() as c:
        unknown = await login(c, "khong-co-ai", "sai-mat-khau-1")
        wrong = await login(c, "dm-snv", "sai-mat-khau-1")
        assert _answer(unknown) == _answer(wrong) and unknown.status_code == 401
        assert "không đúng" in wrong.text
        for _ in range(2):  # 3 wrong in a row lock the account (lockout_after = 3)
            await login(c, "dm-snv", "sai-mat-khau-1")
        locked = await login(c, "dm-snv")  # the right password, but locked
        assert _answer(locked) == _answer(wrong)
        console.clock.advance(minutes=16)
        assert (await login(c, "dm-snv")).status_code == 303  # the lock lasts lockout_minutes
        # similar timing: an unknown name costs one argon2 verification like a wrong password
        times: dict[str, list[float]] = {"unknown": [], "wrong": []}
        for _ in range(3):
            for kind, name in (("unknown", "khong-co-ai"), ("wrong", "admin")):
                c.cookies.clear()
                page = await c.get("/login")
                start = time.perf_counter()
                await c.post(
                    "/login",
                    data={"csrf": hidden_csrf(page.text), "username": name, "password": "sai-mat-khau-2"},
                )
                times[kind].append(time.perf_counter() - start)
        ratio = statistics.median(times["unknown"]) / statistics.median(times["wrong"])
        assert 0.5 < ratio < 2.0, times
    details = [a.detail for a in await console.audit() if a.action == "login"]
    assert "unknown account" in details and "wrong password, account now locked" in details
    assert "account locked" in details


async def test_one_address_is_throttled_whatever_name_it_tries(console: Console) -> None:
    async with console.client(address="10.9.9.9") as c:
        for i in range(12):  # 4 x lockout_after failures from one address, spread over names
            await login(c, f"doan-ten-{i}", "sai-mat-khau-1")
        assert (await login(c, "op")).status_code == 401  # the right password of a real account: refused
    async with console.client(address="10.0.0.8") as other:
        assert (await login(other, "op")).status_code == 303  # another address is not affected
    assert any(a.detail == "address throttled" for a in await console.audit())


async def test_csp_forbids_inline_script_and_pages_carry_none(console: Console) -> None:
    s = console.seed
    async with console.client() as c:
        await login(c, "admin")
        pages = ["/", "/c/t-campaign", f"/c/t-campaign/a/{s.agencies['_province']}",
                 f"/c/t-campaign/a/{s.agencies['STC']}?status=bounced",
                 f"/c/t-campaign/p/{s.people['duc.vp@khanhhoa.test']}", "/login", "/c/nope"]  # fmt: skip
        for path in pages:
            resp = await c.get(path)
            csp = resp.headers["content-security-policy"]
            assert (
                "script-src 'self'" in csp and "unsafe-inline" not in csp and "frame-ancestors 'none'" in csp
            )
            assert resp.headers["x-content-type-options"] == "nosniff"
            assert resp.headers["cache-control"] == "no-store"
            for tag in re.findall(r"<script[^>]*>", resp.text):
                assert 'src="/static/' in tag, (path, tag)
            for tag in re.findall(r"<[a-z][^>]*>", resp.text):  # real tags: escaped roster text is not one
                assert not re.search(r"\son[a-z]+\s*=", tag), (path, tag)  # no event-handler attributes
                assert " style=" not in tag, (path, tag)  # the CSP has no 'unsafe-inline' for styles either
        js = await c.get("/static/console.js")
        assert js.status_code == 200 and "fetch(" in js.text


async def test_roster_markup_and_line_breaks_are_escaped_everywhere(console: Console) -> None:
    s = console.seed
    async with console.client() as c:
        await login(c, "op")
        pages = [f"/c/t-campaign/a/{s.agencies['_province']}", f"/c/t-campaign/a/{s.agencies['SNV-VP']}",
                 f"/c/t-campaign/a/{s.agencies['_province']}?q=img",
                 f"/c/t-campaign/p/{s.people['duc.vp@khanhhoa.test']}",
                 f"/c/t-campaign/p/{s.people['lan.stc@khanhhoa.test']}"]  # fmt: skip
        for path in pages:
            body = (await c.get(path)).text
            assert "<script>alert" not in body and "<img src=x" not in body, path
        body = (await c.get(pages[3])).text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in body and "Trần Văn Đức" in body
        assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in (await c.get(pages[4])).text
        # a search carrying markup and CR/LF comes back escaped in the form
        resp = await c.get(
            f"/c/t-campaign/a/{s.agencies['_province']}", params={"q": '"><b>x</b>\r\nSet-Cookie: a=b'}
        )
        assert (
            resp.status_code == 200
            and "<b>x</b>" not in resp.text
            and "set-cookie" not in {k.lower() for k in resp.headers if resp.headers[k].startswith("a=b")}
        )
        for fmt in ("csv", "xlsx", "html"):
            resp = await c.get(f"/c/t-campaign/report.{fmt}")
            assert "\n" not in resp.headers["content-disposition"]
        html_report = (await c.get("/c/t-campaign/report.html")).text
        assert "<script>alert" not in html_report
    assert MARKUP and ATTR  # the seed's names are the ones checked above


async def test_people_are_filtered_searched_and_paged(console: Console) -> None:
    s = console.seed
    province = f"/c/t-campaign/a/{s.agencies['_province']}"
    async with console.client() as c:
        await login(c, "op")
        bounced = (await c.get(province, params={"status": "bounced"})).text
        assert "dung.stc@khanhhoa.test" in bounced and "ha.snv@khanhhoa.test" not in bounced
        assert (
            "dung.stc@khanhhoa.test"
            in (await c.get(province, params={"status": "bounced", "reason": "userunknown"})).text
        )
        assert (
            "dung.stc@"
            not in (await c.get(province, params={"status": "bounced", "reason": "mailboxfull"})).text
        )
        done = (await c.get(province, params={"status": "completed"})).text
        assert "ha.snv@khanhhoa.test" in done and "duc.vp@" not in done
        assert "ha.snv@khanhhoa.test" in (await c.get(province, params={"q": "Thu Hà"})).text
        assert (
            "ha.snv@khanhhoa.test" in (await c.get(province, params={"q": "HA.SNV@"})).text
        )  # address, any case
        assert (
            "Không có ai phù hợp" in (await c.get(province, params={"q": "100%_"})).text
        )  # LIKE wildcards literal
        first, second = (await c.get(province)).text, (await c.get(province, params={"page": 2})).text
        assert "Tìm thấy: 59" in first and "Trang 1/2" in first and "Trang 2/2" in second
        names = lambda html: set(re.findall(r"nguoi\d+@khanhhoa.test", html))  # noqa: E731
        assert len(names(first)) + len(names(second)) == 55 and not names(first) & names(second)


async def test_progress_json_and_report_downloads(console: Console) -> None:
    async with console.client() as c:
        await login(c, "op")
        data = (await c.get("/c/t-campaign/progress.json")).json()
        assert (data["total"], data["completed"], data["bounced"]) == (59, 1, 1) and data["target"] == 0.6
        xlsx = await c.get("/c/t-campaign/report.xlsx")
        assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
        assert 'filename="bao-cao-t-campaign.xlsx"' in xlsx.headers["content-disposition"]
        csv = await c.get("/c/t-campaign/report.csv")
        assert csv.content.startswith(b"\xef\xbb\xbf") and "Sở Nội vụ" in csv.content.decode("utf-8-sig")
        await c.get("/lang/en", params={"next": "/"})
        assert "Survey progress report" in (await c.get("/c/t-campaign/report.html")).text
    async with console.client() as c:
        await login(c, "dm-snv")
        data = (await c.get("/c/t-campaign/progress.json")).json()
        assert (data["total"], data["completed"]) == (2, 1)  # only Sở Nội vụ and its Văn phòng
    downloads = [a.target for a in await console.audit() if a.action == "download"]
    assert "report t-campaign.xlsx" in downloads


async def test_language_switch_and_no_open_redirect(console: Console) -> None:
    async with console.client() as c:
        await login(c, "op")
        assert "Đăng xuất" in (await c.get("/")).text
        resp = await c.get("/lang/en", params={"next": "/c/t-campaign"})
        assert resp.status_code == 303 and resp.headers["location"] == "/c/t-campaign"
        assert "Sign out" in (await c.get("/")).text
        for evil in ("//evil.example/", "https://evil.example/", "/\\evil.example"):
            assert (await c.get("/lang/vi", params={"next": evil})).headers["location"] == "/"
        assert (await c.get("/lang/fr")).status_code == 404


# --- the authorisation matrix -------------------------------------------------------------------------


def _routes(s: Seed) -> dict[str, str]:
    a, p = s.agencies, s.people
    return {
        "overview": "/",
        "campaign": "/c/t-campaign",
        "progress": "/c/t-campaign/progress.json",
        "province": f"/c/t-campaign/a/{a['_province']}",
        "snv": f"/c/t-campaign/a/{a['SNV']}",
        "snv-vp": f"/c/t-campaign/a/{a['SNV-VP']}",
        "stc": f"/c/t-campaign/a/{a['STC']}",
        "person-snv": f"/c/t-campaign/p/{p['ha.snv@khanhhoa.test']}",
        "person-snv-vp": f"/c/t-campaign/p/{p['duc.vp@khanhhoa.test']}",
        "person-stc": f"/c/t-campaign/p/{p['dung.stc@khanhhoa.test']}",
        "report-xlsx": "/c/t-campaign/report.xlsx",
        "report-csv": "/c/t-campaign/report.csv",
        "report-html": "/c/t-campaign/report.html",
        "no-campaign": "/c/khong-co/a/1",
        "no-agency": "/c/t-campaign/a/999999",
        "no-person": "/c/t-campaign/p/999999",
        "bad-id": "/c/t-campaign/p/1%20OR%201=1",
        "bad-format": "/c/t-campaign/report.pdf",
        "audit": "/audit",
    }


OK, NO = 200, 404
EVERYWHERE = {"overview": OK, "campaign": OK, "progress": OK, "province": OK, "snv": OK, "snv-vp": OK, "stc": OK,
              "person-snv": OK, "person-snv-vp": OK, "person-stc": OK, "report-xlsx": OK, "report-csv": OK,
              "report-html": OK}  # fmt: skip
SNV_ONLY = {**{k: NO for k in EVERYWHERE}, "overview": OK, "campaign": OK, "progress": OK, "snv": OK, "snv-vp": OK,
            "person-snv": OK, "person-snv-vp": OK}  # fmt: skip
STC_ONLY = {
    **{k: NO for k in EVERYWHERE},
    "overview": OK,
    "campaign": OK,
    "progress": OK,
    "stc": OK,
    "person-stc": OK,
}
LOOSE = {"inbound": OK, "inbound-msg": OK}  # mail tied to nobody: whole-campaign accounts only
MATRIX = {
    "admin": {**EVERYWHERE, **LOOSE, "audit": OK},
    "op": {**EVERYWHERE, **LOOSE},
    "it-all": {**EVERYWHERE, **LOOSE, "report-xlsx": NO, "report-csv": NO, "report-html": NO},
    "dm-snv": SNV_ONLY,
    "it-snv": SNV_ONLY,
    "dm-stc": STC_ONLY,
}
# POSTs, with this session's CSRF token: the mailbox check (503 where allowed: this console has no
# [checker] settings) and "this is person X" (tried only by those who may not: it would change state).
POSTS = {"diagnose-snv": "person-snv", "diagnose-stc": "person-stc"}
DIAGNOSE = {
    "admin": {"diagnose-snv": 503, "diagnose-stc": 503},
    "op": {"diagnose-snv": 503, "diagnose-stc": 503},
    "it-all": {"diagnose-snv": 503, "diagnose-stc": 503},
    "it-snv": {"diagnose-snv": 503},
}


async def test_authorisation_matrix_every_route_every_role(console: Console) -> None:
    routes = _routes(console.seed)
    loose = await record_loose(console.store, console.clock())
    routes |= {"inbound": "/c/t-campaign/inbound", "inbound-msg": f"/c/t-campaign/inbound/{loose['reply']}",
               "no-inbound": f"/c/t-campaign/inbound/{max(loose.values()) + 1}",
               "no-campaign-inbound": "/c/khong-co/inbound"}  # fmt: skip
    before = {
        k: v
        for k, v in (await snapshot(console.store)).items()
        if k not in ("audit", "web_sessions", "accounts")
    }
    async with console.client() as anon:
        for name, path in routes.items():
            resp = await anon.get(path)
            assert resp.status_code == (401 if path.endswith(".json") else 303), name
    for user, expected in MATRIX.items():
        async with console.client() as c:
            assert (await login(c, user)).status_code == 303
            for name, path in routes.items():
                want = expected.get(name, NO)  # every missing or malformed object: 404 for everyone
                resp = await c.get(path)
                assert resp.status_code == want, (user, name, resp.status_code)
                if want == NO:
                    assert "ha.snv@" not in resp.text and "dung.stc@" not in resp.text
            overview = (await c.get("/")).text
            csrf = hidden_csrf(overview)
            for name, person_route in POSTS.items():
                resp = await c.post(routes[person_route] + "/diagnose", data={"csrf": csrf})
                assert resp.status_code == DIAGNOSE.get(user, {}).get(name, NO), (
                    user,
                    name,
                    resp.status_code,
                )
            if user not in ("admin", "op"):
                resp = await c.post(
                    f"/c/t-campaign/inbound/{loose['reply']}/assign",
                    data={"csrf": csrf, "respondent": str(console.seed.people["ha.snv@khanhhoa.test"])},
                )
                assert resp.status_code == NO, user
            person = (await c.get(routes["person-snv"])).text
            assert ('class="card deliverability"' in person) is (
                user in ("admin", "op", "it-snv", "it-all")
            ), user
            if expected is SNV_ONLY:
                assert "Sở Tài chính" not in (await c.get(routes["campaign"])).text
                assert "report.xlsx" not in overview
    after = {
        k: v
        for k, v in (await snapshot(console.store)).items()
        if k not in ("audit", "web_sessions", "accounts")
    }
    assert after == before  # nothing changed but the audit log, the sessions and the sign-in counters
    denied = [a for a in await console.audit() if a.outcome == "denied"]
    assert {a.username for a in denied} >= {"dm-snv", "it-snv", "dm-stc"}
    assert any(a.username == "dm-snv" and "person" in a.target for a in denied)


async def test_disable_and_password_change_end_the_accounts_sessions(console: Console) -> None:
    from maildaemon.web import accounts

    async with console.client() as c, console.client() as other:
        await login(c, "dm-snv")
        await login(other, "op")
        assert (await c.get("/")).status_code == 200
        await accounts.set_disabled(console.store, "dm-snv", True, console.clock(), "test")
        assert (await c.get("/")).status_code == 303
        assert (await login(c, "dm-snv")).status_code == 401  # a disabled account cannot sign in
        await accounts.change_password(console.store, "op", PASSWORD + "-moi", console.clock(), "test")
        assert (await other.get("/")).status_code == 303
        assert (await login(other, "op", PASSWORD + "-moi")).status_code == 303
    assert {a.action for a in await console.audit()} >= {"user.disable", "user.passwd"}


async def test_malformed_forms_are_refused_cleanly(console: Console) -> None:
    async with console.client() as c:
        await login(c, "op")
        form = {"content-type": "application/x-www-form-urlencoded"}
        assert (await c.post("/logout", content=b"csrf=%ff%fe\xff", headers=form)).status_code == 400
        assert (
            await c.post("/logout", content=b"{}", headers={"content-type": "application/json"})
        ).status_code == 400
        assert (await c.post("/login", content=b"a=" + b"x" * 9000, headers=form)).status_code == 413
        assert (await c.get("/")).status_code == 200  # still signed in: nothing was done
    refused = [(a.username, a.detail) for a in await console.audit() if a.outcome == "denied"]
    assert ("op", "malformed form") in refused and ("op", "not a form") in refused
    assert ("op", "form too large") in refused


# --- the authorisation matrix of the operator's actions (POST, with the session's own CSRF token) ------

PERSON_ACTS = {"correct": {"new": "moi.{n}@khanhhoa.gov.vn"}, "exclude": {"reason": "Nghỉ dài hạn"},
               "restore": {}, "resend": {}}  # fmt: skip


def _act_routes(s: Seed) -> dict[str, tuple[str, dict[str, str]]]:
    p = s.people
    people = {
        "snv": p["ha.snv@khanhhoa.test"],
        "snv-vp": p["duc.vp@khanhhoa.test"],
        "stc": p["dung.stc@khanhhoa.test"],
    }
    routes = {f"{act}-{who}": (f"/c/t-campaign/p/{pid}/{act}", data) for who, pid in people.items()
              for act, data in PERSON_ACTS.items()}  # fmt: skip
    routes |= {"pause": ("/c/t-campaign/pause", {}), "resume": ("/c/t-campaign/resume", {}),
               "no-person": ("/c/t-campaign/p/999999/exclude", {"reason": "x"}),
               "bad-id": ("/c/t-campaign/p/1%20OR%201=1/exclude", {"reason": "x"}),
               "no-campaign": ("/c/khong-co/p/1/exclude", {"reason": "x"}),
               "no-campaign-pause": ("/c/khong-co/pause", {})}  # fmt: skip
    return routes


def _acts(*people: str) -> set[str]:
    return {f"{act}-{who}" for who in people for act in PERSON_ACTS}


ACT_MATRIX = {  # what each may do; everything else is 404. Restricted roles first: their refusals meet people
    "it-snv": set(),  # still as seeded, so each refused request is one that would have changed something
    "dm-stc": _acts("stc"),
    "dm-snv": _acts("snv", "snv-vp"),
    "op": _acts("snv", "snv-vp", "stc") | {"pause", "resume"},
    "admin": _acts("snv", "snv-vp", "stc") | {"pause", "resume"},
}


async def test_authorisation_matrix_of_the_actions_every_route_every_role(console: Console) -> None:
    routes = _act_routes(console.seed)

    async def state() -> dict[str, Any]:
        return {
            k: v
            for k, v in (await snapshot(console.store)).items()
            if k not in ("audit", "web_sessions", "accounts")
        }

    async with console.client() as anon:
        for name, (path, data) in routes.items():
            assert (await anon.post(path, data=data)).status_code == 303, name  # to the sign-in page
    n = 0
    for user, may in ACT_MATRIX.items():
        async with console.client() as c:
            await login(c, user)
            person = (await c.get(_routes(console.seed)["person-snv"])).text
            assert ("/correct" in person) is ("correct-snv" in may), (
                user
            )  # the forms shown are the ones allowed
            assert ("/c/t-campaign/pause" in (await c.get("/c/t-campaign")).text) is ("pause" in may), user
            for name, (path, data) in routes.items():
                n += 1
                before = await state()
                form = {k: v.format(n=n) for k, v in data.items()}
                resp = await c.post(path, data={"csrf": hidden_csrf(person), **form})
                if name in may:  # done, or refused by the person's state: the page says which
                    assert resp.status_code == 303, (user, name, resp.status_code)
                    assert re.search(
                        r"\?(done|why)=[a-z_]+(&new=[^#]*)?#(actions|sending)$", resp.headers["location"]
                    ), (
                        user,
                        name,
                    )
                else:
                    assert resp.status_code == NO, (user, name, resp.status_code)
                    assert "ha.snv@" not in resp.text and "dung.stc@" not in resp.text
                    assert await state() == before, (user, name)
    denied = [
        a
        for a in await console.audit()
        if a.outcome == "denied" and a.action.startswith(("person.", "campaign."))
    ]
    assert {a.username for a in denied} == {
        "it-snv",
        "dm-stc",
        "dm-snv",
        "op",
        "admin",
    }  # the missing ones too
    done = {(a.username, a.action) for a in await console.audit() if a.outcome == "ok"}
    assert {("dm-stc", "person.correct"), ("dm-snv", "person.exclude"), ("op", "campaign.pause")} <= done
