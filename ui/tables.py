"""Tables as people read them: numbers stay numbers (so columns sort correctly) but show in the session's
format (85,63 in Vietnamese), headers translated, and every table leaves the app as Excel or CSV with
its source and filters in a notes sheet, user-supplied text escaped against formula injection."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import pandas as pd
import streamlit as st

from ui.i18n import num, t

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def safe_text(v):
    """Text a spreadsheet would run as a formula gets a leading apostrophe; numbers pass unchanged."""
    if isinstance(v, str) and v.startswith(FORMULA_START):
        return "'" + v
    return v


def _plain(v):
    if v is None or (not isinstance(v, (list, tuple, dict)) and pd.isna(v)):
        return None
    if hasattr(v, "item"):               # numpy scalars -> Python
        v = v.item()
    if isinstance(v, (list, tuple)):
        return ", ".join(str(x) for x in v)
    return safe_text(v)


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
    formula is stored with a leading apostrophe."""
    import xlsxwriter                                   # constant memory: 50,000 rows in about 1–2 s

    cols = list(headers)
    data = df[cols].reset_index(drop=True)
    kinds = {c: _kind(c, data[c]) for c in cols}
    illus = (df["provenance"] == "illustrative").reset_index(drop=True) if "provenance" in df else None
    hi = highlight.reset_index(drop=True) if highlight is not None else None
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "nan_inf_to_errors": False})
    base = {"num": "#,##0.00", "int": "0", "pct1": "0.0%", "pct100": "0.0%", "text": "@"}
    styles = {}

    def fmt(kind: str, flag: str):
        key = (kind, flag)
        if key not in styles:
            spec = {"num_format": base[kind]}
            if flag == "hi":
                spec |= {"bg_color": "#FFEDD5", "bold": True}
            elif flag == "ill":
                spec |= {"bg_color": "#FEF9C3", "italic": True}
            styles[key] = wb.add_format(spec)
        return styles[key]

    ws = wb.add_worksheet(sheet[:31])
    head = wb.add_format({"bold": True, "bg_color": "#E2E8F0", "border": 1, "text_wrap": True, "valign": "top"})
    sample = data.head(300)
    for j, c in enumerate(cols):
        longest = max([len(str(headers[c]))] + [len(str(x)) for x in sample[c].tolist()])
        ws.set_column(j, j, min(max(8, longest + 2), 60))
    ws.write_row(0, 0, [safe_text(headers[c]) for c in cols], head)
    ws.freeze_panes(1, 0)
    ws.autofilter(0, 0, max(len(data), 1), len(cols) - 1)
    for i, row in enumerate(data.itertuples(index=False), start=1):
        flag = "hi" if hi is not None and bool(hi.iloc[i - 1]) else \
            "ill" if illus is not None and bool(illus.iloc[i - 1]) else ""
        for j, (c, v) in enumerate(zip(cols, row)):
            v = _plain(v)
            k = kinds[c]
            if v is None:
                ws.write_blank(i, j, None, fmt(k, flag))
            elif isinstance(v, (int, float)) and not isinstance(v, bool) and k != "text":
                ws.write_number(i, j, v / 100 if k == "pct100" else v, fmt(k, flag))
            else:
                ws.write_string(i, j, str(v), fmt("text", flag))
    ns = wb.add_worksheet(t("notes_sheet")[:31])
    ns.set_column(0, 0, 28)
    ns.set_column(1, 1, 100)
    wrap = wb.add_format({"text_wrap": True, "valign": "top"})
    for i, (k, v) in enumerate(notes):
        ns.write_string(i, 0, str(safe_text(k)), head)
        ns.write_string(i, 1, str(safe_text(v)), wrap)
    wb.close()
    return buf.getvalue()


def csv_bytes(df: pd.DataFrame, headers: dict[str, str]) -> bytes:
    cols = list(headers)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([safe_text(headers[c]) for c in cols])
    for row in df[cols].itertuples(index=False):
        w.writerow(["" if _plain(v) is None else _plain(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")       # BOM: Excel opens Vietnamese CSV correctly


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
    if illustrative:
        notes.append((t("illustrative_chart"), t("illustrative_note")))
    return notes


def downloads(df: pd.DataFrame, headers: dict[str, str], name: str, key: str, notes: list[tuple[str, str]],
              highlight: pd.Series | None = None) -> None:
    """'Tải Excel' and 'Tải CSV' for a table; files are built only when clicked."""
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(t("download_excel"), data=lambda: excel_bytes(df, headers, notes, name, highlight),
                       file_name=f"{name}.xlsx", mime=XLSX, key=f"{key}_xlsx", icon=":material/download:")
    c2.download_button(t("download_csv"), data=lambda: csv_bytes(df, headers), file_name=f"{name}.csv",
                       mime="text/csv", key=f"{key}_csv", icon=":material/download:")


def table(df: pd.DataFrame, columns: dict[str, object], key: str, decimals: dict[str, int] | None = None,
          signed: tuple[str, ...] = (), **kwargs):
    """st.dataframe of the given columns (name -> label or column_config); numeric columns in `decimals`
    display in the session's number format while keeping their values for sorting."""
    decimals = decimals or {}
    view = df[list(columns)].reset_index(drop=True)
    fmt = {c: (lambda d, s: (lambda x: ("+" if s and pd.notna(x) and x > 0 else "") + num(x, d)))(d, c in signed)
           for c, d in decimals.items()}
    config = {c: (st.column_config.Column(v) if isinstance(v, str) else v) for c, v in columns.items()}
    return st.dataframe(view.style.format(fmt, na_rep="–"), column_config=config, hide_index=True,
                        width="stretch", key=key, **kwargs)
