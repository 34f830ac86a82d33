"""A regex index over the phrase families: each family's branches keyed by the literal they start with,
so a text is scanned only for the branches whose first word it contains. ``Text.has(reason)`` is the
one question the decision asks."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from contextlib import contextmanager

from maildaemon.core.replies.phrases import FAMILIES, NOT_REJECTED

_SPECIAL = set("()[].^$|\\?*+{")


def _branches(pattern: str) -> list[str]:
    """Top-level ``|`` branches of a pattern (tracks escapes, groups and classes; no full parser)."""
    out, depth, start, i, in_class = [], 0, 0, 0, False
    while i < len(pattern):
        char = pattern[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char in "()":
            depth += 1 if char == "(" else -1
        elif char == "|" and depth == 0:
            out.append(pattern[start:i])
            start = i + 1
        i += 1
    return [*out, pattern[start:]]


def _literal_start(branch: str) -> str:
    """The literal text every match of ``branch`` starts with (a leading ``\\b`` is skipped)."""
    if branch.startswith("\\b"):
        branch = branch[2:]
    run: list[str] = []
    i = 0
    while i < len(branch):
        char = branch[i]
        if char == "\\" and i + 1 < len(branch) and not branch[i + 1].isalnum():
            char, i = branch[i + 1], i + 1
        elif char in _SPECIAL:
            if char in "?*+{" and run:
                run.pop()
            break
        if i + 1 < len(branch) and branch[i + 1] in "?*{":
            break
        run.append(char)
        i += 1
    return "".join(run)


def _close(branch: str) -> int:
    """Index of the parenthesis that closes the group ``branch`` starts with."""
    depth, i = 0, 0
    while i < len(branch):
        if branch[i] == "\\":
            i += 2
            continue
        depth += {"(": 1, ")": -1}.get(branch[i], 0)
        if depth == 0:
            return i
        i += 1
    return len(branch)


def _anchors(branch: str) -> list[str]:
    if branch.startswith("(?<"):  # a lookbehind constrains what precedes, not the match
        return _anchors(branch[_close(branch) + 1 :])
    if branch.startswith("(?:"):
        end = _close(branch)
        if branch[end + 1 : end + 2] in ("?", "*", "{"):
            return [""]
        return [a for inner in _branches(branch[3:end]) for a in _anchors(inner)]
    return [_literal_start(branch)]


def _gate(pattern: str) -> tuple[str, ...] | None:
    """Literals of which one must occur for ``pattern`` to match, or None when some branch has no
    literal start of three characters (then the pattern always runs)."""
    anchors = [a for branch in _branches(pattern) for a in _anchors(branch)]
    if any(len(a) < 3 for a in anchors):
        return None
    return tuple(dict.fromkeys(anchors))


_WORD = re.compile(r"[a-z0-9]+")


def _split_gate(anchors: tuple[str, ...] | None) -> tuple[frozenset[str], tuple[str, ...]] | None:
    """Anchors split into whole first words (a word followed by a non-word character: a set lookup in
    the text's words) and the rest (substring tests)."""
    if anchors is None:
        return None
    words, rest = set(), []
    for anchor in anchors:
        match = _WORD.match(anchor)
        if match is None or match.end() == len(anchor):
            rest.append(anchor)
        else:
            words.add(match.group(0))
    return frozenset(words), tuple(rest)


class _Family:
    """One phrase family, indexed by the literal each branch starts with, so that a text is scanned only
    for the branches whose first word it contains (most texts contain few of a family's anchors)."""

    __slots__ = ("always", "anchors", "branches", "by_substring", "by_word", "substrings", "words")

    def __init__(self, pattern: str) -> None:
        self.branches: list[str] = []
        self.by_word: dict[str, list[int]] = {}
        self.by_substring: list[tuple[str, int]] = []
        always: list[str] = []
        for branch in _branches(pattern):
            anchors = _anchors(branch)
            gate = _split_gate(tuple(anchors)) if all(len(a) >= 3 for a in anchors) else None
            if gate is None:
                always.append(branch)
                continue
            index = len(self.branches)
            self.branches.append(branch)
            for word in gate[0]:
                self.by_word.setdefault(word, []).append(index)
            self.by_substring.extend((anchor, index) for anchor in gate[1])
        self.words = frozenset(self.by_word)
        self.always = re.compile("|".join(always)) if always else None
        # all substring anchors in one scan: a text with none of them (and none of the words) is out
        subs = sorted({anchor for anchor, _ in self.by_substring}, key=len, reverse=True)
        self.anchors = re.compile("|".join(map(re.escape, subs))) if subs else None
        self.substrings = tuple(subs)


_FAMILY = {reason: _Family(pattern) for reason, pattern in FAMILIES.items()}
# compiled once per combination of gate literals seen: (reason, words found, substring anchors found)
_SUBSET_CACHE: dict[tuple[str, frozenset[str], tuple[str, ...]], re.Pattern[str]] = {}


def _subset(reason: str, words: frozenset[str], anchors: tuple[str, ...]) -> re.Pattern[str]:
    """The regex of the branches of a family whose first literal the text contains."""
    key = (reason, words, anchors)
    pattern = _SUBSET_CACHE.get(key)
    if pattern is None:
        if len(_SUBSET_CACHE) > 4096:
            _SUBSET_CACHE.clear()
        family = _FAMILY[reason]
        chosen = {i for word in words for i in family.by_word[word]}
        chosen.update(index for anchor, index in family.by_substring if anchor in anchors)
        pattern = _SUBSET_CACHE[key] = re.compile(
            "(?<![a-z0-9])(?:" + "|".join(family.branches[i] for i in sorted(chosen)) + ")"
        )
    return pattern


def matches(reason: str, lowered: str, words: frozenset[str] | None = None) -> bool:
    """Whether the lower-cased reply text belongs to the phrase family of ``reason``; ``words`` (the
    text's words, when known) lets most branches be ruled out without a scan."""
    family = _FAMILY.get(reason)
    if family is None or not lowered:
        return False
    if reason == "rejected" and NOT_REJECTED.search(lowered):
        return False
    if family.always is not None and family.always.search(lowered):
        return True
    if words is None:
        words = frozenset(_WORD.findall(lowered))
    anchors = tuple([a for a in family.substrings if a in lowered]) if family.substrings else ()
    if not anchors and family.words.isdisjoint(words):  # most families: no first word, nothing built
        return False
    # the words found are the key of the compiled subset: a set operation in C, no list built
    return _subset(reason, family.words & words, anchors).search(lowered) is not None


class Text:
    """One reply text with each family looked up at most once."""

    __slots__ = ("_seen", "lowered", "words")

    def __init__(self, lowered: str) -> None:
        self.lowered = lowered
        self.words = frozenset(_WORD.findall(lowered))
        self._seen: dict[str, bool] = {}

    def has(self, reason: str) -> bool:
        hit = self._seen.get(reason)
        if hit is None:  # the gate (first words, anchors) is a set operation inside ``matches``
            hit = self._seen[reason] = matches(reason, self.lowered, self.words)
        return hit


def branches(pattern: str) -> list[str]:
    """The alternatives of a family as the index keys them: what a held-out estimate removes one by one."""
    return _branches(pattern)


@contextmanager
def vocabulary(families: Mapping[str, str]) -> Iterator[None]:
    """Match with ``families`` instead of ``FAMILIES`` inside the block (the bench's leave-one-message-out
    estimate, which scores each message without the branches only it needs). Not thread-safe; the
    production path never enters it. Families left out of ``families`` keep their production index."""
    saved = dict(_FAMILY)
    _FAMILY.update({reason: _Family(pattern) for reason, pattern in families.items()})
    _SUBSET_CACHE.clear()  # its compiled subsets belong to the families being replaced
    try:
        yield
    finally:
        _FAMILY.clear()
        _FAMILY.update(saved)
        _SUBSET_CACHE.clear()
