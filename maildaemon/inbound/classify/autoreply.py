"""RFC 3834 automatic replies (out of office, vacation, a helpdesk's receipt), in English and Vietnamese with
or without diacritics (and French, Spanish, German, Italian, Portuguese, Dutch, Chinese, Japanese, Korean, Thai,
Indonesian and Russian leave words), and the date the person says they are back."""

from __future__ import annotations

import html
import re
import unicodedata
from datetime import date, timedelta

from maildaemon.core.replies.lexicon import fold as fold_latin
from maildaemon.inbound.classify.mime import Part
from maildaemon.inbound.classify.relative import relative_return


def fold(text: str) -> str:
    """Lower-case text with Latin diacritics removed (the one table in ``core.replies.lexicon``), so one pattern
    reads accented and unaccented Vietnamese. NFC first: a client that sends decomposed letters leaves the marks
    as separate characters, which the table, keyed on whole letters, would not see."""
    if text.isascii():
        return text.lower()
    return fold_latin(unicodedata.normalize("NFC", text).lower())


def _folded(pattern: str) -> re.Pattern[str]:
    """A pattern for folded text written as the language is, folded the same way as the text (German ß becomes
    ss), so a pattern never has to be written in its folded spelling."""
    return re.compile(fold(pattern))


_SUBJECT = re.compile(
    r"out of (?:the )?office|automatic reply|auto(?:matic)?[- ]?(?:reply|response|responder)|autoreply"
    r"|away from (?:the )?office|on vacation|on leave|vacation|abwesen(?:heit|d)|absence|r[ée]ponse automatique"
    r"|respuesta autom[aá]tica|risposta automatica|resposta autom[aá]tica|automatisch antwoord"
    r"|automatische (?:reactie|antwoord|antwort)|afwezig|fuori ufficio|trả lời tự động|vắng mặt|nghỉ phép|tự động trả lời"
    r"|thư tự động|不在"
    r"|自[动動](?:答复|回复|回覆|応答|返信)|자동 ?(?:회신|응답)|부재 ?중|ตอบกลับอัตโนมัติ|balasan otomatis"
    r"|автоматический ответ|автоответ"
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
    r"|will be back(?! in touch| to you)|when i'm back|nicht im b(?:ü|ue)ro|(?:i am|i'm) (?:currently )?(?:out|off) sick"
    r"|will return (?:on|to (?:the )?(?:office|work)|\d|next|tomorrow|\w+day\b"
    r"|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? \d)"
    r"|(?:reply|respond) (?:to your (?:e-?mail|message) )?(?:up)?on my return|when i (?:am back|return)"
    # out for a stretch of days, the subject left unsaid: "Out today through Wednesday", "out of town this week"
    r"|\bout (?:today|tomorrow|this week|all week|of town)\b"
    # "OOO", and out until a day said of the writer ("I'm out till the 3rd"; "she is out until ..." is news)
    r"|\bo\.?o\.?o\b|\b(?:i am|i'm|i'll be|i will be|we are|we're) (?:currently |also )?out (?:until|till|through|thru)\b"
    r"|\b(?:i am|i'm|i'll be|i will be) (?:on|taking|working) (?:a )?half[- ]day\b"
    # off sick with the subject left unsaid, as a note opens a sentence ("Off sick today. Back Thurs."), and away
    # at an event of some days ("I'm at a conference in Hanoi", "we are attending a training course")
    r"|(?:^|[.!?\n]\s*)(?:off|out) sick\b|\b(?:i am|i'm|we are|we're) (?:currently |away )?(?:at|attending) (?:a|an|the)"
    r" (?:\w+ )?(?:conference|congress|summit|trade (?:fair|show)|training|workshop|seminar|course)\b",
    re.I,
)
_BACK_VI = r"(?:tro lai|quay lai|quay ve|tro ve|di lam (?:tro )?lai|co mat|ve co quan|ve nuoc)"
# The mail said to be automatic, in Vietnamese (folded)
_AUTO_VI = re.compile(
    r"(?:tra loi|phan hoi) tu dong|(?:day la|thu nay la) thu (?:tra loi |phan hoi )?tu dong"
    r"|thu (?:nay )?(?:duoc )?(?:gui|tra loi|phan hoi) tu dong"
)
# The mail said to be automatic (firm), and a receipt (only once something says automatic), in Chinese, Japanese,
# Korean, Thai, Indonesian and Russian (folded)
_AUTO_INTL = _folded(
    r"自动(?:回复|答复|发送)|自動(?:回覆|返信|応答|送信)|자동 ?(?:회신|응답)|자동(?:으로)? ?발송|ตอบกลับอัตโนมัติ|ข้อความอัตโนมัติ"
    r"|\b(?:balasan|pesan|email) otomatis\b|автоматическ\w* (?:ответ|сообщение|уведомление)|автоответ"
    r"|(?:сформировано|отправлено) автоматически"
)
_ACK_INTL = _folded(
    r"(?:邮件|郵件|来信|メール|お問い合わせ|ご連絡)[^。]{0,8}?(?:已收到|已经收到|已受理|受け付け|受信いたしました|受信しました|拝受)"
    r"|已收到(?:您|你)的|(?:메일|문의|이메일)[^.]{0,10}?(?:접수되었|잘 받았|수신되었)|ได้รับ(?:อีเมล|ข้อความ)\S{0,8}แล้ว"
    r"|\b(?:email|pesan|surel) anda (?:telah|sudah) (?:kami )?(?:terima|diterima)"
    r"|\bваше (?:письмо|обращение|сообщение) (?:получено|принято|зарегистрировано)"
)
_INTL_CUES = tuple(
    fold(cue) for cue in ("自", "자동", "อัตโนมัติ", "otomatis", "автомат", "收到", "受", "受理", "접수", "받았", "수신", "ได้รับ",
                          "anda", "ваше")
)  # fmt: skip


def _auto_intl(folded: str) -> bool:
    """Said automatic in words of a language other than Vietnamese, English, French, Spanish, German."""
    return any(cue in folded for cue in _INTL_CUES) and _AUTO_INTL.search(folded) is not None


def _ack_intl(folded: str) -> bool:
    """A receipt in those languages' words (``_ACK_INTL``): people write "your mail is received" too ("메일 잘
    받았습니다"), so it stands only once a header, subject or the body's own words say automatic."""
    return any(cue in folded for cue in _INTL_CUES) and _ACK_INTL.search(folded) is not None


