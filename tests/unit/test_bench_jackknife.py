"""The jackknife's grain (bench/classify.py): a family's words grouped into one ``(?:a|b|c)`` branch are still
removed one by one, so grouping cannot make a message's wording look shared."""

from bench.classify import alternatives


def test_a_branch_that_is_one_group_is_taken_apart() -> None:
    assert alternatives(r"a|(?:b|c)|(?:(?:d|e)|f)") == ["a", "b", "c", "d", "e", "f"]


def test_a_group_inside_a_branch_is_the_branch_s_own() -> None:
    # a shared prefix with alternatives after it is one phrase family, not several; a lone group stays whole
    assert alternatives(r"relay (?:denied|refused)|(?:no relaying)") == [
        "relay (?:denied|refused)",
        "(?:no relaying)",
    ]


def test_groups_that_only_look_whole_are_left_alone() -> None:
    # "(?:a)|(?:b)" is two branches already; "(?:a)b(?:c|d)" does not end with the group it starts with;
    # a parenthesis in a character class or escaped does not close a group
    assert alternatives(r"(?:a)b(?:c|d)") == [r"(?:a)b(?:c|d)"]
    assert alternatives(r"(?:[)]x|\)y)") == [r"[)]x", r"\)y"]
