"""Re-importing a corrected roster as an operator does (issue 16): people are matched by their
"Mã cán bộ", a changed address is a correction (no second person), other changes are reported; a
roster whose key is missing or repeated is refused naming the rows, with nothing imported."""

from __future__ import annotations

import json
from pathlib import Path

from tests.acceptance.test_cli import run
from tests.support.factories import campaign_text

HEADER = "STT,Mã cán bộ,Họ và tên,Thư điện tử,Chức vụ,Cơ quan/đơn vị,Mã đơn vị"


def _roster(path: Path, rows: list[str]) -> Path:
    path.write_text("\r\n".join([HEADER, *rows]) + "\r\n", encoding="utf-8-sig")
    return path


def _people(n: int, changed: dict[int, str] | None = None) -> list[str]:
    rows = []
    for i in range(1, n + 1):
        email = (changed or {}).get(i, f"cb{i}@snv.khanhhoa.test")
        rows.append(f"{i},CB-{i:04d},Nguyễn Văn {i},{email},Chuyên viên,Sở Nội vụ,SNV")
    return rows


def test_a_corrected_roster_updates_people_by_key(tmp_path: Path) -> None:
    (tmp_path / "md.toml").write_text(
        '[daemon]\nstate_dir = "state"\nallow_test_domains = true\n', encoding="utf-8"
    )
    (tmp_path / "camp.toml").write_text(campaign_text("ds-camp"), encoding="utf-8")
    run(tmp_path, "campaign", "create", str(tmp_path / "camp.toml"))
    first = json.loads(
        run(tmp_path, "import", "ds-camp", str(_roster(tmp_path / "ds.csv", _people(40))), "--json").stdout
    )
    assert (first["imported"], first["key_column"]) == (40, "Mã cán bộ")

    rows = _people(40, {7: "taivm@snv.khanhhoa.test"})
    rows[11] = rows[11].replace("Chuyên viên", "Trưởng phòng")
    rows.append("41,CB-0041,Trần Thị Mới,moi@snv.khanhhoa.test,Chuyên viên,Sở Nội vụ,SNV")
    # offline (no DNS for the test domains): the corrected mailbox is not checked, and the change says so
    out = run(tmp_path, "import", "ds-camp", str(_roster(tmp_path / "ds2.csv", rows)), "--no-check").stdout
    assert "imported 1, updated 2, unchanged 38" in out
    assert (
        "line 8: address cb7@snv.khanhhoa.test -> taivm@snv.khanhhoa.test; mailbox check skipped (--no-check)"
        in out
    )
    assert "line 13: cb12@snv.khanhhoa.test: updated title" in out
    status = json.loads(run(tmp_path, "status", "ds-camp", "--json", "--no-probe").stdout)
    assert [a["respondents"] for a in status["agencies"] if a["code"] == "SNV"] == [41]  # not 42
    shown = json.loads(run(tmp_path, "respondent", "show", "taivm@snv.khanhhoa.test", "--json").stdout)
    assert shown["respondent"]["person_key"] == "cb-0007" and shown["respondent"]["source_line"] == 8
    assert run(tmp_path, "respondent", "show", "cb7@snv.khanhhoa.test", check=False).returncode == 4

    # a missing and a repeated key: refused, naming the rows; nothing of the file imported
    bad = _people(40, {3: "doi@snv.khanhhoa.test"})
    bad[4] = bad[4].replace("CB-0005", "")
    bad[9] = bad[9].replace("CB-0010", "CB-0002")
    proc = run(tmp_path, "import", "ds-camp", str(_roster(tmp_path / "ds3.csv", bad)), check=False)
    assert proc.returncode == 3
    assert "no 'Mã cán bộ' on line(s) 6" in proc.stderr and "'cb-0002' on lines 3 and 11" in proc.stderr
    assert "nothing imported" in proc.stderr
    assert run(tmp_path, "respondent", "show", "doi@snv.khanhhoa.test", check=False).returncode == 4


def test_exclude_restore_and_show_in_both_languages(tmp_path: Path) -> None:
    (tmp_path / "md.toml").write_text(
        '[daemon]\nstate_dir = "state"\nallow_test_domains = true\n', encoding="utf-8"
    )
    (tmp_path / "camp.toml").write_text(campaign_text("ds-camp"), encoding="utf-8")
    run(tmp_path, "campaign", "create", str(tmp_path / "camp.toml"))
    run(tmp_path, "import", "ds-camp", str(_roster(tmp_path / "ds.csv", _people(3))))
    who = "cb2@snv.khanhhoa.test"
    out = run(
        tmp_path, "respondent", "exclude", who, "--reason", "Nghỉ hưu từ 01/12", "--by", "Lê Thị Lan"
    ).stdout
    assert f"{who}: excluded from ds-camp" in out
    again = run(tmp_path, "respondent", "exclude", who, "--reason", "x", check=False)
    assert again.returncode == 3 and f"{who}: already excluded" in again.stderr
    vi = run(tmp_path, "respondent", "show", who).stdout
    assert (
        "Đã loại khỏi khảo sát" in vi and "Nghỉ hưu từ 01/12" in vi and "Giờ theo múi Asia/Ho_Chi_Minh" in vi
    )
    assert "Sở Nội vụ (SNV)" in vi and "excluded by Lê Thị Lan: Nghỉ hưu từ 01/12" in vi
    status = json.loads(run(tmp_path, "status", "ds-camp", "--json", "--no-probe").stdout)
    assert [a["respondents"] for a in status["agencies"] if a["code"] == "SNV"] == [2]
    token = json.loads(run(tmp_path, "respondent", "show", who, "--json").stdout)["respondent"]["token"]
    assert f"{who}: restored to ds-camp" in run(tmp_path, "respondent", "restore", token).stdout
    en = run(tmp_path, "respondent", "show", token, "--lang", "en").stdout
    assert "Mail status: Not yet sent" in en and "Excluded" not in en and "restored by" in en
    unknown = run(tmp_path, "respondent", "restore", "ai@snv.khanhhoa.test", check=False)
    assert unknown.returncode == 4 and "ai@snv.khanhhoa.test" in unknown.stderr


def test_resend_bad_input(tmp_path: Path) -> None:
    (tmp_path / "md.toml").write_text(
        '[daemon]\nstate_dir = "state"\nallow_test_domains = true\n', encoding="utf-8"
    )
    (tmp_path / "camp.toml").write_text(campaign_text("ds-camp"), encoding="utf-8")
    run(tmp_path, "campaign", "create", str(tmp_path / "camp.toml"))
    run(tmp_path, "import", "ds-camp", str(_roster(tmp_path / "ds.csv", _people(2))))
    unknown = run(tmp_path, "resend", "ds-camp", "--reason", "hopthuday", check=False)
    assert (
        unknown.returncode == 3
        and "unknown reason 'hopthuday'" in unknown.stderr
        and "mailboxfull" in unknown.stderr
    )
    nothing = run(tmp_path, "resend", "ds-camp", "--email", "cb1@snv.khanhhoa.test", check=False)
    assert (
        nothing.returncode == 3
        and "cb1@snv.khanhhoa.test: nothing to resend: delivery is new" in nothing.stderr
    )
    none = run(tmp_path, "resend", "ds-camp", "--agency", "SNV", "--dry-run").stdout
    assert "would queue again 0, refused 0" in none
    missing = run(tmp_path, "resend", "ds-camp", "--agency", "SYT", check=False)
    assert missing.returncode == 4 and "'SYT'" in missing.stderr