# An absence in Vietnamese, folded: leave of any kind, a work trip, training, "not at the office", mail hard to
# read while away, an answer put off until the writer is back.
_ABSENT_VI = re.compile(
    r"vang mat|nghi phep|di cong tac"
    r"|(?:toi|em|minh) (?:hien |dang |hien dang |trong thoi gian )*(?:nghi (?:le|om|tet|che do|thai san|sinh"
    r"|duong suc|dieu tri|viec rieng|mat)|(?:duoc cu )?di (?:nghi|tap huan|hoc|cong tac|du lich)|cong tac"
    r"|ra ngoai van phong|dieu tri|nam vien)"
    r"|khong (?:co mat|o) (?:tai |o )?(?:co quan|van phong|don vi)"
    # home to the family for the New Year: "về quê ăn Tết", "về quê đón Tết"
    r"|\bve que (?:an|don|nghi) tet\b"
    r"|(?:it|khong) co dieu kien (?:kiem tra|doc|tra loi|truy cap) (?:thu|e-?mail|hop thu)"
    r"|(?:han che|khong the|khong) (?:truy cap|kiem tra|xem|doc) (?:duoc )?(?:thu|e-?mail|hop thu)"
    r"|se (?:tra loi|phan hoi|lien he lai)[^.\n]{0,40}?(?:khi|sau khi|ngay khi)\s+(?:toi\s+|em\s+)?"
    + _BACK_VI
)
# A subject that names an absence (not merely an automatic answer)
_AWAY_SUBJECT = re.compile(
    r"out of (?:the )?office|away from|on vacation|on leave|vacation|holiday|abwesen|absen[tc]|afwezig|niet aanwezig"
    r"|vakantie|不在|vang mat|nghi phep"
)
# A receipt: a helpdesk, ticket system or portal saying it has the message (Zendesk, osTicket, OTRS, Freshdesk,
# Odoo, a provincial portal). The mail arrived and nobody is away. Words firm enough to stand with no header:
_ACK_FIRM = re.compile(
    r"(?:request|ticket|case|enquiry|inquiry)\b[^.\n]{0,40}?(?:has been|have been|was) (?:received|created|opened|logged)"
    r"|ticket (?:request )?(?:has been|was) (?:created|opened)|automatically generated (?:reply|response|message|e-?mail)"
    r"|ticket (?:number|no\.|id)\b|day la thu (?:tra loi |phan hoi )?tu dong"
    r"|(?:he thong|cong thong tin|bo phan)[^.\n]{0,40}?da (?:nhan|tiep nhan|ghi nhan) (?:duoc )?(?:thu|e-?mail|yeu cau"
    r"|phan anh)|automated (?:reply|response|message|e-?mail|acknowledg)"
    r"|da (?:tiep nhan|ghi nhan) (?:thu|e-?mail|yeu cau|ho so|phan anh)"
)
# ... and words that say the same once a header or subject has said automatic ("do not reply to this email"
# ends notifications of every kind, so it stands only there)
_ACK = re.compile(
    r"(?:we|i) (?:would like to acknowledge that we )?have received your|(?:message|e-?mail) (?:has been|was) received"
    r"|thank you for contacting us|do not reply (?:directly )?to this (?:e-?mail|message)"
    r"|da (?:nhan|tiep nhan|ghi nhan) (?:duoc )?(?:thu|e-?mail|yeu cau)"
    r"|(?:vui long|xin|de nghi) (?:dung|khong) (?:tra loi|phan hoi) (?:lai )?(?:thu|e-?mail) nay"
)
# What an out-of-office says beside the absence, and a person's mention of one seldom does: when the writer is
# back or the mail will be read, whom to ask meanwhile, mail hard to reach. Where no header or subject says
# automatic, absence words count only with one of these (or a return date). Korean, Thai, Indonesian and Russian
# say "until", "whom to contact", "urgent", "when I am back" too.
_OOO_SIGN = _folded(
    r"when i (?:am back|return|get back)|when i'm back|(?:up)?on my return|will (?:be back(?! in touch| to you)|return)|reopen"
    r"|i(?: will|'ll) (?:reply|respond|get back|answer)|please contact|in my absence|urgent|pressing|limited access"
    r"|(?:not|won't be|will not be) (?:checking|reading|monitoring) (?:my )?e-?mail"
    # Italian, Portuguese and Dutch: until a day, limited access, urgent, back
    r"|\bfino al?\b|\bate (?:(?:o|a|ao) )?\d|\btot \d|accesso limitato|acesso limitado|urgenz|urgente|\brientr"
    r"|\bregress|\bterug (?:op|vanaf)"
    r"|out of (?:the )?office (?:on |until |through )?(?:mon|tues|wednes|thurs|fri|satur|sun)day"
    r"|\b(?:until|till|through|thru)\b|access to (?:my )?e-?mail"
    r"|khi (?:toi |em )?"
    + _BACK_VI
    + r"|lien he|viec gap|can gap|khan cap|han che|it co dieu kien|khong (?:the )?"
    r"truy cap|khong (?:mang theo|co) may tinh|se (?:doc|tra loi|phan hoi|xu ly|kiem tra) (?:thu|e-?mail)"
    r"|(?:tra loi|phan hoi) (?:co the )?(?:bi )?cham|cham tre|gian doan|trong thoi gian (?:nay|vang mat|nghi)"
    r"|se xem (?:thu|e-?mail)|se duoc (?:tra loi|phan hoi|xu ly|xem xet)|chi (?:doc|xem|kiem tra|tra loi) (?:duoc )?(?:thu|e-?mail|hop thu)|返回|回到|回来|上班|出社|戻り|联系|連絡|紧急|緊急|急ぎ|延迟|遅れ|返信"
    r"|urgen(?:ce|cia)|dringend|jusqu'?(?:au|a)\b|hasta el|\bbis (?:zum|am|einschl)"
    # mail left unread meanwhile: "in der Zwischenzeit nicht gelesen", "entretemps ... ne sera ni lu"
    r"|in der zwischenzeit|\bentre-?temps\b"
    # Dutch: "tot en met", "t/m" (until), whom to contact, limited access, back again
    r"|\btot en met\b|\bt/m\b|\bcontact op\b|contact opnemen|beperkte? toegang|\bweer (?:aanwezig|terug|op kantoor)"
    r"|まで|以降|까지|복귀|돌아오|급한|긴급|연락|จนถึง|ติดต่อ|ด่วน|เมื่อกลับ|กลับมาทำงาน"
    r"|\b(?:hingga|sampai|hubungi|mendesak)\b|setelah kembali|\bдо \d|срочн|обращайтесь|свяжитесь|вернусь|задерж"
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
# "here are the figures", "sorry for the late reply", "but I send the answers now", the form attached or sent
# ahead of a leave). Read only where no header or subject says automatic.
_PERSON = _folded(
    r"\b(?:i|we) (?:was|were|have been|had been) (?:out|away|on (?:vacation|leave|holiday)"
    r"|on (?:annual|sick|parental|maternity|paternity|medical|study) leave)"
    # a phone mail app's signature: an out-of-office is set on the server, which signs nothing
    r"|\bsent from my (?:iphone|ipad|android|mobile|phone|samsung|galaxy|smartphone)\b|\bget outlook for (?:ios|android)\b"
    r"|\bgui tu (?:iphone|ipad|dien thoai)(?: \w+){0,3} cua toi\b|\bvon meinem (?:iphone|ipad|smartphone) gesendet\b"
    r"|\benvoye de mon (?:iphone|ipad|smartphone)\b|\benviado desde mi (?:iphone|ipad|celular|movil)\b"
    r"|sorry for the (?:late|slow|delayed) (?:reply|response|answer)|sorry for the delay"
    r"|\bbut here (?:is|are)\b|here (?:is|are) (?:the|our) (?:answers?|figures|numbers|data)"
    r"|(?:answers?|figures|numbers) (?:are|is) (?:below|attached)|\bsee (?:my|our) (?:answers?|replies) (?:below|attached)"
    # the survey answered: no notice says it filled in the form
    r"|\b(?:i|we)(?:'ve| have)? (?:already |just )?(?:filled in|filled out|completed|submitted|answered|done) (?:the|your|this)"
    r" (?:survey|questionnaire|form)\b"
    r"|\bbut (?:i |we )?(?:wanted|want|thought|needed) to|\bbefore (?:i|we) (?:head off|go|leave|log off|go offline)\b|(?:get|send) (?:this|it|these|them) (?:over )?to you"
    r"|(?:schicke|sende) ich (?:ihnen|dir)|\bje vous (?:renvoie|envoie|transmets|adresse)\b"
    r"|\bvoici (?:nos|mes|les) (?:reponses|chiffres|donnees)|\becco (?:le nostre|i nostri) |\bseguem (?:as|os) (?:nossas|nossos) (?:respostas|dados)"
    r"|\bhierbij (?:onze|mijn|de) (?:antwoorden|gegevens)"
    r"|\b(?:le|les) (?:envio|adjunto)\b|\badjunto (?:la|el|los|las)\b"
    r"|遅くなり|遅れて申し訳|先週|昨日|上周|昨天|回复晚|回覆晚"  # "sorry for the late reply", "last week", "yesterday"
    r"|添付|本日中に|先把|附件|请查收|미리|첨부|แนบ|แต่(?:ขอ)?(?:ส่ง|ตอบ)"  # attached, today, first, in advance
    r"|\bно (?:я )?(?:отвечаю|высылаю|отправляю|направляю|пересылаю|прилагаю)|\b(?:вот|ниже) (?:наши |мои )?ответы"
    r"|\bприлагаю\b|\btapi (?:ini|berikut|saya (?:kirim|lampirkan))|\bberikut (?:ini )?(?:jawaban|data)|\bterlampir\b"
    r"|\b(?:отправлю|вышлю|заполню|заполним)\b|\bnanti (?:saya|kami)\b"  # "I'll send", "later I'll"
    # the survey done later by the writer, or the sender asked to send it again: "I'll fill it in on Monday",
    # "could you resend the link?" (a notice promises only to read or answer mail)
    r"|\b(?:i|we)(?:'ll| will) (?:fill (?:it|this|that) (?:in|out)|(?:fill (?:in|out)|complete|do|answer) (?:the|this"
    r"|your) (?:survey|questionnaire|form))\b|\b(?:could|can|would) you (?:please |kindly )?(?:resend|re-send|send (?:it"
    r"|me|this|the \w+)(?: \w+)? again)\b"
    # the survey's own team addressed: a notice, written for every sender, greets nobody in particular
    r"|\b(?:dear|hello|hi) (?:the )?survey team\b"
    # the questionnaire itself, which an absence notice, written for every sender, never names
    r"|анкет|\b(?:kuesioner|angket)|설문|アンケート|问卷|問卷|แบบสอบถาม"
)
_PERSON_VI = re.compile(
    r"nhung (?:van|toi|em) |tra loi thay|thay mat|(?:tuan|hom|thang) truoc|hom qua|ve roi|da ve\b"
    r"|vua (?:di )?[^.\n]{0,20}? ve\b|tra loi (?:luon|ngay|nhu sau)|(?:toi|em) se (?:nghi|di(?! lam)|vang)"
    r"|sau khi (?:di )?[^.\n]{0,20}? ve\b|xin loi (?:vi )?(?:da )?(?:cham|muon|tra loi cham)"
    r"|khi (?:anh|chi|ong|ba) (?:ay|ta) "
    + _BACK_VI
    + r"|gui (?:lai )?(?:phieu|so lieu)|(?:phieu|so lieu) (?:da dien|nhu sau)|nhung da |dien (?:xong |het |day du )?phieu|gui kem|dinh kem"
    # a unit asking for more time (a notice never asks): "xin gia hạn nộp phiếu", "đề nghị lùi thời hạn"
    + r"|\b(?:xin|de nghi|kinh de nghi|mong) (?:duoc )?(?:gia han|lui (?:thoi )?han)"
    # the writer has passed the mail on (a notice says it "will be passed on"): "tôi đã chuyển thư cho ..."
    + r"|\b(?:toi|em|chung toi) da chuyen (?:thu|phieu|e-?mail|van ban)"
    # the survey's own team addressed ("Kính gửi Ban Khảo sát"): a notice greets nobody in particular
    + r"|\b(?:kinh gui|gui|chao|xin chao|thua) (?:quy )?(?:ban|nhom|to) (?:khao sat|dieu tra)\b"
)
# Mail to be answered after the writer is back ("thư sẽ được trả lời sau khi tôi về cơ quan") is a notice's promise:
# its "sau khi ... về" is not the person's "after I got back" of ``_PERSON_VI``
_PUT_OFF_VI = re.compile(r"\bse duoc (?:tra loi|phan hoi|xu ly|xem xet)\b[^.\n]{0,30}?\bsau khi\b")
# Families run only where one of their literal words is in the folded text: a find costs nothing beside a
# search of every branch at every position, and most mail has none of them.
# A work trip as a delegation or a journey ("tham gia đoàn công tác", "chuyến công tác", "đoàn khảo sát học tập",
# "đi tham quan thực tế")
_TRIP_VI = re.compile(
    r"(?:doan|chuyen) (?:cong tac|khao sat|hoc tap|tham quan|kiem tra|giam sat|thanh tra)"
    r"|(?:di|tham gia) (?:khao sat|hoc tap|tham quan|kiem tra) (?:kinh nghiem|thuc te|thuc dia|nuoc ngoai)"
    # inspecting or supervising in the field: "đang đi kiểm tra ... tại các huyện", "đi giám sát ở cơ sở"
    r"|(?:dang|toi|em) (?:dang )?di (?:kiem tra|giam sat|thanh tra)\b"
    # a medical team out in the districts: "đoàn khám chữa bệnh", "đoàn y tế", "khám bệnh lưu động"
    r"|\bdoan (?:kham|y te|y bac si|bac si)\b|\bkham (?:chua )?benh (?:luu dong|tinh nguyen)"
    # a teacher taking pupils away: "đang đưa học sinh đi thi", "dẫn đội tuyển đi thi đấu"
    r"|\b(?:dua|dan) (?:hoc sinh|sinh vien|hoc vien|doi tuyen|cac em)(?: \w+){0,4}? di (?:thi|du thi|thi dau|tham quan"
    r"|da ngoai|trai)\b"
)
# Leave and absence in French, Spanish and German (the languages whose dates ``return_date`` reads), folded
_ABSENT_FOREIGN = re.compile(
    r"\ben conges?\b|\b(?:je suis|nous sommes) (?:actuellement )?(?:absente?s?|en (?:vacances|conges?|deplacement"
    r"|mission|formation))\b|\babsente?s? du bureau|\b(?:estoy|estare|estamos|estaremos) (?:\w+ )?(?:de vacaciones"
    r"|fuera de la oficina|ausentes?)\b|\bfuera de la oficina\b|\bim urlaub\b|\b(?:bin|sind) (?:\w+ )?abwesend\b"
    r"|\bauf (?:dienst|geschafts)reise\b|\bau(?:ss|ß)er haus\b"
    # the absence with its span in between ("ich bin bis am Montag, 17. April abwesend", "wir sind vom 3. bis
    # 10. Mai abwesend"), in one sentence; "I will be back" in French ("je serai de retour lundi")
    r"|\b(?:ich bin|wir sind)\b[^\n!?]{1,60}?\babwesend\b|\b(?:je serai|nous serons) de retour\b"
    # there again from a day, which says away until then: "Ab Montag bin ich wieder im Büro", "vanaf dinsdag ben
    # ik weer bereikbaar", "ich bin ab dem 3. wieder erreichbar"
    r"|\b(?:ab|vanaf)\s[^\n!?]{1,40}?\b(?:bin ich|sind wir|ben ik|zijn (?:wij|we))\s+(?:wieder|weer)\b"
    r"|\b(?:ich bin|wir sind)\s+ab\s[^\n!?]{1,40}?\bwieder\b"
    # Italian and Portuguese: out of the office, on holiday, away, on a trip, on leave, off sick
    r"|\bfuori (?:dall'|dall )?ufficio\b|\b(?:sono|saro|siamo|saremo) (?:\w+ )?(?:in ferie|assente|in trasferta"
    r"|in malattia|in congedo)\b|\bin ferie\b|\b(?:estou|estarei|estamos) (?:\w+ )?(?:de ferias|ausentes?|fora do "
    r"escritorio|de licenca|em viagem)\b|\bfora do escritorio\b"
)
# Leave and absence in Dutch, folded, said of the writer's present ("ik ben ... niet aanwezig", "wij zijn met
# vakantie", "is afwezig"), not of the past ("ik was afwezig")
_ABSENT_NL = re.compile(
    r"\b(?:ben|zijn|is)\b[^\n.!?]{0,60}?(?:\bniet (?:aanwezig|op (?:kantoor|het werk))|\bafwezig|\bbuiten (?:het )?"
    r"kantoor|\b(?:met|op) (?:vakantie|verlof))\b"
)
# Duties away from the desk, folded: training, a course, a conference, a meeting, abroad, an office closed for
# a while, leave said of someone ("chị Mai đang nghỉ chế độ thai sản")
_DUTY_VI = re.compile(
    r"(?:tham gia|di|du|dang|duoc cu di)\s+(?:hoc\s+)?(?:(?:lop|khoa|buoi|dot)\s+)?(?:tap huan|boi duong|hoc tap trung|hoi nghi"
    r"|hoi thao)|\b(?:dang|di|du)\s+hop\b|\b(?:di|dang o|cong tac|sang)\s+nuoc ngoai|\btam (?:nghi|ngung (?:lam viec"
    r"|tiep nhan))\b|\bdang nghi (?:phep|om|le|tet|che do|thai san|sinh|duong suc|viec rieng|dieu tri)"
    r"|\bdang (?:dieu tri|nam vien)\b"
    # at a council's or congress's sitting: "đang dự Kỳ họp thứ 12 HĐND", "tham dự phiên họp", "dự Đại hội"
    r"|\b(?:du|tham du)\s+(?:ky hop|phien hop|cuoc hop|dai hoi)\b"
    # a school or office letting its people off a while: "trường tạm cho học sinh nghỉ học"
    r"|\btam cho (?:\w+ ){1,3}?nghi\b"
    # an office closed for a holiday: "Cơ quan nghỉ Tết Dương lịch từ ...", "văn phòng sẽ nghỉ lễ"
    r"|\b(?:co quan|don vi|van phong|phong|so|truong|ubnd)\s+(?:se\s+)?nghi\s+(?:tet|le)\b"
)
# Chinese and Japanese: leave, a business trip, not in the office
_ABSENT_CJK = re.compile(r"休假|休暇|出差|出張|不在|请假|請假|外出|年假|病假|产假|産休|育休|休業|休业")
# Korean, Thai, Indonesian and Russian (folded: only Latin letters change): leave, a business trip, sick
# leave, out of the office
_ABSENT_KO = _folded(r"휴가|출장|부재|외근|병가|휴직|연차")
_ABSENT_TH = _folded(
    r"ลา(?:พักร้อน|พักผ่อน|ป่วย|คลอด|กิจ|พัก)|ไม่อยู่(?:ที่|ใน)?(?:สำนักงาน|ออฟฟิศ|ที่ทำงาน)|ไปราชการ|ติดภารกิจ"
    r"|เดินทาง(?:ไป)?(?:ต่างประเทศ|ต่างจังหวัด|ราชการ)"
)
_ABSENT_ID = re.compile(
    r"\b(?:sedang|saya|kami) (?:\w+ )?(?:cuti|dinas luar|perjalanan dinas)|\bcuti (?:tahunan|sakit|melahirkan|bersama)"
    r"|\b(?:tidak (?:berada )?di|di luar) kantor\b"
)
_ABSENT_RU = _folded(
    r"\b(?:в|во) (?:ежегодном |очередном |декретном )?(?:отпуске|командировке)|\bна больничном\b|\bотсутствую\b"
    r"|\bвне офиса\b"
)
_ABSENT_GATED = (
    (("doan ", "chuyen ", "kinh nghiem", "thuc te", "thuc dia", "di kiem tra", "di giam sat", "di thanh tra",
      "kham", "hoc sinh", "sinh vien", "hoc vien", "doi tuyen", "cac em"), _TRIP_VI),
    (("tap huan", "boi duong", "hoc tap trung", "hoi nghi", "hoi thao", "dang hop", "di hop", "du hop", "nuoc ngoai",
      "tam nghi", "tam ngung", "dang nghi ", "dieu tri", "nam vien", "nghi tet", "ky hop", "phien hop", "cuoc hop",
      "dai hoi", "tam cho",
      "nghi le"), _DUTY_VI),
    (("休", "出", "不在", "假", "外", "産", "育"), _ABSENT_CJK),
    (("conge", "absent", "vacances", "deplacement", "vacacion", "oficina", "ausente", "urlaub", "abwesend", "reise",
      " haus", "de retour", "ufficio", "ferie", "assente", "trasferta", "malattia", "congedo", "ferias", "escritorio",
      "licenca", "viagem", "wieder", "weer"), _ABSENT_FOREIGN),
    (("aanwezig", "afwezig", "kantoor", "vakantie", "verlof", "op het werk"), _ABSENT_NL),
    ((fold("휴"), fold("출장"), fold("부재"), fold("외근"), fold("병가"), fold("연차")), _ABSENT_KO),
    ((fold("ลา"), fold("ไม่อยู่"), fold("ราชการ"), fold("ภารกิจ"), fold("เดินทาง")), _ABSENT_TH),
    (("cuti", "dinas", "kantor"), _ABSENT_ID),
    (("отпуск", "командировк", "больничн", "отсутству", "вне офиса"), _ABSENT_RU),
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
    r"|checked)|(?:address|mailbox|account) (?:is |has been )?(?:closed|deactivated|discontinued|deleted|disabled)"
    r"|ha(?:s|ve) left|(?:mailbox|e-?mail address|inbox) (?:has )?moved to",
    re.I,
)
# A mailbox, not an office's street address ("địa chỉ trụ sở đã chuyển sang ..." is a person's news); standing
# alone, only "this" mailbox moved or closed ("hộp thư này đã bị khóa"), as a notice says it, not "my old mailbox
# often gets locked"
_MAILBOX_VI = r"(?:hop thu(?: cong vu| dien tu)?|(?:dia chi|tai khoan) (?:thu|e-?mail)(?: cong vu)?)"
_GONE_VI = re.compile(
    r"khong con (?:(?:duoc |nguoi )?su dung|hoat dong|lam viec)|ngung (?:su dung|hoat dong)|da (?:nghi (?:viec|huu)|thoi viec)"
    r"|da chuyen cong tac|"
    + _MAILBOX_VI
    + r"[^.\n]{0,30}?(?:(?:da )?(?:duoc )?chuyen sang (?:dia chi|hop thu"
    r"|he thong)|(?:da )?bi (?:dong|khoa|huy|xoa|thu hoi))"
)
# The same said of the address itself, firmly enough to stand with no header or subject saying automatic
_GONE_ALONE = re.compile(
    r"(?:mailbox|address|account|inbox)[^.\n]{0,30}?(?:no longer (?:in use|used|monitored|active|checked)"
    r"|is not (?:monitored|checked))|(?:mailbox|e-?mail (?:address|account)|inbox)[^.\n]{0,30}?(?:(?:has been|was)"
    r" (?:closed|deactivated|deleted|disabled)|(?:has )?moved to)"
    r"|\b(?:i|we) ha(?:ve|d) left (?:the|this|our) (?:company|organi[sz]ation|firm)"
)
_GONE_ALONE_VI = re.compile(
    r"(?:hop thu|dia chi|e-?mail|tai khoan)[^.\n]{0,30}?(?:khong con (?:(?:duoc |nguoi )?su dung|hoat dong)"
    r"|ngung (?:su dung|hoat dong))|"
    + _MAILBOX_VI
    + r" nay (?:da )?(?:(?:duoc )?chuyen sang (?:dia chi|hop thu|he thong)|bi (?:dong|khoa|huy|xoa|thu hoi))"
    r"|(?:toi|em) da (?:nghi viec|nghi huu|chuyen cong tac)"
)
# The address given up, in Japanese, Chinese, Korean, Thai, Indonesian and Russian (folded), firm enough alone
_GONE_INTL = _folded(
    r"(?:アドレス|メールボックス|アカウント)[^。]{0,15}?(?:使用|利用)(?:されて|して)(?:おりません|いません)"
    r"|(?:邮箱|邮件地址|此地址|该地址)[^。]{0,10}?(?:已停用|不再使用|已注销|已废弃)"
    r"|(?:메일 ?주소|이메일 ?주소|메일 ?계정|이메일 ?계정)[^.]{0,15}?(?:더 이상 사용(?:하지|되지) 않|사용하지 않|폐쇄|삭제되었)"
    r"|(?:อีเมล|ที่อยู่อีเมล|กล่องจดหมาย)นี้\S{0,15}?(?:ไม่ได้ใช้งาน|ไม่มีการใช้งาน|ยกเลิก)"
    r"|\b(?:alamat (?:email|surel)|kotak surat|akun email)\b[^.\n]{0,30}?(?:tidak (?:lagi )?(?:digunakan|aktif|dipakai)"
    r"|sudah tidak (?:aktif|digunakan)|telah dinonaktifkan)"
    r"|\b(?:адрес|ящик)[^.\n]{0,40}?(?:больше не (?:используется|обслуживается|действует|активен)|закрыт|заблокирован)"
)
_GONE_INTL_CUES = tuple(
    fold(cue) for cue in ("アドレス", "メールボックス", "アカウント", "邮", "地址", "주소", "계정", "อีเมล", "กล่องจดหมาย", "alamat",
                          "kotak surat", "akun email", "адрес", "ящик")
)  # fmt: skip


def _gone_intl(folded: str) -> bool:
    return any(cue in folded for cue in _GONE_INTL_CUES) and _GONE_INTL.search(folded) is not None


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


def list_notice(headers: dict[str, list[str]]) -> bool:
    """A notification a mailing list or tracker distributed: generated by a program (RFC 3834
    ``auto-generated``, not ``auto-replied``) and sent out with a list's own headers. Such mail answers nobody,
    so by itself it says no one is away."""
    auto = " ".join(headers.get("auto-submitted", ())).strip().lower()
    return auto.startswith("auto-generated") and ("list-id" in headers or "list-unsubscribe" in headers)


def subject_says_auto(subject: str) -> bool:
    return bool(_SUBJECT.search(subject) or _SUBJECT_VI.search(fold(subject)))


def body_says_auto(text: str) -> bool:
    """The body's own words say an automatic answer (they stand alone) or an absence with a second sign of an
    out-of-office beside it, and nothing says a person is answering."""
    head = text[:4000]
    folded = fold(head)
    if not (
        _AUTO_VI.search(folded)
        or _ACK_FIRM.search(folded)
        or _AWAY_NOW.search(folded)
        or _ack_more(folded)
        or _auto_intl(folded)
    ):
        if not _absent(head, folded):
            return False
        if not (_OOO_SIGN.search(folded) or _dated(head, folded)):
            return False
    if "se duoc" in folded:
        folded = _PUT_OFF_VI.sub(" ", folded)
    return not (_PERSON.search(folded) or _PERSON_VI.search(folded))


# Any day: ``body_says_auto`` asks only whether a return date is given
_ANY_DAY = date(2026, 1, 1)
# Words that say the return and the absence at once ("je serai de retour demain", "I will be back on Monday")
_BACK_ONLY = re.compile(r"will be back|when i'm back|will return|(?:je serai|nous serons) de retour", re.I)


def _absent(head: str, folded: str) -> bool:
    return bool(_BODY.search(head) or _ABSENT_VI.search(folded) or _absent_more(folded))


def _dated(head: str, folded: str) -> bool:
    """A return date as the second sign of an out-of-office. A day said relative to the mail ("demain", "next
    Monday") counts only beside an absence said in other words: "je serai de retour demain" alone is a person's
    plan as often as a notice, and the return words cannot be both the absence and its sign."""
    if return_date(head, _ANY_DAY, relative=False, spans=False) is not None:
        return True
    if relative_return(folded, _ANY_DAY) is None:
        return False
    other = _BACK_ONLY.sub(" ", head)
    return _absent(other, fold(other))


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
        _ACK_FIRM.search(folded)
        or _ACK.search(folded)
        or _ack_more(folded)
        or _ACK_SOFT.search(folded)
        or _ack_intl(folded)
    )


