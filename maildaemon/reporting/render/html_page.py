"""A report as one self-contained HTML page that prints on A4: summary cards, the agencies with
their response-rate bars, a day-by-day chart in SVG, the agencies below target, bounce reasons and
who has not answered yet, and apart from the figures who was excluded from the survey."""

from __future__ import annotations

import html
import math
from collections.abc import Sequence

from maildaemon.core.reasons import explain
from maildaemon.reporting.clock import zone_label
from maildaemon.reporting.figures import DayCount, PersonLine, Report
from maildaemon.reporting.render.labels import Labels, shortfall
from maildaemon.reporting.render.text import excluded_header, excluded_rows

_CSS = """
@page { size: A4; margin: 15mm }
* { box-sizing: border-box }
body { font-family: "Noto Sans", "DejaVu Sans", "Segoe UI", Arial, sans-serif; color: #1f2933; margin: 0 auto;
  max-width: 1100px; padding: 24px 32px; font-size: 13px; line-height: 1.45; background: #fff }
header { border-bottom: 3px solid #1f3a5f; padding-bottom: 10px; margin-bottom: 18px }
header .org { text-transform: uppercase; letter-spacing: .04em; font-size: 12px; color: #52606d; font-weight: 600 }
h1 { font-size: 22px; margin: 4px 0 2px; color: #1f3a5f }
header .sub { font-size: 15px; margin: 0 }
header .meta { color: #52606d; font-size: 12px; margin-top: 4px }
h2 { font-size: 16px; color: #1f3a5f; border-bottom: 1px solid #cbd2d9; padding-bottom: 4px; margin: 26px 0 10px;
  break-after: avoid }
h3 { font-size: 13px; margin: 14px 0 4px; break-after: avoid }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(128px, 1fr)); gap: 8px }
.scroll { overflow-x: auto; -webkit-overflow-scrolling: touch }
.card { border: 1px solid #cbd2d9; border-radius: 6px; padding: 8px 10px; background: #f5f7fa }
.card .v { font-size: 20px; font-weight: 700; color: #1f3a5f }
.card .k { font-size: 11px; color: #52606d }
.card.warn .v { color: #b42318 }
table { border-collapse: collapse; width: 100%; font-size: 12px }
thead { display: table-header-group }
tr { break-inside: avoid; page-break-inside: avoid }
th { background: #1f3a5f; color: #fff; font-weight: 600; text-align: left; padding: 5px 6px; vertical-align: bottom }
td { padding: 4px 6px; border-bottom: 1px solid #e4e7eb; vertical-align: top }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums }
td.n { white-space: nowrap }
table.people td { overflow-wrap: anywhere }
th.n { width: 78px }
th.wide { width: 38% }
tr.l0 td { background: #e8eef6; font-weight: 700 }
tr.l1 td { font-weight: 600 }
tr.below td { background: #fdecea }
tr.below td.name::after { content: " ▼"; color: #b42318; font-size: 10px }
td.name { min-width: 220px }
td.barcell { width: 170px; min-width: 150px; vertical-align: middle }
.bar { position: relative; height: 12px; background: #e4e7eb; border-radius: 2px; margin-top: 3px }
.bar .fill { position: absolute; left: 0; top: 0; bottom: 0; background: #2f855a; border-radius: 2px }
.bar .fill.low { background: #c53030 }
.bar .tgt { position: absolute; top: -3px; bottom: -3px; width: 2px; background: #1f2933 }
.legend { font-size: 11px; color: #52606d; margin: 4px 0 }
.legend i { display: inline-block; width: 10px; height: 10px; margin: 0 4px 0 12px; vertical-align: -1px }
.legend i.tline { width: 2px; height: 12px; background: #1f2933 }
.note { color: #52606d; font-size: 12px }
.warn-text { color: #b42318; font-weight: 600 }
svg { display: block; width: 100%; height: auto }
tr.grp { break-after: avoid; page-break-after: avoid }
.grp td { background: #f5f7fa; font-weight: 600; color: #1f3a5f }
.act-fix_address { color: #b42318; font-weight: 600 }
.act-call { color: #1f3a5f; font-weight: 600 }
footer { margin-top: 28px; border-top: 1px solid #cbd2d9; padding-top: 6px; font-size: 11px; color: #7b8794 }
@media print { body { padding: 0; max-width: none; font-size: 11px }
  td.name { min-width: 150px } td.barcell { width: 80px; min-width: 80px } th { padding: 4px 4px }
  th.n { width: 56px }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact }
  .cards { grid-template-columns: repeat(7, 1fr) } section { break-inside: auto } .scroll { overflow: visible } }
@media screen and (max-width: 720px) { body { padding: 12px 10px; font-size: 12px }
  .cards { grid-template-columns: repeat(2, 1fr) } td.name { min-width: 150px } th.n { width: auto }
  td.barcell { width: 70px; min-width: 70px } h1 { font-size: 19px } .opt { display: none } }
"""

