"""The token module: what compose writes, the classifier finds again, whatever the campaign's prefixes."""

from __future__ import annotations

import dataclasses

import pytest

from maildaemon.core import tokens
from maildaemon.inbound.classify import classify
from maildaemon.outbound.compose import Composer, Recipient
from maildaemon.outbound.templates import TemplateSet
from tests.support.factories import make_campaign

TOKEN = "abcdefghijklmnopqrstuvwxyz"  # 26 characters of the base32 alphabet


def test_minted_tokens_have_the_format_the_parsers_find() -> None:
    minted = {tokens.mint() for _ in range(200)}
    assert len(minted) == 200
    for token in minted:
        assert tokens.is_token(token) and len(token) == tokens.LENGTH
        assert tokens.from_address(tokens.plus_address("bounces", token, "survey.test")) == token
        assert tokens.from_message_id(tokens.message_id(token, "reminder-2", "survey.test")) == token


@pytest.mark.parametrize("prefix", ["bounces", "reply", "khaosat", "ks.2026", "tra-loi"])
def test_a_plus_address_gives_its_token_back_whatever_the_prefix(prefix: str) -> None:
    address = tokens.plus_address(prefix, TOKEN, "survey.test")
    assert address == f"{prefix}+{TOKEN}@survey.test"
    assert tokens.from_address(address) == TOKEN
    assert tokens.from_address(f"<{address.upper()}>") == TOKEN


@pytest.mark.parametrize(
    "address",
    [
        "an+newsletter@khanhhoa.test",  # an ordinary plus address
        f"an+{TOKEN}x@khanhhoa.test",  # 27 characters: not a token
        f"an+{TOKEN[:25]}@khanhhoa.test",  # 25
        f"+{TOKEN}@khanhhoa.test",  # no local part before the '+'
        f"an+{TOKEN}.khanhhoa.test",  # no '@'
        "an@khanhhoa.test",
    ],
)
def test_other_addresses_carry_no_token(address: str) -> None:
    assert tokens.from_address(address) is None


def test_found_by_names_the_strongest_carrier() -> None:
    assert tokens.found_by(TOKEN, [f"khaosat+{TOKEN}@survey.test"], []) == "verp"
    assert tokens.found_by(TOKEN, ["bounces@survey.test"], [f"<md.{TOKEN}.invitation@survey.test>"]) == (
        "message-id"
    )
    assert tokens.found_by(TOKEN, ["bounces@survey.test"], ["<other@x>"]) == "returned-headers"


def test_compose_writes_the_campaigns_prefixes_and_parsing_finds_the_token() -> None:
    campaign, _ = make_campaign()
    campaign = dataclasses.replace(campaign, bounce_prefix="khaosat", reply_prefix="traloi")
    out = Composer(campaign, TemplateSet.load(campaign.language)).compose(
        Recipient(TOKEN, "an@khanhhoa.test"), "final"
    )
    assert out.envelope_from == f"khaosat+{TOKEN}@survey.test"
    assert tokens.from_address(out.envelope_from) == TOKEN
    assert tokens.from_message_id(out.message_id) == TOKEN
    assert out.envid == f"{TOKEN}.final"
    assert f"Reply-To: traloi+{TOKEN}@survey.test\r\n".encode() in out.data


def _bare_bounce(to: str) -> bytes:
    """A bounce from a relay that returns nothing of the original: only the envelope address carries the token."""
    return (
        f"From: MAILER-DAEMON@mx.khanhhoa.test\r\nTo: {to}\r\nDelivered-To: {to}\r\n"
        "Subject: Undelivered Mail Returned to Sender\r\nMIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=us-ascii\r\n\r\n"
        "I'm sorry to have to inform you that your message could not be delivered to one or more\r\n"
        "recipients.\r\n\r\n<khongtontai@khanhhoa.test>: host mx.khanhhoa.test said: 550 5.1.1\r\n"
        "<khongtontai@khanhhoa.test>: Recipient address rejected: User unknown in virtual mailbox table\r\n"
    ).encode()


@pytest.mark.parametrize("prefix", ["bounces", "khaosat"])
def test_a_bounce_to_a_custom_prefix_is_attributed_by_verp_alone(prefix: str) -> None:
    """The bug of issue 13: the parser knew only ``bounces|reply``, so ``khaosat+<token>@`` was not attributed."""
    verdict = classify(_bare_bounce(f"{prefix}+{TOKEN}@survey.test"))
    assert verdict.kind == "bounce"
    assert verdict.tokens == (TOKEN,)
