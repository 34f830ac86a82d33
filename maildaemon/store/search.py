"""How the console's search text becomes SQL conditions that mean the same on both engines: a fragment
anywhere in a name or an address, letters of any case (Vietnamese ones too: "đỗ" finds "Đỗ"), diacritics
as typed ("nguyen" does not find "Nguyễn"). Pure: the store builds the conditions from these."""

from __future__ import annotations

from itertools import product

TRIGRAM = 3  # a trigram index finds fragments of at least this many characters; shorter ones are scanned
MAX_VARIANTS = 64  # case spellings a scan tries at most (each a LIKE over every row)


def like_pattern(text: str) -> str:
    """``text`` anywhere, for LIKE ... ESCAPE '\\': its own %, _ and \\ taken literally."""
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def fts_phrase(text: str) -> str:
    """``text`` as one FTS5 phrase: quoted, so OR, NOT, NEAR, *, ^, : and parentheses are letters, not
    operators; a quote is doubled, FTS5's only escape inside a string."""
    return '"' + text.replace('"', '""') + '"'


def case_spellings(text: str) -> list[str]:
    """The spellings of ``text`` with each non-ASCII letter in either case, for SQLite's LIKE (which
    folds ASCII letters only); ``text`` alone when there would be more than MAX_VARIANTS."""
    choices = [sorted({c, c.lower(), c.upper()}) if not c.isascii() and len(c.lower() + c.upper()) == 2 else [c]
               for c in text]  # fmt: skip
    count = 1
    for options in choices:
        count *= len(options)
    if count > MAX_VARIANTS:
        return [text]
    return ["".join(p) for p in product(*choices)]
