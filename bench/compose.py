"""Micro-benchmark: Composer.compose against building the same mail with email.message.EmailMessage.

Both sides render the same templates for the same respondents; the reference then builds an
EmailMessage and calls as_bytes(). Prints figures and ends with one JSON line.
Run: python3 bench/compose.py [--count N]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from datetime import datetime
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from maildaemon.core.campaign import Campaign  # noqa: E402
from maildaemon.outbound.compose import Composer, Recipient  # noqa: E402
from maildaemon.outbound.templates import TemplateSet  # noqa: E402

TZ = ZoneInfo("Asia/Ho_Chi_Minh")
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Võ", "Đặng", "Bùi", "Đỗ")
GIVEN = ("Văn An", "Thị Bích Ngọc", "Hữu Phước", "Minh Tuấn", "Thị Hồng Nhung", "Quốc Bảo")


def campaign() -> Campaign:
    return Campaign(
        name="par2026-khanhhoa",
        title="Khảo sát Chỉ số CCHC năm 2026",
        survey_kind="PAR",
        survey_url="https://khaosat.example.vn/s/{token}",
        opens=datetime(2026, 11, 1, 8, tzinfo=TZ),
        closes=datetime(2026, 12, 15, 17, tzinfo=TZ),
        sender_name="Sở Nội vụ tỉnh Khánh Hòa",
        sender_address="khaosat@snv.khanhhoa.gov.vn",
        bounce_domain="mail.snv.khanhhoa.gov.vn",
        organization="Sở Nội vụ tỉnh Khánh Hòa",
        contact="Phòng Cải cách hành chính, ĐT 0258 3822 123",
    )


def recipients(n: int) -> list[Recipient]:
    return [
        Recipient(
            token=f"tok{i:08d}",
            email=f"user{i}@so{i % 40}.khanhhoa.gov.vn",
            full_name=f"{SURNAMES[i % len(SURNAMES)]} {GIVEN[i % len(GIVEN)]}",
            honorific=("ông", "bà", "")[i % 3],
            title="Chuyên viên",
            agency_name=f"Ủy ban nhân dân xã số {i % 97}",
        )
        for i in range(n)
    ]


def reference(composer: Composer, r: Recipient, kind: str, number: int) -> bytes:
    """The same mail via the standard library's EmailMessage."""
    c = composer.campaign
    ctx = composer.context(r, kind, number)
    t = composer.templates
    msg = EmailMessage()
    msg["From"] = Address(c.sender_name, addr_spec=c.sender_address)
    msg["To"] = Address(ctx["full_name"], addr_spec=r.email)
    msg["Reply-To"] = f"{c.reply_prefix}+{r.token}@{c.bounce_domain}"
    msg["Subject"] = t.render_part(kind, "subject.txt", ctx).strip()
    msg["Date"] = format_datetime(datetime.now(TZ))
    msg["Message-ID"] = f"<md.{r.token}.{kind}@{c.bounce_domain}>"
    msg["X-Survey-Token"] = r.token
    msg["X-Survey-Campaign"] = c.name
    msg.set_content(t.render_part(kind, "txt", ctx), cte="base64")
    msg.add_alternative(t.render_part(kind, "html", ctx), subtype="html", cte="base64")
    return msg.as_bytes()


def rate(fn: Callable[[Recipient], bytes | str], items: list[Recipient]) -> tuple[float, int]:
    start = time.process_time()
    total = 0
    for r in items:
        total += len(fn(r))
    elapsed = time.process_time() - start
    return len(items) / elapsed, total // len(items)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=20000)
    args = parser.parse_args()
    composer = Composer(campaign(), TemplateSet.load("vi"))
    people = recipients(args.count)
    ref_people = people[: max(1, args.count // 5)]
    # warm-up: compiled templates, caches, branch predictors
    for r in people[:500]:
        composer.compose(r, "invitation")
        reference(composer, r, "invitation", 0)

    ours, size = rate(lambda r: composer.compose(r, "invitation").data, people)
    ours_rem, _ = rate(lambda r: composer.compose(r, "reminder-1").data, people)
    ref, ref_size = rate(lambda r: reference(composer, r, "invitation", 0), ref_people)
    render_only, _ = rate(
        lambda r: composer.templates.render("invitation", composer.context(r, "invitation", 0)).html, people
    )
    print(f"python {platform.python_version()} on {os.cpu_count()} CPUs, {args.count} messages")
    print(f"compose invitation : {ours:10.0f} msg/s  ({size} bytes/msg)")
    print(f"compose reminder-1 : {ours_rem:10.0f} msg/s")
    print(f"render only (3 tpl): {render_only:10.0f} msg/s")
    print(f"EmailMessage ref   : {ref:10.0f} msg/s  ({ref_size} bytes/msg, {len(ref_people)} messages)")
    print(f"ratio compose/ref  : {ours / ref:10.1f}x")
    print(
        json.dumps(
            {
                "bench": "compose",
                "messages": args.count,
                "compose_per_s": round(ours),
                "compose_reminder_per_s": round(ours_rem),
                "reference_per_s": round(ref),
                "ratio": round(ours / ref, 2),
                "bytes_per_message": size,
            }
        )
    )


if __name__ == "__main__":
    main()
