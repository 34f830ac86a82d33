"""`maildaemon inbound show ID` as an operator runs it: a Vietnamese reply (quoted-printable UTF-8 body, RFC
2047 subject) sent through the local Postfix into the Dovecot bounce mailbox, read by `run --once`, then
shown decoded with its verdict, respondent and local time; `--raw` still gives the message as received."""

from __future__ import annotations

import json
import sqlite3
from email.message import EmailMessage
from pathlib import Path

from tests.support.cli import paused_campaign, poll_inbound, run_cli, submit
from tests.support.mailstack import MailStack

TEXT = "Kính gửi Sở Nội vụ,\n\nTôi đã nhận được thư mời và sẽ trả lời phiếu khảo sát trong tuần này.\n\nPhạm Văn Tài"
SUBJECT = "Re: Khảo sát Chỉ số cải cách hành chính năm 2026"


def test_inbound_show_prints_a_vietnamese_reply_decoded(
    mailstack: MailStack, mailbox_user: object, tmp_path: Path
) -> None:
    ms = mailstack
    watched = mailbox_user(prefix="showbox")  # type: ignore[operator]
    wlocal, wdomain = watched.split("@")
    env = paused_campaign(tmp_path, ms, watched, "show-camp")  # nothing is sent: only the reply comes in
    with sqlite3.connect(tmp_path / "state" / "maildaemon.db") as db:
        (token,) = db.execute("select token from respondents").fetchone()

    reply = EmailMessage()
    reply["From"] = "Phạm Văn Tài <tai.pv@snv.khanhhoa.test>"
    reply["To"] = f"{wlocal}+{token}@{wdomain}"
    reply["Subject"] = SUBJECT
    reply["Date"] = "Mon, 23 Nov 2026 16:05:00 +0000"
    reply["In-Reply-To"] = f"<md.{token}.invitation@{wdomain}>"
    reply.set_content(TEXT, cte="quoted-printable")
    raw = reply.as_bytes()
    assert b"=?utf-8?" in raw.lower() and b"Content-Transfer-Encoding: quoted-printable" in raw
    submit(ms, reply, "tai.pv@snv.khanhhoa.test", watched)
    (row,) = poll_inbound(tmp_path, env)
    assert row["kind"] == "reply" and row["respondent"] == "tai.pv@snv.khanhhoa.test"
    table = run_cli(
        tmp_path, env, "inbound"
    )  # the list: Vietnamese headings, the campaign's time with its zone
    assert "Nhận lúc (ICT, UTC+7)" in table and "thư trả lời" in table and "UTC)" not in table
    assert "received (ICT, UTC+7)" in run_cli(tmp_path, env, "inbound", "--lang", "en")

    shown = run_cli(tmp_path, env, "inbound", "show", str(row["id"]))
    assert TEXT in shown  # decoded: no quoted-printable, Vietnamese intact
    assert f"Tiêu đề: {SUBJECT}" in shown and "Người gửi: Phạm Văn Tài <tai.pv@snv.khanhhoa.test>" in shown
    assert "Ngày gửi: 2026-11-23 23:05 (ICT, UTC+7)" in shown  # campaign time, labelled
    assert "Phân loại: thư trả lời (reply)" in shown
    assert "Gắn với: tai.pv@snv.khanhhoa.test (Phạm Văn Tài), đợt show-camp" in shown
    assert "=C3" not in shown and "=?utf-8?" not in shown.lower()
    english = run_cli(tmp_path, env, "inbound", "show", str(row["id"]), "--lang", "en")
    assert (
        "Verdict: reply" in english and "Date: 2026-11-23 23:05 (ICT, UTC+7)" in english and TEXT in english
    )
    as_json = json.loads(run_cli(tmp_path, env, "inbound", "--show", str(row["id"]), "--json"))
    assert (as_json["text"], as_json["subject"]) == (TEXT, SUBJECT)
    received = run_cli(tmp_path, env, "inbound", "show", str(row["id"]), "--raw")
    assert "Content-Transfer-Encoding: quoted-printable" in received and "=C3" in received
