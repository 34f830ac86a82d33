"""Completions imported from survey-platform exports: LimeSurvey (token, submitdate) and Google Forms
(email), idempotent, with a rejects file for what could not be used."""

import csv
from pathlib import Path
from zoneinfo import ZoneInfo

import openpyxl

from maildaemon.intake.completions import import_completions
from maildaemon.store import Store
from tests.support.factories import MONDAY_10, make_campaign, roster_rows


async def _campaign(store: Store) -> tuple[str, int, list[dict[str, object]]]:
    campaign, text = make_campaign()
    cid = await store.create_campaign(campaign, text, MONDAY_10)
    await store.import_roster(cid, "Tỉnh", roster_rows(4), MONDAY_10, "r.csv")
    people = [await store.respondent(cid, f"user{i}@khanhhoa.test") for i in range(1, 5)]
    return campaign.name, cid, people


async def test_limesurvey_export_by_token(store: Store, tmp_path: Path) -> None:
    name, cid, people = await _campaign(store)
    path = tmp_path / "results-survey123456.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "submitdate", "lastpage", "startlanguage", "seed", "token", "Q1"])
        w.writerow(["1", "2026-11-24 09:12:00", "5", "vi", "123", people[0]["token"], "Rất hài lòng"])
        w.writerow(["2", "", "2", "vi", "124", people[1]["token"], ""])  # incomplete response
        w.writerow(["3", "2026-11-24 10:00:00", "5", "vi", "125", "zzzzzzzzzzzzzzzzzzzzzzzzzz", "x"])
        w.writerow(["4", "2026-11-24 11:00:00", "5", "vi", "126", "not-a-token", "x"])
    res = await import_completions(store, name, path)
    assert (res.completed, res.already, len(res.rejects)) == (1, 0, 3)
    assert [r.line for r in res.rejects] == [3, 4, 5]
    assert "not completed" in res.rejects[0].reason and "unknown token" in res.rejects[1].reason
    assert (await store.respondent(cid, "user1@khanhhoa.test"))["completion"] == "completed"
    assert (await store.respondent(cid, "user2@khanhhoa.test"))["completion"] == "pending"
    rejects = res.rejects_path
    assert rejects is not None and rejects.read_text(encoding="utf-8-sig").startswith("line,reason,raw")
    again = await import_completions(store, name, path)
    assert (again.completed, again.already) == (0, 1)
    events = await store.events(email="user1@khanhhoa.test")
    assert sum(1 for e in events if e.new == "completed") == 1 and events[-1].source == "import"


async def test_google_forms_xlsx_by_email(store: Store, tmp_path: Path) -> None:
    name, cid, people = await _campaign(store)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["Dấu thời gian", "Địa chỉ email", "Câu 1: Ông/bà đánh giá thế nào?"])
    ws.append(["24/11/2026 9:12:00", "USER3@khanhhoa.test", "Hài lòng"])
    ws.append(["24/11/2026 9:15:00", "ai.do@elsewhere.test", "Hài lòng"])
    path = tmp_path / "Phiếu khảo sát (Câu trả lời).xlsx"
    wb.save(path)
    res = await import_completions(store, name, path)
    assert (res.completed, len(res.rejects)) == (1, 1)
    assert "unknown address" in res.rejects[0].reason
    assert (await store.respondent(cid, "user3@khanhhoa.test"))["completion"] == "completed"


async def test_completions_dated_outside_the_campaign_warn_and_are_not_plotted_at_their_date(
    store: Store, tmp_path: Path
) -> None:
    from datetime import timedelta

    from maildaemon.reporting.campaign import campaign_report

    name, cid, people = await _campaign(store)
    now = MONDAY_10 + timedelta(days=3)
    path = tmp_path / "results.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["id", "submitdate", "token"])
        w.writerow(["1", "2025-11-25 10:00:00", people[0]["token"]])  # a year before the campaign opened
        w.writerow(["2", "2027-01-02 08:00:00", people[1]["token"]])  # in the future
        w.writerow(
            ["3", (MONDAY_10 + timedelta(days=1)).strftime("%Y-%m-%d %H:%M:%S+00:00"), people[2]["token"]]
        )
    res = await import_completions(store, name, path, now=now)
    assert res.completed == 3 and not res.rejects
    assert [w.line for w in res.warnings] == [2, 3]  # lines of the file, header included
    assert res.warnings[0].reason == (
        "submitted 2025-11-25 10:00:00, before the campaign opened (2026-11-22 10:00 Asia/Ho_Chi_Minh); "
        "recorded at the import time"
    )
    assert (
        res.warnings[1].reason == "submitted 2027-01-02 08:00:00, in the future; recorded at the import time"
    )
    assert "2025-11-25 10:00:00" in res.warnings[0].reason
    report = await campaign_report(store, name, 0.6, now)
    days = {d.day.isoformat(): d.completions for d in report.timeline if d.completions}
    # the two doubtful rows on the import day, the good one on the day it was submitted; none in 2025
    assert days == {
        (MONDAY_10 + timedelta(days=1)).astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat(): 1,
        now.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).date().isoformat(): 2,
    }
