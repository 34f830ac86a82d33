"""What goes out next (reporting.outlook) and what tying a message by hand does (core.assignment): pure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from maildaemon.core import assignment
from maildaemon.core.lifecycle import InboundEvidence, stored
from maildaemon.core.retry import TransientBouncePolicy
from maildaemon.reporting.outlook import kind_order, outlook
from tests.support.factories import MONDAY_10, make_campaign

CAMPAIGN, _ = make_campaign()  # window Monday-Friday 08:00-17:00, Vietnam time


@dataclass(frozen=True)
class W:
    kind: str
    due: bool
    count: int
    earliest: datetime


def test_inside_the_window_due_mail_goes_now_and_later_mail_at_its_time() -> None:
    waiting = [W("reminder-1", True, 3, MONDAY_10 - timedelta(hours=1)), W("invitation", True, 5, MONDAY_10),
               W("final", False, 2, MONDAY_10 + timedelta(days=1)), W("reminder-2", False, 1, MONDAY_10 + timedelta(hours=2))]  # fmt: skip
    o = outlook(CAMPAIGN, False, waiting, MONDAY_10)
    assert o.in_window and o.reopens_at is None and o.waiting == 11
    assert list(o.due.items()) == [("invitation", 5), ("reminder-1", 3)]  # invitation first, then by number
    assert list(o.later.items()) == [("reminder-2", 1), ("final", 2)]
    assert o.next_at == MONDAY_10


def test_outside_the_window_everything_waits_for_the_next_opening() -> None:
    friday_evening = MONDAY_10 + timedelta(days=4, hours=9)  # Friday 19:00 in Vietnam
    later = W("invitation", False, 4, friday_evening + timedelta(hours=1))
    o = outlook(CAMPAIGN, False, [W("invitation", True, 2, MONDAY_10), later], friday_evening)
    monday_8 = datetime(2026, 11, 30, 1, 0, tzinfo=UTC)  # 08:00 in Vietnam
    assert not o.in_window and o.reopens_at == monday_8 and o.next_at == monday_8
    paused = outlook(CAMPAIGN, True, [later], MONDAY_10)
    assert paused.paused and paused.next_at is None and paused.later == {"invitation": 4}
    closed = outlook(CAMPAIGN, False, [], CAMPAIGN.closes)
    assert closed.closed and closed.reopens_at is None and closed.next_at is None and closed.waiting == 0


def test_kinds_sort_invitation_reminders_final() -> None:
    kinds = ["final", "reminder-10", "reminder-2", "invitation", "odd"]
    assert sorted(kinds, key=kind_order) == ["invitation", "reminder-2", "reminder-10", "final", "odd"]


def test_a_message_tied_by_hand_is_the_operators_decision() -> None:
    state = stored(7, 1, "sent", "pending")
    bounce = InboundEvidence("bounce", 42, "userunknown", "5.1.1", True)
    effect = assignment.on_assigned(state, bounce, assignment.lifecycle.CampaignSettings(), TransientBouncePolicy(),
                                    MONDAY_10, "op (console)")  # fmt: skip
    assert effect.delivery == "bounced" and effect.source == "operator" and "by op (console)" in effect.detail
    unknown = assignment.on_assigned(state, InboundEvidence("unknown", 43), assignment.lifecycle.CampaignSettings(),
                                     TransientBouncePolicy(), MONDAY_10, "op")  # fmt: skip
    assert unknown.delivery is None and unknown.note is not None and unknown.note.source == "operator"
    assert assignment.already_tied(None, None) is None
    assert "already tied to a@b.test (by verp)" in (assignment.already_tied("verp", "a@b.test") or "")
