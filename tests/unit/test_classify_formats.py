"""Reason rules (status code, SMTP command, phrase family) and the vendor formats without a DSN part:
Amazon SES JSON, Google Groups, fml, Hotmail JMRP, Apple unsubscribe, Apache James; Vietnamese notices."""

from __future__ import annotations

import json

import pytest

from maildaemon.core import replies
from maildaemon.inbound.classify import classify

TOKEN = "abcdefghijklmnopqrstuvwxyz"
DOMAIN = "survey.example.vn"


@pytest.mark.parametrize(
    ("status", "text", "action", "command", "expected"),
    [
        (
            "5.1.1",
            "550 5.1.1 <a@example.vn>: Recipient address rejected: User unknown",
            "failed",
            "RCPT",
            "userunknown",
        ),
        ("5.0.0", "550 <a@example.vn>: User unknown", "failed", "RCPT", "userunknown"),
        ("5.0.0", "550 <a@example.vn>: User unknown", "failed", "DATA", "filtered"),  # a filter pretending
        ("5.0.0", "550 <a@example.vn>: User unknown", "failed", "", "filtered"),  # command not known
        ("5.2.2", "552 5.2.2 Mailbox full", "failed", "RCPT", "mailboxfull"),
        ("4.2.2", "452 4.2.2 quota exceeded", "delayed", "RCPT", "mailboxfull"),
        (
            "5.2.3",
            "552 5.2.3 Message size exceeds fixed maximum message size",
            "failed",
            "DATA",
            "exceedlimit",
        ),
        ("5.3.4", "552 5.3.4 Error: message file too big", "failed", "DATA", "mesgtoobig"),
        (
            "5.7.1",
            "554 5.7.1 Client host [192.0.2.1] blocked using zen.spamhaus.org",
            "failed",
            "RCPT",
            "blocked",
        ),
        ("5.7.1", "550 5.7.1 Sender address rejected: Access denied", "failed", "MAIL", "rejected"),
        ("5.7.1", "554 5.7.1 Relay access denied", "failed", "RCPT", "norelaying"),
        (
            "5.7.1",
            "550 5.7.1 Message rejected as spam by Content Filtering",
            "failed",
            "DATA",
            "spamdetected",
        ),
        ("5.7.23", "550 5.7.23 SPF validation failed", "failed", "DATA", "authfailure"),
        ("5.1.2", "550 5.1.2 Host unknown", "failed", "", "hostunknown"),
        (
            "5.4.4",
            "Name service error for name=x type=MX: Malformed or unexpected name server reply",
            "failed",
            "",
            "networkerror",
        ),
        ("4.4.7", "", "delayed", "", "expired"),
        ("5.0.0", "procmail: Couldn't create /var/mail/x", "failed", "", "mailererror"),
        ("5.7.1", "550 5.7.1 Unauthenticated senders not allowed", "failed", "DATA", "securityerror"),
        ("5.0.0", "550 Denied by policy", "failed", "DATA", "policyviolation"),
        ("5.0.0", "550 Mailbox unavailable or access denied", "failed", "RCPT", "userunknown"),
        ("5.0.0", "501 5.5.4 Invalid arguments", "failed", "", "syntaxerror"),
        (
            "5.1.10",
            "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup",
            "failed",
            "",
            "userunknown",
        ),
    ],
)
def test_decide_follows_status_command_and_phrase(
    status: str, text: str, action: str, command: str, expected: str
) -> None:
    assert replies.decide(status, text, action, command) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "host mx.example.vn said: 550 5.1.1 <a@example.vn>: User unknown (in reply to RCPT TO command)",
            "RCPT",
        ),
        ("SMTP error from remote mail server after end of data: 550 spam", "DATA"),
        ("SMTP error from remote mail server after MAIL FROM:<x@example.vn> SIZE=12: 550", "MAIL"),
        ("SMTP error from remote mail server after initial connection: 554 go away", "CONN"),
        ("mx.example.vn [192.0.2.1] did not like our RCPT TO: 550 5.1.1 unknown", "RCPT"),
        ("550 5.1.1 <database@example.vn>... User unknown", ""),  # DATA inside an address is no command
    ],
)
def test_smtp_command(text: str, expected: str) -> None:
    assert replies.smtp_command(text) == expected


