"""Queries, the analysis behind the pages, and pages, on the small database of tests/smalldb.py: every expected
number is worked out here by hand from the tables in that file (no number pinned from a generator)."""
from __future__ import annotations

import duckdb
import pandas as pd
import pytest
import streamlit as st

import queries
from analysis import provinces as ap
from analysis import units as au
from etl import db as dbmod
from tests import smalldb
from tests.helpers import run_page


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """Built once for this file (about a second): etl's writer, invariants checked on the way in."""
    return smalldb.build(tmp_path_factory.mktemp("small") / "index.duckdb")


@pytest.fixture()
def con(small):
    c = duckdb.connect(str(small), read_only=True)
    yield c
    c.close()


@pytest.fixture()
def on_small(small, monkeypatch):
    """The app's query layer (ui.data) reads the small database, its caches emptied before and after."""
    import ui.data as D
    monkeypatch.setattr(D, "DB_PATH", small)
    monkeypatch.setattr(D, "DEMO_PATH", small)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield small
    st.cache_data.clear()
    st.cache_resource.clear()


def by(df: pd.DataFrame, key: str, col: str) -> dict:
    return {k: (None if pd.isna(v) else v) for k, v in zip(df[key], df[col])}


# ------------------------------------------------------------------ the database itself

def test_the_small_database_passes_the_invariants(con):
    assert dbmod.invariants(con) == []
    assert con.execute("select count(*) from province_score").fetchone()[0] == 3 * (5 + 5 + 4)   # 3 measures
    # 3 leaves per unit-year: 5 unit-years in 2023, 5 in 2024, 2 in 2025
    assert con.execute("select count(*) from unit_score").fetchone()[0] == 3 * 12
    # parents are summed at write time: per unit-year 3 sub-criteria + 2 criteria + 2 domains
    assert con.execute("select count(*) from unit_score_item").fetchone()[0] == 7 * 12


def test_the_writer_refuses_the_small_database_with_a_broken_sum(tmp_path, monkeypatch):
    """The invariants are really checked on the way in: a domain that no longer sums to the total is refused."""
    from etl.problems import Rejected
    broken = {**smalldb.PAR, 2024: {**smalldb.PAR[2024], "01": (75, 45, 31)}}
    monkeypatch.setattr(smalldb, "PAR", broken)
    with pytest.raises(Rejected) as e:
        smalldb.build(tmp_path / "broken.duckdb")
    assert [p.text() for p in e.value.problems] == [
        "tests/smalldb.py: Kiểm tra toàn vẹn thất bại: PAR INDEX năm 2024, tỉnh mã '01': các lĩnh vực cộng lại 76, "
        "khác tổng điểm 75"]
    assert not (tmp_path / "broken.duckdb").exists()


# ------------------------------------------------------------------ the national league

def test_league_ranks_and_changes(on_small):
    from ui import provinces as P
    lg = P.league("PAR INDEX", "total")
    y23, y24, y25 = (lg[lg.year == y] for y in (2023, 2024, 2025))
    # 2023: 80 (01) > 70 (11) = 70 (20) > 60 (12) > 0 (30); a tie shares the better rank, the next rank skips
    assert by(y23, "province_code", "rank") == {"01": 1, "11": 2, "20": 2, "12": 4, "30": 5}
    assert set(y23.n) == {5} and y23.complete.all()
    # 2024: 82 (11) > 75 (01) > 64 (12) > 55 (20) > 10 (30)
    assert by(y24, "province_code", "rank") == {"11": 1, "01": 2, "12": 3, "20": 4, "30": 5}
    # change: 75 - 80 = -5, 82 - 70 = +12, 64 - 60 = +4, 55 - 70 = -15, 10 - 0 = +10 (from a zero score)
    assert by(y24, "province_code", "score_change") == {"01": -5, "11": 12, "12": 4, "20": -15, "30": 10}
    # places (+ = up): 01 1 → 2, 11 2 → 1, 12 4 → 3, 20 2 → 4, 30 5 → 5
    assert by(y24, "province_code", "rank_change") == {"01": -1, "11": 1, "12": 1, "20": -2, "30": 0}
    assert set(y24.change_basis) == {"same"}
    # 2025, four provinces: 85 (11) > 78 (01) > 60 (20) > 0 (30), out of 4
    assert by(y25, "province_code", "rank") == {"11": 1, "01": 2, "20": 3, "30": 4} and set(y25.n) == {4}


