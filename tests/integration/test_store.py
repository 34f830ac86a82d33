"""Store operations on both engines: import, states with their events, planning, leases."""

import asyncio
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from maildaemon.errors import NotFound, StoreError
from maildaemon.outbound import planner
from maildaemon.outbound.planner import plan_campaign
from maildaemon.store import SendOutcome, Store, tables
from maildaemon.store.base import Change, apply_changes
from tests.support.factories import MONDAY_10, make_campaign, roster_rows

NOW = MONDAY_10


async def _campaign(store: Store, **kw: object) -> int:
    campaign, text = make_campaign(**kw)
    return await store.create_campaign(campaign, text, NOW)


async def _count(store: Store, table: object, *where: object) -> int:
    async with store.tx() as conn:
        return int((await conn.execute(select(func.count()).select_from(table).where(*where))).scalar() or 0)  # type: ignore[arg-type]


async def test_campaign_lifecycle(store: Store) -> None:
    cid = await _campaign(store)
    rec = await store.get_campaign("t-campaign")
    assert rec.id == cid and rec.active
    assert await store.set_paused("t-campaign", True, NOW) is True
    assert await store.set_paused("t-campaign", True, NOW) is False
    assert (await store.get_campaign("t-campaign")).paused
    await store.halt_campaign(cid, "template invitation.txt line 3: 'x' is undefined", NOW)
    assert not (await store.get_campaign("t-campaign")).active
    assert await store.set_paused("t-campaign", False, NOW) is True
    assert (await store.get_campaign("t-campaign")).active
    with pytest.raises(NotFound):
        await store.get_campaign("nope")
    events = await store.events(campaign_id=cid)
    assert [e.new for e in events] == ["created", "paused", "halted", "running"]


async def test_import_is_idempotent_and_updates(store: Store) -> None:
    cid = await _campaign(store)
    rows = roster_rows(25)
    s1 = await store.import_roster(cid, "Tỉnh Khánh Hòa", rows, NOW, "r.csv")
    assert (s1.imported, s1.updated, s1.unchanged) == (25, 0, 0)
    s2 = await store.import_roster(cid, "Tỉnh Khánh Hòa", rows, NOW, "r.csv")
    assert (s2.imported, s2.updated, s2.unchanged) == (0, 0, 25)
    changed = [*rows[:24], replace(rows[24], title="Trưởng phòng")]
    s3 = await store.import_roster(cid, "Tỉnh Khánh Hòa", changed, NOW, "r.csv")
    assert (s3.imported, s3.updated, s3.unchanged) == (0, 1, 24)
    r = await store.respondent(cid, rows[24].email.upper())
    assert r["title"] == "Trưởng phòng" and r["full_name"] == rows[24].full_name
    assert len(r["token"]) == 26
    async with store.tx() as conn:
        tokens = (await conn.execute(select(tables.respondents.c.token))).scalars().all()
    assert len(set(tokens)) == 25
    counts = await store.agency_counts(cid)
    assert sum(c.count for c in counts) == 25
    assert {c.name for c in counts if c.count} == {"Sở Nội vụ", "Sở Tài chính", "Sở Tư pháp",
                                                   "UBND huyện Diên Khánh", "UBND thành phố Cam Ranh"}  # fmt: skip
    # every created respondent has its event
    assert await _count(store, tables.events, tables.events.c.new_value == "new") == 25


async def test_failed_import_leaves_nothing(store: Store) -> None:
    cid = await _campaign(store)

    def rows():  # type: ignore[no-untyped-def]
        yield from roster_rows(1500)
        raise RuntimeError("disk read error half way")

    with pytest.raises(RuntimeError):
        await store.import_roster(cid, "Tỉnh", rows(), NOW, "r.csv")
    assert await _count(store, tables.respondents) == 0
    assert await _count(store, tables.agencies) == 0


async def test_state_change_and_event_are_one_transaction(store: Store) -> None:
    cid = await _campaign(store)
    await store.import_roster(cid, "Tỉnh", roster_rows(1), NOW, "r.csv")
    r = await store.respondent(cid, "user1@khanhhoa.test")
    with pytest.raises(StoreError):
        async with store.tx() as conn:
            await apply_changes(
                conn, [Change(r["id"], cid, "new", "pending", delivery="queued", source="t")], NOW
            )
            raise StoreError("boom after the change")  # the transaction must roll back both
    assert (await store.respondent(cid, "user1@khanhhoa.test"))["delivery"] == "new"
    assert await _count(store, tables.events, tables.events.c.new_value == "queued") == 0
    with pytest.raises(StoreError, match="not allowed"):
        async with store.tx() as conn:
            await apply_changes(
                conn, [Change(r["id"], cid, "new", "pending", delivery="delivered", source="t")], NOW
            )


