"""The scheduling policy: windows, holidays, time zones, reminder sequence and the skip rules."""

from __future__ import annotations

import dataclasses
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maildaemon.core.campaign import Campaign, ReminderPolicy, SendWindow, validate_campaign
from maildaemon.core.model import Completion, Delivery
from maildaemon.core.window import in_window, next_window_open
from maildaemon.outbound.policy import DEFAULT_AWAY, MIN_GAP, RespondentView, due_mail

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")


def vn(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=VN)


def make_campaign(**changes: object) -> Campaign:
    """Khánh Hòa's PAR survey, April–May 2026; Reunification Day and Labour Day are holidays."""
    base = Campaign(
        name="par2026-khanhhoa",
        title="Khảo sát Chỉ số CCHC năm 2026",
        survey_kind="PAR",
        survey_url="https://survey.example.vn/s/{token}",
        opens=vn(4, 6, 8),
        closes=vn(5, 8, 17),
        sender_name="Sở Nội vụ tỉnh Khánh Hòa",
        sender_address="khaosat@snv.khanhhoa.example.vn",
        bounce_domain="bounce.example.vn",
        window=SendWindow(holidays=frozenset({date(2026, 4, 30), date(2026, 5, 1)})),
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def view(**changes: object) -> RespondentView:
    base = RespondentView(delivery=Delivery.CHECKED_OK, completion=Completion.PENDING)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def invited(at: datetime, *kinds: str, last: datetime | None = None, **changes: object) -> RespondentView:
    """A respondent whose invitation the relay accepted at ``at`` and who has ``kinds`` planned too."""
    fields: dict[str, object] = {
        "delivery": Delivery.SENT,
        "invited_at": at,
        "last_sent_at": last or at,
        "planned": frozenset({"invitation", *kinds}),
    }
    return view(**(fields | changes))


CAMPAIGN = make_campaign()


def first_due(campaign: Campaign, paused: bool, r: RespondentView, now: datetime) -> datetime | None:
    """The first whole minute from ``now`` at which ``due_mail`` names a kind, None if none before closing.

    An oracle built on ``due_mail`` alone: hourly steps, then minute by minute within the hour found.
    Every window here stays open longer than an hour, so the hourly steps cannot miss one.
    """
    t = now
    while t <= campaign.closes:
        if due_mail(campaign, paused, r, t) is not None:
            minute = max(now, t - timedelta(minutes=59))
            while due_mail(campaign, paused, r, minute) is None:
                minute += timedelta(minutes=1)
            return minute
        t += timedelta(hours=1)
    return None


# --- windows ---------------------------------------------------------------------------------------


def test_in_window_checks_weekday_time_and_holiday() -> None:
    assert in_window(CAMPAIGN, vn(4, 6, 8))  # Monday, start is inclusive
    assert not in_window(CAMPAIGN, vn(4, 6, 7, 59))
    assert not in_window(CAMPAIGN, vn(4, 6, 17))  # end is exclusive
    assert in_window(CAMPAIGN, vn(4, 6, 16, 59))
    assert not in_window(CAMPAIGN, vn(4, 11, 10))  # Saturday
    assert not in_window(CAMPAIGN, vn(4, 30, 10))  # Reunification Day, a Thursday


def test_in_window_uses_the_campaign_zone_not_the_argument_zone() -> None:
    # 01:00 UTC is 08:00 in Vietnam; 00:59 UTC is 07:59.
    assert in_window(CAMPAIGN, datetime(2026, 4, 6, 1, 0, tzinfo=UTC))
    assert not in_window(CAMPAIGN, datetime(2026, 4, 6, 0, 59, tzinfo=UTC))
    # Sunday 23:30 UTC is Monday 06:30 in Vietnam, before the window.
    assert not in_window(CAMPAIGN, datetime(2026, 4, 5, 23, 30, tzinfo=UTC))


def test_naive_datetimes_are_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        in_window(CAMPAIGN, datetime(2026, 4, 6, 9))


def test_next_window_open_is_now_when_inside() -> None:
    assert next_window_open(CAMPAIGN, vn(4, 7, 10)) == vn(4, 7, 10)


def test_next_window_open_skips_evening_weekend_and_holidays() -> None:
    assert next_window_open(CAMPAIGN, vn(4, 6, 17)) == vn(4, 7, 8)
    assert next_window_open(CAMPAIGN, vn(4, 10, 18)) == vn(4, 13, 8)  # Friday evening -> Monday
    # Wednesday evening before 30/4 and 1/5 (holidays), then a weekend: Monday 4 May.
    assert next_window_open(CAMPAIGN, vn(4, 29, 17)) == vn(5, 4, 8)


def test_next_window_open_is_none_at_or_after_closing() -> None:
    assert next_window_open(CAMPAIGN, vn(5, 8, 17)) is None
    assert next_window_open(CAMPAIGN, vn(5, 8, 18)) is None
    # Closing on Friday noon: from Friday 12:00 on there is no window left.
    noon = make_campaign(closes=vn(5, 8, 12))
    assert next_window_open(noon, vn(5, 8, 11, 59)) == vn(5, 8, 11, 59)
    assert next_window_open(noon, vn(5, 8, 12)) is None


def test_berlin_window_across_the_end_of_summer_time() -> None:
    # Last Sunday of October 2026 is the 25th: 08:00 is 06:00 UTC before it and 07:00 UTC after.
    berlin = make_campaign(
        timezone="Europe/Berlin",
        opens=datetime(2026, 10, 1, tzinfo=BERLIN),
        closes=datetime(2026, 11, 30, tzinfo=BERLIN),
        window=SendWindow(),
    )
    friday_close = datetime(2026, 10, 23, 15, 0, tzinfo=UTC)  # 17:00 CEST
    opened = next_window_open(berlin, friday_close)
    assert opened == datetime(2026, 10, 26, 7, 0, tzinfo=UTC)
    assert opened is not None and opened.astimezone(BERLIN).time() == time(8, 0)
    assert in_window(berlin, datetime(2026, 10, 23, 6, 0, tzinfo=UTC))  # 08:00 CEST
    assert not in_window(berlin, datetime(2026, 10, 26, 6, 30, tzinfo=UTC))  # 07:30 CET
    # A reminder three days after a Thursday 10:00 CEST invitation lands on Sunday; it goes on
    # Monday at 08:00 local, which is an hour later in UTC than the week before.
    r = invited(datetime(2026, 10, 22, 8, 0, tzinfo=UTC))
    assert first_due(berlin, False, r, datetime(2026, 10, 22, 9, 0, tzinfo=UTC)) == datetime(
        2026, 10, 26, 7, 0, tzinfo=UTC
    )


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        # Spring forward 2026-03-29: 02:30 does not exist; the window opens at 03:00 CEST.
        (datetime(2026, 3, 28, 23, 0, tzinfo=UTC), datetime(2026, 3, 29, 1, 0, tzinfo=UTC)),
        # Fall back 2026-10-25: 02:30 happens twice; the first is 00:30 UTC.
        (datetime(2026, 10, 24, 22, 0, tzinfo=UTC), datetime(2026, 10, 25, 0, 30, tzinfo=UTC)),
        # At 02:10 CET (second pass) the wall clock is back before 02:30: reopens at 02:30 CET.
        (datetime(2026, 10, 25, 1, 10, tzinfo=UTC), datetime(2026, 10, 25, 1, 30, tzinfo=UTC)),
    ],
)
def test_window_starting_inside_a_dst_change(at: datetime, expected: datetime) -> None:
    night = make_campaign(
        timezone="Europe/Berlin",
        opens=datetime(2026, 3, 1, tzinfo=BERLIN),
        closes=datetime(2026, 12, 1, tzinfo=BERLIN),
        window=SendWindow(weekdays=frozenset(range(7)), start=time(2, 30), end=time(17, 0)),
    )
    opened = next_window_open(night, at)
    assert opened == expected
    # Earliest: a minute-by-minute scan finds nothing open before it.
    t = at
    while t < expected:
        assert not in_window(night, t), t
        t += timedelta(minutes=1)


