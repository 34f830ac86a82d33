"""Digests are claimed before they are sent: two daemons on one PostgreSQL racing for the same day send
each focal point's and the operators' digest once (real Postfix into real Dovecot); a transient failure
releases the claim so the next round sends it; a recipient refused at RCPT is kept for the day."""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta

import pytest

from maildaemon.config import SmtpConfig
from maildaemon.outbound.mailer import RelayPool
from maildaemon.service.digest import DigestSender
from maildaemon.service.focal_digest import FocalDigestSender
from maildaemon.store import Store, migrations
from maildaemon.store.base import add_event
from tests.integration.test_focal_digest import body, roster
from tests.support.db import _fresh_pg_schema
from tests.support.factories import MONDAY_10, make_campaign
from tests.support.mailstack import MailStack
from tests.support.relay import free_port

DAY = MONDAY_10.date()


def cadence(operator: str) -> str:
    return f'focal_digest_days = ["mon"]\nfocal_digest_hour = 9\ndigest_hour = 9\noperators = ["{operator}"]'


async def campaign_with_focal_points(
    store: Store, operator: str, focal: dict[str, str]
) -> tuple[int, dict[str, int]]:
    """Sở Nội vụ's focal point from the roster, the others' set by hand; the operators' digest due too."""
    campaign, text = make_campaign(extra=cadence(operator))
    cid = await store.create_campaign(campaign, text, MONDAY_10 - timedelta(days=7))
    await store.import_roster(cid, "Tỉnh Khánh Hòa", roster(focal["SNV"]), MONDAY_10, "ds.csv")
    for code, addr in focal.items():
        if code != "SNV":
            await store.set_focal_email(cid, code, addr, actor="lan", now=MONDAY_10)
    return cid, {a.code: a.id for a in await store.agencies(cid)}


def relay(ms: MailStack, port: int | None = None) -> RelayPool:
    return RelayPool(SmtpConfig(host=ms.host, port=port or ms.smtp_port, security="starttls",
                                ca_file=str(ms.cafile)), down_pause_s=0.0)  # fmt: skip


async def test_two_daemons_on_postgresql_send_each_digest_once(
    pg_url: str, mailstack: MailStack, mailbox_user: object
) -> None:
    await _fresh_pg_schema(pg_url)
    new = mailbox_user  # type: ignore[assignment]
    operator = new(prefix="ops")  # type: ignore[operator]
    focal = {code: new(prefix=f"dm-{code.lower()}") for code in ("SNV", "STC", "STP")}  # type: ignore[operator]
    stores = [Store(pg_url), Store(pg_url)]
    pools = [relay(mailstack), relay(mailstack)]
    try:
        await stores[0].init_schema()
        cid, ids = await campaign_with_focal_points(stores[0], operator, focal)
        daemons = [(FocalDigestSender(s, p, public_url="", now=lambda: MONDAY_10, owner=f"daemon-{i}"),
                    DigestSender(s, p, now=lambda: MONDAY_10, owner=f"daemon-{i}"))
                   for i, (s, p) in enumerate(zip(stores, pools, strict=True))]  # fmt: skip
        # both daemons at once: every digest is claimed by one of them and sent once; a second race finds
        # nothing left to send
        first = await asyncio.gather(*(d.run_once() for pair in daemons for d in pair))
        assert sum(first) == 4, first  # three focal points and the operators, each once
        again = await asyncio.gather(*(d.run_once() for pair in daemons for d in pair))
        assert sum(again) == 0, again
        claims = await stores[1].digests_claimed(cid, "focal", DAY)
        assert claims == {ids["SNV"]: "sent", ids["STC"]: "sent", ids["STP"]: "sent"}
        assert await stores[1].digests_claimed(cid, "operators", DAY) == {0: "sent"}
    finally:
        for p in pools:
            await p.close()
        for s in stores:
            await s.close()
    for code, addr in {**focal, "ops": operator}.items():
        got = await mailstack.wait_for_messages(addr, 1, timeout=60)
        assert len(got) == 1 and mailstack.count(addr) == 1, code
    _, text, _ = body((await mailstack.wait_for_messages(focal["SNV"], 1))[0])
    assert "Trần Văn Đức" in text and "Hoàng Thị Ánh" not in text  # its own people, not Sở Tài chính's


