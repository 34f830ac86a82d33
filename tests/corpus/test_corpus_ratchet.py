"""The classifier over the public bounce corpus: never raises, and accuracy never falls below the figures
recorded in ratchet.json (raise them when the classifier improves; never lower them to pass)."""

from __future__ import annotations

import csv
import json
import os
from collections import defaultdict
from pathlib import Path

import pytest

from maildaemon.inbound.classify import KINDS, RecipientVerdict, classify

pytestmark = pytest.mark.corpus

RATCHET = Path(__file__).with_name("ratchet.json")


def corpus_dir() -> Path:
    shared = os.environ.get("MAILDAEMON_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[2] / ".." / "shared"
    return base / "bounce-corpus"


CORPUS = corpus_dir()
needs_corpus = pytest.mark.skipif(
    not (CORPUS / "manifest.csv").is_file() and os.environ.get("CI") != "true",  # in CI it must run
    reason=f"bounce corpus not found at {CORPUS} (set MAILDAEMON_SHARED to the shared folder)",
)


def _norm(address: str) -> str:
    return address.strip().strip("<>").lower()


def _match(
    row: dict[str, str], verdicts: tuple[RecipientVerdict, ...]
) -> tuple[RecipientVerdict | None, bool]:
    """By recipient (or recipient_alt), else by position: the rule bench/classify.py documents."""
    wanted = {_norm(row["recipient"])} | {_norm(a) for a in row["recipient_alt"].split(";") if a}
    wanted.discard("")
    for verdict in verdicts:
        if _norm(verdict.recipient) in wanted or _norm(verdict.original_recipient) in wanted:
            return verdict, True
    index = int(row["index"] or 1) - 1
    return (verdicts[index], False) if 0 <= index < len(verdicts) else (None, False)


@needs_corpus
def test_corpus_accuracy_does_not_regress() -> None:
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    with open(CORPUS / "manifest.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows[row["file"]].append(row)
    with_recipient = found = reason_ok = hard_ok = total = 0
    for name, expected in rows.items():
        verdict = classify((CORPUS / name).read_bytes())
        assert verdict.kind in KINDS, name
        assert not any(d.startswith("classifier error") for d in verdict.defects), (name, verdict.defects)
        for row in expected:
            total += 1
            ours, by_address = _match(row, verdict.verdicts)
            if row["recipient"]:
                with_recipient += 1
                found += by_address
            if row["reason"] == "notbounce":
                reason = "notbounce" if not verdict.verdicts else verdict.verdicts[0].reason
            else:
                reason = ours.reason if ours else "none"
            reason_ok += reason == row["reason"]
            hard_ok += bool(ours and ours.hard) == (row["hard"] == "1")
    figures = {
        "recipient_pct": 100.0 * found / with_recipient,
        "reason_pct": 100.0 * reason_ok / total,
        "hard_pct": 100.0 * hard_ok / total,
    }
    floor = json.loads(RATCHET.read_text(encoding="utf-8"))
    for key, minimum in floor.items():
        if isinstance(minimum, dict):  # another corpus's floors (test_corpus2_ratchet.py)
            continue
        assert figures[key] >= minimum, f"{key} fell to {figures[key]:.2f} (ratchet {minimum})"


@needs_corpus
def test_every_corpus_message_classifies_without_error() -> None:
    for path in sorted(CORPUS.glob("*.eml")):
        verdict = classify(path.read_bytes())
        assert verdict.kind in KINDS
        assert not any(d.startswith("classifier error") for d in verdict.defects), (
            path.name,
            verdict.defects,
        )
        json.dumps(verdict.to_json(path.name), ensure_ascii=False)
