"""What the sender makes of a temporary failure: deferred with back-off until the campaign closes."""

import random
from datetime import UTC, datetime, timedelta

from maildaemon.core.retry import RetryPolicy
from maildaemon.outbound.mailer import Reply
from maildaemon.outbound.sender import outcome_for_reply, within_window
from maildaemon.store import Claim, SendOutcome
from tests.support.factories import make_campaign

T0 = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)
CLOSES = T0 + timedelta(days=14)


def claim(attempts: int) -> Claim:
    return Claim(
        1, 1, 1, "invitation", attempts, T0, T0, "t" * 26, "an@tempfail.test", "Võ Minh Khôi", "", "", ""
    )


def test_a_450_on_the_third_day_is_still_deferred_not_failed() -> None:
    reply = Reply("rcpt", 450, "4.7.1 Try again later")
    now = T0 + timedelta(days=3)
    out = outcome_for_reply(claim(2), reply, now, RetryPolicy(), random.Random(1), "<m@x>", until=CLOSES)
    assert out.result == "deferred" and out.next_attempt is not None
    assert now < out.next_attempt <= now + timedelta(hours=2)


def test_at_the_close_it_is_given_up_with_the_reason_expired() -> None:
    reply = Reply("rcpt", 450, "4.7.1 Try again later")
    out = outcome_for_reply(claim(150), reply, CLOSES, RetryPolicy(), random.Random(1), "<m@x>", until=CLOSES)
    assert (out.result, out.reason) == ("failed", "expired") and "151 attempts" in out.reply


def test_only_a_4xx_at_rcpt_speaks_about_the_recipient() -> None:
    at_rcpt = outcome_for_reply(claim(0), Reply("rcpt", 450, "4.7.1 Try again later"), T0, RetryPolicy(),
                                random.Random(1), "<m@x>", until=CLOSES)  # fmt: skip
    at_data = outcome_for_reply(claim(0), Reply("data", 451, "4.3.0 local error"), T0, RetryPolicy(),
                                random.Random(1), "<m@x>", until=CLOSES)  # fmt: skip
    assert (at_rcpt.result, at_rcpt.reason) == ("deferred", "blocked")
    assert (at_data.result, at_data.reason) == ("deferred", None)


def test_a_retry_that_would_fall_outside_working_hours_waits_for_the_next_window() -> None:
    campaign, _ = make_campaign(opens=T0 - timedelta(days=1), closes=CLOSES)  # Mon-Fri 08:00-17:00 Vietnam
    friday_late = datetime(2026, 11, 27, 9, 50, tzinfo=UTC)  # 16:50 in Vietnam, a Friday
    deferred = SendOutcome(
        claim(3), "deferred", 450, "4.7.1 later", next_attempt=friday_late + timedelta(minutes=16)
    )
    moved = within_window(deferred, campaign)
    assert moved.result == "deferred" and moved.next_attempt == datetime(
        2026, 11, 30, 1, 0, tzinfo=UTC
    )  # Mon 08:00
    inside = SendOutcome(claim(3), "deferred", 450, "x", next_attempt=friday_late)
    assert within_window(inside, campaign) is inside


def test_with_no_window_left_before_the_close_the_retry_is_given_up() -> None:
    campaign, _ = make_campaign(opens=T0 - timedelta(days=1), closes=datetime(2026, 11, 28, 3, 0, tzinfo=UTC))
    late = SendOutcome(
        claim(3), "deferred", 450, "4.7.1 later", next_attempt=datetime(2026, 11, 27, 10, 30, tzinfo=UTC)
    )
    out = within_window(late, campaign)
    assert (out.result, out.reason, out.next_attempt) == ("failed", "expired", None)
    assert out.reply.startswith("gave up: no send window left")
