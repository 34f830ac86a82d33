"""An agency's page (its units and its people: filtered, searched, paged) and a person's page (their
state and history, and the operator's actions on them: views/actions.py)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maildaemon.core import reasons
from maildaemon.reporting import vocabulary as V
from maildaemon.reporting.figures import NOT_ANSWERED, action_for
from maildaemon.reporting.render.labels import Labels
from maildaemon.store.console import HistoryEvent
from maildaemon.web.context import Ctx
from maildaemon.web.permissions import Target, allowed
from maildaemon.web.scope import TARGET, CampaignView, campaign_view, deny, with_subtree_figures
from maildaemon.web.views.actions import person_actions

PAGE = 50
FILTERS = ("", "pending", "bounced", "away", "replied", "completed")
MAX_SEARCH = 100


def _int(text: str, default: int = 0) -> int:
    return int(text) if text.isdigit() and len(text) < 10 else default


async def agency(request: Request) -> Response:
    ctx = await Ctx.of(request)
    assert ctx.actor is not None
    name, raw_id = request.path_params["campaign"], str(request.path_params["agency_id"])
    view = await campaign_view(ctx, name, figures=False)
    found = view.node(_int(raw_id, -1))
    if found is None:
        raise await deny(ctx, "agency.view", f"agency {raw_id[:20]} of {name}", "no such agency in scope")
    view, node = await with_subtree_figures(ctx, view, found)
    q = request.query_params
    status = q.get("status", "") if q.get("status", "") in FILTERS else ""
    reason = q.get("reason", "") if q.get("reason", "") in reasons.REASONS else ""
    search = q.get("q", "")[:MAX_SEARCH].replace("\r", " ").replace("\n", " ")
    page = max(1, _int(q.get("page", "1"), 1))
    whole = ctx.actor.whole_campaign and node.level == 0
    people, total = await ctx.console.store.people(
        view.rec.id, None if whole else node.subtree_ids(), status=status, reason=reason, search=search,
        offset=(page - 1) * PAGE, limit=PAGE,
    )  # fmt: skip
    names = {n.id: n.name for n in view.nodes.values()}

    def link(**change: object) -> str:
        params = {"status": status, "reason": reason, "q": search, "page": page, **change}
        return "?" + urlencode({k: v for k, v in params.items() if v not in ("", None, 1)})

    trail = [view.nodes[i] for i in _ancestors(view, node.id) if view.nodes[i] in view.visible]
    return ctx.render("agency.html", view=view, node=node, people=people, total=total, page=page,
                      pages=max(1, -(-total // PAGE)), status_filter=status, reason=reason, search=search,
                      filters=FILTERS, reasons=sorted(reasons.REASONS), names=names, link=link, trail=trail,
                      target=TARGET, tz_t=ctx.t.with_zone(view.rec.campaign.timezone))  # fmt: skip


def _ancestors(view: CampaignView, agency_id: int) -> list[int]:
    nodes = view.nodes
    out: list[int] = []
    cur = nodes[agency_id].parent_id
    while cur in nodes and len(out) < 20:
        out.insert(0, cur)
        cur = nodes[cur].parent_id
    return out


async def person(request: Request) -> Response:
    ctx = await Ctx.of(request)
    assert ctx.actor is not None
    name, raw_id = request.path_params["campaign"], str(request.path_params["person_id"])
    view = await campaign_view(ctx, name, figures=False)
    store = ctx.console.store
    row = await store.console_person(view.rec.id, _int(raw_id, -1))
    node = view.nodes.get(row["agency_id"]) if row else None
    path = node.path if node else ()
    if row is None or not allowed(ctx.actor, "person.view", Target(view.rec.campaign.name, path)):
        raise await deny(ctx, "person.view", f"person {raw_id[:20]} of {name}", "no such person in scope")
    history = await store.person_history(int(row["id"]))
    target = Target(view.rec.campaign.name, path)
    mailbox = (
        await store.address_history(row["email"])
        if allowed(ctx.actor, "deliverability.view", target)
        else None
    )
    await ctx.audit("view", f"person {row['id']} of {view.rec.campaign.name}")
    tz_t = ctx.t.with_zone(view.rec.campaign.timezone)
    todo = _todo(row, ctx.lang, view.rec.campaign.timezone, ctx.console.now())
    return ctx.render("person.html", view=view, p=row, node=node, history=history, tz_t=tz_t, mailbox=mailbox,
                      todo=todo, message_link=_message_links(ctx, view.rec.campaign.name, history),
                      **await person_actions(ctx, view, row, target, tz_t))  # fmt: skip


def _message_links(ctx: Ctx, campaign: str, history: Iterable[HistoryEvent]) -> Callable[..., str]:
    """The page of the inbound message behind a history or deliverability row, for an account that may read
    it (the same rule as the message page: whole-campaign accounts with ``inbound.view``), else "". Only
    messages this person's own events name ("inbound #N: ...") are linked: the deliverability rows cover
    every campaign's respondent at the same address, whose mail this campaign's page would not show."""
    assert ctx.actor is not None
    ids = {i for e in history if (i := V.inbound_id(e.detail)) is not None}
    if not ids or not allowed(ctx.actor, "inbound.view", Target(campaign)):
        return lambda detail="", inbound_id=None: ""
    base = f"/c/{quote(campaign, safe='')}/inbound/"

    def link(detail: str = "", inbound_id: int | None = None) -> str:
        found = inbound_id if inbound_id is not None else V.inbound_id(detail)
        return f"{base}{found}" if found in ids else ""

    return link


def _todo(p: dict[str, Any], lang: str, tz: str, now: datetime) -> str:
    """What to do about someone who has not answered, in the words of the report's "to do" column (a
    filter holding the mail: ask the person to allow our sender); nothing for those who answered or left."""
    if p["completion"] not in NOT_ANSWERED or p.get("excluded_at"):
        return ""
    code = action_for(p["delivery"], p["completion"], p.get("away_until"), now, p.get("reason"))
    return Labels(lang, tz)("act_" + code)


routes = [
    Route("/c/{campaign}/a/{agency_id}", agency, methods=["GET"]),
    Route("/c/{campaign}/p/{person_id}", person, methods=["GET"]),
]
