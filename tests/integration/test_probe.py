"""The prober against real servers: dnsmasq (tests/support/testdns.py) serves MX, A and TXT records for
``*.probe.test`` pointing at purpose-built aiosmtpd servers on 127.0.5.x (tests/support/smtpservers.py);
one test probes the real Postfix of scripts/mailstack. All traffic stays on 127/8.
"""

from __future__ import annotations

import dataclasses
import json
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest

from maildaemon.deliverability import dns as dnscheck
from maildaemon.deliverability.diagnose import diagnose
from maildaemon.deliverability.dns import RouteStatus
from maildaemon.deliverability.findings import HistoryEvent
from maildaemon.deliverability.outcomes import EXIT_CODES, Outcome
from maildaemon.deliverability.probe import Prober, ProbeSettings
from maildaemon.deliverability.results import ProbeResult
from tests.support.smtpservers import SmtpServers, running_servers
from tests.support.testdns import IDN_DOMAIN, IP, DnsServer, idna

S = "probe.test"


@pytest.fixture(scope="session")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpServers]:
    pytest.importorskip("cryptography", reason="the test certificates are made with the cryptography package")
    with running_servers(tmp_path_factory.mktemp("smtpservers")) as running:
        yield running


@pytest.fixture
def settings(test_dns: DnsServer, servers: SmtpServers) -> ProbeSettings:
    servers.reset_stats()
    return ProbeSettings(
        helo_name="probe.survey.test",
        mail_from="bounces@survey.test",
        smtp_port=servers.port,
        connect_timeout=3.0,
        command_timeout=3.0,
        per_mx_concurrency=4,
        per_mx_min_gap=0.0,
        catch_all_check=True,
        tls_verify=True,
        ca_file=str(servers.ca_file),
        nameservers=test_dns.nameservers,
        dns_timeout=1.5,
        test_environment=True,
    )


async def check(settings: ProbeSettings, address: str) -> ProbeResult:
    async with Prober(settings) as prober:
        return await prober.check(address)


def sent_commands(result: ProbeResult) -> list[str]:
    return [s.text.split(" ", 1)[0].upper() for a in result.attempts for s in a.transcript if s.kind == "->"]


# address, outcome, reason, stage ("a|b": either), code
CASES = [
    (f"an@accept.{S}", Outcome.ACCEPTED, "", "rcpt", 250),
    (f"nobody@reject.{S}", Outcome.REJECTED, "userunknown", "rcpt", 550),
    (f"full@accept.{S}", Outcome.REJECTED, "mailboxfull", "rcpt", 552),
    (f"an@policy.{S}", Outcome.REJECTED, "rejected", "mail", 554),  # our sender refused
    (f"whoever@catchall.{S}", Outcome.CATCH_ALL, "", "rcpt", 250),
    (f"an@busy.{S}", Outcome.TRY_LATER, "toomanyconn", "banner", 421),
    (f"an@garbage.{S}", Outcome.UNKNOWN, "", "banner", None),
    (f"an@reset.{S}", Outcome.UNREACHABLE, "", "connect|banner", None),  # the RST may beat the connect
    (f"an@down.{S}", Outcome.UNREACHABLE, "", "connect", None),
    (f"an@expired.{S}", Outcome.TLS_FAILED, "failedstarttls", "starttls", None),
    (f"an@selfsigned.{S}", Outcome.TLS_FAILED, "failedstarttls", "starttls", None),
    (f"an@mismatch.{S}", Outcome.TLS_FAILED, "failedstarttls", "starttls", None),
    (f"an@nullmx.{S}", Outcome.NO_MX, "", "dns", None),
    (f"an@txtonly.{S}", Outcome.NO_MX, "", "dns", None),
    (f"an@dangling.{S}", Outcome.NO_MX, "", "dns", None),
    (f"an@nxdomain.{S}", Outcome.NO_DOMAIN, "", "dns", None),
    (f"an@timeout.{S}", Outcome.TRY_LATER, "", "dns", None),
    ("not an address", Outcome.INVALID, "", "syntax", None),
]


@pytest.mark.parametrize(("address", "outcome", "reason", "stage", "code"), CASES, ids=[c[0] for c in CASES])
async def test_result_classes(
    settings: ProbeSettings, address: str, outcome: Outcome, reason: str, stage: str, code: int | None
) -> None:
    result = await check(settings, address)
    assert (result.outcome, result.reason, result.code) == (outcome, reason, code), result
    assert result.stage in stage.split("|"), result
    assert "DATA" not in sent_commands(result)
    json.loads(result.to_json())  # always serialisable


