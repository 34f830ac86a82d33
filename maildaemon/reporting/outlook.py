"""What goes out next for a campaign, for the console's overview: the mail waiting in the outbox (due now
or later, by kind), when the send window opens again, and the next send time. Pure: the store's one
aggregate of the waiting mail, the campaign and ``now`` in; the figures out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from maildaemon.core.campaign import Campaign
from maildaemon.core.model import MailKind, parse_outbox_kind
from maildaemon.core.window import in_window, next_window_open


class Waiting(Protocol):
    """One line of the store's aggregate (store.console.Waiting): mail of ``kind``, due at ``now`` or
    not, how many, the earliest."""

    @property
    def kind(self) -> str: ...
    @property
    def due(self) -> bool: ...
    @property
    def count(self) -> int: ...
    @property
    def earliest(self) -> datetime: ...


@dataclass(frozen=True, slots=True)
class Outlook:
    in_window: bool
    reopens_at: datetime | None  # the next send-window opening, when now is outside it (None: never again)
    due: dict[str, int] = field(default_factory=dict)  # kind -> mail that may go now (window permitting)
    later: dict[str, int] = field(default_factory=dict)  # kind -> mail queued for later
    next_at: datetime | None = None  # when the next mail is planned to leave (None: nothing waits)
    paused: bool = False
    closed: bool = False

    @property
    def waiting(self) -> int:
        return sum(self.due.values()) + sum(self.later.values())


def kind_order(kind: str) -> tuple[int, int]:
    """Invitation, reminders by number, the final; anything else last."""
    try:
        mk, n = parse_outbox_kind(kind)
    except ValueError:
        return (9, 0)
    return ({MailKind.INVITATION: 0, MailKind.REMINDER: 1, MailKind.FINAL: 2}.get(mk, 9), n)


def outlook(campaign: Campaign, paused: bool, waiting: Iterable[Waiting], now: datetime) -> Outlook:
    """The figures of the overview's "what goes out next" for one campaign at ``now``."""
    rows = list(waiting)
    due: dict[str, int] = {}
    later: dict[str, int] = {}
    for w in sorted(rows, key=lambda w: kind_order(w.kind)):
        bucket = due if w.due else later
        bucket[w.kind] = bucket.get(w.kind, 0) + w.count
    closed = now >= campaign.closes
    start = max(now, campaign.opens)
    inside = not closed and now >= campaign.opens and in_window(campaign, now)
    reopens = None if inside or closed else next_window_open(campaign, start)
    times: list[datetime] = []
    if not paused:
        if due:
            at = next_window_open(campaign, start)
            times += [at] if at is not None else []
        for w in rows:
            if not w.due:
                at = next_window_open(campaign, max(w.earliest, start))
                times += [at] if at is not None else []
    return Outlook(inside, reopens, due, later, min(times) if times else None, paused, closed)
