"""What large mail providers' own error codes and sentences mean (Orange / La Poste, GoDaddy, Cox, Facebook,
Japanese carriers, Microsoft's in ``microsoft``, Google's in ``google``, ...): the codes they document, and their fixed sentences where their host is named.
``decide`` takes the result as a preset reason. Pure and table-driven."""

from __future__ import annotations

import re
from collections.abc import Callable

from maildaemon.core.replies import google, microsoft
from maildaemon.core.replies.index import holds_any

# Orange and La Poste: "OFR005_505", "LPN007_416", "OFR_416", "LPN416"; the last three digits say why.
_FRANCE_RE = re.compile(r"\b(?:lpn|ofr|ouk)(?:aaa)?\d{0,3}_?(\d{3})\b")
_FRANCE = {
    "101": "blocked",
    "102": "blocked",
    "103": "blocked",
    "104": "toomanyconn",
    "105": "blocked",  # OFR_105 / OFR004_105 "Service refuse ... service refused, please try later"
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
    "503": "blocked",  # LPN027_503: the sending host refused for a while on its record
    "505": "systemerror",
    "506": "spamdetected",
    "510": "blocked",
    "514": "mesgtoobig",
    "517": "authfailure",
    "630": "policyviolation",
    "999": "blocked",
}
# SFR (sfr.fr, neuf.fr, ...): "SFR_IN_101"; the last two digits say why (01 spam complaints, 02 viruses,
# 03 SMTP errors, 04 unknown users, 05 volume), each a two-hour block of the sending IP.
_SFR_RE = re.compile(r"\bsfr_in_\d(\d{2})\b")
_SFR = {"01": "badreputation", "02": "virusdetected", "03": "blocked", "04": "blocked", "05": "speeding"}
# NetEase (163.com, 126.com, yeah.net and the enterprise mail built on it): "421 HL:ICC", "451 DT:SPM"; the
# code says why, whatever (often nothing) follows it.
_NETEASE_RE = re.compile(r"\b((?:HL|MI|RP|DT|WM):[A-Z]{3})\b")
_NETEASE = {
    "HL:REP": "blocked",  # the IP sent to many nonexistent recipients
    "HL:MEP": "blocked",  # the IP forged many sender domains
    "HL:IHU": "blocked",  # the IP suspended for breaking the terms of service
    "HL:IPB": "blocked",  # the IP not in the allowed sending list
    "HL:ICC": "toomanyconn",  # too many concurrent connections from the IP
    "HL:IFC": "speeding",  # too many messages from the IP in a short time
    "HL:IFQ": "speeding",
    "MI:DMC": "toomanyconn",  # too many messages in one connection
    "RP:DRC": "toomanyconn",  # too many recipients in one connection
    "MI:SFQ": "speeding",  # the sender over its quota for 15 minutes
    "DT:RBL": "blocked",  # the IP on one or more RBLs
    "DT:SPM": "spamdetected",  # the content looks like spam
    "WM:BLI": "blocked",  # the IP not in the allowed list
    "WM:BLU": "rejected",  # the sender not in the allowed list
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
# Cox: "AUP#CXBL" and the like; "AUP#IPBL0001", "IPBL0110", ...: the DNSBLs (Spamhaus Zen, Return Path,
# ivmSIP, Cloudmark CSI) the sending IP is listed on, one bit each (Cox's Error Codes page), all a block.
_COX_RE = re.compile(r"AUP#(IPBL(?=\d)|[A-Z0-9]+)")
_COX = {
    "IPBL": "blocked",
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
# AOL's postmaster codes: "554 RTR:BB", "554 RLY:B1", "554 HVU:B1" (AOL Postmaster, List of Errors): RTR
# blocks are of the sending IP (dynamic or residential, compromised, unallocated, dynamic-looking rDNS), RLY:B1
# a block for member complaints over the threshold, HVU:B1 a domain in the message's content.
_AOL_RE = re.compile(r"\b((?:RTR|RLY|HVU):[A-Z0-9]{2})\b")
_AOL = {
    "RTR:BB": "blocked",
    "RTR:DU": "blocked",
    "RTR:CH": "blocked",
    "RTR:BG": "blocked",
    "RTR:RD": "blocked",
    "RLY:B1": "badreputation",
    "HVU:B1": "spamdetected",
}
# EarthLink's postmaster codes (run by Vade): "ELNK_111" in the reply; the code says why (EarthLink postmaster,
# Inbound and Outbound SMTP error codes), whatever generic words ("Connection refused") come with it.
_EARTHLINK_RE = re.compile(r"\bELNK_(\d{3})\b")
_EARTHLINK = {
    "101": "blocked",  # the sending IP on the Vade Threat Network list
    "102": "blocked",  # on a blocklist (Validity's, EarthLink's own)
    "103": "systemerror",  # the server temporarily unavailable
    "105": "requireptr",  # reverse DNS
    "108": "requireptr",  # forward-confirmed reverse DNS
    "110": "toomanyconn",  # concurrent connections over the limit
    "111": "blocked",  # on a Spamhaus blocklist
    "130": "badreputation",  # the source of unacceptable messages, rate-limited
    "134": "blocked",  # taking part in SMTP AUTH attacks
    "136": "speeding",  # excessive volume sent
    "139": "toomanyconn",  # excessive connections
    "200": "securityerror",  # authentication method not supported
    "201": "blocked",  # HELO/EHLO string unacceptable
}
# (pattern, table, match the lower-cased text, literals of which every match contains one)
_CODES = (
    (_FRANCE_RE, _FRANCE, True, ("lpn", "ofr", "ouk")),
    (_GODADDY_RE, _GODADDY, False, ("IB",)),
    (_COX_RE, _COX, False, ("AUP#",)),
    (_FACEBOOK_RE, _FACEBOOK, False, ("-P", "-T")),
    (_SFR_RE, _SFR, True, ("sfr_in_",)),
    (_NETEASE_RE, _NETEASE, False, ("HL:", "MI:", "RP:", "DT:", "WM:")),
    (_AOL_RE, _AOL, False, ("RTR:", "RLY:", "HVU:")),
    (_EARTHLINK_RE, _EARTHLINK, False, ("ELNK_",)),
)
# The keys of the codes matched in the text as it was written, one regex: they are capitals and signs ("HL:",
# "AUP#", "-P") whose first characters are rare in a reply's text, so the regex engine skips most of it,
# where a key at a time scans it whole a dozen times.
_CASED_KEYS = re.compile(
    "|".join(re.escape(key) for _, _, lower, keys in _CODES if not lower for key in keys)
)
_LOWER_CODES = tuple(code for code in _CODES if code[2])  # what is left to look for in a text without them

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
    # answered to RCPT, before any content was sent: the sender is refused, whatever the word "spam" says
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
    # Tencent (QQ Mail, Exmail), as its help pages (service.mail.qq.com/detail/122) describe its replies
    ("qq.com", "", "spf check failed", "authfailure"),
    ("qq.com", "", "dmarc check failed", "authfailure"),
    ("qq.com", "", "suspected bounce attacks", "blocked"),
    ("qq.com", "", "suspected spam ip", "blocked"),
    ("qq.com", "", "connection denied", "blocked"),
    ("qq.com", "", "message too large", "mesgtoobig"),
    ("qq.com", "", "suspected spam", "rejected"),
    ("qq.com", "", "mail is rejected by recipients", "rejected"),
    ("qq.com", "", "spam is embedded in the email", "spamdetected"),
    ("qq.com", "", "mail content denied", "spamdetected"),
    (
        "qq.com",
        "",
        "access denined",
        "speeding",
    ),  # sic: its rate limit, not the "access denied" of a suspension
    ("qq.com", "", "frequency of receiving messages is limited", "speeding"),
    ("qq.com", "", "is a deactivated mailbox", "suspend"),
    ("qq.com", "", "bad address syntax", "syntaxerror"),
    ("qq.com", "", "frequency limited", "toomanyconn"),
    ("qq.com", "", "mailbox not found", "userunknown"),
    # Broadcom / Symantec Email Security.cloud (MessageLabs), as its knowledge base describes its replies
    ("messagelabs.com", "", "domain authentication fail", "authfailure"),
    ("messagelabs.com", "", "connection rejected by policy", "badreputation"),
    ("messagelabs.com", "", "your ip is in the pbl", "blocked"),
    ("messagelabs.com", "", "your ip address has been", "blocked"),
    ("messagelabs.com", "", "stray linefeeds in message", "contenterror"),
    ("messagelabs.com", "", "tls/sslv3 connection required", "failedstarttls"),
    ("messagelabs.com", "", " as a relay, ", "norelaying"),
    ("messagelabs.com", "", "550 requested action aborted [4]", "notcompliantrfc"),
    ("messagelabs.com", "", "this message is not rfc 5322", "notcompliantrfc"),
    ("messagelabs.com", "", "sender envelope domain not allowed for sender ip address", "rejected"),
    ("messagelabs.com", "", "your domain has been", "rejected"),
    ("messagelabs.com", "", "your email address has been", "rejected"),
    ("messagelabs.com", "", "your envelope sender is in my badmailfrom list", "rejected"),
    ("messagelabs.com", "", "turn on smtp authentication in your mail client", "securityerror"),
    ("messagelabs.com", "", "message filtered", "spamdetected"),
    ("messagelabs.com", "", "filtered by outbound scanning", "spamdetected"),
    ("messagelabs.com", "", "too many recipients received this hour", "toomanyconn"),
    ("messagelabs.com", "", "too many messages", "toomanyconn"),
    ("messagelabs.com", "", "no such user", "userunknown"),
    ("messagelabs.com", "", "invalid recipient", "userunknown"),
    ("messagelabs.com", "", "mailbox is not allowed", "userunknown"),
    ("docomo.ne.jp", "", "552 too much mail data", "mailboxfull"),
    ("docomo.ne.jp", "", "552 too many recipients", "toomanyconn"),
    ("docomo.ne.jp", "", "503 bad sequence of commands", "syntaxerror"),
    ("docomo.ne.jp", "", "504 command parameter not implemented", "syntaxerror"),
)
_HOST_HINTS = tuple(dict.fromkeys(hint for hint, _, _, _ in _PROVIDER_PHRASES))
# each host's sentences in the table's order: a host named is looked up among its own rows only
_PHRASES_BY_HOST = {
    hint: tuple((code, phrase, reason) for host, code, phrase, reason in _PROVIDER_PHRASES if host == hint)
    for hint in _HOST_HINTS
}


def provider_reason(
    diagnostic: str,
    hosts: str,
    reply_code: str = "",
    command: str | Callable[[], str] = "",
    status: str = "",
    lowered: str | None = None,
) -> str:
    """The reason a provider's error code or own sentence names, or "". ``hosts`` is lower-cased text
    that names the remote host (Remote-MTA, the recipient's domain, the notice's "host ... said");
    ``lowered``: ``diagnostic.lower()`` when the caller has it already."""
    if not diagnostic:
        return ""
    if lowered is None:
        lowered = diagnostic.lower()
    for pattern, table, lower, keys in _CODES if _CASED_KEYS.search(diagnostic) else _LOWER_CODES:
        text = lowered if lower else diagnostic
        if not holds_any(text, keys):
            continue
        match = pattern.search(text)
        if match and table.get(match.group(1)):
            return table[match.group(1)]
    if not hosts:
        return ""
    if holds_any(hosts, microsoft.HOSTS):
        found = microsoft.reason(lowered, status, reply_code, diagnostic)
        if found:
            return found
    if holds_any(hosts, google.HOSTS):
        found = google.reason(lowered, status)
        if found:
            return found
    for hint in filter(hosts.__contains__, _HOST_HINTS):  # the hints named, in order, tested in C
        for code, phrase, reason in _PHRASES_BY_HOST[hint]:
            if (not code or code == reply_code) and phrase in lowered:
                return reason
        if hint == "docomo.ne.jp" and "550 unknown user" in lowered:
            # NTT DOCOMO answers "550 Unknown user" both for a missing mailbox and, after DATA or with
            # status 5.2.0, when the recipient's filter refuses the sender.
            if status == "5.2.0":
                return "filtered"
            answered = command if isinstance(command, str) else command()
            return "rejected" if answered == "DATA" and status != "5.1.1" else "userunknown"
    return ""
