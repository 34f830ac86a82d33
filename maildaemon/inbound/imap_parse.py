"""The IMAP protocol's text, without I/O: UID sets, the answers aioimaplib hands back (SEARCH, FETCH
with its literals, LIST, CAPABILITY, UIDVALIDITY) and mailbox names in modified UTF-7."""

from __future__ import annotations

import base64
import re
from collections.abc import Iterable, Sequence
from typing import Any

_UIDVALIDITY_RE = re.compile(rb"\[UIDVALIDITY (\d+)\]", re.I)
_FETCH_RE = re.compile(rb"\d+ FETCH \(", re.I)
_UID_RE = re.compile(rb"\bUID (\d+)", re.I)
_LITERAL_RE = re.compile(rb"\{(\d+)\}$")
_LIST_DELIM_RE = re.compile(rb'\) (?:"((?:[^"\\]|\\.)*)"|NIL) ', re.I)
_CAPS_RE = re.compile(rb"\[CAPABILITY ([^\]]*)\]", re.I)
_COPYUID_RE = re.compile(rb"\[COPYUID (\d+) ([\d:,]+) ([\d:,]+)\]", re.I)


def uid_set(uids: Iterable[int]) -> str:
    """Sorted UIDs as a compact IMAP sequence set: ``1:3,7,9:10``."""
    parts: list[str] = []
    ordered = sorted(set(uids))
    i = 0
    while i < len(ordered):
        j = i
        while j + 1 < len(ordered) and ordered[j + 1] == ordered[j] + 1:
            j += 1
        parts.append(str(ordered[i]) if i == j else f"{ordered[i]}:{ordered[j]}")
        i = j + 1
    return ",".join(parts)


def expand_uid_set(text: str) -> list[int]:
    """``1:3,7`` as ``[1, 2, 3, 7]``, in the order written (RFC 4315 pairs COPYUID's two sets by position)."""
    out: list[int] = []
    for part in text.split(","):
        first, _, last = part.partition(":")
        low, high = int(first), int(last or first)
        out.extend(range(low, high + 1) if low <= high else range(low, high - 1, -1))
    return out


def parse_copyuid(lines: Sequence[Any]) -> tuple[int, dict[int, int]] | None:
    """The target's UIDVALIDITY and ``source UID -> new UID`` from a MOVE's or COPY's COPYUID answers
    (RFC 4315; a large MOVE may send several), or None when the server sent none."""
    uidvalidity: int | None = None
    mapping: dict[int, int] = {}
    for line in lines:
        if isinstance(line, bytes | bytearray):
            for match in _COPYUID_RE.finditer(line):
                uidvalidity = int(match.group(1))
                source = expand_uid_set(match.group(2).decode())
                target = expand_uid_set(match.group(3).decode())
                mapping.update(zip(source, target, strict=False))
    return None if uidvalidity is None else (uidvalidity, mapping)


def quote_string(text: str) -> str:
    """An IMAP quoted string (ASCII without line breaks; the caller checks)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def parse_uidvalidity(lines: Sequence[Any]) -> int | None:
    for line in lines:
        if isinstance(line, bytes | bytearray):
            match = _UIDVALIDITY_RE.search(line)
            if match:
                return int(match.group(1))
    return None


def parse_search(lines: Sequence[Any]) -> list[int]:
    """UIDs from a SEARCH answer (aioimaplib strips ``* SEARCH``; the last line is the tagged text)."""
    uids: list[int] = []
    for line in lines[:-1]:
        if isinstance(line, bytes | bytearray):
            uids.extend(int(tok) for tok in line.split() if tok.isdigit())
    return uids


def parse_fetch(lines: Sequence[Any]) -> dict[int, bytes]:
    """``UID -> message`` from a ``UID FETCH (UID BODY.PEEK[])`` answer. The UID may come before or after
    the literal; items without a body (expunged meanwhile) are left out."""
    out: dict[int, bytes] = {}
    n = len(lines)
    i = 0
    while i < n:
        line = lines[i]
        i += 1
        if not isinstance(line, bytes) or not _FETCH_RE.match(line):
            continue
        uid_match = _UID_RE.search(line)
        body: bytes | None = None
        if _LITERAL_RE.search(line) and i < n and isinstance(lines[i], bytearray):
            body = bytes(lines[i])
            i += 1
            if uid_match is None and i < n and isinstance(lines[i], bytes):
                uid_match = _UID_RE.search(lines[i])
        if uid_match is not None and body is not None:
            out[int(uid_match.group(1))] = body
    return out


def parse_delimiter(lines: Sequence[Any]) -> str | None:
    """The hierarchy delimiter from ``LIST "" ""``; None when the server has no hierarchy."""
    for line in lines[:-1]:
        if isinstance(line, bytes | bytearray):
            match = _LIST_DELIM_RE.search(line)
            if match:
                return match.group(1).decode("ascii", "replace").replace("\\", "") if match.group(1) else None
    return None


def parse_capabilities(lines: Sequence[Any]) -> set[str]:
    """Capabilities announced in a response code (``OK [CAPABILITY ...] Logged in``)."""
    for line in lines:
        if isinstance(line, bytes | bytearray):
            match = _CAPS_RE.search(line)
            if match:
                return {c.upper() for c in match.group(1).decode("ascii", "replace").split()}
    return set()


def imap_utf7(name: str) -> str:
    """RFC 3501 modified UTF-7 for mailbox names, so Vietnamese folder names survive."""
    out: list[str] = []
    pending: list[str] = []

    def flush() -> None:
        if pending:
            b64 = base64.b64encode("".join(pending).encode("utf-16-be")).decode("ascii")
            out.append("&" + b64.rstrip("=").replace("/", ",") + "-")
            pending.clear()

    for ch in name:
        if 0x20 <= ord(ch) <= 0x7E:
            flush()
            out.append("&-" if ch == "&" else ch)
        else:
            pending.append(ch)
    flush()
    return "".join(out)


def quote_mailbox(name: str) -> str:
    encoded = imap_utf7(name)
    return '"' + encoded.replace("\\", "\\\\").replace('"', '\\"') + '"'


def server_name(folder: str, delimiter: str | None) -> str:
    """Config folder names use ``/`` for hierarchy; the server may use another delimiter."""
    return folder if not delimiter or delimiter == "/" else folder.replace("/", delimiter)


def answer_text(lines: Sequence[Any], secret: str = "") -> str:
    """A server answer for a log or an error message: the tagged text, never the password."""
    last = lines[-1] if lines else b""
    text = bytes(last).decode("utf-8", "replace") if isinstance(last, bytes | bytearray) else str(last)
    return scrub(text[:300], secret)


def scrub(text: str, secret: str) -> str:
    """The text with the password masked: server answers may echo what we sent."""
    return text.replace(secret, "***") if secret else text
