"""A message a person wrote is a reply without our token or In-Reply-To; any sign of a machine (list,
bulk, autoresponder, mail system, bounce words, report parts) keeps it from being one; and the Vietnamese
and English vacation words need an absence, not a promise to answer."""

from __future__ import annotations

import unicodedata

import pytest

from maildaemon.cli import demo, demodata
from maildaemon.inbound.classify import classify

TOKEN = "abcdefghijklmnopqrstuvwxyz"

LETTER = (
    "Kính gửi Sở Nội vụ,\n\nTôi chưa nhận được thư mời khảo sát. Địa chỉ đúng của tôi là "
    "lan.moi@sonv.example.vn.\n\nTrân trọng,\nNguyễn Thị Lan\n"
)


def mail(body: str = LETTER, subject: str = "Chưa nhận được thư mời khảo sát", extra: str = "",
         sender: str = "Nguyễn Thị Lan <lan.nguyen@gmail.example>") -> bytes:  # fmt: skip
    head = (
        f"Return-Path: <lan.nguyen@gmail.example>\nFrom: {sender}\nTo: bounces@survey.test\n"
        f"Subject: {subject}\nDate: Sun, 06 Dec 2026 09:00:00 +0700\nMessage-ID: <p1@gmail.example>\n"
        f"MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n{extra}"
    )
    return unicodedata.normalize("NFC", head + "\n" + body).encode("utf-8")


def _demo_person() -> demodata.Person:
    return demodata.people(40)[7]


def test_the_demos_hand_written_mail_is_a_reply_from_its_personal_address() -> None:
    """The bytes `make demo` sends from a personal mailbox to the bounce mailbox, as Postfix hands them on."""
    person = _demo_person()
    personal = demodata.personal_address(person)
    delivered = (
        f"Return-Path: <{personal}>\r\nDelivered-To: bounces@survey.test\r\n"
        "Received: from [127.0.0.1] (localhost [127.0.0.1])\r\n\tby mail.survey.test (Postfix) with ESMTP id 4F1C;"
        " Sun,  6 Dec 2026 09:00:00 +0700 (+07)\r\n"
    ).encode() + demo._personal_mail(person, personal)
    for raw in (demo._personal_mail(person, personal), delivered):
        verdict = classify(raw)
        assert verdict.kind == "reply"
        assert verdict.from_addr == personal  # what ties it, if anything does: its From
        assert verdict.tokens == ()
        assert verdict.verdicts == ()
        assert verdict.subject == "Chưa nhận được thư mời khảo sát"


def test_a_hand_written_mail_carries_our_token_when_it_names_one() -> None:
    raw = mail(extra=f"Cc: reply+{TOKEN}@survey.test\n", subject="Phiếu khảo sát")
    verdict = classify(raw)
    assert (verdict.kind, verdict.tokens) == ("reply", (TOKEN,))


def test_a_signature_disclaimer_is_no_bounce_wording() -> None:
    body = LETTER + "\nIf you are not the intended recipient, please delete this message.\n"
    assert classify(mail(body)).kind == "reply"


@pytest.mark.parametrize(
    ("extra", "sender", "subject", "body", "kind"),
    [
        ("Auto-Submitted: auto-generated\n", None, None, None, "autoreply"),
        ("X-Autoreply: yes\n", None, None, None, "autoreply"),
        ("Precedence: bulk\n", None, None, None, "unknown"),
        ("Precedence: junk\n", None, None, None, "unknown"),
        ("Precedence: list\n", None, None, None, "unknown"),
        ("List-Id: <tin-tuc.sonv.example.vn>\n", None, None, None, "unknown"),
        ("List-Unsubscribe: <mailto:leave@lists.example>\n", None, None, None, "unknown"),
        ("X-Auto-Response-Suppress: All\n", None, None, None, "unknown"),
        ("", "MAILER-DAEMON@mx.example.vn", "Thông báo", None, "unknown"),
        ("", "Mail Delivery System <postmaster@mx.example.vn>", "Thông báo", None, "unknown"),
        ("", "Hệ thống <noreply@dichvucong.example.vn>", None, None, "unknown"),
        ("", "Cổng thông tin <thong-bao.no-reply@portal.example.vn>", None, None, "unknown"),
        ("", "root@server.example.vn", None, None, "unknown"),
        ("", "bounces-123@lists.example.org", None, None, "unknown"),
        ("", None, "Trả lời tự động: Khảo sát", None, "autoreply"),
        ("", None, "Out of office", None, "autoreply"),
        ("", None, None, "Tôi đang nghỉ phép đến hết ngày 10/12/2026.\n", "autoreply"),
        ("", None, None, "I am out of the office until December 10.\n", "autoreply"),
        # a notice's words naming the failed address, in a new mail: a bounce pasted in (issue 15)
        ("", None, None, "Thư gửi tới lan@x.vn không gửi được: hộp thư không tồn tại.\n", "bounce"),
        ("", None, "Undelivered Mail Returned to Sender", None, "unknown"),
        ("", None, None, "   \n", "unknown"),
    ],
)
def test_any_sign_of_a_machine_keeps_it_from_being_a_reply(
    extra: str, sender: str | None, subject: str | None, body: str | None, kind: str
) -> None:
    raw = mail(body if body is not None else LETTER, subject if subject is not None else "Phiếu khảo sát", extra,
               sender if sender is not None else "Nguyễn Thị Lan <lan.nguyen@gmail.example>")  # fmt: skip
    assert classify(raw).kind == kind


