"""A challenge-response filter's automatic reply as an operator reads it in Debian's headless Chromium
(Playwright, against `maildaemon web` on SQLite): the notice is recorded through the store's inbound path
and tied to its person by the VERP address; the person page says the filter holds the mail and what to do
(ask the person to allow our sender), the history says it in words, never the bare reason code, and an
out-of-office reply on the same page is still an absence; in Vietnamese and in English."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import timedelta
from email.header import Header
from pathlib import Path

import pytest

from maildaemon.store import Store
from tests.acceptance.test_console_browser import ARGS, SIZES, _port
from tests.support.chromium import chromium_path
from tests.support.console import PASSWORD, seed
from tests.support.factories import MONDAY_10
from tests.support.mails import autoreply_vi

pytestmark = pytest.mark.timeout(900)

CHALLENGE = (
    "Hello,\r\n\r\nYour message about the survey has been waitlisted.\r\n\r\nPlease add yourself to my Guest "
    "List so your messages will go to my Inbox. Use the link below.\r\nhttps://cr.example.net/g?t=1\r\n"
)


def _challenge(token: str, person: str) -> bytes:
    return (
        f"From: {person}\r\nTo: bounces+{token}@survey.test\r\n"
        f"Subject: {Header('Re: Thư mời khảo sát (Action Required)', 'utf-8').encode()}\r\n"
        "Date: Mon, 23 Nov 2026 10:20:00 +0700\r\nMessage-ID: <cr1@cr.example.net>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n\r\n" + CHALLENGE
    ).encode()


async def _seed(url: str) -> dict[str, int]:
    async with Store(url) as store:
        await store.init_schema()
        s = await seed(store, extra_stc=2)
        held, away = s.extra
        tokens = {e: (await store.respondent(s.campaign_id, e))["token"] for e in (held, away)}
        mails = [_challenge(tokens[held], held), autoreply_vi(tokens[away], away)]
        results = await store.record_inbound_many(list(enumerate(mails, 1)), folder="INBOX", uidvalidity=1,
                                                  now=MONDAY_10 + timedelta(minutes=40))  # fmt: skip
        assert [(r.kind, r.outcome) for r in results] == [("autoreply", "autoreplies")] * 2, results
        return {"held": s.people[held], "away": s.people[away]}


@pytest.fixture
def console(tmp_path: Path) -> Iterator[tuple[str, dict[str, int]]]:
    port = _port()
    (tmp_path / "md.toml").write_text(
        f'[daemon]\nstate_dir = "state"\nallow_test_domains = true\n[web]\nlisten = "127.0.0.1:{port}"\n',
        encoding="utf-8",
    )
    (tmp_path / "state").mkdir()
    people = asyncio.run(_seed(f"sqlite+aiosqlite:///{tmp_path / 'state' / 'maildaemon.db'}"))
    proc = subprocess.Popen([sys.executable, "-m", "maildaemon", "--config", str(tmp_path / "md.toml"), "web"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=os.environ.copy())  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("console on "), line
    try:
        yield f"http://127.0.0.1:{port}", people
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
        proc.stdout.close()


WORDS = {
    "vi": {
        "todo": "Việc cần làm",
        "allow": "Đề nghị người nhận cho phép địa chỉ gửi",
        "held": "bộ lọc của người nhận giữ thư lại và yêu cầu người gửi xác nhận",
        "auto": "Trả lời tự động\tBộ lọc thư",
        "away": "trả lời tự động (vắng mặt)",
    },
    "en": {
        "todo": "To do",
        "allow": "Ask the person to allow our sender",
        "held": "the recipient's filter holds the mail and asks the sender to confirm",
        "auto": "Auto-reply\tThe recipient's mail filter",
        "away": "automatic reply (away)",
    },
}


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_operator_reads_what_a_challenge_means_and_what_to_do(
    console: tuple[str, dict[str, int]], lang: str, tmp_path: Path
) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    url, people = console
    w = WORDS[lang]
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=ARGS, headless=True)
        try:
            context = browser.new_context(viewport=SIZES["desktop"], locale="vi-VN")
            page = context.new_page()
            page.goto(url + "/login")
            page.fill("input[name=username]", "op")
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            page.goto(f"{url}/lang/{lang}?next=/")

            page.goto(f"{url}/c/t-campaign/p/{people['held']}")
            card = page.inner_text("main section.card >> nth=0")
            assert f"{w['todo']}\n{w['allow']}" in card  # the action, in the person's card
            main = page.inner_text("main")
            assert w["held"] in main and w["away"] not in main
            assert "challenge" not in main.replace("challenge-response", "")  # no bare reason code
            assert w["auto"] in main  # the IT table: no empty outcome before the reason (": Bộ lọc ...")
            assert "\t: " not in main
            page.screenshot(path=str(tmp_path / f"{lang}-held.png"), full_page=True)

            page.goto(f"{url}/c/t-campaign/p/{people['away']}")
            main = page.inner_text("main")
            assert w["away"] in main and w["held"] not in main and w["allow"] not in main
            assert "vacation" not in main  # the history's detail in words
            page.screenshot(path=str(tmp_path / f"{lang}-away.png"), full_page=True)
            context.close()
        finally:
            browser.close()
