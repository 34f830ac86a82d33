"""Inbound messages the watcher cannot tie to anyone (no token of ours, a sender or recipient that is
nobody's address), in the encodings real mail uses, for the console's and `inbound assign`'s tests."""

from __future__ import annotations

import base64
import quopri
from datetime import datetime
from email.header import Header

from maildaemon.store import Store
from tests.support.mails import postfix_dsn

HTML_TEXT = "Tôi vắng mặt tại cơ quan đến hết ngày 30/11/2026."
REPLY_SUBJECT = "Re: Khảo sát Chỉ số CCHC năm 2026"
REPLY_TEXT = "Tôi đã nhận thư mời, xin gửi lại phiếu khảo sát trong tuần này. Trân trọng, Phòng Tổng hợp"


def bounce_of_nobody() -> bytes:
    """A Postfix DSN about an address no respondent has, sent to our plain bounce address."""
    return postfix_dsn("0", "cu.snv@old.khanhhoa.test").replace(b"bounces+0@", b"bounces@")


def html_autoreply() -> bytes:
    """An HTML-only automatic reply, quoted-printable UTF-8, RFC 2047 subject, from an unknown address."""
    html = f"<html><head><style>p{{color:red}}</style></head><body><p>{HTML_TEXT}</p><p>Trân trọng.</p></body></html>"
    qp = quopri.encodestring(html.encode()).decode("ascii").replace("\n", "\r\n")
    return (
        "From: =?utf-8?b?UGjDsm5nIEjDoG5oIGNow61uaA==?= <hanhchinh@other.khanhhoa.test>\r\n"
        "To: khaosat@survey.test\r\nSubject: =?utf-8?q?Tr=E1=BA=A3_l=E1=BB=9Di_t=E1=BB=B1_=C4=91=E1=BB=99ng?=\r\n"
        "Auto-Submitted: auto-replied\r\nDate: Mon, 23 Nov 2026 10:05:00 +0700\r\n"
        "Message-ID: <ar.loose@other.khanhhoa.test>\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"
        + qp + "\r\n"
    ).encode("ascii")  # fmt: skip


def reply_of_nobody() -> bytes:
    """A person's reply from an address that is nobody's in the roster, base64 UTF-8."""
    body = base64.b64encode(REPLY_TEXT.encode()).decode()
    return (
        "From: =?utf-8?b?UGjDsm5nIFThu5VuZyBo4bujcA==?= <tonghop@other.khanhhoa.test>\r\n"
        f"To: khaosat@survey.test\r\nSubject: {Header(REPLY_SUBJECT, 'utf-8').encode()}\r\n"
        "Date: Mon, 23 Nov 2026 11:00:00 +0700\r\nMessage-ID: <re.loose@other.khanhhoa.test>\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        f"{body}\r\n"
    ).encode("ascii")  # fmt: skip


async def record_loose(store: Store, now: datetime) -> dict[str, int]:
    """The three messages recorded as the watcher would (all left unattributed): name -> inbound id."""
    mails = {"bounce": bounce_of_nobody(), "autoreply": html_autoreply(), "reply": reply_of_nobody()}
    results = await store.record_inbound_many(list(enumerate(mails.values(), 1)), folder="INBOX", uidvalidity=1,
                                              now=now)  # fmt: skip
    out = {}
    for name, r in zip(mails, results, strict=True):
        assert r.outcome == "unattributed" and r.kind == name and r.inbound_id is not None, (name, r)
        out[name] = r.inbound_id
    return out
