"""AppTest: the first page runs and shows what is loaded, in Vietnamese and in English."""
from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT
from tests.helpers import run_page


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
    assert int(metrics["Đơn vị của tỉnh"]) >= 60
    idx = at.dataframe[0].value
    assert list(idx["index"]) == ["PAR INDEX", "SIPAS", "PAPI", "PCI"]
    papi = idx.iloc[2]
    assert (papi.first_year, papi.last_year, papi.n_illustrative) == (2011, 2024, "0")
    assert papi.n_published == "27.198"                      # Vietnamese thousands separator
    assert idx.iloc[0].n_illustrative != "0"
    assert any("minh họa" in w.value for w in at.warning)
    labels = [b.proto.label for b in at.get("download_button")]
    assert any("PAR INDEX / SIPAS" in x for x in labels) and sum("Mẫu điểm đơn vị" in x for x in labels) == 3
    levels = list(at.dataframe[1].value.level)
    assert levels == ["Sở, ban, ngành", "UBND cấp huyện", "UBND cấp xã"]


def test_home_in_english():
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["lang"] = "en"
    at.run()
    assert not at.exception
    assert at.title[0].value == "Loaded data"
    assert {m.label for m in at.metric} >= {"Home province", "Indices", "Provinces"}
    assert list(at.dataframe[1].value.level) == ["Departments", "Districts", "Communes"]
    assert at.dataframe[0].value.iloc[2].n_published == "27,198"


PAGES = ["home", "export", "briefing", "overview", "national_ranking", "province_profile", "trends", "cross_index",
         "what_if", "methodology", "unit_ranking", "criterion_gaps", "self_vs_appraisal", "unit_profile", "targets",
         "unit_alerts", "admin"]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_as_served(page, monkeypatch):
    """The tests check every chart property (PAR_VALIDATE_CHARTS=1); the app skips that for speed, and plotly
    behaves differently without it (a title set to None broke a later update). Run each page as served."""
    from ui import charts
    monkeypatch.setattr(charts, "VALIDATE", False)
    run_page(page, level="department", depth="criterion")
