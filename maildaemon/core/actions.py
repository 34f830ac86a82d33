"""What an operator should do about a delivery reason, defined once: the report, the digest and the
respondent views all look the action up here, so a full mailbox is never told "correct the address".

Pure. The reasons are those of ``core.reasons``; which of them are temporary (the address is fine, the
mail will get through later) is decided here too, because "wait" and "stays soft" are the same fact.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Action:
    code: str  # the key renderers use: act_<code>
    vi: str
    en: str

    def label(self, lang: str = "vi") -> str:
        return self.en if lang.lower().startswith("en") else self.vi


FIX_ADDRESS = Action("fix_address", "Sửa địa chỉ thư", "Fix the address")
CLEAN_MAILBOX = Action(
    "clean_mailbox",
    "Đề nghị người nhận hoặc bộ phận CNTT dọn hộp thư",
    "Ask the person or their IT to clean up the mailbox",
)
ASK_IT = Action(
    "ask_it",
    "Đề nghị bộ phận CNTT bên nhận sửa bộ lọc hoặc cho phép địa chỉ gửi",
    "Ask their IT to fix the filter or allow our sender",
)
WAIT = Action("wait_retry", "Chờ gửi lại (lỗi tạm thời)", "Wait: a temporary failure, retried")
ALLOW_SENDER = Action(
    "allow_sender",
    "Đề nghị người nhận cho phép địa chỉ gửi (bộ lọc của họ giữ thư chờ xác nhận)",
    "Ask the person to allow our sender (their filter holds the mail for confirmation)",
)

ACTIONS: tuple[Action, ...] = (FIX_ADDRESS, CLEAN_MAILBOX, ASK_IT, WAIT, ALLOW_SENDER)

_IT_REASONS = (
    "policyviolation", "spamdetected", "blocked", "securityerror", "filtered", "rejected", "norelaying",
    "notaccept", "authfailure", "requireptr", "badreputation", "virusdetected", "contenterror", "mesgtoobig",
    "notcompliantrfc", "failedstarttls", "exceedlimit", "mailererror",
)  # fmt: skip
_TEMPORARY_REASONS = (
    "expired", "systemerror", "networkerror", "toomanyconn", "delayed", "speeding", "systemfull", "onhold",
)  # fmt: skip

_BY_REASON: dict[str, Action] = {
    # the address itself is wrong or gone
    **dict.fromkeys(("userunknown", "hostunknown", "hasmoved", "suspend"), FIX_ADDRESS),
    # the mailbox exists but cannot take more mail until someone makes room
    "mailboxfull": CLEAN_MAILBOX,
    # a challenge-response filter holds the mail until the sender confirms: no retry helps, someone must allow us
    "challenge": ALLOW_SENDER,
    # a filter or a policy on one side refuses us: IT has to act, the address is fine
    **dict.fromkeys(_IT_REASONS, ASK_IT),
    # temporary: retried by us or by the relay, nothing to do yet
    **dict.fromkeys(_TEMPORARY_REASONS, WAIT),
}

# Reasons after which the same address will take mail again without anyone changing it: a bounce
# for one of these keeps the person deferred until the [bounce] transient threshold says otherwise.
SOFT_REASONS: frozenset[str] = frozenset(r for r, a in _BY_REASON.items() if a in (CLEAN_MAILBOX, WAIT))


def action_for_reason(reason: str | None) -> Action | None:
    """The action for ``reason``; None when the reason says nothing an operator can act on."""
    return _BY_REASON.get(reason or "")


def action_for(reason: str | None, *, retrying: bool) -> Action | None:
    """The action for a person whose mail failed for ``reason``.

    ``retrying``: they are deferred and mail still goes to them; then only a full mailbox or a filter
    holding the mail for confirmation asks for something now, everything else is waited out (the [bounce]
    threshold decides when it is not temporary). Once no more mail goes (bounced, failed, a bad pre-check) the reason decides, and a
    temporary cause that outlasted the threshold needs IT, not patience."""
    action = _BY_REASON.get(reason or "")
    if action is None or action in (CLEAN_MAILBOX, ALLOW_SENDER):
        return action
    if retrying:
        return WAIT
    return ASK_IT if action is WAIT else action


def is_soft(reason: str | None, hard: bool = False) -> bool:
    """True when a failure for ``reason`` is temporary: the address is good, try again later."""
    return not hard and (reason or "") in SOFT_REASONS