def test_window_ending_inside_the_repeated_hour_reopens_at_the_change() -> None:
    # Window [00:00, 02:30) on the fall-back night: closed at 02:30 CEST, open again at the
    # transition (02:00 CET = 01:00 UTC) because the wall clock goes back.
    night = make_campaign(
        timezone="Europe/Berlin",
        opens=datetime(2026, 10, 1, tzinfo=BERLIN),
        closes=datetime(2026, 11, 1, tzinfo=BERLIN),
        window=SendWindow(weekdays=frozenset(range(7)), start=time(0, 0), end=time(2, 30)),
    )
    assert next_window_open(night, datetime(2026, 10, 25, 0, 30, tzinfo=UTC)) == datetime(
        2026, 10, 25, 1, 0, tzinfo=UTC
    )


def test_new_york_window_across_the_start_of_summer_time() -> None:
    # 2026-03-08 is the second Sunday of March: 09:00 EST is 14:00 UTC, 09:00 EDT 13:00 UTC.
    ny = make_campaign(
        timezone="America/New_York",
        opens=datetime(2026, 3, 2, tzinfo=NEW_YORK),
        closes=datetime(2026, 4, 1, tzinfo=NEW_YORK),
        window=SendWindow(start=time(9, 0), end=time(17, 0)),
    )
    assert next_window_open(ny, datetime(2026, 3, 6, 22, 0, tzinfo=UTC)) == datetime(
        2026, 3, 9, 13, 0, tzinfo=UTC
    )
    assert in_window(ny, datetime(2026, 3, 6, 14, 0, tzinfo=UTC))
    assert not in_window(ny, datetime(2026, 3, 9, 12, 59, tzinfo=UTC))


