"""Mail tied to a person by hand is filed in the mailbox too, against the real Dovecot and on SQLite and
PostgreSQL: the watcher's next pass moves it out of the unattributed folder by the UID the store recorded
and records where it went; a message gone from the mailbox is recorded once and not retried; a move done
but not recorded (a crash) is found again and recorded; mail filed before its UID was recorded is found
by Message-ID, and without one by its size and content; a tie made before refiling existed is refiled;
mail tied while the watcher waits (IDLE or polling) is refiled without waiting for the next pass; a store
error while refiling logs its traceback once, then one line per pass with a count."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from maildaemon.core.retry import TransientBouncePolicy
from maildaemon.inbound.classifypool import ClassifierPool
from maildaemon.inbound.watcher import Watcher
from maildaemon.operations import inbound as ops
from maildaemon.store import Store, tables
from tests.integration.test_watcher import FOLDERS, counts, imap_cfg, until
from tests.support.console import Seed, seed
from tests.support.factories import MONDAY_10
from tests.support.loose import bounce_of_nobody, html_autoreply, reply_of_nobody
from tests.support.mailstack import MailStack

RECEIVED = MONDAY_10 + timedelta(minutes=30)
NOW = MONDAY_10 + timedelta(hours=1)
BOUNCES, _, REPLIES, UNATTRIBUTED = FOLDERS


def _without_message_id(raw: bytes) -> bytes:
    return re.sub(rb"(?im)^Message-ID: [^\r\n]*\r\n", b"", raw, count=1)


async def _filed_as_unattributed(
    mailstack: MailStack, user: str, store: Store, *, message_ids: bool = True
) -> tuple[Watcher, Seed, dict[str, int]]:
    """The three loose messages delivered, read by the watcher and filed as unattributed: name -> id.
    Without ``message_ids`` the reply has no Message-ID header."""
    s = await seed(store, extra_stc=1)
    reply = reply_of_nobody() if message_ids else _without_message_id(reply_of_nobody())
    mails = {"bounce": bounce_of_nobody(), "autoreply": html_autoreply(), "reply": reply}
    for raw in mails.values():
        mailstack.deliver_raw(user, raw)
    w = Watcher(imap_cfg(mailstack, user), store, now=lambda: RECEIVED, pool=ClassifierPool(0))
    assert await w.run_once() == 3
    assert counts(mailstack, user)[UNATTRIBUTED] == 3
    rows = {r.kind: r.id for r in await store.inbound_list(unattributed=True)}
    return w, s, {name: rows[name] for name in mails}


async def _tie(store: Store, s: Seed, inbound_id: int, email: str) -> None:
    rec = await store.get_campaign(s.campaign)
    await ops.assign(
        store, rec, inbound_id, s.people[email], actor="op", now=NOW, bounces=TransientBouncePolicy()
    )


async def _where(store: Store, inbound_id: int) -> tuple[str, int | None]:
    async with store.tx() as conn:
        row = (
            await conn.execute(
                tables.inbound.select()
                .with_only_columns(tables.inbound.c.folder, tables.inbound.c.uid)
                .where(tables.inbound.c.id == inbound_id)
            )
        ).one()
    return row.folder, row.uid


def _uids(mailstack: MailStack, user: str, folder: str) -> dict[bytes, int]:
    """Message-ID header line -> UID, for the messages in ``folder``."""
    client = mailstack.imap(user)
    try:
        client.select(f'"{folder}"', readonly=True)
        _, data = client.uid("FETCH", "1:*", "(UID BODY.PEEK[HEADER.FIELDS (MESSAGE-ID)])")
        out = {}
        for item in data:
            if isinstance(item, tuple):
                uid = int(item[0].split(b"UID ")[1].split()[0])
                out[item[1].strip()] = uid
        return out
    finally:
        client.logout()


async def test_tied_by_hand_is_moved_on_the_next_pass_and_recorded(
    mailstack: MailStack, mailbox_user: Callable[..., str], store: Store
) -> None:
    user = mailbox_user()
    w, s, ids = await _filed_as_unattributed(mailstack, user, store)
    folder, uid = await _where(store, ids["bounce"])
    assert folder == UNATTRIBUTED and uid is not None  # where the watcher filed it, by its UID there

    await _tie(store, s, ids["bounce"], "duc.vp@khanhhoa.test")
    await _tie(store, s, ids["reply"], s.extra[0])
    assert (await store.inbound_message(ids["bounce"])).moved_to == "bounces"  # the DB says so at once
    assert counts(mailstack, user)[UNATTRIBUTED] == 3  # the mailbox waits for the watcher

    assert await w.run_once() == 0
    c = counts(mailstack, user)
    assert (c[BOUNCES], c[REPLIES], c[UNATTRIBUTED], c["INBOX"]) == (1, 1, 1, 0)
    assert (await _where(store, ids["bounce"]))[0] == BOUNCES
    assert (await _where(store, ids["reply"]))[0] == REPLIES
    assert (await _where(store, ids["autoreply"]))[0] == UNATTRIBUTED  # not tied: left where it was
    assert (await store.inbound_message(ids["reply"])).moved_to == "replies"
    assert await store.refiles_due(_folders(w)) == []
    bounce_uid = (await _where(store, ids["bounce"]))[1]
    assert bounce_uid in _uids(mailstack, user, BOUNCES).values()

    assert await w.run_once() == 0  # nothing more to do
    assert counts(mailstack, user) == c


async def test_a_message_gone_from_the_mailbox_is_recorded_once_and_not_retried(
    mailstack: MailStack, mailbox_user: Callable[..., str], store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    user = mailbox_user()
    w, s, ids = await _filed_as_unattributed(mailstack, user, store)
    await _tie(store, s, ids["reply"], s.extra[0])
    folder, uid = await _where(store, ids["reply"])
    proc = mailstack.doveadm("expunge", "-u", user, "mailbox", UNATTRIBUTED, "uid", str(uid))
    assert proc.returncode == 0, proc.stderr

    with caplog.at_level(logging.INFO, logger="maildaemon.inbound.refile"):
        await w.run_once()
        await w.run_once()
    gone = [r for r in caplog.records if r.getMessage().startswith("watcher.refile_gone")]
    assert len(gone) == 1 and f"id={ids['reply']} " in gone[0].getMessage()
    assert await _where(store, ids["reply"]) == (UNATTRIBUTED, None)  # recorded: no UID any more
    assert await store.refiles_due(_folders(w)) == []
    assert counts(mailstack, user)[REPLIES] == 0


async def test_a_move_done_but_not_recorded_is_found_and_recorded(
    mailstack: MailStack, mailbox_user: Callable[..., str], store: Store
) -> None:
    user = mailbox_user()
    w, s, ids = await _filed_as_unattributed(mailstack, user, store)
    await _tie(store, s, ids["reply"], s.extra[0])
    _, uid = await _where(store, ids["reply"])
    client = mailstack.imap(user)  # the watcher's move, then a crash before it records it
    try:
        client.create(f'"{REPLIES}"')
        client.select(f'"{UNATTRIBUTED}"')
        typ, _ = client.uid("MOVE", str(uid), f'"{REPLIES}"')
        assert typ == "OK"
    finally:
        client.logout()

    assert await w.run_once() == 0
    folder, new_uid = await _where(store, ids["reply"])
    assert folder == REPLIES and new_uid in _uids(mailstack, user, REPLIES).values()
    c = counts(mailstack, user)
    assert (c[REPLIES], c[UNATTRIBUTED]) == (1, 2)
    assert await store.refiles_due(_folders(w)) == []


async def test_mail_filed_before_its_uid_was_recorded_is_found_by_message_id(
    mailstack: MailStack, mailbox_user: Callable[..., str], store: Store
) -> None:
    user = mailbox_user()
    w, s, ids = await _filed_as_unattributed(mailstack, user, store)
    async with store.tx() as conn:  # as an older watcher left it: the inbox's UID, long gone from there
        await conn.execute(
            update(tables.inbound).where(tables.inbound.c.id == ids["bounce"]).values(folder="INBOX", uid=1)
        )
    await _tie(store, s, ids["bounce"], "duc.vp@khanhhoa.test")

    assert await w.run_once() == 0
    c = counts(mailstack, user)
    assert (c[BOUNCES], c[UNATTRIBUTED]) == (1, 2)
    folder, uid = await _where(store, ids["bounce"])
    assert folder == BOUNCES and uid in _uids(mailstack, user, BOUNCES).values()


async def _set(store: Store, inbound_id: int, **values: Any) -> None:
    async with store.tx() as conn:
        await conn.execute(update(tables.inbound).where(tables.inbound.c.id == inbound_id).values(**values))


async def test_a_message_without_message_id_moved_but_not_recorded_is_found_by_its_content(
    mailstack: MailStack, mailbox_user: Callable[..., str], store: Store
) -> None:
    user = mailbox_user()
    w, s, ids = await _filed_as_unattributed(mailstack, user, store, message_ids=False)
    assert (await store.inbound_message(ids["reply"])).kind == "reply"
    await _tie(store, s, ids["reply"], s.extra[0])
    _, uid = await _where(store, ids["reply"])
    client = mailstack.imap(user)  # the watcher's move, then a crash before it records it
    try:
        client.create(f'"{REPLIES}"')
        client.select(f'"{UNATTRIBUTED}"')
        typ, _ = client.uid("MOVE", str(uid), f'"{REPLIES}"')
        assert typ == "OK"
    finally:
        client.logout()

    assert await w.run_once() == 0
    folder, new_uid = await _where(store, ids["reply"])
    assert folder == REPLIES and new_uid is not None  # found by size and content hash, not recorded gone
    client = mailstack.imap(user)
    try:
        client.select(f'"{REPLIES}"', readonly=True)
        _, data = client.uid("SEARCH", "ALL")
        assert data[0].split() == [str(new_uid).encode()]
    finally:
        client.logout()
    assert await store.refiles_due(_folders(w)) == []


async def test_a_message_gone_says_why_it_could_not_be_found(
    mailstack: MailStack, mailbox_user: Callable[..., str], store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    user = mailbox_user()
    w, s, ids = await _filed_as_unattributed(mailstack, user, store, message_ids=False)
    await _tie(store, s, ids["reply"], s.extra[0])
    _, uid = await _where(store, ids["reply"])
    proc = mailstack.doveadm("expunge", "-u", user, "mailbox", UNATTRIBUTED, "uid", str(uid))
    assert proc.returncode == 0, proc.stderr

    with caplog.at_level(logging.INFO, logger="maildaemon.inbound.refile"):
        await w.run_once()
    gone = [r.getMessage() for r in caplog.records if r.getMessage().startswith("watcher.refile_gone")]
    assert len(gone) == 1, gone
    assert "size" in gone[0] and "content" in gone[0] and UNATTRIBUTED in gone[0], gone[0]
    assert await _where(store, ids["reply"]) == (UNATTRIBUTED, None)


async def test_mail_tied_before_refiling_existed_is_refiled(
    mailstack: MailStack, mailbox_user: Callable[..., str], store: Store
) -> None:
    """Before refiling, a tie left ``moved_to`` at "unattributed" and the row at the inbox's UID; the first
    release with refiling then found such a message in the unattributed folder and recorded it there, or,
    without a Message-ID, recorded it gone. Both are refiled to the folder their kind asks for."""
    user = mailbox_user()
    w, s, ids = await _filed_as_unattributed(mailstack, user, store, message_ids=False)
    await _tie(store, s, ids["bounce"], "duc.vp@khanhhoa.test")
    await _tie(store, s, ids["reply"], s.extra[0])
    await _set(store, ids["bounce"], moved_to="unattributed", folder="INBOX", uid=1)  # as the old tie left it
    await _set(store, ids["reply"], moved_to="unattributed", folder="INBOX", uidvalidity=None, uid=None)

    assert await w.run_once() == 0
    c = counts(mailstack, user)
    assert (c[BOUNCES], c[REPLIES], c[UNATTRIBUTED]) == (1, 1, 1)
    for name, folder, key in (("bounce", BOUNCES, "bounces"), ("reply", REPLIES, "replies")):
        where, uid = await _where(store, ids[name])
        assert where == folder and uid is not None, name
        assert (await store.inbound_message(ids[name])).moved_to == key
    assert (await store.inbound_message(ids["autoreply"])).moved_to == "unattributed"  # not tied: stays
    assert await store.refiles_due(_folders(w)) == []


class _RefilesFail:
    """The store, except that asking what is due fails with the errors given, one per pass."""

    def __init__(self, store: Store, errors: list[Exception]) -> None:
        self.store = store
        self.errors = errors

    def __getattr__(self, name: str) -> Any:
        return getattr(self.store, name)

    async def refiles_due(self, folders: Mapping[str, str], *, limit: int = 500) -> Any:
        if self.errors:
            raise self.errors.pop(0)
        return await self.store.refiles_due(folders, limit=limit)


async def test_a_store_error_while_refiling_logs_its_traceback_once_then_a_count(
    mailstack: MailStack, mailbox_user: Callable[..., str], store: Store, caplog: pytest.LogCaptureFixture
) -> None:
    user = mailbox_user()
    _, s, ids = await _filed_as_unattributed(mailstack, user, store)
    await _tie(store, s, ids["bounce"], "duc.vp@khanhhoa.test")
    locked = "(sqlite3.OperationalError) database is locked\n[SQL: SELECT ...]"
    errors: list[Exception] = [RuntimeError(locked), RuntimeError(locked), OSError("disk I/O error"),
                               RuntimeError(locked)]  # fmt: skip
    sink = _RefilesFail(store, errors)
    w = Watcher(imap_cfg(mailstack, user), sink, now=lambda: NOW, pool=ClassifierPool(0))  # type: ignore[arg-type]
    with caplog.at_level(logging.INFO, logger="maildaemon.inbound.watcher"):
        for _ in range(5):
            await w.run_once()
    failed = [r for r in caplog.records if r.getMessage().startswith("watcher.refile_failed")]
    assert len(failed) == 4
    assert [r.exc_info is not None for r in failed] == [True, False, True, False]  # a traceback per error
    assert "passes=2" in failed[1].getMessage() and "passes=3" in failed[3].getMessage()
    assert "database is locked" in failed[3].getMessage() and "SELECT" not in failed[3].getMessage()
    assert all("next pass" in r.getMessage() for r in failed)
    assert any(r.getMessage().startswith("watcher.refile_recovered") for r in caplog.records)
    assert counts(mailstack, user)[BOUNCES] == 1  # the fifth pass refiled it


@pytest.mark.parametrize("idle", [True, False], ids=["idle", "polling"])
async def test_mail_tied_while_the_watcher_waits_is_refiled_without_waiting_for_the_next_pass(
    mailstack: MailStack, mailbox_user: Callable[..., str], store: Store, caplog: pytest.LogCaptureFixture,
    idle: bool,
) -> None:  # fmt: skip
    """The wait (IDLE renewed every 25 minutes, or a 10-minute poll) ends once the database says a tie is
    due; the server is not asked meanwhile."""
    user = mailbox_user()
    _, s, ids = await _filed_as_unattributed(mailstack, user, store)
    cfg = imap_cfg(mailstack, user, idle=idle, poll_interval_s=600.0)
    w = Watcher(cfg, store, now=lambda: NOW, pool=ClassifierPool(0), refile_check_s=0.1)
    stop = asyncio.Event()

    def logged(prefix: str) -> int:
        return sum(r.getMessage().startswith(prefix) for r in caplog.records)

    with caplog.at_level(logging.INFO, logger="maildaemon.inbound"):
        serving = asyncio.create_task(w.serve(stop))
        try:
            await until(lambda: logged("watcher.run ") == 1 or serving.done(), "the first pass")
            assert not serving.done()
            await _tie(store, s, ids["bounce"], "duc.vp@khanhhoa.test")  # the watcher is waiting by now
            await until(
                lambda: logged("watcher.run ") == 2 or serving.done(), "a pass after the tie", within=15
            )
            assert logged("watcher.refile_wake") == 1 and logged("watcher.refiled ") == 1
        finally:
            stop.set()
            await asyncio.wait_for(serving, 15)
    assert counts(mailstack, user)[BOUNCES] == 1
    assert (await _where(store, ids["bounce"]))[0] == BOUNCES


def _folders(w: Watcher) -> dict[str, str]:
    f = w.cfg.folders
    return {
        "bounces": f.bounces,
        "autoreplies": f.autoreplies,
        "replies": f.replies,
        "unattributed": f.unattributed,
    }
