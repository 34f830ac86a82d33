"""The one answer to "may this actor do this action on this object?", asked by every console route.

Pure: an actor is a role and a scope, an object is the campaign it belongs to and the chain of agency
codes above it (province first). A scope is one rule here, not a check per page.
"""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("admin", "operator", "focal", "it")

# What each role may do at all; the scope then decides on which objects.
ACTIONS: dict[str, frozenset[str]] = {
    "admin": frozenset(
        {
            "campaign.view",
            "campaign.act",
            "agency.view",
            "person.view",
            "person.act",
            "report.download",
            "deliverability.view",
            "account.manage",
            "audit.view",
            "inbound.view",
            "inbound.assign",
        }
    ),  # fmt: skip
    "operator": frozenset(
        {
            "campaign.view",
            "campaign.act",
            "agency.view",
            "person.view",
            "person.act",
            "report.download",
            "deliverability.view",
            "inbound.view",
            "inbound.assign",
        }
    ),  # fmt: skip
    "focal": frozenset({"campaign.view", "agency.view", "person.view", "person.act"}),
    "it": frozenset({"campaign.view", "agency.view", "person.view", "deliverability.view", "inbound.view"}),
}
ALL_ACTIONS = frozenset().union(*ACTIONS.values())


@dataclass(frozen=True, slots=True)
class Actor:
    """A signed-in account: ``campaign`` None is every campaign, ``agency`` None the whole campaign."""

    id: int
    username: str
    role: str
    campaign: str | None = None
    agency: str | None = None

    @property
    def whole_campaign(self) -> bool:
        return self.role == "admin" or self.agency is None


@dataclass(frozen=True, slots=True)
class Target:
    """What an action is done to: a campaign (path empty) or something inside one agency."""

    campaign: str | None = None
    agency_path: tuple[str, ...] = ()  # agency codes from the province down to the object's own agency


def allowed(actor: Actor, action: str, target: Target | None = None) -> bool:
    """True if ``actor`` may do ``action`` on ``target`` (None: the action in general, e.g. a menu)."""
    if action not in ACTIONS.get(actor.role, frozenset()):
        return False
    if actor.role == "admin" or target is None:
        return True
    if actor.campaign is not None and target.campaign is not None and target.campaign != actor.campaign:
        return False
    if action == "campaign.view" or actor.agency is None:
        return True  # a campaign's page shows a scoped actor only its own agencies (see in_scope)
    return actor.agency in target.agency_path


# Mail tied to nobody belongs to no agency: only an account over a whole campaign may see it (an object
# with an empty agency path is outside every agency-scoped account, see ``allowed``).


def in_scope(actor: Actor, campaign: str, agency_path: tuple[str, ...]) -> bool:
    """May ``actor`` see this agency (or a person in it)?"""
    return allowed(actor, "agency.view", Target(campaign, agency_path))


def validate_scope(role: str, campaign: str | None, agency: str | None) -> str | None:
    """Why this role/scope pair cannot be an account, or None if it can."""
    if role not in ROLES:
        return f"role must be one of {', '.join(ROLES)}, got {role!r}"
    if role == "admin" and (campaign or agency):
        return "an admin has no scope: leave out --campaign and --agency"
    if role == "focal" and not agency:
        return "a focal point needs --agency CODE (their agency; the units below it are included)"
    if role == "operator" and agency:
        return "an operator works for the whole province: use --campaign, not --agency"
    return None
