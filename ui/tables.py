"""Tables as people read them: numbers stay numbers (so columns sort correctly) but show in the session's
format (85,63 in Vietnamese), headers translated, and every table offers its Excel and CSV downloads (the files
themselves are written by ui/exports/tabular.py)."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from ui.exports.tabular import CSV, XLSX, csv_bytes, demo_marked, excel_bytes, export_notes
from ui.i18n import lang, num, t


def downloads(df: pd.DataFrame, headers: dict[str, str], name: str, key: str, notes: list[tuple[str, str]],
              highlight: pd.Series | None = None, kinds: dict[str, str] | None = None,
              decimals: dict[str, int] | None = None, signed: tuple[str, ...] = ()) -> None:
    """'Tải Excel', 'Tải CSV' and 'CSV (Excel tiếng Việt)' for a table; files are built only when clicked. Each
    column is written as its declared kind (KINDS; undeclared: by type). A file from the demo says so in its name
    and its notes."""
    name, notes = demo_marked(name, notes)
    # on_click="ignore": a download changes nothing on the page, so it does not rerun it (a rerun replaced the
    # buttons while a second download was asked for, which then never came)
    c1, c2, c3, _ = st.columns([1, 1, 1.5, 2.5])
    c1.download_button(t("download_excel"), file_name=f"{name}.xlsx", mime=XLSX, key=f"{key}_xlsx",
                       data=lambda: excel_bytes(df, headers, notes, name, highlight, kinds, decimals, signed),
                       icon=":material/download:", on_click="ignore")
    c2.download_button(t("download_csv"), data=lambda: csv_bytes(df, headers, kinds, decimals), file_name=f"{name}.csv",
                       mime=CSV, key=f"{key}_csv", icon=":material/download:", help=t("download_csv_help"),
                       on_click="ignore")
    c3.download_button(t("download_csv_vi"), data=lambda: csv_bytes(df, headers, kinds, decimals, vietnamese=True),
                       file_name=f"{name}_excel-vi.csv", mime=CSV, key=f"{key}_csv_vi", icon=":material/download:",
                       help=t("download_csv_vi_help"), on_click="ignore")


def table(df: pd.DataFrame, columns: dict[str, object], key: str, decimals: dict[str, int] | None = None,
          signed: tuple[str, ...] = (), export: str | None = None, source: str = "",
          kinds: dict[str, str] | None = None, filters: dict[str, object] | None = None, title: str | None = None,
          **kwargs):
    """st.dataframe of the given columns (name -> label or column_config); numeric columns in `decimals`
    display in the session's number format while keeping their values for sorting. With `export` (the file
    name), the table gets its own downloads: `kinds` declares each column's kind (KINDS), `title` and `filters`
    (label -> value, in words) go to the notes sheet."""
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
        downloads(df, labels, export, f"{key}_dl", export_notes(title or export, filters or {}, illustrative, source, df=df),
                  kinds=kinds, decimals=decimals, signed=signed)
    return shown