def says_gone(text: str) -> bool:
    """The auto-reply says the mailbox itself is abandoned: a dead address, not an absence."""
    head = text[:4000]
    folded = fold(head)
    return bool(_GONE.search(head) or _GONE_VI.search(folded) or _gone_intl(folded))


def says_gone_alone(text: str) -> bool:
    """The address itself said to be unused or its owner gone, in words firm enough to need no automatic
    header: "this mailbox is no longer monitored", "địa chỉ này không còn sử dụng", "tôi đã chuyển công tác"."""
    folded = fold(text[:4000])
    return bool(_GONE_ALONE.search(folded) or _GONE_ALONE_VI.search(folded) or _gone_intl(folded))


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
# French, Spanish, German, Indonesian and Russian month names (Russian's as after a day: "до 14 декабря"), read
# only after those languages' "until" and "back" words
_MONTHS_FOREIGN = _month_table(
    "janvier enero januar jänner januari января gennaio janeiro", "février fevrier febrero februar februari февраля"
    " febbraio fevereiro", "mars marzo märz maerz maret марта março marco maart", "avril abril april апреля aprile",
    "mai mayo mei мая maggio maio", "juin junio juni июня giugno junho", "juillet julio juli июля luglio julho",
    "août aout agosto august agustus augustus августа", "septembre septiembre setiembre september сентября settembre"
    " setembro", "octobre octubre oktober oktober октября ottobre outubro", "novembre noviembre november ноября"
    " novembro", "décembre decembre diciembre dezember desember декабря dicembre dezembro december",
)  # fmt: skip
_MONTH_NAMES_FOREIGN = "|".join(sorted(_MONTHS_FOREIGN, key=len, reverse=True))
# "Until" and "back on" in French, Spanish, German, Indonesian, Russian, Italian, Portuguese and Dutch, before a
# day-first date: "jusqu'au", "de retour le", "hasta el", "regreso el", "bis zum", "ab dem", "hingga", "sampai
# dengan", "kembali pada", "до", "по" and "tot en met" (through: the day named is the last one away), "вернусь",
# "fino al", "até", "rientro il", "terug op"
_UNTIL_FOREIGN = (
    r"jusqu'?(?:au|à)|de retour (?:au bureau )?(?:le|à partir du)|hasta el|(?:regres\w*|volver\w*|de vuelta"
    r"|me reincorporo)(?: a la oficina)? el|bis(?: zum| einschlie(?:ß|ss)lich)?|ab dem|ab|hingga|sampai(?: dengan)?"
    r"|kembali(?: bekerja| ke kantor| masuk)?(?: pada)?|до|по|вернусь|выйду на работу"
    r"|fino al?|at[ée](?: (?:ao|a|o))?|tot en met|t/m|tot|rientr\w*(?: in ufficio)?(?: il)?|di ritorno(?: il)?"
    r"|terug(?: op)?|weer (?:op kantoor|aanwezig)(?: op| vanaf)?"
)
# A weekday before an English date, written out or cut short: "Monday, 14 December", "Wed 16 Dec"
_EN_WEEKDAY = (
    r"(?:(?:(?:this|next|coming)\s+)?(?:\w+day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)\.?,?\s+)?"
)
_NUM = r"(\d{1,2})[/.\-](\d{1,2})(?:[/.\-](\d{4}|\d{2}))?"
# Vietnamese patterns read the folded text (see ``fold``): "đến hết ngày" and "den het ngay" alike
_VI_WORDS = r"(\d{1,2})\s+thang\s+(\d{1,2})(?:\s*(?:nam|,)?\s*(\d{4}))?"
# A weekday named before the date: "đến thứ Hai 14/12", "tới Chủ nhật, 20/12"
_VI_WEEKDAY = r"(?:(?:thu\s+(?:hai|ba|tu|nam|sau|bay|\d)|chu nhat),?\s*)?"
_VI_BACK = r"(?:tro lai|quay lai|quay ve|tro ve|di lam (?:tro )?lai|(?<!khong )co mat)"
_VI_TIME = r"(?:\d{1,2}\s*(?:gio|h|:)\s*(?:\d{2}\s*(?:phut\s*)?)?(?:sang|chieu|toi)?\s*)?"
_VI_UNTIL = r"(?:den|toi)\s+(?:het\s+)?" + _VI_TIME + r"(?:ngay\s*)?" + _VI_WEEKDAY + r"(?:ngay\s*)?"

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
_AFTER_DAY = re.compile(r"\bsau\s+ngay\s+(\d{1,2})\b(?![/.\-]\d)")
_SPAN = re.compile(r"(?<![\d/.])\d{1,2}\s*[-\u2013]\s*" + _NUM + r"(?![\d/])")
_DATE_THEN_BACK = re.compile(
    _NUM
    + r"\s*,?\s*(?:(?:toi|em|chi|anh|minh|chung toi)\s+)?(?:(?:se|moi)\s+ve\b|(?:se\s+|moi\s+)?(?:"
    + _VI_BACK
    + r"|(?:tra loi|phan hoi|xem thu|doc thu)"
    # back at the office: "thứ Sáu 11/12 về đến cơ quan"
    r"|ve (?:den |toi |lai )?(?:co quan|don vi|van phong)))"
)
_DAY_OF_MONTH = re.compile(
    r"(?:back(?:\s+in)?|return(?:ing)?|until|till)\s+(?:on\s+)?(?:\w+day,?\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b",
    re.I,
)
# back after a day of the month, the month unsaid: "in the office after the 15th" (the 15th the last day away)
_AFTER_NTH = re.compile(r"\bafter\s+(?:\w+day,?\s+)?the\s+(\d{1,2})(?:st|nd|rd|th)\b", re.I)
# "until the end of March (2027)": back on the first of the next month
_END_OF_MONTH = re.compile(
    r"(?:until|till|through|thru)\s+(?:the\s+)?end\s+of\s+(?P<m1>"
    + _MONTH_NAMES
    + r")\.?(?:,?\s*(?P<y1>\d{4}))?",
    re.I,
)
_BACK_ON_DAY = re.compile(
    r"\b(?:regress\w*|volt\w*|de volta|rientr\w*|torn\w*|di ritorno|terug|weer)\b[^\d\n.]{0,30}?\b(?:dia|giorno|dag)\s+"
    r"(\d{1,2})\b(?![/.\-]\d)(?!\s+(?:de|di|van)\s)"
)
_RETURN_CUES: dict[re.Pattern[str], tuple[str, ...]] = {
    _DAY_OF_MONTH: ("1st", "2nd", "3rd", "0th", "1th", "2th", "3th", "4th", "5th", "6th", "7th", "8th", "9th"),
    _AFTER_NTH: ("after",),
    _END_OF_MONTH: ("nd of", "ND OF"),
    _HALF_DAY_THROUGH: ("chieu", "toi"),
    _HALF_DAY: ("sang", "trua", "chieu"),
    _ANSWERED_FROM: ("tra loi", "phan hoi", "xu ly"),
    _SPAN: ("-", "\u2013"),
    _AFTER_DAY: ("sau ngay",),
    _BACK_ON_DAY: ("dia ", "giorno ", "dag "),
    _DATE_THEN_BACK: ("tro lai", "quay lai", "quay ve", "lai", "co mat", "tra loi", "phan hoi", "xem thu", "doc thu",
                      "se ve", "moi ve", "ve den", "ve toi", "ve lai", "ve co quan", "ve don vi", "ve van phong"),
}  # fmt: skip


