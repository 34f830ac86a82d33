"""The sender's group commit: answers are written `record_every` at a time, the rest when the run ends,
and nothing is held longer than its delay; a fake store records what each transaction got."""

import asyncio
from collections.abc import Sequence
from datetime import UTC, datetime

from maildaemon.outbound.sender import _Recorder
from maildaemon.store import Claim, SendOutcome

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)


class BatchStore:
    def __init__(self) -> None:
        self.batches: list[int] = []
        self.written = asyncio.Event()

    async def record_outcomes(self, outcomes: Sequence[SendOutcome], now: datetime) -> None:
        self.batches.append(len(outcomes))
        self.written.set()


def outcome(i: int) -> SendOutcome:
    claim = Claim(i, 1, i, "invitation", 0, None, NOW, "a" * 26, f"u{i}@x.test", "", "", "", "")
    return SendOutcome(claim, "sent", 250, "2.0.0 Ok")


async def test_answers_are_written_record_every_at_a_time_and_the_rest_on_close() -> None:
    store = BatchStore()
    recorder = _Recorder(store, lambda: NOW, every=20, max_delay_s=3600)  # type: ignore[arg-type]
    for i in range(45):
        recorder.add(outcome(i))
        await asyncio.sleep(0)  # the recorder task runs between answers, as it does between replies
    await recorder.close()
    assert sum(store.batches) == 45
    # a transaction once 20 are waiting (a few more arrive before it starts: the bound says 2 x 20),
    # never one per answer; what is left is written on close
    assert len(store.batches) == 3
    assert all(20 <= b < 40 for b in store.batches[:-1])


async def test_a_lone_answer_is_written_after_its_delay_without_waiting_for_more() -> None:
    store = BatchStore()
    recorder = _Recorder(store, lambda: NOW, every=20, max_delay_s=0.01)  # type: ignore[arg-type]
    recorder.add(outcome(1))
    await asyncio.wait_for(store.written.wait(), 5)
    assert store.batches == [1]
    await recorder.close()
    assert store.batches == [1]
