"""A report as text: a terminal table, and CSV (one row per agency) for Excel."""

from __future__ import annotations

import csv
import io

from maildaemon.core.reasons import explain
from maildaemon.reporting.display import table
from maildaemon.reporting.figures import Report
from maildaemon.reporting.render.labels import FIGURES, Labels, shortfall


def render_table(report: Report, t: Labels) -> str:
    out = [f"{t('report')}: {report.title}", f"{t('generated')}: {t.when(report.generated_at)}", ""]
    rows = [
        [("  " * f.depth) + t.agency(f) + (" *" if f.below_target and f.level else ""), t.code(f.code),
         *[getattr(f, k) for k in FIGURES], t.pct(f.rate)]
        for f in report.agencies
    ]  # fmt: skip
    out.append(table([t("agency"), t("code"), *[t(k) for k in FIGURES], t("rate")], rows, numeric_from=2))
    count = t("below_count").format(n=len(report.below_target), m=report.agencies_counted)
    out += ["", f"{t('below')} ({t('target')} {t.pct(report.target)}): {count}"]
    below = [[t.agency(f), f.respondents, f.completed, t.pct(f.rate), shortfall(f, report.target)]
             for f in report.below_target]  # fmt: skip
    hdr = [t("agency"), t("respondents"), t("completed"), t("rate"), t("shortfall")]
    out.append(table(hdr, below) if below else t("none"))
    out += ["", f"{t('zero')}:", ", ".join(t.agency(f) for f in report.zero_participation) or t("none")]
    reasons = sorted(report.total.bounce_reasons.items(), key=lambda kv: (-kv[1], kv[0]))
    out += ["", f"{t('by_reason')}:"]
    rr = [[t.reason(r), n, explain(r, t.lang)] for r, n in reasons]
    out.append(table([t("reason"), t("count"), t("explanation")], rr, numeric_from=1) if rr else t("none"))
    out += ["", f"{t('not_answered')} ({len(report.not_answered)}):"]
    people = [[p.agency_name, p.full_name, p.email, t.state(p.delivery, p.completion, p.reason), t("act_" + p.action)]
              for p in report.not_answered]  # fmt: skip
    hdr = [t("agency"), t("name"), t("email"), t("delivery"), t("action")]
    out.append(table(hdr, people, numeric_from=99) if people else t("everyone_answered"))
    if report.excluded:
        out += ["", f"{t('excluded')} ({len(report.excluded)}): {t('excluded_note')}"]
        out.append(table(excluded_header(t), excluded_rows(report, t), numeric_from=99))
    return "\n".join(out) + "\n"


def excluded_header(t: Labels) -> list[str]:
    return [t("agency"), t("name"), t("email"), t("excluded_reason"), t("excluded_by"), t("excluded_at")]


def excluded_rows(report: Report, t: Labels) -> list[list[str]]:
    """The excluded people's cells, as every format lists them (after the header above)."""
    return [
        [x.agency_name or t("total"), x.full_name, x.email, x.reason, x.by, t.when(x.at)]
        for x in report.excluded
    ]


_CSV_FIGURES = (*FIGURES, "checked_bad", "declined", "not_answered")  # FIGURES has "replied" already


def render_csv(report: Report, t: Labels) -> bytes:
    """One row per agency; UTF-8 with a BOM so Excel shows Vietnamese."""
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    keys = [k if k != "not_answered" else "not_answered_n" for k in _CSV_FIGURES]
    w.writerow([t("code"), t("agency"), t("level"), t("parent"), *[t(k) for k in keys], t("rate")])
    for f in report.agencies:
        rate = "" if f.rate is None else f"{f.rate:.4f}"
        w.writerow(
            [
                t.code(f.code),
                t.agency(f),
                f.level,
                t.code(f.parent_code),
                *[getattr(f, k) for k in _CSV_FIGURES],
                rate,
            ]
        )
    if report.excluded:  # a section of its own below the agencies, after an empty row
        w.writerows([[], [t("excluded"), t("excluded_note")], excluded_header(t)])
        w.writerows([[_no_formula(c) for c in row] for row in excluded_rows(report, t)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _no_formula(text: str) -> str:
    """Excel runs a cell starting with = + - @ as a formula: an operator's words are quoted instead."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
