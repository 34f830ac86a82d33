"""Personal-data retention (Decree 13/2023/NĐ-CP): when a closed campaign's personal data may go,
and the pseudonyms that replace it. Pure: the store applies these, the CLI and the daemon ask."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from maildaemon.core.campaign import Campaign

PSEUDONYM_PREFIX = "respondent-"
PSEUDONYM_DOMAIN = "purged.invalid"  # RFC 2606: never a real mailbox
REMOVED = "<address removed>"
# Anything shaped like an address in free text (relay replies, DSN diagnostics, event details).
_ADDRESS = re.compile(r"[^\s<>()\[\],;:\"'@]+@[^\s<>()\[\],;:\"'@]+\.[^\s<>()\[\],;:\"'@]+")


def purge_after(campaign: Campaign) -> datetime:
    """The moment the campaign's personal data has been kept for ``retention_days`` after closing."""
    return campaign.closes + timedelta(days=campaign.retention_days)


def refusal(campaign: Campaign, now: datetime) -> str | None:
    """Why the campaign may not be purged at ``now``, or None when it may."""
    if now < campaign.closes:
        return f"campaign {campaign.name} is open until {campaign.closes.isoformat()}: purge refused"
    if now < purge_after(campaign):
        return (
            f"campaign {campaign.name}: personal data is kept until {purge_after(campaign).isoformat()} "
            f"(retention_days = {campaign.retention_days} after closing): purge refused"
        )
    return None


def pseudonym_name(respondent_id: int) -> str:
    return f"{PSEUDONYM_PREFIX}{respondent_id}"


def pseudonym_email(respondent_id: int) -> str:
    return f"{pseudonym_name(respondent_id)}@{PSEUDONYM_DOMAIN}"


def scrub(text: str) -> str:
    """Free text with every address replaced (pseudonyms are left as they are)."""
    return _ADDRESS.sub(lambda m: m.group(0) if m.group(0).endswith(PSEUDONYM_DOMAIN) else REMOVED, text)
