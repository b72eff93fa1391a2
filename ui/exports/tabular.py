"""A table as a file: Excel (.xlsx, written by ui/exports/xlsx.py) or CSV, each column written as the kind its page
declares, with its source and filters in a notes sheet (export_notes), user-supplied text escaped against formula
injection, and a file made from the demo saying so (demo_marked). The download buttons are ui/tables.py."""
from __future__ import annotations

from datetime import datetime

import pandas as pd

from ui.i18n import lang, t

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv"
# What a column holds, declared by the page that shows it (the exporter never guesses from names or values):
#   points    a score or any measure, 2 decimals (or the table's own decimals)
#   percent   a percentage on 0–100 (85.6 means 85,6 %)
#   fraction  a share on 0–1 (0.856 means 85,6 %)
#   pp        percentage points, a difference of two percentages (−0.8 stays −0,8, never −80 %)
#   count     a whole number (years, ranks, counts)
#   text, date
KINDS = ("points", "percent", "fraction", "pp", "count", "text", "date")
SHARE_KINDS = ("percent", "fraction")
MAX_TEXT = 32_767                          # Excel's limit on the characters of one cell


def safe_text(v):
    """For CSV: text a spreadsheet would run as a formula gets a leading apostrophe (a CSV has no quote-prefix
    style; the .xlsx uses one and shows no apostrophe); other values pass unchanged."""
    if isinstance(v, str) and v.startswith(FORMULA_START):
        return "'" + v
    return v


def default_kind(values: pd.Series) -> str:
    """A column nobody declared, by its type alone: whole numbers are counts, other numbers points, timestamps
    dates, anything else text. Shares and percentage points must be declared."""
    if pd.api.types.is_bool_dtype(values):
        return "text"
    if pd.api.types.is_integer_dtype(values):
        return "count"
    if pd.api.types.is_numeric_dtype(values):
        return "points"
    if pd.api.types.is_datetime64_any_dtype(values):
        return "date"
    return "text"


def column_kinds(df: pd.DataFrame, cols: list[str], kinds: dict[str, str] | None) -> dict[str, str]:
    kinds = kinds or {}
    bad = {c: k for c, k in kinds.items() if k not in KINDS}
    if bad:
        raise ValueError(f"unknown column kinds {bad}; use one of {KINDS}")
    return {c: kinds.get(c) or default_kind(df[c]) for c in cols}


def excel_format(kind: str, decimals: int | None = None, signed: bool = False) -> str | None:
    """The Excel number format of a kind: what the screen shows (2 decimals, shares as %, signed changes)."""
    if kind == "text":
        return None
    if kind == "date":
        return "dd/mm/yyyy hh:mm" if lang() == "vi" else "yyyy-mm-dd hh:mm"
    d = decimals if decimals is not None else {"points": 2, "pp": 1, "count": 0}.get(kind, 1)
    body = ("#,##0" if kind == "points" else "0") + ("." + "0" * d if d else "")
    body += "%" if kind in SHARE_KINDS else ""
    return f"+{body};-{body};{body}" if signed or kind == "pp" else body


def _text_values(values: pd.Series) -> list:
    return [None if v is None or (isinstance(v, float) and v != v) or v is pd.NA or v is pd.NaT else
            ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v) for v in values.tolist()]


def _numbers(values: pd.Series, kind: str) -> pd.Series:
    if kind == "date":
        return pd.to_datetime(values, errors="coerce")
    v = pd.to_numeric(values, errors="coerce").astype("float64")
    return v / 100 if kind == "percent" else v


def excel_bytes(df: pd.DataFrame, headers: dict[str, str], notes: list[tuple[str, str]], sheet: str,
                highlight: pd.Series | None = None, kinds: dict[str, str] | None = None,
                decimals: dict[str, int] | None = None, signed: tuple[str, ...] = ()) -> bytes:
    """The .xlsx of a table and its notes sheet (excel_sheets), written by ui/exports/xlsx.py."""
    from ui.exports import xlsx
    return xlsx.workbook(excel_sheets(df, headers, notes, sheet, highlight, kinds, decimals, signed))


def excel_sheets(df: pd.DataFrame, headers: dict[str, str], notes: list[tuple[str, str]], sheet: str,
                 highlight: pd.Series | None = None, kinds: dict[str, str] | None = None,
                 decimals: dict[str, int] | None = None, signed: tuple[str, ...] = ()) -> list[dict]:
    """The sheets of a proper .xlsx: translated headers, numbers as numbers in the format of their declared kind (2 decimals,
    shares as %, percentage points as signed numbers), frozen header, autofilter, readable widths, highlighted
    rows (the province in focus) bold on orange, illustrative rows italic on pale yellow (a row both: bold italic
    on orange), and a "Nguồn và ghi chú" sheet. Text that a spreadsheet would run as a formula is plain text by
    Excel's quote prefix (no apostrophe shows); text over 32,767 characters is cut and the notes say where."""
    table, extra = _table_sheet(df, headers, sheet, highlight, kinds, decimals, signed)
    return [table, _notes_sheet(list(notes) + extra)]


