"""What each input does to a respondent: every transition of core.lifecycle, without a database."""

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from maildaemon.core import lifecycle
from maildaemon.core.lifecycle import (
    CampaignSettings,
    CheckResult,
    Effect,
    InboundEvidence,
    RelayAnswer,
    Respondent,
)
from maildaemon.core.model import Completion, Delivery
from maildaemon.core.retry import TransientBouncePolicy

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
D, C = Delivery, Completion
SENT = Respondent(7, 3, D.SENT, C.PENDING, invited=True)
SETTINGS = CampaignSettings()
BOUNCES = TransientBouncePolicy()


def inbound(state: Respondent, kind: str, *, settings: CampaignSettings = SETTINGS,
            bounces: TransientBouncePolicy = BOUNCES, now: datetime = NOW, **ev: Any) -> Effect:  # fmt: skip
    return lifecycle.on_inbound(state, InboundEvidence(kind, 41, **ev), settings, bounces, now)


def moves(effect: Effect | None) -> tuple[Delivery | None, Completion | None]:
    assert effect is not None
    return effect.delivery, effect.completion


# --- inbound mail ---------------------------------------------------------------------------------


def test_hard_bounce_blocks_the_address_with_reason_and_status() -> None:
    e = inbound(
        SENT, "bounce", reason="userunknown", status="5.1.1", hard=True, diagnostic="550 5.1.1 unknown"
    )
    assert moves(e) == (D.BOUNCED, None) and e.blocks
    assert dict(e.values) == {"reason": "userunknown", "status_code": "5.1.1", "hard_bounce": True}
    assert e.detail == "inbound #41: bounce 5.1.1 userunknown — 550 5.1.1 unknown"
    assert e.note is None and e.after.delivery is D.BOUNCED


def test_policy_rejection_blocks_further_mail_but_says_nothing_against_the_address() -> None:
    e = inbound(SENT, "bounce", reason="policyviolation", status="5.7.1", hard=False)
    assert moves(e) == (D.BOUNCED, None) and e.blocks
    assert dict(e.values)["hard_bounce"] is False and dict(e.values)["reason"] == "policyviolation"


def test_bounce_without_a_reason_is_undefined() -> None:
    e = inbound(SENT, "bounce")
    assert dict(e.values) == {"reason": "undefined", "status_code": None, "hard_bounce": False}


def test_soft_bounce_counts_and_keeps_the_person_deferred_with_its_reason() -> None:
    e = inbound(SENT, "delay", reason="mailboxfull", status="4.2.2")
    assert moves(e) == (D.DEFERRED, None) and not e.blocks
    assert dict(e.values) == {"transient_count": 1, "reason": "mailboxfull", "status_code": "4.2.2"}
    assert e.note is None  # the state event tells the story
    assert "soft bounce 1; permanent after 3 days" in e.detail
    assert e.after.transient_count == 1 and e.after.soft_bounces == (NOW,)


def test_a_full_mailbox_bounce_is_soft_not_a_bad_address() -> None:
    e = inbound(SENT, "bounce", reason="mailboxfull", status="5.2.2", hard=False)
    assert moves(e) == (D.DEFERRED, None) and not e.blocks
    assert dict(e.values)["reason"] == "mailboxfull" and "hard_bounce" not in dict(e.values)
    again = inbound(e.after, "bounce", reason="mailboxfull", status="5.2.2", now=NOW + timedelta(days=1))
    assert moves(again) == (None, None) and again.note is not None  # still deferred: a note, a count
    assert again.after.transient_count == 2


@pytest.mark.parametrize("reason", ["mailboxfull", "systemerror", "networkerror", "toomanyconn", "expired"])
def test_temporary_bounce_reasons_stay_soft_until_the_threshold(reason: str) -> None:
    state = SENT._replace(transient_count=2, soft_bounces=(NOW - timedelta(days=2), NOW - timedelta(days=1)))
    assert moves(inbound(SENT, "bounce", reason=reason, hard=False)) == (D.DEFERRED, None)
    final = inbound(state, "bounce", reason=reason, status="5.2.2", hard=False)
    assert moves(final) == (D.BOUNCED, None) and dict(final.values)["reason"] == reason


