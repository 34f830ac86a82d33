"""classify() is total: random bytes, random MIME-ish text and mutated corpus messages never make it raise.

The catch-all inside classify() would hide a crash as kind "unknown" with a "classifier error" defect, so
these tests fail on that defect too: a crash is a bug even when it is contained.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maildaemon.inbound.classify import KINDS, Verdict, classify


def corpus_dir() -> Path:
    shared = os.environ.get("MAILDAEMON_SHARED")
    base = Path(shared) if shared else Path(__file__).resolve().parents[2] / ".." / "shared"
    return base / "bounce-corpus"


CORPUS = corpus_dir()
SAMPLES = sorted(CORPUS.glob("*.eml")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(
    not SAMPLES, reason=f"bounce corpus not found at {CORPUS} (set MAILDAEMON_SHARED to the shared folder)"
)


def check(raw: bytes) -> Verdict:
    verdict = classify(raw)
    assert verdict.kind in KINDS
    crashes = [d for d in verdict.defects if d.startswith("classifier error")]
    assert not crashes, crashes
    verdict.to_json("fuzz.eml")
    return verdict


FAST = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])

_HEADER_NAMES = st.sampled_from(
    [
        "From",
        "To",
        "Subject",
        "Content-Type",
        "Content-Transfer-Encoding",
        "In-Reply-To",
        "References",
        "Auto-Submitted",
        "X-Failed-Recipients",
        "Message-ID",
        "Date",
        "Final-Recipient",
        "Status",
        "Action",
        "Diagnostic-Code",
    ]
)
_VALUES = st.one_of(
    st.text(max_size=80),
    st.sampled_from(
        [
            "multipart/report; report-type=delivery-status; boundary=b",
            "multipart/mixed; boundary=",
            "message/rfc822",
            "message/delivery-status",
            "text/plain; charset=unicode-1-1-utf-7",
            "text/plain; charset=uft-8",
            "base64",
            "quoted-printable",
            "=?utf-8?B?////?=",
            "=?iso-2022-jp?B?GyRCJDMbKEI=?=",
            "rfc822; <a@b.vn>",
            "5.1.1",
            "4.4.7",
            "failed",
            "delayed",
            "Trả lời tự động đến hết ngày 31/02/2026",
        ]
    ),
)


@FAST
@given(st.binary(max_size=3000))
def test_random_bytes(raw: bytes) -> None:
    check(raw)


@FAST
@given(
    st.lists(st.tuples(_HEADER_NAMES, _VALUES), max_size=12),
    st.lists(st.one_of(st.just("--b"), st.just("--b--"), st.text(max_size=60), _VALUES), max_size=20),
    st.sampled_from(["\n", "\r\n", "\r"]),
)
def test_random_mime_structure(headers: list[tuple[str, str]], body: list[str], eol: str) -> None:
    text = eol.join(f"{name}: {value}" for name, value in headers) + eol + eol + eol.join(body)
    check(text.encode("utf-8", "surrogatepass"))


def _mutations(raw: bytes, rng: random.Random) -> list[bytes]:
    cut = rng.randrange(len(raw) + 1)
    flipped = bytearray(raw)
    for _ in range(rng.randint(1, 20)):
        if flipped:
            flipped[rng.randrange(len(flipped))] = rng.randrange(256)
    head, sep, body = raw.partition(b"\n\n")
    return [
        raw[:cut],  # truncation
        bytes(flipped),  # byte flips
        raw.replace(b"boundary=", b"boundary=x", 1),  # boundary that is never used
        raw.replace(b"--", b"-", 3),  # broken delimiters
        head + b"\nX-Huge: " + b"A" * 200_000 + sep + body,  # huge header
        head + b"\nSubject: =?unicode-1-1-utf-7?Q?+AGEAYgBj-?=" + sep + body,
        head.replace(b"charset=", b"charset=unicode-1-1-utf-7;x=", 1) + sep + body,
        head + b"\nSubject: \xe1\xbb\x9f \xff\xfe 8-bit" + sep + body,  # raw 8-bit header
        raw.replace(b"\n", b"\r", 50),
        raw * 3,
    ]


@needs_corpus
def test_mutated_corpus_messages() -> None:
    rng = random.Random(20261121)
    count = 0
    for path in SAMPLES:
        raw = path.read_bytes()
        for mutated in _mutations(raw, rng):
            check(mutated)
            count += 1
    assert count >= 10 * len(SAMPLES)


@needs_corpus
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_hypothesis_mutations_of_corpus(data: st.DataObject) -> None:
    path = data.draw(st.sampled_from(SAMPLES))
    raw = bytearray(path.read_bytes())
    for _ in range(data.draw(st.integers(0, 8))):
        if not raw:
            break
        at = data.draw(st.integers(0, len(raw) - 1))
        action = data.draw(st.sampled_from(["flip", "delete", "insert", "truncate"]))
        if action == "flip":
            raw[at] = data.draw(st.integers(0, 255))
        elif action == "delete":
            del raw[at : at + data.draw(st.integers(1, 200))]
        elif action == "insert":
            raw[at:at] = data.draw(
                st.sampled_from(
                    [b"\n--", b"\n\n", b"=?", b"?=", b"Content-Type: multipart/mixed; boundary=z\n"]
                )
            )
        else:
            del raw[at:]
    check(bytes(raw))