def test_every_result_class_is_produced_by_a_case() -> None:
    assert {c[1] for c in CASES} | {Outcome.INVALID} == set(Outcome)


async def test_accepted_records_tls_and_a_timed_transcript(settings: ProbeSettings) -> None:
    result = await check(settings, f"binh@accept.{S}")
    assert result.outcome is Outcome.ACCEPTED
    (attempt,) = result.attempts
    tls = attempt.tls
    assert tls is not None and tls.verified and tls.name_match and not tls.problem
    assert tls.protocol.startswith("TLS") and tls.cipher and tls.subject == f"CN=mx.mailbox.{S}"
    assert datetime.fromisoformat(tls.not_after) > datetime.now(UTC)
    # the catch-all probe shares the transaction; RSET ends it (QUIT follows after the result)
    assert sent_commands(result) == ["EHLO", "STARTTLS", "EHLO", "MAIL", "RCPT", "RCPT", "RSET"]
    times = [s.at_ms for s in attempt.transcript]
    assert times == sorted(times) and times[-1] > 0
    assert all(s.lapse_ms is not None for s in attempt.transcript if s.kind == "<-")


@pytest.mark.parametrize(
    ("kind", "problem"),
    [("expired", "expired"), ("selfsigned", "self-signed"), ("mismatch", "name-mismatch")],
)
async def test_tls_failures_name_the_problem_and_show_the_certificate(
    settings: ProbeSettings, kind: str, problem: str
) -> None:
    result = await check(settings, f"an@{kind}.{S}")
    tls = result.attempts[-1].tls
    assert tls is not None and tls.problem == problem and not tls.verified
    assert tls.subject  # fetched over a second, unverified connection
    if kind == "expired":
        assert datetime.fromisoformat(tls.not_after) < datetime.now(UTC)
    if kind == "mismatch":
        assert tls.name_match is False and tls.names == ("other.example.test",)


async def test_tls_verification_off_accepts_a_bad_certificate(settings: ProbeSettings) -> None:
    result = await check(dataclasses.replace(settings, tls_verify=False), f"an@selfsigned.{S}")
    assert result.outcome is Outcome.ACCEPTED
    assert result.attempts[0].tls is not None and not result.attempts[0].tls.verified


async def test_greylisting_is_try_later_then_accepted(settings: ProbeSettings) -> None:
    address = f"grey@greylist.{S}"
    servers_seen = await check(settings, address)
    assert servers_seen.outcome is Outcome.TRY_LATER and servers_seen.code == 451
    assert (await check(settings, address)).outcome is Outcome.ACCEPTED


async def test_slow_banner_gives_up_after_the_timeout(settings: ProbeSettings) -> None:
    started = time.monotonic()
    result = await check(dataclasses.replace(settings, command_timeout=0.5), f"an@slow.{S}")
    assert result.outcome is Outcome.UNREACHABLE and result.stage == "banner"
    assert "0.5 s" in result.text
    assert time.monotonic() - started < 3.0


async def test_backup_mx_is_tried_in_preference_order(settings: ProbeSettings) -> None:
    result = await check(settings, f"an@backup.{S}")
    assert result.outcome is Outcome.ACCEPTED
    assert [(a.host, a.outcome) for a in result.attempts] == [
        (f"mx.down.{S}", Outcome.UNREACHABLE),
        (f"mx.mailbox.{S}", Outcome.ACCEPTED),
    ]


async def test_domain_without_mx_falls_back_to_its_address(settings: ProbeSettings) -> None:
    result = await check(settings, f"an@nomx.{S}")
    assert result.outcome is Outcome.ACCEPTED
    assert result.route is not None and result.route.status is RouteStatus.A_FALLBACK
    assert result.attempts[0].address == IP["mailbox"]


async def test_null_mx_is_reported_as_such(settings: ProbeSettings) -> None:
    result = await check(settings, f"an@nullmx.{S}")
    assert result.route is not None and result.route.status is RouteStatus.NULL_MX
    assert not result.attempts  # no connection is attempted


async def test_resolver_down_is_a_recorded_result(settings: ProbeSettings, test_dns: DnsServer) -> None:
    down = dataclasses.replace(settings, nameservers=[("127.0.0.1", test_dns.down_port)], dns_timeout=1.0)
    result = await check(down, f"an@accept.{S}")
    assert result.outcome is Outcome.TRY_LATER and result.stage == "dns" and result.text


async def test_idn_domain_is_probed_in_its_ascii_form(settings: ProbeSettings, servers: SmtpServers) -> None:
    result = await check(settings, f"an@{IDN_DOMAIN}")
    assert result.outcome is Outcome.ACCEPTED
    assert result.domain == idna(IDN_DOMAIN) and result.domain.startswith("xn--")
    assert result.address == f"an@{IDN_DOMAIN}"


