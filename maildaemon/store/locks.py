"""Leadership for work only one daemon may do at a time (the IMAP watcher).

PostgreSQL: a session advisory lock held on a dedicated connection; when its daemon dies the
connection closes and another daemon takes over at its next attempt. SQLite: one daemon per file
(the run command's file lock), so the lock is always ours.
"""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncConnection

from maildaemon.store.base import StoreBase

log = logging.getLogger(__name__)


def lock_key(name: str) -> int:
    """A stable signed 64-bit key for pg_advisory_lock from a name."""
    return int.from_bytes(hashlib.sha256(f"maildaemon:{name}".encode()).digest()[:8], "big", signed=True)


class LeaderLock:
    def __init__(self, store: StoreBase, name: str) -> None:
        self.store = store
        self.name = name
        self.key = lock_key(name)
        self._conn: AsyncConnection | None = None
        self.held = store.dialect != "postgresql"

    async def try_acquire(self) -> bool:
        """True if we hold the lock now (non-blocking)."""
        if self.store.dialect != "postgresql":
            return True
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT 1"))
                return True
            except Exception:  # the connection died: the lock is gone with it
                await self._drop()
        conn = await self.store.engine.connect()
        try:
            got = bool(
                (await conn.execute(text("SELECT pg_try_advisory_lock(:k)"), {"k": self.key})).scalar()
            )
            await conn.commit()
        except Exception:
            await conn.close()
            raise
        if not got:
            await conn.close()
            self.held = False
            return False
        self._conn = conn
        self.held = True
        log.info("leader.acquired lock=%s", self.name)
        return True

    async def release(self) -> None:
        if self._conn is not None:
            try:
                await self._conn.execute(text("SELECT pg_advisory_unlock(:k)"), {"k": self.key})
                await self._conn.commit()
            finally:
                await self._drop()
            log.info("leader.released lock=%s", self.name)

    async def _drop(self) -> None:
        conn, self._conn = self._conn, None
        self.held = self.store.dialect != "postgresql"
        if conn is not None:
            try:
                await conn.close()
            except Exception as exc:  # closing a dead connection may fail; nothing to keep
                log.debug("leader.close_failed %s", exc)
