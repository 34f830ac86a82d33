"""Return days said relative to the mail (relative.py), the Date header they count from, and the absence words
added beside them (Italian, Portuguese, Dutch, "out sick", a delegation, a person's attachment): pure functions,
worded otherwise than the rows of tests/corpus/autoreplies."""

from __future__ import annotations

import unicodedata
from datetime import date

import pytest

from maildaemon.inbound.classify import autoreply, classify
from maildaemon.inbound.classify.relative import relative_return

WED = date(2027, 3, 10)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "back"),
    [
        # English: tomorrow, a weekday (the coming one, next week's, this week's), through a weekday, a count,
        # the end of the week or month, next week
        ("Back in the office tomorrow morning.", date(2027, 3, 11)),
        ("We reopen on Monday.", date(2027, 3, 15)),
        ("I'm away till next Friday.", date(2027, 3, 19)),
        ("Returning this Friday.", date(2027, 3, 12)),
        ("Out of the office through Thursday.", date(2027, 3, 12)),
        ("I will return in 5 days.", date(2027, 3, 15)),
        ("Off until the end of this month.", date(2027, 4, 1)),
        ("Away until end of the week.", date(2027, 3, 15)),
        ("Back the day after tomorrow.", date(2027, 3, 12)),
        ("Away till next Tuesday inclusive.", date(2027, 3, 17)),
        ("Returning at the start of next week.", date(2027, 3, 15)),
        # Vietnamese, accented and not
        ("Chị nghỉ đến hết thứ Năm.", date(2027, 3, 12)),
        ("Ba ngày nữa em đi làm lại.", date(2027, 3, 13)),
        ("dau tuan sau toi quay lai", date(2027, 3, 15)),
        ("Tôi sẽ quay lại vào đầu tháng sau.", date(2027, 4, 1)),
        ("Anh đi học đến cuối tháng này.", date(2027, 4, 1)),
        ("Chủ nhật tới tôi trở về.", date(2027, 3, 14)),
        # other languages
        ("Ab nächsten Dienstag bin ich wieder da.", date(2027, 3, 16)),
        ("De retour demain.", date(2027, 3, 11)),
        ("Regreso el próximo lunes.", date(2027, 3, 15)),
        ("Rientro dopodomani.", date(2027, 3, 12)),
        ("Volto na próxima sexta-feira.", date(2027, 3, 19)),
        ("Terug op vrijdag.", date(2027, 3, 12)),
        ("Выйду на работу послезавтра.", date(2027, 3, 12)),
        ("来週の水曜日に戻ります。", date(2027, 3, 17)),
        ("后天回来。", date(2027, 3, 12)),
        ("내일 출근합니다.", date(2027, 3, 11)),
        ("จะกลับวันจันทร์หน้า", date(2027, 3, 15)),
        ("Saya kembali besok.", date(2027, 3, 11)),
        ("Wir sind in zwei Wochen wieder erreichbar, bis dahin", None),  # the count comes before "wieder"
    ],
)
def test_a_relative_day_counts_from_the_day_sent(text: str, back: date | None) -> None:
    assert relative_return(autoreply.fold(text), WED) == back


@pytest.mark.parametrize(
    "text",
    [
        "The report is due next Monday.",
        "Next week we will send the figures.",
        "Hẹn gặp anh thứ Hai tuần sau ở hội nghị.",
        "明天开会。",
        "We will get back to you next week.",
    ],
)
def test_a_day_with_no_word_of_coming_back_is_no_return_day(text: str) -> None:
    assert relative_return(autoreply.fold(text), WED) is None


def test_an_absolute_date_wins_over_a_weekday_beside_it() -> None:
    assert autoreply.return_date("Work will resume on Monday, 4 January 2027.", date(2026, 12, 7)) == date(
        2027, 1, 4
    )


@pytest.mark.parametrize(
    ("text", "back"),
    [
        ("Sono fuori ufficio fino al 3 gennaio.", date(2027, 1, 3)),
        ("Estou de férias até 22 de dezembro.", date(2026, 12, 22)),
        ("Ik ben tot en met 18 december met vakantie.", date(2026, 12, 19)),
        ("Estou fora do escritório e regresso no dia 21.", date(2026, 12, 21)),
        ("Nghỉ phép từ 8/12 đến 11/12, ngày 14/12 tôi sẽ đi làm.", date(2026, 12, 14)),
        ("Tôi đi công tác, sẽ trở về cơ quan ngày 16/12.", date(2026, 12, 16)),
    ],
)
def test_more_languages_dates_and_the_day_back_after_an_until(text: str, back: date) -> None:
    assert autoreply.return_date(text, date(2026, 12, 7)) == back


