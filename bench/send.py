"""Benchmark: N invitations end to end (plan, claim, render, SMTP, record), each run against its
wire reference in the same run.

1. against Postfix's smtp-sink, reference `smtp-source -d -s C -m N` to the same sink;
2. against the real local Postfix (relay port, recipients in discard.test), reference smtp-source
   through the same Postfix.
Last line: {"rate", "limit_rate", "ratio", "relay_ratio", "peak_rss_mb", "n"}.
Usage: python bench/send.py [--n 20000] [--c 10]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from maildaemon.campaign import campaign_from_text  # noqa: E402
from maildaemon.config import Config, DaemonConfig, SmtpConfig  # noqa: E402
from maildaemon.roster import RosterRow  # noqa: E402
from maildaemon.sender import Sender  # noqa: E402
from maildaemon.store import Store  # noqa: E402

SCRIPT = ROOT / "scripts" / "mailstack"
SIZE = 4096


def stack(*args: str) -> str:
    return subprocess.run([str(SCRIPT), *args], check=True, capture_output=True, text=True).stdout


def stack_env() -> dict[str, str]:
    return dict(line.split("=", 1) for line in stack("env").splitlines() if "=" in line)


def campaign_text(now: datetime) -> str:
    return f"""
name = "bench"
title = "Khảo sát Chỉ số cải cách hành chính năm 2026"
survey_url = "https://khaosat.example.vn/s/{{token}}"
opens = {(now - timedelta(hours=1)).isoformat()}
closes = {(now + timedelta(days=10)).isoformat()}
organization = "Sở Nội vụ tỉnh Khánh Hòa"
contact = "Phòng CCHC — 0258 3822 000"
[sender]
name = "Sở Nội vụ tỉnh Khánh Hòa"
address = "noreply@survey.test"
bounce_domain = "survey.test"
[window]
weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "00:00"
end = "23:59"
"""


async def end_to_end(n: int, c: int, host: str, port: int, domain: str, tmp: Path) -> float:
    """Seconds for N invitations: plan, claim, render, SMTP, record (import excluded)."""
    now = datetime.now(UTC)
    db = tmp / f"bench-{port}.db"
    store = Store(f"sqlite+aiosqlite:///{db}")
    await store.init_schema()
    campaign = campaign_from_text(campaign_text(now), "bench")
    cid = await store.create_campaign(campaign, campaign_text(now), now)
    rows = (
        RosterRow(
            line=i + 2,
            email=f"u{i}@{domain}",
            full_name="Nguyễn Thị Thu Hà",
            title="Chuyên viên",
            agency_name=f"Phòng {i % 40}",
            agency_code=f"P{i % 40}",
            honorific="bà",
        )  # fmt: skip
        for i in range(n)
    )
    await store.import_roster(cid, "Tỉnh Khánh Hòa", rows, now, "bench")
    cfg = Config(
        daemon=DaemonConfig(state_dir=str(tmp)),
        smtp=SmtpConfig(
            host=host,
            port=port,
            security="none",
            connections=c,
            per_domain_concurrency=c,
            batch_size=1000,
            messages_per_connection=100_000,
        ),  # fmt: skip
    )
    sender = Sender(store, cfg, "bench", now=lambda: datetime.now(UTC))
    t0 = time.perf_counter()
    planned = await store.plan_campaign(cid, campaign, False, datetime.now(UTC))
    handled = await sender.run_once()
    elapsed = time.perf_counter() - t0
    await sender.close()
    await store.close()
    if planned != n or sender.stats.sent != n:
        raise SystemExit(f"bench: planned {planned}, handled {handled}, sent {sender.stats.sent} of {n}")
    return elapsed


def message_size() -> int:
    """Bytes of one invitation as the daemon sends it, so the reference sends messages as large."""
    from maildaemon.compose import Composer, Recipient
    from maildaemon.templates import TemplateSet

    now = datetime.now(UTC)
    composer = Composer(campaign_from_text(campaign_text(now), "bench"), TemplateSet.load("vi"))
    out = composer.compose(Recipient("a" * 26, "u1@discard.test", "Nguyễn Thị Thu Hà", "bà", "Chuyên viên",
                                     "Phòng 1"), "invitation")  # fmt: skip
    return len(out.data)


def smtp_source(n: int, c: int, host: str, port: int, to: str) -> float:
    t0 = time.perf_counter()
    subprocess.run(
        ["smtp-source", "-d", "-s", str(c), "-m", str(n), "-l", str(SIZE), "-f", "noreply@survey.test", "-t", to,
         f"{host}:{port}"],  # fmt: skip
        check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--relay-n", type=int, default=0, help="N for the Postfix run (default: --n)")
    ap.add_argument("--c", type=int, default=10)
    args = ap.parse_args()
    relay_n = args.relay_n or args.n
    global SIZE
    SIZE = message_size()
    print(f"message size {SIZE} bytes (the reference sends the same size)")
    stack("up")
    stack("sink-up")
    env = stack_env()
    host = env["MAILSTACK_HOST"]
    sink, relay = int(env["MAILSTACK_SINK_PORT"]), int(env["MAILSTACK_SMTP_PORT"])
    with tempfile.TemporaryDirectory() as tmp:
        ref_sink = smtp_source(args.n, args.c, host, sink, "u@discard.test")
        ours_sink = asyncio.run(end_to_end(args.n, args.c, host, sink, "discard.test", Path(tmp)))
        ref_relay = smtp_source(relay_n, args.c, host, relay, "u@discard.test")
        ours_relay = asyncio.run(end_to_end(relay_n, args.c, host, relay, "discard.test", Path(tmp)))
    stack("clear")
    rate, limit_rate = args.n / ours_sink, args.n / ref_sink
    relay_rate, relay_limit = relay_n / ours_relay, relay_n / ref_relay
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"smtp-sink  C={args.c} N={args.n}: maildaemon {rate:8.0f} msg/s   smtp-source {limit_rate:8.0f} msg/s"
          f"   ratio {rate / limit_rate:.3f}")  # fmt: skip
    print(f"postfix    C={args.c} N={relay_n}: maildaemon {relay_rate:8.0f} msg/s   smtp-source {relay_limit:8.0f}"
          f" msg/s   ratio {relay_rate / relay_limit:.3f}")  # fmt: skip
    print(f"peak RSS {rss_mb:.0f} MB")
    print(json.dumps({"rate": round(rate, 1), "limit_rate": round(limit_rate, 1), "ratio": round(rate / limit_rate, 4),
                      "relay_ratio": round(relay_rate / relay_limit, 4), "peak_rss_mb": round(rss_mb, 1),
                      "n": args.n}))  # fmt: skip


if __name__ == "__main__":
    main()
