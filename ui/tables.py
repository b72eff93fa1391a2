"""Tables as people read them: numbers stay numbers (so columns sort correctly) but show in the session's
format (85,63 in Vietnamese), headers translated, and every table leaves the app as Excel or CSV with
its source and filters in a notes sheet, user-supplied text escaped against formula injection."""
from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from ui.i18n import lang, num, t

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(v):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers pass unchanged."""
    if isinstance(v, str) and v.startswith(FORMULA_START):
        return "'" + v
    return v


PCT_HINTS = ("share", "pct", "cum_")


def _kind(col: str, values: pd.Series) -> str:
    """How a column is stored in Excel: 'pct1' (0–1 shares), 'pct100' (0–100 shares, stored /100),
    'int', 'num' (2 decimals) or 'text'."""
    v = pd.to_numeric(values, errors="coerce") if values.dtype == object else values
    if not pd.api.types.is_numeric_dtype(v) or pd.api.types.is_bool_dtype(v):
        return "text"
    if any(h in col for h in PCT_HINTS):
        return "pct1" if v.abs().max(skipna=True) <= 1.000001 else "pct100"
    if pd.api.types.is_integer_dtype(v) or col in ("year", "rank", "n_units", "n_values") or col.startswith("n_"):
        return "int"
    return "num"


def excel_bytes(df: pd.DataFrame, headers: dict[str, str], notes: list[tuple[str, str]], sheet: str,
                highlight: pd.Series | None = None) -> bytes:
    """A proper .xlsx: translated headers, numbers as numbers (2 decimals, shares as %), frozen header,
    autofilter, readable widths, highlighted rows (the province in focus), illustrative rows marked in
    italics on a pale yellow fill, and a "Nguồn và ghi chú" sheet. Text that a spreadsheet would run as a
    formula is stored with a leading apostrophe. Written by ui/xlsx.py (about 1 µs per cell)."""
    from ui import xlsx
    return xlsx.workbook([_table_sheet(df, headers, sheet, highlight), _notes_sheet(notes)])


def excel_book(sheets: list[tuple[str, pd.DataFrame]], headers: dict[str, str], notes: list[tuple[str, str]]) -> bytes:
    """One workbook of several tables with the same columns (a sheet per agency), then the notes sheet. Sheet names
    follow Excel's rules (sheet_names)."""
    from ui import xlsx
    names = sheet_names([n for n, _ in sheets])
    return xlsx.workbook([_table_sheet(df, headers, n) for n, (_, df) in zip(names, sheets)] + [_notes_sheet(notes)])


def sheet_names(names: list[str]) -> list[str]:
    """Names Excel accepts: no [ ] : * ? / \\, no apostrophe at either end, at most 31 characters, none empty, no two
    alike (case-insensitive; a repeat gets ' (2)')."""
    out, seen = [], set()
    for name in names:
        base = "".join("_" if ch in '[]:*?/\\' or ord(ch) < 32 else ch for ch in str(name)).strip().strip("'")
        base = base or "Sheet"
        cand, k = base[:31], 1
        while cand.lower() in seen or cand.lower() == t("notes_sheet").lower():
            k += 1
            cand = f"{base[:31 - len(f' ({k})')]} ({k})"
        seen.add(cand.lower())
        out.append(cand)
    return out


def _table_sheet(df: pd.DataFrame, headers: dict[str, str], sheet: str, highlight: pd.Series | None = None) -> dict:
    cols = list(headers)
    data = df[cols].reset_index(drop=True)
    n = len(data)
    illus = (df["provenance"] == "illustrative").tolist() if "provenance" in df else [False] * n
    hi = highlight.tolist() if highlight is not None else [False] * n
    flags = ["hi" if h else "ill" if il else "" for h, il in zip(hi, illus)]
    columns, kinds = [], []
    for c in cols:                       # one pass per column into plain Python lists
        k = _kind(c, data[c])
        if k == "text":
            columns.append([None if v is None or (isinstance(v, float) and v != v) else
                            safe_text(", ".join(map(str, v)) if isinstance(v, (list, tuple)) else str(v))
                            for v in data[c].tolist()])
            kinds.append("text")
            continue
        arr = pd.to_numeric(data[c], errors="coerce").astype("float64")
        arr = arr / 100 if k == "pct100" else arr
        columns.append([None if v != v else (int(v) if k == "int" else v) for v in arr.tolist()])
        kinds.append("pct" if k.startswith("pct") else k)
    widths = [min(max(8, max([len(str(headers[c]))] + [len(str(x)) for x in col[:300]]) + 2), 60)
              for c, col in zip(cols, columns)]
    return dict(name=sheet, headers=[safe_text(headers[c]) for c in cols], columns=columns, kinds=kinds,
                flags=flags, widths=widths, table=True)


