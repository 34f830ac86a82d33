"""The one vocabulary operators read: which group each respondent's delivery and completion state
falls in, what each group is called in Vietnamese and English, and a short label for every bounce
reason. ``status``, ``report``, ``events`` and the digest all print these words (pure, no I/O)."""

from __future__ import annotations

import re

from maildaemon.core.model import Completion, Delivery

# Delivery groups, in the order a mail moves through them. Every respondent is in exactly one.
NOT_SENT, RELAY_ACCEPTED, DELIVERED = "not_sent", "relay_accepted", "delivered"
DEFERRED, BOUNCED, FAILED, CHECKED_BAD = "deferred", "bounced", "failed", "checked_bad"
DELIVERY_GROUPS = (NOT_SENT, RELAY_ACCEPTED, DELIVERED, DEFERRED, BOUNCED, FAILED, CHECKED_BAD)
COMPLETION_GROUPS = tuple(c.value for c in Completion)

# A reply, an auto-reply or a completion proves the mail reached the mailbox.
PROOF_COMPLETION = frozenset({Completion.REPLIED, Completion.COMPLETED, Completion.AWAY})
_BY_DELIVERY: dict[str, str] = {
    Delivery.NEW: NOT_SENT, Delivery.CHECKED_OK: NOT_SENT, Delivery.QUEUED: NOT_SENT,
    Delivery.SENT: RELAY_ACCEPTED, Delivery.DELIVERED: DELIVERED, Delivery.DEFERRED: DEFERRED,
    Delivery.BOUNCED: BOUNCED, Delivery.FAILED: FAILED, Delivery.CHECKED_BAD: CHECKED_BAD,
}  # fmt: skip


def delivery_group(delivery: str, completion: str) -> str:
    """The group a respondent's mail is in: proof of receipt (an answer) outranks what the relay said."""
    if delivery == Delivery.DELIVERED or completion in PROOF_COMPLETION:
        return DELIVERED
    return _BY_DELIVERY.get(delivery, NOT_SENT)


WORDS: dict[str, dict[str, str]] = {
    "vi": {
        "respondents": "Số người được khảo sát", "invited": "Đã gửi thư mời",
        NOT_SENT: "Chưa gửi", RELAY_ACCEPTED: "Đã chuyển đi, chưa xác nhận nhận được",
        DELIVERED: "Đã đến hộp thư (có xác nhận)", DEFERRED: "Tạm hoãn, đang gửi lại",
        BOUNCED: "Bị trả lại", FAILED: "Gửi thất bại", CHECKED_BAD: "Địa chỉ không hợp lệ (kiểm tra trước)",
        "pending": "Chưa trả lời", "away": "Vắng mặt", "replied": "Đã trả lời thư (chưa làm phiếu)",
        "completed": "Đã hoàn thành phiếu", "declined": "Từ chối",
    },
    "en": {
        "respondents": "Respondents", "invited": "Invited",
        NOT_SENT: "Not yet sent", RELAY_ACCEPTED: "Relay accepted, delivery not proven",
        DELIVERED: "Delivery proven", DEFERRED: "Deferred, retrying",
        BOUNCED: "Bounced", FAILED: "Failed", CHECKED_BAD: "Bad address (pre-check)",
        "pending": "Not answered", "away": "Away", "replied": "Replied by mail (no survey yet)",
        "completed": "Completed", "declined": "Declined",
    },
}  # fmt: skip

# Short column headers for narrow tables (status): same words, shortened.
SHORT: dict[str, dict[str, str]] = {
    "vi": {
        "respondents": "Tổng", "invited": "Đã mời", NOT_SENT: "Chưa gửi", RELAY_ACCEPTED: "Đã chuyển",
        DELIVERED: "Đã đến", DEFERRED: "Gửi lại", BOUNCED: "Trả lại", FAILED: "Thất bại",
        CHECKED_BAD: "Đ/c sai", "pending": "Chưa TL", "away": "Vắng", "replied": "Trả lời thư",
        "completed": "Hoàn thành", "declined": "Từ chối",
    },
    "en": {
        "respondents": "Total", "invited": "Invited", NOT_SENT: "Not sent", RELAY_ACCEPTED: "Relayed",
        DELIVERED: "Proven", DEFERRED: "Deferred", BOUNCED: "Bounced", FAILED: "Failed",
        CHECKED_BAD: "Bad addr", "pending": "Pending", "away": "Away", "replied": "Replied",
        "completed": "Completed", "declined": "Declined",
    },
}  # fmt: skip

