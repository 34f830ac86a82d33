"""The `maildaemon` command: build the parser from the command groups, set up logging, run one
use case, exit.

Each command group is one module of this package with a ``register(subparsers)`` function; adding a
group is one new module, imported below and named in ``COMMAND_GROUPS``. Errors of the project's own types print
their cause chain on one line each and exit non-zero; anything else is a bug and gets a traceback.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Callable, Coroutine, Sequence
from pathlib import Path
from typing import Any, Protocol

from maildaemon import __version__
from maildaemon.cli import (
    agencies,
    campaigns,
    check,
    completions,
    config,
    db,
    demo,
    events,
    inbound,
    purge,
    report,
    respondents,
    roster,
    run,
    status,
    users,
    web,
)
from maildaemon.config import Config, load_config
from maildaemon.errors import ConfigError, InputError, MaildaemonError, NotFound
from maildaemon.service.logsetup import setup_logging

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_NOT_FOUND = 4

Handler = Callable[[argparse.Namespace, Config], Coroutine[Any, Any, int]]


class CommandGroup(Protocol):
    """A module that adds its commands to the parser; each sets ``func`` to its ``Handler``."""

    def register(self, sub: Any) -> None: ...


# In the order `maildaemon --help` lists them.
COMMAND_GROUPS: tuple[CommandGroup, ...] = (
    db,  # db init | check
    config,  # config check
    campaigns,  # campaign create | list | show | pause | resume
    roster,  # import
    agencies,  # agency list | focal
    respondents,  # respondent show | correct | exclude | restore, resend
    status,  # status
    events,  # events
    run,  # run, preview
    inbound,  # classify, inbound
    check,  # check, diagnose
    report,  # report
    completions,  # completions import
    demo,  # demo
    purge,  # purge
    users,  # user add | passwd | disable | enable | list
    web,  # web (the operator console alone)
)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="maildaemon", description="Survey-mail workflow daemon.")
    p.add_argument(
        "--config", "-c", type=Path, help="config file (default: $MAILDAEMON_CONFIG, /etc/maildaemon)"
    )
    p.add_argument("--log-format", choices=["auto", "text", "json", "journal"], default=None)
    p.add_argument("--verbose", "-v", action="store_true", help="debug logging")
    p.add_argument("--version", action="version", version=f"maildaemon {__version__}")
    sub = p.add_subparsers(dest="cmd", required=True, metavar="COMMAND")
    for group in COMMAND_GROUPS:
        group.register(sub)
    return p


def _chain(exc: BaseException) -> list[str]:
    out: list[str] = []
    seen: BaseException | None = exc
    while seen is not None:
        text = str(seen).strip()
        if text and not any(text in said for said in out):  # a wrapper that quotes its cause says it already
            out.append(text)
        seen = seen.__cause__
    return out


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        cfg = load_config(args.config)
    except ConfigError as exc:
        print(f"maildaemon: config error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    setup_logging(args.log_format or cfg.daemon.log_format, "DEBUG" if args.verbose else cfg.daemon.log_level)
    handler: Handler = args.func
    try:
        return asyncio.run(handler(args, cfg))
    except KeyboardInterrupt:
        return 130
    except MaildaemonError as exc:
        kind = {ConfigError: EXIT_USAGE, InputError: EXIT_INPUT, NotFound: EXIT_NOT_FOUND}
        code = next((v for k, v in kind.items() if isinstance(exc, k)), EXIT_ERROR)
        lines = _chain(exc)
        print(f"maildaemon: error: {lines[0]}", file=sys.stderr)
        for line in lines[1:]:
            print(f"  caused by: {line}", file=sys.stderr)
        return code


if __name__ == "__main__":
    sys.exit(main())
