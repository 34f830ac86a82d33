"""Pure scheduling policy: which mail is due for whom at ``now``.

Send windows, holidays and time zones, reminder offsets and the final reminder, and the rules that
keep a respondent from getting too much mail. No I/O and no clock: ``now`` is always an argument.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from maildaemon.core.campaign import Campaign, SendWindow
from maildaemon.core.model import (
    COMPLETION_DONE,
    Completion,
    Delivery,
    MailKind,
    outbox_kind,
)

MIN_GAP = timedelta(hours=20)
"""No two mails to one respondent closer than this, whatever the offsets say, so an outage or a
late import never produces a burst; 20 h lets a daily reminder keep its morning slot."""

DEFAULT_AWAY = timedelta(days=7)
"""An auto-reply without a return date holds mail this long after the last mail we sent (the one
that provoked it): most absences are a working week, and the campaign is too short to wait longer."""

INVITATION = outbox_kind(MailKind.INVITATION)
FINAL = outbox_kind(MailKind.FINAL)

# States in which the respondent's latest mail has not left our relay (queued, or deferred by it) or
# is held downstream (a "delayed" DSN): a new mail would overtake it. The sender and watcher move the
# respondent on (sent, delivered, bounced, failed), which releases the next mail.
_IN_FLIGHT = frozenset({Delivery.QUEUED, Delivery.DEFERRED})
_DEAD = frozenset({Delivery.BOUNCED, Delivery.FAILED})


def _require_aware(value: datetime, name: str) -> None:
    # A naive datetime here is a programming error, not bad input: fail loudly.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")


def _zone(campaign: Campaign) -> ZoneInfo:
    return ZoneInfo(campaign.timezone)  # ZoneInfo caches instances per key


def _open_day(window: SendWindow, day: date) -> bool:
    return day.weekday() in window.weekdays and day not in window.holidays


def in_window(campaign: Campaign, at: datetime) -> bool:
    """True if mail may leave at ``at``: an open weekday, not a holiday, local time in [start, end)."""
    _require_aware(at, "at")
    window = campaign.window
    local = at.astimezone(UTC).astimezone(_zone(campaign))  # via UTC: normalises a nonexistent wall time
    return _open_day(window, local.date()) and window.start <= local.time() < window.end


def _offset_at(zone: ZoneInfo, ts: int) -> timedelta | None:
    return datetime.fromtimestamp(ts, zone).utcoffset()


def _transitions_near(zone: ZoneInfo, day: date) -> Iterator[datetime]:
    """The instant the UTC offset changes on or near local ``day``, if it does (DST).

    A transition can open the window (a start time inside the spring-forward gap, or an end time
    inside the repeated autumn hour), so it is a candidate for the window's next opening.
    """
    lo = int(datetime.combine(day, time(), tzinfo=zone).timestamp()) - 3 * 3600
    hi = int(datetime.combine(day + timedelta(days=1), time(), tzinfo=zone).timestamp()) + 3 * 3600
    first = _offset_at(zone, lo)
    if first == _offset_at(zone, hi):
        return
    while hi - lo > 1:  # zoneinfo transitions fall on whole seconds
        mid = (lo + hi) // 2
        if _offset_at(zone, mid) == first:
            lo = mid
        else:
            hi = mid
    yield datetime.fromtimestamp(hi, UTC)


def _day_candidates(campaign: Campaign, zone: ZoneInfo, day: date) -> Iterator[datetime]:
    """Every instant around ``day`` at which the window may turn from closed to open.

    In-window is a function of local wall time, which only jumps at midnight and at DST changes,
    so the window opens either where the wall clock reads ``start`` (twice in a repeated hour) or
    at a transition.
    """
    if not _open_day(campaign.window, day):
        return
    for fold in (0, 1):
        wall = datetime.combine(day, campaign.window.start, tzinfo=zone).replace(fold=fold)
        yield wall.astimezone(UTC)
    yield from _transitions_near(zone, day)


def next_window_open(campaign: Campaign, at: datetime) -> datetime | None:
    """The earliest instant >= ``at`` inside the send window, or None if it is not before ``closes``.

    Returned in UTC: a local time in a repeated DST hour never compares equal to another zone's.
    Ignores ``opens``: callers pass ``max(at, campaign.opens)`` when they need it.
    """
    _require_aware(at, "at")
    if at >= campaign.closes:
        return None
    if in_window(campaign, at):
        return at.astimezone(UTC)
    zone = _zone(campaign)
    day = at.astimezone(zone).date()
    last_day = campaign.closes.astimezone(zone).date() + timedelta(days=1)
    best: datetime | None = None
    while day <= last_day:
        for candidate in _day_candidates(campaign, zone, day):
            if at <= candidate < campaign.closes and in_window(campaign, candidate):
                best = candidate if best is None else min(best, candidate)
        # Candidates of the next day can never be earlier than a found one by more than the
        # transition margin, so one more day settles it.
        if best is not None and day > best.astimezone(zone).date():
            break
        day += timedelta(days=1)
    return best


def validate_window(campaign: Campaign) -> list[str]:
    """Problems with the campaign's timing and reminder settings; empty when it can run.

    The campaign loader turns each into a ConfigError naming the file.
    """
    problems: list[str] = []
    window = campaign.window
    reminders = campaign.reminders
    timing_ok = True
    for name, value in (("opens", campaign.opens), ("closes", campaign.closes)):
        if value.tzinfo is None or value.utcoffset() is None:
            problems.append(f"{name} must be timezone-aware")
            timing_ok = False
    try:
        _zone(campaign)
    except (ZoneInfoNotFoundError, ValueError):
        problems.append(f"unknown time zone {campaign.timezone!r}")
        timing_ok = False
    if not window.weekdays:
        problems.append("send window has no weekdays")
        timing_ok = False
    bad_days = sorted(d for d in window.weekdays if not 0 <= d <= 6)
    if bad_days:
        problems.append(f"send window weekdays out of range 0..6: {bad_days}")
    if window.start >= window.end:
        problems.append("start >= end")
        timing_ok = False
    if timing_ok and campaign.opens >= campaign.closes:
        problems.append("opens after closes")
        timing_ok = False
    if timing_ok and next_window_open(campaign, campaign.opens) is None:
        problems.append("window never open between opens and closes")
    offsets = reminders.offsets
    if any(o <= timedelta(0) for o in offsets) or any(a >= b for a, b in pairwise(offsets)):
        problems.append("reminder offsets must be positive and increasing")
    if reminders.max_count < 0:
        problems.append("reminder max_count < 0")
    if reminders.final_before_close is not None and reminders.final_before_close <= timedelta(0):
        problems.append("final_before_close must be positive")
    if "{token}" not in campaign.survey_url:
        problems.append("survey_url has no {token}")
    return problems


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


def _blocked(campaign: Campaign, paused: bool, r: RespondentView) -> bool:
    """Rules that hold whatever the time: nothing changes them but new data."""
    if paused or r.completion in COMPLETION_DONE or r.delivery in _DEAD:
        return True
    if r.delivery is Delivery.CHECKED_BAD and not r.force:
        return True
    if r.delivery in _IN_FLIGHT:
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
    _require_aware(now, "now")
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


def next_due_at(campaign: Campaign, paused: bool, r: RespondentView, now: datetime) -> datetime | None:
    """When ``due_mail`` will next return a kind for this view (``now`` if it does already).

    None if never, unless the data changes (a pause, a bounce, a new outbox row): the scheduler
    sleeps until then and re-reads.
    """
    _require_aware(now, "now")
    if _blocked(campaign, paused, r):
        return None
    earliest = _earliest(campaign, r)
    if earliest is None:
        return None
    return next_window_open(campaign, max(now, earliest[1]))


def reminder_cutoffs(campaign: Campaign, now: datetime) -> dict[str, datetime]:
    """For each reminder kind that can be due at ``now``, the latest ``invited_at`` that makes it due.

    A pre-filter for SQL (``WHERE invited_at <= :cutoff AND <kind not in outbox>``): every row
    ``due_mail`` would pick for a reminder is selected; ``due_mail`` still decides. Once the
    final's time has come only ``final`` is listed, with ``now`` (any sent invitation).
    """
    _require_aware(now, "now")
    final_at = _final_at(campaign)
    if final_at is not None and now >= final_at:
        return {FINAL: now}
    offsets = campaign.reminders.offsets
    return {
        outbox_kind(MailKind.REMINDER, n): now - offsets[n - 1]
        for n in range(1, _reminder_count(campaign) + 1)
    }
