"""One digest sent under a claim, for both kinds (the operators' and the focal points'): claimed in its
own transaction first, so of several daemons on one database only one sends it; released on a transient
failure, so the next round (of any daemon) sends it; a refusal for good is kept for the day and logged
once, instead of being tried again every round. A claim is a lease (``[smtp] lease_s``, the outbox's): one
left unsettled by a daemon that stopped mid-send is taken over once the lease has run out."""

from __future__ import annotations

import logging
import os
import socket
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from email.message import EmailMessage

from maildaemon.config import SmtpConfig
from maildaemon.errors import PermanentError, TransientError
from maildaemon.outbound.mailer import RelayPool
from maildaemon.store import Store

log = logging.getLogger(__name__)
# A daemon's own lease when none is given (tests, tools): the outbox's default, [smtp] lease_s.
DEFAULT_LEASE = timedelta(seconds=SmtpConfig().lease_s)


def default_owner() -> str:
    """Who holds a claim, for people reading the table: this host and process."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True, slots=True)
class DigestKey:
    """Which digest: the unique key of its claim."""

    campaign_id: int
    kind: str  # store.digests.OPERATORS | FOCAL
    agency_id: int  # 0 for the operators' digest
    day: date


async def send_claimed(
    store: Store, pool: RelayPool, key: DigestKey, msg: EmailMessage, sender: str, recipients: list[str], *,
    owner: str, label: str, now: datetime, lease: timedelta = DEFAULT_LEASE,
) -> bool:  # fmt: skip
    """Claim, send, settle; True when this call sent it. Another daemon's claim, a transient failure (the
    claim released) and a refusal (kept, ``refused``) are False; none of them raises, so one digest's
    trouble neither holds up the others nor stops the loop. Any other error leaves the claim held: a
    digest that may have gone out is not sent again until the claim's ``lease`` has run out (then the
    next round of any daemon takes it over: at worst one duplicate, never a lost digest)."""
    k = key
    if not await store.claim_digest(
        k.campaign_id, k.kind, k.agency_id, k.day, owner=owner, now=now, lease=lease
    ):
        return False
    started = time.monotonic()
    to = ", ".join(recipients)
    try:
        async with pool.connection() as conn:
            reply = await conn.send_message(msg, sender, recipients)
    except TransientError as exc:
        await store.release_digest(k.campaign_id, k.kind, k.agency_id, k.day, owner=owner)
        log.warning("digest.deferred kind=%s campaign_id=%s for=%s day=%s error=%s", k.kind, k.campaign_id, label,
                    k.day, exc)  # fmt: skip
        return False
    except PermanentError as exc:
        await store.settle_digest(k.campaign_id, k.kind, k.agency_id, k.day, state="refused",
                                  detail=f"{label} to {to}: refused: {exc}", owner=owner, now=now)  # fmt: skip
        log.warning("digest.refused kind=%s campaign_id=%s for=%s day=%s error=%s (not tried again that day)",
                    k.kind, k.campaign_id, label, k.day, exc)  # fmt: skip
        return False
    await store.settle_digest(k.campaign_id, k.kind, k.agency_id, k.day, state="sent",
                              detail=f"{label} to {to}: {reply}", owner=owner, now=now)  # fmt: skip
    log.info("digest.sent kind=%s campaign_id=%s for=%s day=%s duration_ms=%d", k.kind, k.campaign_id, label, k.day,
             (time.monotonic() - started) * 1000)  # fmt: skip
    return True
