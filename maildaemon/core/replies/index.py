"""A regex index over the phrase families: each family's branches keyed by the literal they start with,
so a text is scanned only for the branches whose first word it contains. ``Text.has(reason)`` is the
one question the decision asks."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterator, Mapping, Sequence
from contextlib import contextmanager
from operator import itemgetter

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


def _alternatives(pattern: str) -> list[str]:
    """The top-level branches, a branch that is wholly one group of alternatives, ``(?:a|b|c)``, taken apart
    into them: each is then chosen by its own first word (a grouped branch would be tried whole whenever any
    of its words occurs) and removed on its own by a held-out estimate."""
    out: list[str] = []
    for branch in _branches(pattern):
        if branch.startswith("(?:") and _close(branch) == len(branch) - 1:
            inner = _alternatives(branch[3:-1])
            if len(inner) > 1:
                out.extend(inner)
                continue
        out.append(branch)
    return out


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
    """Index of the parenthesis that closes the group ``branch`` starts with (escapes and classes skipped)."""
    depth, i, in_class = 0, 0, False
    while i < len(branch):
        char = branch[i]
        if char == "\\":
            i += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        else:
            depth += {"(": 1, ")": -1}.get(char, 0)
            if depth == 0:
                return i
        i += 1
    return len(branch)


def _anchors(branch: str) -> list[str]:
    if branch.startswith("(?<"):  # a lookbehind constrains what precedes, not the match
        return _anchors(branch[_close(branch) + 1 :])
    if branch.startswith("\\b(?:"):  # a word boundary before a group: the group's words start every match
        return _anchors(branch[2:])
    if branch.startswith("(?:"):
        end = _close(branch)
        if branch[end + 1 : end + 2] in ("?", "*", "{"):
            return [""]
        return [a for inner in _branches(branch[3:end]) for a in _anchors(inner)]
    return [_literal_start(branch)]


def _gate(pattern: str) -> tuple[str, ...] | None:
    """Literals of which one must occur for ``pattern`` to match, or None when some branch has no
    selective literal start (then the pattern always runs)."""
    anchors = [a for branch in _branches(pattern) for a in _anchors(branch)]
    if not all(map(_selective, anchors)):
        return None
    return tuple(dict.fromkeys(anchors))


def _selective(anchor: str) -> bool:
    """Whether a literal is rare enough to gate on: three characters, or any non-ASCII one (two CJK
    characters are a word; "bo" is in every other text)."""
    return len(anchor) >= 3 or (anchor != "" and not anchor.isascii())


_WORD = re.compile(r"[a-z0-9]+")
# a phrase starts where a word does: "fail dmarc" is not in "hardfail dmarc", as in the whole family regex
_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def _at_word_start(pattern: re.Pattern[str], lowered: str) -> bool:
    """Whether ``pattern`` matches somewhere not preceded by a letter or digit. Checked here rather than
    by a look-behind in the pattern: a pattern that starts with a look-behind is tried at every character,
    one that starts with its branches' literals lets the regex engine skip to where one of them occurs."""
    match = pattern.search(lowered)
    while match is not None:
        start = match.start()
        if start == 0 or lowered[start - 1] not in _WORD_CHARS:
            return True
        match = pattern.search(lowered, start + 1)  # look-behinds inside the branches still see before it
    return False


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


def _inner_words(anchor: str) -> frozenset[str]:
    """The words of a literal with a non-word character on both sides inside it: a text that contains
    the literal has each of them among its words, whatever stands around the literal."""
    return frozenset(m.group(0) for m in _WORD.finditer(anchor) if m.start() > 0 and m.end() < len(anchor))


_QUANTIFIER = re.compile(r"[?*+]|\{(\d*)(?:,\d*)?\}")


def _tokens(branch: str) -> list[tuple[str, int]]:
    """The top-level items of a branch (a character, an escape, a class, a group), each with the least
    number of times it occurs, or -1 for an item that occurs exactly once (no quantifier)."""
    out: list[tuple[str, int]] = []
    i = 0
    while i < len(branch):
        end = _item_end(branch, i)
        quantifier = _QUANTIFIER.match(branch, end)
        if quantifier is None:
            out.append((branch[i:end], -1))
            i = end
            continue
        given = quantifier.group(1)
        out.append((branch[i:end], 1 if quantifier.group(0) == "+" else int(given) if given else 0))
        i = quantifier.end()
        if branch[i : i + 1] in ("?", "+"):  # lazy or possessive
            i += 1
    return out


