"""What an operator's command does to a respondent (issue 16): correct, exclude, restore, resend, as
pure decisions of core.lifecycle; and the roster's update key, read without a database."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from maildaemon.core import corrections, lifecycle
from maildaemon.core.lifecycle import Respondent
from maildaemon.core.model import Completion, Delivery
from maildaemon.errors import InputError
from maildaemon.intake.roster import RosterReader, RosterRow, normalise_address

NOW = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
D, C = Delivery, Completion


def person(delivery: Delivery, completion: Completion = C.PENDING) -> Respondent:
    return Respondent(7, 3, delivery, completion)


def values(decision: corrections.OperatorDecision) -> dict[str, object]:
    assert decision.effect is not None
    return dict(decision.effect.values)


# --- correct ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("delivery", [D.BOUNCED, D.FAILED, D.DEFERRED])
def test_a_correction_queues_again_the_mail_that_did_not_arrive(delivery: Delivery) -> None:
    d = corrections.on_correct(person(delivery), "tai.vm@x.vn", "taivm@x.vn", "lan", "invitation")
    assert d.requeue and d.effect is not None and d.effect.delivery is D.QUEUED
    v = values(d)
    assert v["reason"] is None and v["hard_bounce"] is False and v["transient_count"] == 0
    assert v["invited_at"] is None  # reminders count from the invitation that arrives
    assert "lan" in d.effect.detail and "tai.vm@x.vn -> taivm@x.vn" in d.effect.detail


def test_a_corrected_reminder_keeps_the_invitation_time() -> None:
    d = corrections.on_correct(person(D.BOUNCED), "a@x.vn", "b@x.vn", "lan", "reminder-1")
    assert d.requeue and "invited_at" not in values(d)


@pytest.mark.parametrize("delivery", [D.SENT, D.DELIVERED, D.QUEUED])
def test_mail_that_reached_or_is_on_its_way_is_not_sent_twice(delivery: Delivery) -> None:
    d = corrections.on_correct(person(delivery), "a@x.vn", "b@x.vn", "lan", "invitation")
    assert not d.requeue and d.effect is not None and d.effect.delivery is None
    assert d.effect.note is not None and d.effect.note.new == "corrected"  # still in the history


def test_a_bad_pre_check_or_a_bounce_without_mail_starts_over() -> None:
    for delivery in (D.CHECKED_BAD, D.BOUNCED):
        d = corrections.on_correct(person(delivery), "a@x.vn", "b@x.vn", "lan", None)
        assert not d.requeue and d.effect is not None and d.effect.delivery is D.NEW


# --- the new mailbox's check ------------------------------------------------------------------------

# What `maildaemon check` finds (deliverability.check.check_result) as the correction reads it.
ACCEPTED = lifecycle.CheckResult("ok", "accepted", 250, "2.1.5 Ok")
UNKNOWN_USER = lifecycle.CheckResult(
    "bad", "rejected", 550, "5.1.1 <x@khanhhoa.test>: Recipient address rejected: User unknown", "userunknown"
)
GREYLISTED = lifecycle.CheckResult(None, "try-later", 450, "4.7.1 greylisted, try again later", "greylisted")


@pytest.mark.parametrize(
    ("check", "key", "words"),
    [
        (UNKNOWN_USER, "no_mailbox", "the receiving server says the mailbox does not exist (userunknown: 550 5.1.1"),
        (lifecycle.CheckResult("bad", "no-domain"), "no_domain", "its domain does not exist"),
        (lifecycle.CheckResult("bad", "no-mx"), "no_domain", "receives no mail (no MX and no A record)"),
        (lifecycle.CheckResult("bad", "rejected", 550, "5.1.0 no such host", "hostunknown"), "no_mailbox",
         "(hostunknown: 550 5.1.0 no such host)"),
    ],
)  # fmt: skip
def test_a_mailbox_that_cannot_exist_refuses_the_correction(
    check: lifecycle.CheckResult, key: str, words: str
) -> None:
    refusal = corrections.check_refusal("b@x.vn", check)
    assert refusal is not None and refusal[0] == key
    assert refusal[1].startswith("b@x.vn cannot receive mail: ") and words in refusal[1]
    d = corrections.on_correct(
        person(D.BOUNCED), "a@x.vn", "b@x.vn", "lan", "invitation", corrections.AddressCheck(check)
    )
    assert d.effect is None and not d.requeue and d.refused == refusal[1]


@pytest.mark.parametrize(
    "check",
    [
        GREYLISTED,
        lifecycle.CheckResult(None, "unreachable"),
        lifecycle.CheckResult(None, "rejected", 554, "5.7.1 client host blocked", "blocked"),  # the probe, not the box
        lifecycle.CheckResult(None, "tls-failed", reason="failedstarttls"),
    ],
)  # fmt: skip
def test_an_inconclusive_check_lets_the_correction_through_and_says_so(check: lifecycle.CheckResult) -> None:
    assert corrections.check_refusal("b@x.vn", check) is None
    d = corrections.on_correct(
        person(D.BOUNCED), "a@x.vn", "b@x.vn", "lan", "invitation", corrections.AddressCheck(check)
    )
    assert d.requeue and d.effect is not None
    assert d.effect.detail.endswith(f"; mailbox check inconclusive ({check.outcome}" + (
        f" {check.code} {check.text}): corrected anyway" if check.code else "): corrected anyway"))  # fmt: skip
    assert (
        corrections.on_corrected_check(d, corrections.AddressCheck(check)) is None
    )  # a probe's doubt moves nothing


@pytest.mark.parametrize(
    ("check", "found"),
    [
        (UNKNOWN_USER, "the receiving server says the mailbox does not exist (rejected, userunknown 550 5.1.1 "
         "<x@khanhhoa.test>: Recipient address rejected: User unknown)"),
        (lifecycle.CheckResult("bad", "no-domain"), "its domain does not exist (no-domain)"),
    ],
)  # fmt: skip
def test_correct_anyway_applies_the_correction_and_the_event_says_what_the_check_found(
    check: lifecycle.CheckResult, found: str
) -> None:
    anyway = corrections.AddressCheck(check, record={"address": "b@x.vn"}, anyway=True)
    assert anyway.overridden
    d = corrections.on_correct(person(D.BOUNCED), "a@x.vn", "b@x.vn", "lan", "invitation", anyway)
    assert d.requeue and not d.refused and d.effect is not None and d.effect.delivery is D.QUEUED
    assert d.effect.detail == (
        f"address corrected by lan: a@x.vn -> b@x.vn; mailbox check overridden by the operator: {found}"
    )
    # the operator chose to send to it: the check's verdict does not make the person checked_bad
    fresh = corrections.on_correct(person(D.CHECKED_BAD), "a@x.vn", "b@x.vn", "lan", None, anyway)
    assert fresh.effect is not None and fresh.effect.delivery is D.NEW
    assert corrections.on_corrected_check(fresh, anyway) is None
    # anyway with a check that passes or proves nothing is an ordinary correction
    for plain in (ACCEPTED, GREYLISTED):
        ok = corrections.AddressCheck(plain, anyway=True)
        assert not ok.overridden
        assert corrections.check_note(ok) == corrections.check_note(corrections.AddressCheck(plain))


def test_an_accepted_mailbox_is_the_persons_check_result() -> None:
    check = corrections.AddressCheck(ACCEPTED, record={"address": "b@x.vn", "outcome": "accepted"})
    # nothing was sent: the person starts over and the check makes it checked_ok, as `maildaemon check` would
    d = corrections.on_correct(person(D.CHECKED_BAD), "a@x.vn", "b@x.vn", "lan", None, check)
    assert (
        d.effect is not None
        and d.effect.detail == "address corrected by lan: a@x.vn -> b@x.vn; mailbox check: accepted"
    )
    moved = corrections.on_corrected_check(d, check)
    assert moved is not None and (moved.before.delivery, moved.delivery) == (D.NEW, D.CHECKED_OK)
    # mail queued again is past a pre-check: the state stays queued
    d = corrections.on_correct(person(D.BOUNCED), "a@x.vn", "b@x.vn", "lan", "invitation", check)
    assert d.effect is not None and d.effect.delivery is D.QUEUED
    assert corrections.on_corrected_check(d, check) is None


def test_a_skipped_check_is_named_in_the_event_and_moves_nothing() -> None:
    skipped = corrections.AddressCheck(None, "skipped (--no-check)")
    d = corrections.on_correct(person(D.BOUNCED), "a@x.vn", "b@x.vn", "lan", None, skipped)
    assert d.effect is not None and d.effect.delivery is D.NEW
    assert d.effect.detail.endswith("-> b@x.vn; mailbox check skipped (--no-check)")
    assert corrections.on_corrected_check(d, skipped) is None
    # without a check at all (the roster re-import) the event is as before
    plain = corrections.on_correct(person(D.BOUNCED), "a@x.vn", "b@x.vn", "lan", None)
    assert plain.effect is not None and plain.effect.detail == "address corrected by lan: a@x.vn -> b@x.vn"


# --- exclude / restore ------------------------------------------------------------------------------


def test_exclude_then_restore() -> None:
    d = corrections.on_exclude(person(D.SENT), None, " nghỉ hưu ", "lan", NOW)
    assert values(d) == {"excluded_at": NOW, "excluded_reason": "nghỉ hưu"}
    assert d.effect is not None and d.effect.delivery is None and d.effect.note is not None
    r = corrections.on_restore(person(D.SENT), NOW, "lan")
    assert values(r) == {"excluded_at": None, "excluded_reason": None}


def test_exclusion_refusals() -> None:
    assert corrections.on_exclude(person(D.SENT), NOW, "x", "lan", NOW).refused == "already excluded"
    assert "reason" in corrections.on_exclude(person(D.SENT), None, "  ", "lan", NOW).refused
    assert corrections.on_restore(person(D.SENT), None, "lan").refused == "not excluded"


# --- resend -----------------------------------------------------------------------------------------


def test_resend_after_a_full_mailbox_clears_the_block() -> None:
    d = corrections.on_resend(person(D.BOUNCED), "mailboxfull", False, "lan", "reminder-2")
    assert d.requeue and d.effect is not None and d.effect.delivery is D.QUEUED
    assert values(d)["reason"] is None


@pytest.mark.parametrize(
    ("reason", "hard"), [("userunknown", True), ("hostunknown", False), ("undefined", True)]
)
def test_resend_refuses_a_hard_bounce_and_says_to_correct_it(reason: str, hard: bool) -> None:
    d = corrections.on_resend(person(D.BOUNCED), reason, hard, "lan", "invitation")
    assert d.effect is None and "correct it first" in d.refused


def test_resend_of_a_failed_check_sends_despite_it_and_of_sent_mail_refuses() -> None:
    d = corrections.on_resend(person(D.CHECKED_BAD), "userunknown", False, "lan", None)
    assert values(d) == {"force_send": True} and not d.requeue
    assert (
        "nothing to resend"
        in corrections.on_resend(person(D.DELIVERED), None, False, "lan", "invitation").refused
    )


def test_a_bounce_only_about_a_replaced_address_is_late() -> None:
    former = corrections.former_addresses(corrections.former_addresses(None, "A@x.vn"), "b@x.vn")
    assert former == "a@x.vn\nb@x.vn" and corrections.former_addresses(former, "a@x.vn") == former
    assert corrections.about_former_address("bounce", ["a@x.vn"], "c@x.vn", former)
    assert corrections.about_former_address("delay", ["", "B@x.vn"], "c@x.vn", former)
    assert not corrections.about_former_address("bounce", ["a@x.vn", "c@x.vn"], "c@x.vn", former)
    assert not corrections.about_former_address(
        "bounce", ["z@x.vn"], "c@x.vn", former
    )  # e.g. an alias: counts
    assert not corrections.about_former_address("bounce", [], "c@x.vn", former)
    assert not corrections.about_former_address("reply", ["a@x.vn"], "c@x.vn", former)
    assert not corrections.about_former_address("bounce", ["a@x.vn"], "c@x.vn", None)
    ev = lifecycle.InboundEvidence("bounce", 9, "userunknown", "5.1.1", True)
    effect = corrections.on_former_address(person(D.SENT), ev)
    assert effect.delivery is None and not effect.values and effect.note is not None


def test_resend_reason_names() -> None:
    assert corrections.resend_reasons("policy") >= {"policyviolation", "blocked", "spamdetected"}
    assert corrections.resend_reasons("MailboxFull") == {"mailboxfull"}
    assert corrections.resend_reasons("nonsense") == frozenset()


# --- the roster's update key ------------------------------------------------------------------------


def _csv(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "ds.csv"
    path.write_text("\r\n".join(["Họ và tên,Thư điện tử,Mã cán bộ", *rows]) + "\r\n", encoding="utf-8-sig")
    return path


def test_the_key_column_is_read_case_folded(tmp_path: Path) -> None:
    with RosterReader(_csv(tmp_path, ["Vũ Minh Tài,taivm@snv.gov.vn,CB-001"])) as reader:
        rows = list(reader)
        assert reader.key_column == "Mã cán bộ"
    assert isinstance(rows[0], RosterRow) and rows[0].key == "cb-001"


def test_a_missing_or_repeated_key_names_the_rows(tmp_path: Path) -> None:
    path = _csv(
        tmp_path, ["A,a@snv.gov.vn,CB-1", "B,b@snv.gov.vn,", "C,c@snv.gov.vn,cb-1", "D,d@snv.gov.vn,CB-4"]
    )
    with RosterReader(path) as reader, pytest.raises(InputError) as err:
        list(reader)
    text = str(err.value)
    assert "line(s) 3" in text and "lines 2 and 4" in text and "nothing imported" in text


def test_an_operator_typed_address_is_checked_like_a_roster_cell() -> None:
    assert normalise_address(" TaiVM@SNV.gov.vn ") == "TaiVM@snv.gov.vn"
    with pytest.raises(InputError, match="invalid email address"):
        normalise_address("taivm@@snv")
