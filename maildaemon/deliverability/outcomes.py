"""Pure: the result classes of a mailbox check, which of them say something lasting about an address,
and the exit codes of ``maildaemon diagnose`` for each."""

from __future__ import annotations

import enum
from collections.abc import Mapping


class Outcome(enum.StrEnum):
    """Result classes of a mailbox check."""

    ACCEPTED = "accepted"
    REJECTED = "rejected"
    NO_MX = "no-mx"  # null MX, or neither MX nor A/AAAA
    NO_DOMAIN = "no-domain"
    UNREACHABLE = "unreachable"
    TLS_FAILED = "tls-failed"
    CATCH_ALL = "catch-all"  # accepted, but so is any made-up address: unsure
    TRY_LATER = "try-later"  # 4xx, greylisting, DNS timeout: not a verdict
    UNKNOWN = "unknown"  # the server spoke something we could not read
    INVALID = "invalid"  # not an address at all (syntax): an input error


EXIT_USAGE = 2
EXIT_CODES: Mapping[Outcome, int] = {
    Outcome.ACCEPTED: 0,
    Outcome.REJECTED: 10,
    Outcome.NO_DOMAIN: 11,
    Outcome.NO_MX: 11,
    Outcome.UNREACHABLE: 12,
    Outcome.TLS_FAILED: 13,
    Outcome.CATCH_ALL: 14,
    Outcome.TRY_LATER: 15,
    Outcome.UNKNOWN: 16,
    Outcome.INVALID: EXIT_USAGE,
}
"""Exit codes of ``maildaemon diagnose``; 2 is also any usage error."""

# Outcomes that say something lasting about the address (cache them; the database may record them).
DEFINITE = frozenset(
    {Outcome.ACCEPTED, Outcome.REJECTED, Outcome.NO_MX, Outcome.NO_DOMAIN, Outcome.CATCH_ALL}
)


def exit_code(outcome: Outcome) -> int:
    return EXIT_CODES[outcome]
