"""Opening files safely: size limit, type sniffing, zip-bomb and password checks, cell parsing.

Workbooks are read with openpyxl (defusedxml protects it from XML entity bombs); DuckDB's own
Excel extension cannot be installed offline (see STACK.md)."""
from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from python_calamine import CalamineWorkbook, SheetTypeEnum

from etl import numbers
from etl.problems import Collector, Rejected

MAX_FILE_BYTES = 25 * 1024 * 1024          # uploads larger than this are refused before parsing
MAX_UNZIPPED_BYTES = 400 * 1024 * 1024     # a workbook expanding beyond this is treated as a zip bomb
MAX_ROWS = 200_000                         # rows per sheet read from a workbook or CSV

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"   # .xls, or an encrypted .xlsx


def mb(n: int) -> str:
    """Sizes in MB of 1024 × 1024 bytes (the unit Streamlit's upload limit uses), Vietnamese decimal comma."""
    return numbers.num(n / (1024 * 1024), 1, "vi", grouping=False).removesuffix(",0") + " MB"


def _xml_forbidden(e: BaseException) -> bool:
    """defusedxml refused a DTD or entity declaration somewhere in the chain (an XML entity bomb)."""
    while e is not None:
        if type(e).__module__.startswith("defusedxml"):
            return True
        e = e.__cause__ or e.__context__
    return False


def _reason(e: BaseException, path: Path) -> str:
    """The parser's complaint without the server's folder names."""
    text = str(e).replace(str(path), path.name).replace(str(path.parent), "")
    return f"{type(e).__name__}: {text[:80]}"


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def _fail(path: Path, code: str, **kw) -> None:
    c = Collector(path.name)
    c.add(code, **kw)
    c.check()


def check_file(path: Path, max_bytes: int = MAX_FILE_BYTES) -> str:
    """Return 'xlsx', 'csv' or 'pdf', or raise Rejected. Reads only the file's first bytes and zip index."""
    path = Path(path)
    if not path.is_file():
        _fail(path, "file_missing")
    size = path.stat().st_size
    if size > max_bytes:
        _fail(path, "file_too_large", detail=mb(size), expected=mb(max_bytes))
    with open(path, "rb") as f:
        head = f.read(8)
    suffix = path.suffix.lower()
    if head.startswith(b"%PDF-"):
        return "pdf"                  # the Ministry's annex as a PDF (etl/ministry_annex.py reads it)
    if head.startswith(OLE2_MAGIC):
        # Both legacy .xls and password-protected .xlsx are OLE2 containers; the latter holds
        # an "EncryptionInfo" stream whose UTF-16 name appears in the directory.
        with open(path, "rb") as f:
            blob = f.read(min(size, 2_000_000))
        if "EncryptionInfo".encode("utf-16-le") in blob or "EncryptedPackage".encode("utf-16-le") in blob:
            _fail(path, "file_encrypted")
        _fail(path, "file_old_excel")
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as z:
                names = z.namelist()
                total = sum(i.file_size for i in z.infolist())
                if total > MAX_UNZIPPED_BYTES:
                    _fail(path, "file_bomb", detail=mb(total))
                if "mimetype" in names and b"opendocument" in z.read("mimetype"):
                    _fail(path, "file_old_excel")
                if "xl/workbook.xml" not in names:
                    _fail(path, "file_type", detail="zip " + ", ".join(names[:3]))
                bad = z.testzip()
                if bad:
                    _fail(path, "file_corrupt", detail=f"CRC {bad}")
        except zipfile.BadZipFile as e:
            _fail(path, "file_corrupt", detail=str(e))
        except (OSError, EOFError, NotImplementedError) as e:
            _fail(path, "file_corrupt", detail=type(e).__name__)
        return "xlsx"
    if suffix in (".xlsx", ".xlsm"):
        _fail(path, "file_corrupt", detail="không phải định dạng zip/xlsx")
    if suffix in (".csv", ".txt"):
        return "csv"
    _fail(path, "file_type", detail=suffix or "?")
    return ""  # unreachable


