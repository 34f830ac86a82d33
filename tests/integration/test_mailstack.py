"""The local mail stack does what the other integration tests rely on: delivery, real DSNs, RCPT-time
answers, TLS that verifies against its certificate, runtime mailboxes, and an idempotent script."""

from __future__ import annotations

import asyncio
import email
import email.policy
import imaplib
import os
import shutil
import smtplib
import ssl
import subprocess
import time
import uuid
from collections.abc import Callable, Iterator
from email.message import EmailMessage, Message
from pathlib import Path

import aiosmtplib
import pytest

from tests.support.mailstack import SCRIPT, MailStack, MailStackUnavailable, launch

pytestmark = pytest.mark.mailstack


def _message(
    sender: str, to: str, subject: str, body: str = "Xin chào, đây là thư khảo sát."
) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Message-ID"] = f"<{uuid.uuid4().hex}@survey.test>"
    msg.set_content(body)
    return msg


def _token() -> str:
    return uuid.uuid4().hex[:16]


async def _send(stack: MailStack, msg: EmailMessage, sender: str, recipients: list[str]) -> None:
    await aiosmtplib.send(msg, sender=sender, recipients=recipients, **stack.smtp_settings())


def _delivery_status(raw: bytes) -> tuple[Message, list[Message]]:
    """The DSN and its per-recipient blocks (message/delivery-status: first block is per-message)."""
    dsn = email.message_from_bytes(raw)
    blocks: list[Message] = []
    for part in dsn.walk():
        if part.get_content_type() == "message/delivery-status":
            payload = part.get_payload()
            assert isinstance(payload, list)
            blocks.extend(block for block in payload[1:] if isinstance(block, Message))
    return dsn, blocks


async def _bounce_for(stack: MailStack, token: str, within: float = 30) -> tuple[Message, list[Message]]:
    [raw] = await stack.wait_for_messages(stack.bounce_user, 1, contains=token.encode(), timeout=within)
    return _delivery_status(raw)


async def test_known_user_receives_mail_intact(
    mailstack: MailStack, mailbox_user: Callable[..., str]
) -> None:
    user = mailbox_user()
    subject = "Khảo sát mức độ hài lòng — Sở Nội vụ Khánh Hòa"
    msg = _message(mailstack.sender_user, user, subject)
    await _send(mailstack, msg, f"bounces+{_token()}@survey.test", [user])

    [raw] = await mailstack.wait_for_messages(user, 1)
    got = email.message_from_bytes(raw, policy=email.policy.default)
    assert got["Subject"] == subject
    assert got["Message-ID"] == msg["Message-ID"]
    assert "Xin chào, đây là thư khảo sát." in got.get_body().get_content()  # type: ignore[union-attr]
    assert mailstack.count(user) == 1


async def test_unknown_user_bounces_with_real_dsn_to_verp_address(mailstack: MailStack) -> None:
    token = _token()
    verp = f"bounces+{token}@survey.test"
    ghost = f"ghost-{token}@nghean.test"
    # the relay port accepts the unknown user at RCPT ...
    await _send(mailstack, _message(mailstack.sender_user, ghost, "to nobody"), verp, [ghost])

    # ... and Postfix returns a real DSN to the VERP address, which lands in bounces' INBOX
    dsn, blocks = await _bounce_for(mailstack, token)
    assert dsn.get_content_type() == "multipart/report"
    assert dsn.get_param("report-type") == "delivery-status"
    assert dsn["To"] == verp
    assert len(blocks) == 1
    assert blocks[0]["Final-Recipient"] == f"rfc822; {ghost}"
    assert blocks[0]["Action"] == "failed"
    assert blocks[0]["Status"] == "5.1.1"


async def test_full_mailbox_bounces_with_5_2_2(mailstack: MailStack) -> None:
    token = _token()
    await _send(
        mailstack,
        _message(mailstack.sender_user, "full@khanhhoa.test", f"quota {token}"),
        f"bounces+{token}@survey.test",
        ["full@khanhhoa.test"],
    )
    _, blocks = await _bounce_for(mailstack, token)
    assert [(b["Final-Recipient"], b["Action"], b["Status"]) for b in blocks] == [
        ("rfc822; full@khanhhoa.test", "failed", "5.2.2")
    ]
    assert mailstack.count("full@khanhhoa.test") == 0


