"""Pure: probe results, our sender domain's DNS and a respondent's history -> findings in plain words
(texts in ``texts``); an SMTP reply's bounce reason comes from the one map in ``core.replies``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from maildaemon.core import reasons, replies
from maildaemon.deliverability.dns_records import DmarcCheck, RouteStatus, SpfCheck
from maildaemon.deliverability.outcomes import Outcome
from maildaemon.deliverability.results import ProbeResult, TlsInfo
from maildaemon.deliverability.texts import TEXTS, Finding, Severity, make
from maildaemon.reporting import clock
from maildaemon.reporting import vocabulary as V
from maildaemon.reporting.clock import DEFAULT_TZ

# --- SMTP reply -> bounce reason: the one map in core.replies, shared with the sender and the classifier --

enhanced_status = replies.leading_status


def reason_for_reply(code: int | None, enhanced: str, text: str, stage: str = "rcpt") -> str:
    """The bounce reason of a probe's SMTP reply ("" for greylisting: it says nothing). A probe never
    sends DATA, so its replies answer RCPT at the latest."""
    return replies.reason_for_reply(code, text, status=enhanced, stage=stage)


# --- findings -----------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class HistoryEvent:
    """One past fact about the address, from the database (the lead maps ``events``/``checks`` rows).

    ``kind``: "check" (an earlier probe), "bounce", "deferred", "delivered", "reply", "sent".
    ``outcome``: for checks the Outcome value; ``reason``: the bounce reason name, if any."""

    at: datetime
    kind: str
    outcome: str = ""
    reason: str = ""
    detail: str = ""


def for_result(result: ProbeResult) -> list[Finding]:
    """What the check itself says."""
    p: dict[str, Any] = {
        "domain": result.domain,
        "host": result.mx_host or result.domain,
        "code": result.code if result.code is not None else "",
        "text": result.text or result.detail,
    }
    out: list[Finding] = []
    route = result.route
    if route is not None and route.status is RouteStatus.A_FALLBACK:
        out.append(make("a-fallback", **p))
    o = result.outcome
    if o is Outcome.ACCEPTED:
        out.append(make("accepted", **p))
    elif o is Outcome.CATCH_ALL:
        out.append(make("catch-all", **p))
    elif o is Outcome.REJECTED:
        key = f"rejected:{result.reason}"
        out.append(make(key if key in TEXTS else "rejected", **p))
    elif o is Outcome.NO_DOMAIN:
        out.append(make("no-domain", **p))
    elif o is Outcome.NO_MX:
        null = route is not None and route.status is RouteStatus.NULL_MX
        out.append(make("null-mx" if null else "no-mail-host", **p))
    elif o is Outcome.TRY_LATER:
        if result.stage == "dns":
            out.append(make("dns-error", **p))
        elif result.reason == "toomanyconn":
            out.append(make("try-later:toomanyconn", **p))
        else:
            out.append(make("greylisting", **p))
    elif o is Outcome.UNREACHABLE:
        out.append(make("unreachable", **p))
    elif o is Outcome.UNKNOWN:
        out.append(make("unknown", **p))
    elif o is Outcome.INVALID:
        out.append(make("invalid", **p))
    out.extend(for_tls(result))
    return out


def for_tls(result: ProbeResult, now: datetime | None = None) -> list[Finding]:
    """TLS problems of each MX we talked to (a failure on one MX matters even if another answered)."""
    out: list[Finding] = []
    seen: set[str] = set()
    for attempt in result.attempts:
        if attempt.host in seen or not attempt.transcript:
            continue
        seen.add(attempt.host)
        tls = attempt.tls
        if tls is None:
            if attempt.tls_offered is False:
                out.append(make("tls:none", host=attempt.host))
            continue
        out.extend(_tls_findings(attempt.host, tls, now or result.checked_at))
    return out


def _tls_findings(host: str, tls: TlsInfo, now: datetime) -> list[Finding]:
    p = {
        "host": host,
        "not_after": tls.not_after,
        "names": ", ".join(tls.names) or tls.subject,
        "error": tls.error,
    }
    if tls.problem:
        key = f"tls:{tls.problem}"
        return [make(key if key in TEXTS else "tls:handshake", **p)]
    if tls.not_after:
        try:
            expires = datetime.fromisoformat(tls.not_after)
        except ValueError:
            return []
        if expires.tzinfo is not None and now.tzinfo is not None and expires - now < timedelta(days=14):
            return [make("tls:expiring", **p)]
    return []


def for_sender(spf: SpfCheck | None, dmarc: DmarcCheck | None) -> list[Finding]:
    """Our own sender domain: SPF present and allowing our relay IPs; DMARC present."""
    out: list[Finding] = []
    if spf is not None:
        if spf.error and spf.record is None:
            out.append(make("spf:error", domain=spf.domain, error=spf.error))
        elif spf.record is None:
            out.append(make("spf:missing", domain=spf.domain))
        for ip, verdict in spf.verdicts:
            if spf.record is not None and verdict != "pass":
                key = "spf:error" if verdict in ("temperror", "permerror") else "spf:not-allowed"
                out.append(make(key, domain=spf.domain, ip=ip, verdict=verdict, error=verdict))
    if dmarc is not None and dmarc.record is None and not dmarc.error:
        out.append(make("dmarc:missing", domain=dmarc.domain))
    return out


def for_history(result: ProbeResult, history: Sequence[HistoryEvent], tz: str = DEFAULT_TZ) -> list[Finding]:
    """What the past adds to today's check."""
    out: list[Finding] = []
    events = sorted(history, key=lambda e: e.at)
    bounces = [e for e in events if e.kind == "bounce"]
    delivered = [e for e in events if e.kind in ("delivered", "reply")]
    if result.outcome is Outcome.ACCEPTED and bounces:
        last = bounces[-1]
        out.append(
            make(
                "history:bounced-now-accepted",
                when=_when(last.at, tz),
                reason_vi=V.reason_label(last.reason, "vi"),
                reason_en=V.reason_label(last.reason, "en"),
            )
        )
    if result.outcome is Outcome.REJECTED and result.reason == "userunknown" and delivered:
        out.append(make("history:delivered-now-rejected", when=_when(delivered[-1].at, tz)))
    if result.outcome is Outcome.TRY_LATER:
        streak = 1
        for e in reversed(events):
            if e.kind == "check" and e.outcome == Outcome.TRY_LATER.value:
                streak += 1
            elif e.kind == "check":
                break
        if streak >= 3:
            out.append(make("history:repeated-try-later", count=streak))
    return out


