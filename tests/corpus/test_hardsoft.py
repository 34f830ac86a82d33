"""Hard or soft on mail never seen (issue 15): tests/corpus/hardsoft holds whole bounce messages in the formats
of many servers and providers (Postfix, Exim, Sendmail, qmail, Exchange 2003/2007/2010 and Exchange Online NDRs
with text and HTML, Domino, Gmail, Yahoo, Zimbra, MDaemon, Courier, hMailServer, Kerio and Vietnamese hosts'
localised notices), written by make_hardsoft.py with the reply texts and notice layouts the vendors' own
documentation, source or published samples give (its ``how`` column says which; "reconstructed" where the
skeleton around a documented reply was filled in), not from either shared corpus. Each one's outcome is known
by construction: 41 hard (the address or its domain does not exist, it moved) and 27 soft (a full mailbox, a
rate, greylisting, a timeout, a temporary fault, a disabled account, 7 delay notices); about a third carry a
generic status (16 with 5.0.0, 5.5.0 or 4.0.0) or no report part at all (23).

Held out first: the set was written and labelled, then scored once before any rule was written for it:
recipient 68/68 = 100%, kind 68/68 = 100%, reason 55/61 = 90.2%, hard/soft 63/68 = 92.6% (5 hard bounces
not flagged hard: a 554 "No such user" refused after DATA, Yahoo's "This user doesn't have a ... account",
Exchange 2007's relayed "550 No such recipient", Domino's "not listed in public Name & Address Book", Gmail's
NDR of a bare "550 No such user"; and Sendmail's final "451 4.3.0 Temporary system failure" read as
systemerror where the label says expired).

After its rules: recipient and kind 100%, reason 58/61 = 95.1%, hard/soft 66/68 = 97.1%: a 5xx that says "no
such recipient" (the envelope recipient, which only RCPT sets) or that the person "doesn't have a ... account"
is the answer about the address where the notice names no command, and Notes' "not listed in public Name &
Address Book" is an unknown user whatever name precedes it. Corpus 1, corpus 2, real-MTA and jackknife figures
unchanged. The 2 hard rows left are corpus 1's convention (Sisimai's labels), which reads the same shapes
otherwise: a user-unknown reply after DATA is a filter's (corpus 1's Yahoo "554 delivery error: dd This user
doesn't have a yahoo.com account" at DATA is labelled filtered), and so is a bare "550 ... User unknown" under
a generic 5.0.0 in Gmail's "Address not found" NDR (corpus 1's rfc3464-57 is labelled filtered); the reason
row left is Sendmail's final notice of a "451 4.3.0 Temporary system failure", read by its words (systemerror)
as the real-MTA corpus's conventions read a final notice's transient reply."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from maildaemon.inbound.classify import classify

pytestmark = pytest.mark.corpus

FOLDER = Path(__file__).with_name("hardsoft")
# The share of rows each figure must reach (the figure when the set was scored, then what the rules reach;
# raise it as they improve, never lower it).
MIN_PCT = {"recipient": 100.0, "kind": 100.0, "reason": 95.0, "hard": 97.0}


def load(folder: Path) -> list[dict[str, str]]:
    """A set's manifest rows."""
    with open(folder / "manifest.csv", newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


ROWS = load(FOLDER)


def outcomes(
    folder: Path = FOLDER, rows: list[dict[str, str]] | None = None
) -> dict[str, list[tuple[str, bool]]]:
    """(file, right) per figure; reason only for rows that name one."""
    out: dict[str, list[tuple[str, bool]]] = {key: [] for key in MIN_PCT}
    for row in ROWS if rows is None else rows:
        verdict = classify((folder / row["file"]).read_bytes())
        first = verdict.verdicts[0] if verdict.verdicts else None
        out["kind"].append((row["file"], verdict.kind == row["kind"]))
        out["recipient"].append((row["file"], bool(first) and first.recipient.lower() == row["recipient"]))
        out["hard"].append((row["file"], bool(first and first.hard) == (row["hard"] == "1")))
        if row["reason"]:
            out["reason"].append((row["file"], bool(first) and first.reason == row["reason"]))
    return out


def test_the_set_is_labelled() -> None:
    assert 50 <= len(ROWS) <= 80
    for row in ROWS:
        assert row["kind"] in ("bounce", "delay") and row["hard"] in ("0", "1") and row["how"], row
        assert (FOLDER / row["file"]).is_file(), row["file"]


@pytest.mark.parametrize("figure", MIN_PCT)
def test_held_out_hard_soft_at_least_as_recorded(figure: str) -> None:
    results = outcomes()[figure]
    pct = 100.0 * sum(ok for _, ok in results) / len(results)
    missed = [name for name, ok in results if not ok]
    assert pct >= MIN_PCT[figure], f"{figure}: {pct:.1f}% < {MIN_PCT[figure]}%: " + ", ".join(missed)


if __name__ == "__main__":  # the figures and the misses, for whoever raises MIN_PCT
    for figure, results in outcomes().items():
        right = sum(ok for _, ok in results)
        print(f"{figure}: {right}/{len(results)} = {100.0 * right / len(results):.1f}%")
        for name, ok in results:
            if not ok:
                print("  MISS", name)