# --- validation ------------------------------------------------------------------------------------


def test_validate_campaign_accepts_the_default_campaign() -> None:
    assert validate_campaign(CAMPAIGN) == []


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"window": SendWindow(weekdays=frozenset())}, "send window has no weekdays"),
        ({"window": SendWindow(start=time(17), end=time(8))}, "start >= end"),
        ({"opens": vn(5, 9), "closes": vn(5, 8)}, "opens after closes"),
        # Opens on the Saturday, closes before Monday's window: never open.
        ({"opens": vn(4, 11), "closes": vn(4, 13, 7)}, "window never open between opens and closes"),
        (
            {"window": SendWindow(weekdays=frozenset({3, 4}), holidays=frozenset({vn(4, 9).date()}))},
            None,  # Thursday 9 April a holiday, other Thursdays and Fridays remain: fine
        ),
        (
            {"reminders": ReminderPolicy(offsets=(timedelta(days=7), timedelta(days=3)))},
            "reminder offsets must be positive and increasing",
        ),
        (
            {"reminders": ReminderPolicy(offsets=(timedelta(0),), max_count=1)},
            "reminder offsets must be positive and increasing",
        ),
        ({"reminders": ReminderPolicy(max_count=-1)}, "reminder max_count < 0"),
        (
            {"reminders": ReminderPolicy(final_before_close=timedelta(0))},
            "final_before_close must be positive",
        ),
        ({"survey_url": "https://survey.example.vn/s/"}, "survey_url has no {token}"),
        ({"timezone": "Asia/Nowhere"}, "unknown time zone 'Asia/Nowhere'"),
        ({"opens": datetime(2026, 4, 6, 8)}, "opens must be timezone-aware"),
    ],
)
def test_validate_campaign_names_each_problem(changes: dict[str, object], problem: str | None) -> None:
    problems = validate_campaign(make_campaign(**changes))
    assert problems == ([] if problem is None else [problem])


def test_validate_campaign_detects_every_day_a_holiday() -> None:
    days = frozenset(date(2026, 4, 6) + timedelta(days=i) for i in range(40))
    assert validate_campaign(make_campaign(window=SendWindow(holidays=days))) == [
        "window never open between opens and closes"
    ]


# --- the invitation --------------------------------------------------------------------------------


def test_invitation_first() -> None:
    assert due_mail(CAMPAIGN, False, view(), vn(4, 6, 8)) == "invitation"
    assert first_due(CAMPAIGN, False, view(), vn(4, 6, 8)) == vn(4, 6, 8)


def test_nothing_before_opening_and_invitation_at_the_opening() -> None:
    assert due_mail(CAMPAIGN, False, view(), vn(4, 6, 7, 59)) is None
    assert first_due(CAMPAIGN, False, view(), vn(4, 1)) == vn(4, 6, 8)


def test_respondent_imported_after_opening_inside_the_window_is_invited_at_once() -> None:
    now = vn(4, 15, 14, 20)
    assert due_mail(CAMPAIGN, False, view(), now) == "invitation"
    assert first_due(CAMPAIGN, False, view(), now) == now


def test_respondent_imported_after_opening_outside_the_window_waits_for_it() -> None:
    saturday = vn(4, 18, 10)
    assert due_mail(CAMPAIGN, False, view(), saturday) is None
    assert first_due(CAMPAIGN, False, view(), saturday) == vn(4, 20, 8)
    assert due_mail(CAMPAIGN, False, view(), vn(4, 20, 8)) == "invitation"


