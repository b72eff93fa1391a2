"""A small, fast .xlsx writer for table exports: numbers as numbers with a format per column, text as inline
strings, a frozen and filtered header row, column widths, rows highlighted or marked, and a notes sheet.

Why not xlsxwriter: writing the same 50,000 rows × 12 columns, cell by cell with the same marks, took it 4.5 s
of CPU here, against about 1 s for this writer, hardening included (bench/export_xlsx.py, bench/RESULTS.md). It
would not spare the hardening either, because it raises on invalid sheet names and on ±inf. Only what exports
need is supported. The files open in Excel, LibreOffice and openpyxl; tests/test_property_export.py writes hostile
frames and reads them back."""
from __future__ import annotations

import io
import math
import re
import zipfile
from datetime import date, datetime, timezone
from xml.sax.saxutils import escape

FLAGS = ("", "hi", "ill", "hi ill")       # plain, highlighted (the province in focus), illustrative, both
FONTS = {"": 0, "hi": 1, "ill": 2, "hi ill": 3}      # regular, bold, italic, bold italic
FILLS = {"": 0, "hi": 2, "ill": 3, "hi ill": 2}      # none, orange (in focus), pale yellow (illustrative)
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
MAX_TEXT = 32_767                          # Excel's limit on the characters of one cell
# characters XML 1.0 cannot carry (C0 controls but tab and newline, CR which XML turns into LF, lone surrogates,
# U+FFFE and U+FFFF): stored as Excel's _xHHHH_ escape, which Excel reads back as the character
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\r\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LITERAL_ESCAPE = re.compile("_(?=x[0-9A-Fa-f]{4}_)")   # an "_" that would start an escape is itself escaped
_SHEET_BAD = re.compile(r"[\[\]:*?/\\\x00-\x1f\ud800-\udfff\ufffe\uffff]")
EPOCH = datetime(1899, 12, 30)


def _col(j: int) -> str:
    s = ""
    j += 1
    while j:
        j, r = divmod(j - 1, 26)
        s = chr(65 + r) + s
    return s


def _text(v: str) -> str:
    v = _LITERAL_ESCAPE.sub("_x005F_", v[:MAX_TEXT]) if "_x" in v else v[:MAX_TEXT]
    return escape(_ILLEGAL.sub(lambda m: f"_x{ord(m.group()):04X}_", v))


def _attr(v: str) -> str:
    return escape(v, {'"': "&quot;"})


def sheet_names(names: list[str]) -> list[str]:
    """Names Excel accepts: none of []:*?/\\ (each becomes "-"), no quote at either end, 1–31 characters, not
    "History", and no two alike (ignoring case; a later one gets " (2)")."""
    out, taken = [], set()
    for i, n in enumerate(names):
        n = _SHEET_BAD.sub("-", str(n)).strip().strip("'").strip() or f"Sheet{i + 1}"
        n = n[:31]
        if n.casefold() == "history":
            n = n + " (1)"
        base, k = n, 2
        while n.casefold() in taken:
            n = f"{base[:31 - len(f' ({k})')]} ({k})"
            k += 1
        taken.add(n.casefold())
        out.append(n)
    return out


def _number(v) -> str | None:
    """A cell's <v>: dates as Excel serials, ±inf and NaN as no value (Excel has none of them)."""
    if isinstance(v, (datetime, date)):
        if not isinstance(v, datetime):
            v = datetime(v.year, v.month, v.day)
        v = (v.replace(tzinfo=None) - EPOCH).total_seconds() / 86400
    elif isinstance(v, bool):
        v = int(v)
    if isinstance(v, float) and not math.isfinite(v):
        return None
    return repr(v)


class Styles:
    """cellXfs built as cells ask for them: 0 the default, 1 the header, then one per (number format, row flag,
    quote prefix). A quote prefix makes text that starts like a formula plain text without showing an apostrophe."""

    def __init__(self):
        self.index: dict[tuple, int] = {}
        self.fmt_ids: dict[str, int] = {}

    def __call__(self, fmt: str | None, flag: str, quoted: bool = False) -> int:
        key = (fmt, flag, quoted)
        if key not in self.index:
            if fmt is not None and fmt not in self.fmt_ids:
                self.fmt_ids[fmt] = 164 + len(self.fmt_ids)
            self.index[key] = 2 + len(self.index)
        return self.index[key]

    def xml(self) -> str:
        xfs = ['<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>',
               '<xf numFmtId="49" fontId="1" fillId="4" borderId="0" xfId="0" applyFont="1" applyFill="1" '
               'applyAlignment="1" quotePrefix="1"><alignment wrapText="1" vertical="top"/></xf>']
        for (fmt, flag, quoted), _ in sorted(self.index.items(), key=lambda kv: kv[1]):
            prefix = ' quotePrefix="1"' if quoted else ""
            xfs.append(f'<xf numFmtId="{49 if fmt is None else self.fmt_ids[fmt]}" fontId="{FONTS[flag]}" '
                       f'fillId="{FILLS[flag]}" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" '
                       f'applyFill="1"{prefix}/>')
        fmts = "".join(f'<numFmt numFmtId="{i}" formatCode="{_attr(f)}"/>' for f, i in self.fmt_ids.items())
        return (STYLES.replace("{numfmts}", f'<numFmts count="{len(self.fmt_ids)}">{fmts}</numFmts>' if fmts else "")
                .replace("{n}", str(len(xfs))).replace("{xfs}", "".join(xfs)))


