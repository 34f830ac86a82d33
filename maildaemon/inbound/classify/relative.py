"""Return days said relative to the day an out-of-office was sent ("back next Monday", "thứ Hai tới", "下周一",
"in two weeks", "until the end of the month"), resolved against that day: an automatic reply is written once and
sent for weeks, so its own Date header is the only "today" its words can mean.

The words are tables by concept (tomorrow, a weekday, next/this, a count of days or weeks, the end of a week or
a month, the start of the next), written from dictionaries for each language the classifier reads, and a
phrase counts only beside a word of coming back or of "until", so "next week" in a sentence about something
else is not a return day. The text is folded as ``autoreply.fold`` folds it (Latin diacritics off)."""

from __future__ import annotations

import re
from datetime import date, timedelta


def _table(*rows: str) -> dict[str, int]:
    """Words to numbers: each row is one value's words, the first row worth 0 (weekdays from Monday)."""
    return {word: value for value, words in enumerate(rows) for word in words.split("|")}


def _alternation(words: dict[str, int] | tuple[str, ...]) -> str:
    """The words as one regex alternation, longest first so "thursday" is not read as "thu"."""
    return "|".join(re.escape(word) for word in sorted(words, key=len, reverse=True))


# Weekdays from Monday, folded: English, Vietnamese (named and numbered, "thứ 2" is Monday), French, German,
# Spanish, Italian, Portuguese, Dutch, Russian (nominative and accusative), Indonesian, Chinese, Japanese,
# Korean and Thai
_WEEKDAYS = _table(
    "monday|thu hai|thu 2|lundi|montag|lunes|lunedi|segunda-feira|segunda|maandag|понедельник|senin|周一|週一|星期一"
    "|礼拜一|禮拜一|月曜日|月曜|월요일|วันจันทร์",
    "tuesday|thu ba|thu 3|mardi|dienstag|martes|martedi|terca-feira|terca|dinsdag|вторник|selasa|周二|週二|星期二"
    "|礼拜二|禮拜二|火曜日|火曜|화요일|วันอังคาร",
    "wednesday|thu tu|thu 4|mercredi|mittwoch|miercoles|mercoledi|quarta-feira|quarta|woensdag|среда|среду|rabu|周三"
    "|週三|星期三|礼拜三|禮拜三|水曜日|水曜|수요일|วันพุธ",
    "thursday|thu nam|thu 5|jeudi|donnerstag|jueves|giovedi|quinta-feira|quinta|donderdag|четверг|kamis|周四|週四"
    "|星期四|礼拜四|禮拜四|木曜日|木曜|목요일|วันพฤหัสบดี|วันพฤหัส",
    "friday|thu sau|thu 6|vendredi|freitag|viernes|venerdi|sexta-feira|sexta|vrijdag|пятница|пятницу|jumat|周五|週五"
    "|星期五|礼拜五|禮拜五|金曜日|金曜|금요일|วันศุกร์",
    "saturday|thu bay|thu 7|samedi|samstag|sabado|sabato|zaterdag|суббота|субботу|sabtu|周六|週六|星期六|礼拜六|禮拜六"
    "|土曜日|土曜|토요일|วันเสาร์",
    "sunday|chu nhat|dimanche|sonntag|domingo|domenica|zondag|воскресенье|周日|週日|星期日|星期天|礼拜天|禮拜天"
    "|日曜日|日曜|일요일|วันอาทิตย์",
)  # fmt: skip
# English weekdays cut short, read only as whole words ("back on Wed", "until Thurs.")
_ABBREVIATED = {"tues": 1, "wed": 2, "weds": 2, "thur": 3, "thurs": 3, "fri": 4}
# ... and the shortest, which folded Vietnamese has as words of its own ("môn", "Tuệ", "thư"): read only after an
# English word of coming back or "until" ("back Mon", "OOO until Tue."), never after "đến", "tới" or "trở lại"
_SHORTEST = {"mon": 0, "tue": 1, "thu": 3}
_ENGLISH_BEFORE = frozenset(("through", "thru", "back", "return", "returning", "returns", "resume", "resumes",
                             "resuming", "reopen", "reopens", "reopening", "in the office", "until", "till",
                             "available"))  # fmt: skip
