"""Tables as people read them: numbers stay numbers (so columns sort correctly) but show in the session's
format (85,63 in Vietnamese), headers translated, and every table leaves the app as Excel or CSV with
its source and filters in a notes sheet, user-supplied text escaped against formula injection."""
from __future__ import annotations

import csv
import io
from datetime import datetime

import pandas as pd
import streamlit as st
from openpyxl import Workbook
from openpyxl.styles import Font

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


def excel_bytes(df: pd.DataFrame, headers: dict[str, str], notes: list[tuple[str, str]], sheet: str) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(sheet[:31])
    cols = list(headers)
    ws.append([safe_text(headers[c]) for c in cols])
    for row in df[cols].itertuples(index=False):
        ws.append([_plain(v) for v in row])
    ns = wb.create_sheet(t("notes_sheet"))
    for k, v in notes:
        ns.append([safe_text(k), safe_text(v)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def csv_bytes(df: pd.DataFrame, headers: dict[str, str]) -> bytes:
    cols = list(headers)
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow([safe_text(headers[c]) for c in cols])
    for row in df[cols].itertuples(index=False):
        w.writerow(["" if _plain(v) is None else _plain(v) for v in row])
    return buf.getvalue().encode("utf-8-sig")       # BOM: Excel opens Vietnamese CSV correctly


def export_notes(title: str, filters: dict[str, object], illustrative: bool, source: str) -> list[tuple[str, str]]:
    notes = [(t("note_table"), title), (t("note_created"), datetime.now().strftime("%Y-%m-%d %H:%M"))]
    notes += [(k, str(v)) for k, v in filters.items()]
    notes.append((t("note_source"), source))
    if illustrative:
        notes.append((t("illustrative_chart"), t("illustrative_note")))
    return notes


def downloads(df: pd.DataFrame, headers: dict[str, str], name: str, key: str, notes: list[tuple[str, str]]) -> None:
    """'Tải Excel' and 'Tải CSV' for a table; files are built only when clicked."""
    c1, c2, _ = st.columns([1, 1, 4])
    c1.download_button(t("download_excel"), data=lambda: excel_bytes(df, headers, notes, name), file_name=f"{name}.xlsx",
                       mime=XLSX, key=f"{key}_xlsx", icon=":material/download:")
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