STYLES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">{numfmts}
<fonts count="4"><font><sz val="11"/><name val="Calibri"/></font><font><b/><sz val="11"/><name val="Calibri"/></font><font><i/><sz val="11"/><name val="Calibri"/></font><font><b/><i/><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="5"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFFEDD5"/></patternFill></fill><fill><patternFill patternType="solid"><fgColor rgb="FFFEF9C3"/></patternFill></fill><fill><patternFill patternType="solid"><fgColor rgb="FFE2E8F0"/></patternFill></fill></fills>
<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="{n}">{xfs}</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def _inline(ref: str, style: int, v: str) -> str:
    return f'<c r="{ref}" s="{style}" t="inlineStr"><is><t xml:space="preserve">{_text(v)}</t></is></c>'


def _sheet_xml(headers: list[str], columns: list[list], formats: list[str | None], flags: list[str],
               widths: list[float], freeze_filter: bool, style: Styles) -> str:
    letters = [_col(j) for j in range(len(headers))]
    n = len(flags)
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
           'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">']
    out.append(f'<dimension ref="A1:{letters[-1]}{n + 1}"/>')
    out.append('<sheetViews><sheetView workbookViewId="0">' + (
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>' if freeze_filter else '') + '</sheetView></sheetViews>')
    out.append('<sheetFormatPr defaultRowHeight="15"/><cols>' + "".join(
        f'<col min="{j + 1}" max="{j + 1}" width="{w:.1f}" customWidth="1"/>' for j, w in enumerate(widths)) + '</cols>')
    out.append('<sheetData><row r="1">' + "".join(_inline(f"{letters[j]}1", 1, h) for j, h in enumerate(headers))
               + '</row>')
    styles = {f: [style(fmt, f) for fmt in formats] for f in FLAGS}
    quoted = {f: style(None, f, True) for f in FLAGS}
    is_text = [fmt is None for fmt in formats]
    for i in range(n):
        r = i + 2
        f = flags[i]
        s = styles[f]
        cells = []
        for j in range(len(headers)):
            v = columns[j][i]
            if v is not None and is_text[j]:
                cells.append(_inline(f"{letters[j]}{r}", quoted[f] if v.startswith(FORMULA_START) else s[j], v))
                continue
            if type(v) is float:                # the common case, kept fast: finite floats as they are
                v = repr(v) if v - v == 0 else None
            elif v is not None:
                v = _number(v)
            if v is not None:
                cells.append(f'<c r="{letters[j]}{r}" s="{s[j]}"><v>{v}</v></c>')
            elif f:
                cells.append(f'<c r="{letters[j]}{r}" s="{s[j]}"/>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    out.append('</sheetData>')
    if freeze_filter:
        out.append(f'<autoFilter ref="A1:{letters[-1]}{max(n, 1) + 1}"/>')
    out.append('<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" footer="0.3"/></worksheet>')
    return "".join(out)


def workbook(sheets: list[dict]) -> bytes:
    """sheets: [{name, headers: [str], columns: [[value]] (None = empty; str in a text column; int, float, date or
    datetime in the others), formats: [None (text) or an Excel number format per column], flags: ['', 'hi', 'ill',
    'hi ill'] per row, widths: [float], table: bool}]. Sheet names are made valid (sheet_names); text over
    32,767 characters is cut (callers that can say so in their notes cut it first)."""
    buf = io.BytesIO()
    names = sheet_names([s["name"] for s in sheets])
    style = Styles()
    parts = [_sheet_xml(s["headers"], s["columns"], s["formats"], s["flags"], s["widths"], s.get("table", False), style)
             for s in sheets]
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                   '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                   '<Default Extension="xml" ContentType="application/xml"/>'
                   '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                   '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
                   '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
                   + "".join(f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/'
                             f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(len(sheets)))
                   + '</Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
                   '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                   '</Relationships>')
        now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
        z.writestr("docProps/core.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
                   'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
                   'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><dc:creator>Chỉ số CCHC dashboard</dc:creator>'
                   f'<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created></cp:coreProperties>')
        defined = "".join(f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
                          f"'{escape(n.replace(chr(39), chr(39) * 2))}'!$A$1:${_col(len(s['headers']) - 1)}${max(len(s['flags']), 1) + 1}</definedName>"
                          for i, (n, s) in enumerate(zip(names, sheets)) if s.get("table"))
        z.writestr("xl/workbook.xml",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
                   'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
                   + "".join(f'<sheet name="{_attr(n)}" sheetId="{i + 1}" r:id="rId{i + 1}"/>' for i, n in enumerate(names))
                   + '</sheets>' + (f'<definedNames>{defined}</definedNames>' if defined else '') + '</workbook>')
        z.writestr("xl/_rels/workbook.xml.rels",
                   '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                   '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                   + "".join(f'<Relationship Id="rId{i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                             f'relationships/worksheet" Target="worksheets/sheet{i + 1}.xml"/>' for i in range(len(sheets)))
                   + f'<Relationship Id="rId{len(sheets) + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   'relationships/styles" Target="styles.xml"/></Relationships>')
        z.writestr("xl/styles.xml", style.xml())
        for i, part in enumerate(parts):
            z.writestr(f"xl/worksheets/sheet{i + 1}.xml", part)
    return buf.getvalue()
