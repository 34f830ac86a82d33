"""Campaign definition: what a campaign file (TOML) says, as typed, validated values.

Parsing lives here too so ``campaign create`` and the daemon read a file the same way.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from maildaemon.core.window import MIDNIGHT_END, SendWindow, timing_problems
from maildaemon.errors import ConfigError

__all__ = [
    "Campaign",
    "ReminderPolicy",
    "SendWindow",
    "campaign_from_text",
    "load_campaign",
    "validate_campaign",
]


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """Reminders at ``offsets`` after the invitation, at most ``max_count`` of them, and a final
    reminder ``final_before_close`` before closing (None: no final reminder)."""

    offsets: tuple[timedelta, ...] = (timedelta(days=3), timedelta(days=7))
    max_count: int = 2
    final_before_close: timedelta | None = timedelta(days=2)


@dataclass(frozen=True, slots=True)
class Campaign:
    name: str  # short id used on the command line, e.g. "par2026-khanhhoa"
    title: str  # human title, e.g. "Khảo sát Chỉ số CCHC năm 2026"
    survey_kind: str  # "PAR", "SIPAS", ...
    survey_url: str  # must contain "{token}"
    opens: datetime  # timezone-aware
    closes: datetime  # timezone-aware
    sender_name: str
    sender_address: str
    bounce_domain: str  # VERP: <bounce_prefix>+<token>@<bounce_domain> (maildaemon.core.tokens)
    timezone: str = "Asia/Ho_Chi_Minh"
    window: SendWindow = field(default_factory=SendWindow)
    reminders: ReminderPolicy = field(default_factory=ReminderPolicy)
    language: str = "vi"  # "vi" | "en"
    template_set: str = (
        "default"  # "default": <template root>/<language>/; else <template root>/<set>/<language>/
    )
    reply_to: str = ""  # empty: replies go to <reply_prefix>+<token>@<bounce_domain>
    organization: str = ""  # who sends, e.g. "Sở Nội vụ tỉnh Khánh Hòa"
    province: str = ""  # top of the agency hierarchy, e.g. "Tỉnh Khánh Hòa"
    contact: str = ""  # whom to ask for help (name, phone, mail), shown in the mail
    operators: tuple[str, ...] = ()
    digest_hour: int | None = 17  # local hour of the operators' daily digest; None: no digest
    focal_digest_days: frozenset[int] = (
        frozenset()
    )  # weekdays (0 = Monday) of the focal points' digest; none: off
    focal_digest_hour: int = 9  # local hour on those days
    reply_counts_as_completion: bool = False
    delivery_proof: bool = False  # ask for NOTIFY=SUCCESS DSNs
    retention_days: int = 365  # personal data kept this long after closing, then purged (Decree 13/2023)
    bounce_prefix: str = "bounces"
    reply_prefix: str = "reply"


# --- reading a campaign file -------------------------------------------------------------------

_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_TOP_KEYS = {
    "name", "title", "survey_kind", "survey_url", "opens", "closes", "timezone", "language",
    "template_set", "organization", "province", "contact", "operators", "reply_counts_as_completion",
    "delivery_proof", "sender", "window", "reminders", "digest_hour", "retention_days", "focal_digest_days",
    "focal_digest_hour",
}  # fmt: skip
_SENDER_KEYS = {"name", "address", "reply_to", "bounce_domain", "bounce_prefix", "reply_prefix"}
_WINDOW_KEYS = {"weekdays", "start", "end", "holidays"}
_REMINDER_KEYS = {"offsets_days", "max", "final_before_close_hours"}


class _Reader:
    """Typed access to one table of a campaign file; every error names the file and key."""

    def __init__(self, data: dict[str, Any], source: str, prefix: str, known: set[str]) -> None:
        self.data, self.source, self.prefix = data, source, prefix
        for key in data:
            if key not in known:
                raise ConfigError(
                    f"{source}: unknown key '{prefix}{key}' (known keys here: {', '.join(sorted(known))})"
                )

    def _fail(self, key: str, expected: str, value: Any) -> ConfigError:
        return ConfigError(
            f"{self.source}: key '{self.prefix}{key}': expected {expected}, got {type(value).__name__} {value!r}"
        )

    def get(self, key: str, tp: type, default: Any = None, *, required: bool = False) -> Any:
        if key not in self.data:
            if required:
                raise ConfigError(f"{self.source}: missing required key '{self.prefix}{key}'")
            return default
        value = self.data[key]
        if tp is float and isinstance(value, int) and not isinstance(value, bool):
            return float(value)
        if not isinstance(value, tp) or (tp is int and isinstance(value, bool)):
            raise self._fail(key, tp.__name__, value)
        return value

    def table(self, key: str, known: set[str]) -> _Reader:
        value = self.data.get(key, {})
        if not isinstance(value, dict):
            raise self._fail(key, "a table", value)
        return _Reader(value, self.source, f"{self.prefix}{key}.", known)

    def when(self, key: str, tz: ZoneInfo) -> datetime:
        value = self.get(key, object, required=True)
        if isinstance(value, datetime):
            return value if value.tzinfo else value.replace(tzinfo=tz)
        if isinstance(value, date):
            return datetime.combine(value, time(0, 0), tz)
        if isinstance(value, str):
            try:
                parsed = datetime.fromisoformat(value)
            except ValueError:
                raise self._fail(key, "a date-time like 2026-11-23T08:00:00", value) from None
            return parsed if parsed.tzinfo else parsed.replace(tzinfo=tz)
        raise self._fail(key, "a date-time", value)

    def clock(self, key: str, default: time, midnight: bool = False) -> time:
        """A wall-clock time; with ``midnight``, "24:00" too (a window open to the end of the day)."""
        value = self.data.get(key)
        if value is None:
            return default
        if isinstance(value, time):
            return value
        if isinstance(value, str):
            if midnight and value.strip() == "24:00":
                return MIDNIGHT_END
            try:
                return time.fromisoformat(value)
            except ValueError:
                pass
        raise self._fail(key, 'a time like "17:00" or "24:00"' if midnight else 'a time like "08:00"', value)


def parse_campaign(data: dict[str, Any], source: str) -> Campaign:
    """Build a Campaign from a parsed campaign file; ConfigError names the file and key."""
    top = _Reader(data, source, "", _TOP_KEYS)
    tz_name = top.get("timezone", str, "Asia/Ho_Chi_Minh")
    try:
        tz = ZoneInfo(tz_name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ConfigError(f"{source}: key 'timezone': unknown time zone {tz_name!r}") from None
    sender = top.table("sender", _SENDER_KEYS)
    window = top.table("window", _WINDOW_KEYS)
    rem = top.table("reminders", _REMINDER_KEYS)
    name = top.get("name", str, required=True)
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}", name):
        raise ConfigError(f"{source}: key 'name': use letters, digits, '.', '_' or '-' (got {name!r})")
    language = top.get("language", str, "vi")
    if language not in ("vi", "en"):
        raise ConfigError(f"{source}: key 'language': must be vi or en, got {language!r}")
    digest_hour = top.get("digest_hour", int, 17)
    if not -1 <= digest_hour <= 23:
        raise ConfigError(
            f"{source}: key 'digest_hour': expected 0..23 (or -1 for no digest), got {digest_hour}"
        )
    focal_hour = top.get("focal_digest_hour", int, 9)
    if not 0 <= focal_hour <= 23:
        raise ConfigError(f"{source}: key 'focal_digest_hour': expected 0..23, got {focal_hour}")
    retention_days = top.get("retention_days", int, 365)
    if retention_days < 0:
        raise ConfigError(f"{source}: key 'retention_days': expected 0 or more days, got {retention_days}")
    operators = top.get("operators", list, [])
    if not all(isinstance(x, str) for x in operators):
        raise ConfigError(f"{source}: key 'operators': expected a list of addresses")
    campaign = Campaign(
        name=name,
        title=top.get("title", str, required=True),
        survey_kind=top.get("survey_kind", str, "PAR"),
        survey_url=top.get("survey_url", str, required=True),
        opens=top.when("opens", tz),
        closes=top.when("closes", tz),
        sender_name=sender.get("name", str, ""),
        sender_address=sender.get("address", str, required=True),
        bounce_domain=sender.get("bounce_domain", str, required=True),
        reply_to=sender.get("reply_to", str, ""),
        bounce_prefix=sender.get("bounce_prefix", str, "bounces"),
        reply_prefix=sender.get("reply_prefix", str, "reply"),
        timezone=tz_name,
        window=_send_window(window, source),
        reminders=_reminder_policy(rem, source),
        language=language,
        template_set=top.get("template_set", str, "default"),
        organization=top.get("organization", str, ""),
        province=top.get("province", str, ""),
        contact=top.get("contact", str, ""),
        operators=tuple(operators),
        digest_hour=None if digest_hour < 0 else digest_hour,
        focal_digest_days=_weekdays(top.get("focal_digest_days", list, []), source, "focal_digest_days"),
        focal_digest_hour=focal_hour,
        reply_counts_as_completion=top.get("reply_counts_as_completion", bool, False),
        delivery_proof=top.get("delivery_proof", bool, False),
        retention_days=retention_days,
    )
    problems = validate_campaign(campaign)
    if problems:
        raise ConfigError(f"{source}: " + "; ".join(problems))
    return campaign


def _send_window(window: _Reader, source: str) -> SendWindow:
    """The ``[window]`` table: working days, hours and holidays, in the campaign's time zone."""
    weekdays = _weekdays(
        window.get("weekdays", list, ["mon", "tue", "wed", "thu", "fri"]), source, "window.weekdays"
    )
    holidays: set[date] = set()
    for day in window.get("holidays", list, []):
        if isinstance(day, date) and not isinstance(day, datetime):
            holidays.add(day)
        elif isinstance(day, str):
            try:
                holidays.add(date.fromisoformat(day))
            except ValueError:
                raise ConfigError(f"{source}: key 'window.holidays': not a date: {day!r}") from None
        else:
            raise ConfigError(f"{source}: key 'window.holidays': not a date: {day!r}")
    return SendWindow(
        weekdays=weekdays,
        start=window.clock("start", time(8, 0)),
        end=window.clock("end", time(17, 0), midnight=True),
        holidays=frozenset(holidays),
    )


