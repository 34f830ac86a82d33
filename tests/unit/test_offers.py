"""Which of the operator's actions a person's page offers: the core's own decisions on the stored state."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from maildaemon.web.offers import clean_text, offers


def person(
    delivery: str, *, reason: str | None = None, hard: bool = False, excluded: bool = False
) -> dict[str, Any]:
    return {"id": 1, "campaign_id": 1, "delivery": delivery, "completion": "pending", "reason": reason,
            "hard_bounce": hard, "excluded_at": datetime(2026, 11, 23, tzinfo=UTC) if excluded else None}  # fmt: skip


@pytest.mark.parametrize(
    ("p", "last", "is_open", "resend"),
    [
        (person("bounced", reason="userunknown", hard=True), "invitation", True, "hard_bounce"),
        (person("bounced", reason="userunknown"), "invitation", True, "hard_bounce"),  # a hard reason alone
        (person("bounced", reason="mailboxfull"), "invitation", True, ""),
        (person("deferred", reason="mailboxfull"), "reminder-1", True, ""),
        (person("failed", reason="blocked"), None, True, "not_sent_yet"),
        (person("sent"), "invitation", True, "nothing_to_resend"),
        (person("new"), None, True, "nothing_to_resend"),
        (person("checked_bad", reason="userunknown"), None, True, ""),  # send despite the failed check
        (person("bounced", reason="mailboxfull", excluded=True), "invitation", True, "excluded"),
        (person("bounced", reason="mailboxfull"), "invitation", False, "closed"),
    ],
)
def test_resend_is_offered_exactly_when_the_core_would_do_it(p: dict[str, Any], last: str | None, is_open: bool,
                                                             resend: str) -> None:  # fmt: skip
    assert offers(p, last, is_open)["resend"] == resend


def test_exclude_restore_and_correct() -> None:
    assert offers(person("sent"), "invitation", True) == {"correct": "", "exclude": "", "restore": "not_excluded",
                                                          "resend": "nothing_to_resend"}  # fmt: skip
    excluded = offers(person("sent", excluded=True), "invitation", True)
    assert (excluded["exclude"], excluded["restore"]) == ("already_excluded", "")
    assert offers(person("bounced", hard=True), "invitation", False)["correct"] == "closed"


def test_form_text_is_one_line_and_bounded() -> None:
    assert clean_text("  Đã chuyển công tác\r\nsang\tSở Y tế ", 100) == "Đã chuyển công tác sang Sở Y tế"
    assert clean_text("x" * 11, 10) is None and clean_text("", 10) == ""
