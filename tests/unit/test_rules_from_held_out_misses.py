"""Rules written after the held-out figures of documented set 28 and auto-reply set 11 were recorded, from the misses
their held-out thirds left (and real-MTA round 17's): a relay's own word that the address (or the domain) could not be found, the sender's
address said invalid without diacritics, a government mailbox taken back when its official left, a firm's closure
for the New Year, a half day. Pure functions, worded otherwise than the rows."""

from __future__ import annotations

import pytest

from maildaemon.core.replies import decide
from maildaemon.inbound.classify import autoreply


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        # the address itself not found, in a relay's words (English and Vietnamese)
        ("Delivery to lan@so.example.vn failed: the e-mail address could not be found.", "userunknown"),
        ("Không gửi được thư vì không tìm thấy địa chỉ người nhận, vui lòng kiểm tra lại.", "userunknown"),
        # (unaccented, the lexicon's concepts read it so already: a guard that the new branch agrees)
        ("Khong gui duoc: khong tim thay dia chi email hoac hop thu da dong.", "userunknown"),
        # the domain not found is the host's
        ("We could not deliver it: the domain so-noivu.example.vn could not be found.", "hostunknown"),
        # a message that does not comply with the receiver's policy or rules (English; real-MTA round 17)
        ("554 5.7.1 This message does not adhere to our corporate mail policies.", "policyviolation"),
        ("Rejected: the mail fails to comply with the county's messaging rules", "policyviolation"),
        # the sender's address said invalid, unaccented: the sender refused
        ("Loi: dia chi email cua nguoi gui khong hop le.", "rejected"),
    ],
)
def test_a_relays_own_words_give_the_reason(text: str, reason: str) -> None:
    assert decide(status="", text=text) == reason


def test_the_address_heading_alone_does_not_name_the_user() -> None:
    # Gmail's Vietnamese heading stands over both the user's and the domain's notices
    assert decide(status="", text="Không tìm thấy địa chỉ: không tìm thấy miền example.vn.") == "hostunknown"


@pytest.mark.parametrize(
    "text",
    [
        # a government mailbox taken back ("thu hồi") when its official quit ("thôi việc")
        "Hộp thư công vụ này đã bị thu hồi, đề nghị gửi văn bản về Văn phòng.",
        "Tai khoan thu cong vu nay da bi thu hoi.",
    ],
)
def test_a_mailbox_taken_back_is_given_up(text: str) -> None:
    assert autoreply.says_gone(text)
    assert autoreply.says_gone_alone(text)


@pytest.mark.parametrize(
    "text",
    [
        # a firm's closure for the New Year (Japanese 休業), with the day it reopens
        "誠に勝手ながら、1月5日まで冬季休業とさせていただきます。1月6日より対応いたします。",
        # a half day, with the day back
        "I'm taking a half day today, back at my desk on Friday morning.",
    ],
)
def test_a_closure_or_a_half_day_is_an_out_of_office(text: str) -> None:
    assert autoreply.body_says_auto(text)
