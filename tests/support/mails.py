"""Hand-made inbound messages shaped like what real servers send back to our VERP address."""

from __future__ import annotations


def postfix_dsn(token: str, recipient: str, status: str = "5.1.1", action: str = "failed",
                diagnostic: str = "550 5.1.1 <{rcpt}>: Recipient address rejected: User unknown") -> bytes:  # fmt: skip
    diag = diagnostic.format(rcpt=recipient)
    return f"""Return-Path: <>
Delivered-To: bounces+{token}@survey.test
From: MAILER-DAEMON@mail.test.local (Mail Delivery System)
Subject: Undelivered Mail Returned to Sender
To: bounces+{token}@survey.test
Auto-Submitted: auto-replied
MIME-Version: 1.0
Content-Type: multipart/report; report-type=delivery-status; boundary="B1"
Message-Id: <dsn.{token}.{status}@mail.test.local>

--B1
Content-Type: text/plain; charset=us-ascii

This is the mail system at host mail.test.local.
I'm sorry to have to inform you that your message could not be delivered.

<{recipient}>: host mx.example said: {diag}

--B1
Content-Type: message/delivery-status

Reporting-MTA: dns; mail.test.local
X-Postfix-Queue-ID: 4AB12
Arrival-Date: Mon, 23 Nov 2026 10:00:00 +0700

Final-Recipient: rfc822; {recipient}
Original-Recipient: rfc822;{recipient}
Action: {action}
Status: {status}
Remote-MTA: dns; mx.example
Diagnostic-Code: smtp; {diag}

--B1
Content-Type: text/rfc822-headers

From: =?utf-8?b?U+G7nyBO4buZaSB24bulIHThu4luaCBLaMOhbmggSMOyYQ==?= <khaosat@survey.test>
To: {recipient}
Subject: =?utf-8?b?S2jhuqNvIHPDoXQ=?=
Message-ID: <md.{token}.invitation@survey.test>
X-Survey-Token: {token}

--B1--
""".replace("\n", "\r\n").encode()


def autoreply_vi(token: str, sender: str, back: str = "28/11/2026") -> bytes:
    body = (f"Tôi đang đi công tác, vắng mặt tại cơ quan từ ngày 20/11 đến hết ngày {back}. "
            "Việc gấp xin liên hệ Văn phòng Sở.")  # fmt: skip
    import base64

    b64 = base64.b64encode(body.encode()).decode()
    return f"""From: {sender}
To: reply+{token}@survey.test
Subject: =?utf-8?b?VHLhuqMgbOG7nWkgdOG7sSDEkeG7mW5nOiBLaOG6o28gc8OhdA==?=
Auto-Submitted: auto-replied
X-Auto-Response-Suppress: All
In-Reply-To: <md.{token}.invitation@survey.test>
Message-ID: <ar.{token}@mail.khanhhoa.test>
Date: Mon, 23 Nov 2026 10:05:00 +0700
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

{b64}
""".replace("\n", "\r\n").encode()


def human_reply(
    token: str, sender: str, text: str = "Tôi đã hoàn thành phiếu khảo sát. Trân trọng."
) -> bytes:
    import base64

    b64 = base64.b64encode(text.encode()).decode()
    return f"""From: {sender}
To: reply+{token}@survey.test
Subject: =?utf-8?b?UmU6IEtoYeG7o28gc8OhdA==?=
In-Reply-To: <md.{token}.invitation@survey.test>
References: <md.{token}.invitation@survey.test>
Message-ID: <re.{token}@mail.khanhhoa.test>
Date: Mon, 23 Nov 2026 11:00:00 +0700
MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: base64

{b64}
""".replace("\n", "\r\n").encode()
