"""RFC 3463 enhanced status codes and RFC 5321 reply codes in reply text: the one status regex, and
every code of IANA's registry with its meaning and the reason it names as a permanent (5.x.x) and as a
transient (4.x.x) failure."""

from __future__ import annotations

import re
from typing import NamedTuple

STATUS_RE = re.compile(r"(?<![\d.])([245])\.(\d{1,3})\.(\d{1,3})(?!\.?\d)")
REPLY_CODE_RE = re.compile(r"(?<![\d.\-\\])([245][0-5]\d)(?:[ \-]|$)")  # not an octal escape "\213"
# The status from its first dot on: a pattern that starts with a literal lets the regex engine skip to
# each "." (a class such as [245] is tested at every character); the class digit and the character before
# it are checked by hand.
_STATUS_TAIL = re.compile(r"\.(\d{1,3})\.(\d{1,3})(?!\.?\d)")
# REPLY_CODE_RE without the look-behind, which keeps the regex engine from skipping ahead to a candidate
# digit; the character before a match is checked by hand (several times faster on long notices).
_REPLY_CODE_FAST = re.compile(r"([245][0-5]\d)(?:[ \-]|$)")


class Code(NamedTuple):
    """One subject.detail of the registry: its meaning, and the reason it names when permanent and
    when transient ("" where the code alone names none)."""

    meaning: str
    permanent: str
    transient: str


