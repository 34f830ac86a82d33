"""The console's searches at scale on SQLite (issue 17, item 7): a trigram full-text index (FTS5) over
the respondents' names and addresses, an external-content table kept in step by triggers and filled here
from the rows already there, so a search for a fragment of three characters or more reads only the
people it finds. PostgreSQL has its trigram index since 0005: nothing changes there. A SQLite built
without FTS5 or its trigram tokenizer (before 3.34) keeps reading every row, with a warning. Only adds."""

from __future__ import annotations

import logging

from alembic import op
from sqlalchemy.exc import DBAPIError

from maildaemon.store.schema import statements

log = logging.getLogger(__name__)

revision = "0006"
down_revision: str | None = "0005"
branch_labels = None
depends_on = None

V6_SQL = """\
CREATE VIRTUAL TABLE respondents_fts USING fts5 (
    full_name, email_key, content = 'respondents', content_rowid = 'id', tokenize = 'trigram'
);
CREATE TRIGGER respondents_fts_insert AFTER INSERT ON respondents BEGIN
    INSERT INTO respondents_fts (rowid, full_name, email_key) VALUES (new.id, new.full_name, new.email_key);
END;
CREATE TRIGGER respondents_fts_delete AFTER DELETE ON respondents BEGIN
    INSERT INTO respondents_fts (respondents_fts, rowid, full_name, email_key)
    VALUES ('delete', old.id, old.full_name, old.email_key);
END;
CREATE TRIGGER respondents_fts_update AFTER UPDATE OF full_name, email_key ON respondents BEGIN
    INSERT INTO respondents_fts (respondents_fts, rowid, full_name, email_key)
    VALUES ('delete', old.id, old.full_name, old.email_key);
    INSERT INTO respondents_fts (rowid, full_name, email_key) VALUES (new.id, new.full_name, new.email_key);
END;
INSERT INTO respondents_fts (respondents_fts) VALUES ('rebuild');
"""


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        return
    table, *rest = statements("sqlite", V6_SQL)
    try:
        with bind.begin_nested():
            bind.exec_driver_sql(table)
    except DBAPIError as exc:
        log.warning("SQLite without FTS5's trigram tokenizer (%s): the console's searches will read every row",
                    exc.orig)  # fmt: skip
        return
    for stmt in rest:
        bind.exec_driver_sql(stmt)


def downgrade() -> None:
    raise NotImplementedError("schema versions are not downgraded; restore a backup instead")
