"""The operator console at scale (issue 17, item 7): one index that answers a campaign's (or some of
its agencies') figures per agency and state by itself, so the console's figures are an index-only
aggregate; one that pages a campaign's people in name order without sorting them all; on PostgreSQL a
trigram index (pg_trgm) that finds a fragment of a name or address without reading every row. Only
adds indexes: every row is kept as it is."""

from __future__ import annotations

import logging

from alembic import op
from sqlalchemy.exc import DBAPIError

log = logging.getLogger(__name__)

revision = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "respondents_campaign_agency",
        "respondents",
        ["campaign_id", "agency_id", "delivery", "completion", "excluded_at"],
    )
    op.create_index("respondents_campaign_name", "respondents", ["campaign_id", "full_name", "id"])
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return  # SQLite: a search reads the rows once (store.console.people)
    try:
        with bind.begin_nested():  # pg_trgm is a trusted extension, but a server may still refuse it
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    except DBAPIError as exc:
        log.warning("pg_trgm not available (%s): the console's searches will read every row", exc.orig)
        return
    bind.exec_driver_sql(SEARCH_INDEX)


SEARCH_INDEX = "CREATE INDEX respondents_search ON respondents USING gin (full_name gin_trgm_ops, email_key gin_trgm_ops)"


def downgrade() -> None:
    op.execute("DROP INDEX IF EXISTS respondents_search")
    op.drop_index("respondents_campaign_name", table_name="respondents")
    op.drop_index("respondents_campaign_agency", table_name="respondents")
