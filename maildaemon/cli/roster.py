"""`maildaemon import`: a roster (.csv, .txt, .xlsx) into a campaign; rejected rows written beside it."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.cli.output import print_json
from maildaemon.config import Config


async def cmd_import(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        result = await app.import_roster(
            store,
            args.campaign,
            Path(args.file),
            sheet=args.sheet,
            allow_test_domains=cfg.daemon.allow_test_domains,
            checker=cfg.checker,
            skip_check="skipped (--no-check)" if args.no_check else "",
            anyway=args.anyway,
        )
    s, checked = result.summary, result.checks
    if args.json:
        print_json(
            {
                "imported": s.imported,
                "updated": s.updated,
                "unchanged": s.unchanged,
                "rejected": len(result.rejects),
                "rejects_file": str(result.rejects_path) if result.rejects_path else None,
                "encoding": result.encoding,
                "agencies_added": s.agencies_added,
                "corrected": s.corrected,
                "corrections_refused": len(checked.refused),
                "corrections_inconclusive": checked.inconclusive,
                "key_column": result.key_column,
                "changes": s.changes,
            }
        )
    else:
        print(
            f"{args.file}: imported {s.imported}, updated {s.updated}, unchanged {s.unchanged}, "
            f"rejected {len(result.rejects)} (encoding {result.encoding}, header on line {result.header_line})"
        )
        if result.key_column:
            print(
                f"people matched by {result.key_column!r}; addresses corrected {s.corrected}, refused by the "
                f"mailbox check {len(checked.refused)}, let through on an inconclusive check {checked.inconclusive}"
            )
        for change in s.changes[:50]:
            print(f"  {change}")
        if len(s.changes) > 50:
            print(f"  ... {len(s.changes) - 50} more changes")
        for rej in result.rejects[:20]:
            print(f"  line {rej.line}: {rej.reason}")
        if len(result.rejects) > 20:
            print(f"  ... {len(result.rejects) - 20} more")
        if result.rejects_path:
            print(f"rejected rows written to {result.rejects_path}")
    return 0


def register(sub: Any) -> None:
    im = sub.add_parser("import", help="import a roster (.csv, .txt, .xlsx) into a campaign")
    im.add_argument("campaign")
    im.add_argument("file")
    im.add_argument("--sheet", help="worksheet name in an .xlsx file")
    im.add_argument("--json", action="store_true")
    how = im.add_mutually_exclusive_group()
    how.add_argument(
        "--anyway", action="store_true",
        help="apply a re-import's address corrections even where the check finds that the new mailbox cannot "
        "exist; the check still runs and each correction's event records what it found",
    )  # fmt: skip
    how.add_argument(
        "--no-check", action="store_true",
        help="do not check the mailboxes of corrected addresses (no network); the events record that it was skipped",
    )  # fmt: skip
    im.set_defaults(func=cmd_import)
