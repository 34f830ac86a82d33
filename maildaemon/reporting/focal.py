"""What one agency's focal point (đầu mối) reads: from the campaign report, only their agency and the
units below it: whose invitation bounced and who has not answered, each with the action to take in
the report's words, as a plain text and an HTML body. Pure: the daemon sends it (service.focal_digest).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from maildaemon.reporting.clock import zone_label
from maildaemon.reporting.figures import AgencyFigures, PersonLine, Report
from maildaemon.reporting.render.labels import Labels

MAX_LISTED = 300  # per section: a focal point's mail stays readable; the console pages the rest

_TEXT = {
    "vi": {
        "subject": "Danh sách cần đôn đốc ngày {day}: {agency}",
        "greeting": "Kính gửi đầu mối khảo sát của {agency},",
        "intro": "Tình hình khảo sát \u201c{title}\u201d của {agency} và các đơn vị trực thuộc đến {time} ngày {day}:",
        "progress": "Đã hoàn thành phiếu: {done}/{total} người ({rate}).",
        "bounced": "Thư mời không đến được ({n} người) — cần sửa địa chỉ hoặc liên hệ trực tiếp",
        "not_answered": "Chưa trả lời ({n} người) — đề nghị nhắc trực tiếp",
        "nobody": "Không có ai cần đôn đốc: cảm ơn đồng chí.",
        "more": "... và {n} người nữa.",
        "state": "Tình trạng", "action": "Việc cần làm",
        "link": "Xem, tìm kiếm và sửa địa chỉ trên trang quản lý khảo sát:",
        "no_link": "Để sửa địa chỉ hoặc xem chi tiết, đề nghị liên hệ cán bộ phụ trách khảo sát{contact}.",
        "footer": "Thư này do hệ thống maildaemon gửi tự động; người đã loại khỏi khảo sát không có trong danh sách.",
    },
    "en": {
        "subject": "People to follow up on {day}: {agency}",
        "greeting": "Dear focal point of {agency},",
        "intro": "Progress of \u201c{title}\u201d in {agency} and the units below it at {time} on {day}:",
        "progress": "Survey completed: {done} of {total} people ({rate}).",
        "bounced": "Invitation did not arrive ({n} people) — the address needs fixing, or contact them directly",
        "not_answered": "Not answered yet ({n} people) — please remind them",
        "nobody": "Nobody to follow up: thank you.",
        "more": "... and {n} more.",
        "state": "Status", "action": "To do",
        "link": "See, search and fix addresses in the survey console:",
        "no_link": "To fix an address or see the details, please ask the survey operator{contact}.",
        "footer": "Sent automatically by maildaemon; people excluded from the survey are not listed.",
    },
}  # fmt: skip


@dataclass(frozen=True, slots=True)
class FocalList:
    """One agency with its units: its figures, whose mail bounced and who else has not answered."""

    agency: AgencyFigures
    bounced: tuple[PersonLine, ...]
    not_answered: tuple[
        PersonLine, ...
    ]  # the address is fine (or not tried yet): they were not in ``bounced``


def focal_list(report: Report, code: str) -> FocalList | None:
    """The part of ``report`` for the agency ``code`` and the units below it; None if it is not in the report."""
    inside: set[str] = set()
    top: AgencyFigures | None = None
    for f in report.agencies:  # tree order: a unit comes after its parent
        if f.code == code or f.parent_code in inside:
            inside.add(f.code)
            top = top or f
    if top is None:
        return None
    bounced = tuple(p for p in report.address_problems if p.agency_code in inside)
    gone = {p.email for p in bounced}
    rest = tuple(p for p in report.not_answered if p.agency_code in inside and p.email not in gone)
    return FocalList(top, bounced, rest)


@dataclass(frozen=True, slots=True)
class FocalMail:
    subject: str
    text: str
    html: str


def focal_mail(
    fl: FocalList, *, title: str, lang: str, now: datetime, tz: str, link: str | None, contact: str
) -> FocalMail:
    """The digest's subject and bodies; ``link`` the agency's page in the console (None: ask the operator)."""
    t = Labels(lang, tz)
    w = _TEXT[t.lang]
    local = now.astimezone(ZoneInfo(tz))
    day = t.when(now, with_time=False)
    agency = t.agency(fl.agency)
    when = f"{local:%H:%M} ({zone_label(tz, local)})"
    a = fl.agency
    head = [
        w["greeting"].format(agency=agency), "",
        w["intro"].format(title=title, agency=agency, time=when, day=day),
        "  " + w["progress"].format(done=a.completed, total=a.respondents, rate=t.pct(a.rate)),
    ]  # fmt: skip
    sections = [(w["bounced"], fl.bounced), (w["not_answered"], fl.not_answered)]
    sections = [(h.format(n=len(people)), people) for h, people in sections if people]
    text = [*head, ""]
    for heading, people in sections:
        text += [heading + ":", *_text_lines(people, t, w), ""]
    if not sections:
        text += [w["nobody"], ""]
    way = f"{w['link']} {link}" if link else w["no_link"].format(contact=f" ({contact})" if contact else "")
    text += [way, "", "-- ", w["footer"]]
    return FocalMail(
        subject=w["subject"].format(day=day, agency=agency),
        text="\n".join(text) + "\n",
        html=_html(head, sections, t, w, link, way),
    )


def _label(p: PersonLine, t: Labels) -> tuple[str, str]:
    """The person's state and action as the report words them (an absence with its return date)."""
    state = t.state(p.delivery, p.completion, p.reason)
    if p.completion == "away":
        state += (
            f"; {t('away_until_lc')} {t.when(p.away_until, False)}" if p.away_until else f"; {t('c_away')}"
        )
    return state, t("act_" + p.action)


