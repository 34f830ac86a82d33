"""Render a Report for people: a terminal table, CSV for Excel, an XLSX workbook, and one
self-contained HTML file that prints on A4 (one module per format). Vietnamese by default, English
with ``lang="en"``; bounce reasons are explained with ``core.reasons.explain``."""

from __future__ import annotations

from maildaemon.errors import InputError
from maildaemon.reporting.figures import Report
from maildaemon.reporting.render.html_page import render_html
from maildaemon.reporting.render.labels import Labels, shortfall
from maildaemon.reporting.render.text import render_csv, render_table
from maildaemon.reporting.render.xlsx import render_xlsx

FORMATS = ("table", "csv", "xlsx", "html")

__all__ = ["FORMATS", "render", "shortfall"]


def render(report: Report, fmt: str, lang: str = "vi") -> str | bytes:
    """The report as ``table`` (str), ``csv`` (bytes, UTF-8 with BOM), ``xlsx`` (bytes) or ``html`` (str)."""
    t = Labels(lang, report.timezone)
    if fmt == "table":
        return render_table(report, t)
    if fmt == "csv":
        return render_csv(report, t)
    if fmt == "xlsx":
        return render_xlsx(report, t)
    if fmt == "html":
        return render_html(report, t)
    raise InputError(f"unknown report format {fmt!r} (use one of: {', '.join(FORMATS)})")
