"""A campaign as one actor may see it: refused as "not found" when out of scope, so a changed id in a
URL tells nothing; the agencies of the tree the actor may open."""

from __future__ import annotations

from dataclasses import dataclass

from maildaemon.errors import NotFound
from maildaemon.store import CampaignRecord
from maildaemon.web.context import Ctx, Refused
from maildaemon.web.permissions import Target, allowed
from maildaemon.web.tree import Figures, Node, build_tree, top_visible

TARGET = 0.6  # the response rate an agency should reach, as `maildaemon report` assumes by default


@dataclass
class CampaignView:
    rec: CampaignRecord
    nodes: dict[int, Node]
    visible: list[Node]  # agencies the actor may open
    tops: list[Node]  # the highest of them: where the actor's tree starts

    @property
    def figures(self) -> Figures:
        total = Figures()
        for n in self.tops:
            total.merge(n.figures)
        return total

    def node(self, agency_id: int) -> Node | None:
        n = self.nodes.get(agency_id)
        return n if n is not None and n in self.visible else None


async def deny(ctx: Ctx, action: str, target: str, why: str) -> Refused:
    """Audit the refusal, then the same 404 whether the object is missing or out of scope."""
    await ctx.audit(action, target, "denied", why)
    return Refused(404, "not_found", why)


async def campaign_view(ctx: Ctx, name: str, action: str = "campaign.view") -> CampaignView:
    assert ctx.actor is not None
    store = ctx.console.store
    try:
        rec = await store.get_campaign(name)
    except NotFound:
        raise await deny(ctx, action, f"campaign {name[:100]}", "no such campaign") from None
    if not allowed(ctx.actor, action, Target(rec.campaign.name)):
        raise await deny(ctx, action, f"campaign {rec.campaign.name}", "out of scope")
    nodes = build_tree(await store.agencies(rec.id), await store.agency_counts(rec.id))
    visible = [
        n for n in nodes.values() if allowed(ctx.actor, "agency.view", Target(rec.campaign.name, n.path))
    ]
    return CampaignView(
        rec, nodes, visible, sorted(top_visible(nodes, visible), key=lambda n: (n.level, n.name))
    )
