"""How Exim and OpenSMTPD word their finals and delays (their notices' fixed sentences, from their
sources): a queue lifetime run out is ``expired``, a warning is a delay, a remote refusal keeps its reason."""

from __future__ import annotations

import pytest

from maildaemon.inbound.classify import classify

HEAD = "From: {frm}\nTo: bounces+01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn\nSubject: {subj}\nDate: Sun, 06 Dec 2026 10:00:00 +0700\nMessage-ID: <x1@{host}>\n{extra}\n"
ORIG = "From: khaosat@khaosat.example.vn\nTo: an.le@sotc.example.vn\nSubject: Khao sat\nMessage-ID: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>\n\nKinh gui\n"
OPENSMTPD_EXPIRED = (
    HEAD.format(
        frm="Mailer Daemon <MAILER-DAEMON@mx.sotc.example.vn>",
        subj="Delivery status notification: error",
        host="mx.sotc.example.vn",
        extra="",
    )
    + """    Hi!

    This is the MAILER-DAEMON, please DO NOT REPLY to this email.

    An error has occurred while attempting to deliver a message for
    the following list of recipients:

an.le@sotc.example.vn: Envelope expired

    Below is a copy of the original message:

"""
    + ORIG
)
OPENSMTPD_DELAY = (
    HEAD.format(
        frm="Mailer Daemon <MAILER-DAEMON@mx.sotc.example.vn>",
        subj="Delivery status notification: warning",
        host="mx.sotc.example.vn",
        extra="",
    )
    + """    Hi!

    This is the MAILER-DAEMON, please DO NOT REPLY to this email.

    A message is delayed for more than 4 hours for the following
    list of recipients:

an.le@sotc.example.vn: Network error on destination MXs

    Please note that this is only a temporary failure report.
    The message is kept in the queue for up to 4 days.
    You DO NOT NEED to re-send the message to these recipients.

    Below is a copy of the original message:

"""
    + ORIG
)
EXIM_TIMEOUT = (
    HEAD.format(
        frm="Mail Delivery System <Mailer-Daemon@relay.example.vn>",
        subj="Mail delivery failed: returning message to sender",
        host="relay.example.vn",
        extra="X-Failed-Recipients: an.le@sotc.example.vn\nAuto-Submitted: auto-replied\n",
    )
    + """This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  an.le@sotc.example.vn
    retry timeout exceeded

------ This is a copy of the message, including all the headers. ------

"""
    + ORIG
)
EXIM_HOSTS = EXIM_TIMEOUT.replace(
    "retry timeout exceeded",
    "all hosts for 'sotc.example.vn' have been failing for a long time (and retry time not reached)",
)
EXIM_DELAY = (
    HEAD.format(
        frm="Mail Delivery System <Mailer-Daemon@relay.example.vn>",
        subj="Warning: message 1abc-000 delayed 24 hours",
        host="relay.example.vn",
        extra="Auto-Submitted: auto-replied\n",
    )
    + """This message was created automatically by mail delivery software.
A message that you sent has not yet been delivered to one or more of its
recipients after more than 24 hours on the queue on relay.example.vn.

The message identifier is:     1abc-000
The subject of the message is: Khao sat

The address to which the message has not yet been delivered is:

  an.le@sotc.example.vn
    Delay reason: SMTP error from remote mail server after RCPT TO:<an.le@sotc.example.vn>:
    451 4.3.0 Temporary lookup failure

No action is required on your part. Delivery attempts will continue for
some time, and this warning may be repeated at intervals if the message
remains undelivered. Eventually the mail delivery software will give up,
and when that happens, the message will be returned to you.
"""
)
EXIM_UNKNOWN = EXIM_TIMEOUT.replace(
    "retry timeout exceeded",
    "host mx.sotc.example.vn [192.0.2.5]\n    SMTP error from remote mail server after RCPT TO:<an.le@sotc.example.vn>:\n    550 5.1.1 <an.le@sotc.example.vn>: Recipient address rejected: User unknown in virtual mailbox table",
)


@pytest.mark.parametrize(
    ("text", "kind", "reason"),
    [
        (OPENSMTPD_EXPIRED, "bounce", "expired"),
        (OPENSMTPD_DELAY, "delay", None),
        (EXIM_TIMEOUT, "bounce", "expired"),
        (EXIM_HOSTS, "bounce", "expired"),
        (EXIM_DELAY, "delay", None),
        (EXIM_UNKNOWN, "bounce", "userunknown"),
    ],
    ids=["opensmtpd-expired", "opensmtpd-delay", "exim-retry-timeout", "exim-hosts-failing", "exim-delay",
         "exim-user-unknown"],
)  # fmt: skip
def test_exim_and_opensmtpd_notices(text: str, kind: str, reason: str | None) -> None:
    verdict = classify(text.encode())
    assert verdict.kind == kind
    (only,) = verdict.verdicts
    assert only.recipient == "an.le@sotc.example.vn"
    if reason:
        assert only.reason == reason


