"""What IT staff read in a verdict of a plain-text notice (no delivery-status part): the server that
answered (``remote_mta``) where the notice names it, the server's own line as the diagnostic; and a
challenge-response filter's request that the sender confirm itself, which is an automatic reply that holds
our mail, not a delay and not an absence. Messages written for these tests in the wordings the servers use."""

from __future__ import annotations

import pytest

from maildaemon.inbound.classify import classify

RCPT = "ngoc.tran@soyte.example.vn"


def notice(body: str, subject: str = "Undelivered Mail Returned to Sender",
           sender: str = "Mail Delivery System <MAILER-DAEMON@relay.sonv.example.vn>") -> bytes:  # fmt: skip
    head = (
        f"From: {sender}\nTo: bounces@survey.test\nSubject: {subject}\n"
        "Date: Mon, 07 Dec 2026 08:00:00 +0700\nMessage-ID: <n1@relay.sonv.example.vn>\n"
        "MIME-Version: 1.0\nContent-Type: text/plain; charset=utf-8\n"
    )
    return (head + "\n" + body).encode("utf-8")


POSTFIX = f"""This is the mail system at host relay.sonv.example.vn.

I'm sorry to have to inform you that your message could not
be delivered to one or more recipients. It's attached below.

                   The mail system

<{RCPT}>: host mx2.soyte.example.vn[198.51.100.7] said: 550 5.1.1
    <{RCPT}>: Recipient address rejected: User unknown in local recipient
    table (in reply to RCPT TO command)
"""
POSTFIX_CONNECT = f"""This is the mail system at host relay.sonv.example.vn.

                   The mail system

<{RCPT}>: connect to mail.soyte.example.vn[198.51.100.9]:25: Connection
    timed out
"""
EXIM = f"""This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  {RCPT}
    SMTP error from remote mail server after RCPT TO:<{RCPT}>:
    host mx.soyte.example.vn [198.51.100.20]: 550 5.1.1 No such user here
"""
EXIM_NEW = f"""This message was created automatically by mail delivery software.

A message that you sent could not be delivered to one or more of its
recipients. This is a permanent error. The following address(es) failed:

  {RCPT}
    host smtp-in.soyte.example.vn [198.51.100.21]
    SMTP error from remote server for RCPT TO command, host: smtp-in.soyte.example.vn (198.51.100.21) reason: 550 5.1.1 Mailbox does not exist
"""
QMAIL = f"""Hi. This is the qmail-send program at relay.sonv.example.vn.
I'm afraid I wasn't able to deliver your message to the following addresses.
This is a permanent error; I've given up. Sorry it didn't work out.

<{RCPT}>:
Connected to 198.51.100.30 but sender was rejected.
Remote host said: 553 sorry, your envelope sender is in my badmailfrom list (#5.7.1)
"""
SENDMAIL = f"""The original message was received at Mon, 7 Dec 2026 08:00:00 +0700
from localhost [127.0.0.1]

   ----- The following addresses had permanent fatal errors -----
<{RCPT}>
    (reason: 550 5.1.1 User unknown)

   ----- Transcript of session follows -----
... while talking to mx3.soyte.example.vn.:
>>> RCPT To:<{RCPT}>
<<< 550 5.1.1 <{RCPT}>... User unknown
550 5.1.1 <{RCPT}>... User unknown
"""
EXCHANGE_2010 = f"""Delivery has failed to these recipients or groups:

{RCPT}
The e-mail address you entered couldn't be found. Please check the recipient's e-mail address and try to \
resend the message. If the problem continues, please contact your helpdesk.

Diagnostic information for administrators:

Generating server: exch01.soyte.example.vn

{RCPT}
#550 5.1.1 RESOLVER.ADR.RecipNotFound; not found ##

Original message headers:

Received: from relay.sonv.example.vn (198.51.100.2) by exch01.soyte.example.vn
"""
EXCHANGE_REMOTE = f"""Delivery has failed to these recipients or groups:

{RCPT}
The recipient's e-mail address was not found in the recipient's e-mail system. Microsoft Exchange will \
not try to redeliver this message for you. Please check the e-mail address and try resending this message.

The following organization rejected your message: mx.soyte.example.vn.

Diagnostic information for administrators:

Generating server: hub.sonv.example.vn

{RCPT}
mx.soyte.example.vn #550 5.1.1 <{RCPT}>: Recipient address rejected: User unknown ##
"""
EXCHANGE_2007 = f"""Delivery has failed to these recipients or distribution lists:

{RCPT}
The recipient's e-mail address was not found in the recipient's e-mail system. Microsoft Exchange will \
not try to redeliver this message for you. Please check the e-mail address and try resending this message, \
or provide the following diagnostic text to your system administrator.

Sent by Microsoft Exchange Server 2007

Diagnostic information for administrators:

Generating server: cas1.sonv.example.vn

{RCPT}
mx.soyte.example.vn #550 5.1.1 User unknown ##
"""
EXCHANGE_RETURNED = f"""Your message did not reach some or all of the intended recipients.

      Subject:  Thư mời khảo sát
      Sent:     07/12/2026 08:00

The following recipient(s) cannot be reached:

      {RCPT} on 07/12/2026 08:01
            Remote Server returned '550 5.1.1 RESOLVER.ADR.RecipNotFound; not found'
"""
EXCHANGE_2003 = f"""Your message did not reach some or all of the intended recipients.

      Subject:  Thư mời khảo sát
      Sent:     07/12/2026 08:00

The following recipient(s) could not be reached:

      {RCPT} on 07/12/2026 08:01
            The e-mail account does not exist at the organization this message was sent to.  Check the \
e-mail address, or contact the recipient directly to find out the correct address.
            <mail.soyte.example.vn #5.1.1 smtp;550 5.1.1 <{RCPT}>... User unknown>
"""


