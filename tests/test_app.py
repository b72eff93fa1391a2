"""AppTest: the first page runs and shows what is loaded, in Vietnamese and in English."""
from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.helpers import run_page
from ui import registry


@pytest.fixture(autouse=True)
def clear_caches(built_db):
    st.cache_data.clear()
    st.cache_resource.clear()


def test_home_shows_loaded_counts_in_vietnamese():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tỉnh nhà"] == "Đồng Tháp"
    assert metrics["Chỉ số"] == "4"
    assert metrics["Tỉnh, thành phố"] == "63 → 34"
    assert metrics["Đơn vị của tỉnh"] == "80"          # Đồng Tháp's and Tiền Giang's (merged in 2025), not others'
    help_ = {m.label: m.help for m in at.metric}["Đơn vị của tỉnh"]
    assert "28 đơn vị của các tỉnh khác" in help_
    idx = at.dataframe[0].value
    assert list(idx["index"]) == ["PAR INDEX", "SIPAS", "PAPI", "PCI"]
    papi = idx.iloc[2]
    assert (papi.first_year, papi.last_year, papi.n_illustrative) == (2011, 2024, "0")
    assert papi.n_published == "27.198"                      # Vietnamese thousands separator
    assert idx.iloc[0].n_illustrative != "0"
    assert any("minh họa" in w.value for w in at.warning)
    labels = [b.proto.label for b in at.get("download_button")]
    assert any("PAR INDEX / SIPAS" in x for x in labels) and sum("Mẫu điểm đơn vị" in x for x in labels) == 1
    assert at.selectbox(key="tpl_level") and at.selectbox(key="tpl_year")      # any level and year
    units = at.dataframe[1].value
    assert list(units.level[:3]) == ["Sở, ban, ngành", "UBND cấp huyện", "UBND cấp xã"]
    assert list(units.province[:3]) == ["Đồng Tháp"] * 3 and "None" not in units.to_string()
    # other provinces' published tables come after the home province's, said as theirs, with the years they cover
    others = units[units.province.isin(["Hòa Bình", "Bình Dương"])]
    assert units.index[units.province == "Hòa Bình"][0] > units.index[units.province == "Tiền Giang"][0]
    assert sorted(zip(others.province, others.n_units_scored, others.first_year, others.last_year)) == [
        ("Bình Dương", 9, "2017", "2017"), ("Hòa Bình", 19, "2022", "2024")]


def test_home_in_english():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Loaded data"
    assert {m.label for m in at.metric} >= {"Home province", "Indices", "Provinces"}
    assert list(at.dataframe[1].value.level[:3]) == ["Departments", "Districts", "Communes"]
    assert at.dataframe[1].value.province.iloc[0] == "Dong Thap"
    assert at.dataframe[0].value.iloc[2].n_published == "27,198"


PAGES = registry.files()              # every page of the app (ui/registry.py)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_as_served(page, monkeypatch):
    """The tests check every chart property (PAR_VALIDATE_CHARTS=1); the app skips that for speed, and plotly
    behaves differently without it (a title set to None broke a later update). Run each page as served."""
    from ui import charts
    monkeypatch.setattr(charts, "VALIDATE", False)
    run_page(page, level="department", depth="criterion")