# (pattern, language, through): ``through`` means the date is the last day away, so they are back next day.
# "vi" and "vi-month" patterns read the folded text, the others the text as written.
def _span_to(joins: str) -> re.Pattern[str]:
    """English "from D (Month) <join> D Month": the end of the span, as the "en-name" groups read it."""
    day = r"\d{1,2}(?:st|nd|rd|th)?"
    start = (
        r"(?:" + day + r"(?:\s+(?:" + _MONTH_NAMES + r")\.?)?|(?:" + _MONTH_NAMES + r")\.?\s+" + day + r")"
    )
    return re.compile(
        r"\bfrom\s+"
        + _EN_WEEKDAY
        + start
        + r"(?:,?\s*\d{4})?\s*(?:"
        + joins
        + r")\s*"
        + _EN_WEEKDAY
        + r"(?:(?P<m1>"
        + _MONTH_NAMES
        + r")\.?\s+(?P<d1>\d{1,2})(?:st|nd|rd|th)?(?:,?\s*(?P<y1>\d{4}))?"
        r"|(?P<d2>\d{1,2})(?:st|nd|rd|th)?\s+(?P<m2>" + _MONTH_NAMES + r")\.?(?:,?\s*(?P<y2>\d{4}))?)",
        re.I,
    )


_SPAN_TO, _SPAN_THROUGH = _span_to(r"to|until|till|-|\u2013"), _span_to(r"through|thru")
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
            r"(?:(?:den|toi)\s+|[-\u2013]\s*)(?:ngay\s*)?" + _VI_WEEKDAY + _NUM
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
    (
        re.compile(r"(?:den|toi)\s+(?:het|cuoi)\s+thang\s+(\d{1,2})(?:[/\s]+(?:nam\s+)?(\d{4}))?"),
        "vi-month",
        True,
    ),
    (re.compile(_VI_UNTIL + _NUM), "vi", False),
    # the mail answered again from a day: "thư sẽ được trả lời từ ngày 10/12", "xử lý từ thứ Tư 09/12"
    (_ANSWERED_FROM, "vi", False),
    # a span "7-9/12": its last day
    (_SPAN, "vi", False),
    # "hẹn gặp lại sau ngày 03/01": back the day after
    # (not "thứ Sáu 11/12", a Friday; "thư sau ngày" is mail answered after the day)
    (re.compile(r"\bsau(?:\s+ngay\s*|(?<!thu sau)\s+)" + _VI_WEEKDAY + _NUM), "vi", True),
    # ... the month unsaid: "sau ngày 20 mới về" (this month, or the next)
    (_AFTER_DAY, "vi-day", True),
    (re.compile(_VI_UNTIL + _VI_WORDS), "vi", False),
    # the date first, then the writer back or answering, where no "until" took it: "thứ Hai 21/12 chị đi làm lại"
    (_DATE_THEN_BACK, "vi", False),
    (
        re.compile(
            r"(?:back|return(?:ing)?|in the office|reopen(?:s|ing)?|resum(?:e|es|ing))\b[^\d\n]{0,25}?"
            # a time of day first: "reopen at 9am on Monday 4 January", "back at 8.30 on Tuesday 5 January"
            r"(?:at\s+\d{1,2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?\s+)?(?:on\s+)?" + _EN_WEEKDAY + r""
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
    # "until the end of March (2027)": back on the first of the next month
    (_END_OF_MONTH, "en-month", True),
    # a span from one day to another, the month named at its end ("from 7 to 18 December", "from Dec 7 to Dec 18"):
    # back on the last day, the day after where it is "through" it or "inclusive"
    (_SPAN_TO, "en-name", False),
    (_SPAN_THROUGH, "en-name", True),
    (re.compile(r"(?:through|thru)\b[^\d\n]{0,20}?" + _NUM, re.I), "en", True),
    # a day of the month alone: "until the 14th", "back on Monday the 14th" (this month, or the next)
    (_DAY_OF_MONTH, "en-day", False),
    (_AFTER_NTH, "en-day", True),
    (re.compile(r"(?:back|return(?:ing)?|until|till)\b[^\d\n]{0,20}?(?:on\s+)?" + _NUM, re.I), "en", False),
    # back on a day of the month, the month unsaid: "regresso ao escritório no dia 14", "rientro il giorno 14"
    (_BACK_ON_DAY, "en-day", False),
    # French, Spanish, German numeric dates (day first): "jusqu'au 14/12", "hasta el 14/12", "bis zum
    # 14.12.", "ab dem 04.01." (available again from)
    (
        re.compile(
            r"\b(?:" + _UNTIL_FOREIGN + r")\s+(?:\w+\.?,?\s+){0,2}?" + _NUM,
            re.I,
        ),
        "dmy",
        False,
    ),
    # ... and with the month named: "jusqu'au 14 décembre", "hasta el 14 de diciembre", "bis zum 14. Dezember"
    (
        re.compile(
            r"\b(?:" + _UNTIL_FOREIGN + r")\s+(?:\w+,?\s+){0,2}?"
            r"(\d{1,2})\.?\s+(?:de\s+)?(" + _MONTH_NAMES_FOREIGN + r")(?:\s+(?:de\s+)?(\d{4}))?",
            re.I,
        ),
        "dmy-name",
        False,
    ),
)
# A day back said after an "until": "nghỉ đến hết 11/12. Từ thứ Hai 14/12 tôi sẽ làm việc bình thường", "bis zum
# 11.12. auf Dienstreise ... Ab dem 14.12. bin ich wieder im Büro": read before the "until" forms
# The writer, in German or Dutch, there again: "bin ich wieder", "ben ik weer"
_AGAIN = r"(?:bin ich|sind wir|ist (?:er|sie)|ben ik|zijn (?:wij|we)|is (?:hij|zij|ze))\s+(?:wieder|weer)\b"
_RESUME_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"\btu\s+(?:ngay\s*)?" + _VI_WEEKDAY + _NUM + r"\s*,?\s*(?:(?:toi|em|chi|anh|minh|chung toi)\s+)?(?:se\s+)?"
            r"(?:lam viec|di lam|" + _VI_BACK + r")"
        ),
        "vi",
    ),
    (
        re.compile(
            r"(?<!het )(?<!het ngay )(?<!sau )\b(?:ngay\s*|(?=thu\s|chu nhat))" + _VI_WEEKDAY + _NUM + r"\s*,?\s*(?:(?:toi"
            r"|em|chi|anh|minh|chung toi)\s+)?(?:se|moi)\s+(?:lam viec|di lam|tra loi|phan hoi|xu ly|" + _VI_BACK + r")"
        ),
        "vi",
    ),
    (re.compile(r"\b(?:ab|vanaf)\s+(?:dem\s+)?(?:\w+\.?,?\s+)?" + _NUM + r"\.?\s+" + _AGAIN, re.I), "dmy"),
    # ... the month named: "Ab Montag, 14. Dezember bin ich wieder", "Vanaf maandag 14 december ben ik weer"
    (re.compile(r"\b(?:ab|vanaf)\s+(?:dem\s+)?(?:\w+\.?,?\s+)?(\d{1,2})\.?\s+(" + _MONTH_NAMES_FOREIGN
                + r")(?:\s+(\d{4}))?\s*,?\s+" + _AGAIN, re.I), "dmy-name"),
    (re.compile(r"\bwieder\s+(?:im b(?:ü|ue)ro|erreichbar|da|zur(?:ü|ue)ck)\s+(?:ab|am)\s+(?:dem\s+)?(?:\w+,?\s+)?" + _NUM,
                re.I), "dmy"),
)  # fmt: skip
_RESUME_CUES = ("tu ", "wieder", "weer", "se ", "moi ")
# Chinese, Japanese and Korean dates: "12月14日", "2027年1月4日", "12월 14일", and month/day "12/10" (read only in
# such text). The day back ("返回办公室", "に出社", "以降、順次対応", "에 복귀") comes before the day until ("まで",
# "前", "为止", "까지")
_CJK_DATE = (
    r"(?:(?:(\d{4})\s*[年년]\s*)?(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]|(?<![\d/])(\d{1,2})/(\d{1,2})(?![\d/]))"
    r"\s*(?:[(（][^)）]{1,4}[)）]\s*)?"
)
_CJK_BACK = re.compile(
    _CJK_DATE + r"(?:に|에|起|开始|より|から|以降|以後|以后|부터)?[\s、,，]*"
    r"(?:返回|回到|回来|上班|出社|戻|出勤|复工|復帰|復職|复职|복귀|출근|돌아|順次|対応|回复|處理|处理)"
)
_CJK_UNTIL = re.compile(_CJK_DATE + r"(?:まで|迄|之前|以前|前|为止|為止|까지)")
_HAS_CJK = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff\uac00-\ud7af]")
# Thai: a day and month name, the year perhaps in the Buddhist era, after "back" or "until": "กลับมาทำงานในวันที่ 14
# ธันวาคม 2569", "จนถึงวันที่ 11 ธ.ค."
_MONTHS_TH = _month_table(
    "มกราคม ม.ค.", "กุมภาพันธ์ ก.พ.", "มีนาคม มี.ค.", "เมษายน เม.ย.", "พฤษภาคม พ.ค.", "มิถุนายน มิ.ย.", "กรกฎาคม ก.ค.",
    "สิงหาคม ส.ค.", "กันยายน ก.ย.", "ตุลาคม ต.ค.", "พฤศจิกายน พ.ย.", "ธันวาคม ธ.ค.",
)  # fmt: skip
_TH_DATE = re.compile(
    r"(?:กลับ|ถึง)[^\d\n]{0,30}?(\d{1,2})\s*("
    + "|".join(re.escape(name) for name in sorted(_MONTHS_TH, key=len, reverse=True))
    + r")\s*(?:(?:พ\.ศ\.|ค\.ศ\.)\s*)?(\d{4})?"
)
# "14/12 inclus", "through ... inclusive", "по 11 декабря включительно": the date named is the last day away
_INCLUSIVE = re.compile(
    r",?\s*(?:inclus(?:e|ive)?|inclusive|incluido|einschlie(?:ß|ss)lich|включительно|compres[oa]|inclus[oa])\b",
    re.I,
)