# "Next" and "this" before a weekday ("next Monday", "nächsten Montag", "下周一", "来週の月曜日", "다음 주 월요일") or
# after it ("lundi prochain", "thứ Hai tuần sau", "Senin depan", "วันจันทร์หน้า"). Vietnamese "tới" after a weekday
# is the coming one, not next week's, so it is not here.
_NEXT_BEFORE = ("next", "nachsten", "nachste", "kommenden", "proximo", "proxima", "volgende", "следующий",
                "следующую", "следующее", "下", "下个", "下個", "来週の", "来週", "다음 주", "다음주")  # fmt: skip
_THIS_BEFORE = ("this", "diesen", "este", "esta", "questo", "deze", "этот", "эту", "本", "这", "這", "今週の", "今週",
                "이번 주", "이번주")  # fmt: skip
_NEXT_AFTER = (
    "tuan sau",
    "tuan toi",
    "prochain",
    "prochaine",
    "prossimo",
    "que viene",
    "que vem",
    "depan",
    "หน้า",
)
_THIS_AFTER = ("tuan nay", "nay", "cette semaine", "ini")
# British "Monday week": a week after the coming Monday
_WEEK_AFTER = ("week",)
# Counts of days and weeks: digits or number words up to ten
_NUMBERS = _table(
    "zero", "one|a|an|mot|un|une|ein|einen|eine|uno|una|uno|um|uma|een|один|одну|satu|一|한",
    "two|hai|deux|zwei|dos|due|dois|duas|twee|два|две|dua|二|两|兩|두",
    "three|ba|trois|drei|tres|tre|tres|drie|три|tiga|三|세", "four|bon|quatre|vier|cuatro|quattro|quatro|четыре|empat|四|네",
    "five|nam|cinq|funf|cinco|cinque|vijf|пять|lima|五", "six|sau|seis|sei|zes|шесть|enam|六",
    "seven|bay|sept|sieben|siete|sette|sete|zeven|семь|tujuh|七", "eight|tam|huit|acht|ocho|otto|oito|восемь|delapan|八",
    "nine|chin|neuf|neun|nueve|nove|negen|девять|sembilan|九", "ten|muoi|dix|zehn|diez|dieci|dez|tien|десять|sepuluh|十",
)  # fmt: skip
_DAY_UNITS = ("days", "day", "ngay", "jours", "jour", "tagen", "tage", "tag", "dias", "dia", "giorni", "giorno",
              "dagen", "dag", "дней", "дня", "день", "hari", "天", "日", "일", "วัน")  # fmt: skip
_WEEK_UNITS = ("weeks", "week", "tuan", "semaines", "semaine", "wochen", "woche", "semanas", "semana", "settimane",
               "settimana", "weken", "недели", "недель", "неделю", "minggu", "周", "週間", "週", "星期", "个星期",
               "個星期", "주", "สัปดาห์")  # fmt: skip
