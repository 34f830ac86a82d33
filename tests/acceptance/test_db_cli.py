"""`maildaemon db ...` as an operator runs it: upgrade of a pre-migration database, the version check
that stops the daemon, backup and restore."""

from __future__ import annotations

import asyncio
import json
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from tests.acceptance.test_cli import run
from tests.support.dbstate import build_v1, fill_demo
from tests.support.factories import campaign_text
from tests.support.relay import _TOKEN, free_port

WINDOW = 'weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\nstart = "00:00"\nend = "24:00"'


@pytest.fixture
def tmp(tmp_path: Path) -> Path:
    (tmp_path / "md.toml").write_text(
        '[daemon]\nstate_dir = "state"\nallow_test_domains = true\n[smtp]\nhost = "127.0.0.1"\nport = 1\n',
        encoding="utf-8",
    )
    return tmp_path


def _v1_database(path: Path) -> None:
    async def build() -> None:
        store = await build_v1(f"sqlite+aiosqlite:///{path}")
        try:
            await fill_demo(store, respondents=12)
        finally:
            await store.close()

    asyncio.run(build())


def test_upgrade_recognises_a_pre_migration_database_and_run_refuses_a_newer_one(tmp: Path) -> None:
    db = tmp / "state" / "maildaemon.db"
    _v1_database(db)
    out = run(tmp, "db", "upgrade").stdout
    assert "recognised existing schema as version 1" in out
    assert "schema already at version" in run(tmp, "db", "upgrade").stdout
    run(tmp, "db", "check")
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0999'")
    proc = run(tmp, "run", "--once", check=False)
    assert proc.returncode == 1
    assert "schema version 999, newer than this maildaemon" in proc.stderr
    proc = run(tmp, "db", "upgrade", check=False)
    assert proc.returncode == 1 and "newer than this maildaemon knows" in proc.stderr


class GatedRelay:
    """Accepts the first ``open_for`` messages at once, then holds each DATA until ``gate`` opens."""

    def __init__(self, open_for: int) -> None:
        self.open_for = open_for
        self.gate = threading.Event()
        self.tokens: Counter[str] = Counter()
        self.held = 0
        self._lock = threading.Lock()

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        with self._lock:
            first = sum(self.tokens.values()) + self.held < self.open_for
            if not first:
                self.held += 1
        if not first:
            await asyncio.get_running_loop().run_in_executor(None, self.gate.wait, 120)
        m = _TOKEN.search(envelope.original_content or b"")
        with self._lock:
            self.tokens[m.group(1).decode() if m else "?"] += 1
            if not first:
                self.held -= 1
        return "250 2.0.0 Ok: queued"


def _until(what: str, cond: Callable[[], bool], limit_s: float = 60) -> None:
    deadline = time.monotonic() + limit_s
    while not cond():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.05)  # polling a condition the daemon process changes


def _sent(db: Path) -> int:
    with sqlite3.connect(db, timeout=30) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM outbox WHERE state = 'sent'").fetchone()[0])


def _left(tmp: Path) -> int:
    states = json.loads(run(tmp, "status", "--json", "--no-probe").stdout)["health"]["queue"]["states"]
    return sum(v for k, v in states.items() if k in ("queued", "leased", "deferred"))


