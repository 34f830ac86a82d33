"""Composing wire bytes: parse them back with the standard library and check what a recipient sees."""

from __future__ import annotations

import base64
import email
import email.policy
import re
import unicodedata
from datetime import UTC, datetime
from email.header import decode_header, make_header
from email.message import EmailMessage
from typing import cast

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maildaemon.errors import ConfigError, InputError
from maildaemon.outbound.compose import (
    Composer,
    Outgoing,
    Recipient,
    _base64_lines,
    clean_text,
    encoded_words,
    message_bytes,
    unstructured_header,
)
from maildaemon.outbound.mailer import xtext
from maildaemon.outbound.templates import TemplateSet
from tests.unit.test_templates import PERSON, make_campaign

NOW = datetime(2026, 11, 23, 1, 2, 3, tzinfo=UTC)
EXPECTED_HEADERS = [
    "From",
    "To",
    "Reply-To",
    "Subject",
    "Date",
    "Message-ID",
    "MIME-Version",
    "X-Survey-Token",
    "X-Survey-Campaign",
    "Content-Language",
    "Content-Type",
]


def composer(language: str = "vi", **campaign: object) -> Composer:
    return Composer(
        make_campaign(language=language, **campaign), TemplateSet.load(language), now_fn=lambda: NOW
    )


def parse(out: Outgoing) -> EmailMessage:
    return cast(EmailMessage, email.message_from_bytes(out.data, policy=email.policy.default))


def bodies(msg: EmailMessage) -> tuple[str, str]:
    plain = msg.get_body(("plain",))
    html = msg.get_body(("html",))
    assert plain is not None and html is not None
    return (
        cast(EmailMessage, plain).get_content().replace("\r\n", "\n"),
        cast(EmailMessage, html).get_content().replace("\r\n", "\n"),
    )


def raw_phrase(data: bytes, name: str) -> str:
    """The display name of header ``name`` decoded the RFC 2047 way (whitespace between encoded words dropped).

    Python's ``policy.default`` keeps that whitespace inside display names (a CPython quirk, also on its own
    output), so long names, which need several encoded words, are compared with this decoder.
    """
    head = data.split(b"\r\n\r\n", 1)[0].decode("ascii").replace("\r\n ", " ")
    line = next(line for line in head.split("\r\n") if line.startswith(f"{name}: "))
    phrase = line[len(name) + 2 :].rsplit(" <", 1)[0]
    if phrase.startswith("=?"):
        return str(make_header(decode_header(phrase)))
    return cast(str, parse_header(line)[name].addresses[0].display_name)


def parse_header(line: str) -> EmailMessage:
    return cast(EmailMessage, email.message_from_string(line + "\r\n\r\n", policy=email.policy.default))


def assert_wire_format(data: bytes) -> None:
    """7-bit, CRLF everywhere, no bare CR or LF, no line over 998 octets, headers folded under 78."""
    assert data.isascii()
    assert data.endswith(b"\r\n")
    lines = data.split(b"\r\n")[:-1]
    assert all(b"\r" not in line and b"\n" not in line for line in lines)
    assert max(len(line) for line in lines) <= 998
    head = lines[: lines.index(b"")]
    assert all(len(line) <= 78 or line.startswith(b"X-Survey-Campaign") for line in head), head


def test_round_trip_vietnamese() -> None:
    c = composer()
    out = c.compose(PERSON, "invitation")
    msg = parse(out)
    expected = c.templates.render("invitation", c.context(PERSON, "invitation", 0))
    assert (
        msg["Subject"]
        == "Khảo sát Chỉ số CCHC năm 2026: Thư mời tham gia khảo sát"
        == expected.subject.strip()
    )
    assert msg["From"].addresses[0].display_name == "Sở Nội vụ tỉnh Khánh Hòa"
    assert msg["From"].addresses[0].addr_spec == "khaosat@snv.khanhhoa.gov.vn"
    assert msg["To"].addresses[0].display_name == "Nguyễn Văn An"
    assert msg["To"].addresses[0].addr_spec == PERSON.email
    text, html = bodies(msg)
    assert text == expected.text
    assert html == expected.html
    for value in (msg["Subject"], text, html):
        assert unicodedata.is_normalized("NFC", value)
    assert msg.get_content_type() == "multipart/alternative"
    assert [p.get_content_charset() for p in msg.iter_parts()] == ["utf-8", "utf-8"]
    assert list(msg.keys()) == EXPECTED_HEADERS
    assert_wire_format(out.data)