def test_invitation_not_yet_sent_holds_everything() -> None:
    waiting = view(delivery=Delivery.QUEUED, planned=frozenset({"invitation"}))
    assert due_mail(CAMPAIGN, False, waiting, vn(4, 20, 9)) is None
    assert first_due(CAMPAIGN, False, waiting, vn(4, 20, 9)) is None
    # Same even if the delivery state says otherwise: the outbox row exists and was not sent.
    stale = view(planned=frozenset({"invitation"}))
    assert due_mail(CAMPAIGN, False, stale, vn(4, 20, 9)) is None


def test_reminder_held_while_the_previous_mail_is_in_flight() -> None:
    r = invited(vn(4, 6, 9), delivery=Delivery.QUEUED)
    assert due_mail(CAMPAIGN, False, r, vn(4, 10, 9)) is None
    assert due_mail(CAMPAIGN, False, dataclasses.replace(r, delivery=Delivery.SENT), vn(4, 10, 9)) == (
        "reminder-1"
    )


def test_reminder_held_while_our_relay_still_retries_the_last_mail() -> None:
    r = invited(vn(4, 6, 9), delivery=Delivery.DEFERRED, pending=True)
    assert due_mail(CAMPAIGN, False, r, vn(4, 10, 9)) is None


def test_a_soft_bounced_person_is_still_reminded_on_schedule() -> None:
    """Deferred by a full mailbox or a delay notice: the address is good, the reminders keep coming."""
    r = invited(vn(4, 6, 9), delivery=Delivery.DEFERRED)
    assert due_mail(CAMPAIGN, False, r, vn(4, 8, 9)) is None  # not due yet
    assert due_mail(CAMPAIGN, False, r, vn(4, 10, 9)) == "reminder-1"
    bounced = dataclasses.replace(r, delivery=Delivery.BOUNCED)  # the threshold made it permanent
    assert due_mail(CAMPAIGN, False, bounced, vn(4, 10, 9)) is None


# --- skip rules ------------------------------------------------------------------------------------


def test_paused_campaign_sends_nothing_and_has_no_next_time() -> None:
    assert due_mail(CAMPAIGN, True, view(), vn(4, 7, 9)) is None
    assert first_due(CAMPAIGN, True, view(), vn(4, 7, 9)) is None
    assert due_mail(CAMPAIGN, False, view(), vn(4, 7, 9)) == "invitation"


def test_nothing_at_or_after_closing() -> None:
    late = make_campaign(window=SendWindow(start=time(8), end=time(20)))
    assert due_mail(late, False, view(), vn(5, 8, 16, 59)) == "invitation"
    assert due_mail(late, False, view(), vn(5, 8, 17)) is None
    assert first_due(late, False, view(), vn(5, 8, 17)) is None


def test_nothing_outside_the_window() -> None:
    assert due_mail(CAMPAIGN, False, view(), vn(4, 7, 18)) is None
    assert due_mail(CAMPAIGN, False, view(), vn(4, 30, 9)) is None  # holiday
    assert first_due(CAMPAIGN, False, view(), vn(4, 30, 9)) == vn(5, 4, 8)


@pytest.mark.parametrize("completion", [Completion.COMPLETED, Completion.DECLINED])
def test_no_mail_after_an_answer(completion: Completion) -> None:
    r = invited(vn(4, 6, 9), completion=completion)
    assert due_mail(CAMPAIGN, False, r, vn(4, 10, 9)) is None
    assert first_due(CAMPAIGN, False, r, vn(4, 10, 9)) is None
    assert due_mail(CAMPAIGN, False, view(completion=completion), vn(4, 10, 9)) is None


def test_replied_respondent_is_still_reminded() -> None:
    r = invited(vn(4, 6, 9), completion=Completion.REPLIED)
    assert due_mail(CAMPAIGN, False, r, vn(4, 10, 9)) == "reminder-1"


@pytest.mark.parametrize("delivery", [Delivery.BOUNCED, Delivery.FAILED])
def test_no_mail_to_a_dead_address(delivery: Delivery) -> None:
    for r in (view(delivery=delivery), invited(vn(4, 6, 9), delivery=delivery)):
        assert due_mail(CAMPAIGN, False, r, vn(4, 10, 9)) is None
        assert first_due(CAMPAIGN, False, r, vn(4, 10, 9)) is None
    # Not even when forced: the operator clears the bounce instead.
    assert due_mail(CAMPAIGN, False, view(delivery=delivery, force=True), vn(4, 10, 9)) is None