def _who(p: PersonLine) -> str:
    name = p.full_name or p.email
    return f"{name} ({p.title})" if p.title else name


def _text_lines(people: Sequence[PersonLine], t: Labels, w: dict[str, str]) -> list[str]:
    out = []
    for p in people[:MAX_LISTED]:
        state, action = _label(p, t)
        out += [
            f"  - {_who(p)}, {p.agency_name}: {p.email}",
            f"    {w['state']}: {state}. {w['action']}: {action}.",
        ]
    if len(people) > MAX_LISTED:
        out.append("  " + w["more"].format(n=len(people) - MAX_LISTED))
    return out


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def _html(
    head: list[str], sections: list[tuple[str, tuple[PersonLine, ...]]], t: Labels, w: dict[str, str],
    link: str | None, way: str,
) -> str:  # fmt: skip
    out = [f'<!DOCTYPE html>\n<html lang="{t.lang}"><head><meta charset="utf-8"></head>'
           '<body style="font-family: Arial, sans-serif; font-size: 14px; color: #1f2933">']  # fmt: skip
    out += [f"<p>{_e(line.strip())}</p>" for line in head if line]
    for heading, people in sections:
        out.append(f'<h3 style="color: #1f3a5f">{_e(heading)}</h3><table style="border-collapse: collapse">')
        out.append(f"<tr><th align='left'>{_e(t('name'))}</th><th align='left'>{_e(t('agency'))}</th>"
                   f"<th align='left'>{_e(t('email'))}</th><th align='left'>{_e(w['state'])}</th>"
                   f"<th align='left'>{_e(w['action'])}</th></tr>")  # fmt: skip
        for p in people[:MAX_LISTED]:
            state, action = _label(p, t)
            out.append(f"<tr><td>{_e(_who(p))}</td><td>{_e(p.agency_name)}</td><td>{_e(p.email)}</td>"
                       f"<td>{_e(state)}</td><td><b>{_e(action)}</b></td></tr>")  # fmt: skip
        out.append("</table>")
        if len(people) > MAX_LISTED:
            out.append(f"<p>{_e(w['more'].format(n=len(people) - MAX_LISTED))}</p>")
    if not sections:
        out.append(f"<p>{_e(w['nobody'])}</p>")
    if link:
        out.append(f'<p>{_e(w["link"])} <a href="{_e(link)}">{_e(link)}</a></p>')
    else:
        out.append(f"<p>{_e(way)}</p>")
    out.append(f'<p style="color: #7b8794; font-size: 12px">{_e(w["footer"])}</p></body></html>\n')
    return "".join(out)
