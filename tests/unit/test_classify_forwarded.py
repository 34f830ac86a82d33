"""A bounce a person passed on (forwarded inline or attached, quoted in a reply, forwarded as HTML, pasted
into a new mail): the verdict is the inner notice's kind, reason and failed recipient, never the colleague
who forwarded it nor our own sender address; a person's own mail stays what it was."""

from __future__ import annotations

import pytest

from maildaemon.inbound.classify import classify
from maildaemon.inbound.classify.autoreply import strip_html
from maildaemon.inbound.classify.forwarded import inner_message
from maildaemon.inbound.classify.heuristics import diagnostic_for

NOTICE = """This is the mail system at host relay.sogd.example.vn.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

<an.nguyen@sokhdt.example.vn>: host mx.sokhdt.example.vn[192.0.2.7] said: 550 5.1.1
    <an.nguyen@sokhdt.example.vn>: Recipient address rejected: User unknown in
    virtual mailbox table (in reply to RCPT TO command)
"""
BOUNCE_FROM = "Mail Delivery System <MAILER-DAEMON@relay.sogd.example.vn>"
TOKEN = "abcdefghijklmnopqrstuvwxyz"
OURS = f"bounces+{TOKEN}@khaosat.example.vn"
COLLEAGUE = "hai.nv@sotttt.example.vn"


def mail(body: str, subject: str, extra: str = "", ctype: str = "text/plain") -> bytes:
    return (
        f"From: Nguyen Van Hai <{COLLEAGUE}>\nTo: khaosat@khaosat.example.vn\nSubject: {subject}\n"
        f"Date: Mon, 07 Dec 2026 09:15:00 +0700\nMessage-ID: <fw.1@sotttt.example.vn>\n{extra}"
        f"MIME-Version: 1.0\nContent-Type: {ctype}; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n{body}"
    ).encode()


SIGNATURE = f"Anh/chị xem giúp.\n\n--\nNguyễn Văn Hải\nEmail: {COLLEAGUE}\n\n"
TABLES = {
    "outlook (new)": "________________________________\nFrom: {f}\nSent: Sunday, December 6, 2026 1:56 PM\n"
    "To: {t}\nSubject: Undelivered Mail Returned to Sender\n\n",
    "outlook (plain)": "-----Original Message-----\nFrom: {f}\nSent: Sunday, December 6, 2026 1:56 PM\n"
    "To: {t}\nSubject: Undelivered Mail Returned to Sender\n\n",
    "gmail": "---------- Forwarded message ---------\nFrom: {f}\nDate: Sun, 6 Dec 2026 at 13:56\n"
    "Subject: Undelivered Mail Returned to Sender\nTo: {t}\n\n\n",
    "thunderbird": "-------- Forwarded Message --------\nSubject: \tUndelivered Mail Returned to Sender\n"
    "Date: \tSun, 06 Dec 2026 13:56:42 +0000\nFrom: \t{f}\nTo: \t{t}\n\n\n",
    "apple": "Begin forwarded message:\n\nFrom: {f}\nSubject: Undelivered Mail Returned to Sender\n"
    "Date: 6 December 2026 at 13:56:42 GMT+7\nTo: {t}\n\n",
    "outlook (vi)": "-----Thư gốc-----\nTừ: {f}\nĐã gửi: Chủ Nhật, 6 tháng 12, 2026 13:56\nĐến: {t}\n"
    "Chủ đề: Undelivered Mail Returned to Sender\n\n",
    "gmail (vi)": "---------- Thư đã chuyển tiếp ---------\nTừ: {f}\nNgày: 6 thg 12, 2026\n"
    "Chủ đề: Undelivered Mail Returned to Sender\nĐến: {t}\n\n",
}


@pytest.mark.parametrize("client", TABLES)
def test_an_inline_forward_is_the_inner_bounce(client: str) -> None:
    table = TABLES[client].format(f=BOUNCE_FROM, t=OURS)
    verdict = classify(mail(SIGNATURE + table + NOTICE, "FW: Undelivered Mail Returned to Sender"))
    assert verdict.kind == "bounce"
    assert verdict.recipients == ("an.nguyen@sokhdt.example.vn",)
    assert (verdict.reason, verdict.hard) == ("userunknown", True)
    assert verdict.from_addr == COLLEAGUE  # the message is still the colleague's: its ids and sender
    assert TOKEN in verdict.tokens  # our token, from the forwarded notice's To


def test_the_client_header_table_becomes_the_inner_messages_header() -> None:
    table = TABLES["thunderbird"].format(f=BOUNCE_FROM, t=OURS)
    inner = inner_message("FYI\n\n" + table + NOTICE, "Fwd: x")
    head, _, body = inner.partition("\n\n")
    assert head.splitlines() == [
        f"from: {BOUNCE_FROM}",
        f"to: {OURS}",
        "subject: Undelivered Mail Returned to Sender",
        "date: Sun, 06 Dec 2026 13:56:42 +0000",
    ]
    assert body.startswith("This is the mail system")


def test_a_reply_quoting_the_bounce_is_the_inner_bounce() -> None:
    quoted = "\n".join(("> " + line).rstrip() for line in NOTICE.splitlines())
    body = f"{SIGNATURE}On Sun, 6 Dec 2026 at 13:56, {BOUNCE_FROM} wrote:\n{quoted}\n"
    verdict = classify(mail(body, "Re: Undelivered Mail Returned to Sender"))
    assert (verdict.kind, verdict.recipients, verdict.reason) == (
        "bounce",
        ("an.nguyen@sokhdt.example.vn",),
        "userunknown",
    )


