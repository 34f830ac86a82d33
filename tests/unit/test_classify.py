"""The classifier on hand-written messages: one per kind of mail the watcher meets."""

from __future__ import annotations

import json
import unicodedata
from datetime import date

import pytest

from maildaemon.inbound.classify import HARD_REASONS, KINDS, REASONS, Verdict, classify, explain, is_hard
from maildaemon.inbound.classify.verdict import RecipientVerdict, stored_recipients

TOKEN = "abcdefghijklmnopqrstuvwxyz"  # 26 characters of the base32 alphabet
TOKEN2 = "a2345672345672345672345672"
DOMAIN = "bounce.sonv.example.vn"
OUR_ID = f"<md.{TOKEN}.invitation@{DOMAIN}>"


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode("utf-8")


def postfix_dsn(recipient: str, status: str, action: str, diagnostic: str, *, subject: str = "") -> bytes:
    subject = subject or (
        "Undelivered Mail Returned to Sender" if action == "failed" else "Delayed Mail (still being retried)"
    )
    return crlf(
        f"""Return-Path: <>
Delivered-To: bounces+{TOKEN}@{DOMAIN}
Date: Mon, 23 Nov 2026 08:00:00 +0700 (+07)
From: MAILER-DAEMON@mail.sonv.example.vn (Mail Delivery System)
Subject: {subject}
To: bounces+{TOKEN}@{DOMAIN}
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="4F1C2A0D3.1700000000/mail.sonv.example.vn"
Message-Id: <20261123010000.ABCDEF@mail.sonv.example.vn>

This is a MIME-encapsulated message.

--4F1C2A0D3.1700000000/mail.sonv.example.vn
Content-Description: Notification
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.sonv.example.vn.

<{recipient}>: host mx.example.gov.vn[192.0.2.10] said: {diagnostic}
    (in reply to RCPT TO command)

--4F1C2A0D3.1700000000/mail.sonv.example.vn
Content-Description: Delivery report
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.sonv.example.vn
X-Postfix-Queue-ID: 4F1C2A0D3
Arrival-Date: Mon, 23 Nov 2026 07:59:58 +0700 (+07)

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Remote-MTA: dns; mx.example.gov.vn
Diagnostic-Code: smtp; {diagnostic}

--4F1C2A0D3.1700000000/mail.sonv.example.vn
Content-Description: Undelivered Message Headers
Content-Type: text/rfc822-headers

Return-Path: <bounces+{TOKEN}@{DOMAIN}>
From: =?utf-8?q?S=E1=BB=9F_N=E1=BB=99i_v=E1=BB=A5?= <khaosat@sonv.example.vn>
To: {recipient}
Subject: =?utf-8?b?S2jhuqNvIHPDoXQgQ0NIQyBuxINtIDIwMjY=?=
Message-ID: {OUR_ID}
X-Survey-Token: {TOKEN}

--4F1C2A0D3.1700000000/mail.sonv.example.vn--
"""
    )


def test_postfix_unknown_user_is_a_hard_bounce_attributed_by_verp() -> None:
    verdict = classify(
        postfix_dsn(
            "nguyen.van.a@example.gov.vn",
            "5.1.1",
            "failed",
            "550 5.1.1 <nguyen.van.a@example.gov.vn>: Recipient address rejected: User unknown in virtual "
            "mailbox table",
        )
    )
    assert verdict.kind == "bounce"
    assert verdict.recipients == ("nguyen.van.a@example.gov.vn",)
    assert verdict.reason == "userunknown"
    assert verdict.hard is True
    assert verdict.status == "5.1.1"
    assert verdict.remote_mta == "mx.example.gov.vn"
    assert verdict.verdicts[0].reply_code == "550"
    assert verdict.verdicts[0].action == "failed"
    assert verdict.tokens == (TOKEN,)
    assert f"bounces+{TOKEN}@{DOMAIN}" in verdict.to_addrs


