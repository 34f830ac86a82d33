"""Operator use cases behind the CLI: each opens what it needs, does one job, returns data.

The CLI formats; these functions decide. They take ``now`` from one place so tests can pin it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from maildaemon.config import CheckerConfig, Config
from maildaemon.core.campaign import load_campaign
from maildaemon.intake.roster import Reject, RosterReader, RosterRow, write_rejects
from maildaemon.operations.reimport import CorrectionChecks, check_corrections, find_corrections
from maildaemon.operations.respondents import resend_time
from maildaemon.store import CampaignRecord, ImportSummary, Store

log = logging.getLogger(__name__)


def utcnow() -> datetime:
    return datetime.now(UTC)


@contextlib.asynccontextmanager
async def open_store(cfg: Config, *, ready: bool = True) -> AsyncIterator[Store]:
    """The configured store for one command, closed on the way out.

    With ``ready`` (the default) the schema must be there; the embedded SQLite default is created
    on first use, so a new operator's first command just works. ``db init`` opens it unready.
    """
    async with Store(cfg.database_url) as store:
        if ready:
            await _make_ready(store)
        yield store


async def _make_ready(store: Store) -> None:
    if store.dialect == "sqlite" and await store.schema_version() is None:
        await store.init_schema()
        log.info("db.init url=%s (created on first use)", store.safe_url)
    await store.require_schema()


async def create_campaign(store: Store, path: Path, *, update: bool = False) -> tuple[CampaignRecord, bool]:
    """Create (or with ``update`` replace) a campaign from its file; returns (record, created)."""
    campaign, text = load_campaign(path)
    now = utcnow()
    created = True
    if update:
        names = {r.name for r in await store.list_campaigns()}
        if campaign.name in names:
            await store.update_campaign(campaign, text, now)
            created = False
        else:
            await store.create_campaign(campaign, text, now)
    else:
        await store.create_campaign(campaign, text, now)
    return await store.get_campaign(campaign.name), created


@dataclass
class ImportResult:
    summary: ImportSummary
    rejects: list[Reject] = field(default_factory=list)
    rejects_path: Path | None = None
    encoding: str | None = None
    delimiter: str | None = None
    header_line: int = 0
    columns: tuple[tuple[str, str], ...] = ()
    key_column: str | None = None  # the column people are matched by across imports
    checks: CorrectionChecks = field(default_factory=CorrectionChecks)  # the corrected addresses' checks


async def import_roster(
    store: Store,
    campaign_name: str,
    path: Path,
    sheet: str | None = None,
    *,
    allow_test_domains: bool = False,
    now: datetime | None = None,
    checker: CheckerConfig | None = None,
    skip_check: str = "",
    anyway: bool = False,
) -> ImportResult:
    """Read a roster file and upsert its people in one transaction; rejects go beside the file.
    ``now`` is the import's time (default: the clock; the demo passes its simulated one). An address a
    re-import corrects is checked first as `respondent correct` checks it (``checker``, ``skip_check``,
    ``anyway`` as there): a mailbox that cannot exist leaves its row out, as a reject."""
    record = await store.get_campaign(campaign_name)
    rejects: list[Reject] = []
    now = now or utcnow()
    changes = await find_corrections(
        store, record.id, path, sheet=sheet, allow_test_domains=allow_test_domains
    )
    checked = await check_corrections(
        store, record, changes, now, checker=checker, allow_test_domains=allow_test_domains,
        skip_check=skip_check, anyway=anyway,
    )  # fmt: skip
    with RosterReader(path, sheet=sheet, allow_test_domains=allow_test_domains) as reader:

        def rows() -> Iterator[RosterRow]:
            for item in reader:
                if isinstance(item, Reject):
                    rejects.append(item)
                elif (why := checked.refused.get(item.line)) is not None:
                    rejects.append(Reject(item.line, why, item.raw))
                else:
                    yield item

        when = resend_time(record.campaign, now)  # None once closed: a corrected address gets nothing
        summary = await store.import_roster(
            record.id, record.campaign.province, rows(), now, source=path.name, resend_at=when,
            requeue=when is not None, checks=checked.checks,
        )  # fmt: skip
        await store.refresh_statistics()  # the console's queries plan on the roster as it now is
        result = ImportResult(
            summary,
            rejects,
            encoding=reader.encoding,
            delimiter=reader.delimiter,
            header_line=reader.header_line,
            columns=reader.columns,
            key_column=reader.key_column,
            checks=checked,
        )
    result.rejects_path = write_rejects(path, rejects)
    log.info(
        "import.done campaign=%s file=%s imported=%d updated=%d unchanged=%d rejected=%d corrected=%d "
        "corrections_refused=%d",
        campaign_name, path, summary.imported, summary.updated, summary.unchanged, len(rejects), summary.corrected,
        len(checked.refused),
    )  # fmt: skip
    return result
