"""What Microsoft's own enhanced status codes mean (Exchange Server, Exchange Online / Microsoft 365,
Outlook.com), as its documentation ("Email non-delivery reports and SMTP errors in Exchange Online",
"Outlook.com postmaster troubleshooting") describes them: Microsoft uses three-digit details (5.7.509,
4.7.650, ...) outside IANA's registry and reuses registered ones (5.7.1, 5.4.1) with meanings of its own,
so a code decides only together with the words Microsoft writes after it. Pure and table-driven."""

from __future__ import annotations

import re

# (status, or "class.subject." with a detail range; the words Microsoft writes with it; reason)
_CODES: tuple[tuple[str, tuple[int, int] | None, str, str], ...] = (
    ("4.7.26", None, "must pass either spf or dkim", "authfailure"),
    ("5.7.23", None, "sender policy framework violation", "authfailure"),
    ("5.7.509", None, "does not pass dmarc", "authfailure"),
    ("5.7.515", None, "required authentication level", "authfailure"),
    ("4.7.650", None, "rate limited due to ip reputation", "badreputation"),
    ("4.4.2", None, "connection dropped", "blocked"),
    ("4.7.", (850, 899), "access denied, please try again later", "blocked"),
    ("4.7.", (500, 699), "access denied, please try again later", "blocked"),
    ("5.7.25", None, "must have a reverse dns record", "blocked"),
    ("5.7.506", None, "bad helo", "blocked"),
    ("5.7.507", None, "rejected by recipient", "blocked"),
    ("5.7.510", None, "does not accept email over ipv6", "blocked"),
    ("5.7.511", None, "banned sender", "blocked"),
    ("5.7.513", None, "customer block list", "blocked"),
    ("5.7.", (606, 649), "banned sending ip", "blocked"),
    ("5.5.4", None, "invalid domain name", "blocked"),
    ("5.3.0", None, "too many related errors", "contenterror"),
    ("5.6.11", None, "invalid characters", "contenterror"),
    ("5.4.11", None, "message depth exceeded", "contenterror"),
    ("5.5.6", None, "invalid message content", "contenterror"),
    ("5.2.3", None, "recipsizelimit", "mesgtoobig"),
    ("5.3.4", None, "message size exceeds fixed maximum", "mesgtoobig"),
    ("5.3.4", None, "message too big for system", "mesgtoobig"),
    ("4.4.1", None, "connection timed out", "expired"),
    ("4.4.7", None, "message delayed", "expired"),
    ("4.4.7", None, "message expired", "expired"),
    ("5.4.300", None, "message expired", "expired"),
    ("5.4.316", None, "message expired", "expired"),
    ("4.4.8", None, "failed mta-sts validation", "failedstarttls"),
    ("5.4.8", None, "failed mta-sts validation", "failedstarttls"),
    ("4.4.317", None, "starttls is required", "failedstarttls"),
    ("5.4.317", None, "starttls is required", "failedstarttls"),
    ("4.7.5", None, "certificate failed mta-sts validation", "failedstarttls"),
    ("5.7.5", None, "certificate failed mta-sts validation", "failedstarttls"),
    ("4.7.", (321, 325), "", "failedstarttls"),  # starttls-not-supported, certificate-expired, tlsa-, dnssec-
    ("5.7.", (321, 325), "", "failedstarttls"),
    ("5.2.2", None, "submission quota exceeded", "speeding"),
    ("5.2.2", None, "mailbox full", "mailboxfull"),
    ("5.4.4", None, "nonexistent domain", "networkerror"),
    ("5.4.4", None, "invalid arguments", "networkerror"),
    ("5.4.6", None, "", "networkerror"),  # routing loop / hop count exceeded
    ("5.4.14", None, "routing loop detected", "networkerror"),
    ("4.4.312", None, "dns query failed", "networkerror"),
    ("5.4.312", None, "dns query failed", "networkerror"),
    ("4.4.316", None, "connection refused", "networkerror"),
    ("5.4.316", None, "connection refused", "networkerror"),
    ("5.7.1", None, "unable to relay", "norelaying"),
    ("5.4.1", None, "relay access denied", "norelaying"),
    ("5.7.64", None, "relay access denied", "norelaying"),
    ("4.3.2", None, "system not accepting network messages", "notaccept"),
    ("4.4.4", None, "no mail-enabled subscriptions", "notaccept"),
    ("5.3.2", None, "storedriver mdb properties", "notaccept"),
    ("5.0.350", None, "x-dg-ref header is too long", "policyviolation"),
    ("5.0.350", None, "policy violation detected", "policyviolation"),
    ("5.7.", (900, 999), "delivery not authorized, message refused", "policyviolation"),  # a mail flow rule
    ("5.1.7", None, "invalid address", "rejected"),
    ("5.1.7", None, "unknown sender address", "rejected"),
    ("5.1.0", None, "sender denied", "rejected"),
    ("5.1.8", None, "bad outbound sender", "rejected"),
    ("5.7.1", None, "delivery not authorized", "rejected"),
    ("5.7.", (12, 13), "not authenticated", "rejected"),  # the recipient takes internal mail only
    ("5.7.", (124, 136), "", "rejected"),  # allowed-senders lists, groups, public folders
    ("5.7.", (501, 503), "", "rejected"),  # spam abuse detected, banned sender
    ("5.7.512", None, "rfc 5322 section 3.6.2", "rejected"),
    ("5.7.750", None, "unregistered domains", "rejected"),
    ("5.7.3", None, "exchange server authentication", "securityerror"),
    ("5.7.57", None, "anonymous mail", "securityerror"),
    ("5.2.1", None, "content filter agent quarantined", "spamdetected"),
    ("4.5.3", None, "too many recipients", "toomanyconn"),
    ("5.5.3", None, "too many recipients", "toomanyconn"),
    ("4.7.652", None, "maximum number of connections", "toomanyconn"),
    ("4.3.2", None, "recipient thread limit exceeded", "speeding"),
    ("5.1.90", None, "daily limit for message recipients", "speeding"),
    ("5.2.", (121, 122), "", "speeding"),  # the recipient's per-hour receive limits
    ("5.7.508", None, "exceeded permitted limits", "speeding"),
    ("5.7.", (700, 749), "", "speeding"),  # tenant over its sending threshold
    ("5.7.504", None, "access denied", "suspend"),
    ("5.7.505", None, "banned recipient", "suspend"),
    ("5.2.1", None, "mailbox cannot be accessed", "suspend"),
    ("5.3.3", None, "unrecognized command", "syntaxerror"),
    ("5.5.2", None, "send hello first", "syntaxerror"),
    ("4.3.2", None, "service not a", "systemerror"),  # service not available / not active
    ("5.3.5", None, "system incorrectly configured", "systemerror"),
    ("5.3.190", None, "journaling archive is disabled", "systemerror"),
    ("5.2.14", None, "misconfigured forwarding address", "systemerror"),
    ("4.4.", (22, 28), "failed to be replicated", "systemerror"),
    ("4.4.3", None, "temporary server error", "systemerror"),
    ("4.7.0", None, "temporary server error", "systemerror"),
    ("4.4.318", None, "suspiciousremoteservererror", "systemerror"),
    ("5.4.318", None, "suspiciousremoteservererror", "systemerror"),
    ("4.7.500", None, "server busy", "systemerror"),
    ("4.7.700", None, "agent busy", "systemerror"),
    ("4.3.1", None, "insufficient system resources", "systemfull"),
    ("5.1.1", None, "", "userunknown"),
    ("5.1.3", None, "invalid recipient address", "userunknown"),
    ("5.1.", (4, 5), "reserved by rfc 2606", "userunknown"),
    ("5.1.6", None, "single label domains", "userunknown"),
    ("5.1.10", None, "recipient not found", "userunknown"),
    ("5.4.1", None, "recipient address rejected: access denied", "userunknown"),
    ("5.5.0", None, "mailbox unavailable", "userunknown"),
    ("5.1.2", None, "invalid x.400 address", "userunknown"),
    ("5.1.351", None, "unknown recipient", "userunknown"),
)
# Outlook.com's own codes in its replies ("550 SC-001 ..."), with the reply code they come with.
_OUTLOOK_CODES = {
    "RP-001": ("421", "badreputation"),
    "RP-002": ("421", "badreputation"),
    "RP-003": ("421", "badreputation"),
    "SC-001": ("550", "badreputation"),
    "SC-002": ("550", "policyviolation"),
    "SC-003": ("550", "blocked"),
    "SC-004": ("550", "blocked"),
    "DY-001": ("550", "blocked"),
    "OU-001": ("550", "blocked"),
    "OU-002": ("550", "badreputation"),
}
_OUTLOOK_RE = re.compile(r"\b((?:RP|SC|DY|OU)-00\d)\b")
HOSTS = ("outlook.com", "hotmail.", "office365", "microsoft.com", "exchangelabs.com", "outlook.office")


def reason(lowered: str, status: str, reply_code: str, diagnostic: str) -> str:
    """The reason Microsoft's code ``status`` with its words in ``lowered`` names, or ""; ``diagnostic``
    (case kept) for Outlook.com's own codes."""
    if status:
        klass, _, rest = status.partition(".")
        subject, _, detail = rest.partition(".")
        prefix = f"{klass}.{subject}."
        number = int(detail) if detail.isdigit() else -1
        for code, span, words, found in _CODES:
            if span is None:
                if code != status:
                    continue
            elif code != prefix or not span[0] <= number <= span[1]:
                continue
            if words in lowered:
                return found
    match = _OUTLOOK_RE.search(diagnostic) if "-00" in diagnostic else None
    if match:
        code, found = _OUTLOOK_CODES[match.group(1)]
        if code == reply_code:
            return found
    return ""
