"""The Ministry of Home Affairs' annex of a year's PAR INDEX or SIPAS, as it arrives: an Excel workbook, a PDF with
a text layer, or a scan of the signed copy.

One table per annex: a row per province (63, or 34 from 2025) with the domain scores (PAR INDEX, points) or the
factors (SIPAS, %), the total, the index in % and the rank, under title rows, a two-row header ("Điểm các lĩnh vực"
over 1 … 8), a numbering row, region headings and footers.

Three ways in, one table out (`AnnexRead`: a row per province line, where it was read, and, for a PDF, the box of
the line on its page so that the app can show the image of a row next to what disagrees):
- Excel/CSV: the sheet's cells, the header read like the units' annexes (`etl.annex.find_header`).
- PDF with text: pdfplumber's table cells (ruled tables), else its words grouped into lines.
- Scanned PDF: each page rendered (pypdfium2) and read by tesseract with Vietnamese data (`tesseract-ocr-vie`).
  Lines are "STT name numbers…"; the numbers fill the columns in the Ministry's order (domains, total, index %,
  rank), as many as the line has.

Nothing is written until every row agrees (`check`): each province known and once, the expected count, values within
their maxima, the domains summing to the total, the index equal to the total over the maximum, the ranks following
the scores. The admin page shows the rows that disagree with their image and lets the user correct them."""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from etl import numbers
from etl.annex import FIELDS as ANNEX_FIELDS
from etl.annex import _bare, _domain_no, _h, _numbering_row, _unit_of
from etl.batch import Batch
from etl.files import MAX_FILE_BYTES, Sheet, open_table_file, parse_number
from etl.national import _template_batch, measures_for
from etl.problems import Collector, Problem, Rejected
from etl import schemes
from etl.reference import ProvinceResolver
from etl.text import nfc

PDF_MAGIC = b"%PDF-"
OCR_DPI = 300
MAX_PAGES = 30
# the unit annexes' header words (etl/annex.py), the unit column read as the province, plus the province tables' own
FIELDS = {k: ("province" if v == "unit" else v) for k, v in ANNEX_FIELDS.items()} | {
    "tinh thanh pho": "province", "tinh": "province", "ten tinh thanh pho": "province", "tinh thanh": "province",
    "ten tinh": "province", "chi so par index": "pct", "par index": "pct", "chi so hai long": "pct",
    "chi so sipas": "pct", "sipas": "pct", "chi so hai long chung": "pct",
}
GROUP_WORDS = ("linh vuc", "diem cac linh vuc", "diem thanh phan", "yeu to", "cac yeu to", "chi so thanh phan")
COLUMN_NAMES = {"province": "Tỉnh, thành phố", "total": "Tổng điểm", "pct": "Chỉ số (%)", "rank": "Xếp hạng"}


@dataclass
class Line:
    """One province's row as read: where (sheet or page, row), its name and numbers, and for a PDF the box of the
    line on its page (x0, top, x1, bottom in PDF points) for the row's image."""
    sheet: str
    row: int
    name: str
    values: dict[str, float | None]
    raw: dict[str, str] = field(default_factory=dict)
    page: int | None = None
    bbox: tuple[float, float, float, float] | None = None


@dataclass
class AnnexRead:
    file: str
    index_name: str
    year: int
    source: str                     # 'excel', 'pdf' or 'ocr'
    columns: list[str]              # the value columns the table has: d1…d8, total, pct, rank
    lines: list[Line]
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    pages: int = 0

    @property
    def n_expected(self) -> int:
        return schemes.n_provinces(self.year)

    def frame(self) -> pd.DataFrame:
        """The table as read, one row per line, for the correction grid (name, values; where)."""
        rows = [dict(line=i, sheet=ln.sheet, row=ln.row, page=ln.page, name=ln.name,
                     **{c: ln.values.get(c) for c in self.columns}) for i, ln in enumerate(self.lines)]
        return pd.DataFrame(rows, columns=["line", "sheet", "row", "page", "name", *self.columns])


# ------------------------------------------------------------------------------ reading

def is_pdf(path: Path) -> bool:
    with open(path, "rb") as f:
        return f.read(5) == PDF_MAGIC


