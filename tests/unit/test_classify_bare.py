"""Bounce texts without their header block (an NDR forwarded by IT staff, or pasted in): the text alone
says what happened and to whom."""

from __future__ import annotations

import pytest

from maildaemon.inbound.classify import classify

POSTFIX = """This is the mail system at host mail.sender.example.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

<an.nguyen@sokhdt.example.vn>: host mx.sokhdt.example.vn[192.0.2.7] said: 550 5.1.1
    <an.nguyen@sokhdt.example.vn>: Recipient address rejected: User unknown in
    virtual mailbox table (in reply to RCPT TO command)
"""

GMAIL_DELAY = """
** Delivery incomplete **

There was a temporary problem delivering your message to binh.tran@example.org. Gmail will retry for 46 more hours. You'll be notified if the delivery fails permanently.

The response from the remote server was:
550 5.7.1 The message was refused for now by the remote server
"""

EXCHANGE_NL = """Uw bericht kan niet worden bezorgd bij de volgende geadresseerden of groepen:

chi.le@example.nl
Het door u ingevoerde e-mailadres is niet gevonden.

Diagnostische gegevens voor beheerders:

chi.le@example.nl
Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipientNotFound; not found'
"""

EXCHANGE_EN = """Your message to dung.pham@example.com couldn\u2019t be delivered.
dung.pham wasn\u2019t found at example.com.
"""


@pytest.mark.parametrize(
    ("text", "kind", "recipient", "reason"),
    [
        (POSTFIX, "bounce", "an.nguyen@sokhdt.example.vn", "userunknown"),
        (GMAIL_DELAY, "delay", "binh.tran@example.org", None),
        (EXCHANGE_NL, "bounce", "chi.le@example.nl", "userunknown"),
        (EXCHANGE_EN, "bounce", "dung.pham@example.com", None),
    ],
)
def test_a_bounce_without_headers_is_recognised(
    text: str, kind: str, recipient: str, reason: str | None
) -> None:
    verdict = classify(text.replace("\n", "\r\n").encode("utf-8"))
    assert verdict.kind == kind
    assert verdict.verdicts[0].recipient == recipient
    if reason:
        assert verdict.verdicts[0].reason == reason


def test_a_plain_text_without_headers_that_is_no_bounce_stays_unknown() -> None:
    verdict = classify("Chào anh,\n\nEm gửi lại bảng số liệu quý 3 ạ.\n\nTrân trọng,\nHà\n".encode())
    assert verdict.kind not in ("bounce", "delay")


SIEVE_REJECT = """From: Postmaster <postmaster@mail.sotc.example.vn>
To: <bounces+01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>
Subject: Rejected: Khao sat chuyen doi so 2026
Auto-Submitted: auto-replied (rejected)
Precedence: bulk
Message-ID: <dovecot-sieve-1733480000-1@mail.sotc.example.vn>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=disposition-notification;
    boundary="b1"

This is a MIME-encapsulated message

--b1
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Your message to <lan.vo@sotc.example.vn> was automatically rejected:
Hộp thư này chỉ nhận thư nội bộ / internal mail only

--b1
Content-Type: message/disposition-notification

Reporting-UA: mail.sotc.example.vn; Dovecot Mail Delivery Agent
Final-Recipient: rfc822; lan.vo@sotc.example.vn
Original-Message-ID: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>
Disposition: automatic-action/MDN-sent-automatically; deleted

--b1--
"""


def test_a_sieve_reject_mdn_is_the_recipients_filter_refusing_the_message() -> None:
    """RFC 5429: Sieve ``reject`` answers with an MDN whose disposition is ``deleted``; the address
    exists, its owner's filter refused the message."""
    verdict = classify(SIEVE_REJECT.encode("utf-8"))
    assert verdict.kind == "bounce"
    (only,) = verdict.verdicts
    assert (only.recipient, only.reason, only.hard) == ("lan.vo@sotc.example.vn", "filtered", False)
    assert "internal mail only" in only.diagnostic


def test_a_read_receipt_mdn_says_the_message_arrived() -> None:
    text = SIEVE_REJECT.replace("MDN-sent-automatically; deleted", "MDN-sent-manually; displayed")
    verdict = classify(text.encode("utf-8"))
    assert verdict.kind == "delivered"
    assert verdict.verdicts[0].reason == "delivered"


