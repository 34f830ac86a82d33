"""Where each inbound message sits in the mailbox, and which ones the watcher must refile: mail tied to a
person by hand was filed as unattributed, and its new outcome asks for another folder. The database says
where a message should be (``moved_to``) and where the watcher last saw it (``folder``, ``uidvalidity``,
``uid``); only the watcher talks IMAP, and it records each move here once done."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import and_, bindparam, or_, select, update

from maildaemon.core import assignment
from maildaemon.inbound.sink import Location, Refile
from maildaemon.store import tables
from maildaemon.store.base import StoreBase

IN = tables.inbound
REFILE_BATCH = 500  # per watcher round; the rest waits for the next one


class FilingOps(StoreBase):
    async def refiles_due(self, folders: Mapping[str, str], *, limit: int = REFILE_BATCH) -> list[Refile]:
        """Messages tied by hand whose outcome's folder (``folders``: outcome key -> IMAP folder) is not
        the one they were last seen in, oldest first. A message whose UID is unknown (gone from the
        mailbox, or moved by a server that does not say where) is not due: there is nothing to move."""
        misplaced = [and_(IN.c.moved_to == key, IN.c.folder != name) for key, name in folders.items()]
        if not misplaced:
            return []
        q = (
            select(
                IN.c.id,
                IN.c.folder,
                IN.c.uidvalidity,
                IN.c.uid,
                IN.c.moved_to,
                IN.c.message_id,
                IN.c.content_hash,
            )  # fmt: skip
            .where(IN.c.attributed_by == assignment.ATTRIBUTED_BY, IN.c.uid.is_not(None), or_(*misplaced))
            .order_by(IN.c.id)
            .limit(limit)
        )
        async with self.tx() as conn:
            rows = (await conn.execute(q)).all()
        return [
            Refile(
                int(r.id),
                r.folder,
                None if r.uidvalidity is None else int(r.uidvalidity),
                int(r.uid),
                r.moved_to,
                r.message_id,
                r.content_hash,
            )  # fmt: skip
            for r in rows
        ]

    async def record_locations(self, where: Mapping[int, Location]) -> None:
        """The watcher moved (or found) these messages: each one's folder and UID there, in one transaction."""
        if not where:
            return
        statement = (
            update(IN)
            .where(IN.c.id == bindparam("row_id"))
            .values(
                folder=bindparam("at_folder"),
                uidvalidity=bindparam("at_uidvalidity"),
                uid=bindparam("at_uid"),
            )
        )
        rows = [
            {
                "row_id": inbound_id,
                "at_folder": loc.folder,
                "at_uidvalidity": loc.uidvalidity,
                "at_uid": loc.uid,
            }
            for inbound_id, loc in where.items()
        ]
        async with self.tx() as conn:
            await conn.execute(statement, rows)  # one executemany
