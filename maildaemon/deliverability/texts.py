"""Pure: the catalogue of deliverability findings, each a severity, a text and what to do, in
Vietnamese and English; ``make`` fills one in. The rules that choose findings are in ``findings``."""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


class Severity(enum.StrEnum):
    OK = "ok"
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"


@dataclass(frozen=True, slots=True)
class Finding:
    """One thing an operator or IT staff should know, with what to do, in both languages."""

    key: str
    severity: Severity
    vi: str
    en: str
    action_vi: str = ""
    action_en: str = ""

    def text(self, lang: str = "vi") -> str:
        return self.en if lang == "en" else self.vi

    def action(self, lang: str = "vi") -> str:
        return self.action_en if lang == "en" else self.action_vi

    def to_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "severity": self.severity.value,
            "vi": self.vi,
            "en": self.en,
            "action_vi": self.action_vi,
            "action_en": self.action_en,
        }


# (severity, vi, en, action_vi, action_en); texts use {code}, {text}, {host}, {domain} ...
_T = tuple[Severity, str, str, str, str]
_S = Severity
TEXTS: Mapping[str, _T] = {
    "accepted": (
        _S.OK,
        "Máy chủ thư của {domain} ({host}) chấp nhận địa chỉ này.",
        "The mail server of {domain} ({host}) accepts this address.",
        "Không cần làm gì.",
        "Nothing to do.",
    ),
    "catch-all": (
        _S.WARNING,
        "Máy chủ thư của {domain} chấp nhận mọi địa chỉ, kể cả địa chỉ bịa ra, nên không xác minh được hộp thư này có tồn tại hay không.",
        "The mail server of {domain} accepts any address, even a made-up one, so we cannot tell whether this mailbox exists.",
        "Gửi thử và theo dõi thư báo lỗi (bounce); nếu cần, xác nhận địa chỉ với người nhận qua điện thoại.",
        "Send and watch for bounces; if needed, confirm the address with the respondent by phone.",
    ),
    "rejected:userunknown": (
        _S.ERROR,
        "Hộp thư không tồn tại: máy chủ {host} trả lời {code} {text}.",
        "The mailbox does not exist: server {host} answered {code} {text}.",
        "Liên hệ cơ quan của người nhận để lấy địa chỉ thư điện tử đúng rồi cập nhật danh sách.",
        "Ask the respondent's agency for the correct address and update the roster.",
    ),
    "rejected:mailboxfull": (
        _S.WARNING,
        "Hộp thư của người nhận đã đầy ({code} {text}).",
        "The respondent's mailbox is full ({code} {text}).",
        "Đề nghị người nhận dọn hộp thư hoặc nhờ quản trị tăng dung lượng, rồi gửi lại sau.",
        "Ask the respondent to clear the mailbox or their IT staff to raise the quota, then send again later.",
    ),
    "rejected:blocked": (
        _S.ERROR,
        "Máy chủ nhận thư chặn địa chỉ gửi của chúng tôi ({code} {text}).",
        "The receiving server blocks our sender ({code} {text}).",
        "Đề nghị quản trị hệ thống thư điện tử của cơ quan nhận cho phép tên miền/địa chỉ IP máy chủ gửi thư của chúng tôi; kiểm tra IP có trong danh sách đen (DNSBL) không.",
        "Ask the receiving organisation's mail administrators to allow our domain and relay IP; check whether our IP is on a DNS blocklist.",
    ),
    "rejected:policyviolation": (
        _S.ERROR,
        "Máy chủ nhận thư từ chối theo chính sách ({code} {text}): họ chặn địa chỉ gửi của chúng tôi.",
        "Rejected by policy ({code} {text}): the receiving server blocks our sender.",
        "Đề nghị quản trị hệ thống thư điện tử của cơ quan nhận cho phép tên miền/địa chỉ IP của chúng tôi.",
        "Ask the receiving organisation's mail administrators to allow our domain or IP.",
    ),
    "rejected:spamdetected": (
        _S.ERROR,
        "Máy chủ nhận coi thư của chúng tôi là thư rác ({code} {text}).",
        "The receiving server treats our mail as spam ({code} {text}).",
        "Kiểm tra SPF/DKIM/DMARC của tên miền gửi và nội dung thư; đề nghị cơ quan nhận đưa tên miền của chúng tôi vào danh sách tin cậy.",
        "Check our domain's SPF/DKIM/DMARC and the message content; ask the receiving agency to allow-list our domain.",
    ),
    "rejected:norelaying": (
        _S.ERROR,
        "Máy chủ {host} không nhận thư cho tên miền này (từ chối chuyển tiếp: {code} {text}); bản ghi MX có thể trỏ sai máy chủ.",
        "Server {host} does not take mail for this domain (relaying denied: {code} {text}); the MX record may point to the wrong server.",
        "Báo quản trị tên miền của cơ quan nhận kiểm tra bản ghi MX và cấu hình máy chủ thư.",
        "Tell the receiving domain's administrators to check their MX record and mail server configuration.",
    ),
    "rejected:authfailure": (
        _S.ERROR,
        "Máy chủ nhận từ chối vì xác thực người gửi không đạt (SPF/DKIM/DMARC: {code} {text}).",
        "The receiving server rejects us because sender authentication failed (SPF/DKIM/DMARC: {code} {text}).",
        "Sửa bản ghi SPF/DKIM/DMARC của tên miền gửi để cho phép máy chủ chuyển thư của chúng tôi.",
        "Fix our sending domain's SPF/DKIM/DMARC so that our relay is allowed.",
    ),
    "rejected:requireptr": (
        _S.ERROR,
        "Máy chủ nhận đòi địa chỉ IP gửi phải có tên miền ngược (PTR) hợp lệ ({code} {text}).",
        "The receiving server requires a valid reverse DNS (PTR) name for our IP ({code} {text}).",
        "Đề nghị nhà cung cấp mạng đặt bản ghi PTR cho IP máy chủ gửi thư, khớp với tên HELO.",
        "Ask our network provider to set a PTR record for the relay IP matching its HELO name.",
    ),
    "rejected:notaccept": (
        _S.ERROR,
        "Địa chỉ này không nhận được thư ({text}).",
        "This address cannot receive mail ({text}).",
        "Đề nghị người nhận cung cấp địa chỉ thư khác (chỉ dùng chữ không dấu trong phần trước @).",
        "Ask the respondent for another address (plain ASCII before the @).",
    ),
    "rejected:suspend": (
        _S.ERROR,
        "Hộp thư đã bị khoá hoặc ngừng sử dụng ({code} {text}).",
        "The mailbox is disabled or suspended ({code} {text}).",
        "Liên hệ cơ quan của người nhận để lấy địa chỉ đang dùng.",
        "Ask the respondent's agency for an address in use.",
    ),
    "rejected:toomanyconn": (
        _S.WARNING,
        "Máy chủ nhận từ chối vì quá nhiều kết nối ({code} {text}).",
        "The receiving server refuses us for too many connections ({code} {text}).",
        "Giảm số kết nối đồng thời tới máy chủ này và thử lại sau.",
        "Lower our concurrency towards this server and try again later.",
    ),
    "rejected": (
        _S.ERROR,
        "Máy chủ {host} từ chối địa chỉ này: {code} {text}.",
        "Server {host} rejects this address: {code} {text}.",
        "Đọc nội dung trả lời của máy chủ; nếu không rõ, gửi nội dung này cho quản trị thư của cơ quan nhận.",
        "Read the server's reply; if unclear, send it to the receiving agency's mail administrators.",
    ),
    "no-domain": (
        _S.ERROR,
        "Tên miền {domain} không tồn tại.",
        "The domain {domain} does not exist.",
        "Kiểm tra lỗi chính tả trong địa chỉ (ví dụ .gov.vn); hỏi lại địa chỉ đúng.",
        "Check the address for typos (e.g. .gov.vn) and ask for the correct address.",
    ),
    "null-mx": (
        _S.ERROR,
        "Tên miền {domain} khai báo không nhận thư (null MX, RFC 7505).",
        "The domain {domain} declares that it accepts no mail (null MX, RFC 7505).",
        "Hỏi người nhận địa chỉ thư điện tử thuộc tên miền khác.",
        "Ask the respondent for an address at another domain.",
    ),
    "no-mail-host": (
        _S.ERROR,
        "Tên miền {domain} không có máy chủ nhận thư (không có MX, không có A/AAAA dùng được).",
        "The domain {domain} has no mail server (no MX and no usable A/AAAA).",
        "Báo quản trị tên miền của cơ quan nhận khai báo bản ghi MX.",
        "Tell the domain's administrators to publish an MX record.",
    ),
    "a-fallback": (
        _S.WARNING,
        "Tên miền {domain} không có bản ghi MX; thư được gửi tới địa chỉ A/AAAA của tên miền.",
        "The domain {domain} has no MX record; mail goes to the domain's A/AAAA address.",
        "Thường vẫn nhận được thư, nhưng nên đề nghị quản trị tên miền khai báo bản ghi MX.",
        "Mail usually still arrives, but ask the domain's administrators to publish an MX record.",
    ),
    "dns-error": (
        _S.WARNING,
        "Không tra cứu được DNS của {domain}: {text}.",
        "The DNS lookup for {domain} failed: {text}.",
        "Thử lại sau; nếu lặp lại, kiểm tra máy chủ DNS của chúng tôi và của tên miền nhận.",
        "Try again later; if it persists, check our resolver and the domain's name servers.",
    ),
    "unreachable": (
        _S.ERROR,
        "Không kết nối được tới máy chủ thư của {domain}: {text}.",
        "Could not hold a conversation with the mail servers of {domain}: {text}.",
        "Thử lại sau; nếu lặp lại, báo quản trị thư của cơ quan nhận (máy chủ tắt, tường lửa chặn cổng 25, hoặc chặn IP của chúng tôi).",
        "Try again later; if it persists, tell the receiving agency's mail administrators (server down, port 25 firewalled, or our IP blocked).",
    ),
    "greylisting": (
        _S.INFO,
        "Máy chủ tạm hoãn (greylisting hoặc lỗi tạm thời: {code} {text}); chưa có kết luận.",
        "The server deferred us (greylisting or a temporary error: {code} {text}); no verdict yet.",
        "Không cần làm gì: hệ thống sẽ tự thử lại sau vài phút.",
        "Nothing to do: the check is retried automatically in a few minutes.",
    ),
    "try-later:toomanyconn": (
        _S.INFO,
        "Máy chủ đang quá tải hoặc giới hạn số kết nối ({code} {text}); chưa có kết luận.",
        "The server is busy or limits connections ({code} {text}); no verdict yet.",
        "Thử lại sau; nếu lặp lại, giảm số kết nối đồng thời tới máy chủ này.",
        "Try later; if it persists, lower the concurrency towards this server.",
    ),
    "unknown": (
        _S.WARNING,
        "Không hiểu được câu trả lời của máy chủ {host}: {text}.",
        "Could not understand server {host}: {text}.",
        "Gửi bản ghi phiên làm việc (transcript) này cho bộ phận CNTT để xem xét.",
        "Pass this transcript to IT staff to look at.",
    ),
    "invalid": (
        _S.ERROR,
        "Địa chỉ không hợp lệ: {text}.",
        "The address is not valid: {text}.",
        "Sửa địa chỉ trong danh sách người nhận.",
        "Correct the address in the roster.",
    ),
    "tls:expired": (
        _S.ERROR,
        "Chứng chỉ TLS của máy chủ {host} đã hết hạn ({not_after}).",
        "The TLS certificate of server {host} has expired ({not_after}).",
        "Báo quản trị thư của cơ quan nhận gia hạn chứng chỉ TLS.",
        "Tell the receiving agency's mail administrators to renew the TLS certificate.",
    ),
    "tls:self-signed": (
        _S.ERROR,
        "Máy chủ {host} dùng chứng chỉ TLS tự ký, không được tổ chức cấp chứng chỉ tin cậy xác nhận.",
        "Server {host} uses a self-signed TLS certificate that no trusted authority vouches for.",
        "Báo quản trị thư của cơ quan nhận dùng chứng chỉ do tổ chức tin cậy cấp; hoặc tắt kiểm tra chứng chỉ cho tên miền này nếu chấp nhận rủi ro.",
        "Ask the receiving agency's mail administrators for a certificate from a trusted authority, or turn verification off for this domain if the risk is accepted.",
    ),
    "tls:untrusted": (
        _S.ERROR,
        "Chứng chỉ TLS của máy chủ {host} không được xác nhận bởi tổ chức tin cậy ({error}).",
        "The TLS certificate of server {host} is not issued by a trusted authority ({error}).",
        "Báo quản trị thư của cơ quan nhận cài đủ chuỗi chứng chỉ; hoặc thêm CA của họ vào tệp CA của chúng tôi.",
        "Ask the receiving agency's mail administrators to install the full chain, or add their CA to our CA file.",
    ),
    "tls:name-mismatch": (
        _S.ERROR,
        "Chứng chỉ TLS của máy chủ {host} cấp cho tên khác ({names}).",
        "The TLS certificate of server {host} is for other names ({names}).",
        "Báo quản trị thư của cơ quan nhận dùng chứng chỉ có tên trùng với bản ghi MX.",
        "Ask the receiving agency's mail administrators for a certificate matching the MX host name.",
    ),
    "tls:handshake": (
        _S.ERROR,
        "Không thiết lập được kết nối mã hoá TLS với máy chủ {host}: {error}.",
        "The TLS handshake with server {host} failed: {error}.",
        "Báo quản trị thư của cơ quan nhận kiểm tra cấu hình TLS (phiên bản, bộ mã hoá).",
        "Ask the receiving agency's mail administrators to check their TLS setup (versions, ciphers).",
    ),
    "tls:expiring": (
        _S.WARNING,
        "Chứng chỉ TLS của máy chủ {host} sắp hết hạn ({not_after}).",
        "The TLS certificate of server {host} expires soon ({not_after}).",
        "Báo quản trị thư của cơ quan nhận gia hạn chứng chỉ.",
        "Remind the receiving agency's mail administrators to renew it.",
    ),
    "tls:none": (
        _S.INFO,
        "Máy chủ {host} không hỗ trợ STARTTLS: thư được truyền không mã hoá.",
        "Server {host} does not offer STARTTLS: mail travels unencrypted.",
        "Đề nghị quản trị thư của cơ quan nhận bật STARTTLS.",
        "Suggest the receiving agency's mail administrators enable STARTTLS.",
    ),
    "spf:missing": (
        _S.ERROR,
        "Tên miền gửi {domain} của chúng tôi không có bản ghi SPF.",
        "Our sender domain {domain} has no SPF record.",
        'Thêm bản ghi TXT "v=spf1 ip4:<IP máy chủ gửi> -all" cho {domain}.',
        'Publish a TXT record "v=spf1 ip4:<relay IP> -all" for {domain}.',
    ),
    "spf:not-allowed": (
        _S.ERROR,
        "Bản ghi SPF của {domain} không cho phép IP máy chủ gửi {ip} (kết quả: {verdict}).",
        "The SPF record of {domain} does not allow our relay IP {ip} (result: {verdict}).",
        "Thêm ip4:{ip} vào bản ghi SPF của {domain}.",
        "Add ip4:{ip} to the SPF record of {domain}.",
    ),
    "spf:error": (
        _S.WARNING,
        "Không kiểm tra được SPF của {domain}: {error}.",
        "Could not check the SPF of {domain}: {error}.",
        "Kiểm tra lại bản ghi SPF (cú pháp, số lần tra cứu DNS ≤ 10).",
        "Check the SPF record (syntax, at most 10 DNS lookups).",
    ),
    "dmarc:missing": (
        _S.WARNING,
        "Tên miền gửi {domain} chưa có bản ghi DMARC.",
        "Our sender domain {domain} has no DMARC record.",
        'Thêm bản ghi TXT tại _dmarc.{domain}, ví dụ "v=DMARC1; p=none; rua=mailto:...".',
        'Publish a TXT record at _dmarc.{domain}, e.g. "v=DMARC1; p=none; rua=mailto:...".',
    ),
    "history:bounced-now-accepted": (
        _S.INFO,
        "Trước đây thư tới địa chỉ này bị trả lại ({reason_vi}, lúc {when}), nhưng nay máy chủ chấp nhận.",
        "Mail to this address bounced before ({reason_en}, at {when}), but the server accepts it now.",
        "Có thể xoá trạng thái bị trả lại và gửi lại.",
        "The bounce can be cleared and the mail sent again.",
    ),
    "history:delivered-now-rejected": (
        _S.WARNING,
        "Địa chỉ này đã từng nhận thư ({when}) nhưng nay bị từ chối: hộp thư có thể mới bị xoá hoặc đổi.",
        "This address received mail before ({when}) but is rejected now: the mailbox may have been removed or renamed.",
        "Liên hệ người nhận hoặc cơ quan để lấy địa chỉ mới.",
        "Contact the respondent or agency for the new address.",
    ),
    "history:domain-took-mail": (
        _S.WARNING,
        "Máy kiểm tra không thấy tên miền {domain} ({outcome_vi}), nhưng máy chủ gửi thư của chúng tôi đã chuyển thư tới đó lúc {when}: tên miền có tồn tại. DNS mà máy kiểm tra dùng khác DNS của máy chủ gửi (ví dụ DNS nội bộ).",
        "This checker cannot see the domain {domain} ({outcome_en}), yet our relay delivered mail there at {when}: the domain exists. The DNS this checker uses differs from the relay's (an internal DNS, for instance).",
        "Không sửa địa chỉ vì lý do này. Đặt checker.nameservers là DNS mà máy chủ gửi dùng, rồi chẩn đoán lại.",
        "Do not correct the address for this. Set checker.nameservers to the DNS the relay uses, then diagnose again.",
    ),
    "history:last-bounce": (
        _S.WARNING,
        "Thư gần nhất bị trả lại lúc {when}: {reason_vi}",
        "The latest mail bounced at {when}: {reason_en}",
        "{todo_vi}",
        "{todo_en}",
    ),
    "history:repeated-try-later": (
        _S.WARNING,
        "Máy chủ đã tạm hoãn {count} lần liên tiếp.",
        "The server has deferred us {count} times in a row.",
        "Báo quản trị thư của cơ quan nhận; kiểm tra IP gửi có bị giới hạn hay chặn không.",
        "Tell the receiving agency's mail administrators; check whether our IP is rate-limited or blocked.",
    ),
}


class _Blank(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def make(key: str, **params: Any) -> Finding:
    """The finding ``key`` with its texts filled in (missing parameters show as "?")."""
    sev, vi, en, avi, aen = TEXTS[key]
    p = _Blank({k: ("" if v is None else v) for k, v in params.items()})
    return Finding(key, sev, vi.format_map(p), en.format_map(p), avi.format_map(p), aen.format_map(p))


def keys() -> frozenset[str]:
    return frozenset(TEXTS)
