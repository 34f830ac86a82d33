"""The store a command opens: ready on first use (embedded SQLite), and closed on the way out, even
when the command fails."""

from __future__ import annotations

from pathlib import Path

import pytest

from maildaemon.cli.usecases import open_store
from maildaemon.config import Config, DaemonConfig
from maildaemon.errors import NotFound, StoreError
from maildaemon.store import Store, tables


def _cfg(tmp_path: Path) -> Config:
    return Config(daemon=DaemonConfig(database_url=f"sqlite:///{tmp_path / 'md.db'}"))


async def test_ready_store_has_the_schema_and_an_unready_one_does_not(tmp_path: Path) -> None:
    async with open_store(_cfg(tmp_path), ready=False) as store:
        assert await store.schema_version() is None
        with pytest.raises(StoreError, match="db init"):
            await store.require_schema()
    async with open_store(_cfg(tmp_path)) as store:
        assert await store.schema_version() == tables.SCHEMA_VERSION


async def test_closed_on_the_way_out_even_after_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed: list[Store] = []
    real_close = Store.close

    async def spy(self: Store) -> None:
        closed.append(self)
        await real_close(self)

    monkeypatch.setattr(Store, "close", spy)
    with pytest.raises(NotFound):
        async with open_store(_cfg(tmp_path)) as store:
            await store.get_campaign("nope")
    assert closed == [store]
    async with Store(f"sqlite:///{tmp_path / 'md.db'}") as direct:
        await direct.require_schema()
    assert closed == [store, direct]
