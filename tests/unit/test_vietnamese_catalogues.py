"""Vietnamese concept words filled from translation catalogues and localised documentation (Zimbra's vi_VN ZMsg,
Roundcube's vi_VN messages, Thunderbird's vi composeMsgs, CodeIgniter's, Group-Office's and Bitrix's Vietnamese files,
Microsoft's vi-VN NDR pages, Gmail's vi help), not from any set's rows: each sentence composed here, with diacritics
and without, and each read otherwise (or not at all) before the words were added. Pure functions."""

from __future__ import annotations

import pytest

from maildaemon.core.replies import decide


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # not found with "cannot" / in the passive, and "no such ... exists" (Zimbra's, Bitrix's wording)
        ("Máy chủ báo: không thể tìm thấy hộp thư thuvien@so.example.vn.", "userunknown"),
        ("May chu bao: khong the tim thay hop thu cua nguoi nhan.", "userunknown"),
        # a quota gone over: "vượt hạn mức" (and "quá hạn ngạch", below)
        ("Tai khoan nhan da vuot han muc luu tru, vui long bao ho.", "mailboxfull"),
        # a time run out ("hết hạn", "quá hạn"): a message's is expired, an account's is suspended
        ("Thư của bạn đã quá hạn chờ gửi nên hệ thống đã bỏ qua.", "expired"),
        ("Tai khoan email cua can bo nay da het han su dung.", "suspend"),
        # authentication as "chứng thực" (CodeIgniter's, Group-Office's)
        ("Lỗi gửi: chứng thực SMTP không thành công.", "securityerror"),
        ("Chung thuc voi may chu gui khong thanh cong", "securityerror"),
        # a connection cut ("ngắt kết nối")
        ("Máy chủ bên nhận ngắt kết nối giữa chừng.", "networkerror"),
        # a domain as "miền" (Microsoft's vi-VN pages), not an address
        ("Miền của người nhận không tồn tại, hãy kiểm tra lại chính tả.", "hostunknown"),
        ("Mien nguoi nhan khong ton tai", "hostunknown"),
        # sending too fast ("quá nhanh", Gmail's vi help)
        ("Ban gui thu qua nhanh, hay cho mot lat roi gui lai", "speeding"),
        # the receiving system's own error without diacritics (Roundcube's "lỗi nội bộ", Zimbra's "lỗi trong máy chủ")
        ("Loi noi bo khi xu ly thu, xin thu lai sau", "systemerror"),
        ("Co loi trong may chu nhan, thu se duoc gui lai", "systemerror"),
        # a hop count gone over (Microsoft's vi-VN page for NDR 5.4.6-5.4.20), with diacritics and without
        ("Thư bị trả về do đã vượt quá số bước nhảy giữa các máy chủ.", "networkerror"),
        ("Thu khong gui duoc vi vuot qua so buoc nhay", "networkerror"),
        # relaying "not permitted" in Microsoft's vi-VN wording
        ("Máy chủ báo không phép chuyển tiếp tới tên miền ngoài", "norelaying"),
    ],
)
def test_catalogue_words_give_the_reason(text: str, reason: str) -> None:
    assert decide(status="", text=text) == reason


@pytest.mark.parametrize(
    "text",
    [
        # a quota's "hạn ngạch" / "hạn mức" used up is no time run out
        "Hop thu da het han ngach",
        "Tai khoan da qua han muc gui trong ngay",
        "Ban da vuot qua han che so thu gui trong ngay",
        # "that" (as in "thất bại", unaccented) is English too: an English sentence is not opened to the lexicon by it
        "A message that you sent has a casella postale word",
    ],
)
def test_catalogue_words_do_not_overreach(text: str) -> None:
    assert decide(status="", text=text) not in ("expired", "suspend")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # read so before (phrase families): the new words must agree with them
        ("Khong co nguoi dung nao nhu vay ton tai o day", "userunknown"),
        ("Thư bị trả lại vì hộp thư người nhận đã quá hạn ngạch.", "mailboxfull"),
        ("Hop thu da het han ngach", "mailboxfull"),
    ],
)
def test_catalogue_words_agree_with_the_phrase_families(text: str, reason: str) -> None:
    assert decide(status="", text=text) == reason


@pytest.mark.parametrize(
    "text",
    [
        # an unknown reason, error or cause (Thunderbird's vi "vì lý do không xác định") names no unknown address or host
        "Không gửi được thư qua máy chủ vì lý do không xác định.",
        "Co loi khong xac dinh khi chuyen thu",
        "Thư không được gửi, nguyên nhân không xác định",
    ],
)
def test_an_unknown_reason_is_no_unknown_address(text: str) -> None:
    assert decide(status="", text=text) not in ("userunknown", "hostunknown", "filtered")
