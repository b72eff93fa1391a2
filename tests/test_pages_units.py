"""AppTest: the Home Affairs pages, for two or three levels and two years including 2025, in Vietnamese and
English; what they show is checked against sums computed directly in SQL."""
from __future__ import annotations

import base64
import json

import numpy as np

import pytest
import streamlit as st

import ui.data
from tests.helpers import run_page


@pytest.fixture(autouse=True)
def clear_caches(built_db):
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def charts(at) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def arr(v) -> list:
    """A plotly array as a list (plotly 7 sends numeric arrays base64-encoded: {'dtype', 'bdata', 'shape'})."""
    if isinstance(v, dict) and "bdata" in v:
        a = np.frombuffer(base64.b64decode(v["bdata"]), dtype=np.dtype(v["dtype"]))
        if "shape" in v:
            a = a.reshape([int(x) for x in str(v["shape"]).split(",")])
        return a.tolist()
    return list(v)


def labelled_illustrative(fig: dict, word: str) -> bool:
    # "⚠ Số liệu minh họa" on illustrative rows, "⚠ Bản trình diễn · số liệu minh họa" on every chart of the demo
    return any(word.lower() in (a.get("text") or "").lower() for a in fig["layout"].get("annotations", []))


def vi(x: float, d: int = 2) -> str:
    s = f"{x:,.{d}f}"
    return s.replace(",", " ").replace(".", ",").replace(" ", ".")


def sql(con, query: str, **params):
    return con.execute(query, params).df()


# ------------------------------------------------------------------ ranking

def test_ranking_departments_2025_matches_sql(con):
    at = run_page("unit_ranking", level="department", year=2025)
    assert at.title[0].value == "Xếp hạng đơn vị"
    expect = sql(con, """select unit_id, sum(final_score) as s from unit_scores
                         where unit_level = 'department' and year = 2025 and item_depth = 'domain'
                         group by unit_id order by s desc""")
    m = metrics(at)
    assert m["Số đơn vị"] == "13"
    assert m["Điểm trung bình"] == vi(expect.s.mean())
    table = at.dataframe[0].value
    assert list(table["rank"]) == list(range(1, 14))
    assert list(table.score_pct.round(6)) == list(expect.s.round(6))
    assert set(table.places) == {"so với bình quân đơn vị tiền thân"}        # every 2025 unit is a successor
    assert set(table.band_name) <= {"Nhóm A (≥ 90%)", "Nhóm B (80 – < 90%)", "Nhóm C (70 – < 80%)", "Dưới 70%"}
    fig = charts(at)[0]
    assert labelled_illustrative(fig, "Số liệu minh họa")
    assert len(arr(fig["data"][0]["x"])) == 13
    assert {b.proto.label for b in at.get("download_button")} >= {"Tải Excel", "Tải CSV"}


def test_ranking_communes_2020_in_english():
    at = run_page("unit_ranking", lang="en", level="commune", year=2020)
    assert at.title[0].value == "Unit ranking"
    assert metrics(at)["Units"] == "24"
    table = at.dataframe[0].value
    assert table.places.str.contains("places|unchanged").all()
    assert all(len(h) == 6 for h in table.history)                       # ranks 2015..2020
    assert labelled_illustrative(charts(at)[0], "Illustrative data")


def test_ranking_districts_2025_says_there_are_none():
    at = run_page("unit_ranking", level="district", year=2025)
    assert any("Năm 2025 không có điểm của UBND cấp huyện" in i.value for i in at.info)
    assert any("không còn cấp huyện" in c.value for c in at.caption)
    assert metrics(at)["Số đơn vị"] == "12"                                # shows 2024 instead


def test_selecting_a_row_opens_the_unit_profile():
    at = run_page("unit_ranking", level="department", year=2024)
    first = at.dataframe[0].value.iloc[0]["name"]
    at.session_state["ur_table"] = {"selection": {"rows": [0], "columns": [], "cells": []}}
    at.run()
    assert not at.exception
    assert at.title[0].value == "Hồ sơ đơn vị"
    assert at.selectbox(key="w_unit").value is not None
    assert first in at.selectbox(key="w_unit").format_func(at.selectbox(key="w_unit").value) or \
        first in str(at.selectbox(key="w_unit").options)


# ------------------------------------------------------------------ criterion gaps

