"""The ``status`` table: the report's figures per agency in the one vocabulary, the hierarchy indented."""

from __future__ import annotations

from maildaemon.reporting import vocabulary as V
from maildaemon.reporting.display import table
from maildaemon.reporting.figures import AgencyFigures, Report
from maildaemon.reporting.render.labels import Labels


def status_table(report: Report, lang: str = "vi", max_depth: int | None = None) -> str:
    """The status table: the report's figures in the one vocabulary, the agency hierarchy indented
    (province, department or commune, unit), and only the state columns someone is in."""
    t = Labels(lang, report.timezone)
    tot = report.total
    groups = [g for g in V.DELIVERY_GROUPS if getattr(tot, g)]
    answers = [c for c in ("pending", "away", "replied", "completed", "declined") if _answer(tot, c)]
    headers = [t("agency"), t("code"), *[V.short(k, lang) for k in ("respondents", "invited", *groups)], "|",
               *[V.short(c, lang) for c in answers], t("rate")]  # fmt: skip
    rows = [
        [("  " * f.depth) + t.agency(f), t.code(f.code), f.respondents, f.invited,
         *[getattr(f, g) for g in groups], "|", *[_answer(f, c) for c in answers], t.pct(f.rate)]
        for f in report.agencies
        if max_depth is None or f.depth <= max_depth
    ]  # fmt: skip
    legend = "; ".join(f"{V.short(k, lang)} = {V.word(k, lang)}" for k in ("invited", *groups, *answers))
    return table(headers, rows, numeric_from=2) + "\n" + legend


def _answer(f: AgencyFigures, completion: str) -> int:
    return f.not_answered - f.away if completion == "pending" else int(getattr(f, completion))
