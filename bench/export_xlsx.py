"""Time to build the .xlsx (and both CSVs) of a 50,000-row export with ui.tables (target: xlsx under 3 s here),
and the same workbook written by xlsxwriter, to decide which writer to keep (bench/RESULTS.md).

    .venv/bin/python bench/export_xlsx.py [--rows 50000] [--repeat 3]

Uses the real unit-score export query repeated up to the row count (the demo database when the real one holds
no unit scores), so the columns are the real ones: text, 2-decimal numbers, a share as %, a change in
percentage points, provenance marking. Both writers get the same prepared sheets (ui.exports.tabular.excel_sheets: kinds,
cut text, escaped sheet names), so the comparison is the writing alone plus the preparation both need."""
from __future__ import annotations

import argparse
import io
import math
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402
import pandas as pd  # noqa: E402

import queries  # noqa: E402
from ui.exports import xlsx  # noqa: E402
from ui.exports.tabular import csv_bytes, excel_sheets  # noqa: E402

HEADERS = {"year": "Năm", "unit_name": "Đơn vị", "item_code": "Mã", "item_name": "Nội dung",
           "max_points": "Điểm tối đa", "final_score": "Điểm đạt", "share_of_max": "Tỷ lệ", "points_lost": "Mất",
           "self_score": "Tự chấm", "appraised_score": "Thẩm định", "change": "Thay đổi", "provenance": "Loại"}
KINDS = {"year": "count", "share_of_max": "fraction", "change": "pp"}


def xlsxwriter_bytes(sheets: list[dict]) -> bytes:
    """The same workbook with xlsxwriter (constant memory): formats per column and row flag, quote prefix,
    frozen header, autofilter, widths."""
    import xlsxwriter
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"constant_memory": True, "strings_to_numbers": False,
                                   "strings_to_formulas": False, "strings_to_urls": False})
    fills = {"": None, "hi": "#FFEDD5", "ill": "#FEF9C3", "hi ill": "#FFEDD5"}
    cache: dict[tuple, object] = {}

    def fmt(num_format, flag, quoted=False):
        key = (num_format, flag, quoted)
        if key not in cache:
            props = {"num_format": num_format or "@", "bold": "hi" in flag, "italic": "ill" in flag,
                     "quote_prefix": quoted}
            if fills[flag]:
                props |= {"bg_color": fills[flag], "pattern": 1}
            cache[key] = wb.add_format(props)
        return cache[key]

    header = wb.add_format({"bold": True, "bg_color": "#E2E8F0", "text_wrap": True, "valign": "top", "quote_prefix": True})
    for name, s in zip(xlsx.sheet_names([s["name"] for s in sheets]), sheets):
        ws = wb.add_worksheet(name)
        for j, w in enumerate(s["widths"]):
            ws.set_column(j, j, w)
        for j, h in enumerate(s["headers"]):
            ws.write_string(0, j, h, header)
        styles = {f: [fmt(f_, f) for f_ in s["formats"]] for f in xlsx.FLAGS}
        for i, flag in enumerate(s["flags"]):
            for j, col in enumerate(s["columns"]):
                v = col[i]
                if v is None:
                    continue
                if s["formats"][j] is None:
                    ws.write_string(i + 1, j, v, fmt(None, flag, True) if v.startswith(xlsx.FORMULA_START)
                                    else styles[flag][j])
                elif isinstance(v, (int, float)) and not math.isfinite(v):
                    continue
                elif isinstance(v, (int, float)):
                    ws.write_number(i + 1, j, v, styles[flag][j])
                else:
                    ws.write_datetime(i + 1, j, v, styles[flag][j])
        if s.get("table"):
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, max(len(s["flags"]), 1), len(s["headers"]) - 1)
    wb.close()
    return buf.getvalue()


CPU: list[float] = []


def best(f, repeat: int) -> tuple[float, object]:
    """Best wall time of `repeat` runs; the best CPU time goes to CPU (steadier on a shared machine)."""
    times, cpu, out = [], [], None
    for _ in range(repeat):
        t0, c0 = time.perf_counter(), time.process_time()
        out = f()
        times.append(time.perf_counter() - t0)
        cpu.append(time.process_time() - c0)
    CPU.append(min(cpu))
    return min(times), out


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3)
    a = ap.parse_args()
    db = ROOT / "data" / "index.duckdb"
    con = duckdb.connect(str(db), read_only=True)
    if not con.execute("select count(*) from unit_score").fetchone()[0]:
        con = duckdb.connect(str(ROOT / "data" / "demo" / "demo.duckdb"), read_only=True)
    df = queries.run(con, "export_unit_scores", level="commune", provinces=["82", "87"], years=list(range(2015, 2026)),
                     units=[], depths=["domain", "criterion", "sub_criterion"])
    df = pd.concat([df] * (a.rows // len(df) + 1), ignore_index=True).head(a.rows)
    notes = [("Nguồn", "bench")]
    home = df.unit_id == df.unit_id.iloc[0]
    t_prep, sheets = best(lambda: excel_sheets(df, HEADERS, notes, "bench", home, KINDS), a.repeat)
    t_hand, x = best(lambda: xlsx.workbook(sheets), a.repeat)
    t_xw, y = best(lambda: xlsxwriter_bytes(sheets), a.repeat)
    t_csv, c = best(lambda: csv_bytes(df, HEADERS, KINDS), a.repeat)
    t_vi, v = best(lambda: csv_bytes(df, HEADERS, KINDS, vietnamese=True), a.repeat)
    c_prep, c_hand, c_xw, c_csv, c_vi = CPU
    print(f"{len(df):,} rows × {len(HEADERS)} columns, best of {a.repeat} (wall clock; CPU time in brackets):")
    print(f"  preparing the sheets (kinds, cut text): {t_prep:.2f} s [{c_prep:.2f}]")
    print(f"  xlsx, ui/exports/xlsx.py:   {t_prep + t_hand:.2f} s in all [{c_prep + c_hand:.2f}] "
          f"({t_hand:.2f} s writing [{c_hand:.2f}], {len(x) / 1e6:.1f} MB)")
    print(f"  xlsx, xlsxwriter:   {t_prep + t_xw:.2f} s in all [{c_prep + c_xw:.2f}] "
          f"({t_xw:.2f} s writing [{c_xw:.2f}], {len(y) / 1e6:.1f} MB)")
    print(f"  csv plain {t_csv:.2f} s [{c_csv:.2f}] ({len(c) / 1e6:.1f} MB), "
          f"csv for a Vietnamese Excel {t_vi:.2f} s [{c_vi:.2f}] ({len(v) / 1e6:.1f} MB)")
    print("  target: xlsx under 3 s")
    return 0 if t_prep + t_hand < 3 else 1


if __name__ == "__main__":
    raise SystemExit(main())
