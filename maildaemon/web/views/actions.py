"""The operator's actions as forms: correct an address, exclude or restore a person, resend their last
failed mail, pause or resume a campaign. Each is a CSRF-checked POST in the actor's scope that calls the
same use case as the command line (the actor: the console account), writes an audit row whatever comes
of it, and goes back to its page with one outcome line (a word key in the URL, never free text)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import quote, urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maildaemon.core import corrections
from maildaemon.errors import InputError, NotFound
from maildaemon.operations import respondents as cases
from maildaemon.operations.respondents import Refusal, resend_time
from maildaemon.web.context import Ctx
from maildaemon.web.i18n import Words
from maildaemon.web.offers import clean_text, offers
from maildaemon.web.permissions import Target, allowed
from maildaemon.web.scope import CampaignView, campaign_view, deny

MAX_ADDRESS = 254
MAX_REASON = 500
DONE = frozenset({"corrected", "corrected_plan", "corrected_only", "excluded", "restored", "resent", "paused",
                  "resumed", "unchanged"})  # fmt: skip
WHY = frozenset({"invalid", "same", "taken", "closed", "excluded", "already_excluded", "not_excluded",
                 "reason_needed", "hard_bounce", "not_sent_yet", "nothing_to_resend", "too_long", "failed",
                 "no_domain", "no_mailbox"})  # fmt: skip
CHECKED = frozenset({"ok", "unsure", "overridden"})  # what a correction's mailbox check found (``?check=``)
FORCIBLE = frozenset({"no_domain", "no_mailbox"})  # refusals the operator may override ("correct anyway")


@dataclass
class Acting:
    """A checked request to act on one person: the form, the campaign as the actor sees it, the person."""

    ctx: Ctx
    form: dict[str, str]
    view: CampaignView
    person: dict[str, Any]

    @property
    def target(self) -> str:
        return f"person {self.person['id']} of {self.view.rec.campaign.name}"

    @property
    def actor(self) -> str:
        """Who the events name: the console account."""
        return self.ctx.actor.username if self.ctx.actor else ""

    @property
    def page(self) -> str:
        return f"/c/{quote(self.view.rec.campaign.name, safe='')}/p/{self.person['id']}"


def _int(text: str) -> int:
    return int(text) if text.isdigit() and len(text) < 10 else -1


async def _acting(request: Request, action: str) -> Acting:
    """CSRF first (a forged request learns nothing), then the scope: out of it is "not found"."""
    ctx = await Ctx.of(request)
    form = await ctx.checked_form()
    assert ctx.actor is not None
    name, raw_id = request.path_params["campaign"], str(request.path_params["person_id"])
    view = await campaign_view(ctx, name, "campaign.view")
    row = await ctx.console.store.console_person(view.rec.id, _int(raw_id))
    node = view.nodes.get(row["agency_id"]) if row else None
    target = Target(view.rec.campaign.name, node.path if node else ())
    if row is None or not allowed(ctx.actor, "person.act", target):
        raise await deny(
            ctx, f"person.{action}", f"person {raw_id[:20]} of {name[:100]}", "no such person in scope"
        )
    return Acting(ctx, form, view, row)


async def _offered(a: Acting, action: str) -> str:
    """Why the person's current state refuses ``action`` ("" if it does not)."""
    store, now = a.ctx.console.store, a.ctx.console.now()
    last = await store.last_mail_kind(int(a.person["id"]))
    return offers(a.person, last, resend_time(a.view.rec.campaign, now) is not None)[action]


async def _refuse(a: Acting, action: str, why: str, detail: str = "", typed: str = "") -> Response:
    """Back to the page saying why; a refused address comes back in the field to be fixed, not retyped."""
    await a.ctx.audit(f"person.{action}", a.target, "denied", (detail or why)[:300])
    again = f"&{urlencode({'new': typed})}" if typed else ""
    return a.ctx.redirect(f"{a.page}?why={why}{again}#actions")


async def _done(a: Acting, action: str, outcome: str, detail: str = "", more: str = "") -> Response:
    await a.ctx.audit(f"person.{action}", a.target, "ok", detail[:300])
    a.ctx.console.counts.forget(a.view.rec.id)  # the next page shows the change, not the shared figures
    return a.ctx.redirect(f"{a.page}?done={outcome}{more}#actions")


async def correct(request: Request) -> Response:
    a = await _acting(request, "correct")
    new = clean_text(a.form.get("new", ""), MAX_ADDRESS)
    if new is None:
        return await _refuse(a, "correct", "too_long")
    if why := await _offered(a, "correct"):
        return await _refuse(a, "correct", why)
    console = a.ctx.console
    forced = a.form.get("force", "") == "1"
    try:
        done = await cases.correct(
            console.store, str(a.person["token"]), new, campaign=a.view.rec.campaign.name,
            actor=a.actor, now=console.now(), allow_test_domains=console.allow_test_domains, open_only=True,
            checker=console.diagnose.checker if console.diagnose else None,
            anyway=forced,
        )  # fmt: skip
    except Refusal as exc:
        return await _refuse(a, "correct", exc.key, str(exc), new)
    except (InputError, NotFound) as exc:
        return await _refuse(a, "correct", "failed", str(exc))
    decision, effect = done.decision, done.decision.effect
    outcome = (
        "corrected"
        if decision.requeue
        else "corrected_plan"
        if effect and effect.delivery
        else "corrected_only"
    )
    said = checked(done.check)
    detail = f"{a.person['email']} -> {done.address}; {corrections.check_note(done.check)}"
    return await _done(a, "correct", outcome, detail, f"&check={said}" if said else "")


