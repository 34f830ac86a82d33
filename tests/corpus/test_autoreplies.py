"""Automatic replies as mail software and people write them (tests/corpus/autoreplies/autoreplies.csv: source,
lang, kind, reason, return, subject, body, documented_in), a held-out check of what the classifier makes of
out-of-office mail: whether it says "away" (kind autoreply, reason vacation), when the person is back (the
``return`` column: the date the text names as the end of the absence, the day after where it says the date is
the last day away: "đến hết ngày", "through", "inclusive"), and whether it leaves people's own replies alone.
Rows are Vietnamese agencies' wording with and without diacritics, vacation defaults and examples of Sieve (RFC
5230), Horde, Group-Office, Nextcloud, iRedMail, Gmail and Exchange/Outlook OOF texts, helpdesk acknowledgements
(automatic, but nobody away: reason empty), notices that the address itself is given up (a soft bounce by the
project's convention), and 15 NEGATIVE rows: respondents' own replies that mention being away or a date.

Each row is wrapped as the software that sends it would ("headers": RFC 3834 Auto-Submitted and In-Reply-To for
automatic mail, In-Reply-To alone for a person's reply), with no automatic header and no In-Reply-To at all
("bare": many Vietnamese government servers send only a subject and a body), and, for out-of-office rows, as
Exchange sends them ("exchange": X-Auto-Response-Suppress and Outlook's localised "Automatic reply:" subject).

Scored before any rule was written for it: kind headers 86.2% of 65, bare 52.3% of 65, exchange 97.4% of 38;
return date 60.5% of 38 out-of-office rows (headers), 52.6% (bare); negatives 46.7% of 15 (bare). After its rules
(Vietnamese read with diacritics folded away, so every family covers the unaccented form; words of a person
answering veto the body's absence words; an address said to be given up, and a helpdesk's or portal's receipt,
stand without headers; a receipt is "delivered", not an absence; the date forms "từ D1 đến D2", "đến thứ Hai
D", "đến hết tháng M", "through D", "D inclus", French, Spanish and German dates): 100% on every measure. The rules were written after these rows were
scored, so that figure is on a set they were fitted to.
autoreplies-2.csv (22 rows, 7 negatives) was written after set 1's rules to see how far they reach, scored before
any rule for it: kind headers 95.5%, bare 40.9%, exchange 100%; return 72.7% / 54.5%; negatives bare 14.3% (the
absence words alone decided where no header or subject said automatic). Its rules: where nothing else says
automatic, absence words need a second sign of an out-of-office (a return date, an answer put off until the
writer is back, someone to contact, mail out of reach, "until"), more families (sent to study, travel, parental
leave, an office closed, a receipt "tiếp nhận", an "automated response"), person markers ("hôm qua", "vừa ... về",
"trả lời luôn", a leave still to come); 100% on every measure after. autoreplies-3.csv (16 rows, 5 negatives) was
written after both and is held out, no rule written for it: kind headers 93.8%, bare 56.2%, exchange 100%; return
87.5% / 62.5%; negatives bare 80.0% (bare 62.5% once "hiện tôi ..." stood alone again, as test_classify_person asks
of "Hiện tôi không có mặt tại cơ quan.") -- the honest measure of how far the rules reach unseen text, above all mail
with no automatic header. Set 3's rules came after (a delegation "đoàn công tác", an answer "trả lời chậm",
French, Spanish and German leave words, a date before the return verb "thứ Hai 21/12 chị đi làm lại", "until the
14th", a receipt from an office to "ông/bà" or with a case number, "but wanted to" vetoing): 100% on every
measure, so set 3 is now tuned on too. autoreplies-4.csv (40 rows, 26 Vietnamese, 9 negatives; en, fr, es, de, zh, ja defaults)
was written after that and committed with its floors at 0 before it was scored or any rule was written for it
(held out); scored once after set 3's rules: kind headers 97.5% of 40, bare 75.0% of 40, exchange 89.3% of 28;
return 75.0% / 64.3% of 28; negatives bare 88.9% of 9. Its misses' rules came after (a meeting, training, a
conference, abroad, an office closed a while, leave said of a colleague, "trong thời gian này"; half a day "đến hết
sáng D"; a span "7-9/12"; "trả lời từ ngày D"; a date before "sẽ trả lời"; "bis einschließlich"; Chinese and
Japanese leave words, dates and Outlook subjects; a German or French person sending the answer now): 100% on every
measure, a figure on a set now tuned on. autoreplies-5.csv (56 rows: 32 Vietnamese with agencies' formal wording,
one-stop-shop and helpdesk receipts and given-up mailboxes, return dates as "ngày 15/12", "15-12-2026", "thứ Hai
tuần sau", "sau Tết", "4/1" of next year; 13 in zh, ja, ko, th, id, fr, de, es, ru; 11 negatives in seven
languages) was written and labelled before any rule for it, and scored once (held out): kind headers 92.9% of 56,
bare 58.9% of 56, exchange 73.0% of 37; return 45.9% / 43.2% of 37; negatives bare 100% of 11. By language, bare
kind / return (headers): Vietnamese 66.7% / 70.6%, unaccented 62.5% / 60.0%, Chinese, Japanese and Korean 54.5% /
16.7%, the rest 46.2% / 11.1%. Its misses' rules came after (leave for treatment, recovery or childbirth, a
delegation abroad, "ghi nhận" receipts, a mailbox moved or closed; Korean, Thai, Indonesian and Russian leave,
"automatic" and Outlook subjects, and their dates with the Buddhist era; Chinese, Japanese and Korean "until" and
"back" after a date; "thứ Hai tuần sau", "ngày mai"; a time of day before the date; a range with a dash; a day back
said after an "until"; people naming the questionnaire or sending it later): 100% on every measure, a figure on a
set now tuned on. autoreplies-6.csv (66 rows: 31 Vietnamese, 25 of them accented, with return days said relative to
the mail, "thứ Hai tới", "thứ Sáu tuần này", "đầu tháng sau", "hai tuần nữa", "đến hết tháng này", "ngày 5 tháng 1", and
two given-up addresses; 16 English with "next Monday", "tomorrow", "the end of the week", "in two weeks", "the 15th",
"Monday 14th"; 13 in fr, de, es, it, pt, nl, zh, ja, ko, ru, id, th; 11 negatives) was written and labelled before
any rule for it and scored once (held out): kind headers 100% of 66, bare 78.8% of 66, exchange 92.2% of 51; return
29.4% / 29.4% of 51; negatives bare 90.9% of 11. Days said relative to the mail are read from its Date header (the
wrappers' Mon 7 Dec 2026, 09:00 +0700, taken in Asia/Ho_Chi_Minh): "next Monday" and "thứ Hai tuần sau" are the
Monday of the next week (14 Dec), a bare weekday or "thứ Tư tới" its next coming day, "the end of the week" and
"hết tuần này" mean back the Monday after (14 Dec), "the end of the month" and "hết tháng này" the 1st of the next
month, "đầu tháng sau" the 1st of the next month, "in two weeks" and "hai tuần nữa" fourteen days on. Its misses' rules
came after (relative.py: tomorrow, weekdays with "next" and "this", counts of days and weeks, the end of a week or
month, the start of the next, in every language read, beside a word of coming back or "until"; Italian, Portuguese
and Dutch leave words, dates and Outlook subjects; "out sick", "not checking email"; a delegation of inspectors,
field work, "trở về"; the day back after an "until", "ngày 15/12 tôi sẽ làm việc"; "sẽ đi làm" is no leave to
come; a person's attachment, "voici nos réponses"): 100% on every measure, a figure on a set now tuned on.
autoreplies-7.csv (24 rows: 10 Vietnamese, 8 English, 6 negatives) was a measurement set, written and
labelled before it was scored and before any rule for it, scored once: return days said
relative to the reference Date (Mon 07 Dec 2026: "thứ Sáu tuần này", "tuần sau", "ngày mai", "sau ngày 20/12"
read as 20/12 the last day away, "back on Wed", "the week of Dec 14", "out through Friday", "after the holidays"
with no date; the day back is the day after a last day away, so "through Friday" is Saturday 12/12). Scored once:
kind headers 100.0% of 24, bare 83.3% of 24, exchange 100.0% of 18; return 88.9% / 83.3% of 18 (Vietnamese 100% /
100% of 10, English 75.0% / 62.5% of 8); negatives bare 66.7% of 6. Then general rules, so a figure on a set now
tuned on: English weekdays cut short ("Wed", "Thurs", "Fri"; not "Mon" or "Tue", which folded Vietnamese has as
words), a span "from D to D Month", a person who says they filled in the survey or points to their answers below,
a unit asking for more time ("xin gia hạn"): kind bare 91.7%, return 100% / 94.4%, negatives 100%; left, two
bare notices a person could as well have written ("I'm out tomorrow and back Thursday.", a leave with no date).
autoreplies-8.csv (64 rows: 26 Vietnamese, "đến hết ngày", "đi học tập trung", "thứ Hai tuần tới", "đầu tuần sau",
"sau Tết", "ngày mai"; English weekdays cut short, "back Mon", "returning Tue 15/12", "OOO until Mon.", beside
"chuyên môn" and "Tuệ"; Outlook's localised subjects as public auto-reply filters list them, "Abwesend:", "Absence du
bureau :", "Fuera de la oficina:", "Automatisch antwoord bij afwezigheid:", "自動回覆:", with bodies in fr, de, es,
ja, zh, ko, ru, pt, id, th, nl; 18 people's replies, written on a phone, "Sent from my iPhone", "Gửi từ iPhone của
tôi", or saying they were or will be away) was written and labelled before it was scored and split by position
before any rule: every third row (3, 6, 9, ...) is HOLD, the rest TUNE, as each row's documented_in records. Scored
once: TUNE (43 rows, 16 negatives) kind headers 100.0%, bare 93.0%, exchange 96.3% of 27; return 88.9% / 85.2% of
27; negatives bare 87.5%; HOLD (21 rows, 2 negatives) kind headers 100.0%, bare 85.7%, exchange 100.0% of 19;
return 84.2% / 78.9% of 19; negatives bare 50.0%. Rules from TUNE's misses only (Outlook's German "Automatische
Antwort:", "out today"/"out of town" as an absence, "Mon", "Tue", "Thu" read only after English words of coming
back or "until", German "bis" alone and "Mo.," before a date, "ab"/"vanaf ... bin ich wieder"/"ben ik weer" with the
month named, a person on leave of a named kind in the past, a phone mail app's signature): TUNE 100% on every
measure (tuned on); HOLD after, the honest figure, kind bare 85.7%, return 94.7% / 84.2%, negatives 50.0% of 2
(too few to say much), the rest 100%.
autoreplies-9.csv (55 rows: 26 Vietnamese out-of-office notices, 8 unaccented, of civil servants on a mission, on
leave, at a training course, in a meeting, off sick, on maternity leave, an office closed over the New Year with
someone "trực Tết"; "ngày 15/12", "15-12-2026", "thứ Năm 17/12", "hết tuần này", "sang tuần", "sau ngày 20"; 11
English, 5 in fr, de, es, ja, zh; subjects as software writes them, Sieve's "Auto:", Exchange 2003's "Out of
Office AutoReply:", "Out of Office:", "Autoreply:", vacation(1)'s "away from my mail", iRedMail's sample; 13
people's replies naming an absence, a date, a phone or the survey) is a measurement set, labelled in its own
commit before it was scored and before the classifier's code was read, scored once: kind headers 100.0% of 55,
bare 89.1% of 55, exchange 100.0% of 42; return 69.0% / 66.7% of 42; negatives bare 84.6% of 13. By language,
kind bare / return (headers): Vietnamese 77.8% / 72.2% of 18, unaccented 100% / 62.5% of 8, English 100% / 63.6%
of 11, the rest 100% / 80.0% of 5. Its misses' rules came after (tests/unit/test_autoreply_inspections_and_days_after.py:
an inspection in the field and an office closed for a holiday as absences, mail read only at set times, a person
who has passed the mail on or writes before a leave, "thứ Sáu D" a Friday and not "after D", "sau ngày D" with the
month unsaid and before a day back, a day answered again after an "until", "after the 15th", "until the end of
March", a day back said just after an "until" day, "sang tuần", "I'll get back to you" and "xem xét vào" before a
day): 100% on every measure, a figure on a set now tuned on.
autoreplies-10.csv (63 rows: 28 Vietnamese out-of-office notices of civil servants, 8 unaccented, on a mission,
on leave, at training or a course, in a meeting, off sick, on maternity leave, an office closed for Tết, with "từ
ngày 8/12 đến hết ngày 12/12", "đến 15/12/2026", "thứ Hai tuần sau", "sau Tết", weekdays, whom to contact; 15
English, "Away from my desk until Mon 21st", "Off sick today. Back Thurs.", "returning 2nd Jan", "back on the
14th", "OOO till Wed", US month/day dates; 6 German and French, "Ab Montag bin ich wieder im Büro" with no header;
14 people's replies: the survey answered, back from an absence, a colleague answering for someone) is the first
set whose rows carry their own sent Date (the ``sent`` column; relative days count from it, in the writer's own
offset). Labelled in its own commit before it was scored, split by position (every third row HOLD), scored once:
TUNE (42 rows, 7 negatives) kind headers 100.0%, bare 85.7%, exchange 100.0% of 35; return 94.3% / 82.9% of 35;
negatives bare 71.4%; HOLD (21 rows, 7 negatives) kind headers 100.0%, bare 81.0%, exchange 100.0% of 14; return
100.0% / 78.6% of 14; negatives bare 85.7%. Rules from TUNE's misses only (tests/unit/
test_autoreply_ooo_and_written_day_back.py: "OOO" and "I'm out until" as absences, "Ab Montag bin ich wieder" /
"vanaf ... ben ik weer" as an absence, "thư sẽ được trả lời sau khi tôi về" a notice's promise, people who will
fill the form in, ask for it again or greet the survey's team, a written day back just after an "until" day):
TUNE 100% on every measure (tuned on); HOLD after them unchanged, the honest figure: none of its misses ("Off
sick today. Back Thurs." and "back on the 14th" with no header, "đang học bồi dưỡng", a person's "mai em nghỉ phép
đến hết tuần ... gửi anh luôn") is of a kind the TUNE rows showed. Then, by the lead, rules from those HOLD misses
after the figure above was recorded (tests/unit/test_autoreply_sick_and_events.py: off sick with the subject left
unsaid, away at a conference or a course, "đang học bồi dưỡng", "điền xong phiếu" a person's): HOLD 100% on every
measure, a figure on rows now tuned on; sets 1-9 unchanged.
autoreplies-11.csv (65 rows: 26 Vietnamese, 6 unaccented, of civil servants, teachers, hospital staff and People's
Council delegates: "từ 14/12 đến 18/12", "đến hết tuần", "sau kỳ nghỉ Tết Nguyên đán" with no date, "ngày 2 tháng 1
năm 2027", "đến hết mùng 6 tháng Giêng, mùng 7 đi làm lại", weekdays, a school closed "cho đến khi có thông báo
mới"; 22 English, British and US dates, "back on Monday week", "returning the week of 4 January", "until further
notice", "through Friday, 12/18", "until Tuesday 29th December, inclusive"; 17 in es, it, ja, zh, ko, th, id, ru;
13 people's replies; 3 addresses given up) was adapted from public templates and examples, labelled in its own
commit before it was scored and before the classifier's code was read, split by position (every third row HOLD),
and scored once: HOLD (21 rows, 6 negatives) kind headers 95.2%, bare 85.7%, exchange 100.0% of 14; return 100.0%
/ 85.7% of 14; negatives bare 100.0%; TUNE (44 rows, 7 negatives) kind headers 100.0%, bare 84.1%, exchange 100.0%
of 35; return 77.1% / 65.7% of 35; negatives bare 100.0%. By language, TUNE kind bare, return (headers):
Vietnamese 12/18, 12/15; unaccented 1/2, 2/2; English 14/14, 7/11; the rest 10/10, 6/7 (HOLD: 2/2, -; 3/4, 2/2;
7/8, 6/6; 6/7, 6/6). Rules from TUNE's misses only (tests/unit/test_autoreply_duties_and_tet_days.py: a medical team out in the
districts, a council's sitting, pupils taken to an exam, mail that cannot be read, a school letting its pupils off,
home for Tết as absences; "sẽ được trả lời" a notice's promise; days of the lunar New Year; "Monday week"; "today
and tomorrow"; Italian "compreso"; ", inclusive"; a time of day before the date; "back in on the 21st"): TUNE 100%
on every measure but the return date, 97.1% (its "đến tháng 4/2027" is labelled 1 April, but set 5 labels "đến
tháng 01/2027" no date: no rule, the two labels disagree); HOLD after them unchanged, the honest figure (its misses:
a given-up mailbox "đã bị thu hồi", Japanese "年末年始休業" and "on a half day today" with no header). Then, by the
lead, after that figure was recorded, rules from those misses (tests/unit/test_rules_from_held_out_misses.py: a
government mailbox taken back, a firm's closure "休業", a half day): HOLD 100% (no longer held out); the
relative-day fixes set 11's author reported ("tôi" folded is not "tới") changed no figure of sets 1-11.
MIN_PCT holds each set's figures; raise them as the rules improve, never lower them. A key "name SPLIT" scores
only that split's rows."""

