"""`check` does not call an address bad when our mail is known to have reached it (issue 16: all 41
addresses of SNV were called bad, 17 of whom had completed the survey)."""

from __future__ import annotations

from datetime import UTC, datetime

from maildaemon.cli.check import split_bad
from maildaemon.deliverability.outcomes import Outcome
from maildaemon.deliverability.results import ProbeResult
from maildaemon.store import CheckTarget


def target(email: str, delivery: str, completion: str) -> CheckTarget:
    return CheckTarget(1, 1, email, "SNV", "Sở Nội vụ", delivery, completion)


def test_delivered_or_answered_addresses_are_not_bad() -> None:
    r = ProbeResult("x@snv.test", "snv.test", Outcome.NO_DOMAIN, checked_at=datetime(2026, 12, 6, tzinfo=UTC))
    bad = [
        (target("a@snv.test", "new", "pending"), r),
        (target("b@snv.test", "sent", "pending"), r),  # relay accepted, nothing proven: still bad
        (target("c@snv.test", "delivered", "completed"), r),
        (target("d@snv.test", "sent", "replied"), r),
        (target("e@snv.test", "delivered", "pending"), r),
    ]
    real, proven = split_bad(bad)
    assert [t.email for t, _ in real] == ["a@snv.test", "b@snv.test"]
    assert [t.email for t, _ in proven] == ["c@snv.test", "d@snv.test", "e@snv.test"]
