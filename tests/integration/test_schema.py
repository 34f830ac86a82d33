"""schema.sql (what `db init` applies) and the SQLAlchemy tables agree, on SQLite and PostgreSQL."""

from typing import Any

from sqlalchemy import UniqueConstraint, inspect
from sqlalchemy.types import BigInteger, Boolean, DateTime, Integer, LargeBinary, String, Text

from maildaemon.store import Store, tables


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


async def test_schema_sql_matches_tables(store: Store) -> None:
    def reflect(sync_conn: Any) -> dict[str, Any]:
        insp = inspect(sync_conn)
        out: dict[str, Any] = {}
        for name in insp.get_table_names():
            if name.startswith("sqlite_"):
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
        indexes = sorted((i.name, tuple(c.name for c in i.columns)) for i in table.indexes)
        assert live[name]["indexes"] == indexes, name
        fks = sorted(((fk.parent.name,), fk.column.table.name) for fk in table.foreign_keys)
        assert live[name]["fks"] == fks, name


async def test_init_is_idempotent_and_versioned(store: Store) -> None:
    assert await store.init_schema() is False
    assert await store.schema_version() == tables.SCHEMA_VERSION
    await store.require_schema()
