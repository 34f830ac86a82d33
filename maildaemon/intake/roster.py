"""Roster import: a CSV/XLSX file of respondents in, clean ``RosterRow``s and ``Reject``s out.

Vietnamese or English headers are recognised whatever their case, diacritics or spacing; values
are NFC with control characters removed, so nothing from a roster can break a mail header.
No database here: the caller stores the rows and writes the rejects file for the operator.
"""

from __future__ import annotations

import csv
import hashlib
import itertools
import logging
import re
from collections.abc import Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType

from email_validator import EmailNotValidError, validate_email

from maildaemon.errors import InputError
from maildaemon.intake.tabular import Record, Table, clean_text, fold, slug

log = logging.getLogger(__name__)

__all__ = [
    "FIELDS", "Reject", "RosterReader", "RosterRow", "email_key", "normalise_address", "read_roster", "write_rejects",
]  # fmt: skip

_ALIASES: dict[str, tuple[str, ...]] = {
    "email": (
        "Email", "E-mail", "Mail", "Thư điện tử", "Địa chỉ email", "Địa chỉ thư điện tử", "Hộp thư công vụ",
        "Thư công vụ", "Email công vụ", "Địa chỉ thư công vụ", "Email address", "E-mail address",
    ),
    "full_name": ("Họ và tên", "Họ tên", "Full name", "Name", "Họ và tên người được khảo sát"),
    "title": ("Chức vụ", "Chức danh", "Position", "Title", "Job title"),
    "agency_name": (
        "Cơ quan/đơn vị", "Cơ quan", "Đơn vị", "Tên cơ quan", "Tên đơn vị", "Đơn vị công tác",
        "Cơ quan công tác", "Nơi công tác", "Agency", "Organization", "Organisation",
    ),
    "agency_code": ("Mã đơn vị", "Mã cơ quan", "Mã cơ quan/đơn vị", "Agency code", "Unit code"),
    "parent_code": ("Mã cơ quan cấp trên", "Mã đơn vị cấp trên", "Mã sở/ngành", "Parent code"),
    "parent_name": (
        "Cơ quan cấp trên", "Đơn vị cấp trên", "Cơ quan chủ quản", "Sở, ban, ngành", "Sở/ngành",
        "Sở ngành", "Department", "Parent", "Parent agency",
    ),
    "group": ("Đối tượng", "Nhóm", "Nhóm đối tượng", "Group", "Respondent group"),
    "phone": ("Điện thoại", "Số điện thoại", "SĐT", "Điện thoại di động", "Phone", "Phone number", "Mobile"),
    "gender": ("Giới tính", "Gender", "Sex"),
    "honorific": ("Danh xưng", "Salutation", "Honorific"),
    "key": (
        "Mã cán bộ", "Mã định danh", "Mã CBCCVC", "Mã công chức", "Mã nhân viên", "Mã số cán bộ",
        "Mã người được khảo sát", "Employee ID", "Employee code", "Staff ID", "Person ID", "Person code",
    ),
    "token": ("Token", "Mã phiếu", "Mã khảo sát", "Survey token"),
    "focal_email": (
        "Email đầu mối", "Đầu mối", "Thư điện tử đầu mối", "Địa chỉ email đầu mối", "Email người đầu mối",
        "Email cán bộ đầu mối", "Focal point email", "Focal point", "Focal email", "focal_email",
    ),
    "ignored": ("STT", "Số TT", "Số thứ tự", "TT", "No.", "No", "#"),
}  # fmt: skip
_HEADER_FIELD: dict[str, str] = {
    fold(alias): name for name, aliases in _ALIASES.items() for alias in aliases if fold(alias)
}
_EMAIL_KEYS = frozenset(fold(a) for a in _ALIASES["email"])

FIELDS = ("email", "full_name", "title", "agency_name", "agency_code", "parent_code", "parent_name", "group",
          "phone", "honorific", "key", "token", "focal_email")  # fmt: skip
"""The ``RosterRow`` text fields a header can map to (besides ``gender``, read into ``honorific``)."""

# fold(value) -> honorific. Gender says ông/bà; a salutation column may say more.
_HONORIFICS = {
    "nam": "ông", "male": "ông", "m": "ông", "ong": "ông",
    "nu": "bà", "female": "bà", "f": "bà", "ba": "bà",
    "anh": "anh", "chi": "chị", "dongchi": "đồng chí",
}  # fmt: skip
_SEVERAL_ADDRESSES = re.compile(r"[;,\s]")


