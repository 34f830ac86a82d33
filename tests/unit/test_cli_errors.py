"""What the CLI prints of an error and its causes: each thing said once."""

from __future__ import annotations

from maildaemon.cli.main import _chain
from maildaemon.errors import InputError


def _raised(inner: Exception, *wrappers: str) -> Exception:
    exc: Exception = inner
    for text in wrappers:
        try:
            raise InputError(text) from exc
        except InputError as wrapped:
            exc = wrapped
    return exc


def test_a_cause_the_wrapper_already_quotes_is_not_repeated() -> None:
    reserved = "The part after the @-sign is a special-use or reserved name."
    exc = _raised(
        ValueError(reserved),
        f"invalid email address 'a@b.invalid': {reserved}",
        f"cannot correct x: invalid email address 'a@b.invalid': {reserved}",
    )
    assert _chain(exc) == [f"cannot correct x: invalid email address 'a@b.invalid': {reserved}"]


def test_a_cause_that_adds_something_is_kept() -> None:
    exc = _raised(OSError("connection refused"), "cannot reach the relay 127.0.0.1:2525")
    assert _chain(exc) == ["cannot reach the relay 127.0.0.1:2525", "connection refused"]
