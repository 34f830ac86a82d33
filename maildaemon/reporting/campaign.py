"""The campaign report use case: read one campaign's figures from a store and build the report.

Shared by `maildaemon report`, the daily digest and the demo. It names the store operations it
needs as a Protocol, so reporting depends on no store module (the store implements this port).
"""

from __future__ import annotations

from datetime import datetime
from typing import Protocol

from maildaemon.core.campaign import Campaign
from maildaemon.reporting.figures import Report, ReportData, build_report


class CampaignRef(Protocol):
    @property
    def id(self) -> int: ...

    @property
    def campaign(self) -> Campaign: ...


class ReportSource(Protocol):
    async def get_campaign(self, name: str) -> CampaignRef: ...

    async def report_data(self, campaign_id: int) -> ReportData: ...


async def campaign_report(source: ReportSource, name: str, target: float, now: datetime) -> Report:
    """The per-agency report of campaign ``name`` at ``now``; ``target`` is the response rate to reach."""
    rec = await source.get_campaign(name)
    c = rec.campaign
    return build_report(
        await source.report_data(rec.id), campaign=c.name, title=c.title, timezone=c.timezone,
        organization=c.organization, now=now, target=target,
    )  # fmt: skip