def _item_end(pattern: str, i: int) -> int:
    """Where the item that starts at ``i`` ends: an escape, a class (escapes and a leading "]" inside it)
    or a group (nested groups and classes inside it)."""
    char = pattern[i]
    if char == "\\":
        return i + 2
    if char == "[":
        j = i + 1
        if pattern[j : j + 1] == "^":
            j += 1
        if pattern[j : j + 1] == "]":
            j += 1
        while j < len(pattern) and pattern[j] != "]":
            j += 2 if pattern[j] == "\\" else 1
        return j + 1
    if char == "(":
        j = i + 1
        while j < len(pattern) and pattern[j] != ")":
            j = _item_end(pattern, j)
        return j + 1
    return i + 1


def _bounds_a_word(token: str, least: int) -> bool:
    """Whether the item always stands for a word boundary: ``\\b`` or at least one character that is no
    letter or digit of a word (a literal one, ``\\s``, ``\\W``, an escaped sign)."""
    if token == "\\b":
        return True
    if least == 0:
        return False
    if token.startswith("\\"):
        return token[1] in "sWnt" or not token[1].isalnum()
    return len(token) == 1 and token not in _WORD_CHARS and token not in "().^$|?*+{}[]"


def _required_words(branch: str) -> list[frozenset[str]]:
    """Sets of whole words of which every match of the branch holds one each: a group of plain words
    (``(?:locked|disabled|frozen)``) or one word, with a word boundary on both sides. A text whose words
    miss one of these sets cannot match, whatever the branch's first word."""
    tokens = _tokens(branch)
    out = []
    for i, (token, least) in enumerate(tokens):
        if least != -1 or i + 1 >= len(tokens) or not _bounds_a_word(*tokens[i + 1]):
            continue
        if token.startswith("(?:"):
            start, words = i, _branches(token[3:-1])
        else:  # a run of letters and digits ending here, each character there once
            start = i
            while start > 0 and tokens[start - 1][1] == -1 and tokens[start - 1][0] in _WORD_CHARS:
                start -= 1
            words = ["".join(t for t, _ in tokens[start : i + 1])]
        if start > 0 and not _bounds_a_word(*tokens[start - 1]):
            continue  # (the branch's start is a word's start: the index matches only there)
        if all(_WORD.fullmatch(word) for word in words):
            out.append(frozenset(words))
    return out


def _required_literals(branch: str, shortest: int = 4, known: Collection[str] = ()) -> tuple[str, ...]:
    """Literals of which every match of the branch holds one: the longest run of plain characters that
    stands there exactly once, or a group of plain alternatives that does (``(?:blocked|banned)``), or of
    alternatives that each hold such literals (``(?:banned|black ?listed)``: "banned" or "listed"),
    whichever has the longer shortest literal; () when none has ``shortest`` characters. Literals all
    ``known`` already (found by the index) are passed over."""
    best: tuple[str, ...] = ()
    run: list[str] = []
    for token, least in [*_tokens(branch), ("(", 0)]:  # a sentinel ends the last run
        literal = token[1] if len(token) == 2 and token[0] == "\\" and not token[1].isalnum() else token
        if least == -1 and len(literal) == 1 and literal not in _SPECIAL and literal not in "+{}":
            run.append(literal)
            continue
        candidates = [["".join(run)]] if run else []
        run = []
        if least == -1 and token.startswith("(?:") and token.endswith(")"):
            inner = _branches(token[3:-1])
            if all(inner) and not any(_SPECIAL.intersection(a) or "+" in a or "}" in a for a in inner):
                candidates.append(inner)  # beside the run before the group, which stands there too
            else:  # alternatives that are patterns themselves: each holds a literal of its own
                required = [_required_literals(a) for a in inner]
                if all(required):
                    candidates.append([literal for literals in required for literal in literals])
        for found in candidates:
            if _gate_rank(found) > _gate_rank(best) and not set(found).issubset(known):
                best = tuple(found)
    return best if best and min(map(len, best)) >= shortest else ()


