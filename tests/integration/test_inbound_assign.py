"""Tying mail the watcher could not attribute to a respondent by hand (the store operation behind
`inbound assign` and the console's "this is person X"), on SQLite and PostgreSQL: the verdict's effect,
its event rows and the message's attribution in one transaction; refusals change nothing."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from maildaemon.core.assignment import campaign_period
from maildaemon.core.retry import TransientBouncePolicy
from maildaemon.errors import InputError, NotFound, StoreError
from maildaemon.operations import inbound as ops
from maildaemon.store import CampaignRecord, Store, tables
from tests.support.console import Seed, seed
from tests.support.dbstate import snapshot
from tests.support.factories import MONDAY_10
from tests.support.loose import record_loose

NOW = MONDAY_10 + timedelta(hours=1)
POLICY = TransientBouncePolicy()


async def _setup(store: Store) -> tuple[Seed, dict[str, int]]:
    s = await seed(store, extra_stc=2)
    return s, await record_loose(store, MONDAY_10 + timedelta(minutes=30))


async def _events(store: Store, rid: int) -> list[tuple[str, str | None, str | None, str, str]]:
    E = tables.events
    async with store.tx() as conn:
        rows = await conn.execute(
            select(E.c.field, E.c.old_value, E.c.new_value, E.c.source, E.c.detail)
            .where(E.c.respondent_id == rid, E.c.source == "operator")
            .order_by(E.c.id)
        )
        return [tuple(r) for r in rows.all()]  # type: ignore[misc]


async def test_each_verdict_takes_its_effect_with_events_and_attribution(store: Store) -> None:
    s, ids = await _setup(store)
    rec = await store.get_campaign(s.campaign)
    duc, lan, other = (s.people[e] for e in ("duc.vp@khanhhoa.test", "lan.stc@khanhhoa.test", s.extra[0]))
    rows, total = await store.unattributed(*_period(rec), limit=50)
    assert total == 3 and [r.id for r in rows] == sorted(ids.values(), reverse=True)  # newest first
    by_id = {r.id: r for r in rows}
    assert by_id[ids["reply"]].from_ == "Phòng Tổng hợp <tonghop@other.khanhhoa.test>"  # decoded (RFC 2047)
    assert by_id[ids["autoreply"]].subject == "Trả lời tự động"

    done = await ops.assign(store, rec, ids["bounce"], duc, actor="op (console)", now=NOW, bounces=POLICY)
    assert (done.email, done.kind, done.effect.delivery) == ("duc.vp@khanhhoa.test", "bounce", "bounced")
    person = await store.console_person(s.campaign_id, duc)
    assert person is not None and (person["delivery"], person["reason"], person["hard_bounce"]) == (
        "bounced", "userunknown", True)  # fmt: skip
    (event,) = await _events(store, duc)
    assert (
        event[:4] == ("delivery", "sent", "bounced", "operator")
        and "tied by hand by op (console)" in event[4]
    )
    message = await store.inbound_message(ids["bounce"])
    assert (message.email, message.attributed_by, message.campaign) == (
        "duc.vp@khanhhoa.test",
        "operator",
        s.campaign,
    )

    await ops.assign(store, rec, ids["autoreply"], lan, actor="op", now=NOW, bounces=POLICY)
    person = await store.console_person(s.campaign_id, lan)
    assert person is not None and (person["delivery"], person["completion"]) == ("delivered", "away")
    assert (
        person["away_until"] is not None and person["away_until"].date().isoformat() == "2026-11-30"
    )  # 1/12 VN
    assert [e[:3] for e in await _events(store, lan)] == [("delivery", "sent", "delivered"),
                                                          ("completion", "pending", "away")]  # fmt: skip

    await ops.assign(store, rec, ids["reply"], other, actor="op", now=NOW, bounces=POLICY)
    assert [e[:3] for e in await _events(store, other)] == [("delivery", "sent", "delivered"),
                                                            ("completion", "pending", "replied")]  # fmt: skip
    assert (await store.unattributed(*_period(rec)))[1] == 0


def _period(rec: CampaignRecord) -> tuple[datetime, datetime]:
    return campaign_period(rec.campaign.opens, rec.campaign.closes)


async def test_refusals_change_nothing(store: Store) -> None:
    s, ids = await _setup(store)
    rec = await store.get_campaign(s.campaign)
    duc, lan = s.people["duc.vp@khanhhoa.test"], s.people["lan.stc@khanhhoa.test"]
    await ops.assign(store, rec, ids["bounce"], duc, actor="op", now=NOW, bounces=POLICY)
    before = await snapshot(store)
    with pytest.raises(InputError, match=r"already tied to duc.vp@khanhhoa.test \(by operator\)"):
        await ops.assign(
            store, rec, ids["bounce"], lan, actor="op", now=NOW, bounces=POLICY
        )  # no re-attribution
    with pytest.raises(NotFound):
        await ops.assign(store, rec, 999999, lan, actor="op", now=NOW, bounces=POLICY)
    with pytest.raises(NotFound):  # a respondent of no campaign of this record
        await store.assign_inbound(ids["reply"], lan, campaign_id=s.campaign_id + 1, actor="op", now=NOW,
                                   bounces=POLICY)  # fmt: skip
    late = NOW + timedelta(days=80)
    after_close = replace(rec, campaign=replace(rec.campaign, opens=late, closes=late + timedelta(days=1)))
    with pytest.raises(NotFound):  # received outside the campaign's period: not its mail
        await ops.assign(store, after_close, ids["reply"], lan, actor="op", now=NOW, bounces=POLICY)
    assert await snapshot(store) == before


async def test_a_failure_midway_leaves_the_message_untied(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    s, ids = await _setup(store)
    rec = await store.get_campaign(s.campaign)
    before = await snapshot(store)

    async def broken(*args: object, **kw: object) -> int:
        raise StoreError("disk full")

    monkeypatch.setattr("maildaemon.store.attribution.apply_changes", broken)
    with pytest.raises(StoreError):
        await ops.assign(store, rec, ids["bounce"], s.people["duc.vp@khanhhoa.test"], actor="op", now=NOW,
                         bounces=POLICY)  # fmt: skip
    assert await snapshot(store) == before  # the attribution written before it was rolled back too


async def test_the_list_is_paged_newest_first_within_the_campaigns_period(store: Store) -> None:
    s, ids = await _setup(store)
    rec = await store.get_campaign(s.campaign)
    notes = [(i, f"From: x{i}@nowhere.test\r\nSubject: note {i}\r\n\r\nchào\r\n".encode()) for i in range(55)]
    await store.record_inbound_many(notes, folder="INBOX", uidvalidity=1, now=MONDAY_10 + timedelta(hours=2))
    late = [(99, b"From: late@nowhere.test\r\nSubject: after the close\r\n\r\nlate\r\n")]
    await store.record_inbound_many(
        late, folder="INBOX", uidvalidity=1, now=rec.campaign.closes + timedelta(days=31)
    )
    first, total = await store.unattributed(*_period(rec), limit=50)
    second, _ = await store.unattributed(*_period(rec), offset=50, limit=50)
    assert total == 58 and len(first) == 50 and len(second) == 8  # the late one belongs to no period of this
    assert [m.subject for m in first[:2]] == ["note 54", "note 53"] and second[-1].id == ids["bounce"]
    assert not {m.id for m in first} & {m.id for m in second}
