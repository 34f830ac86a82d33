"""Factories for tests: campaigns with chosen times, roster rows with Vietnamese names."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

from maildaemon.core.campaign import Campaign, campaign_from_text
from maildaemon.intake.roster import RosterRow

# A Monday 10:00 in Vietnam (03:00 UTC): inside the default send window.
MONDAY_10 = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


NAMES = [
    "Nguyễn Thị Thu Hà", "Trần Văn Đức", "Lê Thị Mỹ Dung", "Phạm Quốc Việt", "Hoàng Thị Ánh",
    "Võ Minh Khôi", "Đặng Thị Hồng Nhung", "Bùi Văn Lộc", "Đỗ Thị Thanh Tâm", "Huỳnh Ngọc Sơn",
]  # fmt: skip
AGENCIES = [
    ("SNV", "Sở Nội vụ"), ("STC", "Sở Tài chính"), ("STP", "Sở Tư pháp"),
    ("UBND-DK", "UBND huyện Diên Khánh"), ("UBND-CR", "UBND thành phố Cam Ranh"),
]  # fmt: skip


def campaign_text(
    name: str = "t-campaign",
    *,
    opens: datetime = MONDAY_10 - timedelta(days=1),
    closes: datetime = MONDAY_10 + timedelta(days=21),
    bounce_domain: str = "survey.test",
    extra: str = "",
    window: str = "",
    reminders: str = "",
) -> str:
    return f"""
name = "{name}"
title = "Khảo sát Chỉ số CCHC năm 2026 — {name}"
survey_kind = "PAR"
survey_url = "https://khaosat.example.vn/s/{{token}}"
opens = {opens.isoformat()}
closes = {closes.isoformat()}
organization = "Sở Nội vụ tỉnh Khánh Hòa"
province = "Tỉnh Khánh Hòa"
contact = "Phòng CCHC, ĐT 0258 3822 000"
{extra}
[sender]
name = "Sở Nội vụ tỉnh Khánh Hòa"
address = "khaosat@survey.test"
bounce_domain = "{bounce_domain}"
[window]
{window}
[reminders]
{reminders}
"""


def make_campaign(**kwargs: object) -> tuple[Campaign, str]:
    text = campaign_text(**kwargs)  # type: ignore[arg-type]
    return campaign_from_text(text, "test-campaign.toml"), text


def roster_rows(n: int, domain: str = "khanhhoa.test", start: int = 1) -> list[RosterRow]:
    rows = []
    for i in range(start, start + n):
        code, agency = AGENCIES[i % len(AGENCIES)]
        rows.append(
            RosterRow(
                line=i + 1,
                email=f"user{i}@{domain}",
                full_name=NAMES[i % len(NAMES)],
                title="Chuyên viên",
                agency_name=agency,
                agency_code=code,
                honorific="bà" if i % 2 else "ông",
            )  # fmt: skip
        )
    return rows


def write_roster_csv(path: Path, rows: list[RosterRow], encoding: str = "utf-8-sig") -> Path:
    lines = ["STT,Họ và tên,Thư điện tử,Chức vụ,Cơ quan/đơn vị,Mã đơn vị"]
    for n, r in enumerate(rows, 1):
        lines.append(f"{n},{r.full_name},{r.email},{r.title},{r.agency_name},{r.agency_code}")
    path.write_text("\r\n".join(lines) + "\r\n", encoding=encoding)
    return path
