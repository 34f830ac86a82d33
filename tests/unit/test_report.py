"""Report figures on fixed, hand-computed data: a province, 2 departments, 4 units."""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from datetime import UTC, date, datetime, timedelta

import pytest

from maildaemon.errors import InputError
from maildaemon.reporting.figures import (
    BOUNCE,
    COMPLETION,
    SEND,
    AgencyRow,
    EventBucket,
    PersonRow,
    Report,
    ReportData,
    StateCount,
    action_for,
    build_report,
    sort_key,
)
from maildaemon.reporting.render import render, shortfall

NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)

AGENCIES = [
    AgencyRow(1, "_province", "Tỉnh Khánh Hòa", None, 0),
    AgencyRow(2, "SNV", "Sở Nội vụ", 1, 1),
    AgencyRow(3, "STC", "Sở Tài chính", 1, 1),
    AgencyRow(4, "SNV-CCHC", "Phòng Cải cách hành chính", 2, 2),
    AgencyRow(5, "SNV-TCBC", "Phòng Tổ chức biên chế", 2, 2),
    AgencyRow(6, "STC-NS", "Phòng Ngân sách", 3, 2),
    AgencyRow(7, "STC-TT", "Đội Thanh tra", 3, 2),
]


def sc(
    agency: int | None,
    delivery: str,
    completion: str,
    n: int,
    invited: bool = True,
    reason: str | None = None,
):  # type: ignore[no-untyped-def]
    return StateCount(agency, delivery, completion, invited, n, reason)


COUNTS = [
    # unit 4: 5 people, 3 completed -> 60 % (on target, not below)
    sc(4, "delivered", "completed", 3),
    sc(4, "delivered", "pending", 1),
    sc(4, "bounced", "pending", 1, reason="userunknown"),
    # unit 5: 4 people, 1 completed -> 25 %
    sc(5, "sent", "completed", 1),  # completion proves delivery
    sc(5, "sent", "away", 1),  # an auto-reply proves delivery too
    sc(5, "deferred", "pending", 1),
    sc(5, "bounced", "pending", 1, reason="mailboxfull"),
    # department 2 itself: one person not invited yet
    sc(2, "new", "pending", 1, invited=False),
    # unit 6: 3 people, 2 completed, 1 declined -> 66.7 %
    sc(6, "delivered", "completed", 2),
    sc(6, "delivered", "declined", 1),
    # unit 7: 3 people, nobody answered -> 0 %, zero participation
    sc(7, "failed", "pending", 1, invited=False, reason="rejected"),
    sc(7, "sent", "pending", 2),
    # no agency: goes to the province line
    sc(None, "sent", "replied", 1),
]

PEOPLE = [
    PersonRow(4, "Trần Văn Đức", "duc@khanhhoa.test", "Chuyên viên", "delivered", "pending"),
    PersonRow(
        4, "Lê Thị Mỹ Dung", "dung@khanhhoa.test", "Phó phòng", "bounced", "pending", "userunknown", "5.1.1"
    ),
    PersonRow(
        5, "Võ Minh Khôi", "khoi@khanhhoa.test", "", "sent", "away", away_until=NOW + timedelta(days=3)
    ),
    PersonRow(5, "Bùi Văn Lộc", "loc@khanhhoa.test", "", "deferred", "pending"),
    PersonRow(5, "Đỗ Thị Thanh Tâm", "tam@khanhhoa.test", "", "bounced", "pending", "mailboxfull", "4.2.2"),
    PersonRow(2, "Nguyễn Thị Thu Hà", "ha@khanhhoa.test", "Giám đốc", "new", "pending"),
    PersonRow(7, "Huỳnh <b>Ngọc</b> Sơn", "son@khanhhoa.test", "", "failed", "pending", "rejected", "550"),
    PersonRow(7, "Anh & Em", "a@khanhhoa.test", "", "sent", "pending"),
    PersonRow(7, "Đặng Thị Hồng Nhung", "nhung@khanhhoa.test", "", "sent", "pending"),
]


