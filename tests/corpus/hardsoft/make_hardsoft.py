"""Write tests/corpus/hardsoft: whole bounce messages in many servers' and providers' formats, each with a
hard (the address does not exist, its domain does not, it moved) or soft (full, rate, greylisting, timeout,
a temporary fault, a disabled account) outcome known by construction, about a third with a generic status
(5.0.0, 5.5.0) or none at all. The formats (notice skeletons) and the reply texts are worded as the vendors'
own documentation, source or published samples give them (the ``how`` column names where), not from either
shared corpus; "reconstructed" where the skeleton around a documented reply was filled in from the vendor's
known layout. Labels follow the project's reasons (maildaemon/core/reasons.py): a disabled account is
``suspend`` (soft), a delay notice has no reason and is soft.

Run from the repository root: python tests/corpus/hardsoft/make_hardsoft.py (rewrites the .eml files and
manifest.csv; the labels live here, next to what each message says)."""

from __future__ import annotations

import csv
from pathlib import Path

FOLDER = Path(__file__).resolve().parent
SENDER = "khaosat@sotc.example.vn"
DATE = "Mon, 07 Dec 2026 09:00:00 +0700"


def _original(rcpt: str) -> str:
    return (
        f"Return-Path: <{SENDER}>\r\nFrom: So TC <{SENDER}>\r\nTo: {rcpt}\r\n"
        "Subject: Phieu khao sat nam 2026\r\nDate: Mon, 07 Dec 2026 08:00:00 +0700\r\n"
        "Message-ID: <ks.2026.1@sotc.example.vn>\r\n"
    )


def _dsn(rcpt: str, status: str, diag: str, action: str = "failed", remote: str = "", mta: str = "") -> str:
    lines = [f"Reporting-MTA: dns; {mta or 'mx.sotc.example.vn'}", ""]
    lines.append(f"Final-Recipient: rfc822; {rcpt}")
    lines.append(f"Action: {action}")
    lines.append(f"Status: {status}")
    if remote:
        lines.append(f"Remote-MTA: dns; {remote}")
    if diag:
        lines.append(f"Diagnostic-Code: {diag}")
    return "\r\n".join(lines) + "\r\n"


def report(
    subject: str, frm: str, text: str, dsn: str, rcpt: str, html: str = "", headers: str = ""
) -> bytes:
    """A multipart/report (RFC 3462): the human-readable part, the delivery-status part, the original's headers."""
    first = f"--b1\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
    if html:
        first = (
            '--b1\r\nContent-Type: multipart/alternative; boundary="b2"\r\n\r\n'
            f"--b2\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n"
            f"--b2\r\nContent-Type: text/html; charset=utf-8\r\n\r\n{html}\r\n--b2--\r\n"
        )
    return (
        f"From: {frm}\r\nTo: {SENDER}\r\nSubject: {subject}\r\nDate: {DATE}\r\n{headers}"
        "Message-ID: <ndr.1@mx.sotc.example.vn>\r\nMIME-Version: 1.0\r\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b1"\r\n\r\n'
        f"{first}"
        f"--b1\r\nContent-Type: message/delivery-status\r\n\r\n{dsn}\r\n"
        f"--b1\r\nContent-Type: text/rfc822-headers\r\n\r\n{_original(rcpt)}\r\n--b1--\r\n"
    ).encode()


def plain(subject: str, frm: str, text: str, rcpt: str, quote: str = "", headers: str = "") -> bytes:
    """A notice in words only (no report part), the original's headers quoted after ``quote``."""
    tail = f"\r\n{quote}\r\n\r\n{_original(rcpt)}" if quote else ""
    return (
        f"From: {frm}\r\nTo: {SENDER}\r\nSubject: {subject}\r\nDate: {DATE}\r\n{headers}"
        "Message-ID: <ndr.2@mx.sotc.example.vn>\r\nMIME-Version: 1.0\r\n"
        f"Content-Type: text/plain; charset=utf-8\r\n\r\n{text}\r\n{tail}"
    ).encode()


def crlf(text: str) -> str:
    return text.strip("\n").replace("\n", "\r\n")


# --- formats --------------------------------------------------------------------------------------------


def postfix(rcpt: str, said: str, status: str, diag: str = "", stage: str = "RCPT TO", **opts: str) -> bytes:
    """Postfix's bounce(8) notice (templates in bounce_template.c), with its RFC 3464 part; ``opts``: ``delay``
    (a delay notice), ``remote`` (the host that said it), ``local`` (Postfix's own words, no remote host)."""
    delay, local, remote = (
        bool(opts.get("delay")),
        opts.get("local", ""),
        opts.get("remote", "mx.dich.example.vn"),
    )
    if local:
        line = f"<{rcpt}>: {local}"
    else:
        line = f"<{rcpt}>: host {remote}[203.0.113.25] said: {said} (in reply to {stage} command)"
    if delay:
        text = crlf(f"""
This is the mail system at host mx.sotc.example.vn.

####################################################################
# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #
####################################################################

Your message could not be delivered for more than 4 hour(s).
It will be retried until it is 5 day(s) old.

For further assistance, please send mail to postmaster.

                   The mail system

{line}
""")
        subject, action = "Delayed Mail (still being retried)", "delayed"
    else:
        text = crlf(f"""
This is the mail system at host mx.sotc.example.vn.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

For further assistance, please send mail to postmaster.

If you do so, please include this problem report. You can
delete your own text from the attached returned message.

                   The mail system

{line}
""")
        subject, action = "Undelivered Mail Returned to Sender", "failed"
    code = diag or (f"smtp; {said}" if not local else "")
    return report(
        subject,
        "MAILER-DAEMON@mx.sotc.example.vn (Mail Delivery System)",
        text,
        _dsn(rcpt, status, code, action, "" if local else remote),
        rcpt,
    )