def test_checked_bad_only_when_forced() -> None:
    assert due_mail(CAMPAIGN, False, view(delivery=Delivery.CHECKED_BAD), vn(4, 7, 9)) is None
    assert first_due(CAMPAIGN, False, view(delivery=Delivery.CHECKED_BAD), vn(4, 7, 9)) is None
    forced = view(delivery=Delivery.CHECKED_BAD, force=True)
    assert due_mail(CAMPAIGN, False, forced, vn(4, 7, 9)) == "invitation"


def test_away_with_a_return_date_waits_for_it() -> None:
    r = invited(vn(4, 6, 9), completion=Completion.AWAY, away_until=vn(4, 20))
    assert due_mail(CAMPAIGN, False, r, vn(4, 10, 9)) is None
    assert due_mail(CAMPAIGN, False, r, vn(4, 17, 16)) is None
    assert first_due(CAMPAIGN, False, r, vn(4, 10, 9)) == vn(4, 20, 8)
    assert due_mail(CAMPAIGN, False, r, vn(4, 20, 8)) == "reminder-1"


def test_away_without_a_return_date_waits_the_default_after_the_last_mail() -> None:
    r = invited(vn(4, 6, 9), completion=Completion.AWAY)
    back = vn(4, 6, 9) + DEFAULT_AWAY  # Monday 13 April 09:00
    assert due_mail(CAMPAIGN, False, r, back - timedelta(minutes=1)) is None
    assert first_due(CAMPAIGN, False, r, vn(4, 9, 9)) == back
    assert due_mail(CAMPAIGN, False, r, back) == "reminder-1"


def test_away_before_any_mail_does_not_block_the_invitation() -> None:
    assert due_mail(CAMPAIGN, False, view(completion=Completion.AWAY), vn(4, 7, 9)) == "invitation"


# --- reminders -------------------------------------------------------------------------------------


def test_reminders_at_their_offsets_after_the_invitation() -> None:
    r = invited(vn(4, 6, 9))
    assert due_mail(CAMPAIGN, False, r, vn(4, 9, 8, 59)) is None
    assert first_due(CAMPAIGN, False, r, vn(4, 6, 10)) == vn(4, 9, 9)
    assert due_mail(CAMPAIGN, False, r, vn(4, 9, 9)) == "reminder-1"
    r1 = invited(vn(4, 6, 9), "reminder-1", last=vn(4, 9, 9, 5))
    assert due_mail(CAMPAIGN, False, r1, vn(4, 10, 9)) is None
    assert first_due(CAMPAIGN, False, r1, vn(4, 10, 9)) == vn(4, 13, 9)
    assert due_mail(CAMPAIGN, False, r1, vn(4, 13, 9)) == "reminder-2"
    # After both reminders: only the final, two days before closing (Wed 6 May 17:00 -> Thu 08:00).
    r2 = invited(vn(4, 6, 9), "reminder-1", "reminder-2", last=vn(4, 13, 9))
    assert first_due(CAMPAIGN, False, r2, vn(4, 14, 9)) == vn(5, 7, 8)
    assert due_mail(CAMPAIGN, False, r2, vn(5, 7, 8)) == "final"
    done = invited(vn(4, 6, 9), "reminder-1", "reminder-2", "final", last=vn(5, 7, 8))
    assert first_due(CAMPAIGN, False, done, vn(5, 7, 9)) is None


def test_max_count_limits_the_reminders() -> None:
    one = make_campaign(reminders=ReminderPolicy(max_count=1))
    r1 = invited(vn(4, 6, 9), "reminder-1", last=vn(4, 9, 9))
    assert due_mail(one, False, r1, vn(4, 13, 9)) is None
    assert first_due(one, False, r1, vn(4, 13, 9)) == vn(5, 7, 8)  # the final only
    none = make_campaign(reminders=ReminderPolicy(max_count=0, final_before_close=None))
    assert first_due(none, False, invited(vn(4, 6, 9)), vn(4, 6, 10)) is None
    # max_count beyond the offsets: only as many reminders as offsets.
    many = make_campaign(reminders=ReminderPolicy(max_count=5, final_before_close=None))
    r2 = invited(vn(4, 6, 9), "reminder-1", "reminder-2", last=vn(4, 13, 9))
    assert first_due(many, False, r2, vn(4, 13, 10)) is None


