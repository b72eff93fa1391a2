"""Excel and CSV say what the screen says (issue 19 item 6): each column is written as the kind its page
declares (a gap in percentage points is never a percent), a row both in focus and illustrative keeps both
marks, a CSV for a Vietnamese Excel sits beside the plain one, and every table's notes name its filters in
Vietnamese words."""
from __future__ import annotations

import io
import re
from datetime import datetime

import pandas as pd
import pytest
import streamlit as st
from openpyxl import load_workbook

import ui.exports.tabular as X
import ui.tables as T
from tests.helpers import run_page


@pytest.fixture(autouse=True)
def clear_caches(built_db):
    st.cache_data.clear()
    st.cache_resource.clear()


@pytest.fixture()
def offered(monkeypatch):
    """Every table file a page offers during a run, built as a click would build it: key -> (df, xlsx workbook,
    notes as a dict, plain CSV, Vietnamese CSV)."""
    made = {}
    real = T.downloads

    def capture(df, headers, name, key, notes, highlight=None, kinds=None, decimals=None, signed=()):
        real(df, headers, name, key, notes, highlight, kinds, decimals, signed)
        name, notes = X.demo_marked(name, notes)
        wb = load_workbook(io.BytesIO(X.excel_bytes(df, headers, notes, name, highlight, kinds, decimals, signed)))
        made[key] = (df, headers, wb, dict(wb.worksheets[1].iter_rows(values_only=True)),
                     X.csv_bytes(df, headers, kinds, decimals).decode("utf-8-sig"),
                     X.csv_bytes(df, headers, kinds, decimals, vietnamese=True).decode("utf-8-sig"))
    monkeypatch.setattr(T, "downloads", capture)
    return made


def column(wb, headers: dict, col: str) -> list:
    j = list(headers).index(col) + 1
    return [wb.worksheets[0].cell(i, j) for i in range(2, wb.worksheets[0].max_row + 1)]


def test_a_gap_in_percentage_points_is_written_as_points_not_percent(offered):
    """Tổng quan's gap to the national median is in percentage points of the maximum: −4,8 stays −4,8 (it was
    written as −4,8 %, and a −0,8 next to small gaps as −80 %)."""
    run_page("overview", year=2023)
    keys = [k for k in offered if k.startswith("ov_weak_")]
    assert keys
    for k in keys:
        df, headers, wb, notes, plain, vi = offered[k]
        cells = column(wb, headers, "gap_pct")
        assert [c.value for c in cells] == pytest.approx(list(df.gap_pct))
        assert all("%" not in c.number_format and c.number_format.startswith("+") for c in cells)
        assert f"{df.gap_pct.iloc[0]:.1f}".replace(".", ",") in vi.splitlines()[1].split(";")


def test_declared_kinds_are_written_as_the_screen_shows_them():
    df = pd.DataFrame({"name": ["Sở Tư pháp", "=1+1"], "score": [85.634, 7.0], "share": [0.8563, 0.5],
                       "pct": [85.63, 50.0], "gap": [-0.8, 0.04], "n": [12, 3],
                       "when": [datetime(2025, 1, 2, 3, 4), None]})
    headers = {c: c for c in df}
    kinds = {"share": "fraction", "pct": "percent", "gap": "pp", "when": "date"}
    wb = load_workbook(io.BytesIO(X.excel_bytes(df, headers, [], "t", kinds=kinds)))
    ws = wb["t"]
    assert [c.value for c in ws[2]][1:6] == pytest.approx([85.634, 0.8563, 0.8563, -0.8, 12])
    assert [c.number_format for c in ws[2]][1:7] == ["#,##0.00", "0.0%", "0.0%", "+0.0;-0.0;0.0", "0",
                                                     "dd/mm/yyyy hh:mm"]
    assert ws["G2"].value == datetime(2025, 1, 2, 3, 4) and ws["G3"].value is None
    vi = X.csv_bytes(df, headers, kinds, vietnamese=True).decode("utf-8-sig").splitlines()
    assert vi[0] == "name;score;share;pct;gap;n;when"
    assert vi[1] == "Sở Tư pháp;85,63;85,6%;85,6%;-0,8;12;02/01/2025 03:04"
    assert vi[2] == "'=1+1;7,00;50,0%;50,0%;0,0;3;"
    plain = X.csv_bytes(df, headers, kinds).decode("utf-8-sig").splitlines()
    assert plain[1] == "Sở Tư pháp,85.634,85.63,85.63,-0.8,12,2025-01-02 03:04:00"
    with pytest.raises(ValueError, match="percent"):
        X.excel_bytes(df, headers, [], "t", kinds={"share": "percentage"})


def test_an_undeclared_share_is_not_guessed_a_percent():
    """Nothing is inferred from a column's name or values: 'share' with values under 1 stays a number."""
    df = pd.DataFrame({"change_share_pp": [-0.8, 0.2, 0.5]})
    ws = load_workbook(io.BytesIO(X.excel_bytes(df, {"change_share_pp": "Thay đổi"}, [], "t")))["t"]
    assert ws["A2"].value == pytest.approx(-0.8) and "%" not in ws["A2"].number_format


