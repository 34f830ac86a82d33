"""Hard or soft: a hard bounce is one whose reason is about the address itself (unknown user or domain, a
mailbox that moved), whatever the status, as both labelled corpora read it; a domain that takes no mail is
hard unless the server's own reply was 4xx. Whether the failure is final is the kind's business: a delay is
transient in the lifecycle, hard or not."""

from __future__ import annotations

import pytest

from maildaemon.inbound.classify import classify, is_hard
from tests.unit.test_classify import DOMAIN, TOKEN, crlf, postfix_dsn

RCPT = "tran.van.h@example.gov.vn"


def plain_notice(line: str) -> bytes:
    """A notice in words only (no report part), naming the recipient and the server's answer."""
    return crlf(
        f"""From: MAILER-DAEMON@mail.sonv.example.vn
To: bounces+{TOKEN}@{DOMAIN}
Subject: Mail delivery failed: returning message to sender
Date: Mon, 23 Nov 2026 08:00:00 +0700

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its recipients.

  {RCPT}
    {line}
"""
    )


@pytest.mark.parametrize(
    ("reason", "status", "code", "action", "hard"),
    [
        ("userunknown", "5.1.1", "550", "failed", True),
        ("userunknown", "", "", "", True),  # a stored reason, no evidence beside it
        ("hostunknown", "5.0.0", "", "failed", True),
        (
            "userunknown",
            "4.1.1",
            "",
            "failed",
            True,
        ),  # retried until the MTA gave up: the address does not work
        ("userunknown", "5.0.0", "450", "failed", True),
        ("notaccept", "", "", "delayed", True),  # no MX: no server will ever take it
        (
            "notaccept",
            "4.3.2",
            "453",
            "failed",
            False,
        ),  # "not accepting network messages": a server that is down
        ("notaccept", "5.1.10", "550", "failed", True),
        ("mailboxfull", "5.2.2", "552", "failed", False),  # not about the address
        ("blocked", "5.7.1", "554", "failed", False),
    ],
)
def test_hard_is_an_address_reason_and_notaccept_only_on_a_permanent_reply(
    reason: str, status: str, code: str, action: str, hard: bool
) -> None:
    assert is_hard(reason, status, code, action) is hard


def test_a_transient_refusal_whose_text_names_a_hard_reason_is_soft() -> None:
    # RFC 3463's 4.3.2: the system is not taking mail now; the reason is the domain's, the failure is not final
    raw = postfix_dsn(RCPT, "4.3.2", "failed", "453 4.3.2 System not accepting network messages")
    verdict = classify(raw)
    assert (verdict.reason, verdict.hard) == ("notaccept", False)


def test_a_permanent_unknown_user_stays_hard() -> None:
    raw = postfix_dsn(RCPT, "5.1.1", "failed", "550 5.1.1 <tran.van.h@example.gov.vn>: User unknown")
    verdict = classify(raw)
    assert (verdict.kind, verdict.reason, verdict.hard) == ("bounce", "userunknown", True)


def test_an_unknown_user_given_up_after_4xx_retries_is_hard() -> None:
    raw = postfix_dsn(RCPT, "5.0.0", "failed", "450 4.1.1 <tran.van.h@example.gov.vn>: Recipient unknown")
    verdict = classify(raw)
    assert verdict.reason == "userunknown"
    assert verdict.hard is True


def test_a_delay_naming_an_unknown_domain_stays_a_delay() -> None:
    raw = postfix_dsn(RCPT, "4.4.3", "delayed", "Host or domain name not found. Name service error")
    verdict = classify(raw)
    assert verdict.kind == "delay"  # transient in the lifecycle, whatever hard says


@pytest.mark.parametrize(
    ("line", "hard"),
    [
        ("550 5.1.1 No such user here (in reply to RCPT TO command)", True),
        ("451 4.3.2 System not accepting network messages (in reply to RCPT TO command)", False),
    ],
)
def test_a_plain_notice_is_hard_only_on_a_permanent_answer(line: str, hard: bool) -> None:
    verdict = classify(plain_notice(line))
    assert verdict.kind == "bounce"
    assert verdict.reason == ("userunknown" if hard else "notaccept")
    assert verdict.hard is hard


def test_a_notice_that_says_its_relay_will_retry_is_not_hard() -> None:
    raw = crlf(
        f"""From: MAILER-DAEMON@mail.sonv.example.vn
To: bounces+{TOKEN}@{DOMAIN}
Subject: Undeliverable: Khao sat
Date: Mon, 23 Nov 2026 08:00:00 +0700

Delivery to the following recipient failed:

  {RCPT}
    550 5.1.1 No such user here (in reply to RCPT TO command)

The server will retry the delivery for the next 48 hours.
"""
    )
    verdict = classify(raw)
    assert verdict.reason == "userunknown"
    assert verdict.hard is False


# Held-out hard/soft set (tests/corpus/hardsoft): a 5xx whose words name the envelope recipient missing, or
# say the person has no account with the domain, is the answer about the address even where the notice
# names no SMTP command; a bare "no such user" without a command stays a filter's (corpus 1's convention).
@pytest.mark.parametrize(
    ("line", "reason", "hard"),
    [
        ("553 sorry, no such recipient on this server", "userunknown", True),
        ("554 Sorry, this user doesn't have an account here", "userunknown", True),
        ("550 Requested recipient unknown here, no such recipient", "userunknown", True),
        ("550 no such user", "filtered", False),
    ],
)
def test_a_reply_naming_the_recipient_missing_is_hard_without_a_command(
    line: str, reason: str, hard: bool
) -> None:
    verdict = classify(plain_notice(line))
    assert verdict.kind == "bounce"
    assert (verdict.reason, verdict.hard) == (reason, hard)


def test_an_older_notes_name_and_address_book_miss_is_an_unknown_user() -> None:
    line = f"Recipient Tran Van H/SONV ({RCPT}) not listed in the public Name & Address Book"
    verdict = classify(plain_notice(line))
    assert (verdict.reason, verdict.hard) == ("userunknown", True)
