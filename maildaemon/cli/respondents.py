"""`maildaemon respondent show|correct|exclude|restore` and `maildaemon resend`: the operator's loop on
one person (see them, correct an address, take them out or back) and re-sending after a fix."""

from __future__ import annotations

import argparse
import getpass
from datetime import datetime
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.cli.output import print_json
from maildaemon.config import Config
from maildaemon.core.corrections import AddressCheck, check_note
from maildaemon.core.reasons import explain
from maildaemon.operations import respondents as cases
from maildaemon.reporting import vocabulary as V
from maildaemon.reporting.render.labels import Labels

_WORDS = {
    "vi": {
        "person": "Người được khảo sát", "agency": "Cơ quan/đơn vị", "delivery": "Tình trạng thư",
        "completion": "Tình trạng trả lời", "reason": "Nguyên nhân", "excluded": "Đã loại khỏi khảo sát",
        "history": "Lịch sử", "outbox": "Thư đã gửi đi", "inbound": "Thư nhận về", "times": "Giờ theo múi",
        "campaign": "Đợt khảo sát", "token": "Mã phiếu", "key": "Mã cán bộ", "none": "(không có)",
        "attempts": "lần gửi", "f_delivery": "Thư", "f_completion": "Trả lời", "f_outbox": "Thư đi",
        "f_note": "Ghi chú", "o_queued": "chờ gửi", "o_leased": "đang gửi", "o_sent": "đã gửi",
        "o_deferred": "gửi lại sau", "o_failed": "không gửi được", "o_cancelled": "đã hủy",
        "k_invitation": "Thư mời", "k_reminder": "Thư nhắc lần", "k_final": "Thư nhắc cuối cùng",
        "i_bounce": "Thư báo lỗi", "i_delay": "Báo chậm gửi", "i_delivered": "Xác nhận đã nhận",
        "i_autoreply": "Trả lời tự động", "i_reply": "Thư trả lời", "i_feedback": "Báo thư rác",
        "i_unknown": "Thư khác",
    },
    "en": {
        "person": "Respondent", "agency": "Agency", "delivery": "Mail status", "completion": "Answer status",
        "reason": "Reason", "excluded": "Excluded from the survey", "history": "History",
        "outbox": "Mail sent", "inbound": "Mail received", "times": "Times in", "campaign": "Campaign",
        "token": "Token", "key": "Person key", "none": "(none)", "attempts": "attempts",
        "f_delivery": "Mail", "f_completion": "Answer", "f_outbox": "Outgoing", "f_note": "Note",
        "o_queued": "queued", "o_leased": "sending", "o_sent": "sent", "o_deferred": "to retry",
        "o_failed": "failed", "o_cancelled": "cancelled", "k_invitation": "Invitation",
        "k_reminder": "Reminder", "k_final": "Final reminder", "i_bounce": "Bounce", "i_delay": "Delay notice",
        "i_delivered": "Delivery receipt", "i_autoreply": "Auto-reply", "i_reply": "Reply",
        "i_feedback": "Spam report", "i_unknown": "Other mail",
    },
}  # fmt: skip


