"""The database behind one interface: domain operations grouped by subject, one Store class.

``Store(url)`` works on SQLite (the embedded default) and PostgreSQL; every respondent state
change and its ``events`` row are written in one transaction (see ``base.apply_changes``).
"""

from __future__ import annotations

from maildaemon.store.accounts import AccountOps
from maildaemon.store.attribution import Assigned, AttributionOps, LooseMessage
from maildaemon.store.campaigns import CampaignOps, CampaignRecord
from maildaemon.store.checks import CheckOps, CheckTarget, HistoryRow
from maildaemon.store.console import ConsoleOps
from maildaemon.store.digests import DigestOps
from maildaemon.store.filing import FilingOps
from maildaemon.store.focal import FocalOps, FocalPoint
from maildaemon.store.inbound import InboundOps, InboundResult, InboundRow
from maildaemon.store.operator import OperatorOps, OperatorResult, Person
from maildaemon.store.outbox import Claim, OutboxOps, SendOutcome
from maildaemon.store.reporting import ReportOps
from maildaemon.store.respondents import (
    AddressChange,
    AgencyCount,
    CompletionOps,
    EventRow,
    ImportSummary,
    RespondentOps,
)
from maildaemon.store.service import Activity, ServiceOps


class Store(
    CampaignOps,
    RespondentOps,
    CompletionOps,
    OutboxOps,
    InboundOps,
    ReportOps,
    CheckOps,
    ServiceOps,
    AccountOps,
    ConsoleOps,
    OperatorOps,
    FocalOps,
    AttributionOps,
    DigestOps,
    FilingOps,
):
    """All store operations; open with ``async with Store(url) as store`` (closed on the way out)."""


__all__ = [
    "Activity", "AddressChange", "AgencyCount", "Assigned", "LooseMessage", "CampaignRecord", "CheckTarget", "Claim", "HistoryRow", "InboundResult", "InboundRow", "EventRow", "FocalPoint", "ImportSummary", "OperatorResult", "Person", "SendOutcome", "Store",
]  # fmt: skip
