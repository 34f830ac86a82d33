"""A real browser: Debian's headless Chromium, driven by Playwright (no browser download), against
`maildaemon web`. A focal point signs in and sees only their agency; the pages are kept as
screenshots at desktop and phone width (under the test's tmp dir) for people to look at."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from maildaemon.store import Store
from tests.support.chromium import chromium_path
from tests.support.console import PASSWORD, Seed, seed

# The first test may apt-install Debian's chromium on a fresh machine (minutes), hence the longer bound.
pytestmark = pytest.mark.timeout(900)

ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update"]  # fmt: skip
SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(scope="module")
def chromium() -> str:
    return chromium_path()


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _seed(url: str) -> Seed:
    async with Store(url) as store:
        await store.init_schema()
        return await seed(store, extra_stc=3)


@pytest.fixture
def console(tmp_path: Path) -> Iterator[tuple[str, Seed]]:
    port = _port()
    (tmp_path / "md.toml").write_text(
        f'[daemon]\nstate_dir = "state"\nallow_test_domains = true\n[web]\nlisten = "127.0.0.1:{port}"\n',
        encoding="utf-8",
    )
    (tmp_path / "state").mkdir()
    s = asyncio.run(_seed(f"sqlite+aiosqlite:///{tmp_path / 'state' / 'maildaemon.db'}"))
    proc = subprocess.Popen([sys.executable, "-m", "maildaemon", "--config", str(tmp_path / "md.toml"), "web"],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=os.environ.copy())  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()
    assert line.startswith("console on "), line
    try:
        yield f"http://127.0.0.1:{port}", s
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(20)
        proc.stdout.close()


def test_focal_point_signs_in_and_sees_only_their_agency(
    console: tuple[str, Seed], chromium: str, tmp_path: Path
) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    url, s = console
    shots = tmp_path / "screenshots"
    shots.mkdir()
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        try:
            for size, viewport in SIZES.items():
                context = browser.new_context(viewport=viewport, locale="vi-VN", is_mobile=size == "phone")
                page = context.new_page()
                problems: list[str] = []  # CSP violations, script errors and failed loads show up here
                page.on("console", lambda m, p=problems: p.append(m.text) if m.type == "error" else None)
                page.on("pageerror", lambda e, p=problems: p.append(str(e)))
                failed: list[str] = []
                page.on("response", lambda r, f=failed: f.append(r.url) if r.status >= 400 else None)

                page.goto(url + "/")
                assert page.url.endswith("/login")
                page.screenshot(path=str(shots / f"{size}-1-login.png"), full_page=True)
                page.fill("input[name=username]", "dm-snv")
                page.fill("input[name=password]", "sai-mat-khau-1")
                page.click("button[type=submit]")
                assert "không đúng" in page.inner_text("main")
                page.fill("input[name=username]", "dm-snv")
                page.fill("input[name=password]", PASSWORD)
                with page.expect_response(lambda r: r.url.endswith("/progress.json")) as progress:
                    page.click("main button[type=submit]")
                assert progress.value.json()["total"] == 2  # the refresh script asked for its own scope only
                page.wait_for_function(
                    "document.querySelector('[data-field=updated]').textContent.trim().length > 0"
                )
                text = page.inner_text("main")
                assert "Sở Nội vụ" in text and "Sở Tài chính" not in text and "Tải báo cáo" not in text
                page.screenshot(path=str(shots / f"{size}-2-overview.png"), full_page=True)

                page.click("text=Khảo sát Chỉ số CCHC")
                tree = page.inner_text("main")
                assert "Sở Nội vụ" in tree and "Văn phòng Sở Nội vụ" in tree and "Sở Tài chính" not in tree
                page.screenshot(path=str(shots / f"{size}-3-campaign.png"), full_page=True)

                page.click("ul.tree a >> text=Sở Nội vụ")
                people = page.inner_text("main")
                assert "Nguyễn Thị Thu Hà" in people and "Lê Thị Mỹ Dung" not in people
                assert page.locator("script:not([src])").count() == 0
                page.screenshot(path=str(shots / f"{size}-4-agency.png"), full_page=True)

                page.click("text=Nguyễn Thị Thu Hà")
                person = page.inner_text("main")
                assert "ha.snv@khanhhoa.test" in person and "Lịch sử" in person
                page.screenshot(path=str(shots / f"{size}-5-person.png"), full_page=True)

                # another agency's person, by changing the id in the URL: not found, nothing shown
                resp = page.goto(f"{url}/c/t-campaign/p/{s.people['dung.stc@khanhhoa.test']}")
                assert resp is not None and resp.status == 404
                assert "dung.stc@" not in page.content()
                page.screenshot(path=str(shots / f"{size}-6-out-of-scope.png"), full_page=True)

                page.click("text=English")
                assert "Sign out" in page.inner_text("header")
                page.click("text=Tiếng Việt")
                page.click("header button[type=submit]")  # Đăng xuất
                assert page.url.endswith("/login")
                bad_loads = [
                    u
                    for u in failed
                    if not u.endswith(("/login", f"/p/{s.people['dung.stc@khanhhoa.test']}"))
                ]
                assert bad_loads == []  # the wrong password (401) and the tampered URL (404) only
                assert [p for p in problems if not p.startswith("Failed to load resource")] == [], problems
                context.close()
        finally:
            browser.close()
    taken = sorted(p.name for p in shots.iterdir())
    assert len(taken) == 12 and all((shots / n).stat().st_size > 5000 for n in taken)
    print(f"screenshots: {shots}")


def test_operator_downloads_the_xlsx_report(console: tuple[str, Seed], chromium: str, tmp_path: Path) -> None:
    playwright = pytest.importorskip("playwright.sync_api")
    url, _ = console
    with playwright.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=ARGS, headless=True)
        try:
            context = browser.new_context(viewport=SIZES["desktop"], locale="vi-VN", accept_downloads=True)
            page = context.new_page()
            page.goto(url + "/login")
            page.fill("input[name=username]", "op")
            page.fill("input[name=password]", PASSWORD)
            page.click("main button[type=submit]")
            assert "Sở Tài chính" not in page.inner_text(
                "main"
            )  # the overview sums; agencies are one click on
            assert "Tải báo cáo" in page.inner_text("main")  # operators may download; focal points may not
            page.screenshot(path=str(tmp_path / "operator-overview.png"), full_page=True)
            with page.expect_download() as download:
                page.click("text=Báo cáo Excel (.xlsx)")
            saved = tmp_path / download.value.suggested_filename
            download.value.save_as(saved)
            context.close()
        finally:
            browser.close()
    assert saved.name == "bao-cao-t-campaign.xlsx" and saved.read_bytes()[:2] == b"PK"
    import openpyxl

    book = openpyxl.load_workbook(saved)
    cells = {str(c.value) for ws in book.worksheets for row in ws.iter_rows() for c in row if c.value}
    assert any("Sở Nội vụ" in v for v in cells) and any("Sở Tài chính" in v for v in cells)
