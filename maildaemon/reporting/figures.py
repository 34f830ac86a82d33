"""Operator report figures, pure: rows from the store in, per-agency figures rolled up the agency
hierarchy, below-target agencies, who has not answered and a daily timeline out. No I/O here;
``maildaemon.reporting.render`` turns a Report into a table, CSV, XLSX or HTML."""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from maildaemon.core import actions
from maildaemon.core.model import Completion, Delivery
from maildaemon.reporting import vocabulary as V

PROVINCE_CODE = "_province"
DEFAULT_TARGET = 0.6

_PROOF_COMPLETION = V.PROOF_COMPLETION
# Completion states of people who have not answered yet: the one follow-up set (report, digest, CSV).
# A reply by mail is not an answer to the survey: they stay on the list until they complete it.
NOT_ANSWERED = frozenset({Completion.PENDING, Completion.AWAY, Completion.REPLIED})
# Delivery states where the address itself needs an operator.
ADDRESS_PROBLEM = frozenset({Delivery.BOUNCED, Delivery.FAILED, Delivery.CHECKED_BAD})
_NOT_SENT_YET = frozenset({Delivery.NEW, Delivery.CHECKED_OK, Delivery.QUEUED})

# Timeline event kinds, as ReportOps names them.
SEND, BOUNCE, COMPLETION = "send", "bounce", "completion"


# --- input: what ReportOps reads from the store -------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgencyRow:
    id: int
    code: str
    name: str
    parent_id: int | None
    level: int


@dataclass(frozen=True, slots=True)
class StateCount:
    """Respondents of one agency in one combination of states (reason kept for address problems)."""

    agency_id: int | None
    delivery: str
    completion: str
    invited: bool
    count: int
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class PersonRow:
    """A respondent who needs attention: not answered yet, or an address problem."""

    agency_id: int | None
    full_name: str
    email: str
    title: str
    delivery: str
    completion: str
    reason: str | None = None
    status_code: str | None = None
    invited_at: datetime | None = None
    last_sent_at: datetime | None = None
    away_until: datetime | None = None
    phone: str = ""


@dataclass(frozen=True, slots=True)
class EventBucket:
    """Events of one kind (send, bounce, completion) in one UTC hour starting at ``hour``."""

    hour: datetime
    kind: str
    count: int


@dataclass(frozen=True, slots=True)
class ExcludedRow:
    """Someone an operator took out of the survey: listed in the report, never in its figures."""

    agency_id: int | None
    full_name: str
    email: str
    reason: str
    by: str  # who excluded them ("" when the event log no longer says)
    at: datetime | None


@dataclass(frozen=True, slots=True)
class ReportData:
    agencies: Sequence[AgencyRow]
    counts: Sequence[StateCount]
    people: Sequence[PersonRow]
    events: Sequence[EventBucket]
    excluded: Sequence[ExcludedRow] = ()


# --- output ------------------------------------------------------------------------------------


@dataclass(slots=True)
class AgencyFigures:
    """One agency's figures including all agencies below it."""

    code: str
    name: str
    level: int
    parent_code: str
    depth: int = 0
    respondents: int = 0
    own_respondents: int = 0  # in this agency itself, not below it: an agency is counted once
    invited: int = 0
    not_sent: int = 0
    relay_accepted: int = 0
    delivered: int = 0
    bounced: int = 0
    deferred: int = 0
    failed: int = 0
    checked_bad: int = 0
    away: int = 0
    replied: int = 0
    completed: int = 0
    declined: int = 0
    not_answered: int = 0
    bounce_reasons: dict[str, int] = field(default_factory=dict)
    below_target: bool = False

    @property
    def rate(self) -> float | None:
        """Response rate: completed / respondents (None without respondents)."""
        return self.completed / self.respondents if self.respondents else None

    @property
    def zero_participation(self) -> bool:
        """People to ask, and not one completed, replied or declined."""
        return self.respondents > 0 and self.completed + self.replied + self.declined == 0

    def add(self, other: AgencyFigures) -> None:
        for name in _SUMMED:
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for reason, n in other.bounce_reasons.items():
            self.bounce_reasons[reason] = self.bounce_reasons.get(reason, 0) + n