def excel_book(sheets: list[tuple[str, pd.DataFrame]], headers: dict[str, str], notes: list[tuple[str, str]],
               kinds: dict[str, str] | None = None, decimals: dict[str, int] | None = None,
               signed: tuple[str, ...] = ()) -> bytes:
    """One workbook of several tables with the same columns (a sheet per agency), then the notes sheet. Sheet names
    follow Excel's rules (sheet_names)."""
    from ui.exports import xlsx
    tables, extra = [], []
    for name, (_, df) in zip(sheet_names([n for n, _ in sheets]), sheets):
        table, more = _table_sheet(df, headers, name, None, kinds, decimals, signed)
        tables.append(table)
        extra += [e for e in more if e not in extra]
    return xlsx.workbook(tables + [_notes_sheet(list(notes) + extra)])


def sheet_names(names: list[str]) -> list[str]:
    """Names Excel accepts: no [ ] : * ? / \\, no apostrophe at either end, at most 31 characters, none empty, no two
    alike (case-insensitive; a repeat gets ' (2)')."""
    out, seen = [], set()
    for name in names:
        base = "".join("_" if ch in '[]:*?/\\' or ord(ch) < 32 else ch for ch in str(name)).strip().strip("'")
        base = base or "Sheet"
        cand, k = base[:31].rstrip(), 1
        while cand.lower() in seen or cand.lower() == t("notes_sheet").lower():
            k += 1
            cand = f"{base[:31 - len(f' ({k})')]} ({k})"
        seen.add(cand.lower())
        out.append(cand)
    return out


def _table_sheet(df: pd.DataFrame, headers: dict[str, str], sheet: str, highlight: pd.Series | None = None,
                 kinds: dict[str, str] | None = None, decimals: dict[str, int] | None = None,
                 signed: tuple[str, ...] = ()) -> tuple[dict, list[tuple[str, str]]]:
    """One table's sheet, and the notes it needs (cells cut to Excel's limit, the row marks it uses)."""
    from ui.exports import xlsx
    cols = list(headers)
    data = df[cols].reset_index(drop=True)
    n = len(data)
    kinds = column_kinds(data, cols, kinds)
    decimals = decimals or {}
    illus = (df["provenance"] == "illustrative").tolist() if "provenance" in df else [False] * n
    hi = highlight.fillna(False).tolist() if highlight is not None else [False] * n
    flags = [("hi ill" if il else "hi") if h else ("ill" if il else "") for h, il in zip(hi, illus)]
    columns, formats, cut = [], [], []
    for j, c in enumerate(cols):          # one pass per column into plain Python lists
        k = kinds[c]
        if k == "text":
            col = _text_values(data[c])
            cut += [f"{xlsx._col(j)}{i + 2}" for i, v in enumerate(col) if v is not None and len(v) > MAX_TEXT]
            columns.append(col)
        elif k == "date":
            columns.append([None if v is pd.NaT else v.to_pydatetime() for v in _numbers(data[c], k)])
        else:
            columns.append([None if v != v else (int(v) if k == "count" and abs(v) < 1e15 else v)
                            for v in _numbers(data[c], k).tolist()])
        formats.append(excel_format(k, decimals.get(c), c in signed))
    widths = [min(max(8, max([len(str(headers[c]))] + [len(str(x)) for x in col[:300]]) + 2), 60)
              for c, col in zip(cols, columns)]
    table = dict(name=sheet, headers=[str(headers[c]) for c in cols], columns=columns, formats=formats,
                 flags=flags, widths=widths, table=True)
    extra = []
    if cut:
        extra.append((t("note_cut"), t("note_cut_text", n=len(cut), cells=", ".join(cut[:20]))))
    marks = "; ".join(t(f"note_mark_{k}") for k, f in (("hi", "hi"), ("ill", "ill"), ("both", "hi ill")) if f in flags)
    if marks:                             # only the marks this file uses (a real file never mentions illustration)
        extra.append((t("note_marks"), marks[:1].upper() + marks[1:] + "."))
    return table, extra