def test_postfix_mailbox_full_is_soft() -> None:
    verdict = classify(
        postfix_dsn(
            "tran.thi.b@example.gov.vn",
            "5.2.2",
            "failed",
            "552 5.2.2 <tran.thi.b@example.gov.vn>: Mailbox full, quota exceeded",
        )
    )
    assert (verdict.kind, verdict.reason, verdict.hard) == ("bounce", "mailboxfull", False)


def test_postfix_deferred_is_a_delay() -> None:
    verdict = classify(
        postfix_dsn(
            "le.van.c@example.gov.vn",
            "4.4.1",
            "delayed",
            "connect to mx.example.gov.vn[192.0.2.10]:25: Connection timed out",
        )
    )
    assert verdict.kind == "delay"
    assert verdict.status == "4.4.1"
    assert verdict.hard is False
    assert verdict.verdicts[0].action == "delayed"
    assert verdict.recipients == ("le.van.c@example.gov.vn",)


def test_returned_headers_give_tokens_even_without_verp() -> None:
    raw = postfix_dsn("x@example.gov.vn", "5.1.1", "failed", "550 5.1.1 user unknown")
    raw = raw.replace(f"bounces+{TOKEN}@{DOMAIN}".encode(), b"bounces@sonv.example.vn")
    verdict = classify(raw)
    assert verdict.tokens == (TOKEN,)


EXCHANGE_NDR = f"""From: Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@example.gov.vn>
To: <bounces+{TOKEN}@{DOMAIN}>
Date: Tue, 24 Nov 2026 09:12:00 +0700
Subject: Undeliverable: =?utf-8?b?S2jhuqNvIHPDoXQ=?=
Content-Type: multipart/report; report-type=delivery-status;
\tboundary="_000_NDR_"
MIME-Version: 1.0
X-MS-Exchange-Message-Is-Ndr:
Auto-Submitted: auto-replied

--_000_NDR_
Content-Type: text/html; charset="utf-8"

<html><body><b>Your message to pham.d@example.gov.vn couldn't be delivered.</b><br>
pham.d wasn't found at example.gov.vn.</body></html>

--_000_NDR_
Content-Type: message/delivery-status

Reporting-MTA: dns;EX01.example.gov.vn
Received-From-MTA: dns;relay.sonv.example.vn
Arrival-Date: Tue, 24 Nov 2026 02:11:58 +0000

Final-Recipient: rfc822;pham.d@example.gov.vn
Action: failed
Status: 5.1.10
Diagnostic-Code: smtp;550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup

--_000_NDR_
Content-Type: message/rfc822

From: khaosat@sonv.example.vn
To: pham.d@example.gov.vn
Subject: survey
Message-ID: <md.{TOKEN2}.reminder-1@{DOMAIN}>

Hello
--_000_NDR_--
"""


def test_exchange_ndr() -> None:
    verdict = classify(crlf(EXCHANGE_NDR))
    assert verdict.kind == "bounce"
    assert verdict.recipients == ("pham.d@example.gov.vn",)
    assert verdict.reason == "userunknown"
    assert verdict.hard is True
    assert verdict.status == "5.1.10"
    assert verdict.tokens == (TOKEN, TOKEN2)  # VERP first, then the returned Message-ID


EXIM_PLAIN = f"""Return-path: <>
Envelope-to: bounces+{TOKEN}@{DOMAIN}
From: Mail Delivery System <Mailer-Daemon@mx.example.vn>
To: bounces+{TOKEN}@{DOMAIN}
Subject: Mail delivery failed: returning message to sender
X-Failed-Recipients: hoang.e@example.gov.vn
Auto-Submitted: auto-replied
Date: Tue, 24 Nov 2026 10:00:00 +0700

This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  hoang.e@example.gov.vn
    host mx.example.gov.vn [192.0.2.20]
    SMTP error from remote mail server after RCPT TO:<hoang.e@example.gov.vn>:
    550 5.7.1 Client host [198.51.100.7] blocked using zen.spamhaus.org

------ This is a copy of the message, including all the headers. ------

Message-ID: <md.{TOKEN}.final@{DOMAIN}>
X-Survey-Token: {TOKEN}
To: hoang.e@example.gov.vn
"""


