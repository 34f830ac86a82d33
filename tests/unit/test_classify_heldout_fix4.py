"""Shapes met in held-out round 4 (issue 15): 35 messages from 8 projects' test mail never used here
(nettsite/nettmail-core, findemdev/node-bounce-handler, owen-alderson/outreach-desk, a2luca/mail-tester,
Hai-Elkaim/Email-Cleaner-Assets, mathsgod/mail-bounce-parser, Lars-Hoofs/echoo, choonkeat/deliveryboy), kept out
of the repository (/tmp/work/fix4). Labelled from their tests before the classifier ran, scored once. Before:
whole messages recipient 24/24, reason 13/13, hard 26/28, kind 34/34; with the header block cut off recipient
24/24, reason 11/13, hard 26/28, kind 32/34. The misses: report fields copied into a notice's prose, where an
"Original-Recipient:" line alone made a second, empty verdict for the failed address (read first, so soft); a
Dutch out-of-office ("niet aanwezig") once its headers were cut. Left as they are: an Exchange-style "the
following organization rejected your message" with no reply, which its source calls hard and our convention
(no reason said: onhold) calls soft; a bare "Out of office." (see round 3). The messages here are written for
these tests."""

from __future__ import annotations

from maildaemon.inbound.classify import autoreply, classify
from maildaemon.inbound.classify.dsn import parse_blocks


def test_a_recipient_block_that_only_names_a_reported_address_is_dropped() -> None:
    text = (
        "Original-Recipient: rfc822; linh.pham@example.vn\n"
        "\n"
        "Final-Recipient: rfc822; linh.pham@example.vn\n"
        "Action: failed\n"
        "Status: 5.2.2\n"
        "Diagnostic-Code: smtp; 552 5.2.2 quota exceeded\n"
    )
    _, blocks = parse_blocks(text)
    assert len(blocks) == 1
    assert blocks[0]["status"] == "5.2.2"


def test_a_bare_block_for_another_address_is_kept() -> None:
    text = (
        "X-Actual-Recipient: rfc822; quang.le@example.vn\n"
        "\n"
        "Final-Recipient: rfc822; thu.tran@example.vn\n"
        "Action: failed\n"
        "Status: 5.1.1\n"
    )
    _, blocks = parse_blocks(text)
    assert len(blocks) == 2


def test_report_fields_in_a_notices_prose_give_one_verdict_per_address() -> None:
    raw = (
        b"From: Mail Delivery System <mailer-daemon@relay.example.org>\n"
        b"To: khaosat@example.vn\n"
        b"Subject: Returned mail: see transcript\n"
        b"\n"
        b"We could not deliver your survey to a recipient.\n"
        b"\n"
        b"Original-Subject: Phieu khao sat thang 12\n"
        b"Original-Recipient: linh.pham@example.vn\n"
        b"\n"
        b"The remote server answered with a quota error.\n"
        b"\n"
        b"Final-Recipient: rfc822; linh.pham@example.vn\n"
        b"Action: failed\n"
        b"Status: 5.2.2\n"
        b"Diagnostic-Code: smtp; 552 5.2.2 Mailbox quota exceeded\n"
    )
    verdict = classify(raw)
    assert verdict.kind == "bounce"
    assert [v.recipient for v in verdict.verdicts] == ["linh.pham@example.vn"]
    assert verdict.verdicts[0].reason == "mailboxfull"
    assert verdict.verdicts[0].status == "5.2.2"


def test_a_dutch_absence_with_a_second_sign_is_an_out_of_office() -> None:
    for body in (
        "Wij zijn met vakantie tot en met 14 juli; uw bericht wordt daarna gelezen.\n",
        "Ik ben afwezig t/m vrijdag. Neem voor spoedzaken contact op met het secretariaat.\n",
        "Mevrouw De Vries is buiten kantoor tot 2 juni. Voor dringende vragen kunt u bellen met de receptie.\n",
    ):
        assert autoreply.body_says_auto(body), body
        verdict = classify(body.encode())  # the header block lost
        assert verdict.kind == "autoreply", body
        assert verdict.verdicts[0].reason == "vacation", body


def test_a_dutch_person_mentioning_an_absence_is_no_out_of_office() -> None:
    for body in (
        "Ik was vorige week afwezig, maar hierbij mijn antwoorden op de vragenlijst.\n",
        "Mijn collega is morgen afwezig, dus ik stuur de gegevens vandaag.\n",
    ):
        assert not autoreply.body_says_auto(body), body


def test_a_dutch_automatic_subject_says_automatic() -> None:
    assert autoreply.subject_says_auto("Automatisch antwoord: Vragenlijst december")
    assert autoreply.subject_says_auto("Automatische reactie: Re: Enquête")
    raw = (
        b"From: Joost Bakker <joost@example.nl>\nTo: khaosat@example.vn\n"
        b"Subject: Afwezig: Vragenlijst december\nMessage-ID: <j1@example.nl>\n\n"
        b"Bedankt voor uw bericht.\n"
    )
    assert classify(raw).kind == "autoreply"
