"""Vendor notice formats that carry no delivery-status part: Amazon SES JSON notifications (bounce,
complaint, delivery), Google Groups refusals, fml mailing-list errors, and abuse reports that are not
RFC 5965 (Hotmail JMRP, Apple's one-click unsubscribe)."""

from __future__ import annotations

import json
import re
from typing import Any

from maildaemon.core import replies
from maildaemon.core.reasons import is_hard
from maildaemon.inbound.classify.verdict import RecipientVerdict

_SES_START = re.compile(r'\{\s*"(?:notificationType|eventType|Type)"')
_SES_SUBTYPE = {
    "noemail": "userunknown",
    "suppressed": "userunknown",
    "onaccountsuppressionlist": "userunknown",
    "mailboxfull": "mailboxfull",
    "messagetoolarge": "mesgtoobig",
    "contentrejected": "contenterror",
    "attachmentrejected": "securityerror",
}


def _json_at(text: str, start: int) -> dict[str, Any] | None:
    try:
        value, _ = json.JSONDecoder().raw_decode(text, start)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def ses(notice: str) -> tuple[str, list[RecipientVerdict]] | None:
    """(kind, verdicts) for an Amazon SES notification mailed as JSON (bare or inside an SNS envelope)."""
    match = _SES_START.search(notice[:2000])
    if match is None:
        return None
    data = _json_at(notice, match.start())
    if data is None:  # long lines folded by the mail system ("...!\n " or "\n "): join them back
        unfolded = notice[match.start() :].replace("!\n ", "").replace("\n ", "")
        data = _json_at(unfolded, 0)
    if data is not None and isinstance(data.get("Message"), str):  # SNS envelope
        inner = data["Message"]
        data = _json_at(inner, inner.find("{")) if "{" in inner else None
    if data is None:
        return None
    kind = str(data.get("notificationType") or data.get("eventType") or "").lower()
    if kind == "bounce":
        bounce = data.get("bounce") or {}
        permanent = str(bounce.get("bounceType", "")).lower() == "permanent"
        subtype = _SES_SUBTYPE.get(str(bounce.get("bounceSubType", "")).lower().replace(" ", ""), "")
        out = []
        for item in bounce.get("bouncedRecipients") or []:
            if not isinstance(item, dict):
                continue
            diagnostic = str(item.get("diagnosticCode", ""))
            status = replies.find_status(str(item.get("status", ""))) or replies.find_status(diagnostic)
            code = replies.find_reply_code(diagnostic)
            reason = replies.decide(
                status, diagnostic, str(item.get("action", "")), replies.smtp_command(diagnostic), code
            )
            if reason in ("onhold", "undefined") and subtype:
                reason = subtype
            out.append(
                RecipientVerdict(
                    recipient=str(item.get("emailAddress", "")),
                    reason=reason,
                    hard=permanent and is_hard(reason, status, code),
                    status=status,
                    action="failed" if permanent else "delayed",
                    diagnostic=diagnostic[:1000],
                    reply_code=code,
                )
            )
        return ("bounce" if permanent else "delay"), out
    if kind == "complaint":
        people = (data.get("complaint") or {}).get("complainedRecipients") or []
        return "feedback", [
            RecipientVerdict(recipient=str(p.get("emailAddress", "")), reason="feedback")
            for p in people
            if isinstance(p, dict)
        ]
    if kind == "delivery":
        delivery = data.get("delivery") or {}
        reply = str(delivery.get("smtpResponse", ""))
        return "delivered", [
            RecipientVerdict(
                recipient=str(r), reason="delivered", status=replies.find_status(reply) or "2.0.0"
            )
            for r in delivery.get("recipients") or []
        ]
    return None


_GOOGLE_GROUPS = re.compile(r"groups\.google\.com/|\bgoogle groups\b", re.I)
# The same, without re.I, for an ASCII text lower-cased first, the word boundary checked after "google"
# by a look-behind: both branches then start with "g", which the regex engine skips to (a case-blind
# comparison, or a leading \b, has the whole pattern tried at every character of the notice).
_GOOGLE_GROUPS_LOWER = re.compile(r"groups\.google\.com/|google(?<!\wgoogle) groups\b")


def google_groups(headers: dict[str, list[str]], notice: str) -> bool:
    """Google Groups' refusal to post: the group does not exist or we may not post to it."""
    if not headers.get("x-failed-recipients"):
        return False
    head = notice[:6000]
    if head.isascii():
        return _GOOGLE_GROUPS_LOWER.search(head.lower()) is not None
    return _GOOGLE_GROUPS.search(head) is not None


# fml (a Japanese mailing-list manager) reports errors to the poster in plain text.
_FML_REASONS = (
    ("rejected", re.compile(r"not (?:a )?member|reject(?:ed)? mail|spammer", re.I)),
    ("securityerror", re.compile(r"security alert", re.I)),
    (
        "systemerror",
        re.compile(r"loop (?:alert|back warning)|unix from loop|system error|duplicated message-id", re.I),
    ),
)


def fml_reason(headers: dict[str, list[str]], subject: str, notice: str) -> str:
    """The reason when the message is an fml error notice, else ""."""
    if "fml" not in " ".join(headers.get("x-mlserver", ())).lower():
        return ""
    text = subject + "\n" + notice[:2000]
    return next((reason for reason, pattern in _FML_REASONS if pattern.search(text)), "")


def feedback_variant(headers: dict[str, list[str]], subject: str) -> bool:
    """Abuse reports and opt-outs that are not RFC 5965: Hotmail's JMRP complaint, Apple's unsubscribe."""
    if "x-apple-unsubscribe" in headers:
        return True
    return subject.lower().lstrip().startswith("complaint about message from")
