"""Benchmark: N invitations end to end (plan, claim, render, SMTP, record), each run against its
wire reference in the same run.

1. against Postfix's smtp-sink, reference `smtp-source -d -s C -m N` to the same sink;
2. against the real local Postfix (relay port, recipients in discard.test), reference smtp-source
   through the same Postfix. A relay is another machine in production; here Postfix would share
   two cores with the client, and a client that does real work (render, MIME, state) takes CPU
   from Postfix that smtp-source does not. So Postfix is pinned to one core and the clients to the
   others (when the machine has two or more), and each relay run is measured both ways: pinned
   (relay_ratio) and sharing all cores (relay_ratio_shared). Two more references say what the
   message shape costs the relay: `smtp-source -N` (a different recipient for every message, as
   invitations are: Postfix's own option for a realistic load; relay_unique_ratio), and bench/wire.py,
   which sends our exact envelopes and bytes statelessly (unique VERP sender and recipient, DSN
   options; relay_shape_ratio). Pinned, the busy time of Postfix's core per message is printed for
   each client: what its messages cost the relay.
Last line: {"rate", "limit_rate", "ratio", "relay_ratio", "relay_ratio_shared", "relay_unique_ratio",
"relay_shape_ratio", "relay_busy", "relay_rounds", "peak_rss_mb", "n"}.
Each relay setting runs --rounds rounds of the four (in a rotating order) and reports its median round:
the machines here are shared, and one slow moment in a single run moved relay_ratio from 0.8 to 1.3.
Usage: python bench/send.py [--n 20000] [--c 10] [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from maildaemon.config import Config, DaemonConfig, SmtpConfig  # noqa: E402
from maildaemon.core.campaign import campaign_from_text  # noqa: E402
from maildaemon.intake.roster import RosterRow  # noqa: E402
from maildaemon.outbound.compose import Composer, Recipient  # noqa: E402
from maildaemon.outbound.planner import plan_campaign  # noqa: E402
from maildaemon.outbound.sender import Sender  # noqa: E402
from maildaemon.outbound.templates import TemplateSet  # noqa: E402
from maildaemon.store import Store  # noqa: E402

SCRIPT = ROOT / "scripts" / "mailstack"
SIZE = 4096
# the clients of each relay round: ours, and three references (see the module's docstring)
CLIENTS = ("ours", "smtp-source", "smtp-source -N", "wire")


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
end = "24:00"
"""


async def end_to_end(n: int, c: int, host: str, port: int, domain: str, tmp: Path) -> float:
    """Seconds for N invitations: plan, claim, render, SMTP, record (import excluded)."""
    now = datetime.now(UTC)
    fd, name = tempfile.mkstemp(suffix=".db", dir=tmp)  # a database of its own for each run
    os.close(fd)
    db = Path(name)
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
    due = asyncio.Event()  # as in the daemon: each planned page wakes the sender loop
    t0 = time.perf_counter()
    planning = asyncio.create_task(
        plan_campaign(store, cid, campaign, False, datetime.now(UTC), on_page=lambda _n: due.set())
    )
    planning.add_done_callback(lambda _t: due.set())
    handled = 0
    while True:
        await due.wait()
        due.clear()
        handled += await sender.run_once()
        if planning.done() and not due.is_set():
            break
    planned = planning.result()
    elapsed = time.perf_counter() - t0
    await sender.close()
    await store.close()
    if planned != n or sender.stats.sent != n:
        raise SystemExit(f"bench: planned {planned}, handled {handled}, sent {sender.stats.sent} of {n}")
    return elapsed


def composer() -> Composer:
    return Composer(campaign_from_text(campaign_text(datetime.now(UTC)), "bench"), TemplateSet.load("vi"))


def recipient(i: int, token: str) -> Recipient:
    return Recipient(token, f"u{i}@discard.test", "Nguyễn Thị Thu Hà", "bà", "Chuyên viên", f"Phòng {i % 40}")


