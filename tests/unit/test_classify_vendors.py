"""MTA and provider vocabularies (classify/vendors.py) and how ``replies.decide`` weighs them, plus the notice
shapes they come in: qmail, OpenSMTPD, sendmail transcripts, DSNs forwarded as attachments, PowerMTA."""

from __future__ import annotations

import pytest

from maildaemon.core import replies
from maildaemon.core.replies import providers, vendors
from maildaemon.inbound.classify import classify, is_hard


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Invalid final delivery userid: a@example.jp", "userunknown"),  # IMail
        ("User  not listed in public Name & Address Book", "userunknown"),  # Lotus Notes
        (
            "Unable to deliver message to <a@example.jp> (and other recipients in the same domain).",
            "userunknown",
        ),
        ("MSEXCH:IMS:Org:Site:Server 0 (000C05A6) Unknown Recipient", "userunknown"),  # Exchange 2003
        ("MSEXCH:IMS:Org:Site:Server 0 (000C0595) Ambiguous Recipient", "filtered"),
        ("a@example.jp: No MX found for domain", "notaccept"),  # OpenSMTPD
        ("a@example.jp: Envelope expired", "expired"),
        ("a@example.jp: Network error on destination MXs", "networkerror"),
        ("Delivery failed 20 attempts: a@example.jp", "expired"),
        ("550 Your message was rejected (state 18).", "filtered"),  # Gmail's SMTP client stage
        ("DNS Error: Domain name not found", "hostunknown"),
        ("550 5.1.1 user unknown", ""),
        # qmail-remote's sentence for a refused HELO, in any notice (documented set 15): the remote's own words
        # after it ("Invalid domain name") are about our HELO name, not the recipient's domain
        (
            "Connected to 192.0.2.1 but my name was rejected. Remote host said: 501 5.0.0 Invalid domain name",
            "blocked",
        ),
    ],
)
def test_mta_phrases(text: str, reason: str) -> None:
    assert vendors.mta_reason(text.lower()) == reason


def test_a_specific_status_outranks_gmail_state() -> None:
    assert vendors.mta_reason("550 550 5.2.2 <a@example.jp>... mailbox full (state 14).") == ""
    assert vendors.mta_reason("550 550 unknown user a@example.jp (state 14).") == "userunknown"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("sorry, i wasn't able to establish an smtp connection. (#4.4.1)", "networkerror"),
        ("sorry, i couldn't find a mail exchanger or ip address. (#5.4.4)", "notaccept"),
        ("unable to deliver message after multiple retries, giving up.", "systemerror"),
        ("i'm not going to try again; this message has been in the queue too long.", "expired"),
    ],
)
def test_qmail_sentences_count_only_in_qmail_notices(text: str, reason: str) -> None:
    assert vendors.mta_reason(text, qmail=True) == reason
    assert vendors.mta_reason(text, qmail=False) == ""


@pytest.mark.parametrize(
    ("diagnostic", "hosts", "reason"),
    [
        (
            "550 5.1.1 Adresse d au moins un destinataire invalide. Invalid recipient. OFR_416 [416]",
            "",
            "userunknown",
        ),
        ("550 5.5.0 Boite du destinataire archivee. Archived recipient. LPN007_420", "", "suspend"),
        ("421 4.2.0 Service refuse. Veuillez essayer plus tard. OFR005_505 [505]", "", "systemerror"),
        ("550 203.0.113.2 has sent to too many recipients this hour. IB607", "", "speeding"),
        ("550 5.1.1 RCP-P2 Refused due to recipient preferences", "", "filtered"),
        ("550 5.1.0 <s@example.com> sender rejected. AUP#CXBL", "", "blocked"),
        ("554 cmsmtp 192.0.2.1 rejected. AUP#IPBL0110", "", "blocked"),
        ("554 RTR:BB http://postmaster.info.aol.com/errors/554rtrbb.html", "", "blocked"),
        ("554 RLY:B1 http://postmaster.info.aol.com/errors/554rlyb1.html", "", "badreputation"),
        ("554 HVU:B1 http://postmaster.info.aol.com/errors/554hvub1.html", "", "spamdetected"),
        ("554 RLY:ZZ an AOL code no page documents", "", ""),
        ("554 email rejected due to security policies - MCSpamSignature", "eu.mimecast.com", "virusdetected"),
        ("554 email rejected due to security policies - MCSpamSignature", "mx.example.com", ""),
        (
            "554 delivery error: dd This user doesn't have a yahoo.com account",
            "mta6.am0.yahoodns.net",
            "userunknown",
        ),
        ("550 5.1.1 User does not exist - <a@zoho.com>", "mx.zoho.com", "userunknown"),
    ],
)
def test_provider_codes_and_sentences(diagnostic: str, hosts: str, reason: str) -> None:
    assert providers.provider_reason(diagnostic, hosts, diagnostic[:3]) == reason