def test_a_row_in_focus_that_is_illustrative_keeps_both_marks():
    df = pd.DataFrame({"name": ["Đồng Tháp", "An Giang", "Cần Thơ"], "score": [60.0, 61.0, 62.0],
                       "provenance": ["illustrative", "illustrative", "published"]})
    home = pd.Series([True, False, False])
    wb = load_workbook(io.BytesIO(X.excel_bytes(df, {"name": "Tỉnh", "score": "Điểm"}, [("Bảng", "x")], "t",
                                                highlight=home)))
    ws = wb["t"]
    both, illus, plain = ws["A2"], ws["A3"], ws["A4"]
    assert both.font.b and both.font.i and both.fill.fgColor.rgb.endswith("FFEDD5")      # was bold only
    assert illus.font.i and not illus.font.b and illus.fill.fgColor.rgb.endswith("FEF9C3")
    assert not plain.font.b and not plain.font.i and ws["B2"].font.i
    notes = dict(wb.worksheets[1].iter_rows(values_only=True))
    assert "in đậm và nghiêng" in notes["Cách đánh dấu dòng"]


def test_the_national_ranking_file_marks_the_province_in_focus(offered):
    run_page("national_ranking", index="PAPI", year=2019, province="p63:87")
    df, headers, wb, notes, *_ = offered["nr_dl"]
    rows = [i for i, c in enumerate(column(wb, headers, "name")) if c.font.b]
    assert [df.province_code.iloc[i] for i in rows] == ["87"]


def test_every_table_offers_a_csv_for_a_vietnamese_excel():
    at = run_page("unit_ranking")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels.count("CSV (Excel tiếng Việt)") == labels.count("Tải CSV") >= 1
    at = run_page("unit_ranking", lang="en")
    assert "CSV (Vietnamese Excel)" in [b.proto.label for b in at.get("download_button")]


ENGLISH = re.compile(r"\b(domain|criterion|criteria|total|share|none|true|false|illustrative|published|year|rank)\b",
                     re.IGNORECASE)


@pytest.mark.parametrize("page,params,key,expect", [
    ("overview", dict(year=2023), "ov_weak_PAPI_dl", {"Chỉ số": "PAPI", "Năm": "2023", "Tỉnh, thành phố": "Đồng Tháp"}),
    ("overview", dict(year=2023, alert_pct=1, alert_places=1), "ov_alerts_dl", {"Năm": "2023"}),
    ("what_if", dict(year=2023, target=1, index="PAR INDEX"), "wi_set_dl", {"Chỉ số": "PAR INDEX", "Năm": "2023"}),
    ("export", dict(what="units", udepths="domain,criterion"), "ex_dl", {"Mức chi tiết": "Lĩnh vực, Tiêu chí"}),
])
def test_notes_name_every_tables_filters_in_vietnamese(offered, page, params, key, expect):
    run_page(page, **params)
    df, headers, wb, notes, *_ = offered[key]
    for k, v in expect.items():
        assert notes.get(k) == v, (k, notes)
    assert not re.fullmatch(r"[a-z0-9_]+", str(wb.worksheets[1]["B1"].value))       # a title, not a file name
    words = [f"{k} {v}" for k, v in notes.items() if not str(k).startswith("Nguồn")]
    assert not [w for w in words if ENGLISH.search(w)], words
    assert notes["Nguồn"] and not [k for k in notes if "ILLUSTRATIVE" in str(k)]


SHARE_NAME = re.compile(r"share|pct|_pp\b|percent|ratio")


@pytest.mark.parametrize("page,params", [
    ("overview", {"year": 2023}), ("national_ranking", {"index": "PAPI", "year": 2019}), ("trends", {"year": 2023}),
    ("unit_ranking", {}), ("criterion_gaps", {}), ("self_vs_appraisal", {}), ("targets", {}),
    ("unit_alerts", {"level": "commune", "year": 2022}), ("export", {"measures": "score,share_of_max,rank"}),
    ("export", {"what": "units", "umeasures": "final_score,share_of_max,change"})])
def test_every_share_or_change_a_page_exports_is_declared(monkeypatch, page, params):
    """A column whose name says share, percent or percentage points is written as the kind its page declares;
    one left undeclared would be written as plain points (the exporter no longer guesses)."""
    undeclared = []

    def capture(df, headers, name, key, notes, highlight=None, kinds=None, decimals=None, signed=()):
        undeclared.extend(f"{key}.{c}" for c in headers if SHARE_NAME.search(c)
                          and pd.api.types.is_numeric_dtype(df[c]) and c not in (kinds or {}))
    monkeypatch.setattr(T, "downloads", capture)
    run_page(page, **params)
    assert not undeclared