def message_size() -> int:
    """Bytes of one invitation as the daemon sends it, so the reference sends messages as large."""
    return len(composer().compose(recipient(1, "a" * 26), "invitation").data)


def smtp_source(n: int, c: int, host: str, port: int, to: str, unique: bool = False) -> float:
    """Seconds for smtp-source to send N messages; ``unique``: -N, a different recipient for each."""
    t0 = time.perf_counter()
    subprocess.run(
        ["smtp-source", *(["-N"] if unique else []), "-d", "-s", str(c), "-m", str(n), "-l", str(SIZE),
         "-f", "noreply@survey.test", "-t", to, f"{host}:{port}"],  # fmt: skip
        check=True, capture_output=True,
    )  # fmt: skip
    return time.perf_counter() - t0


def wire_reference(n: int, c: int, host: str, port: int) -> float:
    """Our message shape without our work (bench/wire.py, composed before its clock starts)."""
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "wire.py"), host, str(port), "--n", str(n), "--c", str(c)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return float(out.stdout.split()[-1])


class Cores:
    """Postfix on the first core, this process (and its children) on the rest; `shared` undoes it."""

    def __init__(self, postfix_master: int) -> None:
        self.master = postfix_master
        self.all = os.sched_getaffinity(0)
        self.usable = len(self.all) >= 2

    def _postfix(self) -> list[int]:
        out = [self.master]
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == self.master:
                        out.append(int(entry.name))
                except (OSError, IndexError, ValueError):
                    continue
        return out

    def _set(self, pids: list[int], cpus: set[int]) -> None:
        for pid in pids:
            try:
                os.sched_setaffinity(pid, cpus)
            except OSError:  # a process that just exited
                continue

    def pinned(self) -> None:
        first = min(self.all)
        self._set(self._postfix(), {first})
        os.sched_setaffinity(0, self.all - {first})

    def shared(self) -> None:
        self._set(self._postfix(), self.all)
        os.sched_setaffinity(0, self.all)


