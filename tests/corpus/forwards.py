"""Bounces as people pass them on: forwarded by an IT colleague (Outlook, Gmail, Thunderbird inline and as an
attachment, a Vietnamese client), quoted in a reply, forwarded as HTML only, or pasted into a new mail. Built
in memory from the project's own labelled mail (tests/corpus/realmta and tests/corpus/documented), so every
variant keeps its source's labels by construction: the inner bounce's kind, failed recipient, reason and
hard/soft, never the colleague who forwarded it nor our own sender address. ``variants`` is pure."""

from __future__ import annotations

import csv
import html
import quopri
import textwrap
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from email import message_from_bytes
from email.header import decode_header, make_header
from email.message import Message
from email.utils import parsedate_to_datetime
from pathlib import Path

from tests.corpus import test_documented

HERE = Path(__file__).parent
_COLLEAGUES = (
    ("Nguyễn Văn Hải (CNTT)", "hai.nv@sotttt.example.vn"),
    ("IT Helpdesk", "helpdesk@ubnd.example.vn"),
    ("Trần Thị Mai", "mai.tt@sogd.example.vn"),
)
OPERATOR = "khaosat@khaosat.example.vn"  # whom the colleague writes to: our survey team


@dataclass(frozen=True)
class Bounce:
    """One labelled bounce: its raw bytes and what the classifier must say of it."""

    name: str
    raw: bytes
    kind: str
    recipient: str
    reason: str  # "" where the source does not label one (a delay: what the relay will retry)
    hard: bool


@dataclass(frozen=True)
class _Shown:
    """What a mail client shows of a bounce: its header facts and its readable text."""

    sender: str
    date: str
    to: str
    subject: str
    text: str  # the human-readable part(s), LF line ends
    report: str  # the delivery-status / disposition part as text ("" if none)


def _header(message: Message, name: str) -> str:
    value = message.get(name, "")
    try:
        return str(make_header(decode_header(str(value)))).strip()
    except (ValueError, LookupError, UnicodeDecodeError):
        return str(value).strip()


def _payload_text(part: Message) -> str:
    data = part.get_payload(decode=True)
    if not isinstance(data, bytes):
        return ""
    charset = part.get_content_charset() or "utf-8"
    try:
        return data.decode(charset, "replace")
    except LookupError:
        return data.decode("utf-8", "replace")


def _shown(raw: bytes) -> _Shown:
    """The bounce as a mail client shows it: the text parts outside any returned original; the report part
    (message/delivery-status, message/disposition-notification) apart, as some clients show it inline."""
    message = message_from_bytes(raw)
    texts: list[str] = []
    reports: list[str] = []

    def visit(part: Message) -> None:
        ctype = part.get_content_type()
        if ctype in ("message/rfc822", "text/rfc822-headers", "message/global"):
            return
        if ctype in ("message/delivery-status", "message/disposition-notification"):
            payload = part.get_payload()
            if isinstance(payload, list):  # the stdlib reads the fields as header blocks
                reports.append("\n".join(str(block).strip("\n") for block in payload))
            else:
                reports.append(str(payload))
            return
        if part.is_multipart():
            for child in part.get_payload():
                visit(child)
        elif ctype == "text/plain":
            texts.append(_payload_text(part))

    visit(message)
    text = "\n\n".join(t.replace("\r\n", "\n").strip("\n") for t in texts)
    return _Shown(
        sender=_header(message, "From"),
        date=_header(message, "Date"),
        to=_header(message, "To"),
        subject=_header(message, "Subject"),
        text=text,
        report="\n\n".join(r.replace("\r\n", "\n").strip("\n") for r in reports),
    )


def _outlook_date(value: str) -> str:
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return value
    return when.strftime("%A, %B %d, %Y %I:%M %p").replace(" 0", " ")


def _vi_date(value: str) -> str:
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return value
    return f"Ngày {when.day} tháng {when.month} năm {when.year} {when:%H:%M}"


def _mail(
    colleague: tuple[str, str], subject: str, body: str, *, html_body: bool = False, extra: str = ""
) -> bytes:
    """The colleague's message around ``body``: their From, our survey team as To, one text part."""
    name, address = colleague
    if html_body:
        encoded = quopri.encodestring(body.encode("utf-8")).decode("ascii").replace("\n", "\r\n")
        content = "Content-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n"
    else:
        encoded = body.replace("\r\n", "\n").replace("\n", "\r\n")
        content = "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n"
    head = (
        f"From: {name} <{address}>\r\n"
        f"To: Phong Khao sat <{OPERATOR}>\r\n"
        f"Subject: {subject}\r\n"
        "Date: Mon, 07 Dec 2026 09:15:00 +0700\r\n"
        f"Message-ID: <fw.{zlib.crc32(body.encode('utf-8'))}@{address.partition('@')[2]}>\r\n"
        f"{extra}"
        "MIME-Version: 1.0\r\n"
        f"{content}\r\n"
    )
    return (head + encoded).encode("utf-8")