@dataclass(frozen=True, slots=True)
class RosterRow:
    """One respondent. ``line`` is the row number Excel shows. ``email`` keeps its local part's
    case (mail systems may honour it) with a lowercased domain; compare with ``email_key``.
    When the file has no agency code, ``agency_code`` is derived from the agency name (a slug
    of the unaccented name, e.g. "so-noi-vu-tinh-khanh-hoa") so agencies still group and the
    code stays stable across imports; ``parent_code`` likewise from ``parent_name``. ``key`` and
    ``token`` identify a person across imports, so a changed address updates them instead of adding one."""

    line: int
    email: str
    full_name: str = ""
    title: str = ""
    agency_name: str = ""
    agency_code: str = ""
    parent_code: str = ""
    parent_name: str = ""
    group: str = ""
    phone: str = ""
    honorific: str = ""
    extra: dict[str, str] = field(default_factory=dict, hash=False)
    key: str = ""  # the stable person key ("Mã cán bộ", employee ID), case-folded: a re-import matches by it
    token: str = ""  # a survey token column (a roster exported from us): matches like the key
    focal_email: str = ""  # the focal point (đầu mối) of this row's agency, where the roster names one
    raw: str = field(default="", compare=False, repr=False)  # the row as in the file, for a later reject

    @property
    def home_code(self) -> str:
        """The code of the agency this row's person belongs to ("" for the province line)."""
        return self.agency_code or self.parent_code


@dataclass(frozen=True, slots=True)
class Reject:
    """A row that was not imported: ``reason`` in short English, ``raw`` the row as in the file."""

    line: int
    reason: str
    raw: str


def email_key(email: str) -> str:
    """Identity of an address for duplicate checks: ``A.Nguyen@x.vn`` and ``a.nguyen@X.VN`` are one."""
    return email.casefold()


def _is_header(cells: Sequence[str]) -> bool:
    return any(fold(c) in _EMAIL_KEYS for c in cells)


@dataclass(frozen=True, slots=True)
class _Column:
    index: int
    header: str
    field: str  # one of FIELDS, "gender", "ignored" or "extra"
    unnamed: bool = False  # an empty header cell: "column N"


def _map_columns(header: Sequence[str]) -> tuple[_Column, ...]:
    """The field of each header cell; a field's first column wins, later ones go to ``extra``."""
    taken: set[str] = set()
    extra_names: set[str] = set()
    columns = []
    for index, cell in enumerate(header):
        text = clean_text(cell)
        name = "ignored" if text == "#" else _HEADER_FIELD.get(fold(text), "extra")
        if name in taken and name != "ignored":
            name = "extra"
        unnamed = not text
        if name == "extra":
            text = text or f"column {index + 1}"
            base, n = text, 2
            while text in extra_names:
                text, n = f"{base} ({n})", n + 1
            extra_names.add(text)
        else:
            taken.add(name)
        columns.append(_Column(index, text, name, unnamed))
    return tuple(columns)


def normalise_address(value: str, *, allow_test_domains: bool = False) -> str:
    """An operator-typed address checked as a roster cell is (``InputError`` naming it if invalid)."""
    try:
        return _normalise_email(clean_text(value), allow_test_domains)
    except ValueError as exc:
        raise InputError(str(exc)) from exc


def _normalise_email(value: str, allow_test_domains: bool = False) -> str:
    """The address as we store it; raises ``ValueError`` with the reject reason. Syntax only:
    whether the domain exists is the checker's job."""
    if value.casefold().startswith("mailto:"):
        value = value[len("mailto:") :]
    value = value.strip("<> ")
    if not value:
        raise ValueError("missing email address")
    if _SEVERAL_ADDRESSES.search(value) and value.count("@") > 1:
        raise ValueError(f"more than one email address in one cell {value!r}")
    try:
        # None (not False) leaves email_validator's global TEST_ENVIRONMENT in charge.
        valid = validate_email(value, check_deliverability=False, test_environment=allow_test_domains or None)
    except EmailNotValidError as exc:
        raise ValueError(f"invalid email address {value!r}: {exc}") from exc
    return valid.normalized


def _phone(value: str) -> str:
    """Excel drops the leading 0 of a phone typed as a number (912345678 for 0912345678): restore it."""
    if value.isdigit() and len(value) == 9 and value[0] != "0":
        return "0" + value
    return value


def _honorific(salutation: str, gender: str) -> str:
    if salutation:
        return _HONORIFICS.get(fold(salutation), salutation)
    return _HONORIFICS.get(fold(gender), "") if gender else ""


