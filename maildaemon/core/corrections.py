"""Pure: what an operator's correction, exclusion, restore or resend does to a respondent (issue 16).

The same shape as ``lifecycle``: the respondent's state in, a decision (the state change and its event
rows) out; the store writes it in one transaction.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any, NamedTuple

from maildaemon.core.lifecycle import (
    CheckResult,
    Effect,
    InboundEvidence,
    Move,
    Respondent,
    effect_of,
    on_check,
)
from maildaemon.core.model import (
    Delivery,
    MailKind,
)
from maildaemon.core.reasons import REASONS, is_hard

# Delivery states in which the latest mail did not reach the person (or never left): a correction or a
# resend sends it again. Sent/delivered mail reached a working address, so it is never sent twice.
_MISSED = frozenset({Delivery.BOUNCED, Delivery.FAILED, Delivery.DEFERRED})
# Columns a failed delivery set and a fresh attempt clears.
_CLEARED: tuple[tuple[str, Any], ...] = (
    ("reason", None), ("status_code", None), ("hard_bounce", False), ("transient_count", 0),
)  # fmt: skip

RESEND_GROUPS: dict[str, frozenset[str]] = {
    "full": frozenset({"mailboxfull", "exceedlimit"}),
    "policy": frozenset(
        {
            "policyviolation",
            "filtered",
            "rejected",
            "blocked",
            "spamdetected",
            "badreputation",
            "requireptr",
            "authfailure",
            "securityerror",
            "contenterror",
            "notcompliantrfc",
        }
    ),  # fmt: skip
}
"""Names an operator may give ``resend --reason`` besides the reason names themselves."""


class OperatorDecision(NamedTuple):
    """What an operator's command does to one respondent: ``effect`` (None: nothing changes), whether
    the latest mail is queued again (``requeue``), or why it was refused (``refused``, in English)."""

    effect: Effect | None
    requeue: bool = False
    refused: str = ""


class AddressCheck(NamedTuple):
    """The mailbox check of a corrected address: its ``result`` (None: not run, ``skipped`` says why) and
    the probe's full result for the ``checks`` table (``record``: JSON-ready, None when not run).
    ``anyway``: the operator chose to correct anyway, so a check that would refuse is run and recorded,
    not obeyed."""

    result: CheckResult | None
    skipped: str = ""
    record: Mapping[str, Any] | None = None
    anyway: bool = False

    @property
    def overridden(self) -> bool:
        """The check found that the mailbox cannot exist and the operator corrected anyway."""
        return self.anyway and self.result is not None and self.result.verdict == "bad"


# Outcomes that say the domain itself takes no mail (or the address is no address): key "no_domain".
_NO_DOMAIN = frozenset({"no-domain", "no-mx", "invalid"})
_WHY_NOT = {
    "no-domain": "its domain does not exist",
    "no-mx": "its domain receives no mail (no MX and no A record)",
    "invalid": "it is not a valid address",
}


def check_refusal(address: str, check: CheckResult | None) -> tuple[str, str] | None:
    """Why a correction to ``address`` is refused after its mailbox check: (key, English message), or None.

    Only a check that proves the mailbox cannot exist refuses (verdict "bad", as ``maildaemon check``
    calls it: no such domain or mail host, or a refusal for a hard reason such as an unknown user); a
    timeout, greylisting or a blocked probe proves nothing, and the correction goes ahead."""
    if check is None or check.verdict != "bad":
        return None
    if check.outcome in _NO_DOMAIN:
        why = _WHY_NOT[check.outcome]
        return "no_domain", f"{address} cannot receive mail: {why}"
    said = f"{check.code or ''} {check.text}".strip()
    return "no_mailbox", (
        f"{address} cannot receive mail: the receiving server says the mailbox does not exist "
        f"({check.reason or check.outcome}{': ' + said if said else ''})"
    )


def check_note(check: AddressCheck | None) -> str:
    """What the correction's event says of the new address's check (English, like every event); a check
    that refuses (``check_refusal``) gets this far only when the operator corrected anyway."""
    if check is None:
        return ""
    r = check.result
    if r is None:
        return f"mailbox check {check.skipped or 'skipped'}"
    if r.verdict == "ok":
        return f"mailbox check: {r.outcome}"
    said = f"{r.code or ''} {r.text}".strip()
    what = f"{r.outcome}{' ' + said if said else ''}"
    if check.overridden:
        why = _WHY_NOT.get(r.outcome, "the receiving server says the mailbox does not exist")
        found = f"{r.outcome}{', ' + r.reason if r.reason and r.reason != r.outcome else ''}"
        return f"mailbox check overridden by the operator: {why} ({found}{' ' + said if said else ''})"
    return f"mailbox check inconclusive ({what}): corrected anyway"


def on_corrected_check(decision: OperatorDecision, check: AddressCheck | None) -> Effect | None:
    """What the new address's check does to the state the correction left: a pre-send state becomes
    checked_ok, as ``maildaemon check`` would make it (None: no move). A check the operator overrode
    moves nothing: they corrected anyway so that mail goes to the address."""
    if decision.effect is None or check is None or check.result is None or check.overridden:
        return None
    return on_check(decision.effect.after, check.result)


def _hard(state_reason: str | None, hard_bounce: bool) -> bool:
    return hard_bounce or is_hard(state_reason or "")


def on_correct(
    state: Respondent, old: str, new: str, actor: str, last_kind: str | None,
    check: AddressCheck | None = None,
) -> OperatorDecision:  # fmt: skip
    """A corrected address keeps the person, token and history. Mail that did not reach the old address
    (bounced, failed, deferred) is queued again for the new one; a pre-send state starts over, so the
    planner sends the invitation; sent or delivered mail is not repeated. The event says what the new
    address's mailbox check found (or why it was not run), also when the operator overrode it."""
    if check is not None and not check.anyway and (refused := check_refusal(new, check.result)) is not None:
        return OperatorDecision(None, refused=refused[1])
    detail = f"address corrected by {actor}: {old} -> {new}"
    if note := check_note(check):
        detail += f"; {note}"
    values: list[tuple[str, Any]] = [*_CLEARED, ("force_send", False)]
    requeue = state.delivery in _MISSED and last_kind is not None
    move = Move(values=values)
    if requeue:
        move.delivery = Delivery.QUEUED
        if last_kind == MailKind.INVITATION.value:
            values.append(("invited_at", None))  # reminders count from the invitation that arrives
    elif state.delivery in (Delivery.BOUNCED, Delivery.FAILED, Delivery.CHECKED_BAD):
        move.delivery = Delivery.NEW  # nothing was sent (or the pre-check failed): plan afresh
    return OperatorDecision(effect_of(state, move, "operator", detail, note_kind="corrected"), requeue)


