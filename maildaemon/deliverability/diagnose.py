"""``maildaemon diagnose ADDRESS``: one fresh probe of an address plus our sender domain's SPF and DMARC,
assembled with the respondent's history into a Diagnosis that IT staff can read (text, Vietnamese or
English) or a program can store (JSON). The history comes in as data; nothing here reads the database.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from maildaemon.deliverability import dns as dnscheck
from maildaemon.deliverability import findings
from maildaemon.deliverability.dns import DmarcCheck, SpfCheck
from maildaemon.deliverability.findings import HistoryEvent
from maildaemon.deliverability.outcomes import exit_code
from maildaemon.deliverability.probe import Prober, ProbeSettings
from maildaemon.deliverability.results import MxAttempt, ProbeCache, ProbeResult
from maildaemon.deliverability.texts import Finding
from maildaemon.reporting.clock import zone_label


@dataclass(frozen=True, slots=True)
class Diagnosis:
    address: str
    result: ProbeResult
    sender_domain: str
    spf: SpfCheck | None
    dmarc: DmarcCheck | None
    findings: tuple[Finding, ...]
    history: tuple[HistoryEvent, ...] = ()

    @property
    def exit_code(self) -> int:
        return exit_code(self.result.outcome)

    def to_dict(self) -> dict[str, Any]:
        return {
            "address": self.address,
            "outcome": self.result.outcome.value,
            "exit_code": self.exit_code,
            "result": self.result.to_dict(),
            "sender_domain": self.sender_domain,
            "spf": self.spf.to_dict() if self.spf else None,
            "dmarc": self.dmarc.to_dict() if self.dmarc else None,
            "findings": [f.to_dict() for f in self.findings],
            "history": [
                {
                    "at": e.at.isoformat(),
                    "kind": e.kind,
                    "outcome": e.outcome,
                    "reason": e.reason,
                    "detail": e.detail,
                }
                for e in self.history
            ],
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2)

    def render_text(self, lang: str = "vi", tz: str = "Asia/Ho_Chi_Minh") -> str:
        return render_text(self, lang, tz)


async def diagnose(
    address: str,
    settings: ProbeSettings,
    sender_domain: str,
    history: Sequence[HistoryEvent] = (),
    *,
    relay_ips: Sequence[str] = (),
    tz: str = "Asia/Ho_Chi_Minh",
) -> Diagnosis:
    """Probe ``address`` afresh (no cache), check ``sender_domain``'s SPF (for ``relay_ips``) and DMARC."""
    async with Prober(settings, cache=ProbeCache(ttl=0)) as prober:
        resolver = prober.resolver
        result, spf, dmarc = await asyncio.gather(
            prober.check(address),
            dnscheck.spf_check(resolver, sender_domain, relay_ips) if sender_domain else _none(),
            dnscheck.dmarc_record(resolver, sender_domain) if sender_domain else _none(),
        )
    found = findings.build(result, spf, dmarc, history, tz)
    return Diagnosis(address, result, sender_domain, spf, dmarc, tuple(found), tuple(history))


async def _none() -> None:
    return None


# --- text rendering --------------------------------------------------------------------------------------

_L: dict[str, dict[str, Any]] = {
    "vi": {
        "title": "Chẩn đoán địa chỉ thư điện tử",
        "outcome": "Kết quả",
        "exit": "mã thoát",
        "dns": "DNS của tên miền nhận",
        "sender": "Tên miền gửi",
        "none": "không có",
        "server": "Máy chủ",
        "tls": "TLS",
        "no_tls": "không dùng TLS",
        "cert": "chứng chỉ",
        "expires": "hết hạn",
        "match": "khớp tên",
        "verified": "đã xác minh",
        "yes": "có",
        "no": "không",
        "findings": "Nhận định",
        "todo": "Việc cần làm",
        "history": "Lịch sử",
        "cached": "(kết quả lưu tạm)",
        "sev": {"error": "LỖI", "warning": "CẢNH BÁO", "info": "THÔNG TIN", "ok": "TỐT"},
        "said": "máy chủ trả lời",
        "outcomes": {
            "accepted": "máy chủ chấp nhận địa chỉ",
            "rejected": "máy chủ từ chối địa chỉ",
            "no-mx": "tên miền không có máy chủ nhận thư",
            "no-domain": "tên miền không tồn tại",
            "unreachable": "không kết nối được máy chủ nhận thư",
            "tls-failed": "lỗi TLS",
            "catch-all": "máy chủ nhận mọi địa chỉ (không xác minh được)",
            "try-later": "máy chủ bảo thử lại sau",
            "unknown": "không hiểu trả lời của máy chủ",
            "invalid": "địa chỉ sai cú pháp",
        },
        "kinds": {
            "sent": "đã gửi",
            "bounce": "bị trả lại",
            "deferred": "tạm hoãn",
            "delivered": "đã nhận",
            "reply": "trả lời",
            "check": "kiểm tra",
        },
    },
    "en": {
        "title": "Mail address diagnosis",
        "outcome": "Outcome",
        "exit": "exit code",
        "dns": "DNS of the recipient domain",
        "sender": "Sender domain",
        "none": "none",
        "server": "Server",
        "tls": "TLS",
        "no_tls": "no TLS",
        "cert": "certificate",
        "expires": "expires",
        "match": "name matches",
        "verified": "verified",
        "yes": "yes",
        "no": "no",
        "findings": "Findings",
        "todo": "What to do",
        "history": "History",
        "cached": "(cached result)",
        "sev": {"error": "ERROR", "warning": "WARNING", "info": "INFO", "ok": "OK"},
        "said": "server said",
        "outcomes": {
            "accepted": "the server accepts the address",
            "rejected": "the server rejects the address",
            "no-mx": "the domain has no mail server",
            "no-domain": "no such domain",
            "unreachable": "the mail server cannot be reached",
            "tls-failed": "TLS failed",
            "catch-all": "the server accepts any address (cannot verify)",
            "try-later": "the server says try later",
            "unknown": "unreadable server answer",
            "invalid": "not a valid address",
        },
        "kinds": {
            "sent": "sent",
            "bounce": "bounced",
            "deferred": "deferred",
            "delivered": "delivered",
            "reply": "reply",
            "check": "check",
        },
    },
}


