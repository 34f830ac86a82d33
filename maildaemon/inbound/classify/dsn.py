"""RFC 3464 delivery status notifications (and RFC 6533 global ones): one verdict per recipient block."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import partial

from maildaemon.core import replies
from maildaemon.core.reasons import is_hard
from maildaemon.inbound.classify import heuristics
from maildaemon.inbound.classify.mime import Part, decode_header
from maildaemon.inbound.classify.verdict import RecipientVerdict

# A report's fields under a text/ type are still the report: a mail library's text part of subtype
# "delivery-status" (Python's MIMEText(fields, "delivery-status")) is how some senders of DSNs label it.
DSN_TYPES = frozenset(
    {
        "message/delivery-status",
        "message/global-delivery-status",
        "text/delivery-status",
        "text/global-delivery-status",
    }
)
_FOLD = re.compile(r"\n[ \t]+")
_ADDR_TYPE = re.compile(r"^\s*[\w/.\-]{1,20}\s*;\s*")
_DIAG_TYPE = re.compile(r"^\s*[A-Za-z][\w.\-]{0,15}\s*;\s*")
_ANGLE = re.compile(r"<([^<>\s]+@[^<>\s]+)>")
_PER_RECIPIENT = ("final-recipient", "original-recipient", "x-actual-recipient")
# A comment after the Status field's code ("5.2.1 (mailbox disabled, not accepting messages)", "4.2.2 (Over
# quota)"): the reporting MTA's own words for the failure, read with the remote reply.
# a reply code then its status, as a relay quotes the remote's reply inside its own text
# an SMTP reply that opens with its code and its own enhanced status: "552 5.3.4 ...", "550-5.7.1 ..."
_REPLY_WITH_STATUS = re.compile(r"[245]\d\d[ -][245]\.\d{1,3}\.\d{1,3}\b")
_QUOTED_REPLY = re.compile(r"\b[245]\d\d[ -]'?([245])\.(\d{1,3})\.(\d{1,3})\b")
_STATUS_COMMENT = re.compile(r"\(([^()]{3,80})\)")


def clean_address(value: str) -> str:
    """``rfc822; <Foo@Bar>`` -> ``Foo@Bar`` (case kept: local parts may be case-sensitive)."""
    value = _ADDR_TYPE.sub("", value).strip()
    match = _ANGLE.search(value)
    if match:
        return match.group(1)
    return value.strip("<>\"' \t;").split()[0] if value.strip("<>\"' \t;") else ""


def _fields(text: str) -> list[tuple[str, str]]:
    """(lower-cased name, value) per field line, ("", "") per blank line. The fold regex runs only on a
    text that has a fold, and a line is split once (a line holding a colon is never blank)."""
    if "\n " in text or "\n\t" in text:
        text = _FOLD.sub(" ", text)
    out: list[tuple[str, str]] = []
    for line in text.split("\n"):
        name, sep, value = line.partition(":")
        if sep:
            key = name.strip()
            if name and " " not in key:
                out.append((key.lower(), value.strip()))
        elif not line.strip():
            out.append(("", ""))
    return out


def parse_blocks(text: str) -> tuple[dict[str, str], list[dict[str, str]]]:
    """Per-message fields and the per-recipient field blocks. A new block starts at a blank line or when
    a recipient field repeats, which copes with reports that omit the blank lines."""
    message: dict[str, str] = {}
    blocks: list[dict[str, str]] = []
    current: dict[str, str] = {}
    for name, value in _fields(text):
        if not name:
            if current:
                blocks.append(current)
                current = {}
            continue
        if name in current and (name in _PER_RECIPIENT or name in ("action", "status")):
            blocks.append(current)
            current = {}
        current.setdefault(name, value)
    if current:
        blocks.append(current)
    recipients = []
    for block in blocks:
        if not block.keys().isdisjoint(_PER_RECIPIENT):
            recipients.append(block)
        else:
            message.update({k: v for k, v in block.items() if k not in message})
    if not recipients:
        # a report whose per-recipient entry names nobody (RFC 3464 requires Final-Recipient, yet some
        # reporters leave it out): an entry with an Action and a Status is still the report on the one
        # recipient, and its status says why; the address comes from elsewhere (a failed-recipients header,
        # the notice) or stays unknown
        recipients = [block for block in blocks if "action" in block and "status" in block]
    if len(recipients) > 1:
        recipients = _without_bare_repeats(recipients)
    return message, recipients


# What makes a recipient block an entry about a delivery, not a mention of the address
_DELIVERY_FIELDS = ("action", "status", "diagnostic-code", "remote-mta")


def _named(block: dict[str, str]) -> set[str]:
    return {clean_address(block[key]).lower() for key in _PER_RECIPIENT if block.get(key)} - {""}


def _without_bare_repeats(recipients: list[dict[str, str]]) -> list[dict[str, str]]:
    """A block that only names an address (an "Original-Recipient:" line of a notice's text, report fields
    copied into prose) adds nothing where another block reports on the same address: it is dropped, so the
    address has one verdict, the reported one."""
    reported: set[str] = set()
    for block in recipients:
        if any(key in block for key in _DELIVERY_FIELDS):
            reported |= _named(block)
    return [
        block
        for block in recipients
        if any(key in block for key in _DELIVERY_FIELDS) or not (_named(block) & reported)
    ]


def verdicts_from_part(part: Part, context: str = "") -> list[RecipientVerdict]:
    """Verdicts for a delivery-status part; ``context`` is the human-readable notice, used when the
    report itself says nothing about why."""
    _, blocks = parse_blocks(part.text())
    out: list[RecipientVerdict] = []
    for block in blocks:
        final = clean_address(block.get("final-recipient", "") or block.get("x-actual-recipient", ""))
        original = clean_address(block.get("original-recipient", ""))
        recipient = final if "@" in final or not original else original
        if heuristics.is_mta_address(recipient):  # a pipe or a list manager: the person is elsewhere
            # (never the list manager's own address, even where no one else is named: issue 15 says so, and
            # no invitation goes to one)
            recipient = original if original and not heuristics.is_mta_address(original) else ""
        action = block.get("action", "").strip().lower().split()[0] if block.get("action", "").strip() else ""
        # a field re-written by a mail client or library as RFC 2047 encoded words (Python's email package
        # writes a Diagnostic-Code with 8-bit text as "=?unknown-8bit?b?...?="): read as the text it encodes
        raw_diagnostic = decode_header(block.get("diagnostic-code", ""))
        type_match = _DIAG_TYPE.match(raw_diagnostic)
        diagnostic_type = type_match.group(0).strip(" \t;").lower() if type_match else ""
        diagnostic = raw_diagnostic[type_match.end() :].strip() if type_match else raw_diagnostic.strip()
        diagnostic = heuristics.whole_reply(context, diagnostic)
        status = replies.find_status(block.get("status", ""))
        diag_status = replies.find_status(diagnostic)
        remote_reply = diagnostic
        if diag_status and diagnostic[:1].isdigit() and diagnostic.startswith(diag_status):
            # a relay's own status and words first, then the remote's reply it quotes ("5.1.0 - Unknown
            # address error 550-'5.7.1 ... Access denied'"): the remote's status and text say what happened.
            # A transient reply inside a permanent wrapper is not: the relay gave up retrying ("5.4.7 -
            # Delivery expired ... 450-'4.2.1 ...'"), and its own words say so.
            quoted = _QUOTED_REPLY.search(diagnostic, len(diag_status))
            if quoted and quoted.group(1) == diag_status[0]:
                diag_status = ".".join(quoted.groups())
                remote_reply = diagnostic[quoted.start() :]
        if diag_status and (not status or (status.endswith(".0.0") and diag_status[0] == status[0])):
            status = diag_status
        elif (
            diag_status
            and diag_status[0] == status[0]
            and diag_status != status
            and diagnostic_type in ("", "smtp")
            and _REPLY_WITH_STATUS.match(diagnostic)
        ):
            # the remote's reply with its own status ("552 5.3.4 Message size exceeds fixed limit") where the
            # reporting MTA's Status: says another of the same class: the reply is the evidence; the Status:
            # is the MTA's summary of it, and may be stale (Sendmail 8.17, on a cached connection, writes the
            # previous transaction's 5.2.2 or 5.1.1 above the next one's 552 5.3.4 or 550 5.7.1)
            status = diag_status
        remote = _DIAG_TYPE.sub("", block.get("remote-mta", "")).strip()
        reply_code = replies.find_reply_code(diagnostic)
        if action in ("delivered", "relayed", "expanded") or status.startswith("2"):
            reason = "delivered"
        else:
            text = remote_reply
            if not text:  # the report says nothing: the notice's line for this recipient may
                text = heuristics.diagnostic_for(context, recipient) if recipient else ""
                if not text and not replies.status_reason(status):
                    text = context[:1500]
                found = replies.find_status(text)
                if found and (not status or (status.endswith(".0.0") and found[0] == status[0])):
                    status = found
                reply_code = reply_code or replies.find_reply_code(text)
            if not status and reply_code:
                status = f"{reply_code[0]}.0.0"
            if action == "delayed" and heuristics.RAN_OUT.search(text.lower()):
                action = "failed"
            comment = _STATUS_COMMENT.search(block.get("status", ""))
            if comment and text:  # the reporting MTA's words on its status, after the remote's reply
                text = f"{text} ({comment.group(1)})"
            # no remote reply: the reporting MTA refused it itself; not so a report whose action is RFC 8098's
            # disposition "deleted" (realmta round 16: GNU Mailutils' Sieve reject, "Reporting-UA: sieve"), the
            # recipient's own filter discarding a message already taken, after its transfer
            own = not raw_diagnostic and not remote and action != "deleted"
            command = replies.Lazy(partial(_command, context, recipient, diagnostic, own))
            category = block.get("x-powermta-bouncecategory", "").strip().lower()
            reason = decide(
                status,
                text,
                action,
                command,
                reply_code,
                diagnostic_type,
                remote,
                recipient,
                replies.vendors.POWERMTA_CATEGORY.get(category, ""),
            )
        out.append(
            RecipientVerdict(
                recipient=recipient,
                original_recipient=original,
                reason=reason,
                # a delayed recipient whose reason only its transient status names (4.3.2, "system not accepting
                # messages": down for maintenance) is still being tried; a text that says why still decides
                hard=is_hard(reason, status, reply_code, action)
                and not (action == "delayed" and reason == replies.status_reason(status)),
                status=status,
                action=action,
                remote_mta=remote,
                diagnostic=diagnostic,
                reply_code=reply_code,
            )
        )
    return out


def _command(context: str, recipient: str, diagnostic: str, own: bool) -> str:
    """The SMTP command the failure answered. Where no remote server said anything (an Exim router's
    ``:fail:``, an unknown local user) the address was refused before any message was sent, which is what
    a refusal at RCPT means: a user-unknown text there is the address's, not a content filter's."""
    return heuristics.command_for(context, recipient, diagnostic) or ("RCPT" if own else "")


def decide(
    status: str,
    text: str,
    action: str,
    command: str | Callable[[], str],
    reply_code: str,
    diagnostic_type: str,
    remote: str,
    recipient: str,
    preset: str = "",
    qmail: bool = False,
) -> str:
    """The one reply map (``core.replies.decide``) with a DSN's evidence."""
    return replies.decide(
        status, text, action, command, reply_code, diagnostic_type, preset, remote, recipient, qmail
    )
