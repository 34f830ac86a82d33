"""`maildaemon completions import`: mark respondents completed from a survey platform's export."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from maildaemon.cli.usecases import open_store
from maildaemon.config import Config
from maildaemon.intake.completions import import_completions


async def cmd_completions_import(args: argparse.Namespace, cfg: Config) -> int:
    async with open_store(cfg) as store:
        res = await import_completions(store, args.campaign, Path(args.file), args.sheet)
    print(
        f"{args.file}: completed {res.completed}, already completed {res.already}, rejected {len(res.rejects)}"
    )
    for r in res.rejects[:20]:
        print(f"  line {r.line}: {r.reason}")
    if res.warnings:
        print(f"warning: {len(res.warnings)} completions are dated outside the campaign; check the export:")
        for w in res.warnings[:20]:
            print(f"  line {w.line}: {w.reason}")
        if len(res.warnings) > 20:
            print(f"  ... and {len(res.warnings) - 20} more")
    if res.rejects_path:
        print(f"rejected rows written to {res.rejects_path}")
    return 0


def register(sub: Any) -> None:
    cp = sub.add_parser("completions", help="survey completions").add_subparsers(dest="cmd2", required=True)
    ci = cp.add_parser(
        "import", help="mark respondents completed from a survey platform's export (.csv, .xlsx)"
    )
    ci.add_argument("campaign")
    ci.add_argument("file")
    ci.add_argument("--sheet")
    ci.set_defaults(func=cmd_completions_import)
