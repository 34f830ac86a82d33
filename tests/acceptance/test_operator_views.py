"""What an operator reads, run as a subprocess: status, events and campaign in the one vocabulary,
the agency hierarchy, local time with its zone, Vietnamese by default and English on request."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.acceptance.test_cli import run
from tests.support.factories import campaign_text

ROSTER = (
    "Họ và tên,Thư điện tử,Cơ quan/đơn vị,Mã đơn vị,Cơ quan cấp trên,Mã cơ quan cấp trên\r\n"
    "Nguyễn Thị Thu Hà,ha@snv.khanhhoa.test,Sở Nội vụ,SNV,,\r\n"
    "Trần Văn Đức,duc@cl.khanhhoa.test,Văn phòng HĐND và UBND xã Cam Lâm,CL-VP,UBND xã Cam Lâm,CL\r\n"
    "Lê Thị Mỹ Dung,dung@cl.khanhhoa.test,Phòng Kinh tế xã Cam Lâm,CL-PKT,UBND xã Cam Lâm,CL\r\n"
)


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    (tmp_path / "md.toml").write_text(
        '[daemon]\nstate_dir = "state"\nallow_test_domains = true\n[smtp]\nhost = "127.0.0.1"\nport = 1\n',
        encoding="utf-8",
    )
    (tmp_path / "camp.toml").write_text(campaign_text("ops"), encoding="utf-8")
    (tmp_path / "roster.csv").write_text(ROSTER, encoding="utf-8-sig")
    run(tmp_path, "db", "init")
    run(tmp_path, "campaign", "create", str(tmp_path / "camp.toml"))
    run(tmp_path, "import", "ops", str(tmp_path / "roster.csv"))
    return tmp_path


def test_status_shows_the_hierarchy_in_the_report_words_and_local_time(tmp: Path) -> None:
    vi = run(tmp, "status", "ops", "--no-probe").stdout
    lines = vi.splitlines()
    # province, then the commune indented under it and its units indented under the commune
    commune = next(ln for ln in lines if "UBND xã Cam Lâm" in ln)
    unit = next(ln for ln in lines if "Phòng Kinh tế xã Cam Lâm" in ln)
    assert commune.startswith("  UBND") and unit.startswith("    Phòng Kinh tế")
    assert "Cơ quan/đơn vị" in vi and "Chưa gửi" in vi and "Tỷ lệ phản hồi" in vi
    assert "_province" not in vi and "(ICT, UTC+7)" in vi and "hàng đợi thư" in vi
    en = run(tmp, "status", "ops", "--no-probe", "--lang", "en").stdout
    assert "Agency" in en and "Not yet sent" in en and "outbox" in en and "Cơ quan/đơn vị" not in en
    data = json.loads(run(tmp, "status", "ops", "--no-probe", "--json").stdout)
    total = data["agencies"][0]
    assert (total["respondents"], total["not_sent"], total["code"]) == (3, 3, "")
    assert [a["depth"] for a in data["agencies"] if a["code"] in ("CL", "CL-VP")] == [1, 2]


def test_events_page_and_say_how_many_more(tmp: Path) -> None:
    out = run(tmp, "events", "--campaign", "ops", "--limit", "2").stdout.splitlines()
    # campaign created + 3 imported: 4 events, 2 shown, 2 more
    assert len(out) == 3 and "(ICT, UTC+7)" in out[0]
    assert out[-1].startswith("… còn 2 sự kiện nữa (đã hiện 1-2 trong 4)")
    hint = out[-1].split("xem tiếp: ")[1]
    assert hint.endswith("events --campaign ops --limit 2 --page 2")
    second = run(tmp, "events", "--campaign", "ops", "--limit", "2", "--page", "2").stdout.splitlines()
    assert len(second) == 2 and "Mới nhập" in second[0] and not any("…" in ln for ln in second)
    en = run(tmp, "events", "--campaign", "ops", "--limit", "3", "--lang", "en")
    assert en.stdout.splitlines()[-1].startswith("… 1 more events (shown 1-3 of 4)")
    js = run(tmp, "events", "--campaign", "ops", "--limit", "1", "--json")
    assert json.loads(js.stdout)["at"].endswith("+07:00") and "3 more events" not in js.stdout
    assert "còn 3 sự kiện nữa" in js.stderr  # the note never breaks the JSON lines
    bad = run(tmp, "events", "--page", "0", check=False)
    assert bad.returncode != 0 and "--page" in bad.stderr


def test_campaign_list_and_show_in_local_time(tmp: Path) -> None:
    out = run(tmp, "campaign", "list").stdout
    assert "(ICT, UTC+7)" in out and "Mở" in out and "đang chạy" in out
    shown = run(tmp, "campaign", "show", "ops", "--lang", "en").stdout
    assert "Opens:" in shown and "(ICT, UTC+7)" in shown
    assert json.loads(run(tmp, "campaign", "show", "ops", "--json").stdout)["opens"].endswith("+07:00")


def test_completions_import_names_rows_dated_outside_the_campaign(tmp: Path) -> None:
    (tmp / "export.csv").write_text(
        "submitdate,email\r\n2020-01-01 08:00:00,ha@snv.khanhhoa.test\r\n2099-01-01 08:00:00,duc@cl.khanhhoa.test\r\n",
        encoding="utf-8",
    )
    out = run(tmp, "completions", "import", "ops", str(tmp / "export.csv")).stdout
    assert "completed 2" in out and "warning: 2 completions are dated outside the campaign" in out
    assert "line 2: submitted 2020-01-01 08:00:00, before the campaign opened" in out
    assert "line 3: submitted 2099-01-01 08:00:00, in the future" in out


def test_status_and_report_count_the_same(tmp: Path) -> None:
    import csv
    import io

    status = json.loads(run(tmp, "status", "ops", "--no-probe", "--json").stdout)["agencies"]
    report = run(tmp, "report", "ops", "--format", "csv", "--lang", "en").stdout
    header = next(csv.reader(io.StringIO(report.lstrip("\ufeff"))))
    assert len(header) == len(set(header)), "a column named twice: Excel users cannot tell them apart"
    rows = list(csv.DictReader(io.StringIO(report.lstrip("\ufeff"))))
    assert [r["Agency"] for r in rows] == [a["name"] or "Whole province" for a in status]
    for row, a in zip(rows, status, strict=True):
        assert int(row["Respondents"]) == a["respondents"] and int(row["Invited"]) == a["invited"]
        assert int(row["Relay accepted, delivery not proven"]) == a["relay_accepted"]
        assert int(row["Completed"]) == a["completed"]
