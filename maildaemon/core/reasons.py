"""The bounce-reason taxonomy (that of the public bounce corpus) with an explanation for operators
in Vietnamese and English, and which reasons say the address itself is bad ("hard")."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reason:
    name: str
    hard: bool
    vi: str
    en: str


_R = Reason
_ALL = (
    _R(
        "userunknown",
        True,
        "Địa chỉ người nhận không tồn tại trên máy chủ thư của đơn vị.",
        "The recipient address does not exist on the receiving mail server.",
    ),
    _R(
        "hostunknown",
        True,
        "Tên miền của địa chỉ không tồn tại hoặc không nhận thư (không có bản ghi MX/A).",
        "The address's domain does not exist or accepts no mail (no MX/A record).",
    ),
    _R(
        "hasmoved",
        True,
        "Người nhận đã chuyển sang địa chỉ khác; cần cập nhật địa chỉ mới.",
        "The recipient has moved to another address; update it.",
    ),
    _R(
        "notaccept",
        True,
        "Máy chủ của tên miền không nhận thư (null MX hoặc từ chối mọi thư).",
        "The domain's mail server accepts no mail at all (null MX or refuses everything).",
    ),
    _R(
        "mailboxfull",
        False,
        "Hộp thư người nhận đã đầy; thư sẽ đến được khi họ dọn hộp thư.",
        "The recipient's mailbox is full; mail will get through once it is cleaned up.",
    ),
    _R(
        "filtered",
        False,
        "Thư bị bộ lọc phía người nhận chặn (địa chỉ bị vô hiệu hoặc chỉ nhận thư từ một số nơi).",
        "A filter at the recipient's side refused the message (address disabled or restricted senders).",
    ),
    _R(
        "rejected",
        False,
        "Máy chủ người nhận từ chối địa chỉ người gửi (hộp thư gửi đi của chiến dịch).",
        "The receiving server refused our sender address (the campaign's envelope sender).",
    ),
    _R(
        "blocked",
        False,
        "Máy chủ người nhận chặn địa chỉ IP hoặc máy chủ gửi thư của chúng ta; cần bộ phận CNTT xử lý.",
        "The receiving server blocks our sending IP address or host; IT needs to act.",
    ),
    _R(
        "spamdetected",
        False,
        "Thư bị đánh giá là thư rác; nên xem lại nội dung và cấu hình SPF/DKIM.",
        "The message was judged to be spam; review its content and SPF/DKIM setup.",
    ),
    _R(
        "policyviolation",
        False,
        "Thư vi phạm chính sách của đơn vị nhận (ví dụ loại tệp đính kèm hoặc quy định nội bộ).",
        "The message breaks the receiving organisation's policy (e.g. attachment types, local rules).",
    ),
    _R(
        "expired",
        False,
        "Không gửi được trong thời gian cho phép (máy chủ nhận không phản hồi); hệ thống đã bỏ cuộc.",
        "Delivery did not succeed in time (receiving server unreachable); the relay gave up.",
    ),
    _R(
        "suspend",
        False,
        "Hộp thư người nhận đang bị tạm khóa hoặc không còn sử dụng.",
        "The recipient's mailbox is suspended or no longer in use.",
    ),
    _R(
        "mesgtoobig",
        False,
        "Thư quá lớn so với giới hạn của máy chủ nhận.",
        "The message is larger than the receiving server allows.",
    ),
    _R(
        "exceedlimit",
        False,
        "Thư vượt quá giới hạn kích thước của hộp thư người nhận.",
        "The message exceeds the recipient's own size limit.",
    ),
    _R(
        "securityerror",
        False,
        "Lỗi bảo mật hoặc xác thực (chứng chỉ, SPF/DKIM/DMARC hoặc quyền gửi).",
        "A security or authentication error (certificate, SPF/DKIM/DMARC or sending rights).",
    ),
    _R(
        "authfailure",
        False,
        "Thư không qua được kiểm tra SPF/DKIM/DMARC của bên nhận; cần sửa bản ghi DNS của tên miền gửi.",
        "The message failed the recipient's SPF/DKIM/DMARC checks; fix the sending domain's DNS records.",
    ),
    _R(
        "requireptr",
        False,
        "Máy chủ gửi của chúng ta thiếu bản ghi PTR (phân giải ngược) hợp lệ.",
        "Our sending server lacks a valid PTR (reverse DNS) record.",
    ),
    _R(
        "badreputation",
        False,
        "Uy tín của IP/tên miền gửi thấp nên bên nhận tạm từ chối.",
        "The sending IP or domain has a poor reputation, so the recipient refuses it for now.",
    ),
    _R(
        "notcompliantrfc",
        False,
        "Thư không đúng chuẩn RFC (tiêu đề trùng lặp hoặc sai định dạng).",
        "The message does not comply with the RFCs (duplicate or malformed headers).",
    ),
    _R(
        "systemerror",
        False,
        "Lỗi hệ thống ở máy chủ nhận (cấu hình, vòng lặp thư, lỗi nội bộ).",
        "A system error at the receiving server (configuration, mail loop, internal error).",
    ),
    _R(
        "systemfull",
        False,
        "Ổ đĩa của máy chủ nhận đã đầy.",
        "The receiving server's disk is full.",
    ),
    _R(
        "networkerror",
        False,
        "Lỗi mạng hoặc DNS khi kết nối tới máy chủ nhận.",
        "A network or DNS error while connecting to the receiving server.",
    ),
    _R(
        "norelaying",
        False,
        "Máy chủ từ chối chuyển tiếp thư (relay) cho tên miền này.",
        "The server refuses to relay mail for this domain.",
    ),
    _R(
        "toomanyconn",
        False,
        "Gửi quá nhiều kết nối hoặc thư cùng lúc; cần giảm tốc độ gửi.",
        "Too many connections or messages at once; slow down sending.",
    ),
    _R(
        "speeding",
        False,
        "Gửi quá nhanh, bên nhận giới hạn tốc độ; thư sẽ được gửi lại sau.",
        "Sending too fast; the recipient rate-limits us and the mail will be retried.",
    ),
    _R(
        "contenterror",
        False,
        "Nội dung thư không hợp lệ (mã hóa, ký tự hoặc cấu trúc MIME).",
        "The content is invalid (encoding, characters or MIME structure).",
    ),
    _R(
        "virusdetected",
        False,
        "Thư bị phát hiện có virus hoặc tệp độc hại.",
        "A virus or malicious file was detected in the message.",
    ),
    _R(
        "syntaxerror",
        False,
        "Lỗi cú pháp trong hội thoại SMTP.",
        "A syntax error in the SMTP dialogue.",
    ),
    _R(
        "mailererror",
        False,
        "Chương trình nhận thư ở máy chủ đích bị lỗi.",
        "The mail delivery program at the destination failed.",
    ),
    _R(
        "failedstarttls",
        False,
        "Không thiết lập được kết nối mã hóa STARTTLS với máy chủ nhận.",
        "The STARTTLS handshake with the receiving server failed.",
    ),
    _R(
        "onhold",
        False,
        "Chưa xác định được nguyên nhân; thư đang chờ xử lý.",
        "The cause could not be determined; the message is on hold.",
    ),
    _R(
        "undefined",
        False,
        "Không xác định được nguyên nhân từ thư báo lỗi.",
        "The bounce does not say why delivery failed.",
    ),
    _R(
        "vacation",
        False,
        "Thư trả lời tự động (vắng mặt); người nhận đã nhận được thư.",
        "An automatic (out-of-office) reply; the recipient did receive the mail.",
    ),
    _R(
        "feedback",
        False,
        "Báo cáo lạm dụng (người nhận đánh dấu thư là thư rác).",
        "An abuse report (the recipient marked the mail as spam).",
    ),
    _R(
        "delivered",
        False,
        "Thư đã được chuyển đến hộp thư người nhận.",
        "The message was delivered to the recipient's mailbox.",
    ),
    _R(
        "notbounce",
        False,
        "Không phải thư báo lỗi.",
        "Not a bounce.",
    ),
)

REASONS: dict[str, Reason] = {r.name: r for r in _ALL}
HARD_REASONS: frozenset[str] = frozenset(r.name for r in _ALL if r.hard)


def is_hard(reason: str) -> bool:
    return reason in HARD_REASONS


def explain(reason: str, lang: str = "vi") -> str:
    """One line for operators; an unknown reason is explained as ``undefined``."""
    entry = REASONS.get(reason, REASONS["undefined"])
    return entry.en if lang.lower().startswith("en") else entry.vi
