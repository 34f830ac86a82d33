"""The index can be built from another family table inside a block (the bench's jackknife), and the
production vocabulary is back, whole, when the block ends."""

from __future__ import annotations

import re

from maildaemon.core.replies import index
from maildaemon.core.replies.phrases import FAMILIES


def test_a_family_without_its_branch_no_longer_matches_inside_the_block_only() -> None:
    text = "552 5.2.2 mailbox full"
    assert index.matches("mailboxfull", text)
    kept = "|".join(b for b in index.branches(FAMILIES["mailboxfull"]) if not re.search(b, text))
    with index.vocabulary({"mailboxfull": kept}):
        assert not index.matches("mailboxfull", text)
        assert index.Text(text).has("mailboxfull") is False
        assert index.matches(
            "mesgtoobig", "552 message size exceeds fixed limit"
        )  # other families as they were
    assert index.matches("mailboxfull", text)


def test_branches_join_back_into_the_family() -> None:
    for pattern in FAMILIES.values():
        assert "|".join(index.branches(pattern)) == pattern
