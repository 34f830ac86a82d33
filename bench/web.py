"""Benchmark: the operator console's cost at scale, on SQLite and PostgreSQL (issue 17, item 7).

1. Pages at 1k and 100k respondents (41 agencies, realistic states, outbox rows and events, seeded with
   bulk inserts), in process through the ASGI app, signed in as an operator: the overview with the
   campaign's figures counted afresh (the aggregate's own cost) and as served (shared 2 s, web/counts.py),
   an agency page (page 1, and bounced only; a unit's bounced people), a search by name fragment and by address fragment (from
   the province, as an operator looks someone up), a person's page. Median of --reps requests each, the
   two sizes alternated; ratio 100k/1k per page, target <= 2.
2. The sender's rate to Postfix's smtp-sink (driven as in bench/send.py) with the console idle and with
   --sessions signed-in sessions browsing the 100k campaign in a tight loop in the same event loop, the
   console bounded as `maildaemon run` serves it (web/share.py; --unbounded: without), idle and busy
   alternated over --rounds rounds: median busy/idle, target >= 0.9.
Last line: one JSON object with the ratios and the absolute times (ms, msg/s), per engine.
Usage: python bench/web.py [--big 100000] [--small 1000] [--reps 7] [--sessions 50] [--send-n 4000]
       [--rounds 5] [--unbounded] [--engines sqlite,postgresql] [--pg postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import httpx  # noqa: E402

from bench.send import campaign_text, stack, stack_env  # noqa: E402
from maildaemon.cli import demodata  # noqa: E402
from maildaemon.config import Config, DaemonConfig, SmtpConfig, WebConfig  # noqa: E402
from maildaemon.core.campaign import campaign_from_text  # noqa: E402
from maildaemon.intake.roster import RosterRow  # noqa: E402
from maildaemon.outbound.planner import plan_campaign  # noqa: E402
from maildaemon.outbound.sender import Sender  # noqa: E402
from maildaemon.store import Store, tables  # noqa: E402
from maildaemon.store.bulk import insert_rows  # noqa: E402
from maildaemon.web import accounts  # noqa: E402
from maildaemon.web.app import build_app  # noqa: E402
from maildaemon.web.share import DAEMON_SHARE  # noqa: E402

PASSWORD = "mat-khau-du-dai-2026"
DEPARTMENTS, UNITS = 8, 4  # 1 province + 8 departments + 32 units = 41 agencies
PAGES = (
    "overview",
    "overview_shared",
    "agency",
    "agency_bounced",
    "unit_bounced",
    "search_name",
    "search_address",
    "person",
)
REASONS = ("userunknown", "mailboxfull", "nosuchdomain", "policy")


@dataclass
class Seeded:
    """What the timed requests open in one seeded database."""

    url: str
    campaign: str
    province: int  # the top agency: an operator's searches cover the whole campaign
    department: int  # an agency with units below it
    unit: int  # one of them: a focal point's page
    person: int  # a bounced person with a few events
    name_fragment: str
    address_fragment: str


def _name(rng: random.Random) -> str:
    female = rng.random() < 0.5
    middle = demodata.MIDDLE_F if female else demodata.MIDDLE_M
    given = demodata.GIVEN_F if female else demodata.GIVEN_M
    return f"{rng.choice(demodata.FAMILY)} {rng.choice(middle)} {rng.choice(given)}"


def _state(i: int, rng: random.Random, now: datetime) -> dict[str, Any]:
    """Realistic states: 10% not yet invited, 10% bounced or failed, of the rest a third completed,
    some replied and away."""
    r = rng.random()
    if r < 0.10:
        return {"delivery": "new", "completion": "pending"}
    if r < 0.18:
        return {"delivery": "bounced", "completion": "pending", "reason": REASONS[i % len(REASONS)],
                "status_code": "5.1.1", "hard_bounce": True}  # fmt: skip
    if r < 0.20:
        return {"delivery": "failed", "completion": "pending", "reason": "timeout", "status_code": "4.4.1"}
    s = rng.random()
    completion = "completed" if s < 0.33 else "replied" if s < 0.37 else "away" if s < 0.41 else "pending"
    out: dict[str, Any] = {
        "delivery": "delivered" if rng.random() < 0.5 else "sent",
        "completion": completion,
    }
    if completion == "away":
        out["away_until"] = now + timedelta(days=rng.randint(1, 20))
    if completion == "completed":
        out["completed_at"] = now - timedelta(hours=rng.randint(1, 48))
    return out


async def seed(url: str, n: int, now: datetime) -> Seeded:
    """A campaign of ``n`` people in 41 agencies with outbox rows and events, an operator account."""
    store = Store(url)
    await store.init_schema()
    text = campaign_text(now).replace('name = "bench"', 'name = "web"')
    campaign = campaign_from_text(text, "web")
    cid = await store.create_campaign(campaign, text, now)
    rng = random.Random(17)
    A, R, OB, E = tables.agencies, tables.respondents, tables.outbox, tables.events
    async with store.tx() as conn:
        (province,) = await insert_rows(conn, A, [{"campaign_id": cid, "code": "KH", "name": demodata.PROVINCE,
                                                   "parent_id": None, "level": 0}], returning=("id",))  # fmt: skip
        depts = await insert_rows(conn, A, [{"campaign_id": cid, "code": f"S{d}", "name": f"Sở số {d}",
                                             "parent_id": province[0], "level": 1} for d in range(DEPARTMENTS)],
                                  returning=("id",))  # fmt: skip
        units = await insert_rows(conn, A, [{"campaign_id": cid, "code": f"S{d}-P{u}", "name": f"Phòng {u} Sở số {d}",
                                             "parent_id": depts[d][0], "level": 2}
                                            for d in range(DEPARTMENTS) for u in range(UNITS)], returning=("id",))  # fmt: skip
    homes = [d[0] for d in depts] + [u[0] for u in units]  # 40 agencies with people
    base = {c.name: None for c in R.c if c.name != "id"}
    people = []
    for i in range(n):
        row = dict(base)
        name = _name(rng)
        row.update(campaign_id=cid, agency_id=homes[i % len(homes)], email=f"cb{i:06d}@khanhhoa.test",
                   email_key=f"cb{i:06d}@khanhhoa.test", token=f"t{i:026d}", full_name=name, honorific="",
                   title=rng.choice(demodata.TITLES), respondent_group="", phone="", extra="{}", source_line=i + 2,
                   transient_count=0, force_send=False, hard_bounce=False, created_at=now, updated_at=now)  # fmt: skip
        row.update(_state(i, rng, now))
        if row["delivery"] != "new":
            row["invited_at"] = row["last_sent_at"] = now - timedelta(days=2)
        people.append(row)
    async with store.tx() as conn:
        ids = [r[0] for r in await insert_rows(conn, R, people, returning=("id",))]
    outbox, events = [], []
    for rid, p in zip(ids, people, strict=True):
        if p["delivery"] == "new":
            continue
        sent = p["invited_at"]
        outbox.append({"campaign_id": cid, "respondent_id": rid, "kind": "invitation", "state": "sent",
                       "recipient_domain": "khanhhoa.test", "attempts": 1, "not_before": sent, "first_attempt_at": sent,
                       "sent_at": sent, "last_code": 250, "created_at": sent, "updated_at": sent})  # fmt: skip
        ev = {"campaign_id": cid, "respondent_id": rid, "source": "relay", "detail": ""}
        events.append({**ev, "at": sent, "field": "outbox", "old_value": "queued", "new_value": "sent"})
        events.append({**ev, "at": sent, "field": "delivery", "old_value": "new", "new_value": "sent"})
        if p["delivery"] != "sent":
            events.append({**ev, "at": sent + timedelta(hours=1), "field": "delivery", "old_value": "sent",
                           "new_value": p["delivery"], "source": "inbound"})  # fmt: skip
        if p["completion"] != "pending":
            events.append({**ev, "at": sent + timedelta(hours=5), "field": "completion", "old_value": "pending",
                           "new_value": p["completion"], "source": "link"})  # fmt: skip
    async with store.tx() as conn:
        await insert_rows(conn, OB, outbox)
        await insert_rows(conn, E, events)
    await store.refresh_statistics()  # as `maildaemon import` does after a roster
    if store.dialect == "postgresql":  # what autovacuum does after a bulk load: statistics, visibility map
        async with store.engine.connect() as conn:
            await (await conn.execution_options(isolation_level="AUTOCOMMIT")).exec_driver_sql(
                "VACUUM ANALYZE"
            )
    await accounts.add_user(store, username="op", password=PASSWORD, role="operator", campaign="web", agency=None,
                            display_name="op", now=now, by="bench")  # fmt: skip
    await store.close()
    bounced = next(rid for rid, p in zip(ids, people, strict=True) if p["delivery"] == "bounced")
    # a name fragment (one given name: a few % of people) and an address fragment (about one person)
    return Seeded(
        url, "web", province[0], depts[0][0], units[0][0], bounced, "Phượng", f"cb{n // 2:06d}"[:-1]
    )


def _csrf(html: str) -> str:
    m = re.search(r'name="csrf" value="([^"]+)"', html)
    if not m:
        raise SystemExit("bench: no CSRF field on the login page")
    return m.group(1)


async def signed_in(app: Any) -> httpx.AsyncClient:
    client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://console.test")
    page = await client.get("/login")
    r = await client.post("/login", data={"csrf": _csrf(page.text), "username": "op", "password": PASSWORD})
    if r.status_code != 303:
        raise SystemExit(f"bench: sign-in refused ({r.status_code})")
    return client


def paths(s: Seeded) -> dict[str, str]:
    a = f"/c/{s.campaign}/a"
    return {
        "overview": "/",  # the campaign's figures aggregated afresh for each request: what the aggregate costs
        "overview_shared": "/",  # as open tabs see it: the figures shared for 2 s (web.counts), as every page
        "agency": f"{a}/{s.department}",
        "agency_bounced": f"{a}/{s.department}?status=bounced",
        "unit_bounced": f"{a}/{s.unit}?status=bounced",
        "search_name": f"{a}/{s.province}?q={s.name_fragment}",  # the province: the whole campaign
        "search_address": f"{a}/{s.province}?q={s.address_fragment}",
        "person": f"/c/{s.campaign}/p/{s.person}",
    }


async def timed_get(client: httpx.AsyncClient, path: str) -> float:
    t0 = time.perf_counter()
    r = await client.get(path)
    took = time.perf_counter() - t0
    if r.status_code != 200:
        raise SystemExit(f"bench: GET {path} answered {r.status_code}")
    return took


async def pages(small: Seeded, big: Seeded, reps: int) -> dict[str, dict[str, float]]:
    """Median ms per page at each size; the sizes alternate request by request."""
    stores = {"small": Store(small.url), "big": Store(big.url)}
    apps = {k: build_app(s, WebConfig()) for k, s in stores.items()}
    clients = {k: await signed_in(app) for k, app in apps.items()}
    where = {"small": paths(small), "big": paths(big)}
    took: dict[str, dict[str, list[float]]] = {p: {"small": [], "big": []} for p in PAGES}
    try:
        for page in PAGES:
            for size in ("small", "big"):  # warm: templates compiled, caches filled
                await timed_get(clients[size], where[size][page])
            for rep in range(reps):
                for size in ("small", "big") if rep % 2 else ("big", "small"):
                    if (
                        page == "overview"
                    ):  # the whole campaign's figures counted afresh: the aggregate's cost
                        apps[size].state.console.counts.forget()
                    took[page][size].append(await timed_get(clients[size], where[size][page]))
    finally:
        for c in clients.values():
            await c.aclose()
        for s in stores.values():
            await s.close()
    return {p: {k: statistics.median(v) * 1000 for k, v in took[p].items()} for p in PAGES}


async def browse(client: httpx.AsyncClient, where: dict[str, str], stop: asyncio.Event, seed_: int,
                 done: list[int]) -> None:  # fmt: skip
    """One signed-in person clicking around until ``stop``: every page in a shuffled order."""
    rng = random.Random(seed_)
    order = list(PAGES)
    while not stop.is_set():
        rng.shuffle(order)
        for page in order:
            if stop.is_set():
                return
            r = await client.get(where[page])
            if r.status_code != 200:
                raise SystemExit(f"bench: a browsing session got {r.status_code} for {where[page]}")
            done[0] += 1


async def send_once(store: Store, n: int, tag: str, host: str, port: int, tmp: Path) -> float:
    """Seconds the sender takes for ``n`` planned invitations to the sink (claim, render, SMTP, record)."""
    now = datetime.now(UTC)
    text = campaign_text(now).replace('name = "bench"', f'name = "{tag}"')
    campaign = campaign_from_text(text, tag)
    cid = await store.create_campaign(campaign, text, now)
    rows = (RosterRow(line=i + 2, email=f"{tag}-{i}@discard.test", full_name="Nguyễn Thị Thu Hà", title="Chuyên viên",
                      agency_name=f"Phòng {i % 40}", agency_code=f"P{i % 40}", honorific="bà") for i in range(n))  # fmt: skip
    await store.import_roster(cid, "Tỉnh Khánh Hòa", rows, now, tag)
    await plan_campaign(store, cid, campaign, False, datetime.now(UTC))
    cfg = Config(daemon=DaemonConfig(state_dir=str(tmp)),
                 smtp=SmtpConfig(host=host, port=port, security="none", connections=10, per_domain_concurrency=10,
                                 batch_size=1000, messages_per_connection=100_000))  # fmt: skip
    sender = Sender(store, cfg, f"bench-{tag}", now=lambda: datetime.now(UTC))
    t0 = time.perf_counter()
    while sender.stats.sent < n:
        if await sender.run_once() == 0:
            break
    elapsed = time.perf_counter() - t0
    await sender.close()
    if sender.stats.sent != n:
        raise SystemExit(f"bench: sent {sender.stats.sent} of {n}")
    return elapsed


async def sender_under_load(big: Seeded, n: int, sessions: int, rounds: int, host: str, port: int, tmp: Path,
                            share: float | None) -> dict[str, Any]:  # fmt: skip
    """The sender's rate idle and with ``sessions`` browsing in this loop, alternated; median ratio.
    ``share``: the console's share of the loop (web.share, as the daemon serves it), None: unbounded."""
    store = Store(big.url)  # one store for both, as in the daemon
    app = build_app(store, WebConfig(), loop_share=share)  # as `maildaemon run` serves it
    clients = [await signed_in(app) for _ in range(sessions)]
    where = paths(big)
    out: dict[str, list[float]] = {"idle": [], "busy": [], "requests_per_s": []}
    try:
        for round_ in range(rounds):
            for mode in ("idle", "busy") if round_ % 2 == 0 else ("busy", "idle"):
                stop, done = asyncio.Event(), [0]
                tasks = [asyncio.create_task(browse(c, where, stop, i, done)) for i, c in enumerate(clients)] \
                    if mode == "busy" else []  # fmt: skip
                t = await send_once(store, n, f"s{round_}{mode}", host, port, tmp)
                stop.set()
                await asyncio.gather(*tasks)
                out[mode].append(n / t)
                if mode == "busy":
                    out["requests_per_s"].append(done[0] / t)
            print(f"  round {round_ + 1}: idle {out['idle'][-1]:6.0f} msg/s   busy {out['busy'][-1]:6.0f} msg/s"
                  f" ({out['requests_per_s'][-1]:.0f} console requests/s)   ratio "
                  f"{out['busy'][-1] / out['idle'][-1]:.3f}", flush=True)  # fmt: skip
    finally:
        for c in clients:
            await c.aclose()
        await store.close()
    ratios = sorted(b / i for b, i in zip(out["busy"], out["idle"], strict=True))
    return {"idle_rate": round(statistics.median(out["idle"]), 1), "busy_rate": round(statistics.median(out["busy"]), 1),
            "console_rps": round(statistics.median(out["requests_per_s"]), 1),
            "send_ratio": round(ratios[len(ratios) // 2], 3), "send_ratios": [round(r, 3) for r in ratios]}  # fmt: skip


def fresh_pg(admin: str, name: str, drop_only: bool = False) -> str:
    """A database of its own on the server (the tests' databases are left alone); dropped after."""
    import asyncpg

    async def run() -> None:
        conn = await asyncpg.connect(admin)
        await conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        if not drop_only:
            await conn.execute(f"CREATE DATABASE {name}")
        await conn.close()

    asyncio.run(run())
    return admin.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://") + "/" + name


def timed(label: str, fn: Callable[[], Awaitable[Seeded]]) -> Seeded:
    t0 = time.perf_counter()
    out = asyncio.run(fn())  # type: ignore[arg-type]
    print(f"  seeded {label} in {time.perf_counter() - t0:.1f}s", flush=True)
    return out


def engine(name: str, urls: tuple[str, str], args: argparse.Namespace, sink: tuple[str, int] | None,
           tmp: Path) -> dict[str, Any]:  # fmt: skip
    now = datetime.now(UTC)
    print(f"{name}:", flush=True)
    small = timed(f"{args.small:,} respondents", lambda: seed(urls[0], args.small, now))
    big = timed(f"{args.big:,} respondents", lambda: seed(urls[1], args.big, now))
    ms = asyncio.run(pages(small, big, args.reps))
    out: dict[str, Any] = {}
    for page in PAGES:
        ratio = ms[page]["big"] / ms[page]["small"]
        out[page] = {"small_ms": round(ms[page]["small"], 2), "big_ms": round(ms[page]["big"], 2),
                     "ratio": round(ratio, 2)}  # fmt: skip
        print(f"  {page:15} {args.small // 1000}k {ms[page]['small']:8.1f} ms   {args.big // 1000}k "
              f"{ms[page]['big']:8.1f} ms   ratio {ratio:5.2f}{'' if ratio <= 2 else '   > 2'}", flush=True)  # fmt: skip
    if sink is not None and args.rounds > 0:
        print(
            f"  sender to smtp-sink, N={args.send_n}, idle vs {args.sessions} sessions browsing:", flush=True
        )
        out["send"] = r = asyncio.run(
            sender_under_load(
                big,
                args.send_n,
                args.sessions,
                args.rounds,
                *sink,
                tmp,
                None if args.unbounded else DAEMON_SHARE,
            )
        )
        print(f"  sender: idle {r['idle_rate']:.0f} msg/s, busy {r['busy_rate']:.0f} msg/s: ratio {r['send_ratio']:.3f}"
              f" (rounds {r['send_ratios']}; console {r['console_rps']:.0f} requests/s)", flush=True)  # fmt: skip
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--small", type=int, default=1000)
    ap.add_argument("--big", type=int, default=100_000)
    ap.add_argument("--reps", type=int, default=7, help="requests per page and size (median)")
    ap.add_argument("--sessions", type=int, default=50)
    ap.add_argument("--send-n", type=int, default=4000)
    ap.add_argument("--rounds", type=int, default=5, help="idle/busy sender rounds (0: pages only)")
    ap.add_argument("--unbounded", action="store_true", help="the console without its share of the loop")
    ap.add_argument("--share", type=float, default=DAEMON_SHARE, help="the console's share of the loop")
    ap.add_argument("--engines", default="sqlite,postgresql")
    ap.add_argument("--pg", default="postgresql://postgres@127.0.0.1:5432/test")
    args = ap.parse_args()
    sink: tuple[str, int] | None = None
    started_sink = False
    if args.rounds > 0:
        env = stack_env()
        sink = (env["MAILSTACK_HOST"], int(env["MAILSTACK_SINK_PORT"]))
        if "smtp-sink: running" not in subprocess.run([str(ROOT / "scripts" / "mailstack"), "status"],
                                                      capture_output=True, text=True).stdout:  # fmt: skip
            stack("sink-up")
            started_sink = True
    result: dict[str, Any] = {"small": args.small, "big": args.big, "sessions": args.sessions}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for name in args.engines.split(","):
                if name == "sqlite":
                    urls = (f"sqlite+aiosqlite:///{tmp}/small.db", f"sqlite+aiosqlite:///{tmp}/big.db")
                    result[name] = engine(name, urls, args, sink, Path(tmp))
                elif name == "postgresql" and args.pg:
                    urls = (fresh_pg(args.pg, "md_bench_web_small"), fresh_pg(args.pg, "md_bench_web_big"))
                    try:
                        result[name] = engine(name, urls, args, sink, Path(tmp))
                    finally:
                        fresh_pg(args.pg, "md_bench_web_small", drop_only=True)
                        fresh_pg(args.pg, "md_bench_web_big", drop_only=True)
    finally:
        if started_sink:
            stack("sink-down")
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
