"""The audit log for administrators: who did what, when, from which address (newest first)."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maildaemon.web.context import Ctx
from maildaemon.web.permissions import allowed
from maildaemon.web.scope import deny


async def audit_log(request: Request) -> Response:
    ctx = await Ctx.of(request)
    assert ctx.actor is not None
    if not allowed(ctx.actor, "audit.view"):
        raise await deny(ctx, "audit.view", "audit log", "not an administrator")
    rows = await ctx.console.store.audit_log(500)
    return ctx.render("audit.html", rows=rows)


routes = [Route("/audit", audit_log, methods=["GET"])]
