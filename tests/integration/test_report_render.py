"""The report end to end: ReportOps on SQLite and PostgreSQL, XLSX read back with openpyxl, and the
HTML file opened in headless Chromium (DOM dump, A4 screenshot and PDF print)."""

from __future__ import annotations

import html as html_lib
import io
import json
import os
import re
import shutil
import subprocess
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from maildaemon.core.reasons import explain
from maildaemon.intake.roster import RosterRow
from maildaemon.reporting.figures import (
    AgencyRow,
    EventBucket,
    PersonRow,
    Report,
    ReportData,
    StateCount,
    build_report,
)
from maildaemon.reporting.render import render
from maildaemon.store import Store, tables
from maildaemon.store.base import Change, add_event, apply_changes
from maildaemon.store.reporting import ReportOps
from tests.support.chromium import chromium_path
from tests.support.factories import MONDAY_10, make_campaign
from tests.unit.test_report import report as sample_report

# The first test may apt-install Debian's chromium on a fresh machine (minutes), hence the longer bound.
pytestmark = pytest.mark.timeout(900)

NOW = MONDAY_10
DAY = timedelta(days=1)

# --- ReportOps on both engines -----------------------------------------------------------------------

ROSTER = [
    RosterRow(line=2, email="p0@kh.test", full_name="Nguyễn Thị Thu Hà", agency_code="SNV-CCHC",
              agency_name="Phòng Cải cách hành chính", parent_code="SNV", parent_name="Sở Nội vụ"),
    RosterRow(line=3, email="p1@kh.test", full_name="Trần Văn Đức", agency_code="SNV-CCHC",
              agency_name="Phòng Cải cách hành chính", parent_code="SNV", parent_name="Sở Nội vụ"),
    RosterRow(line=4, email="p2@kh.test", full_name="Lê Thị Mỹ Dung", agency_code="SNV-TCBC",
              agency_name="Phòng Tổ chức biên chế", parent_code="SNV", parent_name="Sở Nội vụ"),
    RosterRow(line=5, email="p3@kh.test", full_name="Phạm Quốc Việt", agency_code="STC", agency_name="Sở Tài chính"),
    RosterRow(line=6, email="p4@kh.test", full_name="Hoàng Thị Ánh", agency_code="STC-NS",
              agency_name="Phòng Ngân sách", parent_code="STC", parent_name="Sở Tài chính"),
    RosterRow(line=7, email="p5@kh.test", full_name="Võ Minh Khôi", agency_code="STC-NS",
              agency_name="Phòng Ngân sách", parent_code="STC", parent_name="Sở Tài chính"),
]  # fmt: skip


async def _step(store: Store, cid: int, now: datetime, moves: dict[str, dict[str, object]]) -> None:
    """Apply state changes by address, reading the current states first (as the daemon does)."""
    R = tables.respondents
    async with store.tx() as conn:
        rows = {r.email: r for r in (await conn.execute(select(R).where(R.c.campaign_id == cid))).all()}
        changes = []
        for email, move in moves.items():
            r = rows[email]
            values = tuple((k, v) for k, v in move.items() if k not in ("delivery", "completion"))
            changes.append(Change(r.id, cid, r.delivery, r.completion, delivery=move.get("delivery"),  # type: ignore[arg-type]
                                  completion=move.get("completion"), source="test", values=values))  # type: ignore[arg-type]  # fmt: skip
            if move.get("delivery") == "sent":
                await add_event(conn, now=now, campaign_id=cid, respondent_id=r.id, field="outbox", old="leased",
                                new="sent", source="sender", detail="invitation: 250 ok")  # fmt: skip
        await apply_changes(conn, changes, now)


