"""Use cases of the operator's loop on one person (issue 16): show, correct, exclude, restore, resend,
called alike by `maildaemon respondent ...` and the console's forms (the actor is whoever asks).

They resolve the campaign, take ``now`` and the actor, check the operator's input (an address as the
roster import would; a corrected address's mailbox as ``maildaemon check`` would, before anything
changes), compute when re-queued mail may go (the next send-window opening) and call one store
operation; the decisions themselves are ``core.corrections``'s.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from maildaemon.config import CheckerConfig
from maildaemon.core import corrections
from maildaemon.core.campaign import Campaign
from maildaemon.core.reasons import REASONS
from maildaemon.core.window import next_window_open
from maildaemon.deliverability.check import check_address, check_result, probe_settings
from maildaemon.errors import InputError, NotFound
from maildaemon.intake.roster import normalise_address
from maildaemon.store import CampaignRecord, OperatorResult, Person, Store

log = logging.getLogger(__name__)


def resend_time(campaign: Campaign, now: datetime) -> datetime | None:
    """When re-queued mail may go: the next opening of the send window (now inside it); None once the
    campaign has closed (or its window never opens again before it does)."""
    return next_window_open(campaign, max(now, campaign.opens))


class Refusal(InputError):
    """A correction refused for a reason the console words itself: ``key`` is ``invalid`` (not an
    address), ``same`` (the person's own address), ``taken`` (someone else's), ``closed``, or what the
    new mailbox's check proved: ``no_domain`` (no such domain or mail host), ``no_mailbox`` (unknown user)."""

    def __init__(self, message: str, key: str) -> None:
        super().__init__(message)
        self.key = key


@dataclass(frozen=True, slots=True)
class Shown:
    person: Person
    campaign: CampaignRecord


async def _campaign_of(store: Store, campaign: str | None, who: str) -> CampaignRecord:
    """The named campaign, or the one of the latest respondent with this address or token."""
    if campaign is not None:
        return await store.get_campaign(campaign)
    person = await store.person(None, who)
    cid = int(person.respondent["campaign_id"])
    return next(r for r in await store.list_campaigns() if r.id == cid)


async def show(store: Store, who: str, campaign: str | None) -> Shown:
    record = await _campaign_of(store, campaign, who)
    return Shown(await store.person(record.id, who), record)


@dataclass(frozen=True, slots=True)
class Corrected:
    """A correction made: the campaign, the decision, the address as stored, and its mailbox check."""

    campaign: CampaignRecord
    decision: corrections.OperatorDecision
    address: str
    check: corrections.AddressCheck

    @property
    def delivery(self) -> str:
        """The person's delivery state now: the correction's, then its check's (checked_ok)."""
        moved = corrections.on_corrected_check(self.decision, self.check)
        effect = moved or self.decision.effect
        return effect.after.delivery.value if effect is not None else "-"


NOT_CONFIGURED = "not run (no [checker] settings)"


async def correct(
    store: Store, old: str, new: str, *, campaign: str | None, actor: str, now: datetime,
    allow_test_domains: bool = False, open_only: bool = False, checker: CheckerConfig | None = None,
    skip_check: str = "", anyway: bool = False,
) -> Corrected:  # fmt: skip
    """Correct one address (``old``: the address or the token). With ``open_only`` a closed campaign
    refuses: nothing would be sent. Before anything changes, the new mailbox is checked as `maildaemon
    check` would (``checker``; None: not configured) unless ``skip_check`` says why not (the operator
    asked for no check): a mailbox that cannot exist refuses (key ``no_domain`` / ``no_mailbox``), unless
    the operator corrects ``anyway``: then the check still runs and its finding goes in the event."""
    try:
        address = normalise_address(new, allow_test_domains=allow_test_domains)
    except InputError as exc:
        raise Refusal(f"cannot correct {old}: {exc}", "invalid") from exc
    record = await _campaign_of(store, campaign, old)
    when = resend_time(record.campaign, now)
    if open_only and when is None:
        raise Refusal(f"campaign {record.name} is closed: a corrected address would get nothing", "closed")
    if skip_check or checker is None:
        check = corrections.AddressCheck(None, skip_check or NOT_CONFIGURED)
    else:
        await _not_in_use(store, record.id, old, address)  # before a probe that may take a while
        check = await _check(store, address, record, checker, allow_test_domains, now, anyway)
    try:
        decision = await store.correct_address(
            record.id, old, address, actor=actor, now=now, not_before=when, check=check
        )
    except InputError as exc:  # the address is in use: this person's own, or someone else's
        raise Refusal(str(exc), await _holder(store, record.id, old, address)) from exc
    log.info("respondent.correct campaign=%s requeue=%s check=%s overridden=%s actor=%s", record.name,
             decision.requeue, check.result.outcome if check.result else "skipped", check.overridden, actor)  # fmt: skip
    return Corrected(record, decision, address, check)


