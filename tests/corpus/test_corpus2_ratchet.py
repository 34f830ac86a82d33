"""The classifier over ../shared/bounce-corpus-2 (other projects' fixtures, labelled only from what their
tests assert): never raises, and kind, recipient, hard/soft and reason (where labelled) never fall below
ratchet.json's ``corpus2`` floors. Its manifest differs from the first corpus's: see its README."""

from __future__ import annotations

import csv
import json
import os
from collections import defaultdict
from pathlib import Path

import pytest

from maildaemon.inbound.classify import KINDS, Verdict, classify
from tests.corpus.test_corpus_ratchet import RATCHET, _match, corpus_dir

pytestmark = pytest.mark.corpus

CORPUS2 = corpus_dir().with_name("bounce-corpus-2")
needs_corpus2 = pytest.mark.skipif(
    not (CORPUS2 / "manifest.csv").is_file() and os.environ.get("CI") != "true",
    reason=f"bounce corpus 2 not found at {CORPUS2} (set MAILDAEMON_SHARED to the shared folder)",
)


def _kind_ok(row: dict[str, str], verdict: Verdict) -> bool:
    want = "feedback" if row["kind"] == "notbounce" and row["reason"] == "feedback" else row["kind"]
    if want == "notbounce":
        return verdict.kind not in ("bounce", "delay", "autoreply", "delivered", "feedback")
    return verdict.kind == want


def figures(folder: Path) -> dict[str, float]:
    rows: dict[str, list[dict[str, str]]] = defaultdict(list)
    with open(folder / "manifest.csv", newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            rows[row["file"]].append({**row, "index": "", "recipient_alt": ""})
    seen: dict[str, int] = defaultdict(int)
    hits: dict[str, int] = defaultdict(int)
    for name, expected in rows.items():
        verdict = classify((folder / name).read_bytes())
        assert verdict.kind in KINDS, name
        assert not any(d.startswith("classifier error") for d in verdict.defects), (name, verdict.defects)
        for row in expected:
            ours, by_address = _match(row, verdict.verdicts)
            reason = row["reason"]  # empty where the source names none (challenge notices too): not scored
            checks = {
                "kind": (True, _kind_ok(row, verdict)),
                "recipient": (bool(row["recipient"]), by_address),
                "hard": (row["hard"] in ("0", "1"), bool(ours and ours.hard) == (row["hard"] == "1")),
                "reason": (bool(reason), ours is not None and ours.reason == reason),
            }
            for key, (labelled, ok) in checks.items():
                seen[key] += labelled
                hits[key] += labelled and ok
    return {f"{key}_pct": 100.0 * hits[key] / seen[key] for key in seen if seen[key]}


@needs_corpus2
def test_corpus2_accuracy_does_not_regress() -> None:
    found = figures(CORPUS2)
    floor = json.loads(RATCHET.read_text(encoding="utf-8"))["corpus2"]
    for key, minimum in floor.items():
        assert found[key] >= minimum, f"corpus 2 {key} fell to {found[key]:.2f} (ratchet {minimum})"
