"""Focal points on both engines: the roster column stored at import (a conflict imports nothing), set by
hand with its event; and their digests through the real Postfix into the real Dovecot: each focal point
gets only its own agency's and units' people, with actions and the agency's console link, once a day."""

from __future__ import annotations

import email
import email.policy
import unicodedata
from datetime import timedelta
from email.message import EmailMessage
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import Envelope

from maildaemon.cli import usecases as app
from maildaemon.config import SmtpConfig
from maildaemon.errors import InputError, NotFound
from maildaemon.intake.roster import RosterRow
from maildaemon.outbound.mailer import RelayPool
from maildaemon.service.focal_digest import FocalDigestSender
from maildaemon.store import Store
from tests.integration.test_report_render import _step
from tests.support.factories import MONDAY_10, make_campaign
from tests.support.mailstack import MailStack
from tests.support.relay import Collect, free_port

URL = "https://khaosat.snv.khanhhoa.gov.vn"
CADENCE = 'focal_digest_days = ["mon", "thu"]\nfocal_digest_hour = 9\noperators = ["cchc@snv.khanhhoa.test"]'


def row(line: int, who: str, name: str, code: str, agency: str, parent: str = "", parent_name: str = "",
        focal: str = "") -> RosterRow:  # fmt: skip
    return RosterRow(line=line, email=f"{who}@kh.test", full_name=name, title="Chuyên viên", agency_code=code,
                     agency_name=agency, parent_code=parent, parent_name=parent_name, focal_email=focal)  # fmt: skip


def roster(focal_a: str) -> list[RosterRow]:
    return [
        row(2, "ha", "Nguyễn Thị Thu Hà", "SNV", "Sở Nội vụ", focal=focal_a),
        row(3, "duc", "Trần Văn Đức", "SNV-CCHC", "Phòng Cải cách hành chính", "SNV", "Sở Nội vụ"),
        row(4, "dung", "Lê Thị Mỹ Dung", "SNV-CCHC", "Phòng Cải cách hành chính", "SNV", "Sở Nội vụ"),
        row(5, "viet", "Phạm Quốc Việt", "SNV-TCBC", "Phòng Tổ chức biên chế", "SNV", "Sở Nội vụ"),
        row(6, "tu", "Phan Văn Tú", "SNV-TCBC", "Phòng Tổ chức biên chế", "SNV", "Sở Nội vụ"),
        row(7, "anh", "Hoàng Thị Ánh", "STC", "Sở Tài chính"),
        row(8, "khoi", "Võ Minh Khôi", "STC-NS", "Phòng Ngân sách", "STC", "Sở Tài chính"),
        row(9, "loc", "Bùi Văn Lộc", "STP", "Sở Tư pháp"),
    ]


async def prepared(store: Store, focal_a: str, focal_b: str) -> tuple[int, str, dict[str, int]]:
    """A campaign a week in: Sở Nội vụ's focal point from the roster, Sở Tài chính's set by hand, Sở Tư
    pháp without one; a bounce, a completion and an exclusion in Sở Nội vụ."""
    campaign, text = make_campaign(extra=CADENCE)
    cid = await store.create_campaign(campaign, text, MONDAY_10 - timedelta(days=7))
    summary = await store.import_roster(cid, "Tỉnh Khánh Hòa", roster(focal_a), MONDAY_10, "ds.csv")
    assert any(f"agency SNV: focal point - -> {focal_a}" in c for c in summary.changes)
    assert await store.set_focal_email(cid, "STC", focal_b, actor="Lê Thị Lan", now=MONDAY_10) == (None, True)
    everyone = [r.email for r in roster(focal_a)]
    await _step(store, cid, MONDAY_10, {e: {"delivery": "queued"} for e in everyone})
    await _step(store, cid, MONDAY_10, {e: {"delivery": "sent", "invited_at": MONDAY_10} for e in everyone})
    await _step(store, cid, MONDAY_10, {
        "dung@kh.test": {"delivery": "bounced", "reason": "userunknown", "status_code": "5.1.1"},
        "viet@kh.test": {"completion": "completed", "completed_at": MONDAY_10},
        "khoi@kh.test": {"delivery": "bounced", "reason": "mailboxfull", "status_code": "4.2.2"},
    })  # fmt: skip
    await store.set_excluded(cid, "tu@kh.test", exclude=True, reason="Nghỉ hưu", actor="Lê Thị Lan",
                             now=MONDAY_10, not_before=MONDAY_10)  # fmt: skip
    ids = {a.code: a.id for a in await store.agencies(cid)}
    return cid, campaign.name, ids


