"""Fault benchmark: SIGKILL the daemon again and again during a campaign against the local Postfix;
afterwards every respondent has exactly one invitation, except for at most the documented in-flight
bound (one claim batch per kill).

Every respondent's address is a plus-address of one fresh mailbox (collect+N@khanhhoa.test), so the
invitations Postfix delivered can be counted per survey token over IMAP.
Last line: {"cycles", "lost", "duplicates", "inflight_bound", "n"}.
Usage: python bench/faults.py [--n 5000] [--cycles 10] [--batch 100]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.factories import campaign_text  # noqa: E402
from tests.support.mailstack import MailStack, launch  # noqa: E402

RECORD_EVERY = 20
CONNECTIONS = 4
WINDOW = 'weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]\nstart = "00:00"\nend = "24:00"'


def cli(cfg: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "maildaemon", "--config", str(cfg), *args], env=env,
                          capture_output=True, text=True, check=True, timeout=600)  # fmt: skip


def setup(tmp: Path, ms: MailStack, collector: str, n: int, batch: int) -> Path:
    cfg = tmp / "md.toml"
    cfg.write_text(
        f"""[daemon]
state_dir = "state"
allow_test_domains = true
[smtp]
host = "{ms.host}"
port = {ms.smtp_port}
security = "starttls"
ca_file = "{ms.cafile}"
batch_size = {batch}
record_every = {RECORD_EVERY}
connections = {CONNECTIONS}
per_domain_concurrency = 4
lease_s = 2.0
retry_base_s = 1.0
[loops]
planner_interval_s = 0.5
sender_interval_s = 0.5
""",
        encoding="utf-8",
    )
    now = datetime.now(UTC)
    (tmp / "camp.toml").write_text(
        campaign_text(
            "faults", opens=now - timedelta(hours=1), closes=now + timedelta(days=5), window=WINDOW
        ),
        encoding="utf-8",
    )
    local, domain = collector.split("@")
    lines = ["Họ và tên,Thư điện tử,Cơ quan/đơn vị"] + [
        f"Người {i},{local}+{i}@{domain},Sở Nội vụ" for i in range(n)
    ]
    (tmp / "roster.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    env = dict(os.environ)
    cli(cfg, "campaign", "create", str(tmp / "camp.toml"), env=env)
    cli(cfg, "import", "faults", str(tmp / "roster.csv"), env=env)
    return cfg


def outbox_left(cfg: Path, n: int) -> int:
    """Invitations not yet handed to the relay: not planned yet, or queued, leased or deferred."""
    out = cli(cfg, "status", "--json", "--no-probe", env=dict(os.environ)).stdout
    states = json.loads(out)["health"]["queue"]["states"]
    pending = sum(v for k, v in states.items() if k in ("queued", "leased", "deferred"))
    return pending + max(0, n - sum(states.values()))


def run_with_kills(cfg: Path, n: int, cycles: int, rng: random.Random) -> int:
    """Start the daemon and SIGKILL it after a random moment, `cycles` times; then let one finish."""
    kills = 0
    for _ in range(cycles):
        proc = subprocess.Popen([sys.executable, "-m", "maildaemon", "--config", str(cfg), "run"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
        time.sleep(rng.uniform(1.0, 2.5))  # the fault injection itself: kill at a random moment
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        kills += 1
        if outbox_left(cfg, n) == 0:
            break
    time.sleep(2.5)  # leases of the last killed daemon expire (smtp.lease_s = 2)
    while outbox_left(cfg, n):
        cli(cfg, "run", "--once", env=dict(os.environ))
    return kills


async def delivered_tokens(ms: MailStack, user: str, expected: int, limit_s: float) -> Counter[str]:
    """Survey tokens of what reached the mailbox, once Postfix has delivered at least `expected`."""
    deadline = time.monotonic() + limit_s
    while True:
        count = await asyncio.to_thread(ms.count, user)
        if count >= expected or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.5)  # Postfix is still delivering its queue

    def fetch() -> Counter[str]:
        imap = ms.imap(user)
        imap.select("INBOX", readonly=True)
        typ, data = imap.uid("FETCH", "1:*", "(BODY.PEEK[HEADER.FIELDS (X-SURVEY-TOKEN)])")
        imap.logout()
        found: Counter[str] = Counter()
        for part in data:
            if isinstance(part, tuple):
                m = re.search(rb"X-Survey-Token:\s*([a-z2-7]+)", part[1], re.IGNORECASE)
                if m:
                    found[m.group(1).decode()] += 1
        return found

    return await asyncio.to_thread(fetch)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--cycles", type=int, default=10)
    ap.add_argument("--batch", type=int, default=100)
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    print(json.dumps(run(args.n, args.cycles, args.batch, args.seed)))


def run(n: int, cycles: int, batch: int, seed: int = 1) -> dict[str, int]:
    ms = launch()
    collector = ms.new_user(prefix="collect")
    with tempfile.TemporaryDirectory() as tmp:
        cfg = setup(Path(tmp), ms, collector, n, batch)
        started = time.monotonic()
        kills = run_with_kills(cfg, n, cycles, random.Random(seed))
        tokens = asyncio.run(delivered_tokens(ms, collector, n, limit_s=300))
        state = json.loads(cli(cfg, "status", "faults", "--json", "--no-probe", env=dict(os.environ)).stdout)
    sent = sum(a["delivery"].get("sent", 0) for a in state["agencies"] if a["name"] == "TOTAL")
    lost = n - len(tokens)
    duplicates = sum(c - 1 for c in tokens.values())
    per_kill = min(batch, 2 * RECORD_EVERY + CONNECTIONS)  # sent but not yet recorded when killed
    print(f"{n} respondents, {kills} SIGKILLs in {time.monotonic() - started:.0f}s: "
          f"{len(tokens)} received an invitation, {lost} lost, {duplicates} duplicates "
          f"(bound: {per_kill} per kill = {kills * per_kill}); the store says {sent} sent")  # fmt: skip
    return {
        "cycles": kills,
        "lost": lost,
        "duplicates": duplicates,
        "inflight_bound": kills * per_kill,
        "n": n,
    }


if __name__ == "__main__":
    main()