async def _check(
    store: Store, address: str, record: CampaignRecord, checker: CheckerConfig, allow_test_domains: bool,
    now: datetime, anyway: bool,
) -> corrections.AddressCheck:  # fmt: skip
    """Probe the new address under [checker] with the campaign's bounce address as sender; a mailbox that
    cannot exist is refused here (its result kept in the address's history, tied to nobody), unless the
    operator corrects ``anyway`` (the result is then the person's, as any correction's check)."""
    c = record.campaign
    settings = probe_settings(checker, f"{c.bounce_prefix}@{c.bounce_domain}", allow_test_domains)
    probed = await check_address(address, settings)
    result, row = check_result(probed), probed.to_dict()
    refused = corrections.check_refusal(address, result)
    if refused is not None and not anyway:
        await store.record_checks([(None, row, None)], now)
        key, message = refused
        raise Refusal(
            f"{message}; to correct it anyway, add --anyway (the check's finding is kept in the history) "
            "or skip the check (--no-check)", key,
        )  # fmt: skip
    return corrections.AddressCheck(result, record=row, anyway=anyway)


async def _not_in_use(store: Store, campaign_id: int, who: str, address: str) -> None:
    """Refuse an unknown person or an address already in use in the campaign before the probe (the store
    checks again as it writes)."""
    person = await store.person(campaign_id, who)
    try:
        holder = await store.respondent(campaign_id, address)
    except NotFound:
        return
    if holder["id"] == person.respondent["id"]:
        raise Refusal(f"{who}: the new address is the same as the old one", "same")
    raise Refusal(
        f"{address} is already the address of respondent #{holder['id']} ({holder['full_name']}) in this "
        f"campaign; correct or exclude that person first", "taken",
    )  # fmt: skip


async def _holder(store: Store, campaign_id: int, who: str, address: str) -> str:
    """Whose the address a correction refused is: ``same`` (the person's own) or ``taken``."""
    person = await store.person(campaign_id, who)
    try:
        holder = await store.respondent(campaign_id, address)
    except NotFound:
        return "taken"
    return "same" if holder["id"] == person.respondent["id"] else "taken"


async def set_excluded(
    store: Store, who: str, *, exclude: bool, reason: str, campaign: str | None, actor: str, now: datetime
) -> tuple[CampaignRecord, str]:
    """Exclude or restore one person; returns the campaign and the person's address."""
    record = await _campaign_of(store, campaign, who)
    decision = await store.set_excluded(
        record.id, who, exclude=exclude, reason=reason, actor=actor, now=now,
        not_before=resend_time(record.campaign, now) or now,
    )  # fmt: skip
    log.info("respondent.%s campaign=%s actor=%s", "exclude" if exclude else "restore", record.name, actor)
    person = await store.person(record.id, who) if decision.effect is not None else None
    return record, str(person.respondent["email"]) if person is not None else who


async def resend(
    store: Store, campaign: str, *, email: str | None, reason: str | None, agency: str | None, actor: str,
    now: datetime, dry_run: bool,
) -> OperatorResult:  # fmt: skip
    """Queue the latest mail again for one person or everyone a reason or agency selects."""
    reasons: frozenset[str] = frozenset()
    if reason is not None:
        reasons = corrections.resend_reasons(reason)
        if not reasons:
            names = ", ".join(sorted({*corrections.RESEND_GROUPS, *REASONS}))
            raise InputError(f"unknown reason {reason!r}; use one of: {names}")
    record = await store.get_campaign(campaign)
    when = resend_time(record.campaign, now)
    if when is None:
        raise InputError(
            f"campaign {campaign} closed at {record.campaign.closes:%Y-%m-%d %H:%M %Z}: nothing is sent"
        )
    result = await store.resend(
        record.id, actor=actor, now=now, not_before=when, email=email,
        reasons=reasons, agency=agency, dry_run=dry_run,
    )  # fmt: skip
    if email is not None and result.refused:
        address, why = result.refused[0]
        raise InputError(f"{address}: {why}")
    log.info("resend campaign=%s queued=%d refused=%d dry_run=%s", campaign, len(result.done),
             len(result.refused), dry_run)  # fmt: skip
    return result