def body(raw: bytes) -> tuple[EmailMessage, str, str]:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    plain, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert plain is not None and html is not None
    return msg, plain.get_content(), html.get_content()


async def test_focal_points_get_their_own_people_through_postfix(
    store: Store, mailstack: MailStack, mailbox_user: object
) -> None:
    ms = mailstack
    focal_a, focal_b = mailbox_user(prefix="dm-snv"), mailbox_user(prefix="dm-stc")  # type: ignore[operator]
    cid, name, ids = await prepared(store, focal_a, focal_b)
    pool = RelayPool(SmtpConfig(host=ms.host, port=ms.smtp_port, security="starttls", ca_file=str(ms.cafile)))
    try:
        digest = FocalDigestSender(store, pool, public_url=URL, now=lambda: MONDAY_10)
        assert await digest.run_once() == 2  # Sở Tư pháp has no focal point: nothing for it
        assert await digest.run_once() == 0
        restarted = FocalDigestSender(store, pool, public_url=URL, now=lambda: MONDAY_10 + timedelta(hours=5))
        assert await restarted.run_once() == 0  # the event log remembers the day
    finally:
        await pool.close()
    assert await store.focal_digests_sent(cid, MONDAY_10.date()) == {ids["SNV"], ids["STC"]}

    (raw_a,) = await ms.wait_for_messages(focal_a, 1, timeout=60)
    msg, text, html = body(raw_a)
    subject_line = next(ln for ln in raw_a.split(b"\r\n") if ln.startswith(b"Subject:"))
    assert b"=?utf-8?" in subject_line.lower()  # RFC 2047 on the wire, read back intact
    assert msg["Subject"].startswith(
        "Danh sách cần đôn đốc ngày 23/11/2026: Sở Nội vụ — Khảo sát Chỉ số CCHC"
    )
    assert msg["To"] == focal_a and msg["Reply-To"] == "cchc@snv.khanhhoa.test"
    assert unicodedata.is_normalized("NFC", text)
    assert "Lê Thị Mỹ Dung (Chuyên viên), Phòng Cải cách hành chính: dung@kh.test" in text
    assert "Bị trả lại: hộp thư không tồn tại. Việc cần làm: Sửa địa chỉ thư." in text
    for person in ("Nguyễn Thị Thu Hà", "Trần Văn Đức"):  # the agency's own and its unit's, not answered
        assert person in text and person in html
    assert "Đã hoàn thành phiếu: 1/4 người (25,0 %)" in text  # the excluded person counts nowhere
    for absent in ("Phạm Quốc Việt", "Phan Văn Tú", "Hoàng Thị Ánh", "Võ Minh Khôi", "Bùi Văn Lộc"):
        assert absent not in text and absent not in html  # completed, excluded, or another agency's
    assert f"{URL}/c/{name}/a/{ids['SNV']}" in text and f'href="{URL}/c/{name}/a/{ids["SNV"]}"' in html

    (raw_b,) = await ms.wait_for_messages(focal_b, 1, timeout=60)
    _, text_b, _ = body(raw_b)
    assert "Hoàng Thị Ánh" in text_b and "Võ Minh Khôi" in text_b and "Trần Văn Đức" not in text_b
    assert "Việc cần làm: Đề nghị người nhận hoặc bộ phận CNTT dọn hộp thư." in text_b  # a full mailbox


async def test_without_a_public_url_the_digest_says_to_ask_the_operator(store: Store) -> None:
    from maildaemon.reporting.campaign import campaign_report
    from maildaemon.reporting.focal import focal_list, focal_mail
    from maildaemon.service.focal_digest import agency_link

    cid, name, ids = await prepared(store, "dm@snv.kh.test", "dm@stc.kh.test")
    report = await campaign_report(store, name, 0.6, MONDAY_10)
    fl = focal_list(report, "SNV")
    assert fl is not None and agency_link("", name, ids["SNV"]) is None
    mail = focal_mail(fl, title="t", lang="vi", now=MONDAY_10, tz="Asia/Ho_Chi_Minh", link=None,
                      contact="Phòng CCHC, ĐT 0258 3822 000")  # fmt: skip
    assert "đề nghị liên hệ cán bộ phụ trách khảo sát (Phòng CCHC, ĐT 0258 3822 000)" in mail.text
    assert "/c/" not in mail.text


