"""Completion by import: a survey platform's export (LimeSurvey, Google Forms, or any table with a
token or an email column) marks respondents completed. Idempotent; every row not used is written,
with its line and reason, to ``<file>.rejects.csv`` beside the input.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from maildaemon.errors import InputError
from maildaemon.intake.roster import Reject, write_rejects
from maildaemon.intake.tabular import Record, Table, clean_text, fold
from maildaemon.store import Store

log = logging.getLogger(__name__)

# Header keys (see tabular.fold) of the columns we use, as LimeSurvey, Google Forms and operators name them.
TOKEN_KEYS = frozenset({"token", "accesscode", "macode", "makhaosat", "maphieu", "matoken", "surveytoken",
                        "mathamgia", "participanttoken"})  # fmt: skip
EMAIL_KEYS = frozenset({"email", "emailaddress", "diachiemail", "thudientu", "hopthucongvu", "mail", "e-mail",
                        "diachithudientu"})  # fmt: skip
SUBMITTED_KEYS = frozenset({"submitdate", "datesubmitted", "ngaynop", "ngayhoanthanh", "thoigiannop",
                            "completed", "hoanthanh"})  # fmt: skip
_TOKEN_RE = re.compile(r"^[a-z2-7]{26}$")


@dataclass(frozen=True, slots=True)
class CompletionRow:
    line: int
    token: str
    email: str
    when: str  # the platform's submit time as written, for the event detail


@dataclass
class CompletionImport:
    completed: int = 0
    already: int = 0
    rejects: list[Reject] = field(default_factory=list)
    # Rows used but dated outside the campaign (before it opened, after the import): recorded at the
    # import time, not at their date, and named so the operator can check the export.
    warnings: list[Reject] = field(default_factory=list)
    rejects_path: Path | None = None
    source_format: str = ""


def _is_header(cells: Sequence[str]) -> bool:
    keys = {fold(c) for c in cells}
    return bool(keys & TOKEN_KEYS or keys & EMAIL_KEYS)


def _column(keys: list[str], wanted: frozenset[str]) -> int | None:
    return next((i for i, k in enumerate(keys) if k in wanted), None)


def read_completions(table: Table) -> Iterator[CompletionRow | Reject]:
    """Rows of an open export: a token or an email each; LimeSurvey rows without a submit date
    are incomplete responses and are rejected as such."""
    header = table.header
    if header is None:
        raise InputError(f"{table.path}: no token or email column (looked for 'token', 'Email Address', ...)")
    keys = [fold(c) for c in header.cells]
    token_i, email_i, submit_i = (
        _column(keys, TOKEN_KEYS),
        _column(keys, EMAIL_KEYS),
        _column(keys, SUBMITTED_KEYS),
    )
    for rec in table:
        if rec.blank:
            continue
        yield _row(rec, token_i, email_i, submit_i)


def _row(
    rec: Record, token_i: int | None, email_i: int | None, submit_i: int | None
) -> CompletionRow | Reject:
    def cell(i: int | None) -> str:
        return clean_text(rec.cells[i]) if i is not None and i < len(rec.cells) else ""

    token, email, submitted = cell(token_i).lower(), cell(email_i), cell(submit_i)
    if submit_i is not None and not submitted:
        return Reject(rec.line, "response not completed (no submit date)", rec.raw)
    if token and not _TOKEN_RE.match(token):
        if not email:
            return Reject(rec.line, f"not a maildaemon token: {token[:40]!r}", rec.raw)
        token = ""
    if not token and "@" not in email:
        return Reject(rec.line, "no token and no email address", rec.raw)
    return CompletionRow(rec.line, token, email, submitted)


_DATE_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d", "%d/%m/%Y %H:%M:%S",
                 "%d/%m/%Y %H:%M", "%d/%m/%Y", "%d-%m-%Y %H:%M:%S", "%d.%m.%Y %H:%M:%S")  # fmt: skip


def parse_submitted(text: str, tz: str) -> datetime | None:
    """A platform's submit time (LimeSurvey ISO, Google Forms dd/mm/yyyy in Vietnam), in ``tz`` when
    it carries no offset; None when it is no date we know."""
    text = text.strip()
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        at = None
        for fmt in _DATE_FORMATS:
            try:
                at = datetime.strptime(text, fmt)
                break
            except ValueError:
                continue
    if at is None:
        return None
    return at if at.tzinfo is not None else at.replace(tzinfo=ZoneInfo(tz))


def completion_time(when: str, opens: datetime, now: datetime, tz: str) -> tuple[datetime, str]:
    """When a completion is recorded: its submit time when that lies in the campaign so far, else
    ``now``, with the reason the date was not used ("" when it was, or when there is none)."""
    at = parse_submitted(when, tz)
    if at is None:
        return now, f"submit date {when!r} not understood" if when.strip() else ""
    if at < opens:
        shown = opens.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M")
        return (
            now,
            f"submitted {when}, before the campaign opened ({shown} {tz}); recorded at the import time",
        )
    if at > now:
        return now, f"submitted {when}, in the future; recorded at the import time"
    return at, ""


async def import_completions(
    store: Store, campaign: str, path: Path, sheet: str | None = None, *, now: datetime | None = None
) -> CompletionImport:
    """Mark the export's respondents completed (``now`` defaults to the wall clock); rejects go beside it."""
    rec = await store.get_campaign(campaign)
    out = CompletionImport()
    now = now or datetime.now(UTC)
    with Table(path, sheet=sheet, is_header=_is_header) as table:
        out.source_format = table.format
        for row in read_completions(table):
            if isinstance(row, Reject):
                out.rejects.append(row)
                continue
            detail = f"{path.name}:{row.line}" + (f" submitted {row.when}" if row.when else "")
            at, doubt = completion_time(row.when, rec.campaign.opens, now, rec.campaign.timezone)
            if row.token:
                result = await store.mark_completed(now=at, source="import", detail=detail, token=row.token,
                                                    campaign_id=rec.id)  # fmt: skip
            else:
                result = await store.mark_completed(now=at, source="import", detail=detail, campaign_id=rec.id,
                                                    email=row.email)  # fmt: skip
            if doubt and result == "completed":
                out.warnings.append(Reject(row.line, doubt, ""))
            if result == "completed":
                out.completed += 1
            elif result == "already":
                out.already += 1
            else:
                what = f"token {row.token}" if row.token else f"address {row.email}"
                out.rejects.append(Reject(row.line, f"unknown {what} in campaign {rec.name}", ""))
    out.rejects_path = write_rejects(path, out.rejects)
    log.info("completions.import campaign=%s file=%s completed=%d already=%d rejected=%d dated_outside=%d",
             rec.name, path, out.completed, out.already, len(out.rejects), len(out.warnings))  # fmt: skip
    return out