def looks_like_ministry_annex(sheets: list[Sheet]) -> bool:
    """A table of provinces (not units, not the app's template): a 'Tỉnh, thành phố' header and a title naming the
    index, with no year column (the template has one)."""
    for s in sheets:
        text = " ".join(_h(v) for row in s.rows[:14] for v in row if isinstance(v, str))
        heads = {_bare(v) for row in s.rows[:14] for v in row if isinstance(v, str)}
        if ({"tinh thanh pho", "ten tinh thanh pho", "tinh thanh"} & heads and "nam" not in heads
                and ("cai cach hanh chinh" in text or "par index" in text or "hai long" in text or "sipas" in text)):
            return True
    return False


_LAST: dict[tuple, AnnexRead] = {}


def read(path: Path, index_name: str | None = None, year: int | None = None) -> AnnexRead:
    """The annex's rows as read (no cross-check yet: `check`). Raises Rejected when no table can be found. The last
    file read is remembered (a scan takes seconds a page, and checking then reviewing reads it twice)."""
    path = Path(path)
    if path.is_file():
        st = path.stat()
        key = (str(path.resolve()), st.st_size, st.st_mtime_ns, index_name, year)
        if key in _LAST:
            return _LAST[key]
        out = _read(path, index_name, year)
        _LAST.clear()
        _LAST[key] = out
        return out
    return _read(path, index_name, year)


def _read(path: Path, index_name: str | None, year: int | None) -> AnnexRead:
    t0 = time.perf_counter()
    c = Collector(path.name)
    if not path.is_file():
        c.add("file_missing")
        c.check()
    if path.stat().st_size > MAX_FILE_BYTES:
        c.add("file_too_large", detail=f"{path.stat().st_size / 1e6:.0f} MB", expected=f"{MAX_FILE_BYTES / 1e6:.0f} MB")
        c.check()
    if is_pdf(path):
        out = _read_pdf(path, c, index_name, year)
    else:
        out = _read_sheets(open_table_file(path), path.name, c, index_name, year, source="excel")
    out.seconds = time.perf_counter() - t0
    return out


def _title_facts(texts: list[str], file_name: str) -> tuple[str | None, int | None]:
    """The index and year from the title rows ('KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023'), else the file name."""
    index_name = year = None
    for t in texts + [Path(file_name).stem]:
        n = _h(t)
        if index_name is None:
            if "hai long" in n or "sipas" in n:
                index_name = "SIPAS"
            elif ("cai cach hanh chinh" in n or "par index" in n or "cchc" in n or "hanh chinh nam" in n
                  or re.search(r"(?<![a-z])par(?![a-z])", n)):
                index_name = "PAR INDEX"
        if year is None:
            m = re.search(r"n[ăa]m\s*(20\d\d)", str(t), re.I) or re.search(r"(?<!\d)(20[12]\d)(?!\d)", str(t))
            if m and not re.search(r"quy[ếe]t\s*[đd]", str(t), re.I):      # not the decision's own date
                year = int(m.group(1))
    return index_name, year


def _measure_col(v, measures: pd.DataFrame) -> str | None:
    """A header naming a domain/factor by number ('3', 'Lĩnh vực 3') or by name ('Thủ tục hành chính')."""
    k = _domain_no(v)
    if k and f"{k}" in set(measures.measure_code):
        return f"d{k}"
    b = _bare(v)
    for code, name in zip(measures.measure_code, measures.name_vi):
        if code != "total" and b and (b == _bare(name) or (len(b) > 8 and b in _bare(name))):
            return f"d{code}"
    return None


def _header(sheet: Sheet, measures: pd.DataFrame) -> tuple[int, int, dict[str, int], dict[str, str]] | None:
    """(header row, first data row, column field -> column index, unit marks) of a province table."""
    for r0, row in enumerate(sheet.rows[:25]):
        cols, units, group = _header_cells(row, measures)
        if "province" not in cols:
            continue
        first = _below_header(sheet, r0, cols, units, group, measures)
        if first < len(sheet.rows) and _numbering_row(sheet.rows[first]) and sheet.rows[first][0] is not None:
            first += 1
        return r0, first, cols, units
    return None


