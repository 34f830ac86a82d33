"""Bounces forwarded, quoted or pasted by people (tests/corpus/forwards.py builds them from realmta's real
servers' bounces and delays and the documented replies as plain notices): the verdict is the inner bounce's
kind, failed recipient, reason and hard/soft, never the colleague who forwarded it nor our own address.

Each variant must reach MIN_PCT on each measure. BEFORE (scored before any rule for forwards was written,
main c47f03d; N = 77 realmta + 280 documented = 357 per
variant, reason over the 347 labelled; "as sent" is the same bounces unforwarded, for reference):
    as sent      kind  99.7  recipient 100.0  reason  97.7  hard  98.9
    outlook      kind   0.0  recipient   0.0  reason   0.0  hard   0.0
    gmail        kind   0.0  recipient   0.0  reason   0.0  hard   0.0
    thunderbird  kind  20.2  recipient  20.4  reason  12.1  hard  18.8
    attached     kind  17.1  recipient  17.1  reason  14.7  hard  17.1
    quoted       kind  97.5  recipient  97.8  reason  93.7  hard  95.8
    html         kind  97.8  recipient  19.6  reason  93.9  hard  96.4
    pasted       kind  49.0  recipient  49.0  reason  47.0  hard  47.3
    vietnamese   kind  97.8  recipient  98.3  reason  93.9  hard  96.4
(Reason and hard/soft are judged on the verdict for the labelled recipient, as bench/classify.py does; the
figures above are the same under the first scorer, which judged the first verdict.)
AFTER (forward wrappers taken off in inbound.classify.forwarded, an attached notice classified whole, HTML
read as its lines, a pasted notice read as one; written while looking at these misses, so this set is no
longer held out), on the same 357: outlook, gmail, quoted, html, vietnamese 99.4 / 100.0 / 93.7 / 98.0,
thunderbird 99.7 / 100.0 / 96.3 / 98.9, attached 99.7 / 100.0 / 97.7 / 98.9, pasted 99.4 / 100.0 / 93.9 / 98.0.
html and vietnamese reason went 93.9 -> 93.7: two documented rows (replies-2 line 9, replies-4 line 11) came
out right only while the wrapper hid the inner subject, qmail's "failure notice"; read, they get the reason
the same notice gets as sent (a reason-decision miss, not a forwarding one).
MIN_PCT below are the figures after merging main e671635, whose realmta round 5 and documented replies-6
grew the set to 461 (121 realmta + 340 documented, reason over 446; as sent 99.8 / 100.0 / 95.3 / 98.7):
the new rows' reason misses are the same bounces' misses as sent, plus three forward-only ones. The
forward-only misses left are what the text alone cannot tell: the delivery-status part a client does not
show inline (Postfix's 4.4.1 behind "Connection refused", an MDN's "deleted" disposition).
Realmta round 6 (35 Sendmail 8.17 answers, held out here too) grew the set to 496; MIN_PCT were set again to
the figures after its rules. Forwarded, the new rows first scored outlook kind 98.4 / recipient 99.6 / reason
90.1; the Sendmail warning subject ("Warning: could not send message for past ...") and a transcript's
">>> MAIL" found from the reply's words took that to 99.4 / 99.6 / 90.5. What is left from the new rows:
their 6 label conventions as sent (test_realmta's KNOWN_MISSES: 6 of 30 reasons, so reason falls ~1 point
in every variant), and two Sendmail warnings whose visible text names no recipient (a prog mailer's pipe,
"451 loi-dns.example.vn: Name server timeout": only the delivery-status part a client hides says whom).
Realmta round 8 (26 Courier-MTA answers, held out here too) grew the set to 626. Main's 600 scored outlook
kind 99.5 / recipient 99.7 / reason 92.4 / hard 98.5 (attached reason 95.9); with the Courier rows before their
rules, 91.7 (attached 95.0). A notice read without its delivery-status part is now decided as the failure
it is reported as (action "failed": a transient last reply means the relay gave up), which turned 42
variant rows right and none wrong (Courier's "<<< Network is down", greylisting 450s from Postfix, Haraka
and Courier); MIN_PCT were raised to the figures after. Attached falls 95.9 -> 95.8 only by the Courier
row test_realmta lists in KNOWN_MISSES (qua.tai: 421 too many connections, label expired), its one miss there.
Documented set 8 (60 replies, held out here too) grew the set by 60 rows; the 626 before it score as they did
(the same forward-only misses), and its 8 replies the vocabulary still reads otherwise as sent (86.7% there)
set MIN_PCT again: outlook reason 93.0 -> 92.4, hard 98.6 -> 98.4, attached reason 95.8 -> 95.0.
Realmta round 9 (22 Postfix notices quoting real filter software, then 2 opendkim ones, held out here too)
grew the set to 710 (with set 8's 60). Forwarded, before any rule for them (on the 648 of the time), outlook
kind 99.2 / reason 92.7 (the 22 alone: kind 91.3, reason 82.4; thunderbird reason 64.7): a Postfix delay
notice quoting a 554 greeting read as a bounce, a final notice quoting "SPF Temporary Error" read as a delay,
Vietnamese Diagnostic-Codes re-written as "=?unknown-8bit?" encoded words left unread. After (Postfix's "will
be retried" and "Undelivered Mail Returned to Sender" / "inform you that your message could not be delivered
to" read as what they are; encoded words decoded in a Diagnostic-Code): the 686 earlier rows score at or
above the MIN_PCT above everywhere (kind +0.2, thunderbird reason 93.6 -> 94.2); the new rows' only misses
are their 3 label conventions as sent (test_realmta's KNOWN_MISSES), so reason falls ~0.2-0.3 in every
variant; MIN_PCT were set again to the figures on all 710.
Documented set 9 (60 replies, held out here too) grew the set to 770; the 710 before it score exactly as
they did (at the MIN_PCT then), and its rows forwarded score as they do sent (reason 78.3, 80.0 pasted; kind
96.7: "Temporary failure in MX lookup" and "450 4.5.6 temporary failure in MTA - please retry" read as
delays, hard 98.3: QQ's "550 Mailbox unavailable or access denied"), so MIN_PCT were set again to the figures
on all 770: kind -0.2/-0.3, reason -1.1/-1.3, hard -0.1 or unchanged.
Documented set 10 (55 replies, held out here too) grew the set to 825; the 770 before it score exactly as
they did (at the MIN_PCT then, with set 10's rules), and its rows forwarded score as they do sent (its 12
convention misses), so MIN_PCT were set again to the figures on all 825 only because of the new rows: reason
-0.9 to -1.1, hard -0.6; kind and recipient unchanged.
Realmta round 10 (19 answers from clamav-milter, amavisd-new, Dovecot's quota-status and policyd-rate-limit,
held out here too) grew the set to 844; the 825 before it score at or above the MIN_PCT then in every variant.
The new rows forwarded: their 2 label conventions as sent (test_realmta's KNOWN_MISSES), plus amavisd-new's
own DSN for a banned attachment, read as a plain reply once forwarded inline (outlook, gmail, quoted, html,
pasted, vietnamese: kind, recipient, reason and hard; html one reason more); attached and thunderbird score
them as sent. MIN_PCT were set again to the figures on all 844 only because these rows were added: kind and
recipient -0.1 or unchanged, reason -0.1 to -0.2, hard -0.1 or unchanged.
Documented set 12 (40 replies, held out here too) grew the set to 884; the 844 before it score exactly as they
did, and its rows forwarded score as they do sent (its 9 convention misses, 2 of them hard/soft), so MIN_PCT
were set to the figures on all 884: attached reason 92.2 -> 92.1 only because of the new rows; every other
figure at or above its MIN_PCT then, raised to it.
Documented sets 13 (48 replies from ESPs' bounce pages), 14 (48 from mail server products) and 15 (60 from
Sisimai's phrase tables) and real-MTA round 11 (23 answers from qpsmtpd's plugins via Postfix, chasquid and
nullmailer), held out here too, grew the set to 1,063; the 884 before them score exactly as they did, and the
new rows forwarded score as they do sent (their label-convention misses; Apache James's "Temporary problem
looking up mail server" read as a delay, as the plain notice is), except nullmailer's 5 notices, read onhold
once forwarded inline (outlook, gmail, quoted, html, pasted, vietnamese: the text part names the recipient but
not the reply, which is only in the delivery-status part a client hides), and, pasted, chasquid's unknown-user
notice and qmail's "not enough free space". MIN_PCT were set to the figures on all 1,063 only because these
rows were added: kind -0.1 in thunderbird and attached (the James row), reason -0.3 to -0.6, hard unchanged or
+0.1, recipient unchanged.
Documented set 16 (57 localised notices, 37 of them Vietnamese, held out here too) grew the set to 1,120; the
1,063 before it score exactly as they did (at the MIN_PCT then, with set 16's rules), and its rows forwarded score
as they do sent in every variant (kind and recipient 100%, reason 86.0%, hard 93.0%: its 8 misses), so MIN_PCT
were set to the figures on all 1,120 only because of the new rows: reason -0.1 to -0.3, hard -0.2 or -0.3, kind
+0.1 in thunderbird and attached, recipient unchanged.
Realmta round 11b (24 Postfix notices of Cyrus lmtpd, maildrop, procmail, sqlgrey and policyd-weight, and
fetchmail's own bounce, held out here too) grew the set to 1,145; the 1,120 before it score exactly as they did.
The new rows forwarded: their 2 label conventions as sent (test_realmta's KNOWN_MISSES, one of them hard/soft), and
in the inline variants two more a client's view cannot tell without the delivery-status part (x-unix):
maildrop's "user unknown. Command output: ... Invalid user specified." read as a filter's user-unknown text
(reason and hard), procmail's failed pipe recipe behind Postfix's "can't create user output file" read as that
(systemerror). MIN_PCT were set to the figures on all 1,145 only because these rows were added.
Realmta round 12 (38 TLS, MTA-STS and DNS failures from Exim, OpenSMTPD and Postfix, held out here too) grew
the set to 1,183. Before any rule for them, OpenSMTPD's 8 expiry notices ("Envelope expired" under a "delayed" subject) read
as delays once forwarded inline, and Exim's warnings that quote no reply as no notice at all once pasted; an
expiry said in the text is now final and both notices' words mark a headerless notice, which also turned round
1's OpenSMTPD expiry notice right in every inline variant. MIN_PCT were raised to the figures on all 1,183; the
one new miss left is the Postfix SERVFAIL notice test_realmta lists in KNOWN_MISSES.
Documented set 17 (48 replies for the reasons the jackknife found brittle, held out here too) grew the set to 1,231;
the 1,183 before it score exactly as they did, with set 17's rules too, and its rows forwarded score as they do sent
(97.9%: its one miss, Exchange's "mailbox database thread limit exceeded"), so MIN_PCT were raised to the figures on
all 1,231 only because these rows were added (reason +0.3, hard +0.1 in most variants, pasted kind +0.1).
Documented set 18 (60 localised notices, 30 of them Vietnamese, held out here too) grew the set to 1,293; the
1,233 before it score exactly as they did (every miss the same, with set 18's rules), and its rows forwarded score
as they do sent in every variant (kind, recipient and hard 100%, reason 95.0%: its 3 misses), so MIN_PCT were
raised to the figures on all 1,293: reason +0.2 or +0.3, hard +0.1, pasted kind +0.1, recipient unchanged.
Sets 17 and 18 were written side by side; merged, the rows number 1,341 and MIN_PCT are the figures on all of them
(each set's rules leave the other's rows as they were).
The held-out hard/soft set's rules (a 5xx saying "no such recipient" or that the person "doesn't have a ...
account" is about the address where no command is named) turned the documented Yahoo and DirectAdmin rows right
in every variant: reason +0.2-0.3 and hard +0.2 points; MIN_PCT were raised to those figures.
Merged after sets 17 and 18, MIN_PCT are the figures on all 1,341 rows with all three sets' rules.
Documented set 19 (60 localised notices, 30 of them Vietnamese, held out here too) grew the set to 1,353; its rows
forwarded score as they do sent in every variant (100% with its rules), so MIN_PCT were raised to the figures on all
1,353: reason +0.4 or +0.5, hard +0.1 or +0.2, kind and recipient unchanged.
Merged after sets 17 and 18 and the hard/soft set's rules: 1,401 rows; MIN_PCT are the figures on all of them.
Documented set 20 (54 replies from maddy, mox, OpenDMARC, vSMTP and others, held out here too) grew the set to
1,455; the 1,401 before it score exactly as they did (at the MIN_PCT then, with set 20's rules), and its rows
forwarded score as they do sent (91.7%, hard/soft 94.4%: its 5 misses, 3 of them hard/soft), so MIN_PCT were set
to the figures on all 1,455 only because these rows were added: kind -0.1, hard -0.1 (html -0.2), reason unchanged
but attached -0.1 and pasted +0.1, recipient unchanged.
Realmta round 13 (34 answers from Postfix, Exim and OpenSMTPD for failures no round made, held out here too) grew
the set to 1,376. Its rules only raise the figures (with main's classifier on the same rows, outlook reason was
89.7, attached 91.8), but the new rows add misses once forwarded: their 3 KNOWN_MISSES as sent (Exim's bare
"Unrouteable address" twice, a soft-bounced delay read hard), Exim's alias notice whose first address shown is the
alias's target (recipient), and in the inline variants a Postfix paragraph whose reply's words run onto indented
lines the forwarded text is not joined from (only "said: 554 5.7.1" is read: securityerror, not the
policyviolation or rejected its following lines say), plus local(8)'s "unknown user" for an alias's target read
as filtered. MIN_PCT were set again to the figures on all 1,376 only because these rows were added: recipient
-0.1 or -0.2, reason -0.1 to -0.2 (attached +0.1), hard -0.1. Then the inline paragraph: a line indented deeper
than its entry's carries the entry's reply on, whatever address opens it (heuristics.diagnostic_for), which
turned Postfix's wrapped "Sender address rejected" replies right once forwarded (reason +0.2 or +0.3 in the
inline variants but pasted; every other figure and every notice as sent unchanged, one corpus 2 diagnostic
longer); MIN_PCT were raised to those figures.
Merged with sets 19 and 20, MIN_PCT are the figures on all the rows with every rule.
Documented set 21 (60 localised notices, held out here too) and the concept lexicon (core/replies/lexicon.py)
raised reason in every variant (outlook 90.8 -> 91.0, pasted 90.3 -> 90.6), kind, recipient and hard unchanged;
MIN_PCT were raised to those figures.
Documented set 22 (44 localised notices, held out, no rule written for it) set MIN_PCT to the figures on all
the rows only because its rows were added: the rows before it score exactly at the MIN_PCT above, and its
misses as sent (44.3% there) are its misses forwarded (reason -1.3 to -1.4, hard -0.1 to -0.2, kind +0.1).
Realmta round 14 (46 answers from Postfix, Exim and OpenSMTPD, held out here too) grew the set to 1,639. The
1,594 before it score at or above the MIN_PCT then (its rule for a mailbox write stopped by "File too large"
turned round 1's virtual(8) notice right in the inline variants: reason +0.1). The new rows add misses once
forwarded: their 3 KNOWN_MISSES as sent (reject_plaintext_session's "Session encryption is required" twice, Exim's
retry timeout after "too much mail"), and in every variant but attached OpenSMTPD's 4 notices whose Vietnamese
reply is 8-bit UTF-8 in a text part it declares us-ascii: a client shows it as replacement characters, so only
the bare 5.7.1 is left (securityerror; two of them hard/soft too). Before the round's rules (main's classifier on
all 1,639) reason was outlook 89.3, thunderbird 90.7, attached 91.3, pasted 89.0; its rules add +0.1 to +0.3. MIN_PCT
were set again to the figures on all 1,639 only because these rows were added: reason -0.1 to -0.2, hard -0.1;
recipient +0.1 in the inline variants but html, pasted kind +0.1.
Documented set 23 (50 localised notices, held out here too) lowered the figures when its rows were added, before
any rule for them (outlook reason 88.5, hard 97.1); the lexicon widened for it (new languages, long notices read
sentence by sentence) raised them to outlook reason 90.4, hard 97.5. MIN_PCT are those figures: reason +0.6 to
+0.7 in every variant, hard -0.1 (set 23's misses; the rows before it are unchanged), recipient +0.1 in three.
Merged with round 14 (1,689 rows), MIN_PCT are the figures on all the rows with every rule: reason outlook 90.2,
thunderbird 91.4, attached 92.0, pasted 89.8.
Documented set 24 (30 localised notices, held out, written after this session's rules) grew the set to 1,719 and
its rows score as they do sent; then a filter whose verdict is named spam ("bị bộ lọc đánh giá là thư rác", "bị
chặn bởi bộ lọc spam") read as spam detection, which turned set 24's one miss and two of set 23's right: MIN_PCT
are the figures after (reason +0.2 to +0.3 in every variant, kind +0.1 in thunderbird and attached).
Documented set 25 (79 localised notices in 16 languages, a third of them held out from its own rules) grew the
set to 1,798 and set MIN_PCT to the figures on all the rows only because its rows were added, as set 22 did: the
1,719 rows before it score at or above the MIN_PCT above with its rules (reason +0.0 to +0.1, hard +0.1), and its
misses as sent (70.9% there) are its misses forwarded (reason -0.8 to -0.9, hard -0.2 to -0.3).
Documented set 26 (63 localised notices, held out whole) grew the set to 1,861. The lexicon filled language by
language (from catalogues and dictionaries, not from its rows) first raised the 1,798 before it (outlook reason
89.6 -> 89.9, hard 97.2 -> 97.3); set 26's rows, 77.8% as sent after those rules, then brought reason back to
outlook 89.5, thunderbird 90.5, attached 91.1, pasted 89.4. MIN_PCT are the figures on all 1,861 only because
these rows were added: reason -0.1 or -0.2 in every variant but pasted (+0.1), hard +0.1 in every variant.
Realmta round 15 (48 bounces and delays of its 54 answers, held out here too) grew the set; with main's classifier
they lowered the figures (outlook reason 90.0, pasted kind 99.4, hard 97.1). Its rules (a folded multi-line reply
read without its repeated codes, Dovecot's "was automatically rejected:" as the recipient's filter, the two words
found across a pasted line break, words of a generic 5.7.x read by the lexicon) turned its rows and four older
Sieve rejects right once forwarded; MIN_PCT were raised to the figures after (reason +0.3 to +0.5, attached hard
+0.1). Left: OpenSMTPD's Vietnamese reply in a part declared us-ascii, and Postfix's 2bounce notice whose visible
text is only "unknown user:" (no command: a filter's, by Sisimai's rule).
Merged with sets 25 and 26 (all 1,915 rows): MIN_PCT are the figures of the merge, reason +0.4 to +0.5 over set
26's, hard -0.1 in most variants once round 15's rows join them (its forward-only 2bounce miss above is a hard
one).
Documented set 27 (58 localised notices, a measurement set held out whole, 55.2% as sent before any rule) grew
the set to 1,973; MIN_PCT were set to the figures on all of them only because its rows were added, as expected
for a new measurement set (reason -1.1, hard -0.1 to -0.2; kind and recipient unchanged): the 1,915
before it score as they did, and its misses as sent are its misses forwarded. The concepts written after it was
scored (tuned, see test_documented) raised them again: reason +0.6 to +0.7, hard +0.1; MIN_PCT are those figures.
Documented set 28 (68 Vietnamese notices, tuned on two rows in three after one scoring) brought the bounces to
2,038; MIN_PCT were set to the figures on all of them: reason +0.2 to +0.3 in every variant, kind (and html's
recipient) +0.1 where they round up, thunderbird's hard 97.6 -> 97.5 only because its rows were added (its two
held-out misses are hard/soft ones: Gmail's user-unknown read as filtered, a sender refused at MAIL FROM read as
an unknown user). Without set 28's rows, every variant scores exactly its MIN_PCT before it, with set 28's rules.
Realmta round 16 (38 answers from GNU Mailutils 3.15 and proxsmtp 1.10, held out here too) grew the set to 2,076.
Mailutils' Sieve reject notice names its recipient only in its delivery-status part (its text says "Message was
refused by recipient's mail filtering program", and it has no Subject:), so every inline forward of its 3 notices
loses the recipient, and a pasted one the notice's kind and hard/soft too; OpenSMTPD's Vietnamese proxsmtp text in a
part declared us-ascii (the limitation round 14 names) loses its reason. Measured before merging set 28 (2,006 rows),
the round's rules (see test_realmta) raised reason +0.1 (pasted) to +0.4 (attached) over main's classifier. Without
the round's rows every variant scores exactly the MIN_PCT of set 28 above, with the round's rules; MIN_PCT were set
to the figures on all 2,076 (after the round's rules, and set 28's "người nhận đã cài đặt" no longer read as a size
when the recipient set up a filter, rule or mode) only because these rows were added: recipient -0.1 in the inline
variants (html -0.2), pasted kind -0.2 and hard -0.1; thunderbird and html hard +0.1; reason +0.1 but pasted.
Realmta round 17 (45 answers relaying postfwd, gross and clamsmtp texts, held out here too) grew the set to 2,119.
Without its rows (each bounce forwarded as in the full set) every variant scores exactly the MIN_PCT of round 16
above, with the round's rules. Its rows forwarded keep kind, recipient and hard/soft (100%); their reason misses are
its 4 KNOWN_MISSES as sent (gross's "Bad reputation" three times, postfwd's English "does not comply with the
organisation's e-mail policy"), and in every variant but attached OpenSMTPD's two Vietnamese postfwd and gross texts
in a part declared us-ascii (the limitation rounds 14 and 16 name: only the bare 5.7.1 is left, securityerror):
reason 83.8% inline, 89.2% attached. MIN_PCT were set to the figures on all 2,119 only because these rows were
added: reason -0.1 in every variant but attached; hard +0.1 in outlook, gmail, attached, quoted and vietnamese.
Documented set 29 (75 real notices copied from public pages, 52.0% as sent before any rule, tuned on two rows in three
after that one scoring) brought the bounces to 2,149 (2,194 with round 17); MIN_PCT were set to the figures on all of them only because
its rows were added (reason -0.5 to -0.6, hard -0.3 to -0.4; kind and recipient unchanged), as expected for a set
scoring 74.7% as sent: its misses as sent are its misses forwarded. Without set 29's rows every variant scores
exactly the MIN_PCT above, with set 29's rules; with its rows, main's classifier (5cfe0db) scored reason 0.8 to 0.9
lower in every variant (outlook 88.5, thunderbird 89.5, attached 89.9, pasted 88.3) and hard 0.0 to 0.1 lower.
Merged with round 17 and the lead's rules from held-out misses after their figures (set 28's, auto-reply set 11's,
round 17's English policy words), MIN_PCT are the figures on all 2,194: hard 0.1-0.2 and attached reason 0.2 over
set 29's own, pasted kind 0.1 over; the second catalogue fill of the lexicon (ten languages) raised reason 0.1 in
outlook, gmail, quoted, html and vietnamese.
"""