from __future__ import annotations

import csv
from email.header import Header
from pathlib import Path

import pytest

from maildaemon.inbound.classify import classify
from maildaemon.inbound.classify.verdict import Verdict

pytestmark = pytest.mark.corpus

FOLDER = Path(__file__).with_name("autoreplies")
# The measures, and for each set the share of each measure's cases that must come out right
MEASURES = ("kind headers", "kind bare", "kind exchange", "return headers", "return bare", "negatives bare")
MIN_PCT = {
    "autoreplies.csv": dict(zip(MEASURES, (100.0, 100.0, 100.0, 100.0, 100.0, 100.0), strict=True)),
    "autoreplies-2.csv": dict(zip(MEASURES, (100.0, 100.0, 100.0, 100.0, 100.0, 100.0), strict=True)),
    "autoreplies-3.csv": dict(zip(MEASURES, (100.0, 100.0, 100.0, 100.0, 100.0, 100.0), strict=True)),
    # held out until scored once (97.5, 75.0, 89.3, 75.0, 64.3, 88.9); tuned on since (its misses' rules)
    "autoreplies-4.csv": dict(zip(MEASURES, (100.0, 100.0, 100.0, 100.0, 100.0, 100.0), strict=True)),
    # held out until scored once (92.9, 58.9, 73.0, 45.9, 43.2, 100.0); tuned on since (its misses' rules)
    "autoreplies-5.csv": dict(zip(MEASURES, (100.0, 100.0, 100.0, 100.0, 100.0, 100.0), strict=True)),
    # held out until scored once (100.0, 78.8, 92.2, 29.4, 29.4, 90.9); tuned on since (its misses' rules)
    "autoreplies-6.csv": dict(zip(MEASURES, (100.0, 100.0, 100.0, 100.0, 100.0, 100.0), strict=True)),
    # measurement only: scored once, held out, no rule written from it (sets 8 and 9's rules raised its bare kind
    # and return date to these)
    "autoreplies-7.csv": dict(zip(MEASURES, (100.0, 95.8, 100.0, 100.0, 100.0, 100.0), strict=True)),
    # before any rule: TUNE (100.0, 93.0, 96.3, 88.9, 85.2, 87.5), HOLD (100.0, 85.7, 100.0, 84.2, 78.9, 50.0);
    # rules from TUNE's misses only, so TUNE is tuned on and HOLD after them is the honest figure
    "autoreplies-8.csv TUNE": dict(zip(MEASURES, (100.0, 100.0, 100.0, 100.0, 100.0, 100.0), strict=True)),
    # (HOLD's return date 94.7 / 84.2 after them; then a day back named after a last day away, a miss of HOLD's
    # that was seen, "bis einschließlich Freitag ... Ab Montag bin ich wieder", made it 100 / 89.4: tuned there)
    "autoreplies-8.csv HOLD": dict(zip(MEASURES, (100.0, 85.7, 100.0, 100.0, 89.4, 50.0), strict=True)),
    # held out until scored once (100.0, 89.0, 100.0, 69.0, 66.6, 84.6); tuned on since (its misses' rules)
    "autoreplies-9.csv": dict(zip(MEASURES, (100.0, 100.0, 100.0, 100.0, 100.0, 100.0), strict=True)),
    # before any rule: TUNE (100.0, 85.7, 100.0, 94.3, 82.9, 71.4), HOLD (100.0, 81.0, 100.0, 100.0, 78.6, 85.7);
    # rules from TUNE's misses only left HOLD unchanged (the honest figure); rules from HOLD's misses after it
    "autoreplies-10.csv TUNE": dict(zip(MEASURES, (100.0, 100.0, 100.0, 100.0, 100.0, 100.0), strict=True)),
    "autoreplies-10.csv HOLD": dict(zip(MEASURES, (100.0, 100.0, 100.0, 100.0, 100.0, 100.0), strict=True)),
    # before any rule: HOLD (95.2, 85.7, 100.0, 100.0, 85.7, 100.0), TUNE (100.0, 84.1, 100.0, 77.1, 65.7, 100.0);
    # rules from TUNE's misses only, so TUNE is tuned on and HOLD after them is the honest figure (unchanged)
    "autoreplies-11.csv TUNE": dict(zip(MEASURES, (100.0, 100.0, 100.0, 97.1, 97.1, 100.0), strict=True)),
    "autoreplies-11.csv HOLD": dict(zip(MEASURES, (100.0, 100.0, 100.0, 100.0, 100.0, 100.0), strict=True)),
}
OURS = "reply+k7q2m9x4@khaosat.example.vn"
OUR_ID = "<survey.1.k7q2m9x4@khaosat.example.vn>"
# Outlook's subject prefix for an automatic reply, by the row's language
_PREFIX = {
    "vi": "Trả lời tự động:",
    "vi-ascii": "Trả lời tự động:",
    "en": "Automatic reply:",
    "fr": "Réponse automatique :",
    "es": "Respuesta automática:",
    "de": "Automatische Antwort:",
    "zh": "自动答复:",
    "ja": "自動応答:",
    "ko": "자동 회신:",
    "th": "ตอบกลับอัตโนมัติ:",
    "id": "Balasan otomatis:",
    "ru": "Автоматический ответ:",
    "it": "Risposta automatica:",
    "pt": "Resposta automática:",
    "nl": "Automatisch antwoord:",
}