def _dsn(action: str, status: str, line: str, hops: int = 1) -> bytes:
    """A multipart/report whose notice line for the recipient is ``line`` and whose returned headers carry
    ``hops`` Received: fields."""
    received = "".join(
        f"Received: from h{i}.example.vn by h{i + 1}.example.vn; Sun, 6 Dec 2026\n" for i in range(hops)
    )
    return (
        HEAD.format(frm="Mailer Daemon <MAILER-DAEMON@mx.sotc.example.vn>", subj="Delivery status notification",
                    host="mx.sotc.example.vn", extra='MIME-Version: 1.0\nContent-Type: multipart/report; '
                    'report-type=delivery-status; boundary="b"')
        + f"--b\nContent-Type: text/plain\n\n{line}\n\n--b\nContent-Type: message/delivery-status\n\n"
        f"Reporting-MTA: dns; mx.sotc.example.vn\n\nFinal-Recipient: rfc822; an.le@sotc.example.vn\n"
        f"Action: {action}\nStatus: {status}\n\n--b\nContent-Type: text/rfc822-headers\n\n{received}{ORIG}--b--\n"
    ).encode()  # fmt: skip


@pytest.mark.parametrize(
    ("line", "kind"),
    [("an.le@sotc.example.vn: Envelope expired", "bounce"),
     ("an.le@sotc.example.vn: the message has expired in the queue", "bounce"),
     ("an.le@sotc.example.vn: 400 4.4.7 Message delayed", "delay")],
)  # fmt: skip
def test_a_delayed_report_that_says_its_time_ran_out_is_final(line: str, kind: str) -> None:
    """OpenSMTPD 6.8 reports an expiry as Action: delayed (4.4.7, "Envelope expired"); Exchange sends its
    delay warnings with 4.4.7 too, which stay delays."""
    verdict = classify(_dsn("delayed", "4.4.7", line))
    assert verdict.kind == kind
    assert not verdict.verdicts[0].hard


@pytest.mark.parametrize(("hops", "reason"), [(26, "contenterror"), (3, "undefined")])
def test_a_returned_message_with_too_many_hops_and_no_reason_was_a_loop(hops: int, reason: str) -> None:
    """Exim names the loop only in its log; the returned headers' 26 hops are the evidence, 3 are not."""
    verdict = classify(_dsn("failed", "5.0.0", "an.le@sotc.example.vn", hops))
    assert verdict.kind == "bounce"
    assert verdict.verdicts[0].reason == reason


@pytest.mark.parametrize(
    ("status", "reason"),
    [("5.2.1 (mailbox disabled, not accepting messages)", "suspend"), ("5.2.1", "filtered")],
)
def test_the_reporting_mtas_comment_on_its_status_is_read_with_the_reply(status: str, reason: str) -> None:
    """A Status field's comment is the reporting MTA's own word on the failure: a remote 'user unknown'
    under a status the reporter calls a disabled mailbox is a suspension; without it, a filter's refusal."""
    diagnostic = "\nDiagnostic-Code: smtp; 550 5.2.1 <an.le@sotc.example.vn>... User unknown"
    verdict = classify(_dsn("failed", status + diagnostic, "an.le@sotc.example.vn"))
    assert verdict.verdicts[0].reason == reason


@pytest.mark.parametrize(
    ("action", "status", "kind", "reason"),
    [("delayed", "4.3.2", "delay", ""), ("failed", "4.3.2", "bounce", "expired")],
)
def test_a_system_closed_for_a_while_is_neither_final_nor_a_refusal(
    action: str, status: str, kind: str, reason: str
) -> None:
    """4.3.2 (system not accepting messages) with a text of its own that says no more (a transport map's
    retry: entry, down for maintenance): tried again, so nothing final; given up on, it expired."""
    line = "an.le@sotc.example.vn: scheduled maintenance of the mail service, back tonight"
    verdict = classify(_dsn(action, status + "\nDiagnostic-Code: X-Postfix; scheduled maintenance", line))
    assert verdict.kind == kind
    assert not verdict.verdicts[0].hard
    if reason:
        assert verdict.verdicts[0].reason == reason


def test_a_relays_own_filter_refusal_in_exim_octal_escapes_is_filtered() -> None:
    """Exim writes a system filter's non-ASCII ``fail text`` byte by byte as \\ooo, with no remote reply."""
    text = "Thư của anh/chị đã bị bộ lọc của máy chủ từ chối"
    escaped = "".join(c if c.isascii() else "".join(f"\\{b:03o}" for b in c.encode()) for c in text)
    verdict = classify(_dsn("failed", "5.0.0", f"  an.le@sotc.example.vn\n    {escaped}"))
    assert verdict.verdicts[0].reason == "filtered"


_DISPOSED = """From: MAILER-DAEMON@hop.example.org
To: survey@example.com
Subject: Returned mail
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=utf-8

Your message was received on Tuesday from survey@example.com.
It was turned away by the recipient's mail filtering program with these words:

{reason}
--b1
Content-Type: message/delivery-status

Reporting-UA: sieve; some filter 1.0
Final-Recipient: RFC822; binh@hop.example.org
Action: deleted
Disposition: automatic-action/MDN-sent-automatically;deleted

--b1--
"""


@pytest.mark.parametrize(
    "reason",
    [
        # realmta round 16: a report of the recipient's filter (RFC 8098's "deleted", no status, no remote reply)
        # whose reason refuses the sender: the filter's verdict after transfer, not the server's refusal at RCPT
        "Tôi từ chối nhận thư của người gửi này.",
        "Sender rejected: I do not take mail from this address.",
    ],
)
def test_a_report_of_a_message_deleted_by_the_recipients_filter_is_filtered(reason: str) -> None:
    verdict = classify(_DISPOSED.format(reason=reason).encode())
    assert verdict.kind == "bounce"
    assert (verdict.verdicts[0].recipient, verdict.verdicts[0].reason) == ("binh@hop.example.org", "filtered")