def _signature(colleague: tuple[str, str], index: int) -> str:
    """A colleague's sign-off; every other one gives their address and phone, as real signatures do."""
    name, address = colleague
    if index % 2:
        return f"\n--\n{name}\nPhòng CNTT\nĐT: 0236 3822 {index % 1000:03d}\nEmail: {address}\n"
    return f"\nThanks,\n{name.split(' (')[0]}\n"


_NOTES = (
    "Anh/chị xem giúp, thư khảo sát gửi đi bị trả lại như dưới.",
    "FYI - this bounced back, see below.",
    "Gửi phòng khảo sát: địa chỉ này bị lỗi, nhờ kiểm tra lại.",
)


def _outlook(shown: _Shown, colleague: tuple[str, str], index: int) -> bytes:
    body = (
        f"{_NOTES[index % 3]}\n{_signature(colleague, index)}\n"
        "-----Original Message-----\n"
        f"From: {shown.sender}\n"
        f"Sent: {_outlook_date(shown.date)}\n"
        f"To: {shown.to}\n"
        f"Subject: {shown.subject}\n\n"
        f"{shown.text}\n"
    )
    return _mail(colleague, f"FW: {shown.subject}", body)


def _gmail_block(shown: _Shown) -> str:
    return (
        "---------- Forwarded message ---------\n"
        f"From: {shown.sender}\n"
        f"Date: {shown.date}\n"
        f"Subject: {shown.subject}\n"
        f"To: {shown.to}\n\n\n"
        f"{shown.text}\n"
    )


def _gmail(shown: _Shown, colleague: tuple[str, str], index: int) -> bytes:
    body = f"{_NOTES[index % 3]}\n{_signature(colleague, index)}\n{_gmail_block(shown)}"
    return _mail(colleague, f"Fwd: {shown.subject}", body)


def _thunderbird_inline(shown: _Shown, colleague: tuple[str, str], index: int) -> bytes:
    # Thunderbird shows a delivery-status part inline, after the notice
    report = f"\n\n{shown.report}" if shown.report else ""
    body = (
        f"{_NOTES[index % 3]}\n\n\n"
        "-------- Forwarded Message --------\n"
        f"Subject: \t{shown.subject}\n"
        f"Date: \t{shown.date}\n"
        f"From: \t{shown.sender}\n"
        f"To: \t{shown.to}\n\n\n\n"
        f"{shown.text}{report}\n"
    )
    return _mail(colleague, f"Fwd: {shown.subject}", body)


def _thunderbird_attached(raw: bytes, shown: _Shown, colleague: tuple[str, str], index: int) -> bytes:
    """Forward as attachment: the colleague's note and the whole bounce as message/rfc822."""
    name, address = colleague
    inner = raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    note = f"{_NOTES[index % 3]}\n{_signature(colleague, index)}".replace("\n", "\r\n")
    head = (
        f"From: {name} <{address}>\r\n"
        f"To: Phong Khao sat <{OPERATOR}>\r\n"
        f"Subject: Fwd: {shown.subject}\r\n"
        "Date: Mon, 07 Dec 2026 09:15:00 +0700\r\n"
        f"Message-ID: <fwa.{index}@{address.partition('@')[2]}>\r\n"
        "MIME-Version: 1.0\r\n"
        'Content-Type: multipart/mixed; boundary="------------fwd0boundary"\r\n\r\n'
        "This is a multi-part message in MIME format.\r\n"
        "--------------fwd0boundary\r\n"
        "Content-Type: text/plain; charset=UTF-8; format=flowed\r\n"
        "Content-Transfer-Encoding: 8bit\r\n\r\n"
        f"{note}\r\n\r\n"
        "--------------fwd0boundary\r\n"
        'Content-Type: message/rfc822; name="bounce.eml"\r\n'
        'Content-Disposition: attachment; filename="bounce.eml"\r\n\r\n'
    ).encode()
    return head + inner + b"\r\n--------------fwd0boundary--\r\n"


def _quoted_reply(shown: _Shown, colleague: tuple[str, str], index: int) -> bytes:
    """The colleague answers the bounce (sent on to them) with it quoted below, every line "> "."""
    quoted = "\n".join(("> " + line).rstrip() for line in shown.text.split("\n"))
    body = (
        f"{_NOTES[index % 3]}\n{_signature(colleague, index)}\n"
        f"On {shown.date}, {shown.sender} wrote:\n{quoted}\n"
    )
    return _mail(colleague, f"Re: {shown.subject}", body)


