"""`maildaemon agency list | focal` as an operator runs them: the roster's focal column shows in the list,
a focal point is set and cleared by hand, and bad input is refused naming it, with nothing changed."""

from __future__ import annotations

import json
from pathlib import Path

from tests.acceptance.test_cli import run
from tests.support.factories import campaign_text


def test_focal_points_listed_set_and_cleared(tmp_path: Path) -> None:
    (tmp_path / "md.toml").write_text(
        '[daemon]\nstate_dir = "state"\nallow_test_domains = true\n', encoding="utf-8"
    )
    (tmp_path / "camp.toml").write_text(campaign_text("dm-camp"), encoding="utf-8")
    (tmp_path / "ds.csv").write_text(
        "STT,Họ và tên,Thư điện tử,Cơ quan/đơn vị,Mã đơn vị,Email đầu mối\r\n"
        "1,Nguyễn Thị Thu Hà,ha@snv.khanhhoa.test,Sở Nội vụ,SNV,dauMoi@snv.khanhhoa.test\r\n"
        "2,Trần Văn Đức,duc@stc.khanhhoa.test,Sở Tài chính,STC,\r\n",
        encoding="utf-8-sig",
    )
    run(tmp_path, "campaign", "create", str(tmp_path / "camp.toml"))
    out = run(tmp_path, "import", "dm-camp", str(tmp_path / "ds.csv")).stdout
    assert "agency SNV: focal point - -> dauMoi@snv.khanhhoa.test" in out

    def listed() -> dict[str, str | None]:
        lines = run(tmp_path, "agency", "list", "dm-camp", "--json").stdout.splitlines()
        return {a["code"]: a["focal_email"] for a in map(json.loads, lines)}

    assert listed() == {"SNV": "dauMoi@snv.khanhhoa.test", "STC": None}
    table = run(tmp_path, "agency", "list", "dm-camp").stdout
    assert "Email đầu mối" in table and "Sở Tài chính" in table
    out = run(tmp_path, "agency", "focal", "dm-camp", "STC", "dm.stc@STC.khanhhoa.test", "--by", "Lê Thị Lan")
    assert out.stdout.strip() == "STC: focal point none -> dm.stc@stc.khanhhoa.test"
    assert run(tmp_path, "agency", "focal", "dm-camp", "SNV", "--clear").stdout.strip() == (
        "SNV: focal point dauMoi@snv.khanhhoa.test -> none"
    )
    assert listed() == {"SNV": None, "STC": "dm.stc@stc.khanhhoa.test"}
    events = run(tmp_path, "events", "--campaign", "dm-camp", "--lang", "en").stdout
    assert "STC: focal point - -> dm.stc@stc.khanhhoa.test (by Lê Thị Lan)" in events

    bad = run(tmp_path, "agency", "focal", "dm-camp", "STC", "khong hop le", check=False)
    assert bad.returncode == 3 and "invalid email address" in bad.stderr
    both = run(tmp_path, "agency", "focal", "dm-camp", "STC", "x@kh.test", "--clear", check=False)
    assert both.returncode == 3 and "not both" in both.stderr
    missing = run(tmp_path, "agency", "focal", "dm-camp", "NOPE", "x@kh.test", check=False)
    assert missing.returncode == 4 and "no agency with code 'NOPE'" in missing.stderr
    assert listed() == {"SNV": None, "STC": "dm.stc@stc.khanhhoa.test"}
