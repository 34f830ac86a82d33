"""Read CSV/TSV/XLSX tables as operators export them from Excel: sniff encoding and delimiter,
find the header row below any title rows, and stream records with the row numbers Excel shows.

What the columns mean is not decided here: rosters and survey-platform exports map headers
themselves (see ``fold`` for the matching key).
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import functools
import itertools
import logging
import re
import unicodedata
import warnings
from collections.abc import Callable, Generator, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import IO, Any, Literal

from maildaemon.errors import InputError

log = logging.getLogger(__name__)

HeaderTest = Callable[[Sequence[str]], bool]

XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})
DELIMITERS = (",", ";", "\t")
HEADER_SCAN_ROWS = 50
"""The header must be within this many rows from the top (title rows above it are skipped)."""

_CHUNK = 1 << 20
_ZIP_MAGIC = b"PK\x03\x04"
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SEP_LINE = re.compile(r"^\ufeff?sep=(.)\r?\n?$", re.IGNORECASE)
# Bytes that mean "Vietnamese" when decoded as cp1258 (ă Ă Đ đ Ơ ơ Ư ư and the five combining
# tone marks); cp1252 gives rare Western letters (Ã Ì Ð Ò Õ Ý Þ ...) for the same bytes.
_CP1258_EVIDENCE = frozenset(b"\xc3\xcc\xd0\xd2\xd5\xdd\xde\xe3\xec\xf0\xf2\xf5\xfd")
# C0 controls that never occur in a text table (tab, LF, CR and form feed may).
_BINARY_BYTES = frozenset(range(0x20)) - frozenset(b"\t\n\r\x0c")
# More than this share of control characters means the file is not text in the guessed encoding.
_MAX_CONTROL_SHARE = 0.01
_MAX_CONTROL_COUNT = 8  # a few stray ones (Word's \v line break pasted into Excel) are cleaned per cell


@dataclass(frozen=True, slots=True)
class Record:
    """One table row. ``line`` is the row number Excel shows (1-based; a quoted field with an
    embedded newline does not start a new row). ``raw`` is the row as the file had it."""

    line: int
    cells: tuple[str, ...]
    raw: str

    @property
    def blank(self) -> bool:
        return not any(c.strip() for c in self.cells)


# --------------------------------------------------------------------------- text helpers (pure)

_CONTROL_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})
_PAREN = re.compile(r"\([^)]*\)|\[[^\]]*\]")
_NON_ALNUM = re.compile(r"[^0-9a-z]+")


def clean_text(value: str) -> str:
    """NFC, control and line-break characters turned into spaces, format characters (zero-width,
    bidi overrides, stray BOM) and lone surrogates dropped, whitespace collapsed: safe for a mail
    header."""
    value = unicodedata.normalize("NFC", value)
    if value.isprintable():  # the common case: no Cc, Cf, Cs, Zl, Zp (nor unassigned) characters
        return " ".join(value.split())
    out = []
    for ch in value:
        cat = unicodedata.category(ch)
        if cat in _CONTROL_CATEGORIES:
            out.append(" ")
        elif cat not in ("Cf", "Cs"):  # lone surrogates cannot even be encoded
            out.append(ch)
    return " ".join("".join(out).split())


def strip_diacritics(value: str) -> str:
    """Vietnamese text without tone and vowel marks; ``đ``/``Đ`` become ``d``/``D``."""
    decomposed = unicodedata.normalize("NFD", value.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=4096)
def fold(header: str) -> str:
    """Matching key for a column header: no diacritics, case, spacing, punctuation or
    parenthesised remarks, so "Họ và tên (*)", "HỌ VÀ TÊN" and "ho va ten" are one key."""
    text = strip_diacritics(clean_text(header)).casefold()
    text = _PAREN.sub(" ", text)
    return _NON_ALNUM.sub("", text)


@functools.lru_cache(maxsize=4096)
def slug(value: str) -> str:
    """Lowercase ASCII slug with hyphens: "Sở Nội vụ tỉnh Khánh Hòa" -> "so-noi-vu-tinh-khanh-hoa"."""
    text = strip_diacritics(clean_text(value)).casefold()
    return _NON_ALNUM.sub("-", text).strip("-")


def cell_text(value: object) -> str:
    """An XLSX cell value as the operator sees it (integral floats without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime) and value.time() == dt.time(0):
        return value.date().isoformat()
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------- encoding sniffing


def _bom_encoding(head: bytes) -> str | None:
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _utf16_without_bom(head: bytes) -> str | None:
    """ASCII-heavy UTF-16 has a NUL in every other byte; Excel always writes a BOM, others may not."""
    if len(head) < 4 or len(head) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    half = len(head) // 2
    if odd.count(0) > 0.6 * half and even.count(0) < 0.05 * half:
        return "utf-16-le"
    if even.count(0) > 0.6 * half and odd.count(0) < 0.05 * half:
        return "utf-16-be"
    return None


