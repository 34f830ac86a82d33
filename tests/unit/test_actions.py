"""The operator's action follows the reason: one map, both languages, and temporary means soft."""

import pytest

from maildaemon.core import actions
from maildaemon.core.reasons import REASONS


@pytest.mark.parametrize(
    ("reason", "code"),
    [
        ("userunknown", "fix_address"), ("hostunknown", "fix_address"), ("hasmoved", "fix_address"),
        ("mailboxfull", "clean_mailbox"),
        ("policyviolation", "ask_it"), ("spamdetected", "ask_it"), ("blocked", "ask_it"),
        ("securityerror", "ask_it"), ("filtered", "ask_it"), ("rejected", "ask_it"), ("norelaying", "ask_it"),
        ("notaccept", "ask_it"),
        ("expired", "wait_retry"), ("systemerror", "wait_retry"), ("networkerror", "wait_retry"),
        ("toomanyconn", "wait_retry"), ("delayed", "wait_retry"),
    ],
)  # fmt: skip
def test_each_reason_gets_the_action_that_fixes_it(reason: str, code: str) -> None:
    action = actions.action_for_reason(reason)
    assert action is not None and action.code == code


def test_a_full_mailbox_is_never_told_to_correct_the_address() -> None:
    action = actions.action_for_reason("mailboxfull")
    assert action is not None and "địa chỉ" not in action.label("vi") and "address" not in action.label("en")


def test_unknown_or_missing_reasons_have_no_action() -> None:
    assert actions.action_for_reason(None) is None and actions.action_for_reason("nonsense") is None


def test_every_action_speaks_both_languages_and_every_mapped_reason_is_in_the_catalogue() -> None:
    for a in actions.ACTIONS:
        assert a.label("vi") and a.label("en") and a.label("vi") != a.label("en")
    assert set(actions._BY_REASON) - set(REASONS) == {
        "delayed"
    }  # the one classifier word not a bounce reason


def test_soft_means_temporary_and_not_hard() -> None:
    assert actions.is_soft("mailboxfull") and actions.is_soft("expired")
    assert not actions.is_soft("mailboxfull", hard=True)
    assert not actions.is_soft("userunknown") and not actions.is_soft("policyviolation")
    assert not actions.is_soft(None)


def test_while_retrying_only_a_full_mailbox_asks_for_something_and_afterwards_the_reason_decides() -> None:
    assert actions.action_for("blocked", retrying=True) is actions.WAIT  # "450 4.7.1 try again later"
    assert actions.action_for(None, retrying=True) is None  # nothing known: the caller's default
    assert actions.action_for("mailboxfull", retrying=True) is actions.CLEAN_MAILBOX
    assert actions.action_for("blocked", retrying=False) is actions.ASK_IT
    assert actions.action_for("expired", retrying=False) is actions.ASK_IT  # outlasted the threshold
    assert actions.action_for("mailboxfull", retrying=False) is actions.CLEAN_MAILBOX
    assert actions.action_for("userunknown", retrying=False) is actions.FIX_ADDRESS
    assert actions.action_for(None, retrying=False) is None


def test_a_message_over_the_recipients_size_limit_is_not_retried_as_if_temporary() -> None:
    assert not actions.is_soft("exceedlimit") and actions.action_for_reason("exceedlimit") is actions.ASK_IT