def exim(
    rcpt: str,
    body: str,
    dsn_status: str = "5.0.0",
    diag: str = "",
    with_dsn: bool = True,
    permanent: bool = True,
) -> bytes:
    """Exim 4's bounce (its default bounce text, exim's spec chapter 'Customizing bounce and warning messages')."""
    head = (
        "This is a permanent error. The following address(es) failed:"
        if permanent
        else ("The following address(es) failed:")
    )
    text = crlf(f"""
This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. {head}

  {rcpt}
{body}
""")
    subject = "Mail delivery failed: returning message to sender"
    frm = "Mail Delivery System <Mailer-Daemon@mx.sotc.example.vn>"
    headers = f"X-Failed-Recipients: {rcpt}\r\nAuto-Submitted: auto-replied\r\n"
    if not with_dsn:
        return plain(
            subject, frm, text, rcpt, "------ This is a copy of the message's headers. ------", headers
        )
    return report(subject, frm, text, _dsn(rcpt, dsn_status, diag), rcpt, headers=headers)


def sendmail(rcpt: str, reason_line: str, transcript: str, status: str, diag: str) -> bytes:
    """Sendmail 8's DSN (deliver.c / savemail.c wording)."""
    text = crlf(f"""
The original message was received at Mon, 7 Dec 2026 08:00:01 +0700
from localhost [127.0.0.1]

   ----- The following addresses had permanent fatal errors -----
<{rcpt}>
    (reason: {reason_line})

   ----- Transcript of session follows -----
{transcript}
""")
    return report(
        "Returned mail: see transcript for details",
        "Mail Delivery Subsystem <MAILER-DAEMON@mx.sotc.example.vn>",
        text,
        _dsn(rcpt, status, diag, remote="mx.dich.example.vn"),
        rcpt,
    )


def qmail(rcpt: str, said: str, yahoo: bool = False) -> bytes:
    """qmail-send's bounce (qmail-send.c), or Yahoo's own layout of the same (its help pages' sample)."""
    if yahoo:
        text = crlf(f"""
Sorry, we were unable to deliver your message to the following address.

<{rcpt}>:
{said}
""")
        return plain(
            "Failure Notice",
            "MAILER-DAEMON@yahoo.com",
            text,
            rcpt,
            "--- Below this line is a copy of the message.",
        )
    text = crlf(f"""
Hi. This is the qmail-send program at mx.sotc.example.vn.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<{rcpt}>:
{said}
""")
    return plain(
        "failure notice",
        "MAILER-DAEMON@mx.sotc.example.vn",
        text,
        rcpt,
        "--- Below this line is a copy of the message.",
    )


def o365(rcpt: str, title: str, explain: str, returned: str, status: str) -> bytes:
    """Exchange Online / Exchange 2013+ NDR: the text and HTML alternatives and the RFC 3464 part."""
    domain = rcpt.split("@", 1)[1]
    text = crlf(f"""
Your message to {rcpt} couldn't be delivered.

{title}

{explain}

Diagnostic information for administrators:

Generating server: SG2PR01MB1234.apcprd01.prod.outlook.com

{rcpt}
Remote Server returned '{returned}'

Original message headers:
""")
    html = (
        '<html><body><p>Your message to <a href="mailto:{0}">{0}</a> couldn\'t be delivered.</p>'
        "<p><b>{1}</b></p><p>{2}</p><p>Diagnostic information for administrators:</p>"
        "<p>Generating server: SG2PR01MB1234.apcprd01.prod.outlook.com</p>"
        "<p>{0}<br>Remote Server returned '{3}'</p></body></html>"
    ).format(rcpt, title, explain, returned.replace("<", "&lt;").replace(">", "&gt;"))
    return report(
        "Undeliverable: Phieu khao sat nam 2026",
        "Microsoft Outlook <MicrosoftExchange329e71ec88ae4615bbc36ab6ce41109e@sotc.example.vn>",
        text,
        _dsn(
            rcpt,
            status,
            f"smtp;{returned}",
            remote=f"mx.{domain}",
            mta="SG2PR01MB1234.apcprd01.prod.outlook.com",
        ),
        rcpt,
        html,
    )


def exchange2010(rcpt: str, explain: str, returned: str, status: str) -> bytes:
    text = crlf(f"""
Delivery has failed to these recipients or groups:

{rcpt}
{explain}

Diagnostic information for administrators:

Generating server: EXCH01.sotc.example.vn

{rcpt}
{returned}

Original message headers:
""")
    return report(
        "Undeliverable: Phieu khao sat nam 2026",
        "Microsoft Exchange <postmaster@sotc.example.vn>",
        text,
        _dsn(rcpt, status, f"smtp;{returned.strip('#')}", mta="EXCH01.sotc.example.vn"),
        rcpt,
    )


def exchange2003(rcpt: str, explain: str, tail: str) -> bytes:
    """Exchange 2000/2003's text NDR as Microsoft's KB articles quote it (no report part kept)."""
    text = crlf(f"""
Your message did not reach some or all of the intended recipients.

      Subject:  Phieu khao sat nam 2026
      Sent:     12/7/2026 8:00 AM

The following recipient(s) could not be reached:

      {rcpt} on 12/7/2026 9:00 AM
            {explain}
            {tail}
""")
    return plain(
        "Undeliverable: Phieu khao sat nam 2026",
        "System Administrator <postmaster@sotc.example.vn>",
        text,
        rcpt,
    )


def domino(rcpt: str, because: str, dsn_status: str = "") -> bytes:
    """Domino's delivery failure report (its router's 'was not delivered to ... because:' memo)."""
    name = rcpt.split("@", 1)[0]
    text = crlf(f"""
Your message

  Subject: Phieu khao sat nam 2026

was not delivered to:

  {rcpt}

because:

  {because.format(name=name, rcpt=rcpt)}
""")
    subject = f"DELIVERY FAILURE: {because.format(name=name, rcpt=rcpt)}"
    frm = "Postmaster@dom01.sotc.example.vn"
    if dsn_status:
        return report(
            subject,
            frm,
            text,
            _dsn(
                rcpt,
                dsn_status,
                "X-Notes; " + because.format(name=name, rcpt=rcpt),
                mta="dom01.sotc.example.vn",
            ),
            rcpt,
        )
    return plain(subject, frm, text, rcpt)


