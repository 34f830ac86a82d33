"""Three daemon processes on one PostgreSQL: 20,000 invitations, each sent exactly once; one daemon
holds the IMAP watcher, and when it is killed another takes over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.db import _fresh_pg_schema
from tests.support.factories import campaign_text
from tests.support.mailstack import MailStack
from tests.support.relay import Collect

N = 20_000
WINDOW = 'weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\nstart = "00:00"\nend = "24:00"'


def _wait(cond: object, what: str, limit: float) -> None:
    deadline = time.monotonic() + limit
    while not cond():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)  # polling a condition with a deadline


@pytest.mark.timeout(900)
def test_three_daemons_one_postgresql(
    pg_url: str, mailstack: MailStack, mailbox_user: object, tmp_path: Path, relay: tuple[Collect, int]
) -> None:
    import asyncio

    asyncio.run(_fresh_pg_schema(pg_url))
    handler, smtp_port = relay
    watched = mailbox_user(prefix="cluster")  # type: ignore[operator]
    cfg = tmp_path / "md.toml"
    cfg.write_text(
        f"""[daemon]
database_url = "{pg_url}"
allow_test_domains = true
[smtp]
host = "127.0.0.1"
port = {smtp_port}
security = "none"
connections = 4
per_domain_concurrency = 4
batch_size = 500
[imap]
enabled = true
host = "{mailstack.host}"
port = {mailstack.imap_port}
security = "starttls"
ca_file = "{mailstack.cafile}"
username = "{watched}"
poll_interval_s = 1.0
[loops]
planner_interval_s = 1.0
sender_interval_s = 1.0
""",
        encoding="utf-8",
    )
    now = datetime.now(UTC)
    camp = tmp_path / "camp.toml"
    camp.write_text(campaign_text("cluster", opens=now - timedelta(hours=1), closes=now + timedelta(days=3),
                                  window=WINDOW), encoding="utf-8")  # fmt: skip
    roster = tmp_path / "r.csv"
    roster.write_text("Họ và tên,Thư điện tử,Cơ quan/đơn vị\n" + "".join(
        f"Người {i},u{i}@snv.khanhhoa.test,Sở Nội vụ\n" for i in range(N)), encoding="utf-8")  # fmt: skip
    env = {**os.environ, "MAILDAEMON_IMAP_PASSWORD": mailstack.password}
    base = [sys.executable, "-m", "maildaemon", "--config", str(cfg)]
    subprocess.run(base + ["db", "init"], env=env, check=True, capture_output=True, timeout=60)
    subprocess.run(
        base + ["campaign", "create", str(camp)], env=env, check=True, capture_output=True, timeout=60
    )
    subprocess.run(
        base + ["import", "cluster", str(roster)], env=env, check=True, capture_output=True, timeout=300
    )
    logs = [tmp_path / f"daemon{i}.log" for i in range(3)]
    procs = []
    try:
        for log in logs:
            with log.open("w") as fh:
                procs.append(subprocess.Popen(base + ["run"], env=env,
                                              stdout=subprocess.DEVNULL, stderr=fh))  # fmt: skip
        _wait(lambda: sum(handler.tokens.values()) >= N, f"{N} messages at the relay", 600)
        holders = [i for i, log in enumerate(logs) if "leader.acquired lock=watcher" in log.read_text()]
        assert len(holders) == 1, holders  # one watcher at a time
        procs[holders[0]].send_signal(signal.SIGKILL)
        procs[holders[0]].wait()
        _wait(lambda: any("leader.acquired lock=watcher" in logs[i].read_text() for i in range(3) if i != holders[0]),
              "another daemon to take the watcher over", 60)  # fmt: skip
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(timeout=60)
            except subprocess.TimeoutExpired:
                p.kill()
    assert len(handler.tokens) == N, "some invitations were lost"
    assert max(handler.tokens.values()) == 1, "some invitations were sent twice"
    worked = [i for i, log in enumerate(logs) if "sender.batch" in log.read_text()]
    assert len(worked) >= 2, "the work should be shared between daemons"
