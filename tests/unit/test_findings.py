"""Pure parts of deliverability: reply -> reason table, exit codes, findings in both languages, the
result cache, the text/JSON rendering of a Diagnosis built from data, and the SMTP dialogue fed
bytes directly (no servers); and that the package's modules import each other without a cycle."""

from __future__ import annotations

import ast
import asyncio
import json
import string
import unicodedata
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from maildaemon.core.lifecycle import CheckResult
from maildaemon.deliverability import findings, outcomes, smtp_dialogue, texts
from maildaemon.deliverability.addresses import Address, parse_address
from maildaemon.deliverability.check import CheckSummary, check_result, verdict_for
from maildaemon.deliverability.diagnose import Diagnosis
from maildaemon.deliverability.dns import DmarcCheck, MailHost, MailRoute, RouteStatus, SpfCheck
from maildaemon.deliverability.findings import (
    HistoryEvent,
    enhanced_status,
    for_history,
    for_result,
    for_sender,
    reason_for_reply,
)
from maildaemon.deliverability.outcomes import EXIT_CODES, Outcome
from maildaemon.deliverability.results import MxAttempt, ProbeCache, ProbeResult, Step, TlsInfo
from maildaemon.deliverability.smtp_dialogue import Reply, SmtpProtocolError, SmtpSession
from maildaemon.deliverability.texts import Severity
from maildaemon.store import CheckTarget

NOW = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)
ROUTE = MailRoute("khanhhoa.gov.vn", RouteStatus.MX, (MailHost(10, "mail.khanhhoa.gov.vn", ("192.0.2.1",)),))


def result(outcome: Outcome, **kw: object) -> ProbeResult:
    base: dict[str, object] = {"route": ROUTE, "mx_host": "mail.khanhhoa.gov.vn", "checked_at": NOW}
    return ProbeResult("an@khanhhoa.gov.vn", "khanhhoa.gov.vn", outcome, **(base | kw))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("code", "text", "reason"),
    [
        (
            550,
            "5.1.1 <an@x.vn>: Recipient address rejected: User unknown in virtual mailbox table",
            "userunknown",
        ),
        (550, "No such user here", "userunknown"),
        (552, "5.2.2 Mailbox full, quota exceeded", "mailboxfull"),
        (450, "4.2.2 Over quota", "mailboxfull"),
        (554, "5.7.1 <an@x.vn>: Relay access denied", "norelaying"),
        (550, "5.7.1 Message rejected as spam by Content Filtering", "spamdetected"),
        (554, "5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org", "blocked"),
        (550, "5.7.1 Sender rejected by policy", "rejected"),  # our sender refused
        (550, "5.7.1 Delivery not authorized", "securityerror"),  # RFC 3463 X.7.1
        (421, "4.7.0 Error: too many connections from 192.0.2.9", "toomanyconn"),
        (
            550,
            "5.7.26 Unauthenticated email from x.vn is not accepted due to domain's DMARC policy",
            "authfailure",
        ),
        (550, "5.7.25 The sending IP does not have a PTR record", "requireptr"),
        (550, "5.7.1 Client host rejected: cannot find your reverse hostname", "requireptr"),
        (550, "5.2.1 Mailbox disabled", "suspend"),
        (451, "4.7.1 Recipient address rejected: Greylisted, try again later", ""),
        (554, "5.0.0 Something odd", "onhold"),  # no evidence of why
    ],
)
def test_reply_to_reason(code: int, text: str, reason: str) -> None:
    assert reason_for_reply(code, enhanced_status(text), text) == reason


def test_enhanced_status() -> None:
    assert enhanced_status("5.1.1 <a@b>: nope") == "5.1.1"
    assert enhanced_status("  4.07.001 x") == "4.7.1"
    assert enhanced_status("Mailbox unavailable") == ""
    assert enhanced_status("3.1.1 not a status class") == ""