def _decodes(path: Path, encoding: str) -> bool:
    """True when the whole file decodes strictly (read in chunks: memory stays flat)."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _byte_profile(path: Path) -> tuple[int, int, int]:
    """(size, binary control bytes, cp1258 evidence bytes) over the whole file."""
    size = control = evidence = 0
    with path.open("rb") as fh:
        while chunk := fh.read(_CHUNK):
            size += len(chunk)
            control += sum(chunk.count(b) for b in _BINARY_BYTES if b in chunk)
            evidence += sum(chunk.count(b) for b in _CP1258_EVIDENCE if b in chunk)
    return size, control, evidence


def sniff_encoding(path: Path) -> str:
    """The text encoding of ``path``: a BOM wins; then UTF-16 without BOM, UTF-8, Windows-1258
    (when Vietnamese letters show), Windows-1252, Latin-1. A file that is not text in any of
    them (binary, too many control characters) is an ``InputError``."""
    with path.open("rb") as fh:
        head = fh.read(4096)
    if not head:
        raise InputError(f"{path}: the file is empty")
    if head.startswith(_OLE2_MAGIC):
        raise InputError(f"{path}: old Excel .xls files are not supported; save it as .xlsx or CSV UTF-8")
    if head.startswith(_ZIP_MAGIC):
        raise InputError(f"{path}: this is a ZIP/XLSX file, not a text table; give it the .xlsx extension")
    encoding = _bom_encoding(head) or _utf16_without_bom(head[: len(head) & ~1])
    if encoding is not None:
        if not _decodes(path, encoding):
            raise InputError(f"{path}: the file starts like {encoding} but does not decode as it")
        return encoding
    size, control, evidence = _byte_profile(path)
    if control > max(_MAX_CONTROL_COUNT, _MAX_CONTROL_SHARE * size) or b"\0" in head:
        raise InputError(
            f"{path}: not a text table (binary data or an unknown encoding); "
            "save it from Excel as CSV UTF-8, Unicode Text or .xlsx"
        )
    if _decodes(path, "utf-8"):
        return "utf-8"
    candidates = ("cp1258", "cp1252", "latin-1") if evidence else ("cp1252", "cp1258", "latin-1")
    for candidate in candidates:
        if _decodes(path, candidate):
            return candidate
    raise AssertionError("latin-1 decodes every byte")  # pragma: no cover


def _plausible_text(sample: str) -> bool:
    if not sample:
        return True
    control = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\r\n\x0c")
    return control <= max(_MAX_CONTROL_COUNT, _MAX_CONTROL_SHARE * len(sample))


# --------------------------------------------------------------------------- the table


class Table:
    """An open table: after construction ``format``, ``encoding``, ``delimiter``, ``sheet`` and
    ``header`` (the header ``Record``, or None when ``is_header`` matched no row in the first
    ``HEADER_SCAN_ROWS``; ``preview`` then holds the non-blank rows seen) are known. Iterating
    yields the records below the header, blank ones included. Close it (or use ``with``)."""

    format: Literal["csv", "xlsx"]
    encoding: str | None
    delimiter: str | None
    sheet: str | None
    header: Record | None
    preview: tuple[Record, ...]

    def __init__(self, path: Path, *, sheet: str | None = None, is_header: HeaderTest | None = None) -> None:
        self.path = path
        self.encoding = self.delimiter = self.sheet = None
        self._handle: IO[str] | None = None
        self._workbook: Any = None
        self._sheet_rows: Generator[tuple[object, ...], None, None] | None = None
        self._records: Iterator[Record] = iter(())
        if not path.is_file():
            raise InputError(f"{path}: no such file")
        try:
            if path.suffix.lower() in XLSX_SUFFIXES or _starts_with(path, _ZIP_MAGIC):
                self.format = "xlsx"
                self._open_xlsx(sheet)
            elif path.suffix.lower() == ".xls" and _starts_with(path, _OLE2_MAGIC):
                raise InputError(f"{path}: old Excel .xls files are not supported; save it as .xlsx")
            else:
                self.format = "csv"
                self._open_text(is_header)
            self._find_header(is_header)
        except BaseException:
            self.close()
            raise

    # -- context manager and iteration

    def __enter__(self) -> Table:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __iter__(self) -> Iterator[Record]:
        return self._records

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
        if self._sheet_rows is not None:  # a suspended openpyxl generator holds the file open
            self._sheet_rows.close()
            self._sheet_rows = None
        if self._workbook is not None:
            self._workbook.close()
            self._workbook = None

    # -- header

    def _find_header(self, is_header: HeaderTest | None) -> None:
        seen: list[Record] = []
        self.header = None
        for record in itertools.islice(self._records, HEADER_SCAN_ROWS):
            if record.blank:
                continue
            if is_header is None or is_header(record.cells):
                self.header = record
                break
            seen.append(record)
        if not seen and self.header is None:
            raise InputError(
                f"{self.path}: the file is empty (no non-blank row in the first {HEADER_SCAN_ROWS})"
            )
        self.preview = tuple(seen)

    # -- text

    def _open_text(self, is_header: HeaderTest | None) -> None:
        self.encoding = sniff_encoding(self.path)
        skip, self.delimiter = self._sniff_delimiter(is_header)
        try:
            self._handle = self.path.open(encoding=self.encoding, newline="")
        except OSError as exc:
            raise InputError(f"{self.path}: cannot read: {exc}") from exc
        self._records = self._text_records(self._handle, skip)
        log.debug("table.open path=%s encoding=%s delimiter=%r", self.path, self.encoding, self.delimiter)

    def _sniff_delimiter(self, is_header: HeaderTest | None) -> tuple[int, str]:
        """(lines to skip, delimiter). Excel's ``sep=;`` first line is honoured (and hidden, as
        Excel hides it); otherwise the delimiter under which a header row is recognised, then the
        one that splits the top rows most consistently."""
        assert self.encoding is not None
        with self.path.open(encoding=self.encoding, newline="") as fh:
            lines = list(itertools.islice(fh, HEADER_SCAN_ROWS))
        if not _plausible_text("".join(lines)):
            raise InputError(f"{self.path}: not a text table (control characters in {self.encoding} text)")
        if lines and (m := _SEP_LINE.match(lines[0])) and m.group(1) in DELIMITERS:
            return 1, m.group(1)
        best, best_score = ",", (-1, -1, -1)
        for delimiter in DELIMITERS:
            rows = [cells for cells in csv.reader(_guard_nul(lines), delimiter=delimiter) if cells]
            multi = [len(cells) for cells in rows if len(cells) > 1]
            if not multi:
                continue
            header = is_header is not None and any(is_header(cells) for cells in rows)
            # Most rows split, then the most common width (header and data rows agree).
            common = max(multi.count(w) for w in set(multi))
            score = (int(header), len(multi), common)
            if score > best_score:
                best, best_score = delimiter, score
        return 0, best

    def _text_records(self, handle: IO[str], skip: int) -> Iterator[Record]:
        consumed: list[str] = []

        def lines() -> Iterator[str]:
            for line in handle:
                consumed.append(line)
                yield line.replace("\0", "")

        source = lines()
        for _ in itertools.islice(source, skip):
            pass
        consumed.clear()
        reader = csv.reader(source, delimiter=self.delimiter or ",")
        number = 0
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(f"{self.path}: row {number + 1}: {exc}") from exc
            except UnicodeDecodeError as exc:  # the file changed under us after sniffing
                raise InputError(f"{self.path}: row {number + 1}: not {self.encoding}: {exc}") from exc
            number += 1
            raw = unicodedata.normalize("NFC", "".join(consumed)).rstrip("\r\n")
            consumed.clear()
            yield Record(number, tuple(unicodedata.normalize("NFC", c) for c in cells), raw)

    # -- xlsx

    def _open_xlsx(self, sheet: str | None) -> None:
        try:
            import openpyxl

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                self._workbook = openpyxl.load_workbook(self.path, read_only=True, data_only=True)
        except Exception as exc:  # openpyxl raises zipfile, XML, KeyError ... on a broken file
            raise InputError(
                f"{self.path}: not a readable .xlsx workbook: {exc or type(exc).__name__}"
            ) from exc
        names = list(self._workbook.sheetnames)
        if not names:
            raise InputError(f"{self.path}: the workbook has no sheets")
        if sheet is not None and sheet not in names:
            raise InputError(f"{self.path}: no sheet named {sheet!r}; sheets: {', '.join(names)}")
        self.sheet = sheet if sheet is not None else names[0]
        worksheet = self._workbook[self.sheet]
        if not hasattr(worksheet, "iter_rows"):
            raise InputError(f"{self.path}: sheet {self.sheet!r} is a chart, not a table")
        # The stored dimension is often wrong in files from other tools and would cut rows off.
        if hasattr(worksheet, "reset_dimensions"):
            worksheet.reset_dimensions()
        self._records = self._xlsx_records(worksheet)

    def _xlsx_records(self, worksheet: Any) -> Iterator[Record]:
        try:
            rows = self._sheet_rows = worksheet.iter_rows(values_only=True)
        except Exception as exc:
            raise InputError(f"{self.path}: cannot read sheet {self.sheet!r}: {exc}") from exc
        number = 0
        while True:
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    values = next(rows)
            except StopIteration:
                return
            except Exception as exc:
                raise InputError(f"{self.path}: sheet {self.sheet!r} row {number + 1}: {exc}") from exc
            number += 1
            cells = [unicodedata.normalize("NFC", cell_text(v)) for v in values]
            while cells and not cells[-1]:
                cells.pop()
            yield Record(number, tuple(cells), " | ".join(cells))


def _starts_with(path: Path, magic: bytes) -> bool:
    with path.open("rb") as fh:
        return fh.read(len(magic)) == magic


def _guard_nul(lines: Iterable[str]) -> Iterator[str]:
    return (line.replace("\0", "") for line in lines)


def open_table(path: Path, *, sheet: str | None = None, is_header: HeaderTest | None = None) -> Table:
    """Open a CSV/TSV/TXT or XLSX table; see ``Table``. ``sheet`` applies to XLSX only (a text file
    has one table). Raises ``InputError`` for unreadable files."""
    return Table(path, sheet=sheet, is_header=is_header)
