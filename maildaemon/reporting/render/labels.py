"""The words and formats a report is printed with: labels in Vietnamese and English, percentages and
dates as each language writes them, and the figures every format shows."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

from maildaemon.core import actions
from maildaemon.reporting.figures import AgencyFigures

FIGURES = ("respondents", "invited", "delivered", "bounced", "deferred", "failed", "away", "completed")

_VI: dict[str, str] = {
    "report": "Báo cáo tiến độ khảo sát", "agency": "Cơ quan/đơn vị", "code": "Mã", "level": "Cấp",
    "parent": "Mã cấp trên", "respondents": "Số người được khảo sát", "invited": "Đã gửi",
    "delivered": "Đã nhận (xác nhận)", "bounced": "Thư bị trả lại", "deferred": "Đang gửi lại",
    "failed": "Gửi thất bại", "checked_bad": "Địa chỉ không hợp lệ", "away": "Vắng mặt",
    "replied": "Đã phản hồi qua thư", "completed": "Đã trả lời khảo sát", "declined": "Từ chối",
    "not_answered_n": "Chưa trả lời", "rate": "Tỷ lệ phản hồi", "below": "Cơ quan chưa đạt tỷ lệ",
    "zero": "Cơ quan chưa có ai trả lời", "not_answered": "Danh sách chưa trả lời",
    "timeline": "Diễn biến theo ngày", "sends": "Thư đã gửi", "bounces": "Thư bị trả lại",
    "completions": "Phiếu hoàn thành", "target": "Chỉ tiêu", "total": "Toàn tỉnh", "generated": "Lập lúc",
    "name": "Họ và tên", "email": "Thư điện tử", "title": "Chức vụ", "phone": "Điện thoại",
    "delivery": "Tình trạng thư", "completion": "Tình trạng trả lời", "reason": "Nguyên nhân",
    "explanation": "Giải thích", "action": "Việc cần làm", "status_code": "Mã lỗi",
    "last_sent": "Lần gửi gần nhất", "away_until": "Vắng đến", "away_until_lc": "vắng mặt đến",
    "shortfall": "Cần thêm (phiếu)",
    "by_agency": "Tỷ lệ phản hồi theo cơ quan/đơn vị", "by_reason": "Thư bị trả lại theo nguyên nhân",
    "count": "Số lượng", "day": "Ngày", "none": "Không có.", "summary": "Tổng hợp",
    "address_problems": "Địa chỉ cần sửa", "campaign": "Đợt khảo sát", "target_line": "vạch chỉ tiêu",
    "everyone_answered": "Tất cả đã trả lời.", "people": "người",
    "lvl0": "Tỉnh", "lvl1": "Sở, ngành, huyện", "lvl2": "Đơn vị",
    "act_fix_address": "Sửa địa chỉ thư", "act_call": "Gọi điện nhắc", "act_wait": "Chờ gửi xong",
    "act_back_soon": "Nhắc khi trở lại",
    **{f"act_{a.code}": a.vi for a in actions.ACTIONS},  # the reason -> action map (core.actions)
    "d_new": "Chưa gửi", "d_checked_ok": "Địa chỉ hợp lệ", "d_checked_bad": "Địa chỉ không hợp lệ",
    "d_queued": "Chờ gửi", "d_sent": "Đã gửi", "d_delivered": "Đã nhận", "d_deferred": "Đang gửi lại",
    "d_bounced": "Bị trả lại", "d_failed": "Gửi thất bại",
    "c_pending": "Chưa trả lời", "c_away": "Vắng mặt", "c_replied": "Đã phản hồi qua thư",
    "c_completed": "Đã hoàn thành", "c_declined": "Từ chối",
}  # fmt: skip
_EN: dict[str, str] = {
    "report": "Survey progress report", "agency": "Agency", "code": "Code", "level": "Level",
    "parent": "Parent code", "respondents": "Respondents", "invited": "Invited",
    "delivered": "Delivered (proven)", "bounced": "Bounced", "deferred": "Deferred", "failed": "Failed",
    "checked_bad": "Bad address", "away": "Away", "replied": "Replied by mail", "completed": "Completed",
    "declined": "Declined", "not_answered_n": "Not answered", "rate": "Response rate",
    "below": "Agencies below target", "zero": "Agencies with no participation",
    "not_answered": "Not answered yet", "timeline": "Day by day", "sends": "Mails sent",
    "bounces": "Bounces", "completions": "Completions", "target": "Target", "total": "Whole province",
    "generated": "Generated", "name": "Full name", "email": "Email", "title": "Title", "phone": "Phone",
    "delivery": "Mail status", "completion": "Answer status", "reason": "Reason",
    "explanation": "Explanation", "action": "To do", "status_code": "Code", "last_sent": "Last sent",
    "away_until": "Away until", "away_until_lc": "away until", "shortfall": "Still needed",
    "by_agency": "Response rate by agency",
    "by_reason": "Bounces by reason", "count": "Count", "day": "Day", "none": "None.",
    "summary": "Summary", "address_problems": "Addresses to fix", "campaign": "Campaign",
    "target_line": "target line", "everyone_answered": "Everyone has answered.", "people": "people",
    "lvl0": "Province", "lvl1": "Department", "lvl2": "Unit",
    "act_fix_address": "Fix the address", "act_call": "Call them", "act_wait": "Wait for delivery",
    "act_back_soon": "Remind when back",
    **{f"act_{a.code}": a.en for a in actions.ACTIONS},
    "d_new": "Not sent", "d_checked_ok": "Address checked", "d_checked_bad": "Bad address",
    "d_queued": "Queued", "d_sent": "Sent", "d_delivered": "Delivered", "d_deferred": "Deferred",
    "d_bounced": "Bounced", "d_failed": "Failed",
    "c_pending": "Not answered", "c_away": "Away", "c_replied": "Replied by mail",
    "c_completed": "Completed", "c_declined": "Declined",
}  # fmt: skip
_LABELS = {"vi": _VI, "en": _EN}


class Labels:
    """Labels and number/date formats of one language."""

    def __init__(self, lang: str, tz: str) -> None:
        self.lang = "en" if lang.lower().startswith("en") else "vi"
        self.labels = _LABELS[self.lang]
        self.tz = ZoneInfo(tz)

    def __call__(self, key: str) -> str:
        return self.labels.get(key, key)

    def pct(self, rate: float | None) -> str:
        if rate is None:
            return "–"
        text = f"{rate * 100:.1f}"
        return f"{text.replace('.', ',')} %" if self.lang == "vi" else f"{text}%"

    def when(self, at: datetime | None, with_time: bool = True) -> str:
        if at is None:
            return ""
        local = at.astimezone(self.tz)
        if self.lang == "vi":
            return local.strftime("%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
        return local.strftime("%Y-%m-%d %H:%M" if with_time else "%Y-%m-%d")

    def agency(self, f: AgencyFigures) -> str:
        if f.level == 0:
            return f.name or self("total")
        return f.name or f.code

    def level(self, level: int) -> str:
        return self(f"lvl{min(max(level, 0), 2)}")


def shortfall(f: AgencyFigures, target: float) -> int:
    """Completions still needed to reach the target rate."""
    return max(0, math.ceil(round(target * f.respondents, 9)) - f.completed)