def test_the_merger_year_compares_with_the_mean_of_the_old_provinces(on_small, con):
    from ui import provinces as P
    y25 = P.league("PAR INDEX", "total").query("year == 2025")
    # 11 is formed by 11 (82 in 2024) and 12 (64): compared with their unweighted mean (82 + 64) / 2 = 73,
    # so 85 - 73 = +12; the others with themselves: 78 - 75 = +3, 60 - 55 = +5, 0 - 10 = -10
    assert by(y25, "province_code", "prev_score") == {"11": 73, "01": 75, "20": 55, "30": 10}
    assert by(y25, "province_code", "score_change") == {"11": 12, "01": 3, "20": 5, "30": -10}
    # places are not compared across the merger (63 provinces then, 34 now)
    assert y25.rank_change.isna().all() and set(y25.change_basis) == {"members"}
    # the same mean, year by year, for the trend of a merged province (analysis.provinces.members_mean)
    scores = queries.run(con, "index_all_scores").query("index_name == 'PAR INDEX' and measure_code == 'total'")
    cw = queries.run(con, "province_crosswalk_names")
    mm = ap.members_mean(scores[scores.year < 2025], cw, "11").query("basis == 'members_mean'")
    assert by(mm, "year", "score") == {2023: 65.0, 2024: 73.0}     # (70 + 60) / 2, (82 + 64) / 2


def test_a_table_missing_a_province_is_not_reranked(on_small):
    """Domain 2 of 2024 was not published for 20 (null): 4 of 5 provinces is under the 90 % that makes a table
    complete, so no rank is computed among the four held (the page says the table is incomplete instead)."""
    from ui import provinces as P
    d2 = P.league("PAR INDEX", "2").query("year == 2024")
    assert sorted(d2.province_code) == ["01", "11", "12", "30"]
    assert d2["rank"].isna().all() and not d2.complete.any() and set(d2.n) == {5}


# ------------------------------------------------------------------ units: ranking, bands, change

def test_unit_ranking_bands_and_change(on_small):
    from ui import units as U
    r = U.ranked("department")
    y23, y24, y25 = (r[r.year == y] for y in (2023, 2024, 2025))
    # totals are appraised points out of 100: 2023 DA 36+18+36 = 90, DB 30+15+25 = 70, DC 20+10+20 = 50
    assert by(y23, "unit_id", "score_pct") == {"DA": 90, "DB": 70, "DC": 50}
    # bands: A >= 90 (90 exactly is A), C 70–<80 (70 exactly is C), D below 70
    assert by(y23, "unit_id", "band") == {"DA": "A", "DB": "C", "DC": "D"}
    # 2024: DB 34+18+30 = 82, DA 32+16+32 = 80, DC 20+0+20 = 40 (a zero appraisal)
    assert by(y24, "unit_id", "rank") == {"DB": 1, "DA": 2, "DC": 3}
    assert by(y24, "unit_id", "band") == {"DB": "B", "DA": "B", "DC": "D"}
    assert by(y24, "unit_id", "score_change") == {"DB": 12, "DA": -10, "DC": -10}
    assert by(y24, "unit_id", "rank_change") == {"DB": 1, "DA": -1, "DC": 0}
    # 2025: DA 100 (+20, 2 → 1); DD, formed from DB and DC, 30+15+30 = 75 against their mean (82 + 40) / 2 = 61
    assert by(y25, "unit_id", "score_pct") == {"DA": 100, "DD": 75} and set(y25.n_units) == {2}
    assert by(y25, "unit_id", "score_change") == {"DA": 20, "DD": 14}
    assert by(y25, "unit_id", "change_basis") == {"DA": "same", "DD": "predecessors"}
    assert by(y25, "unit_id", "rank_change") == {"DA": 1, "DD": None}


def test_tied_units_share_the_rank_and_districts_end_in_2024(on_small):
    from ui import units as U
    r = U.ranked("district")
    assert sorted(r.year.unique()) == [2023, 2024]
    # 2023: HA and HB both 30+15+30 = 75: both first, both band C
    assert by(r[r.year == 2023], "unit_id", "rank") == {"HA": 1, "HB": 1}
    # 2024: HB 100 (+25, stays first), HA 0 (-75, 1 → 2)
    y24 = r[r.year == 2024]
    assert by(y24, "unit_id", "score_change") == {"HB": 25, "HA": -75}
    assert by(y24, "unit_id", "rank_change") == {"HB": 0, "HA": -1}


