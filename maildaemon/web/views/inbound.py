"""Mail tied to nobody, for a campaign's operators (IT may read it): the list (paged, newest first, in
the campaign's time), one message decoded as `inbound show` prints it, and the form "this is person X"
that ties it to a respondent found by name or address, through the same use case as `inbound assign`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from maildaemon.core import actions, reasons
from maildaemon.core.assignment import campaign_period
from maildaemon.core.lifecycle import is_transient
from maildaemon.errors import InputError, NotFound
from maildaemon.inbound.classify.verdict import RecipientVerdict, stored_recipients
from maildaemon.inbound.readable import readable
from maildaemon.operations import inbound as ops
from maildaemon.reporting import vocabulary as V
from maildaemon.store import CampaignRecord
from maildaemon.store.console import PersonRow
from maildaemon.store.inbound import InboundMessage
from maildaemon.web.context import Ctx
from maildaemon.web.permissions import Target, allowed
from maildaemon.web.scope import deny

PAGE = 50
CANDIDATES = 20  # people shown for a search in the form
MAX_SEARCH = 100
MAX_ANSWERS = 50  # failed recipients shown for one message (ours carry one; a list bounce may carry hundreds)
# the kinds whose verdict says why mail did not arrive (or what the automatic reply said instead)
SAID_KINDS = frozenset({"bounce", "delay", "autoreply"})


@dataclass(frozen=True, slots=True)
class Answer:
    """One failed recipient as the message page shows it: the server's words and what they mean, in the
    words the report and the person's page use (``core.reasons``, ``core.actions``)."""

    v: RecipientVerdict
    lasting: str  # a word key: temporary, perm_address, perm_message
    explained: str
    todo: str  # the recommended action, "" where none
    advice: str


def answers(m: InboundMessage, lang: str) -> list[Answer]:
    """Per failed recipient, what the remote server said about a bounce, a delay or an automatic reply;
    nothing for other kinds. A verdict stored by an older release, or unreadable, still gives the row's own
    reason and status (``stored_recipients``)."""
    if m.kind not in SAID_KINDS:
        return []
    fallback = RecipientVerdict(m.email or "", reason=m.reason or "", hard=m.hard, status=m.status or "")
    out = []
    for v in stored_recipients(m.verdict, fallback):
        transient = is_transient(m.kind, v.reason, v.hard)
        act = actions.action_for(v.reason, retrying=transient)
        lasting = "temporary" if transient else "perm_address" if v.hard else "perm_message"
        out.append(Answer(v, lasting, reasons.explain(v.reason, lang), act.label(lang) if act else "",
                          reasons.advise(v.reason, lang)))  # fmt: skip
    return out


def _int(text: str, default: int = -1) -> int:
    return int(text) if text.isdigit() and len(text) < 10 else default


async def _campaign(ctx: Ctx, name: str, action: str) -> CampaignRecord:
    """The campaign, if the actor may do ``action`` on its mail tied to nobody (no agency: whole-campaign
    accounts only); else the same 404 as a missing one."""
    assert ctx.actor is not None
    try:
        rec = await ctx.console.store.get_campaign(name)
    except NotFound:
        raise await deny(ctx, action, f"campaign {name[:100]}", "no such campaign") from None
    if not allowed(ctx.actor, action, Target(rec.campaign.name)):
        raise await deny(ctx, action, f"inbound of {rec.campaign.name}", "out of scope")
    return rec