def test_a_soft_bounce_after_proven_delivery_only_counts() -> None:
    delivered = SENT._replace(delivery=D.DELIVERED)
    e = inbound(delivered, "bounce", reason="mailboxfull", hard=False)
    assert moves(e) == (None, None) and dict(e.values) == {"transient_count": 1}


def test_soft_bounces_on_enough_days_turn_permanent_at_the_threshold() -> None:
    state = SENT._replace(transient_count=2, soft_bounces=(NOW - timedelta(days=2), NOW - timedelta(days=1)))
    e = inbound(state, "delay", status="4.2.2")
    assert moves(e) == (D.BOUNCED, None) and e.blocks and e.note is None
    assert dict(e.values) == {"transient_count": 3, "reason": "expired", "status_code": "4.2.2",
                              "hard_bounce": False}  # fmt: skip
    assert "soft bounces on 3+ days: now permanent" in e.detail


def test_the_soft_bounce_rule_is_the_one_passed_in() -> None:
    strict = TransientBouncePolicy(threshold=2, period=timedelta(days=1))
    yesterday_late = SENT._replace(transient_count=1, soft_bounces=(NOW - timedelta(hours=4),))
    assert moves(inbound(yesterday_late, "delay", bounces=strict)) == (D.BOUNCED, None)
    assert moves(inbound(yesterday_late, "delay")) == (D.DEFERRED, None)  # the default wants 3 days
    too_old = SENT._replace(transient_count=1, soft_bounces=(NOW - timedelta(hours=25),))
    assert moves(inbound(too_old, "delay", bounces=strict)) == (D.DEFERRED, None)


def test_a_burst_of_delays_on_one_day_counts_once() -> None:
    strict = TransientBouncePolicy(threshold=2, period=timedelta(days=7))
    first = inbound(SENT, "delay", bounces=strict)
    second = inbound(first.after, "delay", bounces=strict, now=NOW + timedelta(hours=1))
    assert moves(first) == (D.DEFERRED, None)
    assert moves(second) == (None, None) and second.after.transient_count == 2
    third = inbound(second.after, "delay", bounces=strict, now=NOW + timedelta(days=1))
    assert moves(third) == (D.BOUNCED, None)


def test_delivered_dsn_proves_receipt() -> None:
    e = inbound(SENT, "delivered")
    assert moves(e) == (D.DELIVERED, None) and dict(e.values) == {"delivered_at": NOW}
    assert e.note is None and (e.after.delivery, e.after.completion) == (D.DELIVERED, C.PENDING)


def test_auto_reply_with_return_date_is_away_until_that_morning_campaign_time() -> None:
    e = inbound(SENT, "autoreply", return_date=date(2026, 11, 28))
    assert moves(e) == (D.DELIVERED, C.AWAY)
    # 00:00 in Asia/Ho_Chi_Minh (UTC+7) is 17:00 UTC the day before
    assert dict(e.values)["away_until"] == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)
    other = inbound(
        SENT, "autoreply", settings=CampaignSettings(timezone="UTC"), return_date=date(2026, 11, 28)
    )
    assert dict(other.values)["away_until"] == datetime(2026, 11, 28, tzinfo=UTC)


def test_auto_reply_without_return_date_or_with_a_bad_zone() -> None:
    assert dict(inbound(SENT, "autoreply").values)["away_until"] is None
    bad = inbound(
        SENT, "autoreply", settings=CampaignSettings(timezone="Mars/Olympus"), return_date=date(2026, 11, 28)
    )
    assert dict(bad.values)["away_until"] == datetime(2026, 11, 27, 17, 0, tzinfo=UTC)


