"""RFC 3834 automatic replies (out of office, vacation, a helpdesk's receipt), in English and Vietnamese with
or without diacritics (and French, Spanish, German, Chinese and Japanese leave words), and the date the person
says they are back."""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import date, timedelta

from maildaemon.inbound.classify.mime import Part

_SUBJECT = re.compile(
    r"out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?(?:reply|response|responder)|autoreply"
    r"|away from (?:the )?office|on vacation|on leave|vacation|abwesen(?:heit|d)|absence|r[ée]ponse automatique"
    r"|respuesta autom[aá]tica|trả lời tự động|vắng mặt|nghỉ phép|tự động trả lời|thư tự động|不在"
    r"|自[动動](?:答复|回复|回覆|応答|返信)"
    r"|^\s*auto:",  # RFC 5230 4.5: a Sieve vacation's subject when the script gives none
    re.I,
)
# Vietnamese subjects and bodies are matched on the text with its diacritics folded away (see ``fold``): one
# pattern reads "Trả lời tự động" and the "Tra loi tu dong" that ASCII-only webmail and phones send.
_SUBJECT_VI = re.compile(
    r"(?:tra loi|phan hoi) tu dong|tu dong (?:tra loi|phan hoi)|thu tu dong|vang mat|nghi phep"
)
# Words of an absence, not of a promise: "sẽ trả lời phiếu" / "will return the form" is a person's reply;
# an answer put off is out-of-office only until the writer is back ("sẽ trả lời khi trở lại").
_BODY = re.compile(
    r"out of (?:the )?office|i am (?:currently )?(?:away|out|on (?:vacation|leave|holiday))|i'm (?:currently )?"
    r"(?:away from|on (?:parental|maternity|paternity|sick|medical) leave)|(?:office|offices) (?:is|are|will be) closed"
    r"|i'm (?:currently )?"
    r"(?:away|out of|on (?:vacation|leave|holiday|annual leave))|on (?:annual )?leave|limited access to (?:my )?e-?mail"
    r"|will be back|when i'm back|nicht im b(?:ü|ue)ro"
    r"|will return (?:on|to (?:the )?(?:office|work)|\d|next|tomorrow|\w+day\b"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d)"
    r"|(?:reply|respond) (?:to your (?:e-?mail|message) )?(?:up)?on my return|when i (?:am back|return)",
    re.I,
)
_BACK_VI = r"(?:tro lai|quay lai|quay ve|di lam lai|co mat|ve co quan)"
# The mail said to be automatic, in Vietnamese (folded)
_AUTO_VI = re.compile(
    r"(?:tra loi|phan hoi) tu dong|(?:day la|thu nay la) thu (?:tra loi |phan hoi )?tu dong"
    r"|thu (?:nay )?(?:duoc )?(?:gui|tra loi|phan hoi) tu dong"
)
# An absence in Vietnamese, folded: leave of any kind, a work trip, training, "not at the office", mail hard to
# read while away, an answer put off until the writer is back.
_ABSENT_VI = re.compile(
    r"vang mat|nghi phep|di cong tac"
    r"|(?:toi|em|minh) (?:hien |dang |hien dang )*(?:nghi (?:le|om|tet|che do|thai san|viec rieng|mat)|(?:duoc cu )?di "
    r"(?:nghi|tap huan|hoc|cong tac|du lich)|cong tac|ra ngoai van phong)"
    r"|khong (?:co mat|o) (?:tai |o )?(?:co quan|van phong|don vi)"
    r"|(?:it|khong) co dieu kien (?:kiem tra|doc|tra loi|truy cap) (?:thu|e-?mail|hop thu)"
    r"|(?:han che|khong the|khong) (?:truy cap|kiem tra) (?:duoc )?(?:thu|e-?mail|hop thu)"
    r"|se (?:tra loi|phan hoi|lien he lai)[^.\n]{0,40}?(?:khi|sau khi|ngay khi)\s+(?:toi\s+|em\s+)?"
    + _BACK_VI
)
# A subject that names an absence (not merely an automatic answer)
_AWAY_SUBJECT = re.compile(
    r"out of (?:the )?office|away from|on vacation|on leave|vacation|holiday|abwesen|absen[tc]|不在|vang mat|nghi phep"
)
# A receipt: a helpdesk, ticket system or portal saying it has the message (Zendesk, osTicket, OTRS, Freshdesk,
# Odoo, a provincial portal). The mail arrived and nobody is away. Words firm enough to stand with no header:
_ACK_FIRM = re.compile(
    r"(?:request|ticket|case|enquiry|inquiry)\b[^.\n]{0,40}?(?:has been|have been|was) (?:received|created|opened|logged)"
    r"|ticket (?:request )?(?:has been|was) (?:created|opened)|automatically generated (?:reply|response|message|e-?mail)"
    r"|ticket (?:number|no\.|id)\b|day la thu (?:tra loi |phan hoi )?tu dong"
    r"|(?:he thong|cong thong tin|bo phan)[^.\n]{0,40}?da (?:nhan|tiep nhan) (?:duoc )?(?:thu|e-?mail|yeu cau|phan anh)"
    r"|automated (?:reply|response|message|e-?mail|acknowledg)|da tiep nhan (?:thu|e-?mail|yeu cau|ho so|phan anh)"
)
# ... and words that say the same once a header or subject has said automatic ("do not reply to this email"
# ends notifications of every kind, so it stands only there)
_ACK = re.compile(
    r"(?:we|i) (?:would like to acknowledge that we )?have received your|(?:message|e-?mail) (?:has been|was) received"
    r"|thank you for contacting us|do not reply (?:directly )?to this (?:e-?mail|message)"
    r"|da (?:nhan|tiep nhan) (?:duoc )?(?:thu|e-?mail|yeu cau)"
    r"|(?:vui long|xin|de nghi) (?:dung|khong) (?:tra loi|phan hoi) (?:lai )?(?:thu|e-?mail) nay"
)
# What an out-of-office says beside the absence, and a person's mention of one seldom does: when the writer is
# back or the mail will be read, whom to ask meanwhile, mail hard to reach. Where no header or subject says
# automatic, absence words count only with one of these (or a return date).
_OOO_SIGN = re.compile(
    r"when i (?:am back|return|get back)|when i'm back|(?:up)?on my return|will (?:be back|return)|reopen"
    r"|i(?: will|'ll) (?:reply|respond|get back|answer)|please contact|in my absence|urgent|pressing|limited access"
    r"|out of (?:the )?office (?:on |until |through )?(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|\b(?:until|till|through|thru)\b|access to (?:my )?e-?mail"
    r"|khi (?:toi |em )?"
    + _BACK_VI
    + r"|lien he|viec gap|can gap|khan cap|han che|it co dieu kien|khong (?:the )?"
    r"truy cap|khong (?:mang theo|co) may tinh|se (?:doc|tra loi|phan hoi|xu ly|kiem tra) (?:thu|e-?mail)"
    r"|(?:tra loi|phan hoi) (?:co the )?(?:bi )?cham|cham tre|gian doan|trong thoi gian (?:nay|vang mat|nghi)"
    r"|se xem (?:thu|e-?mail)|返回|回到|回来|上班|出社|戻り|联系|連絡|紧急|緊急|急ぎ|延迟|遅れ|返信"
    r"|urgen(?:ce|cia)|dringend|jusqu'?(?:au|a)\b|hasta el|\bbis (?:zum|einschl)"
)
# An absence stated as the writer's present state ("hiện tôi không có mặt", "I am currently away"): the voice
# of an out-of-office, which needs no second sign
_AWAY_NOW = re.compile(
    r"(?:hien|hien nay|hien gio)\s+(?:toi|em)\s+(?:dang\s+)?(?:khong co mat|khong o|vang mat|di cong tac|nghi \w+)"
    r"|(?:toi|em)\s+hien\s+(?:dang\s+)?(?:khong co mat|khong o|vang mat|di cong tac|nghi \w+)"
    r"|i am currently (?:out|away)|i'm currently (?:out|away)"
)
# A person answering us who mentions an absence: it is past ("I was out", "tuần trước tôi đi công tác", "đi công
# tác về rồi"), someone else's ("trả lời thay", "khi anh ấy trở lại"), or the answer comes anyway ("nhưng vẫn",
# "here are the figures", "sorry for the late reply"). Read only where no header or subject says automatic.
_PERSON = re.compile(
    r"\b(?:i|we) (?:was|were|have been|had been) (?:out|away|on (?:vacation|leave|holiday))"
    r"|sorry for the (?:late|slow|delayed) (?:reply|response|answer)|sorry for the delay"
    r"|\bbut here (?:is|are)\b|here (?:is|are) (?:the|our) (?:answers?|figures|numbers|data)"
    r"|(?:answers?|figures|numbers) (?:are|is) (?:below|attached)"
    r"|\bbut (?:i |we )?(?:wanted|want|thought|needed) to|(?:get|send) (?:this|it|these|them) (?:over )?to you"
    r"|(?:schicke|sende) ich (?:ihnen|dir)|\bje vous (?:renvoie|envoie|transmets|adresse)\b"
    r"|\b(?:le|les) (?:envio|adjunto)\b|\badjunto (?:la|el|los|las)\b"
    r"|遅くなり|遅れて申し訳|先週|昨日|上周|昨天|回复晚|回覆晚"  # "sorry for the late reply", "last week", "yesterday"
)
_PERSON_VI = re.compile(
    r"nhung (?:van|toi|em) |tra loi thay|thay mat|(?:tuan|hom|thang) truoc|hom qua|ve roi|da ve\b"
    r"|vua (?:di )?[^.\n]{0,20}? ve\b|tra loi (?:luon|ngay|nhu sau)|(?:toi|em) se (?:nghi|di|vang)"
    r"|sau khi (?:di )?[^.\n]{0,20}? ve\b|xin loi (?:vi )?(?:da )?(?:cham|muon|tra loi cham)"
    r"|khi (?:anh|chi|ong|ba) (?:ay|ta) "
    + _BACK_VI
    + r"|gui (?:lai )?(?:phieu|so lieu)|(?:phieu|so lieu) (?:da dien|nhu sau)"
)
# Families run only where one of their literal words is in the folded text: a find costs nothing beside a
# search of every branch at every position, and most mail has none of them.
# A work trip as a delegation or a journey ("tham gia đoàn công tác", "chuyến công tác")
_TRIP_VI = re.compile(r"(?:doan|chuyen) cong tac")
# Leave and absence in French, Spanish and German (the languages whose dates ``return_date`` reads), folded
_ABSENT_FOREIGN = re.compile(
    r"\ben conges?\b|\b(?:je suis|nous sommes) (?:actuellement )?(?:absente?s?|en (?:vacances|conges?|deplacement"
    r"|mission|formation))\b|\babsente?s? du bureau|\b(?:estoy|estare|estamos|estaremos) (?:\w+ )?(?:de vacaciones"
    r"|fuera de la oficina|ausentes?)\b|\bfuera de la oficina\b|\bim urlaub\b|\b(?:bin|sind) (?:\w+ )?abwesend\b"
)
# Duties away from the desk, folded: training, a course, a conference, a meeting, abroad, an office closed for
# a while, leave said of someone ("chị Mai đang nghỉ chế độ thai sản")
_DUTY_VI = re.compile(
    r"(?:tham gia|di|du|dang|duoc cu di)\s+(?:(?:lop|khoa|buoi|dot)\s+)?(?:tap huan|boi duong|hoc tap trung|hoi nghi"
    r"|hoi thao)|\b(?:dang|di|du)\s+hop\b|\b(?:di|dang o|cong tac|sang)\s+nuoc ngoai|\btam (?:nghi|ngung (?:lam viec"
    r"|tiep nhan))\b|\bdang nghi (?:phep|om|le|tet|che do|thai san|viec rieng|dieu tri)"
)
# Chinese and Japanese: leave, a business trip, not in the office
_ABSENT_CJK = re.compile(r"休假|休暇|出差|出張|不在|请假|請假|外出|年假|病假|产假|産休|育休")
_ABSENT_GATED = (
    (("doan cong tac", "chuyen cong tac"), _TRIP_VI),
    (("tap huan", "boi duong", "hoc tap trung", "hoi nghi", "hoi thao", "dang hop", "di hop", "du hop", "nuoc ngoai",
      "tam nghi", "tam ngung", "dang nghi "), _DUTY_VI),
    (("休", "出", "不在", "假", "外", "産", "育"), _ABSENT_CJK),
    (("conge", "absent", "vacances", "deplacement", "vacacion", "oficina", "ausente", "urlaub", "abwesend"),
     _ABSENT_FOREIGN),
)  # fmt: skip
# A receipt in more words: a case number, "we've got your message", an office or centre that has received the
# mail of "ông/bà" or "quý vị" (how an institution addresses the public, never how a respondent writes to us)
_ACK_MORE = re.compile(
    r"\bcase (?:number|no\.|id|#)|\bwe(?:'ve| have) got your (?:message|e-?mail|request|enquiry|inquiry)"
    r"|(?:trung tam|van phong)[^.\n]{0,60}?da (?:nhan|tiep nhan) (?:duoc )?(?:thu|e-?mail|yeu cau|phan anh)"
    r"|da (?:nhan|tiep nhan) (?:duoc )?(?:thu|e-?mail|yeu cau|phan anh|ho so|van ban)(?: dien tu)? cua "
    r"(?:ong\s*/\s*ba|ong \(ba\)|quy vi|quy khach|quy co quan|quy ong ba)"
)
_ACK_MORE_CUES = ("case", "got your", "da nhan", "da tiep nhan")
# ... and receipt words that stand once a header or subject has said automatic
_ACK_SOFT = re.compile(
    r"\bwe(?:'ve| have) got it\b|someone (?:from our (?:\w+ )?team )?will (?:reply|respond|get back|be in touch)"
    r"|within (?:one|two|three|\d+) (?:business|working) days?"
)


