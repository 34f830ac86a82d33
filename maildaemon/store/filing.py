"""Where each inbound message sits in the mailbox, and which ones the watcher must refile: mail tied to a
person by hand was filed as unattributed, and its new outcome asks for another folder. The database says
where a message should be (``moved_to``) and where the watcher last saw it (``folder``, ``uidvalidity``,
``uid``); only the watcher talks IMAP, and it records each move here once done. A tie made before refiling
existed left ``moved_to`` at "unattributed" whatever the message's kind: its folder is read from the kind."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import String, and_, bindparam, func, or_, select, update

from maildaemon.core import assignment
from maildaemon.inbound.sink import Location, Refile
from maildaemon.store import tables
from maildaemon.store.base import StoreBase
from maildaemon.store.inbound import OUTCOME_FOLDER

IN = tables.inbound
REFILE_BATCH = 500  # per watcher round; the rest waits for the next one


class FilingOps(StoreBase):
    async def refiles_due(self, folders: Mapping[str, str], *, limit: int = REFILE_BATCH) -> list[Refile]:
        """Messages tied by hand whose outcome's folder (``folders``: outcome key -> IMAP folder) is not
        the one they were last seen in, oldest first. A message whose UID is unknown (gone from the
        mailbox, or moved by a server that does not say where) is not due: there is nothing to move;
        except a tie from before refiling (``moved_to`` still "unattributed" for a kind filed elsewhere),
        which is due once, UID known or not: the watcher looks for it by Message-ID and content, and
        records its outcome with where it found it (or that it is gone), so it is not due again."""
        misplaced = [and_(IN.c.moved_to == key, IN.c.folder != name) for key, name in folders.items()]
        if not misplaced:
            return []
        legacy = [
            and_(IN.c.kind.in_(kinds), or_(IN.c.uid.is_(None), IN.c.folder != folders[key]))
            for key, kinds in _kinds_filed_in(folders).items()
        ]
        due = and_(IN.c.uid.is_not(None), or_(*misplaced))
        if legacy:
            due = or_(due, and_(or_(IN.c.moved_to == "unattributed", IN.c.moved_to.is_(None)), or_(*legacy)))
        q = (
            select(
                IN.c.id,
                IN.c.folder,
                IN.c.uidvalidity,
                IN.c.uid,
                IN.c.moved_to,
                IN.c.kind,
                IN.c.message_id,
                IN.c.content_hash,
                func.length(IN.c.raw).label("size"),
            )  # fmt: skip
            .where(IN.c.attributed_by == assignment.ATTRIBUTED_BY, due)
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
                None if r.uid is None else int(r.uid),
                _outcome(r.moved_to, r.kind),
                r.message_id,
                r.content_hash,
                int(r.size) if r.size else None,  # a purged message keeps no content to look for
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
                # a tie from before refiling gets the outcome it was refiled for, so it is not due again
                moved_to=func.coalesce(bindparam("at_outcome", type_=String), IN.c.moved_to),
            )
        )
        rows = [
            {
                "row_id": inbound_id,
                "at_folder": loc.folder,
                "at_uidvalidity": loc.uidvalidity,
                "at_uid": loc.uid,
                "at_outcome": loc.outcome,
            }
            for inbound_id, loc in where.items()
        ]
        async with self.tx() as conn:
            await conn.execute(statement, rows)  # one executemany


def _kinds_filed_in(folders: Mapping[str, str]) -> dict[str, list[str]]:
    """Outcome key -> the kinds filed under it, for the keys other than "unattributed" in ``folders``."""
    out: dict[str, list[str]] = {}
    for kind, key in OUTCOME_FOLDER.items():
        if key != "unattributed" and key in folders:
            out.setdefault(key, []).append(kind)
    return out


def _outcome(moved_to: str | None, kind: str) -> str:
    """Where a message tied by hand goes: ``moved_to``, or for a tie from before refiling its kind's folder."""
    if moved_to in (None, "unattributed"):
        return OUTCOME_FOLDER.get(kind, "unattributed")
    return moved_to