def _header_cells(row: tuple, measures: pd.DataFrame) -> tuple[dict[str, int], dict[str, str], str | None]:
    """One row read as a header: field -> column, field -> unit mark, and the unit of a group title over the
    domains ("Điểm các lĩnh vực (%)")."""
    cols, units, group = {}, {}, None
    for j, v in enumerate(row):
        if v is None:
            continue
        f = FIELDS.get(_bare(v))
        if f and f not in cols:
            cols[f] = j
            units[f] = _unit_of(v)
            continue
        mc = _measure_col(v, measures) if not isinstance(v, (int, float)) else None
        if mc and mc not in cols:
            cols[mc] = j
            units[mc] = _unit_of(v)
        elif any(w in _h(v) for w in GROUP_WORDS):
            group = _unit_of(v)
    return cols, units, group


def _below_header(sheet: Sheet, r0: int, cols: dict[str, int], units: dict[str, str], group: str | None,
                  measures: pd.DataFrame) -> int:
    """The first data row after header row `r0`: up to two more header rows (domain numbers or names, more fields,
    added to `cols` and `units`) or a numbering row are skipped."""
    first = r0 + 1
    for r1 in (r0 + 1, r0 + 2):
        if r1 >= len(sheet.rows):
            break
        below, added = sheet.rows[r1], False
        if _numbering_row(below) and below and below[0] is not None:
            return r1 + 1
        for j, v in enumerate(below):
            if v is None or j in cols.values():
                continue
            f = FIELDS.get(_bare(v)) if isinstance(v, str) else None
            mc = _measure_col(v, measures)
            if f and f not in cols:
                cols[f], units[f], added = j, _unit_of(v), True
            elif mc and mc not in cols:
                cols[mc], units[mc], added = j, _unit_of(v) or group, True
        if not added:
            break
        first = r1 + 1
    return first


def _read_sheets(sheets: list[Sheet], file_name: str, c: Collector, index_name: str | None, year: int | None,
                 source: str, boxes: dict[tuple[str, int], tuple] | None = None,
                 pages: dict[str, int] | None = None, fixed: tuple | None = None) -> AnnexRead:
    titles = [str(v) for s in sheets for row in s.rows[:12] for v in row if isinstance(v, str)]
    t_index, t_year = _title_facts(titles, file_name)
    index_name, year = index_name or t_index, year or t_year
    if not index_name or not year:
        c.add("no_table", detail="không rõ chỉ số (PAR INDEX/SIPAS) hoặc năm trong tiêu đề phụ lục")
        c.check()
    measures = measures_for(index_name, year)
    lines: list[Line] = []
    layout = None
    for s in sheets:
        # a scan's lines carry no header cells to trust (a stray "Tỉnh" would pass for one): columns by position
        h = fixed if fixed is not None else (None if source == "ocr" else _header(s, measures))
        if fixed is not None:
            layout, start = fixed, 0
        elif h:
            layout = h
            start = h[1]
        elif layout is not None and s.rows and len(s.rows[0]) > max(layout[2].values()):
            start = 0                        # a continuation page: the same columns, no header
        else:
            continue
        lines += _lines(s, start, layout[2], pages, boxes)
    if layout is None and source in ("pdf", "ocr"):
        layout = _positional_layout(sheets, index_name, measures)
        if layout is not None:
            return _read_sheets(sheets, file_name, c, index_name, year, source, boxes, pages, layout)
    if layout is None or not lines:
        c.add("no_table", detail="cần cột 'Tỉnh, thành phố' và các cột điểm")
        c.check()
    cols = [f for f in [*(f"d{m}" for m in measures.measure_code if m != "total"), "total", "pct", "rank"]
            if f in layout[2]]
    out = AnnexRead(file_name, index_name, year, source, cols, lines)
    if index_name == "PAR INDEX" and any(layout[3].get(f) == "percent" for f in cols if f.startswith("d")):
        _domains_to_points(lines, cols, measures)
        out.notes.append("Các cột lĩnh vực ghi % điểm tối đa: đã đổi ra điểm.")
    return out


