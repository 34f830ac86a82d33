"""Rules written after auto-reply set 10 (tests/corpus/autoreplies/autoreplies-10.csv) was scored once, from its
TUNE rows' misses only: "OOO" and the writer "out until" a day as absences, German and Dutch "there again from a
day" as an absence, mail "to be answered after I am back" as a notice's promise, people who will fill in the form,
ask for it again or greet the survey's team, and a written day back just after an "until" day. Pure functions,
worded otherwise than the rows."""

from __future__ import annotations

from datetime import date

import pytest

from maildaemon.inbound.classify import autoreply

WED = date(2027, 3, 10)  # a Wednesday


@pytest.mark.parametrize(
    "text",
    [
        # "OOO", the abbreviation, with a day back
        "OOO for the rest of the week, back Monday.",
        "O.O.O. until Thursday.",
        # the writer out until a day
        "We're out till the 3rd for the holidays.",
        "I will be out through Friday; urgent matters to the service desk.",
        # German and Dutch: there again from a day, so away until then
        "Danke für Ihre E-Mail. Ab Mittwoch bin ich wieder erreichbar.",
        "Ich bin ab dem 15. März wieder im Haus.",
        "Vanaf dinsdag ben ik weer op kantoor.",
        # mail to be answered after the writer is back: a notice's promise, not "after I got back"
        "Tôi đang dự hội thảo, email sẽ được xử lý sau khi tôi trở về văn phòng.",
    ],
)
def test_an_absence_with_its_sign_is_an_out_of_office(text: str) -> None:
    assert autoreply.body_says_auto(text)


@pytest.mark.parametrize(
    "text",
    [
        # (guards, true before these rules too) someone else out until a day is news, not the writer's absence
        "Minh is out until Friday, he asked me to say the figures are fine.",
        # the survey to be done by the writer later
        "Out of office till Friday, then I will fill in the form. Thanks!",
        "On leave until the 20th, I'll fill it out when I'm back.",
        # the sender asked to send it again
        "On leave until the 20th - can you please send it again after that?",
        # the survey's own team greeted
        "Chào Nhóm điều tra, chị Hương đi công tác đến hết thứ Năm, em báo để anh chị biết.",
        "Hi survey team - out of office until Friday, please expect my answers next week.",
        # (guard) a person answering after a trip is still a person
        "Em sẽ trả lời phiếu sau khi đi công tác về.",
    ],
)
def test_a_person_mentioning_an_absence_is_no_out_of_office(text: str) -> None:
    assert not autoreply.body_says_auto(text)


@pytest.mark.parametrize(
    ("text", "back"),
    [
        # a day back written out just after a last day away ("through", "đến") wins over it
        ("I'm away 3/8 through 3/12, back in the office 3/15.", date(2027, 3, 15)),
        ("Nghỉ phép từ 8/3 đến 12/3, 15/3 tôi trở lại cơ quan.", date(2027, 3, 15)),
        # (guard) ... but not a date far after it, which is something else
        ("Away through 3/5; back at headquarters 3/19 for the review.", date(2027, 3, 6)),
    ],
)
def test_the_day_back(text: str, back: date) -> None:
    assert autoreply.return_date(text, WED) == back