def default_actor() -> str:
    """Who an event names when the operator does not say: the OS user running the command."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "operator"


def _state_label(labels: Labels, field: str, value: str | None) -> str:
    """A state in the operator's words: the report's one vocabulary for respondent states, ours for the
    outbox."""
    if value is None:
        return "-"
    if field == "outbox":
        return _WORDS[labels.lang].get(f"o_{value}", value)
    return V.event_word(field, value, labels.lang) if field in ("delivery", "completion") else value


def history_line(labels: Labels, e: dict[str, Any]) -> str:
    """One event of a person's history: a move between two states, or a note's kind, in words."""
    if e["field"] in ("delivery", "completion", "outbox"):
        change = f"{_state_label(labels, e['field'], e['old_value'])} -> {_state_label(labels, e['field'], e['new_value'])}"
    else:
        change = V.event_word(e["field"], e["new_value"], labels.lang) if e["new_value"] else e["field"]
    field = _WORDS[labels.lang].get(f"f_{e['field']}", e["field"])
    detail = V.inbound_detail(e["detail"] or "", labels.lang)
    return f"  {labels.when(e['at'])}  {field}: {change}  [{e['source']}] {detail}".rstrip()


def _kind(words: dict[str, str], kind: str) -> str:
    """``reminder-2`` -> "Thư nhắc lần 2"."""
    base, _, number = kind.partition("-")
    name = words.get(f"k_{base}", kind)
    return f"{name} {number}" if number else name


async def cmd_show(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        shown = await cases.show(store, args.who, args.campaign)
    p, campaign = shown.person, shown.campaign.campaign
    r = p.respondent
    if args.json:
        print_json(
            {
                "campaign": shown.campaign.name,
                "timezone": campaign.timezone,
                "respondent": {k: v for k, v in r.items() if k not in ("email_key",)},
                "agencies": [{"code": a["code"], "name": a["name"], "level": a["level"]} for a in p.agencies],
                "events": p.events,
                "outbox": p.outbox,
                "inbound": p.inbound,
            }  # fmt: skip
        )
        return 0
    labels = Labels(args.lang, campaign.timezone)
    w = _WORDS[labels.lang]
    print(
        f"{w['person']}: {r['full_name'] or '-'} <{r['email']}>" + (f" — {r['title']}" if r["title"] else "")
    )
    print(f"{w['campaign']}: {shown.campaign.name} ({w['times']} {campaign.timezone})")
    # the province row's code is internal (`_province`): its name only
    chain = " < ".join(
        a["name"] + ("" if a["code"].startswith("_") else f" ({a['code']})") for a in p.agencies
    )
    print(f"{w['agency']}: {chain or '-'}")
    print(
        f"{w['token']}: {r['token']}" + (f"   {w['key']}: {r['person_key']}" if r.get("person_key") else "")
    )
    print(f"{w['delivery']}: {labels.state(r['delivery'], r['completion'], r['reason'])}")
    print(f"{w['completion']}: {_state_label(labels, 'completion', r['completion'])}")
    if r["reason"]:
        print(f"{w['reason']}: {explain(r['reason'], labels.lang)} ({r['status_code'] or r['reason']})")
    if r.get("excluded_at"):
        print(f"{w['excluded']}: {labels.when(r['excluded_at'])} — {r['excluded_reason']}")
    print(f"\n{w['history']}:")
    for e in p.events:
        print(history_line(labels, e))
    print(f"\n{w['outbox']}:")
    for o in p.outbox or []:
        sent = labels.when(o["sent_at"]) or "-"
        reply = f"{o['last_code'] or ''} {o['last_reply'] or ''}".strip()
        state = _state_label(labels, "outbox", o["state"])
        print(f"  {_kind(w, o['kind'])}: {state}, {o['attempts']} {w['attempts']}, {sent}  {reply}".rstrip())
    if not p.outbox:
        print(f"  {w['none']}")
    print(f"\n{w['inbound']}:")
    for m in p.inbound:
        why = f" {explain(m['reason'], labels.lang)}" if m["reason"] else ""
        print(
            f"  {labels.when(m['received_at'])}  #{m['id']} {w.get('i_' + m['kind'], m['kind'])}:{why}  "
            f"{m['subject'] or ''}".rstrip()
        )
    if not p.inbound:
        print(f"  {w['none']}")
    return 0


async def cmd_correct(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        done = await cases.correct(
            store, args.old, args.new, campaign=args.campaign, actor=args.by or default_actor(),
            now=app.utcnow(), allow_test_domains=cfg.daemon.allow_test_domains, checker=cfg.checker,
            skip_check="skipped (--no-check)" if args.no_check else "", anyway=args.anyway,
        )  # fmt: skip
    decision, address, check = done.decision, done.address, done.check.result
    state = done.delivery
    if args.json:
        print_json({"campaign": done.campaign.name, "old": args.old, "new": address, "requeued": decision.requeue,
                    "delivery": state,
                    "check": None if check is None else {"outcome": check.outcome, "verdict": check.verdict,
                                                         "reason": check.reason, "code": check.code,
                                                         "text": check.text, "overridden": done.check.overridden}})  # fmt: skip
    else:
        again = "; the mail that did not arrive is queued again" if decision.requeue else ""
        print(f"{args.old} -> {address} in {done.campaign.name} (delivery {state}{again})")
        print(_check_line(done.check))
    return 0


def _check_line(check: AddressCheck) -> str:
    """What the operator learns of the new mailbox: the event's words on the check, with what they mean
    for the operator (checked, inconclusive: the next bounce will tell, or not checked)."""
    note, r = check_note(check), check.result
    if r is None:
        return note
    if r.verdict == "ok":
        return f"{note} (the receiving server knows the address)"
    if check.overridden:
        return f"{note}; mail goes to it as asked, and a bounce will tell if the check was right"
    return f"{note}; a bounce will tell if the address is wrong"


async def _exclusion(args: argparse.Namespace, cfg: Config, exclude: bool) -> int:
    async with app.open_store(cfg) as store:
        record, email = await cases.set_excluded(
            store, args.who, exclude=exclude, reason=getattr(args, "reason", "") or "", campaign=args.campaign,
            actor=args.by or default_actor(), now=app.utcnow(),
        )  # fmt: skip
    print(f"{email}: {'excluded from' if exclude else 'restored to'} {record.name}")
    return 0


async def cmd_exclude(args: argparse.Namespace, cfg: Config) -> int:
    return await _exclusion(args, cfg, True)


async def cmd_restore(args: argparse.Namespace, cfg: Config) -> int:
    return await _exclusion(args, cfg, False)


async def cmd_resend(args: argparse.Namespace, cfg: Config) -> int:
    now: datetime = app.utcnow()
    async with app.open_store(cfg) as store:
        result = await cases.resend(
            store, args.campaign, email=args.email, reason=args.reason, agency=args.agency,
            actor=args.by or default_actor(), now=now, dry_run=args.dry_run,
        )  # fmt: skip
    if args.json:
        print_json({"queued": [{"email": e, "mail": k} for e, k in result.done],
                    "refused": [{"email": e, "why": w} for e, w in result.refused], "dry_run": args.dry_run})  # fmt: skip
        return 0
    verb = "would queue again" if args.dry_run else "queued again"
    print(f"{args.campaign}: {verb} {len(result.done)}, refused {len(result.refused)}")
    for email, kind in result.done:
        print(f"  {email}: {kind}")
    for email, why in result.refused:
        print(f"  {email}: not resent — {why}")
    return 0


def _common(p: Any) -> None:
    p.add_argument("--campaign", help="campaign name (default: the latest with this person)")
    p.add_argument("--by", help="who makes the change (default: the OS user)")


def register(sub: Any) -> None:
    rp = sub.add_parser("respondent", help="see, correct, exclude or restore one respondent")
    rs = rp.add_subparsers(dest="respondent_cmd", required=True, metavar="ACTION")
    show = rs.add_parser("show", help="who, which agency, states, every event and message, in local time")
    show.add_argument("who", metavar="EMAIL|TOKEN")
    show.add_argument("--campaign")
    show.add_argument("--lang", choices=["vi", "en"], default="vi")
    show.add_argument("--json", action="store_true")
    show.set_defaults(func=cmd_show)
    co = rs.add_parser("correct", help="give a respondent a new address (keeps token and history)")
    co.add_argument("old", metavar="OLD")
    co.add_argument("new", metavar="NEW")
    _common(co)
    co.add_argument("--json", action="store_true")
    how = co.add_mutually_exclusive_group()
    how.add_argument(
        "--anyway", action="store_true",
        help="correct even if the check finds that the new mailbox cannot exist; the check still runs and "
        "the event records what it found",
    )  # fmt: skip
    how.add_argument(
        "--no-check", action="store_true",
        help="do not check the new mailbox at all (no network); the event records that it was skipped",
    )  # fmt: skip
    co.set_defaults(func=cmd_correct)
    ex = rs.add_parser("exclude", help="take a respondent out of the survey (no mail, not counted)")
    ex.add_argument("who", metavar="EMAIL|TOKEN")
    ex.add_argument("--reason", required=True, help="why (left the agency, on long leave, ...)")
    _common(ex)
    ex.set_defaults(func=cmd_exclude)
    re_ = rs.add_parser("restore", help="undo an exclusion")
    re_.add_argument("who", metavar="EMAIL|TOKEN")
    _common(re_)
    re_.set_defaults(func=cmd_restore)

    rsd = sub.add_parser("resend", help="queue the last mail again after its cause was fixed")
    rsd.add_argument("campaign")
    which = rsd.add_mutually_exclusive_group(required=True)
    which.add_argument("--email", help="one respondent")
    which.add_argument(
        "--reason", help="everyone whose mail failed for this reason (full, policy, mailboxfull, ...)"
    )
    which.add_argument("--agency", metavar="CODE", help="everyone blocked in this agency and its units")
    rsd.add_argument("--dry-run", action="store_true", help="list who would get it, change nothing")
    rsd.add_argument("--by", help="who asks (default: the OS user)")
    rsd.add_argument("--json", action="store_true")
    rsd.set_defaults(func=cmd_resend)
