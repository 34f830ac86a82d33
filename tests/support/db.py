"""Database fixtures: every store test runs on SQLite and on the real PostgreSQL.

PostgreSQL: a throw-away database per test session on 127.0.0.1:5432 (trust auth, made from the
`test` database); each test gets a freshly created schema. Set MAILDAEMON_TEST_PG to another
server URL, or to "off" to skip the PostgreSQL half where no server runs.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from maildaemon.store import Store

PG_ADMIN = os.environ.get("MAILDAEMON_TEST_PG", "postgresql://postgres@127.0.0.1:5432/test")


async def _pg_admin(sql: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(PG_ADMIN.replace("postgresql+asyncpg", "postgresql"), timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture(scope="session")
def pg_url() -> Iterator[str]:
    """URL of a throw-away PostgreSQL database for this session."""
    if PG_ADMIN == "off":
        pytest.skip("PostgreSQL tests turned off (MAILDAEMON_TEST_PG=off)")
    name = f"maildaemon_test_{os.getpid()}"
    try:
        asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {name}"))
        asyncio.run(_pg_admin(f"CREATE DATABASE {name}"))
    except (OSError, ConnectionError) as exc:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no PostgreSQL at {PG_ADMIN}: {exc}")
    base = PG_ADMIN.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    asyncio.run(_pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


async def _fresh_pg_schema(url: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url, timeout=10)
    try:
        await conn.execute("DROP SCHEMA public CASCADE; CREATE SCHEMA public;")
    finally:
        await conn.close()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """An empty database URL, once per engine."""
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'maildaemon.db'}"
    url: str = request.getfixturevalue("pg_url")
    asyncio.run(_fresh_pg_schema(url))
    return url


@pytest.fixture
async def store(db_url: str) -> AsyncIterator[Store]:
    """A Store with the schema created, on each engine."""
    s = Store(db_url)
    await s.init_schema()
    try:
        yield s
    finally:
        await s.close()
