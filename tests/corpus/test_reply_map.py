"""One SMTP reply -> reason map: the sender (a relay's reply), the prober (a reply to RCPT) and the bounce
classifier (a DSN carrying that reply) give the same reason for every diagnostic of the public corpus."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from maildaemon.core import replies
from maildaemon.core.retry import RetryPolicy
from maildaemon.deliverability.findings import enhanced_status, reason_for_reply
from maildaemon.inbound.classify import classify
from maildaemon.outbound.mailer import Reply
from maildaemon.outbound.sender import outcome_for_reply
from maildaemon.store import Claim
from tests.corpus.test_corpus_ratchet import CORPUS, needs_corpus

pytestmark = pytest.mark.corpus

NOW = datetime(2026, 12, 1, tzinfo=UTC)
RCPT = "an@example.vn"


def corpus_replies() -> list[tuple[str, int, str]]:
    """(file, reply code, reply text) of every corpus verdict whose diagnostic is an SMTP reply."""
    out = []
    for path in sorted(CORPUS.glob("*.eml")):
        for verdict in classify(path.read_bytes()).verdicts:
            if verdict.reply_code[:1] in ("4", "5") and verdict.diagnostic:
                out.append((path.name, int(verdict.reply_code), verdict.diagnostic))
    return out


def by_sender(code: int, text: str, stage: str) -> str:
    claim = Claim(1, 1, 1, "invitation", 0, None, NOW, "a" * 26, RCPT, "", "", "", "")
    if code < 500:  # the sender defers a 4xx without naming a reason; the map is what it would name
        return replies.reason_for_reply(code, text, stage=stage, recipient=RCPT)
    outcome = outcome_for_reply(
        claim, Reply(stage, code, text), NOW, RetryPolicy(), random.Random(1), "<m@x>"
    )
    return outcome.reason or ""


def by_prober(code: int, text: str, stage: str) -> str:
    return reason_for_reply(code, enhanced_status(text), text, stage=stage)


def by_classifier(code: int, text: str) -> str:
    """The classifier on a DSN whose only evidence is this reply (no remote host, a notice that names
    no one), so that it sees what the sender and the prober see."""
    status = replies.find_status(text) or f"{str(code)[0]}.0.0"
    folded = " ".join(text.split())
    raw = (
        "From: MAILER-DAEMON@relay.example.org\nTo: bounces@example.org\nSubject: Undelivered Mail\n"
        'MIME-Version: 1.0\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\n\n'
        "--b\nContent-Type: text/plain\n\nDelivery failed.\n\n"
        "--b\nContent-Type: message/delivery-status\n\nReporting-MTA: dns; relay.example.org\n\n"
        f"Final-Recipient: rfc822; {RCPT}\nAction: failed\nStatus: {status}\n"
        f"Diagnostic-Code: smtp; {folded}\n\n--b--\n"
    )
    verdicts = classify(raw.encode("utf-8")).verdicts
    return verdicts[0].reason if verdicts else "none"


@needs_corpus
def test_sender_prober_and_classifier_agree_on_every_corpus_reply() -> None:
    found = corpus_replies()
    assert len(found) > 200, "the corpus has a few hundred SMTP replies in its diagnostics"
    disagree = []
    for name, code, text in found:
        stage = replies.smtp_command(text).lower()
        three = (by_sender(code, text, stage), by_prober(code, text, stage), by_classifier(code, text))
        if len(set(three)) != 1:
            disagree.append((name, code, text[:80], three))
    assert not disagree, f"{len(disagree)} of {len(found)} replies: {disagree[:5]}"


def test_the_three_agree_on_typical_replies() -> None:
    """Without the corpus too: a few replies every relay gives, and greylisting, which names nothing."""
    for code, text, reason in [
        (550, "5.1.1 <an@example.vn>: Recipient address rejected: User unknown in virtual mailbox table", "userunknown"),
        (552, "5.2.2 <an@example.vn>: Mailbox full, quota exceeded", "mailboxfull"),
        (554, "5.7.1 Service unavailable; Client host [192.0.2.9] blocked using zen.spamhaus.org", "blocked"),
        (550, "5.7.26 Unauthenticated email is not accepted due to domain's DMARC policy", "authfailure"),
    ]:  # fmt: skip
        stage = "rcpt"
        assert (
            by_sender(code, text, stage)
            == by_prober(code, text, stage)
            == by_classifier(code, text)
            == reason
        )
    greylist = "4.7.1 <an@example.vn>: Recipient address rejected: Greylisted, try again later"
    assert by_sender(450, greylist, "rcpt") == by_prober(450, greylist, "rcpt") == ""