def at(y: int, m: int, d: int, h: int) -> datetime:
    return datetime(y, m, d, h, tzinfo=UTC)


EVENTS = [
    EventBucket(at(2026, 11, 22, 17), COMPLETION, 1),  # 00:00 on the 23rd in Vietnam
    EventBucket(at(2026, 11, 23, 3), SEND, 10),
    EventBucket(at(2026, 11, 23, 18), BOUNCE, 2),  # 01:00 on the 24th in Vietnam
    EventBucket(at(2026, 11, 26, 2), SEND, 3),
    EventBucket(at(2026, 11, 26, 2), COMPLETION, 4),
]


def report(target: float = 0.6) -> Report:
    data = ReportData(AGENCIES, COUNTS, PEOPLE, EVENTS)
    return build_report(
        data, campaign="par2026", title="Khảo sát Chỉ số CCHC năm 2026", now=NOW, target=target,
        organization="Sở Nội vụ tỉnh Khánh Hòa",
    )  # fmt: skip


def by_code(r: Report) -> dict[str, object]:
    return {f.code: f for f in r.agencies}


def test_tree_order_is_depth_first_with_vietnamese_sorting() -> None:
    r = report()
    # Đội sorts with D, before Phòng; units follow their department
    assert [f.code for f in r.agencies] == [
        "_province",
        "SNV",
        "SNV-CCHC",
        "SNV-TCBC",
        "STC",
        "STC-TT",
        "STC-NS",
    ]
    assert [f.depth for f in r.agencies] == [0, 1, 2, 2, 1, 2, 2]
    assert [f.parent_code for f in r.agencies] == ["", "_province", "SNV", "SNV", "_province", "STC", "STC"]


def test_unit_figures() -> None:
    f = by_code(report())
    u4, u5, u7 = f["SNV-CCHC"], f["SNV-TCBC"], f["STC-TT"]
    assert (u4.respondents, u4.invited, u4.delivered, u4.bounced, u4.completed) == (5, 5, 4, 1, 3)  # type: ignore[attr-defined]
    assert u4.rate == pytest.approx(0.6) and not u4.below_target  # type: ignore[attr-defined]
    assert (u5.respondents, u5.delivered, u5.deferred, u5.away, u5.completed, u5.not_answered) == (
        4,
        2,
        1,
        1,
        1,
        3,
    )  # type: ignore[attr-defined]
    assert u5.bounce_reasons == {"mailboxfull": 1} and u5.below_target  # type: ignore[attr-defined]
    assert (u7.respondents, u7.invited, u7.delivered, u7.failed, u7.rate) == (3, 2, 0, 1, 0.0)  # type: ignore[attr-defined]
    assert u7.zero_participation  # type: ignore[attr-defined]


def test_roll_up_includes_units_and_own_respondents() -> None:
    f = by_code(report())
    snv, stc, total = f["SNV"], f["STC"], f["_province"]
    assert (snv.respondents, snv.invited, snv.delivered, snv.bounced, snv.deferred, snv.away) == (
        10,
        9,
        6,
        2,
        1,
        1,
    )  # type: ignore[attr-defined]
    assert (snv.completed, snv.not_answered, snv.rate) == (4, 6, 0.4)  # type: ignore[attr-defined]
    assert snv.bounce_reasons == {"userunknown": 1, "mailboxfull": 1}  # type: ignore[attr-defined]
    assert (stc.respondents, stc.invited, stc.delivered, stc.failed, stc.completed, stc.declined) == (
        6,
        5,
        3,
        1,
        2,
        1,
    )  # type: ignore[attr-defined]
    assert stc.rate == pytest.approx(2 / 6)  # type: ignore[attr-defined]
    # province = both departments + the respondent without agency (replied: proves delivery)
    assert (total.respondents, total.invited, total.delivered, total.completed, total.replied) == (
        17,
        15,
        10,
        6,
        1,
    )  # type: ignore[attr-defined]
    assert total.rate == pytest.approx(6 / 17)  # type: ignore[attr-defined]
    assert r_sum(report(), "respondents") == 17