def test_smtp_command_reads_an_ascii_reply_as_the_case_blind_pattern_does() -> None:
    """An ASCII reply is lower-cased and searched without re.I; a non-ASCII one (here the same reply
    with " é" after it) is searched case-blind as it is: both give the same command."""
    import random

    rnd = random.Random(5)
    parts = ["after", "In reply to", "while sending", "did not like our", ">>>", "the", "end of", "Final",
             "DATA", "rcpt", "Mail", "HELO", "StartTLS", "greeting", "initial connection", "for", "TEXT",
             "command", "x", " ", "\n", "\t"]  # fmt: skip
    for _ in range(5000):
        text = "".join(rnd.choice(parts) + rnd.choice(["", " "]) for _ in range(rnd.randint(0, 8)))
        assert replies.smtp_command(text) == replies.smtp_command(text + " é"), repr(text)


def _ses(body: dict[str, object], wrap: bool = False) -> bytes:
    text = json.dumps(body)
    if wrap:  # an SNS envelope around the SES notification
        text = json.dumps({"Type": "Notification", "MessageId": "x", "Message": text})
    return (
        "From: no-reply@sns.amazonaws.com\n"
        f"To: bounces+{TOKEN}@{DOMAIN}\n"
        "Subject: AWS Notification Message\n"
        "Content-Type: text/plain; charset=UTF-8\n\n"
        f"{text}\n\n--\nIf you wish to stop receiving notifications from this topic, click below.\n"
    ).encode()


def test_ses_permanent_bounce() -> None:
    body = {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": "Permanent",
            "bounceSubType": "General",
            "bouncedRecipients": [
                {
                    "emailAddress": "le.a@example.gov.vn",
                    "action": "failed",
                    "status": "5.1.1",
                    "diagnosticCode": "smtp; 550 5.1.1 <le.a@example.gov.vn>: Recipient address rejected: User unknown",
                }
            ],
        },
        "mail": {"messageId": "x"},
    }
    for wrap in (False, True):
        verdict = classify(_ses(body, wrap))
        assert verdict.kind == "bounce"
        assert verdict.recipients == ("le.a@example.gov.vn",)
        assert (verdict.reason, verdict.hard, verdict.status) == ("userunknown", True, "5.1.1")
        assert verdict.tokens == (TOKEN,)


def test_ses_transient_bounce_is_a_delay() -> None:
    body = {
        "notificationType": "Bounce",
        "bounce": {
            "bounceType": "Transient",
            "bounceSubType": "MailboxFull",
            "bouncedRecipients": [
                {"emailAddress": "b@example.vn", "diagnosticCode": "smtp; 452 4.2.2 Over quota"}
            ],
        },
    }
    verdict = classify(_ses(body))
    assert (verdict.kind, verdict.reason, verdict.hard) == ("delay", "mailboxfull", False)


def test_ses_complaint_and_delivery() -> None:
    complaint = {
        "notificationType": "Complaint",
        "complaint": {"complainedRecipients": [{"emailAddress": "c@example.vn"}]},
    }
    verdict = classify(_ses(complaint))
    assert (verdict.kind, verdict.reason, verdict.recipients) == ("feedback", "feedback", ("c@example.vn",))
    delivery = {
        "notificationType": "Delivery",
        "delivery": {"recipients": ["d@example.vn"], "smtpResponse": "250 2.6.0 ok"},
    }
    verdict = classify(_ses(delivery))
    assert (verdict.kind, verdict.reason, verdict.recipients) == ("delivered", "delivered", ("d@example.vn",))


