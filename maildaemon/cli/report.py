"""`maildaemon report`: the per-agency report for operators, as a table, CSV, XLSX or one HTML file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.config import Config
from maildaemon.reporting.campaign import campaign_report
from maildaemon.reporting.figures import DEFAULT_TARGET
from maildaemon.reporting.render import render

SUFFIX = {"csv": ".csv", "xlsx": ".xlsx", "html": ".html", "table": ".txt"}


async def cmd_report(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        report = await campaign_report(store, args.campaign, args.target, app.utcnow())
    out = render(report, args.format, args.lang or cfg.daemon.language)
    data = out.encode("utf-8") if isinstance(out, str) else out
    target = args.output
    if target is None and args.format in ("xlsx", "html"):
        target = f"{args.campaign}-report{SUFFIX[args.format]}"
    if target is None or target == "-":
        sys.stdout.buffer.write(data)
        return 0
    path = Path(target)
    path.write_bytes(data)
    print(f"report written to {path.resolve()}")
    return 0


def register(sub: Any) -> None:
    rp = sub.add_parser("report", help="per-agency report (Vietnamese by default)")
    rp.add_argument("campaign")
    rp.add_argument("--format", choices=["table", "csv", "xlsx", "html"], default="table")
    rp.add_argument("--lang", choices=["vi", "en"], default=None, help="default: daemon.language")
    rp.add_argument(
        "--target", type=float, default=DEFAULT_TARGET, help="response rate agencies should reach (0..1)"
    )
    rp.add_argument(
        "--output", "-o", help="file to write (default: stdout for table/csv, a file for xlsx/html)"
    )
    rp.set_defaults(func=cmd_report)