class RosterReader:
    """An open roster. Header problems raise ``InputError`` here, before any row is read; after
    opening, ``format``, ``encoding``, ``delimiter``, ``sheet``, ``header_line`` and ``columns``
    (header text -> field, "extra" or "ignored") say what was detected. Iterating yields a
    ``RosterRow`` or ``Reject`` per non-blank row, streaming. Close it, or use ``with``.
    ``allow_test_domains`` accepts addresses under the reserved ``.test`` domain (demo, tests)."""

    def __init__(self, path: Path, *, sheet: str | None = None, allow_test_domains: bool = False) -> None:
        self.path = Path(path)
        self.allow_test_domains = allow_test_domains
        self._table = Table(self.path, sheet=sheet, is_header=_is_header)
        try:
            self._first = self._open()
        except BaseException:
            self._table.close()
            raise
        self.format = self._table.format
        self.encoding = self._table.encoding
        self.delimiter = self._table.delimiter
        self.sheet = self._table.sheet

    def _open(self) -> Record:
        header = self._table.header
        if header is None:
            found = max(self._table.preview, key=lambda r: sum(1 for c in r.cells if c.strip()))
            names = ", ".join(repr(clean_text(c)) for c in found.cells if c.strip()) or "none"
            raise InputError(
                f"{self.path}: no email column (looked for a header like 'Email' or 'Thư điện tử' in the "
                f"first rows); columns found on line {found.line}: {names}"
            )
        self.header_line = header.line
        self._columns = _map_columns(header.cells)
        self.columns: tuple[tuple[str, str], ...] = tuple((c.header, c.field) for c in self._columns)
        self._email_index = next(c.index for c in self._columns if c.field == "email")
        self.key_column = next((c.header for c in self._columns if c.field in ("key", "token")), None)
        first = next((r for r in self._table if not r.blank), None)
        if first is None:
            raise InputError(f"{self.path}: no data rows below the header on line {header.line}")
        log.info(
            "roster.open path=%s format=%s encoding=%s delimiter=%r header_line=%d columns=%s",
            self.path, self._table.format, self._table.encoding, self._table.delimiter, header.line,
            ",".join(f"{c.header}={c.field}" for c in self._columns),
        )  # fmt: skip
        return first

    def __enter__(self) -> RosterReader:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._table.close()

    def __iter__(self) -> Iterator[RosterRow | Reject]:
        """Rows and rejects; with a key column, a key missing or repeated on any row raises ``InputError``
        naming those rows once the file is read (the caller's one transaction then imports nothing); so
        does one agency given two different focal point addresses."""
        seen: dict[bytes, int] = {}  # 8-byte digests of addresses: memory stays small for big rosters
        keys: dict[str, int] = {}
        missing: list[int] = []
        repeated: list[str] = []
        focal = _FocalPoints()
        width = len(self._columns)
        for record in itertools.chain((self._first,), self._table):
            if record.blank:
                continue
            item = self._row(record, width, seen)
            if self.key_column is not None:
                key = self._key_of(record)
                if not key:
                    missing.append(record.line)
                elif key in keys:
                    repeated.append(f"{key!r} on lines {keys[key]} and {record.line}")
                else:
                    keys[key] = record.line
            if isinstance(item, RosterRow):
                focal.add(item)
            yield item
        problems = []
        if missing or repeated:
            problems.append(_key_problems(self.path, self.key_column or "", missing, repeated))
        if focal.conflicts:
            problems.append(focal.problem(self.path))
        if problems:
            raise InputError("\n".join(problems))

    def _key_of(self, record: Record) -> str:
        for column in self._columns:
            if column.field in ("key", "token") and column.index < len(record.cells):
                value = clean_text(record.cells[column.index])
                if value:
                    return value.casefold()
        return ""

    def _row(self, record: Record, width: int, seen: dict[bytes, int]) -> RosterRow | Reject:
        cells = record.cells
        used = len(cells)
        while used and not cells[used - 1].strip():
            used -= 1
        if used > width:
            return Reject(record.line, f"row has {used} cells but the header has {width}", record.raw)
        values = {c.field: "" for c in self._columns}
        extra: dict[str, str] = {}
        for column in self._columns:
            value = clean_text(cells[column.index]) if column.index < len(cells) else ""
            if column.field == "extra":
                if value or not column.unnamed:  # stray cells in unnamed columns only when filled
                    extra[column.header] = value
            elif column.field != "ignored":
                values[column.field] = value
        try:
            email = _normalise_email(values["email"], self.allow_test_domains)
        except ValueError as exc:
            return Reject(record.line, str(exc), record.raw)
        focal_email = values.get("focal_email", "")
        if focal_email:
            try:
                focal_email = _normalise_email(focal_email, self.allow_test_domains)
            except ValueError as exc:
                return Reject(record.line, f"focal point: {exc}", record.raw)
        key = email_key(email)
        digest = hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest()
        if digest in seen:
            return Reject(record.line, f"duplicate of line {seen[digest]}", record.raw)
        seen[digest] = record.line
        agency_name, parent_name = values.get("agency_name", ""), values.get("parent_name", "")
        return RosterRow(
            line=record.line,
            email=email,
            full_name=values.get("full_name", ""),
            title=values.get("title", ""),
            agency_name=agency_name,
            agency_code=values.get("agency_code", "") or slug(agency_name),
            parent_code=values.get("parent_code", "") or slug(parent_name),
            parent_name=parent_name,
            group=values.get("group", ""),
            phone=_phone(values.get("phone", "")),
            honorific=_honorific(values.get("honorific", ""), values.get("gender", "")),
            extra=extra,
            key=values.get("key", "").casefold(),
            token=values.get("token", "").casefold(),
            focal_email=focal_email,
            raw=record.raw,
        )


