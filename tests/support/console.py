"""A small campaign with accounts of every role, for the operator console's tests.

Agencies: the province, Sở Nội vụ (SNV) with its Văn phòng (SNV-VP) below, Sở Tài chính (STC). Some
names carry markup and CR/LF, one address bounced (user unknown), one person completed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import httpx

from maildaemon.intake.roster import RosterRow
from maildaemon.outbound.planner import plan_campaign
from maildaemon.store import SendOutcome, Store
from maildaemon.web import accounts
from tests.support.factories import MONDAY_10, make_campaign

PASSWORD = "mat-khau-du-dai-2026"
MARKUP = '<script>alert("x")</script>\r\nTrần Văn Đức'
ATTR = '"><img src=x onerror=alert(1)> Hồ Thị Lan'
ACCOUNTS = {  # username: (role, campaign, agency)
    "admin": ("admin", None, None),
    "op": ("operator", "t-campaign", None),
    "dm-snv": ("focal", "t-campaign", "SNV"),
    "dm-stc": ("focal", None, "STC"),
    "it-snv": ("it", "t-campaign", "SNV"),
    "it-all": ("it", "t-campaign", None),
}


@dataclass
class Seed:
    campaign: str
    campaign_id: int
    agencies: dict[str, int]  # code -> id (the province is "_province")
    people: dict[str, int]  # email -> id
    extra: list[str] = field(default_factory=list)


def _row(
    line: int, email: str, name: str, code: str, agency: str, parent: str = "", parent_name: str = ""
) -> RosterRow:
    return RosterRow(line=line, email=email, full_name=name, title="Chuyên viên", agency_name=agency,
                     agency_code=code, parent_code=parent, parent_name=parent_name)  # fmt: skip


async def seed(store: Store, *, extra_stc: int = 0, now: datetime = MONDAY_10) -> Seed:
    campaign, text = make_campaign()
    cid = await store.create_campaign(campaign, text, now)
    rows = [
        _row(2, "ha.snv@khanhhoa.test", "Nguyễn Thị Thu Hà", "SNV", "Sở Nội vụ"),
        _row(3, "duc.vp@khanhhoa.test", MARKUP, "SNV-VP", "Văn phòng Sở Nội vụ", "SNV", "Sở Nội vụ"),
        _row(4, "dung.stc@khanhhoa.test", "Lê Thị Mỹ Dung", "STC", "Sở Tài chính"),
        _row(5, "lan.stc@khanhhoa.test", ATTR, "STC", "Sở Tài chính"),
    ]
    extra = [f"nguoi{i:03d}@khanhhoa.test" for i in range(extra_stc)]
    rows += [_row(10 + i, e, f"Người Thứ {i:03d}", "STC", "Sở Tài chính") for i, e in enumerate(extra)]
    await store.import_roster(cid, "Tỉnh Khánh Hòa", rows, now, "seed.csv")
    await plan_campaign(store, cid, campaign, False, now)
    claims = await store.claim("w", 1000, now, timedelta(minutes=5))
    await store.record_outcomes(
        [SendOutcome(c, "bounced", 550, "5.1.1 user unknown", reason="userunknown", hard=True)
         if c.email == "dung.stc@khanhhoa.test" else SendOutcome(c, "sent", 250, "ok") for c in claims],
        now,
    )  # fmt: skip
    await store.mark_completed(now=now, source="link", campaign_id=cid, email="ha.snv@khanhhoa.test")
    for name, (role, camp, agency) in ACCOUNTS.items():
        await accounts.add_user(store, username=name, password=PASSWORD, role=role, campaign=camp, agency=agency,
                                display_name=name, now=now, by="test")  # fmt: skip
    ags = {a.code: a.id for a in await store.agencies(cid)}
    people = {}
    for r in rows:
        people[r.email] = int((await store.respondent(cid, r.email))["id"])
    return Seed("t-campaign", cid, ags, people, extra)


def hidden_csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    assert m, "no CSRF field on the page"
    return m.group(1)


async def login(client: httpx.AsyncClient, username: str, password: str = PASSWORD) -> httpx.Response:
    page = await client.get("/login")
    return await client.post("/login", data={"csrf": hidden_csrf(page.text), "username": username,
                                             "password": password})  # fmt: skip


class Clock:
    """A settable clock for the app under test."""

    def __init__(self, at: datetime = MONDAY_10) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at

    def advance(self, **kw: float) -> None:
        self.at = self.at + timedelta(**kw)


__all__ = ["ACCOUNTS", "ATTR", "MARKUP", "PASSWORD", "Clock", "Seed", "UTC", "hidden_csrf", "login", "seed"]