def test_plain_text_bounce_policy_rejection_is_not_hard() -> None:
    verdict = classify(EXIM_PLAIN.encode())
    assert verdict.kind == "bounce"
    assert verdict.recipients == ("hoang.e@example.gov.vn",)
    assert verdict.reason == "blocked"
    assert verdict.hard is False
    assert verdict.status == "5.7.1"
    assert verdict.tokens == (TOKEN,)


VI_NDR = f"""From: "Hệ thống thư" <postmaster@mail.example.gov.vn>
To: bounces+{TOKEN}@{DOMAIN}
Subject: =?utf-8?b?VGjGsCBraMO0bmcgdGjhu4MgZ+G7rWkgxJHGsOG7o2M=?=
Date: Wed, 25 Nov 2026 08:00:00 +0700
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Thư của bạn không thể gửi tới người nhận sau:

<vu.thi.g@example.gov.vn>: Địa chỉ người nhận không tồn tại trên hệ thống.

Thư gốc:
Message-ID: <md.{TOKEN}.invitation@{DOMAIN}>
"""


def test_vietnamese_ndr() -> None:
    verdict = classify(VI_NDR.encode("utf-8"))
    assert verdict.kind == "bounce"
    assert verdict.subject == "Thư không thể gửi được"
    assert verdict.recipients == ("vu.thi.g@example.gov.vn",)
    assert verdict.reason == "userunknown"
    assert verdict.hard is True


def test_vietnamese_ndr_mailbox_full() -> None:
    raw = VI_NDR.replace("Địa chỉ người nhận không tồn tại trên hệ thống", "Hộp thư đầy, vượt quá dung lượng")
    verdict = classify(raw.encode("utf-8"))
    assert (verdict.kind, verdict.reason, verdict.hard) == ("bounce", "mailboxfull", False)


ZIMBRA_VI_OOO = f"""Return-Path: <tran.van.h@example.gov.vn>
Delivered-To: reply+{TOKEN}@{DOMAIN}
From: =?utf-8?b?VHLhuqduIFbEg24gSA==?= <tran.van.h@example.gov.vn>
To: reply+{TOKEN}@{DOMAIN}
Subject: =?utf-8?q?Tr=E1=BA=A3_l=E1=BB=9Di_t=E1=BB=B1_=C4=91=E1=BB=99ng=3A_Kh=E1=BA=A3o_s=C3=A1t?=
Date: Fri, 20 Nov 2026 09:00:00 +0700
Auto-Submitted: auto-replied (zimbra; vacation)
Precedence: bulk
In-Reply-To: {OUR_ID}
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

"""


def _b64(text: str) -> str:
    import base64

    return base64.encodebytes(text.encode("utf-8")).decode("ascii")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("Tôi đang đi công tác từ ngày 20/11 đến ngày 27/11/2026.", date(2026, 11, 27)),
        ("Tôi nghỉ phép đến hết ngày 25/11/2026, sẽ trả lời sau.", date(2026, 11, 26)),
        ("Tôi vắng mặt, sẽ trở lại vào ngày 28/11.", date(2026, 11, 28)),
        ("Tôi vắng mặt đến ngày 3 tháng 12 năm 2026.", date(2026, 12, 3)),
        ("Tôi đang vắng mặt.", None),
    ],
)
def test_zimbra_vietnamese_autoreply_with_return_date(body: str, expected: date | None) -> None:
    raw = (ZIMBRA_VI_OOO + _b64(unicodedata.normalize("NFC", body))).encode("ascii")
    verdict = classify(raw)
    assert verdict.kind == "autoreply"
    assert verdict.reason == "vacation"
    assert verdict.recipients == ("tran.van.h@example.gov.vn",)
    assert verdict.subject == "Trả lời tự động: Khảo sát"
    assert verdict.return_date == expected
    assert verdict.tokens == (TOKEN,)
    assert verdict.in_reply_to == OUR_ID