class _FocalPoints:
    """One focal point address per agency: the first row naming one sets it, a different one conflicts."""

    def __init__(self) -> None:
        self.first: dict[str, tuple[str, int]] = {}  # agency code -> (address, line)
        self.conflicts: list[str] = []

    def add(self, row: RosterRow) -> None:
        if not row.focal_email:
            return
        code = row.home_code
        known = self.first.get(code)
        if known is None:
            self.first[code] = (row.focal_email, row.line)
        elif email_key(known[0]) != email_key(row.focal_email):
            agency = row.agency_name or row.parent_name or code or "the province"
            self.conflicts.append(
                f"{agency}: {known[0]} on line {known[1]}, {row.focal_email} on line {row.line}"
            )

    def problem(self, path: Path) -> str:
        more = f"; and {len(self.conflicts) - 10} more" if len(self.conflicts) > 10 else ""
        return (
            f"{path}: an agency has one focal point, but these rows name two different addresses: "
            + "; ".join(self.conflicts[:10]) + more + "; nothing imported — keep one address per agency and import again"
        )  # fmt: skip


def _key_problems(path: Path, column: str, missing: list[int], repeated: list[str]) -> str:
    """One message naming every row whose update key is missing or repeated (the first ten of each)."""
    parts = []
    if missing:
        more = f" and {len(missing) - 10} more" if len(missing) > 10 else ""
        parts.append(f"no {column!r} on line(s) {', '.join(map(str, missing[:10]))}{more}")
    if repeated:
        more = f"; and {len(repeated) - 10} more" if len(repeated) > 10 else ""
        parts.append(f"{column!r} repeated: {'; '.join(repeated[:10])}{more}")
    return (
        f"{path}: the update key column {column!r} must identify every person once: " + "; ".join(parts)
        + "; nothing imported — fill in or fix those rows and import again"
    )  # fmt: skip


def read_roster(
    path: Path, *, sheet: str | None = None, allow_test_domains: bool = False
) -> Generator[RosterRow | Reject, None, None]:
    """Stream the rows of a roster file (see ``RosterReader``); the file is closed when the
    generator finishes or is discarded."""
    with RosterReader(path, sheet=sheet, allow_test_domains=allow_test_domains) as reader:
        yield from reader


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _excel_safe(value: str) -> str:
    """A leading ``=``/``+``/``-``/``@`` would make Excel run the cell as a formula: quote it."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def write_rejects(input_path: Path, rejects: Iterable[Reject]) -> Path | None:
    """Write ``<stem>.rejects.csv`` beside the input (UTF-8 with BOM so Excel shows Vietnamese)
    with columns line, reason, raw. Returns its path, or None when there were no rejects, in
    which case a rejects file left from an earlier import is removed."""
    input_path = Path(input_path)
    target = input_path.with_name(f"{input_path.stem}.rejects.csv")
    partial = target.with_name(target.name + ".partial")
    count = 0
    try:
        with partial.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(["line", "reason", "raw"])
            for reject in rejects:
                writer.writerow([reject.line, _excel_safe(reject.reason), _excel_safe(reject.raw)])
                count += 1
        if count:
            partial.replace(target)
            log.info("roster.rejects path=%s count=%d", target, count)
            return target
        partial.unlink()
        target.unlink(missing_ok=True)
        return None
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise InputError(f"{target}: cannot write the rejects file: {exc}") from exc