def test_exit_codes_cover_every_outcome() -> None:
    assert set(EXIT_CODES) == set(Outcome)
    assert EXIT_CODES[Outcome.ACCEPTED] == 0 and EXIT_CODES[Outcome.REJECTED] == 10
    assert EXIT_CODES[Outcome.NO_DOMAIN] == EXIT_CODES[Outcome.NO_MX] == 11
    assert [EXIT_CODES[o] for o in (Outcome.UNREACHABLE, Outcome.TLS_FAILED, Outcome.CATCH_ALL)] == [
        12,
        13,
        14,
    ]
    assert EXIT_CODES[Outcome.TRY_LATER] == 15 and EXIT_CODES[Outcome.INVALID] == outcomes.EXIT_USAGE == 2


@pytest.mark.parametrize("key", sorted(texts.keys()))
def test_every_finding_reads_well_in_both_languages(key: str) -> None:
    fields = {name for _, name, _, _ in string.Formatter().parse("".join(texts.TEXTS[key][1:])) if name}
    f = texts.make(key, **{name: "X" for name in fields})
    for text in (f.vi, f.en, f.action_vi, f.action_en):
        assert text and "{" not in text and "?" not in text.replace("X", "")
        assert unicodedata.is_normalized("NFC", text)
    assert f.vi != f.en
    assert any(ord(ch) > 127 for ch in f.vi + f.action_vi)  # really Vietnamese, not English twice


def test_missing_parameters_do_not_raise() -> None:
    assert "?" in texts.make("rejected").en


@pytest.mark.parametrize(
    ("res", "key"),
    [
        (result(Outcome.ACCEPTED), "accepted"),
        (result(Outcome.CATCH_ALL), "catch-all"),
        (
            result(Outcome.REJECTED, reason="userunknown", code=550, text="5.1.1 User unknown"),
            "rejected:userunknown",
        ),
        (result(Outcome.REJECTED, reason="mailboxfull", code=552), "rejected:mailboxfull"),
        (result(Outcome.REJECTED, reason="policyviolation", code=550), "rejected:policyviolation"),
        (result(Outcome.REJECTED, reason="blocked", code=554), "rejected:blocked"),
        (result(Outcome.REJECTED, reason="rejected", code=554), "rejected"),
        (result(Outcome.REJECTED, reason="whatever", code=554), "rejected"),
        (result(Outcome.NO_DOMAIN, route=None), "no-domain"),
        (result(Outcome.NO_MX, route=MailRoute("x", RouteStatus.NULL_MX)), "null-mx"),
        (result(Outcome.NO_MX, route=MailRoute("x", RouteStatus.NO_MAIL_HOST)), "no-mail-host"),
        (result(Outcome.TRY_LATER, stage="dns"), "dns-error"),
        (result(Outcome.TRY_LATER, stage="rcpt", code=451), "greylisting"),
        (result(Outcome.TRY_LATER, stage="banner", code=421, reason="toomanyconn"), "try-later:toomanyconn"),
        (result(Outcome.UNREACHABLE, text="connection refused"), "unreachable"),
        (result(Outcome.UNKNOWN), "unknown"),
        (result(Outcome.INVALID, route=None), "invalid"),
    ],
)
def test_result_findings(res: ProbeResult, key: str) -> None:
    assert for_result(res)[0].key == key


def test_policy_rejection_says_what_to_do() -> None:
    (f,) = for_result(result(Outcome.REJECTED, reason="policyviolation", code=550, text="5.7.1 denied"))
    assert "blocks our sender" in f.en and "allow our domain or IP" in f.action_en
    assert "chặn địa chỉ gửi của chúng tôi" in f.vi and "cho phép tên miền/địa chỉ IP" in f.action_vi
    assert f.severity is Severity.ERROR and "550 5.7.1 denied" in f.en


def test_a_record_fallback_is_mentioned() -> None:
    res = result(
        Outcome.ACCEPTED, route=MailRoute("x", RouteStatus.A_FALLBACK, (MailHost(0, "x", ("1.2.3.4",)),))
    )
    assert [f.key for f in for_result(res)] == ["a-fallback", "accepted"]


