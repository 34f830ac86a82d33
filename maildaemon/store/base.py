"""Store plumbing shared by the domain operations: transactions, error conversion, and the one
function that changes a respondent's state and writes its event row in the same transaction."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Self

from sqlalchemy import insert
from sqlalchemy.exc import DBAPIError, OperationalError, SQLAlchemyError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from maildaemon.core.model import Completion, Delivery, can_move_completion, can_move_delivery
from maildaemon.errors import StoreError
from maildaemon.store import migrations, tables
from maildaemon.store.bulk import insert_rows, update_rows
from maildaemon.store.engine import READ_ONLY, create_engine, safe_url

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Change:
    """A requested respondent change; None fields stay as they are."""

    respondent_id: int
    campaign_id: int
    old_delivery: str
    old_completion: str
    delivery: str | None = None
    completion: str | None = None
    source: str = ""
    detail: str = ""
    values: tuple[tuple[str, Any], ...] = ()  # extra respondent columns to set


class StoreBase:
    def __init__(self, url: str) -> None:
        self.url = url
        self.engine: AsyncEngine = create_engine(url)
        self.dialect = self.engine.dialect.name

    @property
    def safe_url(self) -> str:
        return safe_url(self.url)

    async def close(self) -> None:
        """Release the connection pool; ``async with`` does this on the way out, even after an error."""
        await self.engine.dispose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    @contextlib.asynccontextmanager
    async def tx(self, *, read: bool = False) -> AsyncIterator[AsyncConnection]:
        """One transaction; database errors become StoreError (the URL's password never shown).
        ``read``: it only reads, so on SQLite it takes no write lock (see engine._sqlite_begin)."""
        try:
            async with self.engine.connect() as conn:
                if read:
                    await conn.execution_options(**{READ_ONLY: True})
                async with conn.begin():
                    yield conn
        except OperationalError as exc:
            raise StoreError(f"database {self.safe_url} unavailable: {_first_line(exc)}") from exc
        except DBAPIError as exc:
            raise StoreError(f"database error on {self.safe_url}: {_first_line(exc)}") from exc
        except (OSError, ConnectionError) as exc:
            raise StoreError(f"cannot reach database {self.safe_url}: {exc}") from exc
        except SQLAlchemyError as exc:
            raise StoreError(f"database error on {self.safe_url}: {_first_line(exc)}") from exc

    async def refresh_statistics(self) -> None:
        """Let the query planner see the respondents as they now are (after a roster import): SQLite
        keeps no statistics of its own, and without them it walks a whole campaign's name index to
        find one unit's bounced people. ANALYZE of that table: ~0.1 s at 100k respondents."""
        async with self.tx() as conn:
            await conn.exec_driver_sql("ANALYZE respondents")

    async def init_schema(self) -> bool:
        """Create or upgrade the schema to the newest migration; False if it was there already."""
        return any(step.action == "upgrade" for step in await migrations.upgrade(self))

    async def schema_version(self) -> int | None:
        return await migrations.current_version(self)

    async def require_schema(self) -> None:
        await migrations.require_current(self, self.safe_url)


def _first_line(exc: BaseException) -> str:
    orig = getattr(exc, "orig", None) or exc
    return str(orig).strip().splitlines()[0] if str(orig).strip() else type(orig).__name__


async def apply_changes(
    conn: AsyncConnection,
    changes: Sequence[Change],
    now: datetime,
    other_events: Sequence[dict[str, Any]] = (),
) -> int:
    """Apply respondent changes and write one event row per changed field, in ``conn``'s transaction.

    ``other_events`` (outbox moves, notes) go into the same insert. Impossible transitions are
    refused loudly (a bug, not data). Returns the number of state-change events.
    """
    event_rows: list[dict[str, Any]] = []
    updates: list[dict[str, Any]] = []
    for ch in changes:
        values: dict[str, Any] = dict(ch.values)
        if ch.delivery is not None and ch.delivery != ch.old_delivery:
            if not can_move_delivery(Delivery(ch.old_delivery), Delivery(ch.delivery)):
                raise StoreError(
                    f"respondent {ch.respondent_id}: delivery {ch.old_delivery} -> {ch.delivery} not allowed"
                )
            values["delivery"] = ch.delivery
            event_rows.append(_event(ch, "delivery", ch.old_delivery, ch.delivery, now))
        if ch.completion is not None and ch.completion != ch.old_completion:
            if not can_move_completion(Completion(ch.old_completion), Completion(ch.completion)):
                raise StoreError(
                    f"respondent {ch.respondent_id}: completion {ch.old_completion} -> {ch.completion} "
                    "not allowed"
                )
            values["completion"] = ch.completion
            event_rows.append(_event(ch, "completion", ch.old_completion, ch.completion, now))
        if not values:
            continue
        values["updated_at"] = now
        values["id"] = ch.respondent_id
        updates.append(values)
    await update_rows(conn, tables.respondents, "id", updates)
    await insert_rows(conn, tables.events, [*other_events, *event_rows])
    return len(event_rows)


def _event(ch: Change, field: str, old: str, new: str, now: datetime) -> dict[str, Any]:
    return {
        "at": now,
        "campaign_id": ch.campaign_id,
        "respondent_id": ch.respondent_id,
        "field": field,
        "old_value": old,
        "new_value": new,
        "source": ch.source,
        "detail": ch.detail[:2000],
    }


async def add_event(
    conn: AsyncConnection,
    *,
    now: datetime,
    campaign_id: int | None,
    respondent_id: int | None,
    field: str,
    old: str | None,
    new: str | None,
    source: str,
    detail: str = "",
) -> None:
    """An event that is not a respondent state change (outbox moves, campaign pause, notes)."""
    await conn.execute(
        insert(tables.events).values(
            at=now,
            campaign_id=campaign_id,
            respondent_id=respondent_id,
            field=field,
            old_value=old,
            new_value=new,
            source=source,
            detail=detail[:2000],
        )
    )