ENGLISH_OOO = f"""From: John Smith <john@example.org>
To: reply+{TOKEN}@{DOMAIN}
Subject: Automatic reply: Survey 2026
Date: Mon, 23 Nov 2026 09:00:00 +0000
X-Auto-Response-Suppress: All
Content-Type: text/plain; charset=us-ascii

I am out of the office {{when}} with limited access to email.
"""


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("until November 27", date(2026, 11, 27)),
        ("and returning on 27 Nov 2026", date(2026, 11, 27)),
        ("and back on 11/27/2026", date(2026, 11, 27)),
        ("until January 5", date(2027, 1, 5)),  # the year rolls over
    ],
)
def test_english_out_of_office(when: str, expected: date) -> None:
    verdict = classify(ENGLISH_OOO.replace("{when}", when).encode())
    assert verdict.kind == "autoreply"
    assert verdict.return_date == expected
    assert verdict.from_addr == "john@example.org"


def test_autoreply_by_header_alone() -> None:
    raw = b"From: a@example.vn\nTo: b@example.vn\nSubject: Hello\nX-Autoreply: yes\n\nBusy.\n"
    assert classify(raw).kind == "autoreply"


def test_autoreply_about_abandoned_mailbox_is_a_soft_bounce() -> None:
    raw = (
        b"From: old@example.gov.vn\nTo: reply+" + TOKEN.encode() + b"@x.vn\nSubject: Auto reply\n"
        b"Auto-Submitted: auto-replied\n\nThis mailbox is no longer in use, please write to new@example.gov.vn\n"
    )
    verdict = classify(raw)
    assert (verdict.kind, verdict.reason, verdict.hard) == ("bounce", "suspend", False)


def test_autoreply_that_says_the_address_does_not_exist_is_a_hard_bounce() -> None:
    """Exim's and qmail's autoresponders for unknown users answer with Auto-Submitted: auto-replied."""
    raw = (
        b"From: <>\nTo: bounces+" + TOKEN.encode() + b"@x.vn\nAuto-Submitted: auto-replied\n"
        b"In-Reply-To: <1@x.vn>\n\nYou sent mail to an.le@example.gov.vn. That's not a valid user here.\n"
    )
    verdict = classify(raw)
    assert (verdict.kind, verdict.reason, verdict.hard) == ("bounce", "userunknown", True)
    assert verdict.recipients == ("an.le@example.gov.vn",)
    assert verdict.token == TOKEN


def test_a_report_that_lost_its_parts_is_still_a_bounce() -> None:
    """Sendmail's "<<< No Message Collected >>>": a delivery report naming no one, tied by our token."""
    raw = (
        b"From: Mail Delivery Subsystem <MAILER-DAEMON@mx.example.vn>\nTo: <bounces+"
        + TOKEN.encode()
        + b"@x.vn>\n"
        b"Subject: Returned mail: see transcript for details\nAuto-Submitted: auto-generated (failure)\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\n\n'
        b"<<< No Message Collected >>>\n"
    )
    verdict = classify(raw)
    assert (verdict.kind, verdict.recipients, verdict.token, verdict.hard) == ("bounce", (), TOKEN, False)


def test_a_notice_whose_recipient_cannot_be_read_still_says_why() -> None:
    """IMail's notice for a recipient whose address is not a valid one (a@b.c): a bounce, mailbox full."""
    raw = (
        b'From: "Postmaster" <postmaster@mx.example.vn>\nTo: <bounces+' + TOKEN.encode() + b"@x.vn>\n"
        b"Subject: Undeliverable Mail\nX-Mailer: <SMTP32 v10.0>\n\nUser mailbox exceeds allowed size: a@b.c\n"
    )
    verdict = classify(raw)
    assert (verdict.kind, verdict.reason, verdict.recipients, verdict.token) == (
        "bounce",
        "mailboxfull",
        (),
        TOKEN,
    )