PIPE_DSN = """From: MAILER-DAEMON@mx.example.vn
To: bounces+01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b2"

--b2
Content-Type: text/plain

The mail system

<"|/usr/bin/procmail -f-"@mx.example.vn> (expanded from <hoa.dang@example.vn>): Command died with status 75

--b2
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.vn

Final-Recipient: rfc822; |/usr/bin/procmail -f-
Original-Recipient: rfc822; hoa.dang@example.vn
Action: failed
Status: 5.3.0
Diagnostic-Code: x-unix; Command died with status 75

--b2--
"""


def test_a_pipe_is_never_the_recipient() -> None:
    verdict = classify(PIPE_DSN.encode())
    assert verdict.kind == "bounce"
    assert verdict.verdicts[0].recipient == "hoa.dang@example.vn"


def test_mail_system_addresses_are_never_the_failed_recipient() -> None:
    from maildaemon.inbound.classify.heuristics import candidates, is_mta_address

    assert all(map(is_mta_address, ["MAILER-DAEMON@x.vn", "khaosat-request@lists.x.vn", "owner-ks@x.vn"]))
    notice = (
        "Your message to khaosat-request@lists.example.vn for <minh.ho@example.vn> failed: 550 User unknown"
    )
    assert candidates(notice, set()) == ["minh.ho@example.vn"]


def test_an_mdn_refusal_that_says_the_mailbox_is_full_is_mailboxfull() -> None:
    """Older Dovecot LDAs (and other agents) refuse a message over quota with an MDN too."""
    text = SIEVE_REJECT.replace(
        "Hộp thư này chỉ nhận thư nội bộ / internal mail only", "Quota exceeded (mailbox for user is full)"
    )
    only = classify(text.encode("utf-8")).verdicts[0]
    assert (only.reason, only.hard) == ("mailboxfull", False)


def test_a_text_whose_first_line_looks_like_a_field_is_still_headerless() -> None:
    """A pasted Office 365 NDR starts with a logo URL ("[https://..."): not a header block."""
    text = "[https://products.example.com/logo.png?v=1]\n" + EXCHANGE_EN + "\nAction Required   Recipient\n"
    verdict = classify(text.encode("utf-8"))
    assert verdict.kind == "bounce"
    assert verdict.verdicts[0].recipient == "dung.pham@example.com"


def test_gmail_address_not_found_without_headers() -> None:
    text = (
        "\n** Address not found **\n\nYour message wasn't delivered to tuan.ngo@example.vn because the address "
        "couldn't be found, or is unable to receive mail.\n\nThe response from the remote server was:\n"
        "550 5.1.1 The email account that you tried to reach does not exist.\n"
    )
    verdict = classify(text.encode())
    assert verdict.kind == "bounce"
    only = verdict.verdicts[0]
    assert (only.recipient, only.reason, only.hard) == ("tuan.ngo@example.vn", "userunknown", True)


def test_a_plain_notice_above_a_returned_mime_original_is_the_notice() -> None:
    """No Content-Type at the top, a MIME original quoted below: the boundary found in the original must
    not hide the notice above it."""
    text = (
        "From: Mail Delivery System <Mailer-Daemon@relay.example.vn>\nTo: bounces@khaosat.example.vn\n"
        "Subject: Mail delivery failure\n\nA message that you sent could not be delivered.\n\n"
        "The following message, addressed to 'thu.pham@example.vn',\nfailed because it has not been "
        "collected after 30 days\n\n---- START OF RETURNED MESSAGE ----\nFrom: khaosat@khaosat.example.vn\n"
        'To: ds-khaosat@lists.example.vn\nContent-Type: multipart/mixed; boundary="zz12345"\n\n'
        "--zz12345\nContent-Type: text/plain\n\nSend submissions to\n\tds-khaosat@lists.example.vn\n"
        "--zz12345\nContent-Type: text/plain\n\nmore\n--zz12345--\n"
    )
    verdict = classify(text.encode())
    assert verdict.kind == "bounce"
    assert verdict.verdicts[0].recipient == "thu.pham@example.vn"


