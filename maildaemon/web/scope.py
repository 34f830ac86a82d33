"""A campaign as one actor may see it: refused as "not found" when out of scope, so a changed id in a
URL tells nothing; the agencies of the tree the actor may open, with figures aggregated in SQL (the
whole campaign's shared for a few seconds, an agency page's for its own subtree only)."""

from __future__ import annotations

from dataclasses import dataclass

from maildaemon.errors import NotFound
from maildaemon.reporting.figures import DEFAULT_TARGET
from maildaemon.store import CampaignRecord
from maildaemon.store.console import AgencyRow, StateCount
from maildaemon.web.context import Ctx, Refused
from maildaemon.web.permissions import Target, allowed
from maildaemon.web.tree import Figures, Node, build_tree, top_visible

TARGET = DEFAULT_TARGET  # the response rate an agency should reach, as `maildaemon report` assumes by default


@dataclass
class CampaignView:
    rec: CampaignRecord
    agencies: list[AgencyRow]
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


async def campaign_view(
    ctx: Ctx, name: str, action: str = "campaign.view", *, figures: bool = True
) -> CampaignView:
    """The campaign's tree for this actor; ``figures`` False: the tree without figures (a person's page)."""
    assert ctx.actor is not None
    store = ctx.console.store
    try:
        rec = await store.get_campaign(name)
    except NotFound:
        raise await deny(ctx, action, f"campaign {name[:100]}", "no such campaign") from None
    if not allowed(ctx.actor, action, Target(rec.campaign.name)):
        raise await deny(ctx, action, f"campaign {rec.campaign.name}", "out of scope")
    agencies = await store.agencies(rec.id)
    return _view(ctx, rec, agencies, await ctx.console.counts.of(rec.id) if figures else [])


async def with_subtree_figures(ctx: Ctx, view: CampaignView, node: Node) -> tuple[CampaignView, Node]:
    """The view again with figures for ``node`` and the units below it, counted for them alone (the
    campaign's shared figures when the subtree is the whole campaign)."""
    ids = node.subtree_ids()
    if len(ids) == len(view.nodes):
        counts = await ctx.console.counts.of(view.rec.id)
    else:
        counts = await ctx.console.store.state_counts(view.rec.id, ids)
    again = _view(ctx, view.rec, view.agencies, counts)
    return again, again.nodes[node.id]


def _view(ctx: Ctx, rec: CampaignRecord, agencies: list[AgencyRow], counts: list[StateCount]) -> CampaignView:
    assert ctx.actor is not None
    nodes = build_tree(agencies, counts)
    visible = [
        n for n in nodes.values() if allowed(ctx.actor, "agency.view", Target(rec.campaign.name, n.path))
    ]
    return CampaignView(
        rec, agencies, nodes, visible, sorted(top_visible(nodes, visible), key=lambda n: (n.level, n.name))
    )
