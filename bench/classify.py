"""Measure the classifier on bounce-corpus folders (manifest.csv + *.eml) against flufl.bounce.

usage: python3 bench/classify.py [CORPUS_DIR ...] [--repeat N (10)] [--misses] [--holdout FRACTION [--seed N]]

Matching verdicts to manifest rows: each manifest row (one expected verdict) is matched to our verdict
whose recipient equals the row's ``recipient`` or one of its ``recipient_alt`` (case-insensitive); if no
recipient matches, to our verdict at the same position (``index``), so reason and hard/soft are still
judged. A row counts as "recipient found" only on an address match; rows without an expected recipient
are left out of that figure. Non-bounce rows: ``vacation``, ``feedback`` and ``delivered`` are our reasons
of the same name; ``notbounce`` agrees when we return no verdict (kind reply or unknown). A row with no
matched verdict counts as reason "none" and hard = false.
``--holdout`` also reports the figures on a random fraction of the files (fixed seed) and on the rest, so
rules tuned on one part can be checked on the other.
Speed: parse + classify from raw bytes vs ``email.message_from_bytes`` + flufl's ``scan_message`` on the
same messages, best of N passes; flufl.bounce is a dev-only dependency, imported lazily.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from maildaemon.inbound.classify import RecipientVerdict, classify  # noqa: E402


def default_corpus() -> Path:
    shared = os.environ.get("MAILDAEMON_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[1] / ".." / "shared"
    return base / "bounce-corpus"


def load(dirs: list[Path]) -> list[dict[str, Any]]:
    messages: dict[Path, dict[str, Any]] = {}
    for folder in dirs:
        with open(folder / "manifest.csv", newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                path = folder / row["file"]
                messages.setdefault(path, {"path": path, "rows": []})["rows"].append(row)
    for message in messages.values():
        message["raw"] = message["path"].read_bytes()
    return list(messages.values())


def _norm(address: str) -> str:
    return address.strip().strip("<>").lower()


def match(
    row: dict[str, str], verdicts: tuple[RecipientVerdict, ...]
) -> tuple[RecipientVerdict | None, bool]:
    """The verdict for one manifest row and whether it was matched by recipient."""
    wanted = {_norm(row["recipient"])} | {_norm(a) for a in row.get("recipient_alt", "").split(";") if a}
    wanted.discard("")
    for verdict in verdicts:
        if _norm(verdict.recipient) in wanted or (
            verdict.original_recipient and _norm(verdict.original_recipient) in wanted
        ):
            return verdict, True
    index = int(row.get("index") or 1) - 1
    if 0 <= index < len(verdicts):
        return verdicts[index], False
    return None, False


def evaluate(messages: list[dict[str, Any]], misses: bool) -> dict[str, float]:
    stats: Counter[str] = Counter()
    for message in messages:
        verdict = classify(message["raw"])
        for row in message["rows"]:
            stats["rows"] += 1
            ours, by_address = match(row, verdict.verdicts)
            if row["recipient"]:
                stats["with_recipient"] += 1
                stats["recipient_found"] += by_address
            if row["reason"] == "notbounce":
                reason = "notbounce" if not verdict.verdicts else verdict.verdicts[0].reason
            else:
                reason = ours.reason if ours else "none"
            hard = bool(ours and ours.hard)
            stats["reason_ok"] += reason == row["reason"]
            stats["hard_ok"] += hard == (row["hard"] == "1")
            if misses and (
                reason != row["reason"]
                or hard != (row["hard"] == "1")
                or (row["recipient"] and not by_address)
            ):
                print(
                    f"MISS {row['file']} {row['source_path'].rsplit('/', 1)[-1]}: want {row['reason']}/"
                    f"{row['hard']}/{row['recipient']} got {verdict.kind} {reason}/{int(hard)}/"
                    f"{ours.recipient if ours else '-'} status={ours.status if ours else ''} "
                    f"diag={(ours.diagnostic if ours else '')[:150]!r}"
                )
    return {
        "recipient_pct": round(100.0 * stats["recipient_found"] / max(1, stats["with_recipient"]), 2),
        "reason_pct": round(100.0 * stats["reason_ok"] / max(1, stats["rows"]), 2),
        "hard_pct": round(100.0 * stats["hard_ok"] / max(1, stats["rows"]), 2),
        "rows": stats["rows"],
        "with_recipient": stats["with_recipient"],
    }


def split(messages: list[dict[str, Any]], fraction: float, seed: int) -> tuple[list[Any], list[Any]]:
    """(tuning part, held-out part), by file, reproducible for one seed."""
    names = sorted(str(m["path"]) for m in messages)
    held = set(random.Random(seed).sample(names, round(len(names) * fraction)))
    return [m for m in messages if str(m["path"]) not in held], [
        m for m in messages if str(m["path"]) in held
    ]


def rate(messages: list[dict[str, Any]], repeat: int) -> tuple[float, float | None]:
    """Messages per second, ours and flufl's; passes alternate so both see the same machine load.
    Timed by CPU time of this process (the machine may be busy with other work); wall time is printed too."""
    raws = [m["raw"] for m in messages]
    try:
        import email

        from flufl.bounce import scan_message
    except ImportError:
        scan_message = None

    def ours_pass() -> tuple[float, float]:
        start, wall = time.process_time(), time.perf_counter()
        for raw in raws:
            classify(raw)
        return time.process_time() - start, time.perf_counter() - wall

    def peer_pass() -> tuple[float, float]:
        start, wall = time.process_time(), time.perf_counter()
        for raw in raws:
            msg = email.message_from_bytes(raw)
            try:  # noqa: SIM105 - the same loop as eval_flufl.py, so the figures compare
                scan_message(msg)
            except Exception:  # flufl's own failures count as work done
                pass
        return time.process_time() - start, time.perf_counter() - wall

    best_ours = best_peer = (float("inf"), float("inf"))
    for _ in range(repeat):
        cpu, wall = ours_pass()
        best_ours = (min(best_ours[0], cpu), min(best_ours[1], wall))
        if scan_message is not None:
            cpu, wall = peer_pass()
            best_peer = (min(best_peer[0], cpu), min(best_peer[1], wall))
    print(f"wall-clock rate: ours {len(raws) / best_ours[1]:.0f} msgs/s", end="")
    if scan_message is not None:
        print(f", flufl.bounce {len(raws) / best_peer[1]:.0f} msgs/s, x{best_peer[1] / best_ours[1]:.2f}")
    else:
        print()
    peer = len(raws) / best_peer[0] if scan_message is not None else None
    return len(raws) / best_ours[0], peer


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("dirs", nargs="*", type=Path)
    parser.add_argument("--repeat", type=int, default=10)
    parser.add_argument("--misses", action="store_true", help="print every row we disagree with")
    parser.add_argument("--holdout", type=float, default=0.0, help="fraction of files also scored apart")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    dirs = args.dirs or [default_corpus()]
    messages = load(dirs)
    figures = evaluate(messages, args.misses and not args.holdout)
    if args.holdout:  # misses are then listed for the tuning part only
        tuning, held = split(messages, args.holdout, args.seed)
        for name, part in (("tuning", tuning), ("held-out", held)):
            f = evaluate(part, args.misses and part is tuning)
            print(
                f"{name} ({len(part)} files, {f['rows']} rows): recipient {f['recipient_pct']:.2f}%, "
                f"reason {f['reason_pct']:.2f}%, hard {f['hard_pct']:.2f}%"
            )
    ours, peer = rate(messages, args.repeat)
    print(f"messages: {len(messages)}, manifest rows: {figures['rows']}")
    print(
        f"recipient found: {figures['recipient_pct']:.2f}% of {figures['with_recipient']} rows with a recipient"
    )
    print(f"reason agreement: {figures['reason_pct']:.2f}%")
    print(f"hard/soft agreement: {figures['hard_pct']:.2f}%")
    print(f"rate: {ours:.0f} msgs/s by CPU time (parse + classify)")
    speedup = None
    if peer:
        speedup = round(ours / peer, 2)
        print(f"flufl.bounce: {peer:.0f} msgs/s by CPU time (parse + scan_message), speedup x{speedup}")
    else:
        print("flufl.bounce not installed: no peer figure")
    result = {
        "recipient_pct": figures["recipient_pct"],
        "reason_pct": figures["reason_pct"],
        "hard_pct": figures["hard_pct"],
        "rate": round(ours, 1),
        "peer_rate": round(peer, 1) if peer else None,
        "speedup": speedup,
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