@pytest.mark.parametrize(
    ("body", "host"),
    [
        (POSTFIX, "mx2.soyte.example.vn"),
        (POSTFIX_CONNECT, "mail.soyte.example.vn"),
        (EXIM, "mx.soyte.example.vn"),
        (EXIM_NEW, "smtp-in.soyte.example.vn"),
        (QMAIL, "198.51.100.30"),
        (SENDMAIL, "mx3.soyte.example.vn"),
        (EXCHANGE_2010, "exch01.soyte.example.vn"),
        (EXCHANGE_REMOTE, "mx.soyte.example.vn"),
        (EXCHANGE_2007, "mx.soyte.example.vn"),
        (EXCHANGE_2003, "mail.soyte.example.vn"),
    ],
    ids=[
        "postfix",
        "postfix-connect",
        "exim",
        "exim-4.97",
        "qmail",
        "sendmail",
        "exchange-2010",
        "exchange-remote",
        "exchange-2007",
        "exchange-2003",
    ],  # fmt: skip
)
def test_a_plain_notice_names_the_server_that_answered(body: str, host: str) -> None:
    verdict = classify(notice(body))
    assert verdict.kind == "bounce"
    assert [(v.recipient, v.remote_mta) for v in verdict.verdicts] == [(RCPT, host)]


def test_a_notice_that_names_no_server_leaves_it_empty() -> None:
    """Exchange's "Remote Server returned" names no host, nor does a notice a person pasted without it:
    no host is guessed (our own relay, the reporting host, is not the remote one)."""
    for body in (EXCHANGE_RETURNED, POSTFIX.replace("host mx2.soyte.example.vn[198.51.100.7] said: ", "")):
        verdict = classify(notice(body))
        assert verdict.verdicts[0].remote_mta == ""
        assert "relay.sonv" not in verdict.verdicts[0].remote_mta