def attempt(tls: TlsInfo | None, offered: bool | None = True) -> MxAttempt:
    steps = (Step(0.0, "**", "Trying 192.0.2.1:25..."), Step(3.2, "<-", "220 mail ESMTP", 3.0))
    return MxAttempt("mail.khanhhoa.gov.vn", "192.0.2.1", 10, Outcome.TLS_FAILED, "starttls", None, "",
                     tls, offered, steps, 12.5)  # fmt: skip


@pytest.mark.parametrize("problem", ["expired", "self-signed", "untrusted", "name-mismatch", "handshake"])
def test_tls_problems_become_findings(problem: str) -> None:
    tls = TlsInfo(problem=problem, error="bad", not_after="2026-01-01T00:00:00+00:00", names=("other.vn",))
    res = result(Outcome.TLS_FAILED, attempts=(attempt(tls),))
    assert f"tls:{problem}" in [f.key for f in for_result(res)]


def test_tls_expiring_soon_and_missing() -> None:
    soon = TlsInfo(verified=True, name_match=True, not_after=(NOW + timedelta(days=5)).isoformat())
    later = TlsInfo(verified=True, name_match=True, not_after=(NOW + timedelta(days=90)).isoformat())
    assert "tls:expiring" in [f.key for f in for_result(result(Outcome.ACCEPTED, attempts=(attempt(soon),)))]
    assert "tls:expiring" not in [
        f.key for f in for_result(result(Outcome.ACCEPTED, attempts=(attempt(later),)))
    ]
    plain = result(Outcome.ACCEPTED, attempts=(attempt(None, offered=False),))
    assert "tls:none" in [f.key for f in for_result(plain)]


def test_sender_domain_findings() -> None:
    assert [f.key for f in for_sender(SpfCheck("sonoivu.vn", None, (("203.0.113.5", "none"),)), None)] == [
        "spf:missing"
    ]
    fail = SpfCheck("sonoivu.vn", "v=spf1 -all", (("203.0.113.5", "fail"),))
    (f,) = for_sender(fail, DmarcCheck("sonoivu.vn", "v=DMARC1; p=none", "none"))
    assert f.key == "spf:not-allowed" and "203.0.113.5" in f.vi and "203.0.113.5" in f.action_en
    ok = SpfCheck("sonoivu.vn", "v=spf1 ip4:203.0.113.5 -all", (("203.0.113.5", "pass"),))
    assert for_sender(ok, DmarcCheck("sonoivu.vn", "v=DMARC1; p=reject", "reject")) == []
    assert [f.key for f in for_sender(ok, DmarcCheck("sonoivu.vn", None))] == ["dmarc:missing"]
    assert [f.key for f in for_sender(SpfCheck("x", None, (), "DNS timeout"), None)] == ["spf:error"]


def test_history_findings() -> None:
    day = timedelta(days=1)
    bounced = [HistoryEvent(NOW - 3 * day, "bounce", reason="mailboxfull")]
    assert [f.key for f in for_history(result(Outcome.ACCEPTED), bounced)] == ["history:bounced-now-accepted"]
    delivered = [HistoryEvent(NOW - 30 * day, "delivered")]
    rejected = result(Outcome.REJECTED, reason="userunknown")
    assert [f.key for f in for_history(rejected, delivered)] == ["history:delivered-now-rejected"]
    checks = [HistoryEvent(NOW - i * day, "check", outcome="try-later") for i in (1, 2)]
    later = result(Outcome.TRY_LATER, code=451)
    (f,) = for_history(later, checks)
    assert f.key == "history:repeated-try-later" and "3" in f.en
    broken = [*checks, HistoryEvent(NOW - 0.5 * day, "check", outcome="accepted")]
    assert for_history(later, broken) == []  # the streak ended with an accepted check