_COLOURS = {"sends": "#3b6ea5", "bounces": "#c53030", "completions": "#2f855a"}


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def render_html(report: Report, t: Labels) -> str:
    tot = report.total
    cards = [
        ("respondents", tot.respondents, False), ("invited", tot.invited, False),
        ("relay_accepted", tot.relay_accepted, False), ("delivered", tot.delivered, False), ("bounced", tot.bounced, tot.bounced > 0),
        ("completed", tot.completed, False), ("rate", t.pct(tot.rate), tot.below_target),
    ]  # fmt: skip
    parts = [
        f'<!DOCTYPE html>\n<html lang="{t.lang}">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(t('report'))}: {_e(report.title)}</title>\n<style>{_CSS}</style>\n</head>\n<body>\n",
        "<header>",
        f'<div class="org">{_e(report.organization)}</div>' if report.organization else "",
        f"<h1>{_e(t('report'))}</h1>",
        f'<p class="sub">{_e(report.title)}</p>',
        f'<div class="meta">{_e(t("campaign"))}: {_e(report.campaign)} · {_e(t("generated"))}: '
        f"{_e(t.when(report.generated_at))} ({_e(zone_label(report.timezone, report.generated_at))}) · {_e(t('target'))}: {_e(t.pct(report.target))}</div>",
        "</header>\n",
        '<section class="cards">',
        *[
            f'<div class="card{" warn" if warn else ""}"><div class="v">{_e(v)}</div><div class="k">{_e(t(k))}</div>'
            "</div>"
            for k, v, warn in cards
        ],
        "</section>\n",
        _html_agencies(report, t),
        _html_timeline(report.timeline, t),
        _html_below(report, t),
        _html_reasons(report, t),
        _html_people(report, t),
        _html_excluded(report, t),
        f"<footer>maildaemon · {_e(report.campaign)} · {_e(t.when(report.generated_at))}</footer>\n",
        "</body>\n</html>\n",
    ]
    return "".join(parts)


def _html_agencies(report: Report, t: Labels) -> str:
    cols = ("respondents", "invited", "delivered", "bounced", "away", "completed")
    # on a phone the name, respondents, completed, rate and bar fit; the other figures are in the cards
    opt = {"invited", "delivered", "bounced", "away"}
    head = "".join(f'<th class="n{" opt" if k in opt else ""}">{_e(t(k))}</th>' for k in cols)
    tgt = min(100.0, report.target * 100)
    rows = []
    for f in report.agencies:
        cls = f"l{min(f.level, 2)}" + (" below" if f.below_target and f.level > 0 else "")
        fill = "fill low" if f.below_target else "fill"  # coloured by the target on every row
        width = 0.0 if f.rate is None else min(100.0, f.rate * 100)
        bar = (f'<div class="bar"><span class="{fill}" style="width:{width:.1f}%"></span>'
               f'<span class="tgt" style="left:{tgt:.1f}%"></span></div>')  # fmt: skip
        nums = "".join(f'<td class="n{" opt" if k in opt else ""}">{getattr(f, k)}</td>' for k in cols)
        rows.append(
            f'<tr class="{cls}" data-code="{_e(t.code(f.code))}"><td class="name" style="padding-left:{6 + 16 * f.depth}px">'
            f"{_e(t.agency(f))}</td>{nums}"
            f'<td class="n">{_e(t.pct(f.rate))}</td><td class="barcell">{bar}</td></tr>'
        )
    legend = (
        f'<div class="legend">{_e(t("rate"))}:<i style="background:#2f855a"></i>≥ {_e(t.pct(report.target))}'
        f'<i style="background:#c53030"></i>&lt; {_e(t.pct(report.target))}'
        f'<i class="tline"></i>{_e(t("target_line"))}</div>'
    )
    return (
        f"<h2>{_e(t('by_agency'))}</h2>{legend}<div class='scroll'><table><thead><tr><th>{_e(t('agency'))}</th>{head}"
        f'<th class="n">{_e(t("rate"))}</th><th></th></tr></thead><tbody>{"".join(rows)}</tbody></table></div>\n'
    )


