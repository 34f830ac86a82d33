"""Fuzzing the roster reader: whatever the file holds, reading either yields clean rows and rejects
or raises ``InputError``; nothing else escapes, nothing hangs, no field carries a control character."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from maildaemon.errors import InputError
from maildaemon.intake.roster import Reject, RosterReader, RosterRow, read_roster

# Wall-clock deadlines flake on a loaded CI box; the per-test timeout catches a hang instead.
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
pytestmark = pytest.mark.timeout(120)

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ"
cell_text = st.one_of(
    st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " ,;\t\"'\r\n@.-_/()=+\x0b\u200b\u202e", max_size=30),
    st.text(alphabet=VIETNAMESE + " ", max_size=20),
    st.emails(),
    st.sampled_from(["a@x.vn", "Ha@KhanhHoa.gov.vn", "ha@khanhhoa.GOV.VN", "abc@", "", " ", "Nam", "Nữ"]),
    st.text(max_size=10),
)
headers = st.lists(
    st.sampled_from(
        ["Email", "Họ và tên", "STT", "Đơn vị", "Mã đơn vị", "Giới tính", "Ghi chú", "", "E-MAIL"]
    )
    | cell_text,
    min_size=1,
    max_size=8,
)
with_email = st.tuples(headers, st.integers(0, 8), st.sampled_from(["Email", "Thư điện tử", "E-MAIL"])).map(
    lambda t: [*t[0][: t[1]], t[2], *t[0][t[1] :]]
)
tables = st.tuples(headers | with_email | with_email, st.lists(st.lists(cell_text, max_size=10), max_size=12))


UNSAFE = {"Cc", "Cf", "Cs", "Zl", "Zp"}


_WORKDIR = Path(tempfile.mkdtemp(prefix="roster-fuzz-"))


@pytest.fixture(scope="module", autouse=True)
def _clean_workdir() -> Iterator[None]:
    yield
    shutil.rmtree(_WORKDIR, ignore_errors=True)


@contextmanager
def scratch(name: str, data: bytes) -> Iterator[Path]:
    """One reused scratch file: a fresh directory per example costs more than the read."""
    path = _WORKDIR / name
    path.write_bytes(data)
    try:
        yield path
    finally:
        path.unlink(missing_ok=True)


def check(path: Path, sheet: str | None = None) -> None:
    """Read everything; only InputError may escape; every yielded value must be clean."""
    try:
        with RosterReader(path, sheet=sheet) as reader:
            lines = []
            for item in reader:
                assert isinstance(item, RosterRow | Reject)
                lines.append(item.line)
                if isinstance(item, RosterRow):
                    assert "@" in item.email
                    for value in (item.email, item.full_name, item.agency_name, item.agency_code,
                                  item.honorific, *item.extra.keys(), *item.extra.values()):  # fmt: skip
                        assert not UNSAFE & {unicodedata.category(c) for c in value}, repr(value)
                        assert value == " ".join(value.split()), repr(value)
                        assert unicodedata.is_normalized("NFC", value)
            assert lines == sorted(lines) and len(set(lines)) == len(lines)
            assert all(n > reader.header_line for n in lines)
    except InputError:
        pass


@FUZZ
@given(data=st.binary(max_size=3000), suffix=st.sampled_from([".csv", ".txt", ".tsv", ".xlsx", ".dat"]))
def test_random_bytes(data: bytes, suffix: str) -> None:
    with scratch("f" + suffix, data) as path:
        check(path)


@FUZZ
@given(
    table=tables,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "cp1258", "cp1252"]),
    delimiter=st.sampled_from([",", ";", "\t", "|"]),
    quoting=st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_NONE, csv.QUOTE_ALL]),
    normal=st.sampled_from(["NFC", "NFD"]),
)
def test_random_text_tables(
    table: tuple[list[str], list[list[str]]],
    encoding: str,
    delimiter: str,
    quoting: Literal[0, 1, 2, 3],
    normal: Literal["NFC", "NFD"],
) -> None:
    header, rows = table
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, escapechar="\\", lineterminator="\r\n")
    try:
        writer.writerows([header, *rows])
    except csv.Error:
        return
    data = unicodedata.normalize(normal, out.getvalue()).encode(encoding, errors="replace")
    with scratch("t.csv", data) as path:
        check(path)


@settings(FUZZ, max_examples=50)
@given(table=tables, title_rows=st.integers(0, 3), sheet=st.sampled_from([None, "Danh sách"]))
def test_random_xlsx(table: tuple[list[str], list[list[str]]], title_rows: int, sheet: str | None) -> None:
    header, rows = table
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    ws.title = "Danh sách"
    for n in range(title_rows):
        ws.append([f"DANH SÁCH {n}"] if n % 2 == 0 else [])
    for cells in [header, *rows]:
        ws.append([ILLEGAL_CHARACTERS_RE.sub("", c) or None for c in cells])
    buffer = io.BytesIO()
    wb.save(buffer)
    with scratch("w.xlsx", buffer.getvalue()) as path:
        check(path, sheet)


names = st.text(alphabet=VIETNAMESE + VIETNAMESE.upper() + " ", min_size=1, max_size=25).filter(str.strip)


@FUZZ
@given(
    people=st.lists(names, min_size=1, max_size=15),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1258"]),
    delimiter=st.sampled_from([",", ";", "\t"]),
)
def test_valid_rosters_round_trip(people: list[str], encoding: str, delimiter: str) -> None:
    """Names written in any supported encoding come back as their clean NFC selves, in order."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(["STT", "Họ và tên", "Thư điện tử"])
    writer.writerows([str(n), name, f"nguoi{n}@khanhhoa.gov.vn"] for n, name in enumerate(people, start=1))
    text = out.getvalue()
    if encoding == "cp1258":  # Excel's form: tone marks as combining characters
        data = _excel_cp1258(text)
    else:
        data = text.encode(encoding)
    with scratch("r.csv", data) as path:
        got = list(read_roster(path))
    assert [(r.line, r.full_name) for r in got if isinstance(r, RosterRow)] == [
        (n, " ".join(name.split())) for n, name in enumerate(people, start=2)
    ]


def _excel_cp1258(text: str) -> bytes:
    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        out.append(unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones)))
        out.append("".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")