@pytest.mark.parametrize(
    ("body", "line"),
    [
        (EXCHANGE_2010, "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"),
        (EXCHANGE_REMOTE, "550 5.1.1 <" + RCPT + ">: Recipient address rejected: User unknown"),
        (EXCHANGE_2007, "550 5.1.1 User unknown"),
        (EXCHANGE_RETURNED, "550 5.1.1 RESOLVER.ADR.RecipNotFound; not found"),
        (EXCHANGE_2003, "550 5.1.1 <" + RCPT + ">... User unknown"),
    ],
    ids=["2010", "remote", "2007", "returned", "2003"],
)
def test_an_exchange_notice_shows_the_servers_line_with_the_reason_it_had(body: str, line: str) -> None:
    """The diagnostic is the server's reply, not the paragraph written for the user; the reason and codes
    stay what the notice says."""
    verdict = classify(notice(body, subject="Undeliverable: Thư mời khảo sát",
                              sender="Microsoft Outlook <postmaster@sonv.example.vn>"))  # fmt: skip
    (v,) = verdict.verdicts
    assert line in v.diagnostic
    assert "please check" not in v.diagnostic.lower()
    assert (v.recipient, v.reason, v.hard, v.status, v.reply_code) == (
        RCPT,
        "userunknown",
        True,
        "5.1.1",
        "550",
    )


PERSON = "lan.nguyen@sonv.example.vn"

CHALLENGES = [
    (
        "Re: Thư mời khảo sát (Action Required)",
        'Hello,\n\nYour message about "Thư mời khảo sát" has been waitlisted.\n\nPlease add yourself to my '
        "Guest List so your messages will go to my Inbox. Use the link below.\nhttps://cr.example.net/g?t=1\n\n"
        "Thank you,\nLan\n",
    ),
    (
        "Re: Thư mời khảo sát",
        "This account is protected by SafeInbox. Please click on the following link to verify that you are a "
        "real person and your message will be delivered: https://cr.example.net/v/2\n",
    ),
    (
        "Sender verification required",
        "I use a spam filter that requires senders to verify themselves. Your message is being held until you "
        "confirm it. Please click the link below; you will only need to do this once.\nhttps://cr.example.net/3\n",
    ),
    (
        "[Please confirm] Thư mời khảo sát",
        "To protect my mailbox from spam, mail from senders I do not know is quarantined. Please prove you are "
        "not a machine by following this link, and your email will be released to me.\nhttps://cr.example.net/4\n",
    ),
    (
        "Xác nhận người gửi",
        "Thư của bạn gửi tới lan.nguyen@sonv.example.vn đang được giữ lại. Vui lòng bấm vào liên kết dưới đây "
        "để xác minh bạn không phải là máy gửi thư rác; thư sẽ được chuyển tới người nhận.\n"
        "https://cr.example.net/5\n",
    ),
]


@pytest.mark.parametrize(("subject", "body"), CHALLENGES, ids=["guest-list", "real-person", "verify",
                                                                "quarantine", "vi"])  # fmt: skip
def test_a_challenge_response_notice_is_an_automatic_reply_that_holds_our_mail(
    subject: str, body: str
) -> None:
    verdict = classify(notice(body, subject=subject, sender=f"Lan <{PERSON}>"))
    assert verdict.kind == "autoreply"
    assert [(v.recipient, v.reason, v.hard) for v in verdict.verdicts] == [(PERSON, "challenge", False)]
    assert verdict.return_date is None


def test_a_challenge_in_a_delivery_report_is_still_an_automatic_reply() -> None:
    """A challenge-response service that wraps its request in a report (Action failed, Status 4.7.0):
    no retry delivers the mail, someone has to answer the request."""
    raw = (
        "From: noreply@cr.example.net\nReply-To: " + PERSON + "\nTo: bounces@survey.test\n"
        "Subject: Re: Thư mời khảo sát (Action Required)\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        "--b\nContent-Type: text/plain; charset=utf-8\n\n"
        "Your message has been waitlisted. Please add yourself to my Guest List so your messages will be "
        "delivered to my Inbox.\nhttps://cr.example.net/g?t=6\n\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; cr.example.net\n\n"
        f"Final-Recipient: rfc822; {PERSON}\nAction: failed\nStatus: 4.7.0\n"
        "Diagnostic-Code: X-Notice; Sender not pre-approved. Follow the instructions in the notice above\n\n"
        "--b--\n"
    ).encode()
    verdict = classify(raw)
    assert verdict.kind == "autoreply"
    assert [(v.recipient, v.reason, v.hard) for v in verdict.verdicts] == [(PERSON, "challenge", False)]