# Words nearly every bounce holds: a gate on them passes almost every text, so a rarer literal of the same
# branch gates it better ("(?:user|recipient)'s (?:reject|block) ?list" is gated on "reject"/"block")
_COMMON_WORDS = frozenset({"user", "recipient", "recipients", "mail", "message", "email", "e-mail", "sender",
                           "address", "server", "domain", "host", "delivery", "account", "mailbox"})  # fmt: skip


def _gate_rank(found: Sequence[str]) -> tuple[bool, bool, int]:
    """How well a set of literals gates a branch: usable at all (four characters or more), none of them a
    word every bounce has, then the longer shortest literal."""
    if not found:
        return (False, False, 0)
    least = min(map(len, found))
    return (least >= 4, not _COMMON_WORDS.intersection(found), least)


# the regex of a family's branches a text's words chose, and literals it must hold one of for them to match
_Subset = tuple[re.Pattern[str], tuple[str, ...]]


def _branch_gate(branch: str, anchors: Sequence[str]) -> tuple[str, ...]:
    """Literals of which a text must hold one for ``branch`` to match, beyond the first word the index
    chose it by: another literal it needs, of three characters or more ("spf" or "dmarc" after "fail"), or
    else its whole leading literals when they are longer than a word ("not relay" where the index looked
    for "not"); () when neither says more than the index does."""
    literals = _required_literals(branch, 3, anchors)
    if literals:
        return literals
    if all(anchors) and not all(map(_WORD.fullmatch, anchors)):
        return tuple(dict.fromkeys(anchors))
    return ()


