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
        assert "|".join(index._branches(pattern)) == pattern
        # the finer alternatives are pieces of the family's own text, each a whole regex
        for alternative in index.branches(pattern):
            assert alternative in pattern
            re.compile(alternative)


def test_a_branch_that_is_one_group_is_taken_apart() -> None:
    """A family's words grouped into one ``(?:a|b|c)`` branch are keyed, and removed by the jackknife, one by one:
    grouping can neither make a message's wording look shared nor make the index try the group whole."""
    assert index.branches(r"a|(?:b|c)|(?:(?:d|e)|f)") == ["a", "b", "c", "d", "e", "f"]
    # a shared prefix with alternatives after it is one phrase, not several; a lone group stays whole
    assert index.branches(r"relay (?:denied|refused)|(?:no relaying)") == [
        "relay (?:denied|refused)",
        "(?:no relaying)",
    ]
    # "(?:a)b(?:c|d)" does not end with the group it starts with; a parenthesis in a class or escaped closes none
    assert index.branches(r"(?:a)b(?:c|d)") == [r"(?:a)b(?:c|d)"]
    assert index.branches(r"(?:[)]x|\)y)") == [r"[)]x", r"\)y"]


def test_a_word_boundary_before_a_group_keeps_the_groups_words_as_the_branchs_first_words() -> None:
    """``\\b(?:error|failure)s? during ...`` is chosen by "error" or "failure", not tried on every text that holds
    any of its later literals; the family answers as before wherever the words stand."""
    assert index._anchors(r"\b(?:error|failure)s? during") == ["error", "failure"]
    pattern = r"\b(?:error|failure)s? (?:during|in) (?:the )?spf check"
    assert index._Family(pattern).always is None
    with index.vocabulary({"authfailure": pattern}):
        for text, found in [
            ("451 errors during the spf check", True),
            ("451 failure in spf check", True),
            ("451 suberror during the spf check", False),  # a phrase starts where a word does
            ("451 error while reading", False),
        ]:
            assert index.matches("authfailure", text) is found, text
            assert index.Text(text).has("authfailure") is found, text
