"""What an operator's "this message is person X's" does: the message's verdict applied to that person as
if the watcher had tied it, but written as the operator's decision (source ``operator``, the actor named),
so the history shows who tied it. Pure: the store reads the state and writes the returned ``Effect``."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from maildaemon.core import lifecycle
from maildaemon.core.lifecycle import CampaignSettings, Effect, InboundEvidence, Respondent
from maildaemon.core.retry import TransientBouncePolicy

SOURCE = "operator"
ATTRIBUTED_BY = "operator"  # the inbound row's attributed_by once an operator has tied it
LATE = timedelta(days=30)  # bounces and replies still arrive this long after a campaign closes


def campaign_period(opens: datetime, closes: datetime) -> tuple[datetime, datetime]:
    """When mail of a campaign can come back: from its opening until ``LATE`` after it closes. A message
    tied to nobody carries no campaign; it is shown to the campaigns running when it arrived."""
    return opens, closes + LATE


def already_tied(attributed_by: str | None, email: str | None) -> str | None:
    """Why a message cannot be tied (again), or None. A tied message's effect is already written and the
    state machines do not go back, so re-attribution is refused: correct the person instead."""
    if attributed_by is None:
        return None
    who = email or "a respondent since purged"
    return (
        f"already tied to {who} (by {attributed_by}); its effect is applied and cannot be moved to someone "
        "else: correct that person instead"
    )


def on_assigned(
    state: Respondent, evidence: InboundEvidence, settings: CampaignSettings, bounces: TransientBouncePolicy,
    now: datetime, actor: str,
) -> Effect:  # fmt: skip
    """The verdict's lifecycle effect (bounce -> bounced with its reason, auto-reply -> away, reply ->
    replied, ...), sourced to the operator; a message that moves nothing still leaves a note."""
    effect = lifecycle.on_inbound(state, evidence, settings, bounces, now)
    detail = f"{effect.detail} (tied by hand by {actor})"
    note = replace(effect.note, source=SOURCE, detail=detail) if effect.note is not None else None
    return effect._replace(source=SOURCE, detail=detail, note=note)