def test_the_null_sender_is_a_mail_system() -> None:
    raw = mail().replace(b"Return-Path: <lan.nguyen@gmail.example>", b"Return-Path: <>")
    assert classify(raw).kind == "unknown"


def test_a_message_carrying_a_report_or_a_whole_message_is_no_reply() -> None:
    raw = (
        "From: lan.nguyen@gmail.example\nTo: bounces@survey.test\nSubject: Fwd: thư của tôi\nMIME-Version: 1.0\n"
        'Content-Type: multipart/mixed; boundary="b"\n\n--b\nContent-Type: text/plain; charset=utf-8\n\n'
        "Anh xem giúp thư dưới đây.\n--b\nContent-Type: message/rfc822\n\nFrom: x@y.vn\nSubject: a\n\nb\n--b--\n"
    ).encode()
    assert classify(raw).kind == "unknown"


# "sẽ trả lời" is a promise to answer, not an absence: with no In-Reply-To these were auto-replies.
PROMISES = [
    "Tôi đã nhận được thư mời và sẽ trả lời phiếu khảo sát trong tuần này.",
    "Đơn vị sẽ phản hồi Sở trước ngày 15/12.",
    "Thanks, I will return the completed form by Friday.",
]
ABSENCES = [
    "Tôi đang vắng mặt, sẽ trở lại vào ngày 10/12.",
    "Tôi nghỉ phép đến hết ngày 9/12/2026.",
    "Tôi đang đi công tác đến ngày 10/12.",
    "Tôi sẽ trả lời khi trở lại cơ quan ngày 10/12.",
    "Tôi sẽ phản hồi ngay khi tôi quay lại văn phòng.",
    "Hiện tôi không có mặt tại cơ quan.",
    "I will return on 12/10/2026 and will answer then.",
    "I will reply to your message upon my return.",
    "I will return November 30.",
    "I will return Monday.",
]


@pytest.mark.parametrize(
    ("sentence", "kind", "reason"),
    [(s, "reply", "") for s in PROMISES] + [(s, "autoreply", "vacation") for s in ABSENCES],
)
def test_a_promise_to_answer_is_a_reply_and_an_absence_an_auto_reply(
    sentence: str, kind: str, reason: str
) -> None:
    raw = mail(f"Kính gửi Sở Nội vụ,\n\n{sentence}\n\nTrân trọng,\nLan\n", subject="Khảo sát CCHC")
    verdict = classify(raw)
    assert (verdict.kind, verdict.reason) == (kind, reason)


@pytest.mark.parametrize(
    ("subject", "body"),
    [
        (
            "Re: Thư mời khảo sát",
            "I am protecting myself from receiving junk mail. To get your message through, please verify\n"
            "that you are a human by clicking the link below. You only have to do this once.\n"
            "https://verify.example.net/c/1234\n",
        ),
        (
            "Message held: please confirm",
            "Your message to lan@sonv.example.vn is waiting: the recipient uses challenge/response\n"
            "filtering. Open https://cr.example.net/x to confirm that you sent it.\n",
        ),
        (
            "Automatic notice",
            "Click here to have your address added to the recipient's approved\nsenders and your message will "
            "be delivered.\n",
        ),
    ],
)
def test_a_challenge_response_request_is_held_mail_not_a_reply(subject: str, body: str) -> None:
    """A challenge-response filter answers from the recipient's address, often with "Re:", and asks the sender
    to prove itself: an automatic reply (as the second corpus labels them) whose reason says the invitation is
    held until someone confirms (no retry delivers it), not the person's reply and no absence. Worded unlike
    the corpus's notices."""
    verdict = classify(mail(body=body, subject=subject, sender="lan@sonv.example.vn"))
    assert verdict.kind == "autoreply" and verdict.return_date is None
    assert [(v.recipient, v.reason, v.hard) for v in verdict.verdicts] == [
        ("lan@sonv.example.vn", "challenge", False)
    ]


def test_a_person_asking_us_to_confirm_is_still_a_reply() -> None:
    """Confirmation words in a person's own letter are no challenge."""
    letter = "Kính gửi Sở Nội vụ,\n\nXin xác nhận giúp tôi đã nộp phiếu chưa? Please confirm my answer was saved.\n\nLan\n"
    assert classify(mail(body=letter, subject="Re: Thư mời khảo sát")).kind == "reply"
