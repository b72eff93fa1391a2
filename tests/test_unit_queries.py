"""The unit queries on the bundled database and on small changes to a copy: band overrides, totals that
equal the sum of their sub-criteria, exports that escape formulas."""
from __future__ import annotations

import io

import duckdb
import pandas as pd
from openpyxl import load_workbook

import queries
from ui.tables import csv_bytes, excel_bytes


def test_bands_default_and_province_override(db_copy):
    con = duckdb.connect(str(db_copy))
    try:
        default = queries.run(con, "unit_bands", level="commune", province_p63="87", province_p34="82")
        assert list(default.band_code) == ["A", "B", "C", "D"] and list(default.min_score_pct) == [90, 80, 70, 0]
        con.execute("""insert into unit_band values
            ('82', 'commune', 'XS', 95, 'Xuất sắc', 'Excellent', 1), ('82', 'commune', 'T', 85, 'Tốt', 'Good', 2),
            ('82', 'commune', 'K', 0, 'Khá trở xuống', 'Fair or below', 3)""")
        over = queries.run(con, "unit_bands", level="commune", province_p63="87", province_p34="82")
        assert list(over.band_code) == ["XS", "T", "K"]
        # other levels keep the defaults
        dept = queries.run(con, "unit_bands", level="department", province_p63="87", province_p34="82")
        assert list(dept.band_code) == ["A", "B", "C", "D"]
    finally:
        con.close()


def test_unit_totals_equal_the_sum_of_sub_criteria(con):
    totals = queries.run(con, "unit_totals", level="district")
    subs = con.execute("""select s.year, s.unit_id, sum(coalesce(s.appraised_score, 0) + coalesce(s.survey_score, 0)) as t
                          from unit_score s join unit u using (unit_id) where u.level = 'district'
                          group by all""").df()
    m = totals.merge(subs, on=["year", "unit_id"])
    assert len(m) == len(totals) == 120
    assert (m.total_score - m.t).abs().max() < 1e-9
    assert set(totals.max_total) == {100.0}


def test_unit_level_years_show_the_restructuring(con):
    ly = queries.run(con, "unit_level_years")
    years = ly.groupby("unit_level").year.max().to_dict()
    assert years == {"commune": 2025, "department": 2025, "district": 2024}
    dept = ly[ly.unit_level == "department"].set_index("year")
    assert dept.loc[2021, "framework_id"] == "DEPT-2015" and dept.loc[2022, "framework_id"] == "DEPT-2022"
    assert dept.loc[2024, "n_units"] == 19 and dept.loc[2025, "n_units"] == 13


def test_exports_escape_formulas_and_keep_numbers():
    df = pd.DataFrame({"unit": ["=HYPERLINK(\"http://x\")", "Sở Y tế", "+1", "@SUM(A1)"], "score": [1.5, 2.25, 3.0, None]})
    headers = {"unit": "Đơn vị", "score": "Điểm"}
    wb = load_workbook(io.BytesIO(excel_bytes(df, headers, [("Nguồn", "=evil()")], "Bảng")))
    ws = wb["Bảng"]
    rows = list(ws.values)
    assert rows[0] == ("Đơn vị", "Điểm")
    assert rows[1][0] == "'=HYPERLINK(\"http://x\")" and rows[3][0] == "'+1" and rows[4][0] == "'@SUM(A1)"
    assert rows[2] == ("Sở Y tế", 2.25) and isinstance(rows[1][1], float) and rows[4][1] is None
    notes = list(wb.worksheets[1].values)
    assert notes[0] == ("Nguồn", "'=evil()")
    text = csv_bytes(df, headers).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("\"'=HYPERLINK") and "Sở Y tế,2.25" in text