def gmail(rcpt: str, title: str, sentence: str, response: str, status: str, delay: bool = False) -> bytes:
    """Gmail's own NDR (mailer-daemon@googlemail.com), with its RFC 3464 part."""
    text = crlf(f"""
** {title} **

{sentence}

The response from the remote server was:
{response}
""")
    subject = "Delivery Status Notification (Delay)" if delay else "Delivery Status Notification (Failure)"
    return report(
        subject,
        "Mail Delivery Subsystem <mailer-daemon@googlemail.com>",
        text,
        _dsn(
            rcpt,
            status,
            f"smtp; {response}",
            "delayed" if delay else "failed",
            remote=f"mx.{rcpt.split('@', 1)[1]}",
            mta="googlemail.com",
        ),
        rcpt,
    )


def mdaemon(rcpt: str, transcript: str, permanent: bool = True) -> bytes:
    """MDaemon's DSN text (its Delivery Status Notification wording, with the session transcript)."""
    if permanent:
        head = crlf("""
The attached message had PERMANENT fatal delivery errors!

After one or more unsuccessful delivery attempts the attached message has
been removed from the mail queue on this server.  The number and
frequency of delivery attempts are determined by local configuration.

--------------------------------------------------------------------------
YOUR MESSAGE WAS NOT DELIVERED TO ONE OR MORE RECIPIENTS!
--------------------------------------------------------------------------
""")
        subject = "Permanent Delivery Failure"
    else:
        head = crlf("""
The attached message has encountered a temporary delivery error.
Delivery will be re-attempted according to the retry schedule
of this server.

--------------------------------------------------------------------------
YOUR MESSAGE HAS NOT YET BEEN DELIVERED TO ONE OR MORE RECIPIENTS!
--------------------------------------------------------------------------
""")
        subject = "Warning: Message Delivery Has Been Delayed"
    text = (
        crlf("""
--------------------------------------------------------------------------
MDaemon Delivery Status Notification - https://www.mdaemon.com
--------------------------------------------------------------------------

""")
        + "\r\n"
        + head
        + "\r\n\r\n"
        + crlf(f"""
Failed address: {rcpt}

--- Session Transcript ---
{transcript}
--- End Transcript ---
""")
    )
    return plain(
        subject,
        "MDaemon@mx.sotc.example.vn",
        text,
        rcpt,
        "--- Attached message headers ---",
        "X-MDDSN-Message: Yes\r\n",
    )


def courier(rcpt: str, exchange: str, status: str, diag: str, delay: bool = False) -> bytes:
    """Courier-MTA's DSN (courier/module.dsn wording)."""
    head = "DELAYS IN DELIVERING YOUR MESSAGE" if delay else "UNDELIVERABLE MAIL"
    what = (
        "This is a warning message only. Your message to the following recipients has not yet been delivered:"
        if delay
        else "Your message to the following recipients cannot be delivered:"
    )
    text = crlf(f"""
This is a delivery status notification from mx.sotc.example.vn,
running the Courier mail server, version 1.1.

The original message was received on Mon, 07 Dec 2026 08:00:01 +0700
from localhost (localhost [127.0.0.1])

---------------------------------------------------------------------------

                           {head}

{what}

<{rcpt}>:
    mx.dich.example.vn [203.0.113.25]:
{exchange}

---------------------------------------------------------------------------
""")
    return report(
        "DELAYS IN DELIVERING YOUR MESSAGE" if delay else "NOTICE: mail delivery status.",
        "Courier mail server at mx.sotc.example.vn <@>",
        text,
        _dsn(rcpt, status, diag, "delayed" if delay else "failed", "mx.dich.example.vn"),
        rcpt,
    )


def hmailserver(rcpt: str, sent: str, replied: str) -> bytes:
    """hMailServer's SEND_FAILED_NOTIFICATION template and its per-recipient error block (SMTPDeliverer)."""
    text = crlf(f"""
Your message did not reach some or all of the intended recipients.

   Sent: Mon, 07 Dec 2026 08:00:01 +0700
   Subject: Phieu khao sat nam 2026

The following recipient(s) could not be reached:

{rcpt}
   Error Type: SMTP
   Remote server (203.0.113.25) issued an error.
   hMailServer sent: {sent}
   Remote server replied: {replied}

hMailServer
""")
    return plain(
        "Message undeliverable: Phieu khao sat nam 2026", "mailer-daemon@mx.sotc.example.vn", text, rcpt
    )


def kerio(rcpt: str, status: str, diag: str, action: str = "failed") -> bytes:
    """Kerio Connect's DSN (reconstructed around an RFC 3464 part its reporting MTA names)."""
    delayed = action == "delayed"
    text = crlf(f"""
This is a delivery status notification generated by Kerio Connect at mx.sotc.example.vn.

{
        "Delivery of your message to the following recipient has been delayed:"
        if delayed
        else "Your message could not be delivered to the following recipient:"
    }

  {rcpt}

{"The server will keep trying to deliver it." if delayed else "Reason:"} {diag.split(";", 1)[1].strip()}
""")
    return report(
        "Delivery Status Notification (Delay)" if delayed else "Undeliverable: Phieu khao sat nam 2026",
        "Mail Delivery Subsystem <postmaster@mx.sotc.example.vn>",
        text,
        _dsn(rcpt, status, diag, action, mta="mx.sotc.example.vn (Kerio Connect)"),
        rcpt,
    )


def vietnamese(rcpt: str, lines: str, subject: str = "Thông báo: thư không gửi được") -> bytes:
    """A localised notice from a Vietnamese host's mail system (as its help pages show the texts)."""
    text = crlf(f"""
Đây là thư được tạo tự động bởi hệ thống thư điện tử.

Thư của bạn không thể gửi tới người nhận sau:

  {rcpt}

{lines}
""")
    return plain(
        subject, "Mailer-Daemon@pro01.mailserver.example.vn", text, rcpt, "------ Tiêu đề thư gốc ------"
    )


# --- the set ----------------------------------------------------------------------------------------------
# (file stem, kind, recipient, reason, hard, how, bytes)

R = "example.vn"
ROWS: list[tuple[str, str, str, str, int, str, bytes]] = []