def _absent_more(folded: str) -> bool:
    """An absence in a gated family (see ``_ABSENT_GATED``)."""
    return any(any(cue in folded for cue in cues) and rx.search(folded) for cues, rx in _ABSENT_GATED)


def _ack_more(folded: str) -> bool:
    """A receipt in words firm enough to stand with no header (``_ACK_MORE``)."""
    return any(cue in folded for cue in _ACK_MORE_CUES) and _ACK_MORE.search(folded) is not None


_GONE = re.compile(
    r"no longer (?:in use|used|monitored|active|valid|working|with|employed|checked)|is not (?:monitored|in use"
    r"|checked)|(?:address|mailbox|account) (?:is )?(?:closed|deactivated|discontinued)|ha(?:s|ve) left",
    re.I,
)
_GONE_VI = re.compile(
    r"khong con (?:su dung|hoat dong|lam viec)|ngung (?:su dung|hoat dong)|da nghi (?:viec|huu)|da chuyen cong tac"
)
# The same said of the address itself, firmly enough to stand with no header or subject saying automatic
_GONE_ALONE = re.compile(
    r"(?:mailbox|address|account|inbox)[^.\n]{0,30}?(?:no longer (?:in use|used|monitored|active|checked)"
    r"|is not (?:monitored|checked))|\b(?:i|we) ha(?:ve|d) left (?:the|this|our) (?:company|organi[sz]ation|firm)"
)
_GONE_ALONE_VI = re.compile(
    r"(?:hop thu|dia chi|e-?mail|tai khoan)[^.\n]{0,30}?(?:khong con (?:su dung|hoat dong)|ngung (?:su dung|hoat dong))"
    r"|(?:toi|em) da (?:nghi viec|nghi huu|chuyen cong tac)"
)

