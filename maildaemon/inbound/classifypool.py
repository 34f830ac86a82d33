"""Classification in worker processes: the watcher's fetch batches are classified on another core
while the previous batch is being recorded and moved, so the classifier (pure CPU) and the database
and IMAP work (mostly waiting) overlap instead of taking turns.

Best effort by design: a batch too small to be worth the round trip, a worker that died, or a machine
where workers cannot start is classified in the daemon's own process instead; a message is never lost or
skipped for it.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import multiprocessing
import sys
import types
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from maildaemon.inbound.classify import Verdict
from maildaemon.inbound.classify.classifier import classify_many

log = logging.getLogger(__name__)


def freeze_heap() -> None:
    """Put what is alive now (modules, the classifier's tables: ~90k objects) out of the garbage
    collector's sight: none of it becomes garbage, and each full collection walked all of it (~0.07 s
    per 10k inbound messages in the daemon). Once, after start-up: in a worker, and in the daemon. No
    collection first (it would run finalizers at a moment of our choosing); the few cycles of start-up
    garbage it may keep are kept once, not per message."""
    gc.freeze()


class ClassifierPool:
    """``workers`` processes, started on the first batch of at least ``min_batch`` messages; until
    they are up (a fraction of a second), batches are classified in-process rather than waiting."""

    def __init__(self, workers: int, *, min_batch: int = 64) -> None:
        self.workers = max(0, workers)
        self.min_batch = min_batch
        self._executor: ProcessPoolExecutor | None = None
        self._ready: asyncio.Future[list[tuple[Verdict, str]]] | None = None

    def _start(self) -> None:
        # spawn, not fork: the daemon has threads (the database driver's) that fork would copy. A spawned
        # worker re-imports the parent's __main__ (the CLI and all it imports, a third of a second); it
        # needs the classifier only, so it is shown an empty __main__ while the workers start (submit
        # starts them, synchronously, here).
        main = sys.modules["__main__"]
        sys.modules["__main__"] = types.ModuleType("__main__")
        try:
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=multiprocessing.get_context("spawn"), initializer=freeze_heap
            )
            self._ready = asyncio.get_running_loop().run_in_executor(self._executor, classify_many, [])
        except (OSError, ImportError, NotImplementedError) as exc:  # no processes or semaphores here
            log.warning("classifier.workers_unavailable error=%s: classifying in-process from now on", exc)
            self.workers = 0
            self.close()
        finally:
            sys.modules["__main__"] = main

    def warm_up(self) -> None:
        """Start the workers in the background (they take a fraction of a second to come up)."""
        if self.workers and self._executor is None:
            self._start()

    async def ready(self) -> bool:
        """Start the workers now and wait until they answer; False when there are none or they failed."""
        if not self.workers:
            return False
        if self._executor is None:
            self._start()
        if self._ready is None:  # the workers could not start
            return False
        try:
            await asyncio.shield(self._ready)
        except BrokenProcessPool as exc:
            log.warning("classifier.start_failed error=%s: classifying in-process", exc)
            self.close()
            return False
        return True

    async def classify(self, raws: Sequence[bytes]) -> list[tuple[Verdict, str]] | None:
        """The verdicts with their stored JSON, in order; None when the caller should classify in-process."""
        if not self.workers or len(raws) < self.min_batch:
            return None
        if self._executor is None:
            self._start()
        if self._ready is None or not self._ready.done():  # could not start, or still starting
            return None
        try:
            self._ready.result()
            return await asyncio.get_running_loop().run_in_executor(self._executor, classify_many, list(raws))
        except BrokenProcessPool as exc:  # a worker died (killed, out of memory): start anew next time
            log.warning("classifier.worker_lost error=%s: classifying in-process", exc)
            self.close()
            return None

    def close(self) -> None:
        """Let the workers go without waiting for them (after a failure)."""
        executor, self._executor = self._executor, None
        self._forget_ready()
        if executor is not None:
            executor.shutdown(wait=False, cancel_futures=True)

    async def aclose(self) -> None:
        """Stop the workers and wait for them to exit."""
        executor, self._executor = self._executor, None
        self._forget_ready()
        if executor is not None:
            await asyncio.to_thread(executor.shutdown, True, cancel_futures=True)

    def _forget_ready(self) -> None:
        ready, self._ready = self._ready, None
        if ready is not None:
            ready.cancel()
            if ready.done() and not ready.cancelled():
                ready.exception()  # retrieved: a failed start-up is not an "exception never retrieved"
