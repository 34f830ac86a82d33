"""A received message decoded for an operator: RFC 2047 headers, quoted-printable and base64 bodies in
their charset, HTML turned into text when there is no text part; Vietnamese intact throughout."""

from __future__ import annotations

import base64
import quopri
import unicodedata
from datetime import UTC, datetime

from maildaemon.inbound.readable import html_to_text, readable

TEXT = "Tôi đã nhận được thư mời và sẽ trả lời phiếu khảo sát trong tuần này.\nTrân trọng,\nPhạm Văn Tài"
SUBJECT = "Re: Khảo sát Chỉ số cải cách hành chính"
SUBJECT_2047 = "=?UTF-8?B?" + base64.b64encode(SUBJECT.encode()).decode() + "?="


def message(body: bytes, *, ctype: str = "text/plain; charset=utf-8", cte: str = "quoted-printable") -> bytes:
    head = (
        "From: =?UTF-8?Q?Ph=E1=BA=A1m_V=C4=83n_T=C3=A0i?= <tai.pv@snv.khanhhoa.test>\r\n"
        "To: reply+abc@survey.test\r\n"
        f"Subject: {SUBJECT_2047}\r\n"
        "Date: Mon, 23 Nov 2026 16:05:00 +0700\r\n"
        "MIME-Version: 1.0\r\n"
        f"Content-Type: {ctype}\r\nContent-Transfer-Encoding: {cte}\r\n\r\n"
    )
    return head.encode() + body


def test_quoted_printable_utf8_with_an_rfc2047_subject() -> None:
    r = readable(message(quopri.encodestring(TEXT.encode())))
    assert r.text == TEXT and r.subject == SUBJECT
    assert r.from_ == "Phạm Văn Tài <tai.pv@snv.khanhhoa.test>" and r.to == "reply+abc@survey.test"
    assert r.date == datetime(2026, 11, 23, 9, 5, tzinfo=UTC)
    assert unicodedata.is_normalized("NFC", r.text)


def test_base64_in_a_legacy_charset_is_decoded_in_that_charset() -> None:
    text = "Kính gửi Sở Nội vụ"
    body = base64.encodebytes(text.encode("utf-16"))
    assert readable(message(body, ctype="text/plain; charset=utf-16", cte="base64")).text == text


def test_html_only_mail_is_shown_as_text() -> None:
    html = ("<html><head><style>p{color:red}</style></head><body><p>Kính gửi <b>Sở Nội vụ</b>,</p>"
            "<p>Tôi sẽ trả lời&nbsp;phiếu khảo sát.</p><script>x()</script></body></html>")  # fmt: skip
    r = readable(message(quopri.encodestring(html.encode()), ctype="text/html; charset=utf-8"))
    assert r.text == "Kính gửi Sở Nội vụ,\n\nTôi sẽ trả lời phiếu khảo sát."
    assert "color" not in r.text and "x()" not in r.text


def test_the_text_part_wins_over_html_and_attachments_are_named() -> None:
    raw = (
        b"From: a@x.test\r\nSubject: hi\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/mixed; boundary="B"\r\n\r\n'
        b'--B\r\nContent-Type: multipart/alternative; boundary="A"\r\n\r\n'
        b"--A\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(TEXT.encode())
        + b"--A\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>html</p>\r\n--A--\r\n"
        b'--B\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="phieu.pdf"\r\n'
        b"Content-Transfer-Encoding: base64\r\n\r\nJVBERi0=\r\n--B--\r\n"
    )
    r = readable(raw)
    assert r.text == TEXT and r.attachments == ("phieu.pdf",)


def test_a_broken_message_shows_what_it_can() -> None:
    r = readable(
        b"Subject: =?bogus?Q?x?=\r\nDate: not a date\r\nContent-Type: text/plain; charset=nonsense\r\n\r\nok"
    )
    assert r.text == "ok" and r.date is None


def test_html_to_text_keeps_list_items_on_their_own_lines() -> None:
    assert html_to_text("<ul><li>một</li><li>hai</li></ul>") == "- một\n- hai"
