"""IMAP in: read new mail from the bounce mailbox, hand each message to the sink (which classifies,
attributes and records it), move it to its folder, and remember how far we got (UIDVALIDITY, last UID).

Polling alone is correct; IDLE only makes it faster. Order: record, then move, then save the state, so
a crash in between re-reads a message and the sink's content-hash dedupe makes that harmless. Batches
are pipelined: the next ones are fetched (and, for the Store, classified in a worker process) while one
is recorded, and moves are grouped (MOVE_GROUP messages, or each batch once all are fetched) and overlap
recording. Each pass first refiles what an operator tied to a person by hand since it was filed as
unattributed (inbound.refile); the UID each message gets in the unattributed folder is recorded for that.
While it waits (IDLE or the poll interval) the watcher asks the database every ``refile_check_s`` whether
new mail was tied by hand (by the CLI or the console, in any process): if so the wait ends and it refiles.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from maildaemon.config import ImapConfig
from maildaemon.core.retry import RetryPolicy
from maildaemon.errors import TransientError
from maildaemon.inbound.classifypool import ClassifierPool
from maildaemon.inbound.imap_session import ImapSession
from maildaemon.inbound.refile import RefileTally, refile
from maildaemon.inbound.sink import (
    OUTCOMES,
    BatchInboundSink,
    Classified,
    FilingSink,
    InboundOutcome,
    InboundSink,
    Location,
)

log = logging.getLogger(__name__)

IDLE_RENEW_S = 25 * 60.0  # RFC 2177: re-issue IDLE before the server's 30-minute inactivity timeout
PREFETCH_DEPTH = 2  # fetch batches in flight ahead of the one being recorded
# Processed messages whose moves are sent together (and at the end of each pass): fewer, larger MOVEs
# cost the server much less; a crash before them re-reads at most that many (deduplicated, harmless).
MOVE_GROUP = 2000
REFILE_CHECK_S = 15.0  # while waiting, how often the database is asked whether mail was tied by hand
REFILE_ERRORS_KEPT = 32  # distinct refile errors remembered (their traceback logged once) until one succeeds
SINK_FAILURES_BEFORE_GIVING_UP = 5  # consecutive sink errors in one run: the store is down, stop the run
RECONNECT = RetryPolicy(
    base=timedelta(seconds=1), max_delay=timedelta(minutes=5), max_age=timedelta(days=3650), jitter=0.5
)


class Watcher:
    """Reads the bounce mailbox: ``run_once`` for one pass, ``serve`` for the daemon's loop."""

    def __init__(
        self,
        cfg: ImapConfig,
        sink: InboundSink,
        *,
        now: Callable[[], datetime],
        backoff: RetryPolicy = RECONNECT,
        rng: random.Random | None = None,
        pool: ClassifierPool | None = None,
        move_group: int = MOVE_GROUP,
        refile_check_s: float = REFILE_CHECK_S,
    ) -> None:
        self.cfg = cfg
        self.move_group = move_group
        self.refile_check_s = refile_check_s
        self.sink = sink
        self.now = now
        self.backoff = backoff
        self.rng = rng or random.Random()
        self.pool = pool or ClassifierPool(cfg.classify_workers)
        # A batch sink (the Store) records a fetch batch per transaction and takes verdicts classified in
        # worker processes; any other sink gets one message at a time, classified by itself.
        self._batch_sink = sink if isinstance(sink, BatchInboundSink) else None
        self._classify_pool = self.pool if self._batch_sink is not None else None
        # a sink that keeps where messages sit (the Store) has mail tied by hand refiled
        self._filing = sink if isinstance(sink, FilingSink) else None
        # what the last refile round was given: a wait ends for a tie not among them, so a message that
        # cannot be moved yet (the next pass retries it anyway) does not end every wait
        self._refile_seen: frozenset[int] = frozenset()
        # store errors while refiling, each distinct one (type, first line) -> passes it failed in a row:
        # the traceback once, then one line with the count
        self._refile_errors: dict[tuple[str, str], int] = {}
        self._failures: dict[tuple[int, int], int] = {}  # (uidvalidity, uid) -> sink errors, for the log
        # One sink write at a time: the UID state saved after a move would otherwise meet the next batch's
        # transaction in SQLite, whose busy handler sleeps in growing steps (0.2 s seen) until the lock is
        # free, where this lock hands over the moment the other write ends.
        self._writing = asyncio.Lock()

    async def run_once(self) -> int:
        """Connect, process everything new, log out. Returns the number of messages processed."""
        try:
            if self._classify_pool is not None:
                self._classify_pool.warm_up()  # while we log in and the server opens the mailbox
            session = await self._connect()
            try:
                count = await self._process(session, None)
            except Exception:
                await session.aclose()
                raise
            except BaseException:
                session.close()
                raise
            await session.logout()
        finally:
            await self.pool.aclose()
        return count

    async def serve(self, stop: asyncio.Event) -> None:
        """Until ``stop``: process, then IDLE (or sleep ``poll_interval_s``), again; reconnect on errors
        with exponential back-off and jitter. A refused login (PermanentError) ends it loudly."""
        try:
            await self._serve(stop)
        finally:
            await self.pool.aclose()
        log.info("watcher.stopped folder=%s", self.cfg.folder)

    async def _serve(self, stop: asyncio.Event) -> None:
        attempts = 0
        while not stop.is_set():
            session: ImapSession | None = None
            try:
                session = await self._connect()
                while not stop.is_set():
                    await self._process(session, stop)
                    attempts = 0
                    if stop.is_set():
                        break
                    if session.mail_arrived():  # announced while we worked: IDLE would not repeat it
                        continue
                    if await self._wait(session, stop):
                        break
                await session.logout()
                session = None
            except TransientError as exc:
                attempts += 1
                delay = self.backoff.delay(attempts, self.rng).total_seconds()
                log.warning("watcher.retry attempt=%d in=%.1fs error=%s", attempts, delay, exc)
                if session is not None:
                    await session.aclose()
                await _wait(stop, delay)
            except BaseException:
                if session is not None:
                    session.close()
                raise

    async def _wait(self, session: ImapSession, stop: asyncio.Event) -> bool:
        """IDLE (or sleep ``poll_interval_s``) until new mail, the end of the wait, ``stop``, or mail newly
        tied by hand is due for refiling (asked of the database, never of the server). True when stopped."""
        checking = None
        wake = stop
        if self._filing is not None and self.cfg.move:
            wake = asyncio.Event()  # set on stop too
            checking = self._watch_refiles(stop, wake)
        try:
            if self.cfg.idle and "IDLE" in session.capabilities:
                woke = await session.idle(wake, IDLE_RENEW_S)
                log.debug("watcher.idle_end new_mail=%s refile=%s", woke, wake.is_set() and not stop.is_set())
            else:
                await _wait(wake, self.cfg.poll_interval_s)
        finally:
            if checking is not None:
                await checking.finish()
        return stop.is_set()

    def _watch_refiles(self, stop: asyncio.Event, wake: asyncio.Event) -> _RefileCheck:
        assert self._filing is not None
        folders = {key: getattr(self.cfg.folders, key) for key in OUTCOMES}
        return _RefileCheck(self._filing, folders, self._refile_seen, self.refile_check_s, stop, wake)

    async def _connect(self) -> ImapSession:
        session = ImapSession(self.cfg)
        await session.open()
        return session

    async def _process(self, session: ImapSession, stop: asyncio.Event | None) -> int:
        cfg = self.cfg
        folder = cfg.folder
        started = time.monotonic()
        if self._filing is not None and cfg.move:
            await self._refile(session, self._filing)
        uidvalidity = await session.select(folder)
        state = await self.sink.mailbox_state(folder)
        last_uid = 0
        if state is not None:
            if state[0] == uidvalidity:
                last_uid = state[1]
            else:
                log.warning(
                    "watcher.uidvalidity_changed folder=%s old=%s new=%s: rescanning from UID 1",
                    folder, state[0], uidvalidity,
                )  # fmt: skip
        uids = await session.uids_after(last_uid)
        tally = _Tally(last_uid, last_uid)
        size = max(cfg.fetch_batch, 1)
        batches = [uids[i : i + size] for i in range(0, len(uids), size)]
        # The next batches are fetched (and classified, with a pool) while this one is recorded, so the
        # server, the classifier and the sink work at once; moves queue behind fetches in the library.
        prefetch = _Prefetch(session, self._classify_pool, batches)
        try:
            await self._batches(session, batches, prefetch, uidvalidity, last_uid, stop, tally)
        finally:
            prefetch.discard()
        log.info(
            "watcher.run folder=%s uidvalidity=%s new=%d processed=%d duplicates=%d failed=%d moved=%s "
            "last_uid=%d in %.2fs",
            folder, uidvalidity, len(uids), tally.processed, tally.duplicates, tally.failed, tally.moved or "-",
            tally.last_uid, time.monotonic() - started,
        )  # fmt: skip
        return tally.processed

    async def _refile(self, session: ImapSession, sink: FilingSink) -> None:
        """Refile mail tied by hand; a store error is logged and the pass goes on (the next one retries),
        an IMAP one ends the connection as any other would."""
        tally = RefileTally()
        try:
            await refile(session, sink, self.cfg, tally)
        except TransientError:
            raise
        except Exception as exc:
            key = (type(exc).__name__, (str(exc).splitlines() or [""])[0])
            if key not in self._refile_errors and len(self._refile_errors) >= REFILE_ERRORS_KEPT:
                del self._refile_errors[next(iter(self._refile_errors))]  # the oldest: bounded memory
            count = self._refile_errors[key] = self._refile_errors.get(key, 0) + 1
            if count == 1:
                log.error("watcher.refile_failed error=%s: %s; mail tied by hand stays where it is this pass, "
                          "refiling is tried again at the next pass", key[0], exc, exc_info=True)  # fmt: skip
            else:
                log.error("watcher.refile_failed error=%s passes=%d: the same error again (its traceback was "
                          "logged the first time): %s; tried again at the next pass", key[0], count, key[1])  # fmt: skip
        else:
            if self._refile_errors:
                log.info("watcher.refile_recovered after %d failed passes", sum(self._refile_errors.values()))
                self._refile_errors.clear()
        finally:
            self._refile_seen = tally.due

    async def _record_batch(
        self,
        folder: str,
        uidvalidity: int,
        present: list[tuple[int, bytes]],
        verdicts: dict[int, Classified] | None,
    ) -> dict[int, InboundOutcome]:
        """One call for the whole fetch batch when the sink can (one transaction); on any error the
        caller records message by message, so one bad message cannot hold back the rest."""
        sink = self._batch_sink
        if sink is None or not present:
            return {}
        items: list[tuple[int | None, bytes]] = [(uid, raw) for uid, raw in present]
        chosen = None if verdicts is None else [verdicts[uid] for uid, _ in present]
        try:
            async with self._writing:
                results = await sink.record_inbound_many(
                    items, folder=folder, uidvalidity=uidvalidity, now=self.now(), verdicts=chosen
                )
        except Exception as exc:
            log.warning("watcher.batch_failed folder=%s count=%d error=%s: recording one by one", folder,
                        len(present), exc)  # fmt: skip
            return {}
        return {uid: r for (uid, _), r in zip(present, results, strict=True)}

    async def _batches(
        self,
        session: ImapSession,
        batches: list[list[int]],
        prefetch: _Prefetch,
        uidvalidity: int,
        last_uid: int,
        stop: asyncio.Event | None,
        tally: _Tally,
    ) -> None:
        cfg = self.cfg
        folder = cfg.folder
        finishing: asyncio.Future[None] | None = None
        targets: dict[str, list[int]] = {}  # moves wait for move_group messages or the end of the pass
        tracked: dict[int, int] = {}  # UID -> inbound id of what goes to the unattributed folder
        pending_moves = 0
        saved = last_uid
        prefetch.fill()
        for index, batch in enumerate(batches):
            messages, verdicts = await prefetch.result()
            if not (stop is not None and stop.is_set()):
                prefetch.fill()
            present = [(uid, messages[uid]) for uid in batch if messages.get(uid) is not None]
            recorded = await self._record_batch(folder, uidvalidity, present, verdicts)
            pending_moves += await self._record_messages(
                batch, messages, recorded, uidvalidity, tally, targets, tracked
            )
            advance = tally.advance
            sink_down = tally.consecutive_failures >= SINK_FAILURES_BEFORE_GIVING_UP
            last = index + 1 == len(batches) or sink_down or (stop is not None and stop.is_set())
            # once every batch has been fetched the connection has nothing else to do: move each batch at
            # once, so the pass does not end waiting for one last large MOVE
            if last or not cfg.move or pending_moves >= self.move_group or prefetch.all_fetched():
                # The moves run while the next batches are recorded (the server and the database work at
                # once); the UID state is saved only after its moves, so a crash re-reads, never skips.
                if finishing is not None:
                    await finishing
                finishing = asyncio.ensure_future(self._finish_batch(session, targets, tracked, folder,
                                                                     uidvalidity, advance, saved, tally))  # fmt: skip
                targets, tracked, pending_moves, saved = {}, {}, 0, max(saved, advance)
            if sink_down:
                log.error(
                    "watcher.sink_down folder=%s: %d failures in a row, ending this run", folder, tally.failed
                )
            if last:
                break
        if finishing is not None:
            await finishing

    async def _record_messages(
        self, batch: list[int], messages: dict[int, bytes], recorded: dict[int, InboundOutcome], uidvalidity: int,
        tally: _Tally, targets: dict[str, list[int]], tracked: dict[int, int],
    ) -> int:  # fmt: skip
        """Record one fetch batch in UID order and queue each message's move; returns the moves queued.
        A message the sink refused stays in place and ``tally.advance`` stops before it."""
        cfg = self.cfg
        queued = 0
        for position, uid in enumerate(batch):
            raw = messages.get(uid)
            if position % 32 == 31:  # let the prefetch read its answer while the sink works
                await asyncio.sleep(0)
            if raw is not None:
                result = await self._record_one(cfg.folder, uidvalidity, uid, raw, recorded, tally)
                if result is None:
                    tally.consecutive_failures += 1
                    tally.blocked = True
                    if tally.consecutive_failures >= SINK_FAILURES_BEFORE_GIVING_UP:
                        break
                    continue
                tally.consecutive_failures = 0
                if cfg.move:
                    outcome = result.outcome if result.outcome in OUTCOMES else "unattributed"
                    targets.setdefault(getattr(cfg.folders, outcome), []).append(uid)
                    queued += 1
                    inbound_id = getattr(result, "inbound_id", None)
                    if outcome == "unattributed" and inbound_id is not None:
                        tracked[uid] = inbound_id
            # a UID with no body was expunged by someone else meanwhile: nothing to wait for
            if not tally.blocked:
                tally.advance = uid
        return queued

    async def _record_one(
        self, folder: str, uidvalidity: int, uid: int, raw: bytes, recorded: dict[int, InboundOutcome],
        tally: _Tally,
    ) -> InboundOutcome | None:  # fmt: skip
        """The batch's answer for this message, else the sink's one by one; None when the sink failed."""
        try:
            result = recorded.get(uid)
            if result is None:
                async with self._writing:
                    result = await self.sink.record_inbound(
                        raw, folder=folder, uidvalidity=uidvalidity, uid=uid, now=self.now()
                    )
        except Exception as exc:  # one bad message (or a store hiccup) must not stop the watcher
            tally.failed += 1
            key = (uidvalidity, uid)
            self._failures[key] = self._failures.get(key, 0) + 1
            log.error(
                "watcher.record_failed folder=%s uid=%s attempt=%d error=%s: %s",
                folder, uid, self._failures[key], type(exc).__name__, exc, exc_info=True,
            )  # fmt: skip
            return None
        self._failures.pop((uidvalidity, uid), None)
        tally.processed += 1
        tally.duplicates += result.duplicate
        return result

    async def _finish_batch(
        self, session: ImapSession, targets: dict[str, list[int]], tracked: dict[int, int], folder: str,
        uidvalidity: int, advance: int, last_uid: int, tally: _Tally,
    ) -> None:  # fmt: skip
        for target, target_uids in targets.items():
            answer = await session.move(target_uids, target)
            tally.moved[target] = tally.moved.get(target, 0) + len(target_uids)
            if answer is not None and tracked:
                await self._record_locations(target, answer, target_uids, tracked)
        if advance > last_uid:
            async with self._writing:
                await self.sink.save_mailbox_state(folder, uidvalidity, advance, self.now())
            tally.last_uid = advance

    async def _record_locations(
        self, target: str, answer: tuple[int, dict[int, int]], uids: list[int], tracked: dict[int, int]
    ) -> None:
        """Where the unattributed mail now sits, so a message tied by hand later is refiled by UID. Not
        recorded (a store error, a crash): the refile finds it by Message-ID instead."""
        if self._filing is None:
            return
        uidvalidity, new_uids = answer
        where = {
            tracked[u]: Location(target, uidvalidity, new_uids[u])
            for u in uids
            if u in tracked and u in new_uids
        }
        try:
            async with self._writing:
                await self._filing.record_locations(where)
        except Exception as exc:
            log.warning("watcher.locations_failed folder=%s count=%d error=%s", target, len(where), exc)


