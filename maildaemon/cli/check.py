"""`maildaemon check` (every respondent of a campaign, before sending) and `maildaemon diagnose`
(one address, for IT staff: DNS, each MX's transcript, TLS, our SPF/DMARC, history, what to do).
The use cases are in ``deliverability``; here they are parsed, called and printed."""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from maildaemon.cli import usecases as app
from maildaemon.config import Config
from maildaemon.deliverability.check import check_campaign, probe_settings
from maildaemon.deliverability.outcomes import EXIT_CODES, Outcome
from maildaemon.deliverability.results import ProbeResult
from maildaemon.operations.diagnose import DiagnoseSettings, diagnose_address
from maildaemon.reporting import vocabulary as V
from maildaemon.reporting.display import table
from maildaemon.store import CheckTarget


def _progress(done: int, total: int) -> None:
    print(f"\rchecked {done}/{total}", end="" if done < total else "\n", file=sys.stderr, flush=True)


async def cmd_check(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        rec = await store.get_campaign(args.campaign)
        c = rec.campaign
        settings = probe_settings(
            cfg.checker, f"{c.bounce_prefix}@{c.bounce_domain}", cfg.daemon.allow_test_domains
        )
        progress = _progress if sys.stderr.isatty() and not args.json else None
        s = await check_campaign(store, rec.name, settings, args.agency, progress, now=app.utcnow)
    bad, proven = split_bad(s.bad)
    if args.json:
        print(json.dumps({
            "campaign": s.campaign, "checked": s.checked, "seconds": round(s.seconds, 1),
            "by_domain": s.by_domain, "by_agency": s.by_agency,
            "bad": [_bad_dict(t, r) for t, r in bad],
            "contradicted": [_bad_dict(t, r) | {"delivery": t.delivery, "completion": t.completion}
                             for t, r in proven],
        }, ensure_ascii=False))  # fmt: skip
        return 0
    t = _TEXT[V.lang_of(args.lang or cfg.daemon.language)]
    outcomes = [o.value for o in Outcome]
    used = [o for o in outcomes if any(c[o] for c in s.by_domain.values())]
    seconds = f"{s.seconds:.1f}".replace(".", "," if t["lang"] == "vi" else ".")
    print(t["checked"].format(n=s.checked, campaign=s.campaign, s=seconds) + "\n")
    heads = [OUTCOME_WORDS[t["lang"]].get(o, o) for o in used]
    print(table([t["domain"], *heads], [[d, *[c[o] for o in used]] for d, c in sorted(s.by_domain.items())]))
    print()
    print(table([t["agency"], *heads], [[a, *[c[o] for o in used]] for a, c in sorted(s.by_agency.items())]))
    if bad:
        print("\n" + t["bad"].format(n=len(bad)))
        print(table([t["agency"], t["address"], t["result"], t["reason"], t["said"]],
                    [[x.agency_name, x.email, OUTCOME_WORDS[t["lang"]].get(r.outcome.value, r.outcome.value), V.reason_label(r.reason, t["lang"]) if r.reason else "",
                      f"{r.code or ''} {r.text}".strip()[:80]] for x, r in bad], numeric_from=99))  # fmt: skip
    else:
        print("\n" + t["no_bad"])
    if proven:
        print("\n" + t["proven"].format(n=len(proven)))
        print(table([t["agency"], t["address"], t["result"], t["state"]],
                    [[x.agency_name, x.email, OUTCOME_WORDS[t["lang"]].get(r.outcome.value, r.outcome.value), V.state_label(x.delivery, x.completion, None, t["lang"])
                      + (f"; {V.word(x.completion, t['lang'])}" if x.completion != "pending" else "")]
                     for x, r in proven], numeric_from=99))  # fmt: skip
    return 0


# Completion states that prove our mail reached the mailbox (someone read it and acted).
_PROOF = frozenset({"completed", "replied", "away", "declined"})


def split_bad(bad: list[tuple[CheckTarget, ProbeResult]]) -> tuple[list[Any], list[Any]]:
    """The checker's "bad" addresses, and those among them our mail is known to have reached (delivered,
    or the person answered): a probe from here cannot outweigh that, so they are not called bad."""
    real = [(t, r) for t, r in bad if t.delivery != "delivered" and t.completion not in _PROOF]
    proven = [(t, r) for t, r in bad if t.delivery == "delivered" or t.completion in _PROOF]
    return real, proven


def _bad_dict(t: CheckTarget, r: ProbeResult) -> dict[str, Any]:
    return {"email": t.email, "agency": t.agency_name, "outcome": r.outcome.value, "reason": r.reason,
            "code": r.code, "text": r.text}  # fmt: skip


# Short column words for each check outcome (the codes stay in --json).
OUTCOME_WORDS = {
    "vi": {"accepted": "nhận", "rejected": "từ chối", "no-mx": "không có MX", "no-domain": "không có tên miền",
           "unreachable": "không kết nối được", "tls-failed": "lỗi TLS", "catch-all": "nhận mọi địa chỉ",
           "try-later": "thử lại sau", "unknown": "không rõ", "invalid": "sai cú pháp"},
    "en": {},
}  # fmt: skip

_TEXT = {
    "vi": {"lang": "vi", "checked": "đã kiểm tra {n} địa chỉ của {campaign} trong {s} giây",
           "domain": "Tên miền", "agency": "Cơ quan/đơn vị", "address": "Địa chỉ", "result": "Kết quả",
           "reason": "Nguyên nhân", "said": "Máy chủ trả lời", "state": "Tình trạng",
           "bad": "{n} địa chỉ cần sửa (sẽ không nhận được thư cho đến khi được sửa và nhập lại):",
           "no_bad": "Không có địa chỉ nào cần sửa.",
           "proven": "{n} địa chỉ máy kiểm tra không xác minh được nhưng đã nhận thư hoặc đã trả lời, nên KHÔNG "
                     "coi là sai (DNS hoặc mạng của máy kiểm tra có thể khác máy chủ gửi; xem: maildaemon diagnose ĐỊA_CHỈ):"},
    "en": {"lang": "en", "checked": "checked {n} addresses of {campaign} in {s}s",
           "domain": "domain", "agency": "agency", "address": "address", "result": "result", "reason": "reason",
           "said": "server said", "state": "state",
           "bad": "{n} addresses to correct (they get no mail until fixed and re-imported):",
           "no_bad": "No address to correct.",
           "proven": "{n} addresses the checker could not verify but which received our mail or answered, so they are "
                     "NOT called bad (the checker's DNS or network may differ from the relay's; see: maildaemon diagnose ADDRESS):"},
}  # fmt: skip


async def cmd_diagnose(args: argparse.Namespace, cfg: Config) -> int:
    async with app.open_store(cfg) as store:
        found = await diagnose_address(store, args.address, DiagnoseSettings.of(cfg),
                                       sender_domain=args.sender_domain, relay_ips=args.relay_ip or ())  # fmt: skip
    result = found.diagnosis
    if args.json:
        print(json.dumps(result.to_dict(), ensure_ascii=False, default=str))
    else:
        print(result.render_text(args.lang or cfg.daemon.language, found.timezone))
    return EXIT_CODES.get(result.result.outcome, 1)


def register(sub: Any) -> None:
    ck = sub.add_parser("check", help="check every respondent's mailbox before sending (DNS, SMTP RCPT, TLS)")
    ck.add_argument("campaign")
    ck.add_argument("--agency", metavar="CODE", help="only this agency (and its units)")
    ck.add_argument("--json", action="store_true")
    ck.add_argument("--lang", choices=["vi", "en"], default=None, help="default: daemon.language")
    ck.set_defaults(func=cmd_check)
    dg = sub.add_parser("diagnose", help="why does this address not receive our mail? (for IT staff)")
    dg.add_argument("address")
    dg.add_argument("--json", action="store_true")
    dg.add_argument("--lang", choices=["vi", "en"], default=None)
    dg.add_argument(
        "--sender-domain", help="our sender domain to check SPF/DMARC for (default: latest campaign's)"
    )
    dg.add_argument(
        "--relay-ip", action="append", help="our relay's public IP (default: smtp.host's addresses)"
    )
    dg.set_defaults(func=cmd_diagnose)
