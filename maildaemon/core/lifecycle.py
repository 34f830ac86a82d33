"""What a planned mail, a relay answer, an inbound verdict, a check result or a completion does to a
respondent: pure decisions over the state machines in ``model``.

The store reads a ``Respondent``, calls one ``on_*`` function and writes the returned ``Effect`` (new
states, other columns, its event rows) in one transaction; ``now`` and the settings are arguments.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from maildaemon.core import actions
from maildaemon.core.model import (
    COMPLETION_DONE,
    DELIVERY_BLOCKED,
    Completion,
    Delivery,
    MailKind,
    Transition,
    can_move_completion,
    can_move_delivery,
    parse_outbox_kind,
)
from maildaemon.core.reasons import CHALLENGE
from maildaemon.core.retry import TransientBouncePolicy

DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"

# A new mail takes the respondent to "queued" only from a pre-send state; after that (sent,
# delivered) the respondent keeps what we know and only the outbox moves.
_QUEUE_FROM = frozenset({Delivery.NEW, Delivery.CHECKED_OK, Delivery.CHECKED_BAD})
_SENT_FROM = frozenset({Delivery.QUEUED, Delivery.DEFERRED, Delivery.NEW, Delivery.CHECKED_OK})
_DEFER_FROM = frozenset({Delivery.QUEUED, Delivery.SENT})
# A soft bounce makes these deferred; a delivered person stays delivered (receipt was proven) and
# only the count grows.
_SOFT_DEFER_FROM = frozenset({Delivery.QUEUED, Delivery.SENT, Delivery.DEFERRED})
# Only these delivery states are about a pre-check; later ones know more than a probe can.
_CHECKABLE = frozenset({Delivery.NEW, Delivery.CHECKED_OK, Delivery.CHECKED_BAD})


# The values made once per inbound message or relay answer are named tuples: immutable like a frozen
# dataclass, but built about four times faster, which the hot paths (bench/inbound.py) notice.


class Respondent(NamedTuple):
    """The state a decision starts from, as the store read it."""

    id: int
    campaign_id: int
    delivery: Delivery
    completion: Completion
    transient_count: int = 0
    soft_bounces: tuple[datetime, ...] = ()  # soft-bounce times the store found within the policy period
    invited: bool = False  # the relay has accepted an invitation (invited_at is set)


_DELIVERY = {d.value: d for d in Delivery}
_COMPLETION = {c.value: c for c in Completion}


def stored(
    id: int, campaign_id: int, delivery: str, completion: str, transient_count: int = 0,
    soft_bounces: tuple[datetime, ...] = (), invited: bool = False,
) -> Respondent:  # fmt: skip
    """A ``Respondent`` from the store's column values (a dict lookup per state, not an Enum call)."""
    return Respondent(
        id, campaign_id, _DELIVERY.get(delivery) or Delivery(delivery),
        _COMPLETION.get(completion) or Completion(completion), transient_count, soft_bounces, invited,
    )  # fmt: skip


class Effect(NamedTuple):
    """What one input does to one respondent: the state after, other columns to set, and the note
    to write when no state changes (an operator must still see that the message came)."""

    before: Respondent
    after: Respondent
    source: str
    detail: str
    values: tuple[tuple[str, Any], ...] = ()  # other respondent columns: reason, away_until, ...
    note: Transition | None = None
    delivery: Delivery | None = None  # the new delivery state, None when it stays
    completion: Completion | None = None  # the new completion state, None when it stays

    @property
    def changes_respondent(self) -> bool:
        return self.delivery is not None or self.completion is not None or bool(self.values)

    @property
    def blocks(self) -> bool:
        """True when this change stops all further mail to the respondent."""
        return (self.delivery in DELIVERY_BLOCKED) or (self.completion in COMPLETION_DONE)


@dataclass(frozen=True, slots=True)
class CampaignSettings:
    """What of a campaign's definition the lifecycle reads."""

    reply_counts_as_completion: bool = False
    timezone: str = DEFAULT_TIMEZONE