# Vietnamese letters folded to ASCII: the combining marks NFD leaves, and đ, which has none
_FOLD = {ord("đ"): "d", ord("Đ"): "D"}


def fold(text: str) -> str:
    """Lower-case text with diacritics removed, so one pattern reads accented and unaccented Vietnamese."""
    if text.isascii():
        return text.lower()
    return "".join(
        c for c in unicodedata.normalize("NFD", text.translate(_FOLD)) if not unicodedata.combining(c)
    ).lower()


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
    return bool(_SUBJECT.search(subject) or _SUBJECT_VI.search(fold(subject)))


def body_says_auto(text: str) -> bool:
    """The body's own words say an automatic answer (they stand alone) or an absence with a second sign of an
    out-of-office beside it, and nothing says a person is answering."""
    head = text[:4000]
    folded = fold(head)
    if not (
        _AUTO_VI.search(folded) or _ACK_FIRM.search(folded) or _AWAY_NOW.search(folded) or _ack_more(folded)
    ):
        if not (_BODY.search(head) or _ABSENT_VI.search(folded) or _absent_more(folded)):
            return False
        if not (_OOO_SIGN.search(folded) or return_date(head, _ANY_DAY) is not None):
            return False
    return not (_PERSON.search(folded) or _PERSON_VI.search(folded))


