"""Purging a closed campaign's personal data on both engines: refused while open or within its
retention, a dry run that changes nothing, and afterwards no name, address, token or raw message
left while the per-agency figures and the report stay the same."""

from __future__ import annotations

from dataclasses import asdict, replace
from datetime import timedelta
from typing import Any

import pytest

from maildaemon.core import retention
from maildaemon.errors import InputError
from maildaemon.store import Store
from maildaemon.store.purge import Purger, purge_campaign, purge_due
from tests.support.dbstate import NOW, fill_demo, snapshot
from tests.support.factories import NAMES, make_campaign

RETENTION = 30


async def _closed_campaign(store: Store) -> tuple[int, Any]:
    cid = await fill_demo(store, respondents=40, extra=f"retention_days = {RETENTION}")
    rec = await store.get_campaign("demo-2026")
    assert rec.campaign.retention_days == RETENTION
    return cid, rec


def _personal(store_rows: dict[str, list[tuple[Any, ...]]], people: list[dict[str, Any]]) -> list[str]:
    """Every place an original name, address or token still appears, as 'table.column'."""
    needles = {str(p[k]) for p in people for k in ("email", "token")} | set(NAMES)
    found = []
    for table, rows in store_rows.items():
        for row in rows:
            for column, value in row:
                text = value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)
                if any(n in text for n in needles):
                    found.append(f"{table}.{column}")
    return sorted(set(found))


def _figures(data: Any) -> dict[str, Any]:
    people = [replace(p, full_name="", email="", title="", phone="") for p in data.people]
    return {"agencies": data.agencies, "counts": data.counts, "events": data.events, "people": people}


async def test_purge_refused_while_open_or_within_retention(store: Store) -> None:
    _, rec = await _closed_campaign(store)
    closes = rec.campaign.closes
    with pytest.raises(InputError, match="is open until"):
        await purge_campaign(store, rec, closes - timedelta(minutes=1), dry_run=True)
    with pytest.raises(InputError, match=f"kept until .*retention_days = {RETENTION}"):
        await purge_campaign(store, rec, closes + timedelta(days=RETENTION - 1), dry_run=False)
    assert await purge_due(store, closes + timedelta(days=RETENTION - 1)) == []


async def test_purge_removes_personal_data_and_keeps_the_report(store: Store) -> None:
    cid, rec = await _closed_campaign(store)
    people = [await store.respondent(cid, f"user{i}@khanhhoa.test") for i in range(1, 41)]
    before = await snapshot(store)
    report_before = await store.report_data(cid)
    assert _personal(before, people)  # the check below can fail: there is personal data to find
    when = retention.purge_after(rec.campaign) + timedelta(hours=1)

    dry = await purge_campaign(store, rec, when, dry_run=True)
    assert (dry.respondents, dry.inbound, dry.checks) == (40, 12, 6) and dry.raw_bytes > 0 and dry.texts > 0
    assert await snapshot(store) == before

    done = await Purger(store, now=lambda: when).run_once()
    assert done == 1
    after = await snapshot(store)
    assert _personal(after, people) == []
    inbound = {dict(r)["id"]: dict(r) for r in after["inbound"]}
    ours = [r for r in inbound.values() if r["campaign_id"] == cid]
    assert len(ours) == 12 and all(r["raw"] == b"" and r["subject"] is None for r in ours)
    unattributed = [r for r in inbound.values() if r["campaign_id"] is None]
    assert len(unattributed) == 1 and unattributed[0]["raw"]  # not this campaign's: kept
    assert len(after["respondents"]) == len(before["respondents"])
    assert len(after["events"]) == len(before["events"]) + 1
    p = await store.respondent(cid, retention.pseudonym_email(int(people[0]["id"])))
    assert p["full_name"] == retention.pseudonym_name(int(people[0]["id"]))
    assert (p["delivery"], p["completion"], p["reason"]) == (
        people[0]["delivery"], people[0]["completion"], people[0]["reason"],
    )  # fmt: skip
    report_after = await store.report_data(cid)
    assert _figures(report_after) == _figures(report_before)
    assert [asdict(x) for x in report_after.counts] == [asdict(x) for x in report_before.counts]
    events = await store.events(campaign_id=cid)
    assert events[-1].new == "purged" and events[-1].source == "purge"

    again = await purge_campaign(store, rec, when + timedelta(days=1), dry_run=False)
    assert again.already and await snapshot(store) == after
    assert await purge_due(store, when + timedelta(days=1)) == []


async def test_purge_touches_only_campaigns_past_their_retention(store: Store) -> None:
    cid, rec = await _closed_campaign(store)
    other, text = make_campaign(name="still-kept", extra="retention_days = 400")
    oid = await store.create_campaign(other, text, NOW)
    when = retention.purge_after(rec.campaign) + timedelta(days=1)
    assert [r.campaign for r in await purge_due(store, when, dry_run=True)] == ["demo-2026"]
    assert [r.campaign for r in await purge_due(store, when)] == ["demo-2026"]
    assert [e.new for e in await store.events(campaign_id=oid)] == ["created"]
    assert (await store.events(campaign_id=cid))[-1].new == "purged"
