"""A received message as an operator reads it: headers decoded (RFC 2047), the text part with its
transfer encoding and charset undone, or the HTML part turned into text when there is no text part.

Pure: raw bytes in, a ``Readable`` out. The stored raw message stays what ``--raw`` prints.
"""

from __future__ import annotations

import email
import email.policy
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.message import EmailMessage, Message
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser
from typing import cast

from maildaemon.inbound.classify.mime import decode_bytes


@dataclass(frozen=True, slots=True)
class Readable:
    from_: str
    to: str
    subject: str
    date: datetime | None  # as the sender stated it (aware), None when missing or unreadable
    text: str
    attachments: tuple[str, ...] = field(default=())  # file names (or types) of what is not shown


def readable(raw: bytes) -> Readable:
    """Decode ``raw`` for reading; never raises on a malformed message (shows what it can)."""
    msg = cast(EmailMessage, email.message_from_bytes(raw, policy=email.policy.default))
    return Readable(
        from_=_addresses(msg, "from"),
        to=_addresses(msg, "to"),
        subject=_header(msg, "subject"),
        date=_date(msg),
        text=_body(msg),
        attachments=tuple(_attachments(msg)),
    )


def _header(msg: Message, name: str) -> str:
    try:
        value = msg.get(name)
    except (ValueError, IndexError, TypeError):  # a header the parser cannot make sense of
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _addresses(msg: Message, name: str) -> str:
    text = _header(msg, name)
    try:
        pairs = getaddresses([text])
    except (ValueError, IndexError, TypeError):
        return text
    shown = [f"{n} <{a}>" if n else a for n, a in pairs if a or n]
    return ", ".join(shown) if shown else text


def _date(msg: Message) -> datetime | None:
    text = _header(msg, "date")
    if not text:
        return None
    try:
        when = parsedate_to_datetime(text)
    except (ValueError, TypeError, IndexError):
        return None
    return when if when.tzinfo is not None else None


def _content(part: Message) -> str:
    """A text part's content, charset honoured; an unknown or wrong charset falls back to guessing."""
    try:
        content = part.get_content()  # type: ignore[attr-defined]
    except (LookupError, UnicodeError, ValueError, AssertionError, KeyError):
        payload = part.get_payload(decode=True)
        return decode_bytes(payload if isinstance(payload, bytes) else b"", part.get_content_charset())
    if isinstance(content, bytes):
        return decode_bytes(content, part.get_content_charset())
    return str(content)


def _body(msg: EmailMessage) -> str:
    plain = html = None
    for part in msg.walk():
        if part.is_multipart() or part.get_content_disposition() == "attachment":
            continue
        ctype = part.get_content_type()
        if ctype == "text/plain" and plain is None:
            plain = part
        elif ctype == "text/html" and html is None:
            html = part
    if plain is not None:
        return _tidy(_content(plain))
    if html is not None:
        return _tidy(html_to_text(_content(html)))
    return ""


def _attachments(msg: EmailMessage) -> list[str]:
    out = []
    for part in msg.walk():
        if part.is_multipart():
            continue
        if part.get_content_disposition() == "attachment" or part.get_content_maintype() not in ("text",):
            out.append(part.get_filename() or part.get_content_type())
    return out


def _tidy(text: str) -> str:
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip("\n")


_BLOCK = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol"})
_LINE = frozenset({"br", "li", "tr"})
_HIDDEN = frozenset({"script", "style", "head", "title"})


class _Text(HTMLParser):
    """Paragraph-like elements become blank-line separated, line-like ones (br, li, tr) new lines."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.skip += 1
        elif tag in _BLOCK:
            self.out.append("\n\n")
        elif tag in _LINE:
            self.out.append("\n- " if tag == "li" else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.skip = max(0, self.skip - 1)
        elif tag in _BLOCK:
            self.out.append("\n\n")

    def handle_data(self, data: str) -> None:
        if not self.skip:
            self.out.append(re.sub(r"\s+", " ", data))


def html_to_text(html: str) -> str:
    """The readable text of an HTML mail body: blocks on their own lines, scripts and styles dropped."""
    parser = _Text()
    parser.feed(html)
    parser.close()
    lines = (line.strip() for line in "".join(parser.out).split("\n"))
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()
