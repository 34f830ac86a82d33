"""Signing in and out, and the language switch."""

from __future__ import annotations

import hmac
import secrets

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maildaemon.web import accounts
from maildaemon.web.context import LANG_COOKIE, LOGIN_CSRF_COOKIE, SESSION_COOKIE, Ctx, Refused
from maildaemon.web.i18n import LANGS


def _login_page(ctx: Ctx, status: int = 200, failed: bool = False) -> Response:
    token = secrets.token_urlsafe(32)
    response = ctx.render("login.html", status, failed=failed, login_csrf=token)
    response.set_cookie(LOGIN_CSRF_COOKIE, token, max_age=3600, httponly=True, samesite="strict",
                        secure=ctx.secure, path="/login")  # fmt: skip
    return response


async def login_form(request: Request) -> Response:
    ctx = await Ctx.of(request, signed_in=False)
    if ctx.actor is not None:
        return ctx.redirect("/")
    return _login_page(ctx)


async def login(request: Request) -> Response:
    ctx = await Ctx.of(request, signed_in=False)
    form = await ctx.form()
    expected = request.cookies.get(LOGIN_CSRF_COOKIE, "")
    if not expected or not hmac.compare_digest(form.get("csrf", ""), expected):
        raise Refused(403, "forbidden", "login without its CSRF token")
    console = ctx.console
    signed = await accounts.sign_in(console.store, console.cfg, form.get("username", ""), form.get("password", ""),
                                    ctx.address, console.now())  # fmt: skip
    if signed is None:
        return _login_page(ctx, 401, failed=True)
    response = ctx.redirect("/")
    response.set_cookie(SESSION_COOKIE, signed.cookie, max_age=int(console.cfg.session_minutes * 60),
                        httponly=True, samesite="lax", secure=ctx.secure, path="/")  # fmt: skip
    response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
    return response


async def logout(request: Request) -> Response:
    ctx = await Ctx.of(request)
    await ctx.checked_form()
    await ctx.console.store.delete_session(accounts.session_hash(request.cookies.get(SESSION_COOKIE, "")))
    await ctx.audit("logout")
    response = ctx.redirect("/login")
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax", secure=ctx.secure)
    return response


async def switch_language(request: Request) -> Response:
    """A preference, not an action: a GET that sets a cookie and goes back (only to a local path)."""
    lang = request.path_params["lang"]
    if lang not in LANGS:
        raise Refused(404, "not_found")
    back = request.query_params.get("next", "/")
    if not back.startswith("/") or back.startswith("//") or "\\" in back or "\r" in back or "\n" in back:
        back = "/"
    ctx = await Ctx.of(request, signed_in=False)
    response = ctx.redirect(back)
    response.set_cookie(LANG_COOKIE, lang, max_age=365 * 86400, samesite="lax", secure=ctx.secure, path="/")
    return response


routes = [
    Route("/login", login_form, methods=["GET"]),
    Route("/login", login, methods=["POST"]),
    Route("/logout", logout, methods=["POST"]),
    Route("/lang/{lang}", switch_language, methods=["GET"]),
]
