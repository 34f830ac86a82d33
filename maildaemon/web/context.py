"""One request's view of the console: who is signed in (from the server-side session), their CSRF
token, the language, bounded form parsing, audit and the page renderer. Views get it from ``Ctx.of``."""

from __future__ import annotations

import hmac
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs

import jinja2
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from maildaemon.config import WebConfig
from maildaemon.core.retry import TransientBouncePolicy
from maildaemon.operations.diagnose import DiagnoseSettings
from maildaemon.store import Store
from maildaemon.web.accounts import actor_of, session_hash
from maildaemon.web.counts import SharedCounts
from maildaemon.web.i18n import LANGS, Words
from maildaemon.web.permissions import Actor

log = logging.getLogger(__name__)

SESSION_COOKIE = "md_session"
LOGIN_CSRF_COOKIE = "md_login_csrf"
LANG_COOKIE = "md_lang"
MAX_FORM = 8 * 1024  # the console's forms are a few short fields

TEMPLATES = Path(__file__).resolve().parent / "templates"


class Refused(Exception):
    """A request refused with ``status``: shown as a page (or JSON), nothing changed, an audit line."""

    def __init__(self, status: int, key: str, detail: str = "") -> None:
        super().__init__(detail or key)
        self.status, self.key, self.detail = status, key, detail


@dataclass
class Console:
    """What every view needs: the store, the [web] settings, the clock, the templates, the shared figures;
    the [checker] settings for "check the mailbox" (None: not offered) and the [bounce] rule for mail tied
    by hand."""

    store: Store
    cfg: WebConfig
    now: Callable[[], datetime]
    env: jinja2.Environment
    counts: SharedCounts
    diagnose: DiagnoseSettings | None = None
    bounces: TransientBouncePolicy = TransientBouncePolicy()
    allow_test_domains: bool = (
        False  # [daemon] allow_test_domains: corrected addresses as the import takes them
    )

    @classmethod
    def create(cls, store: Store, cfg: WebConfig, now: Callable[[], datetime],
               diagnose: DiagnoseSettings | None = None, bounces: TransientBouncePolicy | None = None, *,
               allow_test_domains: bool = False) -> Console:  # fmt: skip
        env = jinja2.Environment(
            loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True, undefined=jinja2.StrictUndefined,
            trim_blocks=True, lstrip_blocks=True,
        )  # fmt: skip
        return cls(store, cfg, now, env, SharedCounts(store), diagnose, bounces or TransientBouncePolicy(),
                   allow_test_domains)  # fmt: skip


@dataclass
class Ctx:
    console: Console
    request: Request
    actor: Actor | None
    csrf: str
    lang: str
    t: Words

    @classmethod
    async def of(cls, request: Request, *, signed_in: bool = True) -> Ctx:
        """The request's context; with ``signed_in`` a missing or dead session is refused (401)."""
        console: Console = request.app.state.console
        lang = request.cookies.get(LANG_COOKIE, "vi")
        lang = lang if lang in LANGS else "vi"
        actor, csrf = None, ""
        cookie = request.cookies.get(SESSION_COOKIE, "")
        if cookie and len(cookie) < 200:
            found = await console.store.session(session_hash(cookie), console.now())
            if found is not None:
                actor, csrf = actor_of(found[0]), found[1]
        ctx = cls(console, request, actor, csrf, lang, Words(lang))
        if signed_in and actor is None:
            raise Refused(401, "login")
        return ctx

    @property
    def address(self) -> str:
        return self.request.client.host if self.request.client else ""

    @property
    def secure(self) -> bool:
        return self.console.cfg.secure_cookies or self.request.url.scheme == "https"

    async def form(self) -> dict[str, str]:
        """The urlencoded body, at most MAX_FORM bytes; one value per field."""
        body = b""
        async for chunk in self.request.stream():
            body += chunk
            if len(body) > MAX_FORM:
                raise Refused(413, "too_large", "form too large")
        if not body:
            return {}
        if "application/x-www-form-urlencoded" not in self.request.headers.get("content-type", ""):
            raise Refused(400, "forbidden", "not a form")
        try:
            parsed = parse_qs(
                body.decode("utf-8"), keep_blank_values=True, max_num_fields=20, strict_parsing=False
            )
        except (UnicodeDecodeError, ValueError) as exc:
            raise Refused(400, "forbidden", "malformed form") from exc
        return {k: v[0] for k, v in parsed.items()}

    async def checked_form(self) -> dict[str, str]:
        """A state-changing request's form, refused (403) without this session's CSRF token."""
        form = await self.form()
        if not self.csrf or not hmac.compare_digest(form.get("csrf", ""), self.csrf):
            raise Refused(403, "forbidden", "missing or wrong CSRF token")
        return form

    async def audit(self, action: str, target: str = "", outcome: str = "ok", detail: str = "") -> None:
        a = self.actor
        await self.console.store.audit(self.console.now(), account_id=a.id if a else None,
                                       username=a.username if a else "", address=self.address, action=action,
                                       target=target, outcome=outcome, detail=detail)  # fmt: skip

    def render(self, template: str, status: int = 200, **values: Any) -> Response:
        html = self.console.env.get_template(template).render(
            t=values.pop("t", self.t), actor=self.actor, csrf=self.csrf, lang=self.lang,
            path=self.request.url.path, **values,
        )  # fmt: skip
        return HTMLResponse(html, status_code=status)

    def redirect(self, url: str) -> Response:
        return RedirectResponse(url, status_code=303)
