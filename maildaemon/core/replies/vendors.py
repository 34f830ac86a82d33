"""What one MTA's own vocabulary says: the fixed sentences an MTA writes for each failure (IMail, Notes,
Domino, InterScan, OpenSMTPD, Exchange 2003 error numbers, qmail, Gmail's client states, PowerMTA's bounce
categories). ``decide`` takes the result as a preset reason; providers' codes are in ``providers``. Pure and
table-driven; each table is one regular expression searched once."""

from __future__ import annotations

import re

from maildaemon.core.replies.index import holds_any

# Sentences MTAs write verbatim, per reason (lower-cased text). Only phrases that no other failure shares.
_MTA_PHRASES: dict[str, tuple[str, ...]] = {
    "userunknown": (
        r"invalid final delivery userid",  # IMail
        r"not listed in (?:the )?public name & address book",  # Lotus Notes
        r"not listed in (?:the )?domino directory",  # HCL / IBM Domino
        r"ディレクトリのリストにありません",  # Notes (Japanese)
        r"unable to deliver message to <[^>\s]+> \(and other recipients in the same domain\)",  # InterScan
        r"\(000c05a6\)",  # Exchange 2003 "Unknown Recipient"
        r"the recipient name is not recognized",  # Exchange 2003
    ),
    "rejected": (r"resolver\.rst\.notauthorized",),  # Exchange: the sender may not write to this recipient
    "filtered": (
        r"\(000c0595\)",  # Exchange 2003 "Ambiguous Recipient"
        r"not unique\. +several matches found in (?:the )?domino directory",  # Domino: ambiguous name (X.1.4)
    ),
    "mailboxfull": (
        r"user mailbox exceeds allowed size",  # IMail
        r"error: quota exceed",  # Exim, from here on in this table: its own fixed messages (src/*.c)
    ),
    "virusdetected": (r"requested action not taken: virus detected",),  # IMail
    "blocked": (r" but my name was rejected",),  # qmail-remote: our HELO refused, whatever the reply said
    "suspend": (r"policy rejection on the target address",),  # Yandex: the recipient's account blocked
    "spamdetected": (r"blacklisted url in message",),  # IMail
    "expired": (
        r"delivery failed \d+ attempts",  # IMail
        r"envelope expired",  # OpenSMTPD
        r"message \S+ (?:has been frozen|was frozen on arrival)",  # Exim: held until an administrator acts
    ),
    "notaccept": (
        r"no host found for existing smtp connection",  # Exim
        r"destination seem to reject all mails",  # OpenSMTPD
        r"no mx found for (?:domain|destination)",  # OpenSMTPD
    ),
    "hostunknown": (
        r"invalid domain name",  # OpenSMTPD
        r"all host address lookups failed permanently",  # Exim
        r"all relevant mx records point to non-existent hosts",
    ),
    "syntaxerror": (  # Exim's address parser
        r"angle-brackets nested too deep",
        r'expected word or "<"',
        r"domain missing in source-routed address",
        r"malformed address: ",
    ),
    "networkerror": (
        r"message has exceeded maximum hop count",  # Notes
        r"\(00120270\)",  # Exchange 2003 "Too Many Hops"
        r"address family mismatch on destination mxs",  # OpenSMTPD, from here on
        r"all routes to destination blocked",
        r"bad dns lookup error code",
        r"could not retrieve source address",
        r"network error on destination mxs",
        r"no valid route to (?:remote mx|destination)",
        r"temporary failure in mx lookup",
    ),
    "securityerror": (
        r"could not retrieve credentials",  # OpenSMTPD
        r"\(000b0981\)",  # Exchange 2003 "Server does not support AUTH"
    ),
    "systemerror": (
        r"\((?:00010256|000d06b5)\)",  # Exchange 2003
        r"delivery to (?:file|pipe) forbidden",  # Exim
        r"local delivery failed",
    ),
    "contenterror": (
        r"\((?:00050311|000502cc)\)",  # Exchange 2003 "Conversion to Internet format failed"
        r'too many "received" headers',  # Exim
    ),
}

# qmail (and its clones, Yahoo's "Failure Notice") words its own failures; some of these are too plain to
# trust in other notices ("unable to", "system error").
_QMAIL_PHRASES: dict[str, tuple[str, ...]] = {
    "hostunknown": (r"sorry, i couldn't find any host ",),
    "mailboxfull": (r"disk quota exceeded",),
    "exceedlimit": (r"the message exeeded the maximum size the user accepts",),
    "networkerror": (
        r"sorry, i wasn't able to establish an smtp connection",
        r"sorry\. although i'm listed as a best-preference mx or a for that host",
    ),
    "notaccept": (r"sorry, i couldn't find a mail exchanger or ip address",),
    "suspend": (r"mailaddress is administrativ\w* disabled",),
    "systemfull": (r"requested action not taken: mailbox unavailable \(not enough free space\)",),
    "userunknown": (r"no mailbox here by that name",),
    "systemerror": (
        r"bad interpreter: no such file or directory",
        r"system error",
        r"automatic homedir creator crashed",
        r"ldap (?:attribute|server|lookup)",
        r"error while executing qmail-forward",
        r"error in automatic homedir creation",
        r"too many results returned but needs to be unique",
        r"unable to",
    ),
}


