"""Message disposition notifications (RFC 3798 / 8098) and the rejections a mailbox's own Sieve filter
sends as MDNs (RFC 5429 ``reject``): what the recipient's side did with the message."""

from __future__ import annotations

from maildaemon.core import replies
from maildaemon.core.reasons import is_hard
from maildaemon.inbound.classify.dsn import clean_address
from maildaemon.inbound.classify.mime import Part, parse_headers
from maildaemon.inbound.classify.verdict import RecipientVerdict

MDN_TYPES = frozenset({"message/disposition-notification", "message/global-disposition-notification"})
# Disposition types (RFC 3798 section 3.2.6, RFC 8098): the message was refused or thrown away unread...
_REFUSED = ("deleted", "denied", "failed", "rejected")
# ...or it reached the mailbox (read, or handled by an agent of the recipient).
_RECEIVED = ("displayed", "dispatched", "processed")
# What a refusal's text may say about the mailbox itself (an LDA over quota answers with an MDN too);
# anything else a filter says is the filter's own business: ``filtered``.
_MAILBOX_STATES = frozenset({"mailboxfull", "suspend", "userunknown", "mesgtoobig", "exceedlimit"})


def verdicts(part: Part, notice: str) -> tuple[str, list[RecipientVerdict]]:
    """(kind, verdicts) for one disposition-notification part; ("", []) when it names no disposition.
    A refusal by the recipient's own filter is ``filtered`` (the address exists: not hard)."""
    fields = parse_headers(part.text().replace("\r\n", "\n"))
    disposition = " ".join(fields.get("disposition", [""])).lower()
    kind_text = disposition.rpartition(";")[2].strip().split("/")[0].strip()
    recipient = clean_address((fields.get("final-recipient") or fields.get("original-recipient") or [""])[0])
    original = clean_address((fields.get("original-recipient") or [""])[0])
    diagnostic = " ".join(notice.split())[:300]
    if kind_text in _REFUSED or any(f" {word}" in f" {kind_text}" for word in _REFUSED):
        said = replies.decide("", notice[:1500], command="DATA")
        reason = said if said in _MAILBOX_STATES else "filtered"
        verdict = RecipientVerdict(
            recipient=recipient,
            original_recipient=original,
            reason=reason,
            hard=is_hard(reason),
            status="5.2.2" if reason == "mailboxfull" else "5.7.1",
            action="failed",
            diagnostic=diagnostic,
        )
        return "bounce", [verdict]
    if kind_text in _RECEIVED:
        return "delivered", [
            RecipientVerdict(recipient=recipient, original_recipient=original, reason="delivered")
        ]
    return "", []