async def test_plan_claim_record(store: Store) -> None:
    campaign, text = make_campaign()
    cid = await store.create_campaign(campaign, text, NOW)
    await store.import_roster(cid, "Tỉnh", roster_rows(30), NOW, "r.csv")
    assert await plan_campaign(store, cid, campaign, False, NOW) == 30
    assert await plan_campaign(store, cid, campaign, False, NOW) == 0  # nothing twice
    claims = await store.claim("w1", 20, NOW, timedelta(minutes=5))
    assert len(claims) == 20 and {c.kind for c in claims} == {"invitation"}
    assert all(c.agency_name for c in claims)
    more = await store.claim("w2", 20, NOW, timedelta(minutes=5))
    assert len(more) == 10 and not {c.outbox_id for c in more} & {c.outbox_id for c in claims}
    outcomes = [SendOutcome(c, "sent", 250, "2.0.0 Ok: queued", f"<m{c.outbox_id}>") for c in claims[:15]]
    outcomes += [
        SendOutcome(claims[15], "deferred", 451, "4.7.1 try later", next_attempt=NOW + timedelta(minutes=2))
    ]
    outcomes += [
        SendOutcome(claims[16], "bounced", 550, "5.1.1 unknown user", reason="userunknown", hard=True)
    ]
    await store.record_outcomes(outcomes, NOW)
    states = {c.email: (await store.respondent(cid, c.email))["delivery"] for c in claims[:17]}
    assert list(states.values()).count("sent") == 15
    assert states[claims[15].email] == "deferred" and states[claims[16].email] == "bounced"
    bounced = await store.respondent(cid, claims[16].email)
    assert bounced["reason"] == "userunknown" and bounced["hard_bounce"]
    sent = await store.respondent(cid, claims[0].email)
    assert sent["invited_at"] == NOW and sent["last_sent_at"] == NOW
    # the deferred one comes back when due; unrecorded leases expire and are claimed again
    assert await store.claim("w1", 50, NOW + timedelta(minutes=1), timedelta(minutes=5)) == []
    later = await store.claim("w3", 50, NOW + timedelta(minutes=6), timedelta(minutes=5))
    assert {c.outbox_id for c in later} == {claims[15].outbox_id} | {c.outbox_id for c in claims[17:]} | {
        c.outbox_id for c in more}  # fmt: skip
    history = await store.events(email=claims[16].email)
    assert [(e.field, e.old, e.new) for e in history] == [
        ("delivery", None, "new"), ("delivery", "new", "queued"), ("outbox", None, "queued"),
        ("outbox", "leased", "failed"), ("delivery", "queued", "bounced"),
    ]  # fmt: skip


async def test_each_planned_page_is_committed_and_announced_before_the_next(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(planner, "PAGE", 3)
    campaign, text = make_campaign()
    cid = await store.create_campaign(campaign, text, NOW)
    await store.import_roster(cid, "Tỉnh", roster_rows(7), NOW, "r.csv")
    pages: list[int] = []
    seen: list[tuple[int, asyncio.Task[int]]] = []

    def on_page(n: int) -> None:
        pages.append(n)
        # what is announced is committed: another connection (the sender's) sees it at once
        seen.append((sum(pages), asyncio.get_running_loop().create_task(_count(store, tables.outbox))))

    assert await plan_campaign(store, cid, campaign, False, NOW, on_page=on_page) == 7
    assert pages == [3, 3, 1]
    for announced, count in seen:
        assert await count >= announced
    assert await plan_campaign(store, cid, campaign, False, NOW, on_page=on_page) == 0
    assert pages == [3, 3, 1]  # nothing new: no page announced


async def test_paused_campaign_is_not_claimed_and_bounced_are_cancelled(store: Store) -> None:
    campaign, text = make_campaign()
    cid = await store.create_campaign(campaign, text, NOW)
    await store.import_roster(cid, "Tỉnh", roster_rows(3), NOW, "r.csv")
    await plan_campaign(store, cid, campaign, False, NOW)
    await store.set_paused(campaign.name, True, NOW)
    assert await store.claim("w", 10, NOW, timedelta(minutes=5)) == []
    await store.set_paused(campaign.name, False, NOW)
    r = await store.respondent(cid, "user1@khanhhoa.test")
    async with store.tx() as conn:
        await apply_changes(
            conn, [Change(r["id"], cid, "queued", "pending", completion="completed", source="t")], NOW
        )
    await plan_campaign(store, cid, campaign, False, NOW)
    claims = await store.claim("w", 10, NOW, timedelta(minutes=5))
    assert "user1@khanhhoa.test" not in {c.email for c in claims} and len(claims) == 2


async def test_our_relay_refusing_a_reminder_keeps_what_we_know_of_the_mailbox(store: Store) -> None:
    """A 5xx at MAIL FROM for a later mail fails that message, not the respondent who already got
    mail (sent -> failed is no move of the state machine: the whole batch used to be refused)."""
    campaign, text = make_campaign()
    cid = await store.create_campaign(campaign, text, NOW)
    await store.import_roster(cid, "Tỉnh", roster_rows(2), NOW, "r.csv")
    await plan_campaign(store, cid, campaign, False, NOW)
    first, second = await store.claim("w", 10, NOW, timedelta(minutes=5))
    await store.record_outcomes([SendOutcome(first, "sent", 250, "2.0.0 Ok")], NOW)
    later = NOW + timedelta(days=3)
    reminder = replace(first, kind="reminder-1", attempts=0)
    await store.record_outcomes(
        [SendOutcome(reminder, "failed", 553, "5.7.1 sender rejected", reason="rejected"),
         SendOutcome(second, "sent", 250, "2.0.0 Ok")],
        later,
    )  # fmt: skip
    one = await store.respondent(cid, first.email)
    assert (one["delivery"], one["reason"], one["last_sent_at"]) == ("sent", None, NOW)
    assert (await store.respondent(cid, second.email))["delivery"] == "sent"  # the batch was recorded
    history = [(e.field, e.old, e.new) for e in await store.events(email=first.email) if e.field != "note"]
    assert history[-1] == ("outbox", "leased", "failed") and ("delivery", "sent", "failed") not in history
