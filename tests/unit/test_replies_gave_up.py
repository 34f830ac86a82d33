"""A relay that says it gave up after every attempt failed has expired the message; a vendor's own words for
a failed name lookup under a transient status are a fault on the way, not a verdict on the domain (held-out
hard/soft set 2's rules, worded otherwise than its rows)."""

from __future__ import annotations

import pytest

from maildaemon.core import replies
from maildaemon.core.reasons import is_hard


@pytest.mark.parametrize(
    "text",
    [
        "Delivery to the destination failed: failed 6 connection attempts to mail.example.org",
        "Our server failed three attempts to deliver to the host of this address",
        "All delivery attempts have failed; the message is returned to you",
        "The maximum number of retries was reached for this message",
        "Message returned: maximum delivery attempts exceeded",
    ],
)
def test_every_attempt_failed_is_expired(text: str) -> None:
    assert replies.decide("", text) == "expired"


def test_attempt_words_do_not_override_a_named_reason() -> None:
    text = "552 5.2.2 Mailbox over quota; failed 3 delivery attempts"
    assert replies.decide("5.2.2", text, "failed", "RCPT") == "mailboxfull"
    # a client's failed logins are not a relay giving up
    assert (
        replies.decide("5.0.0", "550 Access refused: login failed 3 attempts", "failed", "RCPT") != "expired"
    )


def test_a_vendors_failed_lookup_in_a_transient_status_is_not_hard() -> None:
    text = "DNS Error: DNS type 'mx' lookup of example.org responded with code NXDOMAIN; domain name not found: example.org"
    delayed = replies.decide("4.4.3", text, "delayed")
    assert delayed == "networkerror" and not is_hard(delayed)
    # a permanent status keeps the verdict on the domain
    assert replies.decide("5.1.2", text, "failed") == "hostunknown"
