"""The operator's correction loop as a user runs it (issue 16): the invitation to an unknown user
hard-bounces through the real Postfix, the DSN is read back by `run --once`, `respondent correct`
gives the person a real mailbox, and the next run delivers the invitation there exactly once; the
old address gets nothing more and the report counts the person once. With the bad input around it.
Before a correction the new mailbox is checked under [checker] (the test DNS points khanhhoa.test at
the stack's Postfix, which answers RCPT as a real MX): a mailbox that cannot exist is refused."""

from __future__ import annotations

import asyncio
import csv
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.support.cli import checker_config, stack_config
from tests.support.factories import campaign_text
from tests.support.mailstack import MailStack
from tests.support.testdns import DnsServer

WINDOW = 'weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\nstart = "00:00"\nend = "24:00"'


def _setup(
    tmp: Path, ms: MailStack, watched: str, people: list[tuple[str, str, str, str]], dns: DnsServer
) -> Callable[..., Any]:
    checker = checker_config(ms, dns.nameservers[0])
    (tmp / "md.toml").write_text(
        stack_config(ms, watched, smtp_auth=True, imap="", tail=checker), encoding="utf-8"
    )
    now = datetime.now(UTC)
    wlocal, wdomain = watched.split("@")
    text = campaign_text("sua-dia-chi", opens=now - timedelta(hours=1), closes=now + timedelta(days=5),
                         window=WINDOW, bounce_domain=wdomain)  # fmt: skip
    (tmp / "camp.toml").write_text(
        text.replace("[sender]", f'[sender]\nbounce_prefix = "{wlocal}"'), encoding="utf-8"
    )
    lines = ["Họ và tên,Thư điện tử,Cơ quan/đơn vị,Mã đơn vị"] + [f"{n},{e},{a},{c}" for n, e, a, c in people]
    (tmp / "ds.csv").write_text("\r\n".join(lines) + "\r\n", encoding="utf-8-sig")
    env = {**os.environ, "MAILDAEMON_IMAP_PASSWORD": ms.password, "MAILDAEMON_SMTP_PASSWORD": ms.password}

    def run(*args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([sys.executable, "-m", "maildaemon", "--config", str(tmp / "md.toml"), *args],
                              capture_output=True, text=True, env=env, timeout=180, check=False)  # fmt: skip
        assert proc.returncode == code, f"{args}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc

    run("campaign", "create", str(tmp / "camp.toml"))
    run("import", "sua-dia-chi", str(tmp / "ds.csv"))
    return run


def _until(what: str, check: Callable[[], bool], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"


def test_a_corrected_address_gets_the_invitation_once(
    mailstack: MailStack, mailbox_user: Any, test_dns: DnsServer, tmp_path: Path
) -> None:
    watched = mailbox_user(prefix="bouncebox")
    real, other = mailbox_user(prefix="tai"), mailbox_user(prefix="ha")
    local, domain = real.split("@")
    wrong = f"khongtontai.{local}@{domain}"  # the typo: no such mailbox on the real domain
    run = _setup(
        tmp_path,
        mailstack,
        watched,
        [("Vũ Minh Tài", wrong, "Sở Nội vụ", "SNV"), ("Nguyễn Thu Hà", other, "Sở Tài chính", "STC")],
        test_dns,
    )

    def show(who: str) -> dict[str, Any]:
        return json.loads(run("respondent", "show", who, "--campaign", "sua-dia-chi", "--json").stdout)  # type: ignore[no-any-return]

    # the invitation goes out; Postfix bounces it with a real DSN, which a later run reads back
    _until(
        "the hard bounce",
        lambda: (run("run", "--once"), show(wrong)["respondent"]["delivery"] == "bounced")[1],
        150,
    )
    before = show(wrong)["respondent"]
    assert (before["reason"], before["hard_bounce"]) == ("userunknown", True)
    page = run("respondent", "show", wrong, "--campaign", "sua-dia-chi").stdout
    assert "Bị trả lại" in page and "Sở Nội vụ" in page and "Asia/Ho_Chi_Minh" in page

    # bad input: nothing half-done, each message names the person or address
    refused = run("resend", "sua-dia-chi", "--email", wrong, code=3)
    assert "correct it first" in refused.stderr and wrong in refused.stderr
    assert "invalid email address" in run("respondent", "correct", wrong, "tai@@x", code=3).stderr
    used = run("respondent", "correct", wrong, other, "--campaign", "sua-dia-chi", code=3)
    assert f"{other} is already the address of respondent" in used.stderr
    assert "nobody@khanhhoa.test" in run("respondent", "exclude", "nobody@khanhhoa.test", "--reason", "x",
                                         "--campaign", "sua-dia-chi", code=4).stderr  # fmt: skip
    assert show(wrong)["respondent"]["delivery"] == "bounced"

    out = run("respondent", "correct", wrong, real, "--campaign", "sua-dia-chi", "--by", "Lê Thị Lan").stdout
    assert "queued again" in out and "mailbox check: accepted" in out
    after = show(real)
    assert (after["respondent"]["id"], after["respondent"]["token"]) == (before["id"], before["token"])
    assert any(
        "address corrected by Lê Thị Lan" in e["detail"] and "mailbox check: accepted" in e["detail"]
        for e in after["events"]
    )

    run("run", "--once")
    got = asyncio.run(mailstack.wait_for_messages(real, 1, timeout=60))
    assert f"X-Survey-Token: {before['token']}".encode() in got[0]
    bounces = mailstack.count(watched)
    run("run", "--once")
    run("run", "--once")
    # exactly once (at most: a concurrent test's `mailstack clear` may empty the shared stack's mailboxes)
    assert mailstack.count(real) <= 1
    final = show(real)
    assert final["respondent"]["delivery"] == "sent"
    assert [(o["kind"], o["state"]) for o in final["outbox"]] == [("invitation", "sent")]
    assert mailstack.count(watched) <= bounces  # no new bounce: nothing more went to the old address
    # (the other person's mailbox is not read: a concurrent test's `mailstack clear` may empty it)
    assert show(other)["respondent"]["delivery"] == "sent"
    # sent twice in all: once to the old address (bounced), once to the new one
    assert [
        e["detail"].split(":")[0]
        for e in final["events"]
        if e["field"] == "outbox" and e["new_value"] == "sent"
    ] == ["invitation", "invitation"]

    report = run("report", "sua-dia-chi", "--format", "csv", "--lang", "en").stdout
    rows = {r["Code"]: r for r in csv.DictReader(io.StringIO(report.lstrip("\ufeff")))}
    assert (rows["SNV"]["Respondents"], rows["SNV"]["Invited"], rows["SNV"]["Bounced"]) == ("1", "1", "0")
    assert sum(int(r["Respondents"]) for code, r in rows.items() if code in ("SNV", "STC")) == 2


def _checks(tmp: Path) -> list[tuple[str, str, str | None, int | None]]:
    """The recorded mailbox checks (address, result, reason, respondent id), oldest first."""
    with sqlite3.connect(tmp / "state" / "maildaemon.db") as db:
        return db.execute("SELECT address, result, reason, respondent_id FROM checks ORDER BY id").fetchall()


def test_a_correction_checks_the_new_mailbox_first(
    mailstack: MailStack, mailbox_user: Any, test_dns: DnsServer, tmp_path: Path
) -> None:
    watched = mailbox_user(prefix="bouncebox")
    first, real = mailbox_user(prefix="hoa"), mailbox_user(prefix="hoa")
    local, domain = real.split("@")
    run = _setup(tmp_path, mailstack, watched, [("Trần Thị Hoa", first, "Sở Y tế", "SYT")], test_dns)

    def show(who: str) -> dict[str, Any]:
        return json.loads(run("respondent", "show", who, "--campaign", "sua-dia-chi", "--json").stdout)  # type: ignore[no-any-return]

    pid = show(first)["respondent"]["id"]
    # an unknown user on a real domain: Postfix refuses RCPT with 550 5.1.1; nothing changes
    unknown = f"khongco.{local}@{domain}"
    refused = run("respondent", "correct", first, unknown, "--campaign", "sua-dia-chi", code=3).stderr
    assert f"{unknown} cannot receive mail: the receiving server says the mailbox does not exist" in refused
    assert "userunknown" in refused and "550" in refused and "--anyway" in refused and "--no-check" in refused
    # a domain nobody serves: refused for the domain
    nowhere = f"{local}@khong-co-ten-mien.test"
    refused = run("respondent", "correct", first, nowhere, "--campaign", "sua-dia-chi", code=3).stderr
    assert f"{nowhere} cannot receive mail: its domain does not exist" in refused
    person = show(first)
    assert person["respondent"]["email"] == first and person["respondent"]["delivery"] == "new"
    assert not any("corrected" in (e["detail"] or "") for e in person["events"])
    # the refused checks are kept in the addresses' history, tied to nobody
    assert _checks(tmp_path) == [
        (unknown, "rejected", "userunknown", None),
        (nowhere, "no-domain", None, None),
    ]

    # a mail host that does not answer proves nothing: corrected, and said so
    silent = f"{local}@down.probe.test"
    out = run("respondent", "correct", first, silent, "--campaign", "sua-dia-chi", "--by", "Hương").stdout
    assert "mailbox check inconclusive (unreachable" in out and "corrected anyway" in out
    assert show(silent)["respondent"]["delivery"] == "new"  # nothing known against the address

    # the operator knows better: --anyway corrects although the check says no such mailbox; the check still
    # runs, and the event and the person's checks say what it found
    ghost = f"chuaco.{local}@{domain}"
    out = run(
        "respondent", "correct", silent, ghost, "--campaign", "sua-dia-chi", "--anyway", "--by", "Hương"
    ).stdout
    assert (
        "mailbox check overridden by the operator: the receiving server says the mailbox does not exist"
        in out
    )
    person = show(ghost)
    assert person["respondent"]["id"] == pid and person["respondent"]["delivery"] == "new"
    assert person["events"][-1]["detail"].startswith(
        f"address corrected by Hương: {silent} -> {ghost}; mailbox check overridden by the operator: the "
        "receiving server says the mailbox does not exist (rejected, userunknown 550 5.1.1 "
    )  # fmt: skip
    assert _checks(tmp_path)[-1] == (ghost, "rejected", "userunknown", pid)
    # --no-check corrects without asking anything (no network), and the event says so
    out = run(
        "respondent", "correct", ghost, unknown, "--campaign", "sua-dia-chi", "--no-check", "--by", "Hương"
    ).stdout
    assert "mailbox check skipped (--no-check)" in out
    person = show(unknown)
    assert person["respondent"]["id"] == pid and person["respondent"]["delivery"] == "new"
    assert person["events"][-1]["detail"] == (
        f"address corrected by Hương: {ghost} -> {unknown}; mailbox check skipped (--no-check)"
    )
    assert len(_checks(tmp_path)) == 4  # the skipped check recorded nothing

    # a real mailbox: corrected, and its check is the person's check result, as `maildaemon check` makes it
    done = json.loads(
        run("respondent", "correct", unknown, real, "--campaign", "sua-dia-chi", "--json").stdout
    )
    assert (done["new"], done["delivery"], done["check"]["outcome"], done["check"]["verdict"]) == (
        real, "checked_ok", "accepted", "ok",
    )  # fmt: skip
    assert _checks(tmp_path)[-1] == (real, "accepted", None, pid)
    events = show(real)["events"]
    assert "mailbox check: accepted" in events[-2]["detail"] and events[-1]["new_value"] == "checked_ok"