# ------------------------------------------------------------------ units: appraisal cuts

def test_appraisal_cuts_per_unit(con):
    cuts = queries.run(con, "unit_cuts", level="department", depth="sub_criterion", provinces=["11", "12"], year=2023)
    # DA: claimed 38+20+36 = 94, appraised 90, cut 2 (1.1.1) + 2 (1.1.2) = 4 on 2 of 3 items
    # DB: claimed 75, appraised 70, cut 5 on 2.1.1
    # DC: 1.1.1 was not self-assessed (null): only the 2 items with both scores count, 30 claimed, 30 appraised
    assert list(cuts.unit_id) == ["DB", "DA", "DC"]                      # most cut first
    assert by(cuts, "unit_id", "cut") == {"DB": 5, "DA": 4, "DC": 0}
    assert by(cuts, "unit_id", "self_total") == {"DB": 75, "DA": 94, "DC": 30}
    assert by(cuts, "unit_id", "n_items_cut") == {"DB": 1, "DA": 2, "DC": 0}
    assert by(cuts, "unit_id", "n_items") == {"DB": 3, "DA": 3, "DC": 2}
    # the query and the pandas version it replaces at scale agree
    items = queries.run(con, "unit_items", level="department", depth="sub_criterion", provinces=["11", "12"],
                        year=2023)
    py = au.cuts_by_unit(items)
    assert by(py, "unit_id", "cut") == by(cuts, "unit_id", "cut")
    assert by(py, "unit_id", "n_items") == by(cuts, "unit_id", "n_items")


def test_a_parent_is_self_assessed_only_where_every_appraised_child_was(con):
    """DC 2023: 1.1.1 was not self-assessed (null), 1.1.2 self 10 / appraised 10, 2.1.1 self 20 / appraised 20.
    Summing only the self-assessed children gave criterion 1.1 and domain 1 a self total of 10 against 30
    appraised: a cut of -20 that the council never made. They are "not fully self-assessed" (null) instead;
    domain 2 (20 / 20) is whole, and so is every parent of the other units."""
    rows = con.execute("""select item_code, self_score, appraised_score from unit_scores
                          where unit_id = 'DC' and year = 2023 order by item_code""").fetchall()
    assert rows == [("1", None, 30), ("1.1", None, 30), ("1.1.1", None, 20), ("1.1.2", 10, 10),
                    ("2", 20, 20), ("2.1", 20, 20), ("2.1.1", 20, 20)]
    assert con.execute("""select count(*) from unit_scores where item_depth <> 'sub_criterion'
                          and self_score is null""").fetchone()[0] == 2            # DC 2023's 1.1 and 1
    # the history of the self-vs-appraisal page sums domains: DC 2023 is cut 0 on domain 2 (its only whole one)
    dom = queries.run(con, "unit_cuts", level="department", depth="domain", provinces=["11", "12"], year=2023)
    assert by(dom, "unit_id", "cut") == {"DA": 4, "DB": 5, "DC": 0}
    assert by(dom, "unit_id", "self_total") == {"DA": 94, "DB": 75, "DC": 20}
    assert by(dom, "unit_id", "n_items") == {"DA": 2, "DB": 2, "DC": 1}
    # the unit's total: no self-assessed total (shown as "–"), appraised 50; DA's 94 / 90 is whole
    totals = queries.run(con, "unit_totals", level="department", provinces=["11", "12"])
    y23 = totals[totals.year == 2023]
    assert by(y23, "unit_id", "self_total") == {"DA": 94, "DB": 75, "DC": None}
    assert by(y23, "unit_id", "appraised_total") == {"DA": 90, "DB": 70, "DC": 50}


