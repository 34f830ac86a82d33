"""Mail made by real mail servers on loopback, labelled by construction (tests/corpus/realmta: see its
make_sieve.sh, make_exim.py, make_relays.py and manifest.csv): the classifier gets kind, recipient and
reason of each right."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from maildaemon.inbound.classify import classify

FOLDER = Path(__file__).with_name("realmta")
with open(FOLDER / "manifest.csv", newline="", encoding="utf-8") as _fh:
    ROWS = list(csv.DictReader(_fh))


@pytest.mark.parametrize("row", ROWS, ids=[row["file"] for row in ROWS])
def test_real_server_answers(row: dict[str, str]) -> None:
    verdict = classify((FOLDER / row["file"]).read_bytes())
    assert verdict.kind == row["kind"], row["how"]
    first = verdict.verdicts[0]
    assert (first.recipient, first.hard) == (row["recipient"], row["hard"] == "1"), row["how"]
    if row["reason"]:  # a delay's reason is what the relay will retry: not labelled
        assert first.reason == row["reason"], row["how"]