# Probe outcomes that say "this domain takes no mail from here", which a past delivery can contradict.
_DOMAIN_UNSEEN = frozenset({Outcome.NO_DOMAIN, Outcome.NO_MX, Outcome.UNREACHABLE})
# Bounce reasons that do not prove the recipient's domain answered.
_NOT_FROM_DOMAIN = frozenset(
    {"hostunknown", "notaccept", "networkerror", "expired", "norelaying", "undefined", ""}
)
_OUTCOME_WORDS = {
    Outcome.NO_DOMAIN: ("tên miền không tồn tại", "no such domain"),
    Outcome.NO_MX: ("không có máy chủ nhận thư", "no mail server"),
    Outcome.UNREACHABLE: ("không kết nối được", "unreachable"),
}


def domain_took_mail(result: ProbeResult, history: Sequence[HistoryEvent]) -> HistoryEvent | None:
    """The latest past fact proving the domain takes our mail while today's probe says it does not:
    a delivery, a reply, or a bounce the recipient's own server gave about the mailbox."""
    if result.outcome not in _DOMAIN_UNSEEN:
        return None
    proofs = [e for e in history if e.kind in ("delivered", "reply")
              or (e.kind == "bounce" and e.reason not in _NOT_FROM_DOMAIN)]  # fmt: skip
    return max(proofs, key=lambda e: e.at) if proofs else None


def _last_bounce(history: Sequence[HistoryEvent], tz: str) -> list[Finding]:
    """The latest bounce explained, with what to do, when nothing was delivered after it."""
    events = sorted(history, key=lambda e: e.at)
    bounces = [e for e in events if e.kind == "bounce" and e.reason]
    if not bounces:
        return []
    last = bounces[-1]
    if any(e.kind in ("delivered", "reply") and e.at > last.at for e in events):
        return []
    return [make("history:last-bounce", when=_when(last.at, tz), reason_vi=reasons.explain(last.reason, "vi"),
                 reason_en=reasons.explain(last.reason, "en"), todo_vi=reasons.advise(last.reason, "vi"),
                 todo_en=reasons.advise(last.reason, "en"))]  # fmt: skip


def _when(at: datetime, tz: str) -> str:
    return clock.local(at, tz)


_UNSEEN_KEYS = frozenset({"no-domain", "null-mx", "no-mail-host", "unreachable"})
_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2, Severity.OK: 3}


def build(
    result: ProbeResult,
    spf: SpfCheck | None = None,
    dmarc: DmarcCheck | None = None,
    history: Sequence[HistoryEvent] = (),
    tz: str = DEFAULT_TZ,
) -> list[Finding]:
    """All findings, most serious first (stable within a severity). A probe that cannot see a domain our
    relay has delivered to is not believed about the address: the history wins, and says why."""
    own = for_result(result)
    proof = domain_took_mail(result, history)
    if proof is not None:
        vi, en = _OUTCOME_WORDS[result.outcome]
        own = [f for f in own if f.key not in _UNSEEN_KEYS]
        own.insert(0, make("history:domain-took-mail", domain=result.domain, when=_when(proof.at, tz),
                           outcome_vi=vi, outcome_en=en))  # fmt: skip
    found = own + for_sender(spf, dmarc) + for_history(result, history, tz) + _last_bounce(history, tz)
    return sorted(found, key=lambda f: _ORDER[f.severity])