class _Family:
    """One phrase family, indexed by the literal each branch starts with, so that a text is scanned only
    for the branches whose first word it contains (most texts contain few of a family's anchors), and
    only for those of them whose inner words it contains too (a first word such as "not" or "is" is in
    most texts; "not listed in" also needs "listed")."""

    __slots__ = ("always", "always_gate", "always_gate_ascii", "always_needs", "anchors", "branches", "by_head", "by_substring", "by_word", "exclude", "heads",
                 "keywords", "literals", "needs", "needs_any", "subsets", "substrings", "words")  # fmt: skip

    def __init__(self, pattern: str, exclude: re.Pattern[str] | None = None) -> None:
        self.exclude = exclude  # a text this finds is never of the family
        self.branches: list[str] = []
        self.by_word: dict[str, list[int]] = {}
        self.by_substring: list[tuple[str, int]] = []
        self.needs: list[frozenset[str]] = []  # per branch: the inner words every match of it has
        self.needs_any: list[list[frozenset[str]]] = []  # per branch: word sets it holds one of each
        # per branch: literals it holds one of (``_branch_gate``), worked out when a text first chooses it (a
        # regex parse per branch, which would slow every import and the bench's jackknife)
        self.literals: list[tuple[str, ...] | None] = []
        always: list[str] = []
        for branch in _alternatives(pattern):
            anchors = _anchors(branch)
            gate = _split_gate(tuple(anchors)) if all(map(_selective, anchors)) else None
            if gate is None:
                always.append(branch)
                continue
            index = len(self.branches)
            self.branches.append(branch)
            self.needs.append(frozenset.intersection(*map(_inner_words, anchors)))
            self.needs_any.append(_required_words(branch))
            self.literals.append(None)
            for word in gate[0]:
                self.by_word.setdefault(word, []).append(index)
            self.by_substring.extend((anchor, index) for anchor in gate[1])
        self.words = frozenset(self.by_word)
        # the text's words that choose the branches
        self.keywords = self.words.union(*self.needs, *(w for sets in self.needs_any for w in sets))
        self.always = _compiled(tuple(always)) if always else None
        # the word sets each ungated branch holds one of each of: where some branch has them, the text is
        # scanned only for the branches its words allow ("(?:e-?mail|mail) size ..." needs "size")
        # and the literals each holds one of ("(?:blocked|banned)" after an optional run): a text without
        # them is not scanned for that branch
        needs = [(branch, tuple(_required_words(branch)), _required_literals(branch)) for branch in always]
        self.always_needs = tuple(needs) if any(sets or lits for _, sets, lits in needs) else ()
        # when every such branch needs a literal, a text with none of them skips them all in one test
        literals = [lits for _, _, lits in needs]
        self.always_gate = tuple(dict.fromkeys(x for lits in literals for x in lits)) if all(literals) else ()
        # an ASCII text holds none of the others ("thất bại", "giới hạn"): it is not scanned for them
        self.always_gate_ascii = tuple(x for x in self.always_gate if x.isascii())
        # substring anchors that are a word's start ("mailbox", "temporar") are looked for only when one of
        # the text's words starts with their first three letters; the others (CJK, "#5.1.1") always
        self.by_head: dict[str, tuple[str, ...]] = {}
        others = []
        for anchor in sorted({anchor for anchor, _ in self.by_substring}, key=len, reverse=True):
            if _WORD.fullmatch(anchor):
                self.by_head[anchor[:3]] = (*self.by_head.get(anchor[:3], ()), anchor)
            else:
                others.append(anchor)
        self.heads = frozenset(self.by_head)
        self.substrings = tuple(others)
        self.anchors = frozenset(
            anchor for anchor, _ in self.by_substring
        )  # what ``Text.anchors`` may hold of it
        # the regex of the branches chosen, by the keywords and substring anchors a text contains
        self.subsets: dict[tuple[frozenset[str], frozenset[str]], _Subset | None] = {}

    def matches(self, lowered: str, words: frozenset[str], anchors: frozenset[str]) -> bool:
        """Whether the lower-cased text (with its words, and the substring anchors of any family it holds:
        ``Text``) has a phrase of this family (the exclusion is looked for only then: most texts have none)."""
        if not self.always_needs:
            always = self.always
        elif self.always_gate and not holds_any(
            lowered, self.always_gate_ascii if lowered.isascii() else self.always_gate
        ):
            always = None  # the shut gate tested here: no call of ``_always`` for most texts
        else:
            always = self._always(lowered, words)
        if always is not None and _at_word_start(always, lowered):
            return self._not_excluded(lowered)
        if anchors:
            anchors = self.anchors & anchors
        if not anchors and self.words.isdisjoint(words):  # most families: no first word, nothing built
            return False
        # the keywords found are the key of the compiled subset: a set operation in C, no list built
        key = (self.keywords & words, anchors)
        subset = self.subsets.get(key, _UNSEEN)
        if subset is _UNSEEN:
            subset = self._subset(*key)
        if subset is None:
            return False
        pattern, literals = subset
        # most texts that hold a branch's first word lack the rest of it ("not" but no "not relay"): a few
        # substring tests rule the regex out, at a tenth of what the scan of a text costs
        return (
            (not literals or holds_any(lowered, literals))
            and _at_word_start(pattern, lowered)
            and self._not_excluded(lowered)
        )

    def _always(self, lowered: str, words: frozenset[str]) -> re.Pattern[str] | None:
        """The ungated branches the text's words and literals allow (``matches`` has tested the gate)."""
        contains = lowered.__contains__
        kept = tuple(
            branch
            for branch, sets, literals in self.always_needs
            if not any(map(words.isdisjoint, sets)) and (not literals or any(map(contains, literals)))
        )
        return _compiled(kept) if kept else None

    def _literals(self, i: int) -> tuple[str, ...]:
        found = self.literals[i]
        if found is None:
            branch = self.branches[i]
            found = self.literals[i] = _branch_gate(branch, _anchors(branch))
        return found

    def _not_excluded(self, lowered: str) -> bool:
        return self.exclude is None or self.exclude.search(lowered) is None

    def _subset(self, words: frozenset[str], anchors: frozenset[str]) -> _Subset | None:
        """The regex of the branches whose first literal the text contains and whose inner words it has
        (``words``: the text's keywords of this family), with the literals of which a text must hold one
        for any of them to match (() when some branch has none), or None when there are no such branches;
        made once per key."""
        if len(self.subsets) > 1024:
            self.subsets.clear()
        chosen = {i for word in words.intersection(self.by_word) for i in self.by_word[word]}
        chosen.update(index for anchor, index in self.by_substring if anchor in anchors)
        kept = tuple(
            sorted(
                i
                for i in chosen
                if self.needs[i] <= words and not any(map(words.isdisjoint, self.needs_any[i]))
            )
        )
        subset = None
        if kept:
            gates = [self._literals(i) for i in kept]
            literals = tuple(dict.fromkeys(x for g in gates for x in g)) if all(gates) else ()
            subset = (_compiled(tuple(self.branches[i] for i in kept)), literals)
        self.subsets[(words, anchors)] = subset
        return subset


