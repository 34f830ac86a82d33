"""What Gmail's and Google Workspace's replies mean, as Google documents them ("SMTP error reference",
support.google.com/a/answer/3726730, and the sender guidelines it links): Google answers most refusals
with 4.7.0 / 5.7.1 and says why only in words, so a status decides together with Google's words after it.
Pure and table-driven."""

from __future__ import annotations

# (status, the words Google writes with it, reason); the first row whose status and words match decides
_REPLIES: tuple[tuple[str, str, str], ...] = (
    ("4.7.24", "spf record of the sending domain", "authfailure"),
    ("5.7.24", "spf record of the sending domain", "authfailure"),
    ("4.7.26", "authenticate with either spf or dkim", "authfailure"),
    ("5.7.26", "authenticate with either spf or dkim", "authfailure"),
    ("5.7.26", "spf record with a hard fail", "authfailure"),
    ("4.7.26", "not accepted due to domain's dmarc policy", "authfailure"),
    ("5.7.26", "not accepted due to domain's dmarc policy", "authfailure"),
    ("5.7.1", "fails to pass authentication checks", "authfailure"),
    ("5.7.26", "fails to pass authentication checks", "authfailure"),
    ("4.7.27", "with spf", "authfailure"),
    ("5.7.27", "with spf", "authfailure"),
    ("4.7.30", "with dkim", "authfailure"),
    ("5.7.30", "with dkim", "authfailure"),
    ("4.7.32", "aligned with either the authenticated spf or dkim", "authfailure"),
    ("5.7.32", "aligned with either the authenticated spf or dkim", "authfailure"),
    ("4.7.40", "dmarc record", "authfailure"),
    ("4.7.0", "very low reputation of the sending", "badreputation"),
    ("5.7.1", "very low reputation of the sending", "badreputation"),
    ("4.7.0", "ip not in whitelist for rcpt domain", "blocked"),
    ("4.7.0", "try again later, closing connection", "blocked"),
    ("5.5.4", "helo/ehlo argument", "blocked"),
    ("4.7.0", "unusual rate of unsolicited mail", "blocked"),
    ("4.7.28", "unusual rate of mail", "blocked"),
    ("5.7.1", "unusual rate of unsolicited mail", "blocked"),
    ("5.7.28", "unusual rate of unsolicited mail", "blocked"),
    ("5.2.3", "exceeded google's message size limits", "exceedlimit"),
    ("5.3.4", "exceeds google's limit of", "exceedlimit"),  # attachments
    ("5.3.4", "header size limit", "exceedlimit"),
    ("5.3.4", "per individual header size", "exceedlimit"),
    ("5.3.4", "header name limit", "exceedlimit"),
    ("5.3.4", "message size limit", "mesgtoobig"),
    ("4.7.0", "connection expired", "expired"),
    ("4.4.2", "timeout - closing connection", "expired"),
    ("5.7.0", "must issue a starttls command first", "failedstarttls"),
    ("5.5.1", "starttls may not be repeated", "failedstarttls"),
    ("4.7.0", "tls required for rcpt domain", "failedstarttls"),
    ("4.7.29", "tls/ssl for smtp", "failedstarttls"),
    ("5.7.29", "tls/ssl for smtp", "failedstarttls"),
    ("4.2.2", "out of storage space", "mailboxfull"),
    ("5.2.2", "out of storage space", "mailboxfull"),
    ("4.2.2", "over quota", "mailboxfull"),
    ("5.2.2", "over quota", "mailboxfull"),
    ("5.7.1", "email quota exceeded", "mailboxfull"),
    ("5.4.6", "exceeded 50 hops", "networkerror"),
    ("5.6.0", "exceeded 50 hops", "networkerror"),
    ("5.7.0", "mail relay denied", "norelaying"),
    ("5.7.1", "invalid credentials for relay", "norelaying"),
    ("5.7.1", "not authorized to send email directly to our servers", "norelaying"),
    ("5.7.1", "a valid address in the from: header", "notcompliantrfc"),
    ("5.7.1", "multiple addresses in from: header", "notcompliantrfc"),
    ("5.7.1", "not rfc 5322 compliant", "notcompliantrfc"),
    ("5.7.1", "a valid message-id: header", "notcompliantrfc"),
    ("5.7.1", "unicode character in a disallowed header", "notcompliantrfc"),
    ("5.7.1", "encoded-word syntax is not permitted", "notcompliantrfc"),
    ("5.1.7", "not a valid rfc 5321 address", "notcompliantrfc"),
    ("5.6.0", "mail message is malformed", "notcompliantrfc"),
    ("5.7.0", "illegal attachment", "policyviolation"),
    ("5.7.0", "content presents a potential security issue", "policyviolation"),
    ("5.7.1", "has a policy that prohibited", "policyviolation"),
    ("4.7.28", "messages with the same message-id", "policyviolation"),
    ("5.7.0", "mail sending denied", "rejected"),
    ("5.7.1", "unauthenticated email is not accepted", "rejected"),
    ("4.7.0", "does not have a ptr record", "requireptr"),
    ("4.7.23", "have a ptr record", "requireptr"),
    ("5.7.1", "ipv6 sending guidelines regarding ptr records", "requireptr"),
    ("5.7.25", "does not have a ptr record", "requireptr"),
    ("5.7.25", "does not match the ip address of the hostname", "requireptr"),
    ("4.7.0", "too many login attempts", "securityerror"),
    ("5.5.2", "cannot decode response", "securityerror"),
    ("5.7.0", "no identity changes permitted", "securityerror"),
    ("5.5.1", "authentication required", "securityerror"),
    ("5.7.0", "authentication required", "securityerror"),
    ("5.7.1", "application-specific password required", "securityerror"),
    ("5.7.9", "application-specific password required", "securityerror"),
    ("5.7.1", "log in with your web browser", "securityerror"),
    ("5.7.9", "log in with your web browser", "securityerror"),
    ("5.7.14", "log in through your web browser", "securityerror"),
    ("5.7.1", "username and password not accepted", "securityerror"),
    ("5.7.8", "username and password not accepted", "securityerror"),
    ("4.7.0", "nature of the content or the links within", "spamdetected"),
    ("5.7.1", "likely unsolicited mail", "spamdetected"),
    ("4.2.1", "receiving mail too quickly", "speeding"),
    ("4.2.1", "relay limit exceeded", "speeding"),
    ("4.2.1", "rate that prevents additional messages", "speeding"),
    ("5.2.1", "rate that prevents additional messages", "speeding"),
    ("5.4.5", "daily sending quota exceeded", "speeding"),
    ("5.4.5", "daily user sending limit exceeded", "speeding"),
    ("5.4.5", "relay limit exceeded", "speeding"),
    ("5.7.1", "relay limit exceeded", "speeding"),
    ("5.7.1", "relay sending limit exceeded", "speeding"),
    ("5.7.1", "this mail has been rate limited", "speeding"),
    ("5.2.1", "account that you tried to reach is disabled", "suspend"),
    ("5.2.1", "account that you tried to reach is inactive", "suspend"),
    ("4.5.0", "smtp protocol violation", "syntaxerror"),
    ("5.7.10", "smtp protocol violation", "syntaxerror"),
    ("5.5.4", "optional argument not permitted", "syntaxerror"),
    ("5.7.11", "syntax error", "syntaxerror"),
    ("5.5.2", "syntax error", "syntaxerror"),
    ("5.5.1", "unrecognized command", "syntaxerror"),
    ("5.5.1", "unimplemented command", "syntaxerror"),
    ("5.5.1", "bad sequence of commands", "syntaxerror"),
    ("5.5.1", "ehlo/helo first", "syntaxerror"),
    ("5.5.1", "mail first", "syntaxerror"),
    ("5.5.1", "rcpt first", "syntaxerror"),
    ("5.5.1", "no data after bdat", "syntaxerror"),
    ("5.7.4", "unrecognized authentication type", "syntaxerror"),
    ("5.7.4", "xoauth is no longer supported", "syntaxerror"),
    ("5.7.0", "too many unauthenticated commands", "syntaxerror"),
    ("4.3.0", "temporary system problem", "systemerror"),
    ("4.7.0", "temporary system problem", "systemerror"),
    ("4.4.5", "server busy", "systemerror"),
    ("4.3.0", "multiple destination domains per transaction", "systemerror"),
    ("4.3.0", "temporarily rejected", "systemerror"),
    ("4.5.3", "domain policy size per transaction exceeded", "systemerror"),
    ("4.5.3", "too many recipients", "toomanyconn"),
    ("5.5.3", "too many recipients", "toomanyconn"),
)
HOSTS = ("google.com", "gmail.com", "googlemail.com")


def reason(lowered: str, status: str) -> str:
    """The reason Google's ``status`` with its words in ``lowered`` names, or ""."""
    for words, found in _BY_STATUS.get(status, ()):
        if words in lowered:
            return found
    return ""


def _by_status(rows: tuple[tuple[str, str, str], ...]) -> dict[str, tuple[tuple[str, str], ...]]:
    """The table by status, each status's rows in the table's order: a reply is looked up among its own
    code's rows, not the whole table."""
    out: dict[str, tuple[tuple[str, str], ...]] = {}
    for code, words, found in rows:
        out[code] = (*out.get(code, ()), (words, found))
    return out


_BY_STATUS = _by_status(_REPLIES)
