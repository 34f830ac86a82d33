"""Excluded people in the report, on both engines: listed apart (who, agency, reason, by whom, when) in the
HTML, XLSX and CSV, and counted in no figure; a restore takes them off the list, a new exclusion names
its own operator."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import openpyxl

from maildaemon.reporting.campaign import campaign_report
from maildaemon.reporting.render import render
from maildaemon.store import Store
from tests.support.factories import MONDAY_10, make_campaign, roster_rows


async def test_excluded_people_are_listed_apart_with_who_excluded_them(store: Store) -> None:
    campaign, text = make_campaign()
    cid = await store.create_campaign(campaign, text, MONDAY_10)
    await store.import_roster(cid, "Tỉnh Khánh Hòa", roster_rows(10), MONDAY_10, "ds.csv")
    before = await campaign_report(store, campaign.name, 0.6, MONDAY_10)
    later = MONDAY_10 + timedelta(hours=2)

    async def exclude(who: str, actor: str, at: object, restore: bool = False) -> None:
        await store.set_excluded(cid, who, exclude=not restore, reason="" if restore else "Nghỉ hưu: từ 01/12",
                                 actor=actor, now=at, not_before=at)  # type: ignore[arg-type]  # fmt: skip

    await exclude("user1@khanhhoa.test", "Lê Thị Lan", MONDAY_10)
    await exclude("user2@khanhhoa.test", "lan", MONDAY_10)
    await exclude("user2@khanhhoa.test", "lan", MONDAY_10, restore=True)
    await exclude("user2@khanhhoa.test", "Trần Minh: CNTT", later)  # a colon in a name is kept whole
    report = await campaign_report(store, campaign.name, 0.6, later)
    assert report.total.respondents == before.total.respondents - 2
    assert {p.email for p in report.not_answered} == {p.email for p in before.not_answered} - {
        "user1@khanhhoa.test", "user2@khanhhoa.test",
    }  # fmt: skip
    got = {(x.email, x.agency_name, x.reason, x.by, x.at) for x in report.excluded}
    assert got == {
        ("user1@khanhhoa.test", "Sở Tài chính", "Nghỉ hưu: từ 01/12", "Lê Thị Lan", MONDAY_10),
        ("user2@khanhhoa.test", "Sở Tư pháp", "Nghỉ hưu: từ 01/12", "Trần Minh: CNTT", later),
    }

    html = render(report, "html")
    assert isinstance(html, str)
    section = html[html.index('<h2 id="excluded">') :]
    assert "Đã loại khỏi khảo sát (2 người)" in section
    assert "Trần Minh: CNTT" in section and "23/11/2026 12:00" in section and "Sở Tư pháp" in section
    data = render(report, "csv", "en")
    assert isinstance(data, bytes)
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    at = rows.index(["Excluded from the survey", "These people are not counted in any figure."])
    assert len(rows) == at + 4 and rows[at + 1][4] == "Excluded by"
    assert {r[2]: r[4] for r in rows[at + 2 :]} == {"user1@khanhhoa.test": "Lê Thị Lan",
                                                     "user2@khanhhoa.test": "Trần Minh: CNTT"}  # fmt: skip
    xlsx = render(report, "xlsx")
    assert isinstance(xlsx, bytes)
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx))["Đã loại khỏi khảo sát"]
    assert sheet.max_row == 3 and sheet.cell(1, 5).value == "Người loại"