def test_docomo_unknown_user_depends_on_the_command() -> None:
    text = "550 Unknown user a@docomo.ne.jp"
    assert providers.provider_reason(text, "mfsmax.docomo.ne.jp", "550", "DATA", "5.0.0") == "rejected"
    assert providers.provider_reason(text, "mfsmax.docomo.ne.jp", "550", "RCPT", "5.0.0") == "userunknown"
    assert providers.provider_reason(text, "mfsmax.docomo.ne.jp", "550", "DATA", "5.2.0") == "filtered"


def test_a_specific_preset_stands_and_a_vague_one_yields() -> None:
    assert replies.decide("5.0.0", "whatever the text", preset="notaccept") == "notaccept"
    assert replies.decide("5.0.0", "550 mailbox full", preset="userunknown") == "mailboxfull"
    assert replies.decide("5.0.0", "550 something odd", preset="userunknown") == "userunknown"
    assert replies.decide("4.0.0", "temporary trouble", preset="expired") == "expired"


def test_rejected_after_mail_from_and_folded_reply_text() -> None:
    assert replies.decide("5.7.1", "550 5.7.1 Access denied", command="MAIL") == "rejected"
    assert (
        replies.decide("5.7.1", "550 5.7.1 can't determine Purported\n   Responsible Address") == "rejected"
    )


def test_a_reply_naming_only_the_address_says_nothing() -> None:
    assert replies.decide("", "* kijitora@example.or.jp") == "undefined"
    assert replies.decide("", "something went wrong for kijitora@example.or.jp") == "onhold"


def _crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


QMAIL = """\
Return-Path: <>
Received: (qmail 1234 invoked for bounce); 29 Apr 2026 09:00:00 -0000
From: MAILER-DAEMON@mx.example.net
To: bounces+abcdefghijklmnopqrstuvwxyz@survey.example.gov.vn
Subject: failure notice
Date: Wed, 29 Apr 2026 09:00:00 +0000

Hi. This is the qmail-send program at mx.example.net.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<nguyen.van.a@example.vn>:
Sorry, I wasn't able to establish an SMTP connection. (#4.4.1)
I'm not going to try again; this message has been in the queue too long.

--- Below this line is a copy of the message.

From: khao-sat@survey.example.gov.vn
To: nguyen.van.a@example.vn
Subject: Khao sat
"""


def test_qmail_notice() -> None:
    verdict = classify(_crlf(QMAIL))
    assert verdict.kind == "bounce"
    assert verdict.recipients == ("nguyen.van.a@example.vn",)
    assert verdict.reason == "networkerror"
    assert not verdict.hard
    assert verdict.token == "abcdefghijklmnopqrstuvwxyz"


OPENSMTPD_DELAY = """\
From: Mailer Daemon <MAILER-DAEMON@mx.example.net>
To: khao-sat@survey.example.gov.vn
Subject: Delivery status notification: delayed
Date: Wed, 29 Apr 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="b1"

--b1
Content-Type: text/plain; charset=us-ascii

    Hi!

    This is the MAILER-DAEMON, please DO NOT REPLY to this email.

    A message is delayed for more than 4 hours for the following
    list of recipients:

tran.thi.b@nomx.example.vn: No MX found for domain

    Please note that this is only a temporary failure report.

--b1
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.net

Final-Recipient: rfc822; tran.thi.b@nomx.example.vn
Action: delayed
Status: 4.0.0

--b1--
"""


def test_opensmtpd_no_mx_is_a_dead_domain_even_while_delayed() -> None:
    verdict = classify(_crlf(OPENSMTPD_DELAY))
    assert verdict.kind == "delay"
    assert verdict.reason == "notaccept"
    assert verdict.hard


SENDMAIL_TRANSCRIPT = """\
From: Mail Delivery Subsystem <MAILER-DAEMON@relay.example.net>
To: khao-sat@survey.example.gov.vn
Subject: Returned mail: Host unknown
Date: Wed, 29 Apr 2026 09:00:00 +0000

   ----- Transcript of session follows -----
While talking to mx.one.example:
>>> MAIL From:<khao-sat@survey.example.gov.vn>
<<< 501 <khao-sat@survey.example.gov.vn>... no access from mail server [192.0.2.55] which is an open relay.
554 <le.van.c@one.example>... Remote protocol error
550 two.example (smtp)... 550 Host unknown
554 <pham.thi.d@two.example>... 550 Host unknown (Authoritative answer from name server)

   ----- Unsent message follows -----
From: khao-sat@survey.example.gov.vn
To: le.van.c@one.example
Subject: Khao sat
"""


def test_sendmail_transcript_entries_are_judged_one_by_one() -> None:
    verdict = classify(_crlf(SENDMAIL_TRANSCRIPT))
    reasons = {v.recipient: (v.reason, v.hard) for v in verdict.verdicts}
    assert reasons["le.van.c@one.example"] == ("blocked", False)
    assert reasons["pham.thi.d@two.example"] == ("hostunknown", True)


