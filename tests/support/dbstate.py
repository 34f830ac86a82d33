"""Databases as older code left them, a demo-sized campaign in them, and a snapshot of every row.

``build_v1`` applies the schema exactly as ``db init`` did before migrations (the frozen SQL of the
baseline, with its schema_version row, no alembic_version). ``fill_demo`` writes a campaign through
the store's own operations; on a version-1 database it fills a newest-schema one the same way and
copies the version-1 columns back (the operations read and write columns later migrations added).
"""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from types import ModuleType
from typing import Any

from sqlalchemy import MetaData, insert, inspect, select, text

from maildaemon.outbound.planner import plan_campaign
from maildaemon.store import SendOutcome, Store, tables
from maildaemon.store.migrations import VERSIONS_DIR
from maildaemon.store.schema import statements
from tests.support.factories import MONDAY_10, make_campaign, roster_rows
from tests.support.mails import autoreply_vi, human_reply, postfix_dsn

NOW = MONDAY_10


def _baseline() -> ModuleType:
    path = VERSIONS_DIR / "0001_baseline.py"
    spec = importlib.util.spec_from_file_location("maildaemon_migration_0001", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


async def build_v1(url: str) -> Store:
    """A store over a database created the way `db init` did at schema version 1."""
    store = Store(url)
    async with store.tx() as conn:
        for stmt in statements(store.dialect, _baseline().V1_SQL):
            await conn.exec_driver_sql(stmt)
    return store


async def fill_demo(store: Store, respondents: int = 60, extra: str = "") -> int:
    """A campaign mid-run: imported, invited, some bounced, away, replied; checks and IMAP state."""
    if await store.schema_version() == 1 and tables.SCHEMA_VERSION > 1:
        return await _fill_as_v1(store, respondents, extra)
    return await _fill(store, respondents, extra)


async def _drop_all(store: Store) -> None:
    async with store.tx() as conn:
        await conn.run_sync(tables.metadata.drop_all)
        await conn.exec_driver_sql("DROP TABLE IF EXISTS alembic_version")


async def _fill_as_v1(store: Store, respondents: int, extra: str) -> int:
    """Fill a newest-schema database, then rebuild it at version 1 with the version-1 columns of every row."""
    await _drop_all(store)
    await store.init_schema()
    cid = await _fill(store, respondents, extra)
    order = [t for t in tables.metadata.sorted_tables if t.name != "schema_version"]
    async with store.tx() as conn:
        rows = {t.name: [dict(r) for r in (await conn.execute(select(t).order_by(*t.primary_key.columns))).mappings()]
                for t in order}  # fmt: skip
    await _drop_all(store)
    async with store.tx() as conn:
        for stmt in statements(store.dialect, _baseline().V1_SQL):
            await conn.exec_driver_sql(stmt)
        v1_tables = await conn.run_sync(lambda c: set(inspect(c).get_table_names()))
        for t in order:
            if t.name not in v1_tables:  # added by a later migration
                continue
            old = await conn.run_sync(
                lambda c, name=t.name: {col["name"] for col in inspect(c).get_columns(name)}
            )
            if rows[t.name]:
                await conn.execute(
                    insert(t), [{k: v for k, v in r.items() if k in old} for r in rows[t.name]]
                )
            if store.dialect == "postgresql" and "id" in t.columns:
                await conn.execute(
                    text(f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
                         f"(SELECT COALESCE(MAX(id), 0) + 1 FROM {t.name}), false)")
                )  # fmt: skip
    return cid


async def _fill(store: Store, respondents: int, extra: str) -> int:
    campaign, text = make_campaign(name="demo-2026", extra="reply_counts_as_completion = true\n" + extra)
    cid = await store.create_campaign(campaign, text, NOW)
    await store.import_roster(cid, "Tỉnh Khánh Hòa", roster_rows(respondents), NOW, "roster.csv")
    await plan_campaign(store, cid, campaign, False, NOW)
    claims = await store.claim("w1", respondents * 2 // 3, NOW, timedelta(minutes=5))
    outcomes = [SendOutcome(c, "sent", 250, "2.0.0 Ok: queued", message_id=f"<m{c.outbox_id}@survey.test>")
                for c in claims[:-4]]  # fmt: skip
    outcomes += [SendOutcome(c, "deferred", 451, "4.7.1 try later", next_attempt=NOW + timedelta(minutes=30))
                 for c in claims[-4:-2]]  # fmt: skip
    await store.record_outcomes(outcomes, NOW)  # the last two stay leased, as in a running daemon
    people = [await store.respondent(cid, f"user{i}@khanhhoa.test") for i in range(1, 13)]
    mails = [postfix_dsn(str(p["token"]), str(p["email"])) for p in people[:4]]
    mails += [autoreply_vi(str(p["token"]), str(p["email"])) for p in people[4:8]]
    mails += [human_reply(str(p["token"]), str(p["email"])) for p in people[8:12]]
    mails.append(b"From: someone@else.test\r\nSubject: =?utf-8?b?w4J1?=\r\n\r\n\xff\xfe not ours\r\n")
    await store.record_inbound_many(list(enumerate(mails, 1)), folder="INBOX", uidvalidity=7, now=NOW)
    await store.save_mailbox_state("INBOX", 7, len(mails), NOW)
    targets = [t async for page in store.check_targets(cid) for t in page][:6]
    await store.record_checks(
        [(t, {"address": t.email, "outcome": "accepted", "code": 250, "mx_host": "mx.khanhhoa.test"}, "ok")
         for t in targets],
        NOW,
    )  # fmt: skip
    await store.set_paused("demo-2026", True, NOW + timedelta(hours=1))
    return cid


async def snapshot(store: Store) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table (columns by name, rows sorted), Alembic's own table left out."""

    def read(sync_conn: Any) -> dict[str, list[tuple[Any, ...]]]:
        meta = MetaData()
        meta.reflect(sync_conn)
        out: dict[str, list[tuple[Any, ...]]] = {}
        for name, table in meta.tables.items():
            if name == "alembic_version" or name.startswith("sqlite_"):
                continue
            cols = sorted(table.columns, key=lambda c: c.name)
            rows = sync_conn.execute(select(*cols)).all()
            out[name] = sorted(
                (tuple((c.name, v) for c, v in zip(cols, row, strict=True)) for row in rows), key=repr
            )
        return out

    async with store.engine.connect() as conn:
        return await conn.run_sync(read)
