"""Issue 17 item 6 in a real browser against the real mail stack: an invitation to an unknown user
hard-bounces through Postfix and `run --once` reads the DSN back; a focal point signs in to
`maildaemon web` (headless Debian Chromium via Playwright), sees only their agency, opens the bounced
person and corrects the address in the form (on a phone-sized screen); the next run delivers the
invitation to the new mailbox (read over IMAP) with the same token, and the old address gets nothing
more. The person page with its forms is kept as screenshots at 1280 and 390 px under the tmp dir."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.support.chromium import ARGS, SIZES, chromium_path, new_page
from tests.support.cli import checker_config, stack_config
from tests.support.factories import campaign_text
from tests.support.mailstack import MailStack
from tests.support.testdns import DnsServer

pytestmark = pytest.mark.timeout(900)

CAMPAIGN = "sua-qua-web"
PASSWORD = "mat-khau-dau-moi-2026"
WINDOW = 'weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\nstart = "00:00"\nend = "24:00"'

Run = Callable[..., subprocess.CompletedProcess[str]]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _hard_bounced(run: Run, show: Callable[[str], dict[str, Any]], address: str) -> dict[str, Any]:
    """The daemon runs once at a time until the DSN about ``address`` is read back (Postfix may take a
    moment to send it): the respondent then."""
    deadline = time.monotonic() + 150
    while True:
        run("run", "--once")
        respondent: dict[str, Any] = show(address)["respondent"]
        if respondent["delivery"] == "bounced":
            return respondent
        assert time.monotonic() < deadline, "timed out waiting for the hard bounce"


def _setup(tmp: Path, ms: MailStack, watched: str, port: int, people: list[tuple[str, str, str, str]],
           dns: DnsServer) -> Run:  # fmt: skip
    """A campaign sending through the stack's Postfix, its roster, and a focal point of Sở Nội vụ; the
    console checks corrected mailboxes through the test DNS, which points khanhhoa.test at the stack."""
    tail = f'[web]\nlisten = "127.0.0.1:{port}"\n' + checker_config(ms, dns.nameservers[0])
    (tmp / "md.toml").write_text(
        stack_config(ms, watched, smtp_auth=True, imap="", tail=tail), encoding="utf-8"
    )
    now = datetime.now(UTC)
    wlocal, wdomain = watched.split("@")
    text = campaign_text(CAMPAIGN, opens=now - timedelta(hours=1), closes=now + timedelta(days=5), window=WINDOW,
                         bounce_domain=wdomain)  # fmt: skip
    (tmp / "camp.toml").write_text(
        text.replace("[sender]", f'[sender]\nbounce_prefix = "{wlocal}"'), encoding="utf-8"
    )
    lines = ["Họ và tên,Thư điện tử,Cơ quan/đơn vị,Mã đơn vị"] + [f"{n},{e},{a},{c}" for n, e, a, c in people]
    (tmp / "ds.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    env = {**os.environ, "MAILDAEMON_IMAP_PASSWORD": ms.password, "MAILDAEMON_SMTP_PASSWORD": ms.password}

    def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([sys.executable, "-m", "maildaemon", "--config", str(tmp / "md.toml"), *args],
                              capture_output=True, text=True, env=env, timeout=180, check=False, input=stdin)  # fmt: skip
        assert proc.returncode == 0, f"{args}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc

    run("campaign", "create", str(tmp / "camp.toml"))
    run("import", CAMPAIGN, str(tmp / "ds.csv"))
    run("user", "add", "dm-snv", "--role", "focal", "--campaign", CAMPAIGN, "--agency", "SNV",
        "--name", "Lê Thị Lan", "--password-stdin", stdin=PASSWORD + "\n")  # fmt: skip
    return run


@pytest.fixture
def console_process(tmp_path: Path) -> Iterator[Callable[[], str]]:
    """Starts `maildaemon web` on the test's config when asked; stopped (SIGTERM) at the end."""
    procs: list[subprocess.Popen[str]] = []

    def start() -> str:
        proc = subprocess.Popen([sys.executable, "-m", "maildaemon", "--config", str(tmp_path / "md.toml"), "web"],
                                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=os.environ.copy())  # fmt: skip
        procs.append(proc)
        assert proc.stdout is not None
        line = proc.stdout.readline()
        assert line.startswith("console on "), line
        return line.split()[2].rstrip("/")

    yield start
    for proc in procs:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
        if proc.stdout is not None:
            proc.stdout.close()


