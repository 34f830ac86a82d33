"""The console's search means the same on SQLite (a trigram FTS5 index from three characters on, a scan
below) and PostgreSQL (ILIKE on a pg_trgm index): a fragment of a name or address, any case, Vietnamese
letters too, diacritics as typed; the user's text is never an FTS5 query; the index follows the rows."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import delete, select, update

from maildaemon.cli import usecases
from maildaemon.store import Store, console, migrations, tables
from maildaemon.store.search import case_spellings, fts_phrase
from tests.support.dbstate import build_v1, fill_demo
from tests.support.factories import MONDAY_10, make_campaign, roster_rows, write_roster_csv

R = tables.respondents
NAMES = [
    "Đỗ Thị Thanh Tâm", "ĐỖ VĂN AN", "đỗ minh", "Nguyễn Thị Hồng", "NGUYEN VAN BINH", "Nguyen Ánh",
    "Ông \"Ba\" OR Tư", "Lê * Năm", "Trần_Văn%Sáu", "Phạm Quốc Việt", "Bùi A", "Huỳnh Ngọc Sơn",
]  # fmt: skip
QUERIES = [
    "đỗ", "ĐỖ", "Đỗ thị", "nguyễn", "NGUYỄN", "nguyen", "thị", "ánh", "ÁNH", "a", "A", "an", "việt", "VIỆT",
    '"', '"ba"', "OR", "or tư", "*", "* n", "_", "%", "n_v", "%s", "user3", "USER1", "@", "khanhhoa",
    "NEAR(", "thanh:tâm", "Sơn)", "^ph", "  bùi a  ", "zzz",
]  # fmt: skip


async def _campaign(store: Store, tmp_path: Path) -> int:
    campaign, text = make_campaign()
    await store.create_campaign(campaign, text, MONDAY_10)
    rows = [replace(r, full_name=name) for r, name in zip(roster_rows(12), NAMES, strict=True)]
    await usecases.import_roster(store, campaign.name, write_roster_csv(tmp_path / "r.csv", rows),
                                 allow_test_domains=True)  # fmt: skip
    async with store.tx(read=True) as conn:
        return int((await conn.execute(select(R.c.campaign_id).limit(1))).scalar_one())


def _expected(rows: list[tuple[str, str]], query: str) -> list[str]:
    q = query.strip().lower()
    return sorted(name for name, key in rows if q in name.lower() or q.casefold() in key)


async def _names(store: Store, cid: int, query: str) -> list[str]:
    people, total = await store.people(cid, None, search=query, limit=100)
    assert total == len(people)
    return sorted(p.full_name for p in people)


async def test_a_search_finds_the_same_people_on_both_engines(store: Store, tmp_path: Path) -> None:
    cid = await _campaign(store, tmp_path)
    async with store.tx(read=True) as conn:
        rows = [(n, k) for n, k in (await conn.execute(select(R.c.full_name, R.c.email_key))).all()]
    assert sorted(n for n, _ in rows) == sorted(NAMES)  # Vietnamese names stored intact
    if store.dialect == "sqlite":
        assert await store._has_fts()  # the index, not the scan, answers three characters or more
    for query in QUERIES:
        assert await _names(store, cid, query) == _expected(rows, query), query
    assert await _names(store, cid, "đỗ") == ["ĐỖ VĂN AN", "Đỗ Thị Thanh Tâm", "đỗ minh"]
    assert await _names(store, cid, "nguyen") == ["NGUYEN VAN BINH", "Nguyen Ánh"]  # diacritics as typed
    assert await _names(store, cid, '"ba" or') == ['Ông "Ba" OR Tư']  # quotes and OR are letters
    # a search inside some agencies and a filter: the index's hits narrowed like the scan's
    agencies = [a.id for a in await store.agencies(cid)][:2]
    people, total = await store.people(cid, agencies, search="thị", status="pending")
    assert (
        total
        == len(people)
        == sum(1 for p in people if p.agency_id in agencies and "thị" in p.full_name.lower())
    )


async def test_the_index_follows_renames_and_deletions(store: Store, tmp_path: Path) -> None:
    cid = await _campaign(store, tmp_path)
    async with store.tx() as conn:
        await conn.execute(
            update(R).where(R.c.full_name == "Phạm Quốc Việt").values(full_name="Phạm Quốc Hưng")
        )
        await conn.execute(update(R).where(R.c.full_name == "Huỳnh Ngọc Sơn").values(delivery="bounced"))
        await conn.execute(delete(R).where(R.c.full_name == "Bùi A"))
    assert await _names(store, cid, "việt") == []
    assert await _names(store, cid, "quốc hưng") == ["Phạm Quốc Hưng"]
    assert await _names(store, cid, "ngọc sơn") == ["Huỳnh Ngọc Sơn"]
    assert await _names(store, cid, "bùi") == []


async def test_an_upgrade_indexes_the_people_already_there(db_url: str) -> None:
    store = await build_v1(db_url)
    try:
        cid = await fill_demo(store)
        await migrations.upgrade(store)
        async with store.tx(read=True) as conn:
            rows = [(n, k) for n, k in (await conn.execute(select(R.c.full_name, R.c.email_key))).all()]
        for query in ("thu hà", "ĐỨC", "user1", "đỗ"):
            want = _expected(rows, query)
            assert want, query
            assert await _names(store, cid, query) == want, query
    finally:
        await store.close()


@pytest.mark.parametrize(("text", "phrase"), [('a"b', '"a""b"'), ("OR", '"OR"'), ("x*", '"x*"')])
def test_the_users_text_is_one_fts5_phrase(text: str, phrase: str) -> None:
    assert fts_phrase(text) == phrase


def test_case_spellings_cover_vietnamese_letters_and_stay_bounded() -> None:
    assert sorted(case_spellings("đỗ")) == sorted(["đỗ", "đỖ", "Đỗ", "ĐỖ"])
    assert case_spellings("ab") == ["ab"]  # LIKE folds ASCII itself
    assert case_spellings("đđđđđđđ") == ["đđđđđđđ"]  # 128 spellings: too many


@pytest.mark.parametrize("sort_at_most", [0, console.SORT_AT_MOST])
async def test_a_filtered_page_is_in_name_order_whether_walked_or_sorted(
    store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, sort_at_most: int
) -> None:
    cid = await _campaign(store, tmp_path)
    async with store.tx() as conn:  # a few bounced people, among them two of the same name
        await conn.execute(update(R).where(R.c.id % 3 == 0).values(delivery="bounced"))
        await conn.execute(update(R).where(R.c.full_name == "Bùi A").values(full_name="Huỳnh Ngọc Sơn"))
        want = (
            await conn.execute(
                select(R.c.id).where(R.c.delivery == "bounced").order_by(R.c.full_name, R.c.id)
            )
        ).all()
    monkeypatch.setattr(console, "SORT_AT_MOST", sort_at_most)
    got = []
    for offset in range(0, 12, 2):
        people, total = await store.people(cid, None, status="bounced", offset=offset, limit=2)
        assert total == len(want)
        got += [p.id for p in people]
    assert got == [i for (i,) in want] and len(got) == 4


async def test_without_the_trigram_index_sqlite_scans_and_says_so(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """A SQLite without FTS5's trigram tokenizer gets no respondents_fts from 0006: the same people."""
    store = Store(f"sqlite+aiosqlite:///{tmp_path / 'nofts.db'}")
    try:
        await store.init_schema()
        async with store.tx() as conn:
            for trigger in ("insert", "delete", "update"):
                await conn.exec_driver_sql(f"DROP TRIGGER respondents_fts_{trigger}")
            await conn.exec_driver_sql("DROP TABLE respondents_fts")
        cid = await _campaign(store, tmp_path)
        async with store.tx(read=True) as conn:
            rows = [(n, k) for n, k in (await conn.execute(select(R.c.full_name, R.c.email_key))).all()]
        for query in QUERIES:
            assert await _names(store, cid, query) == _expected(rows, query), query
        assert not await store._has_fts()
        assert "searches read every row" in caplog.text
    finally:
        await store.close()