# IANA "Enumerated Status Codes" (RFC 3463, 3886, 4468, 4865, 4954, 5248, 6531, 6710, 7293, 7372, 7505,
# 8689). The reasons follow the labelling convention of the public bounce corpus: an "other" code of a
# subject names that subject's usual reason when permanent; several details mean something else (a block,
# an expiry) as a transient failure than as a permanent one.
CODES: dict[str, Code] = {
    "1.0": Code("Other address status", "userunknown", ""),
    "1.1": Code("Bad destination mailbox address", "userunknown", ""),
    "1.2": Code("Bad destination system address", "hostunknown", ""),
    "1.3": Code("Bad destination mailbox address syntax", "userunknown", ""),
    "1.4": Code("Destination mailbox address ambiguous", "filtered", ""),
    "1.5": Code("Destination address valid", "", ""),
    "1.6": Code("Destination mailbox has moved, no forwarding address", "hasmoved", "hasmoved"),
    "1.7": Code("Bad sender's mailbox address syntax", "rejected", "rejected"),
    "1.8": Code("Bad sender's system address", "rejected", "rejected"),
    "1.9": Code("Message relayed to non-compliant mailer", "systemerror", "systemerror"),
    "1.10": Code("Recipient address has null MX", "notaccept", ""),
    "2.0": Code("Other or undefined mailbox status", "filtered", ""),
    "2.1": Code("Mailbox disabled, not accepting messages", "filtered", "blocked"),
    "2.2": Code("Mailbox full", "mailboxfull", "mailboxfull"),
    "2.3": Code("Message length exceeds administrative limit", "exceedlimit", "exceedlimit"),
    "2.4": Code("Mailing list expansion problem", "filtered", "filtered"),
    "3.0": Code("Other or undefined mail system status", "systemerror", ""),
    "3.1": Code("Mail system full", "systemfull", "systemfull"),
    "3.2": Code("System not accepting network messages", "notaccept", "notaccept"),
    "3.3": Code("System not capable of selected features", "systemerror", "systemerror"),
    "3.4": Code("Message too big for system", "mesgtoobig", ""),
    "3.5": Code("System incorrectly configured", "systemerror", "systemerror"),
    "3.6": Code("Requested priority was changed", "", ""),
    "4.0": Code("Other or undefined network or routing status", "networkerror", "networkerror"),
    "4.1": Code("No answer from host", "", "expired"),
    "4.2": Code("Bad connection", "networkerror", "networkerror"),
    "4.3": Code("Directory server failure", "systemerror", "systemerror"),
    "4.4": Code("Unable to route", "hostunknown", "networkerror"),
    "4.5": Code("Mail system congestion", "systemfull", "systemfull"),
    "4.6": Code("Routing loop detected", "networkerror", "networkerror"),
    "4.7": Code("Delivery time expired", "expired", "expired"),
    "4.8": Code("Alternate mail system not available", "networkerror", "networkerror"),
    "5.0": Code("Other or undefined protocol status", "", ""),
    "5.1": Code("Invalid command", "syntaxerror", ""),
    "5.2": Code("Syntax error", "syntaxerror", ""),
    "5.3": Code("Too many recipients", "toomanyconn", "systemerror"),
    "5.4": Code("Invalid command arguments", "syntaxerror", ""),
    "5.5": Code("Wrong protocol version", "systemerror", "systemerror"),
    "5.6": Code("Authentication exchange line is too long", "syntaxerror", ""),
    "6.0": Code("Other or undefined media error", "contenterror", "contenterror"),
    "6.1": Code("Media not supported", "contenterror", ""),
    "6.2": Code("Conversion required and prohibited", "contenterror", "contenterror"),
    "6.3": Code("Conversion required but not supported", "contenterror", ""),
    "6.4": Code("Conversion with loss performed", "", ""),
    "6.5": Code("Conversion failed", "contenterror", "contenterror"),
    "6.6": Code("Message content not available", "contenterror", ""),
    "6.7": Code("Non-ASCII addresses not permitted for that sender/recipient", "contenterror", ""),
    "6.8": Code("UTF-8 string reply is required, but not permitted by the SMTP client", "contenterror", ""),
    "6.9": Code("UTF-8 header message cannot be transferred to one or more recipients", "contenterror", ""),
    "6.10": Code("UTF-8 message cannot be transferred to one or more recipients", "contenterror", ""),
    "7.0": Code("Other or undefined security status", "securityerror", ""),
    "7.1": Code("Delivery not authorized, message refused", "securityerror", "blocked"),
    "7.2": Code("Mailing list expansion prohibited", "securityerror", "blocked"),
    "7.3": Code("Security conversion required but not possible", "securityerror", ""),
    "7.4": Code("Security features not supported", "securityerror", ""),
    "7.5": Code("Cryptographic failure", "securityerror", "securityerror"),
    "7.6": Code("Cryptographic algorithm not supported", "securityerror", "securityerror"),
    "7.7": Code("Message integrity failure", "securityerror", "securityerror"),
    "7.8": Code("Authentication credentials invalid", "securityerror", ""),
    "7.9": Code("Authentication mechanism is too weak", "securityerror", ""),
    "7.10": Code("Encryption needed", "securityerror", ""),
    "7.11": Code("Encryption required for requested authentication mechanism", "securityerror", ""),
    "7.12": Code("A password transition is needed", "securityerror", "securityerror"),
    "7.13": Code("User account disabled", "suspend", ""),
    "7.14": Code("Trust relationship required", "securityerror", ""),
    "7.15": Code("Priority level is too low", "securityerror", "securityerror"),
    "7.16": Code("Message is too big for the specified priority", "mesgtoobig", "mesgtoobig"),
    "7.17": Code("Mailbox owner has changed", "hasmoved", ""),
    "7.18": Code("Domain owner has changed", "hasmoved", ""),
    "7.19": Code("RRVS test cannot be completed", "securityerror", ""),
    "7.20": Code("No passing DKIM signature found", "authfailure", ""),
    "7.21": Code("No acceptable DKIM signature found", "authfailure", ""),
    "7.22": Code("No valid author-matched DKIM signature found", "authfailure", ""),
    "7.23": Code("SPF validation failed", "authfailure", ""),
    "7.24": Code("SPF validation error", "authfailure", "authfailure"),
    "7.25": Code("Reverse DNS validation failed", "requireptr", "requireptr"),
    "7.26": Code("Multiple authentication checks failed", "authfailure", "authfailure"),
    "7.27": Code("Sender address has null MX", "notaccept", ""),
    "7.28": Code("Mail flood detected", "spamdetected", ""),
    "7.29": Code("ARC validation failure", "authfailure", ""),
    "7.30": Code("REQUIRETLS support required", "failedstarttls", ""),
}


