"""Exports: the .xlsx a person opens (headers, number formats, frozen header, autofilter, highlighted and
illustrative rows, the notes sheet, values equal to the database), formula injection, and views that
survive a round trip through their URL."""
from __future__ import annotations

import io

import pytest
import streamlit as st
from openpyxl import load_workbook
from openpyxl.utils.escape import unescape
from streamlit.testing.v1 import AppTest

import queries
from tests.conftest import ROOT
from tests.helpers import run_page as run
from ui.exports.tabular import csv_bytes, excel_bytes, export_notes


@pytest.fixture(autouse=True)
def clear_caches(built_db):
    st.cache_data.clear()
    st.cache_resource.clear()


def open_xlsx(data: bytes):
    return load_workbook(io.BytesIO(data))


def test_index_export_is_a_proper_workbook(con):
    df = queries.run(con, "export_index_scores", index="PAR INDEX", years=[2023], provinces=[], depths=["total"])
    headers = {"year": "Năm", "province_name": "Tỉnh, thành phố", "score": "Điểm", "share_of_max": "Điểm (% tối đa)",
               "rank": "Hạng", "change": "Thay đổi điểm"}
    home = df.province_code == "87"
    wb = open_xlsx(excel_bytes(df, headers, export_notes("Xuất dữ liệu", {"Năm": [2023]}, True, "Nguồn: Bộ Nội vụ",
                                                         df=df), "PAR_2023", highlight=home,
                                   kinds={"share_of_max": "fraction", "rank": "count", "year": "count"}))
    ws = wb["PAR_2023"]
    assert [c.value for c in ws[1]] == list(headers.values())
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref == f"A1:F{len(df) + 1}"
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    assert len(rows) == len(df) == 63
    # values equal the database; shares stored as fractions shown as %
    assert [r[2] for r in rows] == pytest.approx(list(df.score))
    assert rows[0][3] == pytest.approx(df.share_of_max.iloc[0]) and ws["D2"].number_format == "0.0%"
    assert ws["C2"].number_format == "#,##0.00" and ws["E2"].number_format == "0" and isinstance(rows[0][4], int)
    # Đồng Tháp highlighted; illustrative rows italic on pale yellow
    i = int(df.index[home][0]) + 2
    assert ws[f"B{i}"].fill.fgColor.rgb.endswith("FFEDD5") and ws[f"B{i}"].font.bold
    j = next(k + 2 for k, (p, c) in enumerate(zip(df.provenance, df.province_code)) if p == "illustrative" and c != "87")
    assert ws[f"B{j}"].font.italic and ws[f"B{j}"].fill.fgColor.rgb.endswith("FEF9C3")
    notes = dict(wb["Nguồn và ghi chú"].iter_rows(values_only=True))
    assert notes["Năm"] == "2023" and notes["Nguồn"] == "Nguồn: Bộ Nội vụ" and "Số liệu minh họa" in notes
    assert any(k == "Nguồn: Minh họa" for k in notes) and not any("ILLUSTRATIVE" in k for k in notes)
    assert "Công bố" in notes["Loại số liệu"] and "Minh họa" in notes["Loại số liệu"]


def test_unit_export_escapes_a_unit_named_like_a_formula(con):
    df = queries.run(con, "export_unit_scores", level="department", provinces=["82", "87"], years=[2024], units=["SO-TP"], depths=["domain"])
    df.loc[0, "unit_name"] = '=HYPERLINK("http://evil.example","x")'
    headers = {"unit_name": "Đơn vị", "item_code": "Mã", "final_score": "Điểm đạt", "share_of_max": "Tỷ lệ"}
    ws = open_xlsx(excel_bytes(df, headers, [], "units"))["units"]
    # plain text by Excel's quote prefix: the cell reads exactly as written, no apostrophe shows
    assert ws["A2"].value == '=HYPERLINK("http://evil.example","x")' and ws["A2"].data_type == "s"
    assert ws["A2"].quotePrefix and not ws["A3"].quotePrefix
    assert ws["C2"].value == pytest.approx(df.final_score.iloc[0])
    csv = csv_bytes(df, headers)
    assert csv.startswith(b"\xef\xbb\xbf")                                   # BOM: Excel reads Vietnamese
    lines = csv.decode("utf-8-sig").splitlines()
    assert lines[0] == "Đơn vị,Mã,Điểm đạt,Tỷ lệ" and lines[1].startswith("\"'=HYPERLINK")
    for evil in ("+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx"):
        df.loc[0, "unit_name"] = evil
        cell = open_xlsx(excel_bytes(df, headers, [], "u"))["u"]["A2"]
        assert cell.data_type == "s" and cell.quotePrefix and unescape(cell.value) == evil   # CR is stored as _x000D_
        assert csv_bytes(df, headers).decode("utf-8-sig").splitlines()[1].lstrip('"').startswith("'")


