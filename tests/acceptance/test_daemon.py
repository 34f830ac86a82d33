"""The daemon as a service: a subprocess on the real mail stack, with systemd's notify socket; it
sends what is due, drains on SIGTERM, reloads on SIGHUP, and refuses a second daemon on one SQLite."""

from __future__ import annotations

import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.cli import stack_config
from tests.support.factories import campaign_text
from tests.support.mailstack import MailStack


def _config(tmp: Path, ms: MailStack, imap_user: str) -> Path:
    path = tmp / "md.toml"
    tail = "[loops]\nplanner_interval_s = 1.0\nsender_interval_s = 1.0\n"
    path.write_text(stack_config(ms, imap_user, smtp_auth=True, imap="poll_interval_s = 1.0\n", tail=tail),
                    encoding="utf-8")  # fmt: skip
    return path


def _recv_until(sock: socket.socket, wanted: bytes, deadline: float) -> list[bytes]:
    got: list[bytes] = []
    while time.monotonic() < deadline:
        sock.settimeout(max(0.1, deadline - time.monotonic()))
        try:
            got.append(sock.recv(4096))
        except TimeoutError:
            break
        if wanted in got[-1]:
            return got
    raise AssertionError(f"no {wanted!r} from the daemon; got {got}")


def test_service_lifecycle(mailstack: MailStack, mailbox_user: object, tmp_path: Path) -> None:
    recipient = mailbox_user()  # type: ignore[operator]
    watched = mailbox_user()  # type: ignore[operator]
    cfg = _config(tmp_path, mailstack, watched)
    now = datetime.now(UTC)
    camp = tmp_path / "camp.toml"
    window = 'weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\nstart = "00:00"\nend = "24:00"'
    camp.write_text(campaign_text("svc", opens=now - timedelta(hours=1), closes=now + timedelta(days=5),
                                  window=window), encoding="utf-8")  # fmt: skip
    roster = tmp_path / "r.csv"
    roster.write_text(
        f"Họ và tên,Thư điện tử,Cơ quan/đơn vị\nNguyễn Văn An,{recipient},Sở Nội vụ\n", encoding="utf-8"
    )
    env = {**os.environ, "MAILDAEMON_IMAP_PASSWORD": mailstack.password,
           "MAILDAEMON_SMTP_PASSWORD": mailstack.password}  # fmt: skip
    base = [sys.executable, "-m", "maildaemon", "--config", str(cfg)]
    for args in (["campaign", "create", str(camp)], ["import", "svc", str(roster)]):
        subprocess.run(base + args, env=env, check=True, capture_output=True, timeout=60)
    notify = tmp_path / "notify.sock"
    with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM) as sock:
        sock.bind(str(notify))
        proc = subprocess.Popen(base + ["--log-format", "journal", "run"], env={**env, "NOTIFY_SOCKET": str(notify)},
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            _recv_until(sock, b"READY=1", time.monotonic() + 60)
            second = subprocess.run(base + ["run"], env=env, capture_output=True, text=True, timeout=60)
            assert second.returncode == 1 and "another maildaemon is running" in second.stderr
            asyncio_run_wait(mailstack, recipient)
            proc.send_signal(signal.SIGHUP)
            proc.send_signal(signal.SIGTERM)
            _recv_until(sock, b"STOPPING=1", time.monotonic() + 60)
            out, err = proc.communicate(timeout=90)
        finally:
            if proc.poll() is None:
                proc.kill()
    assert proc.returncode == 0, err
    assert "daemon.stopped" in err and "<6>" in err  # journald priorities, no timestamps
    status = subprocess.run(base + ["status", "svc", "--no-probe"], env=env, capture_output=True, text=True,
                            timeout=60, check=True)  # fmt: skip
    assert "svc" in status.stdout and " 1 " in status.stdout
    # the passwords (SMTP AUTH and IMAP LOGIN were used) appear in no output, event or config dump
    outputs = [out, err, status.stdout, status.stderr]
    for args in (["events", "--json"], ["config", "check", "--json"], ["inbound", "--json"]):
        done = subprocess.run(base + args, env=env, capture_output=True, text=True, timeout=60, check=True)
        outputs += [done.stdout, done.stderr]
    password = re.compile(rf"(?<![\w]){re.escape(mailstack.password)}(?![\w])")
    for text in outputs:
        assert not password.search(text.replace("completion_secret", "")), text[:500]


def asyncio_run_wait(ms: MailStack, user: str) -> None:
    import asyncio

    got = asyncio.run(ms.wait_for_messages(user, 1, timeout=60))
    assert b"X-Survey-Token:" in got[0]


@pytest.mark.parametrize("size", [120])
def test_demo_short(mailstack: MailStack, tmp_path: Path, size: int) -> None:
    proc = subprocess.run([sys.executable, "-m", "maildaemon", "demo", "--state", str(tmp_path / "demo"),
                           "--size", str(size), "--wait", "90"],
                          capture_output=True, text=True, timeout=600, check=False)  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    out = proc.stdout
    assert "HTML report:" in out and "Tỉnh Khánh Hòa" in out and "_province" not in out
    html = (tmp_path / "demo" / "bao-cao-khao-sat.html").read_text(encoding="utf-8")
    assert "Sở Nội vụ" in html and "Tỷ lệ phản hồi" in html
    assert "completions recorded through the link" in out
    # the console tells the story in a few dozen lines (the status tree takes 25 of them); the daemon's log
    # lines go to a file
    assert len(out.splitlines()) <= 70 and " INFO " not in out + proc.stderr
    assert "mail.sent" in (tmp_path / "demo" / "demo.log").read_text(encoding="utf-8") or "sender.batch" in (
        tmp_path / "demo" / "demo.log").read_text(encoding="utf-8")  # fmt: skip
    # IT's side: with the stack's DNS the checker sees the domains (no "no-domain"), and the full
    # mailbox the relay accepted is not called a missing domain
    it = next(ln for ln in out.splitlines() if ln.strip().startswith("check:"))
    assert "accepted" in it and "no-domain" not in it
    diag = next(ln for ln in out.splitlines() if ln.strip().startswith("diagnose full@khanhhoa.test"))
    assert "không tồn tại" not in diag and "đầy" in diag
    # the focal points got their lists on day 3, as the database and SNV's focal mailbox (over IMAP) show
    focal = re.search(r"focal digests: (\d+) agencies' focal points got their lists \(SNV, read back from "
                      r"daumoi@snv\.khanhhoa\.test: (\d+) not answered, (\d+) bounced", out)  # fmt: skip
    assert focal is not None, out
    assert int(focal[1]) == 40 and int(focal[2]) > 0, focal[0]  # every agency has a focal point in the roster
    # the console accounts: generated passwords in a file only its owner reads, printed once
    accounts = tmp_path / "demo" / "console-accounts.txt"
    assert accounts.stat().st_mode & 0o777 == 0o600
    creds = dict(ln.split()[:2] for ln in accounts.read_text(encoding="utf-8").splitlines()[1:])
    assert set(creds) == {"admin", "cchc.snv", "daumoi.snv", "it.khanhhoa"}
    assert all(out.count(pw) == 1 for pw in creds.values())
    # every "explore it" hint runs exactly as printed, from another directory
    hints = out.split("Explore it:", 1)[1].strip().split("\n\n", 1)[0].splitlines()
    assert len(hints) >= 6
    for line in hints:
        done = subprocess.run(shlex.split(line.strip()), capture_output=True, text=True, timeout=120, check=False,
                              cwd=tmp_path)  # fmt: skip
        assert done.returncode == 0, (line, done.stdout[-2000:], done.stderr[-2000:])
        assert done.stdout.strip() and "Traceback" not in done.stderr, line
        if " diagnose " in line:
            assert "tên miền không tồn tại" not in done.stdout and "Hộp thư người nhận đã đầy" in done.stdout
        if " check " in line:  # every domain seen through the stack's DNS: no "no such domain"
            assert "không có tên miền" not in done.stdout and "nhận" in done.stdout
    # the console: the printed command serves it (not among the hints: it runs until stopped); /login answers
    console = out.split("Open the console", 1)[1].splitlines()
    command, url = console[1].strip(), re.search(r"http://127\.0\.0\.1:\d+/", console[2])
    assert command.endswith(" web") and url is not None and "daumoi.snv" in console[2]
    _console_answers(command, url[0], tmp_path)


def _console_answers(command: str, url: str, cwd: Path) -> None:
    """Start the console as printed, wait for its "console on" line, GET /login, stop it with SIGTERM."""
    import selectors
    import urllib.request

    with subprocess.Popen(shlex.split(command), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                          cwd=cwd) as proc:  # fmt: skip
        try:
            assert proc.stdout is not None and proc.stderr is not None
            with selectors.DefaultSelector() as sel:
                sel.register(proc.stdout, selectors.EVENT_READ)
                deadline, line = time.monotonic() + 60, ""
                while "console on" not in line:
                    left = deadline - time.monotonic()
                    assert left > 0 and sel.select(timeout=left), "no 'console on' line from the console"
                    line = proc.stdout.readline()
                    assert line or proc.poll() is None, proc.stderr.read()
            assert url in line, line
            with urllib.request.urlopen(url + "login", timeout=30) as resp:  # noqa: S310 -- our loopback console
                assert resp.status == 200 and "<form" in resp.read().decode("utf-8")
            proc.send_signal(signal.SIGTERM)
            assert proc.wait(timeout=60) == 0
        finally:
            if proc.poll() is None:
                proc.kill()