_SUMMED = (
    "respondents", "invited", "not_sent", "relay_accepted", "delivered", "bounced", "deferred", "failed", "checked_bad", "away",
    "replied", "completed", "declined", "not_answered",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class PersonLine:
    """Someone who has not answered (or whose address failed), with what the operator should do."""

    agency_code: str
    agency_name: str
    full_name: str
    email: str
    title: str
    phone: str
    delivery: str
    completion: str
    reason: str | None
    status_code: str | None
    invited_at: datetime | None
    last_sent_at: datetime | None
    away_until: datetime | None
    action: str  # fix_address | call | wait | back_soon


@dataclass(frozen=True, slots=True)
class ExcludedLine:
    """An excluded person as the report lists them: by agency in tree order, then name."""

    agency_code: str
    agency_name: str
    full_name: str
    email: str
    reason: str
    by: str
    at: datetime | None


@dataclass(frozen=True, slots=True)
class DayCount:
    day: date
    sends: int = 0
    bounces: int = 0
    completions: int = 0


@dataclass(frozen=True, slots=True)
class Report:
    campaign: str
    title: str
    organization: str
    timezone: str
    generated_at: datetime
    target: float
    agencies: tuple[AgencyFigures, ...]  # tree order: province first, then each department and its units
    below_target: tuple[AgencyFigures, ...]  # agencies with people of their own, rate < target, worst first
    agencies_counted: int  # agencies with people of their own (what ``below_target`` is out of)
    zero_participation: tuple[AgencyFigures, ...]
    not_answered: tuple[PersonLine, ...]  # by agency in tree order, then name
    address_problems: tuple[PersonLine, ...]  # bounced, failed, checked_bad
    timeline: tuple[DayCount, ...]  # every day from the first event to the last, zeros included
    excluded: tuple[ExcludedLine, ...] = ()  # taken out of the survey: listed apart, not in any figure

    @property
    def total(self) -> AgencyFigures:
        return self.agencies[0]


# --- the computation ---------------------------------------------------------------------------


def action_for(
    delivery: str, completion: str, away_until: datetime | None, now: datetime, reason: str | None = None
) -> str:
    """What the operator should do about someone who has not answered."""
    if delivery in ADDRESS_PROBLEM or delivery == Delivery.DEFERRED:  # the reason decides (core.actions)
        by_reason = actions.action_for(reason, retrying=delivery == Delivery.DEFERRED)
        if by_reason is not None:
            return by_reason.code
    if delivery in ADDRESS_PROBLEM:
        return "fix_address"
    if completion == Completion.AWAY and away_until is not None and away_until > now:
        return "back_soon"
    if delivery in _NOT_SENT_YET or delivery == Delivery.DEFERRED:
        return "wait"
    # Delivered, or accepted by the relay with nothing back since: the mail went out, so ask in person.
    return "call"


# Vietnamese alphabetical order: ă, â, đ, ê, ô, ơ, ư are letters of their own after their base
# letter; tones only break ties, in dictionary order (none, huyền, hỏi, ngã, sắc, nặng).
_LETTER_MARKS = {"\u0306": "1", "\u0302": "2", "\u031b": "3"}  # breve, circumflex, horn
_TONE_MARKS = {"\u0300": "1", "\u0309": "2", "\u0303": "3", "\u0301": "4", "\u0323": "5"}


@functools.lru_cache(maxsize=65536)
def sort_key(name: str) -> tuple[str, str, str]:
    """Vietnamese names in alphabetical order (D before Đ, both before E; not Đ after Z)."""
    letters: list[str] = []
    tones: list[str] = []
    for ch in unicodedata.normalize("NFD", name.casefold()):
        if ch in _LETTER_MARKS and letters:
            letters[-1] = letters[-1][0] + _LETTER_MARKS[ch]
        elif ch in _TONE_MARKS and tones:
            tones[-1] = _TONE_MARKS[ch]
        elif not unicodedata.combining(ch):
            letters.append("d1" if ch == "đ" else ch + "0")
            tones.append("0")
    return "".join(letters), "".join(tones), name


def person_key(full_name: str) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
    """Vietnamese lists go by given name (the last word), then the full name."""
    words = full_name.split()
    return sort_key(words[-1] if words else ""), sort_key(full_name)


def build_report(
    data: ReportData,
    *,
    campaign: str,
    title: str,
    now: datetime,
    timezone: str = "Asia/Ho_Chi_Minh",
    organization: str = "",
    target: float = DEFAULT_TARGET,
) -> Report:
    """All report figures for one campaign at ``now``; ``target`` is the response rate to reach."""
    tree = _Tree(data.agencies)
    own: dict[int, AgencyFigures] = {aid: tree.blank(aid) for aid in tree.order}
    for c in data.counts:
        _count_into(own[tree.home(c.agency_id)], c)
    rolled = {aid: tree.blank(aid) for aid in tree.order}
    for aid in reversed(tree.order):  # children come after their parent in tree order
        rolled[aid].add(own[aid])
        parent = tree.parent.get(aid)
        if parent is not None:
            rolled[parent].add(rolled[aid])
    figures = [rolled[aid] for aid in tree.order]
    for aid in tree.order:
        rolled[aid].own_respondents = own[aid].respondents
    for f in figures:
        f.below_target = f.rate is not None and f.rate < target
    # An agency is counted once, where it has people of its own; a commune's line only adds its units up.
    counted = [f for f in figures if f.level > 0 and f.own_respondents > 0]
    below = sorted(
        (f for f in counted if f.below_target),
        key=lambda f: (f.rate or 0.0, -f.respondents, sort_key(f.name)),
    )
    zero = [f for f in figures if f.level > 0 and f.zero_participation]
    people = _people(data.people, tree, now)
    return Report(
        campaign=campaign,
        title=title,
        organization=organization,
        timezone=timezone,
        generated_at=now,
        target=target,
        agencies=tuple(figures),
        below_target=tuple(below),
        agencies_counted=len(counted),
        zero_participation=tuple(zero),
        not_answered=tuple(p for p in people if p.completion in NOT_ANSWERED),
        address_problems=tuple(p for p in people if p.delivery in ADDRESS_PROBLEM),
        timeline=timeline(data.events, ZoneInfo(timezone)),
        excluded=_excluded(data.excluded, tree),
    )


def _excluded(rows: Iterable[ExcludedRow], tree: _Tree) -> tuple[ExcludedLine, ...]:
    position = {aid: i for i, aid in enumerate(tree.order)}
    lines = []
    for r in rows:
        a = tree.agencies[tree.home(r.agency_id)]
        line = ExcludedLine(a.code, a.name, r.full_name, r.email, r.reason, r.by, r.at)
        lines.append((position[a.id], person_key(r.full_name or r.email), r.email, line))
    lines.sort(key=lambda t: t[:3])
    return tuple(t[3] for t in lines)


def _count_into(f: AgencyFigures, c: StateCount) -> None:
    n = c.count
    f.respondents += n
    f.invited += n if c.invited else 0
    group = V.delivery_group(c.delivery, c.completion)  # the one vocabulary: each person in one group
    setattr(f, group, getattr(f, group) + n)
    if group == V.BOUNCED:
        reason = c.reason or "undefined"
        f.bounce_reasons[reason] = f.bounce_reasons.get(reason, 0) + n
    f.away += n if c.completion == Completion.AWAY else 0
    f.replied += n if c.completion == Completion.REPLIED else 0
    f.completed += n if c.completion == Completion.COMPLETED else 0
    f.declined += n if c.completion == Completion.DECLINED else 0
    f.not_answered += n if c.completion in NOT_ANSWERED else 0


def _people(rows: Iterable[PersonRow], tree: _Tree, now: datetime) -> list[PersonLine]:
    position = {aid: i for i, aid in enumerate(tree.order)}
    lines: list[tuple[int, Any, PersonLine]] = []
    for p in rows:
        home = tree.home(p.agency_id)
        a = tree.agencies[home]
        line = PersonLine(
            agency_code=a.code, agency_name=a.name, full_name=p.full_name, email=p.email, title=p.title,
            phone=p.phone, delivery=p.delivery, completion=p.completion, reason=p.reason,
            status_code=p.status_code, invited_at=p.invited_at, last_sent_at=p.last_sent_at,
            away_until=p.away_until, action=action_for(p.delivery, p.completion, p.away_until, now, p.reason),
        )  # fmt: skip
        lines.append((position[home], person_key(p.full_name or p.email), line))
    lines.sort(key=lambda t: (t[0], t[1], t[2].email))
    return [t[2] for t in lines]


class _Tree:
    """The agency hierarchy in display order; a synthetic root when the store has no province row,
    and orphans (unknown parent, or a cycle) hung under the root so nobody is lost."""

    def __init__(self, rows: Sequence[AgencyRow]) -> None:
        self.agencies: dict[int, AgencyRow] = {a.id: a for a in rows}
        roots = [a for a in rows if a.parent_id is None and a.code == PROVINCE_CODE]
        if roots:
            self.root = roots[0].id
        else:
            self.root = min(self.agencies, default=0) - 1
            self.agencies[self.root] = AgencyRow(self.root, PROVINCE_CODE, "", None, 0)
        children: dict[int, list[AgencyRow]] = {}
        for a in self.agencies.values():
            if a.id == self.root:
                continue
            parent = a.parent_id if a.parent_id in self.agencies and a.parent_id != a.id else self.root
            children.setdefault(parent, []).append(a)
        self.parent: dict[int, int] = {}
        self.depth: dict[int, int] = {self.root: 0}
        self.order: list[int] = []
        self._walk(self.root, children)
        for a in sorted(self.agencies.values(), key=lambda a: a.id):  # only in a cycle: not reached
            if a.id not in self.depth:
                self.parent[a.id] = self.root
                self.depth[a.id] = 1
                self.order.append(a.id)

    def _walk(self, root: int, children: Mapping[int, list[AgencyRow]]) -> None:
        stack = [root]
        while stack:
            aid = stack.pop()
            self.order.append(aid)
            kids = sorted(children.get(aid, []), key=lambda a: (sort_key(a.name), a.code))
            for kid in reversed(kids):
                if kid.id in self.depth:
                    continue
                self.parent[kid.id] = aid
                self.depth[kid.id] = self.depth[aid] + 1
                stack.append(kid.id)

    def home(self, agency_id: int | None) -> int:
        """Where a respondent's figures go: its agency, or the root when unknown."""
        return agency_id if agency_id is not None and agency_id in self.depth else self.root

    def blank(self, aid: int) -> AgencyFigures:
        a = self.agencies[aid]
        parent = self.parent.get(aid)
        return AgencyFigures(
            code=a.code,
            name=a.name,
            level=a.level,
            parent_code=self.agencies[parent].code if parent is not None else "",
            depth=self.depth[aid],
        )


def timeline(buckets: Iterable[EventBucket], tz: ZoneInfo) -> tuple[DayCount, ...]:
    """Sends, bounces and completions per day in the campaign's time zone, gaps filled with zeros.

    Buckets are UTC hours, so days are exact for zones with whole-hour offsets (Vietnam: UTC+7)."""
    per_day: dict[date, list[int]] = {}
    slot = {SEND: 0, BOUNCE: 1, COMPLETION: 2}
    for b in buckets:
        if b.kind not in slot:
            continue
        day = b.hour.astimezone(tz).date()
        per_day.setdefault(day, [0, 0, 0])[slot[b.kind]] += b.count
    if not per_day:
        return ()
    first, last = min(per_day), max(per_day)
    out = []
    for i in range((last - first).days + 1):
        day = first + timedelta(days=i)
        sends, bounces, completions = per_day.get(day, (0, 0, 0))
        out.append(DayCount(day, sends, bounces, completions))
    return tuple(out)