# Any day: ``body_says_auto`` asks only whether a return date is given
_ANY_DAY = date(2026, 1, 1)


def says_away(subject: str, body: str) -> bool:
    """An automatic answer that names an absence (out of office, leave, a trip), not only a receipt."""
    head = body[:4000]
    folded = fold(head)
    return bool(_AWAY_SUBJECT.search(fold(subject)) or _BODY.search(head) or _ABSENT_VI.search(folded)
                or _absent_more(folded))  # fmt: skip


def acknowledges(text: str) -> bool:
    """An automatic answer that says the message was received (a helpdesk's or portal's receipt)."""
    folded = fold(text[:4000])
    return bool(
        _ACK_FIRM.search(folded) or _ACK.search(folded) or _ack_more(folded) or _ACK_SOFT.search(folded)
    )


def says_gone(text: str) -> bool:
    """The auto-reply says the mailbox itself is abandoned: a dead address, not an absence."""
    head = text[:4000]
    return bool(_GONE.search(head) or _GONE_VI.search(fold(head)))


def says_gone_alone(text: str) -> bool:
    """The address itself said to be unused or its owner gone, in words firm enough to need no automatic
    header: "this mailbox is no longer monitored", "địa chỉ này không còn sử dụng", "tôi đã chuyển công tác"."""
    folded = fold(text[:4000])
    return bool(_GONE_ALONE.search(folded) or _GONE_ALONE_VI.search(folded))


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