# A count said forward: "in two weeks", "dans 3 jours", "через две недели", "daqui a", and after it: "hai tuần
# nữa", "dua minggu lagi", "3天后", "2週間後", "2주 후"
_IN_BEFORE = r"(?:in|within|dans|en|dentro de|tra|fra|daqui a|em|over|через|อีก)"
_IN_AFTER = r"(?:nua|lagi|later|后|後|以后|以後|후|뒤)"
# The end of this week or month (back the day after) and the start of the next (back on its first day)
_END_WEEK = (
    r"(?:the )?end of (?:the |this )?week|het tuan(?: nay)?|cuoi tuan(?: nay)?|(?:la )?fin de (?:la |cette )?"
    r"semaine|ende (?:der|dieser) woche|(?:el )?(?:final|fin) de (?:la |esta )?semana|(?:la )?fine (?:della |di "
    r"questa )?settimana|(?:o )?(?:final|fim) da semana|(?:het )?eind(?:e)? van (?:de|deze) week|eind deze week"
    r"|конца недели|akhir (?:minggu|pekan)(?: ini)?|本周末|周末|週末|이번 주말|주말|สิ้นสัปดาห์|สุดสัปดาห์"
)
_END_MONTH = (
    r"(?:the )?end of (?:the |this )?month|het thang(?: nay)?|cuoi thang(?: nay)?|(?:la )?fin du mois"
    r"|ende (?:des|dieses) monats|(?:el )?(?:final|fin) de(?:l)? mes|(?:la )?fine (?:del )?mese|(?:o )?(?:final|fim)"
    r" do mes|(?:het )?eind(?:e)? van de maand|конца месяца|akhir bulan(?: ini)?|月底|月末|本月底|이번 달 말|월말"
    r"|สิ้นเดือน"
)
_NEXT_WEEK = (
    r"(?:the )?(?:start |beginning )?(?:of )?next week|(?:dau )?tuan (?:sau|toi)|sang tuan|(?:le debut de )?la semaine "
    r"prochaine|(?:anfang )?nachste(?:r|n)? woche|(?:la )?(?:proxima semana|semana que viene|semana que vem)"
    r"|(?:la )?(?:prossima settimana|settimana prossima)|volgende week|на следующей неделе|(?:awal )?minggu "
    r"depan|(?:awal )?pekan depan|下周|下週|下星期|来週|다음 주|다음주|สัปดาห์หน้า"
)
_NEXT_MONTH = (
    r"(?:the )?(?:start |beginning )?(?:of )?next month|(?:dau )?thang (?:sau|toi)|(?:le debut du )?mois "
    r"prochain|(?:anfang )?nachste(?:n)? monat(?:s)?|(?:el )?(?:proximo mes|mes que viene|mes que vem)"
    r"|(?:il )?mese prossimo|(?:il )?prossimo mese|volgende maand|в следующем месяце|(?:awal )?bulan depan"
    r"|下个月|下個月|下月|来月|다음 달|เดือนหน้า"
)
_TOMORROW = r"tomorrow|ngay mai|demain|morgen|manana|domani|amanha|завтра|besok|明天|明日|내일|พรุ่งนี้"
_AFTER_TOMORROW = (
    # away today and tomorrow: back the day after ("nghỉ hôm nay và ngày mai", "off today and tomorrow")
    r"(?:hom nay|today|aujourd'hui|heute|hoy|oggi|hoje|vandaag|сегодня|hari ini) (?:va|and|et|und|y|e|en|и|dan)"
    r" (?:ngay mai|tomorrow|demain|morgen|manana|domani|amanha|завтра|besok)"
    r"|(?:the )?day after tomorrow|ngay kia|apres-demain|apres demain|ubermorgen|pasado manana"
    r"|dopodomani|depois de amanha|overmorgen|послезавтра|lusa|后天|後天|明後日|あさって|모레|มะรืน(?:นี้)?"
)

