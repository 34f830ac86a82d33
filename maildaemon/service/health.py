"""What `maildaemon status` says about the daemon's health, read from outside the daemon: queue depth,
oldest deferred message, last IMAP poll, and whether the SMTP relay and the IMAP server answer."""

from __future__ import annotations

import asyncio
import ssl
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from maildaemon.config import Config
from maildaemon.outbound.mailer import tls_context
from maildaemon.store import Store


@dataclass(frozen=True, slots=True)
class Reachability:
    name: str
    target: str
    ok: bool
    detail: str
    ms: float


async def reach(name: str, host: str, port: int, implicit_tls: bool, verify: bool, ca_file: str,
                limit_s: float = 5.0) -> Reachability:  # fmt: skip
    """Open a connection and read the greeting; with implicit TLS, verify the certificate."""
    started = time.monotonic()
    target = f"{host}:{port}"
    ctx: ssl.SSLContext | None = tls_context(verify, ca_file) if implicit_tls else None
    try:
        reader, writer = await asyncio.wait_for(
            asyncio.open_connection(host, port, ssl=ctx, server_hostname=host if ctx else None), limit_s
        )
        try:
            greeting = (await asyncio.wait_for(reader.readline(), limit_s)).decode("latin-1").strip()
        finally:
            writer.close()
    except (OSError, TimeoutError, ssl.SSLError) as exc:
        return Reachability(name, target, False, f"{type(exc).__name__}: {exc}".strip(": "), _ms(started))
    ok = greeting.startswith(("220", "* OK"))
    return Reachability(name, target, ok, greeting[:120], _ms(started))


def _ms(started: float) -> float:
    return round((time.monotonic() - started) * 1000, 1)


async def daemon_health(cfg: Config, store: Store, now: datetime, probe: bool = True) -> dict[str, Any]:
    depth = await store.queue_depth(now)
    seen = await store.activity()
    out: dict[str, Any] = {
        "queue": depth,
        "last_imap_poll": seen.last_imap_poll,
        "last_event": seen.last_event,
    }
    if probe:
        checks = [reach("smtp", cfg.smtp.host, cfg.smtp.port, cfg.smtp.security == "tls", cfg.smtp.tls_verify,
                        cfg.smtp.ca_file)]  # fmt: skip
        if cfg.imap.enabled:
            checks.append(reach("imap", cfg.imap.host, cfg.imap.port, cfg.imap.security == "tls",
                                cfg.imap.tls_verify, cfg.imap.ca_file))  # fmt: skip
        out["reachability"] = list(await asyncio.gather(*checks))
    return out
