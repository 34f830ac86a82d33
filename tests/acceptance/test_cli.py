"""The CLI as a user runs it: a subprocess per command, on a config file in a temporary directory."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.factories import campaign_text
from tests.unit.test_roster import cp1258_excel

PASSWORDS = {"MAILDAEMON_SMTP_PASSWORD": "smtp-Secr3t-9f2", "MAILDAEMON_IMAP_PASSWORD": "imap-Secr3t-7c1"}


def run(
    tmp: Path, *args: str, check: bool = True, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **PASSWORDS, **(env or {})}
    proc = subprocess.run([sys.executable, "-m", "maildaemon", "--config", str(tmp / "md.toml"), *args],
                          capture_output=True, text=True, env=full_env, timeout=120, check=False)  # fmt: skip
    if check and proc.returncode != 0:
        raise AssertionError(f"exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    for secret in PASSWORDS.values():
        assert secret not in proc.stdout + proc.stderr
    return proc


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    (tmp_path / "md.toml").write_text(
        '[daemon]\nstate_dir = "state"\nallow_test_domains = true\n[smtp]\nhost = "127.0.0.1"\nport = 1\n'
        'username = "khaosat"\n',
        encoding="utf-8",
    )
    (tmp_path / "camp.toml").write_text(campaign_text("cli-camp"), encoding="utf-8")
    roster = "STT;Họ và tên;Thư điện tử;Chức vụ;Cơ quan/đơn vị;Mã đơn vị\r\n"
    roster += "1;Nguyễn Thị Thu Hà;ha.ntt@snv.khanhhoa.test;Chuyên viên;Sở Nội vụ;SNV\r\n"
    roster += "2;Trần Văn Đức;duc.tv@stc.khanhhoa.test;Phó Giám đốc;Sở Tài chính;STC\r\n"
    roster += "3;Lê Văn Hỏng;hong@;Chuyên viên;Sở Tài chính;STC\r\n"
    # what Excel writes as "CSV" on a Vietnamese Windows: code page 1258, decomposed tones
    (tmp_path / "roster.csv").write_bytes(cp1258_excel(roster))
    return tmp_path


def test_campaign_import_status_events(tmp: Path) -> None:
    run(tmp, "db", "init")
    assert "created" in run(tmp, "campaign", "create", str(tmp / "camp.toml")).stdout
    out = run(tmp, "import", "cli-camp", str(tmp / "roster.csv")).stdout
    assert "imported 2, updated 0, unchanged 0, rejected 1" in out and "line 4" in out
    rejects = (tmp / "roster.rejects.csv").read_text(encoding="utf-8-sig")
    assert "Lê Văn Hỏng" in rejects
    assert (
        "imported 0, updated 0, unchanged 2, rejected 1"
        in run(tmp, "import", "cli-camp", str(tmp / "roster.csv")).stdout
    )
    status = json.loads(run(tmp, "status", "cli-camp", "--json", "--no-probe").stdout)
    names = {a["name"] for a in status["agencies"]}
    assert {"Sở Nội vụ", "Sở Tài chính"} <= names
    table = run(tmp, "status", "cli-camp", "--no-probe").stdout
    assert "Sở Tài chính" in table and "Tổng" in table and "(ICT, UTC+7)" in table
    events = [
        json.loads(line)
        for line in run(tmp, "events", "--campaign", "cli-camp", "--json").stdout.splitlines()
    ]
    assert sum(1 for e in events if e["new"] == "new") == 2
    everything = [json.loads(line) for line in run(tmp, "events", "--json").stdout.splitlines()]
    last_two = [json.loads(line) for line in run(tmp, "events", "--last", "2", "--json").stdout.splitlines()]
    assert [e["id"] for e in last_two] == [e["id"] for e in everything[-2:]]
    assert status["health"]["last_event"] is not None and status["health"]["last_imap_poll"] is None
    assert "paused" in run(tmp, "campaign", "pause", "cli-camp").stdout
    assert json.loads(run(tmp, "campaign", "show", "cli-camp", "--json").stdout)["paused"] is True
    preview = run(tmp, "preview", "cli-camp", "ha.ntt@snv.khanhhoa.test").stdout
    assert "Kính gửi" in preview and "Nguyễn Thị Thu Hà" in preview


def test_config_check_redacts(tmp: Path) -> None:
    out = run(tmp, "config", "check", "--json").stdout
    data = json.loads(out)
    assert data["smtp"]["password"] == "***" and data["imap"]["password"] == "***"


def test_bad_inputs_exit_non_zero_with_one_clear_line(tmp: Path) -> None:
    (tmp / "bad.toml").write_text("[smtp]\nprot = 25\n")
    bad = subprocess.run([sys.executable, "-m", "maildaemon", "--config", str(tmp / "bad.toml"), "config", "check"],
                         capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert bad.returncode == 2 and "smtp.prot" in bad.stderr and str(tmp / "bad.toml") in bad.stderr
    assert "Traceback" not in bad.stderr
    run(tmp, "db", "init")
    missing = run(tmp, "import", "nope", str(tmp / "roster.csv"), check=False)
    assert missing.returncode == 4 and "no campaign named 'nope'" in missing.stderr
    run(tmp, "campaign", "create", str(tmp / "camp.toml"))
    (tmp / "empty.csv").write_text("Họ và tên,Thư điện tử\n", encoding="utf-8")
    empty = run(tmp, "import", "cli-camp", str(tmp / "empty.csv"), check=False)
    assert empty.returncode == 3 and "no data rows" in empty.stderr and "Traceback" not in empty.stderr
    (tmp / "pg.toml").write_text('[daemon]\ndatabase_url = "postgresql://nobody:pw-x@127.0.0.1:1/none"\n')
    down = subprocess.run([sys.executable, "-m", "maildaemon", "--config", str(tmp / "pg.toml"), "db", "init"],
                          capture_output=True, text=True, timeout=60, check=False)  # fmt: skip
    assert down.returncode == 1 and "cannot reach database" in down.stderr and "pw-x" not in down.stderr
    assert "Traceback" not in down.stderr


def test_classify_json(tmp: Path) -> None:
    from tests.support.mails import postfix_dsn

    (tmp / "b.eml").write_bytes(postfix_dsn("a" * 26, "ghost@khanhhoa.test"))
    out = json.loads(run(tmp, "classify", "--json", str(tmp / "b.eml")).stdout)
    assert out["kind"] == "bounce" and out["recipients"] == ["ghost@khanhhoa.test"] and out["hard"] is True
    assert set(out) >= {
        "file",
        "kind",
        "recipients",
        "reason",
        "hard",
        "status",
        "remote_mta",
        "diagnostic",
        "verdicts",
    }
