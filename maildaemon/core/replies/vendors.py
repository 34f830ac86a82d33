"""What one MTA's or mail provider's own vocabulary says: the fixed sentences an MTA writes for each failure
(IMail, Notes, InterScan, OpenSMTPD, Exchange 2003 error numbers, ...) and the error codes large providers
put in their replies (Orange / La Poste, GoDaddy, Cox, Facebook, ...). ``decide`` takes the result
as a preset reason. Pure and table-driven; each table is one regular expression searched once."""

from __future__ import annotations

import re
from collections.abc import Callable

# Sentences MTAs write verbatim, per reason (lower-cased text). Only phrases that no other failure shares.
_MTA_PHRASES: dict[str, tuple[str, ...]] = {
    "userunknown": (
        r"invalid final delivery userid",  # IMail
        r"user +not listed in public name & address book",  # Lotus Notes
        r"not listed in (?:the )?domino directory",  # HCL / IBM Domino
        r"ディレクトリのリストにありません",  # Notes (Japanese)
        r"unable to deliver message to <[^>\s]+> \(and other recipients in the same domain\)",  # InterScan
        r"\(000c05a6\)",  # Exchange 2003 "Unknown Recipient"
        r"the recipient name is not recognized",  # Exchange 2003
    ),
    "filtered": (r"\(000c0595\)",),  # Exchange 2003 "Ambiguous Recipient"
    "mailboxfull": (r"user mailbox exceeds allowed size",),  # IMail
    "virusdetected": (r"requested action not taken: virus detected",),  # IMail
    "spamdetected": (r"blacklisted url in message",),  # IMail
    "expired": (
        r"delivery failed \d+ attempts",  # IMail
        r"envelope expired",  # OpenSMTPD
    ),
    "notaccept": (
        r"destination seem to reject all mails",  # OpenSMTPD
        r"no mx found for (?:domain|destination)",  # OpenSMTPD
    ),
    "hostunknown": (r"invalid domain name",),  # OpenSMTPD
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
    "systemerror": (r"\((?:00010256|000d06b5)\)",),  # Exchange 2003
    "contenterror": (r"\((?:00050311|000502cc)\)",),  # Exchange 2003 "Conversion to Internet format failed"
}

