"""The console's words: mail kinds and outcomes said in Vietnamese, the zone named as operators say it."""

from __future__ import annotations

from datetime import UTC, datetime

from maildaemon.web.i18n import Words


def test_details_and_outcomes_in_words() -> None:
    vi, en = Words("vi"), Words("en")
    assert vi.detail("reminder-2: 250 2.0.0 ok") == "Thư nhắc lần 2: 250 2.0.0 ok"
    assert vi.detail("invitation") == "Thư mời" and en.detail("final: 451") == "Final reminder: 451"
    assert vi.detail("seed.csv:3") == "seed.csv:3"  # not a mail kind: left as recorded
    assert vi.detail("invitationally") == "invitationally"
    assert vi.outcome("bounced") == "Bị trả lại" and vi.outcome("rejected") == "Hộp thư từ chối"
    assert vi.outcome("something-new") == "something-new"
    # states in the report's one vocabulary (reporting.vocabulary)
    assert vi.change("delivery", "sent", "bounced") == "Đã chuyển đi, chưa xác nhận nhận được → Bị trả lại"
    assert vi.change("delivery", None, "new") == "Mới nhập"
    assert vi.source("watcher") == "Đọc thư phản hồi" and en.source("odd") == "odd"


def test_times_in_the_campaigns_zone() -> None:
    at = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
    assert Words("vi", "Asia/Ho_Chi_Minh").when(at) == "23/11/2026 10:00"
    assert Words("en", "Asia/Tokyo").when(at) == "2026-11-23 12:00"
    assert Words("vi").zone("Asia/Ho_Chi_Minh") == "giờ Việt Nam"
    assert Words("en").zone("Asia/Tokyo") == "time zone Asia/Tokyo"
    assert Words("vi").when(None) == "chưa có"
    assert Words("fr")("logout") == "Đăng xuất"  # unknown language: Vietnamese
