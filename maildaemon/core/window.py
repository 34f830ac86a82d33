"""When a campaign's mail may leave: its send window in local time, and whether its timing can run.

Below the campaign definition (which validates its timing here) and the policy (which asks ``in_window``);
it imports neither, so the core has no import cycle. No I/O and no clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

MIDNIGHT_END = time.max
"""A window's end written "24:00": open to the end of the day, its last minute included (``time`` has no 24:00)."""


@dataclass(frozen=True, slots=True)
class SendWindow:
    """When mail may leave, in the campaign's time zone. ``weekdays``: 0 = Monday .. 6 = Sunday;
    ``end`` is exclusive, or ``MIDNIGHT_END`` for a window open until midnight."""

    weekdays: frozenset[int] = frozenset({0, 1, 2, 3, 4})
    start: time = time(8, 0)
    end: time = time(17, 0)
    holidays: frozenset[date] = frozenset()


class Timed(Protocol):
    """The part of a campaign the window needs (a ``Campaign`` is one)."""

    @property
    def timezone(self) -> str: ...
    @property
    def window(self) -> SendWindow: ...
    @property
    def opens(self) -> datetime: ...
    @property
    def closes(self) -> datetime: ...


def require_aware(value: datetime, name: str) -> None:
    # A naive datetime here is a programming error, not bad input: fail loudly.
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"{name} must be timezone-aware, got {value!r}")


def zone_of(campaign: Timed) -> ZoneInfo:
    return ZoneInfo(campaign.timezone)  # ZoneInfo caches instances per key


def clock_text(value: time) -> str:
    """A window's start or end as the campaign file writes it ("08:00", "24:00")."""
    return "24:00" if value == MIDNIGHT_END else value.isoformat("minutes")


def _open_day(window: SendWindow, day: date) -> bool:
    return day.weekday() in window.weekdays and day not in window.holidays


def in_window(campaign: Timed, at: datetime) -> bool:
    """True if mail may leave at ``at``: an open weekday, not a holiday, local time in [start, end)
    (or from start to midnight when the end is "24:00")."""
    require_aware(at, "at")
    window = campaign.window
    local = at.astimezone(UTC).astimezone(zone_of(campaign))  # via UTC: normalises a nonexistent wall time
    wall = local.time()
    before_end = wall < window.end or window.end == MIDNIGHT_END
    return _open_day(window, local.date()) and window.start <= wall and before_end


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


def _day_candidates(campaign: Timed, zone: ZoneInfo, day: date) -> Iterator[datetime]:
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


def next_window_open(campaign: Timed, at: datetime) -> datetime | None:
    """The earliest instant >= ``at`` inside the send window, or None if it is not before ``closes``.

    Returned in UTC: a local time in a repeated DST hour never compares equal to another zone's.
    Ignores ``opens``: callers pass ``max(at, campaign.opens)`` when they need it.
    """
    require_aware(at, "at")
    if at >= campaign.closes:
        return None
    if in_window(campaign, at):
        return at.astimezone(UTC)
    zone = zone_of(campaign)
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


def timing_problems(campaign: Timed) -> list[str]:
    """Problems with the campaign's time zone, dates and send window; empty when mail can leave."""
    problems: list[str] = []
    window = campaign.window
    timing_ok = True
    for name, value in (("opens", campaign.opens), ("closes", campaign.closes)):
        if value.tzinfo is None or value.utcoffset() is None:
            problems.append(f"{name} must be timezone-aware")
            timing_ok = False
    try:
        zone_of(campaign)
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
    return problems