def _month_table(*rows: str) -> dict[str, int]:
    """Month names to numbers: each row is one month's names, January first."""
    return {name: number for number, names in enumerate(rows, start=1) for name in names.split()}


_MONTHS = _month_table(
    "jan january", "feb february", "mar march", "apr april", "may", "jun june", "jul july", "aug august",
    "sep sept september", "oct october", "nov november", "dec december",
)  # fmt: skip
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
# French, Spanish and German month names, read only after those languages' "until" words
_MONTHS_FOREIGN = _month_table(
    "janvier enero januar jänner", "février fevrier febrero februar", "mars marzo märz maerz", "avril abril april",
    "mai mayo", "juin junio juni", "juillet julio juli", "août aout agosto august",
    "septembre septiembre setiembre september", "octobre octubre oktober", "novembre noviembre november",
    "décembre decembre diciembre dezember",
)  # fmt: skip
_MONTH_NAMES_FOREIGN = "|".join(sorted(_MONTHS_FOREIGN, key=len, reverse=True))
# A weekday before an English date, written out or cut short: "Monday, 14 December", "Wed 16 Dec"
_EN_WEEKDAY = r"(?:(?:\w+day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?,?\s+)?"
_NUM = r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}|\d{2}))?"
# Vietnamese patterns read the folded text (see ``fold``): "đến hết ngày" and "den het ngay" alike
_VI_WORDS = r"(\d{1,2})\s+thang\s+(\d{1,2})(?:\s*(?:nam|,)?\s*(\d{4}))?"
# A weekday named before the date: "đến thứ Hai 14/12", "tới Chủ nhật, 20/12"
_VI_WEEKDAY = r"(?:(?:thu\s+(?:hai|ba|tu|nam|sau|bay|\d)|chu nhat),?\s*)?"
_VI_BACK = r"(?:tro lai|quay lai|quay ve|di lam lai|(?<!khong )co mat)"
_VI_UNTIL = r"(?:den|toi)\s+(?:het\s+)?(?:ngay\s*)?" + _VI_WEEKDAY + r"(?:ngay\s*)?"