@pytest.mark.parametrize(
    "line",
    [
        "550 5.7.1 <x@soyte.example.vn>: Sender address rejected: not in the approved senders list",
        "554 5.7.1 Sender not pre-approved for this mailing list",
    ],
)
def test_a_servers_refusal_of_unlisted_senders_stays_a_bounce(line: str) -> None:
    """A server that refuses a sender outside its list asks nobody to confirm anything: a bounce."""
    body = POSTFIX.replace(
        "550 5.1.1\n    <"
        + RCPT
        + ">: Recipient address rejected: User unknown in local recipient\n    table",
        line,
    )
    assert classify(notice(body)).kind == "bounce"


def test_a_filters_word_that_the_sender_is_already_allowed_is_an_automatic_reply_of_delivery() -> None:
    """The same services tell a sender on the allowed list that its mail went through."""
    raw = (
        "From: noreply@cr.example.net\nReply-To: " + PERSON + "\nTo: bounces@survey.test\n"
        "Subject: Re: Thư mời khảo sát\nMIME-Version: 1.0\n"
        'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        "--b\nContent-Type: text/plain; charset=utf-8\n\n"
        "I received your message. This one-time notice confirms that you are on my approved senders list:\n"
        "mail from you will be delivered straight to my inbox.\n\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; cr.example.net\n\n"
        f"Final-Recipient: rfc822; {PERSON}\nAction: failed\nStatus: 4.7.0\n"
        "Diagnostic-Code: X-Notice; Sender not pre-approved\n\n--b--\n"
    ).encode()
    verdict = classify(raw)
    assert verdict.kind == "autoreply"
    assert [(v.recipient, v.reason) for v in verdict.verdicts] == [(PERSON, "delivered")]


@pytest.mark.parametrize(
    ("lang", "words"),
    [
        ("en", "the recipient's filter holds the mail and asks the sender to confirm"),
        ("vi", "bộ lọc của người nhận giữ thư lại và yêu cầu người gửi xác nhận"),
    ],
)
def test_what_the_operator_reads_for_a_challenge(lang: str, words: str) -> None:
    """The event an operator reads says the filter asks the sender to confirm, never "away"; the reason,
    its label and what to do say it too."""
    from maildaemon.core import actions, reasons
    from maildaemon.reporting import vocabulary as V

    for detail in ("inbound #7: autoreply 4.7.0 challenge — waitlisted", "inbound #7: autoreply  challenge"):
        shown = V.inbound_detail(detail, lang)
        assert words in shown and V.inbound_kind("autoreply", lang) not in shown and "challenge" not in shown
    assert V.inbound_detail("inbound #7: autoreply 4.7.0 challenge — waitlisted", lang).endswith(
        f"{words} (4.7.0) — waitlisted"
    )
    assert words in V.note_word("challenge", lang)
    assert V.inbound_detail("inbound #7: autoreply", lang).endswith(V.inbound_kind("autoreply", lang))
    assert "confirm" in reasons.explain("challenge", "en") and "xác nhận" in reasons.explain(
        "challenge", "vi"
    )
    assert V.reason_label("challenge", lang) != V.reason_label("undefined", lang)
    action = actions.action_for("challenge", retrying=True)  # deferred, yet waiting will not help
    assert action is actions.ALLOW_SENDER and not actions.is_soft("challenge")