class InboundEvidence(NamedTuple):
    """One attributed inbound message, reduced to what it proves (the verdict about this respondent's
    address where the message names several)."""

    kind: str  # bounce | delay | delivered | autoreply | reply | feedback | unknown
    inbound_id: int
    reason: str = ""
    status: str = ""
    hard: bool = False
    diagnostic: str = ""
    return_date: date | None = None


class RelayAnswer(NamedTuple):
    """What our relay said about one message, as the sender classified it."""

    kind: str  # the outbox kind: invitation, reminder-2, final
    result: str  # sent | deferred | bounced | failed
    code: int | None = None
    reply: str = ""
    reason: str | None = None
    hard: bool = False


@dataclass(frozen=True, slots=True)
class CheckResult:
    """A deliverability probe's result; ``verdict`` "ok"/"bad" speaks about the address, None only records."""

    verdict: str | None
    outcome: str
    code: int | None = None
    text: str = ""
    reason: str = ""


@dataclass(slots=True)
class Move:
    """A requested move before the state machines have their say."""

    delivery: Delivery | None = None
    completion: Completion | None = None
    values: list[tuple[str, Any]] = field(default_factory=list)


def effect_of(
    before: Respondent, move: Move, source: str, detail: str, *, note_kind: str | None = None,
    explain_refusal: bool = False, transient_count: int | None = None,
    soft_bounces: tuple[datetime, ...] | None = None, invited: bool | None = None,
) -> Effect:  # fmt: skip
    """Apply the state machines: a move they do not allow leaves the state as it is.

    (Called once per inbound message and relay answer on the hot paths: plain constructors, no
    ``dataclasses.replace``.)
    """
    delivery, completion = before.delivery, before.completion
    if move.delivery is not None and move.delivery != delivery:
        if can_move_delivery(delivery, move.delivery):
            delivery = move.delivery
        elif explain_refusal:
            detail += f" (delivery stays {before.delivery}: {move.delivery} not possible from there)"
    if move.completion is not None and can_move_completion(completion, move.completion):
        completion = move.completion
    new_delivery = delivery if delivery != before.delivery else None
    new_completion = completion if completion != before.completion else None
    note = None
    if note_kind is not None and new_delivery is None and new_completion is None:
        note = Transition("note", None, note_kind, source, detail)
    state = Respondent(
        before.id, before.campaign_id, delivery, completion,
        before.transient_count if transient_count is None else transient_count,
        before.soft_bounces if soft_bounces is None else soft_bounces,
        before.invited if invited is None else invited,
    )  # fmt: skip
    return Effect(before, state, source, detail, tuple(move.values), note, new_delivery, new_completion)


# --- the planner --------------------------------------------------------------------------------


def on_planned(state: Respondent, kind: str) -> Effect | None:
    """A mail of ``kind`` was enqueued: a respondent not yet sent to becomes ``queued``."""
    if state.delivery not in _QUEUE_FROM:
        return None
    return effect_of(state, Move(Delivery.QUEUED), "planner", kind)


# --- the sender ---------------------------------------------------------------------------------


SOFT_FAILURE = "softfail"
"""The note kind of a relay 4xx about the recipient that counted towards the [bounce] threshold (the
store reads these notes back as the respondent's relay soft-failure history)."""