# The first day of the lunar year (Tết Nguyên đán, Vietnam's calendar, UTC+7), so that "mùng 7 Tết" and "hết mùng 6
# tháng Giêng" are days of the solar calendar
_TET = {
    2024: date(2024, 2, 10), 2025: date(2025, 1, 29), 2026: date(2026, 2, 17), 2027: date(2027, 2, 6),
    2028: date(2028, 1, 26), 2029: date(2029, 2, 13), 2030: date(2030, 2, 3), 2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
}  # fmt: skip
_TET_DAY = r"(?:mung|mong)\s+(\d{1,2})\b(?![/.\-]\d)"
# (pattern, through): the day back after a Tết day, the writer back on one, away through or until one
_TET_PATTERNS = (
    (re.compile(_VI_BACK + r"[^\d\n]{0,30}?(?:ngay\s+)?" + _TET_DAY), False),
    (
        re.compile(
            _TET_DAY + r"(?:\s+(?:tet|thang gieng))?\s*,?\s*(?:(?:toi|em|chi|anh|minh)\s+)?(?:se\s+|moi\s+)?"
            r"(?:" + _VI_BACK + r"|lam viec|ve co quan)"
        ),
        False,
    ),
    (re.compile(r"(?:den|toi)\s+het\s+(?:ngay\s+)?" + _TET_DAY), True),
    (re.compile(r"(?:den|toi)\s+(?:ngay\s+)?" + _TET_DAY), False),
)