def _html(shown: _Shown, colleague: tuple[str, str], index: int) -> bytes:
    """Gmail's HTML-only forward: lines as <br>, addresses escaped, the notice in a blockquote-like div."""

    def lines(text: str) -> str:
        return "<br>\n".join(html.escape(line, quote=False) for line in text.split("\n"))

    body = (
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"></head><body>'
        f'<div dir="ltr"><div>{html.escape(_NOTES[index % 3])}</div><br>'
        '<div class="gmail_quote"><div dir="ltr" class="gmail_attr">---------- Forwarded message ---------<br>\n'
        f'From: <strong class="gmail_sendername">{html.escape(shown.sender)}</strong><br>\n'
        f"Date: {html.escape(shown.date)}<br>\nSubject: {html.escape(shown.subject)}<br>\n"
        f"To: {html.escape(shown.to)}<br></div><br><br>\n"
        f'<blockquote class="gmail_quote" style="margin:0 0 0 .8ex;border-left:1px #ccc solid;padding-left:1ex">'
        f"{lines(shown.text)}</blockquote></div></div></body></html>\n"
    )
    return _mail(colleague, f"Fwd: {shown.subject}", body, html_body=True)


def _pasted(shown: _Shown, colleague: tuple[str, str], index: int) -> bytes:
    """The notice copied into a new mail: leading blanks lost, long lines re-wrapped at 72, CRLF."""
    out: list[str] = []
    for line in shown.text.split("\n"):
        line = line.strip()
        out.extend(textwrap.wrap(line, 72, break_long_words=False, break_on_hyphens=False) or [""])
    body = f"{_NOTES[index % 3]}\n\n" + "\n".join(out) + "\n" + _signature(colleague, index)
    return _mail(colleague, "Thư khảo sát bị trả lại" if index % 2 else "bounce", body)


def _vietnamese(shown: _Shown, colleague: tuple[str, str], index: int) -> bytes:
    """A Vietnamese client's forward: Outlook's "Thư gốc" block or a "Chuyển tiếp" block."""
    if index % 2:
        block = (
            "-----Thư gốc-----\n"
            f"Từ: {shown.sender}\n"
            f"Gửi: {_vi_date(shown.date)}\n"
            f"Đến: {shown.to}\n"
            f"Chủ đề: {shown.subject}\n\n"
        )
        subject = f"CT: {shown.subject}"
    else:
        block = (
            "---------- Thư chuyển tiếp ----------\n"
            f"Từ: {shown.sender}\n"
            f"Ngày: {_vi_date(shown.date)}\n"
            f"Chủ đề: {shown.subject}\n"
            f"Đến: {shown.to}\n\n"
        )
        subject = f"Chuyển tiếp: {shown.subject}"
    body = f"{_NOTES[index % 3]}\n{_signature(colleague, index)}\n{block}{shown.text}\n"
    return _mail(colleague, subject, body)


_INLINE: dict[str, Callable[[_Shown, tuple[str, str], int], bytes]] = {
    "outlook": _outlook,
    "gmail": _gmail,
    "thunderbird": _thunderbird_inline,
    "quoted": _quoted_reply,
    "html": _html,
    "pasted": _pasted,
    "vietnamese": _vietnamese,
}
VARIANTS = ("outlook", "gmail", "thunderbird", "attached", "quoted", "html", "pasted", "vietnamese")


def variants(bounce: Bounce, index: int) -> dict[str, bytes]:
    """Each way a person passes ``bounce`` on, as raw bytes; ``index`` varies the colleague, note and
    signature from one bounce to the next."""
    shown = _shown(bounce.raw)
    colleague = _COLLEAGUES[index % len(_COLLEAGUES)]
    out = {name: make(shown, colleague, index) for name, make in _INLINE.items()}
    out["attached"] = _thunderbird_attached(bounce.raw, shown, colleague, index)
    return {name: out[name] for name in VARIANTS}


def sources() -> Iterator[Bounce]:
    """The labelled bounces and delays: real servers' mail (not their auto-replies: a forward is of a
    failure) and each documented reply as a plain notice."""
    folder = HERE / "realmta"
    with open(folder / "manifest.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["kind"] in ("bounce", "delay"):
                yield Bounce(row["file"], (folder / row["file"]).read_bytes(), row["kind"], row["recipient"],
                             row["reason"], row["hard"] == "1")  # fmt: skip
    for name, rows in test_documented.SETS.items():
        for number, row in enumerate(rows, start=2):
            yield Bounce(f"{name}:{number}", test_documented.notice(row), "bounce", test_documented.RECIPIENT,
                         row["reason"], row["hard"] == "1")  # fmt: skip