def test_build_puts_errors_first() -> None:
    res = result(Outcome.ACCEPTED, attempts=(attempt(None, offered=False),))
    found = findings.build(res, SpfCheck("sonoivu.vn", None), DmarcCheck("sonoivu.vn", None))
    severities = [f.severity for f in found]
    assert severities[0] is Severity.ERROR and severities[-1] is Severity.OK
    assert [f.key for f in found] == ["spf:missing", "dmarc:missing", "tls:none", "accepted"]


def test_cache_keeps_definite_results_for_the_ttl() -> None:
    now = [100.0]
    cache = ProbeCache(ttl=60, clock=lambda: now[0])
    cache.put("an@x.vn", result(Outcome.ACCEPTED))
    cache.put("b@x.vn", result(Outcome.TRY_LATER))
    cache.put("c@x.vn", result(Outcome.UNREACHABLE))
    assert cache.get("an@x.vn") is not None and cache.get("b@x.vn") is None and cache.get("c@x.vn") is None
    now[0] += 61
    assert cache.get("an@x.vn") is None and len(cache) == 0


def test_cache_is_bounded() -> None:
    cache = ProbeCache(ttl=60, max_entries=3, clock=lambda: 0.0)
    for i in range(5):
        cache.put(f"u{i}@x.vn", result(Outcome.ACCEPTED))
    assert len(cache) == 3 and cache.get("u4@x.vn") is not None and cache.get("u0@x.vn") is None


def test_diagnosis_renders_text_and_json_from_data() -> None:
    tls = TlsInfo("TLSv1.3", "TLS_AES_256_GCM_SHA384", 256, "CN=mail.khanhhoa.gov.vn", "CN=CA", "",
                  "2026-01-01T00:00:00+00:00", ("mail.khanhhoa.gov.vn",), True, False, "expired", "certificate has expired")  # fmt: skip
    res = result(
        Outcome.TLS_FAILED,
        reason="failedstarttls",
        stage="starttls",
        text="expired",
        attempts=(attempt(tls),),
    )
    history = (HistoryEvent(NOW - timedelta(days=2), "sent", detail="invitation"),)
    spf = SpfCheck("sonoivu.khanhhoa.gov.vn", "v=spf1 ip4:203.0.113.5 -all", (("203.0.113.5", "pass"),))
    d = Diagnosis("an@khanhhoa.gov.vn", res, "sonoivu.khanhhoa.gov.vn", spf, DmarcCheck("x", None),
                  tuple(findings.build(res, spf, None, history)), history)  # fmt: skip
    assert d.exit_code == 13
    vi = d.render_text()
    assert vi.startswith("Chẩn đoán địa chỉ thư điện tử: an@khanhhoa.gov.vn")
    assert "mã thoát 13" in vi and "Chứng chỉ TLS của máy chủ mail.khanhhoa.gov.vn đã hết hạn" in vi
    assert "     3.2 ms <- 220 mail ESMTP (3.0 ms)" in vi and "Lịch sử:" in vi
    assert unicodedata.is_normalized("NFC", vi)
    en = d.render_text("en")
    assert (
        "Outcome: TLS failed (tls-failed, failedstarttls)" in en
        and "has expired" in en
        and "What to do" in en
    )
    doc = json.loads(d.to_json())
    assert doc["exit_code"] == 13 and doc["findings"][0]["key"] == "tls:expired"
    assert doc["result"]["attempts"][0]["tls"]["problem"] == "expired"
    assert "Chứng chỉ" in d.to_json()  # UTF-8 kept, not \\u escapes


# --- the seams of the probe: its SMTP dialogue without a server, and its import graph -------------------


