"""`maildaemon web`: the operator console alone (no loops), against the daemon's database; for a
second host or when the daemon runs with [web] enabled = false."""

from __future__ import annotations

import argparse
import asyncio
import functools
import signal
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.config import Config
from maildaemon.operations.diagnose import DiagnoseSettings
from maildaemon.operations.inbound import bounce_policy
from maildaemon.service.daemon import ConsoleFactory
from maildaemon.service.httpd import AsgiServer
from maildaemon.web.app import build_app


def console_factory(cfg: Config, loop_share: float | None = None) -> ConsoleFactory:
    """build_app with what the console takes from the rest of the config: [checker] for the mailbox
    check, [bounce] for mail tied by hand, [daemon] allow_test_domains for corrected addresses;
    ``loop_share`` bounds its part of the event loop (inside the daemon, see web.share)."""
    return functools.partial(
        build_app, diagnose_settings=DiagnoseSettings.of(cfg), bounces=bounce_policy(cfg),
        allow_test_domains=cfg.daemon.allow_test_domains, loop_share=loop_share,
    )  # fmt: skip


async def cmd_web(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        server = AsgiServer(args.listen or cfg.web.listen, console_factory(cfg)(store, cfg.web), key="web.listen",
                            proxy_headers=True)  # fmt: skip
        await server.start()
        print(f"console on http://{server.host}:{server.port}/ (Ctrl-C or SIGTERM to stop)", flush=True)
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(sig, stop.set)
        try:
            await stop.wait()
        finally:
            for sig in (signal.SIGINT, signal.SIGTERM):
                loop.remove_signal_handler(sig)
            await server.close()
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("web", help="serve the operator console alone (see [web] in the config)")
    p.add_argument("--listen", help="HOST:PORT (default: web.listen)")
    p.set_defaults(func=cmd_web)