class _Details:
    """Formula texts (for cells whose formula has no cached value), from openpyxl's full parse, done once per
    workbook and only when a workbook has formulas and an empty cell is asked about."""

    def __init__(self, path: Path):
        self.path = path
        self._formulas: dict[str, dict] | None = None
        self._any_formula: bool | None = None

    def any_formula(self) -> bool:
        """Whether any worksheet holds a formula (<f> element), from the raw XML, without parsing it."""
        if self._any_formula is None:
            self._any_formula = False
            with zipfile.ZipFile(self.path) as z:
                for n in z.namelist():
                    if not (n.startswith("xl/worksheets/") and n.endswith(".xml")):
                        continue
                    with z.open(n) as f:
                        tail = b""
                        while chunk := f.read(1 << 20):
                            if b"<f>" in tail + chunk or b"<f " in tail + chunk:
                                self._any_formula = True
                                return True
                            tail = chunk[-2:]
        return self._any_formula

    def _load(self) -> None:
        try:
            wb = openpyxl.load_workbook(self.path, data_only=False, read_only=False)
        except Exception as e:  # the values parsed, the full parse did not: still a broken file
            if _xml_forbidden(e):
                _fail(self.path, "file_xml_entities")
            _fail(self.path, "file_corrupt", detail=_reason(e, self.path))
        self._formulas = {ws.title: {(c.row, c.column): c.value for row in ws.iter_rows() for c in row
                                     if isinstance(c.value, str) and c.value.startswith("=")} for ws in wb.worksheets}
        wb.close()

    def formulas(self, sheet: str) -> dict:
        if not self.any_formula():
            return {}
        if self._formulas is None:
            self._load()
        return self._formulas.get(sheet, {})


@dataclass
class Sheet:
    """A sheet as a list of value rows (cached values of formulas), its merged ranges ('B1:C1') and the file
    name; formulas without a cached value are read from the workbook when first asked for."""
    file: str
    name: str
    rows: list[tuple]
    merged: list[str]
    formulas: dict[tuple[int, int], str] | None = None   # (row, col) 1-based -> formula text
    details: _Details | None = None

    def formula_at(self, row: int, col: int) -> str | None:
        if self.formulas is None:
            self.formulas = self.details.formulas(self.name) if self.details else {}
        return self.formulas.get((row, col))


def _declares_entities(path: Path) -> bool:
    """An XML part of the workbook declares a DTD or entities (an entity bomb, or external entities): refused
    before any parser sees it. A declaration can only come before the root element, so the start suffices."""
    with zipfile.ZipFile(path) as z:
        for n in z.namelist():
            if n.endswith((".xml", ".rels", ".vml")):
                with z.open(n) as f:
                    head = f.read(1 << 16)
                if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                    return True
    return False


def _cell(v):
    """A calamine value as openpyxl gave it: empty -> None, whole numbers -> int."""
    if v == "":
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return v


def open_workbook(path: Path) -> list[Sheet]:
    """All worksheets of a workbook as value rows (cached values of formulas), read with calamine (Rust):
    a 50,000-row workbook takes 0.7 s instead of 12 s with openpyxl (bench/RESULTS.md)."""
    path = Path(path)
    check_file(path)
    try:
        if _declares_entities(path):
            _fail(path, "file_xml_entities")
        wb = CalamineWorkbook.from_path(str(path))
        details = _Details(path)
        sheets: list[Sheet] = []
        for meta in wb.sheets_metadata:
            if meta.typ != SheetTypeEnum.WorkSheet:
                continue
            sh = wb.get_sheet_by_name(meta.name)
            if sh.height > MAX_ROWS:
                _fail(path, "too_many_rows", value=int(sh.height), expected=MAX_ROWS, sheet=meta.name)
            rows = [tuple(_cell(v) for v in r) for r in sh.to_python(skip_empty_area=False)]
            while rows and all(v is None or (isinstance(v, str) and not v.strip()) for v in rows[-1]):
                rows.pop()
            merged = [f"{col_letter(c0)}{r0 + 1}:{col_letter(c1)}{r1 + 1}"
                      for (r0, c0), (r1, c1) in (sh.merged_cell_ranges or [])]
            sheets.append(Sheet(path.name, meta.name, rows, merged, details=details))
    except Rejected:
        raise
    except Exception as e:  # calamine and zipfile raise many types for broken files
        _fail(path, "file_corrupt", detail=_reason(e, path))
    return sheets