HUMAN_REPLY = f"""From: =?utf-8?b?TmfDtCBUaOG7iyBL?= <ngo.k@example.gov.vn>
To: reply+{TOKEN}@{DOMAIN}
Subject: =?utf-8?q?Re=3A_Kh=E1=BA=A3o_s=C3=A1t?=
Date: Mon, 23 Nov 2026 10:00:00 +0700
Message-ID: <CAF123@mail.example.gov.vn>
In-Reply-To: {OUR_ID}
References: <older@x.vn> {OUR_ID}
Content-Type: text/plain; charset=utf-8

Đơn vị chúng tôi đã hoàn thành phiếu khảo sát.
"""


def test_human_reply() -> None:
    verdict = classify(HUMAN_REPLY.encode("utf-8"))
    assert verdict.kind == "reply"
    assert verdict.verdicts == ()
    assert verdict.in_reply_to == OUR_ID
    assert verdict.references == ("<older@x.vn>", OUR_ID)
    assert verdict.message_id == "<CAF123@mail.example.gov.vn>"
    assert verdict.from_addr == "ngo.k@example.gov.vn"
    assert verdict.tokens == (TOKEN,)


ARF = f"""From: Abuse Desk <abuse@isp.example>
To: bounces+{TOKEN}@{DOMAIN}
Subject: FW: Survey
Date: Mon, 23 Nov 2026 10:00:00 +0000
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="arf"

--arf
Content-Type: text/plain

This is an email abuse report.

--arf
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: SomeGenerator/1.0
Version: 1
Original-Rcpt-To: <complainer@isp.example>

--arf
Content-Type: message/rfc822

From: khaosat@sonv.example.vn
To: complainer@isp.example
Message-ID: {OUR_ID}
X-Survey-Token: {TOKEN}

Body
--arf--
"""


def test_arf_feedback_report() -> None:
    verdict = classify(ARF.encode())
    assert verdict.kind == "feedback"
    assert verdict.reason == "feedback"
    assert verdict.recipients == ("complainer@isp.example",)
    assert verdict.hard is False
    assert verdict.tokens == (TOKEN,)


def test_positive_dsn_is_delivered() -> None:
    raw = postfix_dsn("ok@example.gov.vn", "2.0.0", "delivered", "250 2.0.0 Ok: queued", subject="Success")
    verdict = classify(raw)
    assert verdict.kind == "delivered"
    assert verdict.reason == "delivered"


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\x00\xff\xfe garbage \x80\x81",
        bytes(range(256)) * 20,
        b"From: \nSubject: =?unicode-1-1-utf-7?Q?+AGEAYgBj-?=\nContent-Type: multipart/report; boundary=\n\n--",
        b"Content-Type: text/plain; charset=x-no-such-charset\nContent-Transfer-Encoding: base64\n\n!!!!",
    ],
)
def test_garbage_never_raises(raw: bytes) -> None:
    verdict = classify(raw)
    assert isinstance(verdict, Verdict)
    assert verdict.kind in KINDS
    json.dumps(verdict.to_json("x.eml"), ensure_ascii=False)


def test_a_person_writing_without_our_token_is_a_reply_tied_by_nothing_but_from() -> None:
    verdict = classify(b"From: someone@example.com\nTo: info@example.vn\nSubject: Hello\n\nHi there.\n")
    assert (verdict.kind, verdict.tokens, verdict.from_addr) == ("reply", (), "someone@example.com")


def test_a_machine_writing_without_our_token_is_unknown() -> None:
    verdict = classify(b"From: root@example.com\nTo: info@example.vn\nSubject: Cron\n\nDisk 91% full.\n")
    assert verdict.kind == "unknown"
    assert verdict.tokens == ()


def test_tokens_are_lower_case_and_deduplicated() -> None:
    upper = TOKEN.upper()
    raw = (
        f"From: x@y.vn\nTo: reply+{upper}@{DOMAIN}\nIn-Reply-To: <md.{TOKEN}.invitation@{DOMAIN}>\n"
        f"Subject: Re: a\n\nok\n"
    ).encode()
    assert classify(raw).tokens == (TOKEN,)


