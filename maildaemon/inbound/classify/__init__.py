"""Inbound-mail classifier: raw message bytes -> ``Verdict`` (bounce, delay, delivered, autoreply, reply,
feedback, unknown), with per-recipient reasons and attribution tokens. Pure: no I/O. The reason for a
recipient comes from the one SMTP-reply map the sender and the prober use too (``core.replies``)."""

from maildaemon.core.reasons import HARD_REASONS, REASONS, explain, is_hard
from maildaemon.inbound.classify.classifier import classify
from maildaemon.inbound.classify.verdict import KINDS, RecipientVerdict, Verdict

__all__ = [
    "HARD_REASONS",
    "KINDS",
    "REASONS",
    "RecipientVerdict",
    "Verdict",
    "classify",
    "explain",
    "is_hard",
]