def _yn(value: bool | None, t: dict[str, Any]) -> str:
    return "?" if value is None else (t["yes"] if value else t["no"])


def _attempt_lines(a: MxAttempt, t: dict[str, Any]) -> list[str]:
    lines = [
        f"{t['server']} {a.host} [{a.address}] (MX {a.preference}): {a.outcome.value} @ {a.stage}"
        f" ({a.elapsed_ms:.0f} ms)"
    ]
    if a.tls is not None:
        tls = a.tls
        parts = [p for p in (tls.protocol, tls.cipher) if p]
        if tls.subject:
            parts.append(f"{t['cert']} {tls.subject} / {tls.issuer}, {t['expires']} {tls.not_after}")
        parts.append(f"{t['match']}: {_yn(tls.name_match, t)}, {t['verified']}: {_yn(tls.verified, t)}")
        if tls.error:
            parts.append(tls.error)
        lines.append(f"  {t['tls']}: " + "; ".join(parts))
    elif a.tls_offered is False:
        lines.append(f"  {t['tls']}: {t['no_tls']}")
    for step in a.transcript:
        lapse = f" ({step.lapse_ms:.1f} ms)" if step.lapse_ms is not None else ""
        lines.append(f"  {step.at_ms:8.1f} ms {step.kind} {step.text}{lapse}")
    return lines


def render_text(d: Diagnosis, lang: str = "vi", tz: str = "Asia/Ho_Chi_Minh") -> str:
    """A swaks-like report in one language: verdict, DNS, our sender domain, each MX transcript with
    timings, findings, the history in ``tz`` (the servers' own replies are quoted as they came)."""
    t = _L.get(lang, _L["vi"])
    r = d.result
    out = [f"{t['title']}: {d.address}"]
    verdict = f"{t['outcome']}: {t['outcomes'].get(r.outcome.value, r.outcome.value)} ({r.outcome.value}"
    verdict += f", {r.reason})" if r.reason else ")"
    if r.code is not None:
        verdict += f" — {t['said']}: {r.code} {r.text}"
    elif r.text and lang == "en":
        verdict += f" — {r.text}"
    out.append(f"{verdict} [{t['exit']} {d.exit_code}]" + (f" {t['cached']}" if r.from_cache else ""))
    if r.route is not None:
        route = r.route
        hosts = ", ".join(
            f"{h.preference} {h.host} [{' '.join(h.addresses) or h.error}]" for h in route.hosts
        )
        extra = f" — {route.error}" if route.error and lang == "en" else ""
        out.append(
            f"{t['dns']} {route.domain}: {route.status.value} {hosts}{extra} ({route.elapsed_ms:.0f} ms)"
        )
    if d.sender_domain:
        spf = d.spf
        spf_text = f'SPF "{spf.record}"' if spf and spf.record else f"SPF: {t['none']}"
        if spf and spf.verdicts:
            spf_text += " (" + ", ".join(f"{ip}: {v}" for ip, v in spf.verdicts) + ")"
        dmarc = d.dmarc
        dmarc_text = f'DMARC "{dmarc.record}"' if dmarc and dmarc.record else f"DMARC: {t['none']}"
        out.append(f"{t['sender']} {d.sender_domain}: {spf_text}; {dmarc_text}")
    for attempt in r.attempts:
        out.append("")
        out.extend(_attempt_lines(attempt, t))
    out.append("")
    out.append(f"{t['findings']}:")
    for f in d.findings:
        out.append(f"  [{t['sev'][f.severity.value]}] {f.text(lang)}")
        if f.action(lang):
            out.append(f"      → {t['todo']}: {f.action(lang)}")
    if d.history:
        out.append("")
        out.append(f"{t['history']}:")
        zone = ZoneInfo(tz)
        for e in sorted(d.history, key=lambda e: e.at):
            local = e.at.astimezone(zone)
            bits = " ".join(x for x in (t["kinds"].get(e.kind, e.kind), e.reason, e.detail) if x)
            out.append(f"  {local:%Y-%m-%d %H:%M} ({zone_label(tz, local)}) {bits}")
    return "\n".join(out) + "\n"
