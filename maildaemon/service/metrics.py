"""Prometheus metrics of one daemon: what was sent, what came back, how the loops are doing."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, generate_latest


class Metrics:
    """The daemon's counters and gauges; the sender sees them only as a ``SendCounter``."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.sent = Counter("maildaemon_sent", "Messages the relay accepted", ["kind"], registry=r)
        self.deferred = Counter("maildaemon_deferred", "Messages deferred (4xx, connection lost)", registry=r)
        self.bounced = Counter(
            "maildaemon_bounced", "Bounces (SMTP-time and DSN) by reason", ["reason"], registry=r
        )
        self.failed = Counter("maildaemon_failed", "Messages given up", registry=r)
        self.inbound = Counter(
            "maildaemon_inbound", "Inbound messages recorded, by kind", ["kind"], registry=r
        )
        self.completed = Counter(
            "maildaemon_completed", "Completions recorded, by source", ["source"], registry=r
        )
        self.queue_depth = Gauge("maildaemon_queue_due", "Outbox messages due now", registry=r)
        self.queue_state = Gauge("maildaemon_outbox", "Outbox rows by state", ["state"], registry=r)
        self.loop_lag = Gauge(
            "maildaemon_loop_lag_seconds", "Seconds since a loop last succeeded", ["loop"], registry=r
        )
        self.loop_failures = Counter(
            "maildaemon_loop_failures", "Loop runs that raised", ["loop"], registry=r
        )
        self.last_poll = Gauge("maildaemon_last_successful_poll_timestamp", "Unix time of the last IMAP poll",
                               registry=r)  # fmt: skip

    def count_send(self, result: str, kind: str, reason: str) -> None:
        """One relay outcome: sent (by mail kind), deferred, bounced (by reason) or failed."""
        if result == "sent":
            self.sent.labels(kind).inc()
        elif result == "deferred":
            self.deferred.inc()
        elif result == "bounced":
            self.bounced.labels(reason or "undefined").inc()
        else:
            self.failed.inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)