# qmail (and its clones, Yahoo's "Failure Notice") words its own failures; some of these are too plain to
# trust in other notices ("unable to", "system error").
_QMAIL_PHRASES: dict[str, tuple[str, ...]] = {
    "hostunknown": (r"sorry, i couldn't find any host ",),
    "mailboxfull": (r"disk quota exceeded",),
    "mesgtoobig": (r"message size exceeds fixed maximum message size",),
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


def _alternation(table: dict[str, tuple[str, ...]]) -> re.Pattern[str]:
    return re.compile("|".join(f"(?P<{reason}>{'|'.join(phrases)})" for reason, phrases in table.items()))


_MTA_RE = _alternation(_MTA_PHRASES)
_QMAIL_RE = _alternation(_QMAIL_PHRASES)
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
    if any(key in lowered for key in _MTA_KEYS):
        match = _MTA_RE.search(lowered)
        if match:
            return match.lastgroup or ""
    if not qmail:
        return ""
    if " but my name was rejected" in lowered:
        return "blocked"
    if "does not like recipient" in lowered and _QMAIL_EXPIRED in lowered:
        return "onhold"
    match = _QMAIL_RE.search(lowered)
    if match:
        return match.lastgroup or ""
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


# ---- providers' error codes --------------------------------------------------------------------------

# Orange and La Poste: "OFR005_505", "LPN007_416", "OFR_416", "LPN416"; the last three digits say why.
_FRANCE_RE = re.compile(r"\b(?:lpn|ofr|ouk)(?:aaa)?\d{0,3}_?(\d{3})\b")
_FRANCE = {
    "101": "blocked",
    "102": "blocked",
    "103": "blocked",
    "104": "toomanyconn",
    "305": "securityerror",
    "401": "authfailure",
    "402": "securityerror",
    "403": "rejected",
    "405": "rejected",
    "415": "rejected",
    "416": "userunknown",
    "417": "mailboxfull",
    "420": "suspend",
    "421": "rejected",
    "426": "suspend",
    "505": "systemerror",
    "506": "spamdetected",
    "510": "blocked",
    "514": "mesgtoobig",
    "517": "authfailure",
    "630": "policyviolation",
    "999": "blocked",
}
# GoDaddy (secureserver.net): "IB607" and the like at the end of the reply.
_GODADDY_RE = re.compile(r"\bIB(\d{3})\b")
_GODADDY = {
    "401": "securityerror",
    "501": "notcompliantrfc",
    "502": "notcompliantrfc",
    "506": "rejected",
    "508": "authfailure",
    "108": "requireptr",
    "212": "spamdetected",
    "705": "virusdetected",
    "605": "toomanyconn",
    "007": "toomanyconn",
    "101": "speeding",
    "110": "blocked",
    "111": "blocked",
    "112": "blocked",
    "113": "blocked",
    "504": "speeding",
    "510": "speeding",
    "607": "speeding",
    "103": "badreputation",
    "104": "blocked",
    "105": "blocked",
    "106": "blocked",
}
# Cox: "AUP#CXBL" and the like.
_COX_RE = re.compile(r"AUP#([A-Z0-9]+)")
_COX = {
    "CXBL": "blocked",
    "CDRBL": "blocked",
    "CXDNS": "requireptr",
    "CXSNDR": "authfailure",
    "CXSMTP": "rejected",
    "CXCNCT": "toomanyconn",
    "CXMXRT": "toomanyconn",
    "CXTHRT": "securityerror",
    "CXMJ": "securityerror",
}
# Facebook's response codes: "RCP-P2", "POL-T1", ...
_FACEBOOK_RE = re.compile(r"\b((?:RCP|POL|MSG|INT|DNS|CON)-[PT]\d)\b")
_FACEBOOK = {
    "POL-P1": "blocked",
    "POL-P2": "blocked",
    "POL-P3": "blocked",
    "POL-P4": "blocked",
    "POL-T1": "blocked",
    "POL-T2": "blocked",
    "POL-T3": "blocked",
    "POL-P5": "virusdetected",
    "POL-P6": "spamdetected",
    "POL-P7": "authfailure",
    "MSG-P1": "mesgtoobig",
    "INT-P2": "mesgtoobig",
    "MSG-P2": "contenterror",
    "MSG-P3": "notcompliantrfc",
    "MSG-T1": "toomanyconn",
    "RCP-P1": "userunknown",
    "INT-P1": "userunknown",
    "INT-P3": "userunknown",
    "INT-P4": "userunknown",
    "RCP-P2": "filtered",
    "RCP-P3": "filtered",
    "RCP-T1": "systemerror",
    "RCP-T4": "suspend",
    "DNS-P1": "rejected",
    "DNS-P2": "rejected",
    "DNS-T1": "rejected",
    "DNS-P3": "requireptr",
    "DNS-T2": "requireptr",
    "CON-T1": "toomanyconn",
    "CON-T2": "toomanyconn",
    "CON-T3": "toomanyconn",
    "CON-T4": "toomanyconn",
}
# (pattern, table, match the lower-cased text, literals of which every match contains one)
_CODES = (
    (_FRANCE_RE, _FRANCE, True, ("lpn", "ofr", "ouk")),
    (_GODADDY_RE, _GODADDY, False, ("IB",)),
    (_COX_RE, _COX, False, ("AUP#",)),
    (_FACEBOOK_RE, _FACEBOOK, False, ("-P", "-T")),
)

# Providers' own sentences, used only when the provider's host is named: (host hint, reply code or "",
# phrase, reason).
_PROVIDER_PHRASES: tuple[tuple[str, str, str, str], ...] = (
    ("secureserver.net", "", "rbl reject", "blocked"),
    ("secureserver.net", "", "has been in the queue too long", "expired"),
    ("secureserver.net", "", "delivery timeout", "expired"),
    ("secureserver.net", "", "account storage limit", "mailboxfull"),
    ("secureserver.net", "", "message rejected for spam or virus content", "spamdetected"),
    ("secureserver.net", "", "account disabled", "suspend"),
    ("secureserver.net", "", "message is looping", "systemerror"),
    ("secureserver.net", "", "account does not exist", "userunknown"),
    ("cox.net", "", "too many invalid recipients", "blocked"),
    ("cox.net", "", "cox too many bad commands", "blocked"),
    ("cox.net", "", "rejected - no rdns", "requireptr"),
    ("cox.net", "", "dns check failure - try again later", "requireptr"),
    ("cox.net", "", "esmtp no data before greeting", "policyviolation"),
    ("cox.net", "", "attachment extension is forbidden", "policyviolation"),
    ("cox.net", "", "esmtp server temporarily not available", "systemerror"),
    ("cox.net", "", "too many sessions from", "toomanyconn"),
    ("cox.net", "", "message threshold exceeded", "toomanyconn"),
    ("cox.net", "", "recipient rejected", "userunknown"),
    ("cox.net", "", "sender rejected", "rejected"),
    ("zoho.com", "", "email rejected per dmarc policy", "authfailure"),
    ("zoho.com", "", "greylisted, try again after some time", "blocked"),
    ("zoho.com", "", "reason: email flagged as spam", "rejected"),
    ("zoho.com", "", "mail rejected by destination domain", "rejected"),
    ("zoho.com", "", "email policy violation detected", "policyviolation"),
    ("zoho.com", "", "mailbox delivery restricted by policy", "policyviolation"),
    ("zoho.com", "", "temporary system error", "systemerror"),
    ("zoho.com", "", "user does not exist", "userunknown"),
    ("zoho.com", "", " detected by zoho mail", "virusdetected"),
    ("mimecast", "550", "spf sender invalid - envelope rejected", "authfailure"),
    ("mimecast", "550", "dkim sender invalid - envelope rejected", "authfailure"),
    ("mimecast", "550", "dmarc sender invalid - envelope rejected", "authfailure"),
    ("mimecast", "451", "internal resources are temporarily unavailable", "badreputation"),
    ("mimecast", "550", "local ct ip reputation", "badreputation"),
    ("mimecast", "421", "sender address blocked", "blocked"),
    ("mimecast", "451", "recipient temporarily unavailable", "blocked"),
    ("mimecast", "451", "ip temporarily blacklisted", "blocked"),
    ("mimecast", "553", "this route requires", "failedstarttls"),
    ("mimecast", "554", "configuration is invalid for this certificate", "failedstarttls"),
    ("mimecast", "554", "maximum email size exceeded", "mesgtoobig"),
    ("mimecast", "", "the incorrect hostname used for inbounds", "networkerror"),
    ("mimecast", "554", "mail loop detected", "networkerror"),
    ("mimecast", "451", "open relay not allowed", "norelaying"),
    ("mimecast", "451", "open relay is not allowed", "norelaying"),
    ("mimecast", "451", "account inbounds disabled", "notaccept"),
    ("mimecast", "550", "anti-spoofing policy", "policyviolation"),
    ("mimecast", "550", "content examination policy", "policyviolation"),
    ("mimecast", "554", "host network not allowed", "policyviolation"),
    ("mimecast", "554", "host network, not allowed", "policyviolation"),
    ("mimecast", "550", "administrative prohibition envelope blocked", "rejected"),
    ("mimecast", "550", "envelope blocked - user", "rejected"),
    ("mimecast", "550", "manually blocked senders", "rejected"),
    ("mimecast", "550", "blocked senders - block policy", "rejected"),
    ("mimecast", "550", "block policy for envelope from", "rejected"),
    ("mimecast", "535", "incorrect authentication data", "securityerror"),
    ("mimecast", "550", "submitter failed to", "securityerror"),
    ("mimecast", "451", "unable to process connection at this time", "systemerror"),
    ("mimecast", "451", "message ended early", "systemerror"),
    ("mimecast", "451", "unable to process command", "systemerror"),
    ("mimecast", "451", "unable to process an email at this time", "systemerror"),
    ("mimecast", "451", "account service is temporarily unavailable", "toomanyconn"),
    ("mimecast", "452", "too many recipients", "toomanyconn"),
    ("mimecast", "550", "exceeding outbound thread limit", "toomanyconn"),
    ("mimecast", "501", "invalid address", "userunknown"),
    ("mimecast", "503", "user unknown", "userunknown"),
    ("mimecast", "550", "invalid recipient", "userunknown"),
    ("mimecast", "554", "email rejected due to security policies", "virusdetected"),
    ("yahoodns.net", "", "yahoo requires all senders to authenticate", "authfailure"),
    ("yahoodns.net", "", "because the ip is in spamhaus's list", "blocked"),
    ("yahoodns.net", "", "not accepted from ip addresses on spamhaus", "blocked"),
    ("yahoodns.net", "", "relaying denied for ", "norelaying"),
    ("yahoodns.net", "", "headers are not rfc compliant", "notcompliantrfc"),
    ("yahoodns.net", "", "not accepted for policy reasons", "policyviolation"),
    ("yahoodns.net", "", "due to unexpected volume or user complaints", "rejected"),
    ("yahoodns.net", "", "due to unresolvable rfc.5321", "rejected"),
    ("yahoodns.net", "", " will be permanently deferred", "rejected"),
    ("yahoodns.net", "", "user is receiving mail too quickly", "speeding"),
    ("yahoodns.net", "", " is no longer valid.", "suspend"),
    ("yahoodns.net", "", "this mailbox is disabled", "suspend"),
    ("yahoodns.net", "", "syntax error in parameters or arguments", "syntaxerror"),
    ("yahoodns.net", "", "max message per connection reached", "toomanyconn"),
    ("yahoodns.net", "", "dd this user doesn't have a ", "userunknown"),
    ("yahoodns.net", "", "mailbox not found", "userunknown"),
    ("docomo.ne.jp", "", "552 too much mail data", "mailboxfull"),
    ("docomo.ne.jp", "", "552 too many recipients", "toomanyconn"),
    ("docomo.ne.jp", "", "503 bad sequence of commands", "syntaxerror"),
    ("docomo.ne.jp", "", "504 command parameter not implemented", "syntaxerror"),
)
_HOST_HINTS = tuple(dict.fromkeys(hint for hint, _, _, _ in _PROVIDER_PHRASES))


def provider_reason(
    diagnostic: str,
    hosts: str,
    reply_code: str = "",
    command: str | Callable[[], str] = "",
    status: str = "",
) -> str:
    """The reason a provider's error code or own sentence names, or "". ``hosts`` is lower-cased text
    that names the remote host (Remote-MTA, the recipient's domain, the notice's "host ... said")."""
    if not diagnostic:
        return ""
    lowered = diagnostic.lower()
    for pattern, table, lower, keys in _CODES:
        text = lowered if lower else diagnostic
        if not any(key in text for key in keys):
            continue
        match = pattern.search(text)
        if match and table.get(match.group(1)):
            return table[match.group(1)]
    if not hosts:
        return ""
    for hint in _HOST_HINTS:
        if hint not in hosts:
            continue
        for host, code, phrase, reason in _PROVIDER_PHRASES:
            if host == hint and (not code or code == reply_code) and phrase in lowered:
                return reason
        if hint == "docomo.ne.jp" and "550 unknown user" in lowered:
            # NTT DOCOMO answers "550 Unknown user" both for a missing mailbox and, after DATA or with
            # status 5.2.0, when the recipient's filter refuses the sender.
            if status == "5.2.0":
                return "filtered"
            answered = command if isinstance(command, str) else command()
            return "rejected" if answered == "DATA" and status != "5.1.1" else "userunknown"
    return ""