def _tet_return(folded: str, sent: date) -> date | None:
    """A day back said as a day of the lunar New Year ("mùng 7 đi làm lại", "nghỉ đến hết mùng 6 Tết"), in the
    Tết nearest the mail: the one not yet a month past."""
    if not (("mung" in folded or "mong" in folded) and ("tet" in folded or "thang gieng" in folded)):
        return None
    for pattern, through in _TET_PATTERNS:
        match = pattern.search(folded)
        if match is None or not 1 <= int(match.group(1)) <= 15:
            continue
        first = next((day for _, day in sorted(_TET.items()) if day + timedelta(days=30) >= sent), None)
        if first is None:
            return None
        return first + timedelta(days=int(match.group(1)) - 1 + int(through))
    return None


def _make(year: int | None, month: int, day: int, sent: date) -> date | None:
    if year is not None and year < 100:
        year += 2000
    elif year is not None and year > 2400:  # the Buddhist era (Thailand): 2569 is 2026
        year -= 543
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


def return_date(text: str, sent: date, *, relative: bool = True, spans: bool = True) -> date | None:
    """The first date the person says they are back. Vietnamese, French, Spanish and German are day/month;
    English numeric dates are month/day unless the first number cannot be a month. ``đến hết ngày D``
    (through D), "through D", "D inclus" mean back D+1; "đến hết tháng M" back on the 1st of M+1. Where no
    date is written, a day said relative to ``sent`` (relative.py), unless ``relative`` is false; an English span
    "from D to D Month" unless ``spans`` is false (an office closed over a span is a person's news as often)."""
    text = text[:4000]
    folded = fold(text)
    if not text.isascii():
        found_intl = _return_cjk_th(text, sent)
        if found_intl is not None:
            return found_intl
    found_tet = _tet_return(folded, sent)
    if found_tet is not None:
        return found_tet
    for pattern, lang in _RESUME_PATTERNS:
        if not any(cue in folded for cue in _RESUME_CUES):
            break
        match = pattern.search(folded if lang == "vi" else text)
        if match:
            month = _MONTHS_FOREIGN[match.group(2).lower()] if lang == "dmy-name" else int(match.group(2))
            found_again = _make(
                int(match.group(3)) if match.group(3) else None, month, int(match.group(1)), sent
            )
            if found_again is not None:
                return found_again
    for pattern, lang, through in _RETURN_PATTERNS:
        if not spans and pattern in (_SPAN_TO, _SPAN_THROUGH):
            continue
        subject = folded if lang.startswith("vi") else text
        cues = _RETURN_CUES.get(pattern)
        if cues is not None and not any(cue in subject for cue in cues):
            continue
        match = pattern.search(subject)
        if not match:
            continue
        found: date | None
        if lang in ("vi-month", "en-month"):
            month = _MONTHS[match.group(1).lower()] if lang == "en-month" else int(match.group(1))
            y = match.group(2)
            first = _make(int(y) if y else None, month, 1, sent)
            if first is not None:
                return (first + timedelta(days=32)).replace(day=1)
            continue
        if lang in ("en-day", "vi-day"):
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
            said = match.group(0).lower()
            last_day = (
                through
                or bool(_INCLUSIVE.match(subject, match.end()))
                or "einschl" in said
                or said.startswith("по ")
                or said.startswith(("tot en met", "t/m"))
            )
            if last_day:
                found += timedelta(days=1)
            return (
                _day_back_after(subject[match.end() :], subject is text, found, sent) if relative else found
            )
    return relative_return(folded, sent) if relative else None


