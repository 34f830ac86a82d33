"""A corrected roster re-imported as an operator does (issue 16): each address it corrects has its mailbox
checked first, as `respondent correct` checks it, against the real stack (the test DNS points khanhhoa.test
at the stack's Postfix, which answers RCPT as a real MX). A mailbox that cannot exist leaves its row out, in
the rejects file with its line and why; a check that proves nothing lets the correction through and says
so; --no-check asks nothing; a good mailbox is corrected once, whatever the number of imports."""

from __future__ import annotations

import csv
import json
import os
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.support.cli import checker_config, stack_config
from tests.support.factories import campaign_text
from tests.support.mailstack import MailStack
from tests.support.testdns import DnsServer

HEADER = "STT,Mã cán bộ,Họ và tên,Thư điện tử,Cơ quan/đơn vị,Mã đơn vị"


class Cli:
    def __init__(self, tmp: Path, ms: MailStack) -> None:
        self.tmp = tmp
        self.env = {**os.environ, "MAILDAEMON_IMAP_PASSWORD": ms.password}

    def __call__(self, *args: str, code: int = 0) -> subprocess.CompletedProcess[str]:
        proc = subprocess.run([sys.executable, "-m", "maildaemon", "--config", str(self.tmp / "md.toml"), *args],
                              capture_output=True, text=True, env=self.env, timeout=180, check=False)  # fmt: skip
        assert proc.returncode == code, f"{args}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc

    def show(self, who: str) -> dict[str, Any]:
        return json.loads(self("respondent", "show", who, "--campaign", "doi-chieu", "--json").stdout)  # type: ignore[no-any-return]

    def checks(self) -> list[tuple[str, str, str | None, int | None]]:
        """The recorded mailbox checks (address, result, reason, respondent id), oldest first."""
        with sqlite3.connect(self.tmp / "state" / "maildaemon.db") as db:
            return db.execute(
                "SELECT address, result, reason, respondent_id FROM checks ORDER BY id"
            ).fetchall()


def _roster(path: Path, emails: list[str]) -> Path:
    rows = [f"{i},CB-{i:03d},Người số {i},{e},Sở Nội vụ,SNV" for i, e in enumerate(emails, start=1)]
    path.write_text("\r\n".join([HEADER, *rows]) + "\r\n", encoding="utf-8-sig")
    return path


def _setup(tmp: Path, ms: MailStack, watched: str, dns: DnsServer, emails: list[str]) -> Cli:
    checker = checker_config(ms, dns.nameservers[0])
    (tmp / "md.toml").write_text(stack_config(ms, watched, tail=checker), encoding="utf-8")
    now = datetime.now(UTC)
    wlocal, wdomain = watched.split("@")
    text = campaign_text("doi-chieu", opens=now - timedelta(hours=1), closes=now + timedelta(days=5),
                         bounce_domain=wdomain)  # fmt: skip
    (tmp / "camp.toml").write_text(
        text.replace("[sender]", f'[sender]\nbounce_prefix = "{wlocal}"'), encoding="utf-8"
    )
    cli = Cli(tmp, ms)
    cli("campaign", "create", str(tmp / "camp.toml"))
    cli("import", "doi-chieu", str(_roster(tmp / "ds.csv", emails)))
    return cli