def test_long_display_names_round_trip() -> None:
    sender = "Văn phòng Ủy ban nhân dân tỉnh Bà Rịa - Vũng Tàu (Sở Nội vụ)"
    person = Recipient(token="t1", email="a@example.vn", full_name="Tôn Nữ Thị Hoàng Phương Thảo Nguyên " * 3)
    out = composer(sender_name=sender).compose(person, "invitation")
    assert raw_phrase(out.data, "From") == sender
    assert raw_phrase(out.data, "To") == clean_text(person.full_name)
    msg = parse(out)
    assert " ".join(msg["From"].addresses[0].display_name.split()) == sender
    assert_wire_format(out.data)


def test_decomposed_roster_text_comes_out_nfc() -> None:
    nfd = Recipient(
        token="t1",
        email="a@example.vn",
        full_name=unicodedata.normalize("NFD", "Phạm Thị Hồng Nhung"),
        agency_name=unicodedata.normalize("NFD", "Ủy ban nhân dân xã Vĩnh Lương"),
    )
    msg = parse(composer().compose(nfd, "invitation"))
    assert msg["To"].addresses[0].display_name == "Phạm Thị Hồng Nhung"
    text, html = bodies(msg)
    assert "Kính gửi ông/bà Phạm Thị Hồng Nhung," in text
    assert "Ủy ban nhân dân xã Vĩnh Lương" in html


def test_leading_combining_marks_are_dropped() -> None:
    person = Recipient(token="t1", email="a@example.vn", full_name="\u0301\u0323 An", agency_name="\u0300")
    msg = parse(composer("en").compose(person, "invitation"))
    text, html = bodies(msg)
    assert text.startswith("Dear An,\n\n")
    assert unicodedata.is_normalized("NFC", text) and unicodedata.is_normalized("NFC", html)


def test_identifiers_verp_and_reply_to() -> None:
    out = composer().compose(PERSON, "reminder-2")
    assert out.envelope_from == "bounces+tokABC123@mail.snv.khanhhoa.gov.vn"
    assert out.message_id == "<md.tokABC123.reminder-2@mail.snv.khanhhoa.gov.vn>"
    assert out.envid == "tokABC123.reminder-2"
    assert out.recipient == PERSON.email
    msg = parse(out)
    assert msg["Message-ID"] == out.message_id
    assert msg["X-Survey-Token"] == "tokABC123"
    assert msg["X-Survey-Campaign"] == "par2026-khanhhoa"
    assert msg["Reply-To"].addresses[0].addr_spec == "reply+tokABC123@mail.snv.khanhhoa.gov.vn"
    assert msg["Date"].datetime == NOW
    assert "Thư nhắc lần 2" in msg["Subject"]
    for absent in ("Auto-Submitted", "Precedence", "List-Unsubscribe", "Bcc"):
        assert absent not in msg


def test_final_and_explicit_reply_to() -> None:
    c = composer(reply_to="Phòng CCHC <cchc@snv.khanhhoa.gov.vn>", bounce_prefix="b", reply_prefix="r")
    out = c.compose(PERSON, "final")
    assert out.message_id == "<md.tokABC123.final@mail.snv.khanhhoa.gov.vn>"
    assert out.envelope_from == "b+tokABC123@mail.snv.khanhhoa.gov.vn"
    reply_to = parse(out)["Reply-To"].addresses[0]
    assert (reply_to.display_name, reply_to.addr_spec) == ("Phòng CCHC", "cchc@snv.khanhhoa.gov.vn")


def test_envid_is_xtext_safe() -> None:
    out = composer().compose(Recipient(token="Ab-_9z", email="a@example.vn"), "reminder-10")
    assert all(33 <= ord(ch) <= 126 and ch not in "+=" for ch in out.envid)
    assert len(out.envid) <= 100


def test_xtext_escapes_plus_equals_and_anything_outside_printable_ascii() -> None:
    assert xtext("ha.ntt@snv.khanhhoa.gov.vn") == "ha.ntt@snv.khanhhoa.gov.vn"
    assert xtext("a+b=c d\x7fé") == "a+2Bb+3Dc+20d+7F+E9"


def test_survey_link_carries_the_token() -> None:
    out = composer().compose(PERSON, "invitation")
    text, html = bodies(parse(out))
    url = "https://khaosat.example.vn/s/tokABC123"
    assert f"    {url}\n" in text
    assert f'href="{url}"' in html
    assert f">{url}</a>" in html  # the raw URL is shown too