def r_sum(r: Report, name: str) -> int:
    """Leaves and own respondents add up to the province line."""
    return sum(getattr(f, name) for f in r.agencies if f.level == 2) + 1 + 1  # dept 2's own + no agency


def test_below_target_worst_first_and_zero_participation() -> None:
    r = report()
    # each agency counted once, where it has people of its own: STC only adds its units up
    assert [f.code for f in r.below_target] == ["STC-TT", "SNV-TCBC", "SNV"]
    assert r.agencies_counted == 5
    assert [f.code for f in r.zero_participation] == ["STC-TT"]
    assert [shortfall(f, r.target) for f in r.below_target] == [2, 2, 2]
    lower = report(target=0.3)
    assert [f.code for f in lower.below_target] == ["STC-TT", "SNV-TCBC"]
    assert not by_code(lower)["SNV"].below_target  # type: ignore[attr-defined]


def test_not_answered_grouped_by_agency_with_action() -> None:
    r = report()
    got = [(p.agency_code, p.full_name, p.action) for p in r.not_answered]
    assert got == [
        ("SNV", "Nguyễn Thị Thu Hà", "wait"),
        ("SNV-CCHC", "Lê Thị Mỹ Dung", "fix_address"),
        ("SNV-CCHC", "Trần Văn Đức", "call"),
        ("SNV-TCBC", "Võ Minh Khôi", "back_soon"),  # by given name: Khôi, Lộc, Tâm
        ("SNV-TCBC", "Bùi Văn Lộc", "wait"),
        ("SNV-TCBC", "Đỗ Thị Thanh Tâm", "clean_mailbox"),  # mailboxfull: not an address to correct
        ("STC-TT", "Anh & Em", "call"),  # the relay accepted it: the mail went out, so ask in person
        ("STC-TT", "Đặng Thị Hồng Nhung", "call"),
        ("STC-TT", "Huỳnh <b>Ngọc</b> Sơn", "ask_it"),  # our relay refused (rejected): IT, not the address
    ]
    assert [p.email for p in r.address_problems] == [
        "dung@khanhhoa.test",
        "tam@khanhhoa.test",
        "son@khanhhoa.test",
    ]


def test_action_rules() -> None:
    assert action_for("bounced", "away", None, NOW) == "fix_address"
    assert action_for("sent", "away", NOW + timedelta(hours=1), NOW) == "back_soon"
    assert action_for("sent", "away", NOW - timedelta(hours=1), NOW) == "call"  # back already
    assert action_for("delivered", "pending", None, NOW) == "call"
    assert action_for("queued", "pending", None, NOW) == "wait"


def test_the_action_follows_the_reason() -> None:
    assert action_for("bounced", "pending", None, NOW, "userunknown") == "fix_address"
    assert action_for("bounced", "pending", None, NOW, "undefined") == "fix_address"
    assert action_for("deferred", "pending", None, NOW, "mailboxfull") == "clean_mailbox"
    assert action_for("bounced", "pending", None, NOW, "mailboxfull") == "clean_mailbox"
    assert action_for("bounced", "pending", None, NOW, "policyviolation") == "ask_it"
    assert action_for("deferred", "pending", None, NOW, "expired") == "wait_retry"
    assert action_for("deferred", "pending", None, NOW, "blocked") == "wait_retry"  # a 4xx, still retried
    past_threshold = action_for("bounced", "pending", None, NOW, "expired")  # no more mail goes to them
    assert past_threshold == "ask_it"
    assert action_for("deferred", "pending", None, NOW) == "wait"


def test_people_who_replied_but_did_not_complete_stay_on_the_follow_up_list() -> None:
    data = ReportData(AGENCIES, [sc(4, "delivered", "replied", 1)],
                      [PersonRow(4, "Phạm Văn Tài", "tai@khanhhoa.test", "Chuyên viên", "delivered", "replied")],
                      [])  # fmt: skip
    r = build_report(data, campaign="c", title="t", now=NOW)
    assert [(p.full_name, p.action) for p in r.not_answered] == [("Phạm Văn Tài", "call")]
    assert r.total.not_answered == 1 and r.total.replied == 1


