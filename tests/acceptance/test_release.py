"""A release works on its own: the sdist builds a wheel that carries the templates, schema.sql and the
migrations as real files, and the wheel installed into a fresh virtualenv outside the checkout (not
editable) upgrades a database, creates a campaign, imports a roster, previews and reports."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

import maildaemon

ROOT = Path(__file__).resolve().parents[2]
pytestmark = [pytest.mark.release, pytest.mark.timeout(900)]


def _sh(*args: str | Path, cwd: Path, timeout: float = 600) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    proc = subprocess.run([str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=timeout,
                          env=env, check=False)  # fmt: skip
    if proc.returncode != 0:
        raise AssertionError(f"{args} exit {proc.returncode}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """sdist, then the wheel built from that sdist (as `python -m build` does by default)."""
    out = tmp_path_factory.mktemp("dist")
    _sh(sys.executable, "-m", "build", "--outdir", out, ROOT, cwd=out)
    return out


def test_sdist_and_wheel_carry_one_copy_of_each_file_as_real_files(dist: Path) -> None:
    (sdist,) = dist.glob("maildaemon-*.tar.gz")
    (wheel,) = dist.glob("maildaemon-*.whl")
    assert wheel.name.startswith(f"maildaemon-{maildaemon.__version__}-")
    with tarfile.open(sdist) as tar:
        members = {m.name.split("/", 1)[1]: m for m in tar.getmembers() if "/" in m.name}
        assert not [n for n, m in members.items() if m.issym() or m.islnk()], "links in the sdist"
        assert "maildaemon/data/templates/vi/invitation.subject.txt" in members
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        for rel in (ROOT / "templates").rglob("*"):
            if rel.is_file():
                packaged = "maildaemon/data/templates/" + rel.relative_to(ROOT / "templates").as_posix()
                assert zf.read(packaged) == rel.read_bytes(), packaged
        assert zf.read("maildaemon/data/schema.sql") == (ROOT / "schema.sql").read_bytes()
        for mig in (ROOT / "maildaemon/store/migrations/versions").glob("*.py"):
            assert f"maildaemon/store/migrations/versions/{mig.name}" in names
    # the one committed copy: maildaemon/data holds links to the top-level files, never files of its own
    tracked = _sh("git", "ls-files", "-s", "maildaemon/data", cwd=ROOT).stdout.split("\n")
    assert tracked[:-1] and all(line.startswith("120000 ") for line in tracked[:-1]), tracked


def test_installed_wheel_upgrades_imports_previews_and_reports(dist: Path, tmp_path: Path) -> None:
    (wheel,) = dist.glob("maildaemon-*.whl")
    venv = tmp_path / "venv"
    _sh(sys.executable, "-m", "venv", venv, cwd=tmp_path)
    _sh(venv / "bin/pip", "install", "--disable-pip-version-check", "-q", wheel, cwd=tmp_path)
    where = _sh(
        venv / "bin/python", "-c", "import maildaemon; print(maildaemon.__file__)", cwd=tmp_path
    ).stdout
    assert where.startswith(str(venv)), where

    work = tmp_path / "site"
    work.mkdir()
    (work / "md.toml").write_text(
        '[daemon]\nstate_dir = "state"\nallow_test_domains = true\n', encoding="utf-8"
    )
    (work / "campaign.toml").write_text(
        (ROOT / "config/campaign.example.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (work / "roster.csv").write_text(
        "STT,Họ và tên,Thư điện tử,Chức vụ,Cơ quan/đơn vị,Mã đơn vị\r\n"
        "1,Nguyễn Thị Thu Hà,ha.ntt@snv.khanhhoa.test,Chuyên viên,Sở Nội vụ,SNV\r\n"
        "2,Trần Văn Đức,duc.tv@stc.khanhhoa.test,Phó Giám đốc,Sở Tài chính,STC\r\n",
        encoding="utf-8-sig",
    )

    def md(*args: str) -> str:
        return _sh(venv / "bin/maildaemon", "--config", work / "md.toml", *args, cwd=work).stdout

    assert md("--version").strip() == f"maildaemon {maildaemon.__version__}"
    assert "upgraded to version 1" in md("db", "upgrade")
    assert "created" in md("campaign", "create", "campaign.toml")
    assert "imported 2" in md("import", "par2026-khanhhoa", "roster.csv")
    preview = md("preview", "par2026-khanhhoa", "ha.ntt@snv.khanhhoa.test")
    assert "Nguyễn Thị Thu Hà" in preview or "Thu Hà" in preview
    assert "khaosat.snv.khanhhoa.test/s/" in preview  # the packaged Vietnamese template, rendered
    report = md("report", "par2026-khanhhoa")
    assert "Sở Tài chính" in report and "Sở Nội vụ" in report
