"""Retry back-off for deferred messages and the soft-bounce score."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maildaemon.core.retry import RetryPolicy, TransientBouncePolicy
from maildaemon.errors import ConfigError

T0 = datetime(2026, 4, 6, 2, 0, tzinfo=UTC)
EXACT = RetryPolicy(jitter=0.0, max_age=timedelta(days=2))
CLOSES = T0 + timedelta(days=14)


def test_delays_double_from_base_up_to_the_cap() -> None:
    rng = random.Random(1)
    delays = [EXACT.delay(n, rng) for n in range(1, 10)]
    minutes = [d / timedelta(minutes=1) for d in delays]
    assert minutes == [2, 4, 8, 16, 32, 64, 120, 120, 120]


def test_next_attempt_is_now_plus_the_delay() -> None:
    rng = random.Random(1)
    now = T0 + timedelta(minutes=30)
    assert EXACT.next_attempt(3, T0, now, rng) == now + timedelta(minutes=8)


def test_gives_up_after_max_age_with_a_last_try_at_the_limit() -> None:
    rng = random.Random(1)
    limit = T0 + timedelta(days=2)
    near = limit - timedelta(minutes=10)
    assert EXACT.next_attempt(30, T0, near, rng) == limit  # capped at 2 h, but the limit comes first
    assert EXACT.next_attempt(31, T0, limit, rng) is None
    assert EXACT.next_attempt(31, T0, limit + timedelta(hours=1), rng) is None


def test_a_whole_retry_history_ends_in_failure_within_max_age() -> None:
    policy = RetryPolicy(max_age=timedelta(days=2))
    rng = random.Random(7)
    now, attempts = T0, 1
    assert policy.max_age is not None
    while (nxt := policy.next_attempt(attempts, T0, now, rng)) is not None:
        assert now < nxt <= T0 + policy.max_age
        now, attempts = nxt, attempts + 1
    assert now == T0 + policy.max_age
    # 2+4+...+64 min, then 2 h steps over two days: about 27 tries, not hundreds.
    assert 20 <= attempts <= 40


def test_by_default_a_temporary_failure_is_retried_until_the_campaign_closes() -> None:
    """A domain saying "450 try again later" is retried over the whole campaign with back-off, and
    given up only at the close (the old 48 h limit turned such people into "failed" on day 3)."""
    policy = RetryPolicy()
    rng = random.Random(7)
    now, attempts = T0, 1
    while (nxt := policy.next_attempt(attempts, T0, now, rng, until=CLOSES)) is not None:
        assert now < nxt <= CLOSES and nxt - now <= policy.max_delay
        now, attempts = nxt, attempts + 1
    assert now == CLOSES  # the last try is at the close, then it is given up
    assert 150 <= attempts <= 250  # back-off: every 2 h at most, not every minute
    assert policy.next_attempt(2, T0, T0 + timedelta(days=10), rng, until=CLOSES) is not None


def test_a_configured_max_age_still_gives_up_sooner_than_the_close() -> None:
    rng = random.Random(1)
    assert EXACT.next_attempt(5, T0, T0 + timedelta(days=2), rng, until=CLOSES) is None
    day1 = T0 + timedelta(days=1)
    assert EXACT.next_attempt(10, T0, day1, rng, until=day1 + timedelta(hours=1)) == day1 + timedelta(hours=1)
    assert RetryPolicy().next_attempt(5, T0, CLOSES, rng, until=CLOSES) is None
    assert RetryPolicy().next_attempt(5, T0, T0 + timedelta(days=30), rng) is not None  # no limit given


def test_jitter_is_deterministic_under_a_seed_and_spreads_otherwise() -> None:
    policy = RetryPolicy()
    first = [policy.next_attempt(4, T0, T0, random.Random(42)) for _ in range(3)]
    assert first[0] == first[1] == first[2]
    rng = random.Random(42)
    spread = {policy.next_attempt(4, T0, T0, rng) for _ in range(20)}
    assert len(spread) > 10


@settings(max_examples=100, deadline=None, derandomize=True, database=None)
@given(st.integers(-3, 5000), st.integers(0, 2**32), st.integers(0, 3 * 24 * 3600))
def test_delay_stays_within_its_bounds(attempts: int, seed: int, elapsed_s: int) -> None:
    policy = RetryPolicy(max_age=timedelta(days=2))
    delay = policy.delay(attempts, random.Random(seed))
    exact = EXACT.delay(attempts, random.Random(seed))
    assert exact * (1 - policy.jitter) <= delay <= exact <= policy.max_delay
    assert delay > timedelta(0)
    now = T0 + timedelta(seconds=elapsed_s)
    nxt = policy.next_attempt(attempts, T0, now, random.Random(seed))
    assert policy.max_age is not None
    if now >= T0 + policy.max_age:
        assert nxt is None
    else:
        assert nxt is not None and now < nxt <= T0 + policy.max_age


@pytest.mark.parametrize(
    "changes",
    [
        {"base": timedelta(0)},
        {"factor": 0.5},
        {"factor": float("nan")},
        {"max_delay": timedelta(minutes=1)},
        {"max_age": timedelta(0)},
        {"jitter": 1.0},
        {"jitter": -0.1},
    ],
)
def test_retry_policy_refuses_nonsense(changes: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        RetryPolicy(**changes)  # type: ignore[arg-type]


def test_constant_delay_when_factor_is_one() -> None:
    flat = RetryPolicy(factor=1.0, jitter=0.0, base=timedelta(minutes=5))
    assert {flat.delay(n, random.Random(0)) for n in (1, 2, 50)} == {timedelta(minutes=5)}


# --- soft bounces --------------------------------------------------------------------------------

BOUNCES = TransientBouncePolicy()


def test_three_soft_bounces_on_three_days_within_a_week_become_permanent() -> None:
    times = [T0, T0 + timedelta(days=2), T0 + timedelta(days=5)]
    assert not BOUNCES.becomes_permanent(times[:2], T0 + timedelta(days=5))
    assert BOUNCES.becomes_permanent(times, T0 + timedelta(days=5))


def test_soft_bounces_older_than_the_period_do_not_count() -> None:
    times = [T0, T0 + timedelta(days=2), T0 + timedelta(days=5)]
    assert not BOUNCES.becomes_permanent(times, T0 + timedelta(days=7))
    assert BOUNCES.score(times, T0 + timedelta(days=7)) == 2


def test_soft_bounces_on_one_day_count_once() -> None:
    burst = [T0 + timedelta(hours=h) for h in range(5)]
    assert BOUNCES.score(burst, T0 + timedelta(hours=6)) == 1
    assert not BOUNCES.becomes_permanent(burst, T0 + timedelta(hours=6))


def test_future_bounces_are_ignored() -> None:
    times = [T0, T0 + timedelta(days=1), T0 + timedelta(days=2)]
    assert not BOUNCES.becomes_permanent(times, T0 + timedelta(days=1, hours=1))


def test_threshold_one_makes_any_soft_bounce_permanent() -> None:
    strict = TransientBouncePolicy(threshold=1)
    assert strict.becomes_permanent([T0], T0)
    assert not strict.becomes_permanent([], T0)


@pytest.mark.parametrize("changes", [{"threshold": 0}, {"period": timedelta(0)}])
def test_bounce_policy_refuses_nonsense(changes: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        TransientBouncePolicy(**changes)  # type: ignore[arg-type]
