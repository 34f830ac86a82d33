"""Inbound mail recorded once, attributed to its respondent, and what it proves applied."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from maildaemon.config import load_config
from maildaemon.outbound.planner import plan_campaign
from maildaemon.service.daemon import CountingSink, Daemon
from maildaemon.store import SendOutcome, Store
from tests.support.factories import MONDAY_10, make_campaign, roster_rows
from tests.support.mails import autoreply_vi, human_reply, postfix_dsn

NOW = MONDAY_10


async def _sent(store: Store, n: int = 4, **kw: object) -> tuple[int, list[dict[str, object]]]:
    campaign, text = make_campaign(**kw)
    cid = await store.create_campaign(campaign, text, NOW)
    await store.import_roster(cid, "Tỉnh", roster_rows(n), NOW, "r.csv")
    await plan_campaign(store, cid, campaign, False, NOW)
    claims = await store.claim("w", 100, NOW, timedelta(minutes=5))
    await store.record_outcomes([SendOutcome(c, "sent", 250, "2.0.0 Ok") for c in claims], NOW)
    people = [await store.respondent(cid, f"user{i}@khanhhoa.test") for i in range(1, n + 1)]
    return cid, people


async def test_dsn_bounce_by_verp(store: Store) -> None:
    cid, people = await _sent(store)
    p = people[0]
    res = await store.record_inbound(
        postfix_dsn(p["token"], p["email"]), folder="INBOX", uidvalidity=1, uid=1, now=NOW
    )
    assert (res.outcome, res.duplicate, res.kind, res.respondent_id) == ("bounces", False, "bounce", p["id"])
    after = await store.respondent(cid, p["email"])
    assert after["delivery"] == "bounced" and after["reason"] == "userunknown" and after["hard_bounce"]
    assert after["status_code"] == "5.1.1"
    again = await store.record_inbound(postfix_dsn(p["token"], p["email"]), folder="INBOX", uidvalidity=2, uid=9,
                                       now=NOW)  # fmt: skip
    assert again.duplicate and again.outcome == "bounces"
    events = await store.events(email=p["email"])
    assert [e.new for e in events if e.field == "delivery"][-1] == "bounced"
    assert sum(1 for e in events if e.source == "watcher") == 1


async def test_autoreply_marks_away_until_return_date(store: Store) -> None:
    cid, people = await _sent(store)
    p = people[1]
    res = await store.record_inbound(autoreply_vi(p["token"], p["email"]), folder="INBOX", uidvalidity=1, uid=2,
                                     now=NOW)  # fmt: skip
    assert res.outcome == "autoreplies"
    after = await store.respondent(cid, p["email"])
    assert (after["delivery"], after["completion"]) == ("delivered", "away")
    assert (
        after["away_until"] is not None
        and after["away_until"].date() >= datetime(2026, 11, 27, tzinfo=UTC).date()
    )


async def test_reply_counts_as_completion_when_the_campaign_says_so(store: Store) -> None:
    cid, people = await _sent(store, extra="reply_counts_as_completion = true")
    p = people[2]
    res = await store.record_inbound(human_reply(p["token"], p["email"]), folder="INBOX", uidvalidity=1, uid=3,
                                     now=NOW)  # fmt: skip
    assert res.outcome == "replies"
    after = await store.respondent(cid, p["email"])
    assert (after["delivery"], after["completion"]) == ("delivered", "completed")


async def test_reply_without_token_is_attributed_by_from(store: Store) -> None:
    cid, people = await _sent(store)
    p = people[3]
    raw = human_reply("x" * 26, p["email"]).replace(p["token"].encode(), b"")
    raw = raw.replace(("x" * 26).encode(), b"unknown")
    res = await store.record_inbound(raw, folder="INBOX", uidvalidity=1, uid=4, now=NOW)
    assert res.respondent_id == p["id"] and res.outcome == "replies"
    assert (await store.respondent(cid, p["email"]))["completion"] == "replied"


async def test_unattributed_is_kept_and_listed(store: Store) -> None:
    await _sent(store)
    raw = b"From: someone@elsewhere.test\r\nSubject: hello\r\n\r\nnot about any survey\r\n"
    res = await store.record_inbound(raw, folder="INBOX", uidvalidity=1, uid=5, now=NOW)
    assert res.outcome == "unattributed" and res.respondent_id is None
    rows = await store.inbound_list(unattributed=True)
    assert [r.id for r in rows] == [res.inbound_id]
    assert await store.inbound_raw(res.inbound_id or 0) == raw


async def test_repeated_delays_become_a_bounce(store: Store) -> None:
    cid, people = await _sent(store)
    p = people[0]
    for day in range(3):
        raw = postfix_dsn(p["token"], p["email"], status="4.2.2", action="delayed",
                          diagnostic="452 4.2.2 <{rcpt}>: Mailbox full").replace(
            b"Message-Id: <dsn.", f"X-Day: {day}\r\nMessage-Id: <dsn.".encode())  # fmt: skip
        await store.record_inbound(
            raw, folder="INBOX", uidvalidity=1, uid=10 + day, now=NOW + timedelta(days=day)
        )
        state = (await store.respondent(cid, p["email"]))["delivery"]
        assert state == ("deferred" if day < 2 else "bounced"), day
    assert (await store.respondent(cid, p["email"]))["transient_count"] == 3


def _delay(p: dict[str, object], n: int) -> bytes:
    """A "delayed" DSN for ``p``; ``n`` makes each copy a distinct message."""
    raw = postfix_dsn(str(p["token"]), str(p["email"]), status="4.2.2", action="delayed",
                      diagnostic="452 4.2.2 <{rcpt}>: Mailbox full")  # fmt: skip
    return raw.replace(b"Message-Id: <dsn.", f"X-Copy: {n}\r\nMessage-Id: <dsn.".encode())


async def test_configured_soft_bounce_rule_decides_when_delays_turn_permanent(
    store: Store, tmp_path: Path
) -> None:
    """[bounce] in the config file, not the built-in 3 days in 7, decides: here soft bounces on 2 UTC
    days within 1 day make the address bounced, exactly at the second one."""
    path = tmp_path / "maildaemon.toml"
    path.write_text("[imap]\nenabled = true\nclassify_workers = 0\n\n"
                    "[bounce]\ntransient_threshold = 2\ntransient_period_days = 1.0\n")  # fmt: skip
    daemon = Daemon(load_config(path, env={}), store, now=lambda: NOW)
    assert daemon.watcher is not None and isinstance(daemon.watcher.sink, CountingSink)
    sink = daemon.watcher.sink
    cid, people = await _sent(store)
    late, early = people[0], people[1]
    day1 = datetime(2026, 11, 23, tzinfo=UTC)

    async def delay(p: dict[str, object], uid: int, at: datetime) -> str:
        await sink.record_inbound(_delay(p, uid), folder="INBOX", uidvalidity=1, uid=uid, now=at)
        return str((await store.respondent(cid, str(p["email"])))["delivery"])

    # 23:00 and 01:00: two UTC days, two hours apart
    assert await delay(late, 1, day1 + timedelta(hours=23)) == "deferred"
    assert await delay(late, 2, day1 + timedelta(days=1, hours=1)) == "bounced"
    after = await store.respondent(cid, str(late["email"]))
    assert (after["reason"], after["hard_bounce"], after["transient_count"]) == ("mailboxfull", False, 2)
    bounce = [e for e in await store.events(email=str(late["email"])) if e.new == "bounced"]
    assert len(bounce) == 1 and "soft bounces on 2+ days" in bounce[0].detail
    # 10:00 and 11:00 the next day: 25 hours apart, so the first has left the 1-day period
    assert await delay(early, 3, day1 + timedelta(hours=10)) == "deferred"
    assert await delay(early, 4, day1 + timedelta(days=1, hours=11)) == "deferred"


async def test_mailbox_state_roundtrip(store: Store) -> None:
    assert await store.mailbox_state("INBOX") is None
    await store.save_mailbox_state("INBOX", 7, 42, NOW)
    await store.save_mailbox_state("INBOX", 7, 43, NOW)
    assert await store.mailbox_state("INBOX") == (7, 43)


def _challenge(person: str, sender: str) -> bytes:
    return (
        f"From: {sender}\nReply-To: {person}\nTo: bounces@survey.test\nSubject: Re: Khảo sát (Action Required)\n"
        "Date: Mon, 23 Nov 2026 10:05:00 +0700\nMessage-ID: <cr1@cr.example.net>\nMIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=utf-8\n\nYour message has been waitlisted. Please add yourself to my "
        "Guest List so your messages will be delivered to my Inbox.\nhttps://cr.example.net/g?t=1\n"
    ).encode()


async def test_a_challenge_response_request_holds_the_mail_and_says_so(store: Store) -> None:
    """Sent by a service from its own address, naming the person: tied to them, deferred with the reason,
    neither delivered nor away, and the history says the filter asks the sender to confirm."""
    cid, people = await _sent(store)
    p = people[0]
    res = await store.record_inbound(_challenge(p["email"], "noreply@cr.example.net"), folder="INBOX",
                                     uidvalidity=1, uid=5, now=NOW)  # fmt: skip
    assert (res.outcome, res.kind, res.respondent_id) == ("autoreplies", "autoreply", p["id"])
    after = await store.respondent(cid, p["email"])
    assert (after["delivery"], after["completion"], after["reason"]) == ("deferred", "pending", "challenge")
    assert after["transient_count"] == 0
    events = await store.events(email=p["email"])
    held = [e for e in events if e.source == "watcher"]
    assert len(held) == 1 and held[0].detail.startswith("inbound #") and " challenge — " in held[0].detail


async def test_batch_reads_split_over_several_queries_see_every_row(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A batch larger than one query's parameters (store.bulk.MAX_PARAMS) is read in parts: every part's
    rows count (content seen before, respondents by token, earlier soft bounces)."""
    from maildaemon.store import bulk

    cid, people = await _sent(store)
    monkeypatch.setattr(bulk, "MAX_PARAMS", 2)  # one value per query: four people, four queries each
    first: list[tuple[int | None, bytes]] = [(i, _delay(p, 0)) for i, p in enumerate(people)]
    for day in range(3):
        items: list[tuple[int | None, bytes]] = [(10 * day + i, _delay(p, day)) for i, p in enumerate(people)]
        if day == 2:
            items += first  # seen on day 0
        results = await store.record_inbound_many(
            items, folder="INBOX", uidvalidity=1, now=NOW + timedelta(days=day)
        )
        assert [r.duplicate for r in results] == [False] * 4 + ([True] * 4 if day == 2 else [])
        states = [(await store.respondent(cid, str(p["email"])))["delivery"] for p in people]
        assert states == ["deferred" if day < 2 else "bounced"] * 4, day