def on_relay(
    state: Respondent, answer: RelayAnswer, now: datetime, bounces: TransientBouncePolicy | None = None
) -> Effect | None:
    """Our relay's answer: 250 sends, 4xx defers, 5xx at RCPT/DATA bounces, 5xx at MAIL FROM fails.

    A 4xx about the recipient (``answer.reason`` set: the receiving side said "try later", not our relay
    being down) counts like a soft bounce: deferred, and bounced only once ``bounces`` says so.
    A later mail's failure at our own relay says nothing about a mailbox that has already received
    mail, so a refused move keeps the state (and the reason columns) as they are.
    """
    old = state.delivery
    detail = f"{answer.kind}: {answer.code or ''} {answer.reply}".strip()
    if answer.result == "deferred" and answer.reason and bounces is not None:
        return _relay_soft_failure(state, answer, detail, bounces, now)
    move = Move()
    invited = state.invited
    if answer.result == "sent":
        move.values.append(("last_sent_at", now))
        if parse_outbox_kind(answer.kind)[0] is MailKind.INVITATION and not state.invited:
            move.values.append(("invited_at", now))
            invited = True
        if old in _SENT_FROM:
            move.delivery = Delivery.SENT
    elif answer.result == "deferred":
        if old in _DEFER_FROM:
            move.delivery = Delivery.DEFERRED
    elif answer.result in ("bounced", "failed"):
        new = Delivery.BOUNCED if answer.result == "bounced" else Delivery.FAILED
        if can_move_delivery(old, new):
            move.delivery = new
            move.values += [("reason", answer.reason), ("status_code", str(answer.code or ""))]
            if new is Delivery.BOUNCED:
                move.values.append(("hard_bounce", answer.hard))
    else:
        raise ValueError(f"unknown relay result {answer.result!r}")
    if move.delivery is None and not move.values:
        return None
    return effect_of(state, move, "sender", detail, invited=invited)


def _relay_soft_failure(
    state: Respondent, answer: RelayAnswer, detail: str, bounces: TransientBouncePolicy, now: datetime
) -> Effect:
    count = state.transient_count + 1
    times = (*state.soft_bounces, now)
    move = Move(values=[("transient_count", count)])
    status = str(answer.code or "")
    if bounces.becomes_permanent(times, now) and can_move_delivery(state.delivery, Delivery.BOUNCED):
        move.delivery = Delivery.BOUNCED
        move.values += [("reason", answer.reason), ("status_code", status), ("hard_bounce", False)]
        detail += f" (soft failures on {bounces.threshold}+ days: now permanent)"
    else:
        if state.delivery in _SOFT_DEFER_FROM:
            move.delivery = Delivery.DEFERRED
            move.values += [("reason", answer.reason), ("status_code", status)]
        detail += f" (soft failure {count}; retried, permanent after {bounces.threshold} days)"
    effect = effect_of(state, move, "sender", detail, transient_count=count, soft_bounces=times)
    # always a note, also beside a state change: it is the history the next decision counts
    return effect._replace(note=Transition("note", None, SOFT_FAILURE, "sender", detail))


# --- the watcher --------------------------------------------------------------------------------