async def test_the_dialogue_reads_a_multi_line_reply_and_refuses_a_changing_code() -> None:
    sess = SmtpSession("192.0.2.1", 25, connect_timeout=1, command_timeout=1)
    sess.reader = asyncio.StreamReader()
    sess.reader.feed_data(b"250-mx.example\r\n250-STARTTLS\r\n250 SMTPUTF8\r\n451-4.7.1 try\r\n452 later\r\n")
    reply = await sess.read_reply()
    assert reply == Reply(250, ("mx.example", "STARTTLS", "SMTPUTF8"))
    assert smtp_dialogue.extensions(reply) == {"STARTTLS", "SMTPUTF8"}
    assert [(s.kind, s.text) for s in sess.steps] == [("<-", "250-mx.example"), ("<-", "250-STARTTLS"),
                                                      ("<-", "250 SMTPUTF8")]  # fmt: skip
    with pytest.raises(SmtpProtocolError, match="reply code changed"):
        await sess.read_reply()


def test_a_reply_and_a_lost_connection_become_outcomes() -> None:
    said = smtp_dialogue.reply_said(Reply(550, ("5.1.1 <an@x.vn>: Recipient address rejected",)), "rcpt")
    assert (said.outcome, said.reason, said.code) == (Outcome.REJECTED, "userunknown", 550)
    assert (
        smtp_dialogue.reply_said(Reply(421, ("too many connections",)), "banner").outcome is Outcome.TRY_LATER
    )
    sess = SmtpSession("192.0.2.1", 25, connect_timeout=3, command_timeout=30)
    assert smtp_dialogue.connection_said(TimeoutError(), sess).text == "no connection within 3 s"
    sess.stage = "rcpt"
    lost = smtp_dialogue.connection_said(ConnectionResetError(), sess)
    assert (lost.outcome, lost.stage, lost.text) == (
        Outcome.UNREACHABLE,
        "rcpt",
        "connection reset by the server",
    )


def test_the_check_use_case_moves_only_what_is_about_the_address_and_counts_it() -> None:
    hard = result(Outcome.REJECTED, reason="userunknown")
    policy = result(Outcome.REJECTED, reason="policyviolation")
    assert [verdict_for(r) for r in (result(Outcome.CATCH_ALL), hard, policy, result(Outcome.NO_MX))] == [
        "ok", "bad", None, "bad",
    ]  # fmt: skip
    two = [CheckTarget(i, 1, "an@khanhhoa.gov.vn", "STP", "Sở Tư pháp", "new", "pending") for i in (1, 2)]
    summary = CheckSummary("c")
    summary.add(hard, two, verdict_for(hard))
    summary.add(policy, [], None)
    assert summary.by_domain == {"khanhhoa.gov.vn": {"rejected": 2}}  # once per address
    assert summary.by_agency == {"Sở Tư pháp": {"rejected": 2}}  # once per respondent
    assert [t.respondent_id for t, _ in summary.bad] == [1, 2]
    # a corrected address's check reads the same verdicts (the correction refuses only "bad")
    said = result(Outcome.REJECTED, reason="userunknown", code=550, text="5.1.1 User unknown")
    assert check_result(said) == CheckResult("bad", "rejected", 550, "5.1.1 User unknown", "userunknown")
    assert check_result(policy).verdict is None and check_result(result(Outcome.TRY_LATER)).verdict is None


def test_addresses_are_parsed_for_the_probe_or_refused() -> None:
    assert parse_address("An@KhanhHoa.gov.vn") == Address(
        "An@KhanhHoa.gov.vn", "An@khanhhoa.gov.vn", "An@khanhhoa.gov.vn", "khanhhoa.gov.vn", False
    )
    assert parse_address("hương@sonoivu.vn").needs_smtputf8  # type: ignore[union-attr]
    invalid = parse_address("an@@x")
    assert (
        isinstance(invalid, ProbeResult) and invalid.outcome is Outcome.INVALID and invalid.stage == "syntax"
    )