def _weekdays(days: list[Any], source: str, key: str) -> frozenset[int]:
    """Day names ("mon" .. "sun", or longer: "monday") as weekday numbers, 0 = Monday."""
    out: set[int] = set()
    for day in days:
        if isinstance(day, str) and day.lower()[:3] in _WEEKDAYS:
            out.add(_WEEKDAYS[day.lower()[:3]])
        else:
            raise ConfigError(f"{source}: key '{key}': unknown day {day!r} (use mon, tue, ... sun)")
    return frozenset(out)


def _reminder_policy(rem: _Reader, source: str) -> ReminderPolicy:
    """The ``[reminders]`` table: offsets after the invitation, how many, and the final one before closing."""
    offsets = rem.get("offsets_days", list, [3, 7])
    if not all(isinstance(x, int | float) and not isinstance(x, bool) for x in offsets):
        raise ConfigError(f"{source}: key 'reminders.offsets_days': expected a list of numbers")
    final_h = rem.get("final_before_close_hours", float, 48.0)
    return ReminderPolicy(
        offsets=tuple(timedelta(days=float(x)) for x in offsets),
        max_count=rem.get("max", int, len(offsets)),
        final_before_close=timedelta(hours=final_h) if final_h > 0 else None,
    )


def validate_campaign(campaign: Campaign) -> list[str]:
    """Problems with the campaign's timing and reminder settings; empty when it can run.

    The campaign loader turns each into a ConfigError naming the file.
    """
    problems = timing_problems(campaign)
    reminders = campaign.reminders
    offsets = reminders.offsets
    if any(o <= timedelta(0) for o in offsets) or any(a >= b for a, b in pairwise(offsets)):
        problems.append("reminder offsets must be positive and increasing")
    if reminders.max_count < 0:
        problems.append("reminder max_count < 0")
    if reminders.final_before_close is not None and reminders.final_before_close <= timedelta(0):
        problems.append("final_before_close must be positive")
    if "{token}" not in campaign.survey_url:
        problems.append("survey_url has no {token}")
    if not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}", campaign.template_set):
        problems.append(
            f"template_set must be a directory name of letters, digits, '_' or '-', got {campaign.template_set!r}"
        )
    return problems


def load_campaign(path: Path) -> tuple[Campaign, str]:
    """Read a campaign file; returns the campaign and the file's text (kept in the database)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: campaign file not found") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read campaign file: {exc}") from exc
    return campaign_from_text(text, str(path)), text


def campaign_from_text(text: str, source: str) -> Campaign:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{source}: not valid TOML: {exc}") from exc
    return parse_campaign(data, source)