def test_gaps_departments_2024_domains(con):
    at = run_page("criterion_gaps", level="department", year=2024, depth="domain")
    lost = sql(con, """select item_code, sum(points_lost) as lost from unit_scores
                       where unit_level = 'department' and year = 2024 and item_depth = 'domain'
                       group by item_code order by lost desc""")
    heat, pareto = charts(at)[:2]
    assert len(arr(heat["data"][0]["y"])) == 19 and len(arr(heat["data"][0]["x"])) == 8
    assert labelled_illustrative(heat, "Số liệu minh họa") and labelled_illustrative(pareto, "Số liệu minh họa")
    assert list(arr(pareto["data"][0]["x"])) == list(lost.item_code)
    table = at.dataframe[0].value
    assert table.points_lost.sum() == pytest.approx(lost.lost.sum())
    assert table.cum_share.iloc[-1] == pytest.approx(100.0)
    top = lost.item_code.iloc[0]
    n = sql(con, """select count(*) as n from unit_scores where unit_level = 'department' and year = 2024
                    and item_code = $c and points_lost > 1e-9""", c=top).n.iloc[0]
    assert any(f"{n}/19 đơn vị bị mất điểm ở {top}" in md.value for md in at.markdown)
    assert len(at.dataframe[1].value) == n


def test_gaps_communes_2025_sub_criteria_within_a_domain_in_english(con):
    at = run_page("criterion_gaps", lang="en", level="commune", year=2025, depth="sub_criterion", domain="3")
    heat = charts(at)[0]
    codes = arr(heat["data"][0]["x"])
    assert codes and all(c.startswith("3.") for c in codes)
    assert len(arr(heat["data"][0]["y"])) == 12                                # merged communes of 2025
    assert at.subheader[0].value.startswith("Points lost across the province by sub-criteria")


# ------------------------------------------------------------------ self-assessment vs appraisal

def test_cuts_departments_2024_match_sql(con):
    at = run_page("self_vs_appraisal", level="department", year=2024)
    cut = sql(con, """select sum(self_score - appraised_score) as c, count(distinct unit_id) as n
                      from unit_scores where unit_level = 'department' and year = 2024
                      and item_depth = 'sub_criterion' and self_score is not null""")
    m = metrics(at)
    assert m["Tổng điểm bị cắt"] == vi(cut.c.iloc[0])
    assert m["Bình quân mỗi đơn vị"] == vi(cut.c.iloc[0] / cut.n.iloc[0])
    by_unit = at.dataframe[0].value
    assert by_unit.cut.sum() == pytest.approx(cut.c.iloc[0])
    assert (by_unit.self_total - by_unit.appraised_total - by_unit.cut).abs().max() < 1e-9
    by_item = at.dataframe[1].value
    assert by_item.share_units_cut.is_monotonic_decreasing
    hist = charts(at)[-1]
    assert labelled_illustrative(hist, "Số liệu minh họa")
    assert "Đổi bộ tiêu chí" in json.dumps(hist["layout"]["annotations"], ensure_ascii=False)


def test_cuts_districts_2023_in_english():
    at = run_page("self_vs_appraisal", lang="en", level="district", year=2023)
    assert at.title[0].value == "Self-assessment vs appraisal"
    assert "Points cut in all" in metrics(at)
    assert any("Cut by 2.0 points or more" in c.value for c in at.caption)


# ------------------------------------------------------------------ unit profile

def test_profile_of_a_merged_department_follows_its_lineage(con):
    at = run_page("unit_profile", level="department", unit="SO-TC-25", year=2025)
    assert any("Hình thành năm 2025 từ: Sở Kế hoạch và Đầu tư, Sở Tài chính" in i.value for i in at.info)
    figs = charts(at)
    domains, history = figs[0], figs[1]
    # the peer mean excludes the unit itself
    peer = sql(con, """select avg(final_score / max_points) as m from unit_scores
                       where unit_level = 'department' and year = 2025 and item_depth = 'domain'
                         and item_code = '1' and unit_id <> 'SO-TC-25'""").m.iloc[0]
    assert arr(domains["data"][1]["x"])[0] == pytest.approx(100 * peer)
    pred = sql(con, """select year, avg(s) as m from (
                          select year, unit_id, sum(final_score) as s from unit_scores
                          where unit_id in ('SO-TC', 'SO-KHDT') and item_depth = 'domain' group by all)
                       group by year order by year""")
    pred_trace = history["data"][0]
    assert pred_trace["name"] == "Bình quân đơn vị tiền thân (không trọng số)"
    assert list(arr(pred_trace["y"])[:10]) == pytest.approx(list(pred.m))
    assert "Sắp xếp 2025" in json.dumps(history["layout"]["annotations"], ensure_ascii=False)
    assert metrics(at)["Hạng"].endswith("/13")


def test_profile_of_a_district_in_english_says_it_ended():
    at = run_page("unit_profile", lang="en", level="district", year=2024)
    assert any("ended in 2024" in c.value for c in at.caption)
    assert metrics(at)["Rank"].endswith("/12")
    crit = at.dataframe[0].value
    assert crit.agency.str.startswith("Department", na=False).any()