def test_google_groups_refusal_is_rejected_not_hard() -> None:
    raw = (
        "From: Mail Delivery Subsystem <mailer-daemon@googlemail.com>\n"
        f"To: bounces+{TOKEN}@{DOMAIN}\n"
        "Subject: Delivery Status Notification (Failure)\n"
        "X-Failed-Recipients: khao-sat@googlegroups.com\n"
        "Content-Type: text/plain; charset=UTF-8\n\n"
        "Xin chào, nhóm bạn muốn liên hệ (khao-sat) có thể không tồn tại hoặc bạn không có quyền đăng bài.\n\n"
        "Nếu có câu hỏi, hãy truy cập https://groups.google.com/support/.\n\nGoogle Groups\n"
    ).encode()
    verdict = classify(raw)
    assert verdict.kind == "bounce"
    assert verdict.recipients == ("khao-sat@googlegroups.com",)
    assert (verdict.reason, verdict.hard) == ("rejected", False)


def test_google_groups_reads_an_ascii_notice_as_the_case_blind_pattern_does() -> None:
    """An ASCII notice is lower-cased and searched without re.I (the word boundary before "google" a
    look-behind); a non-ASCII one (here the same notice with " é" after it) is searched case-blind as it
    is: both give the same answer."""
    import random

    from maildaemon.inbound.classify import formats

    rnd = random.Random(9)
    parts = ["google", "Google Groups", "groups", "GROUPS.GOOGLE.COM/", "g", "x", "_", "1", " ", ".", "\n"]
    failed = {"x-failed-recipients": ["a@b.vn"]}
    for _ in range(5000):
        text = "".join(rnd.choice(parts) for _ in range(rnd.randint(0, 6)))
        assert formats.google_groups(failed, text) == formats.google_groups(failed, text + " é"), repr(text)


def test_fml_loop_alert_is_a_system_error() -> None:
    raw = (
        "From: list-admin@example.vn\n"
        f"To: bounces+{TOKEN}@{DOMAIN}\n"
        "Subject: Loop Alert: Duplicated Message-ID (khaosat ML)\n"
        "X-MLServer: fml [fml 4.0.3 release]\n\n"
        "Duplicated Message-ID in <khaosat@example.vn>.\n"
    ).encode()
    verdict = classify(raw)
    assert (verdict.kind, verdict.reason, verdict.recipients) == (
        "bounce",
        "systemerror",
        ("khaosat@example.vn",),
    )


def test_hotmail_jmrp_complaint_is_feedback() -> None:
    raw = (
        "From: <staff@hotmail.com>\n"
        "Subject:  complaint about message from 192.0.2.1\n"
        "To: abuse@example.vn\n"
        'Content-Type: multipart/mixed; boundary="B"\n\n'
        "--B\nContent-Type: message/rfc822\n\n"
        "X-HmXmrOriginalRecipient: nguyen.b@hotmail.com\n"
        "From: khaosat@example.vn\nTo: nguyen.b@hotmail.com\nSubject: survey\n"
        f"Message-ID: <md.{TOKEN}.invitation@{DOMAIN}>\n\nhello\n--B--\n"
    ).encode()
    verdict = classify(raw)
    assert (verdict.kind, verdict.reason, verdict.recipients) == (
        "feedback",
        "feedback",
        ("nguyen.b@hotmail.com",),
    )
    assert verdict.tokens == (TOKEN,)


def test_apple_unsubscribe_is_feedback_from_the_sender() -> None:
    raw = (
        "From: tran.c@icloud.com\n"
        f"To: reply+{TOKEN}@{DOMAIN}\n"
        "Subject: unsubscribe\n"
        "Auto-Submitted: auto-replied\n"
        "X-Apple-Unsubscribe: true\n\n"
        "Apple Mail sent this email to unsubscribe from the message.\n"
    ).encode()
    verdict = classify(raw)
    assert (verdict.kind, verdict.reason, verdict.recipients) == (
        "feedback",
        "feedback",
        ("tran.c@icloud.com",),
    )