# Date forms added for sets 3 and 4, each searched only where its literal words are in the text (``_RETURN_CUES``)
_HALF_DAY_THROUGH = re.compile(
    r"(?:den|toi)\s+het\s+(?:buoi\s+)?(?:chieu|toi)\s+(?:ngay\s*)?" + _VI_WEEKDAY + _NUM
)
_HALF_DAY = re.compile(
    r"(?:den|toi)\s+(?:het\s+)?(?:buoi\s+)?(?:sang|trua|chieu)\s+(?:ngay\s*)?" + _VI_WEEKDAY + _NUM
)
_ANSWERED_FROM = re.compile(
    r"(?:tra loi|phan hoi|xu ly)\s+(?:thu\s+)?(?:tu|vao)\s+(?:ngay\s*)?" + _VI_WEEKDAY + _NUM
)
_SPAN = re.compile(r"(?<![\d/.])\d{1,2}\s*[-\u2013]\s*" + _NUM + r"(?![\d/])")
_DATE_THEN_BACK = re.compile(
    _NUM
    + r"\s*,?\s*(?:(?:toi|em|chi|anh|minh|chung toi)\s+)?(?:se\s+|moi\s+)?(?:"
    + _VI_BACK
    + r"|(?:tra loi|phan hoi|xem thu|doc thu))"
)
_DAY_OF_MONTH = re.compile(
    r"(?:back|return(?:ing)?|until|till)\s+(?:on\s+)?(?:\w+day,?\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b", re.I
)
_RETURN_CUES: dict[re.Pattern[str], tuple[str, ...]] = {
    _DAY_OF_MONTH: ("1st", "2nd", "3rd", "0th", "1th", "2th", "3th", "4th", "5th", "6th", "7th", "8th", "9th"),
    _HALF_DAY_THROUGH: ("chieu", "toi"),
    _HALF_DAY: ("sang", "trua", "chieu"),
    _ANSWERED_FROM: ("tra loi", "phan hoi", "xu ly"),
    _SPAN: ("-", "\u2013"),
    _DATE_THEN_BACK: ("tro lai", "quay lai", "quay ve", "di lam lai", "co mat", "tra loi", "phan hoi", "xem thu",
                      "doc thu"),
}  # fmt: skip

