"""The bounce-reason taxonomy (that of the public bounce corpus) with an explanation for operators
in Vietnamese and English, what to do about it, and which reasons say the address itself is bad ("hard").
The one catalogue: the classifier's verdicts, the sender's relay answers and the prober's findings name
reasons from it (the reply -> reason map is ``core.replies``)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Reason:
    name: str
    hard: bool
    vi: str
    en: str
    todo_vi: str = ""  # what to do, where there is something to do
    todo_en: str = ""


_R = Reason
_ALL = (
    _R(
        "userunknown",
        True,
        "Địa chỉ người nhận không tồn tại trên máy chủ thư của đơn vị.",
        "The recipient address does not exist on the receiving mail server.",
        "Liên hệ cơ quan của người nhận để lấy địa chỉ thư điện tử đúng rồi cập nhật danh sách.",
        "Ask the respondent's agency for the correct address and update the roster.",
    ),
    _R(
        "hostunknown",
        True,
        "Tên miền của địa chỉ không tồn tại hoặc không nhận thư (không có bản ghi MX/A).",
        "The address's domain does not exist or accepts no mail (no MX/A record).",
        "Kiểm tra lỗi chính tả trong tên miền; hỏi cơ quan của người nhận địa chỉ đang dùng.",
        "Check the domain for typos; ask the respondent's agency for the address in use.",
    ),
    _R(
        "hasmoved",
        True,
        "Người nhận đã chuyển sang địa chỉ khác; cần cập nhật địa chỉ mới.",
        "The recipient has moved to another address; update it.",
        "Hỏi người nhận địa chỉ mới và cập nhật danh sách.",
        "Ask the respondent for the new address and update the roster.",
    ),
    _R(
        "notaccept",
        True,
        "Máy chủ của tên miền không nhận thư (null MX hoặc từ chối mọi thư).",
        "The domain's mail server accepts no mail at all (null MX or refuses everything).",
        "Đề nghị người nhận cung cấp địa chỉ thư khác (chỉ dùng chữ không dấu trong phần trước @).",
        "Ask the respondent for another address (plain ASCII before the @).",
    ),
    _R(
        "mailboxfull",
        False,
        "Hộp thư người nhận đã đầy; thư sẽ đến được khi họ dọn hộp thư.",
        "The recipient's mailbox is full; mail will get through once it is cleaned up.",
        "Đề nghị người nhận dọn hộp thư hoặc nhờ quản trị tăng dung lượng, rồi gửi lại sau.",
        "Ask the respondent to clear the mailbox or their IT staff to raise the quota, then send again later.",
    ),
    _R(
        "filtered",
        False,
        "Thư bị bộ lọc phía người nhận chặn (địa chỉ bị vô hiệu hoặc chỉ nhận thư từ một số nơi).",
        "A filter at the recipient's side refused the message (address disabled or restricted senders).",
        "Đề nghị bộ phận CNTT của cơ quan nhận cho phép địa chỉ gửi của chiến dịch.",
        "Ask the receiving agency's IT staff to allow the campaign's sender address.",
    ),
    _R(
        "rejected",
        False,
        "Máy chủ người nhận từ chối địa chỉ người gửi (hộp thư gửi đi của chiến dịch).",
        "The receiving server refused our sender address (the campaign's envelope sender).",
        "Kiểm tra địa chỉ người gửi của chiến dịch (tên miền có MX/SPF hợp lệ); đề nghị bên nhận cho phép nó.",
        "Check the campaign's sender address (its domain needs valid MX/SPF); ask the receiving side to allow it.",
    ),
    _R(
        "blocked",
        False,
        "Máy chủ người nhận chặn địa chỉ IP hoặc máy chủ gửi thư của chúng ta; cần bộ phận CNTT xử lý.",
        "The receiving server blocks our sending IP address or host; IT needs to act.",
        "Đề nghị quản trị hệ thống thư điện tử của cơ quan nhận cho phép tên miền/địa chỉ IP máy chủ gửi thư của chúng tôi; kiểm tra IP có trong danh sách đen (DNSBL) không.",
        "Ask the receiving organisation's mail administrators to allow our domain and relay IP; check whether our IP is on a DNS blocklist.",
    ),
    _R(
        "spamdetected",
        False,
        "Thư bị đánh giá là thư rác; nên xem lại nội dung và cấu hình SPF/DKIM.",
        "The message was judged to be spam; review its content and SPF/DKIM setup.",
        "Kiểm tra SPF/DKIM/DMARC của tên miền gửi và nội dung thư; đề nghị cơ quan nhận đưa tên miền của chúng tôi vào danh sách tin cậy.",
        "Check our domain's SPF/DKIM/DMARC and the message content; ask the receiving agency to allow-list our domain.",
    ),
    _R(
        "policyviolation",
        False,
        "Thư vi phạm chính sách của đơn vị nhận (ví dụ loại tệp đính kèm hoặc quy định nội bộ).",
        "The message breaks the receiving organisation's policy (e.g. attachment types, local rules).",
        "Đề nghị quản trị hệ thống thư điện tử của cơ quan nhận cho phép tên miền/địa chỉ IP của chúng tôi.",
        "Ask the receiving organisation's mail administrators to allow our domain or IP.",
    ),
    _R(
        "expired",
        False,
        "Không gửi được trong thời gian cho phép (máy chủ nhận không phản hồi); hệ thống đã bỏ cuộc.",
        "Delivery did not succeed in time (receiving server unreachable); the relay gave up.",
        "Kiểm tra máy chủ nhận có hoạt động không; gửi lại sau.",
        "Check whether the receiving server is up; send again later.",
    ),
    _R(
        "suspend",
        False,
        "Hộp thư người nhận đang bị tạm khóa hoặc không còn sử dụng.",
        "The recipient's mailbox is suspended or no longer in use.",
        "Liên hệ cơ quan của người nhận để lấy địa chỉ đang dùng.",
        "Ask the respondent's agency for an address in use.",
    ),
    _R(
        "mesgtoobig",
        False,
        "Thư quá lớn so với giới hạn của máy chủ nhận.",
        "The message is larger than the receiving server allows.",
        "Giảm kích thước thư (bỏ tệp đính kèm, gửi đường liên kết).",
        "Make the message smaller (drop attachments, send a link).",
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
        "Sửa bản ghi SPF/DKIM/DMARC của tên miền gửi để cho phép máy chủ chuyển thư của chúng tôi.",
        "Fix our sending domain's SPF/DKIM/DMARC so that our relay is allowed.",
    ),
    _R(
        "requireptr",
        False,
        "Máy chủ gửi của chúng ta thiếu bản ghi PTR (phân giải ngược) hợp lệ.",
        "Our sending server lacks a valid PTR (reverse DNS) record.",
        "Đề nghị nhà cung cấp mạng đặt bản ghi PTR cho IP máy chủ gửi thư, khớp với tên HELO.",
        "Ask our network provider to set a PTR record for the relay IP matching its HELO name.",
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
        "Báo quản trị tên miền của cơ quan nhận kiểm tra bản ghi MX và cấu hình máy chủ thư.",
        "Tell the receiving domain's administrators to check their MX record and mail server configuration.",
    ),
    _R(
        "toomanyconn",
        False,
        "Gửi quá nhiều kết nối hoặc thư cùng lúc; cần giảm tốc độ gửi.",
        "Too many connections or messages at once; slow down sending.",
        "Giảm số kết nối đồng thời tới máy chủ này và thử lại sau.",
        "Lower our concurrency towards this server and try again later.",
    ),
    _R(
        "speeding",
        False,
        "Gửi quá nhanh, bên nhận giới hạn tốc độ; thư sẽ được gửi lại sau.",
        "Sending too fast; the recipient rate-limits us and the mail will be retried.",
        "Giảm tốc độ gửi tới máy chủ này; thư sẽ được gửi lại.",
        "Slow down sending to this server; the mail will be retried.",
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
        "challenge",
        False,
        "Bộ lọc thư của người nhận giữ thư lại và yêu cầu người gửi xác nhận (hỏi - đáp chống thư rác); thư chưa "
        "đến, và thư gửi sau cũng bị giữ như vậy cho tới khi có người xác nhận.",
        "The recipient's mail filter holds the message and asks the sender to confirm itself (challenge-response); "
        "it has not arrived, and mail sent later is held the same way until someone confirms.",
        "Đề nghị người nhận (hoặc bộ phận CNTT của họ) thêm địa chỉ gửi của chiến dịch vào danh sách người gửi được "
        "phép, rồi gửi lại.",
        "Ask the respondent (or their IT staff) to add the campaign's sender address to their allowed senders, then "
        "send again.",
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
CHALLENGE = "challenge"
"""The reason of an automatic reply that is a challenge-response request: the mail is held, not delivered."""
HARD_REASONS: frozenset[str] = frozenset(r.name for r in _ALL if r.hard)


def is_hard(reason: str, status: str = "", reply_code: str = "", action: str = "") -> bool:
    """A hard bounce: the reason is about the address itself. An unknown user or domain, or a mailbox that
    moved, is hard whatever the status: a relay that gave up after days of "450 4.1.1" has shown the address
    does not work, and both labelled corpora (and Sisimai, whose labels the first one is) read it so; whether
    the failure is final is the kind's business (a delay is transient in the lifecycle, hard or not). A domain
    that takes no mail (``notaccept``) is hard unless the server's own reply was 4xx ("453 4.3.2 System not
    accepting network messages" is a server that is down, RFC 5321 4.2.1). ``status`` and ``action`` are
    accepted so every path passes the same evidence."""
    if reason not in HARD_REASONS:
        return False
    if reason == "notaccept":
        return reply_code[:1] != "4"
    return True


def explain(reason: str, lang: str = "vi") -> str:
    """One line for operators; an unknown reason is explained as ``undefined``."""
    entry = REASONS.get(reason, REASONS["undefined"])
    return entry.en if lang.lower().startswith("en") else entry.vi


def advise(reason: str, lang: str = "vi") -> str:
    """What an operator or IT can do about ``reason`` ("" where nothing but waiting helps)."""
    entry = REASONS.get(reason, REASONS["undefined"])
    return entry.todo_en if lang.lower().startswith("en") else entry.todo_vi