def on_exclude(state: Respondent, excluded_at: datetime | None, reason: str, actor: str,
               now: datetime) -> OperatorDecision:  # fmt: skip
    """Take someone out of the survey (left the agency, long leave): no more mail, not a non-respondent."""
    if excluded_at is not None:
        return OperatorDecision(None, refused="already excluded")
    if not reason.strip():
        return OperatorDecision(None, refused="an exclusion needs a reason (--reason)")
    move = Move(values=[("excluded_at", now), ("excluded_reason", reason.strip())])
    return OperatorDecision(
        effect_of(state, move, "operator", f"excluded by {actor}: {reason.strip()}", note_kind="excluded")
    )


def excluded_by(detail: str, reason: str) -> str:
    """Who excluded someone, read back from the detail ``on_exclude`` wrote ("" if it is not one)."""
    head, tail = "excluded by ", f": {reason.strip()}"
    if detail.startswith(head) and detail.endswith(tail) and len(detail) >= len(head) + len(tail):
        return detail[len(head) : len(detail) - len(tail)]
    return ""


def on_restore(state: Respondent, excluded_at: datetime | None, actor: str) -> OperatorDecision:
    """Undo an exclusion: the person is back in the survey and the planner resumes where it stopped."""
    if excluded_at is None:
        return OperatorDecision(None, refused="not excluded")
    move = Move(values=[("excluded_at", None), ("excluded_reason", None)])
    return OperatorDecision(effect_of(state, move, "operator", f"restored by {actor}", note_kind="restored"))


def on_resend(
    state: Respondent, reason: str | None, hard_bounce: bool, actor: str, last_kind: str | None,
) -> OperatorDecision:  # fmt: skip
    """Send the latest mail again after its cause was fixed (a mailbox cleaned, a filter opened), clearing
    the block. A hard bounce says the address itself is wrong: it must be corrected first."""
    if state.delivery is Delivery.CHECKED_BAD:  # the pre-check may be wrong: send despite it
        detail = f"resend by {actor}: send despite the failed check ({reason or 'unknown'})"
        move = Move(values=[("force_send", True)])
        return OperatorDecision(effect_of(state, move, "operator", detail, note_kind="resend"))
    if state.delivery not in _MISSED:
        return OperatorDecision(None, refused=f"nothing to resend: delivery is {state.delivery.value}")
    if _hard(reason, hard_bounce) and state.delivery is not Delivery.DEFERRED:
        return OperatorDecision(
            None, refused=f"the address bounced permanently ({reason or 'hard bounce'}): correct it first "
            "with 'maildaemon respondent correct OLD NEW'",
        )  # fmt: skip
    if last_kind is None:
        return OperatorDecision(None, refused="no mail was sent yet")
    values: list[tuple[str, Any]] = list(_CLEARED)
    if last_kind == MailKind.INVITATION.value:
        values.append(("invited_at", None))
    detail = f"resend by {actor}: {last_kind} after {reason or state.delivery.value}"
    move = Move(Delivery.QUEUED, values=values)
    return OperatorDecision(effect_of(state, move, "operator", detail, note_kind="resend"), requeue=True)


def former_addresses(former: str | None, replaced: str) -> str:
    """The ``former_emails`` column after a correction replaced ``replaced`` (one key per line)."""
    keys = [k for k in (former or "").splitlines() if k]
    key = replaced.strip().casefold()
    return "\n".join([*keys, key] if key not in keys else keys)


def about_former_address(kind: str, recipients: Sequence[str], current: str, former: str | None) -> bool:
    """True when a bounce or delay speaks only of an address a correction has replaced: it arrived late
    and must not block the corrected address."""
    if kind not in ("bounce", "delay") or not former:
        return False
    named = {r.strip().casefold() for r in recipients if r.strip()}
    old = {k for k in former.splitlines() if k}
    return bool(named) and current.casefold() not in named and bool(named & old)


def on_former_address(state: Respondent, evidence: InboundEvidence) -> Effect:
    """A late bounce about a replaced address: a note in the history, no state change."""
    detail = f"inbound #{evidence.inbound_id}: {evidence.kind} {evidence.status} {evidence.reason}".rstrip()
    detail += " — about an address corrected since: no change"
    return effect_of(state, Move(), "watcher", detail, note_kind=evidence.kind)


def resend_reasons(name: str) -> frozenset[str]:
    """The reasons ``resend --reason NAME`` selects; an unknown name selects nothing."""
    name = name.strip().lower()
    if name in RESEND_GROUPS:
        return RESEND_GROUPS[name]
    return frozenset({name}) if name in REASONS else frozenset()