from __future__ import annotations

from collections.abc import Iterable

import pytest

from maildaemon.inbound.classify import Verdict, classify
from tests.corpus.forwards import VARIANTS, Bounce, sources, variants

pytestmark = pytest.mark.corpus

MEASURES = ("kind", "recipient", "reason", "hard")
# Per variant, per measure: the share (%) that must agree. Raise as the classifier improves; lowered only where
# new held-out rows were added (see the docstring).
MIN_PCT: dict[str, dict[str, float]] = {
    "outlook": {"kind": 99.7, "recipient": 99.7, "reason": 89.5, "hard": 97.0},
    "gmail": {"kind": 99.7, "recipient": 99.7, "reason": 89.5, "hard": 97.0},
    "thunderbird": {"kind": 99.7, "recipient": 100.0, "reason": 90.4, "hard": 97.4},
    "attached": {"kind": 99.7, "recipient": 100.0, "reason": 90.9, "hard": 97.5},
    "quoted": {"kind": 99.7, "recipient": 99.7, "reason": 89.5, "hard": 97.0},
    "html": {"kind": 99.7, "recipient": 99.6, "reason": 89.4, "hard": 97.0},
    "pasted": {"kind": 99.5, "recipient": 99.7, "reason": 89.2, "hard": 96.8},
    "vietnamese": {"kind": 99.7, "recipient": 99.7, "reason": 89.5, "hard": 97.0},
}

