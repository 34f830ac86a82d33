"""Retention rules: when a campaign may be purged, the pseudonyms, and addresses scrubbed from text."""

from __future__ import annotations

from datetime import timedelta

import pytest

from maildaemon.core import retention
from maildaemon.errors import ConfigError
from tests.support.factories import make_campaign


def test_retention_days_is_read_and_checked() -> None:
    assert make_campaign()[0].retention_days == 365
    assert make_campaign(extra="retention_days = 0")[0].retention_days == 0
    with pytest.raises(ConfigError, match="retention_days"):
        make_campaign(extra="retention_days = -1")
    with pytest.raises(ConfigError, match="retention_days"):
        make_campaign(extra='retention_days = "1 year"')


def test_refusal_while_open_and_within_retention() -> None:
    c, _ = make_campaign(extra="retention_days = 30")
    assert "is open until" in (retention.refusal(c, c.closes - timedelta(seconds=1)) or "")
    assert "kept until" in (retention.refusal(c, c.closes) or "")
    assert "kept until" in (retention.refusal(c, c.closes + timedelta(days=30, seconds=-1)) or "")
    assert retention.refusal(c, c.closes + timedelta(days=30)) is None
    assert retention.purge_after(c) == c.closes + timedelta(days=30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("550 5.1.1 <ha.ntt@snv.khanhhoa.gov.vn>: Recipient address rejected",
         "550 5.1.1 <<address removed>>: Recipient address rejected"),
        ("to Trần.Đức+x@sotc.gov.vn, cc a@b.vn;", "to <address removed>, cc <address removed>;"),
        ("respondent-12@purged.invalid bounced", "respondent-12@purged.invalid bounced"),
        ("no address @ all here", "no address @ all here"),
    ],
)  # fmt: skip
def test_scrub(text: str, expected: str) -> None:
    assert retention.scrub(text) == expected
    assert retention.pseudonym_email(7) == "respondent-7@purged.invalid"