def test_a_bounce_attached_whole_is_the_inner_bounce_even_without_a_report_part() -> None:
    inner = (
        f"From: {BOUNCE_FROM}\nTo: {OURS}\nSubject: failure notice\nDate: Sun, 06 Dec 2026 13:56:42 +0000\n\n"
        + NOTICE
    )
    body = (
        "--b\nContent-Type: text/plain; charset=utf-8\n\n" + SIGNATURE + "\n--b\n"
        "Content-Type: message/rfc822\nContent-Disposition: attachment\n\n" + inner + "\n--b--\n"
    )
    raw = mail(body, "Fwd: failure notice").replace(
        b"Content-Type: text/plain; charset=utf-8", b'Content-Type: multipart/mixed; boundary="b"', 1
    )
    verdict = classify(raw)
    assert (verdict.kind, verdict.recipients, verdict.reason) == (
        "bounce",
        ("an.nguyen@sokhdt.example.vn",),
        "userunknown",
    )


def test_an_html_only_forward_reads_as_its_text() -> None:
    lines = "<br>\n".join(
        line.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") for line in NOTICE.splitlines()
    )
    body = (
        "<html><head><style>p {margin:0}</style></head><body><div>Anh/chị xem giúp.</div>"
        '<div class="gmail_quote">---------- Forwarded message ---------<br>\n'
        "From: <strong>Mail Delivery System</strong> &lt;MAILER-DAEMON@relay.sogd.example.vn&gt;<br>\n"
        f"Subject: Undelivered Mail Returned to Sender<br>\nTo: &lt;{OURS}&gt;<br></div><br>"
        f"<blockquote>{lines}</blockquote></body></html>"
    )
    verdict = classify(mail(body, "Fwd: Undelivered Mail Returned to Sender", ctype="text/html"))
    assert (verdict.kind, verdict.recipients, verdict.reason) == (
        "bounce",
        ("an.nguyen@sokhdt.example.vn",),
        "userunknown",
    )


def test_html_becomes_the_lines_a_reader_sees() -> None:
    text = strip_html("<html><head><title>t</title></head><body><div>a &lt;x@y.vn&gt;</div><div>b<br>c</div>")
    assert [line.strip() for line in text.splitlines() if line.strip()] == ["a <x@y.vn>", "b", "c"]


def test_a_notice_pasted_into_a_new_mail_is_the_bounce() -> None:
    pasted = "\n".join(line.strip() for line in NOTICE.splitlines()).replace("\n", "\r\n")
    verdict = classify(mail(SIGNATURE + pasted, "Thư khảo sát bị trả lại"))
    assert (verdict.kind, verdict.recipients, verdict.reason) == (
        "bounce",
        ("an.nguyen@sokhdt.example.vn",),
        "userunknown",
    )


def test_a_pasted_sieve_reject_whose_words_were_rewrapped_is_the_bounce() -> None:
    """realmta round 15: a Sieve reject's text pasted by hand, the line broken between "automatically" and
    "rejected": still the recipient's filter refusing our message."""
    pasted = (
        "Your message to <van.thu@sotp.example.vn> was automatically\nrejected:\nKhông nhận phiếu khảo sát qua"
        " thư điện tử, xin gửi\nbằng văn bản.\n"
    )
    verdict = classify(mail(SIGNATURE + pasted, "Thư bị từ chối"))
    assert (verdict.kind, verdict.recipients, verdict.reason) == (
        "bounce",
        ("van.thu@sotp.example.vn",),
        "filtered",
    )


def test_a_forward_of_a_persons_mail_is_not_a_bounce() -> None:
    """A colleague forwarding a respondent's letter: no mail system's notice inside, nothing changes."""
    table = TABLES["outlook (plain)"].format(f="Tran Thi Lan <lan.tt@sonv.example.vn>", t=COLLEAGUE)
    letter = "Kính gửi anh Hải,\n\nTôi sẽ gửi phiếu khảo sát trước thứ Sáu.\n\nLan\n"
    verdict = classify(mail(SIGNATURE + table + letter, "FW: Phiếu khảo sát"))
    assert verdict.kind not in ("bounce", "delay")


def test_a_reply_that_mentions_delivery_is_still_a_reply() -> None:
    body = "Thư của anh gửi cho lan.tt@sonv.example.vn could not be delivered, em gửi lại nhé.\n"
    raw = mail(body, "Re: Khao sat", extra="In-Reply-To: <01hq3v5k2m8x9c7d6e5f4g3h2j@khaosat.example.vn>\n")
    assert classify(raw).kind == "reply"


def test_a_reply_wrapped_onto_lines_that_open_with_another_address_stays_whole() -> None:
    # realmta round 13: a relay's paragraph wraps the remote's reply; its next, deeper-indented line opens with
    # the sender's address, which is no entry of its own
    notice = (
        "<hoa@phong.example.org>: host mx.phong.example.org[192.0.2.5] said: 550 5.7.1\n"
        "    <news@ours.example.com>: Sender address rejected: outside mail is blocked\n"
        "    by the company's mail policy (in reply to end of DATA command)\n"
        "<binh@phong.example.org>: host mx.phong.example.org[192.0.2.5] said: 550 5.1.1\n"
        "    <binh@phong.example.org>: Recipient address rejected: User unknown\n"
    )
    first = diagnostic_for(notice, "hoa@phong.example.org")
    assert "company's mail policy" in first and "binh@" not in first
    assert "User unknown" in diagnostic_for(notice, "binh@phong.example.org")
