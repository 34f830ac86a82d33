"""The campaigns overview (progress against target, what goes out next, the daemon's health), a campaign's agency tree,
its progress as JSON for the page's small refresh script, and the report downloads."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from maildaemon.core.assignment import campaign_period
from maildaemon.errors import NotFound
from maildaemon.reporting.campaign import campaign_report
from maildaemon.reporting.outlook import Outlook, outlook
from maildaemon.reporting.render import render
from maildaemon.web.context import Ctx
from maildaemon.web.permissions import Target, allowed
from maildaemon.web.scope import TARGET, CampaignView, campaign_view, deny
from maildaemon.web.views.actions import campaign_actions

REPORT_TYPES = {
    "html": "text/html; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


async def overview(request: Request) -> Response:
    ctx = await Ctx.of(request)
    assert ctx.actor is not None
    store, now = ctx.console.store, ctx.console.now()
    rows = []
    for rec in await store.list_campaigns():
        if not allowed(ctx.actor, "campaign.view", Target(rec.campaign.name)):
            continue
        view = await campaign_view(ctx, rec.campaign.name)
        if not view.visible:
            continue  # a focal point whose agency is not in this campaign
        rows.append((view, ctx.t.with_zone(rec.campaign.timezone), await _next(ctx, view)))
    activity = await store.activity()
    due = await store.due_now(now)
    return ctx.render("overview.html", campaigns=rows, activity=activity, due=due, target=TARGET, now=now,
                      can_download=allowed(ctx.actor, "report.download"))  # fmt: skip


async def _next(ctx: Ctx, view: CampaignView) -> tuple[Outlook, int | None]:
    """What goes out next (for the actor's agencies only), and the count of mail tied to nobody where
    the actor may see it (None: not shown)."""
    assert ctx.actor is not None
    rec, store, now = view.rec, ctx.console.store, ctx.console.now()
    ids = None if ctx.actor.whole_campaign else sorted({i for n in view.tops for i in n.subtree_ids()})
    ahead = outlook(rec.campaign, rec.paused, await store.waiting_mail(rec.id, ids, now), now)
    loose = None
    if allowed(ctx.actor, "inbound.view", Target(rec.campaign.name)):
        since, until = campaign_period(rec.campaign.opens, rec.campaign.closes)
        loose = (await store.unattributed(since, until, limit=0))[1]
    return ahead, loose


async def campaign(request: Request) -> Response:
    ctx = await Ctx.of(request)
    view = await campaign_view(ctx, request.path_params["campaign"])
    assert ctx.actor is not None
    tz_t = ctx.t.with_zone(view.rec.campaign.timezone)
    return ctx.render("campaign.html", view=view, tz_t=tz_t, target=TARGET,
                      can_download=allowed(ctx.actor, "report.download", Target(view.rec.campaign.name)),
                      **campaign_actions(ctx, view, tz_t))  # fmt: skip


async def progress(request: Request) -> Response:
    ctx = await Ctx.of(request)
    view = await campaign_view(ctx, request.path_params["campaign"])
    tz_t = ctx.t.with_zone(view.rec.campaign.timezone)
    data = view.figures.as_dict(TARGET)
    data["rate_text"] = ctx.t.pct(view.figures.rate)
    data["updated"] = tz_t.when(ctx.console.now())
    data["agencies"] = {str(n.id): {"completed": n.figures.completed, "total": n.figures.total,
                                    "rate_text": ctx.t.pct(n.figures.rate)} for n in view.visible}  # fmt: skip
    return JSONResponse(data, headers={"Cache-Control": "no-store"})


async def report(request: Request) -> Response:
    ctx = await Ctx.of(request)
    fmt = request.path_params["fmt"]
    name = request.path_params["campaign"]
    if fmt not in REPORT_TYPES:
        raise await deny(ctx, "download", f"report {name[:100]}.{fmt[:10]}", "unknown format")
    view = await campaign_view(ctx, name, "report.download")
    try:
        rep = await campaign_report(ctx.console.store, view.rec.campaign.name, TARGET, ctx.console.now())
    except NotFound:
        raise await deny(ctx, "download", f"report {name[:100]}", "no such campaign") from None
    body = render(rep, fmt, ctx.lang)
    await ctx.audit("download", f"report {view.rec.campaign.name}.{fmt}")
    filename = (
        f"bao-cao-{view.rec.campaign.name}.{fmt}"
        if ctx.lang == "vi"
        else f"report-{view.rec.campaign.name}.{fmt}"
    )
    return Response(body.encode("utf-8") if isinstance(body, str) else body, media_type=REPORT_TYPES[fmt],
                    headers={"Content-Disposition": f'attachment; filename="{filename}"',
                             "Cache-Control": "no-store"})  # fmt: skip


routes = [
    Route("/", overview, methods=["GET"]),
    Route("/c/{campaign}", campaign, methods=["GET"]),
    Route("/c/{campaign}/progress.json", progress, methods=["GET"]),
    Route("/c/{campaign}/report.{fmt}", report, methods=["GET"]),
]
