"""Who failed, in plain-text notices of older shapes: the mail system's own addresses, greetings and example
addresses in explanations are never the failed recipient; a list that names a mailbox by its local part
alone means a mailbox of the reporting system's domain."""

from __future__ import annotations

from maildaemon.inbound.classify import classify
from maildaemon.inbound.classify.heuristics import candidates, in_prose, organisational_domain

# An old Postfix report about a message its sender wrote to themselves: the failed address is also the
# returned original's From; the only other address is the postmaster to write to for help.
SELF_SENT = """From: MAILER-DAEMON@relay.sender.example (Mail Delivery System)
To: khaosat@sender.example
Subject: Undelivered Mail Returned to Sender
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="p1"

--p1
Content-Type: text/plain

This is the mail program at host relay.sender.example.

We regret to say that the message returned below could not reach one or more of its recipients.

To talk to a person about it, please contact <postmaster@relay.sender.example>
and quote this report.

<lan.pham@example.vn>: Name service error for domain example.vn: Host not
    found, try again

--p1
Content-Type: message/rfc822

From: lan.pham@example.vn
To: lan.pham@example.vn
Subject: test to myself

hello
--p1--
"""


def test_a_self_sent_message_names_its_sender_and_never_the_postmaster() -> None:
    verdict = classify(SELF_SENT.encode())
    assert verdict.kind == "bounce"
    assert [v.recipient for v in verdict.verdicts] == ["lan.pham@example.vn"]


def test_the_postmaster_named_for_help_is_never_the_failed_recipient() -> None:
    text = SELF_SENT.replace("<lan.pham@example.vn>: Name service", "The destination: Name service")
    verdict = classify(text.replace("lan.pham@example.vn", "someone@example.vn").encode())
    assert verdict.kind == "bounce"
    assert not any("postmaster" in v.recipient for v in verdict.verdicts)


def test_a_postmaster_the_message_was_sent_to_is_still_its_recipient() -> None:
    text = SELF_SENT.replace("lan.pham@example.vn", "postmaster@relay.sender.example")
    verdict = classify(text.encode())
    assert [v.recipient for v in verdict.verdicts] == ["postmaster@relay.sender.example"]


# A report whose delivery-status part holds no per-recipient fields; the text part lists the address.
EMPTY_REPORT = """To: bounces@khaosat.example.vn
Subject: =?UTF-8?Q?Ng=C6=B0=E1=BB=9Di_nh=E1=BA=ADn_kh=C3=B4ng_t=E1=BB=93n_t=E1=BA=A1i?=
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="r1"

--r1
Content-Type: text/plain; charset=utf-8

Your message could not be delivered to:
thu.vo@example.fr
The address above is not in our directory.

--r1
Content-Type: message/delivery-status

Reporting-MTA: dns; gateway.example.fr

--r1--
"""


def test_an_address_alone_after_could_not_be_delivered_to_is_the_recipient() -> None:
    verdict = classify(EMPTY_REPORT.encode())
    assert verdict.kind == "bounce"
    assert [v.recipient for v in verdict.verdicts] == ["thu.vo@example.fr"]


# A provider that names its members by screen name: the list gives no domain; the notice comes from the
# provider's mail system. The greeting addresses our sender.
SCREEN_NAME = """From: "Mail Delivery Subsystem" <MAILER-DAEMON@mx3.chat.example>
To: <khaosat@agency.example>
Subject: Mail Delivery Problem

Sorry khaosat@agency.example. Your mail to the following recipients could not be delivered because they only
take mail from their friends list:
\tbinhtran88
"""


def test_a_bare_screen_name_takes_the_reporting_domain() -> None:
    verdict = classify(SCREEN_NAME.encode())
    assert verdict.kind == "bounce"
    assert [v.recipient for v in verdict.verdicts] == ["binhtran88@chat.example"]


def test_a_greeting_address_is_not_a_recipient() -> None:
    notice = (
        "Dear khaosat@agency.example,\n\nYour message to hoa.le@example.org was not delivered: the mailbox"
        " is unavailable.\n"
    )
    assert candidates(notice, set()) == ["hoa.le@example.org"]
    sorry = "Sorry khaosat@agency.example. We could not deliver your mail to hoa.le@example.org today."
    assert candidates(sorry, set()) == ["hoa.le@example.org"]


# A directory lookup's report: the list names the mailbox by local part; the explanation below it gives
# example addresses and one to write to instead, none of which failed.
DIRECTORY = """From: MAILER-DAEMON@mr1.its.uni.example
To: khaosat@agency.example
Subject: Returned mail - directory lookup report

 --------Message not delivered to the following:

 tranb    No entry in the directory for this name

 --------Why:

 The name did not match anyone in the university directory.  Look the person up first, or
 try sending to the fullest form of the name, e.g., if
 tran.b@uni.example fails, try tran.van.b@uni.example.
 People once reachable at NAME@uni.example may now be at NAME@dept.uni.example instead; for
 assistance, write to helpdesk@uni.example.
"""


def test_example_addresses_in_an_explanation_are_not_recipients() -> None:
    verdict = classify(DIRECTORY.encode())
    assert [v.recipient for v in verdict.verdicts] == ["tranb@uni.example"]
    without_list = DIRECTORY.replace(" tranb    No entry in the directory for this name\n", "")
    named = {v.recipient for v in classify(without_list.encode()).verdicts}
    assert not named & {"tran.b@uni.example", "tran.van.b@uni.example", "helpdesk@uni.example"}
    assert not any(address.startswith("NAME@") for address in named)


def test_prose_cues_end_with_their_sentence() -> None:
    text = "For example, see the log. Delivery to an@example.vn failed."
    assert not in_prose(text, text.index("an@"))
    text = "If it fails, try sending to an@example.vn instead."
    assert in_prose(text, text.index("an@"))


def test_organisational_domain() -> None:
    assert organisational_domain("mr2.its.uni.example") == "uni.example"
    assert organisational_domain("mx.mail.example.co.uk") == "example.co.uk"
    assert organisational_domain("example.vn") == "example.vn"


# Exim's notice sent to a forwarder's SRS address rather than to the sender: it opens by naming the sender
# ("A message sent by <x>"), then lists the failed address, here an anonymised one whose top-level domain
# has a single letter, which X-Failed-Recipients gives too.
SENT_BY = """From: Mail Delivery System <Mailer-Daemon@relay.forwarder.example>
To: SRS0+ab12+34+sender.example+khaosat+run42@relay.forwarder.example
Subject: Mail delivery failed
X-Failed-Recipients: lan.pham@b.c
Auto-Submitted: auto-replied

This message was created automatically by mail delivery software.

A message sent by

  <khaosat+run42@sender.example>

could not be delivered to one or more of its recipients. The following
address(es) failed:

  lan.pham@b.c
    (ultimately generated from lan@agency.example)
    all hosts have been failing for a long time and were last tried after this message arrived

------ This is a copy of the message, including all the headers. ------

From: Khao sat <khaosat+run42@sender.example>
To: Lan Pham <lan@agency.example>
Subject: survey
"""


def test_the_sender_a_notice_names_is_not_the_failed_recipient() -> None:
    verdict = classify(SENT_BY.encode())
    assert [v.recipient for v in verdict.verdicts] == ["lan.pham@b.c"]
    headerless = SENT_BY.split("\n\n", 1)[1].replace("lan.pham@b.c", "lan.pham@agency.example")
    bare = classify(headerless.encode())
    assert "khaosat+run42@sender.example" not in [v.recipient for v in bare.verdicts]