def _notes_sheet(notes: list[tuple[str, str]]) -> dict:
    first = notes[0] if notes else (t("note_table"), "")
    return dict(name=t("notes_sheet"), headers=[str(first[0]), str(first[1])],
                columns=[[str(k) for k, _ in notes[1:]], [str(v) for _, v in notes[1:]]],
                formats=[None, None], flags=[""] * max(len(notes) - 1, 0), widths=[30, 100])


def _vi_number(v: float, decimals: int) -> str:
    return f"{v:.{decimals}f}".replace(".", ",")


def csv_bytes(df: pd.DataFrame, headers: dict[str, str], kinds: dict[str, str] | None = None,
              decimals: dict[str, int] | None = None, vietnamese: bool = False) -> bytes:
    """UTF-8 with BOM (Excel opens Vietnamese correctly), one header row, formula-like text neutralised.
    Plain: ',' between values, '.' decimals, full precision, shares as percent numbers (85.634 for 85,6 %).
    vietnamese=True, for an Excel set to Vietnamese: ';' between values, decimal comma, numbers rounded as the
    screen shows them and shares written as percent ("85,6%"), dates dd/mm/yyyy."""
    cols = list(headers)
    kinds = column_kinds(df, cols, kinds)
    decimals = decimals or {}
    out = pd.DataFrame(index=df.index)
    for c in cols:
        k = kinds[c]
        if k == "text":
            out[c] = pd.Series([safe_text(v) for v in _text_values(df[c])], index=df.index, dtype=object)
            continue
        v = _numbers(df[c], k)
        if k == "date":
            out[c] = v.dt.strftime("%d/%m/%Y %H:%M" if vietnamese else "%Y-%m-%d %H:%M:%S")
        elif k == "count":
            out[c] = v.round().astype("Int64")
        elif not vietnamese:
            out[c] = v * 100 if k in SHARE_KINDS else v
        else:
            d = decimals.get(c, {"points": 2, "pp": 1}.get(k, 1))
            out[c] = [None if x != x else _vi_number(x * 100, d) + "%" if k in SHARE_KINDS else _vi_number(x, d)
                      for x in v.tolist()]
    out.columns = [safe_text(str(headers[c])) for c in cols]
    # a lone surrogate (no character; an xlsx keeps it as _xD800_) cannot be UTF-8: written as "?"
    # CRLF rows (RFC 4180): a field holding a lone CR or LF is then quoted, so it cannot split its row
    return out.to_csv(index=False, sep=";" if vietnamese else ",", lineterminator="\r\n").encode("utf-8-sig",
                                                                                               errors="replace")


def export_notes(title: str, filters: dict[str, object], illustrative: bool, source: str,
                 df: pd.DataFrame | None = None, source_keys: list[str] | None = None) -> list[tuple[str, str]]:
    """The notes sheet: the table, when, each filter applied, the source line, each cited source with its
    citation and licence, the provenance of the rows, and the illustrative warning where it applies."""
    notes = [(t("note_table"), title), (t("note_created"), datetime.now().strftime("%Y-%m-%d %H:%M"))]
    notes += [(k, ", ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v)) for k, v in filters.items()]
    notes.append((t("note_source"), source))
    keys = list(source_keys or [])
    if df is not None and "source" in df:
        keys += [k for k in df["source"].dropna().unique()]
    if keys:
        from ui.data import q
        src = q("sources_list")
        for r in src[src.source_key.isin(set(keys))].itertuples():
            key = t("illustrative") if r.source_key == "ILLUSTRATIVE" else r.source_key     # a code, not a word
            notes.append((f"{t('note_source')}: {key}",
                          " · ".join(str(x) for x in (r.title, r.citation, r.url, r.licence) if isinstance(x, str))))
    if df is not None and "provenance" in df:
        counts = df["provenance"].value_counts()
        notes.append((t("provenance"), "; ".join(f"{t(k) if k in ('published', 'derived', 'illustrative') else k}: {n}"
                                                 for k, n in counts.items())))
    from ui.data import is_demo
    if is_demo():
        notes.insert(0, (t("demo_mark"), t("demo_banner")))
    if illustrative:
        notes.append((t("illustrative_chart"), t("illustrative_note")))
    return notes


def demo_marked(name: str, notes: list[tuple[str, str]]) -> tuple[str, list[tuple[str, str]]]:
    """A file made from the demo says so: its name starts with BAN-TRINH-DIEN_ and its notes open with the
    demo's warning. Files from the real database are left as they are."""
    from ui.data import is_demo
    if not is_demo():
        return name, notes
    if not any(k == t("demo_mark") for k, _ in notes):
        notes = [(t("demo_mark"), t("demo_banner")), *notes]
    return t("demo_file_prefix") + name, notes
