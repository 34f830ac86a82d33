"""The verdicts' own ``__init__`` (slots set through their descriptors, for speed) takes the fields, in order,
with their defaults, as the one dataclass would write, and keeps them frozen."""

from __future__ import annotations

import dataclasses
import inspect
import pickle

import pytest

from maildaemon.inbound.classify.verdict import RecipientVerdict, Verdict


@pytest.mark.parametrize("cls", [RecipientVerdict, Verdict])
def test_init_takes_the_fields_with_their_defaults(cls: type) -> None:
    params = list(inspect.signature(cls).parameters.values())
    assert [p.name for p in params] == [f.name for f in dataclasses.fields(cls)]
    for param, field in zip(params, dataclasses.fields(cls), strict=True):
        assert param.default == (
            inspect.Parameter.empty if field.default is dataclasses.MISSING else field.default
        )


def test_every_field_is_set_and_stays_frozen() -> None:
    values = (
        "a@example.org",
        "b@example.org",
        "mailboxfull",
        True,
        "5.2.2",
        "failed",
        "mx.example.org",
        "full",
        "552",
    )
    verdict = RecipientVerdict(*values)
    assert dataclasses.astuple(verdict) == values
    with pytest.raises(dataclasses.FrozenInstanceError):
        verdict.reason = "userunknown"  # type: ignore[misc]
    whole = Verdict("bounce", (verdict,), subject="Undelivered", tokens=("t1",), defects=("d",))
    assert whole.reason == "mailboxfull" and whole.subject == "Undelivered" and whole.return_date is None
    assert dataclasses.replace(whole, kind="delay").verdicts == (verdict,)
    again = pickle.loads(pickle.dumps(whole))
    assert again == whole and hash(again) == hash(whole)