# (pattern, language, through): ``through`` means the date is the last day away, so they are back next day.
# "vi" and "vi-month" patterns read the folded text, the others the text as written.
_RETURN_PATTERNS: tuple[tuple[re.Pattern[str], str, bool], ...] = (
    # a range "từ D1 đến (hết) D2": its end, whatever words come before
    (
        re.compile(
            r"\btu\s+(?:ngay\s*)?" + _VI_WEEKDAY + r"\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?\s*(?:,\s*)?"
            r"(?:den|toi)\s+het\s+(?:ngay\s*)?" + _VI_WEEKDAY + _NUM
        ),
        "vi",
        True,
    ),
    (
        re.compile(
            r"\btu\s+(?:ngay\s*)?" + _VI_WEEKDAY + r"\d{1,2}[/.\-]\d{1,2}(?:[/.\-]\d{2,4})?\s*(?:,\s*)?"
            r"(?:den|toi)\s+(?:ngay\s*)?" + _VI_WEEKDAY + _NUM
        ),
        "vi",
        False,
    ),
    (re.compile(_VI_BACK + r"[^\d\n]{0,30}?(?:ngay\s*)?" + _NUM), "vi", False),
    (re.compile(_VI_BACK + r"[^\d\n]{0,30}?(?:ngay\s*)?" + _VI_WORDS), "vi", False),
    # half a day: "đến hết sáng 10/12" back that afternoon, "đến hết chiều 10/12" back the next day
    (_HALF_DAY_THROUGH, "vi", True),
    (_HALF_DAY, "vi", False),
    (re.compile(r"(?:den|toi)\s+het\s+(?:ngay\s*)?" + _VI_WEEKDAY + _NUM), "vi", True),
    (re.compile(r"(?:den|toi)\s+het\s+(?:ngay\s*)?" + _VI_WEEKDAY + _VI_WORDS), "vi", True),
    # "đến hết tháng 1/2027": through the month, back on the first of the next
    (re.compile(r"(?:den|toi)\s+het\s+thang\s+(\d{1,2})(?:[/\s]+(?:nam\s+)?(\d{4}))?"), "vi-month", True),
    (re.compile(_VI_UNTIL + _NUM), "vi", False),
    # the mail answered again from a day: "thư sẽ được trả lời từ ngày 10/12", "xử lý từ thứ Tư 09/12"
    (_ANSWERED_FROM, "vi", False),
    # a span "7-9/12": its last day
    (_SPAN, "vi", False),
    # "hẹn gặp lại sau ngày 03/01": back the day after
    (re.compile(r"\bsau\s+(?:ngay\s*)?" + _VI_WEEKDAY + _NUM), "vi", True),
    (re.compile(_VI_UNTIL + _VI_WORDS), "vi", False),
    # the date first, then the writer back or answering, where no "until" took it: "thứ Hai 21/12 chị đi làm lại"
    (_DATE_THEN_BACK, "vi", False),
    (
        re.compile(
            r"(?:back|return(?:ing)?|in the office|reopen(?:s|ing)?)\b[^\d\n]{0,25}?(?:on\s+)?"
            + _EN_WEEKDAY
            + r""
            r"(?:(?P<m1>" + _MONTH_NAMES + r")\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(?P<y1>\d{4}))?"
            r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>" + _MONTH_NAMES + r")\.?(?:,?\s*(?P<y2>\d{4}))?)",
            re.I,
        ),
        "en-name",
        False,
    ),
    (
        re.compile(
            r"(?:through|thru)\s+" + _EN_WEEKDAY + r""
            r"(?:(?P<m1>" + _MONTH_NAMES + r")\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(?P<y1>\d{4}))?"
            r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>" + _MONTH_NAMES + r")\.?(?:,?\s*(?P<y2>\d{4}))?)",
            re.I,
        ),
        "en-name",
        True,
    ),
    (
        re.compile(
            r"(?:until|till)\s+" + _EN_WEEKDAY + r""
            r"(?:(?P<m1>" + _MONTH_NAMES + r")\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(?P<y1>\d{4}))?"
            r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>" + _MONTH_NAMES + r")\.?(?:,?\s*(?P<y2>\d{4}))?)",
            re.I,
        ),
        "en-name",
        False,
    ),
    (re.compile(r"(?:through|thru)\b[^\d\n]{0,20}?" + _NUM, re.I), "en", True),
    # a day of the month alone: "until the 14th", "back on Monday the 14th" (this month, or the next)
    (_DAY_OF_MONTH, "en-day", False),
    (re.compile(r"(?:back|return(?:ing)?|until|till)\b[^\d\n]{0,20}?(?:on\s+)?" + _NUM, re.I), "en", False),
    # French, Spanish, German numeric dates (day first): "jusqu'au 14/12", "hasta el 14/12", "bis zum
    # 14.12.", "ab dem 04.01." (available again from)
    (
        re.compile(
            r"\b(?:jusqu'?(?:au|à)|hasta el|bis (?:zum|einschlie(?:ß|ss)lich)|ab dem|ab)\s+(?:\w+\s+)?"
            + _NUM,
            re.I,
        ),
        "dmy",
        False,
    ),
    # ... and with the month named: "jusqu'au 14 décembre", "hasta el 14 de diciembre", "bis zum 14. Dezember"
    (
        re.compile(
            r"\b(?:jusqu'?(?:au|à)|hasta el|bis (?:zum|einschlie(?:ß|ss)lich)|ab dem|ab)\s+(?:\w+,?\s+)??"
            r"(\d{1,2})\.?\s+(?:de\s+)?(" + _MONTH_NAMES_FOREIGN + r")(?:\s+(?:de\s+)?(\d{4}))?",
            re.I,
        ),
        "dmy-name",
        False,
    ),
)
# Chinese and Japanese: "12月14日返回办公室", "12月14日(月)に出社予定" (the day back)
_CJK_BACK = re.compile(
    r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日\s*(?:[(（][^)）]{1,3}[)）]\s*)?(?:に|起|开始|より|から)?\s*"
    r"(?:返回|回到|回来|上班|出社|戻|出勤|复工)"
)
# "14/12 inclus", "through ... inclusive": the date named is the last day away
_INCLUSIVE = re.compile(r"\s*(?:inclus(?:e|ive)?|inclusive|incluido|einschlie(?:ß|ss)lich)\b", re.I)


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