def test_outage_sends_one_overdue_reminder_then_waits_the_gap() -> None:
    # Planner down from 8 to 14 April: both reminders are overdue when it comes back.
    r = invited(vn(4, 6, 9))
    back = vn(4, 14, 10)
    assert due_mail(CAMPAIGN, False, r, back) == "reminder-1"
    sent = invited(vn(4, 6, 9), "reminder-1", last=back + timedelta(minutes=2))
    assert due_mail(CAMPAIGN, False, sent, back + timedelta(hours=1)) is None
    gap_end = back + timedelta(minutes=2) + MIN_GAP  # 15 April 06:02, before the window
    assert first_due(CAMPAIGN, False, sent, back + timedelta(hours=1)) == vn(4, 15, 8)
    assert due_mail(CAMPAIGN, False, sent, gap_end) is None
    assert due_mail(CAMPAIGN, False, sent, vn(4, 15, 8)) == "reminder-2"


def test_gap_after_an_invitation_sent_late() -> None:
    # Invited on Friday afternoon; the final falls due the next Thursday but the gap still holds.
    r = invited(vn(5, 6, 16))
    assert due_mail(CAMPAIGN, False, r, vn(5, 7, 8)) is None
    assert first_due(CAMPAIGN, False, r, vn(5, 7, 8)) == vn(5, 7, 12)
    assert due_mail(CAMPAIGN, False, r, vn(5, 7, 12)) == "final"


def test_final_supersedes_the_remaining_reminders() -> None:
    # Reminder-1 sent; the planner was down until after the final's time: only the final goes.
    r = invited(vn(4, 27, 9), "reminder-1", last=vn(5, 4, 8))
    assert due_mail(CAMPAIGN, False, r, vn(5, 7, 10)) == "final"
    # A reminder waiting for the gap when the final's time comes is superseded too.
    waiting = invited(vn(4, 29, 9), "reminder-1", last=vn(5, 6, 15))
    assert due_mail(CAMPAIGN, False, waiting, vn(5, 7, 10)) is None  # gap after reminder-1
    assert first_due(CAMPAIGN, False, waiting, vn(5, 7, 10)) == vn(5, 7, 11)
    assert due_mail(CAMPAIGN, False, waiting, vn(5, 7, 11)) == "final"
    # An invitation so late that reminder-1 would fall after the final's time goes straight to it.
    late = invited(vn(5, 4, 9))
    assert first_due(CAMPAIGN, False, late, vn(5, 4, 10)) == vn(5, 7, 8)
    assert due_mail(CAMPAIGN, False, late, vn(5, 7, 8)) == "final"
    # Nothing follows the final.
    after = invited(vn(4, 6, 9), "final", last=vn(5, 7, 8))
    assert first_due(CAMPAIGN, False, after, vn(5, 7, 9)) is None


def test_the_whole_sequence_around_holidays() -> None:
    # Invited Mon 27 April: reminder-1 falls on 30 April (holiday), goes Mon 4 May 08:00;
    # reminder-2 (4 May 09:00) then waits the gap until Tue 5 May 08:00; the final on Thu 7 May.
    r = invited(vn(4, 27, 9))
    assert first_due(CAMPAIGN, False, r, vn(4, 28, 9)) == vn(5, 4, 8)
    r1 = invited(vn(4, 27, 9), "reminder-1", last=vn(5, 4, 8))
    assert first_due(CAMPAIGN, False, r1, vn(5, 4, 8)) == vn(5, 5, 8)
    assert due_mail(CAMPAIGN, False, r1, vn(5, 5, 8)) == "reminder-2"
    r2 = invited(vn(4, 27, 9), "reminder-1", "reminder-2", last=vn(5, 5, 8))
    assert first_due(CAMPAIGN, False, r2, vn(5, 5, 8)) == vn(5, 7, 8)


def test_no_final_when_not_configured() -> None:
    plain = make_campaign(reminders=ReminderPolicy(final_before_close=None))
    r2 = invited(vn(4, 6, 9), "reminder-1", "reminder-2", last=vn(4, 13, 9))
    assert due_mail(plain, False, r2, vn(5, 7, 10)) is None
    assert first_due(plain, False, r2, vn(4, 14, 9)) is None


# --- properties ------------------------------------------------------------------------------------

