""" "Check the mailbox" on a person's page, for accounts that see deliverability there (IT, operators,
admins): the same diagnosis as `maildaemon diagnose ADDRESS` under the configured [checker], explained
in the page's language. Each run probes a remote server, so an account may run a few a minute."""

from __future__ import annotations

from datetime import timedelta

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maildaemon.operations.diagnose import diagnose_address
from maildaemon.web.context import Ctx, Refused
from maildaemon.web.permissions import Target, allowed
from maildaemon.web.scope import campaign_view, deny

PER_MINUTE = 10  # diagnoses one account may start in a minute


async def run(request: Request) -> Response:
    ctx = await Ctx.of(request)
    await ctx.checked_form()
    assert ctx.actor is not None
    name, raw_id = request.path_params["campaign"], str(request.path_params["person_id"])
    view = await campaign_view(ctx, name)
    store, now = ctx.console.store, ctx.console.now()
    pid = int(raw_id) if raw_id.isdigit() and len(raw_id) < 10 else -1
    row = await store.console_person(view.rec.id, pid)
    node = view.nodes.get(row["agency_id"]) if row else None
    target = f"person {raw_id[:20]} of {view.rec.campaign.name}"
    if row is None or not allowed(
        ctx.actor, "deliverability.view", Target(view.rec.campaign.name, node.path if node else ())
    ):
        raise await deny(ctx, "diagnose", target, "no such person in scope")
    settings = ctx.console.diagnose
    if settings is None:
        await ctx.audit("diagnose", target, "failed", "no [checker] settings given to the console")
        raise Refused(503, "diagnose_off")
    if await store.audit_count(ctx.actor.id, "diagnose", now - timedelta(minutes=1)) >= PER_MINUTE:
        await ctx.audit("diagnose.refused", target, "denied", f"more than {PER_MINUTE} a minute")
        raise Refused(429, "diagnose_busy")
    await ctx.audit("diagnose", target)  # before the probe: a run in progress counts towards the limit
    found = await diagnose_address(store, row["email"], settings, campaign=view.rec)
    d = found.diagnosis
    return ctx.render("diagnose.html", view=view, p=row, d=d, text=d.render_text(ctx.lang, found.timezone),
                      node=node)  # fmt: skip


routes = [Route("/c/{campaign}/p/{person_id}/diagnose", run, methods=["POST"])]