def test_to_json_shape() -> None:
    verdict = classify(postfix_dsn("a@example.gov.vn", "5.1.1", "failed", "550 5.1.1 user unknown"))
    data = verdict.to_json("a.eml")
    required = {
        "file",
        "kind",
        "recipients",
        "reason",
        "hard",
        "status",
        "remote_mta",
        "diagnostic",
        "verdicts",
    }
    assert required <= set(data)
    assert data["file"] == "a.eml"
    assert data["verdicts"] == [
        {"recipient": "a@example.gov.vn", "reason": "userunknown", "hard": True, "status": "5.1.1",
         "remote_mta": "mx.example.gov.vn", "diagnostic": "550 5.1.1 user unknown", "reply_code": "550"}
    ]  # fmt: skip


def test_the_servers_words_are_read_back_per_recipient_from_a_verdict_of_any_age() -> None:
    """The console's message page reads the stored JSON: today's per recipient, an older release's only
    at the top (the first recipient's), a broken one as the row's own reason; never an exception."""
    verdict = classify(postfix_dsn("a@example.gov.vn", "5.1.1", "failed", "550 5.1.1 user unknown"))
    row = RecipientVerdict("a@example.gov.vn", reason="userunknown", hard=True, status="5.1.1")
    (now,) = stored_recipients(verdict.stored(), row)
    said = (now.remote_mta, now.diagnostic, now.reply_code, now.hard)
    assert said == ("mx.example.gov.vn", "550 5.1.1 user unknown", "550", True)
    old = json.loads(verdict.stored())
    old["verdicts"] = [{k: v for k, v in old["verdicts"][0].items() if k in ("recipient", "reason", "hard", "status")},
                       {"recipient": "b@example.gov.vn", "reason": "mailboxfull", "hard": False, "status": "4.2.2"}]  # fmt: skip
    first, second = stored_recipients(json.dumps(old), row)
    assert (first.remote_mta, first.diagnostic) == ("mx.example.gov.vn", "550 5.1.1 user unknown")
    # the top's words are the first recipient's, not lent to the others
    said = (second.recipient, second.reason, second.remote_mta, second.diagnostic)
    assert said == ("b@example.gov.vn", "mailboxfull", "", "")
    for broken in ("", "{", "null", "[]", '{"verdicts": 3}'):
        assert stored_recipients(broken, row) == (row,), broken
    (odd,) = stored_recipients('{"verdicts": [{"reason": 5, "hard": "no", "diagnostic": ["x"]}]}', row)
    assert (odd.reason, odd.hard, odd.diagnostic) == ("userunknown", True, "")  # not what we write: ignored
    assert stored_recipients("{", RecipientVerdict("x@y.vn", reason="")) == ()  # nothing known: nothing shown


def test_reasons_are_explained_in_both_languages() -> None:
    for name, reason in REASONS.items():
        assert explain(name, "vi") == reason.vi
        assert explain(name, "en") == reason.en
        assert unicodedata.is_normalized("NFC", reason.vi)
        assert reason.vi != reason.en
    assert explain("no-such-reason", "en") == REASONS["undefined"].en
    assert {"userunknown", "hostunknown", "hasmoved"} <= HARD_REASONS
    assert not HARD_REASONS & {"filtered", "rejected", "blocked", "mailboxfull", "spamdetected"}
    assert is_hard("userunknown") and not is_hard("policyviolation")


def test_pasted_notice_that_only_says_the_mailbox_is_full_above_the_original() -> None:
    """A notice without its header block whose only words are the failure, above the quoted original."""
    raw = (
        b"User mailbox exceeds allowed size: an.le@sotc.example.vn\n\n\nOriginal message follows.\n\n"
        b"From: Phong Khao sat <khaosat@khaosat.example.vn>\nTo: an.le@sotc.example.vn\nSubject: Khao sat\n\nKinh gui\n"
    )
    verdict = classify(raw)
    assert (verdict.kind, verdict.reason, verdict.recipients) == (
        "bounce",
        "mailboxfull",
        ("an.le@sotc.example.vn",),
    )
