"""Batch statements for the hot paths (relay answers, inbound mail, their events), written as plain
SQL with the driver's placeholders: SQLAlchemy's per-row parameter machinery cost more than the
database itself there. Values still go through each column type's own bind processor, so what is
stored is exactly what the ORM-level statements store (naive UTC datetimes, booleans, ...). The
same goes for the batch reads keyed by a list of values (``select_in``): building and expanding an
``IN`` of 500 bound values cost more CPU than running the query.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import Column, LargeBinary, Table
from sqlalchemy.engine import Dialect, Row
from sqlalchemy.ext.asyncio import AsyncConnection

MAX_PARAMS = 32000  # below SQLite's and PostgreSQL's limits on parameters per statement

_Processor = Callable[[Any], Any] | None


class _Columns:
    """Column names, quoted, with their bind processors (remembering the last value: most rows of a
    batch share the same timestamp)."""

    def __init__(self, table: Table, names: Sequence[str], dialect: Dialect) -> None:
        quote = dialect.identifier_preparer.quote
        self.names = list(names)
        self.sql = [quote(n) for n in names]
        # bytes go to every driver as they are (the generic binary processor only wraps them)
        self.procs: list[_Processor] = [
            None if isinstance(table.c[n].type, LargeBinary) else table.c[n].type.bind_processor(dialect)
            for n in names
        ]
        self._active = [(i, proc) for i, proc in enumerate(self.procs) if proc is not None]
        self._memo: list[tuple[Any, Any]] = [(object(), None)] * len(names)
        get = itemgetter(*names)
        self._get: Callable[[Mapping[str, Any]], Sequence[Any]] = (
            get if len(names) > 1 else lambda row: (get(row),)
        )

    def values(self, row: Mapping[str, Any]) -> Sequence[Any]:
        """The row's values in column order, each through its column's bind processor."""
        if not self._active:
            return self._get(row)
        out = list(self._get(row))
        for i, proc in self._active:
            v = out[i]
            if v is not None:
                last_in, last_out = self._memo[i]
                if v is not last_in:
                    last_out = proc(v)
                    self._memo[i] = (v, last_out)
                out[i] = last_out
        return out


def _placeholders(dialect: Dialect, start: int, count: int) -> list[str]:
    if dialect.paramstyle == "qmark":
        return ["?"] * count
    if dialect.paramstyle in ("numeric_dollar",):
        return [f"${i}" for i in range(start + 1, start + count + 1)]
    if dialect.paramstyle == "numeric":
        return [f":{i}" for i in range(start + 1, start + count + 1)]
    return ["%s"] * count  # format / pyformat drivers


def marks(dialect: Dialect, start: int, count: int) -> str:
    """``count`` placeholders, comma separated, for the parameters at ``start``, ``start + 1``, ..."""
    return ", ".join(_placeholders(dialect, start, count))


async def select_in(
    conn: AsyncConnection,
    sql: str,
    values: Sequence[Any],
    *,
    after: Sequence[tuple[Column[Any], Any]] = (),
) -> list[Row[Any]]:
    """The rows of ``sql``, whose ``{values}`` is filled with the placeholders of ``values`` (a query
    per MAX_PARAMS of them) and whose ``{after}`` placeholders (see ``marks``), following them, take
    the values of ``after``, each through its column's bind processor. Values go to the driver as
    they are: strings and integers, which need no processing."""
    if not values:
        return []
    dialect = conn.dialect
    tail = [v if (proc := col.type.bind_processor(dialect)) is None else proc(v) for col, v in after]
    per_stmt = max(1, MAX_PARAMS - len(tail))
    out: list[Row[Any]] = []
    for start in range(0, len(values), per_stmt):
        chunk = list(values[start : start + per_stmt])
        text = sql.format(values=marks(dialect, 0, len(chunk)), after=marks(dialect, len(chunk), len(tail)))
        out.extend((await conn.exec_driver_sql(text, (*chunk, *tail))).all())
    return out


async def insert_rows(
    conn: AsyncConnection,
    table: Table,
    rows: Sequence[Mapping[str, Any]],
    *,
    conflict: str | Sequence[str] = "",
    returning: Sequence[str] = (),
) -> list[tuple[Any, ...]]:
    """INSERT many rows with multi-row VALUES (so RETURNING works on every engine); ``conflict`` names
    the unique column (or columns) whose duplicates are skipped. Every row has the same columns."""
    if not rows:
        return []
    dialect = conn.dialect
    keys = rows[0].keys()
    if any(row.keys() != keys for row in rows):
        raise ValueError(f"insert into {table.name}: rows with different columns")
    cols = _Columns(table, list(keys), dialect)
    per_stmt = max(1, MAX_PARAMS // len(cols.names))
    head = f"INSERT INTO {dialect.identifier_preparer.format_table(table)} ({', '.join(cols.sql)}) VALUES "
    tail = ""
    if conflict:
        unique = [conflict] if isinstance(conflict, str) else list(conflict)
        tail += f" ON CONFLICT ({', '.join(dialect.identifier_preparer.quote(c) for c in unique)}) DO NOTHING"
    if returning:
        tail += " RETURNING " + ", ".join(dialect.identifier_preparer.quote(n) for n in returning)
    out: list[tuple[Any, ...]] = []
    width = len(cols.names)
    for start in range(0, len(rows), per_stmt):
        chunk = rows[start : start + per_stmt]
        params: list[Any] = []
        groups = []
        for n, row in enumerate(chunk):
            params.extend(cols.values(row))
            groups.append("(" + ", ".join(_placeholders(dialect, n * width, width)) + ")")
        result = await conn.exec_driver_sql(head + ", ".join(groups) + tail, tuple(params))
        if returning:
            out.extend(tuple(r) for r in result.all())
    return out


async def update_rows(
    conn: AsyncConnection, table: Table, key: str, rows: Sequence[Mapping[str, Any]]
) -> None:
    """UPDATE ... WHERE ``key`` = row[key], one executemany per set of columns."""
    dialect = conn.dialect
    shapes: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for row in rows:
        shapes.setdefault(tuple(sorted(k for k in row if k != key)), []).append(row)
    for names, group in shapes.items():
        cols = _Columns(table, [*names, key], dialect)
        marks = _placeholders(dialect, 0, len(cols.names))
        sets = ", ".join(f"{c} = {m}" for c, m in zip(cols.sql[:-1], marks[:-1], strict=True))
        sql = f"UPDATE {dialect.identifier_preparer.format_table(table)} SET {sets} WHERE {cols.sql[-1]} = {marks[-1]}"
        await conn.exec_driver_sql(sql, [tuple(cols.values(r)) for r in group])