@pytest.mark.parametrize("field", ["full_name", "title", "agency_name", "honorific", "email"])
def test_crlf_in_roster_fields_never_makes_a_header(field: str) -> None:
    evil = "x\r\nBcc: victim@example.org\r\n\r\nInjected body\nX-Evil: 1\x0bZ\x85W\u2028V"
    values = {"token": "t1", "email": "a@example.vn", "full_name": "An"}
    values[field] = ("a@example.vn" + evil) if field == "email" else evil
    person = Recipient(**values)
    if field == "email":
        with pytest.raises(InputError):
            composer().compose(person, "invitation")
        return
    out = composer().compose(person, "invitation")
    msg = parse(out)
    assert list(msg.keys()) == EXPECTED_HEADERS
    assert msg.defects == []
    text, _ = bodies(msg)
    assert "\nBcc:" not in text and "\nX-Evil" not in text
    assert_wire_format(out.data)
    if field == "full_name":
        assert msg["To"].addresses[0].display_name == clean_text(evil)
        assert "\n" not in msg["To"].addresses[0].display_name


def test_crlf_in_campaign_texts_never_makes_a_header() -> None:
    out = composer(
        title="Khảo sát\r\nBcc: x@example.org", sender_name="Sở\nX-A: 1", name="par\r\nX-B: 2"
    ).compose(PERSON, "invitation")
    msg = parse(out)
    assert list(msg.keys()) == EXPECTED_HEADERS
    assert msg["Subject"].startswith("Khảo sát Bcc: x@example.org:")


def test_script_in_agency_is_escaped_in_html() -> None:
    person = Recipient(
        token="t1", email="a@example.vn", full_name="<b>An</b>", agency_name="Sở <script>x()</script>"
    )
    text, html = bodies(parse(composer().compose(person, "invitation")))
    assert "<script>" not in html and "<b>An</b>" not in html
    assert "Sở &lt;script&gt;x()&lt;/script&gt;" in html
    assert "Sở <script>x()</script>" in text


def test_long_subject_is_folded_and_round_trips() -> None:
    title = (
        "Khảo sát Chỉ số hài lòng của người dân, tổ chức đối với sự phục vụ của cơ quan hành chính nhà nước "
        * 3
    )
    c = composer(title=title)
    out = c.compose(PERSON, "final")
    msg = parse(out)
    assert (
        msg["Subject"]
        == clean_text(title) + ": Thư nhắc lần cuối - hạn trả lời trước 17 giờ 00 ngày 15/12/2026"
    )
    assert_wire_format(out.data)
    assert out.data.count(b"\r\n =?utf-8?b?") > 5


def test_long_ascii_subject_is_folded() -> None:
    out = composer("en", title="Survey " * 40).compose(PERSON, "invitation")
    msg = parse(out)
    assert msg["Subject"] == ("Survey " * 40).strip() + ": Invitation to take part in the survey"
    assert_wire_format(out.data)


def test_english_message() -> None:
    c = composer("en")
    out = c.compose(PERSON, "reminder-1")
    msg = parse(out)
    assert msg["Subject"] == "Khảo sát Chỉ số CCHC năm 2026: Reminder 1 - please complete the survey"
    assert msg["Content-Language"] == "en"
    text, _ = bodies(msg)
    assert text.startswith("Dear Mr Nguyễn Văn An,\n")
    assert "we have not yet received your answers" in text


def test_idn_recipient_domain_is_punycode() -> None:
    out = composer().compose(Recipient(token="t1", email="an@sởnộivụ.vn", full_name="An"), "invitation")
    assert out.recipient == "an@xn--sniv-6y5a8a8b.vn"
    assert parse(out)["To"].addresses[0].addr_spec == "an@xn--sniv-6y5a8a8b.vn"
    assert_wire_format(out.data)


@pytest.mark.parametrize(
    "address", ["ngườidùng@example.vn", "no-at-sign", '"quoted"@example.vn', "a@b@", "a@-x-.vn"]
)
def test_addresses_that_need_smtputf8_or_are_malformed_are_refused(address: str) -> None:
    with pytest.raises(InputError):
        composer().compose(Recipient(token="t1", email=address), "invitation")


@pytest.mark.parametrize("token", ["", "a b", "a+b", "a=b", "tok\r\nX: y", "x" * 65])
def test_bad_tokens_are_refused(token: str) -> None:
    with pytest.raises(InputError):
        composer().compose(Recipient(token=token, email="a@example.vn"), "invitation")


