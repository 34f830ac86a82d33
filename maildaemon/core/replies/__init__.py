"""The one map from an SMTP reply (status code, reply code, text, the command it answered) to a bounce
reason, used by the sender, the prober and the bounce classifier alike. Pure: no I/O imports.

``status`` reads RFC 3463 / 5321 codes, ``phrases`` holds each reason's vocabulary, ``index`` matches it
fast, ``commands`` finds the SMTP command a reply answered, ``vendors`` and ``providers`` hold what MTAs' and
providers' own codes and sentences mean, ``decide`` weighs the evidence."""

from maildaemon.core.replies import providers, vendors
from maildaemon.core.replies.commands import smtp_command
from maildaemon.core.replies.decide import BEFORE_DATA, RETRIED, Lazy, decide, decide_text, reason_for_reply
from maildaemon.core.replies.index import matches as phrase_matches
from maildaemon.core.replies.status import (
    CODES,
    find_reply_code,
    find_status,
    leading_status,
    meaning,
    status_reason,
)

__all__ = [
    "BEFORE_DATA",
    "CODES",
    "RETRIED",
    "Lazy",
    "decide",
    "decide_text",
    "find_reply_code",
    "find_status",
    "leading_status",
    "meaning",
    "phrase_matches",
    "providers",
    "reason_for_reply",
    "smtp_command",
    "status_reason",
    "vendors",
]
