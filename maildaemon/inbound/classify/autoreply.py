"""RFC 3834 automatic replies (out of office, vacation), in English and Vietnamese, and the date the
person says they are back."""

from __future__ import annotations

import html
import re
from datetime import date, timedelta

from maildaemon.inbound.classify.mime import Part

_SUBJECT = re.compile(
    r"out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?(?:reply|response|responder)|autoreply"
    r"|away from (?:the )?office|on vacation|on leave|vacation|abwesenheit|absence|r[ée]ponse automatique"
    r"|respuesta autom[aá]tica|trả lời tự động|vắng mặt|nghỉ phép|tự động trả lời|thư tự động|不在",
    re.I,
)
# Words of an absence, not of a promise: "sẽ trả lời phiếu" / "will return the form" is a person's reply;
# an answer put off is out-of-office only until the writer is back ("sẽ trả lời khi trở lại").
_BACK_VI = r"(?:trở lại|quay lại|quay về|đi làm lại|có mặt|về cơ quan)"
_BODY = re.compile(
    r"out of (?:the )?office|i am (?:currently )?(?:away|out|on (?:vacation|leave|holiday))|i'm (?:currently )?"
    r"(?:away|out of)|on (?:annual )?leave|limited access to (?:my )?e-?mail|will be back"
    r"|will return (?:on|to (?:the )?(?:office|work)|\d|next|tomorrow|\w+day\b"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d)"
    r"|(?:reply|respond) (?:to your (?:e-?mail|message) )?(?:up)?on my return|when i (?:am back|return)"
    r"|trả lời tự động|vắng mặt|nghỉ phép|đi công tác|không có mặt (?:tại|ở) (?:cơ quan|văn phòng)"
    r"|sẽ (?:trả lời|phản hồi|liên hệ lại)[^.\n]{0,40}?(?:khi|sau khi|ngay khi)\s+(?:tôi\s+|em\s+)?"
    + _BACK_VI,
    re.I,
)
_GONE = re.compile(
    r"no longer (?:in use|used|monitored|active|valid|working|with|employed|checked)|is not (?:monitored|in use"
    r"|checked)|(?:address|mailbox|account) (?:is )?(?:closed|deactivated|discontinued)|has left"
    r"|không còn (?:sử dụng|hoạt động|làm việc)|ngừng sử dụng|đã nghỉ việc|đã chuyển công tác",
    re.I,
)


# Challenge-response filters (Boxbe, Bluebottle, SpamArrest, ChoiceMail, Mailinblack and the like) hold mail from an
# unknown sender and ask the sender to prove itself: the mail has not arrived, and no retry delivers it until someone
# answers. The words of the request: be added to a list of allowed senders, prove to be a person, confirm having sent
# it, the mail waitlisted or held until the sender answers.
_ASKS_SENDER = re.compile(
    r"(?:added|add (?:yourself|you|your (?:e-?mail )?address)) to [^.\n]{0,40}(?:allowed|approved|safe|white|trusted"
    r"|guest)[- ]?(?:list|senders)|(?:verify|confirm|prove) (?:that )?you(?:'re| are) (?:a )?(?:human|real person|person"
    r"|not a (?:robot|spammer|machine|bot|computer))|(?:confirm|verify) (?:that )?you (?:sent|are the sender)"
    r"|requires? (?:all |new |unknown )?senders to (?:verify|confirm)|challenge[- /]response|has been waitlisted"
    r"|(?:is|was|has been) (?:being )?held (?:until|pending) [^.\n]{0,40}?(?:confirm|verif|respon|answer)"
    r"|sender verification (?:is )?(?:required|request|needed)"
    r"|xác (?:nhận|minh) (?:rằng )?(?:bạn|quý vị) (?:là người gửi|là người thật|không phải (?:là )?(?:máy|robot))"
    r"|xác nhận địa chỉ (?:của )?người gửi"
)
# A word every branch above has: the regex runs only where one is present (a report's notice is read for it
# on every policy refusal, and a search of all the branches at every position costs far more than a find)
_ASK_CUES = (
    "added",
    "add you",
    "verify",
    "confirm",
    "prove",
    "senders to",
    "challenge",
    "waitlisted",
    "held ",
    "verification",
    "xác",
)
# "Sender not pre-approved": a challenge service's status line, but a server refusing senders outside its list
# says it too, so it counts only in a message no bounce path took
_NOT_APPROVED = re.compile(r"not pre-?approved|pre-?approved senders?")
# The same services' acknowledgement to a sender already allowed: the mail went through
_SENDER_ALLOWED = re.compile(
    r"you(?:'re| are) (?:now |already )?(?:listed |included )?(?:on|in) my [^.\n]{0,30}?(?:guest|allowed|approved|safe"
    r"|white|trusted)[- ]?(?:list|senders)|(?:e-?mail|messages?|mail) from you will (?:now )?(?:go|be delivered) "
    r"(?:right |directly |straight )?to my inbox"
)


