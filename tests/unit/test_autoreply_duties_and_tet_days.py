"""Rules written after auto-reply set 11 (tests/corpus/autoreplies/autoreplies-11.csv) was scored once, from its
TUNE rows' misses only: a medical team out in the districts, a sitting of a council or congress, pupils taken to
an exam or a contest, mail that cannot be read, a school or office letting its people off, home for Tết as
absences; mail "sẽ được trả lời" (to be answered: a notice's passive promise) as a sign of one; days of the
lunar New Year ("mùng 7", "hết mồng 4 tháng Giêng"), British "Tuesday week", "today and tomorrow", Italian
"compreso"/"incluso" and a comma before "inclusive", a time of day before the date, "back in on the 15th". Pure
functions, worded otherwise than the rows."""

from __future__ import annotations

from datetime import date

import pytest

from maildaemon.inbound.classify import autoreply

WED = date(2027, 3, 10)  # a Wednesday


@pytest.mark.parametrize(
    "text",
    [
        # a medical team out in the districts
        "Em đang đi cùng đoàn y tế khám sàng lọc cho bà con vùng cao đến ngày 5/4, việc gấp xin gọi khoa.",
        "Tuần này tôi đi khám chữa bệnh tình nguyện ở xã biên giới, thứ Hai tuần sau mới về.",
        # at a sitting of a council or a congress
        "Tôi đang tham dự phiên họp toàn thể của Ủy ban đến hết 12/3, thư sẽ trả lời sau.",
        "Đồng chí Bí thư dự Đại hội Đảng bộ tỉnh từ 9/3 đến 11/3, xin liên hệ Văn phòng.",
        # mail to be answered (passive): a notice's promise beside an absence
        "Tôi đang nghỉ phép. Mọi thư điện tử sẽ được phản hồi sau kỳ nghỉ.",
        # home for the New Year
        "Em về quê đón Tết, hẹn gặp lại anh chị sau ngày 20/2.",
        # pupils or a team taken to an exam or a contest
        "Thầy đang dẫn đội tuyển đi thi đấu giải bóng đá sinh viên đến hết Chủ nhật, có việc gấp xin nhắn tin.",
        # mail that cannot be read while away
        "Tôi đi khảo sát ở vùng sâu, không đọc được email đến hết ngày 14/3.",
        # a school or office letting its people off a while
        "Văn phòng tạm cho cán bộ nghỉ do mất điện cả tòa nhà, việc gấp xin liên hệ bảo vệ.",
    ],
)
def test_an_absence_with_its_sign_is_an_out_of_office(text: str) -> None:
    assert autoreply.body_says_auto(text)


@pytest.mark.parametrize(
    "text",
    [
        # (guards, true before these rules too) the same duties told by a person answering
        "Em vừa đi cùng đoàn y tế về, phiếu em gửi kèm ạ.",
        "Hôm qua tôi dự phiên họp nên chưa trả lời được, nay gửi anh phiếu đã điền.",
    ],
)
def test_a_person_telling_of_a_duty_is_no_out_of_office(text: str) -> None:
    assert not autoreply.body_says_auto(text)


@pytest.mark.parametrize(
    ("text", "sent", "back"),
    [
        # days of the lunar New Year (Tết Mậu Thân: mùng 1 is 26 January 2028)
        ("Nghỉ Tết đến hết mồng 4, mồng 5 tôi sẽ đi làm lại.", date(2028, 1, 20), date(2028, 1, 30)),
        ("Cơ quan nghỉ đến mùng 10 tháng Giêng.", date(2027, 12, 30), date(2028, 2, 4)),
        # British "Tuesday week": a week after the coming Tuesday
        ("Back Tuesday week.", WED, date(2027, 3, 23)),
        # away today and tomorrow: back the day after
        ("Tôi vắng mặt hôm nay và ngày mai, có việc xin nhắn tin.", WED, date(2027, 3, 12)),
        # Italian "compreso"/"incluso", and a comma before "inclusive": the day named is the last one away
        ("In ferie fino al 19 marzo incluso.", WED, date(2027, 3, 20)),
        ("Fuori sede fino a venerdì compreso.", WED, date(2027, 3, 13)),
        ("On leave until 18 March, inclusive.", WED, date(2027, 3, 19)),
        # a time of day between the word of coming back and the date
        ("We reopen at 8.30am on Tuesday 16 March.", WED, date(2027, 3, 16)),
        # "back in on" a day of the month, after an "until" day
        ("I'm out until the 12th and back in on the 15th.", WED, date(2027, 3, 15)),
    ],
)
def test_the_day_back(text: str, sent: date, back: date) -> None:
    assert autoreply.return_date(text, sent) == back
