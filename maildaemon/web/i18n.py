"""The console's words in Vietnamese (default) and English, on top of the report's labels, and times
shown in the campaign's own zone."""

from __future__ import annotations

import re
from datetime import datetime

from maildaemon.core import reasons
from maildaemon.core.model import Delivery
from maildaemon.reporting import vocabulary as V
from maildaemon.reporting.render.labels import Labels

LANGS = ("vi", "en")

_VI: dict[str, str] = {
    "console": "Theo dõi khảo sát", "login": "Đăng nhập", "logout": "Đăng xuất", "username": "Tên đăng nhập",
    "password": "Mật khẩu", "login_failed": "Tên đăng nhập hoặc mật khẩu không đúng, hoặc tài khoản đang tạm khoá. "
    "Vui lòng thử lại sau ít phút hoặc liên hệ quản trị viên.", "signed_in_as": "Đang đăng nhập:",
    "campaigns": "Các đợt khảo sát", "progress": "Tiến độ", "of_target": "so với chỉ tiêu",
    "daemon": "Tình trạng hệ thống gửi thư", "last_event": "Hoạt động gần nhất", "last_poll": "Lần đọc hộp thư trả lại gần nhất",
    "queue_due": "Thư đến giờ gửi (mọi đợt)", "never": "chưa có", "agencies": "Cơ quan, đơn vị", "people_in": "Danh sách người được khảo sát",
    "filter_all": "Tất cả", "filter_pending": "Chưa trả lời", "filter_bounced": "Thư bị trả lại",
    "filter_away": "Vắng mặt", "filter_replied": "Đã phản hồi qua thư", "filter_completed": "Đã hoàn thành",
    "search": "Tìm theo tên hoặc địa chỉ thư", "search_btn": "Tìm", "reason_any": "Mọi nguyên nhân",
    "page": "Trang", "prev": "« Trang trước", "next": "Trang sau »", "found": "Tìm thấy", "nobody": "Không có ai phù hợp.",
    "history": "Lịch sử", "at": "Thời điểm", "what": "Nội dung", "source": "Nguồn", "detail": "Chi tiết",
    "downloads": "Tải báo cáo", "report_html": "Báo cáo (trang web)", "report_xlsx": "Báo cáo Excel (.xlsx)",
    "report_csv": "Bảng số liệu (.csv)", "not_found": "Không tìm thấy trang này, hoặc bạn không có quyền xem.",
    "forbidden": "Yêu cầu bị từ chối: phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Vui lòng tải lại trang.",
    "back": "Quay lại", "home": "Trang chủ", "times_in": "Giờ theo múi", "paused": "Đang tạm dừng",
    "open": "Đang mở", "closes": "Kết thúc", "role_admin": "Quản trị", "role_operator": "Cán bộ Sở Nội vụ",
    "role_focal": "Đầu mối cơ quan", "role_it": "Cán bộ CNTT", "your_scope": "Phạm vi", "whole": "toàn tỉnh",
    "answered": "đã trả lời", "sub_agencies": "Đơn vị trực thuộc", "person": "Người được khảo sát",
    "lang_other": "English", "updated": "Cập nhật lúc", "too_large": "Dữ liệu gửi lên quá lớn.",
    "f_delivery": "Tình trạng thư", "f_completion": "Tình trạng trả lời", "f_outbox": "Thư", "f_campaign": "Đợt khảo sát",
    "f_note": "Ghi chú", "f_address": "Địa chỉ",
    "src_import": "Nhập danh sách", "src_planner": "Lập lịch gửi", "src_sender": "Gửi thư",
    "src_watcher": "Đọc thư phản hồi", "src_checker": "Kiểm tra địa chỉ", "src_operator": "Cán bộ theo dõi",
    "src_link": "Hệ thống khảo sát", "src_completions": "Nhập kết quả khảo sát", "src_purge": "Xoá dữ liệu cá nhân",
    "o_queued": "Chờ gửi", "o_leased": "Đang gửi", "o_sent": "Đã gửi", "o_deferred": "Đang gửi lại",
    "o_failed": "Gửi thất bại", "o_cancelled": "Đã huỷ", "show": "Hiển thị", "vn_time": "giờ Việt Nam",
    "zone_time": "giờ theo múi", "deliverability": "Khả năng nhận thư của địa chỉ (cho cán bộ CNTT)",
    "h_check": "Kiểm tra hộp thư", "h_sent": "Máy chủ nhận thư đã nhận", "h_deferred": "Tạm hoãn, sẽ gửi lại",
    "h_bounce": "Thư bị trả lại", "h_delivered": "Đã đến hộp thư", "h_reply": "Thư trả lời", "h_autoreply": "Trả lời tự động",
    "outcome": "Kết quả", "audit": "Nhật ký thao tác", "address_ip": "Địa chỉ máy", "a_ok": "Thành công",
    "a_denied": "Bị từ chối", "a_failed": "Không thành công", "r_accepted": "Hộp thư nhận", "r_rejected": "Hộp thư từ chối", "r_no-mx": "Tên miền không nhận thư",
    "r_no-domain": "Tên miền không tồn tại", "r_unreachable": "Không kết nối được", "r_catch-all": "Nhận mọi địa chỉ",
    "r_tempfail": "Tạm thời từ chối", "k_invitation": "Thư mời", "k_reminder": "Thư nhắc lần", "k_final": "Thư nhắc cuối",
    # what goes out next; mail tied to nobody; the mailbox check
    "next_title": "Thư sắp gửi", "in_window": "Đang trong khung giờ gửi thư.",
    "outside_window": "Ngoài khung giờ gửi thư; mở lại lúc", "window_never": "Khung giờ gửi thư không mở lại trước khi đợt khảo sát kết thúc.",
    "campaign_closed": "Đợt khảo sát đã kết thúc: không gửi thêm thư.", "due_now": "Đến hạn, gửi ngay",
    "queued_later": "Đã xếp lịch, gửi sau", "next_send": "Lần gửi tiếp theo", "nothing_waiting": "Không có thư nào đang chờ gửi.",
    "unattributed": "Thư chưa xác định được người nhận khảo sát", "unattributed_none": "Không có thư nào chưa xác định.",
    "unattributed_help": "Thư trả lại, trả lời tự động hoặc thư trả lời mà hệ thống không gắn được với ai. "
    "Mở từng thư để đọc và chọn đúng người.", "received": "Nhận lúc", "kind": "Phân loại", "from": "Người gửi",
    "to": "Người nhận", "subject": "Tiêu đề", "sent_date": "Ngày gửi", "attachments": "Tệp đính kèm / phần không hiển thị",
    "empty_text": "(thư không có phần văn bản)", "tied_to": "Đã gắn với", "tied_by": "theo", "message_n": "Thư nhận số",
    "assign_title": "Đây là thư của người …", "assign_help": "Tìm người được khảo sát theo tên hoặc địa chỉ thư, rồi chọn đúng người. "
    "Kết quả của thư (bị trả lại, vắng mặt, đã trả lời…) sẽ được ghi cho người đó.", "assign_btn": "Đây là thư của người này",
    "assign_refused": "Không gắn được: thư này đã được gắn với một người khác. Hãy tải lại trang.",
    "diagnose_btn": "Kiểm tra hộp thư", "diagnose_help": "Kiểm tra trực tiếp máy chủ nhận thư của địa chỉ này (DNS, SMTP, TLS); có thể mất đến một phút.",
    "diagnose_title": "Kết quả kiểm tra hộp thư", "diagnose_busy": "Bạn đã kiểm tra quá nhiều lần trong một phút. Vui lòng đợi một phút rồi thử lại.",
    "diagnose_off": "Chức năng kiểm tra hộp thư chưa được bật trên máy chủ này ([checker]).",
    # what the receiving server said (a message's page), the message behind a history row (a person's page)
    "server_said": "Máy chủ thư bên nhận trả lời", "auto_said": "Nội dung trả lời tự động",
    "server_said_help": "Nguyên văn lời máy chủ, để cán bộ CNTT đối chiếu với nhật ký máy chủ thư.",
    "failed_rcpt": "Người nhận", "answered_by": "Máy chủ trả lời", "server_words": "Nguyên văn",
    "no_words": "(thư báo không chép lại lời máy chủ)", "unknown_mta": "(thư báo không ghi tên máy chủ)",
    "failure": "Loại lỗi", "temporary": "Tạm thời: thư sẽ được gửi lại",
    "perm_address": "Vĩnh viễn: địa chỉ thư không dùng được", "perm_message": "Vĩnh viễn: thư bị từ chối, địa chỉ vẫn đúng",
    "more_rcpts": "Còn nữa, không hiển thị:", "open_message": "Xem thư",
}  # fmt: skip
_EN: dict[str, str] = {
    "console": "Survey console", "login": "Sign in", "logout": "Sign out", "username": "Username",
    "password": "Password", "login_failed": "Wrong username or password, or the account is locked for now. "
    "Try again in a few minutes or ask the administrator.", "signed_in_as": "Signed in:",
    "campaigns": "Campaigns", "progress": "Progress", "of_target": "of target",
    "daemon": "Mail system health", "last_event": "Last activity", "last_poll": "Bounce mailbox last read",
    "queue_due": "Mail due now (all campaigns)", "never": "never", "agencies": "Agencies", "people_in": "People surveyed",
    "filter_all": "Everyone", "filter_pending": "Not answered", "filter_bounced": "Bounced",
    "filter_away": "Away", "filter_replied": "Replied by mail", "filter_completed": "Completed",
    "search": "Search by name or address", "search_btn": "Search", "reason_any": "Any reason",
    "page": "Page", "prev": "« Previous", "next": "Next »", "found": "Found", "nobody": "Nobody matches.",
    "history": "History", "at": "When", "what": "What", "source": "Source", "detail": "Detail",
    "downloads": "Download the report", "report_html": "Report (web page)", "report_xlsx": "Excel report (.xlsx)",
    "report_csv": "Figures (.csv)", "not_found": "This page does not exist, or you may not see it.",
    "forbidden": "Request refused: the session expired or the form is not valid. Reload the page.",
    "back": "Back", "home": "Home", "times_in": "Times in", "paused": "Paused",
    "open": "Open", "closes": "Closes", "role_admin": "Administrator", "role_operator": "Home Affairs operator",
    "role_focal": "Agency focal point", "role_it": "IT staff", "your_scope": "Scope", "whole": "whole province",
    "answered": "answered", "sub_agencies": "Units below", "person": "Respondent",
    "lang_other": "Tiếng Việt", "updated": "Updated", "too_large": "The form sent is too large.",
    "f_delivery": "Mail status", "f_completion": "Answer status", "f_outbox": "Mail", "f_campaign": "Campaign",
    "f_note": "Note", "f_address": "Address",
    "src_import": "Roster import", "src_planner": "Planner", "src_sender": "Sender",
    "src_watcher": "Bounce mailbox", "src_checker": "Address check", "src_operator": "Operator",
    "src_link": "Survey platform", "src_completions": "Completions import", "src_purge": "Personal data purge",
    "o_queued": "Queued", "o_leased": "Sending", "o_sent": "Sent", "o_deferred": "Deferred",
    "o_failed": "Failed", "o_cancelled": "Cancelled", "show": "Show", "vn_time": "Vietnam time",
    "zone_time": "time zone", "deliverability": "Deliverability of this address (for IT staff)",
    "h_check": "Mailbox check", "h_sent": "Accepted by the relay", "h_deferred": "Deferred, will retry",
    "h_bounce": "Bounced", "h_delivered": "Delivered to the mailbox", "h_reply": "Reply", "h_autoreply": "Auto-reply",
    "outcome": "Outcome", "audit": "Audit log", "address_ip": "From", "a_ok": "Done",
    "a_denied": "Refused", "a_failed": "Failed", "r_accepted": "Mailbox accepts", "r_rejected": "Mailbox refuses", "r_no-mx": "Domain takes no mail",
    "r_no-domain": "No such domain", "r_unreachable": "Unreachable", "r_catch-all": "Accepts any address",
    "r_tempfail": "Refused for now", "k_invitation": "Invitation", "k_reminder": "Reminder", "k_final": "Final reminder",
    # what goes out next; mail tied to nobody; the mailbox check
    "next_title": "What goes out next", "in_window": "Inside the send window.",
    "outside_window": "Outside the send window; it opens again at", "window_never": "The send window does not open again before the campaign closes.",
    "campaign_closed": "The campaign has closed: no more mail goes out.", "due_now": "Due now",
    "queued_later": "Queued for later", "next_send": "Next send", "nothing_waiting": "No mail is waiting.",
    "unattributed": "Mail tied to nobody", "unattributed_none": "No message is waiting to be tied.",
    "unattributed_help": "Bounces, automatic replies and replies the daemon could not tie to a respondent. "
    "Open one to read it and pick the right person.", "received": "Received", "kind": "Verdict", "from": "From",
    "to": "To", "subject": "Subject", "sent_date": "Date", "attachments": "Attachments / parts not shown",
    "empty_text": "(no text part)", "tied_to": "Tied to", "tied_by": "by", "message_n": "Inbound message",
    "assign_title": "This is person X's mail", "assign_help": "Search the respondents by name or address, then pick the right one. "
    "What the message says (bounced, away, replied, ...) is then recorded for that person.", "assign_btn": "This is their mail",
    "assign_refused": "Not tied: this message has been tied to someone already. Reload the page.",
    "diagnose_btn": "Check the mailbox", "diagnose_help": "Asks this address's mail server directly (DNS, SMTP, TLS); it may take up to a minute.",
    "diagnose_title": "Mailbox check", "diagnose_busy": "Too many checks in one minute. Wait a minute and try again.",
    "diagnose_off": "The mailbox check is not set up on this server ([checker]).",
    "server_said": "What the receiving mail server said", "auto_said": "What the automatic reply says",
    "server_said_help": "The server's own words, for IT staff to match against their mail server's logs.",
    "failed_rcpt": "Recipient", "answered_by": "Answered by", "server_words": "Its words",
    "no_words": "(the notice does not quote the server)", "unknown_mta": "(the notice does not name the server)",
    "failure": "Failure", "temporary": "Temporary: the mail is tried again",
    "perm_address": "Permanent: the address does not work", "perm_message": "Permanent: the mail was refused, the address is fine",
    "more_rcpts": "More, not shown:", "open_message": "Read the message",
}  # fmt: skip
# The operator's actions on the person and campaign pages: forms, outcomes (done_*), refusals (why_*).
_VI_ACT: dict[str, str] = {
    "act_title": "Xử lý", "act_correct": "Sửa địa chỉ thư", "act_new_address": "Địa chỉ thư mới",
    "act_correct_help": "Người này giữ nguyên mã phiếu và lịch sử; thư chưa đến được sẽ gửi lại tới địa chỉ mới.",
    "act_correct_btn": "Lưu địa chỉ mới", "act_exclude": "Loại khỏi khảo sát",
    "act_exclude_reason": "Lý do (ví dụ: đã chuyển công tác, nghỉ dài hạn)", "act_exclude_btn": "Loại khỏi khảo sát",
    "act_excluded": "Đã loại khỏi khảo sát", "act_restore_btn": "Đưa trở lại khảo sát", "act_resend": "Gửi lại thư",
    "act_resend_help": "Gửi lại thư gần nhất chưa đến được, sau khi nguyên nhân đã được khắc phục.",
    "act_resend_btn": "Gửi lại thư", "act_pause_btn": "Tạm dừng gửi thư", "act_resume_btn": "Tiếp tục gửi thư",
    "act_sending": "Trạng thái gửi thư", "running": "Đang gửi theo lịch", "halted": "Đã dừng do lỗi",
    "done_corrected": "Đã sửa địa chỉ. Thư chưa đến được sẽ gửi lại tới địa chỉ mới lúc {when}.",
    "done_corrected_plan": "Đã sửa địa chỉ. Thư mời sẽ được gửi tới địa chỉ mới theo lịch gửi.",
    "done_corrected_only": "Đã sửa địa chỉ.", "done_excluded": "Đã loại người này khỏi khảo sát: không gửi thêm thư.",
    "done_restored": "Đã đưa người này trở lại khảo sát.", "done_resent": "Thư sẽ được gửi lại lúc {when}.",
    "done_paused": "Đã tạm dừng gửi thư của đợt khảo sát.", "done_resumed": "Đã tiếp tục gửi thư của đợt khảo sát.",
    "done_unchanged": "Không có thay đổi: đợt khảo sát đã ở trạng thái này.",
    "why_invalid": "Địa chỉ mới không hợp lệ. Vui lòng kiểm tra lại (ví dụ: ten@coquan.gov.vn).",
    "why_same": "Địa chỉ mới trùng với địa chỉ hiện tại.",
    "why_taken": "Địa chỉ này đang là địa chỉ của một người khác trong đợt khảo sát. Hãy sửa hoặc loại người đó trước.",
    "why_closed": "Đợt khảo sát đã kết thúc: không còn gửi thư.",
    "why_excluded": "Người này đã bị loại khỏi khảo sát: hãy đưa trở lại trước.",
    "why_already_excluded": "Người này đã bị loại khỏi khảo sát.", "why_not_excluded": "Người này không bị loại khỏi khảo sát.",
    "why_reason_needed": "Vui lòng ghi lý do loại khỏi khảo sát.",
    "why_hard_bounce": "Địa chỉ này bị trả lại vĩnh viễn (không tồn tại hoặc bị từ chối): hãy sửa địa chỉ; thư sẽ tự gửi lại tới địa chỉ mới.",
    "why_not_sent_yet": "Chưa có thư nào được gửi cho người này.",
    "why_nothing_to_resend": "Không có thư nào cần gửi lại.", "why_too_long": "Nội dung nhập quá dài.",
    "why_failed": "Không thực hiện được. Vui lòng tải lại trang và thử lại.",
    "why_no_domain": "Chưa sửa: tên miền của địa chỉ mới không tồn tại hoặc không nhận thư (không có máy chủ nhận thư). Vui lòng kiểm tra lại phần sau dấu @.",
    "why_no_mailbox": "Chưa sửa: máy chủ nhận thư trả lời rằng hộp thư này không tồn tại. Vui lòng kiểm tra lại phần trước dấu @.",
    "act_force": "Vẫn sửa (hộp thư vẫn được kiểm tra, kết quả ghi vào lịch sử)",
    "act_force_help": "Chỉ chọn khi chắc chắn địa chỉ đúng (ví dụ: hộp thư vừa được tạo); thư sẽ được gửi tới địa chỉ mới dù kết quả kiểm tra thế nào.",
    "check_ok": "Hộp thư mới đã được kiểm tra: máy chủ nhận thư chấp nhận địa chỉ.",
    "check_unsure": "Chưa kiểm tra được hộp thư mới (máy chủ nhận thư chưa trả lời rõ); nếu địa chỉ sai, thư báo lỗi sẽ cho biết.",
    "check_overridden": "Anh/chị đã chọn vẫn sửa, dù kiểm tra cho thấy hộp thư mới không nhận được thư; kết quả kiểm tra được ghi vào lịch sử. Nếu địa chỉ sai, thư báo lỗi sẽ cho biết.",
}  # fmt: skip
_EN_ACT: dict[str, str] = {
    "act_title": "Actions", "act_correct": "Correct the address", "act_new_address": "New address",
    "act_correct_help": "The person keeps the survey token and history; mail that did not arrive goes again to the new address.",
    "act_correct_btn": "Save the new address", "act_exclude": "Exclude from the survey",
    "act_exclude_reason": "Reason (e.g. left the agency, long leave)", "act_exclude_btn": "Exclude from the survey",
    "act_excluded": "Excluded from the survey", "act_restore_btn": "Restore to the survey", "act_resend": "Resend",
    "act_resend_help": "Send the latest mail that did not arrive again, once its cause is fixed.",
    "act_resend_btn": "Resend", "act_pause_btn": "Pause sending", "act_resume_btn": "Resume sending",
    "act_sending": "Sending", "running": "Sending on schedule", "halted": "Stopped by an error",
    "done_corrected": "Address corrected. The mail that did not arrive goes to the new address at {when}.",
    "done_corrected_plan": "Address corrected. The invitation goes to the new address on schedule.",
    "done_corrected_only": "Address corrected.", "done_excluded": "Excluded from the survey: no more mail.",
    "done_restored": "Restored to the survey.", "done_resent": "The mail goes again at {when}.",
    "done_paused": "Sending paused for this campaign.", "done_resumed": "Sending resumed for this campaign.",
    "done_unchanged": "Nothing changed: the campaign was already so.",
    "why_invalid": "The new address is not valid. Check it (e.g. name@agency.gov.vn).",
    "why_same": "The new address is the current one.",
    "why_taken": "This address belongs to someone else in the campaign. Correct or exclude that person first.",
    "why_closed": "The campaign has closed: no more mail is sent.",
    "why_excluded": "This person is excluded from the survey: restore them first.",
    "why_already_excluded": "This person is already excluded.", "why_not_excluded": "This person is not excluded.",
    "why_reason_needed": "Give the reason for the exclusion.",
    "why_hard_bounce": "This address bounced permanently (unknown or refused): correct it; the mail then goes to the new address.",
    "why_not_sent_yet": "No mail has been sent to this person yet.",
    "why_nothing_to_resend": "There is no mail to resend.", "why_too_long": "The text entered is too long.",
    "why_failed": "That did not work. Reload the page and try again.",
    "why_no_domain": "Not corrected: the new address's domain does not exist or receives no mail (no mail server). Check the part after the @.",
    "why_no_mailbox": "Not corrected: the receiving mail server says this mailbox does not exist. Check the part before the @.",
    "act_force": "Correct anyway (the mailbox is still checked; what it finds is kept in the history)",
    "act_force_help": "Only when you are sure the address is right (e.g. a mailbox just created); mail goes to the new address whatever the check finds.",
    "check_ok": "The new mailbox was checked: the receiving server accepts the address.",
    "check_unsure": "The new mailbox could not be checked (no clear answer from its server); if the address is wrong, a bounce will tell.",
    "check_overridden": "Corrected anyway, as you chose, although the check found that the new mailbox cannot receive mail; what it found is kept in the history. If the address is wrong, a bounce will tell.",
}  # fmt: skip
_WORDS = {"vi": {**_VI, **_VI_ACT}, "en": {**_EN, **_EN_ACT}}
_KIND = re.compile(r"^(?P<kind>invitation|reminder|final)(?:-(?P<n>\d+))?(?=$|[:\s])")