async def test_one_dsn_covers_several_failed_recipients_and_other_domains_bounce_5_4_4(
    mailstack: MailStack, mailbox_user: Callable[..., str]
) -> None:
    token = _token()
    good = mailbox_user(domain="nghean.test")
    rcpts = [good, f"nobody-{token}@khanhhoa.test", f"someone-{token}@example.org"]
    await _send(
        mailstack, _message(mailstack.sender_user, good, "mixed"), f"bounces+{token}@survey.test", rcpts
    )

    _, blocks = await _bounce_for(mailstack, token)
    status = {b["Final-Recipient"].split(";")[1].strip(): b["Status"] for b in blocks}
    assert status == {rcpts[1]: "5.1.1", rcpts[2]: "5.4.4"}  # nothing ever leaves the machine
    await mailstack.wait_for_messages(good, 1)


async def test_deferred_domain_sends_delay_dsn(mailstack: MailStack) -> None:
    if mailstack.env.get("MAILSTACK_DELAY_WARN", "0") in ("0", "0s"):
        pytest.skip("MAILSTACK_DELAY_WARN=0: this stack sends no delay DSNs")
    token = _token()
    rcpt = f"slow-{token}@deferred.test"
    await _send(
        mailstack, _message(mailstack.sender_user, rcpt, "later"), f"bounces+{token}@survey.test", [rcpt]
    )
    dsn, blocks = await _bounce_for(mailstack, token, within=60)
    assert [(b["Action"], b["Status"]) for b in blocks] == [("delayed", "4.4.1")]
    assert "delayed" in dsn["Subject"].lower()


async def test_tempfail_domain_answers_450_at_rcpt(mailstack: MailStack) -> None:
    async with aiosmtplib.SMTP(**mailstack.smtp_settings()) as smtp:
        await smtp.mail("bounces@survey.test")
        with pytest.raises(aiosmtplib.SMTPRecipientRefused) as info:
            await smtp.rcpt("someone@tempfail.test")
    assert info.value.code == 450
    assert "4.7.1" in info.value.message


async def test_mx_port_rejects_unknown_user_at_rcpt(mailstack: MailStack) -> None:
    async with aiosmtplib.SMTP(**mailstack.smtp_settings(port=mailstack.mx_port, auth=False)) as smtp:
        await smtp.mail("")
        code, _ = await smtp.rcpt("an@khanhhoa.test")
        assert code == 250
        with pytest.raises(aiosmtplib.SMTPRecipientRefused) as unknown:
            await smtp.rcpt(f"ghost-{_token()}@khanhhoa.test")
        with pytest.raises(aiosmtplib.SMTPRecipientRefused) as elsewhere:
            await smtp.rcpt("someone@example.org")
    assert unknown.value.code == 550
    assert "5.1.1" in unknown.value.message
    assert elsewhere.value.code == 554  # an MX does not relay


async def test_ehlo_offers_dsn_starttls_auth(mailstack: MailStack) -> None:
    smtp = aiosmtplib.SMTP(hostname=mailstack.host, port=mailstack.smtp_port, start_tls=False)
    async with smtp:
        await smtp.ehlo()
        assert smtp.supports_extension("dsn")
        assert smtp.supports_extension("starttls")
        await smtp.starttls(cert_bundle=str(mailstack.cafile))
        await smtp.ehlo()
        assert {"plain", "login"} <= {m.lower() for m in smtp.server_auth_methods}
        assert smtp.supports_extension("dsn")
        await smtp.login(mailstack.sender_user, mailstack.password)
        with pytest.raises(aiosmtplib.SMTPAuthenticationError):
            await smtp.login(mailstack.sender_user, mailstack.password + "-wrong")


def _untrusting_context() -> ssl.SSLContext:
    """A context that does not trust the stack's certificate: the handshake must fail with it."""
    return ssl.create_default_context(cafile=str(Path(ssl.get_default_verify_paths().openssl_cafile)))


async def test_smtps_verifies_against_the_stack_certificate(mailstack: MailStack) -> None:
    settings = {**mailstack.smtp_settings(port=mailstack.smtps_port), "start_tls": False, "use_tls": True}
    async with aiosmtplib.SMTP(**settings) as smtp:
        assert smtp.is_connected
        code, _ = await smtp.noop()
        assert code == 250

    def untrusted() -> None:
        with smtplib.SMTP_SSL(
            mailstack.host, mailstack.smtps_port, context=_untrusting_context(), timeout=10
        ):
            pass

    with pytest.raises(ssl.SSLCertVerificationError):
        await asyncio.to_thread(untrusted)


def test_imaps_and_starttls_verify_against_the_stack_certificate(mailstack: MailStack) -> None:
    for tls in ("implicit", "starttls"):
        client = mailstack.imap("an@khanhhoa.test", tls=tls)
        try:
            assert isinstance(client.sock, ssl.SSLSocket) and client.sock.version() is not None
            typ, caps = client.capability()
            assert typ == "OK"
            for cap in (b"IDLE", b"MOVE", b"UIDPLUS"):
                assert cap in caps[0]
        finally:
            client.logout()
    # the hostname is checked too: the certificate names localhost and 127.0.0.1, nothing else
    for host in ("localhost", "127.0.0.1"):
        client = imaplib.IMAP4_SSL(
            host, mailstack.imaps_port, ssl_context=mailstack.ssl_context(), timeout=10
        )
        client.logout()
    with pytest.raises(ssl.SSLCertVerificationError):
        imaplib.IMAP4_SSL(mailstack.host, mailstack.imaps_port, ssl_context=_untrusting_context(), timeout=10)