_REL = re.compile(
    r"(?P<dat>" + _AFTER_TOMORROW + r")|(?P<tmr>" + _TOMORROW + r")"
    r"|(?P<eow>" + _END_WEEK + r")|(?P<eom>" + _END_MONTH + r")"
    r"|(?:(?P<pre>" + _alternation(_NEXT_BEFORE + _THIS_BEFORE) + r")\s*)?(?P<wd>" + _alternation(_WEEKDAYS)
    + r"|(?<![a-z])(?:" + _alternation({**_ABBREVIATED, **_SHORTEST}) + r")(?![a-z]))"
    r"(?:\s*(?P<post>" + _alternation(_NEXT_AFTER + _THIS_AFTER + _WEEK_AFTER) + r")\b)?"
    r"|(?P<nw>" + _NEXT_WEEK + r")|(?P<nm>" + _NEXT_MONTH + r")"
    r"|(?:" + _IN_BEFORE + r"\s+(?P<n1>\d{1,2}|" + _alternation(_NUMBERS) + r")\s*(?P<u1>" + _alternation(
        _DAY_UNITS + _WEEK_UNITS) + r"))"
    r"|(?:(?P<n2>\d{1,2}|" + _alternation(_NUMBERS) + r")\s*(?P<u2>" + _alternation(_DAY_UNITS + _WEEK_UNITS)
    + r")\s*" + _IN_AFTER + r")"
)  # fmt: skip
# Coming back or "until", before the day: "back", "returning", "until", "through" (the day named is the last one
# away), "đến (hết)", "de retour", "bis", "hasta", "fino al", "até", "tot (en met)", "до", "hingga", "กลับ"
_THROUGH = re.compile(r"\b(?:through|thru|het|tot en met|t/m)\b")
_BEFORE = re.compile(
    r"\b(?:through|thru|het|tot en met|t/m|(?<=i'll )get back to you|(?<=i\u2019ll )get back to you|(?<=i will )get back to you|back(?! in touch| to you)|a partir d(?:e|el|u)"
    r"|(?:xu ly|tra loi|phan hoi|xem xet)(?: thu)? vao|return(?:ing|s)?|resum(?:e|es|ing)|reopen(?:s|ing)?|in the office"
    r"|until|till|available|den|toi|tro lai|quay lai|quay ve|tro ve|di lam(?: lai)?|co mat|de retour|reviens"
    r"|reviendrai|rentre|rentrerai|reprendrai|jusqu'?(?:a|au)|bis|ab|wieder|zuruck|hasta|vuelvo|volvere|regreso"
    r"|regresare|de vuelta|fino a|fino al|rientro|rientrero|torno|tornero|di ritorno|ate|volto|voltarei"
    r"|regressarei|de volta|tot|terug|до|вернусь|выйду|возвращаюсь|hingga|sampai|kembali)\b|กลับ(?:มา)?(?:ทำงาน)?|ถึง|到|至"
)  # fmt: skip
# ... or after it: "thứ Hai tới sẽ có mặt", "下周一回到办公室", "明日以降、順次ご返信", "다음 주 월요일에 복귀"
_AFTER = re.compile(
    r"\b(?:tro lai|quay lai|quay ve|tro ve|ve lai|ve\b|di lam|co mat|lam viec|xu ly|tra loi|phan hoi|xem thu"
    r"|doc thu)|回到|返回|回来|回來|上班|复工|回复|回覆|戻|出社|出勤|復帰|返信|対応|順次|복귀|출근|돌아|답변|회신|กลับ"
)  # fmt: skip
# "... inclusive" after a weekday: the day named is the last one away
_INCLUSIVE = re.compile(
    r",?\s*(?:inclus(?:e|ive)?|incluido|einschliesslich|включительно|compres[oa]|inclus[oa])\b"
)
# Folded, "tới" (until) and the pronoun "tôi" (I) are one word: "toi" is "until" only right before the day ("nghỉ tới
# thứ Sáu", "tới hết ngày mai"); "tôi nghỉ ngày mai" is the writer off tomorrow, not away until then
_UNTIL_GAPS = frozenset({"", "het", "ngay", "het ngay"})
_SPAN = re.compile(r"\bhet (?:tuan|thang)\b|\b(?:hom nay va ngay mai|today and tomorrow)\b")
# What may stand between the phrase and those words: one clause, no date, no sentence end
_GAP = re.compile(r"[^\d.\n!?;。]*")
_GAP_BEFORE, _GAP_AFTER, _LONGEST = 25, 20, 40


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _first_of_next_month(day: date) -> date:
    return (day.replace(day=1) + timedelta(days=32)).replace(day=1)