def _notes_sheet(notes: list[tuple[str, str]]) -> dict:
    first = notes[0] if notes else (t("note_table"), "")
    return dict(name=t("notes_sheet"), headers=[safe_text(str(first[0])), safe_text(str(first[1]))],
                columns=[[safe_text(str(k)) for k, _ in notes[1:]], [safe_text(str(v)) for _, v in notes[1:]]],
                kinds=["text", "text"], flags=[""] * max(len(notes) - 1, 0), widths=[30, 100])


def csv_bytes(df: pd.DataFrame, headers: dict[str, str]) -> bytes:
    """UTF-8 with BOM (Excel opens Vietnamese correctly), one header row, formula-like text neutralised."""
    cols = list(headers)
    out = df[cols].copy()
    for c in cols:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c]):
            out[c] = out[c].map(lambda v: safe_text(", ".join(map(str, v)) if isinstance(v, (list, tuple)) else v)
                                if isinstance(v, (str, list, tuple)) else v)
    out.columns = [safe_text(headers[c]) for c in cols]
    return out.to_csv(index=False).encode("utf-8-sig")


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
            notes.append((f"{t('note_source')}: {r.source_key}",
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


def downloads(df: pd.DataFrame, headers: dict[str, str], name: str, key: str, notes: list[tuple[str, str]],
              highlight: pd.Series | None = None) -> None:
    """'Tải Excel' and 'Tải CSV' for a table; files are built only when clicked. A file from the demo says so in
    its name and its notes."""
    name, notes = demo_marked(name, notes)
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(t("download_excel"), data=lambda: excel_bytes(df, headers, notes, name, highlight),
                       file_name=f"{name}.xlsx", mime=XLSX, key=f"{key}_xlsx", icon=":material/download:")
    c2.download_button(t("download_csv"), data=lambda: csv_bytes(df, headers), file_name=f"{name}.csv",
                       mime="text/csv", key=f"{key}_csv", icon=":material/download:")


def table(df: pd.DataFrame, columns: dict[str, object], key: str, decimals: dict[str, int] | None = None,
          signed: tuple[str, ...] = (), export: str | None = None, source: str = "", **kwargs):
    """st.dataframe of the given columns (name -> label or column_config); numeric columns in `decimals`
    display in the session's number format while keeping their values for sorting."""
    decimals = decimals or {}
    view = df[list(columns)].reset_index(drop=True)
    for c in decimals:                      # nullable/object numbers -> float, so empty cells show "–"
        if c in view:
            view[c] = pd.to_numeric(view[c], errors="coerce").astype("float64")
    lc = lang()                             # read once, not per cell (800 rows × 3 columns at national scale)
    fmt = {c: (lambda d, s: (lambda x: ("+" if s and pd.notna(x) and x > 0 else "") + num(x, d, lc)))(d, c in signed)
           for c, d in decimals.items()}
    # Streamlit draws an empty number cell as "None" whatever the Styler says: a column with gaps is shown as
    # its formatted text ("–" for a gap), the others stay numbers (sortable)
    for c in [c for c in fmt if c in view and view[c].isna().any()]:
        f = fmt.pop(c)
        view[c] = view[c].map(lambda x, f=f: "–" if pd.isna(x) else f(x))
    config = {c: (st.column_config.Column(v) if isinstance(v, str) else v) for c, v in columns.items()}
    shown = st.dataframe(view.style.format(fmt, na_rep="–"), column_config=config, hide_index=True,
                         width="stretch", key=key, **kwargs)
    if export:                          # tables without their own downloads(...) call get them here
        labels = {c: (v if isinstance(v, str) else v["label"]) for c, v in columns.items()}
        illustrative = "provenance" in df and bool((df["provenance"] == "illustrative").any())
        downloads(df, labels, export, f"{key}_dl", export_notes(export, {}, illustrative, source, df=df))
    return shown