def on_inbound(
    state: Respondent, evidence: InboundEvidence, settings: CampaignSettings, bounces: TransientBouncePolicy,
    now: datetime,
) -> Effect:  # fmt: skip
    """What one attributed message proves for its respondent.

    A hard or policy bounce blocks the address; soft bounces count, and turn permanent when
    ``bounces`` says so; a positive DSN, an auto-reply or a reply proves receipt. When no state
    moves the effect carries a note, so the message still shows in the respondent's history.
    """
    ev = evidence
    kind = ev.kind
    detail = f"inbound #{ev.inbound_id}: {kind}" + (
        f" {ev.status} {ev.reason}" if ev.reason or ev.status else ""
    )
    if ev.diagnostic:
        detail += f" — {ev.diagnostic[:300]}"
    move = Move()
    count: int | None = None
    times: tuple[datetime, ...] | None = None
    if is_transient(kind, ev.reason, ev.hard):
        count = state.transient_count + 1
        times = (*state.soft_bounces, now)
        move.values.append(("transient_count", count))
        if bounces.becomes_permanent(times, now):
            move.delivery = Delivery.BOUNCED
            move.values += [("reason", ev.reason or "expired"), ("status_code", ev.status or None),
                            ("hard_bounce", False)]  # fmt: skip
            detail += f" (soft bounces on {bounces.threshold}+ days: now permanent)"
        else:  # the address is good: the person stays deferred and is retried and reminded
            if state.delivery in _SOFT_DEFER_FROM:
                move.delivery = Delivery.DEFERRED
                move.values += [("reason", ev.reason or "delayed"), ("status_code", ev.status or None)]
            detail += f" (soft bounce {count}; permanent after {bounces.threshold} days)"
    elif kind == "bounce":
        move = Move(Delivery.BOUNCED)
        move.values += [("reason", ev.reason or "undefined"), ("status_code", ev.status or None),
                        ("hard_bounce", ev.hard)]  # fmt: skip
    elif kind == "autoreply" and ev.reason == CHALLENGE:
        # the recipient's filter holds our mail until the sender confirms: not delivered, not away, and
        # resending will not help, so it counts no soft bounce; the person waits, with the reason to act on
        if state.delivery in _SOFT_DEFER_FROM:
            move = Move(Delivery.DEFERRED, values=[("reason", CHALLENGE), ("status_code", ev.status or None)])
    elif kind in ("delivered", "autoreply", "reply"):
        move = Move(Delivery.DELIVERED, values=[("delivered_at", now)])
        # an out-of-office reply marks an absence; a filter's word that we are now allowed ("delivered") does not
        if kind == "autoreply" and ev.reason != "delivered":
            move.completion = Completion.AWAY
            move.values.append(("away_until", away_until(ev.return_date, settings)))
        elif kind == "reply":
            if settings.reply_counts_as_completion:
                move.completion = Completion.COMPLETED
                move.values.append(("completed_at", now))
            else:
                move.completion = Completion.REPLIED
    elif kind == "feedback":
        move = Move(completion=Completion.DECLINED)
        detail += " (the respondent reported our mail as spam: no more mail)"
    note_kind = CHALLENGE if kind == "autoreply" and ev.reason == CHALLENGE else kind
    return effect_of(state, move, "watcher", detail, note_kind=note_kind, explain_refusal=True,
                     transient_count=count, soft_bounces=times)  # fmt: skip


def is_transient(kind: str, reason: str | None, hard: bool) -> bool:
    """A delay notice, or a bounce for a temporary reason (full mailbox, server trouble): it counts
    towards the [bounce] transient threshold instead of condemning the address at once."""
    return kind == "delay" or (kind == "bounce" and actions.is_soft(reason, hard))


def away_until(return_date: date | None, settings: CampaignSettings) -> datetime | None:
    """A stated return date means: back at the start of that day, campaign time."""
    if return_date is None:
        return None
    try:
        tz = ZoneInfo(settings.timezone)
    except (ValueError, KeyError):
        tz = ZoneInfo(DEFAULT_TIMEZONE)
    return datetime.combine(return_date, time(0, 0), tz).astimezone(UTC)


def soft_bounce_window(bounces: TransientBouncePolicy, now: datetime) -> datetime:
    """The earliest soft-bounce time the decision at ``now`` looks at (the store reads from here)."""
    return now - bounces.period


# --- the checker --------------------------------------------------------------------------------


def on_check(state: Respondent, result: CheckResult) -> Effect | None:
    """A probe's verdict moves only a pre-send state: later states know more than a probe can."""
    if result.verdict is None or state.delivery not in _CHECKABLE:
        return None
    bad = result.verdict != "ok"
    detail = f"check: {result.outcome}" + (f" {result.code or ''} {result.text or ''}" if bad else "")
    move = Move(Delivery.CHECKED_BAD if bad else Delivery.CHECKED_OK)
    if bad:
        move.values.append(("reason", result.reason or result.outcome))
    return effect_of(state, move, "checker", detail.strip())


# --- completions --------------------------------------------------------------------------------


def on_completion(state: Respondent, source: str, detail: str, now: datetime) -> Effect | None:
    """A completion (link, callback, platform export); None when the respondent had already completed.

    It also proves the invitation arrived, so delivery becomes ``delivered`` where that move is possible.
    """
    if state.completion is Completion.COMPLETED:
        return None
    move = Move(Delivery.DELIVERED, Completion.COMPLETED, [("completed_at", now)])
    if state.delivery is not Delivery.DELIVERED and can_move_delivery(state.delivery, Delivery.DELIVERED):
        move.values.append(("delivered_at", now))
    return effect_of(state, move, source, detail)
