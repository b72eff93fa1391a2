"""Property: any frame, however hostile its text, numbers, dates and sheet name, is written as an .xlsx that
opens and reads back as written (within Excel's limits, which the notes sheet states) and as CSVs that read
back row for row. Formula-like text is a string cell made inert by Excel's quote prefix, with no apostrophe
in the text."""
from __future__ import annotations

import csv
import io
import math
from datetime import datetime, timedelta

import pandas as pd
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape

from ui.exports.tabular import FORMULA_START, MAX_TEXT, csv_bytes, excel_bytes
from ui.exports.xlsx import sheet_names

HOSTILE = ["\ufffe", "a\uffffb", "\ud800", "_x0041_", "_x005F_x0041_", "=1+1", "+1", "-2+3", "@SUM(A1)",
           '=HYPERLINK("http://evil.example","x")', "\tx", "\rx", "a\r\nb", "\x00\x01\x0b", "<img src=x onerror=1>",
           "&amp;", "]]>", '"', "'", "inf", "-inf", "NaN", "2025-01-02", "Sở Tư pháp", " lề ", "",
           "x" * (MAX_TEXT + 10) + "end"]
TEXT = st.one_of(st.none(), st.sampled_from(HOSTILE),
                 st.text(st.characters(codec=None, exclude_categories=()), max_size=20))
NUMBER = st.one_of(st.none(), st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**6, 10**6).map(float))
WHEN = st.one_of(st.none(), st.datetimes(min_value=datetime(1901, 1, 1), max_value=datetime(2099, 12, 31)))
SHEET = st.one_of(st.sampled_from(['a"b', "[x]:*?/\\", "'quoted'", "History", "Nguồn và ghi chú", "", "x" * 40]),
                  st.text(max_size=40))
ROW = st.tuples(TEXT, NUMBER, NUMBER, NUMBER, WHEN)
KINDS = {"name": "text", "points": "points", "pct": "percent", "gap": "pp", "when": "date"}
HEADERS = {"name": "=Tên", "points": "Điểm [đ]", "pct": "Tỷ lệ", "gap": "Chênh (điểm %)", "when": "Lúc"}


def frame(rows) -> pd.DataFrame:
    # text as Python objects: pandas' Arrow strings cannot hold a lone surrogate at all, a list of objects can
    cols = list(zip(*rows))
    return pd.DataFrame({"name": pd.Series(cols[0], dtype=object), "points": pd.Series(cols[1], dtype="float64"),
                         "pct": pd.Series(cols[2], dtype="float64"), "gap": pd.Series(cols[3], dtype="float64"),
                         "when": pd.Series(cols[4], dtype="datetime64[ns]")})


def same_number(got, want) -> bool:
    if want is None or not math.isfinite(want):
        return got is None                      # Excel holds no NaN or infinity: an empty cell
    return got == want or math.isclose(got, want, rel_tol=1e-12, abs_tol=1e-300)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(rows=st.lists(ROW, min_size=1, max_size=6), sheet=SHEET)
@example(rows=[(h, -0.8, 85.6, -0.8, datetime(2025, 1, 2, 3, 4)) for h in HOSTILE], sheet='a"b[c]:d*e?f/g\\h' + "x" * 40)
def test_hostile_frames_write_and_read_back(rows, sheet):
    df = frame(rows)
    data = excel_bytes(df, HEADERS, [("Bảng", "=kiểm tra")], sheet, kinds=KINDS)
    wb = load_workbook(io.BytesIO(data))
    name = sheet_names([sheet, "Nguồn và ghi chú"])[0]
    assert wb.sheetnames[0] == name and 1 <= len(name) <= 31 and not set(name) & set("[]:*?/\\")
    ws = wb.worksheets[0]
    assert [c.value for c in ws[1]] == list(HEADERS.values()) and ws["A1"].quotePrefix
    for i, (text, points, pct, gap, when) in enumerate(rows, start=2):
        cell = ws.cell(i, 1)
        if text is None or text == "":
            assert cell.value in (None, "")
        else:
            assert cell.data_type == "s" and unescape(cell.value) == text[:MAX_TEXT]
            assert bool(cell.quotePrefix) == text.startswith(FORMULA_START)
        assert same_number(ws.cell(i, 2).value, points)
        assert same_number(ws.cell(i, 3).value, None if pct is None else pct / 100)
        assert same_number(ws.cell(i, 4).value, gap)
        assert ws.cell(i, 4).value is None or ws.cell(i, 4).number_format == "+0.0;-0.0;0.0"   # never as %
        got = ws.cell(i, 5).value
        assert (got is None) if when is None else abs(got - when) < timedelta(milliseconds=1)
    notes = dict(wb.worksheets[1].iter_rows(values_only=True))
    assert notes["Bảng"] == "=kiểm tra"
    cut = [r for r in rows if r[0] is not None and len(r[0]) > MAX_TEXT]
    assert ("Ô bị cắt ngắn" in notes) == bool(cut)

    for vietnamese in (False, True):
        text = csv_bytes(df, HEADERS, KINDS, vietnamese=vietnamese).decode("utf-8-sig")
        back = list(csv.reader(io.StringIO(text, newline=""), delimiter=";" if vietnamese else ","))
        assert back[0] == ["'=Tên", *list(HEADERS.values())[1:]] and len(back) == len(rows) + 1
        for (t, *_), r in zip(rows, back[1:]):
            assert len(r) == len(HEADERS)
            want = "" if t is None else ("'" + t if t.startswith(FORMULA_START) else t).replace("\ud800", "?")
            assert r[0] == want
