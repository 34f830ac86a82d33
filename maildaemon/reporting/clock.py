"""Times as operators read them: in the campaign's zone, with the zone written out ("08:15 (ICT,
UTC+7)"), so a time printed by ``status``, ``events`` or ``diagnose`` means the same as the report's.
Pure: datetimes in, text out; JSON keeps ISO 8601 with the offset (``iso``)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

DEFAULT_TZ = "Asia/Ho_Chi_Minh"
# Zones whose tz database name is only an offset ("+07") but which people call by a name.
_NAMES = {"Asia/Ho_Chi_Minh": "ICT", "Asia/Saigon": "ICT", "Asia/Bangkok": "ICT", "Asia/Vientiane": "ICT"}


def zone_label(tz: str, at: datetime | None = None) -> str:
    """E.g. "ICT, UTC+7" for Vietnam, "UTC" for UTC, "CET, UTC+1" for Paris in winter."""
    zone = ZoneInfo(tz)
    moment = (at or datetime.now(zone)).astimezone(zone)
    offset = moment.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    if minutes == 0 and tz in ("UTC", "Etc/UTC"):
        return "UTC"
    sign = "+" if minutes >= 0 else "-"
    h, m = divmod(abs(minutes), 60)
    utc = f"UTC{sign}{h}" + (f":{m:02d}" if m else "")
    name = _NAMES.get(tz) or moment.tzname() or ""
    return utc if not name or name[0] in "+-" else f"{name}, {utc}"


def local(at: datetime | None, tz: str = DEFAULT_TZ, fmt: str = "%Y-%m-%d %H:%M", zone: bool = True) -> str:
    """``at`` in zone ``tz`` as ``fmt``, followed by the zone in brackets ("" for None)."""
    if at is None:
        return ""
    moment = at.astimezone(ZoneInfo(tz))
    text = moment.strftime(fmt)
    return f"{text} ({zone_label(tz, moment)})" if zone else text


def iso(at: datetime | None, tz: str = DEFAULT_TZ) -> str | None:
    """ISO 8601 with the zone's offset, for ``--json``."""
    return at.astimezone(ZoneInfo(tz)).isoformat() if at is not None else None