ZONES = ["Asia/Ho_Chi_Minh", "Europe/Berlin", "America/New_York"]
KINDS = ["invitation", "reminder-1", "reminder-2", "reminder-3", "final"]
T0 = datetime(2026, 10, 12, tzinfo=UTC)  # Berlin and New York both change clocks within 40 days


@st.composite
def campaigns(draw: st.DrawFn) -> Campaign:
    start = draw(st.integers(0, 23 * 60 - 1))
    end = draw(st.integers(start + 1, 24 * 60 - 1))
    opens = T0 + timedelta(hours=draw(st.integers(0, 72)))
    closes = opens + timedelta(days=draw(st.integers(1, 40)))
    offsets = tuple(timedelta(hours=h) for h in sorted(draw(st.sets(st.integers(1, 400), max_size=3))))
    holidays = {
        date(2026, 10, 12) + timedelta(days=d) for d in draw(st.sets(st.integers(0, 50), max_size=10))
    }
    return make_campaign(
        timezone=draw(st.sampled_from(ZONES)),
        opens=opens,
        closes=closes,
        window=SendWindow(
            weekdays=draw(st.frozensets(st.integers(0, 6), min_size=1)),
            start=time(start // 60, start % 60),
            end=time(end // 60, end % 60),
            holidays=frozenset(holidays),
        ),
        reminders=ReminderPolicy(
            offsets=offsets,
            max_count=draw(st.integers(0, 4)),
            final_before_close=draw(st.none() | st.integers(1, 120).map(lambda h: timedelta(hours=h))),
        ),
    )


def instants() -> st.SearchStrategy[datetime]:
    return st.integers(-2 * 24 * 60, 50 * 24 * 60).map(lambda m: T0 + timedelta(minutes=m))


@st.composite
def views(draw: st.DrawFn) -> RespondentView:
    """Mostly realistic histories (a prefix of the sequence), with every state now and then."""
    stage = draw(st.integers(0, 5))
    planned = set(KINDS[: stage + 1]) if stage < 4 else {*KINDS[:4], *(["final"] if stage == 5 else [])}
    if stage == 0 and draw(st.booleans()):
        planned = set()
    planned |= draw(st.sets(st.sampled_from(KINDS), max_size=1))
    invited_at = draw(st.none() | instants()) if "invitation" in planned else None
    last = invited_at
    if invited_at is not None:
        last = invited_at + timedelta(minutes=draw(st.integers(0, 20 * 24 * 60)))
    live = [Delivery.SENT, Delivery.DELIVERED, Delivery.CHECKED_OK, Delivery.NEW]
    waiting = [Completion.PENDING, Completion.AWAY, Completion.REPLIED]
    return RespondentView(
        delivery=draw(st.sampled_from(live * 3 + list(Delivery))),
        completion=draw(st.sampled_from(waiting * 3 + list(Completion))),
        away_until=draw(st.none() | instants()),
        invited_at=invited_at,
        last_sent_at=last,
        planned=frozenset(planned),
        force=draw(st.booleans()),
    )


PROPERTY_SMALL = settings(
    max_examples=80,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)


@PROPERTY_SMALL
@given(campaigns(), instants())
def test_next_window_open_is_inside_and_earliest(campaign: Campaign, at: datetime) -> None:
    opened = next_window_open(campaign, at)
    if opened is None:
        return
    assert at <= opened < campaign.closes
    assert in_window(campaign, opened)
    # Whole minutes before it, back to `at` or at most a day: all closed.
    t = opened - timedelta(minutes=1)
    while t >= max(at, opened - timedelta(days=1)):
        assert not in_window(campaign, t), t
        t -= timedelta(minutes=1)


@PROPERTY_SMALL
@given(campaigns(), views(), instants())
def test_due_mail_names_the_next_unplanned_kind_only_once_its_offset_has_passed(
    campaign: Campaign, r: RespondentView, now: datetime
) -> None:
    kind = due_mail(campaign, False, r, now)
    if kind is None:
        return
    assert kind not in r.planned
    assert (kind == "invitation") == ("invitation" not in r.planned)
    assert in_window(campaign, now) and campaign.opens <= now < campaign.closes
    if kind.startswith("reminder-"):
        number = int(kind.split("-")[1])
        assert r.invited_at is not None and r.invited_at + campaign.reminders.offsets[number - 1] <= now
    if kind == "final":
        assert campaign.reminders.final_before_close is not None
        assert campaign.closes - campaign.reminders.final_before_close <= now