BOUNCES = list(sources())


def judge(bounce: Bounce, verdict: Verdict) -> dict[str, bool | None]:
    """Whether each measure agrees; None where the source labels none (a delay's reason). As in
    bench/classify.py, reason and hard/soft are judged on the verdict for the labelled recipient, else on
    the first; "recipient" is whether the first verdict names it."""
    wanted = bounce.recipient.lower()
    named = [{a.lower() for a in (v.recipient, v.original_recipient) if a} for v in verdict.verdicts]
    first = next((v for v, n in zip(verdict.verdicts, named, strict=True) if wanted in n), None)
    if first is None and verdict.verdicts:
        first = verdict.verdicts[0]
    return {
        "kind": verdict.kind == bounce.kind,
        "recipient": bool(named) and wanted in named[0],
        "reason": (first is not None and first.reason == bounce.reason) if bounce.reason else None,
        "hard": first is not None and first.hard == bounce.hard,
    }


def score(pairs: Iterable[tuple[Bounce, bytes]]) -> tuple[dict[str, float], list[str]]:
    """Per measure the share that agrees (%), and the misses named."""
    agree = dict.fromkeys(MEASURES, 0)
    total = dict.fromkeys(MEASURES, 0)
    missed = []
    for bounce, raw in pairs:
        verdict = classify(raw)
        for measure, ok in judge(bounce, verdict).items():
            if ok is None:
                continue
            total[measure] += 1
            agree[measure] += ok
            if not ok:
                missed.append(
                    f"{bounce.name} {measure}: {verdict.kind} {verdict.recipients[:1]} {verdict.reason}"
                )
    return {m: round(100.0 * agree[m] / total[m], 1) if total[m] else 100.0 for m in MEASURES}, missed