def open_csv(path: Path) -> Sheet:
    path = Path(path)
    check_file(path)
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        _fail(path, "file_encoding", detail=str(e)[:60])
    sample = text[:4096]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [tuple(r) for r in csv.reader(io.StringIO(text), dialect)]
    if len(rows) > MAX_ROWS:
        _fail(path, "too_many_rows", value=len(rows), expected=MAX_ROWS)
    rows = [tuple(v if v != "" else None for v in r) for r in rows]
    return Sheet(path.name, "", rows, [])


_LAST_OPENED: dict[tuple, list[Sheet]] = {}


def open_table_file(path: Path) -> list[Sheet]:
    """The file's sheets. The last file read is remembered (by path, size and modification time): detecting
    a file's kind and then reading it would otherwise parse the same workbook twice."""
    path = Path(path)
    kind = check_file(path)
    if kind == "pdf":
        _fail(path, "file_type", detail="PDF: chỉ nhận cho phụ lục kết quả PAR INDEX/SIPAS của Bộ Nội vụ")
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _LAST_OPENED:
        sheets = open_workbook(path) if kind == "xlsx" else [open_csv(path)]
        _LAST_OPENED.clear()
        _LAST_OPENED[key] = sheets
    return _LAST_OPENED[key]


_NUM = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
MISSING_MARKERS = {"", "-", "—", "#n/a", "n/a", "na", "x", "kcdl", "không có dữ liệu", "no data"}  # KCDL = không có dữ liệu


def parse_number(v: object) -> tuple[float | None, str | None]:
    """(number, None) or (None, None) for empty or (None, 'not_number'). Accepts '8,5' and '8.5'."""
    if v is None:
        return None, None
    if isinstance(v, bool):
        return None, "not_number"
    if isinstance(v, (int, float)):
        if v != v:  # NaN
            return None, None
        return float(v), None
    s = str(v).strip().replace("\u00a0", "").replace(" ", "")
    if s == "":
        return None, None
    if s.endswith("%"):
        s = s[:-1]
    if _NUM.match(s):
        return float(s.replace(",", ".")), None
    # '1.234,5' (Vietnamese thousands) is not expected for scores: reject clearly.
    return None, "not_number"


def col_letter(idx0: int) -> str:
    return openpyxl.utils.get_column_letter(idx0 + 1)


def cell_number(sheet: Sheet, c: Collector, row0: int, col0: int, *,
                required: bool = True, column_name: str | None = None,
                missing_markers: bool = False) -> float | None:
    """Parse one score cell, reporting problems with 1-based row and Excel column letter."""
    row = sheet.rows[row0]
    v = row[col0] if col0 < len(row) else None
    excel_row = row0 + 1
    col_label = column_name or col_letter(col0)
    if sheet.name:  # workbook: show the letter too
        col_label = f"{col_letter(col0)} ({column_name})" if column_name else col_letter(col0)
    if missing_markers and isinstance(v, str) and v.strip().lower() in MISSING_MARKERS:
        return None
    num, err = parse_number(v)
    if err:
        c.add("not_number", sheet=sheet.name, row=excel_row, column=col_label, value=v)
        return None
    if num is None:
        f = sheet.formula_at(excel_row, col0 + 1)
        if f:
            c.add("formula_no_value", sheet=sheet.name, row=excel_row, column=col_label, value=f)
        elif required:
            c.add("empty_score", sheet=sheet.name, row=excel_row, column=col_label)
    return num
