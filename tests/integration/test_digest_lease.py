"""A digest claim is a lease: a daemon that stopped between claiming a digest and settling it leaves a
claim that the next round of any daemon takes over once the lease has run out (at worst one duplicate,
never a lost digest), atomically and with an event saying from whom. SQLite and PostgreSQL, an injected
clock, a collecting relay."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta

from maildaemon.config import SmtpConfig
from maildaemon.outbound.mailer import RelayPool
from maildaemon.service.digest import DigestSender
from maildaemon.service.focal_digest import FocalDigestSender
from maildaemon.store import Store
from tests.integration.test_digest_claims import campaign_with_focal_points
from tests.support.factories import MONDAY_10
from tests.support.relay import Collect

DAY = MONDAY_10.date()
LEASE = timedelta(minutes=5)


class Clock:
    """The daemons' ``now``, moved by the test."""

    def __init__(self, at: datetime) -> None:
        self.at = at

    def __call__(self) -> datetime:
        return self.at


def claim_events(events: list[object]) -> list[object]:
    return [e for e in events if getattr(e, "field", "") == "digest_claim"]


async def test_a_claim_left_by_a_stopped_daemon_is_sent_once_after_its_lease(
    store: Store, relay: tuple[Collect, int]
) -> None:
    handler, port = relay
    cid, ids = await campaign_with_focal_points(store, "cchc@snv.test", {"SNV": "dm@snv.test"})
    # a daemon claims both digests of the day and stops before sending (no settle, no release)
    for kind, agency in (("operators", 0), ("focal", ids["SNV"])):
        assert await store.claim_digest(cid, kind, agency, DAY, owner="host-a:41", now=MONDAY_10, lease=LEASE)
    clock = Clock(MONDAY_10 + LEASE - timedelta(seconds=1))
    pool = RelayPool(SmtpConfig(host="127.0.0.1", port=port, security="none"))
    senders = (DigestSender(store, pool, now=clock, owner="host-b:42", lease=LEASE),
               FocalDigestSender(store, pool, public_url="", now=clock, owner="host-b:42", lease=LEASE))  # fmt: skip
    try:
        # within the lease the claim may still be a live daemon's send: nothing goes out
        assert [await s.run_once() for s in senders] == [0, 0]
        assert handler.count == 0
        assert await store.digests_claimed(cid, "operators", DAY) == {0: "claimed"}
        # after it, the next round takes each over and sends it, once
        clock.at = MONDAY_10 + LEASE + timedelta(seconds=1)
        assert [await s.run_once() for s in senders] == [1, 1]
        clock.at += timedelta(minutes=5)
        assert [await s.run_once() for s in senders] == [0, 0]
    finally:
        await pool.close()
    assert sorted(tuple(e.rcpt_tos) for e in handler.got) == [("cchc@snv.test",), ("dm@snv.test",)]
    assert await store.digests_claimed(cid, "operators", DAY) == {0: "sent"}
    assert await store.digests_claimed(cid, "focal", DAY) == {ids["SNV"]: "sent"}
    assert await store.last_digest_day(cid) == DAY
    assert await store.focal_digests_sent(cid, DAY) == {ids["SNV"]}
    taken = claim_events(await store.events(campaign_id=cid))
    assert sorted((e.old, e.new, e.source) for e in taken) == [  # type: ignore[attr-defined]
        ("focal", "taken_over", "daemon"), ("operators", "taken_over", "daemon")
    ]  # fmt: skip
    details = {e.old: e.detail for e in taken}  # type: ignore[attr-defined]
    assert details["operators"] == (
        "2026-11-23 agency 0: claimed by host-a:41 at 2026-11-23 03:00:00 UTC, not settled within 0:05:00; "
        "taken over by host-b:42"
    )
    assert f"agency {ids['SNV']}: claimed by host-a:41 at 2026-11-23 03:00:00 UTC" in details["focal"]