def add(stem: str, rcpt: str, reason: str, hard: int, how: str, raw: bytes, kind: str = "bounce") -> None:
    ROWS.append((stem, kind, rcpt, reason, hard, how, raw))


# fmt: off
# ---- hard: the address does not exist, its domain does not, it moved
r = f"an.nguyen@xa1.{R}"
add("postfix-uu-virtual", r, "userunknown", 1, "Postfix smtpd reject_unlisted_recipient text (postconf(5), 'User unknown in virtual mailbox table')", postfix(r, f"550 5.1.1 <{r}>: Recipient address rejected: User unknown in virtual mailbox table", "5.1.1" ))
r = f"binh.tran@xa2.{R}"
add("postfix-uu-nocode", r, "userunknown", 1, "Postfix notice of a remote '550 User unknown' at RCPT without an enhanced code (RFC 5321 reply only); " "Postfix's status 5.0.0", postfix(r, "550 User unknown", "5.0.0"))
r = f"chi.le@xa3.{R}"
add("postfix-local-unknown", r, "userunknown", 1, "Postfix local(8) 'unknown user: \"name\"' (local/local.c), 5.1.1", postfix(r, "", "5.1.1", diag='x-unix; unknown user: "chi.le"', local='unknown user: "chi.le"'))
r = f"dung.pham@xa4.{R}"
add("postfix-mbx-unavailable", r, "userunknown", 1, "Postfix notice of a remote '550 Requested action not taken: mailbox unavailable' at RCPT (RFC 5321 4.2.2's " "text for 550), status 5.0.0", postfix(r, "550 Requested action not taken: mailbox unavailable", "5.0.0"))
r = f"giang.hoang@xa5.{R}"
add("postfix-lmtp-dovecot", r, "userunknown", 1, "Postfix over LMTP to Dovecot: '550 5.1.1 <x> User doesn't exist: x' (Dovecot lmtp-recipient.c)", postfix(r, f"550 5.1.1 <{r}> User doesn't exist: {r}", "5.1.1", remote="mail.xa5.example.vn"))
r = f"ha.vu@xa6.{R}"
add("postfix-verify-unknown", r, "userunknown", 1, "Postfix reject_unverified_recipient relaying the probe's answer ('undeliverable address: ... said: 550 " "Unknown user') (ADDRESS_VERIFICATION_README)", postfix(r, f"550 5.1.1 <{r}>: Recipient address rejected: undeliverable address: host mx2.xa6.example.vn" f"[203.0.113.9] said: 550 Unknown user: {r.split('@')[0]}", "5.1.1"))
r = f"khanh.do@xa7.{R}"
add("postfix-hostunknown", r, "hostunknown", 1, "Postfix: 'Host or domain name not found. Name service error for name=... type=A: Host not found' 5.4.4", postfix(r, "", "5.4.4", diag="", local=f"Host or domain name not found. Name service error for name=xa7.{R} type=A: Host not found"))
r = f"lan.bui@xa8.{R}"
add("postfix-moved-551", r, "hasmoved", 1, "Postfix notice of RFC 5321's 551 'User not local; please try <forward-path>', status 5.0.0", postfix(r, f"551 User not local; please try <lan.bui@moi.{R}>", "5.0.0"))

r = f"minh.dang@xb1.{R}"
add("exim-uu-generic", r, "userunknown", 1, "Exim bounce of a remote 'Recipient address rejected: User unknown' after RCPT (Exim's DSN status is 5.0.0)", exim(r, f"    host mx.xb1.{R} [203.0.113.31]\n    SMTP error from remote mail server after RCPT TO:<{r}>:\n" f"    550 5.1.1 <{r}>: Recipient address rejected: User unknown", "5.0.0", f"smtp; 550 5.1.1 <{r}>: Recipient address rejected: User unknown"))
r = f"nga.ngo@xb2.{R}"
add("exim-no-such-user-nodsn", r, "userunknown", 1, "Exim bounce (no report part) of hMailServer's documented '550 No such user here' after RCPT", exim(r, f"    host mx.xb2.{R} [203.0.113.32]\n    SMTP error from remote mail server after RCPT TO:<{r}>:\n" "    550 No such user here", with_dsn=False))
r = f"oanh.duong@xb3.{R}"
add("exim-unknown-user-colon", r, "userunknown", 1, "Exim bounce of a remote 'Unknown user: name' after RCPT (Cyrus/CommuniGate style), no enhanced code", exim(r, f"    host mx.xb3.{R} [203.0.113.33]\n    SMTP error from remote mail server after RCPT TO:<{r}>:\n" f"    550 Unknown user: {r.split('@')[0]}", "5.0.0", f"smtp; 550 Unknown user: {r.split('@')[0]}"))
r = f"phuc.ly@xb4.{R}"
add("exim-unrouteable", r, "hostunknown", 1, "Exim's own 'Unrouteable address' for a domain no router can resolve (Exim spec, 'Unrouteable address')", exim(r, "    Unrouteable address", "5.0.0"))
r = f"quang.mai@xb5.{R}"
add("exim-vi-unaccented", r, "userunknown", 1, "Exim bounce of a Vietnamese host's '550 Dia chi email nguoi nhan khong ton tai' (Mat Bao's KB wording, " "unaccented) after RCPT, no enhanced code", exim(r, f"    host mx.xb5.{R} [203.0.113.35]\n    SMTP error from remote mail server after RCPT TO:<{r}>:\n" "    550 Dia chi email nguoi nhan khong ton tai", with_dsn=False))