def test_a_focal_point_corrects_a_bounced_address_in_the_browser_and_the_new_mailbox_gets_the_invitation(
    mailstack: MailStack,
    mailbox_user: Any,
    console_process: Callable[[], str],
    test_dns: DnsServer,
    tmp_path: Path,
) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    chromium = chromium_path()
    watched = mailbox_user(prefix="bouncebox")
    real, other = mailbox_user(prefix="tai"), mailbox_user(prefix="ha")
    local, domain = real.split("@")
    wrong = f"khongtontai.{local}@{domain}"  # the typo: no such mailbox on the real domain
    run = _setup(tmp_path, mailstack, watched, _port(),
                 [("Vũ Minh Tài", wrong, "Sở Nội vụ", "SNV"), ("Nguyễn Thu Hà", other, "Sở Tài chính", "STC")],
                 test_dns)  # fmt: skip

    def show(who: str) -> dict[str, Any]:
        return json.loads(run("respondent", "show", who, "--campaign", CAMPAIGN, "--json").stdout)  # type: ignore[no-any-return]

    before = _hard_bounced(run, show, wrong)
    assert (before["reason"], before["hard_bounce"]) == ("userunknown", True)
    bounces = mailstack.count(watched)

    url = console_process()
    shots = tmp_path / "screenshots"
    shots.mkdir()
    person_url = f"{url}/c/{CAMPAIGN}/p/{before['id']}"
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        try:
            for size, viewport in SIZES.items():
                context, page, problems = new_page(browser, size)
                page.goto(url + "/login")
                page.fill("input[name=username]", "dm-snv")
                page.fill("input[name=password]", PASSWORD)
                page.click("main button[type=submit]")
                page.wait_for_url(url + "/")
                overview = page.inner_text("main")
                assert "Sở Nội vụ" in overview and "Sở Tài chính" not in overview
                page.click("text=Khảo sát Chỉ số CCHC")
                assert "Sở Tài chính" not in page.inner_text("main")
                page.click("ul.tree a >> text=Sở Nội vụ")
                people = page.inner_text("main")
                assert "Vũ Minh Tài" in people and "Nguyễn Thu Hà" not in people
                page.click("text=Vũ Minh Tài")
                assert page.url == person_url
                text = page.inner_text("main")
                assert "Bị trả lại" in text and "bị trả lại vĩnh viễn" in text and "Sửa địa chỉ thư" in text
                assert page.locator("form[action$='/resend']").count() == 0  # not until it is corrected
                assert (
                    page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
                )  # no sideways scroll
                page.screenshot(path=str(shots / f"{size}-1-person.png"), full_page=True)
                page.locator("#actions").screenshot(path=str(shots / f"{size}-1-forms.png"))
                if size == "desktop":
                    # another agency's person's address: refused, nothing named, nothing changed
                    page.fill("input[name=new]", other)
                    page.click("text=Lưu địa chỉ mới")
                    page.locator(".flash.refused").wait_for()
                    assert "của một người khác" in page.inner_text(".flash")
                    assert page.input_value("input[name=new]") == other  # back in the field, to be fixed
                    page.screenshot(path=str(shots / f"{size}-2-refused.png"), full_page=True)
                else:  # the correction itself, on the phone
                    box = page.locator("form[action$='/correct'] button").bounding_box()
                    assert box is not None and box["width"] >= 300 and box["height"] >= 40  # easy to tap
                    page.fill("input[name=new]", real)
                    page.click("text=Lưu địa chỉ mới")
                    page.locator(".flash.ok").wait_for()
                    flash = page.inner_text(".flash")
                    assert "Đã sửa địa chỉ" in flash and "máy chủ nhận thư chấp nhận địa chỉ" in flash
                    assert real in page.inner_text("main") and "vĩnh viễn" not in page.inner_text("main")
                    page.screenshot(path=str(shots / f"{size}-2-corrected.png"), full_page=True)
                assert problems == [], problems
                context.close()
        finally:
            browser.close()
    print(f"screenshots: {shots}")
    assert all((shots / f"{s}-{n}").stat().st_size > 5000 for s in SIZES for n in ("1-person.png", "2-refused.png"
               if s == "desktop" else "2-corrected.png"))  # fmt: skip
    assert show(other)["respondent"]["email"] == other  # the refused attempt changed nobody

    corrected = show(real)
    assert (corrected["respondent"]["id"], corrected["respondent"]["token"]) == (
        before["id"],
        before["token"],
    )
    assert any(
        e["detail"].startswith(f"address corrected by dm-snv: {wrong} -> ") for e in corrected["events"]
    )
    run("run", "--once")
    got = asyncio.run(mailstack.wait_for_messages(real, 1, timeout=60))
    assert f"X-Survey-Token: {before['token']}".encode() in got[0]
    run("run", "--once")
    final = show(real)
    assert final["respondent"]["delivery"] == "sent"
    assert [(o["kind"], o["state"]) for o in final["outbox"]] == [("invitation", "sent")]
    # nothing more went to the old address: no new bounce (at most: a concurrent `mailstack clear` may empty it)
    assert mailstack.count(watched) <= bounces
    sends = [
        e["detail"].split(":")[0]
        for e in final["events"]
        if e["field"] == "outbox" and e["new_value"] == "sent"
    ]
    assert sends == ["invitation", "invitation"]  # once to the old address (bounced), once to the new one