def _resolve(match: re.Match[str], sent: date) -> date | None:
    """The day a matched phrase names, counted from ``sent``. "Next Monday" and "thứ Hai tuần sau" are the Monday
    of the next week (Monday-first, ISO 8601); a weekday said alone or "the coming" one is its next day after
    ``sent``; "this Friday" is this week's. The end of a week or month means back the day after it ends."""
    groups = match.groupdict()
    if groups["dat"]:
        return sent + timedelta(days=2)
    if groups["tmr"]:
        return sent + timedelta(days=1)
    if groups["eow"] or groups["nw"]:
        return _monday(sent) + timedelta(days=7)
    if groups["eom"] or groups["nm"]:
        return _first_of_next_month(sent)
    if groups["wd"]:
        weekday = _WEEKDAYS.get(groups["wd"], _ABBREVIATED.get(groups["wd"], _SHORTEST.get(groups["wd"], 0)))
        modifier = groups["pre"] or groups["post"] or ""
        if modifier in _NEXT_BEFORE or modifier in _NEXT_AFTER:
            return _monday(sent) + timedelta(days=7 + weekday)
        if modifier in _WEEK_AFTER:
            return sent + timedelta(days=(weekday - sent.weekday() - 1) % 7 + 8)
        if modifier in _THIS_BEFORE or modifier in _THIS_AFTER:
            found = _monday(sent) + timedelta(days=weekday)
            return found if found >= sent else found + timedelta(days=7)
        return sent + timedelta(days=(weekday - sent.weekday() - 1) % 7 + 1)
    number, unit = groups["n1"] or groups["n2"], groups["u1"] or groups["u2"]
    if number and unit:
        count = int(number) if number.isdigit() else _NUMBERS.get(number, 0)
        if not 0 < count <= 60:
            return None
        return sent + timedelta(days=count * (7 if unit in _WEEK_UNITS else 1))
    return None


def _phrases(folded: str) -> list[tuple[re.Match[str], re.Match[str] | None]]:
    """Each relative phrase that sits beside a word of coming back or "until" (with that word), or before a
    word of coming back or answering (with None), in order. Only the short windows by those words are
    searched: the phrase tables are long, and most of a text is far from any such word."""
    found: dict[int, tuple[re.Match[str], re.Match[str] | None]] = {}
    for word in _BEFORE.finditer(folded):
        match = _REL.search(folded, word.end(), word.end() + _GAP_BEFORE + _LONGEST)
        if (
            match
            and match.start() <= word.end() + _GAP_BEFORE
            and _GAP.fullmatch(folded, word.end(), match.start())
            and not (word.group(0) == "toi" and folded[word.end() : match.start()].strip() not in _UNTIL_GAPS)
        ):
            found.setdefault(match.start(), (match, word))
    for verb in _AFTER.finditer(folded):
        # the phrase nearest the verb is the one it goes with ("nghỉ ngày mai, thứ Năm sẽ đi làm lại": Thursday)
        nearest = None
        for match in _REL.finditer(folded, max(0, verb.start() - _GAP_AFTER - _LONGEST), verb.start()):
            if match.end() >= verb.start() - _GAP_AFTER and _GAP.fullmatch(folded, match.end(), verb.start()):
                nearest = match
        if nearest is not None:
            found.setdefault(nearest.start(), (nearest, None))
    # a span that says its own end, with no other word: "hết tuần (này)", "hết tháng", "hôm nay và ngày mai"
    if "het " in folded or " va " in folded or " and " in folded:
        for word in _SPAN.finditer(folded):
            match = _REL.match(folded, word.start())
            if match is not None and (match.group("eow") or match.group("eom") or match.group("dat")):
                found.setdefault(match.start(), (match, None))
    return [found[start] for start in sorted(found)]


def relative_return(folded: str, sent: date) -> date | None:
    """The first day, said relative to ``sent``, that the writer is back or away until, in folded text. A
    phrase counts only beside a word of coming back or "until" before it, or a word of coming back or answering
    after it; after "through" or "đến hết" a weekday is the last day away, so they are back the next day."""
    for match, before in _phrases(folded):
        if match.group("wd") in _SHORTEST and (before is None or before.group(0) not in _ENGLISH_BEFORE):
            continue
        found = _resolve(match, sent)
        if found is None:
            continue
        through = match.group("wd") and (
            (before is not None and _THROUGH.search(folded, before.start(), match.start()) is not None)
            or _INCLUSIVE.match(folded, match.end()) is not None
        )
        return found + timedelta(days=1) if through else found
    return None