def _next_day_of_month(day: int, sent: date) -> date | None:
    """The first date on or after ``sent`` that falls on that day of a month."""
    for ahead in range(3):
        month = (sent.month - 1 + ahead) % 12 + 1
        year = sent.year + (sent.month - 1 + ahead) // 12
        try:
            found = date(year, month, day)
        except ValueError:
            continue
        if found >= sent:
            return found
    return None


def return_date(text: str, sent: date) -> date | None:
    """The first date the person says they are back. Vietnamese, French, Spanish and German are day/month;
    English numeric dates are month/day unless the first number cannot be a month. ``đến hết ngày D``
    (through D), "through D", "D inclus" mean back D+1; "đến hết tháng M" back on the 1st of M+1."""
    text = text[:4000]
    folded = fold(text)
    if "月" in text:
        cjk = _CJK_BACK.search(text)
        if cjk:
            y = cjk.group(1)
            found_cjk = _make(int(y) if y else None, int(cjk.group(2)), int(cjk.group(3)), sent)
            if found_cjk is not None:
                return found_cjk
    for pattern, lang, through in _RETURN_PATTERNS:
        subject = folded if lang.startswith("vi") else text
        cues = _RETURN_CUES.get(pattern)
        if cues is not None and not any(cue in subject for cue in cues):
            continue
        match = pattern.search(subject)
        if not match:
            continue
        found: date | None
        if lang == "vi-month":
            month, y = int(match.group(1)), match.group(2)
            first = _make(int(y) if y else None, month, 1, sent)
            if first is not None:
                return (first + timedelta(days=32)).replace(day=1)
            continue
        if lang == "en-day":
            found = _next_day_of_month(int(match.group(1)), sent)
        elif lang == "dmy-name":
            y = match.group(3)
            found = _make(
                int(y) if y else None, _MONTHS_FOREIGN[match.group(2).lower()], int(match.group(1)), sent
            )
        elif lang == "en-name":
            groups = match.groupdict()
            month_name = (groups["m1"] or groups["m2"] or "").lower()
            day = groups["d1"] or groups["d2"]
            year = groups["y1"] or groups["y2"]
            found = _make(int(year) if year else None, _MONTHS[month_name], int(day), sent)
        else:
            a, b, y = int(match.group(1)), int(match.group(2)), match.group(3)
            day, month = (a, b) if lang in ("vi", "dmy") or a > 12 else (b, a)
            found = _make(int(y) if y else None, month, day, sent)
        if found is not None:
            last_day = (
                through or bool(_INCLUSIVE.match(subject, match.end())) or "einschl" in match.group(0).lower()
            )
            return found + timedelta(days=1) if last_day else found
    return None
