"""A collecting SMTP relay (aiosmtpd, in a thread) for tests that need to see what was sent."""

from __future__ import annotations

import re
import socket
import threading
from collections import Counter
from collections.abc import Iterator

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

_TOKEN = re.compile(rb"^X-Survey-Token: *([a-z2-7]+)", re.MULTILINE | re.IGNORECASE)


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class Collect:
    """Accepts every message; keeps the envelopes and counts survey tokens (duplicates show up)."""

    def __init__(self) -> None:
        self.got: list[Envelope] = []
        self.tokens: Counter[str] = Counter()
        self._lock = threading.Lock()

    @property
    def count(self) -> int:
        return len(self.got)

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        m = _TOKEN.search(envelope.original_content or b"")
        with self._lock:
            self.got.append(envelope)
            self.tokens[m.group(1).decode() if m else "?"] += 1
        return "250 2.0.0 Ok: queued"


def running_relay() -> Iterator[tuple[Collect, int]]:
    handler = Collect()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture
def relay() -> Iterator[tuple[Collect, int]]:
    """A collecting relay on a free loopback port: (handler, port)."""
    yield from running_relay()
