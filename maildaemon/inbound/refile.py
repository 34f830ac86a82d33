"""Refiling: mail the watcher filed as unattributed and an operator has since tied to a person by hand is
moved to the folder its new outcome asks for, by UID in the folder where the database last saw it
(UIDVALIDITY checked), and the move is recorded. A move done but not recorded (a crash between the two)
is found again by Message-ID and content hash and recorded; a message found nowhere is recorded as gone
and never retried."""

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


@dataclass
class RefileTally:
    moved: int = 0
    found: int = 0  # already in its folder: a move done before but not recorded
    gone: int = 0


async def refile(session: ImapSession, sink: FilingSink, cfg: ImapConfig) -> RefileTally:
    """Move every message the store says is due, record where each went; leaves some folder selected."""
    started = time.monotonic()
    folders = {key: getattr(cfg.folders, key) for key in OUTCOMES}
    tally = RefileTally()
    due = await sink.refiles_due(folders)
    if not due:
        return tally
    by_source: dict[str, list[Refile]] = defaultdict(list)
    for row in due:
        by_source[row.folder].append(row)
    missing: list[Refile] = []
    for source, rows in by_source.items():
        uidvalidity = await session.select_existing(source)
        same = [r for r in rows if uidvalidity is not None and r.uidvalidity == uidvalidity]
        here = await session.present([r.uid for r in same])
        by_target: dict[str, list[Refile]] = defaultdict(list)
        for row in rows:
            if row in same and row.uid in here:
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
    """Move ``rows`` (all in the selected folder) to ``target`` and record where each landed. Without
    the server's new UIDs the message stays recorded where it was: the next round finds it by Message-ID."""
    answer = await session.move([r.uid for r in rows], target)
    if answer is None:
        log.warning(
            "watcher.refile_no_uids to=%s count=%d: the server did not say the new UIDs", target, len(rows)
        )
        return
    uidvalidity, uids = answer
    await sink.record_locations({
        r.inbound_id: Location(target, uidvalidity, uids[r.uid]) for r in rows if r.uid in uids
    })  # fmt: skip
    log.info(
        "watcher.refiled from=%s to=%s ids=%s",
        rows[0].folder,
        target,
        ",".join(str(r.inbound_id) for r in rows),
    )


async def _find_again(session: ImapSession, sink: FilingSink, row: Refile, folders: dict[str, str]) -> int:
    """A message not at its recorded UID: already in its folder (recorded now), still in the unattributed
    folder under a UID never recorded (moved now), or gone (recorded as such, so it is not retried).
    Returns 1 when it was found."""
    target = folders[row.outcome]
    found = await _look(session, row, target)
    if found is not None:
        await sink.record_locations({row.inbound_id: Location(target, *found)})
        log.info("watcher.refile_found id=%d folder=%s uid=%d: already there, recorded", row.inbound_id,
                 target, found[1])  # fmt: skip
        return 1
    unattributed = folders["unattributed"]
    found = await _look(session, row, unattributed) if unattributed != target else None
    if found is not None:  # _look left that folder selected
        await _move(session, sink, [_at(row, unattributed, *found)], target)
        return 1
    await sink.record_locations({row.inbound_id: Location(row.folder, None, None)})
    log.warning("watcher.refile_gone id=%d folder=%s uid=%d: not in the mailbox any more; recorded, not retried",
                row.inbound_id, row.folder, row.uid)  # fmt: skip
    return 0


async def _look(session: ImapSession, row: Refile, folder: str) -> tuple[int, int] | None:
    """(UIDVALIDITY, UID) of this very message in ``folder`` (same Message-ID, same content), if there."""
    mid = row.message_id or ""
    if not mid or not mid.isascii() or not mid.isprintable():
        return None
    uidvalidity = await session.select_existing(folder)
    if uidvalidity is None:
        return None
    uids = await session.with_message_id(mid)
    if not uids:
        return None
    for uid, raw in (await session.fetch(uids)).items():
        if hashlib.sha256(raw).hexdigest() == row.content_hash:
            return uidvalidity, uid
    return None


def _at(row: Refile, folder: str, uidvalidity: int, uid: int) -> Refile:
    return Refile(row.inbound_id, folder, uidvalidity, uid, row.outcome, row.message_id, row.content_hash)
