"""Soft stays soft as an operator sees it, the CLI as subprocesses against the local Postfix and Dovecot:
after `run --once` the full mailbox (a real 5.2.2 DSN) and the domain answering "450 4.7.1 Try again
later" are "Đang gửi lại" with the action that fits (clean the mailbox; wait), not "Sửa địa chỉ thư" or
"Gửi thất bại". (The threshold over several days is tests/integration/test_soft_bounces.py, on a clock.)"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from tests.support.cli import run_cli, stack_config
from tests.support.factories import campaign_text
from tests.support.mailstack import MailStack

WINDOW = 'weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\nstart = "00:00"\nend = "24:00"'


def test_full_mailbox_and_tempfail_are_deferred_with_the_right_action(
    mailstack: MailStack, mailbox_user: object, tmp_path: Path
) -> None:
    ms = mailstack
    watched = mailbox_user(prefix="softcli")  # type: ignore[operator]
    wlocal, wdomain = watched.split("@")
    (tmp_path / "md.toml").write_text(stack_config(ms, watched), encoding="utf-8")
    now = datetime.now(UTC).replace(microsecond=0)
    text = campaign_text(
        "soft-cli", opens=now - timedelta(hours=1), closes=now + timedelta(days=14), window=WINDOW
    )
    text = text.replace('bounce_domain = "survey.test"', f'bounce_domain = "{wdomain}"')
    text = text.replace("[sender]", f'[sender]\nbounce_prefix = "{wlocal}"')
    (tmp_path / "camp.toml").write_text(text, encoding="utf-8")
    (tmp_path / "roster.csv").write_text(
        "Họ và tên,Thư điện tử,Cơ quan/đơn vị\r\n"
        "Đỗ Thị Thanh Tâm,full@khanhhoa.test,Sở Y tế\r\nBùi Văn Lộc,an@tempfail.test,Sở Y tế\r\n",
        encoding="utf-8-sig",
    )
    env = {"MAILDAEMON_IMAP_PASSWORD": ms.password}
    run_cli(tmp_path, env, "db", "init")
    run_cli(tmp_path, env, "campaign", "create", str(tmp_path / "camp.toml"))
    run_cli(tmp_path, env, "import", "soft-cli", str(tmp_path / "roster.csv"))

    deadline = time.monotonic() + 60
    while True:  # the first run sends; the DSN for the full mailbox arrives a moment later
        run_cli(tmp_path, env, "run", "--once")
        bounces = [json.loads(line) for line in run_cli(tmp_path, env, "inbound", "--json").splitlines()]
        if bounces:
            break
        assert time.monotonic() < deadline, "the full mailbox's DSN did not arrive"
    assert [(b["kind"], b["reason"], b["respondent"]) for b in bounces] == [
        ("bounce", "mailboxfull", "full@khanhhoa.test")
    ]

    report = run_cli(tmp_path, env, "report", "soft-cli", "--format", "table")
    full = next(line for line in report.splitlines() if "full@khanhhoa.test" in line)
    temp = next(line for line in report.splitlines() if "an@tempfail.test" in line)
    assert "đang gửi lại" in full and "dọn hộp thư" in full
    assert "đang gửi lại" in temp and "Chờ gửi lại" in temp
    assert "Sửa địa chỉ thư" not in report  # nobody is told to correct a good address
    assert "Gửi thất bại" not in full + temp  # (it is a column header of the agency table)
    english = run_cli(tmp_path, env, "report", "soft-cli", "--format", "table", "--lang", "en")
    assert "clean up the mailbox" in english and "Fix the address" not in english

    events = [
        json.loads(line)
        for line in run_cli(tmp_path, env, "events", "--campaign", "soft-cli", "--json").splitlines()
    ]
    temp_events = [e for e in events if e.get("email") == "an@tempfail.test"]
    assert any(e["field"] == "outbox" and e["new"] == "deferred" for e in temp_events)
    assert any(e["field"] == "delivery" and e["new"] == "deferred" for e in temp_events)
    assert not any(e["new"] in ("failed", "bounced") for e in events)
