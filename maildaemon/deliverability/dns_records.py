"""Pure: what DNS said about a domain's mail route and our sender domain's SPF and DMARC, as plain values.

Kept apart from the lookups (``deliverability.dns``) so the findings rules read them without the DNS library.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Any


class RouteStatus(enum.StrEnum):
    """How a domain receives mail, as DNS says."""

    MX = "mx"  # MX records with usable hosts
    A_FALLBACK = "a-fallback"  # no MX: mail goes to the domain's own A/AAAA (RFC 5321 5.1)
    NULL_MX = "null-mx"  # "0 ." (RFC 7505): the domain accepts no mail
    NO_MAIL_HOST = "no-mail-host"  # neither MX nor A/AAAA, or MX hosts that do not resolve
    NO_DOMAIN = "no-domain"  # NXDOMAIN
    DNS_ERROR = "dns-error"  # timeout, SERVFAIL, resolver down: try later


@dataclass(frozen=True, slots=True)
class MailHost:
    preference: int
    host: str  # without the trailing dot
    addresses: tuple[str, ...]
    error: str = ""  # why addresses is empty, when it is

    def to_dict(self) -> dict[str, Any]:
        return {"preference": self.preference, "host": self.host, "addresses": list(self.addresses)} | (
            {"error": self.error} if self.error else {}
        )


@dataclass(frozen=True, slots=True)
class MailRoute:
    """The answer to "where does mail for this domain go?"."""

    domain: str
    status: RouteStatus
    hosts: tuple[MailHost, ...] = ()
    error: str = ""
    elapsed_ms: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "status": self.status.value,
            "hosts": [h.to_dict() for h in self.hosts],
            "error": self.error,
            "elapsed_ms": round(self.elapsed_ms, 1),
        }


@dataclass(frozen=True, slots=True)
class SpfCheck:
    """Our sender domain's SPF record and, per relay IP, its verdict (pass, fail, softfail, neutral,
    none, permerror, temperror)."""

    domain: str
    record: str | None
    verdicts: tuple[tuple[str, str], ...] = ()  # (ip, result)
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "domain": self.domain,
            "record": self.record,
            "verdicts": {ip: v for ip, v in self.verdicts},
            "error": self.error,
        }


@dataclass(frozen=True, slots=True)
class DmarcCheck:
    domain: str  # the name the record was found at (or looked for)
    record: str | None
    policy: str = ""  # none | quarantine | reject
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"domain": self.domain, "record": self.record, "policy": self.policy, "error": self.error}
