"""The operator's loop in the store, on both engines (issue 16): a correction re-queues the bounced mail
once for the new address, a re-import matches people by key, exclusion holds mail, resend selects."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from maildaemon.core import corrections, lifecycle
from maildaemon.errors import InputError, NotFound
from maildaemon.intake.roster import RosterRow
from maildaemon.outbound.planner import plan_campaign
from maildaemon.store import CheckTarget, SendOutcome, Store, tables
from tests.support.factories import MONDAY_10, make_campaign, roster_rows
from tests.support.mails import postfix_dsn

NOW = MONDAY_10  # 10:00 in Vietnam on a Monday: inside the default send window
LEASE = timedelta(minutes=5)


async def _started(store: Store, rows: list[RosterRow]) -> tuple[int, object]:
    campaign, text = make_campaign()
    cid = await store.create_campaign(campaign, text, NOW)
    await store.import_roster(cid, "Tỉnh Khánh Hòa", rows, NOW, "ds.csv")
    await plan_campaign(store, cid, campaign, False, NOW)
    return cid, campaign


async def _send(store: Store, now: object, bounce: dict[str, tuple[str, bool]] | None = None) -> list[str]:
    """Claim everything due and answer it: 550 for the addresses in ``bounce``, 250 for the rest."""
    claims = await store.claim("w1", 100, now, LEASE)  # type: ignore[arg-type]
    outcomes = []
    for c in claims:
        if bounce and c.email in bounce:
            reason, hard = bounce[c.email]
            outcomes.append(SendOutcome(c, "bounced", 550, "5.1.1 no such user", reason=reason, hard=hard))
        else:
            outcomes.append(
                SendOutcome(c, "sent", 250, "2.0.0 Ok", message_id=f"<m{c.outbox_id}@survey.test>")
            )
    await store.record_outcomes(outcomes, now)  # type: ignore[arg-type]
    return [f"{c.email}:{c.kind}" for c in claims]


async def _count(store: Store, *where: object) -> int:
    async with store.tx() as conn:
        q = select(func.count()).select_from(tables.respondents).where(*where)  # type: ignore[arg-type]
        return int((await conn.execute(q)).scalar() or 0)


async def test_a_correction_sends_the_bounced_invitation_once_to_the_new_address(store: Store) -> None:
    cid, campaign = await _started(store, roster_rows(3))
    assert len(await _send(store, NOW, {"user1@khanhhoa.test": ("userunknown", True)})) == 3
    before = await store.respondent(cid, "user1@khanhhoa.test")
    assert before["delivery"] == "bounced"

    with pytest.raises(InputError, match="already the address of respondent"):
        await store.correct_address(cid, "user1@khanhhoa.test", "user2@khanhhoa.test", actor="lan",
                                    now=NOW, not_before=NOW)  # fmt: skip
    later = NOW + timedelta(hours=1)
    decision = await store.correct_address(cid, "user1@khanhhoa.test", "tai.vm@khanhhoa.test", actor="lan",
                                           now=later, not_before=later)  # fmt: skip
    assert decision.requeue
    after = await store.respondent(cid, "tai.vm@khanhhoa.test")
    assert (after["id"], after["token"], after["delivery"]) == (before["id"], before["token"], "queued")
    assert after["reason"] is None and not after["hard_bounce"]
    with pytest.raises(NotFound):
        await store.respondent(cid, "user1@khanhhoa.test")

    assert await _send(store, later) == ["tai.vm@khanhhoa.test:invitation"]
    assert await _send(store, later + timedelta(hours=1)) == []
    await plan_campaign(store, cid, campaign, False, later + timedelta(hours=2))  # type: ignore[arg-type]
    assert await _send(store, later + timedelta(hours=2)) == []  # the invitation is not planned twice
    shown = await store.person(cid, after["token"])
    assert shown.respondent["delivery"] == "sent" and shown.respondent["invited_at"] is not None
    assert [o["kind"] for o in shown.outbox] == ["invitation"]
    details = [e["detail"] for e in shown.events]
    assert any("address corrected by lan: user1@khanhhoa.test -> tai.vm@khanhhoa.test" in d for d in details)
    assert await _count(store, tables.respondents.c.campaign_id == cid) == 3

    # a reachable address corrected: nothing is sent again
    d2 = await store.correct_address(cid, "user2@khanhhoa.test", "u2@khanhhoa.test", actor="lan", now=later,
                                     not_before=later)  # fmt: skip
    assert not d2.requeue
    assert await _send(store, later + timedelta(hours=3)) == []


async def test_a_corrections_mailbox_check_is_written_in_its_transaction(store: Store) -> None:
    """The new address's check as `maildaemon check` records it, with the correction: a checked_bad person
    starts over and the check makes them checked_ok; a check that proves nothing moves nothing; one that
    proves the mailbox cannot exist refuses and changes nothing."""
    campaign, text = make_campaign()
    cid = await store.create_campaign(campaign, text, NOW)
    await store.import_roster(cid, "Tỉnh Khánh Hòa", roster_rows(2), NOW, "ds.csv")
    r = await store.respondent(cid, "user1@khanhhoa.test")
    target = CheckTarget(r["id"], cid, r["email"], "", "", "new", "pending")
    await store.record_checks([(target, {"address": r["email"], "outcome": "no-domain"}, "bad")], NOW)

    def record(address: str, outcome: str) -> dict[str, object]:
        return {"address": address, "outcome": outcome, "code": 250, "text": "2.1.5 Ok", "mx_host": "mx.test"}

    later = NOW + timedelta(minutes=5)
    ok = corrections.AddressCheck(lifecycle.CheckResult("ok", "accepted", 250, "2.1.5 Ok"),
                                  record=record("tai@khanhhoa.test", "accepted"))  # fmt: skip
    decision = await store.correct_address(cid, "user1@khanhhoa.test", "tai@khanhhoa.test", actor="lan",
                                           now=later, not_before=later, check=ok)  # fmt: skip
    assert decision.effect is not None and decision.effect.delivery == "new"
    shown = await store.person(cid, "tai@khanhhoa.test")
    assert shown.respondent["delivery"] == "checked_ok"
    moves = [(e["old_value"], e["new_value"], e["source"]) for e in shown.events if e["field"] == "delivery"]
    assert moves[-2:] == [("checked_bad", "new", "operator"), ("new", "checked_ok", "checker")]
    assert shown.events[-2]["detail"].endswith("-> tai@khanhhoa.test; mailbox check: accepted")
    history = await store.address_history("tai@khanhhoa.test")
    assert [(h.kind, h.outcome) for h in history] == [("check", "accepted")]
    async with store.tx() as conn:
        tied = (await conn.execute(select(tables.checks.c.respondent_id)
                                   .where(tables.checks.c.address == "tai@khanhhoa.test"))).scalars().all()  # fmt: skip
    assert tied == [r["id"]]

    unsure = corrections.AddressCheck(lifecycle.CheckResult(None, "try-later", 450, "4.7.1 greylisted"),
                                      record=record("tai2@khanhhoa.test", "try-later"))  # fmt: skip
    await store.correct_address(cid, "tai@khanhhoa.test", "tai2@khanhhoa.test", actor="lan", now=later,
                                not_before=later, check=unsure)  # fmt: skip
    assert (await store.respondent(cid, "tai2@khanhhoa.test"))[
        "delivery"
    ] == "checked_ok"  # a doubt moves nothing

    refused = corrections.AddressCheck(lifecycle.CheckResult("bad", "rejected", 550, "5.1.1 unknown", "userunknown"),
                                       record=record("tai3@khanhhoa.test", "rejected"))  # fmt: skip
    before = await store.person(cid, "tai2@khanhhoa.test")
    with pytest.raises(InputError, match="mailbox does not exist"):
        await store.correct_address(cid, "tai2@khanhhoa.test", "tai3@khanhhoa.test", actor="lan", now=later,
                                    not_before=later, check=refused)  # fmt: skip
    assert await store.person(cid, "tai2@khanhhoa.test") == before
    assert await store.address_history("tai3@khanhhoa.test") == []


def _keyed(emails: list[str]) -> list[RosterRow]:
    return [RosterRow(line=i + 2, email=e, full_name=f"Người {i}", agency_name="Sở Nội vụ", agency_code="SNV",
                      key=f"cb-{i}") for i, e in enumerate(emails)]  # fmt: skip


async def test_a_reimport_matches_people_by_key_and_corrects_their_address(store: Store) -> None:
    emails = ["a@snv.test", "tai.vm@snv.test", "c@snv.test"]
    cid, _ = await _started(store, _keyed(emails))
    await _send(store, NOW, {"tai.vm@snv.test": ("userunknown", True), "c@snv.test": ("userunknown", True)})
    rows = _keyed(["a@snv.test", "taivm@snv.test", "c@snv.test"])
    rows[2] = RosterRow(line=4, email="c@snv.test", full_name="Người 2", title="Phó Giám đốc", agency_name="Sở Nội vụ",
                        agency_code="SNV", key="cb-2")  # fmt: skip
    rows.append(RosterRow(line=5, email="d@snv.test", full_name="Người 3", key="cb-3"))
    later = NOW + timedelta(hours=1)
    summary = await store.import_roster(cid, "Tỉnh Khánh Hòa", rows, later, "ds2.csv", resend_at=later)
    assert (summary.imported, summary.updated, summary.corrected) == (1, 2, 1)
    assert any(
        "address tai.vm@snv.test -> taivm@snv.test (invitation queued again)" in c for c in summary.changes
    )
    assert any("updated title" in c for c in summary.changes)
    assert await _count(store, tables.respondents.c.campaign_id == cid) == 4
    assert (await store.respondent(cid, "taivm@snv.test"))["delivery"] == "queued"
    assert await _send(store, later) == ["taivm@snv.test:invitation"]

    # once the campaign has closed a corrected address is recorded, and nothing is queued
    closed = _keyed(["a@snv.test", "taivm@snv.test", "c2@snv.test"])
    closed[2] = replace(rows[2], email="c2@snv.test")  # the title change stays
    s2 = await store.import_roster(cid, "Tỉnh Khánh Hòa", closed, later, "ds4.csv", requeue=False)
    assert s2.corrected == 1 and not any("queued again" in c for c in s2.changes)
    assert (await store.respondent(cid, "c2@snv.test"))["delivery"] == "new"
    assert await _send(store, later + timedelta(hours=1)) == []

    # the new address of one person may not be another's
    clash = _keyed(["a@snv.test", "c2@snv.test"])
    with pytest.raises(InputError, match=r"ds3.csv:3: the new address c2@snv.test .* nothing imported"):
        await store.import_roster(cid, "Tỉnh Khánh Hòa", clash, later, "ds3.csv")
    assert (await store.respondent(cid, "taivm@snv.test"))["person_key"] == "cb-1"


async def test_exclusion_holds_mail_and_restore_releases_it(store: Store) -> None:
    campaign, text = make_campaign()
    cid = await store.create_campaign(campaign, text, NOW)
    await store.import_roster(cid, "Tỉnh Khánh Hòa", roster_rows(3), NOW, "ds.csv")
    await store.set_excluded(cid, "user1@khanhhoa.test", exclude=True, reason="nghỉ hưu", actor="lan", now=NOW,
                             not_before=NOW)  # fmt: skip
    await plan_campaign(store, cid, campaign, False, NOW)
    assert sorted(await _send(store, NOW)) == [
        "user2@khanhhoa.test:invitation",
        "user3@khanhhoa.test:invitation",
    ]
    with pytest.raises(InputError, match="already excluded"):
        await store.set_excluded(cid, "user1@khanhhoa.test", exclude=True, reason="x", actor="lan", now=NOW,
                                 not_before=NOW)  # fmt: skip
    with pytest.raises(NotFound, match="nobody@khanhhoa.test"):
        await store.set_excluded(cid, "nobody@khanhhoa.test", exclude=True, reason="x", actor="lan", now=NOW,
                                 not_before=NOW)  # fmt: skip
    assert [r["email"] for r in await store.excluded(cid)] == ["user1@khanhhoa.test"]
    assert sum(c.count for c in await store.agency_counts(cid)) == 2  # not counted, as no non-respondent
    data = await store.report_data(cid)
    assert sum(c.count for c in data.counts) == 2
    assert "user1@khanhhoa.test" not in {p.email for p in data.people}
    await store.set_excluded(cid, "user1@khanhhoa.test", exclude=False, reason="", actor="lan", now=NOW,
                             not_before=NOW)  # fmt: skip
    later = NOW + timedelta(hours=1)
    await plan_campaign(store, cid, campaign, False, later)
    assert await _send(store, later) == ["user1@khanhhoa.test:invitation"]

    # excluded while the mail waits: it is cancelled, and queued again on restore
    campaign2, text2 = make_campaign(name="t2")
    cid2 = await store.create_campaign(campaign2, text2, NOW)
    await store.import_roster(cid2, "Tỉnh Khánh Hòa", roster_rows(1), NOW, "ds.csv")
    await plan_campaign(store, cid2, campaign2, False, NOW)
    await store.set_excluded(cid2, "user1@khanhhoa.test", exclude=True, reason="x", actor="lan", now=NOW,
                             not_before=NOW)  # fmt: skip
    assert await _send(store, later) == []
    await store.set_excluded(cid2, "user1@khanhhoa.test", exclude=False, reason="", actor="lan", now=NOW,
                             not_before=later)  # fmt: skip
    assert await _send(store, later) == ["user1@khanhhoa.test:invitation"]


async def test_resend_selects_by_reason_and_refuses_hard_bounces(store: Store) -> None:
    cid, _ = await _started(store, roster_rows(4))
    await _send(store, NOW, {"user1@khanhhoa.test": ("mailboxfull", False), "user2@khanhhoa.test": ("userunknown", True),
                             "user3@khanhhoa.test": ("blocked", False)})  # fmt: skip
    later = NOW + timedelta(hours=1)
    dry = await store.resend(cid, actor="lan", now=later, not_before=later, reasons=frozenset({"mailboxfull"}),
                             dry_run=True)  # fmt: skip
    assert dry.done == [("user1@khanhhoa.test", "invitation")]
    assert await _send(store, later) == []  # a dry run changes nothing
    one = await store.resend(cid, actor="lan", now=later, not_before=later, email="user2@khanhhoa.test")
    assert one.done == [] and "correct it first" in one.refused[0][1]
    every = await store.resend(cid, actor="lan", now=later, not_before=later, agency="_province")
    assert sorted(e for e, _ in every.done) == ["user1@khanhhoa.test", "user3@khanhhoa.test"]
    assert [e for e, _ in every.refused] == ["user2@khanhhoa.test"]
    assert sorted(await _send(store, later)) == [
        "user1@khanhhoa.test:invitation",
        "user3@khanhhoa.test:invitation",
    ]


async def test_a_late_bounce_about_the_old_address_blocks_nobody(store: Store) -> None:
    cid, _ = await _started(store, roster_rows(1))
    await _send(store, NOW)  # accepted by the relay: the bounce comes later
    person = await store.respondent(cid, "user1@khanhhoa.test")
    later = NOW + timedelta(hours=1)
    await store.correct_address(cid, "user1@khanhhoa.test", "tai.vm@khanhhoa.test", actor="lan", now=later,
                                not_before=later)  # fmt: skip
    assert (await store.respondent(cid, "tai.vm@khanhhoa.test"))["former_emails"] == "user1@khanhhoa.test"
    late = postfix_dsn(str(person["token"]), "user1@khanhhoa.test")
    await store.record_inbound_many([(1, late)], folder="INBOX", uidvalidity=7, now=later)
    after = await store.respondent(cid, "tai.vm@khanhhoa.test")
    assert after["delivery"] == "sent" and after["reason"] is None
    shown = await store.person(cid, "tai.vm@khanhhoa.test")
    assert any("about an address corrected since" in e["detail"] for e in shown.events)
    # a bounce about the current address still counts
    await store.record_inbound_many([(2, postfix_dsn(str(person["token"]), "tai.vm@khanhhoa.test"))],
                                    folder="INBOX", uidvalidity=7, now=later)  # fmt: skip
    assert (await store.respondent(cid, "tai.vm@khanhhoa.test"))["delivery"] == "bounced"