def _flat(text: str) -> str:
    return " ".join(text[:4000].lower().split())


def _asks(flat: str) -> bool:
    return any(cue in flat for cue in _ASK_CUES) and _ASKS_SENDER.search(flat) is not None


def challenge_notice(text: str) -> str:
    """What a challenge-response service's notice says: "ask" (the sender must confirm itself: the mail is
    held), "allowed" (the sender is on the recipient's allowed list: the mail went through), or ""."""
    flat = _flat(text)
    if _asks(flat):
        return "ask"
    if "my " in flat and _SENDER_ALLOWED.search(flat):
        return "allowed"
    return ""


def says_challenge(text: str) -> bool:
    """A message from the recipient's side that is a challenge-response request (its words or status line)."""
    flat = _flat(text)
    return _asks(flat) or ("approved" in flat and _NOT_APPROVED.search(flat) is not None)


def header_says_auto(headers: dict[str, list[str]]) -> bool:
    """RFC 3834 and the common vendor headers."""
    auto = " ".join(headers.get("auto-submitted", ())).lower()
    if auto and not auto.startswith("no"):
        return True
    if "x-autoreply" in headers or "x-autorespond" in headers or "x-autoresponder" in headers:
        return True
    precedence = " ".join(headers.get("precedence", ())).lower()
    return "auto_reply" in precedence or "auto-reply" in precedence


def subject_says_auto(subject: str) -> bool:
    return bool(_SUBJECT.search(subject))


def body_says_auto(text: str) -> bool:
    return bool(_BODY.search(text[:4000]))


def says_gone(text: str) -> bool:
    """The auto-reply says the mailbox itself is abandoned: a dead address, not an absence."""
    return bool(_GONE.search(text[:4000]))


def first_text(part: Part) -> str:
    """The first text/plain part (or text/html with tags removed) of a message."""
    html = ""
    for sub in part.walk():
        if sub.ctype == "text/plain" and not sub.children:
            return sub.text()
        if sub.ctype == "text/html" and not html:
            html = strip_html(sub.text())
    return html


_TAGS = re.compile(r"<[^>]*>")
# Tags a browser shows as a line break: where one is used, the source's own line ends are only spaces. Spelt
# out case by case rather than with re.I, which makes the engine compare every branch case-blind.
_HTML_BREAK = re.compile(
    r"<(?:[Bb][Rr]|[Hh][Rr]|/?(?:[Pp]|[Dd][Ii][Vv]|[Tt][Rr]|[Ll][Ii]|[Hh][1-6]|[Bb][Ll][Oo][Cc][Kk][Qq][Uu][Oo][Tt][Ee]"
    r"|[Tt][Aa][Bb][Ll][Ee]|[Pp][Rr][Ee]))\b[^>]*>"
)


def strip_html(text: str) -> str:
    """HTML as the text a reader sees: its lines where the markup breaks them, entities (``&lt;x@y&gt;``)
    as characters, the head (title, style) left out."""
    if "<" in text:
        body = text.find("<body")
        if body < 0:
            body = text.find("<BODY")
        if body > 0:
            text = text[body:]
        if _HTML_BREAK.search(text):
            text = _HTML_BREAK.sub("\n", text.replace("\r", " ").replace("\n", " "))
        text = _TAGS.sub(" ", text)
    if "&" in text:
        text = html.unescape(text).replace("\xa0", " ")
    return text