def test_export_page_builds_the_filtered_table(con):
    at = run("export", index="PAPI", years="2022,2023", provinces="87,22", depths="total,domain",
             measures="score,rank,ci_low,ci_high")
    preview = at.dataframe[0].value
    expect = queries.run(con, "export_index_scores", index="PAPI", years=[2022, 2023], provinces=["87", "22"],
                         depths=["total", "domain"])
    assert len(preview) == min(200, len(expect)) and set(preview.province_code) <= {"87", "22"}
    assert list(preview.columns) == ["year", "province_code", "province", "measure_code", "measure", "score", "rank",
                                     "ci_low", "ci_high"]
    assert any(f"**{len(expect)}** dòng" in m.value for m in at.markdown)
    assert {b.proto.label for b in at.get("download_button")} == {"Tải Excel", "Tải CSV", "CSV (Excel tiếng Việt)"}


def test_export_units_in_english():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=90)
    for k, v in dict(lang="en", what="units", level="commune", uyears="2025", udepths="criterion").items():
        at.query_params[k] = v
    at.run()
    at.switch_page("app_pages/export.py")
    at.run()
    assert not at.exception and at.title[0].value == "Export"
    preview = at.dataframe[0].value
    assert set(preview.year) == {2025} and preview.unit.str.endswith("Commune").all()


def test_invalid_link_values_fall_back_with_a_notice():
    at = run("export", index="NOPE", years="2023,1999")
    toasts = [x.proto.body for x in at.toast]
    assert any("NOPE" in x for x in toasts) and any("1999" in x for x in toasts)
    assert at.query_params["index"] == ["PAR INDEX"] or at.query_params["index"] == "PAR INDEX"
    at = run("national_ranking", year="abc", province="p63:99", measure="zzz")
    assert len(at.toast) >= 2 and at.title[0].value == "Xếp hạng toàn quốc"


def test_a_view_survives_a_round_trip_through_its_url():
    at = run("national_ranking")
    at.radio(key="w_index").set_value("PAPI").run()
    at.selectbox(key="w_year").set_value(2019).run()
    at.selectbox(key="w_province").set_value("p63:22").run()
    link = {k: at.query_params[k] for k in at.query_params}
    fresh = run("national_ranking", **{k: (v[0] if isinstance(v, list) else v) for k, v in link.items()})
    assert fresh.radio(key="w_index").value == "PAPI" and fresh.selectbox(key="w_year").value == 2019
    assert fresh.selectbox(key="w_province").value == "p63:22"
    assert fresh.dataframe[0].value.equals(at.dataframe[0].value)


@pytest.mark.parametrize("page,params", [
    ("overview", {"year": 2023}), ("national_ranking", {"index": "PAPI", "year": 2019}),
    ("province_profile", {"index": "PAPI", "year": 2019, "peers": "region"}), ("trends", {"year": 2023}),
    ("cross_index", {}), ("what_if", {"year": 2023, "target": 1}), ("methodology", {}),
    ("unit_ranking", {}), ("criterion_gaps", {}), ("self_vs_appraisal", {}), ("unit_profile", {}),
    ("targets", {}), ("unit_alerts", {"level": "commune", "year": 2022}), ("export", {})])
def test_every_table_downloads_and_every_chart_carries_its_source(page, params):
    at = run(page, **params)
    labels = [b.proto.label for b in at.get("download_button")]
    tables = len(at.dataframe) - (1 if page == "export" else 0)       # the export preview shares the page's pair
    assert labels.count("Tải Excel") >= tables and labels.count("Tải CSV") >= tables, page
    for c in at.get("plotly_chart"):
        import json
        title = json.loads(c.proto.spec)["layout"].get("title", {})
        inside = (title.get("subtitle") or {}).get("text", "") + title.get("text", "")
        assert "Nguồn" in inside, f"{page}: a chart without its source inside the image"
