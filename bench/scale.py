"""Benchmark: import and plan 10k and 100k respondents, on SQLite and on PostgreSQL; time for each
and peak RSS, each size in its own process so its peak is its own. Memory must stay flat as the
roster grows (rss_ratio = peak RSS at 100k / at 10k).

Last line: {"plan_100k_s", "rss_10k_mb", "rss_100k_mb", "rss_ratio"} (SQLite), plus PostgreSQL figures.
Usage: python bench/scale.py [--sizes 10000,100000] [--pg postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import csv
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


def write_roster(path: Path, n: int) -> None:
    from maildaemon.cli import demodata

    people = demodata.people(n, seed=7)
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(demodata.roster_rows(people))


CAMPAIGN = """
name = "scale"
title = "Khảo sát Chỉ số cải cách hành chính năm 2026"
survey_url = "https://khaosat.example.vn/s/{{token}}"
opens = {opens}
closes = {closes}
province = "Tỉnh Khánh Hòa"
[sender]
address = "noreply@survey.test"
bounce_domain = "survey.test"
[window]
weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
start = "00:00"
end = "24:00"
"""


async def one(url: str, roster: Path) -> dict[str, float]:
    from maildaemon.cli import usecases as app
    from maildaemon.core.campaign import campaign_from_text
    from maildaemon.outbound.planner import plan_campaign
    from maildaemon.store import Store

    now = datetime.now(UTC)
    text = CAMPAIGN.format(
        opens=(now - timedelta(hours=1)).isoformat(), closes=(now + timedelta(days=9)).isoformat()
    )
    store = Store(url)
    await store.init_schema()
    campaign = campaign_from_text(text, "scale")
    await store.create_campaign(campaign, text, now)
    t0 = time.perf_counter()
    result = await app.import_roster(store, "scale", roster, allow_test_domains=True)
    t1 = time.perf_counter()
    rec = await store.get_campaign("scale")
    planned = await plan_campaign(store, rec.id, rec.campaign, False, datetime.now(UTC))
    t2 = time.perf_counter()
    await store.close()
    return {"imported": result.summary.imported, "planned": planned, "import_s": round(t1 - t0, 2),
            "plan_s": round(t2 - t1, 2), "rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)}  # fmt: skip


def child(url: str, n: int) -> dict[str, float]:
    """Run one size in a fresh process; returns its figures."""
    proc = subprocess.run([sys.executable, __file__, "--child", url, "--n", str(n)], capture_output=True,
                          text=True, check=True)  # fmt: skip
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def fresh_pg(admin: str, name: str) -> str:
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(admin)
        await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        await conn.execute(f"CREATE DATABASE {name}")
        await conn.close()

    asyncio.run(run())
    return admin.rsplit("/", 1)[0] + "/" + name


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test", help="'' to skip PostgreSQL")
    ap.add_argument("--child")
    ap.add_argument("--n", type=int)
    args = ap.parse_args()
    if args.child:
        with tempfile.TemporaryDirectory() as tmp:
            roster = Path(tmp) / "roster.csv"
            write_roster(roster, args.n)
            url = args.child.replace("TMP", tmp)
            print(json.dumps(asyncio.run(one(url, roster))))
        return
    sizes = [int(s) for s in args.sizes.split(",")]
    results: dict[str, dict[int, dict[str, float]]] = {"sqlite": {}, "postgresql": {}}
    for n in sizes:
        results["sqlite"][n] = r = child("sqlite+aiosqlite:///TMP/scale.db", n)
        print(
            f"sqlite     n={n:>7}: import {r['import_s']:7.2f}s  plan {r['plan_s']:7.2f}s  peak RSS {r['rss_mb']:6.1f} MB"
        )
        if args.pg:
            results["postgresql"][n] = r = child(fresh_pg(args.pg, f"md_scale_{n}"), n)
            print(
                f"postgresql n={n:>7}: import {r['import_s']:7.2f}s  plan {r['plan_s']:7.2f}s  peak RSS {r['rss_mb']:6.1f} MB"
            )
    small, big = min(sizes), max(sizes)
    sq = results["sqlite"]
    out: dict[str, object] = {
        f"plan_{big // 1000}k_s": sq[big]["plan_s"], f"rss_{small // 1000}k_mb": sq[small]["rss_mb"],
        f"rss_{big // 1000}k_mb": sq[big]["rss_mb"], "rss_ratio": round(sq[big]["rss_mb"] / sq[small]["rss_mb"], 3),
        f"import_{big // 1000}k_s": sq[big]["import_s"],
    }  # fmt: skip
    if args.pg:
        pg = results["postgresql"]
        out.update({f"pg_plan_{big // 1000}k_s": pg[big]["plan_s"], f"pg_import_{big // 1000}k_s": pg[big]["import_s"],
                    "pg_rss_ratio": round(pg[big]["rss_mb"] / pg[small]["rss_mb"], 3)})  # fmt: skip
    print(json.dumps(out))


if __name__ == "__main__":
    main()
