"""The concept lexicon (maildaemon/core/replies/lexicon.py): reasons read from concepts that occur together in a
sentence of a localised text, worded unlike any documented set's rows, and never over other evidence."""

from __future__ import annotations

import pytest

from maildaemon.core.replies.decide import decide_text
from maildaemon.core.replies.lexicon import concept_reason, fold, wanted


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Hòm thư của bạn nhận đã đầy, xin thử lại sau", "mailboxfull"),
        ("hom thu cua ban nhan da day roi", "mailboxfull"),
        ("Người dùng này không tồn tại trên hệ thống", "userunknown"),
        ("nguoi dung nay khong ton tai tren he thong", "userunknown"),
        ("Tên miền đích không xác định", "hostunknown"),
        ("Tài khoản đã bị đình chỉ", "suspend"),
        ("Kết nối đến máy đích thất bại", "networkerror"),
        ("收件人的邮箱空间不足", "mailboxfull"),
        ("該用戶不存在", "userunknown"),
        ("このアカウントは停止されています", "suspend"),
        ("첨부 파일 크기가 제한을 초과했습니다", "mesgtoobig"),
        ("กล่องจดหมายของผู้รับเต็มแล้ว", "mailboxfull"),
        ("Akun penerima telah dinonaktifkan", "suspend"),
        ("Почтовый ящик адресата переполнен", "mailboxfull"),
        ("Das Konto des Empfängers wurde deaktiviert", "suspend"),
        ("Le domaine de destination est introuvable", "hostunknown"),
        ("El buzón de destino está lleno", "mailboxfull"),
        ("A caixa de correio do destinatário está cheia", "mailboxfull"),
        ("Il messaggio contiene un virus", "virusdetected"),
        ("Skrzynka odbiorcy jest pełna", "mailboxfull"),
        ("Alıcının posta kutusu dolu", "mailboxfull"),
        ("Schránka příjemce je plná", "mailboxfull"),
        ("صندوق البريد ممتلئ", "mailboxfull"),
        ("Ihre IP wurde wegen Spam gesperrt", "blocked"),
        ("Ошибка аутентификации: неверный пароль", "securityerror"),
        ("La connexion a expiré (délai dépassé)", "expired"),
        ("Demasiados destinatarios en un solo mensaje", "toomanyconn"),
        # set 21's tuning, worded otherwise: a rate is how often, the sender refused, Italian's mailbox,
        # Japanese's "mail size"
        ("对方服务器限制了接收频率", "speeding"),
        ("Thư bị từ chối vì người gửi nằm ngoài danh sách cho phép", "rejected"),
        ("La cassetta postale è piena", "mailboxfull"),
        ("メール容量が上限を超えています", "mesgtoobig"),
    ],
)
def test_concepts_together_name_the_reason(text: str, reason: str) -> None:
    assert concept_reason(text.lower()) == reason


def test_an_ip_called_a_source_of_spam_in_vietnamese_is_a_block() -> None:
    assert decide_text("", "Máy chủ từ chối: IP 192.0.2.7 bị xem là nguồn thư rác") == "blocked"
    assert decide_text("", "May chu tu choi: IP 192.0.2.7 bi xem la nguon thu rac") == "blocked"


def test_one_concept_alone_names_nothing() -> None:
    assert concept_reason("hộp thư của người nhận") == ""
    assert concept_reason("das postfach") == ""


def test_english_and_ascii_mail_is_not_read() -> None:
    assert not wanted("550 mailbox full, quota exceeded")
    assert concept_reason("the mailbox is voll of spam") == ""
    assert wanted("hop thu da day")


def test_folding_keeps_other_scripts_whole() -> None:
    assert fold("hộp thư đã đầy") == "hop thu da day"
    assert fold("überschritten") == "uberschritten"
    assert fold("ブロック") == "ブロック"


def test_the_lexicon_ranks_below_a_status_detail_and_a_family() -> None:
    # a status that names the reason stands; the concepts only decide where nothing else would
    assert decide_text("5.1.1", "Schránka příjemce je plná") == "userunknown"
    assert decide_text("5.0.0", "552 Hộp thư đã đầy", reply_code="552") == "mailboxfull"
    assert decide_text("", "Schránka příjemce je plná") == "mailboxfull"
    assert decide_text("5.6.0", "Schránka příjemce je plná", diagnostic_type="smtp") == "contenterror"