def _imports(package: Path) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports (at run time or for type checking)."""
    base = package.name
    names = {f.stem for f in package.glob("*.py")}
    graph: dict[str, set[str]] = {}
    for name in names:
        tree = ast.parse((package / f"{name}.py").read_text(encoding="utf-8"))
        found: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                parts = node.module.split(".")
                if parts[-1] in names and parts[-2:-1] == [base]:
                    found.add(parts[-1])
                elif parts[-1] == base:
                    found.update(a.name for a in node.names if a.name in names)
        graph[name] = found - {name}
    return graph


@pytest.mark.parametrize("package", ["deliverability", "inbound"])
def test_no_import_cycle_within_the_package(package: str) -> None:
    graph = _imports(Path(findings.__file__).parents[1] / package)
    done: set[str] = set()

    def visit(node: str, path: tuple[str, ...]) -> None:
        assert node not in path, f"import cycle: {' -> '.join((*path, node))}"
        if node not in done:
            for nxt in sorted(graph[node]):
                visit(nxt, (*path, node))
            done.add(node)

    for start in sorted(graph):
        visit(start, ())


def test_a_domain_our_relay_delivered_to_is_not_called_nonexistent() -> None:
    """Issue 16: a full mailbox the relay accepted was diagnosed "the domain does not exist" because the
    checker's DNS could not see the domain; the history proves it exists, so the history wins."""
    at = datetime(2026, 12, 6, 14, 21, tzinfo=UTC)
    history = [
        findings.HistoryEvent(at, "sent", "", "", "invitation: 250 2.0.0 Ok"),
        findings.HistoryEvent(
            at + timedelta(minutes=1), "bounce", "", "mailboxfull", "552 5.2.2 Quota exceeded"
        ),
    ]
    found = findings.build(result(Outcome.NO_DOMAIN, stage="dns"), history=history)
    keys = [f.key for f in found]
    assert "no-domain" not in keys and keys[0] == "history:domain-took-mail"
    assert "21:22 (ICT, UTC+7)" in found[0].vi and "Không sửa địa chỉ" in found[0].action_vi
    full = next(f for f in found if f.key == "history:last-bounce")
    assert "Hộp thư người nhận đã đầy" in full.vi and "dọn hộp thư" in full.action_vi
    # without such proof (a bounce from our own side about the host), the probe is believed
    unproven = [findings.HistoryEvent(at, "bounce", "", "hostunknown", "Host not found")]
    assert "no-domain" in [
        f.key for f in findings.build(result(Outcome.NO_DOMAIN, stage="dns"), history=unproven)
    ]


def test_diagnosis_text_is_in_one_language() -> None:
    at = datetime(2026, 12, 6, 14, 21, tzinfo=UTC)
    r = result(Outcome.NO_DOMAIN, stage="dns", text="the domain does not exist (NXDOMAIN)")
    history = (findings.HistoryEvent(at, "bounce", "", "mailboxfull", "552 5.2.2 Quota exceeded"),)
    d = Diagnosis("an@khanhhoa.gov.vn", r, "", None, None, tuple(findings.build(r, history=history)), history)
    vi = d.render_text("vi")
    assert "the domain does not exist" not in vi and "Kết quả: tên miền không tồn tại (no-domain)" in vi
    assert "2026-12-06 21:21 (ICT, UTC+7) bị trả lại mailboxfull" in vi
    en = d.render_text("en")
    assert "Outcome: no such domain (no-domain)" in en and "bị trả lại" not in en and "Máy kiểm tra" not in en


def test_bounced_now_accepted_names_the_reason_in_words() -> None:
    at = datetime(2026, 12, 6, 14, 21, tzinfo=UTC)
    bounced = [findings.HistoryEvent(at, "bounce", "", "mailboxfull", "552 5.2.2")]
    (f,) = for_history(result(Outcome.ACCEPTED), bounced)
    assert "(hộp thư đầy, lúc 2026-12-06 21:21 (ICT, UTC+7))" in f.vi and "mailboxfull" not in f.vi
    assert "(mailbox full, at 2026-12-06 21:21 (ICT, UTC+7))" in f.en
