"""Focal points (đầu mối): the roster column, what each focal point's digest lists (only their agency and
its units, with actions) and when it is due; and the excluded people listed apart in every report format."""

from __future__ import annotations

import csv
import io
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import openpyxl
import pytest

from maildaemon.errors import InputError
from maildaemon.intake.roster import Reject, RosterRow, read_roster
from maildaemon.reporting.figures import ExcludedRow, ReportData, build_report
from maildaemon.reporting.focal import focal_list, focal_mail
from maildaemon.reporting.render import render
from maildaemon.service.focal_digest import agency_link, focal_due
from tests.support.factories import make_campaign
from tests.unit.test_report import AGENCIES, COUNTS, EVENTS, NOW, PEOPLE, report

STC_PEOPLE = {"son@khanhhoa.test", "a@khanhhoa.test", "nhung@khanhhoa.test"}


# --- the roster column ---------------------------------------------------------------------------------


def roster(tmp_path: Path, header: str, *rows: str) -> Path:
    path = tmp_path / "ds.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8-sig")
    return path


@pytest.mark.parametrize(
    "header", ["Email đầu mối", "ĐẦU MỐI", "Focal point email", "focal_email", "Đầu mối (*)"]
)
def test_the_focal_column_is_read_whatever_its_header(tmp_path: Path, header: str) -> None:
    path = roster(
        tmp_path, f"Họ và tên,Email,Cơ quan,Mã đơn vị,{header}",
        "Nguyễn Thị Thu Hà,ha@snv.khanhhoa.test,Sở Nội vụ,SNV,Dau.Moi@SNV.khanhhoa.test",
        "Trần Văn Đức,duc@snv.khanhhoa.test,Sở Nội vụ,SNV,",
        "Lê Thị Mỹ Dung,dung@stc.khanhhoa.test,Sở Tài chính,STC,",
    )  # fmt: skip
    rows = list(read_roster(path, allow_test_domains=True))
    people = [r for r in rows if isinstance(r, RosterRow)]
    assert len(people) == 3 and [r.focal_email for r in people] == ["Dau.Moi@snv.khanhhoa.test", "", ""]
    assert people[0].extra == {}  # a field of its own, not an extra column


def test_two_focal_points_for_one_agency_name_both_rows(tmp_path: Path) -> None:
    path = roster(
        tmp_path, "Họ và tên,Email,Cơ quan,Email đầu mối",
        "Hà,ha@snv.khanhhoa.test,Sở Nội vụ,dm1@snv.khanhhoa.test",
        "Đức,duc@snv.khanhhoa.test,Sở Nội vụ,DM1@snv.khanhhoa.test",  # the same address: no conflict
        "Dung,dung@snv.khanhhoa.test,Sở Nội vụ,dm2@snv.khanhhoa.test",
    )  # fmt: skip
    with pytest.raises(InputError) as err:
        list(read_roster(path, allow_test_domains=True))
    text = str(err.value)
    assert "Sở Nội vụ: dm1@snv.khanhhoa.test on line 2, dm2@snv.khanhhoa.test on line 4" in text
    assert "nothing imported" in text


def test_an_invalid_focal_address_rejects_its_row(tmp_path: Path) -> None:
    path = roster(
        tmp_path, "Họ và tên,Email,Cơ quan,Đầu mối",
        "Hà,ha@snv.khanhhoa.test,Sở Nội vụ,khong-phai-dia-chi",
        "Đức,duc@snv.khanhhoa.test,Sở Nội vụ,",
    )  # fmt: skip
    first, second = list(read_roster(path, allow_test_domains=True))
    assert (
        isinstance(first, Reject) and first.line == 2 and "focal point: invalid email address" in first.reason
    )
    assert isinstance(second, RosterRow) and second.focal_email == ""


# --- the digest's content ------------------------------------------------------------------------------


def test_a_focal_point_sees_only_their_agency_and_its_units() -> None:
    fl = focal_list(report(), "SNV")
    assert fl is not None and fl.agency.name == "Sở Nội vụ" and fl.agency.respondents == 10
    assert {p.email for p in fl.bounced} == {"dung@khanhhoa.test", "tam@khanhhoa.test"}
    assert {p.email for p in fl.not_answered} == {
        "duc@khanhhoa.test", "khoi@khanhhoa.test", "loc@khanhhoa.test", "ha@khanhhoa.test",
    }  # fmt: skip
    unit = focal_list(report(), "SNV-CCHC")
    assert unit is not None and {p.email for p in unit.bounced + unit.not_answered} == {
        "dung@khanhhoa.test", "duc@khanhhoa.test",
    }  # fmt: skip
    assert focal_list(report(), "NOPE") is None


