"""The SMTP command a remote reply answered, read from the reply or the notice around it."""

from __future__ import annotations

import re

# ---- the SMTP command a reply answered ----------------------------------------------------------------

# (the words may be folded onto the next line: Postfix wraps "... (in reply\n    to RCPT TO command)")
_COMMAND_PHRASE = re.compile(
    r"(?:after|in\s+reply\s+to|while\s+sending|did\s+not\s+like\s+our|>>>)\s*(?:the\s+)?"
    r"(?:end\s+of\s+)?(?:final\s+)?"
    r"(data|rcpt|mail|helo|ehlo|starttls|auth|connect|greeting|banner|initial connection)\b|for (text) command"
    # a relay's stage word for the connection before any command ("... 554 ... in Handshake")
    r"|\b(?:in|during|at)\s+(?:the\s+)?(?:smtp\s+)?(handshake)\b",
    re.I,
)
# The same, without re.I, for an ASCII text lower-cased first: its first characters are then a set the
# regex engine skips to, where a case-blind comparison is tried at every character.
_COMMAND_PHRASE_LOWER = re.compile(_COMMAND_PHRASE.pattern)
# qmail-remote's own sentences (and its clones'): what it had sent when the remote host refused.
_QMAIL_STAGE = re.compile(
    r"does not like (recipient|sender)|but (greeting) failed|but my (name) was rejected|but (sender) was rejected"
    r"|(?:failed after i sent the message|failed on data command|didn't like the message|did not like the message)"
    # Haraka (whose bounce follows qmail's): recipients its relay had refused at RCPT, listed by address
    r"|some (recipient)s (?:temp )?(?:failed|rejected)\b",
    re.I,
)
_QMAIL_COMMAND = {"recipient": "RCPT", "sender": "MAIL", "greeting": "CONN", "name": "CONN"}
_COMMAND_WORD = re.compile(
    r"(?<![A-Za-z0-9@.\-])(HELO|EHLO|STARTTLS|AUTH|MAIL FROM|RCPT TO|RCPT|DATA)(?![A-Za-z0-9@\-])"
)
_HINTS = ("after", "reply", ">>>", "sending", "our", "command", "refused to talk", "handshake")
_COMMAND_ORDER = {"CONN": 0, "HELO": 1, "EHLO": 1, "STARTTLS": 2, "AUTH": 3, "MAIL": 4, "RCPT": 5, "DATA": 6}


def smtp_command(text: str, words: bool = True) -> str:
    """The SMTP command a remote reply answered, when the text says so ("in reply to RCPT TO command",
    "after end of data", a ``>>> DATA`` transcript line), else the latest-stage command word it names."""
    found = ""
    lowered = text.lower()
    if any(map(lowered.__contains__, _HINTS)):  # map: the scan stays in C
        phrases = (
            _COMMAND_PHRASE_LOWER.finditer(lowered) if text.isascii() else _COMMAND_PHRASE.finditer(text)
        )
        for match in phrases:
            found = (match.group(1) or match.group(2) or match.group(3)).upper()
    if not found and "refused to talk to me" in lowered:  # Postfix: the remote greeting was a refusal
        return "CONN"
    if not found and any(
        map(
            lowered.__contains__,
            ("like", "after i sent", "failed on data", "connected to ", "some recipients"),
        )
    ):
        stage = _QMAIL_STAGE.search(text)
        if stage:
            named = next((g for g in stage.groups() if g), "")
            return _QMAIL_COMMAND.get(named.lower(), "DATA")
    if found:
        if found in ("HELO", "EHLO", "GREETING", "BANNER", "CONNECT", "INITIAL CONNECTION", "HANDSHAKE"):
            return "CONN"
        return "DATA" if found == "TEXT" else found
    if not words:
        return ""
    best = ""
    for match in _COMMAND_WORD.finditer(text):
        word = match.group(1).split()[0]
        if _COMMAND_ORDER.get(word, -1) > _COMMAND_ORDER.get(best, -1):
            best = word
    return best