def _axis(value: int) -> tuple[int, int]:
    """A round top for the y axis and a tick count that divides it into whole numbers."""
    if value <= 4:
        return 4, 4
    magnitude = 10 ** int(math.log10(value))
    for step in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        top = round(step * magnitude)
        if top >= value:
            for ticks in (5, 4, 6, 3):
                if top % ticks == 0:
                    return top, ticks
    return value, 1


def _html_timeline(days: Sequence[DayCount], t: Labels) -> str:
    title = f"<h2>{_e(t('timeline'))}</h2>"
    if not days:
        return title + f'<p class="note">{_e(t("none"))}</p>\n'
    w, h, left, bottom, top = 1000, 240, 48, 30, 12
    plot_w, plot_h = w - left - 10, h - bottom - top
    ymax, ticks = _axis(max(max(d.sends, d.bounces, d.completions) for d in days))
    slot = plot_w / len(days)
    bar = max(1.0, min(14.0, slot * 0.8 / 3))
    svg = [f'<svg viewBox="0 0 {w} {h}" role="img" '
           f'aria-label="{_e(t("timeline"))}" font-family="inherit" font-size="11">']  # fmt: skip
    for i in range(ticks + 1):
        y = top + plot_h - plot_h * i / ticks
        svg.append(f'<line x1="{left}" x2="{w - 10}" y1="{y:.1f}" y2="{y:.1f}" stroke="#e4e7eb"/>')
        svg.append(
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#52606d">{ymax * i // ticks}</text>'
        )
    every = max(1, math.ceil(len(days) / 16))
    fmt = "%d/%m" if t.lang == "vi" else "%m-%d"
    for n, d in enumerate(days):
        x0 = left + slot * n + (slot - 3 * bar) / 2
        for k, (key, value) in enumerate(
            (("sends", d.sends), ("bounces", d.bounces), ("completions", d.completions))
        ):
            if value:
                bh = plot_h * value / ymax
                svg.append(
                    f'<rect x="{x0 + k * bar:.1f}" y="{top + plot_h - bh:.1f}" width="{bar:.1f}" height="{bh:.1f}" '
                    f'fill="{_COLOURS[key]}"><title>{_e(d.day.isoformat())} {_e(t(key))}: {value}</title></rect>'
                )
        if n % every == 0:
            cx = left + slot * n + slot / 2
            svg.append(f'<text x="{cx:.1f}" y="{h - 10}" text-anchor="middle" fill="#52606d">'
                       f"{_e(d.day.strftime(fmt))}</text>")  # fmt: skip
    svg.append(
        f'<line x1="{left}" x2="{w - 10}" y1="{top + plot_h}" y2="{top + plot_h}" stroke="#9aa5b1"/></svg>'
    )
    legend = '<div class="legend">' + "".join(
        f'<i style="background:{c}"></i>{_e(t(k))} ({sum(getattr(d, k) for d in days)})' for k, c in _COLOURS.items()
    ) + "</div>"  # fmt: skip
    return title + legend + "".join(svg) + "\n"


