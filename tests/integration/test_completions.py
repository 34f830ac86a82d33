"""Completions imported from survey-platform exports: LimeSurvey (token, submitdate) and Google Forms
(email), idempotent, with a rejects file for what could not be used."""

import csv
from pathlib import Path

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