@dataclass
class _Tally:
    """One pass: what it did (for the log), and how far it may advance the saved UID."""

    last_uid: int  # saved
    advance: int  # the last UID before any message the sink refused
    processed: int = 0
    duplicates: int = 0
    failed: int = 0
    moved: dict[str, int] = field(default_factory=dict)
    consecutive_failures: int = 0  # sink errors in a row: SINK_FAILURES_BEFORE_GIVING_UP ends the pass
    blocked: bool = False


class _Prefetch:
    """Up to ``depth`` batches fetched ahead of the one being recorded, each classified in a worker
    process as soon as it arrives (when there is a pool): fetch, classify and record overlap, and the
    classifier never waits for the next batch. Fetches run one at a time, in order."""

    def __init__(self, session: ImapSession, pool: ClassifierPool | None, batches: list[list[int]],
                 depth: int = PREFETCH_DEPTH) -> None:  # fmt: skip
        self.session = session
        self.pool = pool
        self.batches = batches
        self.depth = depth
        self.started = 0
        self.fetched = 0
        self.tasks: collections.deque[asyncio.Task[tuple[dict[int, bytes], dict[int, Classified] | None]]] = (
            collections.deque()
        )
        self._fetching = asyncio.Lock()

    def fill(self) -> None:
        while len(self.tasks) < self.depth and self.started < len(self.batches):
            self.tasks.append(asyncio.ensure_future(self._fetch(self.batches[self.started])))
            self.started += 1

    async def _fetch(self, uids: list[int]) -> tuple[dict[int, bytes], dict[int, Classified] | None]:
        async with self._fetching:
            messages = await self.session.fetch(uids)
            self.fetched += 1
        if self.pool is None:
            return messages, None
        verdicts = await self.pool.classify(list(messages.values()))
        return messages, (dict(zip(messages, verdicts, strict=True)) if verdicts is not None else None)

    def all_fetched(self) -> bool:
        return self.fetched == len(self.batches)

    async def result(self) -> tuple[dict[int, bytes], dict[int, Classified] | None]:
        return await self.tasks.popleft()

    def discard(self) -> None:
        """Stop fetches nobody will read (an error or ``stop`` ended the run), and retrieve their outcome."""
        while self.tasks:
            task = self.tasks.popleft()
            if task.done():
                if not task.cancelled():
                    task.exception()
            else:
                task.cancel()
                task.add_done_callback(lambda t: t.cancelled() or t.exception())


