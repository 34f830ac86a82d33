"""The operator console as one Starlette app: routes from the view modules, security headers (a CSP
without inline script), refusals shown as pages, the static script and style."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Mount
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from maildaemon.config import WebConfig
from maildaemon.core.retry import TransientBouncePolicy
from maildaemon.operations.diagnose import DiagnoseSettings
from maildaemon.store import Store
from maildaemon.web import passwords
from maildaemon.web.context import Console, Ctx, Refused
from maildaemon.web.share import LoopShare
from maildaemon.web.views import actions, audit, auth, campaigns, diagnose, inbound, people

log = logging.getLogger(__name__)

STATIC = Path(__file__).resolve().parent / "static"
CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; "
       "base-uri 'none'; form-action 'self'; frame-ancestors 'none'")  # fmt: skip
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
]


class SecurityHeaders:
    """Adds the headers above to every response; pages (not static files) are never cached."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        static = str(scope.get("path", "")).startswith("/static/")

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                names = {k.lower() for k, _ in headers}
                headers += [h for h in HEADERS if h[0] not in names]
                if not static and b"cache-control" not in names:
                    headers.append((b"cache-control", b"no-store"))
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, with_headers)


async def _refused(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, Refused)
    wants_json = request.url.path.endswith(".json")
    if exc.status == 401:
        if wants_json:
            return JSONResponse({"error": "signed out"}, status_code=401)
        return RedirectResponse("/login", status_code=303)
    if exc.status in (400, 403, 413):  # a forged, malformed or oversized request: refused and written down
        ctx = await Ctx.of(request, signed_in=False)
        await ctx.audit("refused", request.url.path[:200], "denied", exc.detail)
    return await _page(request, exc.status, exc.key, wants_json)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    return await _page(request, exc.status_code, "not_found" if exc.status_code in (404, 405) else "forbidden",
                       request.url.path.endswith(".json"))  # fmt: skip


async def _page(request: Request, status: int, key: str, wants_json: bool) -> Response:
    if wants_json:
        return JSONResponse({"error": key}, status_code=status)
    ctx = await Ctx.of(request, signed_in=False)
    return ctx.render("error.html", status, message_key=key)


def build_app(
    store: Store, cfg: WebConfig, now: Callable[[], datetime] | None = None, *,
    diagnose_settings: DiagnoseSettings | None = None, bounces: TransientBouncePolicy | None = None,
    allow_test_domains: bool = False, loop_share: float | None = None,
) -> Starlette:  # fmt: skip
    """The console over ``store``; ``now`` is the clock (tests pass a fixed one). ``diagnose_settings``
    ([checker]; None: the mailbox check is not offered), ``bounces`` ([bounce]) and
    ``allow_test_domains`` ([daemon], for the addresses an operator corrects) come from the config;
    ``loop_share``: at most that fraction of the event loop (served inside the daemon, see web.share),
    None: as much as it needs."""
    app = Starlette(
        routes=[
            *auth.routes,
            *campaigns.routes,
            *audit.routes,
            *people.routes,
            *inbound.routes,
            *diagnose.routes,
            *actions.routes,
            Mount("/static", StaticFiles(directory=str(STATIC)), name="static"),
        ],  # fmt: skip
        exception_handlers={Refused: _refused, HTTPException: _http_error},
    )
    app.state.console = Console.create(
        store, cfg, now or (lambda: datetime.now(UTC)), diagnose_settings, bounces,
        allow_test_domains=allow_test_domains,
    )  # fmt: skip
    app.add_middleware(SecurityHeaders)
    passwords.dummy_hash()  # made now, so the first unknown name costs what a wrong password costs
    if loop_share is not None:
        app.add_middleware(LoopShare, share=loop_share)
    return app