async def test_report_ops_feed_the_report(store: Store) -> None:
    campaign, text = make_campaign()
    cid = await store.create_campaign(campaign, text, NOW)
    await store.import_roster(cid, "Tỉnh Khánh Hòa", ROSTER, NOW, "roster.csv")
    everyone = [r.email for r in ROSTER]
    await _step(store, cid, NOW, {e: {"delivery": "queued"} for e in everyone})
    await _step(
        store, cid, NOW, {e: {"delivery": "sent", "invited_at": NOW, "last_sent_at": NOW} for e in everyone}
    )
    await _step(store, cid, NOW + DAY, {
        "p1@kh.test": {"delivery": "bounced", "reason": "userunknown", "status_code": "5.1.1"},
        "p2@kh.test": {"delivery": "delivered", "delivered_at": NOW + DAY},
        "p4@kh.test": {"delivery": "delivered", "completion": "completed", "completed_at": NOW + DAY},
    })  # fmt: skip
    await _step(store, cid, NOW + 2 * DAY, {
        "p0@kh.test": {"completion": "completed", "completed_at": NOW + 2 * DAY},
        "p5@kh.test": {"completion": "away", "away_until": NOW + 5 * DAY},
    })  # fmt: skip
    other, other_text = make_campaign(name="other")  # another campaign's people must not count
    oid = await store.create_campaign(other, other_text, NOW)
    await store.import_roster(oid, "Tỉnh Khánh Hòa", [replace(ROSTER[0], email="x@kh.test")], NOW, "o.csv")

    data = await ReportOps.report_data(store, cid)  # type: ignore[arg-type]  # the lead mixes ReportOps into Store
    assert {a.code for a in data.agencies} == {"_province", "SNV", "SNV-CCHC", "SNV-TCBC", "STC", "STC-NS"}
    assert sum(c.count for c in data.counts) == 6
    assert {c.reason for c in data.counts if c.delivery == "bounced"} == {"userunknown"}
    assert {p.email for p in data.people} == {"p1@kh.test", "p2@kh.test", "p3@kh.test", "p5@kh.test"}
    assert all(b.hour.tzinfo is not None for b in data.events)

    r = build_report(data, campaign=campaign.name, title=campaign.title, now=NOW + 3 * DAY)
    f = {a.code: a for a in r.agencies}
    got = {c: (a.respondents, a.invited, a.delivered, a.bounced, a.away, a.completed) for c, a in f.items()}
    assert got == {
        "_province": (6, 6, 4, 1, 1, 2),
        "SNV": (3, 3, 2, 1, 0, 1),
        "SNV-CCHC": (2, 2, 1, 1, 0, 1),
        "SNV-TCBC": (1, 1, 1, 0, 0, 0),
        "STC": (3, 3, 2, 0, 1, 1),
        "STC-NS": (2, 2, 2, 0, 1, 1),
    }
    assert [a.code for a in r.agencies] == ["_province", "SNV", "SNV-CCHC", "SNV-TCBC", "STC", "STC-NS"]
    # agencies counted once, where they have people of their own (SNV only adds its units up)
    assert [a.code for a in r.below_target] == ["SNV-TCBC", "STC", "SNV-CCHC", "STC-NS"]
    assert [a.code for a in r.zero_participation] == ["SNV-TCBC"]
    assert f["SNV-CCHC"].bounce_reasons == {"userunknown": 1}
    assert {(p.email, p.action) for p in r.not_answered} == {
        ("p1@kh.test", "fix_address"), ("p2@kh.test", "call"), ("p3@kh.test", "call"), ("p5@kh.test", "back_soon"),
    }  # fmt: skip
    days = [(d.day, d.sends, d.bounces, d.completions) for d in r.timeline]
    assert days == [
        (date(2026, 11, 23), 6, 0, 0),
        (date(2026, 11, 24), 0, 1, 1),
        (date(2026, 11, 25), 0, 0, 1),
    ]


# --- XLSX ----------------------------------------------------------------------------------------


def test_xlsx_reads_back_intact() -> None:
    from openpyxl import load_workbook

    data = render(sample_report(), "xlsx")
    assert isinstance(data, bytes)
    wb = load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Tổng hợp", "Danh sách chưa trả lời", "Thư bị trả lại", "Diễn biến theo ngày",
                             "Đã loại khỏi khảo sát"]  # fmt: skip
    ws = wb["Tổng hợp"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]][:4] == ["Cơ quan/đơn vị", "Mã", "Cấp", "Số người được khảo sát"]
    assert ws.column_dimensions["A"].width >= 40
    names = [ws.cell(i, 1).value for i in range(2, ws.max_row + 1)]
    assert names == ["Tỉnh Khánh Hòa", "Sở Nội vụ", "Phòng Cải cách hành chính", "Phòng Tổ chức biên chế",
                     "Sở Tài chính", "Đội Thanh tra", "Phòng Ngân sách"]  # fmt: skip
    assert all(unicodedata.is_normalized("NFC", n) for n in names)
    assert [ws.cell(i, 1).alignment.indent for i in (2, 3, 4)] == [0, 2, 4]
    rate = ws.cell(3, ws.max_column)
    assert rate.value == pytest.approx(0.4) and rate.number_format == "0.0%"
    assert ws.cell(3, 1).fill.fgColor.rgb.endswith("FDE2E1")  # below target: highlighted
    people = wb["Danh sách chưa trả lời"]
    assert people.max_row == 1 + 9
    assert people.cell(10, 2).value == "Huỳnh <b>Ngọc</b> Sơn"  # stored as text, not markup
    bounces = wb["Thư bị trả lại"]
    rows = {bounces.cell(i, 3).value: [c.value for c in bounces[i]] for i in range(2, bounces.max_row + 1)}
    assert rows["dung@khanhhoa.test"][4:7] == ["Hộp thư không tồn tại", "5.1.1", explain("userunknown", "vi")]
    en = load_workbook(io.BytesIO(render(sample_report(), "xlsx", "en")))  # type: ignore[arg-type]
    assert en.sheetnames[0] == "Summary"
    assert en["Bounces"].cell(2, 7).value == explain("userunknown", "en")