@pytest.mark.parametrize(
    "body",
    [
        "Sono in ferie, per urgenze scrivere alla segreteria.",
        "Estou ausente, com acesso limitado ao e-mail.",
        "Ik ben afwezig tot 4 januari.",
        "I'm off sick and will reply when I'm back.",
        "I'm away and not reading my email.",
        "Tôi tham gia đoàn thanh tra của tỉnh, thư sẽ được trả lời chậm.",
        "Toi dang nghi phep, thu Sau toi se di lam lai.",
    ],
)
def test_absence_words_of_more_kinds_say_automatic(body: str) -> None:
    assert autoreply.body_says_auto(body)


@pytest.mark.parametrize(
    "body",
    [
        "Tôi đi công tác tới thứ Tư nhưng đã gửi kèm bảng số liệu.",
        "Je serai de retour vendredi ; voici nos réponses en attendant.",
        "I will be back in touch next week with the numbers.",
    ],
)
def test_a_person_sending_the_answer_is_not_automatic(body: str) -> None:
    assert not autoreply.body_says_auto(body)


def _auto(date_header: str, body: str) -> bytes:
    return (
        f"From: a@example.vn\r\nTo: b@example.vn\r\nSubject: Out of office\r\nDate: {date_header}\r\n"
        "Auto-Submitted: auto-replied\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" + body + "\r\n"
    ).encode()


def test_a_utc_stamp_counts_from_the_day_in_vietnam() -> None:
    # 20:00 UTC on Sunday is 03:00 on Monday in Hanoi, where the writer said "tomorrow"
    verdict = classify(_auto("Sun, 06 Dec 2026 20:00:00 +0000", "I am out today, back tomorrow."))
    assert verdict.return_date == date(2026, 12, 8)


def test_a_stamp_with_the_writers_offset_counts_from_their_own_day() -> None:
    verdict = classify(_auto("Mon, 07 Dec 2026 22:00:00 +0100", "I am out today, back tomorrow."))
    assert verdict.return_date == date(2026, 12, 8)


def test_fold_reads_decomposed_letters_as_composed_ones() -> None:
    assert autoreply.fold(unicodedata.normalize("NFD", "Đang nghỉ phép")) == "dang nghi phep"


@pytest.mark.parametrize(
    ("text", "back"),
    [
        # auto-reply set 7: English weekdays cut short, read as whole words only
        ("Away now, returning Thurs. to my desk.", date(2027, 3, 11)),
        ("On a course until Fri, slow replies until then.", date(2027, 3, 12)),
        ("Back in the office next Weds.", date(2027, 3, 17)),
        ("I will be back after the wedding of my sister.", None),
        ("Việc gấp xin chuyển đến anh Tuệ, phòng Tổ chức.", None),  # folded "tue" is a name, not Tuesday
    ],
)
def test_english_weekdays_cut_short(text: str, back: date | None) -> None:
    assert autoreply.return_date(text, WED) == back


@pytest.mark.parametrize(
    ("text", "back"),
    [
        # auto-reply set 7: a span from one day to another, its month named at its end: back on its last day, or
        # the day after where it is "through" it or "inclusive"
        ("Annual leave from 22 to 26 March; mail is not read meanwhile.", date(2027, 3, 26)),
        ("I am travelling from 22 March until 29 March inclusive.", date(2027, 3, 30)),
        ("Out from Mar 22 through Mar 24, 2027.", date(2027, 3, 25)),
    ],
)
def test_an_english_span_of_days(text: str, back: date) -> None:
    assert autoreply.return_date(text, WED) == back


@pytest.mark.parametrize(
    "body",
    [
        # auto-reply set 7: a person who answered the survey, or a unit asking for more time, mentions an absence
        "I am on leave from next Monday, so I have completed the questionnaire now. Please contact me if anything is"
        " missing.",
        "Đơn vị xin được gia hạn nộp phiếu khảo sát do cán bộ đầu mối đang đi công tác đến ngày 15/12.",
    ],
)
def test_an_answer_or_a_request_for_time_is_a_persons(body: str) -> None:
    assert not autoreply.body_says_auto(body)
