"""More shapes met in other projects' test mail (held-out round 2, issue 15): a report on mail sent to a list
manager's own address (never the recipient), a header block whose wrapped lines lost their leading blank, a pasted report body
that opens with a delimiter holding a colon, and a boundary that itself opens with dashes. The messages here
are written for these tests."""

from __future__ import annotations

from maildaemon.inbound.classify import classify
from maildaemon.inbound.classify.mime import parse, split_head_body


def _report(final: str, original: str = "") -> bytes:
    block = f"Final-Recipient: rfc822; {final}\n"
    if original:
        block = f"Original-Recipient: rfc822; {original}\n" + block
    return (
        "From: Postmaster <postmaster@relay.example>\nTo: survey@example.com\nSubject: delivery error\n"
        'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="q7"\n\n'
        "--q7\nContent-Type: text/plain\n\nYour note could not be handed over.\n\n"
        "--q7\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; relay.example\n\n"
        f"{block}Action: failed\nStatus: 5.0.0\nDiagnostic-Code: X-LOCAL; 500 (no such box)\n\n--q7--\n"
    ).encode()


def test_a_list_managers_own_address_is_never_the_recipient() -> None:
    """Issue 15: never the MTA's own addresses (postmaster, mailer-daemon, ``*-request``, a pipe), even where
    the report names no one else; the bounce is still a bounce."""
    verdict = classify(_report("digest-request@lists.example"))
    assert verdict.kind == "bounce"
    assert verdict.verdicts[0].recipient == ""


def test_a_person_named_beside_a_list_manager_is_still_the_recipient() -> None:
    verdict = classify(_report("owner-forum@lists.example", original="tuyet@example.org"))
    assert verdict.verdicts[0].recipient == "tuyet@example.org"


def test_a_pipe_is_never_the_recipient() -> None:
    verdict = classify(_report('"|/usr/local/bin/deliver"@mx.example'))
    assert verdict.kind == "bounce"
    assert verdict.verdicts[0].recipient == ""


# a notice saved by a client that re-wrapped long header lines without indenting the continuations
_REWRAPPED = b"""Return-Path: <>
Received-SPF: pass (mx.example: domain of relay.example designates
192.0.2.7 as permitted sender) client-ip=192.0.2.7;
helo=relay.example;
Received: from relay.example (relay.example
[192.0.2.7]) by mx.example with ESMTP; Tue, 02 Mar 2021 09:14:03
+0100
Date: Tue, 02 Mar 2021 09:14:02 +0100
From: Mail Delivery System <mailer-daemon@relay.example>
To: survey@example.com
Subject: Mail delivery failed: returning message to sender
Message-Id: <n1@relay.example>

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of
its recipients. The following addresses failed:

<thu.pham@example.net>

SMTP error from remote server after RCPT command:
host mx.example.net[198.51.100.4]:
550 5.1.1 no mailbox here by that name
"""


def test_header_lines_that_lost_their_indentation_continue_the_block() -> None:
    head, body = split_head_body(_REWRAPPED.decode())
    assert "Subject: Mail delivery failed" in head
    assert body.startswith("This message was created")
    verdict = classify(_REWRAPPED)
    assert verdict.kind == "bounce"
    assert verdict.subject.startswith("Mail delivery failed")
    assert verdict.verdicts[0].recipient == "thu.pham@example.net"


def test_a_body_run_into_the_header_block_still_ends_it() -> None:
    # no re-wrapped header here: a heading line, then a forwarded header block, then the text
    text = (
        "Subject: Fwd: the form\nBegin forwarded message:\nFrom: An <an@example.org>\nTo: Binh <b@example.org>\n"
        "Date: Mon, 1 Mar 2021 10:00:00 +0000\n\nPlease see below.\n"
    )
    head, body = split_head_body(text)
    assert head == "Subject: Fwd: the form"
    assert body.startswith("Begin forwarded message:")


def test_a_stray_line_before_the_core_fields_that_were_already_given_ends_the_block() -> None:
    text = "From: an@example.org\nSubject: note\nsome words\nFrom: other@example.org\n\nbody\n"
    head, _ = split_head_body(text)
    assert head == "From: an@example.org\nSubject: note"


_ARF_BODY = """--relay.example:4F2A19
Content-Type: text/plain

This is an abuse report for a message received from 192.0.2.9.

--relay.example:4F2A19
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: ExampleFeedback/2.0
Version: 1
Original-Rcpt-To: <lan@example.org>

--relay.example:4F2A19
Content-Type: text/rfc822-headers

From: offers@example.net
To: lan@example.org
Subject: Win

--relay.example:4F2A19--
"""


def test_a_pasted_report_that_opens_with_a_delimiter_holding_a_colon_has_no_header_block() -> None:
    head, body = split_head_body(_ARF_BODY)
    assert head == ""
    part = parse(_ARF_BODY)
    assert [child.ctype for child in part.children] == [
        "text/plain",
        "message/feedback-report",
        "text/rfc822-headers",
    ]
    assert classify(_ARF_BODY.encode()).kind == "feedback"


def test_a_boundary_that_opens_with_dashes_is_found_where_the_content_type_was_lost() -> None:
    body = (
        "------------040708090102030405060708\nContent-Type: text/plain\n\nYour message was not delivered.\n\n"
        "------------040708090102030405060708\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; relay.example\n\nFinal-Recipient: rfc822; minh@example.org\nAction: failed\n"
        "Status: 5.2.2\nDiagnostic-Code: smtp; 552 5.2.2 mailbox over quota\n\n"
        "------------040708090102030405060708--\n"
    )
    part = parse(body)
    assert [child.ctype for child in part.children] == ["text/plain", "message/delivery-status"]
    verdict = classify(body.encode())
    assert verdict.kind == "bounce"
    assert (verdict.verdicts[0].recipient, verdict.verdicts[0].reason) == ("minh@example.org", "mailboxfull")


def test_a_rule_of_dashes_is_no_boundary() -> None:
    text = (
        "Hello,\n\n----------------------------------------\nContent: none\n\n"
        "----------------------------------------\nContent: none\n"
    )
    assert parse(text).children == []
