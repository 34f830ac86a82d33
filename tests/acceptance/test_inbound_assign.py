"""`maildaemon inbound assign ID EMAIL` as an operator runs it: a reply from an address that is nobody's in
the roster goes through the local Postfix into the Dovecot bounce mailbox, `run --once` records it tied to
nobody, and the operator ties it to the right person: their answer is recorded with the operator named;
a second attempt is refused and changes nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from email.message import EmailMessage
from pathlib import Path

from tests.support.cli import paused_campaign, poll_inbound, run_cli, submit
from tests.support.mailstack import MailStack

TEXT = (
    "Kính gửi Sở Nội vụ,\n\nTôi đã nhận được thư mời và sẽ làm phiếu khảo sát trong tuần này.\n\nPhạm Văn Tài"
)


def test_inbound_assign_ties_a_reply_from_an_unknown_address(
    mailstack: MailStack, mailbox_user: object, tmp_path: Path
) -> None:
    ms = mailstack
    watched = mailbox_user(prefix="assignbox")  # type: ignore[operator]
    wlocal, wdomain = watched.split("@")
    env = paused_campaign(tmp_path, ms, watched, "assign-camp")  # nothing is sent: only the reply comes in
    reply = EmailMessage()  # from a private address, to the plain reply address: no token of ours anywhere
    reply["From"] = "Phạm Văn Tài <taipham.rieng@other.khanhhoa.test>"
    reply["To"] = f"{wlocal}@{wdomain}"
    reply["Subject"] = "Re: Khảo sát Chỉ số cải cách hành chính năm 2026"
    reply.set_content(TEXT, cte="quoted-printable")
    submit(ms, reply, "taipham.rieng@other.khanhhoa.test", watched)
    (row,) = poll_inbound(tmp_path, env, "--unattributed")
    assert row["kind"] == "reply" and row["respondent"] is None

    out = run_cli(
        tmp_path, env, "inbound", "assign", str(row["id"]), "tai.pv@snv.khanhhoa.test", "--by", "chi.lan"
    )
    assert out.startswith(f"inbound #{row['id']} (reply) tied to tai.pv@snv.khanhhoa.test in assign-camp")
    assert "completion pending -> replied" in out
    shown = run_cli(tmp_path, env, "inbound", "show", str(row["id"]))
    assert (
        "Gắn với: tai.pv@snv.khanhhoa.test (Phạm Văn Tài), đợt assign-camp — theo cán bộ theo dõi gắn tay"
        in shown
    )
    assert run_cli(tmp_path, env, "inbound", "--unattributed", "--json").strip() == ""
    with sqlite3.connect(tmp_path / "state" / "maildaemon.db") as db:
        (completion,) = db.execute("select completion from respondents").fetchone()
        events = db.execute(
            "select field, new_value, source, detail from events where source = 'operator' and respondent_id is not null"
        ).fetchall()
    assert completion == "replied"
    assert [(f, new, src) for f, new, src, _ in events] == [("completion", "replied", "operator")]
    assert "tied by hand by chi.lan" in events[0][3]

    again = subprocess.run([sys.executable, "-m", "maildaemon", "--config", str(tmp_path / "md.toml"), "inbound",
                            "assign", str(row["id"]), "tai.pv@snv.khanhhoa.test"], capture_output=True,
                           env={**os.environ, **env}, timeout=120, check=False)  # fmt: skip
    assert again.returncode == 3  # InputError
    assert "already tied to tai.pv@snv.khanhhoa.test (by operator)" in again.stderr.decode()
    with sqlite3.connect(tmp_path / "state" / "maildaemon.db") as db:
        assert db.execute(
            "select count(*) from events where source = 'operator' and respondent_id is not null"
        ).fetchone() == (1,)