def test_a_provider_that_requires_senders_to_authenticate_asks_nobody_to_confirm() -> None:
    """Gmail's 5.7.26 text ("requires all senders to authenticate with either SPF or DKIM") is a policy
    refusal, not a challenge: no challenge words match it."""
    from maildaemon.inbound.classify import autoreply

    text = "550-5.7.26 This mail has been blocked because the sender is unauthenticated. Gmail requires all senders"
    assert not autoreply.says_challenge(text + " to authenticate with either SPF or DKIM.")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_challenge_is_not_listed_as_an_absence(lang: str) -> None:
    """The console's and the CLI's kind column: a filter's challenge is an automatic reply from a mail
    filter, not "(away)"; an out-of-office reply still says away."""
    from maildaemon.reporting import vocabulary as V

    away = V.inbound_kind("autoreply", lang)
    held = V.inbound_kind("autoreply", lang, "challenge")
    assert held != away and ("filter" in held or "bộ lọc" in held)
    assert V.inbound_kind("autoreply", lang, "vacation") == away
    assert V.inbound_kind("bounce", lang, "challenge") == V.inbound_kind("bounce", lang)


def _report(notice_text: str, fields: str) -> bytes:
    """A multipart/report DSN: the notice, then the delivery-status part."""
    head = (
        "From: Mail Delivery Subsystem <MAILER-DAEMON@relay.sonv.example.vn>\nTo: bounces@survey.test\n"
        "Subject: Returned mail: see transcript for details\nDate: Mon, 07 Dec 2026 08:00:00 +0700\n"
        'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="b1"\n'
    )
    return (
        f"{head}\n--b1\nContent-Type: text/plain\n\n{notice_text}\n--b1\nContent-Type: message/delivery-status\n\n"
        f"Reporting-MTA: dns; relay.sonv.example.vn\n\n{fields}\n--b1--\n"
    ).encode()


@pytest.mark.parametrize("talking_to", ["[198.51.100.30]", "mx.soyte.example.vn."])
def test_a_report_without_remote_mta_takes_the_server_its_transcript_names(talking_to: str) -> None:
    """Sendmail leaves Remote-MTA out when the server refused at MAIL FROM: the transcript's "while talking
    to" names the server IT staff must ask."""
    transcript = (
        f"   ----- Transcript of session follows -----\n... while talking to {talking_to}:\n"
        ">>> MAIL From:<bounces@survey.test>\n<<< 550 5.7.1 <bounces@survey.test>... Access denied\n"
    )
    fields = (
        f"Final-Recipient: RFC822; {RCPT}\nAction: failed\nStatus: 5.7.1\n"
        "Diagnostic-Code: SMTP; 550 5.7.1 <bounces@survey.test>... Access denied\n"
    )
    (v,) = classify(_report(transcript, fields)).verdicts
    assert v.remote_mta == talking_to.strip("[].")


def test_a_report_does_not_take_exchanges_generating_server_for_the_remote_one() -> None:
    """Beside a report, Exchange's "Generating server" is as often the sender's own relay that gave up: no
    remote server is named rather than the wrong one."""
    text = "Delivery has failed to these recipients or groups:\n\nGenerating server: relay.sonv.example.vn\n"
    fields = f"Final-Recipient: rfc822;{RCPT}\nAction: failed\nStatus: 5.4.7\nDiagnostic-Code: smtp;550 4.4.7 QUEUE.Expired; message expired\n"
    (v,) = classify(_report(text, fields)).verdicts
    assert v.remote_mta == ""


@pytest.mark.parametrize(("lang", "words"), [("en", "receipt"), ("vi", "xác nhận đã nhận thư")])
def test_a_helpdesk_receipt_is_never_called_away(lang: str, words: str) -> None:
    """A helpdesk's or portal's automatic receipt (kind autoreply, reason delivered) says the mail arrived:
    the operator reads a receipt, not an absence, in the inbound list and in the person's history."""
    from maildaemon.reporting import vocabulary as V

    away = V.inbound_kind("autoreply", lang)
    assert words in V.inbound_kind("autoreply", lang, "delivered") and away not in V.inbound_kind(
        "autoreply", lang, "delivered"
    )
    shown = V.inbound_detail("inbound #9: autoreply delivered — ticket 123", lang)
    assert words in shown and away not in shown and shown.endswith("— ticket 123")
    assert V.inbound_detail("inbound #9: autoreply vacation", lang).endswith(away)