def test_backup_while_sending_then_restore_resends_only_what_the_backup_had_not_recorded(tmp: Path) -> None:
    n = 30
    relay = GatedRelay(open_for=12)
    port = free_port()
    controller = Controller(relay, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        (tmp / "md.toml").write_text(
            '[daemon]\nstate_dir = "state"\nallow_test_domains = true\n'
            f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\nbatch_size = 5\nrecord_every = 1\n'
            "connections = 2\nper_domain_concurrency = 2\nlease_s = 2.0\nretry_base_s = 1.0\ntimeout_s = 120.0\n"
            "[loops]\nplanner_interval_s = 0.5\nsender_interval_s = 0.5\n",
            encoding="utf-8",
        )
        now = datetime.now(UTC)
        (tmp / "camp.toml").write_text(
            campaign_text(
                "bk", opens=now - timedelta(hours=1), closes=now + timedelta(days=5), window=WINDOW
            ),
            encoding="utf-8",
        )
        (tmp / "roster.csv").write_text(
            "Họ và tên,Thư điện tử,Cơ quan/đơn vị\n"
            + "".join(f"Người {i},nguoi{i}@khanhhoa.test,Sở Nội vụ\n" for i in range(n)),
            encoding="utf-8",
        )
        run(tmp, "campaign", "create", str(tmp / "camp.toml"))
        run(tmp, "import", "bk", str(tmp / "roster.csv"))
        daemon = subprocess.Popen([sys.executable, "-m", "maildaemon", "--config", str(tmp / "md.toml"), "run"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
        try:
            _until("messages held at the relay", lambda: relay.held > 0)
            _until("some answers recorded", lambda: _sent(tmp / "state" / "maildaemon.db") > 0)
            backup_file = tmp / "mid-campaign.db"
            assert "backup written to" in run(tmp, "db", "backup", str(backup_file)).stdout
            refused = run(tmp, "db", "restore", str(backup_file), check=False)
            assert refused.returncode == 1 and "another maildaemon is running" in refused.stderr
            relay.gate.set()
            _until("every invitation at the relay", lambda: len(relay.tokens) == n)
            daemon.send_signal(signal.SIGTERM)
            _, err = daemon.communicate(timeout=90)
            assert daemon.returncode == 0, err
        finally:
            relay.gate.set()
            if daemon.poll() is None:
                daemon.kill()
                daemon.wait()
        with sqlite3.connect(backup_file) as conn:
            recorded = {
                r[0]
                for r in conn.execute(
                    "SELECT r.token FROM outbox o JOIN respondents r ON r.id = o.respondent_id "
                    "WHERE o.state = 'sent'"
                )
            }
            leased = conn.execute("SELECT COUNT(*) FROM outbox WHERE state = 'leased'").fetchone()[0]
        assert 0 < len(recorded) < n and leased > 0  # taken mid-campaign, with mail in flight
        # The 2 s lease is shorter than the relay's hold on a loaded machine, so a held message may already have
        # gone out twice before the restore: count what the restore adds against this.
        before = dict(relay.tokens)

        out = run(tmp, "db", "restore", str(backup_file)).stdout
        assert "restored" in out and "kept as" in out and "sent again" in out
        _until("the restored outbox to drain", lambda: (run(tmp, "run", "--once"), _left(tmp) == 0)[1], 120)
        assert len(relay.tokens) == n  # nobody lost
        again = {t for t, c in relay.tokens.items() if c > before[t]}
        assert all(relay.tokens[t] == before[t] + 1 for t in again)
        # the documented bound: what the backup had not recorded as sent is sent once more, nothing else
        assert again == set(relay.tokens) - recorded
    finally:
        controller.stop()


def test_purge_from_the_command_line(tmp: Path) -> None:
    now = datetime.now(UTC)
    (tmp / "open.toml").write_text(campaign_text("dang-mo", closes=now + timedelta(days=3)), encoding="utf-8")
    (tmp / "old.toml").write_text(
        campaign_text("da-dong", opens=now - timedelta(days=60), closes=now - timedelta(days=31),
                      extra="retention_days = 30"),
        encoding="utf-8",
    )  # fmt: skip
    (tmp / "roster.csv").write_text(
        "Họ và tên,Thư điện tử,Cơ quan/đơn vị\nNguyễn Văn An,an@khanhhoa.test,Sở Nội vụ\n"
        "Trần Thị Bình,binh@khanhhoa.test,Sở Tài chính\n",
        encoding="utf-8",
    )
    for name in ("open", "old"):
        run(tmp, "campaign", "create", str(tmp / f"{name}.toml"))
    run(tmp, "import", "dang-mo", str(tmp / "roster.csv"))
    run(tmp, "import", "da-dong", str(tmp / "roster.csv"))
    refused = run(tmp, "purge", "dang-mo", check=False)
    assert refused.returncode == 3 and "campaign dang-mo is open until" in refused.stderr
    dry = run(tmp, "purge", "--dry-run").stdout
    assert "dang-mo: kept (" in dry and "da-dong: would pseudonymise 2 respondent(s)" in dry
    assert "binh@khanhhoa.test" in run(tmp, "events", "--campaign", "da-dong").stdout
    assert "da-dong: pseudonymised 2 respondent(s)" in run(tmp, "purge").stdout
    assert "da-dong: already purged" in run(tmp, "purge", "da-dong").stdout
    events = run(tmp, "events", "--campaign", "da-dong").stdout
    assert "binh@khanhhoa.test" not in events and "purged.invalid" in events
    assert "binh@khanhhoa.test" in run(tmp, "events", "--campaign", "dang-mo").stdout