r = f"son.cao@xc1.{R}"
add("sendmail-uu-511", r, "userunknown", 1, "Sendmail 8 DSN: '550 5.1.1 <x>... User unknown' in the transcript after RCPT", sendmail(r, f"550 5.1.1 <{r}>... User unknown", f"... while talking to mx.xc1.{R}.:\n>>> RCPT To:<{r}>\n<<< 550 5.1.1 <{r}>... User unknown\n" f"550 5.1.1 <{r}>... User unknown", "5.1.1", f"SMTP; 550 5.1.1 <{r}>... User unknown"))
r = f"tam.trinh@xc2.{R}"
add("sendmail-uu-nocode", r, "userunknown", 1, "Sendmail 8 DSN of an old remote's '550 <x>... User unknown' with no enhanced code (status 5.0.0)", sendmail(r, f"550 <{r}>... User unknown", f"... while talking to mx.xc2.{R}.:\n>>> RCPT To:<{r}>\n<<< 550 <{r}>... User unknown\n" f"550 <{r}>... User unknown", "5.0.0", f"SMTP; 550 <{r}>... User unknown"))
r = f"uyen.dinh@xc3.{R}"
add("sendmail-no-such-user-data", r, "userunknown", 1, "Sendmail 8 DSN: a remote that accepts RCPT and refuses after DATA with '554 delivery error: No such user' " "(status 5.0.0): the server's words about the address", sendmail(r, "554 delivery error: No such user", f"... while talking to mx.xc3.{R}.:\n>>> DATA\n<<< 554 delivery error: No such user\n" "554 5.0.0 Service unavailable", "5.0.0", "SMTP; 554 delivery error: No such user"))

r = f"vinh.ta@xd1.{R}"
add("qmail-no-mailbox", r, "userunknown", 1, "qmail-local's 'Sorry, no mailbox here by that name. (#5.1.1)' (qmail-local.c) in qmail-send's bounce", qmail(r, "Sorry, no mailbox here by that name. (#5.1.1)"))
r = f"xuan.kieu@xd2.{R}"
add("qmail-remote-does-not-like", r, "userunknown", 1, "qmail-remote's 'does not like recipient.' (qmail-remote.c) with the remote's '550 unknown user', no code", qmail(r, "203.0.113.42 does not like recipient.\nRemote host said: 550 unknown user\nGiving up on 203.0.113.42."))
r = f"yen.luong@xd3.{R}"
add("qmail-vpopmail-nonexist", r, "userunknown", 1, "vdelivermail's 'Sorry, no mailbox here by that name. vpopmail (#5.1.1)' as a qmail bounce", qmail(r, "Sorry, no mailbox here by that name. vpopmail (#5.1.1)"))

r = "tran.lam.2026@yahoo.com"
add("yahoo-no-account", r, "userunknown", 1, "Yahoo's failure notice as its Vietnamese help page shows it: '554 delivery error: dd This user doesn't have " "a yahoo.com account' (no enhanced code)", qmail(r, f"Remote host said: 554 delivery error: dd This user doesn't have a yahoo.com account ({r}) [-5] " "- mta123.mail.example.yahoo.com", yahoo=True))
r = "hoa.phan.2026@yahoo.com"
add("yahoo-552-not-found", r, "userunknown", 1, "Yahoo's documented '552 1 Requested mail action aborted, mailbox not found' (a 552 that names no quota)", qmail(r, "Remote host said: 552 1 Requested mail action aborted, mailbox not found [RCPT_TO]", yahoo=True ))

r = f"bao.ho@xe1.{R}"
add("o365-recipient-not-found", r, "userunknown", 1, "Exchange Online NDR: 550 5.1.10 RESOLVER.ADR.RecipientNotFound (Microsoft Learn, NDR 5.1.10)", o365(r, "The email address wasn't found at the destination domain. It might be misspelled or it might not " "exist anymore.", "Try retyping the recipient's address, then resend the message.", "550 5.1.10 RESOLVER.ADR.RecipientNotFound; Recipient not found by SMTP address lookup", "5.1.10"))
r = f"cuong.la@xe2.{R}"
add("o365-dbeb-access-denied", r, "userunknown", 1, "Exchange Online directory-based edge blocking: '550 5.4.1 Recipient address rejected: Access denied' " "(Microsoft Learn, NDR 5.4.1: the recipient does not exist in the domain)", o365(r, "The email address you entered couldn't be found.", "Check the recipient's address and try again.", "550 5.4.1 Recipient address rejected: Access denied. AS(201806281) [SG2APC01FT001.eop-APC01.prod." "protection.outlook.com]", "5.4.1"))
r = f"dat.tang@xe3.{R}"
add("o365-remote-mbx-unavailable", r, "userunknown", 1, "Exchange relaying an Outlook.com answer, '550 5.5.0 Requested action not taken: mailbox unavailable' " "(Microsoft's Outlook.com postmaster page: the mailbox does not exist)", o365(r, "The recipient's email system rejected the message.", "Check the address and try again.", "550 5.5.0 Requested action not taken: mailbox unavailable (S2017062302). [BN1NAM02FT012.eop-nam02." "prod.protection.outlook.com]", "5.5.0"))
r = f"em.luu@xe4.{R}"
add("exchange2010-recip-not-found", r, "userunknown", 1, "Exchange 2010 NDR 'Delivery has failed to these recipients or groups' with '#550 5.1.1 " "RESOLVER.ADR.RecipNotFound; not found ##'", exchange2010(r, "The e-mail address you entered couldn't be found. Please check the recipient's e-mail " "address and try to resend the message.", "#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##", "5.1.1"))
r = f"gia.thach@xe5.{R}"
add("exchange2007-generic", r, "userunknown", 1, "Exchange 2007 relaying a remote answer with no enhanced code: '#< #5.0.0 smtp;550 No such recipient> #SMTP#'", exchange2010(r, "The recipient's e-mail system rejected the message.", "#< #5.0.0 smtp;550 No such recipient> #SMTP#", "5.0.0"))
r = f"hanh.quach@xe6.{R}"
add("exchange2003-text", r, "userunknown", 1, "Exchange 2003 text NDR as Microsoft's KB 284204 quotes it: 'The e-mail account does not exist at the " "organization this message was sent to' <server #5.1.1>", exchange2003(r, "The e-mail account does not exist at the organization this message was sent to.  Check the " "e-mail address, or contact the recipient directly to find out the correct address.", f"<mx.xe6.{R} #5.1.1>"))
r = f"hieu.mac@xe7.{R}"
add("exchange2003-not-recognized", r, "userunknown", 1, "Exchange 5.5/2000 MTA NDR 'The recipient name is not recognized' (Microsoft KB), no code", exchange2003(r, "The recipient name is not recognized", "MSEXCH:MSExchangeMTA:SOTC:EXCH01"))