def find_status(text: str) -> str:
    """The first D.S.N status code in a reply text, or ""."""
    match = _STATUS_TAIL.search(text, 1)
    while match is not None:
        dot = match.start()
        klass = text[dot - 1]
        if klass in "245" and (dot == 1 or text[dot - 2] not in "0123456789."):
            return f"{klass}.{match.group(1)}.{match.group(2)}"
        match = _STATUS_TAIL.search(text, dot + 1)
    return ""


def leading_status(text: str) -> str:
    """The status at the start of a reply text ("5.1.1 ..."), leading zeros dropped; "" if none."""
    match = STATUS_RE.match(text.lstrip())
    return ".".join(str(int(g)) for g in match.groups()) if match else ""


def find_reply_code(text: str) -> str:
    """The first RFC 5321 reply code (2xx/4xx/5xx) in a text, or "". A number inside a sentence (after a word, with
    no status after it: "giới hạn ở mức 250 lượt/ngày", "limited to 450 messages") is a count, not a reply."""
    match = _REPLY_CODE_FAST.search(text)
    while match is not None:
        start = match.start()
        if (start == 0 or text[start - 1] not in "0123456789.-\\") and not _counted(text, start, match.end()):
            return match.group(1)
        match = _REPLY_CODE_FAST.search(text, start + 1)
    return ""


def _counted(text: str, start: int, end: int) -> bool:
    """Whether the number at ``start`` stands in running words: a lower-case word and a space before it that does
    not introduce a reply ("error", "said", "code" ...; an SMTP command, "RCPT 550", is upper-case), and after it a
    lower-case word (the thing counted), not a status code, the "-" of a multi-line reply or a capital."""
    if start < 2 or text[start - 1] != " " or not text[start - 2].isalpha() or text[start - 2].isupper():
        return False
    if text[end - 1 : end] == "-" or _STATUS_AFTER.match(text, end) is not None:
        return False
    if not text[
        end : end + 1
    ].islower():  # a reply's text opens with a capital ("closing 552 Message too big")
        return False
    word = _TOKEN_BEFORE.search(text, max(0, start - 40), start)
    # (an address or a host before it, "x@y.vn 554 delivery error", is where a notice quotes the reply)
    return word is not None and word.group(1).isalpha() and word.group(1).lower() not in _INTRODUCES_REPLY


_STATUS_AFTER = re.compile(r"[245]\.\d{1,3}\.\d{1,3}\b")
_TOKEN_BEFORE = re.compile(r"(\S+) $")
# Words a reply code follows in a notice's sentence ("SMTP error 550", "returned code 554", "replied with 421")
_INTRODUCES_REPLY = frozenset(
    {"error", "errors", "code", "codes", "reply", "replied", "said", "says", "returned", "returns", "response",
     "responded", "answer", "answered", "with", "status", "was", "is", "smtp", "lỗi", "loi", "mã", "ma"}
)  # fmt: skip


def status_reason(status: str) -> str:
    """What the status code alone names ("" for unspecific codes)."""
    if not status:
        return ""
    klass, _, detail = status.partition(".")
    code = CODES.get(detail)
    if klass == "5":
        return code.permanent if code else ""
    if klass == "4":
        return code.transient if code else ""
    return "delivered" if status == "2.1.5" else ""


def meaning(status: str) -> str:
    """The registry's meaning of a status code ("5.1.1" -> "Bad destination mailbox address")."""
    code = CODES.get(status.partition(".")[2])
    return code.meaning if code else ""