FORWARDED_DSN = """\
From: "Mail Delivery Subsystem" <MAILER-DAEMON@gw.example.vn>
To: khao-sat@survey.example.gov.vn
Subject: Returned mail: User unknown
Date: Wed, 29 Apr 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="outer"

--outer
Content-Type: text/plain

----- The following addresses had permanent delivery errors -----

--outer
Content-Type: message/rfc822

From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.vn>
To: khao-sat@survey.example.gov.vn
Subject: Returned mail: User unknown
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="inner"

--inner

hoang.van.e@example.vn

--inner
Content-Type: message/delivery-status

Reporting-MTA: dns; mx.example.vn

Final-Recipient: RFC822; hoang.van.e@example.vn
Action: failed
Status: 5.1.1
Diagnostic-Code: SMTP; 550 5.1.1 <hoang.van.e@example.vn>... User unknown

--inner--

--outer--
"""


def test_a_dsn_forwarded_as_an_attachment_is_read() -> None:
    verdict = classify(_crlf(FORWARDED_DSN))
    assert verdict.kind == "bounce"
    assert verdict.recipients == ("hoang.van.e@example.vn",)
    assert verdict.reason == "userunknown"
    assert verdict.hard


def test_powermta_bounce_category_names_the_reason() -> None:
    raw = _crlf(
        "From: postmaster@mta.example.net\nTo: khao-sat@survey.example.gov.vn\nSubject: Delivery report\n"
        'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="r"\n\n'
        "--r\nContent-Type: text/plain\n\nDelivery report\n\n"
        "--r\nContent-Type: message/delivery-status\n\nReporting-MTA: dns;mta.example.net\n\n"
        "Final-Recipient: rfc822;vo.thi.f@example.vn\nAction: failed\nStatus: 5.0.0\n"
        "Diagnostic-Code: smtp;554 delivery error: dd sorry [0]\nX-PowerMTA-BounceCategory: bad-mailbox\n\n--r--\n"
    )
    verdict = classify(raw)
    assert verdict.reason == "userunknown"
    assert verdict.hard


def test_ses_notification_with_folded_json() -> None:
    body = (
        '{"notificationType":"Complaint","complaint":{"complainedRecipients":[{"emailAddress":"do.van.g@exa!\n'
        ' mple.vn"}],"timestamp":"2026-04-29T01:49:01.000Z"}}\n'
    )
    raw = _crlf(
        "From: SES <no-reply@sns.amazonaws.com>\nTo: khao-sat@survey.example.gov.vn\n"
        "Subject: AWS Notification Message\nContent-Type: text/plain; charset=UTF-8\n\n" + body
    )
    verdict = classify(raw)
    assert verdict.kind == "feedback"
    assert verdict.recipients == ("do.van.g@example.vn",)


@pytest.mark.parametrize(
    ("text", "reason", "hard"),
    [
        ("550 5.1.1 Địa chỉ người nhận không tồn tại", "userunknown", True),
        ("552 5.2.2 Hộp thư đầy", "mailboxfull", False),
        ("452 4.2.2 hộp thư đã đầy, vượt quá dung lượng", "mailboxfull", False),
    ],
)
def test_vietnamese_replies(text: str, reason: str, hard: bool) -> None:
    found = replies.decide(replies.find_status(text), text)
    assert found == reason
    assert is_hard(found) == hard


RELAY_QUOTING_THE_REMOTE = """\
From: MAILER-DAEMON@relay.example.net
To: khao-sat@survey.example.gov.vn
Subject: Delivery Status Notification (Failure)
Date: Wed, 29 Apr 2026 09:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="b2"

--b2
Content-Type: text/plain

The following message to <le.thi.c@example.vn> was undeliverable.

--b2
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example.net

Final-Recipient: rfc822;le.thi.c@example.vn
Action: failed
Status: 5.0.0 (permanent failure)
Diagnostic-Code: smtp; 5.1.0 - Unknown address error 550-'{status} <le.thi.c@example.vn>... {words}'

--b2--
"""


@pytest.mark.parametrize(
    ("status", "words", "reason"),
    [("5.2.2", "Mailbox full", "mailboxfull"), ("5.7.1", "Access denied", "securityerror")],
)
def test_a_relays_own_status_yields_to_the_remote_reply_it_quotes(
    status: str, words: str, reason: str
) -> None:
    # the relay's "5.1.0 - Unknown address error" is its wrapper; the quoted remote reply says what happened
    verdict = classify(_crlf(RELAY_QUOTING_THE_REMOTE.format(status=status, words=words)))
    first = verdict.verdicts[0]
    assert (first.status, first.reason, first.hard) == (status, reason, False)


def test_a_transient_reply_inside_a_relays_final_status_is_the_relays_expiry() -> None:
    raw = RELAY_QUOTING_THE_REMOTE.replace(
        "5.1.0 - Unknown address error 550-'{status}",
        "5.4.7 - Delivery expired (message too old) 450-'{status}",
    )
    verdict = classify(_crlf(raw.format(status="4.2.1", words="Try again later")))
    assert (verdict.verdicts[0].status, verdict.verdicts[0].reason) == ("5.4.7", "expired")
