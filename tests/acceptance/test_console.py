"""The console's commands as an operator runs them: `maildaemon user ...` (passwords on stdin, never
echoed), `maildaemon web` serving the console alone, and `maildaemon run` serving it with [web] enabled."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.factories import campaign_text

SECRET = "Mat-khau-Rat-Dai-2026"


def md(tmp: Path, *args: str, stdin: str = "", check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run([sys.executable, "-m", "maildaemon", "--config", str(tmp / "md.toml"), *args],
                          input=stdin, capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
    assert SECRET not in proc.stdout + proc.stderr
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    port = free_port()
    (tmp_path / "md.toml").write_text(
        f'[daemon]\nstate_dir = "state"\nallow_test_domains = true\n[smtp]\nhost = "127.0.0.1"\nport = 1\n'
        f'[web]\nlisten = "127.0.0.1:{port}"\n', encoding="utf-8",
    )  # fmt: skip
    (tmp_path / "camp.toml").write_text(campaign_text("cli-camp"), encoding="utf-8")
    roster = "STT,Họ và tên,Thư điện tử,Chức vụ,Cơ quan/đơn vị,Mã đơn vị\r\n"
    roster += "1,Nguyễn Thị Thu Hà,ha.ntt@snv.khanhhoa.test,Chuyên viên,Sở Nội vụ,SNV\r\n"
    roster += "2,Trần Văn Đức,duc.tv@stc.khanhhoa.test,Phó Giám đốc,Sở Tài chính,STC\r\n"
    (tmp_path / "roster.csv").write_text(roster, encoding="utf-8-sig")
    md(tmp_path, "db", "init")
    md(tmp_path, "campaign", "create", str(tmp_path / "camp.toml"))
    md(tmp_path, "import", "cli-camp", str(tmp_path / "roster.csv"))
    return tmp_path


def test_user_commands(tmp: Path) -> None:
    assert (
        "added (admin)"
        in md(tmp, "user", "add", "Admin", "--role", "admin", "--password-stdin", stdin=SECRET).stdout
    )
    md(tmp, "user", "add", "dm.snv", "--role", "focal", "--campaign", "cli-camp", "--agency", "SNV",
       "--name", "Nguyễn Thị Thu Hà", "--password-stdin", stdin=SECRET + "\n")  # fmt: skip
    bad = {
        ("xx", "--role", "focal", "--campaign", "cli-camp"): "needs --agency",
        ("yy", "--role", "focal", "--campaign", "cli-camp", "--agency", "NOPE"): "no agency with code 'NOPE'",
        ("zz", "--role", "operator", "--campaign", "khong-co"): "khong-co",
        ("admin", "--role", "admin"): "exists already",
        ("có dấu", "--role", "admin"): "no spaces or accents",
    }
    for args, message in bad.items():
        proc = md(tmp, "user", "add", *args, "--password-stdin", stdin=SECRET, check=False)
        assert proc.returncode != 0 and message in proc.stderr, (args, proc.stderr)
    short = md(tmp, "user", "add", "ww", "--role", "it", "--password-stdin", stdin="ngan", check=False)
    assert short.returncode != 0 and "at least 10 characters" in short.stderr
    users = {u["username"]: u for u in json.loads(md(tmp, "user", "list", "--json").stdout)}
    assert set(users) == {"admin", "dm.snv"}
    assert (users["dm.snv"]["role"], users["dm.snv"]["agency"], users["dm.snv"]["name"]) == (
        "focal",
        "SNV",
        "Nguyễn Thị Thu Hà",
    )
    md(tmp, "user", "passwd", "dm.snv", "--password-stdin", stdin=SECRET + "-moi")
    assert "disabled" in md(tmp, "user", "disable", "dm.snv").stdout
    assert "disabled" in md(tmp, "user", "list").stdout
    assert (
        md(tmp, "user", "passwd", "khong-co", "--password-stdin", stdin=SECRET, check=False).returncode != 0
    )


@pytest.fixture
def served(tmp: Path) -> Iterator[tuple[Path, str, subprocess.Popen[str]]]:
    md(tmp, "user", "add", "dm.snv", "--role", "focal", "--agency", "SNV", "--password-stdin", stdin=SECRET)
    proc = subprocess.Popen([sys.executable, "-m", "maildaemon", "--config", str(tmp / "md.toml"), "web"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy())  # fmt: skip
    assert proc.stdout is not None
    line = proc.stdout.readline()  # printed once listening
    assert line.startswith("console on http://127.0.0.1:"), line + (proc.stderr.read() if proc.stderr else "")
    try:
        yield tmp, line.split()[2].rstrip("/"), proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
        for pipe in (proc.stdout, proc.stderr):
            if pipe is not None:
                pipe.close()


def _sign_in(client: httpx.Client, user: str, password: str) -> httpx.Response:
    import re

    page = client.get("/login")
    token = re.search(r'name="csrf" value="([^"]+)"', page.text)
    assert token
    return client.post("/login", data={"csrf": token.group(1), "username": user, "password": password})


def test_web_command_serves_the_console_alone_and_stops_on_sigterm(
    served: tuple[Path, str, subprocess.Popen[str]],
) -> None:
    _, url, proc = served
    with httpx.Client(base_url=url, timeout=10) as client:
        assert "Đăng nhập" in client.get("/login").text
        assert _sign_in(client, "dm.snv", SECRET).status_code == 303
        page = client.get("/c/cli-camp").text
        assert "Sở Nội vụ" in page and "Sở Tài chính" not in page
    proc.send_signal(signal.SIGTERM)
    assert proc.wait(20) == 0


def test_daemon_serves_the_console_when_enabled(tmp: Path) -> None:
    cfg = tmp / "md.toml"
    cfg.write_text(
        cfg.read_text(encoding="utf-8").replace("[web]\n", "[web]\nenabled = true\n"), encoding="utf-8"
    )
    url = "http://" + cfg.read_text(encoding="utf-8").split('listen = "')[1].split('"')[0]
    proc = subprocess.Popen([sys.executable, "-m", "maildaemon", "--config", str(cfg), "run"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, text=True)  # fmt: skip
    try:
        deadline, answer = time.monotonic() + 30, None
        while time.monotonic() < deadline and proc.poll() is None and answer is None:
            try:
                answer = httpx.get(url + "/login", timeout=2)
            except httpx.TransportError:
                time.sleep(0.1)  # the daemon is still starting: poll the condition until the deadline
        assert answer is not None and answer.status_code == 200 and "Đăng nhập" in answer.text
        assert answer.headers["content-security-policy"].startswith("default-src 'self'")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(60)