async def test_unicode_local_part_needs_smtputf8(settings: ProbeSettings) -> None:
    ok = await check(settings, f"nguyễn@accept.{S}")  # the mailbox server offers SMTPUTF8
    assert ok.outcome is Outcome.ACCEPTED
    assert any("SMTPUTF8" in s.text for s in ok.attempts[0].transcript if s.kind == "->")
    no = await check(settings, f"nguyễn@catchall.{S}")  # this one does not
    assert (no.outcome, no.reason, no.enhanced) == (Outcome.REJECTED, "notaccept", "5.6.7")


async def test_one_connection_checks_many_recipients(settings: ProbeSettings, servers: SmtpServers) -> None:
    addresses = [f"an@accept.{S}", f"binh@accept.{S}", f"x1@accept.{S}", f"x2@accept.{S}", f"full@accept.{S}"]
    async with Prober(settings) as prober:
        results = {r.address: r async for r in prober.check_many(addresses)}
    assert len(servers.stats["mailbox"].starts) == 1
    assert [results[a].outcome for a in addresses] == [Outcome.ACCEPTED] * 2 + [Outcome.REJECTED] * 3
    # each result carries its own commands, not its neighbours'
    mine = [s.text for s in results[f"x1@accept.{S}"].attempts[0].transcript if s.kind == "->"]
    assert mine[-2:] == ["MAIL FROM:<bounces@survey.test>", f"RCPT TO:<x1@accept.{S}>"]


async def test_politeness_limits_concurrency_and_spaces_connection_starts(
    settings: ProbeSettings, servers: SmtpServers
) -> None:
    polite = dataclasses.replace(
        settings, per_mx_concurrency=2, per_mx_min_gap=0.15, max_rcpt_per_connection=1, catch_all_check=False
    )
    addresses = [f"u{i}@reject.{S}" for i in range(6)]
    async with Prober(polite) as prober:
        results = [r async for r in prober.check_many(addresses)]
    assert {r.outcome for r in results} == {Outcome.REJECTED}
    stats = servers.stats["mailbox"]
    assert len(stats.starts) == 6 and stats.max_active <= 2
    gaps = [b - a for a, b in zip(stats.starts, stats.starts[1:], strict=False)]
    # measured on the server thread, so allow for its scheduling jitter on a busy machine
    assert min(gaps) >= 0.15 - 0.05, gaps
    assert stats.starts[-1] - stats.starts[0] >= 5 * 0.15 - 0.02


async def test_results_come_as_they_are_ready(settings: ProbeSettings) -> None:
    slow = dataclasses.replace(settings, command_timeout=1.0)
    async with Prober(slow) as prober:
        order = [r.address async for r in prober.check_many([f"an@slow.{S}", f"an@accept.{S}"])]
    assert order == [f"an@accept.{S}", f"an@slow.{S}"]


async def test_definite_results_are_cached_and_transient_ones_are_not(
    settings: ProbeSettings, servers: SmtpServers
) -> None:
    async with Prober(settings) as prober:
        first = await prober.check(f"an@accept.{S}")
        again = await prober.check(f"an@accept.{S}")
        busy1 = await prober.check(f"an@busy.{S}")
        busy2 = await prober.check(f"an@busy.{S}")
    assert not first.from_cache and again.from_cache and again.outcome is Outcome.ACCEPTED
    assert not busy1.from_cache and not busy2.from_cache
    assert len(servers.stats["mailbox"].starts) == 1 and len(servers.stats["busy"].starts) == 2


async def test_bad_input_never_raises(settings: ProbeSettings) -> None:
    odd = [
        "",
        "@",
        "a@",
        "a" * 300 + f"@accept.{S}",
        "an@-bad-.test",
        "an@[127.0.0.1]",
        "x@y",
        "nguyễn@sởnộivụ",
    ]
    async with Prober(settings) as prober:
        results = [r async for r in prober.check_many(odd)]
    assert len(results) == len(odd)
    assert all(r.outcome in (Outcome.INVALID, Outcome.NO_DOMAIN) for r in results), results


# --- diagnose --------------------------------------------------------------------------------------------


