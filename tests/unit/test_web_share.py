"""The console's share of the daemon's loop (web.share): one request at a time, each followed by a
rest in proportion to what it took, capped; the clock and the sleep are fakes, so nothing waits."""

from __future__ import annotations

import asyncio

import pytest
from starlette.types import Receive, Scope, Send

from maildaemon.web.share import MAX_REST_S, LoopShare


class FakeTime:
    """A clock that moves only when the app "works" or the gate "sleeps"; sleeps are written down."""

    def __init__(self) -> None:
        self.now = 100.0
        self.slept: list[float] = []

    def clock(self) -> float:
        return self.now

    async def sleep(self, seconds: float) -> None:
        self.slept.append(round(seconds, 6))
        self.now += seconds


def app_taking(t: FakeTime, seconds: float, log: list[str]) -> object:
    async def app(scope: Scope, receive: Receive, send: Send) -> None:
        log.append(f"start {scope['path']}")
        t.now += seconds
        await asyncio.sleep(0)  # another request could slip in here if the gate let it
        log.append(f"end {scope['path']}")

    return app


async def _noop_receive() -> dict[str, object]:
    return {"type": "http.request"}


async def _noop_send(message: dict[str, object]) -> None:
    return None


async def test_requests_run_one_at_a_time_and_rest_in_proportion() -> None:
    t, log = FakeTime(), []
    gate = LoopShare(app_taking(t, 0.02, log), share=0.1, clock=t.clock, sleep=t.sleep)  # type: ignore[arg-type]
    await asyncio.gather(*(gate({"type": "http", "path": p}, _noop_receive, _noop_send) for p in "abc"))
    assert log == ["start a", "end a", "start b", "end b", "start c", "end c"]
    assert t.slept == [0.18, 0.18]  # 20 ms of work, then 180 ms for everyone else: 10% of the loop
    assert gate.rest_after(10.0) == MAX_REST_S  # a big report does not shut the console for minutes


async def test_whole_share_never_rests_and_lifespan_passes_through() -> None:
    t, log = FakeTime(), []
    gate = LoopShare(app_taking(t, 0.02, log), share=1.0, clock=t.clock, sleep=t.sleep)  # type: ignore[arg-type]
    for p in "ab":
        await gate({"type": "http", "path": p}, _noop_receive, _noop_send)
    await gate({"type": "lifespan", "path": "-"}, _noop_receive, _noop_send)
    assert t.slept == [] and log[-2:] == ["start -", "end -"]
    with pytest.raises(ValueError, match="share"):
        LoopShare(app_taking(t, 0, log), share=0)  # type: ignore[arg-type]