# One short phrase per bounce reason (the long explanation is ``core.reasons.explain``).
_REASON_VI = {
    "userunknown": "hộp thư không tồn tại", "hostunknown": "tên miền không tồn tại",
    "hasmoved": "người nhận đã đổi địa chỉ", "notaccept": "máy chủ không nhận thư",
    "mailboxfull": "hộp thư đầy", "filtered": "bị bộ lọc chặn", "rejected": "máy chủ từ chối người gửi",
    "blocked": "máy chủ gửi bị chặn", "spamdetected": "bị coi là thư rác",
    "policyviolation": "vi phạm chính sách thư", "expired": "quá hạn gửi", "suspend": "hộp thư bị khóa",
    "mesgtoobig": "thư quá lớn", "exceedlimit": "vượt giới hạn", "securityerror": "lỗi bảo mật",
    "authfailure": "xác thực tên miền gửi thất bại", "requireptr": "thiếu bản ghi PTR",
    "badreputation": "uy tín máy chủ gửi thấp", "notcompliantrfc": "thư không đúng chuẩn",
    "systemerror": "lỗi máy chủ nhận", "systemfull": "máy chủ nhận đầy", "networkerror": "lỗi mạng",
    "norelaying": "máy chủ không chuyển tiếp", "toomanyconn": "quá nhiều kết nối",
    "speeding": "gửi quá nhanh", "contenterror": "lỗi nội dung thư", "virusdetected": "bị coi là có virus",
    "syntaxerror": "lỗi cú pháp SMTP", "mailererror": "lỗi chương trình thư",
    "failedstarttls": "lỗi mã hóa TLS", "onhold": "đang chờ xử lý", "undefined": "chưa rõ nguyên nhân",
    "vacation": "trả lời tự động", "feedback": "báo cáo lạm dụng", "delivered": "đã chuyển đến",
    "challenge": "bộ lọc giữ thư chờ người gửi xác nhận",
    "notbounce": "không phải thư báo lỗi",
}  # fmt: skip
_REASON_EN = {
    "userunknown": "mailbox does not exist", "hostunknown": "domain does not exist",
    "hasmoved": "recipient has moved", "notaccept": "server accepts no mail", "mailboxfull": "mailbox full",
    "filtered": "blocked by a filter", "rejected": "sender rejected", "blocked": "our server blocked",
    "spamdetected": "taken for spam", "policyviolation": "mail policy violation", "expired": "gave up retrying",
    "suspend": "mailbox suspended", "mesgtoobig": "message too big", "exceedlimit": "limit exceeded",
    "securityerror": "security error", "authfailure": "sender authentication failed",
    "requireptr": "no PTR record", "badreputation": "poor sender reputation",
    "notcompliantrfc": "not standard mail", "systemerror": "receiving server error",
    "systemfull": "receiving server full", "networkerror": "network error", "norelaying": "relaying denied",
    "toomanyconn": "too many connections", "speeding": "sending too fast", "contenterror": "content error",
    "virusdetected": "taken for a virus", "syntaxerror": "SMTP syntax error", "mailererror": "mailer error",
    "failedstarttls": "TLS failed", "onhold": "on hold", "undefined": "cause unknown",
    "vacation": "auto-reply", "feedback": "abuse report", "delivered": "delivered", "notbounce": "not a bounce",
    "challenge": "held by a filter until the sender confirms",
}  # fmt: skip


def lang_of(lang: str) -> str:
    return "en" if lang.lower().startswith("en") else "vi"


def word(key: str, lang: str = "vi") -> str:
    """The operator's name of a group or figure (``key`` unchanged when it is not one)."""
    return WORDS[lang_of(lang)].get(key, key)


def short(key: str, lang: str = "vi") -> str:
    return SHORT[lang_of(lang)].get(key, key)


def reason_label(reason: str | None, lang: str = "vi") -> str:
    """A bounce reason as a short phrase, never the bare code."""
    table = _REASON_EN if lang_of(lang) == "en" else _REASON_VI
    return table.get(reason or "undefined", table["undefined"])


def state_label(delivery: str, completion: str, reason: str | None, lang: str = "vi") -> str:
    """One person's mail state as operators read it, e.g. "Bị trả lại: hộp thư không tồn tại"."""
    group = delivery_group(delivery, completion)
    text = word(group, lang)
    if group in (BOUNCED, FAILED, CHECKED_BAD, DEFERRED) and reason:
        text += f": {reason_label(reason, lang)}"
    return text


