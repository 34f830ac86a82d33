"""Shapes of delivery reports met in other projects' test mail (held-out evaluation, issue 15): a report's
fields copied out alone, a report whose status part is lost, a mixed report whose delayed recipient sits
next to a failed one. The messages here are written for these tests."""

from __future__ import annotations

from maildaemon.inbound.classify import classify


def test_a_text_of_delivery_status_fields_alone_is_a_report() -> None:
    fields = (
        b"Final-Recipient: rfc822; mai.ho@example.net\n"
        b"Action: failed\n"
        b"Status: 5.1.1\n"
        b"Diagnostic-Code: smtp; 550 5.1.1 mailbox mai.ho unknown\n"
    )
    verdict = classify(fields)
    assert verdict.kind == "bounce"
    assert [(v.recipient, v.reason, v.hard) for v in verdict.verdicts] == [
        ("mai.ho@example.net", "userunknown", True)
    ]


def test_fields_alone_name_an_unknown_host_by_their_status() -> None:
    fields = b"Final-Recipient: rfc822;lan@nowhere.example\nAction: failed\nStatus: 5.4.4\n"
    verdict = classify(fields)
    assert verdict.kind == "bounce"
    assert verdict.verdicts[0].recipient == "lan@nowhere.example"
    assert verdict.verdicts[0].reason == "hostunknown"


def test_a_message_with_recipient_fields_among_its_headers_is_not_read_as_a_report() -> None:
    # a person's mail that happens to carry such a field in its header block stays what it is
    raw = (
        b"From: Binh <binh@example.org>\nTo: survey@example.com\nSubject: Re: survey\n"
        b"Original-Recipient: rfc822;binh@example.org\nIn-Reply-To: <abc@example.com>\n\nThanks, done.\n"
    )
    assert classify(raw).kind == "reply"


def test_a_delivery_report_without_its_status_part_is_still_a_bounce() -> None:
    raw = (
        b"From: <relay@example.net>\nTo: <survey@example.com>\n"
        b'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="b1"\n\n'
        b"--b1\nContent-Type: text/plain; charset=utf-8\n\nStatus:\n\n"
    )
    assert classify(raw).kind == "bounce"


def test_another_multipart_report_without_parts_is_not_taken_for_a_bounce() -> None:
    raw = (
        b"From: Chi <chi@example.org>\nTo: survey@example.com\nSubject: Re: survey\nIn-Reply-To: <x@example.com>\n"
        b'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=disposition-notification; boundary="b1"\n\n'
        b"--b1\nContent-Type: text/plain\n\nThanks.\n\n"
    )
    assert classify(raw).kind != "bounce"


MIXED = """From: Mail Delivery System <MAILER-DAEMON@relay.example>
To: survey@example.com
Subject: Delivery status
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="zz"

--zz
Content-Type: text/plain

Some recipients could not be reached yet:

<dung@slow.example> (could not connect to mx.slow.example: timed out)

    ===== These recipients failed =====
<hoa@gone.example> (550 5.1.1 'mailbox hoa does not exist')

--zz
Content-Type: message/delivery-status

Reporting-MTA: dns; relay.example

Final-Recipient: rfc822; hoa@gone.example
Action: failed
Status: 5.1.1
Diagnostic-Code: smtp; 550 5.1.1 mailbox hoa does not exist

Final-Recipient: rfc822; dung@slow.example
Action: delayed
Status: 4.0.0

--zz--
"""


def test_a_delayed_recipient_does_not_take_the_next_entrys_reply() -> None:
    verdicts = {v.recipient: v for v in classify(MIXED.encode()).verdicts}
    assert verdicts["hoa@gone.example"].reason == "userunknown"
    assert verdicts["hoa@gone.example"].hard
    delayed = verdicts["dung@slow.example"]
    assert not delayed.hard
    assert delayed.reason != "userunknown"
    assert "does not exist" not in delayed.diagnostic
