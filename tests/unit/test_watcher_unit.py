"""The watcher's seams without a server: the IMAP parser (UID sets, the library's response lines,
mailbox names), the session's patched protocol fed bytes directly, and the sink contract."""

import asyncio
from collections.abc import Mapping

import aioimaplib
from hypothesis import given
from hypothesis import strategies as st

from maildaemon.inbound.imap_parse import (
    answer_text,
    expand_uid_set,
    imap_utf7,
    parse_capabilities,
    parse_copyuid,
    parse_delimiter,
    parse_fetch,
    parse_search,
    parse_uidvalidity,
    quote_mailbox,
    quote_string,
    server_name,
    uid_set,
)
from maildaemon.inbound.imap_session import _Protocol
from maildaemon.inbound.sink import BatchInboundSink, FilingSink, InboundResult, Location, Refile
from maildaemon.inbound.watcher import _RefileCheck
from maildaemon.service.daemon import CountingSink
from maildaemon.store import Store


def test_uid_set_compresses_runs() -> None:
    assert uid_set([7, 1, 2, 3, 9, 10, 3]) == "1:3,7,9:10"
    assert uid_set([5]) == "5"
    assert uid_set([]) == ""


@given(st.sets(st.integers(min_value=1, max_value=5000), min_size=1))
def test_uid_set_round_trips(uids: set[int]) -> None:
    expanded: set[int] = set()
    for part in uid_set(uids).split(","):
        low, _, high = part.partition(":")
        expanded.update(range(int(low), int(high or low) + 1))
    assert expanded == uids


def test_parse_fetch_uid_before_or_after_the_literal_and_skips_bodiless_items() -> None:
    lines = [
        b"1 FETCH (UID 5 BODY[] {5}",
        bytearray(b"hello"),
        b")",
        b"2 FETCH (BODY[] {3}",
        bytearray(b"abc"),
        b" UID 9)",
        b"3 FETCH (UID 11 BODY[] NIL)",
        b"4 FETCH (UID 12 BODY[] {0}",
        bytearray(b""),
        b")",
        b"Fetch completed (0.001 + 0.000 secs).",
    ]
    assert parse_fetch(lines) == {5: b"hello", 9: b"abc", 12: b""}


def test_parse_fetch_keeps_a_body_that_looks_like_a_fetch_line() -> None:
    body = bytearray(b"1 FETCH (UID 99 BODY[] {3}\r\nxyz")
    lines = [b"1 FETCH (UID 4 BODY[] {%d}" % len(body), body, b")", b"done"]
    assert parse_fetch(lines) == {4: bytes(body)}


def test_copyuid_pairs_each_source_uid_with_its_new_one() -> None:
    """RFC 4315: the two sets pair by position; a large MOVE may answer in several untagged OKs."""
    assert expand_uid_set("1:3,7,9:10") == [1, 2, 3, 7, 9, 10]
    lines = [b"OK [COPYUID 1796 4:5,9 20:22] Moved UIDs.", b"2 EXPUNGE", b"OK [COPYUID 1796 12 30] Moved UIDs.",
             b"Move completed."]  # fmt: skip
    assert parse_copyuid(lines) == (1796, {4: 20, 5: 21, 9: 22, 12: 30})
    assert parse_copyuid([b"Move completed."]) is None  # a server without UIDPLUS says nothing
    assert quote_string('<a"b\\c@x>') == '"<a\\"b\\\\c@x>"'


def test_parse_search_and_select() -> None:
    assert parse_search([b"3 4 17", b"Search completed."]) == [3, 4, 17]
    assert parse_search([b"", b"Search completed."]) == []
    select = [b"FLAGS (\\Seen)", b"2 EXISTS", b"OK [UIDVALIDITY 1795297351] UIDs valid", b"[READ-WRITE] ok"]
    assert parse_uidvalidity(select) == 1795297351
    assert parse_uidvalidity([b"OK"]) is None


def test_capabilities_and_delimiter() -> None:
    caps = parse_capabilities([b"[CAPABILITY IMAP4rev1 IDLE MOVE UIDPLUS] Logged in"])
    assert {"IDLE", "MOVE", "UIDPLUS"} <= caps
    assert parse_capabilities([b"Logged in"]) == set()
    assert parse_delimiter([b'(\\Noselect) "/" ""', b"List completed."]) == "/"
    assert parse_delimiter([b'(\\Noselect) "." ""', b"List completed."]) == "."
    assert parse_delimiter([b'(\\Noselect) NIL ""', b"List completed."]) is None
    assert server_name("maildaemon/bounces", ".") == "maildaemon.bounces"
    assert server_name("maildaemon/bounces", None) == "maildaemon/bounces"