_UNSEEN = (re.compile(""), ())  # a key not looked up yet (None means: no branch to scan)

# one compiled regex per set of branches, whichever keys led to it
_COMPILED: dict[tuple[str, ...], re.Pattern[str]] = {}


def _compiled(branches: tuple[str, ...]) -> re.Pattern[str]:
    pattern = _COMPILED.get(branches)
    if pattern is None:
        if len(_COMPILED) > 4096:
            _COMPILED.clear()
        pattern = _COMPILED[branches] = re.compile("|".join(map(_spread, branches)))
    return pattern


def _spread(branch: str, budget: int = 16) -> str:
    """``(?:a|b)c`` as ``ac|bc`` and ``(?:a)?c`` as ``ac|c``: matches at the same places (all the index asks is where one starts), and an
    alternation whose every branch starts with a literal lets the regex engine skip to where one of their
    first characters occurs instead of trying the whole pattern at every character."""
    if branch.startswith("\\b"):
        return "|".join(map(_boundary_after_first, _branches(_spread(branch[2:], budget))))
    if not branch.startswith("(?:"):
        return branch
    end = _close(branch)
    after = branch[end + 1 : end + 3]
    inner = _branches(branch[3:end])
    if after[:1] == "?" and after != "?+":  # an optional group: with it, or without it
        inner, rest = [*inner, ""], branch[end + 2 + (after == "??") :]
    elif after[:1] in ("?", "*", "+", "{"):
        return branch
    else:
        rest = branch[end + 1 :]
    if len(inner) > budget:
        return branch
    return "|".join(_spread(alternative + rest, budget // len(inner)) for alternative in inner)


def _boundary_after_first(branch: str) -> str:
    """``\\b`` + ``branch`` with the boundary tested after a first literal letter or digit: ``x(?<!\\w.)rest``
    matches where ``\\bxrest`` does (nothing of the word before ``x``), but its literal first character lets
    the regex engine skip to where it occurs; a leading ``\\b`` makes every alternation it joins be tried at
    every character of the text."""
    if branch[:1] and branch[:1] in _WORD_CHARS and branch[1:2] not in ("?", "*", "+", "{"):
        return branch[0] + "(?<!\\w.)" + branch[1:]
    return "\\b" + branch


_FAMILY = {
    reason: _Family(pattern, NOT_REJECTED if reason == "rejected" else None)
    for reason, pattern in FAMILIES.items()
}


class _Gates:
    """What the families' gates look for in a text, gathered over all of them: a text is looked at once
    (its words, the substring anchors it holds) rather than once per family asked, and keeps only the
    words some family looks for, so each family's set operations run over a few words."""

    __slots__ = ("ascii_substrings", "by_head", "heads", "substrings", "words")

    def __init__(self, families: Mapping[str, _Family]) -> None:
        words: set[str] = set()
        by_head: dict[str, tuple[str, ...]] = {}
        for family in families.values():
            words.update(family.keywords)
            words.update(w for _, sets, _ in family.always_needs for group in sets for w in group)
            for head, anchors in family.by_head.items():
                by_head[head] = tuple(dict.fromkeys((*by_head.get(head, ()), *anchors)))
        self.words = frozenset(words)
        self.by_head = by_head
        self.heads = frozenset(by_head)
        self.substrings = tuple(dict.fromkeys(a for family in families.values() for a in family.substrings))
        # an ASCII text holds none of the others (most of them are CJK or Cyrillic)
        self.ascii_substrings = tuple(a for a in self.substrings if a.isascii())


_GATES = _Gates(_FAMILY)
_LAST: Text | None = None  # the text ``matches`` was last asked about


def matches(reason: str, lowered: str, words: frozenset[str] | None = None) -> bool:
    """Whether the lower-cased reply text belongs to the phrase family of ``reason`` (``words``, the
    text's words, is accepted for callers that have them; the text's own are read again)."""
    global _LAST
    family = _FAMILY.get(reason)
    if family is None or not lowered:
        return False
    text = _LAST
    if text is None or text.lowered != lowered:  # callers ask several families of one text in a row
        text = _LAST = Text(lowered)
    return text.has(reason)


_HEAD = itemgetter(slice(3))
# Every byte that is no letter or digit of a word made a space: an ASCII text's words are then one byte
# translation and one split, both in C (the regex's findall costs several times as much per character).
_WORD_BYTES = bytes(c if chr(c) in _WORD_CHARS else 0x20 for c in range(256))


def _words(lowered: str) -> set[str]:
    """The runs of letters and digits of a lower-cased text (``_WORD``'s matches); a set, which is built
    for less than a frozenset and is only read (``Text`` keeps the frozenset of its gate words)."""
    if lowered.isascii():
        return set(lowered.encode().translate(_WORD_BYTES).decode().split())
    return set(_WORD.findall(lowered))


class Text:
    """One reply text with each family looked up at most once."""

    __slots__ = ("_seen", "anchors", "lowered", "words")

    def __init__(self, lowered: str) -> None:
        self.lowered = lowered
        gates = _GATES
        words = _words(lowered)
        self.words = gates.words & words  # a frozenset, as its left operand is
        # the substring anchors of every family: one that is a word's start ("mailbox", "temporar") only
        # where one of the text's words starts with its first three letters; the others (CJK, "#5.1.1") always
        found: list[str] = []
        for head in gates.heads.intersection(map(_HEAD, words)):  # map: no Python frame per word
            for anchor in gates.by_head[head]:  # a plain loop: ``filter`` pays a method wrapper per anchor
                if anchor in lowered:
                    found.append(anchor)
        found.extend(
            filter(lowered.__contains__, gates.ascii_substrings if lowered.isascii() else gates.substrings)
        )
        self.anchors = frozenset(found)
        self._seen: dict[str, bool] = {}

    def has(self, reason: str) -> bool:
        hit = self._seen.get(reason)
        if hit is None:  # the gate (first words, anchors) is a set operation inside ``matches``
            family = _FAMILY.get(reason)
            hit = (
                family is not None
                and self.lowered != ""
                and family.matches(self.lowered, self.words, self.anchors)
            )
            self._seen[reason] = hit
        return hit


def holds_any(text: str, keys: tuple[str, ...]) -> bool:
    """Whether ``text`` holds one of ``keys``: a plain loop, where ``any(map(text.__contains__, keys))``
    pays a bound-method call with an argument tuple for every key (a quarter more instructions on a
    gate of a few dozen keys), and ``any`` over a generator as much."""
    for key in keys:  # noqa: SIM110
        if key in text:
            return True
    return False


def branches(pattern: str) -> list[str]:
    """The alternatives of a family as the index keys them: what a held-out estimate removes one by one."""
    return _alternatives(pattern)


@contextmanager
def vocabulary(families: Mapping[str, str]) -> Iterator[None]:
    """Match with ``families`` instead of ``FAMILIES`` inside the block (the bench's leave-one-message-out
    estimate, which scores each message without the branches only it needs). Not thread-safe; the
    production path never enters it. Families left out of ``families`` keep their production index."""
    saved = dict(_FAMILY)
    # each family keeps its own compiled subsets, and compiled regexes are keyed by their branches: a
    # replaced family brings its own, nothing cached needs clearing
    _FAMILY.update(
        {
            reason: _Family(pattern, NOT_REJECTED if reason == "rejected" else None)
            for reason, pattern in families.items()
        }
    )
    global _GATES
    global _LAST
    saved_gates, _GATES, _LAST = _GATES, _Gates(_FAMILY), None
    try:
        yield
    finally:
        _FAMILY.clear()
        _FAMILY.update(saved)
        _GATES, _LAST = saved_gates, None
