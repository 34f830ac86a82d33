"""What the sender makes of a temporary failure: deferred with back-off until the campaign closes."""

import random
from datetime import UTC, datetime, timedelta

from maildaemon.core.retry import RetryPolicy
from maildaemon.outbound.mailer import Reply
from maildaemon.outbound.sender import outcome_for_reply
from maildaemon.store import Claim

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