def test_profile_before_the_merger_links_to_the_successor():
    at = run_page("unit_profile", level="department", unit="SO-KHDT", year=2018)
    assert any("sáp nhập vào / kế thừa bởi: Sở Tài chính" in i.value for i in at.info)
    at.button(key="up_successor").click().run()
    assert at.selectbox(key="w_unit").value == "SO-TC-25"


# ------------------------------------------------------------------ targets

def test_targets_departments_2025_and_agency_filter(con):
    at = run_page("targets", level="department", year=2025, depth="criterion")
    lost = sql(con, """select sum(points_lost) as l from unit_scores where unit_level = 'department'
                       and year = 2025 and item_depth = 'criterion'""").l.iloc[0]
    assert metrics(at)["Điểm có thể lấy lại"] == vi(lost)
    table = at.dataframe[0].value
    assert table.recoverable.is_monotonic_decreasing
    assert labelled_illustrative(charts(at)[0], "Số liệu minh họa")
    at = run_page("targets", level="department", year=2025, depth="criterion", agency="Sở Tư pháp")
    table = at.dataframe[0].value
    assert set(table.agency_name) == {"Sở Tư pháp"} and len(table) >= 1


def test_targets_communes_2022_in_english():
    at = run_page("targets", lang="en", level="commune", year=2022, depth="sub_criterion")
    assert at.title[0].value == "Targets"
    table = at.dataframe[0].value
    assert table.losing.str.endswith("/24").all()


# ------------------------------------------------------------------ alerts

def test_alerts_units_and_criteria(con):
    at = run_page("unit_alerts", level="commune", year=2022, min_points=3, min_places=3)
    units = at.dataframe[0].value
    assert len(units) >= 1
    assert ((units.score_change <= -3 + 1e-9) | (units.rank_change <= -3)).all()
    assert any("đơn vị" in md.value and "2022" in md.value for md in at.markdown)


def test_alerts_first_year_and_english():
    at = run_page("unit_alerts", level="department", year=2015)
    assert any("năm đầu tiên" in i.value for i in at.info)
    at = run_page("unit_alerts", lang="en", level="department", year=2022, item_share=5)
    assert at.subheader[1].value == "Criteria that fell (mean over units)"
    if len(at.dataframe) > 1:
        assert set(at.dataframe[-1].value.compared) <= {"in points", "as % of max (framework changed the maximum)"}


# ------------------------------------------------------------------ a new year arrives

def test_pages_follow_a_newly_loaded_year(real_copy, tmp_path, monkeypatch, capsys):
    """A province loads its year into the real database: the unit pages show it, as published figures."""
    db_copy = real_copy
    from etl.__main__ import main
    from tests.helpers import long_rows, write_long
    last = long_rows(db_copy, unit="Sở Tư pháp", year=2025, share=0.95) + \
        long_rows(db_copy, unit="Sở Y tế", year=2025, share=0.75)
    assert main(["--db", str(db_copy), "load", str(write_long(tmp_path / "diem_2025.xlsx", last))]) == 0
    rows = long_rows(db_copy, unit="Sở Tư pháp", year=2026, share=0.9) + \
        long_rows(db_copy, unit="Sở Y tế", year=2026, share=0.7)
    f = write_long(tmp_path / "diem_2026.xlsx", rows)
    assert main(["--db", str(db_copy), "load", str(f)]) == 0, capsys.readouterr().out
    monkeypatch.setattr(ui.data, "DB_PATH", db_copy)
    at = run_page("unit_ranking", level="department")
    assert at.selectbox(key="w_year").value == 2026                       # the newest year is the default
    table = at.dataframe[0].value
    assert list(table["name"]) == ["Sở Tư pháp", "Sở Y tế"]
    assert not labelled_illustrative(charts(at)[0], "Số liệu minh họa")  # loaded figures are not illustrative
    assert set(table.prov) == {"Công bố"}
    for page in ("criterion_gaps", "self_vs_appraisal", "unit_profile", "targets", "unit_alerts"):
        at = run_page(page, level="department", year=2026, unit="SO-TP-25")
        assert not at.exception, page
    assert any("năm 2026" in md.value for md in at.markdown)              # alerts compared 2026 with 2025
    at = run_page("unit_profile", level="department", year=2026, unit="SO-TP-25")
    assert metrics(at)["Hạng"] == "1/2"


def test_cuts_communes_2025(con):
    at = run_page("self_vs_appraisal", level="commune", year=2025)
    n = sql(con, "select count(distinct unit_id) as n from unit_year where year = 2025 and unit_id like 'X-%'").n.iloc[0]
    assert metrics(at)["Đơn vị bị cắt điểm"].endswith(f"/{n}")
    assert len(at.dataframe[0].value) == n


