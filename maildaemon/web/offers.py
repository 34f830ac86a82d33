"""Which of the operator's actions a person's page offers, and the words for why one is refused.

Pure: the person's stored state in, for each action "" (offered) or the key of why not out. Resend asks
``core.corrections`` itself, so the page never offers what `maildaemon resend` would refuse.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from maildaemon.core import corrections, lifecycle
from maildaemon.core.model import Delivery
from maildaemon.core.reasons import is_hard

ACTIONS = ("correct", "exclude", "restore", "resend")


def offers(person: Mapping[str, Any], last_kind: str | None, is_open: bool) -> dict[str, str]:
    """Action -> "" when the page offers it, else why not: ``closed``, ``excluded``, ``already_excluded``,
    ``not_excluded``, ``hard_bounce``, ``not_sent_yet`` or ``nothing_to_resend``."""
    excluded = person.get("excluded_at") is not None
    return {
        "correct": "" if is_open else "closed",
        "exclude": "already_excluded" if excluded else "",
        "restore": "" if excluded else "not_excluded",
        "resend": _resend(person, last_kind, is_open, excluded),
    }


def _resend(person: Mapping[str, Any], last_kind: str | None, is_open: bool, excluded: bool) -> str:
    if not is_open:
        return "closed"
    if excluded:
        return "excluded"
    state = lifecycle.stored(person["id"], person["campaign_id"], person["delivery"], person["completion"])
    reason, hard = person.get("reason"), bool(person.get("hard_bounce"))
    if not corrections.on_resend(state, reason, hard, "", last_kind).refused:
        return ""
    if state.delivery in (Delivery.BOUNCED, Delivery.FAILED) and (hard or is_hard(reason or "")):
        return "hard_bounce"
    if state.delivery in (Delivery.BOUNCED, Delivery.FAILED, Delivery.DEFERRED) and last_kind is None:
        return "not_sent_yet"
    return "nothing_to_resend"


def clean_text(text: str, limit: int) -> str | None:
    """A one-line form field: CR/LF and tabs become spaces, trimmed; None when longer than ``limit``."""
    flat = " ".join(text.replace("\r", " ").replace("\n", " ").replace("\t", " ").split())
    return flat if len(flat) <= limit else None
