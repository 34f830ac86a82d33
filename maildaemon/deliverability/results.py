"""Pure: what a probe found (the result of one address, each MX attempt with its timed transcript and
TLS details), as JSON for the database and ``diagnose --json``; and the cache of definite results."""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from maildaemon.deliverability.dns_records import MailRoute
from maildaemon.deliverability.outcomes import DEFINITE, Outcome


@dataclass(frozen=True, slots=True)
class Step:
    """One transcript line, like swaks: ``->`` sent, ``<-`` received, ``**`` a note."""

    at_ms: float  # since the connection attempt started
    kind: str
    text: str
    lapse_ms: float | None = None  # for replies: time since the command was sent

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"at_ms": round(self.at_ms, 1), "kind": self.kind, "text": self.text}
        if self.lapse_ms is not None:
            d["lapse_ms"] = round(self.lapse_ms, 1)
        return d


@dataclass(frozen=True, slots=True)
class TlsInfo:
    protocol: str = ""
    cipher: str = ""
    bits: int | None = None
    subject: str = ""
    issuer: str = ""
    not_before: str = ""  # ISO 8601, UTC
    not_after: str = ""
    names: tuple[str, ...] = ()  # subjectAltName DNS names
    name_match: bool | None = None
    verified: bool = False
    problem: str = ""  # "", expired, self-signed, untrusted, name-mismatch, handshake
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self) | {"names": list(self.names)}


@dataclass(frozen=True, slots=True)
class MxAttempt:
    """One connection to one MX address and what it said about the address checked."""

    host: str
    address: str
    preference: int
    outcome: Outcome
    stage: str  # connect, banner, ehlo, starttls, mail, rcpt
    code: int | None = None
    text: str = ""
    tls: TlsInfo | None = None
    tls_offered: bool | None = None
    transcript: tuple[Step, ...] = ()
    elapsed_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "host": self.host,
            "address": self.address,
            "preference": self.preference,
            "outcome": self.outcome.value,
            "stage": self.stage,
            "code": self.code,
            "text": self.text,
            "tls": self.tls.to_dict() if self.tls else None,
            "tls_offered": self.tls_offered,
            "transcript": [s.to_dict() for s in self.transcript],
            "elapsed_ms": round(self.elapsed_ms, 1),
        }


@dataclass(frozen=True, slots=True)
class ProbeResult:
    address: str
    domain: str  # ASCII (IDNA) form
    outcome: Outcome
    reason: str = ""  # bounce reason name for rejected / try-later
    code: int | None = None
    enhanced: str = ""
    text: str = ""  # the deciding server reply, without the code
    stage: str = ""  # syntax, dns, connect, banner, ehlo, starttls, mail, rcpt
    detail: str = ""  # one English sentence for logs
    mx_host: str = ""
    route: MailRoute | None = None
    attempts: tuple[MxAttempt, ...] = ()
    checked_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    elapsed_ms: float = 0.0
    from_cache: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "domain": self.domain,
            "outcome": self.outcome.value,
            "reason": self.reason,
            "code": self.code,
            "enhanced": self.enhanced,
            "text": self.text,
            "stage": self.stage,
            "detail": self.detail,
            "mx_host": self.mx_host,
            "route": self.route.to_dict() if self.route else None,
            "attempts": [a.to_dict() for a in self.attempts],
            "checked_at": self.checked_at.isoformat(),
            "elapsed_ms": round(self.elapsed_ms, 1),
            "from_cache": self.from_cache,
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False)


class ProbeCache:
    """Definite results per address for ``ttl`` seconds; transient ones are never reused."""

    def __init__(
        self, ttl: float = 86400.0, *, max_entries: int = 200_000, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.ttl = ttl
        self.max_entries = max_entries
        self._clock = clock
        self._items: dict[str, tuple[float, ProbeResult]] = {}

    def get(self, key: str) -> ProbeResult | None:
        item = self._items.get(key)
        if item is None:
            return None
        if item[0] <= self._clock():
            del self._items[key]
            return None
        return item[1]

    def put(self, key: str, result: ProbeResult) -> None:
        if result.outcome not in DEFINITE or self.ttl <= 0:
            return
        if len(self._items) >= self.max_entries:
            now = self._clock()
            self._items = {k: v for k, v in self._items.items() if v[0] > now}
            while len(self._items) >= self.max_entries:  # still full: drop the oldest inserted
                del self._items[next(iter(self._items))]
        self._items[key] = (self._clock() + self.ttl, result)

    def __len__(self) -> int:
        return len(self._items)