def test_self_vs_appraisal_history_has_no_spurious_cut(on_small):
    """The page's history: the mean domain cut per department and year. 2023: DA 4, DB 5, DC 0 (domain 1 not
    fully self-assessed, left out) -> 3 (it was (4 + 5 - 20) / 3 = -3.67); 2024: DA 8 + 4 + 8 = 20, DB 0, DC 20
    -> 40 / 3; 2025: DA 0, DD 5 -> 2.5."""
    at = run_page("self_vs_appraisal", level="department", year=2024)
    assert not at.exception
    from tests.test_pages_units import arr, charts
    line = charts(at)[-1]["data"][0]
    assert arr(line["x"]) == [2023, 2024, 2025]
    assert arr(line["y"]) == pytest.approx([3.0, 40 / 3, 2.5])


def test_appraisal_cuts_per_criterion(con):
    cuts = queries.run(con, "item_cuts", level="department", depth="criterion", provinces=["11", "12"], year=2024)
    # 1.1 (= 1.1.1 + 1.1.2): DA claimed 60, appraised 48 (cut 12); DB 52 / 52; DC 40 / 20 (cut 20): 32 in all,
    # 2 of 3 units cut. 2.1: DA 40 / 32 (cut 8), DB 30 / 30, DC 20 / 20: 8, 1 of 3.
    assert by(cuts, "item_code", "cut") == {"1.1": 32, "2.1": 8}
    assert by(cuts, "item_code", "n_units_cut") == {"1.1": 2, "2.1": 1}
    assert set(cuts.n_units) == {3}
    shares = au.item_cuts(cuts)
    assert by(shares, "item_code", "share_units_cut") == pytest.approx({"1.1": 2 / 3, "2.1": 1 / 3})


# ------------------------------------------------------------------ pages

def test_unit_ranking_page_on_the_small_database(on_small):
    at = run_page("unit_ranking", level="department", year=2025)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Số đơn vị"] == "2"
    assert metrics["Điểm trung bình"] == "87,50"                      # (100 + 75) / 2, Vietnamese decimal comma
    # names from files are shown as text, whole: the HTML and the Markdown link are characters, not markup
    assert list(at.dataframe[0].value.name) == ["Sở Nội vụ <img src=x onerror=alert(1)>", "Sở Tài chính [mới](http://x)"]


def test_unit_ranking_sentence_keeps_names_as_written(on_small):
    """2024: first DB "**Sở Tài chính**" (82), last DC, a formula-like name (40). Put into the sentence's Markdown
    unescaped, DB's own asterisks merged with the sentence's bold (it read "****Sở Tài chính****")."""
    from ui.safe import md as plain
    at = run_page("unit_ranking", level="department", year=2024)
    db_name, dc_name = "**Sở Tài chính**", '=HYPERLINK("http://x","Sở Kế hoạch")'
    sentence = f"Đứng đầu: **{plain(db_name)}** (82,00 điểm); cuối bảng: **{plain(dc_name)}** (40,00 điểm)."
    assert sentence in [m.value for m in at.markdown]
    assert plain(db_name) == r"\*\*Sở Tài chính\*\*"


def test_national_ranking_page_on_the_small_database(on_small):
    at = run_page("national_ranking", index="PAR INDEX", year=2024)
    league = at.dataframe[0].value
    # the 2024 league as worked out in test_league_ranks_and_changes, names as written, changes signed
    assert list(league.name) == ["Đồng Tháp", "Hà Nội", "Tiền Giang", "**Bạc Liêu** <img src=x onerror=alert(1)>",
                                 '=HYPERLINK("http://x","Cà Mau")']
    assert list(league["rank"]) == [1, 2, 3, 4, 5]
    assert list(league.score_change) == ["+12,00", "-5,00", "+4,00", "-15,00", "+10,00"]


def test_unit_profile_names_the_merged_units_as_written(on_small):
    """DD was formed in 2025 from DB "**Sở Tài chính**" and DC (a formula-like name): the notice names them as text
    (unescaped, DB's asterisks turned into bold and vanished)."""
    from ui.safe import md as plain
    at = run_page("unit_profile", level="department", unit="DD", year=2025)
    names = ", ".join(plain(n) for n in ("**Sở Tài chính**", '=HYPERLINK("http://x","Sở Kế hoạch")'))
    assert f"Hình thành năm 2025 từ: {names}." in [i.value for i in at.info]
    at = run_page("unit_profile", level="department", unit="DB", year=2024)
    assert f"Từ năm 2025 sáp nhập vào / kế thừa bởi: {plain('Sở Tài chính [mới](http://x)')}." in [i.value for i in at.info]
