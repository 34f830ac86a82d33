"""Set 5's rules (tests/corpus/autoreplies/autoreplies-5.csv), each in words other than the set's: leave for
medical treatment, a delegation abroad, German business travel and leave in Korean, Thai, Indonesian and Russian;
"automatic" in those languages and Chinese or Japanese; a mailbox moved, closed or given up; a receipt "ghi nhận";
return dates relative to the mail ("thứ Sáu tuần sau", "ngày kia"), with a time of day, a range with a dash, a
day back said after an "until", and Chinese, Japanese, Korean, Thai, Indonesian, Russian, French and Spanish
dates. People's own replies in those languages stay replies."""

from __future__ import annotations

from datetime import date

import pytest

from maildaemon.inbound.classify import autoreply

SENT = date(2026, 12, 7)  # a Monday


@pytest.mark.parametrize(
    "body",
    [
        "Chị đang điều trị tại bệnh viện tỉnh, việc gấp xin gọi anh Dũng.",
        "Em trong thời gian nghỉ dưỡng sức, có việc gấp anh chị liên hệ phòng Hành chính.",
        "Toi dang nghi sinh, moi viec xin lien he chi Ha.",
        "Lãnh đạo phòng tham gia đoàn tham quan học tập tại Singapore, thư sẽ được xem khi tôi về nước.",
        "Ich bin auf Geschäftsreise; in dringenden Fällen wenden Sie sich an das Sekretariat.",
        "현재 출장 중이라 메일 확인이 늦어질 수 있습니다. 급한 용무는 사무실로 연락 주세요.",
        "ผมลาป่วยจนถึงวันศุกร์ หากมีเรื่องด่วนโปรดติดต่อฝ่ายบุคคล",
        "Kami sedang cuti bersama hingga 2 Januari. Untuk keperluan mendesak hubungi resepsionis.",
        "Сейчас я на больничном, по срочным вопросам свяжитесь с секретарём.",
        "此为自动回复：本人休年假，急事请致电办公室。",
        "Ini adalah pesan otomatis. Terima kasih.",
        "Это письмо сформировано автоматически, отвечать на него не нужно.",
    ],
)
def test_absence_and_automatic_words_of_more_languages_say_automatic(body: str) -> None:
    assert autoreply.body_says_auto(body)


@pytest.mark.parametrize(
    "body",
    [
        "Я сейчас в командировке до 18.12, но высылаю заполненную анкету.",
        "Saya sedang cuti sampai 18/12, tapi berikut data yang diminta: 40 pegawai.",
        "다음 주 12월 14일까지 출장이라 미리 답변을 보내드립니다. 직원 수는 15명입니다.",
        "12月14日まで休暇のため、回答を添付にてお送りします。",
        "메일 잘 받았습니다. 설문 답변은 내일 드리겠습니다.",
        "您的邮件已收到，问卷我们下周填写。",
        "Thứ Hai tuần sau em đi công tác, em gửi trước phiếu cho anh.",
        "Я на больничном до 21 декабря, опросный лист вышлю после выхода.",
        "Kami sedang cuti hingga 21 Desember, nanti kami isi formulirnya.",
        "出張中のため12月18日まで不在ですが、アンケートは週明けにお送りします。",
    ],
)
def test_people_answering_in_those_languages_are_no_autoreply(body: str) -> None:
    assert not autoreply.body_says_auto(body)


@pytest.mark.parametrize(
    "body",
    [
        "Этот почтовый ящик больше не используется.",
        "本邮箱已停用，请发送至新地址。",
        "Alamat email ini tidak lagi digunakan.",
        "이 메일 주소는 더 이상 사용하지 않습니다.",
        "旧メールアドレスは利用されておりません。",
        "Hộp thư này đã bị khóa vĩnh viễn, xin gửi về hộp thư mới.",
        "Dia chi email nay da duoc chuyen sang he thong thu cong vu.",
        "This mailbox has been deactivated.",
        "Hộp thư này không còn người sử dụng.",
    ],
)
def test_a_mailbox_moved_closed_or_given_up_stands_alone(body: str) -> None:
    assert autoreply.says_gone_alone(body)


