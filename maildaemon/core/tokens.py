"""The attribution token: minted once per respondent, written into every mail we send, found again in
whatever comes back. The one place that knows its format.

A token is 26 characters of lower-case RFC 4648 base32 (130 random bits). Outgoing mail carries it in the
envelope sender ``<bounce_prefix>+<token>@<bounce domain>`` (VERP), the Reply-To
``<reply_prefix>+<token>@<bounce domain>``, the Message-ID ``<md.<token>.<kind>@<bounce domain>>``, the DSN
ENVID ``<token>.<kind>`` and the ``X-Survey-Token`` header.

Parsing accepts any ``<local part>+<token>@``, not only the prefixes of today's campaigns: the classifier
is pure and runs in worker processes without the campaign list, a campaign may change its prefix while
its bounces are still arriving, and a false match costs nothing because the store attributes only tokens
it issued (a random 26-character string equals one of ours with odds of 2^-130 per respondent).
"""

from __future__ import annotations

import base64
import re
import secrets

LENGTH = 26

TOKEN_RE = re.compile(r"(?<![a-z2-7])[a-z2-7]{26}(?![a-z2-7])", re.I)
# A plus address with a token extension: the literal '+' first, so the scan jumps from '+' to '+';
# the lookbehind then wants a local-part character before it.
VERP_RE = re.compile(r"\+(?<=[A-Za-z0-9!#$%&'*/=?^_`{|}~.-]\+)([a-z2-7]{26})@", re.I)
MESSAGE_ID_RE = re.compile(r"<?md\.([a-z2-7]{26})\.[A-Za-z0-9\-]+@", re.I)
HEADER_RE = re.compile(r"^[ \t>]*X-Survey-Token:[ \t]*([a-z2-7]{26})\b", re.I | re.M)
# What compose will write: tokens minted elsewhere (tests, imports of older data) need only be header-safe.
_WRITABLE_RE = re.compile(r"[A-Za-z0-9_-]{1,64}")
_TOKEN_FULL_RE = re.compile(r"[a-z2-7]{26}")

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


# --- minting and writing -------------------------------------------------------------------------------


def mint() -> str:
    """A new token: 130 random bits, safe in a VERP local part and a Message-ID."""
    return base64.b32encode(secrets.token_bytes(16)).decode("ascii").rstrip("=").lower()


def is_token(value: str) -> bool:
    """True for a token of our format (what ``mint`` makes and the parsers find)."""
    return _TOKEN_FULL_RE.fullmatch(value) is not None


def is_writable(token: str) -> bool:
    """True if ``token`` can go into headers and addresses unquoted (1-64 of ``[A-Za-z0-9_-]``)."""
    return _WRITABLE_RE.fullmatch(token) is not None


def plus_address(prefix: str, token: str, domain: str) -> str:
    """``<prefix>+<token>@<domain>``: the VERP envelope sender (bounce prefix) or the Reply-To (reply prefix)."""
    return f"{prefix}+{token}@{domain}"


def message_id(token: str, kind: str, domain: str) -> str:
    """Our Message-ID, with its angle brackets: replies quote it in In-Reply-To / References."""
    return f"<md.{token}.{kind}@{domain}>"


def envid(token: str, kind: str) -> str:
    """The DSN ENVID (RFC 3461): relays copy it into their DSNs as Original-Envelope-Id."""
    return f"{token}.{kind}"


# --- parsing one value ---------------------------------------------------------------------------------


def from_address(address: str) -> str | None:
    """The token of a plus address ``<any local part>+<token>@...``, lower-case; None if it has none."""
    match = VERP_RE.search(address)
    return match.group(1).lower() if match else None


def from_message_id(value: str) -> str | None:
    """The token of one of our Message-IDs (with or without angle brackets); None for anyone else's."""
    match = MESSAGE_ID_RE.search(value)
    return match.group(1).lower() if match else None


def found_by(token: str, addresses: tuple[str, ...] | list[str], ids: tuple[str, ...] | list[str]) -> str:
    """How ``token`` was carried back: ``verp`` (the address the mail came to), ``message-id`` (a reply's
    In-Reply-To / References) or ``returned-headers`` (our headers quoted in a bounce)."""
    low = token.lower()
    if any(from_address(a) == low for a in addresses):
        return "verp"
    if any(from_message_id(i) == low for i in ids):
        return "message-id"
    return "returned-headers"


# --- collecting every token of an inbound message (the classifier) ------------------------------------


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


def from_headers(headers: dict[str, list[str]], names: tuple[str, ...], tokens: TokenList) -> None:
    # A VERP address holds "+" and "@": a value without both (a Received line's "+0000" date, no address) is
    # not scanned, a regex scan saved per such value (about 3M instructions of a corpus-1 pass's 417M).
    for name in names:
        for value in headers.get(name, ()):
            if "+" in value and "@" in value:
                tokens.add_all(VERP_RE, value)


def from_received(headers: dict[str, list[str]], tokens: TokenList) -> None:
    """``Received: ... for <bounces+token@...>`` records the envelope recipient too (any prefix)."""
    for value in headers.get("received", ()):
        if "+" in value and "@" in value:
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
    if "+" in text:
        tokens.add_all(VERP_RE, text)