def _lines(s: Sheet, start: int, cols: dict[str, int], pages: dict[str, int] | None,
           boxes: dict[tuple[str, int], tuple] | None) -> list[Line]:
    """The province lines of one sheet from row `start`: a name and at least one value (numbers parsed; what could
    not be read kept as written, for the correction grid)."""
    out = []
    for r0 in range(start, len(s.rows)):
        row = s.rows[r0]
        name = row[cols["province"]] if cols["province"] < len(row) else None
        if not isinstance(name, str) or not name.strip():
            continue
        values, raw = {}, {}
        for f, j in cols.items():
            if f in ("province", "no"):
                continue
            v = row[j] if j < len(row) else None
            num, err = parse_number(v)
            values[f] = None if err else num
            raw[f] = "" if v is None else str(v)
        if all(v is None for v in values.values()):
            continue      # a region heading (its text may spill into the next cell of a PDF) or a footer;
            #               a province row lost this way is still caught: the table must hold every province
        out.append(Line(s.name, r0 + 1, nfc(name.strip()), values, raw,
                        page=(pages or {}).get(s.name), bbox=(boxes or {}).get((s.name, r0))))
    return out


def _domains_to_points(lines: list[Line], cols: list[str], measures: pd.DataFrame) -> None:
    """Domains printed as % of their maximum -> points, in place."""
    mx = measures.set_index("measure_code").max_score
    for ln in lines:
        for f in cols:
            if f.startswith("d") and ln.values.get(f) is not None:
                ln.values[f] = round(ln.values[f] * float(mx[f[1:]]) / 100, 4)


# ------------------------------------------------------------------------------ PDF

def _positional_layout(sheets: list[Sheet], index_name: str, measures: pd.DataFrame) -> tuple | None:
    """Lines split into (STT, name, numbers…) with no header cells to name the columns (a scan, a PDF without
    rules): the numbers fill the Ministry's columns in order, as many as most lines have: PAR INDEX 11 = domains
    1–8, total, index %, rank; 10 = domains, total, rank; 3 = total, index %, rank; SIPAS k+2 = factors, index, rank."""
    counts: dict[int, int] = {}
    for s in sheets:
        for row in s.rows:
            if len(row) >= 4:
                counts[len(row) - 2] = counts.get(len(row) - 2, 0) + 1
    if not counts:
        return None
    k = max(counts, key=counts.get)
    doms = [f"d{m}" for m in measures.measure_code if m != "total"]
    if index_name == "PAR INDEX":
        order = {len(doms) + 3: doms + ["total", "pct", "rank"], len(doms) + 2: doms + ["total", "rank"],
                 3: ["total", "pct", "rank"], 2: ["total", "rank"]}.get(k)
    else:
        order = {len(doms) + 2: doms + ["pct", "rank"], 2: ["pct", "rank"]}.get(k)
    if order is None:
        return None
    cols = {"no": 0, "province": 1} | {f: 2 + i for i, f in enumerate(order)}
    return 0, 0, cols, {}


def _read_pdf(path: Path, c: Collector, index_name: str | None, year: int | None) -> AnnexRead:
    import pdfplumber
    try:
        pdf = pdfplumber.open(path)
    except Exception as e:             # pdfminer raises many kinds for a broken file
        c.add("pdf_unreadable", detail=type(e).__name__)
        c.check()
    with pdf:
        if len(pdf.pages) > MAX_PAGES:
            c.add("too_many_rows", value=len(pdf.pages), expected=MAX_PAGES, detail="trang")
            c.check()
        sheets, boxes, pages, scanned = [], {}, {}, False
        try:
            for n, page in enumerate(pdf.pages, start=1):
                name = f"trang {n}"
                words = page.extract_words(keep_blank_chars=False, use_text_flow=False)
                if len(words) < 5:                  # no text layer: a scan
                    scanned = True
                    rows, rb = _ocr_page(page, c, name)
                else:
                    rows, rb = _table_rows(page) or _word_rows(words)
                sheets.append(Sheet(path.name, name, rows, []))
                pages[name] = n
                for i, b in enumerate(rb):
                    boxes[(name, i)] = b
        except Rejected:
            raise
        except Exception as e:
            c.add("pdf_unreadable", detail=type(e).__name__)
            c.check()
        out = _read_sheets(sheets, path.name, c, index_name, year, "ocr" if scanned else "pdf", boxes, pages)
        out.pages = len(pdf.pages)
        return out