def test_timeline_per_local_day_with_gaps() -> None:
    days = [(d.day, d.sends, d.bounces, d.completions) for d in report().timeline]
    assert days == [
        (date(2026, 11, 23), 10, 0, 1),
        (date(2026, 11, 24), 0, 2, 0),
        (date(2026, 11, 25), 0, 0, 0),
        (date(2026, 11, 26), 3, 0, 4),
    ]


def test_empty_and_orphans() -> None:
    empty = build_report(ReportData([], [], [], []), campaign="x", title="x", now=NOW)
    assert len(empty.agencies) == 1 and empty.total.respondents == 0 and empty.total.rate is None
    assert empty.timeline == () and empty.below_target == ()
    # unknown parent and a cycle are hung under the root; their people still count
    rows = [AgencyRow(10, "A", "A", 99, 2), AgencyRow(11, "B", "B", 12, 2), AgencyRow(12, "C", "C", 11, 2)]
    counts = [sc(10, "sent", "pending", 2), sc(11, "sent", "completed", 1), sc(12, "sent", "pending", 1)]
    r = build_report(ReportData(rows, counts, [], []), campaign="x", title="x", now=NOW)
    assert r.total.respondents == 4 and r.total.completed == 1
    assert {f.code for f in r.agencies} == {"_province", "A", "B", "C"}


def test_sort_key_follows_the_vietnamese_alphabet() -> None:
    names = ["Phạm", "Đỗ", "Ân", "Dương", "Ăn", "Anh", "Zô", "Ơn", "Ôn", "On", "Em"]
    assert sorted(names, key=sort_key) == [
        "Anh",
        "Ăn",
        "Ân",
        "Dương",
        "Đỗ",
        "Em",
        "On",
        "Ôn",
        "Ơn",
        "Phạm",
        "Zô",
    ]
    tones = ["má", "mạ", "ma", "mà", "mã", "mả"]
    assert sorted(tones, key=sort_key) == ["ma", "mà", "mả", "mã", "má", "mạ"]


# --- renderers (pure, no files) ------------------------------------------------------------------


def test_table_vi_and_en() -> None:
    r = report()
    vi = render(r, "table")
    assert isinstance(vi, str)
    assert "Cơ quan/đơn vị" in vi and "Tỷ lệ phản hồi" in vi and "35,3 %" in vi
    assert "  Sở Nội vụ *" in vi and "    Phòng Cải cách hành chính " in vi
    assert "Sửa địa chỉ thư" in vi and unicodedata.is_normalized("NFC", vi)
    en = render(r, "table", "en")
    assert isinstance(en, str) and "Response rate" in en and "35.3%" in en and "Fix the address" in en
    assert "The recipient address does not exist" in en


def test_csv_round_trips_vietnamese() -> None:
    data = render(report(), "csv")
    assert isinstance(data, bytes) and data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0][:4] == ["Mã", "Cơ quan/đơn vị", "Cấp", "Mã cấp trên"]
    assert "Số người được khảo sát" in rows[0] and "Tỷ lệ phản hồi" in rows[0]
    body = {r[0]: r for r in rows[1:]}
    assert len(body) == 7
    assert body["STC-TT"][1:4] == ["Đội Thanh tra", "2", "STC"]
    assert body[""][1] == "Tỉnh Khánh Hòa"  # the province line has no code of its own
    assert b"_province" not in data and body["SNV"][3] == ""
    head = rows[0]
    assert body["SNV"][head.index("Số người được khảo sát")] == "10"
    assert body["SNV"][head.index("Tỷ lệ phản hồi")] == "0.4000"
    en = render(report(), "csv", "en")
    assert isinstance(en, bytes) and en.decode("utf-8-sig").startswith("Code,Agency,Level,Parent code")


def test_unknown_format() -> None:
    with pytest.raises(InputError, match="pdf"):
        render(report(), "pdf")