def test_the_digest_says_what_to_do_in_the_report_words_and_links_the_agency_page() -> None:
    fl = focal_list(report(), "SNV")
    assert fl is not None
    link = agency_link("https://khaosat.snv.khanhhoa.gov.vn/", "par2026", 2)
    assert link == "https://khaosat.snv.khanhhoa.gov.vn/c/par2026/a/2"
    mail = focal_mail(
        fl, title="Khảo sát CCHC", lang="vi", now=NOW, tz="Asia/Ho_Chi_Minh", link=link, contact=""
    )
    assert mail.subject == "Danh sách cần đôn đốc ngày 30/11/2026: Sở Nội vụ"
    text = mail.text
    assert "Lê Thị Mỹ Dung (Phó phòng), Phòng Cải cách hành chính: dung@khanhhoa.test" in text
    assert "Bị trả lại: hộp thư không tồn tại. Việc cần làm: Sửa địa chỉ thư." in text
    # a full mailbox is not "fix the address" (core.actions), and the deferred person waits
    assert "Việc cần làm: Đề nghị người nhận hoặc bộ phận CNTT dọn hộp thư." in text
    assert "Đã hoàn thành phiếu: 4/10 người (40,0 %)" in text
    assert text.index("Thư mời không đến được (2 người)") < text.index("Chưa trả lời (4 người)")
    assert (
        "Tình trạng: Đã đến hộp thư (có xác nhận); vắng mặt đến 03/12/2026. Việc cần làm: Nhắc khi trở lại."
        in text
    )
    assert link in text and link in mail.html
    assert not STC_PEOPLE & {w.strip(",.:") for w in text.split()}
    en = focal_mail(
        fl, title="PAR", lang="en", now=NOW, tz="Asia/Ho_Chi_Minh", link=None, contact="0258 3822 000"
    )
    assert "Fix the address" in en.text and "please ask the survey operator (0258 3822 000)" in en.text
    assert "/c/" not in en.text


def test_names_are_escaped_in_the_html_body() -> None:
    fl = focal_list(report(), "STC")
    assert fl is not None
    mail = focal_mail(fl, title="<T>", lang="vi", now=NOW, tz="Asia/Ho_Chi_Minh", link=None, contact="")
    assert "Huỳnh &lt;b&gt;Ngọc&lt;/b&gt; Sơn" in mail.html and "<b>Ngọc" not in mail.html
    assert "Anh &amp; Em" in mail.html and "Huỳnh <b>Ngọc</b> Sơn" in mail.text


def test_focal_digests_are_due_on_their_days_from_their_hour() -> None:
    campaign, _ = make_campaign(extra='focal_digest_days = ["mon", "thu"]\nfocal_digest_hour = 9')
    monday_8 = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam
    assert focal_due(campaign, monday_8) is None
    assert focal_due(campaign, monday_8 + timedelta(hours=1)) == date(2026, 11, 23)
    assert focal_due(campaign, monday_8 + timedelta(days=1, hours=3)) is None  # a Tuesday
    assert focal_due(campaign, monday_8 + timedelta(days=3, hours=14)) == date(2026, 11, 26)  # Thursday 22:00
    off, _ = make_campaign()
    assert focal_due(off, monday_8 + timedelta(hours=5)) is None


# --- excluded people in the report ---------------------------------------------------------------------

EXCLUDED = [
    ExcludedRow(
        6, "Phan Văn Tú", "tu@khanhhoa.test", "=Nghỉ hưu từ 01/12", "Lê Thị Lan", NOW - timedelta(days=1)
    ),
    ExcludedRow(4, "Trương Thị Bé", "be@khanhhoa.test", "Chuyển công tác", "lan", NOW - timedelta(days=2)),
]


def with_excluded():  # type: ignore[no-untyped-def]
    data = ReportData(AGENCIES, COUNTS, PEOPLE, EVENTS, EXCLUDED)
    return build_report(data, campaign="par2026", title="Khảo sát", now=NOW)


def test_excluded_people_are_listed_apart_and_change_no_figure() -> None:
    r, plain = with_excluded(), report()
    assert r.agencies == plain.agencies and r.not_answered == plain.not_answered
    assert [(x.agency_name, x.full_name, x.by) for x in r.excluded] == [
        ("Phòng Cải cách hành chính", "Trương Thị Bé", "lan"),  # tree order: Sở Nội vụ's unit first
        ("Phòng Ngân sách", "Phan Văn Tú", "Lê Thị Lan"),
    ]


def test_every_format_has_its_excluded_section() -> None:
    r = with_excluded()
    html = render(r, "html")
    assert isinstance(html, str)
    section = html[html.index('<h2 id="excluded">') :]
    assert "Đã loại khỏi khảo sát (2 người)" in section and "Phan Văn Tú" in section
    assert "Lê Thị Lan" in section and "29/11/2026 10:00" in section and "Chuyển công tác" in section
    assert "Đã loại khỏi khảo sát (0 người)" in str(render(report(), "html"))
    data = render(r, "csv")
    assert isinstance(data, bytes)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    at = rows.index(["Đã loại khỏi khảo sát", "Những người này không được tính vào số liệu báo cáo."])
    assert rows[at - 1] == [] and rows[at + 1][:2] == ["Cơ quan/đơn vị", "Họ và tên"]
    assert rows[at + 3][:4] == ["Phòng Ngân sách", "Phan Văn Tú", "tu@khanhhoa.test", "'=Nghỉ hưu từ 01/12"]
    assert "loại".encode() not in render(report(), "csv")  # type: ignore[operator]  # no section without anyone excluded
    book = openpyxl.load_workbook(io.BytesIO(render(r, "xlsx", "en")))  # type: ignore[arg-type]
    sheet = book["Excluded from the survey"]
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == ["Agency", "Full name", "Email", "Why excluded", "Excluded by", "Excluded at"]
    assert values[2][:5] == [
        "Phòng Ngân sách",
        "Phan Văn Tú",
        "tu@khanhhoa.test",
        "=Nghỉ hưu từ 01/12",
        "Lê Thị Lan",
    ]
    assert sheet.cell(3, 4).data_type == "s"  # text, never a formula
    assert "Trương Thị Bé" in str(render(r, "table"))
