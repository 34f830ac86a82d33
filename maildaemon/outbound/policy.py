"""Pure scheduling policy: which mail is due for whom at ``now``.

Reminder offsets and the final reminder, and the rules that keep a respondent from getting too much
mail; the send window itself is ``maildaemon.core.window``. No I/O and no clock: ``now`` is always an argument.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from maildaemon.core.campaign import Campaign
from maildaemon.core.model import (
    COMPLETION_DONE,
    Completion,
    Delivery,
    MailKind,
    outbox_kind,
)
from maildaemon.core.window import in_window, require_aware

__all__ = ["DEFAULT_AWAY", "MIN_GAP", "RespondentView", "due_mail", "in_window"]

MIN_GAP = timedelta(hours=20)
"""No two mails to one respondent closer than this, whatever the offsets say, so an outage or a
late import never produces a burst; 20 h lets a daily reminder keep its morning slot."""

DEFAULT_AWAY = timedelta(days=7)
"""An auto-reply without a return date holds mail this long after the last mail we sent (the one
that provoked it): most absences are a working week, and the campaign is too short to wait longer."""

INVITATION = outbox_kind(MailKind.INVITATION)
FINAL = outbox_kind(MailKind.FINAL)

# "deferred" does not hold the next mail: a soft bounce (full mailbox, delay notice, a 4xx) says the
# address is good, so reminders keep their schedule until the [bounce] threshold makes it bounced. What
# holds it is our own mail still waiting in the outbox (``RespondentView.pending``): a new one would
# overtake it.
_DEAD = frozenset({Delivery.BOUNCED, Delivery.FAILED})


@dataclass(frozen=True, slots=True)
class RespondentView:
    """What the policy needs to know about one respondent, read from the store."""

    delivery: Delivery
    completion: Completion
    away_until: datetime | None = None  # return date from an auto-reply; read only while away
    invited_at: datetime | None = None  # when the relay accepted the invitation (250)
    last_sent_at: datetime | None = None  # when the relay accepted the latest mail of any kind
    planned: frozenset[str] = frozenset()  # outbox kinds present for this respondent, any state
    force: bool = False  # an operator asked to send despite checked_bad
    pending: bool = (
        False  # a mail of ours still waits in the outbox (queued, leased, or deferred by our relay)
    )


def _blocked(campaign: Campaign, paused: bool, r: RespondentView) -> bool:
    """Rules that hold whatever the time: nothing changes them but new data."""
    if paused or r.completion in COMPLETION_DONE or r.delivery in _DEAD:
        return True
    if r.delivery is Delivery.CHECKED_BAD and not r.force:
        return True
    if r.delivery is Delivery.QUEUED or r.pending:
        return True
    return INVITATION in r.planned and r.invited_at is None


def _final_at(campaign: Campaign) -> datetime | None:
    before = campaign.reminders.final_before_close
    if before is None or before <= timedelta(0):
        return None
    return campaign.closes - before


def _reminder_number(kind: str) -> int:
    return int(kind.split("-", 1)[1]) if kind.startswith("reminder-") else 0


def _reminder_count(campaign: Campaign) -> int:
    return max(0, min(campaign.reminders.max_count, len(campaign.reminders.offsets)))


def _next_kind(campaign: Campaign, r: RespondentView) -> tuple[str, datetime | None] | None:
    """The next kind in this respondent's sequence and the earliest time it may go (None: any time).

    Reminders go in order and never backwards; after a gap (outage, window closed) the overdue one
    goes first and the next waits MIN_GAP, so nothing piles up. The final supersedes whatever
    ordinary reminders are left once its time has come; nothing follows it.
    """
    if INVITATION not in r.planned:
        return INVITATION, None
    if r.invited_at is None or FINAL in r.planned:
        return None
    final_at = _final_at(campaign)
    done = max((_reminder_number(k) for k in r.planned), default=0)
    number = done + 1
    if number <= _reminder_count(campaign):
        due = r.invited_at + campaign.reminders.offsets[number - 1]
        if final_at is None or due < final_at:
            return outbox_kind(MailKind.REMINDER, number), due
    if final_at is not None:
        return FINAL, final_at
    return None


def _away_end(r: RespondentView) -> datetime | None:
    if r.completion is not Completion.AWAY:
        return None
    if r.away_until is not None:
        return r.away_until
    if r.last_sent_at is not None:
        return r.last_sent_at + DEFAULT_AWAY
    return None  # away before any mail of ours (set by an operator): nothing to wait for


def _earliest(campaign: Campaign, r: RespondentView) -> tuple[str, datetime] | None:
    """The next kind and the earliest instant it may go, window aside."""
    nxt = _next_kind(campaign, r)
    if nxt is None:
        return None
    kind, due = nxt
    bounds = [campaign.opens]
    if due is not None:
        bounds.append(due)
    away = _away_end(r)
    if away is not None:
        bounds.append(away)
    if r.last_sent_at is not None:
        bounds.append(r.last_sent_at + MIN_GAP)
    return kind, max(bounds)


def due_mail(campaign: Campaign, paused: bool, r: RespondentView, now: datetime) -> str | None:
    """The outbox kind to enqueue for this respondent at ``now``, or None.

    At most one kind per call; the caller records it in the outbox, which makes it ``planned``.
    """
    require_aware(now, "now")
    if _blocked(campaign, paused, r) or now >= campaign.closes or not in_window(campaign, now):
        return None
    earliest = _earliest(campaign, r)
    if earliest is None:
        return None
    kind, not_before = earliest
    if now < not_before:
        return None
    if kind.startswith("reminder-"):
        final_at = _final_at(campaign)
        if final_at is not None and now >= final_at:
            return FINAL  # the final's time came while a reminder was waiting: it supersedes it
    return kind