r = f"khoa.vuong@xf1.{R}"
add("domino-not-listed", r, "userunknown", 1, "Domino router's delivery failure report: 'User x (addr) not listed in Domino Directory' (no report part)", domino(r, "User {name} ({rcpt}) not listed in Domino Directory"))
r = f"linh.au@xf2.{R}"
add("domino-not-listed-dsn", r, "userunknown", 1, "Domino's DSN with 'Diagnostic-Code: X-Notes; User x (addr) not listed in Domino Directory', Status 5.0.0", domino(r, "User {name} ({rcpt}) not listed in Domino Directory", "5.0.0"))
r = f"mai.trieu@xf3.{R}"
add("domino-nab", r, "userunknown", 1, "Older Domino/Notes: 'User x (addr) not listed in public Name & Address Book'", domino(r, "User {name} ({rcpt}) not listed in public Name & Address Book"))

r = f"nam.giap@xg1.{R}"
add("gmail-no-such-user", r, "userunknown", 1, "Gmail's NDR ('** Address not found **', 'the address couldn't be found, or is unable to receive mail') " "of a remote '550 No such user' (status 5.0.0)", gmail(r, "Address not found", f"Your message wasn't delivered to {r} because the address couldn't be found, " "or is unable to receive mail.", "550 No such user", "5.0.0"))
r = f"ngoc.bach@xg2.{R}"
add("gmail-511-own", r, "userunknown", 1, "Gmail's own '550-5.1.1 The email account that you tried to reach does not exist' (Google's SMTP error list)", gmail(r, "Address not found", f"Your message wasn't delivered to {r} because the address couldn't be found, " "or is unable to receive mail.", "550-5.1.1 The email account that you tried to reach does not exist. Please try double-checking the " "recipient's email address for typos or unnecessary spaces.", "5.1.1"))
r = f"phong.kha@xg3.{R}"
add("gmail-domain-not-found", r, "hostunknown", 1, "Gmail's NDR for a domain that does not resolve ('the domain ... couldn't be found', DNS Error NXDOMAIN)", gmail(r, "Address not found", f"Your message wasn't delivered to {r} because the domain xg3.{R} couldn't be " "found. Check for typos or unnecessary spaces and try again.", f"DNS Error: DNS type 'mx' lookup of xg3.{R} responded with code NXDOMAIN Domain name not found: " f"xg3.{R}", "5.1.2"))

r = f"quynh.ton@xh1.{R}"
add("zimbra-address-only", r, "userunknown", 1, "Postfix at a Zimbra MTA: '550 5.1.1 <x>: Recipient address rejected: x' (Zimbra's LDAP recipient check " "repeats only the address)", postfix(r, f"550 5.1.1 <{r}>: Recipient address rejected: {r}", "5.1.1", remote="zimbra.xh1.example.vn"))
r = f"sang.ung@xh2.{R}"
add("mdaemon-unknown-user", r, "userunknown", 1, "MDaemon DSN with its session transcript: '<-- 550 unknown user' after RCPT, no enhanced code", mdaemon(r, f"Mon 2026-12-07 08:00:03: --> RCPT To:<{r}>\nMon 2026-12-07 08:00:03: <-- 550 unknown user"))
r = f"thao.lam@xh3.{R}"
add("courier-uu", r, "userunknown", 1, "Courier-MTA DSN: '<<< 550 5.1.1 <x>... User unknown' after '>>> RCPT TO'", courier(r, f">>> RCPT TO:<{r}>\n<<< 550 5.1.1 <{r}>... User unknown", "5.1.1", f"smtp; 550 5.1.1 <{r}>... User unknown"))
r = f"thu.kim@xh4.{R}"
add("hmailserver-no-such-user", r, "userunknown", 1, "hMailServer's NDR: 'Remote server replied: 550 No such user here' (its SMTP error list) after RCPT TO", hmailserver(r, f"RCPT TO:<{r}>", "550 No such user here"))
r = f"tien.loc@xh5.{R}"
add("kerio-uu", r, "userunknown", 1, "Kerio Connect DSN (reconstructed) of '550 5.1.1 <x>... User unknown'", kerio(r, "5.1.1", f"smtp; 550 5.1.1 <{r}>... User unknown"))
r = f"trang.mau@xh6.{R}"
add("vi-uu-accented", r, "userunknown", 1, "Vietnamese host's localised notice, 'Địa chỉ email nhận không tồn tại' (Mắt Bão's KB), no code", vietnamese(r, "Lý do: Địa chỉ email nhận không tồn tại. Vui lòng kiểm tra lại địa chỉ người nhận."))
r = f"tuan.ong@xh7.{R}"
add("vi-account-not-exist", r, "userunknown", 1, "Vietnamese notice quoting a 550 with GoDaddy's Vietnamese 'Tài khoản không tồn tại' (its bounce help)", vietnamese(r, f"Máy chủ mx.xh7.{R} trả lời: 550 Tài khoản không tồn tại"))