# ---- return dates -------------------------------------------------------------------------------------

_MONTHS = {
    name: i + 1
    for i, names in enumerate(
        (
            "jan january",
            "feb february",
            "mar march",
            "apr april",
            "may",
            "jun june",
            "jul july",
            "aug august",
            "sep sept september",
            "oct october",
            "nov november",
            "dec december",
        )
    )
    for name in names.split()
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUM = r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}|\d{2}))?"
_VI_WORDS = r"(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s*(?:năm|,)?\s*(\d{4}))?"

# (pattern, language, through): ``through`` means the date is the last day away, so they are back next day.
_RETURN_PATTERNS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    (
        re.compile(r"(?:trở lại|quay lại|đi làm lại|có mặt)[^\d\n]{0,30}?(?:ngày\s*)?" + _NUM, re.I),
        "vi",
        False,
    ),
    (
        re.compile(r"(?:trở lại|quay lại|đi làm lại|có mặt)[^\d\n]{0,30}?(?:ngày\s*)?" + _VI_WORDS, re.I),
        "vi",
        False,
    ),
    (re.compile(r"đến hết(?: ngày)?\s*" + _NUM, re.I), "vi", True),
    (re.compile(r"đến hết(?: ngày)?\s*" + _VI_WORDS, re.I), "vi", True),
    (re.compile(r"(?:đến|tới)(?: ngày)?\s*" + _NUM, re.I), "vi", False),
    (re.compile(r"(?:đến|tới)(?: ngày)?\s*" + _VI_WORDS, re.I), "vi", False),
    (
        re.compile(
            r"(?:back|return(?:ing)?|in the office)\b[^\d\n]{0,25}?(?:on\s+)?(?:\w+day,?\s+)?"
            r"(?:(?P<m1>" + _MONTH_NAMES + r")\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(?P<y1>\d{4}))?"
            r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>" + _MONTH_NAMES + r")\.?(?:,?\s*(?P<y2>\d{4}))?)",
            re.I,
        ),
        "en-name",
        False,
    ),
    (
        re.compile(
            r"(?:until|till|through|thru)\s+(?:\w+day,?\s+)?"
            r"(?:(?P<m1>" + _MONTH_NAMES + r")\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(?P<y1>\d{4}))?"
            r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>" + _MONTH_NAMES + r")\.?(?:,?\s*(?P<y2>\d{4}))?)",
            re.I,
        ),
        "en-name",
        False,
    ),
    (re.compile(r"(?:back|return(?:ing)?|until|till)\b[^\d\n]{0,20}?(?:on\s+)?" + _NUM, re.I), "en", False),
)


def _make(year: int | None, month: int, day: int, sent: date) -> date | None:
    if year is not None and year < 100:
        year += 2000
    try:
        found = date(year or sent.year, month, day)
    except ValueError:
        return None
    if year is None and found < sent - timedelta(days=60):
        found = found.replace(year=found.year + 1)
    return found


def return_date(text: str, sent: date) -> date | None:
    """The first date the person says they are back. Vietnamese is day/month; English numeric dates are
    month/day unless the first number cannot be a month. ``đến hết ngày D`` (through D) means back D+1."""
    text = text[:4000]
    for pattern, lang, through in _RETURN_PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        found: date | None
        if lang == "en-name":
            groups = match.groupdict()
            month_name = (groups["m1"] or groups["m2"] or "").lower()
            day = groups["d1"] or groups["d2"]
            year = groups["y1"] or groups["y2"]
            found = _make(int(year) if year else None, _MONTHS[month_name], int(day), sent)
        else:
            a, b, y = int(match.group(1)), int(match.group(2)), match.group(3)
            day, month = (a, b) if lang == "vi" or a > 12 else (b, a)
            found = _make(int(y) if y else None, month, day, sent)
        if found is not None:
            return found + timedelta(days=1) if through else found
    return None
