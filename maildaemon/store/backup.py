"""Backup and restore of the SQLite database with SQLite's online backup API.

A backup is one self-contained file (rollback journal, not WAL) copied in one step, so it is a
consistent snapshot even while the daemon writes. A restore first checks that the file is ours (a
whole SQLite database with maildaemon's schema, of a version this release knows), keeps the current
database beside it, and swaps the file in with one rename. PostgreSQL has pg_dump for this.
"""

from __future__ import annotations

import logging
import os
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from maildaemon.errors import InputError, StoreError

log = logging.getLogger(__name__)

_MAGIC = b"SQLite format 3\x00"
_OUR_TABLES = frozenset({"campaigns", "respondents", "outbox", "inbound", "events"})


@dataclass(frozen=True, slots=True)
class BackupInfo:
    """What a backup file holds, as checked before it is trusted."""

    path: Path
    version: int
    campaigns: int
    respondents: int
    size: int
    seconds: float = 0.0


def check_file(path: Path, newest: int) -> BackupInfo:
    """Refuse anything but a whole maildaemon SQLite database of schema version <= ``newest``."""
    try:
        with path.open("rb") as fh:
            header = fh.read(100)
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(f"cannot read backup {path}: {exc.strerror or exc}") from exc
    if len(header) < 100 or not header.startswith(_MAGIC):
        raise InputError(f"{path} is not a maildaemon backup: not a SQLite database")
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    pages = int.from_bytes(header[28:32], "big")
    if pages and size < pages * page_size:
        raise InputError(
            f"{path} is truncated: its header counts {pages} pages of {page_size} bytes, "
            f"the file has {size} bytes"
        )
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    except sqlite3.Error as exc:
        raise InputError(f"{path} cannot be opened as a SQLite database: {exc}") from exc
    try:
        problems = [r[0] for r in conn.execute("PRAGMA quick_check").fetchall()]
        if problems != ["ok"]:
            raise InputError(f"{path} is damaged: {'; '.join(problems[:3])}")
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if not tables >= _OUR_TABLES or not {"alembic_version", "schema_version"} & tables:
            raise InputError(f"{path} is a SQLite database but not maildaemon's (its tables are not ours)")
        if "alembic_version" in tables:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        else:
            row = conn.execute("SELECT MAX(version) FROM schema_version").fetchone()
        try:
            version = int(row[0])
        except (TypeError, ValueError):
            raise InputError(f"{path} has no schema version maildaemon knows ({row!r})") from None
        campaigns = int(conn.execute("SELECT COUNT(*) FROM campaigns").fetchone()[0])
        respondents = int(conn.execute("SELECT COUNT(*) FROM respondents").fetchone()[0])
    except sqlite3.DatabaseError as exc:
        raise InputError(f"{path} cannot be read as a maildaemon database: {exc}") from exc
    finally:
        conn.close()
    if version > newest:
        raise InputError(
            f"{path} has schema version {version}, newer than this maildaemon ({newest}): "
            "restore it with the release that made it"
        )
    return BackupInfo(path, version, campaigns, respondents, size)


def _copy(source: sqlite3.Connection, dest: Path) -> None:
    """Online backup of ``source`` into a new file ``dest``, left in rollback-journal mode."""
    target = sqlite3.connect(dest)
    try:
        source.backup(target)  # all pages in one step: one read transaction, one snapshot
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()


def backup(db: Path, dest: Path, newest: int) -> BackupInfo:
    """Copy the live database ``db`` to ``dest`` (written beside it, then renamed into place)."""
    if not db.is_file():
        raise StoreError(f"no database at {db}")
    if dest.exists() and dest.is_dir():
        raise InputError(f"{dest} is a directory; name the backup file")
    start = time.monotonic()
    tmp = dest.with_name(f".{dest.name}.partial")
    tmp.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, timeout=30)
        try:
            _copy(source, tmp)
        finally:
            source.close()
        info = check_file(tmp, newest)
        os.replace(tmp, dest)
    except sqlite3.Error as exc:
        raise StoreError(f"backup of {db} failed: {exc}") from exc
    except OSError as exc:
        raise StoreError(f"cannot write backup {dest}: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    seconds = time.monotonic() - start
    log.info("db.backup file=%s bytes=%d duration=%.2fs", dest, info.size, seconds)
    return BackupInfo(dest, info.version, info.campaigns, info.respondents, info.size, seconds)


def restore(source: Path, db: Path, newest: int) -> tuple[BackupInfo, Path | None]:
    """Put the checked backup ``source`` in place of ``db``; returns (what it holds, where the old one went).

    The caller holds the daemon's lock: nothing else may write while the file is swapped.
    """
    info = check_file(source, newest)
    kept: Path | None = None
    tmp = db.with_name(f".{db.name}.restoring")
    try:
        db.parent.mkdir(parents=True, exist_ok=True)
        if db.is_file():
            kept = db.with_name(f"{db.name}.before-restore-{datetime.now(UTC):%Y%m%dT%H%M%SZ}")
            current = sqlite3.connect(db, timeout=30)
            try:
                _copy(current, kept)  # takes the WAL's last writes along
            finally:
                current.close()
        tmp.unlink(missing_ok=True)
        src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
        try:
            _copy(src, tmp)
        finally:
            src.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        os.replace(tmp, db)
    except sqlite3.Error as exc:
        raise StoreError(f"restore of {source} into {db} failed: {exc}") from exc
    except OSError as exc:
        raise StoreError(f"restore of {source} into {db} failed: {exc.strerror or exc}") from exc
    finally:
        tmp.unlink(missing_ok=True)
    log.info("db.restore file=%s into=%s kept=%s", source, db, kept)
    return info, kept