# ---- soft: full, rate, greylisting, timeouts, temporary faults, disabled accounts, delays
r = f"an.ha@ya1.{R}"
add("postfix-mailbox-full", r, "mailboxfull", 0, "Postfix notice of '552 5.2.2 <x>: Recipient address rejected: Mailbox full' (RFC 3463 X.2.2)", postfix(r, f"552 5.2.2 <{r}>: Recipient address rejected: Mailbox full", "5.2.2"))
r = f"binh.ky@ya2.{R}"
add("gmail-over-quota", r, "mailboxfull", 0, "Gmail's '552-5.2.2 The email account that you tried to reach is over quota' (Google's SMTP error list)", gmail(r, "Message not delivered", f"Your message couldn't be delivered to {r} because the mailbox is full.", "552-5.2.2 The email account that you tried to reach is over quota and inactive.", "5.2.2"))
r = f"chau.lac@ya3.{R}"
add("exim-quota-local", r, "mailboxfull", 0, "Exim appendfile 'mailbox is full (MTA-imposed quota exceeded while writing to file ...)' (Exim spec), " "status 5.0.0", exim(r, "    mailbox is full (MTA-imposed quota exceeded while writing to file /var/mail/chau.lac): retry " "timeout exceeded", "5.0.0"))
r = f"diep.man@ya4.{R}"
add("exchange-quota", r, "mailboxfull", 0, "Exchange: '554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException' (Microsoft Learn)", exchange2010(r, "The recipient's mailbox is full and can't accept messages now.", "#554 5.2.2 mailbox full; STOREDRV.Deliver.Exception:QuotaExceededException.MapiExceptionShutoff" "QuotaExceeded; Failed to process message due to a permanent exception ##", "5.2.2"))
r = f"giao.ninh@ya5.{R}"
add("exim-552-quota-nocode", r, "mailboxfull", 0, "Exim bounce of a remote '552 Mailbox quota exceeded' after RCPT with no enhanced code", exim(r, f"    host mx.ya5.{R} [203.0.113.55]\n    SMTP error from remote mail server after RCPT TO:<{r}>:\n" "    552 Mailbox quota exceeded", "5.0.0", "smtp; 552 Mailbox quota exceeded"))
r = f"hai.tong@ya6.{R}"
add("zimbra-over-quota-lmtp", r, "mailboxfull", 0, "Postfix over LMTP to Zimbra's mailboxd: '552 5.2.2 Over quota' after end of DATA", postfix(r, "552 5.2.2 Over quota", "5.2.2", stage="end of DATA", remote="zimbra.ya6.example.vn"))
r = f"hoai.sam@ya7.{R}"
add("vi-mailbox-full", r, "mailboxfull", 0, "Vietnamese notice: 'Hộp thư của người nhận đã đầy' (Hải Nhân's and Mắt Bão's help pages), no code", vietnamese(r, "Lý do: Hộp thư của người nhận đã đầy, không thể nhận thêm thư."))
r = f"kim.ta@ya8.{R}"
add("hmailserver-full", r, "mailboxfull", 0, "hMailServer NDR of a remote '452 4.2.2 Mailbox full' that outlived the retries (reconstructed)", hmailserver(r, f"RCPT TO:<{r}>", "452 4.2.2 Mailbox full"))
r = f"lien.mac@yb1.{R}"
add("postfix-gmail-rate-final", r, "speeding", 0, "Postfix final notice of Gmail's '450-4.2.1 The user you are trying to contact is receiving mail at a rate " "that prevents additional messages from being delivered' (Google's SMTP error list)", postfix(r, "450-4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional " "messages from being delivered. Please resend your message at a later time.", "4.2.1"))
r = f"loan.ca@yb2.{R}"
add("gmail-delay-rate", r, "", 0, "Gmail's delay notice ('** Delivery incomplete **', 'There was a temporary problem delivering your message')", gmail(r, "Delivery incomplete", f"There was a temporary problem delivering your message to {r}. Gmail will " "retry for 46 more hours. You'll be notified if the delivery fails permanently.", "421 4.7.0 Try again later, closing connection.", "4.7.0", delay=True), kind="delay")
r = f"long.van@yb3.{R}"
add("postfix-delay-yahoo-tss", r, "", 0, "Postfix delay notice of Yahoo's '421 4.7.0 [TS01] Messages from x temporarily deferred due to unexpected " "volume or user complaints' (Yahoo's sender hub)", postfix(r, "421 4.7.0 [TSS04] Messages from 203.0.113.5 temporarily deferred due to unexpected volume or user " "complaints - 4.16.55.1; see https://postmaster.yahooinc.com/error-codes", "4.7.0", delay="yes", stage="MAIL FROM"), kind="delay")
r = f"mai.ung@yb4.{R}"
add("postfix-delay-greylist", r, "", 0, "Postfix delay notice of postgrey's '450 4.2.0 <x>: Recipient address rejected: Greylisted' (postgrey(8))", postfix(r, f"450 4.2.0 <{r}>: Recipient address rejected: Greylisted, see http://postgrey.schweikert.ch/help/" f"yb4.{R}.html", "4.2.0", delay="yes"), kind="delay")
r = f"my.ha@yb5.{R}"
add("exim-greylist-expired", r, "expired", 0, "Exim final bounce after greylisting never let it through: 'retry timeout exceeded' over a '451 4.7.1 " "Greylisting in action, please come back later'", exim(r, f"    host mx.yb5.{R} [203.0.113.65]\n    SMTP error from remote mail server after RCPT TO:<{r}>:\n" "    451 4.7.1 Greylisting in action, please come back later: retry timeout exceeded", "4.0.0"))
r = f"nhung.sa@yb6.{R}"
add("sendmail-timeout", r, "expired", 0, "Sendmail's 'Message could not be delivered for 5 days' over 'Deferred: Connection timed out with ...' (4.4.7)", report("Returned mail: see transcript for details", "Mail Delivery Subsystem <MAILER-DAEMON@mx.sotc.example.vn>", crlf(f"""
The original message was received at Wed, 2 Dec 2026 08:00:01 +0700
from localhost [127.0.0.1]

   ----- The following addresses had permanent fatal errors -----
<{r}>
    (reason: Deferred: Connection timed out with mx.yb6.{R}.)

   ----- Transcript of session follows -----
<{r}>... Deferred: Connection timed out with mx.yb6.{R}.
Message could not be delivered for 5 days
Message will be deleted from queue
"""), _dsn(r, "4.4.7", "", remote=f"mx.yb6.{R}"), r))
r = f"oanh.to@yb7.{R}"
add("qmail-queue-too-long", r, "expired", 0, "qmail-send's 'I'm not going to try again; this message has been in the queue too long.' (qmail-send.c)", qmail(r, "Connected to 203.0.113.77 but connection died. (#4.4.2)\nI'm not going to try again; this message has " "been in the queue too long."))
r = f"phuong.y@yb8.{R}"
add("exchange-queue-expired", r, "expired", 0, "Exchange: '550 4.4.7 QUEUE.Expired; message expired' (Microsoft Learn, NDR 4.4.7)", exchange2010(r, "The message couldn't be delivered in the time allowed. The recipient's server may be " "temporarily unavailable.", "#550 4.4.7 QUEUE.Expired; message expired ##", "4.4.7"))
r = f"quy.ho@yc1.{R}"
add("courier-delay-busy", r, "", 0, "Courier-MTA's delay notice ('DELAYS IN DELIVERING YOUR MESSAGE') over '450 4.2.1 Mailbox busy'", courier(r, f">>> RCPT TO:<{r}>\n<<< 450 4.2.1 Mailbox busy, try again later", "4.2.1", "smtp; 450 4.2.1 Mailbox busy, try again later", delay=True), kind="delay")
r = f"sen.do@yc2.{R}"
add("kerio-delay", r, "", 0, "Kerio Connect delay DSN (reconstructed) over a '451 4.3.0 Temporary local problem'", kerio(r, "4.3.0", "smtp; 451 4.3.0 Temporary local problem - please try later", "delayed"), kind="delay")
r = f"thanh.le@yc3.{R}"
add("mdaemon-delay", r, "", 0, "MDaemon's temporary-error notice with its transcript ('<-- 451 Requested action aborted: local error in " "processing', RFC 5321's 451 text)", mdaemon(r, f"Mon 2026-12-07 08:00:03: --> RCPT To:<{r}>\nMon 2026-12-07 08:00:03: <-- 451 Requested action " "aborted: local error in processing", permanent=False), kind="delay")
r = f"tho.vi@yc4.{R}"
add("gmail-disabled", r, "suspend", 0, "Gmail's '550-5.2.1 The email account that you tried to reach is disabled' (Google's SMTP error list)", gmail(r, "Message not delivered", f"Your message couldn't be delivered to {r} because the account is disabled.", "550-5.2.1 The email account that you tried to reach is disabled.", "5.2.1"))
r = f"trinh.ngo@yc5.{R}"
add("vi-account-disabled", r, "suspend", 0, "Vietnamese notice: 'Tài khoản bị vô hiệu hóa' (GoDaddy's Vietnamese bounce help: the account exists, " "receiving disabled), no code", vietnamese(r, "Lý do: Tài khoản người nhận bị vô hiệu hóa, không thể nhận thư vào lúc này."))
r = f"tu.phung@yc6.{R}"
add("postfix-system-storage", r, "systemfull", 0, "Postfix final notice of RFC 5321's '452 4.3.1 Insufficient system storage' (retried until the lifetime)", postfix(r, "452 4.3.1 Insufficient system storage", "4.3.1"))
r = f"van.nghiem@yc7.{R}"
add("hmailserver-greylist-final", r, "expired", 0, "hMailServer NDR after its retries of its own documented greylisting reply '451 Please try again later.' " "(reconstructed)", hmailserver(r, f"RCPT TO:<{r}>", "451 Please try again later.\n   The maximum number of delivery attempts has been reached"))
r = f"vy.cu@yc8.{R}"
add("exim-delay-warning", r, "", 0, "Exim's delay warning ('Warning: message ... delayed 24 hours', warn_message_file default) over a " "'452 4.2.2 Mailbox full' that is retried", plain("Warning: message 1kXyZa-000123-AB delayed 24 hours", "Mail Delivery System <Mailer-Daemon@mx.sotc.example.vn>", crlf(f"""
This message was created automatically by mail delivery software.
A message that you sent has not yet been delivered to one or more of its
recipients after more than 24 hours on the queue on mx.sotc.example.vn.

The message identifier is:     1kXyZa-000123-AB
The subject of the message is: Phieu khao sat nam 2026
The date of the message is:    Mon, 07 Dec 2026 08:00:00 +0700

The address to which the message has not yet been delivered is:

  {r}
    host mx.yc8.{R} [203.0.113.88]
    SMTP error from remote mail server after RCPT TO:<{r}>:
    452 4.2.2 Mailbox full

No action is required on your part. Delivery attempts will continue for
some time, and this warning may be repeated at intervals if the message
remains undelivered. Eventually the mail delivery software will give up,
and when that happens, the message will be returned to you.
"""), r, headers=f"X-Failed-Recipients: {r}\r\nAuto-Submitted: auto-replied\r\n"), kind="delay")
r = f"xuan.an@yc9.{R}"
add("o365-full-generic", r, "mailboxfull", 0, "Exchange Online relaying a remote '552 Requested mail action aborted: exceeded storage allocation' " "(RFC 5321's 552 text, status 5.0.0)", o365(r, "The recipient's mailbox is full.", "Try again later.", "552 Requested mail action aborted: exceeded storage allocation", "5.0.0"))
r = f"yen.mach@yd1.{R}"
add("sendmail-mailbox-busy-tempfail", r, "expired", 0, "Sendmail's final notice of a '451 4.3.0 Temporary system failure. Please try again later.' retried for 5 days", sendmail(r, "451 4.3.0 Temporary system failure. Please try again later.", f"... while talking to mx.yd1.{R}.:\n>>> DATA\n<<< 451 4.3.0 Temporary system failure. Please try again " "later.\nMessage could not be delivered for 5 days\nMessage will be deleted from queue", "4.4.7", "SMTP; 451 4.3.0 Temporary system failure. Please try again later."))
r = f"anh.kieu@yd2.{R}"
add("domino-full", r, "mailboxfull", 0, "Domino delivery failure: 'Maximum mail file size exceeded' / quota (reconstructed from Domino's quota " "message 'Unable to deliver message: the mail file for user is full')", domino(r, "Unable to deliver message; the mail file for user {name} has exceeded its quota"))

# fmt: on


def write(folder: Path, rows: list[tuple[str, str, str, str, int, str, bytes]]) -> None:
    """Rewrite a set's .eml files and manifest.csv from its rows."""
    for old in folder.glob("*.eml"):
        old.unlink()
    with open(folder / "manifest.csv", "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh, lineterminator="\n")
        out.writerow(["file", "kind", "recipient", "reason", "hard", "how"])
        for stem, kind, rcpt, reason, hard, how, raw in rows:
            name = f"{stem}.eml"
            (folder / name).write_bytes(raw)
            out.writerow([name, kind, rcpt, reason, hard, how])
    print(len(rows), "messages")


def main() -> None:
    write(FOLDER, ROWS)


if __name__ == "__main__":
    main()