async def test_reply_plus_token_lands_in_bounces_inbox(mailstack: MailStack) -> None:
    token = _token()
    reply_to = f"reply+{token}@survey.test"
    msg = _message("an@khanhhoa.test", reply_to, "Re: Khảo sát")
    msg["In-Reply-To"] = f"<{token}@survey.test>"
    await _send(mailstack, msg, "an@khanhhoa.test", [reply_to])
    [raw] = await mailstack.wait_for_messages(mailstack.bounce_user, 1, contains=token.encode())
    got = email.message_from_bytes(raw)
    assert got["To"] == reply_to
    assert got["In-Reply-To"] == f"<{token}@survey.test>"


async def test_adduser_makes_mailboxes_known_everywhere(mailstack: MailStack) -> None:
    token = _token()
    new_domain = f"snv{token[:6]}.khanhhoa.test"
    addrs = [f"canbo{i}-{token}@{new_domain}" for i in range(3)]
    async with aiosmtplib.SMTP(**mailstack.smtp_settings(port=mailstack.mx_port, auth=False)) as smtp:
        await smtp.mail("")
        with pytest.raises(aiosmtplib.SMTPRecipientRefused):
            await smtp.rcpt(addrs[0])

    mailstack.adduser(*addrs)

    async with aiosmtplib.SMTP(**mailstack.smtp_settings(port=mailstack.mx_port, auth=False)) as smtp:
        await smtp.mail("")
        for addr in addrs:
            code, _ = await smtp.rcpt(addr)
            assert code == 250
    await _send(
        mailstack, _message(mailstack.sender_user, addrs[2], "welcome"), "bounces@survey.test", [addrs[2]]
    )
    [raw] = await mailstack.wait_for_messages(addrs[2], 1)
    assert b"welcome" in raw


async def test_deliver_raw_count_and_wait(mailstack: MailStack, mailbox_user: Callable[..., str]) -> None:
    user = mailbox_user(domain="survey.test")
    raw = _message("x@example.org", user, "dropped in").as_bytes()
    mailstack.deliver_raw(user, raw)
    mailstack.deliver_raw(user, raw, folder="Processed")
    assert mailstack.count(user) == 1
    assert mailstack.count(user, "Processed") == 1
    assert mailstack.count(user, "NoSuchFolder") == 0
    assert len(await mailstack.wait_for_messages(user, 1, folder="Processed")) == 1
    with pytest.raises(TimeoutError):
        await mailstack.wait_for_messages(user, 2, timeout=0.3)


def test_smtp_sink_accepts_everything(mailstack: MailStack) -> None:
    port = mailstack.sink()
    with smtplib.SMTP(mailstack.host, port, timeout=10) as smtp:
        refused = smtp.sendmail("a@survey.test", ["x@anywhere.example"], b"Subject: t\r\n\r\nbody\r\n")
    assert refused == {}


# -- a second, private stack: lifecycle commands that would disturb the shared one ----------------------------


@pytest.fixture(scope="module")
def private_env() -> Iterator[dict[str, str]]:
    root = Path(f"/tmp/maildaemon-mailstack-test-{os.getpid()}")
    env = {
        "MAILSTACK_ROOT": str(root),
        "MAILSTACK_SMTP_PORT": "12525",
        "MAILSTACK_MX_PORT": "12526",
        "MAILSTACK_SMTPS_PORT": "12465",
        "MAILSTACK_IMAP_PORT": "11143",
        "MAILSTACK_IMAPS_PORT": "11993",
        "MAILSTACK_SINK_PORT": "12626",
        "MAILSTACK_PASSWORD": "other-secret",
        "MAILSTACK_DELAY_WARN": "2s",
        "MAILSTACK_QUEUE_LIFETIME": "8s",
    }
    yield env
    subprocess.run(
        [str(SCRIPT), "down"], env={**os.environ, **env}, capture_output=True, timeout=60, check=False
    )
    shutil.rmtree(root, ignore_errors=True)


def _status(env: dict[str, str]) -> int:
    return subprocess.run(
        [str(SCRIPT), "status"], env={**os.environ, **env}, capture_output=True, timeout=30, check=False
    ).returncode


