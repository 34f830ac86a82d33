"""`maildaemon classify` (IT staff: what is this message?) and `maildaemon inbound` (what came back)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.config import Config
from maildaemon.errors import InputError
from maildaemon.inbound.classify import classify, explain
from maildaemon.reporting.display import table


async def cmd_classify(args: argparse.Namespace, cfg: Config) -> int:
    failed = 0
    for name in args.files:
        path = Path(name)
        try:
            raw = sys.stdin.buffer.read() if name == "-" else path.read_bytes()
        except OSError as exc:
            print(f"maildaemon: cannot read {name}: {exc.strerror}", file=sys.stderr)
            failed += 1
            continue
        verdict = classify(raw)
        if args.json:
            print(json.dumps(verdict.to_json(name), ensure_ascii=False))
            continue
        print(f"{name}: {verdict.kind}" + (f" ({verdict.subject})" if verdict.subject else ""))
        for v in verdict.verdicts:
            print(f"  {v.recipient or '?'}: {v.reason} {'hard' if v.hard else 'soft'} status={v.status or '-'}"
                  f" remote={v.remote_mta or '-'}")  # fmt: skip
            if v.diagnostic:
                print(f"    {v.diagnostic[:300]}")
            print(f"    {explain(v.reason, args.lang)}")
        if verdict.return_date:
            print(f"  back on {verdict.return_date.isoformat()}")
        if verdict.tokens:
            print(f"  survey token(s): {', '.join(verdict.tokens)}")
    if failed:
        raise InputError(f"{failed} file(s) could not be read")
    return 0


async def cmd_inbound(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        if args.show is not None:
            sys.stdout.buffer.write(await store.inbound_raw(args.show))
            return 0
        rows = await store.inbound_list(unattributed=args.unattributed, kind=args.kind, limit=args.limit)
    if args.json:
        for r in rows:
            out: dict[str, Any] = {
                "id": r.id, "received_at": r.received_at.isoformat(), "kind": r.kind, "reason": r.reason,
                "subject": r.subject, "from": r.from_addr, "recipients": r.recipients,
                "attributed_by": r.attributed_by, "respondent": r.email, "folder": r.folder,
            }  # fmt: skip
            print(json.dumps(out, ensure_ascii=False))
        return 0
    if not rows:
        print("no inbound messages" + (" left unattributed" if args.unattributed else ""))
        return 0
    print(table(
        ["id", "received (UTC)", "kind", "reason", "respondent / from", "subject"],
        [[r.id, f"{r.received_at:%Y-%m-%d %H:%M}", r.kind, r.reason or "", r.email or r.from_addr or "?",
          (r.subject or "")[:60]] for r in rows],
        numeric_from=99,
    ))  # fmt: skip
    print("read one with: maildaemon inbound --show ID")
    return 0


def register(sub: Any) -> None:
    cl = sub.add_parser("classify", help="classify message files (bounce, auto-reply, reply, ...)")
    cl.add_argument("files", nargs="+", metavar="FILE", help="message files (.eml); - for standard input")
    cl.add_argument("--json", action="store_true", help="one JSON object per message per line")
    cl.add_argument("--lang", choices=["vi", "en"], default="en", help="language of the explanations")
    cl.set_defaults(func=cmd_classify)
    ib = sub.add_parser("inbound", help="list what came back to the bounce mailbox")
    ib.add_argument("--unattributed", action="store_true", help="only messages tied to nobody")
    ib.add_argument(
        "--kind", choices=["bounce", "delay", "delivered", "autoreply", "reply", "feedback", "unknown"]
    )
    ib.add_argument("--limit", type=int, default=200)
    ib.add_argument("--show", type=int, metavar="ID", help="print one message exactly as received")
    ib.add_argument("--json", action="store_true")
    ib.set_defaults(func=cmd_inbound)