def test_the_failed_address_follows_the_following_recipients_not_the_quoted_to() -> None:
    """Old Exchange quotes the original's To first, then the failed address in X.400 form."""
    text = (
        "From: System Administrator <postmaster@ubnd.example.vn>\nTo: bounces@khaosat.example.vn\n"
        "Subject: Undeliverable: Khao sat\n\nYour message\n\n  To:      ds-khaosat@lists.example.vn\n"
        "  Subject: Khao sat\n\ndid not reach the following recipient(s):\n\n"
        "c=VN;a= ;p=UBND;o=Nexus2;dda:SMTP=hai.vu@ubnd.example.vn; on Fri, 4 Oct 2026 10:00:00 +0700\n"
        "    The recipient name is not recognized\n"
    )
    verdict = classify(text.encode())
    assert verdict.kind == "bounce"
    assert [v.recipient for v in verdict.verdicts] == ["hai.vu@ubnd.example.vn"]


def test_an_alias_expansion_gives_the_address_we_wrote_to() -> None:
    text = (
        "From: Mail Delivery Subsystem <MAILER-DAEMON@mx.sotc.example.vn>\nTo: bounces@khaosat.example.vn\n"
        "Subject: Returned mail: Too many hops\n\n   ----- The following addresses had permanent fatal errors -----\n"
        "lan.vo@mailstore.sotc.example.vn\n    (expanded from: vo.thi.lan@sotc.example.vn)\n\n"
        "554 Too many hops 26 (25 max)\n"
    )
    only = classify(text.encode()).verdicts[0]
    assert (only.recipient, only.original_recipient) == (
        "lan.vo@mailstore.sotc.example.vn",
        "vo.thi.lan@sotc.example.vn",
    )


# A report whose header block was cut off: the body opens with the outer boundary, and its first part is
# itself multipart (a text and an HTML rendering) with a boundary of its own, so the inner boundary's
# delimiter lines come twice before the outer one's second line. Words and addresses are our own.
_OUTER, _ALT = "outer-0a1b2c3d4e5f", "inner-9f8e7d6c5b4a"
HEADLESS_NESTED_REPORT = f"""--{_OUTER}
Content-Type: multipart/alternative; boundary="{_ALT}"

--{_ALT}
Content-Type: text/plain; charset="UTF-8"

We could not hand your message to thu.ha@example.org; their provider would not take it and
gave no way to reach the person, so nothing more will be tried.

--{_ALT}
Content-Type: text/html; charset="UTF-8"

<p>We could not hand your message to thu.ha@example.org.</p>

--{_ALT}--

--{_OUTER}
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example.net

Final-Recipient: rfc822; thu.ha@example.org
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 mailbox for thu.ha@example.org is unknown here

--{_OUTER}
Content-Type: message/rfc822

From: survey@example.net
To: thu.ha@example.org
Subject: Your view on the new timetable

Two minutes of your time, please.

--{_OUTER}--
"""


def test_a_headless_report_is_split_at_its_outer_boundary_not_a_nested_one() -> None:
    verdict = classify(HEADLESS_NESTED_REPORT.encode())
    assert verdict.kind == "bounce"
    assert [(v.recipient, v.status, v.reason, v.hard) for v in verdict.verdicts] == [
        ("thu.ha@example.org", "5.1.1", "userunknown", True)
    ]


def test_a_headless_mime_original_below_a_notice_keeps_its_nested_parts_apart() -> None:
    # no report part: a notice, then the returned original's own multipart with a nested alternative; the
    # outer boundary is the first delimiter line, the text under it still a notice naming the address
    text = (
        "Delivery to the following recipient failed permanently:\n\n    khoa.vo@example.org\n\n"
        "Technical details: 550 5.1.1 the mailbox khoa.vo@example.org does not exist\n\n"
        f'--{_OUTER}\nContent-Type: multipart/alternative; boundary="{_ALT}"\n\n'
        f"--{_ALT}\nContent-Type: text/plain\n\nOur survey\n\n--{_ALT}\nContent-Type: text/html\n\n<p>Our survey</p>\n\n"
        f"--{_ALT}--\n\n--{_OUTER}\nContent-Type: text/plain\n\nsignature\n\n--{_OUTER}--\n"
    )
    verdict = classify(text.encode())
    assert verdict.kind == "bounce"
    assert [(v.recipient, v.reason) for v in verdict.verdicts] == [("khoa.vo@example.org", "userunknown")]