def core0_busy() -> tuple[int, int]:
    """(busy, total) jiffies of the first usable CPU, to tell whether Postfix was saturated."""
    cpu = f"cpu{min(os.sched_getaffinity(0) | {0})} "
    for line in Path("/proc/stat").read_text().splitlines():
        if line.startswith(cpu):
            v = [int(x) for x in line.split()[1:9]]
            return sum(v) - v[3] - v[4], sum(v)
    return 0, 1


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=20000)
    ap.add_argument("--relay-n", type=int, default=0, help="N for the Postfix runs (default: --n)")
    ap.add_argument("--c", type=int, default=10)
    ap.add_argument("--rounds", type=int, default=3, help="rounds of the three relay runs per core setting")
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
    root = Path(env["MAILSTACK_ROOT"])
    cores = Cores(int((root / "postfix/spool/pid/master.pid").read_text().split()[0]))
    runs: dict[str, list[dict[str, tuple[float, float]]]] = {}  # mode -> rounds: who -> (s, Postfix core s)
    with tempfile.TemporaryDirectory() as tmp:
        ref_sink = smtp_source(args.n, args.c, host, sink, "u@discard.test")
        ours_sink = asyncio.run(end_to_end(args.n, args.c, host, sink, "discard.test", Path(tmp)))
        try:
            for mode in ("pinned", "shared") if cores.usable else ("shared",):
                cores.pinned() if mode == "pinned" else cores.shared()
                for round_ in range(max(1, args.rounds)):
                    took: dict[str, tuple[float, float]] = {}
                    # the runs of a round in a rotating order, so none always goes first
                    order = list(CLIENTS)
                    for who in order[round_ % len(order) :] + order[: round_ % len(order)]:
                        stack("clear")
                        b0 = core0_busy()
                        if who == "smtp-source":
                            t = smtp_source(relay_n, args.c, host, relay, "u@discard.test")
                        elif who == "smtp-source -N":
                            t = smtp_source(relay_n, args.c, host, relay, "u@discard.test", unique=True)
                        elif who == "wire":
                            t = wire_reference(relay_n, args.c, host, relay)
                        else:
                            t = asyncio.run(
                                end_to_end(relay_n, args.c, host, relay, "discard.test", Path(tmp))
                            )
                        b1 = core0_busy()
                        took[who] = (t, t * (b1[0] - b0[0]) / max(1, b1[1] - b0[1]))
                    runs.setdefault(mode, []).append(took)
                    print(f"{mode} round {round_ + 1}: " + ", ".join(
                        f"{who} {relay_n / took[who][0]:.0f} msg/s" for who in CLIENTS
                    ) + f": ratio {took['smtp-source'][0] / took['ours'][0]:.3f}", flush=True)  # fmt: skip
        finally:
            cores.shared()
    stack("clear")
    rate, limit_rate = args.n / ours_sink, args.n / ref_sink
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"smtp-sink  C={args.c} N={args.n}: maildaemon {rate:8.0f} msg/s   smtp-source {limit_rate:8.0f} msg/s"
          f"   ratio {rate / limit_rate:.3f}")  # fmt: skip
    ratios: dict[str, float] = {}
    for mode, rounds in runs.items():
        # the machine is shared and noisy: the median round (by ratio to smtp-source) stands for the mode
        ordered = sorted(rounds, key=lambda r: r["smtp-source"][0] / r["ours"][0])
        mid = ordered[len(ordered) // 2]
        rate_of = {who: relay_n / mid[who][0] for who in CLIENTS}
        ratios[mode] = rate_of["ours"] / rate_of["smtp-source"]
        ratios[f"unique {mode}"] = rate_of["ours"] / rate_of["smtp-source -N"]
        ratios[f"shape {mode}"] = rate_of["ours"] / rate_of["wire"]
        ratios[f"rounds {mode}"] = len(rounds)
        where = "Postfix on its own core" if mode == "pinned" else "Postfix and client share all cores"
        print(
            f"postfix    C={args.c} N={relay_n} ({where}; median of {len(rounds)} rounds): "
            + "   ".join(f"{who} {rate_of[who]:6.0f} msg/s" for who in CLIENTS)
            + f"   ratio {ratios[mode]:.3f} (rounds: "
            + ", ".join(f"{r['smtp-source'][0] / r['ours'][0]:.2f}" for r in ordered)
            + f"), to smtp-source -N {ratios[f'unique {mode}']:.3f}, to our shape {ratios[f'shape {mode}']:.3f}"
        )
        if mode == "pinned":
            # what each client's messages cost the relay: its core's busy time per message (median of rounds)
            cost = {who: statistics.median(r[who][1] for r in rounds) / relay_n * 1e6 for who in CLIENTS}
            ratios["busy"] = mid["ours"][1] / mid["ours"][0]
            print("Postfix's core per message (busy time / N, median of rounds): "
                  + "   ".join(f"{who} {cost[who]:.0f} us" for who in CLIENTS))  # fmt: skip
    if "busy" in ratios:
        print(
            f"Postfix's core busy while maildaemon sent (plan included, median pinned round): {ratios['busy']:.0%}"
        )
    print(f"peak RSS {rss_mb:.0f} MB")
    relay_ratio = ratios.get("pinned", ratios["shared"])
    shape_ratio = ratios.get("shape pinned", ratios["shape shared"])
    unique_ratio = ratios.get("unique pinned", ratios["unique shared"])
    print(json.dumps({"rate": round(rate, 1), "limit_rate": round(limit_rate, 1), "ratio": round(rate / limit_rate, 4),
                      "relay_ratio": round(relay_ratio, 4), "relay_ratio_shared": round(ratios["shared"], 4),
                      "relay_unique_ratio": round(unique_ratio, 4), "relay_shape_ratio": round(shape_ratio, 4),
                      "relay_busy": round(ratios["busy"], 3) if "busy" in ratios else None,
                      "relay_rounds": int(ratios.get("rounds pinned", ratios["rounds shared"])),
                      "peak_rss_mb": round(rss_mb, 1), "n": args.n}))  # fmt: skip


if __name__ == "__main__":
    main()