@pytest.mark.parametrize("kind", ["reminder", "reminder-0", "reminder-x", "bogus", "final-1"])
def test_unknown_kinds_are_refused(kind: str) -> None:
    with pytest.raises(InputError):
        composer().compose(PERSON, kind)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"survey_url": "https://khaosat.example.vn/s/"}, "survey_url has no {token}"),
        ({"sender_address": "Sở Nội vụ"}, "cannot be sent"),
        ({"bounce_domain": "bad domain"}, "not a valid domain"),
        ({"reply_to": "nobody"}, "cannot be sent"),
        ({"bounce_prefix": "bounce s"}, "bounce_prefix"),
        ({"timezone": "Asia/Hanoi_Nowhere"}, "Asia/Hanoi_Nowhere"),
    ],
)
def test_bad_campaign_settings_are_config_errors(change: dict[str, object], message: str) -> None:
    with pytest.raises(ConfigError, match=re.escape(message)):
        composer(**change)


def test_constant_subject_is_reused_across_respondents() -> None:
    c = composer()
    first = parse(c.compose(PERSON, "reminder-1"))["Subject"]
    other = Recipient(token="zz9", email="b@example.vn", full_name="Lê Văn Tám")
    assert parse(c.compose(other, "reminder-1"))["Subject"] == first
    assert parse(c.compose(other, "reminder-2"))["Subject"] != first


def test_encoded_words_never_split_a_character() -> None:
    text = "Ữ" * 200 + "𝔘" * 50
    words = encoded_words(text, 30)
    assert all(len(w) <= 75 for w in words)
    assert len(words[0]) <= 30
    header = unstructured_header("Subject", text)
    msg = email.message_from_bytes(header.encode() + b"\r\n", policy=email.policy.default)
    assert msg["Subject"] == text


@pytest.mark.parametrize("size", [1, 56, 57, 58, 114, 1000, 4567])
def test_base64_body_lines_match_the_standard_library(size: int) -> None:
    data = bytes(range(256)) * (size // 256 + 1)
    assert _base64_lines(data[:size]) == base64.encodebytes(data[:size]).replace(b"\n", b"\r\n")


printable_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",)),
    max_size=120,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=printable_text, agency=printable_text, title=printable_text)
def test_any_roster_text_gives_a_well_formed_message(name: str, agency: str, title: str) -> None:
    person = Recipient(token="t1", email="a@example.vn", full_name=name, title=title, agency_name=agency)
    c = composer()
    out = c.compose(person, "invitation")
    assert_wire_format(out.data)
    msg = parse(out)
    assert list(msg.keys()) == EXPECTED_HEADERS
    to = msg["To"].addresses[0]
    assert to.addr_spec == "a@example.vn"
    assert raw_phrase(out.data, "To") == clean_text(name)
    # policy.default adds a space between encoded words (see raw_phrase); only that may differ
    assert to.display_name.replace(" ", "") == clean_text(name).replace(" ", "")
    text, html = bodies(msg)
    assert text == c.templates.render_part("invitation", "txt", c.context(person, "invitation", 0))
    assert unicodedata.is_normalized("NFC", text) and unicodedata.is_normalized("NFC", html)


def test_one_off_messages_keep_every_space_of_a_long_vietnamese_subject() -> None:
    """The email package's folding loses the space between two RFC 2047 words at a fold (a digest's
    subject read "cảicách"); message_bytes writes Subject/From/To/Reply-To with our own encoders."""
    subject = ("Danh sách cần đôn đốc ngày 10/12/2026: Sở Nội vụ — Khảo sát Chỉ số cải cách hành chính "
               "(PAR Index) năm 2026 — tỉnh Khánh Hòa")  # fmt: skip
    sender = "Văn phòng cải cách hành chính Sở Nội vụ tỉnh Khánh Hòa và các đơn vị trực thuộc"
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject, f"{sender} <noreply@survey.test>", "daumoi@snv.test"
    msg["Reply-To"] = "Cán bộ Sở Nội vụ <cchc@snv.test>"
    msg.set_content("Kính gửi đầu mối,\n")
    data = message_bytes(msg)
    head = data.split(b"\r\n\r\n", 1)[0]
    assert head.isascii() and max(len(line) for line in head.split(b"\r\n")) <= 78
    back = email.message_from_bytes(data, policy=email.policy.default)
    assert back["Subject"] == subject
    raw_from = back.get_all("From", failobj=[])[0]
    assert back["From"].addresses[0].addr_spec == "noreply@survey.test"
    # RFC 2047 6.2: white space between encoded words is not displayed (the email package's address
    # parser keeps it, real mail readers and decode_header do not)
    raw = email.message_from_bytes(data, policy=email.policy.compat32)["From"]
    assert str(make_header(decode_header(raw))) == f"{sender} <noreply@survey.test>" and raw_from
    assert back["Reply-To"].addresses[0].addr_spec == "cchc@snv.test" and back["To"] == "daumoi@snv.test"
    assert back.get_content().replace("\r\n", "\n") == "Kính gửi đầu mối,\n"
    assert len(back.get_all("Subject")) == 1
