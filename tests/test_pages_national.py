"""AppTest: the leadership pages for Đồng Tháp and Quảng Ninh in 2018, 2023 and 2025, in Vietnamese and
English, and what they show checked against the database and scipy directly."""
from __future__ import annotations

import html
import json

import pytest
import streamlit as st
from scipy import stats

from tests.helpers import run_page
from tests.test_pages_units import arr, labelled_illustrative

PAGES = {"overview": ("Tổng quan", "Overview"), "national_ranking": ("Xếp hạng toàn quốc", "National ranking"),
         "province_profile": ("Hồ sơ tỉnh, so sánh", "Province profile and comparison"),
         "trends": ("Xu hướng", "Trends"), "cross_index": ("Đối chiếu các chỉ số", "Cross-index"),
         "what_if": ("Mô phỏng thứ hạng", "What it takes"),
         "methodology": ("Phương pháp và nguồn", "Methodology and sources")}
DONG_THAP, QUANG_NINH = "p63:87", "p63:22"


@pytest.fixture(scope="module", autouse=True)
def fresh_caches(built_db):
    st.cache_data.clear()
    st.cache_resource.clear()
    yield


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def texts(at) -> str:
    parts = [x.value for x in at.markdown] + [x.value for x in at.caption] + [x.value for x in at.info] + \
        [x.value for x in at.warning] + [x.value for x in at.success] + [x.value for x in at.error]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("lang", ["vi", "en"])
@pytest.mark.parametrize("year", [2018, 2023, 2025])
@pytest.mark.parametrize("province", [DONG_THAP, QUANG_NINH])
@pytest.mark.parametrize("page", list(PAGES))
def test_every_page_for_both_provinces_years_and_languages(page, province, year, lang):
    at = run_page(page, lang=lang, province=province, year=year)
    assert at.title[0].value == PAGES[page][0 if lang == "vi" else 1]
    shown = len(at.get("plotly_chart")) + len(at.dataframe) + len(at.metric)
    said_no = ("Chưa có số liệu" in texts(at)) or ("No " in texts(at) and "figures" in texts(at))
    assert shown > 0 or said_no
    names = {DONG_THAP: "Đồng Tháp", QUANG_NINH: "Quảng Ninh"}
    if page not in ("methodology", "cross_index") and lang == "vi":
        assert at.selectbox(key="w_province").format_func(at.selectbox(key="w_province").value) == names[province]


# ------------------------------------------------------------------ overview

def test_overview_dong_thap_2015_is_8_of_63():
    at = run_page("overview", province=DONG_THAP, year=2015)
    assert "### 8/63" in [m.value for m in at.markdown]                    # the published seed fact
    assert any("Xếp thứ 8/63" in c.value for c in at.caption)


def test_overview_quang_ninh_2018_in_english():
    at = run_page("overview", lang="en", province=QUANG_NINH, year=2018)
    assert "### 1/63" in [m.value for m in at.markdown]                    # PAR INDEX 2018: Quảng Ninh first
    # PAPI 2018 has no total for it: the card shows its latest earlier figure and says which year
    assert "(none for 2018)." in texts(at) and "Latest year with a figure: 2017" in texts(at)


def test_overview_2025_compares_with_the_merged_provinces():
    at = run_page("overview", province=DONG_THAP, year=2025)
    assert "trong 34 tỉnh mới" in texts(at)


# ------------------------------------------------------------------ national ranking

def test_ranking_par_2023_table_map_and_groups(con):
    at = run_page("national_ranking", index="PAR INDEX", year=2023, province=DONG_THAP)
    table = at.dataframe[0].value
    assert len(table) == 63 and list(table["rank"])[:3] == [1, 2, 3]
    expect = con.execute("""select province_name, score from province_scores where index_name = 'PAR INDEX'
                            and year = 2023 and measure_code = 'total' order by score desc limit 1""").fetchone()
    assert table.name.iloc[0] == expect[0] and table.score.iloc[0] == pytest.approx(expect[1])
    figs = charts(at)
    mp = figs[0]
    assert mp["data"][0]["type"] == "choropleth" and len(arr(mp["data"][0]["locations"])) == 63
    assert mp["data"][0]["geojson"].endswith("p63.geojson")
    legend = {html.unescape(d.get("name") or "") for d in mp["data"]}      # plotly text as entities (ui.safe)
    assert {"Nhóm A (≥ 90)", "Nhóm B (80–< 90)", "Tỉnh đang chọn"} <= legend
    assert labelled_illustrative(mp, "Số liệu minh họa")
    assert_archipelagos(mp, "Quần đảo Hoàng Sa (Đà Nẵng)", "Quần đảo Trường Sa (Khánh Hòa)")


