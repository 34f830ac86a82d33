"""Campaign files: typed, validated, errors name the file and key."""

from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from maildaemon.core.campaign import campaign_from_text, load_campaign
from maildaemon.errors import ConfigError

EXAMPLE = Path(__file__).resolve().parents[2] / "config" / "campaign.example.toml"

MINIMAL = """
name = "t1"
title = "Khảo sát"
survey_url = "https://s.example/{token}"
opens = 2026-11-23T08:00:00
closes = 2026-12-15T17:00:00
[sender]
address = "khaosat@survey.test"
bounce_domain = "survey.test"
"""


def test_example_campaign_parses() -> None:
    c, text = load_campaign(EXAMPLE)
    assert c.name == "par2026-khanhhoa"
    assert c.opens == datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert c.window.weekdays == frozenset({0, 1, 2, 3, 4})
    assert c.window.start == time(8, 0)
    assert date(2026, 9, 2) in c.window.holidays
    assert c.reminders.offsets == (timedelta(days=3), timedelta(days=7))
    assert c.reminders.final_before_close == timedelta(hours=48)
    assert "Sở Nội vụ" in c.organization and "Khánh Hòa" in text
    assert (c.focal_digest_days, c.focal_digest_hour) == (frozenset({0, 3}), 9)


def test_minimal_defaults() -> None:
    c = campaign_from_text(MINIMAL, "t.toml")
    assert c.timezone == "Asia/Ho_Chi_Minh" and c.language == "vi"
    assert c.closes.tzinfo is not None
    assert c.focal_digest_days == frozenset()  # focal-point digests are off unless the file names days


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (("opens = 2026", "openz = 2026"), "unknown key 'openz'"),
        (('survey_url = "https://s.example/{token}"', 'survey_url = "https://s.example/x"'), "{token}"),
        (("[sender]", 'timezone = "Mars/Base"\n[sender]'), "unknown time zone"),
        (("[sender]", '[window]\nweekdays = ["mon"]\nstart = "17:00"\nend = "08:00"\n[sender]'), "start"),
        (("[sender]", "[window]\nweekdays = []\n[sender]"), "weekdays"),
        (("[sender]", '[window]\nweekdays = ["someday"]\n[sender]'), "unknown day"),
        (("closes = 2026-12-15T17:00:00", "closes = 2026-11-01T17:00:00"), "closes"),
        (('address = "khaosat@survey.test"', "address = 5"), "sender.address"),
        (('name = "t1"', 'name = "bad name!"'), "key 'name'"),
        (("[sender]", 'template_set = "../vi"\n[sender]'), "template_set must be a directory name"),
        (
            ("[sender]", 'focal_digest_days = ["mon", "someday"]\n[sender]'),
            "key 'focal_digest_days': unknown day",
        ),
        (("[sender]", "focal_digest_hour = 24\n[sender]"), "key 'focal_digest_hour': expected 0..23"),
    ],
)
def test_bad_campaign_names_the_problem(edit: tuple[str, str], message: str) -> None:
    text = MINIMAL.replace(*edit)
    assert text != MINIMAL
    with pytest.raises(ConfigError) as err:
        campaign_from_text(text, "camp.toml")
    assert "camp.toml" in str(err.value)
    assert message in str(err.value)


def test_missing_required_key() -> None:
    with pytest.raises(ConfigError, match="missing required key 'sender.bounce_domain'"):
        campaign_from_text(MINIMAL.replace('bounce_domain = "survey.test"', ""), "c.toml")


def test_holidays_every_open_day_is_an_impossible_window() -> None:
    text = MINIMAL.replace("closes = 2026-12-15T17:00:00", "closes = 2026-11-24T17:00:00").replace(
        "[sender]", "[window]\nholidays = [2026-11-23, 2026-11-24]\n[sender]"
    )
    with pytest.raises(ConfigError, match="never"):
        campaign_from_text(text, "c.toml")


def test_a_window_may_end_at_midnight() -> None:
    """ "24:00" keeps the day's last minute open (an end of "23:59" is exclusive and would close it), and the
    campaign listing writes it back as the file did."""
    from maildaemon.core.window import clock_text, in_window

    c = campaign_from_text(
        MINIMAL.replace("[sender]", '[window]\nstart = "00:00"\nend = "24:00"\n[sender]'), "c.toml"
    )
    zone = ZoneInfo(c.timezone)
    assert in_window(c, datetime(2026, 11, 24, 23, 59, 59, tzinfo=zone))
    assert in_window(c, datetime(2026, 11, 25, 0, 0, tzinfo=zone))
    assert not in_window(c, datetime(2026, 11, 28, 23, 59, 59, tzinfo=zone))  # a Saturday stays closed
    assert (clock_text(c.window.start), clock_text(c.window.end)) == ("00:00", "24:00")
    with pytest.raises(ConfigError, match=r"window\.start"):  # only an end may be midnight
        campaign_from_text(MINIMAL.replace("[sender]", '[window]\nstart = "24:00"\n[sender]'), "c.toml")
