"""One digest of every verdict the classifier gives on the corpora: a speed change must keep it identical.

usage: python3 bench/verdicts.py [CORPUS_DIR ...] [--dump FILE]

Every message of the corpora bench/classify.py reads (both shared corpora and tests/corpus/realmta) is
classified three ways: as it is, with its header block cut off (a pasted bounce), and with LF line ends
made CRLF. Every field of every verdict (kind, each recipient's address, reason, hard, status, action,
remote MTA, diagnostic, reply code, the tokens, ids, defects, return date) goes into one SHA-256. A
changed digest says some verdict changed; ``--dump`` writes one JSON line per classification, so two
dumps diff to the messages that moved. An auto-reply without a Date header dates its return from today:
compare digests made on the same day.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.classify import bare, default_corpora, load  # noqa: E402
from maildaemon.inbound.classify import Verdict, classify  # noqa: E402


def variants(message: dict[str, object]) -> list[tuple[str, bytes]]:
    """The message as is, without its header block, and with CRLF line ends."""
    raw = message["raw"]
    assert isinstance(raw, bytes)
    out = [("as-is", raw)]
    stripped = bare(message)
    if stripped is not None:
        out.append(("bare", stripped["raw"]))
    out.append(("crlf", raw.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")))
    return out


def fingerprint(verdict: Verdict) -> str:
    """Every field of the verdict, in a stable text form."""
    return json.dumps(asdict(verdict), sort_keys=True, ensure_ascii=False, default=str)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("dirs", nargs="*", type=Path)
    parser.add_argument("--dump", type=Path, help="write one JSON line per classification here")
    args = parser.parse_args()
    messages = sorted(load(args.dirs or default_corpora()), key=lambda m: str(m["path"]))
    digest = hashlib.sha256()
    lines = []
    for message in messages:
        name = f"{message['corpus']}/{Path(message['path']).name}"
        for how, raw in variants(message):
            line = f"{name} {how} {fingerprint(classify(raw))}"
            digest.update(line.encode("utf-8", "surrogateescape") + b"\n")
            lines.append(line)
    if args.dump:
        args.dump.write_text("\n".join(lines) + "\n", encoding="utf-8", errors="surrogateescape")
    print(f"{len(messages)} messages, {len(lines)} classifications, sha256 {digest.hexdigest()}")


if __name__ == "__main__":
    main()