async def test_of_two_daemons_taking_over_one_stale_claim_one_wins(
    db_url: str, relay: tuple[Collect, int]
) -> None:
    handler, port = relay
    stores = [Store(db_url), Store(db_url)]
    pools = [RelayPool(SmtpConfig(host="127.0.0.1", port=port, security="none")) for _ in stores]
    try:
        await stores[0].init_schema()
        cid, ids = await campaign_with_focal_points(stores[0], "cchc@snv.test", {"SNV": "dm@snv.test"})
        later = MONDAY_10 + LEASE + timedelta(seconds=1)
        # the claim itself, raced on several days' digests: exactly one taker each time
        for n in range(1, 6):
            day = DAY - timedelta(days=n)
            assert await stores[0].claim_digest(cid, "focal", ids["SNV"], day, owner="gone", now=MONDAY_10,
                                                lease=LEASE)  # fmt: skip
            won = await asyncio.gather(*(s.claim_digest(cid, "focal", ids["SNV"], day, owner=f"d{i}", now=later,
                                                        lease=LEASE) for i, s in enumerate(stores)))  # fmt: skip
            assert sorted(won) == [False, True], (day, won)
        # the whole round, both daemons at once, after a crash: each digest goes out once
        for kind, agency in (("operators", 0), ("focal", ids["SNV"])):
            assert await stores[0].claim_digest(
                cid, kind, agency, DAY, owner="gone", now=MONDAY_10, lease=LEASE
            )
        rounds = [(DigestSender(s, p, now=lambda: later, owner=f"d{i}", lease=LEASE),
                   FocalDigestSender(s, p, public_url="", now=lambda: later, owner=f"d{i}", lease=LEASE))
                  for i, (s, p) in enumerate(zip(stores, pools, strict=True))]  # fmt: skip
        sent = await asyncio.gather(*(d.run_once() for pair in rounds for d in pair))
        assert sum(sent) == 2, sent
        assert await stores[1].digests_claimed(cid, "operators", DAY) == {0: "sent"}
        assert await stores[1].digests_claimed(cid, "focal", DAY) == {ids["SNV"]: "sent"}
        assert len(claim_events(await stores[1].events(campaign_id=cid))) == 5 + 2
    finally:
        for p in pools:
            await p.close()
        for s in stores:
            await s.close()
    assert sorted(tuple(e.rcpt_tos) for e in handler.got) == [("cchc@snv.test",), ("dm@snv.test",)]


async def test_a_slow_owner_neither_releases_nor_loses_a_claim_taken_over_from_it(store: Store) -> None:
    """The daemon a claim was taken from may still finish: its release leaves the new owner's claim alone,
    and its send is recorded (the digest went out) without a third send."""
    cid, ids = await campaign_with_focal_points(store, "cchc@snv.test", {"SNV": "dm@snv.test"})
    snv, later = ids["SNV"], MONDAY_10 + LEASE + timedelta(seconds=1)
    assert await store.claim_digest(cid, "focal", snv, DAY, owner="slow", now=MONDAY_10, lease=LEASE)
    assert await store.claim_digest(cid, "focal", snv, DAY, owner="next", now=later, lease=LEASE)
    await store.release_digest(cid, "focal", snv, DAY, owner="slow")  # a transient failure, late
    assert await store.digests_claimed(cid, "focal", DAY) == {snv: "claimed"}
    assert not await store.claim_digest(cid, "focal", snv, DAY, owner="third", now=later, lease=LEASE)
    await store.release_digest(cid, "focal", snv, DAY, owner="next")  # the new owner's failure releases it
    assert await store.digests_claimed(cid, "focal", DAY) == {}
    # the slow owner's send went through after all: settled (a refusal would stay refused the same way)
    await store.settle_digest(
        cid, "focal", snv, DAY, state="sent", detail="SNV: 250 ok", owner="slow", now=later
    )
    assert await store.digests_claimed(cid, "focal", DAY) == {snv: "sent"}
    assert not await store.claim_digest(
        cid, "focal", snv, DAY, owner="third", now=later + LEASE * 2, lease=LEASE
    )
    await store.settle_digest(
        cid, "focal", snv, DAY, state="refused", detail="SNV: 550", owner="x", now=later
    )
    assert await store.digests_claimed(cid, "focal", DAY) == {snv: "sent"}  # a settled digest stays settled
    # a refusal is settled for the day: no lease ever reopens it
    other = DAY + timedelta(days=7)
    assert await store.claim_digest(cid, "focal", snv, other, owner="a", now=MONDAY_10, lease=LEASE)
    await store.settle_digest(
        cid, "focal", snv, other, state="refused", detail="SNV: 550", owner="a", now=MONDAY_10
    )
    assert not await store.claim_digest(
        cid, "focal", snv, other, owner="b", now=later + LEASE * 10, lease=LEASE
    )
    assert await store.digests_claimed(cid, "focal", other) == {snv: "refused"}
