"""A number inside a notice's sentence is a count, not an SMTP reply code: a limit of "250 messages a day" read as
the reply "250" made a refusal look delivered (documented set 29's Vietnamese sending limit, its DSN wrapping read
right and its plain notice as delivered). Pure functions."""

from __future__ import annotations

import pytest

from maildaemon.core.replies import find_reply_code
from maildaemon.inbound.classify import classify


@pytest.mark.parametrize(
    ("text", "code"),
    [
        # counts in running words: a word before, the thing counted after
        ("Tài khoản bị giới hạn ở mức 200 thư mỗi giờ.", ""),
        ("each account may send 250 messages per day", ""),
        ("we allow 450 recipients per message", ""),
        # replies where notices quote them
        ("host mx.example.vn said: 550 5.1.1 user unknown", "550"),
        ("SMTP error 550 mailbox unavailable", "550"),
        ("lỗi 552 hộp thư đầy", "552"),
        ("RCPT 550 no such user", "550"),
        ("DATA closing 552 Message too big", "552"),
        ("lan@so.example.vn 554 delivery error: no such account", "554"),
        ("450-4.2.1 the user is receiving mail too fast", "450"),
        ("limit 250 2.0.0 accepted", "250"),
    ],
)
def test_a_reply_code_is_where_a_reply_stands(text: str, code: str) -> None:
    assert find_reply_code(text) == code


def test_a_count_in_a_refusal_does_not_read_as_delivered() -> None:
    raw = (
        "From: MAILER-DAEMON@mx.example.vn\nTo: khaosat@example.vn\nSubject: Undelivered Mail Returned to Sender\n"
        "Date: Mon, 07 Dec 2026 09:00:00 +0700\nContent-Type: text/plain; charset=utf-8\n\n"
        "Thư của bạn không gửi được tới những người nhận sau:\n\n  lan@so.example.vn\n"
        "    Để chống thư rác, mỗi hộp thư chỉ được gửi tối đa 250 thư/ngày; thư của bạn đã bị từ chối.\n"
    ).encode()
    verdict = classify(raw)
    assert verdict.kind == "bounce"
    assert [v.reason for v in verdict.verdicts if v.reason == "delivered"] == []