def _table_rows(page) -> tuple[list[tuple], list[tuple]] | None:
    """A ruled table's cells, row by row, with each row's box (and the title lines above it); None when the page
    has no ruled table. A character belongs to the cell holding its centre (pdfplumber's extract)."""
    tables = page.find_tables()
    if not tables:
        return None
    t = max(tables, key=lambda t: len(t.rows))
    cells = t.extract()
    rows = [tuple(re.sub(r"\s+", " ", v).strip() or None if isinstance(v, str) else None for v in r) for r in cells]
    boxes = [tuple(r.bbox) for r in t.rows]
    above = page.crop((0, 0, page.width, t.bbox[1])).extract_text() or ""      # the title above the table
    title = [(ln.strip(),) for ln in above.splitlines() if ln.strip()]
    return title + rows, [None] * len(title) + boxes


NUM_TOKEN = re.compile(r"^[+-]?\d+(?:[.,]\d+)?%?$")


def _word_rows(words: list[dict]) -> tuple[list[tuple], list[tuple]]:
    """Words grouped into lines (by their vertical position); each line split into: the leading number (STT), the
    name (the words up to the first number), then one cell per number. A title or header line stays one cell."""
    lines: list[list[dict]] = []
    for w in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(lines[-1][0]["top"] - w["top"]) <= 3:
            lines[-1].append(w)
        else:
            lines.append([w])
    rows, boxes = [], []
    for ln in lines:
        ln.sort(key=lambda w: w["x0"])
        rows.append(_split_line([w["text"] for w in ln]))
        boxes.append((min(w["x0"] for w in ln), min(w["top"] for w in ln), max(w["x1"] for w in ln),
                      max(w["bottom"] for w in ln)))
    return rows, boxes


def _split_line(tokens: list[str]) -> tuple:
    """['12', 'Đồng', 'Tháp', '9,12', …] -> ('12', 'Đồng Tháp', 9.12, …); a line without numbers after its name is
    one text cell (a title, a heading)."""
    toks = [t.strip("|[](){}") for t in tokens]
    toks = [t for t in toks if t]
    while len(toks) > 1 and len(toks[0]) <= 2 and not toks[0].isdigit() and re.fullmatch(r"\d{1,2}\.?", toks[1]):
        toks.pop(0)                  # a speck read as a letter before the row's number
    i = 1 if toks and re.fullmatch(r"\d{1,2}\.?", toks[0]) else 0
    j = i
    while j < len(toks) and not NUM_TOKEN.match(toks[j]):
        j += 1
    name = " ".join(toks[i:j])
    nums = [t for t in toks[j:] if re.search(r"\w", t)]     # a scan's stray dashes and bars are not cells
    if not name or len(nums) < 2 or sum(bool(NUM_TOKEN.match(t)) for t in nums) < len(nums) / 2:
        return (" ".join(toks),)
    return (toks[0] if i else None, name, *[_decimal(t.rstrip("%;.")) for t in nums])


def _decimal(t: str) -> str:
    """A score read from a scan without its decimal mark ('834', '9334'): every score of the annex is printed with two
    decimals, so '8,34' and '93,34' are meant; the cross-checks (domains sum to the total, the index equals the
    total) then confirm or flag the row. A rank (one or two digits) is left alone."""
    if re.fullmatch(r"\d{3,4}", t):
        return t[:-2] + "." + t[-2:]
    return t


def _longest_run(v) -> int:
    """The longest run of True in a 1-D boolean array."""
    import numpy as np
    d = np.diff(np.concatenate(([0], v.astype(np.int8), [0])))
    starts, ends = np.where(d == 1)[0], np.where(d == -1)[0]
    return int((ends - starts).max()) if len(starts) else 0


