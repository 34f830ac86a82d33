"""Rules written after auto-reply set 9 (tests/corpus/autoreplies/autoreplies-9.csv) was scored once: an inspection
in the field and an office closed for a holiday as absences, mail read only at set times as a second sign, a person
who has passed the mail on or writes before a leave, "thứ Sáu D" as a Friday and not "after D", "sau ngày D" with and
without the month, a day answered again after an "until", "after the Nth", the end of a named month, a day back said
after an "until" day, "sang tuần", "I'll get back to you" and "xem xét vào" before a day. Pure functions, worded
otherwise than the rows."""

from __future__ import annotations

from datetime import date

import pytest

from maildaemon.inbound.classify import autoreply

WED = date(2027, 3, 10)  # a Wednesday


@pytest.mark.parametrize(
    "text",
    [
        # an inspection or supervision in the field, with whom to call meanwhile
        "Em đang đi thanh tra ở huyện, việc gấp xin gọi số 0912 000 111.",
        "Chung toi dang di giam sat thi cong tai cac xa, viec gap lien he van phong.",
        # an office closed for a holiday
        "Văn phòng nghỉ lễ đến hết 05/4, việc gấp xin liên hệ bảo vệ cơ quan.",
        # mail read only at set times: mail out of reach
        "Tôi đang nghỉ phép, chỉ xem thư vào buổi tối.",
    ],
)
def test_an_absence_with_its_sign_is_an_out_of_office(text: str) -> None:
    assert autoreply.body_says_auto(text)


@pytest.mark.parametrize(
    "text",
    [
        # the writer has passed the mail on: a notice says it "will be passed on"
        "Chị Lan đi công tác đến thứ Sáu, em đã chuyển email cho anh Tùng xử lý.",
        # written before a leave: a notice is sent while the writer is away
        "Before I go on leave until the 3rd, one question about item 5: is it per site?",
    ],
)
def test_a_person_mentioning_an_absence_is_no_out_of_office(text: str) -> None:
    assert not autoreply.body_says_auto(text)


@pytest.mark.parametrize(
    ("text", "back"),
    [
        # "thứ Sáu 12/3" is a Friday, not "after 12/3"; back at the office after the date
        ("Tôi đi công tác, thứ Sáu 12/3 có mặt.", date(2027, 3, 12)),
        ("Toi di cong tac, 12/3 ve toi van phong.", date(2027, 3, 12)),
        # "sau ngày D": D the last day away, the month said or not, before the day back too
        ("Thư sẽ được xử lý sau ngày 25.", date(2027, 3, 26)),
        ("Sau ngày 19/3 em sẽ đi làm lại.", date(2027, 3, 20)),
        # the day answered again, said after an "until"
        ("Chị nghỉ đến hết 12/3, thứ Hai 15/3 chị sẽ phản hồi.", date(2027, 3, 15)),
        # after the Nth, the month unsaid
        ("Back at my desk after the 21st.", date(2027, 3, 22)),
        # the end of a named month: back on the first of the next
        ("I'm on study leave till the end of June.", date(2027, 7, 1)),
        ("Em nghỉ sinh đến cuối tháng 5.", date(2027, 6, 1)),
        # a day back said after an "until" day, in the days just after it
        ("Away until Friday 12 March; I'll reply when I'm back on Monday.", date(2027, 3, 15)),
        ("Estoy fuera hasta el 12 de marzo. A partir del lunes contestaré.", date(2027, 3, 15)),
        # next week said "sang tuần"; a day after "I'll get back to you" or "xem xét vào"
        ("Em ốm, sang tuần em đi làm lại.", date(2027, 3, 15)),
        ("I'm at a workshop; I'll get back to you on Friday.", date(2027, 3, 12)),
        ("Thư sẽ được xem xét vào thứ Hai tới.", date(2027, 3, 15)),
    ],
)
def test_the_day_back(text: str, back: date) -> None:
    assert autoreply.return_date(text, WED) == back


def test_an_until_day_far_from_a_later_weekday_stands() -> None:
    """Only a day back just after the "until" day replaces it: a weekday a week on is another matter."""
    assert autoreply.return_date("Away until 12 March. Next Friday I'll reply to everyone.", WED) == date(
        2027, 3, 12
    )
