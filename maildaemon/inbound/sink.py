"""What the watcher and the store say to each other: the watcher hands each message to a sink, which
classifies, attributes and records it and answers which folder the message goes to; the sink also
keeps the mailbox state (UIDVALIDITY, last UID) so a restart resumes where the last pass stopped."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from maildaemon.inbound.classify import Verdict

Classified = tuple[Verdict, str]  # a verdict and its stored JSON, from a classifier worker

OUTCOMES = ("bounces", "autoreplies", "replies", "unattributed")  # the keys of ``ImapFolders``


@dataclass(frozen=True, slots=True)
class InboundResult:
    """The sink's answer for one message: the key of ``ImapFolders`` to move it to, and whether the
    same content had been recorded before."""

    outcome: str  # bounces | autoreplies | replies | unattributed
    duplicate: bool
    kind: str
    respondent_id: int | None


class InboundOutcome(Protocol):
    """What the watcher reads from a sink's result (``InboundResult`` or the store's own)."""

    @property
    def outcome(self) -> str: ...

    @property
    def duplicate(self) -> bool: ...


class InboundSink(Protocol):
    """Where inbound mail goes, one message at a time: an in-memory fake in tests."""

    async def mailbox_state(self, folder: str) -> tuple[int, int] | None: ...

    async def save_mailbox_state(
        self, folder: str, uidvalidity: int, last_uid: int, now: datetime
    ) -> None: ...

    async def record_inbound(
        self, raw: bytes, *, folder: str, uidvalidity: int, uid: int, now: datetime
    ) -> InboundOutcome: ...


@runtime_checkable
class BatchInboundSink(InboundSink, Protocol):
    """A sink that also records a whole fetch batch in one transaction and takes verdicts classified
    in worker processes (the Store): the watcher then classifies in its pool and records per batch."""

    async def record_inbound_many(
        self,
        items: list[tuple[int | None, bytes]],
        *,
        folder: str,
        uidvalidity: int,
        now: datetime,
        verdicts: Sequence[Classified] | None = None,
    ) -> Sequence[InboundOutcome]: ...


@dataclass(frozen=True, slots=True)
class Refile:
    """A message to move: where the database last saw it, and the folder its outcome asks for."""

    inbound_id: int
    folder: str
    uidvalidity: int | None
    uid: int | None  # None: not known (a tie from before refiling whose message was then recorded gone)
    outcome: str  # the key of ``ImapFolders`` it is now to be filed under
    message_id: str | None
    content_hash: str  # sha256 of the raw message: how a copy found by Message-ID or size is known for sure
    size: int | None = None  # octets of the raw message (RFC822.SIZE): how it is found without a Message-ID


@dataclass(frozen=True, slots=True)
class Location:
    """Where a message is now: its folder, and its UID there (None: not known, or gone)."""

    folder: str
    uidvalidity: int | None
    uid: int | None
    outcome: str | None = None  # the outcome key it was refiled for, recorded with it; None: unchanged


@runtime_checkable
class FilingSink(Protocol):
    """A sink that keeps where each message sits (the Store): the watcher records the UID of what it
    files as unattributed, and refiles what an operator has since tied to a person by hand."""

    async def refiles_due(self, folders: Mapping[str, str], *, limit: int = ...) -> Sequence[Refile]: ...

    async def record_locations(self, where: Mapping[int, Location]) -> None: ...
