"""Refiling: mail the watcher filed as unattributed and an operator has since tied to a person by hand is
moved to the folder its new outcome asks for, by UID in the folder where the database last saw it
(UIDVALIDITY checked), and the move is recorded. A move done but not recorded (a crash between the two),
or a tie from before refiling whose UID was never recorded, is found again by Message-ID (else by size)
and content hash and recorded; a message found nowhere is recorded as gone, with why, and never retried."""

from __future__ import annotations

import hashlib
import logging
import time
from collections import defaultdict
from dataclasses import dataclass

from maildaemon.config import ImapConfig
from maildaemon.inbound.imap_session import ImapSession
from maildaemon.inbound.sink import OUTCOMES, FilingSink, Location, Refile

log = logging.getLogger(__name__)

FETCH_CHUNK = 50  # candidates (same Message-ID or size) fetched at once to compare their content


@dataclass
class RefileTally:
    moved: int = 0
    found: int = 0  # already in its folder: a move done before but not recorded
    gone: int = 0
    due: frozenset[int] = frozenset()  # the inbound ids this round was given, done or not


async def refile(
    session: ImapSession, sink: FilingSink, cfg: ImapConfig, tally: RefileTally | None = None
) -> RefileTally:
    """Move every message the store says is due, record where each went; leaves some folder selected.
    ``tally`` (the caller's, to read after an error) says what was due and done."""
    started = time.monotonic()
    folders = {key: getattr(cfg.folders, key) for key in OUTCOMES}
    tally = RefileTally() if tally is None else tally
    due = await sink.refiles_due(folders)
    tally.due = frozenset(r.inbound_id for r in due)
    if not due:
        return tally
    by_source: dict[str, list[Refile]] = defaultdict(list)
    missing: list[Refile] = []
    for row in due:
        if row.uid is None:  # a tie from before refiling, recorded gone by a release that could not look
            missing.append(row)
        else:
            by_source[row.folder].append(row)

    for source, rows in by_source.items():
        uidvalidity = await session.select_existing(source)
        same = {r.uid: r for r in rows if uidvalidity is not None and r.uidvalidity == uidvalidity}
        here = await session.present([uid for uid in same if uid is not None])
        by_target: dict[str, list[Refile]] = defaultdict(list)
        for row in rows:
            if row.uid in here and same.get(row.uid) is row:
                by_target[folders[row.outcome]].append(row)
            else:
                missing.append(row)
        for target, group in by_target.items():
            await _move(session, sink, group, target)
            tally.moved += len(group)
    for row in missing:
        tally.found += await _find_again(session, sink, row, folders)
    tally.gone = len(missing) - tally.found
    log.info("watcher.refile due=%d moved=%d found=%d gone=%d in %.2fs", len(due), tally.moved, tally.found,
             tally.gone, time.monotonic() - started)  # fmt: skip
    return tally


async def _move(session: ImapSession, sink: FilingSink, rows: list[Refile], target: str) -> None:
    """Move ``rows`` (all in the selected folder, each with its UID there) to ``target`` and record where
    each landed. Without the server's new UIDs the message stays recorded where it was: the next round
    finds it by Message-ID or content."""
    uids = {r.uid: r for r in rows if r.uid is not None}
    answer = await session.move(list(uids), target)
    if answer is None:
        log.warning(
            "watcher.refile_no_uids to=%s count=%d: the server did not say the new UIDs", target, len(rows)
        )
        return
    uidvalidity, new_uids = answer
    await sink.record_locations({
        r.inbound_id: Location(target, uidvalidity, new_uids[uid], r.outcome)
        for uid, r in uids.items() if uid in new_uids
    })  # fmt: skip
    log.info(
        "watcher.refiled from=%s to=%s ids=%s",
        rows[0].folder,
        target,
        ",".join(str(r.inbound_id) for r in rows),
    )


async def _find_again(session: ImapSession, sink: FilingSink, row: Refile, folders: dict[str, str]) -> int:
    """A message not at its recorded UID: already in its folder (recorded now), still in the unattributed
    folder under a UID never recorded (moved now), or gone (recorded as such, with why, so it is not
    retried). Returns 1 when it was found."""
    target = folders[row.outcome]
    found = await _look(session, row, target)
    if found is not None:
        await sink.record_locations({row.inbound_id: Location(target, *found, row.outcome)})
        log.info("watcher.refile_found id=%d folder=%s uid=%d: already there, recorded", row.inbound_id,
                 target, found[1])  # fmt: skip
        return 1
    unattributed = folders["unattributed"]
    found = await _look(session, row, unattributed) if unattributed != target else None
    if found is not None:  # _look left that folder selected
        await _move(session, sink, [_at(row, unattributed, *found)], target)
        return 1
    await sink.record_locations({row.inbound_id: Location(row.folder, None, None, row.outcome)})
    searched = target if unattributed == target else f"{target} and {unattributed}"
    log.warning("watcher.refile_gone id=%d folder=%s uid=%s: not in the mailbox any more (%s); recorded, not "
                "retried", row.inbound_id, row.folder, row.uid if row.uid is not None else "-",
                _why_not_found(row, searched))  # fmt: skip
    return 0


def _searchable_id(row: Refile) -> str | None:
    """The Message-ID an IMAP SEARCH can take (ASCII, printable), if the message has one."""
    mid = row.message_id or ""
    return mid if mid and mid.isascii() and mid.isprintable() else None


def _why_not_found(row: Refile, searched: str) -> str:
    """Why a search came back empty, for the operator who wonders where the message went."""
    if _searchable_id(row) is None and row.size is None:
        what = "no Message-ID" if not row.message_id else "a Message-ID IMAP cannot search for"
        return f"it has {what} and its content was purged from the database, so it could not be looked for"
    how = ["Message-ID"] if _searchable_id(row) is not None else []
    if row.size is not None:
        how.append(f"size {row.size} and content hash")
    return f"no message with its {' or '.join(how)} in {searched}"


async def _look(session: ImapSession, row: Refile, folder: str) -> tuple[int, int] | None:
    """(UIDVALIDITY, UID) of this very message in ``folder`` (the same content hash), if there: looked for
    by Message-ID, else (no Message-ID to search, or none of that Message-ID has its content) by size."""
    mid = _searchable_id(row)
    if mid is None and row.size is None:
        return None
    uidvalidity = await session.select_existing(folder)
    if uidvalidity is None:
        return None
    tried: set[int] = set()
    if mid is not None:
        uids = await session.with_message_id(mid)
        tried.update(uids)
        uid = await _same_content(session, row, uids)
        if uid is not None:
            return uidvalidity, uid
    if row.size is not None:
        uid = await _same_content(
            session, row, [u for u in await session.with_size(row.size) if u not in tried]
        )
        if uid is not None:
            return uidvalidity, uid
    return None


async def _same_content(session: ImapSession, row: Refile, uids: list[int]) -> int | None:
    """The first of ``uids`` (in the selected folder) whose raw message has the row's content hash."""
    for start in range(0, len(uids), FETCH_CHUNK):
        for uid, raw in (await session.fetch(uids[start : start + FETCH_CHUNK])).items():
            if hashlib.sha256(raw).hexdigest() == row.content_hash:
                return uid
    return None


def _at(row: Refile, folder: str, uidvalidity: int, uid: int) -> Refile:
    return Refile(
        row.inbound_id, folder, uidvalidity, uid, row.outcome, row.message_id, row.content_hash, row.size
    )
