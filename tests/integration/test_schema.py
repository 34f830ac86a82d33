"""The newest migration, schema.sql (the readable reference) and the SQLAlchemy tables agree, on
SQLite and PostgreSQL."""

from pathlib import Path
from typing import Any

from sqlalchemy import UniqueConstraint, inspect
from sqlalchemy.types import BigInteger, Boolean, DateTime, Integer, LargeBinary, String, Text

from maildaemon.store import Store, migrations, tables
from maildaemon.store.schema import statements


def _family(t: Any) -> str:
    for cls, name in (
        (Boolean, "bool"), (DateTime, "time"), (LargeBinary, "bytes"), (BigInteger, "int"),
        (Integer, "int"), (Text, "text"), (String, "text"),
    ):  # fmt: skip
        if isinstance(t, cls):
            return name
    impl = getattr(t, "impl", None)
    if impl is not None:
        return _family(impl() if isinstance(impl, type) else impl)
    if type(t).__name__ in ("BYTEA", "BLOB"):
        return "bytes"
    if type(t).__name__ in ("TIMESTAMP",):
        return "time"
    raise AssertionError(f"unknown type {t!r}")


async def test_migrated_schema_matches_tables(store: Store) -> None:
    def reflect(sync_conn: Any) -> dict[str, Any]:
        insp = inspect(sync_conn)
        out: dict[str, Any] = {}
        for name in insp.get_table_names():
            # SQLite's trigram index (0006) is a virtual table and its shadow tables: no Table object
            if name.startswith(("sqlite_", "respondents_fts")) or name == "alembic_version":
                continue
            out[name] = {
                "columns": {
                    c["name"]: (_family(c["type"]), bool(c["nullable"])) for c in insp.get_columns(name)
                },
                "pk": tuple(insp.get_pk_constraint(name)["constrained_columns"]),
                "unique": sorted(
                    {tuple(u["column_names"]) for u in insp.get_unique_constraints(name)}
                    | {tuple(i["column_names"]) for i in insp.get_indexes(name) if i.get("unique")}
                ),
                "indexes": sorted(
                    (i["name"], tuple(i["column_names"]))
                    for i in insp.get_indexes(name)
                    if not i.get("unique")
                ),
                "fks": sorted(
                    (tuple(f["constrained_columns"]), f["referred_table"])
                    for f in insp.get_foreign_keys(name)
                ),
            }
        return out

    async with store.engine.connect() as conn:
        live = await conn.run_sync(reflect)
    assert set(live) == set(tables.metadata.tables)
    for name, table in tables.metadata.tables.items():
        want_cols = {c.name: (_family(c.type), bool(c.nullable)) for c in table.columns}
        # a primary key column is NOT NULL even where the table object says nullable
        for pk in table.primary_key.columns:  # SQLite reports INTEGER PRIMARY KEY as nullable
            want_cols[pk.name] = (want_cols[pk.name][0], False)
            live[name]["columns"][pk.name] = (live[name]["columns"][pk.name][0], False)
        assert live[name]["columns"] == want_cols, name
        assert live[name]["pk"] == tuple(c.name for c in table.primary_key.columns), name
        uniques = {
            tuple(c.name for c in u.columns) for u in table.constraints if isinstance(u, UniqueConstraint)
        }
        uniques |= {(c.name,) for c in table.columns if c.unique}
        assert sorted(live[name]["unique"]) == sorted(uniques), name
        indexes = sorted(
            (i.name, tuple(c.name for c in i.columns))
            for i in table.indexes
            if i.info.get("dialect", store.dialect) == store.dialect  # pg_trgm's index: PostgreSQL only
        )
        assert live[name]["indexes"] == indexes, name
        fks = sorted(((fk.parent.name,), fk.column.table.name) for fk in table.foreign_keys)
        assert live[name]["fks"] == fks, name


async def test_init_is_idempotent_and_versioned(store: Store) -> None:
    assert await store.init_schema() is False
    assert await store.schema_version() == tables.SCHEMA_VERSION == migrations.newest_version()
    await store.require_schema()


def _full_reflection(sync_conn: Any, schema: str | None) -> dict[str, Any]:
    """Everything the inspector reports about each table, in a form two databases can be compared by."""
    insp = inspect(sync_conn)
    out: dict[str, Any] = {}
    for name in sorted(insp.get_table_names(schema=schema)):
        if name.startswith("sqlite_") or name == "alembic_version":
            continue
        pk = insp.get_pk_constraint(name, schema=schema)
        out[name] = {
            "columns": [
                (
                    c["name"],
                    str(c["type"]),
                    c["nullable"],
                    _default(c.get("default")),
                    c.get("autoincrement"),
                    repr(c.get("identity")),
                )
                for c in insp.get_columns(name, schema=schema)
            ],  # fmt: skip
            "pk": (pk.get("name"), tuple(pk["constrained_columns"])),
            "unique": sorted(
                (u["name"], tuple(u["column_names"]))
                for u in insp.get_unique_constraints(name, schema=schema)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in insp.get_indexes(name, schema=schema)
            ),
            "fks": sorted(
                (
                    tuple(f["constrained_columns"]),
                    f["referred_table"],
                    tuple(f["referred_columns"]),
                    repr(sorted(f.get("options", {}).items())),
                )
                for f in insp.get_foreign_keys(name, schema=schema)
            ),  # fmt: skip
            "checks": sorted(
                (c["name"], c["sqltext"]) for c in insp.get_check_constraints(name, schema=schema)
            ),
        }
    return out


def _default(value: Any) -> Any:
    # PostgreSQL reflects sequences under their own, database-chosen names; the identity covers them
    return None if isinstance(value, str) and value.startswith("nextval(") else value


async def test_schema_sql_equals_the_newest_migration(db_url: str, tmp_path: Path) -> None:
    """Two databases side by side: one from schema.sql, one from the migrations; reflections equal."""
    sqlite = db_url.startswith("sqlite")
    ref_url = f"sqlite+aiosqlite:///{tmp_path / 'reference.db'}" if sqlite else db_url
    ref_schema = None if sqlite else "reference"  # PostgreSQL: a second schema in the same database
    ref, mig = Store(ref_url), Store(db_url)
    try:
        async with ref.tx() as conn:
            if ref_schema:
                await conn.exec_driver_sql(f"DROP SCHEMA IF EXISTS {ref_schema} CASCADE")
                await conn.exec_driver_sql(f"CREATE SCHEMA {ref_schema}")
                # extensions are per database: pg_trgm in public, where the migrations look for it too
                await conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public")
                await conn.exec_driver_sql(f"SET LOCAL search_path TO {ref_schema}, public")
            for stmt in statements(ref.dialect):
                await conn.exec_driver_sql(stmt)
        await mig.init_schema()
        async with ref.engine.connect() as conn:
            want = await conn.run_sync(_full_reflection, ref_schema)
        async with mig.engine.connect() as conn:
            got = await conn.run_sync(_full_reflection, None)
        assert list(got) == list(want)
        for name in want:
            assert got[name] == want[name], name
    finally:
        await ref.close()
        await mig.close()
