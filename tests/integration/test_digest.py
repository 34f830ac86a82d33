"""The operators' daily digest: due once per local day after the digest hour, sent with the HTML
report attached, and not sent twice (the event log remembers)."""

import email
import email.policy
from datetime import UTC, date, datetime, timedelta

from maildaemon.config import SmtpConfig
from maildaemon.outbound.mailer import RelayPool
from maildaemon.service.digest import DigestSender, due
from maildaemon.store import Store
from tests.support.factories import MONDAY_10, make_campaign, roster_rows
from tests.support.relay import Collect

LEASE = timedelta(minutes=5)


def test_due_rules() -> None:
    campaign, _ = make_campaign(extra='operators = ["cchc@snv.test"]\ndigest_hour = 17')
    at_16 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 16:00 in Vietnam
    at_17 = datetime(2026, 11, 23, 10, 0, tzinfo=UTC)
    assert due(campaign, at_16, None) is None
    assert due(campaign, at_17, None) == date(2026, 11, 23)
    assert due(campaign, at_17, date(2026, 11, 23)) is None
    assert due(campaign, at_17 + timedelta(days=1), date(2026, 11, 23)) == date(2026, 11, 24)
    silent, _ = make_campaign(extra='operators = ["cchc@snv.test"]\ndigest_hour = -1')
    assert due(silent, at_17, None) is None


async def test_digest_sent_once_per_day(store: Store, relay: tuple[Collect, int]) -> None:
    handler, port = relay
    campaign, text = make_campaign(extra='operators = ["cchc@snv.test", "lanhdao@snv.test"]\ndigest_hour = 9')
    cid = await store.create_campaign(campaign, text, MONDAY_10)
    await store.import_roster(cid, "Tỉnh Khánh Hòa", roster_rows(12), MONDAY_10, "r.csv")
    pool = RelayPool(SmtpConfig(host="127.0.0.1", port=port, security="none"))
    digest = DigestSender(store, pool, now=lambda: MONDAY_10)
    assert await digest.run_once() == 1
    assert await digest.run_once() == 0
    await pool.close()
    assert len(handler.got) == 1
    env = handler.got[0]
    assert sorted(env.rcpt_tos) == ["cchc@snv.test", "lanhdao@snv.test"]
    msg = email.message_from_bytes(env.original_content, policy=email.policy.default)
    assert "Báo cáo khảo sát ngày 23/11/2026" in msg["Subject"]
    body = msg.get_body(("plain",)).get_content()
    assert "Số người được khảo sát: 12" in body
    attachment = next(msg.iter_attachments())
    assert attachment.get_content_type() == "text/html" and "Sở Nội vụ" in attachment.get_content()
    # the attached report is made at the digest's own time, as its text is (not the wall clock's)
    assert "Lập lúc: 23/11/2026 10:00" in attachment.get_content()


async def test_the_event_log_remembers_the_digest_day(store: Store) -> None:
    campaign, text = make_campaign(extra='operators = ["cchc@snv.test"]\ndigest_hour = 9')
    cid = await store.create_campaign(campaign, text, MONDAY_10)
    assert await store.last_digest_day(cid) is None
    day = date(2026, 11, 23)
    assert await store.claim_digest(cid, "operators", 0, day, owner="d1", now=MONDAY_10, lease=LEASE)
    assert not await store.claim_digest(cid, "operators", 0, day, owner="d2", now=MONDAY_10, lease=LEASE)
    assert await store.last_digest_day(cid) is None  # claimed, not sent yet
    await store.settle_digest(cid, "operators", 0, day, state="sent", detail="to cchc@snv.test: 250 2.0.0 Ok",
                              owner="d1", now=MONDAY_10)  # fmt: skip
    assert await store.last_digest_day(cid) == day
    assert await store.digests_claimed(cid, "operators", day) == {0: "sent"}
    last = (await store.events(campaign_id=cid))[-1]
    assert (last.field, last.new, last.source) == ("campaign", "digest", "daemon")
    assert last.detail == "2026-11-23 to cchc@snv.test: 250 2.0.0 Ok"
