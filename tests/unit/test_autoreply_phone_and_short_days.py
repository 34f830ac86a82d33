"""Rules written from auto-reply set 8's TUNE rows (tests/corpus/autoreplies/autoreplies-8.csv): a phone's
signature and leave of a named kind in the past as a person's words, "out of town" as an absence, Outlook's German
subject, "Mon"/"Tue"/"Thu" only after English words, German "bis" and "Mo.," before a date, a day back in German or
Dutch with the month named. Pure functions, worded otherwise than the rows."""

from __future__ import annotations

from datetime import date

import pytest

from maildaemon.inbound.classify import autoreply
from maildaemon.inbound.classify.relative import relative_return

THU = date(2027, 2, 4)  # a Thursday


def test_outlooks_german_subject_says_automatic() -> None:
    assert autoreply.subject_says_auto("Automatische Antwort: Rechnung März")


def test_out_for_a_stretch_of_days_is_an_absence() -> None:
    assert autoreply.body_says_auto("Out of town this week, back on the 21st if it can wait.")
    assert autoreply.body_says_auto("Out tomorrow, please call reception for anything urgent.")


@pytest.mark.parametrize(
    "text",
    [
        "Away this week, will answer properly when I'm back.\n\nVon meinem iPhone gesendet",
        "Em đang nghỉ phép, khi trở lại em sẽ trả lời anh.\n\nGửi từ iPhone của tôi",
        "On leave until the 20th - urgent things to Ha please.\n\nGet Outlook for Android",
        "I'm on vacation, back next week.\nSent from my Samsung Galaxy smartphone.",
    ],
)
def test_a_phone_apps_signature_is_a_person_writing(text: str) -> None:
    """An out-of-office is sent by the server, which appends no mail app's signature."""
    assert not autoreply.body_says_auto(text)


def test_leave_of_a_named_kind_in_the_past_is_a_person() -> None:
    assert not autoreply.body_says_auto("We were on annual leave until the 3rd; the figures follow.")
    assert autoreply.body_says_auto("I am on annual leave until the 3rd of January.")


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("Wir sind bis Di., 9.2. im Urlaub.", date(2027, 2, 9)),
        ("Ich bin bis 12.02. auf Fortbildung.", date(2027, 2, 12)),
    ],
)
def test_german_bis_alone_and_a_weekday_cut_short_before_the_date(text: str, back: date) -> None:
    assert autoreply.return_date(text, THU) == back


@pytest.mark.parametrize(
    ("text", "back"),
    [
        (
            "Bis zum 12. Februar auf Dienstreise. Ab Montag, 15. Februar bin ich wieder im Büro.",
            date(2027, 2, 15),
        ),
        ("Afwezig t/m 12-02. Vanaf 15-02 ben ik weer bereikbaar.", date(2027, 2, 15)),
        (
            "Met verlof tot en met 12 februari; vanaf dinsdag 16 februari zijn we weer open.",
            date(2027, 2, 16),
        ),
    ],
)
def test_a_day_back_after_the_last_day_away_in_german_and_dutch(text: str, back: date) -> None:
    assert autoreply.return_date(text, THU) == back


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("Returning Mon, catch you then", date(2027, 2, 8)),
        ("offline till Tue.", date(2027, 2, 9)),
        ("in the office thu", date(2027, 2, 11)),
        # Vietnamese words that fold to the same letters: a school subject, a name, "thư"
        ("Tôi sẽ trở lại môn học này sau", None),
        ("Việc gấp gửi đến chị Tuệ", None),
        ("Tôi sẽ quay lại thư này sau", None),
    ],
)
def test_the_shortest_weekdays_only_after_english_words(text: str, back: date | None) -> None:
    assert relative_return(autoreply.fold(text), THU) == back
