"""The operator's loop (issue 16): a stable roster key per person and exclusion.

``person_key`` is the roster's employee/unit code ("Mã cán bộ", "Mã định danh", ...) a re-import
matches people by, unique within a campaign where given; ``excluded_at``/``excluded_reason`` mark
someone an operator took out of the survey (no mail, not a non-respondent); ``former_emails`` the
addresses a correction replaced, so a late bounce about one of them blocks nobody. Existing rows keep
every value; the new columns start empty.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("respondents", sa.Column("person_key", sa.String(100)))
    op.add_column("respondents", sa.Column("excluded_at", sa.TIMESTAMP))
    op.add_column("respondents", sa.Column("excluded_reason", sa.Text))
    op.add_column("respondents", sa.Column("former_emails", sa.Text))
    op.create_index("respondents_person_key", "respondents", ["campaign_id", "person_key"], unique=True)


def downgrade() -> None:
    op.drop_index("respondents_person_key", table_name="respondents")
    op.drop_column("respondents", "former_emails")
    op.drop_column("respondents", "excluded_reason")
    op.drop_column("respondents", "excluded_at")
    op.drop_column("respondents", "person_key")
