"""What the classifier says about one inbound message: its kind, one verdict per failed recipient,
and what ties it to a respondent (tokens, addresses, message ids)."""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from datetime import date
from operator import attrgetter
from typing import Any

KINDS = ("bounce", "delay", "delivered", "autoreply", "reply", "feedback", "unknown")


# Both verdicts are frozen and made several times per message: each ``__init__`` below sets the slots through
# their descriptors (``_SET_*``), where the one dataclass generates for a frozen class calls ``object.__setattr__``
# per field, a generic attribute look-up each (two fifths of the cost of making a verdict). Its parameters are the
# fields, in order, with their defaults (tests/unit/test_verdict_init.py holds them to that).


@dataclass(frozen=True, slots=True, init=False)
class RecipientVerdict:
    """The outcome for one recipient. ``status`` is a D.S.N code or ""; ``hard`` means the address
    itself is bad, not merely this message refused, and the failure is final (``core.reasons.is_hard``)."""

    recipient: str
    original_recipient: str = ""
    reason: str = "undefined"
    hard: bool = False
    status: str = ""
    action: str = ""
    remote_mta: str = ""
    diagnostic: str = ""
    reply_code: str = ""

    def __init__(
        self,
        recipient: str,
        original_recipient: str = "",
        reason: str = "undefined",
        hard: bool = False,
        status: str = "",
        action: str = "",
        remote_mta: str = "",
        diagnostic: str = "",
        reply_code: str = "",
    ) -> None:
        set_recipient, set_original, set_reason, set_hard, set_status, set_action, set_remote, set_diagnostic, \
            set_code = _SET_RECIPIENT  # fmt: skip
        set_recipient(self, recipient)
        set_original(self, original_recipient)
        set_reason(self, reason)
        set_hard(self, hard)
        set_status(self, status)
        set_action(self, action)
        set_remote(self, remote_mta)
        set_diagnostic(self, diagnostic)
        set_code(self, reply_code)

    def __reduce__(self) -> tuple[Any, ...]:
        # worker processes send verdicts back pickled: a constructor call is several times cheaper to
        # pickle and unpickle than the dataclass default (a state dict set field by field)
        return (RecipientVerdict, _RECIPIENT_FIELDS(self))


@dataclass(frozen=True, slots=True, init=False)
class Verdict:
    kind: str
    verdicts: tuple[RecipientVerdict, ...] = ()
    subject: str = ""
    message_id: str = ""
    in_reply_to: str = ""
    references: tuple[str, ...] = ()
    from_addr: str = ""
    to_addrs: tuple[str, ...] = ()
    tokens: tuple[str, ...] = ()
    return_date: date | None = None
    defects: tuple[str, ...] = ()

    def __init__(
        self,
        kind: str,
        verdicts: tuple[RecipientVerdict, ...] = (),
        subject: str = "",
        message_id: str = "",
        in_reply_to: str = "",
        references: tuple[str, ...] = (),
        from_addr: str = "",
        to_addrs: tuple[str, ...] = (),
        tokens: tuple[str, ...] = (),
        return_date: date | None = None,
        defects: tuple[str, ...] = (),
    ) -> None:
        set_kind, set_verdicts, set_subject, set_message_id, set_in_reply_to, set_references, set_from, set_to, \
            set_tokens, set_date, set_defects = _SET_VERDICT  # fmt: skip
        set_kind(self, kind)
        set_verdicts(self, verdicts)
        set_subject(self, subject)
        set_message_id(self, message_id)
        set_in_reply_to(self, in_reply_to)
        set_references(self, references)
        set_from(self, from_addr)
        set_to(self, to_addrs)
        set_tokens(self, tokens)
        set_date(self, return_date)
        set_defects(self, defects)

    def __reduce__(self) -> tuple[Any, ...]:
        return (Verdict, _VERDICT_FIELDS(self))

    @property
    def recipients(self) -> tuple[str, ...]:
        return tuple(v.recipient for v in self.verdicts if v.recipient)

    @property
    def _first(self) -> RecipientVerdict | None:
        return self.verdicts[0] if self.verdicts else None

    @property
    def reason(self) -> str:
        first = self._first
        return first.reason if first else ""

    @property
    def hard(self) -> bool:
        first = self._first
        return first.hard if first else False

    @property
    def status(self) -> str:
        first = self._first
        return first.status if first else ""

    @property
    def remote_mta(self) -> str:
        first = self._first
        return first.remote_mta if first else ""

    @property
    def diagnostic(self) -> str:
        first = self._first
        return first.diagnostic if first else ""

    @property
    def token(self) -> str:
        """The strongest attribution token, or ""."""
        return self.tokens[0] if self.tokens else ""

    def stored(self) -> str:
        """The verdict as the inbound table keeps it."""
        return _ENCODER.encode(self.to_json())

    def to_json(self, file: str = "") -> dict[str, Any]:
        """The evaluation's JSON shape, plus attribution extras."""
        return {
            "file": file,
            "kind": self.kind,
            "recipients": list(self.recipients),
            "reason": self.reason,
            "hard": self.hard,
            "status": self.status,
            "remote_mta": self.remote_mta,
            "diagnostic": self.diagnostic,
            "verdicts": [
                {
                    "recipient": v.recipient,
                    "reason": v.reason,
                    "hard": v.hard,
                    "status": v.status,
                    **{k: val for k in _SAID if (val := getattr(v, k))},
                }
                for v in self.verdicts
            ],
            "tokens": list(self.tokens),
            "return_date": self.return_date.isoformat() if self.return_date else None,
            "defects": list(self.defects),
        }


