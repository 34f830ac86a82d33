"""A report as an XLSX workbook: a summary sheet per agency, who has not answered, the bounces with
their reasons explained, the day-by-day timeline, and who was excluded (in no figure)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from maildaemon.core.reasons import explain
from maildaemon.reporting.figures import Report
from maildaemon.reporting.render.labels import FIGURES, Labels
from maildaemon.reporting.render.text import excluded_header, excluded_rows


def render_xlsx(report: Report, t: Labels) -> bytes:
    from openpyxl import Workbook

    wb = Workbook()
    _summary(wb.create_sheet(t("summary"), 0), report, t)
    wb.remove(wb.worksheets[1])  # the default empty sheet
    _not_answered(wb.create_sheet(t("not_answered")[:31]), report, t)
    _bounces(wb.create_sheet(t("bounces")[:31]), report, t)
    _timeline(wb.create_sheet(t("timeline")[:31]), report, t)
    _excluded(wb.create_sheet(t("excluded")[:31]), report, t)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _head(ws: Any, headers: Sequence[str], widths: Sequence[int]) -> None:
    """The header row: dark, wrapped, frozen, each column at its width."""
    from openpyxl.styles import Alignment, Font, PatternFill

    head_fill = PatternFill("solid", fgColor="1F3A5F")
    head_font = Font(bold=True, color="FFFFFF")
    ws.append(list(headers))
    for cell, wdt in zip(ws[1], widths, strict=True):
        cell.font, cell.fill = head_font, head_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[cell.column_letter].width = wdt
    ws.freeze_panes = "A2"
    ws.row_dimensions[1].height = 32


def _summary(ws: Any, report: Report, t: Labels) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill

    bold = Font(bold=True)
    below_fill = PatternFill("solid", fgColor="FDE2E1")
    _head(ws, [t("agency"), t("code"), t("level"), *[t(k) for k in FIGURES], t("rate")],
          [46, 14, 16, *[12] * len(FIGURES), 12])  # fmt: skip
    for n, f in enumerate(report.agencies, start=2):  # row numbers: ws.max_row scans every cell
        ws.append([t.agency(f), t.code(f.code), t.level(f.level), *[getattr(f, k) for k in FIGURES], f.rate])
        row = ws[n]
        row[0].alignment = Alignment(indent=f.depth * 2)
        row[-1].number_format = "0.0%"
        for cell in row:
            if f.level < 2:
                cell.font = bold
            if f.below_target and f.level > 0:
                cell.fill = below_fill


def _not_answered(ws: Any, report: Report, t: Labels) -> None:
    _head(ws, [t("agency"), t("name"), t("title"), t("email"), t("phone"), t("delivery"), t("completion"),
               t("last_sent"), t("action")], [34, 26, 20, 32, 14, 18, 18, 18, 28])  # fmt: skip
    for p in report.not_answered:
        ws.append([p.agency_name, p.full_name, p.title, p.email, p.phone, t.state(p.delivery, p.completion, p.reason),
                   t("c_" + p.completion), t.when(p.last_sent_at), t("act_" + p.action)])  # fmt: skip


def _bounces(ws: Any, report: Report, t: Labels) -> None:
    from openpyxl.styles import Alignment

    _head(ws, [t("agency"), t("name"), t("email"), t("delivery"), t("reason"), t("status_code"),
               t("explanation")], [34, 26, 32, 18, 16, 10, 70])  # fmt: skip
    for n, p in enumerate(report.address_problems, start=2):
        reason = p.reason or "undefined"
        ws.append([p.agency_name, p.full_name, p.email, t.state(p.delivery, p.completion, None), t.reason(reason), p.status_code or "",
                   explain(reason, t.lang)])  # fmt: skip
        ws.cell(n, 7).alignment = Alignment(wrap_text=True, vertical="top")


def _timeline(ws: Any, report: Report, t: Labels) -> None:
    _head(ws, [t("day"), t("sends"), t("bounces"), t("completions")], [14, 14, 14, 16])
    for n, d in enumerate(report.timeline, start=2):
        ws.append([d.day, d.sends, d.bounces, d.completions])
        ws.cell(n, 1).number_format = "DD/MM/YYYY" if t.lang == "vi" else "YYYY-MM-DD"


def _excluded(ws: Any, report: Report, t: Labels) -> None:
    _head(ws, excluded_header(t), [34, 26, 32, 40, 20, 18])
    for n, row in enumerate(excluded_rows(report, t), start=2):
        ws.append(row)
        for cell in ws[n]:  # an operator's text, never a formula
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"
