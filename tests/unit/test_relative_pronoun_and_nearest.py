"""Relative return days in Vietnamese where folding the diacritics away makes two words one: "tôi" (I) and "tới"
(until) both fold to "toi"; and the day nearest a verb of coming back is the one it goes with. Pure functions."""

from __future__ import annotations

from datetime import date

import pytest

from maildaemon.inbound.classify.autoreply import fold
from maildaemon.inbound.classify.relative import relative_return

WED = date(2027, 3, 10)  # a Wednesday


@pytest.mark.parametrize(
    ("text", "back"),
    [
        # the pronoun before a leave and a day: the day is one away, not the day back
        ("Tôi nghỉ ốm ngày mai.", None),
        ("toi vang mat ngay mai", None),
        # "tới" right before the day is "until" (folded or not)
        ("Em nghỉ phép tới thứ Sáu.", date(2027, 3, 12)),
        ("nghi phep toi het thu Sau", date(2027, 3, 13)),
        # the day nearest the verb of coming back wins over a day away named before it
        ("Tôi vắng ngày mai, thứ Sáu sẽ có mặt ở cơ quan.", date(2027, 3, 12)),
        # the end of a week or month says its own "through": back the first day after it
        ("Phòng tạm nghỉ hết tuần này.", date(2027, 3, 15)),
        ("Chị Lan đi học hết tháng này.", date(2027, 4, 1)),
        ("Chị Lan vắng mặt hôm nay và ngày mai.", date(2027, 3, 12)),
    ],
)
def test_the_day_back(text: str, back: date | None) -> None:
    assert relative_return(fold(text), WED) == back