# The event log's fields, values and sources (``events``): the same words, per raw state where an
# event moves between two states of one group (new -> queued).
_EVENT_VI = {
    "delivery": "Thư", "completion": "Trả lời", "outbox": "Hàng đợi", "campaign": "Đợt khảo sát",
    "agency": "Cơ quan", "focal_digest": "Thư gửi đầu mối", "digest_claim": "Lượt gửi thư báo cáo",
    "d:new": "Mới nhập", "d:checked_ok": "Địa chỉ đã kiểm tra", "d:queued": "Chờ gửi",
    "o:queued": "chờ gửi", "o:leased": "đang gửi", "o:sent": "máy chủ thư đã nhận", "o:deferred": "tạm hoãn",
    "o:failed": "thất bại",
    "c:operators": "thư báo cáo hằng ngày", "c:focal": "thư gửi đầu mối",
    "c:taken_over": "gửi lại (lượt trước bị gián đoạn)",
    "s:import": "nhập danh sách", "s:planner": "lập lịch", "s:sender": "gửi thư", "s:watcher": "hộp thư trả về",
    "s:link": "liên kết hoàn thành", "s:daemon": "hệ thống", "s:operator": "cán bộ", "s:check": "kiểm tra địa chỉ",
}  # fmt: skip
_EVENT_EN = {
    "delivery": "Mail", "completion": "Answer", "outbox": "Outbox", "campaign": "Campaign",
    "agency": "Agency", "focal_digest": "Focal-point digest", "digest_claim": "Digest claim",
    "d:new": "Imported", "d:checked_ok": "Address checked", "d:queued": "Queued",
    "o:queued": "queued", "o:leased": "sending", "o:sent": "relay accepted", "o:deferred": "deferred",
    "o:failed": "failed",
    "c:operators": "daily digest", "c:focal": "focal-point digest",
    "c:taken_over": "sent again (the earlier claim was interrupted)",
    "s:import": "roster import", "s:planner": "planner", "s:sender": "sender", "s:watcher": "bounce mailbox",
    "s:link": "completion link", "s:daemon": "daemon", "s:operator": "operator", "s:check": "address check",
}  # fmt: skip


def event_word(field: str, value: str | None, lang: str = "vi") -> str:
    """One value of an event in the operators' words ("-" for none, unknown values as they are)."""
    if value is None or value == "":
        return "-"
    table = _EVENT_EN if lang_of(lang) == "en" else _EVENT_VI
    if field == "delivery":
        return table.get(f"d:{value}") or word(_BY_DELIVERY.get(value, value), lang)
    if field == "completion":
        return word(value, lang)
    if field == "outbox":
        return table.get(f"o:{value}", value)
    if field == "note":
        return note_word(value, lang)
    if field == "digest_claim":
        return table.get(f"c:{value}", value)
    return value


def event_field(field: str, lang: str = "vi") -> str:
    return (_EVENT_EN if lang_of(lang) == "en" else _EVENT_VI).get(field, field)


def event_source(source: str, lang: str = "vi") -> str:
    return (_EVENT_EN if lang_of(lang) == "en" else _EVENT_VI).get(f"s:{source}", source)


# What came back to the bounce mailbox, and how a message was tied to its respondent (`inbound`, the console).
_INBOUND_KINDS = {
    "vi": {"bounce": "thư báo lỗi (bị trả lại)", "delay": "thư báo chậm chuyển", "delivered": "xác nhận đã nhận",
           "autoreply": "trả lời tự động (vắng mặt)", "reply": "thư trả lời", "feedback": "báo cáo thư rác",
           "unknown": "không xác định"},
    "en": {"bounce": "bounce", "delay": "delay notice", "delivered": "delivery confirmation",
           "autoreply": "automatic reply (away)", "reply": "reply", "feedback": "spam report", "unknown": "unknown"},
}  # fmt: skip
_ATTRIBUTED_BY = {
    "vi": {"verp": "địa chỉ trả về riêng (VERP)", "message-id": "Message-ID của thư đã gửi",
           "returned-headers": "tiêu đề thư gốc gửi kèm", "dsn-recipient": "người nhận ghi trong thư báo lỗi",
           "from": "địa chỉ người gửi", "operator": "cán bộ theo dõi gắn tay"},
    "en": {"verp": "its VERP return address", "message-id": "our Message-ID", "returned-headers":
           "our headers quoted back", "dsn-recipient": "the DSN's recipient", "from": "the From address", "operator": "an operator, by hand"},
}  # fmt: skip


_FILTER_REPLY = {"vi": "trả lời tự động (bộ lọc thư)", "en": "automatic reply (mail filter)"}
# a helpdesk's or portal's automatic receipt ("we have received your message"): the mail arrived, nobody is away
_RECEIPT_REPLY = {"vi": "trả lời tự động (xác nhận đã nhận thư)", "en": "automatic reply (receipt)"}


def inbound_kind(kind: str, lang: str = "vi", reason: str | None = None) -> str:
    """An inbound message's verdict (bounce, autoreply, ...) in words. An automatic reply from a
    challenge-response filter, or a receipt, is not the person's absence, so it is not called one."""
    if kind == "autoreply" and reason == "challenge":
        return _FILTER_REPLY[lang_of(lang)]
    if kind == "autoreply" and reason == "delivered":
        return _RECEIPT_REPLY[lang_of(lang)]
    return _INBOUND_KINDS[lang_of(lang)].get(kind, kind)


