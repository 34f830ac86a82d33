"""Attribution tokens we put in outgoing mail, found again in what comes back.

Outgoing mail carries the token in the envelope sender ``bounces+<token>@``, the Reply-To ``reply+<token>@``,
the Message-ID ``<md.<token>.<kind>@...>`` and the ``X-Survey-Token`` header; the token is 26 characters of
lower-case RFC 4648 base32.
"""

from __future__ import annotations

import re

TOKEN_RE = re.compile(r"(?<![a-z2-7])[a-z2-7]{26}(?![a-z2-7])", re.I)
VERP_RE = re.compile(r"\b(?:bounces|reply)\+([a-z2-7]{26})@", re.I)
MESSAGE_ID_RE = re.compile(r"<?md\.([a-z2-7]{26})\.[A-Za-z0-9\-]+@", re.I)
HEADER_RE = re.compile(r"^[ \t>]*X-Survey-Token:[ \t]*([a-z2-7]{26})\b", re.I | re.M)

# Headers of the inbound message that carry the envelope address it was delivered to.
ENVELOPE_HEADERS = (
    "to",
    "delivered-to",
    "x-original-to",
    "envelope-to",
    "x-envelope-to",
    "return-path",
    "cc",
)


class TokenList:
    """Tokens in the order they were found, strongest source first, without repeats."""

    def __init__(self) -> None:
        self._seen: dict[str, None] = {}

    def add(self, token: str) -> None:
        self._seen.setdefault(token.lower(), None)

    def add_all(self, pattern: re.Pattern[str], text: str) -> None:
        if text:
            for match in pattern.finditer(text):
                self.add(match.group(1))

    def result(self) -> tuple[str, ...]:
        return tuple(self._seen)


def _may_have_verp(text: str) -> bool:
    """A cheap test before the VERP scan: ``+`` is common (time zones), ``s+``/``y+`` much less so."""
    return "s+" in text or "y+" in text or "S+" in text or "Y+" in text


def from_headers(headers: dict[str, list[str]], names: tuple[str, ...], tokens: TokenList) -> None:
    for name in names:
        for value in headers.get(name, ()):
            if _may_have_verp(value):
                tokens.add_all(VERP_RE, value)


def from_received(headers: dict[str, list[str]], tokens: TokenList) -> None:
    """``Received: ... for <bounces+token@...>`` records the envelope recipient too."""
    for value in headers.get("received", ()):
        if _may_have_verp(value):
            tokens.add_all(VERP_RE, value)


def from_ids(values: list[str], tokens: TokenList) -> None:
    for value in values:
        if "md." in value or "MD." in value or "Md." in value:
            tokens.add_all(MESSAGE_ID_RE, value)


def from_original(headers: dict[str, list[str]], tokens: TokenList) -> None:
    """The returned copy of our message: its Message-ID, survey header and envelope sender."""
    from_ids(headers.get("message-id", []), tokens)
    for value in headers.get("x-survey-token", ()):
        match = TOKEN_RE.search(value)
        if match:
            tokens.add(match.group(0))
    from_headers(headers, ("return-path", "reply-to", "sender"), tokens)


def from_text(text: str, tokens: TokenList) -> None:
    """Headers quoted inline in a plain-text bounce, or anything else that kept our ids."""
    if "md." in text or "MD." in text:
        tokens.add_all(MESSAGE_ID_RE, text)
    if "survey-token" in text.lower():
        tokens.add_all(HEADER_RE, text)
    if _may_have_verp(text):
        tokens.add_all(VERP_RE, text)
