"""`maildaemon classify` (IT staff: what is this message?) and `maildaemon inbound` (what came back;
`inbound show ID` reads one message decoded, `--raw` as received; `inbound assign ID EMAIL|TOKEN` ties a
message the watcher could not attribute to a respondent)."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from maildaemon.cli import usecases as app
from maildaemon.cli.respondents import default_actor
from maildaemon.config import Config
from maildaemon.errors import InputError
from maildaemon.inbound.classify import classify, explain
from maildaemon.inbound.readable import readable
from maildaemon.operations import inbound as ops
from maildaemon.reporting import clock
from maildaemon.reporting import vocabulary as V
from maildaemon.reporting.display import table
from maildaemon.reporting.vocabulary import reason_label
from maildaemon.store.inbound import InboundMessage


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
    if args.action == "assign":
        return await cmd_assign(args, cfg)
    if args.who is not None:
        raise InputError(f"unexpected argument {args.who}: only `inbound assign ID EMAIL|TOKEN` takes two")
    show = args.show if args.show is not None else args.id
    if args.action == "show" and show is None:
        raise InputError("inbound show needs the message id (see `maildaemon inbound` for the list)")
    if args.action == "list" and args.id is not None:
        raise InputError(f"unexpected argument {args.id}: did you mean `maildaemon inbound show {args.id}`?")
    async with app.open_store(cfg) as store:
        if show is not None:
            if args.raw:
                sys.stdout.buffer.write(await store.inbound_raw(show))
                return 0
            message = await store.inbound_message(show)
            if args.json:
                print(json.dumps(message_json(message), ensure_ascii=False))
            else:
                sys.stdout.write(render_message(message, args.lang))
            return 0
        rows = await store.inbound_list(unattributed=args.unattributed, kind=args.kind, limit=args.limit)
        campaigns = await store.list_campaigns()
    tz = campaigns[-1].campaign.timezone if campaigns else clock.DEFAULT_TZ  # the province's zone
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
    t = _LIST[args.lang]
    print(table(
        [t["id"], f"{t['received']} ({clock.zone_label(tz)})", t["kind"], t["reason"], t["who"], t["subject"]],
        [[r.id, clock.local(r.received_at, tz, zone=False), V.inbound_kind(r.kind, args.lang, r.reason),
          reason_label(r.reason, args.lang) if r.reason else "", r.email or r.from_addr or "?",
          (r.subject or "")[:60]] for r in rows],
        numeric_from=99,
    ))  # fmt: skip
    print("read one with: maildaemon inbound show ID   (the message as received: --raw)")
    return 0


async def cmd_assign(args: argparse.Namespace, cfg: Config) -> int:
    """`inbound assign ID EMAIL|TOKEN`: the message is this person's; its verdict then applies to them."""
    if args.id is None or args.who is None:
        raise InputError("inbound assign needs the message id and the respondent's address or token")
    async with app.open_store(cfg) as store:
        record, rid = await ops.find_respondent(store, args.who, args.campaign)
        done = await ops.assign(store, record, args.id, rid, actor=args.by or default_actor(), now=app.utcnow(),
                                bounces=ops.bounce_policy(cfg), within_period=False)  # fmt: skip
    e = done.effect
    moved = [f"{f} {old} -> {new}" for f, old, new in (("delivery", e.before.delivery, e.delivery),
             ("completion", e.before.completion, e.completion)) if new is not None]  # fmt: skip
    print(f"inbound #{done.inbound_id} ({done.kind}) tied to {done.email} in {record.name}: "
          + ("; ".join(moved) if moved else "no state change, noted in the history"))  # fmt: skip
    return 0


_LABELS = {
    "vi": {
        "title": "Thư nhận #{id}", "received": "Nhận lúc", "from": "Người gửi", "to": "Người nhận",
        "subject": "Tiêu đề", "date": "Ngày gửi", "kind": "Phân loại", "reason": "Nguyên nhân",
        "who": "Gắn với", "nobody": "chưa gắn với ai (không xác định được người được khảo sát)", "by": "theo",
        "campaign": "đợt", "folder": "Thư mục", "attachments": "Tệp đính kèm / phần không hiển thị",
        "empty": "(thư không có phần văn bản)", "raw": "Bản gốc",
    },
    "en": {
        "title": "Inbound message #{id}", "received": "Received", "from": "From", "to": "To",
        "subject": "Subject", "date": "Date", "kind": "Verdict", "reason": "Reason", "who": "Tied to",
        "nobody": "nobody (no respondent could be identified)", "by": "by", "campaign": "campaign",
        "folder": "Folder", "attachments": "Attachments / parts not shown", "empty": "(no text part)",
        "raw": "As received",
    },
}  # fmt: skip


