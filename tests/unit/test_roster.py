"""Roster reading: encodings, delimiters, Vietnamese headers, XLSX title rows, broken rows, rejects."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import unicodedata
from pathlib import Path

import openpyxl
import pytest

from maildaemon.errors import InputError
from maildaemon.intake.roster import Reject, RosterReader, RosterRow, read_roster, write_rejects
from maildaemon.intake.tabular import fold, slug

HEADER = [
    "STT",
    "Họ và tên",
    "Chức vụ",
    "Email",
    "Cơ quan/đơn vị",
    "Sở, ban, ngành",
    "Giới tính",
    "Điện thoại",
]
PEOPLE = [
    ["1", "Nguyễn Thị Thu Hà", "Chuyên viên", "ha.ntt@khanhhoa.gov.vn", "Sở Nội vụ tỉnh Khánh Hòa", "", "Nữ",
     "0912345678"],
    ["2", "Trần Văn Đức", "Chủ tịch", "Duc.TV@DienKhanh.KhanhHoa.gov.vn", "UBND huyện Diên Khánh",
     "UBND tỉnh Khánh Hòa", "Nam", ""],
    ["3", "Lê Thị Ngọc Ánh", "Phó Giám đốc", "anh.ltn@snv.khanhhoa.gov.vn", "Sở Nội vụ tỉnh Khánh Hòa", "",
     "", ""],
]  # fmt: skip
TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258_excel(text: str) -> bytes:
    """Encode as Excel does for Windows-1258: vowel letters precomposed (ê ơ ư ă â ô), tone marks as
    combining characters (Python's codec cannot encode a fully decomposed ê + tone)."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONES))
        out.append(base + "".join(c for c in parts if c in TONES))
    return "".join(out).encode("cp1258")


def table_text(rows: list[list[str]], delimiter: str) -> str:
    """The table as Excel saves it (quoting cells that contain the delimiter)."""
    out = io.StringIO()
    csv.writer(out, delimiter=delimiter, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def read_all(path: Path, **kw: str | bool) -> tuple[list[RosterRow], list[Reject]]:
    rows: list[RosterRow] = []
    rejects: list[Reject] = []
    for item in read_roster(path, **kw):  # type: ignore[arg-type]
        (rows if isinstance(item, RosterRow) else rejects).append(item)  # type: ignore[arg-type]
    return rows, rejects


ENCODINGS = {
    "utf-8": lambda s: s.encode("utf-8"),
    "utf-8-sig": lambda s: codecs.BOM_UTF8 + s.encode("utf-8"),
    "utf-16": lambda s: codecs.BOM_UTF16_LE + s.encode("utf-16-le"),
    "utf-16-be": lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"),
    "cp1258": cp1258_excel,
}
DETECTED = {"utf-16-be": "utf-16"}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_every_encoding_and_delimiter(tmp_path: Path, encoding: str, delimiter: str) -> None:
    text = table_text([HEADER, *PEOPLE], delimiter)
    path = write(tmp_path, "roster.txt" if delimiter == "\t" else "roster.csv", ENCODINGS[encoding](text))
    with RosterReader(path) as reader:
        assert reader.encoding == DETECTED.get(encoding, encoding)
        assert reader.delimiter == delimiter
        assert reader.format == "csv"
        assert reader.header_line == 1
        items = list(reader)
    assert [type(i) for i in items] == [RosterRow] * 3
    rows = [i for i in items if isinstance(i, RosterRow)]
    assert [r.full_name for r in rows] == ["Nguyễn Thị Thu Hà", "Trần Văn Đức", "Lê Thị Ngọc Ánh"]
    assert all(unicodedata.is_normalized("NFC", r.full_name + r.agency_name + r.title) for r in rows)
    assert [r.line for r in rows] == [2, 3, 4]
    duc = rows[1]
    assert duc.email == "Duc.TV@dienkhanh.khanhhoa.gov.vn"  # local part keeps its case
    assert duc.agency_name == "UBND huyện Diên Khánh"
    assert duc.agency_code == "ubnd-huyen-dien-khanh"
    assert (duc.parent_name, duc.parent_code) == ("UBND tỉnh Khánh Hòa", "ubnd-tinh-khanh-hoa")
    assert [r.honorific for r in rows] == ["bà", "ông", ""]
    assert rows[0].phone == "0912345678"
    assert rows[0].title == "Chuyên viên"


def test_excel_unicode_text_is_utf16_tab(tmp_path: Path) -> None:
    """Excel's "Unicode Text" save: UTF-16 LE with BOM, tab-separated, named .txt."""
    path = write(tmp_path, "ds.txt", table_text([HEADER, *PEOPLE], "\t").encode("utf-16"))
    rows, rejects = read_all(path)
    assert len(rows) == 3 and not rejects


def test_utf16_without_bom_is_recognised(tmp_path: Path) -> None:
    path = write(tmp_path, "ds.csv", table_text([HEADER, *PEOPLE], ",").encode("utf-16-le"))
    with RosterReader(path) as reader:
        assert reader.encoding == "utf-16-le"
        assert len(list(reader)) == 3


def test_cp1258_is_preferred_over_cp1252_for_vietnamese(tmp_path: Path) -> None:
    path = write(tmp_path, "ds.csv", cp1258_excel(table_text([HEADER, *PEOPLE], ";")))
    with RosterReader(path) as reader:
        assert reader.encoding == "cp1258"
        names = [r.full_name for r in reader if isinstance(r, RosterRow)]
    assert names[1] == "Trần Văn Đức"
    assert unicodedata.normalize("NFD", names[1]) != names[1]  # it was NFD in the file, NFC now


def test_cp1252_is_the_last_resort(tmp_path: Path) -> None:
    text = table_text([["Name", "Email"], ["Gérard Müller", "g.mueller@example.de"]], ",")
    path = write(tmp_path, "western.csv", text.encode("cp1252"))
    with RosterReader(path) as reader:
        assert reader.encoding == "cp1252"
        rows = [r for r in reader if isinstance(r, RosterRow)]
    assert rows[0].full_name == "Gérard Müller"


def test_excel_sep_line_sets_delimiter_and_is_not_counted(tmp_path: Path) -> None:
    text = "sep=;\r\n" + table_text([["Email", "Họ tên, đệm"], ["a@x.vn", "Trần, Văn Đức"]], ";")
    with RosterReader(write(tmp_path, "s.csv", text.encode())) as reader:
        assert reader.delimiter == ";"
        assert reader.header_line == 1
        (row,) = list(reader)
    assert isinstance(row, RosterRow) and row.line == 2


# ----------------------------------------------------------------------------- headers


SPEC_HEADERS = {
    "email": ["Email", "E-mail", "Thư điện tử", "Địa chỉ email", "Hộp thư công vụ", "Mail"],
    "full_name": ["Họ và tên", "Họ tên", "Full name", "Name"],
    "title": ["Chức vụ", "Position", "Title"],
    "agency_name": ["Cơ quan/đơn vị", "Cơ quan", "Đơn vị", "Agency", "Organization"],
    "agency_code": ["Mã đơn vị", "Mã cơ quan", "Agency code", "Unit code"],
    "parent_code": ["Mã cơ quan cấp trên", "Parent code"],
    "parent_name": ["Cơ quan cấp trên", "Department", "Sở, ban, ngành", "Sở/ngành"],
    "group": ["Đối tượng", "Nhóm", "Group"],
    "phone": ["Điện thoại", "Số điện thoại", "Phone"],
    "gender": ["Giới tính"],
    "honorific": ["Danh xưng", "Salutation"],
    "ignored": ["STT", "No."],
}


def _variants(header: str) -> list[str]:
    stripped = "".join(
        c for c in unicodedata.normalize("NFD", header.replace("đ", "d").replace("Đ", "D"))
        if not unicodedata.combining(c)
    )  # fmt: skip
    return [
        header,
        header.upper(),
        header.lower(),
        stripped,
        f"  {header}  ",
        unicodedata.normalize("NFD", header),
    ]


@pytest.mark.parametrize(("field", "header"), [(f, h) for f, hs in SPEC_HEADERS.items() for h in hs])
def test_header_aliases_in_any_case_and_accent(tmp_path: Path, field: str, header: str) -> None:
    for n, variant in enumerate(_variants(header)):
        cols = [variant, "X"] if field == "email" else ["Email", variant]
        text = table_text([cols, ["a@x.vn", "v"] if field == "email" else ["a@x.vn", "Nam"]], ",")
        with RosterReader(write(tmp_path, f"h{n}.csv", text.encode())) as reader:
            assert dict(reader.columns).get(variant.strip() if n != 5 else header) == field, variant


def test_fold_treats_d_stroke_as_d() -> None:
    assert fold("ĐƠN VỊ") == fold("don vi") == fold("Đơn  vị") == "donvi"
    assert fold("Họ và tên (*)") == "hovaten"
    assert slug("Sở Nội vụ tỉnh Khánh Hòa") == slug("Sở Nội vụ tỉnh Khánh Hoà") == "so-noi-vu-tinh-khanh-hoa"


def test_unknown_columns_go_to_extra_and_codes_are_kept(tmp_path: Path) -> None:
    rows = [
        ["No.", "Full name", "E-mail", "Agency code", "Agency", "Parent code", "Department", "Ghi chú", "", "Ghi chú"],
        ["1", "Phạm Minh Tuấn", "tuan@x.vn", "000.00.21.H34", "Sở Tư pháp", "H34", "UBND tỉnh", "cũ", "k", "m"],
    ]  # fmt: skip
    (row,), _ = read_all(write(tmp_path, "e.csv", table_text(rows, ",").encode()))
    assert row.agency_code == "000.00.21.H34" and row.parent_code == "H34"
    assert row.extra == {"Ghi chú": "cũ", "column 9": "k", "Ghi chú (2)": "m"}


def test_delimiter_is_the_one_that_shows_the_header(tmp_path: Path) -> None:
    """Commas inside unquoted cells of a semicolon file must not win the sniff."""
    text = "DANH SÁCH, ĐỢT 1, NĂM 2026\r\nEmail;Họ tên\r\na@x.vn;Trần, Văn, Đức\r\nb@x.vn;Lê, Thị, Hoa\r\n"
    with RosterReader(write(tmp_path, "d.csv", text.encode())) as reader:
        assert (reader.delimiter, reader.header_line) == (";", 2)
        assert [r.full_name for r in reader if isinstance(r, RosterRow)] == ["Trần, Văn, Đức", "Lê, Thị, Hoa"]


def test_trailing_unnamed_columns_stay_out_of_extra_unless_filled(tmp_path: Path) -> None:
    text = "Email,Họ tên,,\r\na@x.vn,A,,\r\nb@x.vn,B,,ghi chú\r\n"
    rows, _ = read_all(write(tmp_path, "u.csv", text.encode()))
    assert [r.extra for r in rows] == [{}, {"column 4": "ghi chú"}]


def test_salutation_wins_over_gender(tmp_path: Path) -> None:
    rows = [["Email", "Giới tính", "Danh xưng"], ["a@x.vn", "Nam", "Đồng chí"], ["b@x.vn", "nữ", ""]]
    got, _ = read_all(write(tmp_path, "s.csv", table_text(rows, ",").encode()))
    assert [r.honorific for r in got] == ["đồng chí", "bà"]


def test_missing_email_column_names_the_columns_found(tmp_path: Path) -> None:
    path = write(
        tmp_path, "x.csv", table_text([["STT", "Họ và tên", "Đơn vị"], ["1", "A", "B"]], ";").encode()
    )
    with pytest.raises(InputError, match=r"no email column.*'STT', 'Họ và tên', 'Đơn vị'"):
        RosterReader(path)


def test_header_problems_raise_before_any_row(tmp_path: Path) -> None:
    path = write(tmp_path, "x.csv", b"Name,Phone\nA,1\n")
    rows = read_roster(path)
    with pytest.raises(InputError):
        next(rows)


@pytest.mark.parametrize(
    ("data", "match"),
    [
        (b"", "empty"),
        (b"\r\n\r\n,,\r\n", "empty"),
        (b"Email,Name\r\n", "no data rows"),
        (b"Email,Name\r\n,,\r\n\r\n", "no data rows"),
        (bytes(range(256)) * 8, "not a text table"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200), "not a text table"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "xls"),
        (b"PK\x03\x04garbage", "xlsx"),
        (codecs.BOM_UTF8 + b"Email\n\xff\xfe\n", "does not decode"),
    ],
)
def test_unusable_files_are_input_errors(tmp_path: Path, data: bytes, match: str) -> None:
    with pytest.raises(InputError, match=match):
        RosterReader(write(tmp_path, "bad.csv", data))


def test_missing_file_is_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        RosterReader(tmp_path / "nope.csv")


# ----------------------------------------------------------------------------- broken rows


BROKEN = (
    "DANH SÁCH CÔNG CHỨC ĐƯỢC KHẢO SÁT,,,\r\n"  # 1
    ",,,\r\n"  # 2
    "STT,Họ và tên,Email,Đơn vị\r\n"  # 3
    "1,Nguyễn Thị Thu Hà,Ha@KhanhHoa.gov.vn,Sở Nội vụ\r\n"  # 4
    "2,Trần Văn Đức,abc@,UBND huyện Diên Khánh\r\n"  # 5 bad address
    "3,Lê Văn Tám,,Sở Y tế\r\n"  # 6 no address
    '4,"Hoàng\r\nVăn Nam",nam@x.vn,"Sở\nTư pháp"\r\n'  # 7-8 in a text editor, row 7 in Excel
    "5,Dup,ha@khanhhoa.GOV.VN,x\r\n"  # 8 duplicate of 4
    ",,,\r\n"  # 9 blank: skipped silently
    "\r\n"  # 10 blank
    "6,Nguyễn, Văn A,a@x.vn,Sở\r\n"  # 11 unquoted comma: too many cells
    "7,Short,short@x.vn\r\n"  # 12 too few cells: fine, agency empty
    "8,\x0bTab\u200bbed\u202e,  tab@x.vn  ,UBND\ttỉnh\r\n"  # 13 control and format characters
    "9,Two,a@x.vn; b@x.vn,\r\n"  # 14 two addresses
    "10,,,\r\n"  # 15 only a row number: not blank, no address
    "11,IDN,user@bücher.vn,\r\n"  # 16
)


def test_broken_rows_become_rejects_with_excel_line_numbers(tmp_path: Path) -> None:
    path = write(tmp_path, "broken.csv", BROKEN.encode("utf-8"))
    with RosterReader(path) as reader:
        assert reader.header_line == 3
        items = list(reader)
    by_line = {i.line: i for i in items}
    assert sorted(by_line) == [4, 5, 6, 7, 8, 11, 12, 13, 14, 15, 16]
    rejects = {i.line: i.reason for i in items if isinstance(i, Reject)}
    assert rejects[5] == "invalid email address 'abc@': There must be something after the @-sign."
    assert rejects[6] == rejects[15] == "missing email address"
    assert rejects[8] == "duplicate of line 4"
    assert rejects[11] == "row has 5 cells but the header has 4"
    assert rejects[14].startswith("more than one email address")
    assert set(rejects) == {5, 6, 8, 11, 14, 15}
    multi = by_line[7]
    assert isinstance(multi, RosterRow)
    assert (multi.full_name, multi.agency_name) == ("Hoàng Văn Nam", "Sở Tư pháp")
    short, ctrl, idn = by_line[12], by_line[13], by_line[16]
    assert isinstance(short, RosterRow) and short.agency_name == "" and short.agency_code == ""
    assert isinstance(ctrl, RosterRow)
    assert (ctrl.full_name, ctrl.email, ctrl.agency_name) == ("Tabbed", "tab@x.vn", "UBND tỉnh")
    assert isinstance(idn, RosterRow) and idn.email == "user@bücher.vn"
    dup = by_line[8]
    assert isinstance(dup, Reject) and dup.raw == "5,Dup,ha@khanhhoa.GOV.VN,x"


def test_no_field_ever_holds_a_control_character(tmp_path: Path) -> None:
    rows, _ = read_all(write(tmp_path, "broken.csv", BROKEN.encode("utf-8")))
    for row in rows:
        for value in (
            row.email,
            row.full_name,
            row.title,
            row.agency_name,
            row.agency_code,
            *row.extra.values(),
        ):
            assert value.isprintable(), value


# ----------------------------------------------------------------------------- xlsx


def make_xlsx(
    path: Path, rows: list[list[object]], *, sheet: str = "Danh sách", before: str | None = None
) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    assert ws is not None
    if before is not None:
        ws.title = before
        ws["A1"] = "trang bìa"
        ws = wb.create_sheet(sheet)
    else:
        ws.title = sheet
    for r, cells in enumerate(rows, start=1):
        for c, value in enumerate(cells, start=1):
            if value is not None:
                ws.cell(row=r, column=c, value=value)
    wb.save(path)
    return path


XLSX_ROWS: list[list[object]] = [
    ["DANH SÁCH CÔNG CHỨC ĐƯỢC KHẢO SÁT"],
    [],
    ["STT", "Họ và tên", "Thư điện tử", "Cơ quan", "Điện thoại", "Ngày sinh", "Giới tính"],
    [1, "Nguyễn Thị Thu Hà", "ha@khanhhoa.gov.vn", "Sở Nội vụ tỉnh Khánh Hòa", 912345678, dt.datetime(1985, 3, 2), "Nữ"],
    [],
    [2, "Trần Văn Đức", "not-an-address", "UBND huyện Diên Khánh", None, None, "Nam"],
    [3, "Lê Văn Tám", "tam@khanhhoa.gov.vn", None, 2583822222.0, None, None],
]  # fmt: skip


def test_xlsx_with_title_rows(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "ds.xlsx", XLSX_ROWS)
    with RosterReader(path) as reader:
        assert (reader.format, reader.sheet, reader.header_line) == ("xlsx", "Danh sách", 3)
        assert reader.encoding is None and reader.delimiter is None
        items = list(reader)
    assert [i.line for i in items] == [4, 6, 7]
    ha, bad, tam = items
    assert isinstance(ha, RosterRow) and isinstance(bad, Reject) and isinstance(tam, RosterRow)
    assert ha.full_name == "Nguyễn Thị Thu Hà" and ha.honorific == "bà"
    assert ha.phone == "0912345678"  # Excel stored the number without its 0
    assert ha.extra == {"Ngày sinh": "1985-03-02"}
    assert tam.phone == "2583822222"
    assert bad.reason.startswith("invalid email address 'not-an-address'")
    assert bad.raw == "2 | Trần Văn Đức | not-an-address | UBND huyện Diên Khánh |  |  | Nam"


def test_xlsx_named_sheet(tmp_path: Path) -> None:
    path = make_xlsx(tmp_path / "ds.xlsx", XLSX_ROWS, sheet="Khối huyện", before="Bìa")
    with pytest.raises(InputError, match="no email column"):
        RosterReader(path)  # the first sheet is the cover page
    rows, rejects = read_all(path, sheet="Khối huyện")
    assert len(rows) == 2 and len(rejects) == 1
    with pytest.raises(InputError, match="no sheet named 'Nope'; sheets: Bìa, Khối huyện"):
        RosterReader(path, sheet="Nope")


def test_xlsx_that_is_not_a_workbook(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a readable .xlsx"):
        RosterReader(write(tmp_path, "x.xlsx", b"Email,Name\na@x.vn,A\n"))


def test_xlsx_header_only(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no data rows"):
        RosterReader(make_xlsx(tmp_path / "h.xlsx", [["Tiêu đề"], ["Email", "Họ tên"]]))


def test_abandoned_reader_closes_its_file(tmp_path: Path) -> None:
    """A generator dropped half-way must not leak the workbook (filterwarnings=error turns the
    ResourceWarning into a failure)."""
    path = make_xlsx(tmp_path / "ds.xlsx", XLSX_ROWS)
    rows = read_roster(path)
    assert isinstance(next(rows), RosterRow)
    rows.close()
    csv_rows = read_roster(write(tmp_path, "b.csv", BROKEN.encode()))
    next(csv_rows)
    del csv_rows


# ----------------------------------------------------------------------------- rejects file


def test_write_rejects_round_trip_and_stale_file(tmp_path: Path) -> None:
    source = write(tmp_path, "ds khánh hòa.csv", BROKEN.encode())
    _, rejects = read_all(source)
    out = write_rejects(source, rejects)
    assert out == tmp_path / "ds khánh hòa.rejects.csv"
    data = out.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    table = list(csv.reader(data.decode("utf-8-sig").splitlines()))
    assert table[0] == ["line", "reason", "raw"]
    assert [int(r[0]) for r in table[1:]] == [r.line for r in rejects]
    assert table[2][2] == "3,Lê Văn Tám,,Sở Y tế"
    assert write_rejects(source, []) is None
    assert not out.exists()
    assert not list(tmp_path.glob("*.partial"))


def test_write_rejects_defuses_formulas(tmp_path: Path) -> None:
    out = write_rejects(tmp_path / "r.csv", [Reject(2, "missing email address", '=HYPERLINK("http://x")')])
    assert out is not None
    (_, row) = list(csv.reader(out.read_text("utf-8-sig").splitlines()))
    assert row[2] == '\'=HYPERLINK("http://x")'


# ----------------------------------------------------------------------------- scale


def test_large_roster_streams(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        fh.write("STT;Họ và tên;Email;Đơn vị\r\n")
        for n in range(20_000):
            fh.write(f"{n};Nguyễn Văn {n};nv{n}@khanhhoa.gov.vn;Đơn vị {n % 50}\r\n")
    count = last = 0
    for item in read_roster(path):
        assert isinstance(item, RosterRow)
        count, last = count + 1, item.line
    assert (count, last) == (20_000, 20_001)


def test_test_domains_only_when_allowed(tmp_path: Path) -> None:
    path = write(tmp_path, "t.csv", b"Email\r\nnv.a@khanhhoa.test\r\n")
    rows, rejects = read_all(path)
    assert not rows and "special-use or reserved" in rejects[0].reason
    rows, rejects = read_all(path, allow_test_domains=True)
    assert [r.email for r in rows] == ["nv.a@khanhhoa.test"] and not rejects
