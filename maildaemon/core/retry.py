"""Retry rules as plain values: when to try a deferred message again, and when repeated soft
bounces mean the address is as good as dead.

Pure: the sender and the watcher pass ``now`` (and a seeded ``random.Random`` for jitter).
"""

from __future__ import annotations

import math
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from maildaemon.errors import ConfigError


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Exponential back-off for a message our relay deferred (4xx, timeout, connection lost).

    The n-th retry waits ``base * factor**(n-1)``, at most ``max_delay``, shortened by up to
    ``jitter`` (a fraction) so deferred messages of one batch spread out instead of hitting the
    relay together; jitter only shortens, so ``max_delay`` is a true maximum.

    A temporary failure is retried until the campaign closes (``until``): a domain that says "try
    again later" for two days may take mail on the third, and giving up early turned such people into
    "failed". ``max_age`` (None: no limit) optionally gives up sooner, counted from the first try; the
    last attempt is placed exactly at whichever limit comes first, so the whole time is used.
    """

    base: timedelta = timedelta(minutes=2)
    factor: float = 2.0
    max_delay: timedelta = timedelta(hours=2)
    max_age: timedelta | None = None
    jitter: float = 0.2

    def __post_init__(self) -> None:
        if self.base <= timedelta(0):
            raise ConfigError(f"retry base must be positive, got {self.base}")
        if not math.isfinite(self.factor) or self.factor < 1.0:
            raise ConfigError(f"retry factor must be >= 1, got {self.factor}")
        if self.max_delay < self.base:
            raise ConfigError(f"retry max_delay {self.max_delay} is shorter than base {self.base}")
        if self.max_age is not None and self.max_age <= timedelta(0):
            raise ConfigError(f"retry max_age must be positive, got {self.max_age}")
        if not 0.0 <= self.jitter < 1.0:
            raise ConfigError(f"retry jitter must be in [0, 1), got {self.jitter}")

    def delay(self, attempts: int, rng: random.Random) -> timedelta:
        """The wait after ``attempts`` failed attempts (1 = the first try failed)."""
        base_s = self.base.total_seconds()
        cap_s = self.max_delay.total_seconds()
        exponent = max(attempts, 1) - 1
        if self.factor > 1.0:
            # Past this exponent the cap applies anyway; bounding it avoids float overflow.
            exponent = min(exponent, math.ceil(math.log(cap_s / base_s, self.factor)) + 1)
        seconds = min(base_s * self.factor**exponent, cap_s)
        return timedelta(seconds=seconds * (1.0 - self.jitter * rng.random()))

    def deadline(self, first_try: datetime, until: datetime | None) -> datetime | None:
        """When retrying stops: the campaign's close, or ``max_age`` after the first try if sooner."""
        aged = None if self.max_age is None else first_try + self.max_age
        limits = [t for t in (until, aged) if t is not None]
        return min(limits) if limits else None

    def next_attempt(
        self, attempts: int, first_try: datetime, now: datetime, rng: random.Random,
        until: datetime | None = None,
    ) -> datetime | None:  # fmt: skip
        """When to try again after ``attempts`` failed attempts, or None to give up (failed).

        ``until`` is the campaign's close: nothing is worth sending after it."""
        deadline = self.deadline(first_try, until)
        nxt = now + self.delay(attempts, rng)
        if deadline is None:
            return nxt
        if now >= deadline:
            return None
        return min(nxt, deadline)


@dataclass(frozen=True, slots=True)
class TransientBouncePolicy:
    """Repeated soft bounces within ``period`` become permanent, like Mailman's bounce score.

    A full mailbox for a week is, for a survey that closes in weeks, as bad as no mailbox. As in
    Mailman, several soft bounces on one (UTC) day count once, so a burst of delay notices for
    one message does not condemn an address on its own.
    """

    threshold: int = 3
    period: timedelta = timedelta(days=7)

    def __post_init__(self) -> None:
        if self.threshold < 1:
            raise ConfigError(f"bounce threshold must be >= 1, got {self.threshold}")
        if self.period <= timedelta(0):
            raise ConfigError(f"bounce period must be positive, got {self.period}")

    def score(self, transient_times: Sequence[datetime], now: datetime) -> int:
        """Distinct UTC days with a soft bounce in (now - period, now]."""
        start = now - self.period
        return len({t.astimezone(UTC).date() for t in transient_times if start < t <= now})

    def becomes_permanent(self, transient_times: Sequence[datetime], now: datetime) -> bool:
        return self.score(transient_times, now) >= self.threshold
