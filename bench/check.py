"""Benchmark: Prober.check_many over 10k addresses in 50 test domains with the politeness limits on, against
the floor: the least wall time those limits allow (per-MX concurrency C, minimum gap between connection
starts, recipients per connection, and the servers' deliberate per-RCPT delay).

dnsmasq serves the 50 domains (MX -> 10 hosts on 127.0.6.1-10, five domains each); aiosmtpd servers run in
a child process so they do not share the GIL with the prober. Prints figures and ends with one JSON line.
Run: python3 bench/check.py [--addresses 10000] [--concurrency 3] [--gap 0.25] [--per-connection 25] [--rcpt-delay 0.01]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import math
import os
import resource
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from maildaemon.deliverability.probe import Prober, ProbeSettings  # noqa: E402
from tests.support.testdns import Zone, running_dnsmasq  # noqa: E402

DOMAINS = 50
HOSTS = 10
IPS = [f"127.0.6.{i + 1}" for i in range(HOSTS)]
KNOWN = 150  # u0..u149 exist at every domain; the rest are unknown users (550 5.1.1)


def serve(port: int, delay: float) -> None:
    """Child process: one mailbox server per IP, until stdin closes."""
    from tests.support.smtpservers import ConnStats, MailboxHandler, ServerThread

    users = frozenset(f"u{i}" for i in range(KNOWN))
    thread = ServerThread()
    for n, ip in enumerate(IPS):
        stats = ConnStats()
        thread.smtp(
            ip, port, MailboxHandler(stats, users, rcpt_delay=delay), stats, hostname=f"mx{n}.bench.test"
        )
    print("ready", flush=True)
    sys.stdin.read()
    thread.close()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"server process CPU: {usage.ru_utime + usage.ru_stime:.2f} s", file=sys.stderr)


def floor_seconds(conns_per_host: dict[str, list[int]], c: int, gap: float, delay: float) -> float:
    """Least time the limits allow: per host, connections start at least ``gap`` apart with at most ``c``
    open; each lasts at least (its recipients x the server's RCPT delay). The slowest host sets the floor."""
    worst = 0.0
    for sizes in conns_per_host.values():
        ends: list[float] = []
        last_start = -math.inf
        for n in sorted(sizes, reverse=True):  # longest first is the best order
            free_at = sorted(ends)[-c] if len(ends) >= c else 0.0
            start = max(last_start + gap, free_at, 0.0)
            last_start = start
            ends.append(start + n * delay)
        worst = max(worst, max(ends, default=0.0))
    return worst


async def run(args: argparse.Namespace, nameservers: list[tuple[str, int]], port: int) -> dict[str, Any]:
    per_domain = args.addresses // DOMAINS
    addresses = [f"u{k}@bench{d}.probe.test" for d in range(DOMAINS) for k in range(per_domain)]
    settings = ProbeSettings(
        helo_name="bench.survey.test",
        mail_from="bounces@survey.test",
        smtp_port=port,
        connect_timeout=5,
        command_timeout=10,
        per_mx_concurrency=args.concurrency,
        per_mx_min_gap=args.gap,
        catch_all_check=False,
        nameservers=nameservers,
        max_rcpt_per_connection=args.per_connection,
        test_environment=True,
    )
    # connections per host as the prober forms them: per domain, batches of per_connection
    conns: dict[str, list[int]] = {ip: [] for ip in IPS}
    for d in range(DOMAINS):
        full, rest = divmod(per_domain, args.per_connection)
        conns[IPS[d % HOSTS]] += [args.per_connection] * full + ([rest] if rest else [])
    floor = floor_seconds(conns, args.concurrency, args.gap, args.rcpt_delay)
    outcomes: Counter[str] = Counter()
    started = time.perf_counter()
    first = None
    async with Prober(settings) as prober:
        async for result in prober.check_many(addresses):
            if first is None:
                first = time.perf_counter() - started
            outcomes[result.outcome.value] += 1
    wall = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(f"prober process CPU: {usage.ru_utime + usage.ru_stime:.2f} s", file=sys.stderr)
    return {"wall": wall, "floor": floor, "first": first, "outcomes": dict(outcomes), "count": len(addresses)}


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--addresses", type=int, default=10_000)
    p.add_argument("--concurrency", type=int, default=3)
    p.add_argument("--gap", type=float, default=0.25)
    p.add_argument("--per-connection", type=int, default=25)
    p.add_argument("--rcpt-delay", type=float, default=0.01)
    p.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    args = p.parse_args()
    if args.serve:
        serve(args.serve, args.rcpt_delay)
        return
    from tests.support.smtpservers import pick_port

    port = pick_port(IPS, 2591)
    zone = Zone()
    for n, ip in enumerate(IPS):
        zone.a.append((f"mx{n}.bench.test", ip))
    for d in range(DOMAINS):
        zone.mx.append((f"bench{d}.probe.test", f"mx{d % HOSTS}.bench.test", 10))
    zone.txt.append(("survey.test", "v=spf1 ip4:127.0.0.1 -all"))  # the readiness probe asks for it
    child = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(port), "--rcpt-delay", str(args.rcpt_delay)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "ready", (
            "servers did not start"
        )
        with running_dnsmasq(zone) as dns:
            figures = asyncio.run(run(args, dns.nameservers, port))
    finally:
        if child.stdin:
            child.stdin.close()
        child.wait(10)
    wall, floor = float(figures["wall"]), float(figures["floor"])
    print(
        f"addresses: {figures['count']} in {DOMAINS} domains on {HOSTS} MX hosts; outcomes {figures['outcomes']}"
    )
    print(f"limits: {args.concurrency} connections per MX, {args.gap:g} s between starts, "
          f"{args.per_connection} recipients per connection, server RCPT delay {args.rcpt_delay * 1000:g} ms")  # fmt: skip
    print(f"wall {wall:.2f} s, floor {floor:.2f} s, ratio {wall / floor:.3f}, first result after "
          f"{float(figures['first'] or 0) * 1000:.0f} ms, {int(figures['count']) / wall:.0f} addresses/s")  # fmt: skip
    print(json.dumps({"wall_s": round(wall, 3), "floor_s": round(floor, 3), "ratio": round(wall / floor, 3)}))


if __name__ == "__main__":
    main()