def checked(check: corrections.AddressCheck) -> str:
    """The word key of what the new mailbox's check found, for the outcome line ("" when the console has
    no [checker] settings: nothing to say); ``overridden``: it found no mailbox, corrected anyway."""
    if check.result is None:
        return ""
    if check.overridden:
        return "overridden"
    return "ok" if check.result.verdict == "ok" else "unsure"


async def _exclusion(request: Request, exclude: bool) -> Response:
    action = "exclude" if exclude else "restore"
    a = await _acting(request, action)
    reason = clean_text(a.form.get("reason", ""), MAX_REASON) if exclude else ""
    if reason is None:
        return await _refuse(a, action, "too_long")
    if why := await _offered(a, action):
        return await _refuse(a, action, why)
    if exclude and not reason:
        return await _refuse(a, action, "reason_needed")
    console = a.ctx.console
    try:
        await cases.set_excluded(
            console.store, str(a.person["token"]), exclude=exclude, reason=reason, campaign=a.view.rec.campaign.name,
            actor=a.actor, now=console.now(),
        )  # fmt: skip
    except (InputError, NotFound) as exc:
        return await _refuse(a, action, "failed", str(exc))
    return await _done(a, action, "excluded" if exclude else "restored", reason)


async def exclude(request: Request) -> Response:
    return await _exclusion(request, True)


async def restore(request: Request) -> Response:
    return await _exclusion(request, False)


async def resend(request: Request) -> Response:
    a = await _acting(request, "resend")
    if why := await _offered(a, "resend"):
        return await _refuse(a, "resend", why)
    console = a.ctx.console
    try:
        result = await cases.resend(
            console.store, a.view.rec.campaign.name, email=str(a.person["token"]), reason=None, agency=None,
            actor=a.actor, now=console.now(), dry_run=False,
        )  # fmt: skip
    except (InputError, NotFound) as exc:
        return await _refuse(a, "resend", "failed", str(exc))
    return await _done(a, "resend", "resent", ", ".join(kind for _, kind in result.done))


async def _pausing(request: Request, pause: bool) -> Response:
    action = "campaign.pause" if pause else "campaign.resume"
    ctx = await Ctx.of(request)
    await ctx.checked_form()
    assert ctx.actor is not None
    view = await campaign_view(ctx, request.path_params["campaign"])
    name = view.rec.campaign.name
    if not allowed(ctx.actor, "campaign.act", Target(name)):
        raise await deny(ctx, action, f"campaign {name}", "not allowed to pause or resume")
    changed = await ctx.console.store.set_paused(name, pause, ctx.console.now(), actor=ctx.actor.username)
    await ctx.audit(action, f"campaign {name}", "ok", "" if changed else "no change")
    outcome = ("paused" if pause else "resumed") if changed else "unchanged"
    return ctx.redirect(f"/c/{quote(name, safe='')}?done={outcome}#sending")


async def pause(request: Request) -> Response:
    return await _pausing(request, True)


async def resume(request: Request) -> Response:
    return await _pausing(request, False)


def outcome_line(ctx: Ctx, tz_t: Words, when: datetime | None) -> dict[str, str] | None:
    """The outcome of the action that led here, from ``?done=`` or ``?why=`` (known keys only)."""
    q = ctx.request.query_params
    if (done := q.get("done", "")) in DONE:
        text = ctx.t(f"done_{done}").replace("{when}", tz_t.when(when) if when else "")
        if (check := q.get("check", "")) in CHECKED:
            text += " " + ctx.t(f"check_{check}")
        return {"kind": "ok", "text": text}
    if (why := q.get("why", "")) in WHY:
        return {"kind": "refused", "text": ctx.t(f"why_{why}")}
    return None


async def person_actions(ctx: Ctx, view: CampaignView, person: dict[str, Any], target: Target,
                         tz_t: Words) -> dict[str, Any]:  # fmt: skip
    """What the person page's _actions.html needs: the forms this actor may use now, and the outcome."""
    assert ctx.actor is not None
    when = resend_time(view.rec.campaign, ctx.console.now())
    flash = outcome_line(ctx, tz_t, when)
    if not allowed(ctx.actor, "person.act", target):
        return {"act": None, "flash": flash}
    last = await ctx.console.store.last_mail_kind(int(person["id"]))
    typed = (
        ctx.request.query_params.get("new", "")[:MAX_ADDRESS] if flash and flash["kind"] == "refused" else ""
    )
    force = bool(typed) and ctx.request.query_params.get("why", "") in FORCIBLE
    return {"act": offers(person, last, when is not None), "flash": flash, "act_new": typed, "act_force": force,
            "act_base": f"/c/{quote(view.rec.campaign.name, safe='')}/p/{person['id']}"}  # fmt: skip


def campaign_actions(ctx: Ctx, view: CampaignView, tz_t: Words) -> dict[str, Any]:
    """What the campaign page's _campaign_actions.html needs: may this actor pause, and the outcome."""
    assert ctx.actor is not None
    return {"can_act": allowed(ctx.actor, "campaign.act", Target(view.rec.campaign.name)),
            "flash": outcome_line(ctx, tz_t, None)}  # fmt: skip


routes = [
    Route("/c/{campaign}/p/{person_id}/correct", correct, methods=["POST"]),
    Route("/c/{campaign}/p/{person_id}/exclude", exclude, methods=["POST"]),
    Route("/c/{campaign}/p/{person_id}/restore", restore, methods=["POST"]),
    Route("/c/{campaign}/p/{person_id}/resend", resend, methods=["POST"]),
    Route("/c/{campaign}/pause", pause, methods=["POST"]),
    Route("/c/{campaign}/resume", resume, methods=["POST"]),
]