async def test_focal_points_from_a_roster_file_and_by_hand(store: Store, tmp_path: Path) -> None:
    campaign, text = make_campaign(extra=CADENCE)
    cid = await store.create_campaign(campaign, text, MONDAY_10)
    head = "Họ và tên,Email,Cơ quan/đơn vị,Mã đơn vị,Email đầu mối\n"
    path = tmp_path / "ds.csv"
    path.write_text(head + "Hà,ha@snv.kh.test,Sở Nội vụ,SNV,dm1@snv.kh.test\n"
                    "Đức,duc@snv.kh.test,Sở Nội vụ,SNV,dm2@snv.kh.test\n", encoding="utf-8")  # fmt: skip
    with pytest.raises(InputError, match="dm1@snv.kh.test on line 2, dm2@snv.kh.test on line 3"):
        await app.import_roster(store, campaign.name, path, allow_test_domains=True)
    assert (
        await store.agencies(cid) == []
    )  # nothing imported: not even the province line of the same transaction

    path.write_text(head + "Hà,ha@snv.kh.test,Sở Nội vụ,SNV,dm1@snv.kh.test\n"
                    "Đức,duc@snv.kh.test,Sở Nội vụ,SNV,sai địa chỉ\n"
                    "Dung,dung@stc.kh.test,Sở Tài chính,STC,\n", encoding="utf-8")  # fmt: skip
    result = await app.import_roster(store, campaign.name, path, allow_test_domains=True)
    assert result.summary.imported == 2 and [r.line for r in result.rejects] == [3]
    assert "focal point: invalid email address" in result.rejects[0].reason
    focal = {a.code: a.focal_email for a in await store.agencies(cid)}
    assert (focal["SNV"], focal["STC"]) == ("dm1@snv.kh.test", None)

    assert await store.set_focal_email(cid, "SNV", "dm1@snv.kh.test", actor="lan", now=MONDAY_10) == (
        "dm1@snv.kh.test", False,
    )  # fmt: skip
    assert await store.set_focal_email(cid, "SNV", None, actor="Lê Thị Lan", now=MONDAY_10) == (
        "dm1@snv.kh.test", True,
    )  # fmt: skip
    assert [fp.code for fp in await store.focal_points(cid)] == []
    with pytest.raises(NotFound, match="no agency with code 'NOPE'"):
        await store.set_focal_email(cid, "NOPE", "x@kh.test", actor="lan", now=MONDAY_10)
    changes = [e for e in await store.events(campaign_id=cid) if e.field == "agency"]
    assert [(e.new, e.source) for e in changes] == [("focal_set", "import"), ("focal_cleared", "operator")]
    assert changes[-1].detail == "SNV: focal point dm1@snv.kh.test -> - (by Lê Thị Lan)"


class Refusing(Collect):
    """A relay that refuses one focal point at RCPT (the mailer calls that temporary) and another's
    message at DATA (for good), and takes the rest."""

    def __init__(self) -> None:
        super().__init__()
        self.data_for: list[str] = []

    async def handle_RCPT(self, server: object, session: object, envelope: Envelope, address: str,
                          options: list[str]) -> str:  # fmt: skip
        if address.startswith("dm-a@"):
            return "550 5.1.1 no such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: object, session: object, envelope: Envelope) -> str:
        self.data_for += envelope.rcpt_tos
        if any(r.startswith("dm-b@") for r in envelope.rcpt_tos):
            return "554 5.7.1 message refused"
        return await super().handle_DATA(server, session, envelope)


async def test_a_refused_focal_point_does_not_hold_up_the_others(store: Store) -> None:
    handler = Refusing()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    cid, _, ids = await prepared(store, "dm-a@kh.test", "dm-b@kh.test")
    await store.set_focal_email(cid, "STP", "dm-c@kh.test", actor="lan", now=MONDAY_10)
    pool = RelayPool(SmtpConfig(host="127.0.0.1", port=port, security="none"))
    try:
        digest = FocalDigestSender(store, pool, public_url="", now=lambda: MONDAY_10)
        assert await digest.run_once() == 1  # Sở Tư pháp's, whatever happened to the two before it
        # refused for good, at RCPT (5xx) or after DATA: remembered for the day, not tried again
        assert await store.focal_digests_sent(cid, MONDAY_10.date()) == {ids["SNV"], ids["STC"], ids["STP"]}
        states = await store.digests_claimed(cid, "focal", MONDAY_10.date())
        assert states == {ids["SNV"]: "refused", ids["STC"]: "refused", ids["STP"]: "sent"}
        assert await digest.run_once() == 0
    finally:
        await pool.close()
        controller.stop()
    assert [env.rcpt_tos for env in handler.got] == [["dm-c@kh.test"]]
    assert handler.data_for.count("dm-b@kh.test") == 1