async def test_a_transient_failure_releases_the_claim_and_a_refusal_keeps_it(
    pg_url: str, mailstack: MailStack, mailbox_user: object, caplog: pytest.LogCaptureFixture
) -> None:
    await _fresh_pg_schema(pg_url)
    operator = mailbox_user(prefix="ops")  # type: ignore[operator]
    focal = {"SNV": mailbox_user(prefix="dm-snv"), "STC": "nobody-here@khanhhoa.test"}  # type: ignore[operator]
    async with Store(pg_url) as store:
        await store.init_schema()
        cid, ids = await campaign_with_focal_points(store, operator, focal)
        down = relay(mailstack, free_port())  # nothing listens there: connection refused, a transient failure
        try:
            assert await FocalDigestSender(store, down, public_url="", now=lambda: MONDAY_10).run_once() == 0
            assert await DigestSender(store, down, now=lambda: MONDAY_10).run_once() == 0
        finally:
            await down.close()
        assert await store.digests_claimed(cid, "focal", DAY) == {}  # released, both of them
        assert await store.digests_claimed(cid, "operators", DAY) == {}
        # the next round goes through the stack's MX port, which refuses an unknown user at RCPT (550)
        mx = relay(mailstack, mailstack.mx_port)
        try:
            with caplog.at_level(logging.INFO, logger="maildaemon.service.claimed_send"):
                later = MONDAY_10 + timedelta(minutes=5)
                focal_sender = FocalDigestSender(store, mx, public_url="", now=lambda: later)
                assert await focal_sender.run_once() == 1
                assert await focal_sender.run_once() == 0  # the refusal is not tried again that day
                assert await DigestSender(store, mx, now=lambda: later).run_once() == 1
        finally:
            await mx.close()
        assert await store.digests_claimed(cid, "focal", DAY) == {ids["SNV"]: "sent", ids["STC"]: "refused"}
        refused = [r.getMessage() for r in caplog.records if "digest.refused" in r.getMessage()]
        assert len(refused) == 1 and "STC" in refused[0] and "550" in refused[0]
        last = [e for e in await store.events(campaign_id=cid) if e.field == "focal_digest"]
        assert sorted(e.old for e in last) == sorted(str(ids[c]) for c in ("SNV", "STC"))
    assert len(await mailstack.wait_for_messages(focal["SNV"], 1, timeout=60)) == 1
    assert len(await mailstack.wait_for_messages(operator, 1, timeout=60)) == 1


async def test_the_upgrade_turns_digests_already_sent_into_settled_claims(db_url: str) -> None:
    """A database at version 3 whose event log shows today's digests sent: after the upgrade their claims
    are settled, so an upgrade in the middle of a day sends none of them again."""
    store = Store(db_url)
    try:
        await migrations.upgrade(store, target="0003")
        cid, ids = await campaign_with_focal_points(store, "cchc@snv.test", {"SNV": "dm@snv.test"})
        async with store.tx() as conn:
            for _ in range(2):  # the same digest recorded twice (an old double send) makes one claim
                await add_event(conn, now=MONDAY_10, campaign_id=cid, respondent_id=None, field="focal_digest",
                                old=str(ids["SNV"]), new=DAY.isoformat(), source="daemon", detail="SNV: 250 ok")  # fmt: skip
            await add_event(conn, now=MONDAY_10, campaign_id=cid, respondent_id=None, field="campaign",
                            old=None, new="digest", source="daemon", detail=f"{DAY.isoformat()} to x: 250 ok")  # fmt: skip
        await migrations.upgrade(store)
        assert await store.digests_claimed(cid, "focal", DAY) == {ids["SNV"]: "sent"}
        assert await store.digests_claimed(cid, "operators", DAY) == {0: "sent"}
        assert not await store.claim_digest(
            cid, "focal", ids["SNV"], DAY, owner="d", now=MONDAY_10, lease=timedelta(minutes=5)
        )
    finally:
        await store.close()
