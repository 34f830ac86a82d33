"""A note in a person's history (a message tied by hand that moved nothing, a soft failure, an operator's
decision) reads in the page's language, in the console and in `respondent show`: never a bare code."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from maildaemon.cli.respondents import history_line
from maildaemon.reporting import vocabulary as V
from maildaemon.reporting.render.labels import Labels
from maildaemon.web.i18n import Words

NOTES = ("unknown", "bounce", "delay", "delivered", "autoreply", "reply", "feedback", "softfail", "corrected",
         "excluded", "restored", "resend", "challenge")  # fmt: skip


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_note_the_daemon_writes_has_words(lang: str) -> None:
    words = [V.note_word(kind, lang) for kind in NOTES]
    codes = [kind for w, kind in zip(words, NOTES, strict=True) if w == kind]
    assert codes == ([] if lang == "vi" else ["bounce", "reply"])  # English codes that are English words
    assert len(set(words)) == len(words)  # no two notes read alike
    assert V.note_word("something-new", lang) == "something-new"  # an unknown note as recorded


def test_a_message_of_no_recognised_kind_tied_by_hand() -> None:
    vi, en = Words("vi"), Words("en")
    assert (
        vi.change("note", None, "unknown")
        == "thư nhận về không phân loại được (chỉ ghi lại, không đổi tình trạng)"
    )
    assert en.change("note", None, "unknown") == "a message of no recognised kind (noted, no state changed)"
    assert vi.change("note", None, None) == ""
    event = {"at": datetime(2026, 12, 6, 3, 0, tzinfo=UTC), "field": "note", "old_value": None,
             "new_value": "unknown", "source": "operator", "detail": "inbound #7: unknown (tied by hand by lan)"}  # fmt: skip
    line = history_line(Labels("vi", "Asia/Ho_Chi_Minh"), event)
    assert line.startswith("  06/12/2026 10:00  Ghi chú: thư nhận về không phân loại được")
    assert "Ghi chú: unknown" not in line
    english = history_line(Labels("en", "Asia/Ho_Chi_Minh"), event)
    assert "Note: a message of no recognised kind (noted, no state changed)  [operator]" in english
    assert line.endswith("[operator] thư nhận về số 7: không xác định (tied by hand by lan)")
    assert english.endswith("[operator] inbound message 7: unknown (tied by hand by lan)")
    assert (
        vi.detail("inbound #7: unknown (tied by hand by lan)")
        == "thư nhận về số 7: không xác định (tied by hand by lan)"
    )
    assert (
        vi.detail("inbound #12: bounce 5.1.1 userunknown")
        == "thư nhận về số 12: thư báo lỗi (bị trả lại): hộp thư không tồn tại (5.1.1)"  # no bare code
    )
    assert vi.detail("inbound #12x: odd") == "inbound #12x: odd"


def test_moves_still_read_as_before() -> None:
    event = {"at": datetime(2026, 12, 6, 3, 0, tzinfo=UTC), "field": "completion", "old_value": "pending",
             "new_value": "replied", "source": "operator", "detail": "x"}  # fmt: skip
    assert "Trả lời: Chưa trả lời -> Đã trả lời thư (chưa làm phiếu)" in history_line(
        Labels("vi", "UTC"), event
    )


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_digest_taken_over_after_a_stop_reads_in_words(lang: str) -> None:
    # store.digests writes field digest_claim, old = the digest's kind, new = taken_over
    words = [V.event_word("digest_claim", value, lang) for value in ("operators", "focal", "taken_over")]
    assert not {"operators", "focal", "taken_over"} & set(words)
    assert V.event_field("digest_claim", lang) != "digest_claim"


def test_the_message_behind_an_event_is_found_in_its_detail() -> None:
    """The console links a history row to its message by the id the watcher and `inbound assign` write."""
    assert V.inbound_id("inbound #42: bounce 5.1.1 userunknown — 550 5.1.1 <a@b.vn>: no such user") == 42
    assert V.inbound_id("inbound #7: autoreply") == 7
    assert V.inbound_id("reminder-2: 250 ok") is None and V.inbound_id("") is None
    assert V.inbound_id("see inbound #7: bounce") is None  # only where the detail starts with it