class _RefileCheck:
    """While the watcher waits: every ``interval`` s, ask the store whether mail tied by hand is due that the
    last refile round was not given; if so (or on ``stop``) set ``wake``. Stopped by ``finish``, which lets
    a query in flight end rather than cancelling it inside the database driver."""

    def __init__(self, sink: FilingSink, folders: dict[str, str], seen: frozenset[int], interval: float,
                 stop: asyncio.Event, wake: asyncio.Event) -> None:  # fmt: skip
        self.sink = sink
        self.folders = folders
        self.seen = seen
        self.interval = interval
        self.stop = stop
        self.wake = wake
        self.done = asyncio.Event()
        self.task = asyncio.ensure_future(self._run())

    async def _run(self) -> None:
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(_first(self.stop, self.done), timeout=self.interval)
            if self.stop.is_set():
                self.wake.set()
                return
            if self.done.is_set():
                return
            if await self._due():
                log.info("watcher.refile_wake: mail tied by hand is due, ending the wait")
                self.wake.set()
                return

    async def _due(self) -> bool:
        try:
            due = await self.sink.refiles_due(self.folders)
        except Exception as exc:  # the pass's own refile reports store errors; the wait goes on
            log.debug("watcher.refile_check_failed error=%s: %s", type(exc).__name__, exc)
            return False
        return any(r.inbound_id not in self.seen for r in due)

    async def finish(self) -> None:
        self.done.set()
        await self.task


async def _first(*events: asyncio.Event) -> None:
    """Until any of ``events`` is set."""
    waits = [asyncio.ensure_future(e.wait()) for e in events]
    try:
        await asyncio.wait(waits, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for w in waits:
            w.cancel()


async def _wait(stop: asyncio.Event, seconds: float) -> bool:
    """Sleep ``seconds`` or until ``stop``; True when stopped."""
    try:
        await asyncio.wait_for(stop.wait(), timeout=max(seconds, 0.0))
    except TimeoutError:
        return False
    return True
