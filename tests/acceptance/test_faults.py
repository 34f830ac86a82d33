"""The short version of bench/faults.py: SIGKILL the daemon during a campaign against the local
Postfix; nobody misses the invitation and duplicates stay within the documented bound."""

from tests.support.mailstack import MailStack


def test_sigkill_loses_nothing(mailstack: MailStack) -> None:
    from bench.faults import run

    result = run(n=150, cycles=3, batch=50, seed=3)
    assert result["lost"] == 0
    assert result["duplicates"] <= result["inflight_bound"]