def test_apache_james_notice() -> None:
    raw = (
        "From: post_master@mail.example.vn\n"
        f"To: bounces+{TOKEN}@{DOMAIN}\n"
        "Subject: Re: Khao sat\n"
        "Content-Type: text/plain; charset=us-ascii\n\n"
        "Error: Invalid user address\n\nError message below:\n"
        "550 - Requested action not taken: no such user here\n\n"
        "Message details:\n  Subject: Khao sat\n  MAIL FROM: khaosat@example.vn\n"
        "  RCPT TO: pham.d@mail.example.vn\n  From: khaosat@example.vn\n"
    ).encode()
    verdict = classify(raw)
    assert verdict.kind == "bounce"
    assert verdict.recipients == ("pham.d@mail.example.vn",)
    assert verdict.reason in ("userunknown", "filtered")  # the corpus says filtered: no SMTP command stated


VI_NOTICE = """From: "He thong thu" <postmaster@mail.example.gov.vn>
To: bounces+{token}@{domain}
Subject: =?utf-8?b?VGjGsCBraMO0bmcgdGjhu4MgZ+G7rWkgxJHGsOG7o2M=?=
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Thư của bạn không thể gửi tới người nhận sau:

<dang.e@example.gov.vn>: {reason}
"""


@pytest.mark.parametrize(
    ("text", "reason", "hard"),
    [
        ("Tài khoản không tồn tại.", "userunknown", True),
        ("Hộp thư đầy.", "mailboxfull", False),
        ("Hộp thư đã đầy, vui lòng thử lại sau.", "mailboxfull", False),
    ],
)
def test_vietnamese_notices(text: str, reason: str, hard: bool) -> None:
    raw = VI_NOTICE.format(token=TOKEN, domain=DOMAIN, reason=text).encode("utf-8")
    verdict = classify(raw)
    assert verdict.kind == "bounce"
    assert verdict.recipients == ("dang.e@example.gov.vn",)
    assert (verdict.reason, verdict.hard) == (reason, hard)
    assert text in verdict.diagnostic  # the Vietnamese reply text survives intact


def test_vietnamese_autoreply_subject() -> None:
    raw = (
        "From: Le Van F <le.f@example.gov.vn>\n"
        f"To: reply+{TOKEN}@{DOMAIN}\n"
        "Subject: =?utf-8?b?VHLhuqMgbOG7nWkgdOG7sSDEkeG7mW5n?=\n"
        "Content-Type: text/plain; charset=utf-8\n\n"
        "Tôi đang đi công tác, sẽ trả lời khi quay lại ngày 02/12/2026.\n"
    ).encode()
    verdict = classify(raw)
    assert verdict.subject == "Trả lời tự động"
    assert (verdict.kind, verdict.reason) == ("autoreply", "vacation")
    assert verdict.return_date is not None and verdict.return_date.isoformat() == "2026-12-02"


def test_a_localised_line_that_decides_keeps_the_codes_the_notice_gives_elsewhere() -> None:
    # Exchange localises the words ("Het door u ingevoerde e-mailadres is niet gevonden") and keeps the
    # codes in its technical part: IT staff still see 550 / 5.1.10 beside the reason
    # as pasted by a colleague: the notice's text without its header block
    raw = (
        b"Uw bericht kan niet worden bezorgd bij de volgende geadresseerden:\r\n\r\n"
        b"an.nguyen@example.nl<mailto:an.nguyen@example.nl>\r\n"
        b"Het door u ingevoerde e-mailadres is niet gevonden.\r\n\r\n\r\n\r\n"
        b"Diagnostische gegevens voor beheerders:\r\n\r\n"
        b"Bronserver: mail.example.nl\r\n\r\n"
        b"an.nguyen@example.nl\r\n"
        b"Remote Server returned '550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup'\r\n"
    )
    verdict = classify(raw)
    (one,) = verdict.verdicts
    assert (one.recipient, one.reason, one.hard) == ("an.nguyen@example.nl", "userunknown", True)
    assert (one.status, one.reply_code) == ("5.1.10", "550")