def test_no_internal_code_and_reasons_in_words_in_every_format() -> None:
    r = report()
    for fmt in ("table", "csv", "html"):
        for lang in ("vi", "en"):
            out = render(r, fmt, lang)
            text = out.decode("utf-8-sig") if isinstance(out, bytes) else out
            assert "_province" not in text, (fmt, lang)
            assert "(userunknown)" not in text and "(mailboxfull)" not in text
    table = render(r, "table")
    assert isinstance(table, str)
    assert "hộp thư không tồn tại" in table and "hộp thư đầy" in table
    html = render(r, "html")
    assert isinstance(html, str)
    assert "Bị trả lại: hộp thư không tồn tại" in html and "Bị trả lại: hộp thư đầy" in html
    assert ">userunknown<" not in html
    assert "Bounced: mailbox does not exist" in str(render(r, "html", "en"))


def test_xlsx_has_no_internal_code_and_reason_words() -> None:
    from openpyxl import load_workbook

    data = render(report(), "xlsx")
    assert isinstance(data, bytes)
    wb = load_workbook(io.BytesIO(data))
    cells = [
        str(c) for ws in wb.worksheets for row in ws.iter_rows(values_only=True) for c in row if c is not None
    ]
    assert "_province" not in cells
    assert "Hộp thư không tồn tại" in cells and "userunknown" not in cells


def test_bars_coloured_by_target_on_every_row_province_included() -> None:
    html = render(report(), "html")
    assert isinstance(html, str)
    # the province (6 of 17, 35.3 %) is under the 60 % target: its bar is red like any agency's
    province = re.search(r'<tr class="l0[^"]*"[^>]*>.*?</tr>', html)
    assert province and 'class="fill low"' in province.group(0)
    unit6 = re.search(r'<tr class="l2" data-code="STC-NS">.*?</tr>', html)
    assert unit6 and 'class="fill"' in unit6.group(0)  # 66.7 %: on target, green


def test_below_target_says_what_is_counted() -> None:
    r = report()
    assert "3 trong số 5 cơ quan, đơn vị có người được khảo sát" in str(render(r, "html"))
    assert "3 of 5 agencies with respondents of their own" in str(render(r, "table", "en"))


def test_one_vocabulary_partitions_every_person() -> None:
    from maildaemon.reporting import vocabulary as V

    total = report().total
    assert sum(getattr(total, g) for g in V.DELIVERY_GROUPS) == total.respondents
    assert V.delivery_group("sent", "pending") == V.RELAY_ACCEPTED
    assert V.delivery_group("sent", "completed") == V.DELIVERED  # an answer proves receipt
    assert V.delivery_group("queued", "pending") == V.NOT_SENT
    assert V.word(V.RELAY_ACCEPTED) == "Đã chuyển đi, chưa xác nhận nhận được"
    assert V.word("invited", "en") == "Invited"
    assert V.state_label("bounced", "pending", "userunknown") == "Bị trả lại: hộp thư không tồn tại"
    assert V.reason_label("nosuchthing", "en") == "cause unknown"
    from maildaemon.core.reasons import REASONS

    for name in REASONS:  # every reason of the taxonomy has words in both languages
        assert V.reason_label(name, "vi") != V.reason_label("undefined", "vi") or name == "undefined"
        assert V.reason_label(name, "en") != V.reason_label("undefined", "en") or name == "undefined"


def test_digest_speaks_the_report_vocabulary() -> None:
    from maildaemon.reporting import vocabulary as V
    from maildaemon.service.digest import summary_text

    r = report()
    vi = summary_text(r, "vi", NOW, "Asia/Ho_Chi_Minh")
    for key in ("invited", "relay_accepted", "delivered", "bounced", "completed"):
        assert f"  {V.word(key)}: {getattr(r.total, key)}" in vi
    assert "(3 trong số 5 cơ quan, đơn vị)" in vi
    en = summary_text(r, "en", NOW, "Asia/Ho_Chi_Minh")
    assert "  Relay accepted, delivery not proven: 2" in en and "(3 of 5 agencies)" in en
    assert "at 10:00 (ICT, UTC+7) on 30/11/2026" in en