_LIST = {
    "vi": {"id": "Số", "received": "Nhận lúc", "kind": "Loại", "reason": "Lý do", "who": "Người khảo sát / người gửi",
           "subject": "Tiêu đề"},
    "en": {"id": "id", "received": "received", "kind": "kind", "reason": "reason", "who": "respondent / from",
           "subject": "subject"},
}  # fmt: skip


def _local(when: datetime, tz: str, lang: str) -> str:
    """The campaign's time with its zone, as every operator command prints it ("23:05 (ICT, UTC+7)")."""
    try:
        ZoneInfo(tz)
    except (ValueError, KeyError):
        tz = clock.DEFAULT_TZ
    return clock.local(when, tz)


def render_message(m: InboundMessage, lang: str = "vi") -> str:
    """``inbound show``: headers decoded, times in the campaign's zone, the verdict, whom it is tied
    to and how, and the decoded text."""
    t, r = _LABELS[lang], readable(m.raw)
    kind = V.inbound_kind(m.kind, lang, m.reason)
    lines = [
        t["title"].format(id=m.id),
        f"{t['received']}: {_local(m.received_at, m.timezone, lang)}",
        f"{t['from']}: {r.from_}",
        f"{t['to']}: {r.to}",
        f"{t['subject']}: {r.subject}",
    ]
    if r.date is not None:
        lines.append(f"{t['date']}: {_local(r.date, m.timezone, lang)}")
    lines.append(f"{t['kind']}: {kind}" + (f" ({m.kind})" if kind != m.kind else ""))
    if m.reason:
        lines.append(
            f"{t['reason']}: {m.reason}{' ' + m.status if m.status else ''} — {explain(m.reason, lang)}"
        )
    if m.email:
        who = m.email + (f" ({m.full_name})" if m.full_name else "")
        who += f", {t['campaign']} {m.campaign}" if m.campaign else ""
        if m.attributed_by:
            who += f" — {t['by']} {V.attributed_by(m.attributed_by, lang)}"
        lines.append(f"{t['who']}: {who}")
    else:
        lines.append(f"{t['who']}: {t['nobody']}")
    if m.moved_to:
        lines.append(f"{t['folder']}: {m.moved_to}")
    lines += ["", r.text or t["empty"], ""]
    if r.attachments:
        lines.append(f"{t['attachments']}: {', '.join(r.attachments)}")
    lines.append(f"{t['raw']}: maildaemon inbound show {m.id} --raw")
    return "\n".join(lines) + "\n"


def message_json(m: InboundMessage) -> dict[str, Any]:
    r = readable(m.raw)
    return {
        "id": m.id, "received_at": m.received_at.isoformat(), "timezone": m.timezone, "from": r.from_, "to": r.to,
        "subject": r.subject, "date": r.date.isoformat() if r.date else None, "kind": m.kind, "reason": m.reason,
        "status": m.status, "respondent": m.email, "full_name": m.full_name, "campaign": m.campaign,
        "attributed_by": m.attributed_by, "folder": m.moved_to, "text": r.text, "attachments": list(r.attachments),
    }  # fmt: skip


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
    ib.add_argument("action", nargs="?", choices=["list", "show", "assign"], default="list",
                    help="list (default); show ID: one message decoded for reading; assign ID EMAIL|TOKEN: "
                         "the message is this person's (its verdict then applies to them)")  # fmt: skip
    ib.add_argument("id", nargs="?", type=int, metavar="ID", help="the message to show or assign")
    ib.add_argument("who", nargs="?", metavar="EMAIL|TOKEN", help="with assign: the respondent")
    ib.add_argument("--campaign", help="with assign: the respondent's campaign (default: their latest)")
    ib.add_argument("--by", help="with assign: who decided, for the history (default: the OS user)")
    ib.add_argument("--show", type=int, metavar="ID", help="the same as `show ID`")
    ib.add_argument("--raw", action="store_true", help="with show: the message exactly as received")
    ib.add_argument("--lang", choices=["vi", "en"], default="vi", help="language of the labels")
    ib.add_argument("--json", action="store_true")
    ib.set_defaults(func=cmd_inbound)