# What the remote server said about one recipient, kept per recipient when there is something (the
# console's message page shows it); rows stored before carry only the first recipient's, at the top.
_SAID = ("remote_mta", "diagnostic", "reply_code")


def stored_recipients(stored: str | None, fallback: RecipientVerdict) -> tuple[RecipientVerdict, ...]:
    """The per-recipient verdicts of a verdict as the inbound table keeps it, of any age: older rows hold
    the server's words only at the top (the first recipient's), a partial or unreadable one gives
    ``fallback`` (the row's own columns), so a page about the message never fails on its JSON."""
    try:
        data = json.loads(stored or "")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        data = {}
    items = data.get("verdicts")
    rows = [v for v in items if isinstance(v, dict)] if isinstance(items, list) else []
    if not rows and any(data.get(k) for k in ("reason", "status", "remote_mta", "diagnostic")):
        rows = [{}]  # a partial verdict: its top stands for the one recipient
    if not rows:
        return (fallback,) if fallback.reason or fallback.status else ()
    out = []
    for i, row in enumerate(rows):
        # the first recipient's words from the top where its own entry has none (older rows)
        said = {**data, **row} if i == 0 else row

        def text(key: str, said: dict[str, Any] = said) -> str:
            value = said.get(key)
            return value if isinstance(value, str) else ""  # anything else is not what we wrote

        hard = said.get("hard")
        out.append(RecipientVerdict(
            recipient=text("recipient"), reason=text("reason") or fallback.reason or "undefined",
            hard=hard if isinstance(hard, bool) else fallback.hard, status=text("status"),
            remote_mta=text("remote_mta"), diagnostic=text("diagnostic"), reply_code=text("reply_code"),
        ))  # fmt: skip
    return tuple(out)


_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str)  # made once: stored() runs per message
_RECIPIENT_FIELDS = attrgetter(*(f.name for f in fields(RecipientVerdict)))
_VERDICT_FIELDS = attrgetter(*(f.name for f in fields(Verdict)))
_SET_RECIPIENT = tuple(getattr(RecipientVerdict, f.name).__set__ for f in fields(RecipientVerdict))
_SET_VERDICT = tuple(getattr(Verdict, f.name).__set__ for f in fields(Verdict))
