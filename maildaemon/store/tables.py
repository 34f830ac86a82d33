"""SQLAlchemy Core table definitions mirroring schema.sql (a test keeps the two in agreement)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTC_DT(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored naive UTC on every engine."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to the store; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC)


ID = BigInteger().with_variant(Integer(), "sqlite")
metadata = MetaData()


def _id() -> Column[int]:
    return Column("id", ID, primary_key=True, autoincrement=True)


schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("applied_at", UTC_DT, nullable=False),
)

campaigns = Table(
    "campaigns",
    metadata,
    _id(),
    Column("name", String(100), nullable=False),
    Column("title", Text, nullable=False),
    Column("definition", Text, nullable=False),
    Column("opens_at", UTC_DT, nullable=False),
    Column("closes_at", UTC_DT, nullable=False),
    Column("paused", Boolean, nullable=False, default=False),
    Column("halted_reason", Text),
    Column("created_at", UTC_DT, nullable=False),
    Column("updated_at", UTC_DT, nullable=False),
    UniqueConstraint("name", name="campaigns_name"),
)

agencies = Table(
    "agencies",
    metadata,
    _id(),
    Column("campaign_id", ID, ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False),
    Column("code", String(100), nullable=False),
    Column("name", Text, nullable=False),
    Column("parent_id", ID, ForeignKey("agencies.id")),
    Column("level", Integer, nullable=False, default=2),
    Column("focal_email", String(320)),
    UniqueConstraint("campaign_id", "code", name="agencies_campaign_code"),
)

respondents = Table(
    "respondents",
    metadata,
    _id(),
    Column("campaign_id", ID, ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False),
    Column("agency_id", ID, ForeignKey("agencies.id")),
    Column("email", String(320), nullable=False),
    Column("email_key", String(320), nullable=False),
    Column("token", String(32), nullable=False),
    Column("full_name", Text, nullable=False, default=""),
    Column("honorific", String(20), nullable=False, default=""),
    Column("title", Text, nullable=False, default=""),
    Column("respondent_group", Text, nullable=False, default=""),
    Column("phone", String(50), nullable=False, default=""),
    Column("extra", Text, nullable=False, default="{}"),
    Column("source_line", Integer),
    Column("delivery", String(20), nullable=False, default="new"),
    Column("completion", String(20), nullable=False, default="pending"),
    Column("reason", String(40)),
    Column("status_code", String(20)),
    Column("hard_bounce", Boolean, nullable=False, default=False),
    Column("transient_count", Integer, nullable=False, default=0),
    Column("force_send", Boolean, nullable=False, default=False),
    Column("away_until", UTC_DT),
    Column("invited_at", UTC_DT),
    Column("last_sent_at", UTC_DT),
    Column("delivered_at", UTC_DT),
    Column("completed_at", UTC_DT),
    Column("created_at", UTC_DT, nullable=False),
    Column("updated_at", UTC_DT, nullable=False),
    Column("person_key", String(100)),  # the roster's stable key (employee/unit code)
    Column("excluded_at", UTC_DT),  # set: an operator took this person out of the survey
    Column("excluded_reason", Text),
    Column("former_emails", Text),  # addresses a correction replaced, one per line
    UniqueConstraint("campaign_id", "email_key", name="respondents_campaign_email"),
    UniqueConstraint("campaign_id", "person_key", name="respondents_person_key"),
    UniqueConstraint("token", name="respondents_token"),
    Index("respondents_campaign_state", "campaign_id", "delivery", "completion"),
    Index("respondents_agency", "agency_id"),
    Index("respondents_email_key", "email_key"),
    Index("respondents_campaign_agency", "campaign_id", "agency_id", "delivery", "completion", "excluded_at"),
    Index("respondents_campaign_name", "campaign_id", "full_name", "id"),
    # PostgreSQL only (pg_trgm): a fragment of a name or address found without reading every row
    Index(
        "respondents_search",
        "full_name",
        "email_key",
        postgresql_using="gin",
        postgresql_ops={"full_name": "gin_trgm_ops", "email_key": "gin_trgm_ops"},
        info={"dialect": "postgresql"},
    ),  # fmt: skip
)

outbox = Table(
    "outbox",
    metadata,
    _id(),
    Column("campaign_id", ID, ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False),
    Column("respondent_id", ID, ForeignKey("respondents.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("state", String(20), nullable=False, default="queued"),
    Column("recipient_domain", String(255), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("not_before", UTC_DT, nullable=False),
    Column("lease_owner", String(100)),
    Column("lease_until", UTC_DT),
    Column("message_id", String(250)),
    Column("first_attempt_at", UTC_DT),
    Column("sent_at", UTC_DT),
    Column("last_code", Integer),
    Column("last_reply", Text),
    Column("created_at", UTC_DT, nullable=False),
    Column("updated_at", UTC_DT, nullable=False),
    UniqueConstraint("respondent_id", "kind", name="outbox_respondent_kind"),
    Index("outbox_due", "state", "not_before"),
    Index("outbox_lease", "state", "lease_until"),
)

inbound = Table(
    "inbound",
    metadata,
    _id(),
    Column("content_hash", String(64), nullable=False),
    Column("message_id", String(998)),
    Column("folder", String(200), nullable=False),
    Column("uidvalidity", BigInteger),
    Column("uid", BigInteger),
    Column("received_at", UTC_DT, nullable=False),
    Column("kind", String(20), nullable=False),
    Column("reason", String(40)),
    Column("status", String(20)),
    Column("hard", Boolean, nullable=False, default=False),
    Column("campaign_id", ID, ForeignKey("campaigns.id", ondelete="SET NULL")),
    Column("respondent_id", ID, ForeignKey("respondents.id", ondelete="SET NULL")),
    Column("attributed_by", String(30)),
    Column("moved_to", String(200)),
    Column("subject", Text),
    Column("verdict", Text, nullable=False),
    Column("raw", LargeBinary, nullable=False),
    UniqueConstraint("content_hash", name="inbound_content_hash"),
    Index("inbound_respondent", "respondent_id"),
    Index("inbound_message_id", "message_id"),
    Index("inbound_unattributed", "attributed_by", "id"),
)

mailbox_state = Table(
    "mailbox_state",
    metadata,
    Column("folder", String(200), primary_key=True),
    Column("uidvalidity", BigInteger, nullable=False),
    Column("last_uid", BigInteger, nullable=False),
    Column("updated_at", UTC_DT, nullable=False),
)

checks = Table(
    "checks",
    metadata,
    _id(),
    Column("address", String(320), nullable=False),
    Column("respondent_id", ID, ForeignKey("respondents.id", ondelete="SET NULL")),
    Column("checked_at", UTC_DT, nullable=False),
    Column("result", String(20), nullable=False),
    Column("reason", String(40)),
    Column("code", Integer),
    Column("reply", Text),
    Column("mx", String(255)),
    Column("detail", Text, nullable=False, default="{}"),
    Index("checks_address", "address", "checked_at"),
)

events = Table(
    "events",
    metadata,
    _id(),
    Column("at", UTC_DT, nullable=False),
    Column("campaign_id", ID, ForeignKey("campaigns.id", ondelete="CASCADE")),
    Column("respondent_id", ID, ForeignKey("respondents.id", ondelete="CASCADE")),
    Column("field", String(20), nullable=False),
    Column("old_value", String(40)),
    Column("new_value", String(40)),
    Column("source", String(30), nullable=False),
    Column("detail", Text, nullable=False, default=""),
    Index("events_respondent", "respondent_id", "id"),
    Index("events_campaign", "campaign_id", "id"),
)

accounts = Table(
    "accounts",
    metadata,
    _id(),
    Column("username", String(100), nullable=False),
    Column("display_name", Text, nullable=False, default=""),
    Column("role", String(20), nullable=False),
    Column("campaign", String(100)),
    Column("agency_code", String(100)),
    Column("password_hash", Text, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("failed_logins", Integer, nullable=False, default=0),
    Column("locked_until", UTC_DT),
    Column("created_at", UTC_DT, nullable=False),
    Column("updated_at", UTC_DT, nullable=False),
    UniqueConstraint("username", name="accounts_username"),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
    Column("csrf_token", String(64), nullable=False),
    Column("address", String(64), nullable=False, default=""),
    Column("created_at", UTC_DT, nullable=False),
    Column("expires_at", UTC_DT, nullable=False),
    Index("web_sessions_account", "account_id"),
)

audit = Table(
    "audit",
    metadata,
    _id(),
    Column("at", UTC_DT, nullable=False),
    Column("account_id", ID, ForeignKey("accounts.id", ondelete="SET NULL")),
    Column("username", String(100), nullable=False, default=""),
    Column("address", String(64), nullable=False, default=""),
    Column("action", String(40), nullable=False),
    Column("target", Text, nullable=False, default=""),
    Column("outcome", String(20), nullable=False),
    Column("detail", Text, nullable=False, default=""),
    Index("audit_at", "at"),
    Index("audit_address", "address", "action", "at"),
)

digest_claims = Table(
    "digest_claims",
    metadata,
    _id(),
    Column("campaign_id", ID, ForeignKey("campaigns.id", ondelete="CASCADE"), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("agency_id", ID, nullable=False),
    Column("day", String(10), nullable=False),
    Column("state", String(20), nullable=False),
    Column("owner", String(100), nullable=False, default=""),
    Column("claimed_at", UTC_DT, nullable=False),
    UniqueConstraint("campaign_id", "kind", "agency_id", "day", name="digest_claims_key"),
)

SCHEMA_VERSION = 6
