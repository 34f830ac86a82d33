"""`maildaemon status`: respondents per agency in the report's words and hierarchy, and the daemon's
health seen from outside; times in the campaign's zone, labelled; Vietnamese by default."""

from __future__ import annotations

import argparse
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.cli.output import print_json
from maildaemon.config import Config
from maildaemon.reporting import clock
from maildaemon.reporting import vocabulary as V
from maildaemon.reporting.campaign import campaign_report
from maildaemon.reporting.figures import DEFAULT_TARGET
from maildaemon.reporting.render.status import status_table
from maildaemon.service.health import Reachability, daemon_health

_TEXT = {
    "vi": {
        "running": "đang chạy", "paused": "tạm dừng", "halted": "đã dừng: {reason}",
        "outbox": "hàng đợi thư", "empty": "trống", "due": "đến hạn gửi ngay", "oldest": "thư hoãn lâu nhất từ",
        "poll": "lần đọc hộp thư trả về (IMAP) gần nhất", "never": "chưa lần nào",
        "ok": "kết nối được", "nok": "KHÔNG kết nối được",
        "queued": "chờ gửi", "leased": "đang gửi", "sent": "đã gửi", "deferred": "tạm hoãn", "failed": "thất bại",
    },
    "en": {
        "running": "running", "paused": "paused", "halted": "halted: {reason}",
        "outbox": "outbox", "empty": "empty", "due": "due now", "oldest": "oldest deferred since",
        "poll": "last IMAP poll", "never": "never", "ok": "reachable", "nok": "NOT reachable",
        "queued": "queued", "leased": "leased", "sent": "sent", "deferred": "deferred", "failed": "failed",
    },
}  # fmt: skip


async def cmd_status(args: argparse.Namespace, cfg: Config) -> int:
    lang = V.lang_of(args.lang or cfg.daemon.language)
    now = app.utcnow()
    async with app.open_store(cfg) as store:
        rec = await store.get_campaign(args.campaign) if args.campaign else None
        report = await campaign_report(store, rec.name, args.target, now) if rec else None
        health = await daemon_health(cfg, store, now, probe=not args.no_probe)
    tz = rec.campaign.timezone if rec else clock.DEFAULT_TZ
    if args.json:
        reach = [_reach_dict(r) for r in health.get("reachability", [])]
        q = health["queue"]
        out: dict[str, Any] = {
            "timezone": tz,
            "health": {**health, "reachability": reach, "last_imap_poll": clock.iso(health["last_imap_poll"], tz),
                       "queue": {**q, "oldest_deferred": clock.iso(q["oldest_deferred"], tz)}},
        }  # fmt: skip
        if rec and report:
            out.update(
                campaign=rec.name, paused=rec.paused, halted_reason=rec.halted_reason,
                agencies=[_agency_dict(f) for f in report.agencies],
            )  # fmt: skip
        print_json(out)
        return 0
    t = _TEXT[lang]
    if rec and report:
        state = (t["halted"].format(reason=rec.halted_reason) if rec.halted_reason
                 else t["paused"] if rec.paused else t["running"])  # fmt: skip
        print(f"{rec.name} — {rec.campaign.title} ({state}) · {clock.local(now, tz)}")
        print(status_table(report, lang))
        print()
    q = health["queue"]
    states = ", ".join(f"{t.get(k, k)} {v}" for k, v in sorted(q["states"].items())) or t["empty"]
    oldest = q["oldest_deferred"]
    print(f"{t['outbox']}: {states}; {t['due']} {q['due']}"
          + (f"; {t['oldest']} {clock.local(oldest, tz)}" if oldest else ""))  # fmt: skip
    poll = health["last_imap_poll"]
    print(f"{t['poll']}: {clock.local(poll, tz, '%Y-%m-%d %H:%M:%S') if poll else t['never']}")
    for r in health.get("reachability", []):
        print(f"{r.name} {r.target}: {t['ok'] if r.ok else t['nok']} ({r.detail}, {r.ms} ms)")
    return 0


def _agency_dict(f: Any) -> dict[str, Any]:
    keys = ("respondents", "invited", *V.DELIVERY_GROUPS, "away", "replied", "completed", "declined")
    return {"code": f.code if f.level else "", "name": f.name, "level": f.level, "depth": f.depth,
            **{k: getattr(f, k) for k in keys}, "pending": f.not_answered - f.away, "rate": f.rate}  # fmt: skip


def _reach_dict(r: Reachability) -> dict[str, Any]:
    return {"name": r.name, "target": r.target, "ok": r.ok, "detail": r.detail, "ms": r.ms}


def register(sub: Any) -> None:
    st = sub.add_parser("status", help="respondents per agency by state, and the daemon's health")
    st.add_argument("campaign", nargs="?")
    st.add_argument("--no-probe", action="store_true", help="do not try to reach the SMTP and IMAP servers")
    st.add_argument("--lang", choices=["vi", "en"], default=None, help="default: daemon.language")
    st.add_argument(
        "--target", type=float, default=DEFAULT_TARGET, help="response rate agencies should reach (0..1)"
    )
    st.add_argument("--json", action="store_true")
    st.set_defaults(func=cmd_status)
