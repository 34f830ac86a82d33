"""Shapes met in held-out round 3 (issue 15): other projects' test mail never used here, 26 messages from 7
projects (osandum/bounce-parser, hitobito, redmine, tmail_bouncer, rjbs/Email-ARF, CPython's email tests) plus
8 hand-written by two more, kept out of the repository (/tmp/work/fix3). Labelled before the classifier ran and
scored once. Before: whole messages recipient 17/17, reason 5/5 (17/17 on the literal reading), hard 17/17,
kind 26/26; with the header block cut off kind 24/26 and reason 4/5 -- a tracker's "ticket submitted by an
unknown user" read as a bounce, and a German/French absence ("Ich bin bis am Montag, 17. April abwesend",
"Je serai de retour lundi") not read as one. After: 26/26 and 5/5 both ways; whole-message figures unchanged.
Still missed: a hand-written "Out of office." with nothing else once its headers are cut (no rule: two words
are a person's as often). The messages here are written for these tests."""

from __future__ import annotations

from maildaemon.inbound.classify import classify


def test_a_persons_sentence_with_a_bounce_word_is_no_bounce_without_headers() -> None:
    """A pasted text with no header block: "unknown user", "intended recipient", "deferred" alone, with no
    address and no reply code, are a person's words."""
    for text in (
        "Our helpdesk logged a request from an unknown user last night; could you have a look?\n",
        "Please make sure the intended recipient signs the form before Friday.\n",
        "The board meeting was deferred to next month.\n",
    ):
        assert classify(text.encode()).kind != "bounce", text


def test_the_same_words_beside_an_address_or_a_code_are_still_a_notice() -> None:
    verdict = classify(b"Delivery to anh.tuan@example.org was refused: unknown user\n")
    assert verdict.kind == "bounce"
    assert verdict.verdicts[0].recipient == "anh.tuan@example.org"
    assert classify(b"554 5.1.1 unknown recipient\n").kind == "bounce"
    # a firm delivery phrase needs nothing else
    assert classify(b"Your message could not be delivered. Unknown user.\n").kind == "bounce"


def _mail(body: str, subject: str = "Info") -> bytes:
    return (
        f"From: Petra Lang <petra@example.de>\nTo: survey@example.com\nSubject: {subject}\n"
        "Message-ID: <p1@example.de>\nContent-Type: text/plain; charset=utf-8\n\n" + body
    ).encode()


def test_a_german_absence_with_its_span_in_between_is_an_out_of_office() -> None:
    body = "Wir sind vom 3. bis 10. Mai abwesend. In der Zwischenzeit werden E-Mails nicht bearbeitet.\n"
    verdict = classify(_mail(body))
    assert verdict.kind == "autoreply"
    assert verdict.verdicts[0].reason == "vacation"
    # its words alone, the header block lost
    assert classify(body.encode()).kind == "autoreply"


def test_a_french_return_notice_is_an_out_of_office() -> None:
    body = "Bonjour, nous serons de retour le mardi 5 mai. Entre-temps, les messages ne seront pas lus.\n"
    verdict = classify(_mail(body))
    assert verdict.kind == "autoreply"
    assert verdict.verdicts[0].reason == "vacation"


def test_an_absence_a_person_mentions_is_no_out_of_office() -> None:
    """Absence words need a second sign of an automatic answer (whom to ask, mail unread meanwhile, until)."""
    assert classify(_mail("Ich bin heute Nachmittag abwesend, ruf mich morgen an.\n")).kind != "autoreply"
    assert classify(_mail("Je serai de retour demain, on en parle au café.\n")).kind != "autoreply"