def _pairs(name: str) -> list[tuple[Bounce, bytes]]:
    return [(bounce, variants(bounce, i)[name]) for i, bounce in enumerate(BOUNCES)]


@pytest.mark.parametrize("name", VARIANTS)
def test_forwarded_bounces_keep_the_inner_verdict(name: str) -> None:
    figures, missed = score(_pairs(name))
    low = {m: figures[m] for m in MEASURES if figures[m] < MIN_PCT[name][m]}
    assert not low, f"{name}: {figures} below {MIN_PCT[name]}: " + "; ".join(missed[:20])


def test_the_forwarder_is_never_the_recipient() -> None:
    """The colleague who forwarded, and our own (VERP) sender address, are never named as failed."""
    for i, bounce in enumerate(BOUNCES[::7]):
        for name, raw in variants(bounce, i * 7).items():
            for v in classify(raw).verdicts:
                local = v.recipient.lower()
                assert not local.startswith("bounces+"), (bounce.name, name, v)
                assert local not in ("hai.nv@sotttt.example.vn", "helpdesk@ubnd.example.vn",
                                     "mai.tt@sogd.example.vn", "khaosat@khaosat.example.vn"), (bounce.name, name, v)  # fmt: skip


if __name__ == "__main__":  # the figures per variant, and the same bounces as sent (for reference)
    import sys

    show = "--misses" in sys.argv
    figures, as_sent = score((b, b.raw) for b in BOUNCES)
    print(f"{'as sent':12}", "  ".join(f"{m} {figures[m]:5.1f}" for m in MEASURES))
    for name in VARIANTS:
        figures, missed = score(_pairs(name))
        print(f"{name:12}", "  ".join(f"{m} {figures[m]:5.1f}" for m in MEASURES))
        if show:  # the misses the same bounce as sent does not have: what the forward lost
            for line in missed:
                if line.partition(": ")[0] not in {m.partition(": ")[0] for m in as_sent}:
                    print("   MISS", line)