# --- HTML in headless Chromium --------------------------------------------------------------------


@pytest.fixture(scope="module")
def chromium() -> str:
    return chromium_path()


def _run_chromium(chromium: str, tmp: Path, page: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    profile = tmp / f"profile-{len(list(tmp.glob('profile-*')))}"
    cmd = [
        chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
        f"--user-data-dir={profile}", *args, page.as_uri(),
    ]  # fmt: skip
    proc = subprocess.run(cmd, capture_output=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    return proc


def _big_report() -> Report:
    """Forty agencies, hundreds of people and five weeks: several printed pages."""
    agencies = [AgencyRow(1, "_province", "Tỉnh Khánh Hòa", None, 0)]
    counts, people, events = [], [], []
    for d in range(8):
        agencies.append(AgencyRow(10 + d, f"S{d}", f"Sở số {d + 1} – Đơn vị cấp tỉnh", 1, 1))
        for u in range(4):
            aid = 100 + d * 10 + u
            agencies.append(AgencyRow(aid, f"S{d}-U{u}", f"Phòng nghiệp vụ {u + 1} (Sở {d + 1})", 10 + d, 2))
            done = (d * 4 + u) % 11
            counts += [StateCount(aid, "delivered", "completed", True, done),
                       StateCount(aid, "delivered", "pending", True, 10 - min(done, 10)),
                       StateCount(aid, "bounced", "pending", True, 1, "mailboxfull")]  # fmt: skip
            people += [PersonRow(aid, f"Người số {i} Phạm Thị Ngọc Ánh", f"u{aid}.{i}@kh.test", "Chuyên viên",
                                 "delivered", "pending") for i in range(10 - min(done, 10))]  # fmt: skip
    start = datetime(2026, 11, 23, 2, tzinfo=UTC)
    for i in range(35):
        events += [EventBucket(start + i * DAY, "send", 200 if i == 0 else (40 if i % 7 == 3 else 3)),
                   EventBucket(start + i * DAY, "bounce", 9 if i == 1 else i % 3),
                   EventBucket(start + i * DAY, "completion", (i * 7) % 23)]  # fmt: skip
    return build_report(ReportData(agencies, counts, people, events), campaign="par2026",
                        title="Khảo sát Chỉ số CCHC năm 2026", now=start + 36 * DAY,
                        organization="Sở Nội vụ tỉnh Khánh Hòa")  # fmt: skip


def test_html_is_self_contained_and_escaped() -> None:
    page = render(sample_report(), "html")
    assert isinstance(page, str) and unicodedata.is_normalized("NFC", page)
    assert "<script" not in page.lower() and not re.search(r"(src|href)\s*=", page, re.I)
    assert "http://" not in page and "https://" not in page
    assert "@page { size: A4; margin: 15mm }" in page
    assert "Huỳnh &lt;b&gt;Ngọc&lt;/b&gt; Sơn" in page and "<b>Ngọc" not in page
    assert "Anh &amp; Em" in page
    for label in ("Cơ quan/đơn vị", "Số người được khảo sát", "Đã gửi thư mời", "Đã đến hộp thư (có xác nhận)",
                  "Bị trả lại", "Vắng mặt", "Đã hoàn thành phiếu", "Tỷ lệ phản hồi", "Cơ quan, đơn vị chưa đạt chỉ tiêu",
                  "Danh sách chưa trả lời"):  # fmt: skip
        assert label in page
    en = render(sample_report(), "html", "en")
    assert isinstance(en, str) and '<html lang="en">' in en and "Agencies below target" in en


def test_html_in_chromium_dom_screenshot_and_a4_pdf(chromium: str, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    page.write_text(render(sample_report(), "html"), encoding="utf-8")  # type: ignore[arg-type]

    dom = _run_chromium(chromium, tmp_path, page, "--dump-dom").stdout.decode("utf-8")
    rows = re.findall(r'<tr class="(l\d[^"]*)" data-code="([^"]*)"><td class="name"[^>]*>([^<]+)</td>', dom)
    assert [(code, name) for _, code, name in rows] == [
        ("", "Tỉnh Khánh Hòa"), ("SNV", "Sở Nội vụ"), ("SNV-CCHC", "Phòng Cải cách hành chính"),
        ("SNV-TCBC", "Phòng Tổ chức biên chế"), ("STC", "Sở Tài chính"), ("STC-TT", "Đội Thanh tra"),
        ("STC-NS", "Phòng Ngân sách"),
    ]  # fmt: skip
    assert {code for cls, code, _ in rows if "below" in cls} == {"SNV", "SNV-TCBC", "STC", "STC-TT"}
    assert "Đã hoàn thành phiếu" in dom and "Huỳnh &lt;b&gt;Ngọc&lt;/b&gt; Sơn" in dom
    assert "Danh sách chưa trả lời (9 người)" in dom

    shot = tmp_path / "report.png"
    _run_chromium(chromium, tmp_path, page, f"--screenshot={shot}", "--window-size=1240,1754",
                  "--hide-scrollbars")  # fmt: skip
    png = shot.read_bytes()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert int.from_bytes(png[16:20], "big") == 1240 and int.from_bytes(png[20:24], "big") == 1754
    _keep(shot)

    big = tmp_path / "big.html"
    big.write_text(render(_big_report(), "html"), encoding="utf-8")  # type: ignore[arg-type]
    pdf = tmp_path / "report.pdf"
    _run_chromium(chromium, tmp_path, big, f"--print-to-pdf={pdf}", "--no-pdf-header-footer")
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    boxes = re.findall(rb"/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]", data)
    assert len(boxes) >= 2, "the big report should print on several pages"
    for w, h in boxes:  # A4 is 595.28 x 841.89 points
        assert abs(float(w) - 595.28) < 2 and abs(float(h) - 841.89) < 2
    _keep(pdf)


def _keep(path: Path) -> None:
    """Copy an artefact for a human to look at when MAILDAEMON_REPORT_ARTEFACTS names a directory."""
    target = os.environ.get("MAILDAEMON_REPORT_ARTEFACTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(target) / path.name)


def test_html_on_a_phone_shows_name_rate_and_bar_without_overflow(chromium: str, tmp_path: Path) -> None:
    """At a phone's width the page does not scroll sideways and the agency table still shows each
    agency's name, rate and bar; the secondary figures give way (they are in the summary cards)."""
    probe = (
        "<script>addEventListener('load', () => { const t = document.querySelector('table');"
        " const rate = t.querySelector('tbody tr td.barcell').getBoundingClientRect();"
        " const hidden = getComputedStyle(t.querySelector('th.opt')).display;"
        " document.body.setAttribute('data-probe', JSON.stringify({page: document.documentElement.scrollWidth,"
        " bar: Math.round(rate.right), hidden: hidden, vw: innerWidth})); });</script></body>"
    )
    page = tmp_path / "phone.html"
    html = render(_big_report(), "html")
    assert isinstance(html, str)
    page.write_text(html.replace("</body>", probe), encoding="utf-8")
    dom = _run_chromium(chromium, tmp_path, page, "--window-size=390,800", "--virtual-time-budget=2000",
                        "--dump-dom").stdout.decode("utf-8")  # fmt: skip
    found = re.search(r'data-probe="([^"]+)"', dom)
    assert found, dom[:500]
    got = json.loads(html_lib.unescape(found.group(1)))
    # headless Chromium's narrowest viewport is 500 px: a phone layout all the same (the rule is <= 720 px)
    assert (
        got["vw"] <= 720 and got["page"] <= got["vw"] and got["bar"] <= got["vw"] and got["hidden"] == "none"
    ), got
    desktop = _run_chromium(chromium, tmp_path, page, "--window-size=1280,800", "--virtual-time-budget=2000",
                            "--dump-dom").stdout.decode("utf-8")  # fmt: skip
    wide = json.loads(html_lib.unescape(re.search(r'data-probe="([^"]+)"', desktop).group(1)))  # type: ignore[union-attr]
    assert wide["hidden"] != "none"  # on a desktop every figure is there
