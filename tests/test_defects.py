"""What officials hit (issue 19): each test failed before its fix."""
from __future__ import annotations

from etl.text import vi_sort_key
from tests.helpers import run_page


def test_province_pickers_list_provinces_in_vietnamese_order():
    at = run_page("overview", province="87", year=2024)                  # the 63 provinces
    options = list(at.selectbox(key="w_province").options)          # as shown (AppTest gives the labels)
    assert options == sorted(options, key=vi_sort_key)
    i = options.index
    assert i("Cần Thơ") < i("Đà Nẵng") < i("Đắk Lắk") < i("Điện Biên") < i("Đồng Nai") < i("Đồng Tháp") < i("Gia Lai")
    assert options[-1] == "Yên Bái"


def test_an_empty_number_cell_shows_a_dash_not_none(on_real):
    """Đồng Tháp's real PAR INDEX has gaps: the trend table's empty cells read '–' (Streamlit drew 'None')."""
    at = run_page("trends", index="PAR INDEX", year=2020, province="87")
    for df in at.dataframe:
        v = df.value
        assert not v.isna().any().any(), list(v.columns)
        assert "None" not in v.astype(str).to_string()


def test_the_load_history_speaks_vietnamese(real_copy):
    from ui import admin as A
    h = A.history(real_copy)
    assert set(h.kind) <= {"Dựng lại từ dữ liệu gốc"} and set(h.result) <= {"Đã dựng"}
    assert "None" not in h.astype(str).to_string()