def test_alerts_2025_compare_merged_units_with_their_predecessors():
    at = run_page("unit_alerts", level="department", year=2025, min_points=1, min_places=1)
    assert any("năm 2025" in md.value for md in at.markdown)
    units = at.dataframe[0].value
    assert len(units) >= 1
    assert units.reason.str.contains("so với bình quân đơn vị tiền thân").all()
    assert units.rank_change.eq("–").all()                              # no places across the restructuring


# ------------------------------------------------------------------ units of several provinces

def add_province_units(db, code: str = "01", factor: float = 0.5) -> None:
    """Copies of the home province's department units under another province, scored at `factor` of theirs."""
    from etl import db as dbmod

    def prepare(con):
        con.execute("""insert into unit select 'X' || unit_id, $c, level, 'Hà Nội ' || name_vi, 'Ha Noi ' || name_en,
                       null, valid_from_year, valid_to_year, null, 'illustrative' from unit where level = 'department'
                       and province_code in ('87', '82')""",
                    {"c": code})
        con.execute("""insert into unit_score select year, 'X' || s.unit_id, framework_id, item_code, self_score * $f,
                       appraised_score * $f, survey_score * $f, s.provenance, s.source_key, s.load_id
                       from unit_score s join unit u on u.unit_id = s.unit_id where u.level = 'department'
                         and u.province_code in ('87', '82')""", {"f": factor})
        con.execute("""insert into unit_year select year, 'X' || y.unit_id, framework_id, detail_level, total_score, rank,
                       band, y.provenance, y.source_key, y.load_id
                       from unit_year y join unit u on u.unit_id = y.unit_id where u.level = 'department'
                         and u.province_code in ('87', '82')""")
        return 0
    dbmod.commit_new_version(db, prepare, file_name="test: second province", sha=None, kind="test")


def test_units_of_several_provinces_are_ranked_within_the_chosen_province(app_db, con):
    add_province_units(app_db)
    at = run_page("unit_ranking", level="department", year=2024)
    pick = at.sidebar.selectbox(key="w_uprov")
    # the home province first, then the others: the test's Hà Nội and the published tables of Hòa Bình (now in
    # Phú Thọ) and Bình Dương (now in Hồ Chí Minh City), named by their former province
    names = [o.split(" (")[0] for o in pick.options]
    assert names[:2] == ["Đồng Tháp", "Hà Nội"] and len(names) == 4
    assert {n.split("trước 2025: ")[-1] for n in names[2:]} == {"Hòa Bình", "Bình Dương"}
    assert pick.value == "p34:82"                                  # the home province first
    home = at.dataframe[0].value
    assert len(home) == 19 and not home.name.str.startswith("Hà Nội").any()
    assert home["rank"].tolist() == list(range(1, 20))

    pick.set_value("p34:01").run()
    assert not at.exception
    other = at.dataframe[0].value
    assert len(other) == 19 and other.name.str.startswith("Hà Nội").all()
    assert other["rank"].min() == 1                                  # ranked among themselves, not after Đồng Tháp
    assert at.query_params["uprov"] == ["p34:01"] or at.query_params["uprov"] == "p34:01"
    assert "Hà Nội" in json.dumps(charts(at)[0]["layout"]["title"], ensure_ascii=False)   # the title names it
    # the other unit pages follow the choice (kept across pages like the level and year) ...
    at.switch_page("app_pages/unit_profile.py").run()
    assert not at.exception
    assert at.selectbox(key="w_unit").value.startswith("X")              # one of that province's units
    # ... and a link with the province opens that province's units
    at = run_page("unit_profile", level="department", uprov="p34:01")
    assert at.selectbox(key="w_unit").value.startswith("X")              # one of that province's units
    assert all(o.startswith("Hà Nội") for o in at.selectbox(key="w_unit").options)


def test_one_province_shows_no_province_choice(app_db):
    from etl import db as dbmod

    def only_home(con):          # the demo holds other provinces' published tables: a database without them
        for t in ("unit_score", "unit_year", "unit_alias"):
            con.execute(f"delete from {t} where unit_id in (select unit_id from unit where province_code not in "
                        "('87', '82'))")
        con.execute("delete from unit where province_code not in ('87', '82')")
        return 0
    dbmod.commit_new_version(app_db, only_home, file_name="test: one province", sha=None, kind="test")
    at = run_page("unit_ranking", level="department", year=2024)
    assert not [s for s in at.sidebar.selectbox if s.key == "w_uprov"]