def test_reply_completes_only_when_the_campaign_says_a_reply_counts() -> None:
    e = inbound(SENT, "reply")
    assert moves(e) == (D.DELIVERED, C.REPLIED) and "completed_at" not in dict(e.values)
    counts = inbound(SENT, "reply", settings=CampaignSettings(reply_counts_as_completion=True))
    assert moves(counts) == (D.DELIVERED, C.COMPLETED) and counts.blocks
    assert dict(counts.values) == {"delivered_at": NOW, "completed_at": NOW}
    assert (counts.before.delivery, counts.before.completion) == (D.SENT, C.PENDING) and counts.note is None


def test_spam_report_declines() -> None:
    e = inbound(SENT, "feedback")
    assert moves(e) == (None, C.DECLINED) and e.blocks and "no more mail" in e.detail


def test_a_move_the_state_machine_refuses_keeps_the_state_and_says_why() -> None:
    new = Respondent(7, 3, D.NEW, C.PENDING)
    e = inbound(new, "reply")
    assert (
        moves(e) == (None, C.REPLIED)
        and "(delivery stays new: delivered not possible from there)" in e.detail
    )
    done = Respondent(7, 3, D.DELIVERED, C.COMPLETED)
    again = inbound(done, "reply")
    assert moves(again) == (None, None) and again.note is not None and again.note.new == "reply"
    assert dict(again.values) == {"delivered_at": NOW}  # the latest proof of receipt


def test_unknown_mail_only_leaves_a_note() -> None:
    e = inbound(SENT, "unknown")
    assert moves(e) == (None, None) and not e.changes_respondent and e.note is not None


# --- relay answers --------------------------------------------------------------------------------

QUEUED = Respondent(7, 3, D.QUEUED, C.PENDING)


def relay(
    state: Respondent, result: str, code: int | None, kind: str = "invitation", **kw: Any
) -> Effect | None:
    return lifecycle.on_relay(state, RelayAnswer(kind, result, code, "reply text", **kw), NOW)


def test_relay_250_sends_and_stamps_the_invitation_once() -> None:
    e = relay(QUEUED, "sent", 250)
    assert moves(e) == (D.SENT, None) and e is not None and e.after.invited
    assert dict(e.values) == {"last_sent_at": NOW, "invited_at": NOW}
    assert e.detail == "invitation: 250 reply text" and e.source == "sender"
    reminder = relay(QUEUED._replace(invited=True), "sent", 250, kind="reminder-1")
    assert reminder is not None and dict(reminder.values) == {"last_sent_at": NOW}


def test_relay_250_after_delivery_keeps_what_we_know() -> None:
    e = relay(Respondent(7, 3, D.DELIVERED, C.AWAY, invited=True), "sent", 250, kind="reminder-1")
    assert moves(e) == (None, None) and e is not None and dict(e.values) == {"last_sent_at": NOW}


def test_relay_4xx_defers_only_mail_not_yet_proven_delivered() -> None:
    assert moves(relay(QUEUED, "deferred", 451)) == (D.DEFERRED, None)
    assert moves(relay(SENT, "deferred", 451)) == (D.DEFERRED, None)
    assert relay(Respondent(7, 3, D.DELIVERED, C.PENDING), "deferred", 451) is None


def test_relay_5xx_at_rcpt_bounces() -> None:
    e = relay(QUEUED, "bounced", 550, reason="userunknown", hard=True)
    assert moves(e) == (D.BOUNCED, None) and e is not None and e.blocks
    assert dict(e.values) == {"reason": "userunknown", "status_code": "550", "hard_bounce": True}


def test_relay_policy_rejection_blocks_without_condemning_the_address() -> None:
    e = relay(
        Respondent(7, 3, D.DELIVERED, C.PENDING), "bounced", 554, kind="reminder-1", reason="policyviolation"
    )
    assert moves(e) == (D.BOUNCED, None) and e is not None and e.blocks
    assert dict(e.values)["hard_bounce"] is False


