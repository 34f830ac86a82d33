"""Schema migrations (Alembic, run from code: no alembic.ini) and the schema-version check.

Revisions are numbered ``0001``, ``0002``, ... so the revision is the schema version. Each
migration runs in its own transaction together with its ``alembic_version`` and ``schema_version``
rows (SQLite and PostgreSQL both have transactional DDL), so an interrupted upgrade leaves the
database at one version or the next, never between. A database made by ``db init`` before
migrations existed has no ``alembic_version`` table: it is recognised by its ``schema_version``
row and stamped as the baseline.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Protocol

from alembic.config import Config
from alembic.runtime.environment import EnvironmentContext
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from maildaemon.errors import StoreError

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).resolve().parent
VERSIONS_DIR = MIGRATIONS_DIR / "versions"
VERSION_TABLE = "alembic_version"
# Alembic says "Context impl SQLiteImpl" on every look at the version; we log one line per step instead.
logging.getLogger("alembic.runtime.migration").setLevel(logging.WARNING)


class Transactional(Protocol):
    """What the runner needs of a store: one transaction at a time, errors made readable."""

    def tx(self) -> AbstractAsyncContextManager[AsyncConnection]: ...


@dataclass(frozen=True, slots=True)
class Step:
    """One thing an upgrade did: ``stamp`` (a pre-migration database recognised) or ``upgrade``."""

    action: str
    version: int
    seconds: float


def script_directory(extra_locations: Sequence[Path] = ()) -> ScriptDirectory:
    """The packaged migrations, plus ``extra_locations`` (tests add a migration that fails)."""
    return ScriptDirectory(
        str(MIGRATIONS_DIR), version_locations=[str(VERSIONS_DIR), *map(str, extra_locations)]
    )


def revisions(script: ScriptDirectory) -> list[str]:
    """Revision ids from the baseline to the newest (the chain is linear by rule)."""
    heads = script.get_heads()
    if len(heads) != 1:
        raise StoreError(f"migrations have {len(heads)} heads; they must form one line")
    return [s.revision for s in reversed(list(script.walk_revisions()))]


def version_of(revision: str) -> int:
    try:
        return int(revision)
    except ValueError as exc:
        raise StoreError(f"database has schema revision {revision!r}, not one of maildaemon's") from exc


def newest_version() -> int:
    """The schema version this maildaemon builds and needs."""
    return version_of(revisions(script_directory())[-1])


def _stored_revision(conn: Connection) -> tuple[str | None, bool]:
    """(revision, stamped): from alembic_version, else a pre-migration schema_version row."""
    insp = inspect(conn)
    if insp.has_table(VERSION_TABLE):
        return MigrationContext.configure(conn).get_current_revision(), True
    if insp.has_table("schema_version"):
        found = conn.execute(text("SELECT MAX(version) FROM schema_version")).scalar()
        return (f"{int(found):04d}" if found is not None else None), False
    return None, False


def _next_step(
    conn: Connection, script: ScriptDirectory, target: str | None, trying: list[str]
) -> tuple[str, str] | None:
    """Do the next step towards ``target`` inside ``conn``'s transaction; None when already there.

    ``trying`` gets (current, next) so a failure can say where the database stays."""
    order = revisions(script)
    goal = target or order[-1]
    current, stamped = _stored_revision(conn)
    if current is not None and current not in order:
        raise StoreError(
            f"database has schema version {version_of(current)}, newer than this maildaemon knows "
            f"({version_of(order[-1])}): install the newer maildaemon that upgraded it"
        )
    if current is not None and not stamped:
        MigrationContext.configure(conn).stamp(script, current)
        return "stamp", current
    if current is not None and order.index(current) >= order.index(goal):
        return None
    step = order[order.index(current) + 1] if current is not None else order[0]
    trying[:] = [str(int(current)) if current else "none", str(int(step))]
    with EnvironmentContext(
        Config(), script, fn=lambda rev, _ctx: script._upgrade_revs(step, rev), destination_rev=step
    ) as env:
        # The connection is already in our transaction: Alembic runs inside it and commits nothing.
        env.configure(connection=conn, transactional_ddl=True)
        env.run_migrations()
    if (
        conn.execute(text("SELECT 1 FROM schema_version WHERE version = :v"), {"v": int(step)}).first()
        is None
    ):
        conn.execute(
            text("INSERT INTO schema_version (version, applied_at) VALUES (:v, :at)"),
            {"v": int(step), "at": datetime.now(UTC).replace(tzinfo=None)},
        )
    return "upgrade", step


async def upgrade(
    store: Transactional, *, target: str | None = None, extra_locations: Sequence[Path] = ()
) -> list[Step]:
    """Bring the database to ``target`` (default: the newest), one transaction per migration."""
    script = script_directory(extra_locations)
    steps: list[Step] = []
    while True:
        start = time.monotonic()
        trying: list[str] = []
        try:
            async with store.tx() as conn:
                done = await conn.run_sync(_next_step, script, target, trying)
        except Exception as exc:  # the transaction rolled back: the database is where it was
            if not trying:
                raise
            was, to = trying
            raise StoreError(
                f"schema upgrade to version {to} failed; the database stays at version {was}"
            ) from exc
        if done is None:
            return steps
        action, rev = done
        steps.append(Step(action, version_of(rev), time.monotonic() - start))
        log.info("db.%s version=%d duration=%.3fs", action, steps[-1].version, steps[-1].seconds)


async def current_version(store: Transactional) -> int | None:
    """The database's schema version, None where there is no maildaemon schema."""
    async with store.tx() as conn:
        rev, _ = await conn.run_sync(_stored_revision)
    return version_of(rev) if rev is not None else None


async def require_current(store: Transactional, where: str) -> None:
    """Refuse a database without our schema, or with an older or newer one, naming the fix."""
    version = await current_version(store)
    newest = newest_version()
    if version is None:
        raise StoreError(f"database {where} has no maildaemon schema: run 'maildaemon db init'")
    if version < newest:
        raise StoreError(
            f"database {where} has schema version {version}, this maildaemon needs {newest}: "
            "back it up ('maildaemon db backup FILE' or pg_dump), then run 'maildaemon db upgrade'"
        )
    if version > newest:
        raise StoreError(
            f"database {where} has schema version {version}, newer than this maildaemon ({newest}): "
            "run the maildaemon release that upgraded it"
        )
