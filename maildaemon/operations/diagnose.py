"""`maildaemon diagnose ADDRESS` and the console's "check the mailbox" button: one fresh probe of an
address with our sender domain's SPF and DMARC and the address's history, under the [checker] settings."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from maildaemon.config import CheckerConfig, Config
from maildaemon.deliverability.check import probe_settings
from maildaemon.deliverability.diagnose import Diagnosis, diagnose
from maildaemon.deliverability.findings import HistoryEvent
from maildaemon.reporting.clock import DEFAULT_TZ
from maildaemon.store import CampaignRecord, Store


@dataclass(frozen=True)
class DiagnoseSettings:
    """What a diagnosis needs of the config: the [checker] section, whether test domains are real
    (daemon.allow_test_domains), and our relay's host (smtp.host), whose addresses SPF must allow."""

    checker: CheckerConfig
    allow_test_domains: bool = False
    relay_host: str = ""

    @classmethod
    def of(cls, cfg: Config) -> DiagnoseSettings:
        return cls(cfg.checker, cfg.daemon.allow_test_domains, cfg.smtp.host)


@dataclass(frozen=True, slots=True)
class Diagnosed:
    diagnosis: Diagnosis
    timezone: str  # the campaign's: the history is shown in it


async def diagnose_address(
    store: Store, address: str, settings: DiagnoseSettings, *, campaign: CampaignRecord | None = None,
    sender_domain: str | None = None, relay_ips: Sequence[str] = (),
) -> Diagnosed:  # fmt: skip
    """Diagnose ``address`` as ``campaign``'s mail sees it (default: the latest campaign's sender)."""
    if campaign is None:
        campaigns = await store.list_campaigns()
        campaign = campaigns[-1] if campaigns else None
    c = campaign.campaign if campaign is not None else None
    sender = (
        sender_domain if sender_domain is not None else (c.sender_address.rsplit("@", 1)[-1] if c else "")
    )
    bounce = f"{c.bounce_prefix}@{c.bounce_domain}" if c else ""
    tz = c.timezone if c else DEFAULT_TZ
    history = [
        HistoryEvent(h.at, h.kind, h.outcome, h.reason, h.detail)
        for h in await store.address_history(address)
    ]
    probe = probe_settings(settings.checker, bounce, settings.allow_test_domains)
    ips = list(relay_ips) or await _resolve(settings.relay_host)
    return Diagnosed(await diagnose(address, probe, sender, history, relay_ips=ips, tz=tz), tz)


async def _resolve(host: str) -> list[str]:
    if not host:
        return []
    try:
        found = await asyncio.get_running_loop().getaddrinfo(host, None)
    except OSError:
        return []
    return sorted({str(ai[4][0]) for ai in found})