def _launch(env: dict[str, str], *, fresh: bool = False) -> MailStack:
    try:
        return launch(env, fresh=fresh)
    except MailStackUnavailable as exc:
        pytest.skip(str(exc))


async def test_script_lifecycle_is_idempotent(
    private_env: dict[str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    timings: dict[str, float] = {}
    for round_ in range(2):
        t0 = time.monotonic()
        stack = _launch(private_env, fresh=True)
        timings[f"up --fresh #{round_ + 1}"] = time.monotonic() - t0
        assert _status(private_env) == 0
        t0 = time.monotonic()
        _launch(private_env)
        timings["up (already up)"] = time.monotonic() - t0
        stack.down()
        stack.down()  # twice is fine
        assert _status(private_env) == 3
    stack = _launch(private_env, fresh=True)
    assert stack.password == "other-secret" and stack.smtp_port == 12525
    stack.deliver_raw("an@khanhhoa.test", b"Subject: before\r\n\r\nx\r\n")
    stack.down()
    stack = _launch(private_env)  # a plain `up` after `down` keeps the mail ...
    assert stack.count("an@khanhhoa.test") == 1
    stack = _launch(private_env, fresh=True)  # ... `up --fresh` does not
    assert stack.count("an@khanhhoa.test") == 0
    with capsys.disabled():
        print("\nmailstack timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in timings.items()))


async def test_bulk_adduser_clear_and_restart_dovecot(
    private_env: dict[str, str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    stack = _launch(private_env)
    domains = [f"snv{i}.khanhhoa.test" for i in range(4)] + ["snv.nghean.test"]
    addrs = [f"canbo{i:04d}@{domains[i % len(domains)]}" for i in range(2000)]
    listing = tmp_path / "users.txt"
    listing.write_text("\n".join(addrs) + "\n", encoding="utf-8")
    t0 = time.monotonic()
    stack.run("adduser", "--file", str(listing))
    bulk = time.monotonic() - t0
    assert bulk < 5, f"adduser of 2,000 took {bulk:.2f} s"
    stack.run("adduser", "--file", str(listing))  # again: nothing new, no error

    for addr in (addrs[0], addrs[-1]):
        with smtplib.SMTP(stack.host, stack.mx_port, timeout=10) as smtp:
            smtp.ehlo()
            smtp.mail("")
            assert smtp.rcpt(addr)[0] == 250
    with smtplib.SMTP(stack.host, stack.smtp_port, timeout=10) as smtp:
        smtp.sendmail("bounces@survey.test", addrs[-5:], b"Subject: bulk\r\n\r\nx\r\n")
    for addr in addrs[-5:]:
        await stack.wait_for_messages(addr, 1)

    t0 = time.monotonic()
    stack.clear()
    cleared = time.monotonic() - t0
    assert [stack.count(addr) for addr in addrs[-5:]] == [0] * 5

    client = stack.imap("an@khanhhoa.test")
    try:
        t0 = time.monotonic()
        stack.restart_dovecot()
        restart = time.monotonic() - t0
        with pytest.raises((imaplib.IMAP4.abort, OSError)):  # logged-in clients are dropped
            client.noop()
    finally:
        client.shutdown()
    stack.deliver_raw("an@khanhhoa.test", b"Subject: after restart\r\n\r\nx\r\n")
    assert len(await stack.wait_for_messages("an@khanhhoa.test", 1, timeout=10)) == 1
    with capsys.disabled():
        print(
            f"\nmailstack: adduser 2,000 {bulk:.2f} s, clear {cleared:.2f} s, restart-dovecot {restart:.2f} s"
        )


async def test_deferred_mail_gets_delay_then_final_dsn_on_configured_times(
    private_env: dict[str, str],
) -> None:
    stack = _launch(private_env)
    token = _token()
    rcpt = f"slow-{token}@deferred.test"
    with smtplib.SMTP(stack.host, stack.smtp_port, timeout=10) as smtp:
        smtp.sendmail(f"bounces+{token}@survey.test", [rcpt], b"Subject: later\r\n\r\nx\r\n")
    t0 = time.monotonic()
    raws = await stack.wait_for_messages(stack.bounce_user, 2, contains=token.encode(), timeout=60)
    elapsed = time.monotonic() - t0
    actions = [[(b["Action"], b["Status"]) for b in _delivery_status(raw)[1]] for raw in raws]
    # Postfix keeps the 4.x status of the last attempt in the final bounce
    assert actions == [[("delayed", "4.4.1")], [("failed", "4.4.1")]]
    # Postfix keeps the arrival time in whole seconds: the 8 s lifetime can end up to 1 s early
    assert 7 <= elapsed < 30, f"final bounce after {elapsed:.1f} s with an 8 s queue lifetime"