def test_relay_5xx_at_mail_from_fails_unless_the_mailbox_already_got_mail() -> None:
    e = relay(QUEUED, "failed", 553, reason="rejected")
    assert moves(e) == (D.FAILED, None) and e is not None and e.blocks
    assert dict(e.values) == {"reason": "rejected", "status_code": "553"}
    # our relay refusing a reminder says nothing about a mailbox that received the invitation
    assert relay(Respondent(7, 3, D.DELIVERED, C.PENDING), "failed", 553, kind="reminder-1") is None
    assert relay(SENT, "failed", 553, kind="reminder-1") is None


def test_relay_result_must_be_known() -> None:
    with pytest.raises(ValueError, match="unknown relay result"):
        relay(QUEUED, "maybe", 250)


# --- checks, planning, completion -----------------------------------------------------------------

NEW = Respondent(7, 3, D.NEW, C.PENDING)


def test_check_ok_and_bad_move_a_pre_send_state_only() -> None:
    ok = lifecycle.on_check(NEW, CheckResult("ok", "deliverable", 250, "ok"))
    assert moves(ok) == (D.CHECKED_OK, None) and ok is not None and ok.detail == "check: deliverable"
    bad = lifecycle.on_check(NEW, CheckResult("bad", "rejected", 550, "5.1.1 no such user", "userunknown"))
    assert moves(bad) == (D.CHECKED_BAD, None) and bad is not None and not bad.blocks  # force may override
    assert (
        dict(bad.values) == {"reason": "userunknown"}
        and bad.detail == "check: rejected 550 5.1.1 no such user"
    )
    no_reason = lifecycle.on_check(NEW, CheckResult("bad", "nomx"))
    assert no_reason is not None and dict(no_reason.values) == {"reason": "nomx"}
    recheck = lifecycle.on_check(Respondent(7, 3, D.CHECKED_BAD, C.PENDING), CheckResult("ok", "deliverable"))
    assert moves(recheck) == (D.CHECKED_OK, None)
    assert lifecycle.on_check(SENT, CheckResult("bad", "rejected")) is None  # later states know more
    assert lifecycle.on_check(NEW, CheckResult(None, "timeout")) is None  # recorded, decides nothing


def test_planned_mail_queues_a_respondent_not_yet_sent_to() -> None:
    for start in (D.NEW, D.CHECKED_OK, D.CHECKED_BAD):
        e = lifecycle.on_planned(NEW._replace(delivery=start), "invitation")
        assert (
            moves(e) == (D.QUEUED, None)
            and e is not None
            and (e.source, e.detail) == ("planner", "invitation")
        )
    assert lifecycle.on_planned(SENT, "reminder-1") is None
    assert lifecycle.on_planned(Respondent(7, 3, D.DELIVERED, C.AWAY), "reminder-1") is None


def test_completion_completes_and_proves_delivery() -> None:
    e = lifecycle.on_completion(SENT, "link", "signed link", NOW)
    assert moves(e) == (D.DELIVERED, C.COMPLETED) and e is not None and e.blocks
    assert dict(e.values) == {"completed_at": NOW, "delivered_at": NOW} and e.source == "link"
    delivered = lifecycle.on_completion(Respondent(7, 3, D.DELIVERED, C.DECLINED), "import", "", NOW)
    assert moves(delivered) == (None, C.COMPLETED) and delivered is not None
    assert dict(delivered.values) == {"completed_at": NOW}


def test_completion_keeps_a_delivery_state_it_cannot_leave_and_is_idempotent() -> None:
    failed = lifecycle.on_completion(Respondent(7, 3, D.FAILED, C.PENDING), "import", "", NOW)
    assert moves(failed) == (None, C.COMPLETED) and failed is not None
    assert dict(failed.values) == {"completed_at": NOW}
    assert lifecycle.on_completion(Respondent(7, 3, D.DELIVERED, C.COMPLETED), "link", "", NOW) is None


