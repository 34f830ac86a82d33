"""The operator console at scale (issue 17, item 7): one index that answers a campaign's (or some of
its agencies') figures per agency and state by itself, so the console's figures are an index-only
aggregate, and one that pages a campaign's people in name order without sorting them all. Only adds
indexes: every row is kept as it is."""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "respondents_campaign_agency",
        "respondents",
        ["campaign_id", "agency_id", "delivery", "completion", "excluded_at"],
    )
    op.create_index("respondents_campaign_name", "respondents", ["campaign_id", "full_name", "id"])


def downgrade() -> None:
    op.drop_index("respondents_campaign_name", table_name="respondents")
    op.drop_index("respondents_campaign_agency", table_name="respondents")