def clean_scan(img):
    """A scanned page made readable: grey, speckles removed (median), black and white, turned straight (the angle
    whose rows of ink are sharpest, within ±3°), and the table's rules erased (long runs of ink across a row or down
    a column), which tesseract otherwise reads as letters."""
    import numpy as np
    from PIL import Image, ImageFilter
    g = img.convert("L").filter(ImageFilter.MedianFilter(3))
    a = np.asarray(g, dtype=np.uint8)
    ink = a < min(160, int(a.mean() * 0.75))
    small = Image.fromarray((~ink * 255).astype(np.uint8)).reduce(4)
    best, angle = -1.0, 0.0
    for deg in np.arange(-3.0, 3.01, 0.2):
        prof = (np.asarray(small.rotate(deg, fillcolor=255)) < 128).sum(axis=1).astype(float)
        score = float((np.diff(prof) ** 2).sum())
        if score > best:
            best, angle = score, float(deg)
    bw = Image.fromarray(np.where(ink, 0, 255).astype(np.uint8)).rotate(angle, fillcolor=255)
    b = np.asarray(bw) < 128
    out = np.where(b, 0, 255).astype(np.uint8)
    h, w = b.shape
    # a rule is a band of rows (columns) inked in one long unbroken run: erased whole, two pixels either side for its
    # blurred edge. A column of stacked digits (every "10,93" of a domain starts with a "1" at the same place) is
    # inked as often but in short runs, and stays
    for axis, span, size in ((1, w, h), (0, h, w)):
        cand = np.where(b.sum(axis=axis) > 0.30 * span)[0]
        idx = np.array([k for k in cand if _longest_run(b[k, :] if axis == 1 else b[:, k]) > 0.15 * span], dtype=int)
        for g in (np.split(idx, np.where(np.diff(idx) > 1)[0] + 1) if len(idx) else []):
            lo, hi = max(0, g[0] - 2), min(size, g[-1] + 3)
            if axis == 1:
                out[lo:hi, :] = 255
            else:
                out[:, lo:hi] = 255
    return Image.fromarray(out)


def _ocr_page(page, c: Collector, name: str) -> tuple[list[tuple], list[tuple]]:
    """A scanned page: rendered at 300 dpi, read by tesseract (Vietnamese), words grouped into lines like a text PDF.
    Boxes come back in PDF points."""
    try:
        import pytesseract
        img = clean_scan(page.to_image(resolution=OCR_DPI).original)
        data = pytesseract.image_to_data(img, lang="vie", config="--psm 6", output_type=pytesseract.Output.DICT)
    except Exception as e:        # no tesseract or no Vietnamese data (TesseractNotFoundError, TesseractError, OSError)
        c.add("ocr_unavailable", sheet=name, detail=type(e).__name__)
        c.check()
    k = 72 / OCR_DPI
    # tesseract's own line numbers, not positions: on a skewed scan a line's words drift downwards
    keyed = {}
    for t, b, p, ln, x, y, w, h in zip(data["text"], data["block_num"], data["par_num"], data["line_num"],
                                       data["left"], data["top"], data["width"], data["height"]):
        if t and t.strip():
            keyed.setdefault((b, p, ln), []).append(dict(text=t, x0=x * k, x1=(x + w) * k, top=y * k,
                                                          bottom=(y + h) * k))
    if not keyed:
        return [], []
    rows, boxes = [], []
    for key in sorted(keyed, key=lambda q: min(w["top"] for w in keyed[q])):
        ln = sorted(keyed[key], key=lambda w: w["x0"])
        rows.append(_split_line([w["text"] for w in ln]))
        boxes.append((min(w["x0"] for w in ln), min(w["top"] for w in ln), max(w["x1"] for w in ln),
                      max(w["bottom"] for w in ln)))
    return rows, boxes


# ------------------------------------------------------------------------------ cross-checks