def test_the_lifecycle_is_pure_and_the_store_takes_no_policy() -> None:
    """The core imports only the core and the standard library; the store no longer reaches into
    outbound (the planning loop and its policy left it)."""
    import ast
    import sys
    from pathlib import Path

    import maildaemon

    root = Path(maildaemon.__file__).parent

    def imports(path: Path) -> set[str]:
        names: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
        return names

    core = imports(root / "core" / "lifecycle.py")
    foreign = {
        n
        for n in core
        if not n.startswith("maildaemon.core") and n.split(".")[0] not in sys.stdlib_module_names
    }
    assert foreign == set(), foreign
    store = set().union(*(imports(p) for p in (root / "store").glob("*.py")))
    assert not {n for n in store if n.startswith("maildaemon.outbound")}


# --- relay 4xx about the recipient: soft, counted towards the [bounce] threshold ---------------------


def tempfail(
    state: Respondent, now: datetime = NOW, bounces: TransientBouncePolicy = BOUNCES
) -> Effect | None:
    answer = RelayAnswer("invitation", "deferred", 450, "4.7.1 Try again later", reason="blocked")
    return lifecycle.on_relay(state, answer, now, bounces)


def test_a_recipient_4xx_defers_with_its_reason_and_leaves_the_note_the_next_decision_counts() -> None:
    e = tempfail(QUEUED)
    assert e is not None and moves(e) == (D.DEFERRED, None) and not e.blocks
    assert dict(e.values) == {"transient_count": 1, "reason": "blocked", "status_code": "450"}
    assert e.note is not None and e.note.new == lifecycle.SOFT_FAILURE and e.note.source == "sender"
    assert "soft failure 1; retried, permanent after 3 days" in e.detail


def test_recipient_4xx_on_threshold_days_turns_bounced_and_not_before() -> None:
    state = QUEUED._replace(delivery=D.DEFERRED, transient_count=5)
    one_day = tempfail(state._replace(soft_bounces=(NOW - timedelta(hours=1), NOW - timedelta(hours=2))))
    assert one_day is not None and moves(one_day) == (None, None)  # many tries on one day count once
    two_days = state._replace(soft_bounces=(NOW - timedelta(days=2), NOW - timedelta(days=1)))
    e = tempfail(two_days)
    assert e is not None and moves(e) == (D.BOUNCED, None) and e.blocks
    assert dict(e.values)["hard_bounce"] is False and dict(e.values)["reason"] == "blocked"
    assert "soft failures on 3+ days: now permanent" in e.detail


def test_a_4xx_that_says_nothing_about_the_recipient_is_not_counted() -> None:
    answer = RelayAnswer("invitation", "deferred", 421, "relay busy")  # no reason: our relay, not theirs
    e = lifecycle.on_relay(QUEUED, answer, NOW, BOUNCES)
    assert e is not None and moves(e) == (D.DEFERRED, None) and e.note is None
    assert dict(e.values) == {} and e.after.transient_count == 0


def test_a_challenge_response_request_holds_the_mail_it_proves_no_receipt_and_no_absence() -> None:
    """The recipient's filter asks the sender to confirm: the person waits, deferred with the reason an
    operator acts on; no soft bounce is counted (resending is held the same way, so no threshold applies)."""
    e = inbound(
        SENT, "autoreply", reason="challenge", status="4.7.0", diagnostic="Your message has been waitlisted"
    )
    assert moves(e) == (D.DEFERRED, None) and not e.blocks
    assert dict(e.values) == {"reason": "challenge", "status_code": "4.7.0"}
    assert e.after.transient_count == 0 and e.after.completion is C.PENDING
    assert e.detail == "inbound #41: autoreply 4.7.0 challenge — Your message has been waitlisted"


def test_a_challenge_after_receipt_was_proven_is_a_note() -> None:
    delivered = Respondent(7, 3, D.DELIVERED, C.PENDING, invited=True)
    e = inbound(delivered, "autoreply", reason="challenge")
    assert moves(e) == (None, None) and not e.values
    assert e.note is not None and e.note.new == "challenge"


def test_a_filters_word_that_the_sender_is_allowed_proves_receipt_and_no_absence() -> None:
    assert moves(inbound(SENT, "autoreply", reason="delivered")) == (D.DELIVERED, None)
