"""The service: named loops (planner, sender, watcher, ...) woken by APScheduler, one stop event.

APScheduler only sets a loop's wake event; the loop reads due work from the database, so a
restart loses nothing. A loop that raises is logged and retried with backoff; one that keeps
failing stops the daemon loudly (non-zero exit) rather than running half-alive.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import socket
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from maildaemon.config import Config, WebConfig
from maildaemon.core.retry import TransientBouncePolicy
from maildaemon.errors import MaildaemonError
from maildaemon.inbound.classify import Verdict
from maildaemon.inbound.classifypool import freeze_heap
from maildaemon.inbound.sink import Location, Refile
from maildaemon.inbound.watcher import Watcher
from maildaemon.outbound.planner import Planner
from maildaemon.outbound.sender import Sender
from maildaemon.service.digest import DigestSender
from maildaemon.service.focal_digest import FocalDigestSender
from maildaemon.service.metrics import Metrics
from maildaemon.service.sdnotify import Notifier
from maildaemon.store import InboundResult, Store
from maildaemon.store.filing import REFILE_BATCH
from maildaemon.store.locks import LeaderLock
from maildaemon.store.purge import PURGE_INTERVAL_S, Purger

log = logging.getLogger(__name__)

MAX_CONSECUTIVE_FAILURES = 8
LEADER_RETRY_S = 10.0
DIGEST_INTERVAL_S = 300.0
BACKOFF_BASE_S = 1.0
BACKOFF_MAX_S = 60.0


async def _wait(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)


class CountingSink:
    """The store as the watcher's sink, counting what comes back for /metrics; ``bounces`` is the
    configured soft-bounce rule ([bounce]) every message is recorded under."""

    def __init__(self, store: Store, metrics: Metrics, bounces: TransientBouncePolicy | None = None) -> None:
        self.store = store
        self.metrics = metrics
        self.bounces = bounces

    async def mailbox_state(self, folder: str) -> tuple[int, int] | None:
        return await self.store.mailbox_state(folder)

    async def save_mailbox_state(self, folder: str, uidvalidity: int, last_uid: int, now: datetime) -> None:
        await self.store.save_mailbox_state(folder, uidvalidity, last_uid, now)
        self.metrics.last_poll.set(time.time())

    async def record_inbound(self, raw: bytes, *, folder: str, uidvalidity: int, uid: int,
                             now: datetime) -> InboundResult:  # fmt: skip
        result = await self.store.record_inbound(
            raw, folder=folder, uidvalidity=uidvalidity, uid=uid, now=now, bounces=self.bounces
        )
        self._count([result])
        return result

    takes_verdicts = True

    async def record_inbound_many(self, items: list[tuple[int | None, bytes]], *, folder: str,
                                  uidvalidity: int | None, now: datetime,
                                  verdicts: Sequence[tuple[Verdict, str]] | None = None) -> list[InboundResult]:  # fmt: skip
        results = await self.store.record_inbound_many(items, folder=folder, uidvalidity=uidvalidity, now=now,
                                                       verdicts=verdicts, bounces=self.bounces)  # fmt: skip
        self._count(results)
        return results

    async def refiles_due(self, folders: Mapping[str, str], *, limit: int = REFILE_BATCH) -> list[Refile]:
        return await self.store.refiles_due(folders, limit=limit)

    async def record_locations(self, where: Mapping[int, Location]) -> None:
        await self.store.record_locations(where)

    def _count(self, results: list[InboundResult]) -> None:
        for r in results:
            if not r.duplicate:
                self.metrics.inbound.labels(r.kind).inc()


# Builds the operator console's ASGI app (maildaemon.web.app.build_app; passed in by the CLI).
ConsoleFactory = Callable[[Store, WebConfig], Any]


def utcnow() -> datetime:
    return datetime.now(UTC)


def instance_name(cfg: Config) -> str:
    return cfg.daemon.instance_name or f"{socket.gethostname()}-{os.getpid()}"


@dataclass
class LoopState:
    """What `status` and /metrics show of one loop."""

    name: str
    runs: int = 0
    failures: int = 0
    consecutive_failures: int = 0
    last_ok: float = 0.0
    last_error: str = ""
    last_duration_s: float = 0.0
    last_result: int = 0


@dataclass
class Loop:
    name: str
    body: Callable[[], Awaitable[int]]
    interval_s: float
    wake: asyncio.Event = field(default_factory=asyncio.Event)
    state: LoopState = field(init=False)

    def __post_init__(self) -> None:
        self.state = LoopState(self.name)


class Daemon:
    """Runs the loops until the stop event is set (signal) or a loop fails for good."""

    def __init__(self, cfg: Config, store: Store, *, now: Callable[[], datetime] = utcnow,
                 console: ConsoleFactory | None = None) -> None:  # fmt: skip
        self.cfg = cfg
        self.console = console  # the operator console's app, given by the caller (service cannot import web)
        self.web: Any = None
        self.store = store
        self.now = now
        self.owner = instance_name(cfg)
        self.stop = asyncio.Event()
        self.fatal: BaseException | None = None
        self.metrics = Metrics()
        self.notifier = Notifier()
        # each planned page wakes the sender at once: a large campaign starts going out while it is planned
        self.planner = Planner(store, now=now, on_enqueued=lambda _n: self._wake_sender())
        self.sender = Sender(store, cfg, self.owner, now=now, metrics=self.metrics)
        # a digest's claim is leased as an outbox row is: a daemon stopped mid-send loses no digest
        lease = timedelta(seconds=cfg.smtp.lease_s)
        self.digest = DigestSender(store, self.sender.pool, now=now, owner=self.owner, lease=lease)
        self.focal_digest = FocalDigestSender(store, self.sender.pool, public_url=cfg.web.public_url, now=now,
                                              owner=self.owner, lease=lease)  # fmt: skip
        self.loops: list[Loop] = [
            Loop("planner", self.planner.run_once, cfg.loops.planner_interval_s),
            Loop("sender", self.sender.run_once, cfg.loops.sender_interval_s),
            Loop("digest", self.digest.run_once, DIGEST_INTERVAL_S),
            Loop("focal_digest", self.focal_digest.run_once, DIGEST_INTERVAL_S),
            Loop("purge", Purger(store, now=now).run_once, PURGE_INTERVAL_S),
        ]
        self.watcher: Watcher | None = None
        if cfg.imap.enabled:
            bounces = TransientBouncePolicy(
                cfg.bounce.transient_threshold, timedelta(days=cfg.bounce.transient_period_days)
            )
            self.watcher = Watcher(cfg.imap, CountingSink(store, self.metrics, bounces), now=now)
            self.watch_state = LoopState("watcher")
        self._scheduler: AsyncIOScheduler | None = None
        self.http: Any = None
        self.reload_hooks: list[Callable[[], None]] = [self.sender.composers.forget]

    def loop(self, name: str) -> Loop:
        return next(lp for lp in self.loops if lp.name == name)

    # --- one pass, for cron and tests ---------------------------------------------------------

    async def run_once(self) -> dict[str, int]:
        """Do all work that is due now, once each loop, in order; then return."""
        results: dict[str, int] = {}
        for lp in self.loops:
            results[lp.name] = await lp.body()
        if results.get("planner") and "sender" in results:
            results["sender"] += await self.loop("sender").body()
        if self.watcher is not None:
            lock = LeaderLock(self.store, "watcher")
            if await lock.try_acquire():
                try:
                    results["inbound"] = await self.watcher.run_once()
                finally:
                    await lock.release()
        return results

    # --- the service ----------------------------------------------------------------------------

    async def serve(self, on_ready: Callable[[], None] | None = None) -> None:
        loop = asyncio.get_running_loop()
        self._install_signals(loop)
        scheduler = AsyncIOScheduler(timezone=UTC)
        for lp in self.loops:
            scheduler.add_job(lp.wake.set, "interval", seconds=lp.interval_s, id=lp.name, max_instances=1,
                              coalesce=True)  # fmt: skip
        self._scheduler = scheduler
        scheduler.start()
        tasks = {asyncio.create_task(self._run_loop(lp), name=f"loop:{lp.name}"): lp for lp in self.loops}
        for lp in self.loops:
            lp.wake.set()  # a first pass right away
        http = await self._start_http()
        web = await self._start_web()
        side: list[asyncio.Task[None]] = []
        if self.watcher is not None:
            side.append(asyncio.create_task(self._watch_loop(self.watcher), name="watcher"))
        if self.notifier.watchdog_interval_s:
            side.append(asyncio.create_task(self._watchdog(), name="watchdog"))
        freeze_heap()  # all is imported and started: what lives now lives as long as the daemon
        log.info("daemon.started owner=%s loops=%s", self.owner, ",".join(lp.name for lp in self.loops))
        self.notifier.ready(f"running: {', '.join(lp.name for lp in self.loops)}")
        if on_ready:
            on_ready()
        stopper = asyncio.create_task(self.stop.wait(), name="stop")
        try:
            done, _ = await asyncio.wait([stopper, *tasks, *side], return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                if task is not stopper and task.exception() is not None:
                    self.fatal = task.exception()
        finally:
            log.info("daemon.stopping owner=%s", self.owner)
            self.notifier.stopping()
            self.stop.set()
            for t in side:
                t.cancel()
            if http is not None:
                await http.close()
            if web is not None:
                await web.close()
            self.sender.stopping.set()
            scheduler.shutdown(wait=False)
            for lp in self.loops:
                lp.wake.set()
            # let in-flight work finish (SMTP transactions, record writes) within the timeout
            pending = [t for t in tasks if not t.done()]
            if pending:
                _, late = await asyncio.wait(pending, timeout=self.cfg.smtp.timeout_s + 5)
                for t in late:
                    t.cancel()
                await asyncio.gather(*late, return_exceptions=True)
            stopper.cancel()
            await self.sender.close()
            self._remove_signals(loop)
            log.info("daemon.stopped owner=%s", self.owner)
        if self.fatal is not None:
            raise MaildaemonError(f"a loop failed repeatedly: {self.fatal}") from self.fatal

    async def _watch_loop(self, watcher: Watcher) -> None:
        """Watch the bounce mailbox while this daemon holds the watcher lock (one daemon at a time);
        another daemon takes over within LEADER_RETRY_S of this one's death."""
        lock = LeaderLock(self.store, "watcher")
        st = self.watch_state
        try:
            while not self.stop.is_set():
                try:
                    if not await lock.try_acquire():
                        await _wait(self.stop, LEADER_RETRY_S)
                        continue
                    sub_stop = asyncio.Event()
                    serving = asyncio.create_task(watcher.serve(sub_stop), name="watcher.serve")
                    stopping = asyncio.create_task(self.stop.wait())
                    try:
                        while not self.stop.is_set() and not serving.done():
                            await asyncio.wait([serving, stopping], timeout=LEADER_RETRY_S,
                                               return_when=asyncio.FIRST_COMPLETED)  # fmt: skip
                            if not serving.done() and not await lock.try_acquire():
                                log.warning("watcher.lock_lost: stopping the watcher here")
                                break
                    finally:
                        stopping.cancel()
                        sub_stop.set()
                    await serving
                    st.runs += 1
                    st.consecutive_failures = 0
                except MaildaemonError as exc:
                    st.failures += 1
                    st.consecutive_failures += 1
                    st.last_error = str(exc)
                    self.metrics.loop_failures.labels("watcher").inc()
                    log.error("loop.failed loop=watcher failures=%d error=%s", st.consecutive_failures, exc)
                    if st.consecutive_failures >= MAX_CONSECUTIVE_FAILURES:
                        raise
                    await lock.release()
                    await _wait(self.stop, min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2**st.consecutive_failures))
        finally:
            await lock.release()

    async def _start_http(self) -> Any:
        if not self.cfg.http.enabled:
            return None
        from maildaemon.service.httpd import HttpServer

        server = HttpServer(
            self.cfg.http.listen, health=self.health, metrics=self.metrics.render, complete=self._complete,
            completion_secret=self.cfg.http.completion_secret.reveal(),
        )  # fmt: skip
        await server.start()
        self.http = server
        return server

    async def _start_web(self) -> Any:
        """The operator console on web.listen, when enabled and the caller gave its app factory."""
        if not self.cfg.web.enabled:
            return None
        if self.console is None:
            log.warning(
                "web.not_served: [web] enabled but this entry point has no console; run 'maildaemon web'"
            )
            return None
        from maildaemon.service.httpd import AsgiServer

        server = AsgiServer(self.cfg.web.listen, self.console(self.store, self.cfg.web), key="web.listen",
                            proxy_headers=True)  # fmt: skip
        await server.start()
        self.web = server
        return server

    async def _complete(self, token: str) -> str:
        result = await self.store.mark_completed(token=token, now=self.now(), source="link",
                                                 detail="survey platform called /complete")  # fmt: skip
        if result == "completed":
            self.metrics.completed.labels("link").inc()
            log.info("completion.recorded source=link token=%s...", token[:6])
        return result

    async def health(self) -> tuple[bool, dict[str, object]]:
        """Healthy while no loop is failing repeatedly and the database answers."""
        now = time.time()
        loops = {}
        ok = True
        for lp in self.loops:
            st = lp.state
            lag = now - st.last_ok if st.last_ok else None
            if lag is not None:
                self.metrics.loop_lag.labels(lp.name).set(lag)
            loops[lp.name] = {"runs": st.runs, "failures": st.failures, "last_error": st.last_error,
                              "seconds_since_ok": round(lag, 1) if lag is not None else None}  # fmt: skip
            if st.consecutive_failures >= 3:
                ok = False
        if self.watcher is not None:
            ws = self.watch_state
            loops["watcher"] = {"runs": ws.runs, "failures": ws.failures, "last_error": ws.last_error,
                                "seconds_since_ok": None}  # fmt: skip
            ok = ok and ws.consecutive_failures < 3
        try:
            depth = await self.store.queue_depth(self.now())
            self.metrics.queue_depth.set(depth["due"])
            for state, n in depth["states"].items():
                self.metrics.queue_state.labels(state).set(n)
        except MaildaemonError as exc:
            return False, {"loops": loops, "database": str(exc)}
        return ok, {"owner": self.owner, "loops": loops, "queue": depth}

    async def _watchdog(self) -> None:
        """WATCHDOG=1 while the event loop turns and no loop is failing for good."""
        while not self.stop.is_set():
            if all(lp.state.consecutive_failures < MAX_CONSECUTIVE_FAILURES for lp in self.loops):
                self.notifier.watchdog()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.stop.wait(), timeout=self.notifier.watchdog_interval_s)

    async def _run_loop(self, lp: Loop) -> None:
        while not self.stop.is_set():
            await lp.wake.wait()
            lp.wake.clear()
            if self.stop.is_set():
                return
            started = time.monotonic()
            try:
                lp.state.last_result = await lp.body()
            except Exception as exc:
                lp.state.failures += 1
                self.metrics.loop_failures.labels(lp.name).inc()
                lp.state.consecutive_failures += 1
                lp.state.last_error = str(exc)
                log.error("loop.failed loop=%s failures=%d error=%s", lp.name, lp.state.consecutive_failures,
                          exc, exc_info=not isinstance(exc, MaildaemonError))  # fmt: skip
                if lp.state.consecutive_failures >= MAX_CONSECUTIVE_FAILURES:
                    raise
                delay = min(BACKOFF_MAX_S, BACKOFF_BASE_S * 2 ** (lp.state.consecutive_failures - 1))
                try:
                    await asyncio.wait_for(self.stop.wait(), timeout=delay)
                except TimeoutError:
                    lp.wake.set()
                continue
            lp.state.runs += 1
            lp.state.consecutive_failures = 0
            lp.state.last_ok = time.time()
            lp.state.last_duration_s = time.monotonic() - started
            if lp.name == "planner" and lp.state.last_result:
                self._wake_sender()  # new mail is due: no need to wait for the timer

    def _wake_sender(self) -> None:
        self.loop("sender").wake.set()

    def reload(self) -> None:
        log.info("daemon.reload (templates and campaign definitions are read again)")
        for hook in self.reload_hooks:
            hook()
        for lp in self.loops:
            lp.wake.set()

    def _install_signals(self, loop: asyncio.AbstractEventLoop) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(sig, self._on_stop_signal, sig)
        loop.add_signal_handler(signal.SIGHUP, self.reload)

    def _remove_signals(self, loop: asyncio.AbstractEventLoop) -> None:
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            loop.remove_signal_handler(sig)

    def _on_stop_signal(self, sig: signal.Signals) -> None:
        log.info("daemon.signal %s: draining", sig.name)
        self.stop.set()
        self.sender.stopping.set()
