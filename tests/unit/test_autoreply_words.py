"""The out-of-office word families and date forms, each in its accented and unaccented Vietnamese form, and
the person-answering veto: pure functions of autoreply.py."""

from __future__ import annotations

from datetime import date

import pytest

from maildaemon.inbound.classify import autoreply

SENT = date(2026, 12, 7)


def test_fold_removes_vietnamese_diacritics_and_keeps_ascii() -> None:
    assert autoreply.fold("Đang đi công tác đến hết ngày") == "dang di cong tac den het ngay"
    assert autoreply.fold("Out Of Office") == "out of office"


@pytest.mark.parametrize(
    "body",
    [
        "Tôi nghỉ lễ đến ngày 04/01/2027.",
        "Toi nghi le den ngay 04/01/2027.",
        "Thư này được gửi tự động.",
        "Thu nay duoc gui tu dong.",
        "I'm on vacation and will reply when I'm back.",
        "Tôi tham gia đoàn công tác của tỉnh, thư sẽ được trả lời chậm.",
        "Toi tham gia doan cong tac cua tinh, thu se duoc tra loi cham.",
        "Je suis en congés, pour toute urgence contactez l'accueil.",
        "Estamos de vacaciones hasta el 4 de enero.",
        "Wir sind im Urlaub, in dringenden Fällen rufen Sie bitte an.",
        "Tôi dự hội nghị tại Hà Nội từ 14/12 đến 16/12/2026.",
        "Toi di hop tai Bo, viec gap xin lien he van thu.",
        "Anh Nam đang nghỉ ốm, trong thời gian này xin liên hệ phòng Tổng hợp.",
        "Hien toi dang o nuoc ngoai, thu se duoc tra loi cham.",
        "Văn phòng tạm nghỉ đến hết 13/12/2026.",
        "我正在出差,12月21日回到办公室。",
        "年末年始休暇のため不在にしております。1月5日より出社いたします。",
    ],
)
def test_an_absence_in_either_form_says_automatic(body: str) -> None:
    assert autoreply.body_says_auto(body)


@pytest.mark.parametrize(
    "body",
    [
        "Em đi công tác về rồi, gửi chị số liệu.",
        "Em di cong tac ve roi, gui chi so lieu.",
        "Tôi đang nghỉ phép nhưng vẫn gửi lại phiếu.",
        "Sorry for the late reply, I was on vacation.",
        "I'm on leave until the 3rd but wanted to send you our figures: 12 staff.",
        "Em đã nhận được thư của anh, xin gửi số liệu.",
        "Ich bin ab dem 23.12. im Urlaub, deshalb sende ich Ihnen die Zahlen heute.",
        "Em đang họp, lát nữa em gửi số liệu.",
        "先週は出張で不在にしており、返信が遅くなりました。",
        "上周我在出差,回复晚了,请联系我们的王经理。",
    ],
)
def test_a_person_answering_about_an_absence_is_no_autoreply(body: str) -> None:
    assert not autoreply.body_says_auto(body)


# Each date form as written, and the day the person is back
DATE_FORMS = {
    "Tôi vắng mặt đến thứ Hai 14/12.": date(2026, 12, 14),
    "Toi vang mat den thu Hai 14/12.": date(2026, 12, 14),
    "Tôi không có mặt từ ngày 08/12 đến ngày 11/12, sẽ trả lời khi trở lại.": date(2026, 12, 11),
    "Toi nghi phep tu 10/12 den het 15/12.": date(2026, 12, 16),
    "Tôi nghỉ thai sản đến hết tháng 1/2027.": date(2027, 2, 1),
    "I am travelling through December 18.": date(2026, 12, 19),
    "Je suis absent jusqu'au 14/12/2026 inclus.": date(2026, 12, 15),
    "Estaré fuera hasta el lunes 14 de diciembre.": date(2026, 12, 14),
    "Chị nghỉ phép, thứ Hai 21/12 chị đi làm lại.": date(2026, 12, 21),
    "Chi nghi phep, thu Hai 21/12 chi di lam lai.": date(2026, 12, 21),
    "I am away until the 14th.": date(2026, 12, 14),
    "I'll be back on Monday the 4th.": date(2027, 1, 4),
    "Tôi vắng mặt đến hết sáng thứ Tư 16/12.": date(2026, 12, 16),
    "Toi vang mat den het chieu 16/12.": date(2026, 12, 17),
    "Tôi nghỉ phép (14-18/12), thư sẽ được trả lời chậm.": date(2026, 12, 18),
    "Thư sẽ được trả lời từ ngày 15/12/2026.": date(2026, 12, 15),
    "Toi di hop ca ngay, 08/12 se tra loi anh chi.": date(2026, 12, 8),
    "Tôi nghỉ phép đến hết ngày 11/12, tôi sẽ trở lại vào thứ Hai.": date(2026, 12, 14),  # the day named
    "I am travelling through Friday, December 18, and back in the office on Monday.": date(2026, 12, 21),
    "Ich bin bis einschließlich 18.12. nicht im Büro.": date(2026, 12, 19),
    "我目前正在休假,2027年1月4日返回办公室。": date(2027, 1, 4),
    "出張のため不在です。12月15日(火)に出社予定です。": date(2026, 12, 15),
}


def test_each_date_form_gives_the_day_back() -> None:
    wrong = {text: autoreply.return_date(text, SENT) for text in DATE_FORMS}
    assert wrong == DATE_FORMS


def test_outlooks_chinese_and_japanese_automatic_reply_subjects_say_automatic() -> None:
    assert autoreply.subject_says_auto("自动答复: 问卷调查")
    assert autoreply.subject_says_auto("自動応答: アンケート")
    assert not autoreply.subject_says_auto("回复: 问卷调查")


def test_a_number_after_a_word_ending_in_ab_is_no_german_date() -> None:
    assert autoreply.return_date("The lab 3/4 is here.", SENT) is None


def test_a_receipt_is_told_from_an_absence() -> None:
    receipt = "Your request (4821) has been received and is being reviewed by our support staff."
    assert autoreply.acknowledges(receipt) and not autoreply.says_away("[Request received]", receipt)
    away = "Thank you, your message has been received. I am on annual leave until 14 December."
    assert autoreply.acknowledges(away) and autoreply.says_away("Re: survey", away)
    assert autoreply.body_says_auto("Day la thu tu dong. Cong thong tin da nhan duoc thu cua quy vi.")
    # an office addressing the public ("ông/bà"), a case number: receipts with no header to say automatic
    for receipt in (
        "Trung tâm Phục vụ hành chính công đã nhận được thư điện tử của ông/bà.",
        "Trung tam Phuc vu hanh chinh cong da nhan duoc thu dien tu cua ong/ba.",
        "Thanks! We've got your message. Your case number is 5512.",
    ):
        assert autoreply.body_says_auto(receipt) and autoreply.acknowledges(receipt)
        assert not autoreply.says_away("Survey", receipt)
    soft = "We've got it and someone from our team will reply within one business day."
    assert autoreply.acknowledges(soft) and not autoreply.body_says_auto(soft)


def test_an_address_given_up_stands_alone_in_either_form() -> None:
    assert autoreply.says_gone_alone("Dia chi thu nay khong con su dung.")
    assert autoreply.says_gone_alone("This mailbox is no longer monitored.")
    assert not autoreply.says_gone_alone("The parcel has left the warehouse.")