async def test_diagnose_unknown_user_with_history(settings: ProbeSettings) -> None:
    history = [HistoryEvent(datetime(2026, 3, 2, 9, 0, tzinfo=UTC), "delivered")]
    d = await diagnose(f"nobody@reject.{S}", settings, "survey.test", history, relay_ips=["127.0.0.1"])
    assert d.exit_code == EXIT_CODES[Outcome.REJECTED] == 10
    keys = [f.key for f in d.findings]
    assert "rejected:userunknown" in keys and "history:delivered-now-rejected" in keys
    assert not any(k.startswith(("spf:", "dmarc:")) for k in keys)  # survey.test allows 127.0.0.1
    doc = json.loads(d.to_json())
    assert doc["outcome"] == "rejected" and doc["spf"]["verdicts"] == {"127.0.0.1": "pass"}
    vi, en = d.render_text("vi"), d.render_text("en")
    assert "Hộp thư không tồn tại" in vi and "Việc cần làm" in vi
    assert "The mailbox does not exist" in en
    assert f"RCPT TO:<nobody@reject.{S}>" in vi and " ms " in vi


async def test_diagnose_sender_without_spf_and_dmarc(settings: ProbeSettings) -> None:
    d = await diagnose(f"an@accept.{S}", settings, "nospf.test", relay_ips=["127.0.0.1"])
    assert d.exit_code == 0
    assert {"spf:missing", "dmarc:missing", "accepted"} <= {f.key for f in d.findings}


async def test_diagnose_relay_not_allowed_by_spf(settings: ProbeSettings) -> None:
    d = await diagnose(f"an@accept.{S}", settings, "softsender.test", relay_ips=["127.0.9.9"])
    (spf,) = [f for f in d.findings if f.key.startswith("spf:")]
    assert spf.key == "spf:not-allowed" and "127.0.9.9" in spf.en and "softfail" in spf.en


@pytest.mark.parametrize(
    ("domain", "verdicts"),
    [
        ("mxsender.test", {IP["policy"]: "pass", IP["mailbox"]: "fail"}),  # mx: the MX host's address only
        ("asender.test", {IP["mailbox"]: "pass", IP["policy"]: "pass", "127.0.9.9": "fail"}),  # a:host/24
        (
            "redirsender.test",
            {IP["policy"]: "pass", IP["mailbox"]: "fail"},
        ),  # redirect= takes the other record
        ("loopsender.test", {IP["policy"]: "permerror"}),  # includes itself: over the 10-lookup limit
    ],
)
async def test_spf_mechanisms_that_query_dns(
    settings: ProbeSettings, domain: str, verdicts: dict[str, str]
) -> None:
    resolver = dnscheck.make_resolver(settings.nameservers, timeout=settings.dns_timeout)
    spf = await dnscheck.spf_check(resolver, domain, list(verdicts))
    assert dict(spf.verdicts) == verdicts


async def test_diagnose_expired_certificate(settings: ProbeSettings) -> None:
    d = await diagnose(f"an@expired.{S}", settings, "survey.test")
    assert d.exit_code == 13
    assert "tls:expired" in [f.key for f in d.findings]
    assert "đã hết hạn" in d.render_text("vi")


async def test_diagnose_history_of_bounces_now_accepted(settings: ProbeSettings) -> None:
    now = datetime.now(UTC)
    history = [HistoryEvent(now - timedelta(days=3), "bounce", reason="mailboxfull")]
    d = await diagnose(f"an@accept.{S}", settings, "survey.test", history)
    assert "history:bounced-now-accepted" in [f.key for f in d.findings]


# --- the real Postfix --------------------------------------------------------------------------------------


async def test_probe_real_postfix(settings: ProbeSettings, request: pytest.FixtureRequest) -> None:
    """scripts/mailstack's Postfix in MX mode (port 2526): real users accepted, unknown ones 550 5.1.1."""
    try:
        stack = request.getfixturevalue("mailstack")
    except pytest.FixtureLookupError:
        pytest.skip("tests/support/mailstack.py (the real Postfix) is not available")
    if stack.host != "127.0.0.1":
        pytest.skip(f"the test zone points khanhhoa.test at 127.0.0.1, the stack runs on {stack.host}")
    real = dataclasses.replace(settings, smtp_port=stack.mx_port, ca_file=str(stack.cafile))
    async with Prober(real) as prober:
        results = {
            r.address: r async for r in prober.check_many(["an@khanhhoa.test", "nobody@khanhhoa.test"])
        }
    ok, bad = results["an@khanhhoa.test"], results["nobody@khanhhoa.test"]
    assert ok.outcome is Outcome.ACCEPTED, ok
    assert ok.attempts[-1].tls is not None and ok.attempts[-1].tls.verified
    assert (bad.outcome, bad.code, bad.enhanced, bad.reason) == (
        Outcome.REJECTED,
        550,
        "5.1.1",
        "userunknown",
    ), bad