@pytest.mark.parametrize(
    "body", ["Địa chỉ trụ sở đã chuyển sang số 5 Lê Lợi.", "Our office address has moved to 5 Main Street."]
)
def test_an_office_moving_house_is_no_mailbox_given_up(body: str) -> None:
    assert not autoreply.says_gone_alone(body) and not autoreply.says_gone(body)


def test_a_mailbox_closed_stands_alone_only_as_this_mailbox() -> None:
    assert autoreply.says_gone("Trả lời tự động: hộp thư cũ đã bị khóa, xin gửi về hộp thư mới.")
    assert not autoreply.says_gone_alone(
        "Hộp thư cũ của phòng hay bị khóa, anh gửi vào địa chỉ này giúp em nhé."
    )


def test_receipts_in_more_words_and_languages() -> None:
    for receipt in (
        "Tổng đài hệ thống đã ghi nhận thư của anh chị.",
        "Bo phan mot cua da ghi nhan yeu cau cua ong/ba.",
    ):
        assert autoreply.body_says_auto(receipt) and autoreply.acknowledges(receipt)
    chinese = "您的来信已收到。本邮件由系统自动发送，请勿直接回复。"
    assert autoreply.body_says_auto(chinese) and autoreply.acknowledges(chinese)
    assert not autoreply.says_away("问卷", chinese)
    korean = "문의가 접수되었습니다. 본 메일은 자동 발송되었습니다."
    assert autoreply.body_says_auto(korean) and autoreply.acknowledges(korean)


def test_outlooks_korean_thai_indonesian_and_russian_subjects_say_automatic() -> None:
    for subject in (
        "자동 회신: 설문",
        "ตอบกลับอัตโนมัติ: แบบสอบถาม",
        "Balasan Otomatis: Survei",
        "Автоматический ответ: Опрос",
    ):
        assert autoreply.subject_says_auto(subject), subject
    assert not autoreply.subject_says_auto("답장: 설문")


DATES = {
    "Tôi nghỉ phép đến thứ Sáu tuần sau.": date(2026, 12, 18),
    "Toi se tro lai vao thu Tu tuan toi.": date(2026, 12, 16),
    "Ngày kia tôi mới về cơ quan.": date(2026, 12, 9),
    "Văn phòng nghỉ đến hết Chủ nhật này.": date(2026, 12, 14),
    "Hệ thống tạm dừng đến 8 giờ sáng ngày 10/12/2026.": date(2026, 12, 10),
    "Tôi dự hội thảo ở Huế từ 14/12 - 18/12/2026.": date(2026, 12, 18),
    "Em về quê, 21/12 em mới về ạ.": date(2026, 12, 21),
    "Tôi nghỉ tới hết 18/12. Từ ngày 21/12 tôi đi làm lại.": date(2026, 12, 21),
    "Bis 17.12. bin ich im Urlaub, ab dem 21.12. bin ich wieder für Sie da.": date(2026, 12, 21),
    "Je serai de retour au bureau le 4 janvier.": date(2027, 1, 4),
    "Regreso el 15/12/2026.": date(2026, 12, 15),
    "Saya cuti sampai dengan tanggal 18 Desember 2026.": date(2026, 12, 18),
    "Saya akan kembali bekerja pada 21 Desember.": date(2026, 12, 21),
    "Я буду в отпуске по 18 декабря.": date(2026, 12, 19),
    "Вернусь 21 декабря.": date(2026, 12, 21),
    "Нахожусь в командировке до 17.12.2026.": date(2026, 12, 17),
    "我在休假，12月18日之前回复会有延迟。": date(2026, 12, 18),
    "1月5日(火)より順次対応いたします。": date(2027, 1, 5),
    "1/4に出社します。": date(2027, 1, 4),
    "12월 18일까지 휴가입니다.": date(2026, 12, 18),
    "2027년 1월 4일부터 출근합니다.": date(2027, 1, 4),
    "ดิฉันจะกลับมาทำงานวันที่ 4 ม.ค. 2570": date(2027, 1, 4),
    "産休中です。2027年3月1日に復帰いたします。": date(2027, 3, 1),
}


def test_more_date_forms_give_the_day_back() -> None:
    found = {text: autoreply.return_date(text, SENT) for text in DATES}
    assert found == DATES


def test_a_phone_number_after_a_russian_preposition_is_no_date() -> None:
    assert autoreply.return_date("По срочным вопросам звоните по 8-800-555-35-35.", SENT) is None