_FIELDS = {"d": "delivery", "c": "completion", "o": "outbox"}
_DELIVERY_STATES = frozenset(d.value for d in Delivery)


class Words:
    """``t("key")`` for the console's words, the report's labels as fallback; times in ``tz``."""

    def __init__(self, lang: str, tz: str = "Asia/Ho_Chi_Minh") -> None:
        self.lang = lang if lang in LANGS else "vi"
        self.report = Labels(self.lang, tz)
        self.words = _WORDS[self.lang]

    def __call__(self, key: str) -> str:
        return self.words.get(key) or self.report(key)

    def when(self, at: datetime | None) -> str:
        return self.report.when(at) if at is not None else self("never")

    def pct(self, rate: float | None) -> str:
        return self.report.pct(rate)

    def state(self, prefix: str, value: str | None) -> str:
        """A delivery (d), completion (c) or outbox (o) state in the report's vocabulary."""
        return V.event_word(_FIELDS.get(prefix, prefix), value, self.lang) if value else ""

    def source(self, source: str) -> str:
        return self.words.get(f"src_{source}", source)

    def change(self, field: str, old: str | None, new: str | None) -> str:
        """One event's change in words: "Chưa gửi → Chờ gửi", or just the new state when it starts."""
        if field == "note":  # a kind, not a move: "unknown" read in the page's language
            return V.event_word(field, new, self.lang) if new else ""
        prefix = {"delivery": "d", "completion": "c", "outbox": "o"}.get(field)

        def word(value: str | None) -> str:
            if not value:
                return ""
            return (self.words.get(f"{prefix}_{value}") or self.state(prefix, value)) if prefix else value

        return f"{word(old)} → {word(new)}" if old else word(new)

    def zone(self, tz: str) -> str:
        """The zone times are shown in, as an operator says it."""
        return self("vn_time") if tz in ("Asia/Ho_Chi_Minh", "Asia/Saigon") else f"{self('zone_time')} {tz}"

    def detail(self, text: str) -> str:
        """An event's detail with the mail kind or inbound message it starts with in words ("reminder-2: 250
        ok", "inbound #7: unknown")."""
        m = _KIND.match(text)
        if not m:
            return V.inbound_detail(text, self.lang)
        kind = self(f"k_{m['kind']}") + (f" {m['n']}" if m["n"] else "")
        return kind + text[m.end() :]

    def mail_kind(self, kind: str) -> str:
        """An outbox kind in words: "Thư nhắc lần 2" for reminder-2."""
        return self.detail(kind)

    def outcome(self, value: str) -> str:
        """A delivery state or check result in words, else as recorded."""
        for key in (f"d_{value}", f"o_{value}", f"r_{value}"):
            if key in self.words:
                return self(key)
        return self.state("d", value) if value in _DELIVERY_STATES else value

    def reason(self, reason: str | None) -> str:
        return reasons.explain(reason, self.lang) if reason else ""

    def with_zone(self, tz: str) -> Words:
        return Words(self.lang, tz)