# What a note in a person's history records when nothing moved: the inbound message's kind (a message
# tied by hand that said nothing we recognise included), a relay's soft failure, an operator's decision.
_NOTES = {
    "vi": {"unknown": "thư nhận về không phân loại được (chỉ ghi lại, không đổi tình trạng)",
           "softfail": "máy chủ nhận tạm từ chối, sẽ gửi lại", "corrected": "đã sửa địa chỉ thư",
           "excluded": "loại khỏi khảo sát", "restored": "đưa trở lại khảo sát", "resend": "gửi lại thư"},
    "en": {"unknown": "a message of no recognised kind (noted, no state changed)",
           "softfail": "refused for now by the receiving server, retried", "corrected": "address corrected",
           "excluded": "excluded from the survey", "restored": "restored to the survey", "resend": "mail resent"},
}  # fmt: skip
# An automatic reply that is a challenge-response filter's request (reason ``challenge``): no absence
_HELD = {
    "vi": "trả lời tự động của bộ lọc thư: bộ lọc của người nhận giữ thư lại và yêu cầu người gửi xác nhận",
    "en": "automatic reply from a mail filter: the recipient's filter holds the mail and asks the sender to confirm",
}
_NOTES["vi"]["challenge"] = _HELD["vi"]
_NOTES["en"]["challenge"] = _HELD["en"]


def note_word(value: str, lang: str = "vi") -> str:
    """A history note's kind in words: an operator decision, a relay soft failure or an inbound kind."""
    table = _NOTES[lang_of(lang)]
    return table.get(value) or _INBOUND_KINDS[lang_of(lang)].get(value, value)


_INBOUND_DETAIL = re.compile(r"^inbound #(\d+): (" + "|".join(_INBOUND_KINDS["en"]) + r")\b")
_HELD_DETAIL = re.compile(r"[ \t]+(?:([245]\.\d{1,3}\.\d{1,3})[ \t]+)?challenge\b")
_MESSAGE_N = {"vi": "thư nhận về số", "en": "inbound message"}
# lifecycle's "inbound #N: KIND STATUS REASON": the status and the reason code that follow the kind, up to
# the diagnostic (" — ...") or the end
_CODED_DETAIL = re.compile(
    r"[ \t]+(?:([245]\.\d{1,3}\.\d{1,3})(?=[ \t]|$))?[ \t]*(?:("
    + "|".join(sorted(_REASON_EN, key=len, reverse=True))
    + r"))?[ \t]*(?=$| — )"
)
# the kind's own words say it already
_SAID_BY_KIND = {("autoreply", "vacation"), ("autoreply", "delivered"), ("delivered", "delivered")}


def inbound_detail(detail: str, lang: str = "vi") -> str:
    """An event's detail with the inbound message it starts with in words ("inbound #7: unknown ..." ->
    "thư nhận về số 7: không xác định ..."); any other detail as recorded."""
    m = _INBOUND_DETAIL.match(detail)
    if m is None:
        return detail
    lang = lang_of(lang)
    rest = detail[m.end() :]
    held = _HELD_DETAIL.match(rest) if m[2] == "autoreply" else None
    if held is not None:  # "autoreply 4.7.0 challenge — ...": the words say what the code did
        status = f" ({held[1]})" if held[1] else ""
        return f"{_MESSAGE_N[lang]} {m[1]}: {_HELD[lang]}{status}{rest[held.end() :]}"
    coded = _CODED_DETAIL.match(rest)
    if coded is not None and (coded[1] or coded[2]):  # "bounce 5.1.1 userunknown — ...": the reason in words
        reason = coded[2] if coded[2] and (m[2], coded[2]) not in _SAID_BY_KIND else ""
        words = f": {reason_label(reason, lang)}" if reason else ""
        status = f" ({coded[1]})" if coded[1] else ""
        kind = inbound_kind(m[2], lang, coded[2])
        return f"{_MESSAGE_N[lang]} {m[1]}: {kind}{words}{status}{rest[coded.end() :]}"
    return f"{_MESSAGE_N[lang]} {m[1]}: {inbound_kind(m[2], lang)}{rest}"


def inbound_id(detail: str) -> int | None:
    """The inbound message an event's detail starts with ("inbound #7: bounce ..." -> 7), or None."""
    m = _INBOUND_DETAIL.match(detail or "")
    return int(m[1]) if m else None


def attributed_by(by: str, lang: str = "vi") -> str:
    """How a message was tied to its respondent (verp, message-id, ..., operator) in words."""
    return _ATTRIBUTED_BY[lang_of(lang)].get(by, by)