def _html_below(report: Report, t: Labels) -> str:
    count = t("below_count").format(n=len(report.below_target), m=report.agencies_counted)
    out = [
        f"<h2>{_e(t('below'))} ({_e(t('target'))} {_e(t.pct(report.target))})</h2>",
        f'<p class="note below-count">{_e(count)}</p>',
    ]
    if not report.below_target:
        out.append(f'<p class="note">{_e(t("none"))}</p>')
    else:
        out.append(
            f'<div class="scroll"><table><thead><tr><th class="wide">{_e(t("agency"))}</th><th>{_e(t("level"))}</th>'
            f'<th class="n">{_e(t("respondents"))}</th><th class="n">{_e(t("completed"))}</th>'
            f'<th class="n">{_e(t("rate"))}</th><th class="n">{_e(t("shortfall"))}</th></tr></thead><tbody>'
        )
        for f in report.below_target:
            out.append(
                f'<tr data-code="{_e(t.code(f.code))}"><td>{_e(t.agency(f))}</td><td>{_e(t.level(f.level))}</td>'
                f'<td class="n">{f.respondents}</td><td class="n">{f.completed}</td>'
                f'<td class="n">{_e(t.pct(f.rate))}</td><td class="n">{shortfall(f, report.target)}</td></tr>'
            )
        out.append("</tbody></table></div>")
    if report.zero_participation:
        names = ", ".join(_e(t.agency(f)) for f in report.zero_participation)
        out.append(f'<p><span class="warn-text">{_e(t("zero"))}:</span> {names}</p>')
    return "".join(out) + "\n"


def _html_reasons(report: Report, t: Labels) -> str:
    reasons = sorted(report.total.bounce_reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    out = [f"<h2>{_e(t('by_reason'))}</h2>"]
    if not reasons:
        return out[0] + f'<p class="note">{_e(t("none"))}</p>\n'
    out.append(f'<div class="scroll"><table><thead><tr><th>{_e(t("reason"))}</th><th class="n">{_e(t("count"))}</th>'
               f"<th>{_e(t('explanation'))}</th></tr></thead><tbody>")  # fmt: skip
    for reason, n in reasons:
        out.append(
            f'<tr><td>{_e(t.reason(reason))}</td><td class="n">{n}</td><td>{_e(explain(reason, t.lang))}</td></tr>'
        )
    return "".join(out) + "</tbody></table></div>\n"


def _html_people(report: Report, t: Labels) -> str:
    out = [f"<h2>{_e(t('not_answered'))} ({len(report.not_answered)} {_e(t('people'))})</h2>"]
    if not report.not_answered:
        return out[0] + f'<p class="note">{_e(t("everyone_answered"))}</p>\n'
    out.append(
        f'<div class="scroll"><table class="people"><thead><tr><th style="width:28%">{_e(t("name"))}</th>'
        f'<th style="width:15%">{_e(t("title"))}</th><th style="width:23%">{_e(t("email"))}</th>'
        f'<th style="width:17%">{_e(t("delivery"))}</th><th style="width:17%">{_e(t("action"))}</th></tr></thead><tbody>'
    )
    current = None
    for p in report.not_answered:
        if p.agency_code != current:
            current = p.agency_code
            out.append(f'<tr class="grp"><td colspan="5">{_e(p.agency_name or t("total"))}</td></tr>')
        out.append(_person_row(p, t))
    return "".join(out) + "</tbody></table></div>\n"


def _html_excluded(report: Report, t: Labels) -> str:
    """Who operators took out of the survey, apart from every figure above, with who did it and when."""
    out = [f'<h2 id="excluded">{_e(t("excluded"))} ({len(report.excluded)} {_e(t("people"))})</h2>']
    if not report.excluded:
        return out[0] + f'<p class="note">{_e(t("none"))}</p>\n'
    out.append(f'<p class="note">{_e(t("excluded_note"))}</p><div class="scroll"><table class="people excluded"><thead><tr>'
               + "".join(f"<th>{_e(h)}</th>" for h in excluded_header(t)) + "</tr></thead><tbody>")  # fmt: skip
    for row in excluded_rows(report, t):
        out.append("<tr>" + "".join(f"<td>{_e(c)}</td>" for c in row) + "</tr>")
    return "".join(out) + "</tbody></table></div>\n"


def _person_row(p: PersonLine, t: Labels) -> str:
    state = t.state(p.delivery, p.completion, p.reason)
    if p.completion == "away":
        state += (
            f"; {t('away_until_lc')} {t.when(p.away_until, False)}" if p.away_until else f"; {t('c_away')}"
        )
    phone = f'<div class="note">{_e(p.phone)}</div>' if p.phone else ""
    return (
        f"<tr><td>{_e(p.full_name)}</td><td>{_e(p.title)}</td><td>{_e(p.email)}{phone}</td><td>{_e(state)}</td>"
        f'<td class="act-{_e(p.action)}">{_e(t("act_" + p.action))}</td></tr>'
    )
