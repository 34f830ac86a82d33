"""Plain-text tables and the status table for operators (pure: rows in, text out)."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Protocol

from maildaemon.core.model import Completion, Delivery


class CountRow(Protocol):
    """One agency's count of respondents in one (delivery, completion) state, as the store counts it."""

    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def delivery(self) -> str: ...
    @property
    def completion(self) -> str: ...
    @property
    def count(self) -> int: ...


def width(text: str) -> int:
    """Display width: combining marks take no column, East Asian wide characters take two."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def pad(text: str, n: int, right: bool = False) -> str:
    gap = " " * max(0, n - width(text))
    return gap + text if right else text + gap


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], numeric_from: int = 1) -> str:
    """A fixed-width table; columns from ``numeric_from`` on are right-aligned."""
    cells = [[str(c) for c in headers]] + [[("" if c is None else str(c)) for c in r] for r in rows]
    widths = [max(width(r[i]) for r in cells) for i in range(len(headers))]
    lines = []
    for n, r in enumerate(cells):
        lines.append("  ".join(pad(c, widths[i], right=i >= numeric_from) for i, c in enumerate(r)).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


DELIVERY_COLUMNS = [d.value for d in Delivery]
COMPLETION_COLUMNS = [c.value for c in Completion]


@dataclass
class StatusLine:
    code: str
    name: str
    total: int = 0
    delivery: dict[str, int] = field(default_factory=dict)
    completion: dict[str, int] = field(default_factory=dict)


def status_lines(counts: Sequence[CountRow]) -> list[StatusLine]:
    """Fold the store's agency counts (AgencyCount rows) into one line per agency plus a total line (last)."""
    by_agency: dict[str, StatusLine] = {}
    total = StatusLine("", "TOTAL")
    for c in counts:
        line = by_agency.setdefault(c.code, StatusLine(c.code, c.name))
        n = c.count
        if not n:
            continue
        for target in (line, total):
            target.total += n
            d, comp = c.delivery, c.completion
            target.delivery[d] = target.delivery.get(d, 0) + n
            target.completion[comp] = target.completion.get(comp, 0) + n
    lines = sorted((v for v in by_agency.values() if v.total), key=lambda s: (s.name, s.code))
    return [*lines, total]


def status_table(lines: Sequence[StatusLine]) -> str:
    used_d = [d for d in DELIVERY_COLUMNS if any(line.delivery.get(d) for line in lines)]
    used_c = [c for c in COMPLETION_COLUMNS if any(line.completion.get(c) for line in lines)]
    headers = ["agency", "code", "total", *used_d, "|", *used_c]
    rows = [
        [line.name, line.code, line.total, *[line.delivery.get(d, 0) for d in used_d], "|",
         *[line.completion.get(c, 0) for c in used_c]]
        for line in lines
    ]  # fmt: skip
    return table(headers, rows, numeric_from=2)