def check(a: AnnexRead, lines: list[Line] | None = None) -> list[Problem]:
    """Every disagreement, located (sheet/page, row, column). Empty: the table can be written."""
    lines = a.lines if lines is None else lines
    c = Collector(a.file, limit=1000)
    res = ProvinceResolver()
    measures = measures_for(a.index_name, a.year).set_index("measure_code")
    n = a.n_expected
    seen: dict[str, int] = {}
    codes: list[str | None] = []
    for ln in lines:
        where = dict(sheet=ln.sheet, row=ln.row)
        code = res.code(ln.name, a.year)
        codes.append(code)
        if not code:
            c.add("unknown_province", column=COLUMN_NAMES["province"], value=ln.name,
                  detail=res.suggest(ln.name, a.year), **where)
        elif code in seen:
            c.add("duplicate", column=COLUMN_NAMES["province"], value=ln.name, detail=seen[code], **where)
        else:
            seen[code] = ln.row
        for f in a.columns:
            v = ln.values.get(f)
            label = _col_label(f)
            if v is None:
                c.add("not_number" if ln.raw.get(f) else "empty_score", column=label, value=ln.raw.get(f, ""), **where)
                continue
            if a.source != "excel" and re.fullmatch(r"\d+[.,]\d{3,}", ln.raw.get(f, "").strip()):
                # a printed score has two decimals: a third digit is a speck or a doubled digit read by the OCR
                c.add("precision", column=label, value=ln.raw.get(f), **where)
                continue
            mx = float(measures.max_score[f[1:]]) if f.startswith("d") else 100.0 if f in ("total", "pct") else n
            lo = 1 if f == "rank" else 0
            if not lo <= v <= mx + 1e-9 or (f == "rank" and not float(v).is_integer()):
                c.add("out_of_range", column=label, value=v, expected=f"{lo}–{_n(mx)}", **where)
        v = ln.values
        doms = [f for f in a.columns if f.startswith("d")]
        if a.index_name == "PAR INDEX" and v.get("total") is not None and doms and all(v.get(f) is not None for f in doms):
            s = round(sum(v[f] for f in doms), 2)
            # each printed domain is rounded to 2 decimals: their sum may miss the total by 0,005 each, no more
            if abs(s - v["total"]) > 0.005 * len(doms) + 0.002:
                c.add("total_mismatch", column=COLUMN_NAMES["total"], value=s, expected=v["total"], **where)
        if "total" in a.columns and "pct" in a.columns and v.get("total") is not None and v.get("pct") is not None:
            if abs(v["total"] - v["pct"]) > 0.011:          # the maximum is 100 points: the index is the total
                c.add("pct_mismatch", column=COLUMN_NAMES["pct"], value=v["pct"], expected=round(v["total"], 2), **where)
    if len(seen) < n and not c.full:
        missing = sorted(n_ for k, n_ in res.provinces(a.year).items() if k not in seen)
        c.add("provinces_missing", value=n - len(seen), expected=n,
              detail=", ".join(missing[:12]) + (" …" if len(missing) > 12 else ""))
    _check_rank_order(a, lines, c)
    return c.problems


def _check_rank_order(a: AnnexRead, lines: list[Line], c: Collector) -> None:
    """Ranks follow the scores: a province's rank is 1 + the number of provinces with a higher index (ties share)."""
    if "rank" not in a.columns:
        return
    key = "pct" if "pct" in a.columns else "total" if "total" in a.columns else None
    if key is None:
        return
    scores = [ln.values.get(key) for ln in lines]
    if any(s is None for s in scores):
        return
    for ln, s in zip(lines, scores):
        r = ln.values.get("rank")
        if r is None:
            continue
        expected = 1 + sum(1 for o in scores if round(o, 2) > round(s, 2))
        if int(r) != expected:
            c.add("rank_order", sheet=ln.sheet, row=ln.row, column=COLUMN_NAMES["rank"], value=int(r),
                  expected=expected)


def _col_label(f: str) -> str:
    return COLUMN_NAMES.get(f) or f"Lĩnh vực {f[1:]}"


def _n(x: float) -> str:
    return numbers.as_read(float(x), "vi")


ADDED = "dòng thêm tay"


def with_corrections(a: AnnexRead, edited: pd.DataFrame) -> list[Line]:
    """The lines as the user left them in the grid: corrected (matched to what was read by `line`), deleted (a
    title the OCR took for a row), or added (a province the OCR missed: no `line`)."""
    out, k = [], 0
    for _, r in edited.iterrows():
        vals = {}
        for f in a.columns:
            x, err = parse_number(r.get(f))
            vals[f] = None if err else x
        raw = {f: "" if r.get(f) is None or (isinstance(r.get(f), float) and pd.isna(r.get(f))) else str(r.get(f))
               for f in a.columns}
        name = "" if r.get("name") is None or (isinstance(r.get("name"), float) and pd.isna(r.get("name"))) \
            else str(r.get("name")).strip()
        i = r.get("line")
        if i is not None and not pd.isna(i) and 0 <= int(i) < len(a.lines):
            ln = a.lines[int(i)]
            out.append(Line(ln.sheet, ln.row, name, vals, raw, ln.page, ln.bbox))
        else:
            k += 1
            out.append(Line(ADDED, k, name, vals, raw))
    return out


