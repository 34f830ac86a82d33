"""Rules written after auto-reply set 10's HOLD figure was recorded, from its HOLD misses: off sick with the subject
left unsaid, away at an event of some days (a conference, a course), "đang học bồi dưỡng" (at a training course)
and "điền xong phiếu" (the form filled in, a person's). Pure functions, worded otherwise than the rows."""

from __future__ import annotations

import pytest

from maildaemon.inbound.classify import autoreply


@pytest.mark.parametrize(
    "text",
    [
        # off sick, as a note opens a sentence, with a day back
        "Out sick until Friday; urgent matters to the helpdesk please.",
        "Hello. Off sick this week, back on 18 March.",
        # away at an event of some days, with a day back
        "We are attending a regional workshop in Da Nang until Wednesday.",
        "I'm currently at the annual congress, back in the office on 2 April.",
        # at a training course, "học" between "đang" and the course (with and without diacritics)
        "Tôi đang học lớp bồi dưỡng ngạch chuyên viên chính đến hết ngày 20/3, có việc gấp xin liên hệ phòng.",
        "Toi dang hoc boi duong nghiep vu den thu Sau, thu se duoc tra loi cham.",
    ],
)
def test_an_absence_said_so_is_an_out_of_office(text: str) -> None:
    assert autoreply.body_says_auto(text)


@pytest.mark.parametrize(
    "text",
    [
        # a person's words: sick, but the form is done or will be
        "I was off sick yesterday. I'll fill it in today, back at my desk until 5.",
        # the form filled in, whatever leave comes after
        "Chị ơi, em điền xong phiếu rồi ạ, từ mai em nghỉ phép đến thứ Sáu.",
        "Em da dien day du phieu, mai em di cong tac den het tuan.",
    ],
)
def test_a_person_who_answers_is_no_out_of_office(text: str) -> None:
    assert not autoreply.body_says_auto(text)


@pytest.mark.parametrize(
    "text",
    [
        # someone else, not the writer, at an event: news, not an absence said of the writer
        "Our director is at a conference; the report will follow.",
        # sick as a topic, not a note
        "The number of officials off sick rose in March.",
    ],
)
def test_words_about_others_are_no_out_of_office(text: str) -> None:
    assert not autoreply.body_says_auto(text)