def _rejects(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_a_reimport_checks_each_corrected_mailbox_first(
    mailstack: MailStack, mailbox_user: Any, test_dns: DnsServer, tmp_path: Path
) -> None:
    watched = mailbox_user(prefix="bouncebox")
    real = mailbox_user(prefix="moi")
    local, domain = real.split("@")
    first = [f"cu{i}.{local}@{domain}" for i in range(1, 7)]  # nothing is sent: these need no mailbox
    cli = _setup(tmp_path, mailstack, watched, test_dns, first)
    people = {a: cli.show(a)["respondent"] for a in first}
    events = {a: len(cli.show(a)["events"]) for a in first}

    unknown = f"khongco.{local}@{domain}"  # Postfix refuses RCPT: 550 5.1.1
    nowhere = f"{local}@khong-co-ten-mien.test"  # a domain nobody serves
    silent = [f"{local}.{i}@down.probe.test" for i in (3, 4)]  # a mail host that does not answer
    corrected = [unknown, nowhere, *silent, real, first[5]]
    started = time.monotonic()
    out = cli("import", "doi-chieu", str(_roster(tmp_path / "ds2.csv", corrected))).stdout
    took = time.monotonic() - started
    assert "imported 0, updated 3, unchanged 1, rejected 2" in out
    assert (
        "addresses corrected 3, refused by the mailbox check 2, let through on an inconclusive check 2" in out
    )
    assert (
        f"line 2: address not corrected: {unknown} cannot receive mail: the receiving server says the " in out
    )
    assert f"line 3: address not corrected: {nowhere} cannot receive mail: its domain does not exist" in out
    assert f"line 4: address {first[2]} -> {silent[0]}; mailbox check inconclusive (unreachable" in out
    assert f"line 6: address {first[4]} -> {real}; mailbox check: accepted" in out
    assert took < 60, f"the import's checks took {took:.0f}s"

    # the refused rows: in the rejects file with their line, why, and the row as in the file
    rows = _rejects(tmp_path / "ds2.rejects.csv")
    assert [r["line"] for r in rows] == ["2", "3"]
    assert (
        "userunknown" in rows[0]["reason"] and "550" in rows[0]["reason"] and "--anyway" in rows[0]["reason"]
    )
    assert rows[0]["raw"] == f"1,CB-001,Người số 1,{unknown},Sở Nội vụ,SNV"
    assert rows[1]["raw"].startswith("2,CB-002,") and "its domain does not exist" in rows[1]["reason"]
    # ... the people unchanged, not one event more; their checks kept in the addresses' history, tied to nobody
    for old in first[:2]:
        now = cli.show(old)
        assert now["respondent"]["email"] == old and now["respondent"]["delivery"] == "new"
        assert len(now["events"]) == events[old]
    checks = cli.checks()
    assert (unknown, "rejected", "userunknown", None) in checks
    assert (nowhere, "no-domain", None, None) in checks

    # a silent host proves nothing: corrected, and the event says so
    person = cli.show(silent[0])
    assert person["respondent"]["id"] == people[first[2]]["id"]
    assert person["respondent"]["delivery"] == "new"
    assert any(
        e["detail"].startswith(f"address corrected by import ds2.csv:4: {first[2]} -> {silent[0]}; mailbox check "
                               "inconclusive (unreachable")
        for e in person["events"]
    )  # fmt: skip
    # a real mailbox: corrected, its check the person's, as `maildaemon check` makes it
    pid = people[first[4]]["id"]
    person = cli.show(real)
    assert (person["respondent"]["id"], person["respondent"]["delivery"]) == (pid, "checked_ok")
    assert (real, "accepted", None, pid) in checks
    assert any("mailbox check: accepted" in e["detail"] for e in person["events"])
    assert any(e["field"] == "delivery" and e["new_value"] == "checked_ok" for e in person["events"])

    # the same file again: nothing to correct, nothing probed, the good mailbox corrected once
    seen = len(person["events"])
    again = json.loads(cli("import", "doi-chieu", str(tmp_path / "ds2.csv"), "--json").stdout)
    assert (again["corrected"], again["corrections_refused"], again["rejected"]) == (0, 2, 2)
    assert len(cli.checks()) == len(checks) + 2  # only the refused unknown user and domain asked again
    assert len(cli.show(real)["events"]) == seen

    # offline: --no-check corrects without asking anything, and the event says so
    n = len(cli.checks())
    out = cli("import", "doi-chieu", str(tmp_path / "ds2.csv"), "--no-check").stdout
    assert "addresses corrected 2, refused by the mailbox check 0" in out
    assert len(cli.checks()) == n
    person = cli.show(unknown)
    assert person["respondent"]["id"] == people[first[0]]["id"]
    assert (
        f"address corrected by import ds2.csv:2: {first[0]} -> {unknown}; mailbox check skipped (--no-check)"
        in [e["detail"] for e in person["events"]]
    )
    assert not (tmp_path / "ds2.rejects.csv").exists()