class _Alternation:
    """A table's phrases as one regex, and the reason of the phrase that matched first. Without a named
    group around each reason the regex starts with plain literals, which the regex engine skips through
    several times faster; the matching phrase is then found again at the match's position (in table
    order, as the alternation tries them)."""

    def __init__(self, table: dict[str, tuple[str, ...]]) -> None:
        self.phrases = [(re.compile(p), reason) for reason, phrases in table.items() for p in phrases]
        self.regex = re.compile("|".join(f"(?:{p})" for phrases in table.values() for p in phrases))

    def search(self, lowered: str) -> str:
        match = self.regex.search(lowered)
        if match is None:
            return ""
        return next((reason for p, reason in self.phrases if p.match(lowered, match.start())), "")


_MTA_RE = _Alternation(_MTA_PHRASES)
_QMAIL_RE = _Alternation(_QMAIL_PHRASES)
_QMAIL_EXPIRED = "this message has been in the queue too long"


# Every phrase above contains one of these; a text with none of them is not scanned.
_MTA_KEYS = (
    "userid",
    "address book",
    "domino directory",
    "ディレクトリ",
    "other recipients",
    "(000",
    "(001",
    "not recognized",
    "allowed size",
    "virus detected",
    "blacklisted url",
    "delivery failed",
    "envelope expired",
    "reject all mails",
    "no mx found",
    "invalid domain name",
    "hop count",
    "destination mx",
    "routes to destination",
    "dns lookup error",
    "source address",
    "no valid route",
    "mx lookup",
    "credentials",
    "quota exceed",
    "resolver.rst",
    "address lookups",
    "mx records point",
    "existing smtp connection",
    "nested too deep",
    "expected word",
    "source-routed",
    "malformed address",
    "forbidden",
    "local delivery failed",
    '"received"',
    "frozen",
    "target address",
    "name was rejected",
)


# Gmail's notices end the remote reply with "(state N)", the stage of its SMTP client that failed; a
# specific status code in the reply still says more.
_GMAIL_STATE_RE = re.compile(r"\(state (\d{1,2})\)")
_GMAIL_STATE = {
    "6": "failedstarttls",
    "8": "systemerror",
    "9": "failedstarttls",
    "12": "norelaying",
    "13": "blocked",
    "14": "userunknown",
    "15": "filtered",
    "17": "filtered",
    "18": "filtered",
}
_GMAIL_PHRASES = (
    ("dns error: domain name not found", "hostunknown"),
    ("dns error: dns server returned answer with no data", "hostunknown"),
    ("dns error: could not contact dns servers", "expired"),
    ("the recipient server did not accept our requests to connect", "expired"),
)
_SPECIFIC_STATUS_RE = re.compile(r"(?<![\d.])[45]\.(?:[1-7])\.(?:[1-9]\d{0,2})(?![\d.])")


def _gmail(lowered: str) -> str:
    match = _GMAIL_STATE_RE.search(lowered)
    if match:
        reason = _GMAIL_STATE.get(match.group(1), "")
        return "" if reason and _SPECIFIC_STATUS_RE.search(lowered) else reason
    return next((reason for phrase, reason in _GMAIL_PHRASES if phrase in lowered), "")


def mta_reason(lowered: str, qmail: bool = False) -> str:
    """The reason an MTA's fixed sentence names in a lower-cased reply or notice text, or ""; ``qmail``
    adds qmail's own sentences (the notice came from qmail or a clone)."""
    if "(state " in lowered or "dns error: " in lowered or "the recipient server did not" in lowered:
        found = _gmail(lowered)
        if found:
            return found
    if holds_any(lowered, _MTA_KEYS):
        found = _MTA_RE.search(lowered)
        if found:
            return found
    if not qmail:
        return ""
    if "does not like recipient" in lowered and _QMAIL_EXPIRED in lowered:
        return "onhold"
    found = _QMAIL_RE.search(lowered)
    if found:
        return found
    return "expired" if _QMAIL_EXPIRED in lowered else ""


# PowerMTA's X-PowerMTA-BounceCategory field.
POWERMTA_CATEGORY = {
    "bad-domain": "hostunknown",
    "bad-mailbox": "userunknown",
    "inactive-mailbox": "suspend",
    "message-expired": "expired",
    "no-answer-from-host": "networkerror",
    "policy-related": "policyviolation",
    "quota-issues": "mailboxfull",
    "routing-errors": "systemerror",
    "spam-related": "spamdetected",
    "virus-related": "virusdetected",
    "content-related": "contenterror",
    "relaying-issues": "norelaying",
    "invalid-sender": "rejected",
    "bad-connection": "networkerror",
    "protocol-errors": "systemerror",
}