async def inbound_list(request: Request) -> Response:
    ctx = await Ctx.of(request)
    rec = await _campaign(ctx, request.path_params["campaign"], "inbound.view")
    page = max(1, _int(request.query_params.get("page", "1"), 1))
    since, until = campaign_period(rec.campaign.opens, rec.campaign.closes)
    rows, total = await ctx.console.store.unattributed(since, until, offset=(page - 1) * PAGE, limit=PAGE)
    return ctx.render("inbound.html", rec=rec, rows=rows, total=total, page=page, pages=max(1, -(-total // PAGE)),
                      tz_t=ctx.t.with_zone(rec.campaign.timezone), kind=_kind(ctx), link=_page_link)  # fmt: skip


async def message(request: Request) -> Response:
    ctx = await Ctx.of(request)
    rec = await _campaign(ctx, request.path_params["campaign"], "inbound.view")
    return await _message_page(ctx, rec, str(request.path_params["inbound_id"]))


async def _message_page(
    ctx: Ctx, rec: CampaignRecord, raw_id: str, error: str = "", status: int = 200
) -> Response:
    assert ctx.actor is not None
    name = rec.campaign.name
    store = ctx.console.store
    try:
        m = await store.inbound_message(_int(raw_id))
    except NotFound:
        raise await deny(ctx, "inbound.view", f"inbound {raw_id[:20]} of {name}", "no such message") from None
    since, until = campaign_period(rec.campaign.opens, rec.campaign.closes)
    # a message tied to this campaign's people is its own whenever it came; one tied to nobody is shown to
    # the campaigns running when it arrived
    ours = m.campaign == name if m.campaign is not None else since <= m.received_at <= until
    if not ours:
        raise await deny(ctx, "inbound.view", f"inbound {m.id} of {name}", "not this campaign's mail")
    can_assign = m.attributed_by is None and allowed(ctx.actor, "inbound.assign", Target(name))
    search = ctx.request.query_params.get("q", "")[:MAX_SEARCH].replace("\r", " ").replace("\n", " ").strip()
    people: list[PersonRow] = []
    found = 0
    if can_assign and search:
        people, found = await store.people(rec.id, None, search=search, limit=CANDIDATES)
    await ctx.audit("inbound.view", f"inbound {m.id} of {name}")
    return ctx.render("inbound_message.html", status, rec=rec, m=m, r=readable(m.raw), tz_t=ctx.t.with_zone(rec.campaign.timezone),
                      kind=_kind(ctx), by=V.attributed_by(m.attributed_by or "", ctx.lang), can_assign=can_assign,
                      search=search, people=people, found=found, error=error, answers=answers(m, ctx.lang),
                      max_answers=MAX_ANSWERS, person_link=_person_link(ctx, rec, m))  # fmt: skip


async def assign(request: Request) -> Response:
    ctx = await Ctx.of(request)
    form = await ctx.checked_form()
    assert ctx.actor is not None
    rec = await _campaign(ctx, request.path_params["campaign"], "inbound.assign")
    name, raw_id = rec.campaign.name, str(request.path_params["inbound_id"])
    store = ctx.console.store
    person = await store.console_person(rec.id, _int(form.get("respondent", "")))
    target = f"inbound {raw_id[:20]} of {name}"
    if person is None:
        raise await deny(ctx, "inbound.assign", target, "no such person in this campaign")
    try:
        done = await ops.assign(store, rec, _int(raw_id), int(person["id"]), actor=f"{ctx.actor.username} (console)",
                                now=ctx.console.now(), bounces=ctx.console.bounces)  # fmt: skip
    except NotFound:
        raise await deny(ctx, "inbound.assign", target, "no such message in this campaign") from None
    except InputError as exc:
        await ctx.audit("inbound.assign", target, "failed", str(exc))
        return await _message_page(ctx, rec, raw_id, error=ctx.t("assign_refused"), status=409)
    await ctx.audit("inbound.assign", target, detail=f"to person {done.respondent_id} ({done.kind})")
    ctx.console.counts.forget(rec.id)  # the next page shows the change, not the shared figures
    return ctx.redirect(f"/c/{quote(name, safe='')}/p/{done.respondent_id}")


def _person_link(ctx: Ctx, rec: CampaignRecord, m: InboundMessage) -> str:
    """The page of the person the message is tied to, for an account that may open it ("" otherwise)."""
    assert ctx.actor is not None
    if m.respondent_id is None or m.campaign != rec.campaign.name:
        return ""
    # whole-campaign accounts only read mail here (``_campaign``), and they may open every person
    if not allowed(ctx.actor, "person.view", Target(rec.campaign.name)):
        return ""
    return f"/c/{quote(rec.campaign.name, safe='')}/p/{m.respondent_id}"


def _page_link(page: int) -> str:
    return f"?page={page}"


def _kind(ctx: Ctx) -> Callable[..., str]:
    lang = ctx.lang
    return lambda kind, reason=None: V.inbound_kind(kind, lang, reason)


routes = [
    Route("/c/{campaign}/inbound", inbound_list, methods=["GET"]),
    Route("/c/{campaign}/inbound/{inbound_id}", message, methods=["GET"]),
    Route("/c/{campaign}/inbound/{inbound_id}/assign", assign, methods=["POST"]),
]