def _read(name: str) -> list[dict[str, str]]:
    with open(FOLDER / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def split_of(position: int) -> str:
    """A row's split by its position in the file (from 1): every third row held out."""
    return "HOLD" if position % 3 == 0 else "TUNE"


def _rows(key: str) -> list[dict[str, str]]:
    """A set's rows, or one split's ("autoreplies-8.csv HOLD")."""
    name, _, split = key.partition(" ")
    rows = _read(name)
    return [row for n, row in enumerate(rows, start=1) if split_of(n) == split] if split else rows


SETS = {key: _rows(key) for key in MIN_PCT}


def _message(row: dict[str, str], subject: str, fields: tuple[str, ...]) -> bytes:
    sender = (
        "support@helpdesk.example.com"
        if row["source"] in _HELPDESKS
        else "nguyen.thi.b@sotnmt.example.gov.vn"
    )
    head = [
        f"From: {sender}",
        f"To: {OURS}",
        f"Subject: {Header(subject, 'utf-8').encode()}",
        f"Date: {row.get('sent') or 'Mon, 07 Dec 2026 09:00:00 +0700'}",
        "Message-ID: <r.1@sotnmt.example.gov.vn>",
        *fields,
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
    ]
    return ("\r\n".join(head) + "\r\n\r\n" + row["body"].replace("\n", "\r\n") + "\r\n").encode("utf-8")


_HELPDESKS = ("zendesk", "osticket", "odoo", "otrs", "freshdesk", "portal-vi")


def with_headers(row: dict[str, str]) -> bytes:
    """As the sending software writes it: RFC 3834 for automatic mail, a mail client's reply for a person."""
    threaded = (f"In-Reply-To: {OUR_ID}", f"References: {OUR_ID}")
    if row["kind"] == "reply":
        return _message(row, row["subject"], threaded)
    return _message(row, row["subject"], ("Auto-Submitted: auto-replied", *threaded))


def bare(row: dict[str, str]) -> bytes:
    """Subject and body only: no automatic header, no In-Reply-To."""
    return _message(row, row["subject"], ())


def exchange(row: dict[str, str]) -> bytes:
    """Exchange's OOF: Outlook's localised subject prefix over our subject, X-Auto-Response-Suppress."""
    return _message(row, f"{_PREFIX[row['lang']]} Khảo sát năm 2026", ("X-Auto-Response-Suppress: All",))


WRAPPINGS = {"headers": with_headers, "bare": bare, "exchange": exchange}


def _wrappings(row: dict[str, str]) -> tuple[str, ...]:
    return ("headers", "bare", "exchange") if row["reason"] == "vacation" else ("headers", "bare")


def _kind_ok(row: dict[str, str], verdict: Verdict) -> bool:
    if verdict.kind != row["kind"]:
        return False
    if row["kind"] != "autoreply":
        return True
    return (verdict.reason == "vacation") == (row["reason"] == "vacation")


def outcomes(rows: list[dict[str, str]]) -> dict[str, list[tuple[str, bool]]]:
    """Each measure's cases: (row id, right or not)."""
    out: dict[str, list[tuple[str, bool]]] = {name: [] for name in MEASURES}
    for number, row in enumerate(rows, start=2):
        what = f"line {number} {row['source']} {row['lang']} {row['kind']}"
        for wrapping in _wrappings(row):
            verdict = classify(WRAPPINGS[wrapping](row))
            out[f"kind {wrapping}"].append((what, _kind_ok(row, verdict)))
            if row["reason"] == "vacation" and wrapping in ("headers", "bare"):
                back = verdict.return_date.isoformat() if verdict.return_date else ""
                out[f"return {wrapping}"].append(
                    (f"{what} {back or '-'} for {row['return'] or '-'}", back == row["return"])
                )
            if row["kind"] == "reply" and wrapping == "bare":
                out["negatives bare"].append((what, verdict.kind == "reply"))
    return out


@pytest.mark.parametrize(
    ("name", "least", "most"),
    [
        ("autoreplies.csv", 50, 70),
        ("autoreplies-2.csv", 20, 40),
        ("autoreplies-3.csv", 15, 40),
        ("autoreplies-4.csv", 30, 40),
        ("autoreplies-5.csv", 45, 60),
        ("autoreplies-6.csv", 55, 70),
        ("autoreplies-7.csv", 20, 30),
        ("autoreplies-8.csv", 60, 70),
        ("autoreplies-9.csv", 50, 60),
        ("autoreplies-10.csv", 55, 70),
        ("autoreplies-11.csv", 55, 70),
    ],
)
def test_the_set_is_written_as_documented(name: str, least: int, most: int) -> None:
    rows = _read(name)
    assert least <= len(rows) <= most
    assert sum(row["kind"] == "reply" for row in rows) >= 5
    for row in rows:
        assert row["kind"] in ("autoreply", "reply", "bounce") and row["body"] and row["documented_in"], row
        assert row["reason"] in ("", "vacation") and (row["reason"] == "vacation") <= (
            row["kind"] == "autoreply"
        )
        assert row["lang"] in _PREFIX, row


@pytest.mark.parametrize("name", ["autoreplies-8.csv", "autoreplies-10.csv", "autoreplies-11.csv"])
def test_the_set_records_the_split_its_position_gives(name: str) -> None:
    rows = _read(name)
    assert [row["documented_in"].rsplit(" ", 1)[-1] for row in rows] == [
        split_of(n) for n in range(1, len(rows) + 1)
    ]


@pytest.mark.parametrize(("name", "measure"), [(name, m) for name, floors in MIN_PCT.items() for m in floors])
def test_autoreplies_read_right_at_least_as_often_as_recorded(name: str, measure: str) -> None:
    cases = outcomes(SETS[name])[measure]
    pct = 100.0 * sum(ok for _, ok in cases) / len(cases)
    missed = [what for what, ok in cases if not ok]
    assert pct >= MIN_PCT[name][measure], (
        f"{name} {measure}: {pct:.1f}% < {MIN_PCT[name][measure]}%: " + "; ".join(missed)
    )


if __name__ == "__main__":  # the figures and the misses, for whoever raises MIN_PCT
    for name, rows in SETS.items():
        for measure, cases in outcomes(rows).items():
            print(f"{name} {measure}: {100.0 * sum(ok for _, ok in cases) / len(cases):.1f}% of {len(cases)}")
            for what, ok in cases:
                if not ok:
                    print("  MISS", what)
