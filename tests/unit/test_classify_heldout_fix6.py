"""Shapes met in held-out round 6 (issue 15): 30 messages from 4 projects' test mail never used here
(mailpiece/mailbounce 16, schleuder/schleuder 5, Ecodev/newsletter 2, mozilla/fx-private-relay 7), kept out of
the repository (/tmp/hfix6). Labelled from their tests (mailbounce's recipients, permanent/transient failures
and status categories; Ecodev's bounce levels; Schleuder's bounce / not-a-bounce; the relay's ordinary mail)
before the classifier ran, scored once. Before: whole messages recipient 18/19, reason 13/16, hard 17/20,
kind 30/30 (not a bounce for all 12 others, but 4 of them read as automatic replies); with the header block cut
off recipient 17/19, kind 30/30; one address reported with the quotes around it. The general misses: a report
entry with an Action and a Status but no recipient field was no entry at all (its 5.1.1 unread: onhold, soft),
even where the failed-recipients header named the one address; a bug tracker's notice distributed with a
list's headers and "Auto-Submitted: auto-generated" was read as an out-of-office. The messages here are written
for these tests."""

from __future__ import annotations

from maildaemon.inbound.classify import classify
from maildaemon.inbound.classify.dsn import parse_blocks


def _report(entry: str, extra_headers: str = "", notice: str = "Thư không chuyển được.") -> bytes:
    return (
        "From: Mail Delivery System <MAILER-DAEMON@mx.sogd.example.vn>\n"
        "To: khaosat@ours.example\n"
        f"{extra_headers}"
        "Subject: Thong bao: thu khong den noi nhan\n"
        "MIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="XY"\n\n'
        "--XY\nContent-Type: text/plain; charset=utf-8\n\n"
        f"{notice}\n\n"
        "--XY\nContent-Type: message/delivery-status\n\n"
        "Reporting-MTA: dns; mx.sogd.example.vn\n"
        "Arrival-Date: Mon, 7 Dec 2026 08:00:00 +0700\n\n"
        f"{entry}\n"
        "--XY--\n"
    ).encode()


def test_an_entry_without_a_recipient_field_is_still_an_entry() -> None:
    # the per-message fields stay the message's; the block holding Action and Status is the recipient's
    message, entries = parse_blocks(
        "Reporting-MTA: dns; mx.sogd.example.vn\n\nAction: failed\nStatus: 5.2.2\nDiagnostic-Code: smtp; 552 quota\n"
    )
    assert message.get("reporting-mta") == "dns; mx.sogd.example.vn"
    assert [e.get("status") for e in entries] == ["5.2.2"]


def test_the_status_of_an_entry_naming_nobody_says_why() -> None:
    verdict = classify(_report("Action: failed\nStatus: 5.1.1\n"))
    assert verdict.kind == "bounce"
    assert [(v.reason, v.hard) for v in verdict.verdicts] == [("userunknown", True)]
    # nobody is named anywhere: no address is made up (never ours, never the reporting server's)
    assert verdict.recipients == ()


def test_the_failed_recipients_header_names_the_one_entry() -> None:
    verdict = classify(
        _report(
            "Action: failed\nStatus: 5.2.2\n",
            extra_headers="X-Failed-Recipients: tho.nguyen@sogd.example.vn\n",
        )
    )
    assert [(v.recipient, v.reason) for v in verdict.verdicts] == [
        ("tho.nguyen@sogd.example.vn", "mailboxfull")
    ]


def test_a_header_naming_two_addresses_is_not_paired_with_one_entry() -> None:
    verdict = classify(
        _report(
            "Action: failed\nStatus: 5.1.1\n",
            extra_headers="X-Failed-Recipients: an.le@sogd.example.vn, binh.tran@sogd.example.vn\n",
        )
    )
    assert verdict.kind == "bounce"
    assert verdict.verdicts[0].reason == "userunknown"
    assert verdict.recipients == ()


def test_entries_that_name_their_recipients_are_read_as_before() -> None:
    verdict = classify(
        _report(
            "Final-Recipient: rfc822; mai.pham@sogd.example.vn\nAction: failed\nStatus: 5.1.1\n",
            extra_headers="X-Failed-Recipients: other@sogd.example.vn\n",
        )
    )
    assert verdict.recipients == ("mai.pham@sogd.example.vn",)


_TRACKER = (
    "From: He thong mot cua <noreply@motcua.example.gov.vn>\n"
    "To: khaosat@ours.example\n"
    "Subject: [Ho so 2026-1207] Trang thai: dang xu ly\n"
    "Auto-Submitted: auto-generated\n"
    "List-Id: <thongbao.motcua.example.gov.vn>\n"
    "List-Unsubscribe: <mailto:thongbao-leave@motcua.example.gov.vn>\n"
    "Precedence: list\n"
    "Content-Type: text/plain; charset=utf-8\n\n"
)


def test_a_trackers_notice_sent_through_a_list_is_no_absence() -> None:
    text = "Hồ sơ số 2026-1207 đã được chuyển sang bước thẩm định.\n\n(thư được tạo tự động)\n"
    verdict = classify((_TRACKER + text).encode())
    assert verdict.kind not in ("autoreply", "bounce", "delay")


def test_an_absence_sent_with_list_headers_is_still_an_absence() -> None:
    text = "Tôi đang nghỉ phép đến hết ngày 18/12/2026, sẽ trả lời thư khi trở lại.\n"
    verdict = classify((_TRACKER + text).encode())
    assert verdict.kind == "autoreply"
    assert verdict.verdicts[0].reason == "vacation"


def test_a_generated_out_of_office_without_list_headers_is_an_absence() -> None:
    mail = (
        "From: Tran Thi Hoa <hoa.tran@sogd.example.vn>\nTo: khaosat@ours.example\n"
        "Subject: Automatic reply: Khao sat\nAuto-Submitted: auto-generated\n"
        "Content-Type: text/plain; charset=utf-8\n\nCảm ơn anh/chị đã gửi thư.\n"
    )
    assert classify(mail.encode()).kind == "autoreply"