def test_mailbox_names_in_modified_utf7() -> None:
    assert imap_utf7("INBOX") == "INBOX"
    assert imap_utf7("A&B") == "A&-B"
    assert imap_utf7("Thư trả lời") == "Th&AbA- tr&HqM- l&Ht0-i"
    assert quote_mailbox('a "b"\\c') == '"a \\"b\\"\\\\c"'


async def test_thousands_of_short_response_lines_in_one_read_are_parsed() -> None:
    """A MOVE of a few thousand messages answers with one EXPUNGE line each, often in one read: the
    library's parser recurses once per line and used to hit Python's recursion limit."""
    loop = asyncio.get_running_loop()
    proto = _Protocol(loop)
    proto.state = aioimaplib.SELECTED
    move = aioimaplib.Command("MOVE", proto.new_tag(), loop=loop)
    proto.pending_sync_command = move
    expunges = b"".join(b"* %d EXPUNGE\r\n" % (i + 1) for i in range(5000))
    proto.data_received(expunges + move.tag.encode() + b" OK Move completed.\r\n")
    await asyncio.wait_for(move.wait(), 5)
    assert move.response.result == "OK"
    assert len(move.response.lines) == 5001


def test_answer_text_is_the_tagged_line_without_the_password() -> None:
    lines = [b"CAPABILITY IMAP4rev1", bytearray(b"A1 NO [AUTHENTICATIONFAILED] bad pass s3cr3t")]
    assert answer_text(lines, "s3cr3t") == "A1 NO [AUTHENTICATIONFAILED] bad pass ***"
    assert answer_text([]) == ""


class _OneByOne:
    async def mailbox_state(self, folder: str) -> None:
        return None

    async def save_mailbox_state(self, folder: str, uidvalidity: int, last_uid: int, now: object) -> None:
        return None

    async def record_inbound(self, raw: bytes, **kw: object) -> InboundResult:
        return InboundResult("unattributed", False, "unknown", None)


def test_the_store_records_batches_and_a_plain_sink_one_by_one() -> None:
    """The watcher classifies in its pool and records per batch only for a batch sink (the Store, and
    the daemon's counting wrapper around it)."""
    assert issubclass(Store, BatchInboundSink)
    assert issubclass(CountingSink, BatchInboundSink)
    assert not isinstance(_OneByOne(), BatchInboundSink)
    # and only a sink that keeps where messages sit has mail tied by hand refiled
    assert issubclass(Store, FilingSink) and issubclass(CountingSink, FilingSink)
    assert not isinstance(_OneByOne(), FilingSink)


class _Ties:
    """A filing sink whose due refiles are what the test says; counts how often it is asked."""

    def __init__(self) -> None:
        self.due: list[Refile] = []
        self.asked = 0
        self.asked_thrice = asyncio.Event()

    async def refiles_due(self, folders: Mapping[str, str], *, limit: int = 500) -> list[Refile]:
        self.asked += 1
        if self.asked >= 3:
            self.asked_thrice.set()
        return self.due

    async def record_locations(self, where: Mapping[int, Location]) -> None:
        raise AssertionError("a check records nothing")


def _due(inbound_id: int) -> Refile:
    return Refile(inbound_id, "maildaemon/unattributed", 7, inbound_id, "bounces", None, "0" * 64, 100)


async def test_a_wait_ends_for_a_new_tie_not_for_one_the_last_pass_could_not_move() -> None:
    """A message the last refile round was given and left due (no UIDs from the server, say) does not end
    every wait; one tied since does, and so does stop."""
    sink, stop, wake = _Ties(), asyncio.Event(), asyncio.Event()
    sink.due = [_due(1)]
    check = _RefileCheck(sink, {"bounces": "b"}, frozenset({1}), 0.001, stop, wake)
    async with asyncio.timeout(10):
        await sink.asked_thrice.wait()
        assert not wake.is_set()
        sink.due = [_due(1), _due(2)]
        await wake.wait()
    await check.finish()

    wake = asyncio.Event()
    check = _RefileCheck(sink, {"bounces": "b"}, frozenset({1, 2}), 3600.0, stop, wake)
    stop.set()
    async with asyncio.timeout(10):
        await wake.wait()
        await check.finish()