def assert_archipelagos(mp: dict, hoang_sa: str, truong_sa: str) -> None:
    """Both archipelagos drawn (their islands as points east of the mainland) and named, inside the map's view."""
    geo = mp["layout"]["geo"]
    lo, hi = geo["lonaxis"]["range"]
    lat_lo, lat_hi = geo["lataxis"]["range"]
    for name, lat_min, lat_max in ((hoang_sa, 15.5, 17.5), (truong_sa, 7.5, 11.6)):
        pts = [d for d in mp["data"] if d["type"] == "scattergeo" and d.get("mode") == "markers"
               and name in (d.get("text") or [])]
        assert pts, name
        lon, lat = arr(pts[0]["lon"]), arr(pts[0]["lat"])
        assert all(111 <= x <= 116 and lo <= x <= hi for x in lon), name
        assert all(lat_min <= y <= lat_max and lat_lo <= y <= lat_hi for y in lat), name
        assert any(d.get("mode") == "text" and list(d.get("text")) == [name] for d in mp["data"]), name


def test_ranking_2025_uses_34_boundaries_and_papi_uses_quartiles():
    at = run_page("national_ranking", index="PAR INDEX", year=2025, province="p63:87")
    mp = charts(at)[0]
    assert len(arr(mp["data"][0]["locations"])) == 34 and mp["data"][0]["geojson"].endswith("p34.geojson")
    assert_archipelagos(mp, "Quần đảo Hoàng Sa (Đà Nẵng)", "Quần đảo Trường Sa (Khánh Hòa)")
    table = at.dataframe[0].value
    assert table[table.name == "Đồng Tháp"].shape[0] == 1                 # p63:87 became p34 82 (Đồng Tháp)
    at = run_page("national_ranking", lang="en", index="PAPI", year=2023, province=QUANG_NINH)
    names = {d.get("name") for d in charts(at)[0]["data"]}
    assert {"Best 25%", "High average", "Low average", "Poorest 25%"} <= names
    assert_archipelagos(charts(at)[0], "Hoang Sa archipelago (Da Nang)", "Truong Sa archipelago (Khanh Hoa)")
    # PAPI is all published, yet a chart of the demo says it comes from the demo (tests/test_real_and_demo.py: the
    # same chart on the real database carries no mark)
    assert labelled_illustrative(charts(at)[0], "Demo · illustrative data")
    assert any("95%" in (c["layout"].get("title") or {}).get("text", "") for c in charts(at))   # CI chart


# ------------------------------------------------------------------ profile

def test_profile_peer_mean_excludes_the_province(con):
    at = run_page("province_profile", index="PAR INDEX", year=2018, province=DONG_THAP, peers="merger")
    table = at.dataframe[0].value
    # Đồng Tháp (87) and Tiền Giang (82) became the new Đồng Tháp: the peer mean is Tiền Giang alone
    tg = con.execute("""select measure_code, score from province_scores where index_name = 'PAR INDEX'
                        and year = 2018 and province_code = '82' and measure_depth = 'domain'
                        order by measure_code""").df()
    assert list(table.peer_mean) == pytest.approx(list(tg.score))
    fig = charts(at)[0]
    assert {"Đồng Tháp", "Tiền Giang", "Bình quân không trọng số các tỉnh hợp thành"} <= {d.get("name") for d in fig["data"]}


def test_profile_papi_difference_test(con):
    at = run_page("province_profile", index="PAPI", year=2019, province="p63:01", peers="region")
    sig = at.dataframe[1].value
    assert set(sig.reading) <= {"có ý nghĩa thống kê", "trong phạm vi sai số", "không có sai số công bố"}
    assert (sig.reading == "có ý nghĩa thống kê").any() and (sig.reading == "trong phạm vi sai số").any()


# ------------------------------------------------------------------ trends

def test_trends_total_slope_matches_scipy(con):
    at = run_page("trends", index="PAR INDEX", year=2023, province=QUANG_NINH)
    d = con.execute("""select year, score / max_score * 100 as share from province_scores where index_name = 'PAR INDEX'
                       and province_code = '22' and measure_code = 'total' and year <= 2023 order by year""").df()
    r = stats.linregress(d.year, d.share)
    row = at.dataframe[0].value.iloc[0]
    assert row.long == pytest.approx(r.slope) and row.p == pytest.approx(r.pvalue)
    lines = charts(at)[0]
    breaks = json.dumps(lines["layout"].get("annotations", []), ensure_ascii=False)
    assert "QĐ 2948" in breaks and "QĐ 876" in breaks


