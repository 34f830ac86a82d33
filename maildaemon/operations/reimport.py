"""The mailbox checks of the addresses a roster re-import corrects (issue 16): a row that gives a known
person a new address has that mailbox checked as `respondent correct` checks it, before the import's
transaction, all the rows' probes at once under the [checker]'s per-MX politeness."""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from maildaemon.config import CheckerConfig
from maildaemon.core import corrections
from maildaemon.deliverability.check import check_result, probe_settings
from maildaemon.deliverability.probe import Prober
from maildaemon.intake.roster import RosterReader, RosterRow, email_key
from maildaemon.operations.respondents import NOT_CONFIGURED
from maildaemon.store import AddressChange, CampaignRecord, CheckTarget, Store

log = logging.getLogger(__name__)


CHUNK = 1000  # roster rows looked up per query


async def find_corrections(
    store: Store, campaign_id: int, path: Path, *, sheet: str | None = None, allow_test_domains: bool = False
) -> list[AddressChange]:
    """The rows of a roster that would give a known person a new address: only a roster with a person key
    (or token) column matches people across imports, so only such a file is read for them, once more
    before the import (a roster's key problems stop the import here, as they would there)."""
    found: list[AddressChange] = []
    if not await store.has_respondents(campaign_id):  # a first import: no second reading of a big file
        return found
    with RosterReader(path, sheet=sheet, allow_test_domains=allow_test_domains) as reader:
        if reader.key_column is None:
            return found
        rows = (item for item in reader if isinstance(item, RosterRow) and (item.key or item.token))
        while chunk := list(itertools.islice(rows, CHUNK)):
            found += await store.address_changes(campaign_id, chunk)
    return found


@dataclass
class CorrectionChecks:
    """What the checks found: ``checks`` by the new address's key, for the corrections that go ahead;
    ``refused`` by roster line, why (English, as a reject's reason), for those that do not."""

    checks: dict[str, corrections.AddressCheck] = field(default_factory=dict)
    refused: dict[int, str] = field(default_factory=dict)
    inconclusive: int = 0  # corrections let through on a check that proved nothing
    seconds: float = 0.0


async def check_corrections(
    store: Store, record: CampaignRecord, changes: Sequence[AddressChange], now: datetime, *,
    checker: CheckerConfig | None, allow_test_domains: bool = False, skip_check: str = "", anyway: bool = False,
) -> CorrectionChecks:  # fmt: skip
    """Check each corrected address (``skip_check`` says why not, and no probe runs; ``checker`` None: not
    configured). A mailbox that cannot exist refuses its row (its result kept in the address's history,
    tied to nobody), unless ``anyway``: then the correction goes ahead and its event says what was found.
    A check that proves nothing (a timeout, greylisting, a blocked probe) lets the correction through."""
    out = CorrectionChecks()
    if not changes:
        return out
    if skip_check or checker is None:
        skipped = corrections.AddressCheck(None, skip_check or NOT_CONFIGURED)
        out.checks = {email_key(c.new): skipped for c in changes}
        return out
    c = record.campaign
    settings = probe_settings(checker, f"{c.bounce_prefix}@{c.bounce_domain}", allow_test_domains)
    wanted = {email_key(ch.new): ch for ch in changes}
    history: list[tuple[CheckTarget | None, dict[str, Any], str | None]] = []
    started = time.monotonic()
    async with Prober(settings) as prober:  # domains probed concurrently, each MX within its limits
        async for probed in prober.check_many([ch.new for ch in wanted.values()]):
            change = wanted[email_key(probed.address)]
            result, row = check_result(probed), probed.to_dict()
            refused = corrections.check_refusal(change.new, result)
            if refused is not None and not anyway:
                out.refused[change.line] = (
                    f"address not corrected: {refused[1]}; the row was not imported (import with --anyway to "
                    f"correct it all the same, or --no-check)"
                )  # fmt: skip
                history.append((None, row, None))
                continue
            if result.verdict is None:
                out.inconclusive += 1
            out.checks[email_key(change.new)] = corrections.AddressCheck(result, record=row, anyway=anyway)
    out.seconds = time.monotonic() - started
    await store.record_checks(history, now)
    log.info("import.check campaign=%s corrections=%d refused=%d inconclusive=%d anyway=%s duration=%.1fs",
             record.name, len(wanted), len(out.refused), out.inconclusive, anyway, out.seconds)  # fmt: skip
    return out