def _day_back_after(rest: str, as_written: bool, until: date, sent: date) -> date:
    """A day back said after an "until" day, in the days just after it ("until Friday 11 December ... I will
    respond after I return on Monday", "hasta el 11 de diciembre. A partir del lunes ...", "from 12/14 through
    12/18 ... upon my return on 12/21"): the weekend between is no day back. So after a last day away ("đến hết ngày 11/12, tôi sẽ trở lại vào thứ Hai"): ``until`` is
    then the day after it, and the Monday the writer names wins over that Saturday."""
    window = (until, until + timedelta(days=3))
    # a date written out ("through 18/12 ... back on 21/12", "đến 25/12, ngày 28/12 đi làm lại")
    written = return_date(rest, sent, relative=False, spans=False)
    if written is not None and window[0] < written <= window[1]:
        return written
    # a weekday counts from the day before ``until`` (the one before a day back), not from the day the mail was sent
    later = relative_return(fold(rest) if as_written else rest, max(sent, until - timedelta(days=1)))
    return later if later is not None and window[0] < later <= window[1] else until


def _return_cjk_th(text: str, sent: date) -> date | None:
    """The day back in Chinese, Japanese, Korean (the day back before the day until) or Thai text."""
    if _HAS_CJK.search(text):
        for pattern in (_CJK_BACK, _CJK_UNTIL):
            match = pattern.search(text)
            if match:
                y, month, day = (
                    match.group(1),
                    match.group(2) or match.group(4),
                    match.group(3) or match.group(5),
                )
                found = _make(int(y) if y else None, int(month), int(day), sent)
                if found is not None:
                    return found
    if "ถึง" in text or "กลับ" in text:
        match = _TH_DATE.search(text)
        if match:
            y = match.group(3)
            return _make(int(y) if y else None, _MONTHS_TH[match.group(2)], int(match.group(1)), sent)
    return None
