"""The sender loop: claim due outbox rows, compose, send through the relay pool within the
global and per-domain limits, and record every answer in batches.

What an answer means: 250 -> sent; 4xx or a broken connection -> deferred with backoff until the
campaign closes (failed only then, or after ``smtp.retry_max_age_h`` when that is set); 5xx at RCPT or DATA -> the respondent is bounced at once (an
SMTP-time rejection is a bounce); 5xx at MAIL FROM -> failed (our own relay refuses us).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Protocol

from maildaemon.config import Config
from maildaemon.core import reasons, replies
from maildaemon.core.retry import RetryPolicy, TransientBouncePolicy
from maildaemon.core.window import Timed, in_window, next_window_open
from maildaemon.errors import MaildaemonError, PermanentError, StoreError, TemplateError, TransientError
from maildaemon.outbound.compose import Composer, Outgoing, Recipient
from maildaemon.outbound.mailer import RelayPool, Reply
from maildaemon.outbound.templates import TemplateSet
from maildaemon.store import Claim, SendOutcome, Store

log = logging.getLogger(__name__)


class SendCounter(Protocol):
    """Where the sender counts relay outcomes (the daemon's Prometheus metrics)."""

    def count_send(self, result: str, kind: str, reason: str) -> None: ...


class DomainLimiter:
    """Per-recipient-domain concurrency and rate: many agencies share one provincial gateway."""

    def __init__(
        self, concurrency: int, rate_per_min: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._concurrency = max(1, concurrency)
        self._gap = 60.0 / rate_per_min if rate_per_min > 0 else 0.0
        self._sems: dict[str, asyncio.Semaphore] = {}
        self._next: dict[str, float] = {}
        self._clock = clock

    def semaphore(self, domain: str) -> asyncio.Semaphore:
        sem = self._sems.get(domain)
        if sem is None:
            sem = self._sems[domain] = asyncio.Semaphore(self._concurrency)
        return sem

    async def pace(self, domain: str) -> None:
        """Wait for this domain's next sending slot (a rate limit, not synchronisation)."""
        if not self._gap:
            return
        now = self._clock()
        slot = max(now, self._next.get(domain, now))
        self._next[domain] = slot + self._gap
        if slot > now:
            await asyncio.sleep(slot - now)


class ComposerCache:
    """One Composer per campaign, built on first use; a template error halts that campaign only."""

    def __init__(self, store: Store, template_dir: str) -> None:
        self.store = store
        self.template_dir = template_dir or None
        self._composers: dict[int, Composer] = {}
        self._notify_success: dict[int, bool] = {}
        self._lock = asyncio.Lock()

    async def get(self, campaign_id: int) -> Composer:
        composer = self._composers.get(campaign_id)
        if composer is not None:
            return composer
        async with self._lock:  # a whole batch asks at once: build it once
            return await self._build(campaign_id)

    async def _build(self, campaign_id: int) -> Composer:
        composer = self._composers.get(campaign_id)
        if composer is None:
            rec = await self.store.get_campaign_by_id(campaign_id)
            templates = TemplateSet.for_campaign(rec.campaign, self.template_dir)
            composer = Composer(rec.campaign, templates)
            self._composers[campaign_id] = composer
            self._notify_success[campaign_id] = rec.campaign.delivery_proof
        return composer

    def notify_success(self, campaign_id: int) -> bool:
        return self._notify_success.get(campaign_id, False)

    def forget(self) -> None:
        """Drop cached composers (after SIGHUP or a campaign update)."""
        self._composers.clear()
        TemplateSet.clear_cache()


@dataclass
class SendStats:
    sent: int = 0
    deferred: int = 0
    bounced: int = 0
    failed: int = 0
    by_reason: dict[str, int] = field(default_factory=dict)

    def add(self, outcome: SendOutcome) -> None:
        setattr(self, outcome.result, getattr(self, outcome.result) + 1)
        if outcome.reason:
            self.by_reason[outcome.reason] = self.by_reason.get(outcome.reason, 0) + 1


def outcome_for_reply(claim: Claim, reply: Reply, now: datetime, retry: RetryPolicy, rng: random.Random,
                      message_id: str, until: datetime | None = None) -> SendOutcome:  # fmt: skip
    """Pure: what one relay answer means for the message and the respondent."""
    if reply.ok:
        return SendOutcome(claim, "sent", reply.code, reply.text, message_id)
    if reply.permanent:
        reason = (
            replies.reason_for_reply(reply.code, reply.text, stage=reply.stage, recipient=claim.email)
            or "rejected"
        )
        if reply.stage == "mail":
            return SendOutcome(claim, "failed", reply.code, reply.text, message_id, reason=reason)
        return SendOutcome(claim, "bounced", reply.code, reply.text, message_id, reason=reason,
                           hard=reasons.is_hard(reason))  # fmt: skip
    # a 4xx at RCPT is the recipient's side saying "later": it carries a reason and counts towards the
    # [bounce] threshold; a 4xx elsewhere (our relay busy, the connection lost) says nothing about them
    soft: str | None = None
    if reply.stage == "rcpt":
        soft = (
            replies.reason_for_reply(reply.code, reply.text, stage="rcpt", recipient=claim.email) or "onhold"
        )
    return deferred_outcome(claim, reply.code, reply.text, now, retry, rng, message_id, until, soft)


def deferred_outcome(claim: Claim, code: int | None, text: str, now: datetime, retry: RetryPolicy,
                     rng: random.Random, message_id: str | None = None, until: datetime | None = None,
                     reason: str | None = None) -> SendOutcome:  # fmt: skip
    """A temporary failure: try again with back-off until ``until`` (the campaign's close)."""
    first = claim.first_attempt_at or now
    nxt = retry.next_attempt(claim.attempts + 1, first, now, rng, until)
    if nxt is None:
        return SendOutcome(claim, "failed", code, f"gave up after {claim.attempts + 1} attempts: {text}",
                           message_id, reason="expired")  # fmt: skip
    return SendOutcome(claim, "deferred", code, text, message_id, next_attempt=nxt, reason=reason)


def within_window(outcome: SendOutcome, campaign: Timed) -> SendOutcome:
    """Pure: a retry over the whole campaign goes in its send window (working hours), like every mail;
    with no window left before the close it is given up now."""
    nxt = outcome.next_attempt
    if outcome.result != "deferred" or nxt is None or in_window(campaign, nxt):
        return outcome
    opens = next_window_open(campaign, nxt)
    if opens is None:
        return replace(outcome, result="failed", next_attempt=None, reason="expired",
                       reply=f"gave up: no send window left before the campaign closes: {outcome.reply}")  # fmt: skip
    return replace(outcome, next_attempt=opens)


class Sender:
    """Claims and sends until nothing is due; `run_once` is what the scheduler wakes."""

    def __init__(self, store: Store, cfg: Config, owner: str, *, now: Callable[[], datetime],
                 pool: RelayPool | None = None, rng: random.Random | None = None,
                 metrics: SendCounter | None = None) -> None:  # fmt: skip
        self.store = store
        self.cfg = cfg
        self.owner = owner
        self.now = now
        self.pool = pool or RelayPool(cfg.smtp)
        self.rng = rng or random.Random()
        s = cfg.smtp
        self.retry = RetryPolicy(
            base=timedelta(seconds=s.retry_base_s),
            max_delay=timedelta(seconds=max(s.retry_max_delay_s, s.retry_base_s)),
            max_age=timedelta(hours=s.retry_max_age_h) if s.retry_max_age_h > 0 else None,
        )
        self.bounces = TransientBouncePolicy(
            cfg.bounce.transient_threshold, timedelta(days=cfg.bounce.transient_period_days)
        )  # a 4xx at RCPT on enough days makes the address bounced, as soft bounces do
        self.limiter = DomainLimiter(s.per_domain_concurrency, s.per_domain_rate_per_min)
        self.composers = ComposerCache(store, cfg.daemon.template_dir)
        self.stats = SendStats()
        self.metrics = metrics
        self.stopping = asyncio.Event()

    async def close(self) -> None:
        await self.pool.close()

    async def run_once(self) -> int:
        """Send everything due now, batch after batch; returns how many messages were handled.

        The next batch is claimed while the last messages of this one are on the wire, so the relay
        connections never wait for the database between batches; one recorder writes the answers of
        all of them, so the duplicate bound (2 x record_every + connections) holds across batches."""
        batches: list[asyncio.Task[int]] = []
        recorder = _Recorder(self.store, self.now, self.cfg.smtp.record_every, bounces=self.bounces)
        halted: set[int] = set()  # campaigns stopped by a template error, for every batch of this run
        try:
            while not self.stopping.is_set():
                claims = await self.store.claim(
                    self.owner, self.cfg.smtp.batch_size, self.now(), timedelta(seconds=self.cfg.smtp.lease_s)
                )
                if not claims:
                    break
                low = asyncio.Event()
                task = asyncio.create_task(
                    self._send_batch(claims, recorder, halted, low), name="sender.batch"
                )
                batches.append(task)
                waiter = asyncio.create_task(low.wait())
                try:
                    await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
                finally:
                    waiter.cancel()
                if task.done() and task.exception() is not None:
                    break
        except BaseException:  # cancelled: the batches stop too (the recorder still writes)
            for t in batches:
                t.cancel()
            raise
        finally:
            results = await asyncio.gather(*batches, return_exceptions=True)
            await recorder.close()
        for r in results:
            if isinstance(r, BaseException):
                raise r
        return sum(r for r in results if isinstance(r, int))

    async def _send_batch(
        self, claims: list[Claim], recorder: _Recorder, halted: set[int], low: asyncio.Event | None = None
    ) -> int:
        """Send one claimed batch; ``low`` is set once no more than ``connections`` of its messages
        are unfinished (time to claim the next batch)."""
        started = time.monotonic()
        outcomes: list[SendOutcome] = []
        unsent: list[int] = []
        unfinished = len(claims)
        low_water = max(1, self.cfg.smtp.connections)

        async def one(claim: Claim) -> None:
            nonlocal unfinished
            domain = claim.email.rsplit("@", 1)[-1].casefold()
            # composed only when the domain has a slot: a batch composed up front would stall the loop
            async with self.limiter.semaphore(domain):
                outcome = await self._compose_and_send(claim, domain, halted, unsent)
            unfinished -= 1
            if low is not None and unfinished <= low_water:
                low.set()
            if outcome is not None:
                outcomes.append(outcome)
                recorder.add(outcome)  # recorded as we go: a crash can only resend what is not yet written

        await asyncio.gather(*(one(c) for c in claims))
        now = self.now()
        if unsent:
            await self.store.release(self.owner, unsent, now)
        for o in outcomes:
            self.stats.add(o)
            self._count(o)
            _log_outcome(o)
        log.info(
            "sender.batch claimed=%d sent=%d deferred=%d bounced=%d failed=%d released=%d duration=%.3fs",
            len(claims), sum(o.result == "sent" for o in outcomes), sum(o.result == "deferred" for o in outcomes),
            sum(o.result == "bounced" for o in outcomes), sum(o.result == "failed" for o in outcomes),
            len(unsent), time.monotonic() - started,
        )  # fmt: skip
        return len(outcomes)

    async def _compose_and_send(self, claim: Claim, domain: str, halted: set[int],
                                unsent: list[int]) -> SendOutcome | None:  # fmt: skip
        """One message: None when it was not sent (halted campaign, stopping) and goes back."""
        if claim.campaign_id in halted or self.stopping.is_set():
            unsent.append(claim.outbox_id)
            return None
        try:
            composer = await self.composers.get(claim.campaign_id)
            msg = composer.compose(
                Recipient(
                    claim.token, claim.email, claim.full_name, claim.honorific, claim.title, claim.agency_name
                ),  # fmt: skip
                claim.kind,
            )
        except TemplateError as exc:
            if claim.campaign_id not in halted:
                halted.add(claim.campaign_id)
                log.error("campaign.halted campaign_id=%s reason=%s", claim.campaign_id, exc)
                await self.store.halt_campaign(claim.campaign_id, str(exc), self.now())
            unsent.append(claim.outbox_id)
            return None
        except MaildaemonError as exc:  # a bad address or token: this message cannot be built
            return SendOutcome(claim, "failed", None, str(exc), reason="syntaxerror")
        await self.limiter.pace(domain)
        return within_window(await self._transmit(claim, msg, composer.campaign.closes), composer.campaign)

    def _count(self, o: SendOutcome) -> None:
        if self.metrics is not None:
            self.metrics.count_send(o.result, o.claim.kind.split("-")[0], o.reason or "")

    async def _transmit(self, claim: Claim, msg: Outgoing, closes: datetime | None = None) -> SendOutcome:
        try:
            async with self.pool.connection() as conn:
                reply = await conn.send(msg, notify_success=self.composers.notify_success(claim.campaign_id))
        except TransientError as exc:
            self.pool.last_error = str(exc)
            return deferred_outcome(
                claim, exc.code, str(exc), self.now(), self.retry, self.rng, msg.message_id, closes
            )
        except PermanentError as exc:
            self.pool.last_error = str(exc)
            return SendOutcome(claim, "failed", exc.code, str(exc), msg.message_id, reason="rejected")
        return outcome_for_reply(claim, reply, self.now(), self.retry, self.rng, msg.message_id, closes)


class _Recorder:
    """Group commit of relay answers: a transaction once ``every`` answers are waiting (or the oldest
    has waited ``max_delay_s``), and whatever arrives while one is being written goes into the next.
    So the database keeps up with the relay at a few dozen answers per transaction, and a crash loses
    the record of (and so resends) at most 2 x ``every`` answers plus those in flight."""

    def __init__(self, store: Store, now: Callable[[], datetime], every: int = 20,
                 max_delay_s: float = 0.5, bounces: TransientBouncePolicy | None = None) -> None:  # fmt: skip
        self.store = store
        self.bounces = bounces
        self.now = now
        self.every = max(1, every)
        self.max_delay_s = max_delay_s
        self.pending: list[SendOutcome] = []
        self.wake = asyncio.Event()
        self.closing = False
        self.task = asyncio.create_task(self._run(), name="sender.recorder")

    def add(self, outcome: SendOutcome) -> None:
        self.pending.append(outcome)
        if len(self.pending) >= self.every:
            self.wake.set()

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        oldest: float | None = None
        while True:
            if not self.pending:
                if self.closing:
                    return
                oldest = None
                await self.wake.wait()
                self.wake.clear()
                continue
            if len(self.pending) < self.every and not self.closing:
                oldest = oldest if oldest is not None else loop.time()
                left = oldest + self.max_delay_s - loop.time()
                if left > 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self.wake.wait(), left)
                    self.wake.clear()
                    continue
            batch, self.pending, oldest = self.pending, [], None
            try:
                if self.bounces is None:
                    await self.store.record_outcomes(batch, self.now())
                else:
                    await self.store.record_outcomes(batch, self.now(), self.bounces)
            except StoreError:
                log.exception("sender.record_failed count=%d (leases expire; messages will be retried)",
                              len(batch))  # fmt: skip
                raise

    async def close(self) -> None:
        """Write what is left; shielded so a cancelled sender still records what the relay accepted."""
        self.closing = True
        self.wake.set()
        await asyncio.shield(self.task)


def _log_outcome(o: SendOutcome) -> None:
    c = o.claim
    if o.result == "sent":
        log.debug("mail.sent kind=%s to=%s reply=%s %s", c.kind, c.email, o.code, o.reply)
    elif o.result == "deferred":
        log.info("mail.deferred kind=%s to=%s next=%s reply=%s %s", c.kind, c.email,
                 o.next_attempt.isoformat() if o.next_attempt else "-", o.code, o.reply)  # fmt: skip
    else:
        log.warning("mail.%s kind=%s to=%s reason=%s reply=%s %s", o.result, c.kind, c.email, o.reason,
                    o.code, o.reply)  # fmt: skip