def to_batch(a: AnnexRead, lines: list[Line] | None = None) -> Batch:
    """The checked table as a batch replacing that index-year; refuses (Rejected) while any check fails."""
    lines = a.lines if lines is None else lines
    problems = check(a, lines)
    if problems:
        raise Rejected(problems)
    res = ProvinceResolver()
    rows = []
    for ln in lines:
        v = ln.values
        total = v.get("pct") if a.index_name == "SIPAS" or v.get("total") is None else v.get("total")
        rows.append(dict(index_name=a.index_name, year=a.year, province_code=res.code(ln.name, a.year),
                         total=total, rank=None if v.get("rank") is None else int(v["rank"]),
                         domains={f[1:]: v[f] for f in a.columns if f.startswith("d") and v.get(f) is not None}))
    b = _template_batch(rows, a.file)
    src = b.tables["source"]
    b.tables["source"] = src.assign(
        title=f"Phụ lục {a.index_name} năm {a.year} của Bộ Nội vụ (tệp {a.file})",
        citation=f"Bộ Nội vụ, phụ lục kết quả {a.index_name} năm {a.year}; tệp tải lên {a.file}",
        note=f"đọc từ {'Excel' if a.source == 'excel' else 'PDF' if a.source == 'pdf' else 'bản quét (OCR)'}; "
             "mọi dòng đã qua kiểm tra chéo")
    b.kind = "ministry"
    b.notes += a.notes + corrections_made(a, lines)
    return b


def corrections_made(a: AnnexRead, lines: list[Line]) -> list[str]:
    """What the user changed, cell by cell, for the load's record ('Đã sửa trang 1, dòng 12, Xếp hạng: 8 → 9'),
    and the rows they removed or added."""
    out = []
    kept = {(ln.sheet, ln.row) for ln in lines}
    by_where = {(ln.sheet, ln.row): ln for ln in a.lines}
    for old in a.lines:
        if (old.sheet, old.row) not in kept:
            out.append(f"Đã bỏ {old.sheet}, dòng {old.row}: '{old.name}'")
    for new in lines:
        old = by_where.get((new.sheet, new.row)) if new.sheet != ADDED else None
        if old is None:
            out.append(f"Đã thêm dòng: '{new.name}' " + ", ".join(f"{_col_label(f)} {new.values.get(f)}"
                                                                   for f in a.columns))
            continue
        if new.name != old.name:
            out.append(f"Đã sửa {old.sheet}, dòng {old.row}, {COLUMN_NAMES['province']}: '{old.name}' → '{new.name}'")
        for f in a.columns:
            if old.values.get(f) != new.values.get(f):
                was = old.raw.get(f) or ("trống" if old.values.get(f) is None else old.values.get(f))
                out.append(f"Đã sửa {old.sheet}, dòng {old.row}, {_col_label(f)}: {was} → {new.values.get(f)}")
    return out


def read_checked(path: Path, index_name: str | None = None, year: int | None = None) -> Batch:
    """For the command line and `read_any`: read, cross-check, and the batch (or every disagreement, located)."""
    a = read(path, index_name, year)
    return to_batch(a)


def row_image(path: Path, line: Line, resolution: int = 200, pad: float = 4.0):
    """The image of one line of a PDF (a PIL image, the line's own width, sharp enough to read on screen), to show
    above what disagrees; None for a workbook."""
    if line.page is None or line.bbox is None:
        return None
    import pdfplumber
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[line.page - 1]
        x0, top, x1, bottom = line.bbox
        box = (max(0, x0 - pad), max(0, top - pad), min(page.width, x1 + pad), min(page.height, bottom + pad))
        return page.crop(box).to_image(resolution=resolution).original
