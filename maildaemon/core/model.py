"""Domain types and the two respondent state machines (delivery and completion), pure.

The database stores the states as their string values; every change goes through
``can_move_delivery`` / ``can_move_completion`` so an impossible transition is a bug, not data.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Delivery(enum.StrEnum):
    """What we know about the respondent's mailbox."""

    NEW = "new"
    CHECKED_OK = "checked_ok"
    CHECKED_BAD = "checked_bad"
    QUEUED = "queued"
    SENT = "sent"
    DELIVERED = "delivered"
    DEFERRED = "deferred"
    BOUNCED = "bounced"
    FAILED = "failed"


class Completion(enum.StrEnum):
    """What we know about the respondent's answer."""

    PENDING = "pending"
    AWAY = "away"
    REPLIED = "replied"
    COMPLETED = "completed"
    DECLINED = "declined"


class MailKind(enum.StrEnum):
    """Kinds of outgoing mail; reminders are numbered ``reminder-1`` .. ``reminder-n``."""

    INVITATION = "invitation"
    REMINDER = "reminder"
    FINAL = "final"


class OutboxState(enum.StrEnum):
    QUEUED = "queued"
    LEASED = "leased"
    SENT = "sent"
    DEFERRED = "deferred"
    FAILED = "failed"
    CANCELLED = "cancelled"


D = Delivery
_DELIVERY_MOVES: dict[Delivery, frozenset[Delivery]] = {
    D.NEW: frozenset({D.CHECKED_OK, D.CHECKED_BAD, D.QUEUED}),
    D.CHECKED_OK: frozenset({D.CHECKED_BAD, D.QUEUED}),
    D.CHECKED_BAD: frozenset({D.CHECKED_OK, D.QUEUED, D.NEW}),
    D.QUEUED: frozenset({D.SENT, D.DEFERRED, D.BOUNCED, D.FAILED, D.DELIVERED}),
    D.SENT: frozenset({D.DELIVERED, D.DEFERRED, D.BOUNCED, D.QUEUED}),
    D.DEFERRED: frozenset({D.SENT, D.DELIVERED, D.BOUNCED, D.FAILED, D.QUEUED}),
    D.DELIVERED: frozenset({D.QUEUED, D.BOUNCED, D.DEFERRED}),
    D.BOUNCED: frozenset({D.NEW, D.QUEUED, D.DELIVERED}),
    D.FAILED: frozenset({D.NEW, D.QUEUED}),
}
"""Allowed delivery moves. A later mail (reminder) may take a respondent back to ``queued``;
``delivered`` may still turn ``bounced`` when a later reminder bounces; an operator clearing a
bounce takes it back to ``new``; a reply proves receipt even after a bounce."""

C = Completion
_COMPLETION_MOVES: dict[Completion, frozenset[Completion]] = {
    C.PENDING: frozenset({C.AWAY, C.REPLIED, C.COMPLETED, C.DECLINED}),
    C.AWAY: frozenset({C.PENDING, C.REPLIED, C.COMPLETED, C.DECLINED}),
    C.REPLIED: frozenset({C.COMPLETED, C.DECLINED, C.AWAY}),
    C.COMPLETED: frozenset(),
    C.DECLINED: frozenset({C.COMPLETED}),
}

# Delivery states that stop all further mail until an operator acts (checked_bad does not: an
# operator may force a send despite a failed pre-check).
DELIVERY_BLOCKED = frozenset({D.BOUNCED, D.FAILED})
# Completion states after which nobody should be reminded.
COMPLETION_DONE = frozenset({C.COMPLETED, C.DECLINED})


def can_move_delivery(old: Delivery, new: Delivery) -> bool:
    return old == new or new in _DELIVERY_MOVES[old]


def can_move_completion(old: Completion, new: Completion) -> bool:
    return old == new or new in _COMPLETION_MOVES[old]


def outbox_kind(kind: MailKind, number: int = 0) -> str:
    """The outbox ``kind`` column: ``invitation``, ``reminder-2``, ``final``."""
    return f"{kind.value}-{number}" if kind is MailKind.REMINDER else kind.value


def parse_outbox_kind(value: str) -> tuple[MailKind, int]:
    if value.startswith("reminder-"):
        return MailKind.REMINDER, int(value.split("-", 1)[1])
    return MailKind(value), 0


@dataclass(frozen=True, slots=True)
class Transition:
    """One event row about a respondent (a ``lifecycle.Effect``'s note), written in the same
    transaction as the change it goes with."""

    field: str  # "delivery" | "completion" | "outbox" | "note"
    old: str | None
    new: str | None
    source: str  # planner, sender, watcher, checker, operator, import, link
    detail: str = ""
