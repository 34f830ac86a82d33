"""classify.mime.parse_headers: the line-based header reader keeps the field rules of the classifier.

Messages are synthetic; each test names the header-block shape it covers.
"""

from __future__ import annotations

from maildaemon.inbound.classify.mime import parse_headers, read_head, split_head_body


def test_plain_fields_lower_cased_names_in_order() -> None:
    block = "From: a@example.test\nTo: b@example.test\nSubject: hello"
    assert parse_headers(block) == {
        "from": ["a@example.test"],
        "to": ["b@example.test"],
        "subject": ["hello"],
    }
    assert list(parse_headers(block)) == ["from", "to", "subject"]


def test_folded_value_is_unfolded_with_one_space() -> None:
    block = "Subject: first\n   second\n\tthird\nX-Other: y"
    assert parse_headers(block) == {"subject": ["first second third"], "x-other": ["y"]}


def test_value_only_on_continuation_lines() -> None:
    assert parse_headers("Received:\n  from relay.example.test\n  by mx.example.test") == {
        "received": ["from relay.example.test by mx.example.test"]
    }


def test_crlf_line_ends_are_stripped_from_value_ends() -> None:
    block = "Action: failed\r\nStatus: 5.1.1\r\n  (unknown user)\r\n"
    # callers turn CRLF into LF first; left in, the fold keeps what precedes the line end and only the
    # ends of the whole value are stripped (as the regex reader did)
    assert parse_headers(block) == {"action": ["failed"], "status": ["5.1.1\r (unknown user)"]}


def test_no_header_block() -> None:
    assert parse_headers("") == {}
    assert parse_headers("Just a sentence of body text\nwith two lines") == {}
    assert split_head_body("no header here\n\nbody") == ("", "no header here\n\nbody")


def test_eight_bit_bytes_in_values_are_kept_and_in_names_refused() -> None:
    block = "Subject: caf\udce9 ng\u00e0y\nN\u00e4me: x\nX-Ok: \u00ff"
    assert parse_headers(block) == {"subject": ["caf\udce9 ng\u00e0y"], "x-ok": ["\u00ff"]}


def test_empty_values_and_blanks_before_colon() -> None:
    assert parse_headers("X-Empty:\nX-Blank:   \nSubject \t: spaced") == {
        "x-empty": [""],
        "x-blank": [""],
        "subject": ["spaced"],
    }


def test_duplicate_fields_keep_every_value_in_order() -> None:
    block = "Received: one\nX-A: a\nreceived: two\nRECEIVED: three"
    assert parse_headers(block) == {"received": ["one", "two", "three"], "x-a": ["a"]}


def test_lines_that_are_not_fields_are_skipped_with_their_continuations() -> None:
    block = (
        "not a field\n  continued: no\nbad name: x\n" + "N" * 77 + ": too long\n" + "N" * 76 + ": ok\nTo: b"
    )
    assert parse_headers(block) == {"n" * 76: ["ok"], "to": ["b"]}


def test_blank_line_ends_a_field_so_later_indented_lines_are_not_its_continuation() -> None:
    block = "Final-Recipient: rfc822; a@example.test\n\n  indented after blank\nAction: failed"
    assert parse_headers(block) == {"final-recipient": ["rfc822; a@example.test"], "action": ["failed"]}


def test_colon_in_value_and_control_characters_in_names() -> None:
    assert parse_headers("Date: Sun, 6 Dec 2026 22:30:54 +0000\nX\x01Bad: v\n: no name") == {
        "date": ["Sun, 6 Dec 2026 22:30:54 +0000"]
    }


def test_a_block_holding_nul_characters_reads_the_same() -> None:
    block = "Subject: a\x00b\n  folded\nX-Nul\x00: no\n\x00: no\nTo: c\n\tand d"
    assert parse_headers(block) == {"subject": ["a\x00b folded"], "to": ["c and d"]}
    assert parse_headers("Subject: a\x00b\nTo: c") == {"subject": ["a\x00b"], "to": ["c"]}


def test_a_fold_before_the_colon_does_not_make_a_field() -> None:
    assert parse_headers("Foo\n :bar\nTo: b") == {"to": ["b"]}
    assert parse_headers("Foo\x00\n :bar\nTo: b") == {"to": ["b"]}


def test_read_head_is_parse_headers_of_split_head_body() -> None:
    texts = [
        "From: a\nSubject: b\n  folded\n\nbody\n\nmore",
        "From: a\nTo: b",  # no blank line, no body
        "From: a\nTo: b\n",  # ends with a line end
        "\nbody only",  # a part that starts with its blank line
        "",
        "From: a\nthis line is body text\nTo: b\n\nrest",  # header block runs into the body
        "not a field: x\nTo: b\n\nbody",
        "Subject: a\x00b\n  folded\n\nbody",  # holds the fold mark itself
        "N" * 77 + ": too long\nTo: b\n\nbody",
        " Leading: blank\n\nbody",
        "Subject \t: spaced\nX-Empty:\n\n",
    ]
    for text in texts:
        head, body = split_head_body(text)
        assert read_head(text) == (parse_headers(head), body), text