# ------------------------------------------------------------------ cross-index

def test_cross_index_spearman_matches_scipy(con):
    at = run_page("cross_index", year=2016, x="PAPI", y="PCI", province=DONG_THAP)
    d = con.execute("""select a.score as x, b.score as y from province_scores a join province_scores b
                       on b.province_code = a.province_code and b.year = a.year and b.index_name = 'PCI'
                       and b.measure_code = 'total' where a.index_name = 'PAPI' and a.year = 2016
                       and a.measure_code = 'total' and a.score is not null and b.score is not null""").df()
    r = stats.spearmanr(d.x, d.y)
    rho = f"{r.statistic:.2f}".replace(".", ",")
    assert any(f"Spearman ρ = {rho}" in m.value and f"n = {len(d)}" in m.value for m in at.markdown)
    assert not at.warning                                                  # both published: no warning
    at = run_page("cross_index", year=2023, x="PAR INDEX", y="PAPI", province=DONG_THAP)
    assert at.warning and "minh họa" in at.warning[0].value


# ------------------------------------------------------------------ what-if

def test_what_if_raises_domains_to_the_national_best(con):
    at = run_page("what_if", year=2023, province=DONG_THAP, lv3="best", lv8="best")
    d = con.execute("""select province_code, measure_code, score from province_scores where index_name = 'PAR INDEX'
                       and year = 2023 and measure_depth = 'domain'""").df()
    wide = d.pivot(index="province_code", columns="measure_code", values="score").dropna()
    mine = wide.loc["87"].copy()
    for c in ("3", "8"):
        mine[c] = max(mine[c], wide[c].max())
    total = mine.sum()
    others = wide.drop("87").sum(axis=1)
    rank = 1 + int((others > total + 1e-9).sum())
    m = {x.label: x.value for x in at.metric}
    assert m["Tổng điểm mới"] == f"{total:.2f}".replace(".", ",")
    assert m["Thứ hạng mới"] == f"{rank}/63"


def test_what_it_takes_to_reach_a_rank(con):
    """'What does it take to reach rank 3': the points needed (to equal the province now 3rd, others fixed) and the
    domains furthest below the national best, the last raised only in part."""
    d = con.execute("""select province_code, measure_code, score from province_scores where index_name = 'PAR INDEX'
                       and year = 2023 and measure_depth = 'domain'""").df()
    wide = d.pivot(index="province_code", columns="measure_code", values="score").dropna()
    mine, others = wide.loc["87"], wide.drop("87").sum(axis=1).sort_values(ascending=False)
    need = others.iloc[2] - mine.sum()
    assert need > 0
    at = run_page("what_if", year=2023, province=DONG_THAP, target=3)
    m = {x.label: x.value for x in at.metric}
    assert m["Điểm cần thêm để đạt hạng 3"] == f"{need:.2f}".replace(".", ",")
    plan = at.dataframe[-1].value
    gaps = (wide.max() - mine).sort_values(ascending=False)
    assert list(plan.label.str.split(".").str[0]) == list(gaps.index[:len(plan)])    # furthest behind first
    assert plan.raise_by.sum() == pytest.approx(need)                                # exactly what is needed
    assert list(plan.raise_by.iloc[:-1]) == pytest.approx(list(gaps.iloc[:len(plan) - 1]))   # up to the best
    assert 0 < plan.raise_by.iloc[-1] <= gaps.iloc[len(plan) - 1] + 1e-9             # the last one in part
    assert "Cách ít tốn nhất" in " ".join(x.value for x in at.success)


# ------------------------------------------------------------------ methodology

def test_methodology_lists_sources_breaks_and_merger():
    at = run_page("methodology")
    tables = [d.value for d in at.dataframe]
    cov = tables[0]                                                        # figures per index and year
    assert {"PAR INDEX", "SIPAS", "PAPI", "PCI"} <= set(cov.index_name) and "n_missing" in cov
    assert {"PAR INDEX", "PAPI"} <= set(tables[1]["index"])
    assert len(tables[3]) == 63                                            # the 63 -> 34 crosswalk
    assert {"PAPI-A", "ILLUSTRATIVE"} <= set(tables[4].source_key)
    assert "minh họa" in texts(at).lower() or any("minh họa" in m.value.lower() for m in at.markdown)
