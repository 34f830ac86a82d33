"""The words and formats a report is printed with: labels in Vietnamese and English, percentages and
dates as each language writes them, and the figures every format shows."""

from __future__ import annotations

import math
from datetime import datetime
from zoneinfo import ZoneInfo

from maildaemon.core import actions
from maildaemon.reporting import vocabulary as V
from maildaemon.reporting.figures import PROVINCE_CODE, AgencyFigures

# The figures every format shows, named by ``reporting.vocabulary`` (the words status and the digest use).
FIGURES = (
    "respondents", "invited", "relay_accepted", "delivered", "deferred", "bounced", "failed", "away",
    "replied", "completed",
)  # fmt: skip

_VI: dict[str, str] = {
    "report": "Báo cáo tiến độ khảo sát", "agency": "Cơ quan/đơn vị", "code": "Mã", "level": "Cấp",
    "parent": "Mã cấp trên", "not_answered_n": "Chưa trả lời", "rate": "Tỷ lệ phản hồi", "below": "Cơ quan, đơn vị chưa đạt chỉ tiêu",
    "below_count": "{n} trong số {m} cơ quan, đơn vị có người được khảo sát",
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
    "lvl0": "Tỉnh", "lvl1": "Sở, ngành, xã, phường", "lvl2": "Đơn vị",
    "act_fix_address": "Sửa địa chỉ thư", "act_call": "Gọi điện nhắc", "act_wait": "Chờ gửi (thư chưa đi)",
    "act_back_soon": "Nhắc khi trở lại",
    "excluded": "Đã loại khỏi khảo sát", "excluded_note": "Những người này không được tính vào số liệu báo cáo.",
    "excluded_reason": "Lý do loại", "excluded_by": "Người loại", "excluded_at": "Thời điểm loại",
    **{f"act_{a.code}": a.vi for a in actions.ACTIONS},  # the reason -> action map (core.actions)
}  # fmt: skip
_EN: dict[str, str] = {
    "report": "Survey progress report", "agency": "Agency", "code": "Code", "level": "Level",
    "parent": "Parent code", "not_answered_n": "Not answered", "rate": "Response rate",
    "below": "Agencies below target",
    "below_count": "{n} of {m} agencies with respondents of their own", "zero": "Agencies with no participation",
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
    "lvl0": "Province", "lvl1": "Department, commune", "lvl2": "Unit",
    "act_fix_address": "Fix the address", "act_call": "Call them", "act_wait": "Wait (mail not out yet)",
    "act_back_soon": "Remind when back",
    "excluded": "Excluded from the survey", "excluded_note": "These people are not counted in any figure.",
    "excluded_reason": "Why excluded", "excluded_by": "Excluded by", "excluded_at": "Excluded at",
    **{f"act_{a.code}": a.en for a in actions.ACTIONS},
}  # fmt: skip
_LABELS = {"vi": _VI, "en": _EN}


class Labels:
    """Labels and number/date formats of one language."""

    def __init__(self, lang: str, tz: str) -> None:
        self.lang = "en" if lang.lower().startswith("en") else "vi"
        self.labels = _LABELS[self.lang]
        self.tz = ZoneInfo(tz)

    def __call__(self, key: str) -> str:
        if key.startswith("c_"):
            return V.word(key[2:], self.lang)
        return self.labels[key] if key in self.labels else V.word(key, self.lang)

    def state(self, delivery: str, completion: str, reason: str | None) -> str:
        """A person's mail state in the one vocabulary, the reason as words (never a bare code)."""
        return V.state_label(delivery, completion, reason, self.lang)

    def reason(self, reason: str | None) -> str:
        """A bounce reason in words, as a cell of its own (capitalised)."""
        text = V.reason_label(reason, self.lang)
        return text[:1].upper() + text[1:]

    @staticmethod
    def code(code: str) -> str:
        """An agency code as operators know it: the province line's internal code is not one."""
        return "" if code == PROVINCE_CODE else code

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
