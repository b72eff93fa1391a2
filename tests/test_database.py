"""Invariants of the bundled database, and every published figure equal to its source."""
from __future__ import annotations

import pandas as pd
import pytest

from etl import db as dbmod
from etl.press import facts as press_facts
from etl.papi import _code
from etl.reference import PUBLISHED


def test_invariants_hold(con):
    assert dbmod.invariants(con) == []


@pytest.mark.parametrize("table,key", [
    ("province_score", "index_name, year, province_code, measure_code"),
    ("unit_score", "year, unit_id, item_code"),
    ("measure", "index_name, year, measure_code"),
    ("province", "province_code, scheme"),
])
def test_keys_unique(con, table, key):
    assert con.execute(f"select count(*) from (select {key}, count(*) n from {table} group by all having n > 1)"
                       ).fetchone()[0] == 0


def test_provinces_63_and_34_with_crosswalk(con):
    n = dict(con.execute("select scheme, count(*) from province where coalesce(valid_to_year, 9999) >= 2024 "
                         "group by scheme").fetchall())
    assert n == {"p63": 63, "p34": 34}
    assert con.execute("select count(distinct old_code), count(distinct new_code) from province_crosswalk"
                       ).fetchone() == (63, 34)
    assert con.execute("select new_code from province_crosswalk where old_code = '87'").fetchone()[0] == "82"


def test_papi_equals_published_csv(con):
    d = pd.read_csv(PUBLISHED / "papi_scores_long.csv", dtype=str)
    d["measure_code"] = [_code(r.level, r.dimension_no, r.subdimension_no) for r in d.itertuples()]
    d["year"] = d.year.astype(int)
    d["value"] = pd.to_numeric(d.value)
    db = con.execute("select year, province_code, measure_code, score, provenance from province_score "
                     "where index_name = 'PAPI'").df()
    m = d.merge(db, on=["year", "province_code", "measure_code"], how="left", indicator=True)
    assert (m._merge == "both").all()
    assert ((m.value - m.score).abs().fillna(0) < 1e-6).all()
    assert (m.value.isna() == m.score.isna()).all()
    assert (m.value_status.map({"published": "published", "derived_sum": "derived"}) == m.provenance).all()


def test_papi_keeps_confidence_intervals(con):
    n, ok = con.execute("""select count(*), count(*) filter (where ci_low <= score and score <= ci_high)
                           from province_score where index_name = 'PAPI' and ci_low is not null""").fetchone()
    assert n > 200 and n == ok
    assert con.execute("select count(*) from province_score where index_name = 'PAPI' and std_error > 0"
                       ).fetchone()[0] > 200


def test_pci_equals_published_csv(con):
    d = pd.read_csv(PUBLISHED / "pci_scores_2005_2016.csv", dtype={"province_code": str})
    db = con.execute("select year, province_code, score from province_score where index_name = 'PCI' "
                     "and measure_code = 'total' and year <= 2016").df()
    m = d.merge(db, on=["year", "province_code"])
    assert len(m) == len(d) == 738
    assert ((m.pci_score - m.score).abs() < 1e-9).all()


def test_every_press_figure_kept_exactly(con):
    f = press_facts()
    f = f[f.province_code.notna() & (f.index_name != "PCI")]
    db = con.execute("select index_name, year, province_code, score, rank, provenance, rank_provenance "
                     "from province_score where measure_code = 'total'").df()
    m = f.merge(db, on=["index_name", "year", "province_code"], how="left")
    with_value = m[m.value.notna()]
    assert ((with_value.value - with_value.score).abs() < 1e-9).all()
    assert (with_value.provenance == with_value.value_provenance).all()
    with_rank = m[m["rank_x"].notna()]
    assert (with_rank["rank_x"] == with_rank["rank_y"]).all()
    assert (with_rank.rank_provenance_x == with_rank.rank_provenance_y).all()
    # the seed's figure: Đồng Tháp 8/63 in PAR INDEX 2015
    assert con.execute("select rank from province_score where index_name = 'PAR INDEX' and year = 2015 "
                       "and province_code = '87' and measure_code = 'total'").fetchone()[0] == 8


def test_published_national_averages_kept(con):
    for idx, year, mean in [("PAR INDEX", 2016, 74.64), ("PAR INDEX", 2024, 88.37), ("SIPAS", 2023, 82.66)]:
        got = con.execute("select avg(score) from province_score where index_name = $i and year = $y "
                          "and measure_code = 'total'", {"i": idx, "y": year}).fetchone()[0]
        assert round(got, 2) == mean


def test_illustrative_rows_are_marked(con):
    # every PAR INDEX / SIPAS value that is not in the press facts is illustrative
    n_pub = con.execute("select count(*) from province_score where index_name in ('PAR INDEX','SIPAS') "
                        "and provenance = 'published'").fetchone()[0]
    n_pub += con.execute("select count(*) from province_score where index_name in ('PAR INDEX','SIPAS') "
                         "and provenance = 'derived'").fetchone()[0]
    f = press_facts()
    assert n_pub == len(f[(f.index_name != "PCI") & f.province_code.notna() & f.value.notna()])
    assert con.execute("select count(*) from unit_score where provenance <> 'illustrative'").fetchone()[0] == 0
    # an illustrative score cites a press source only where its rank is the published figure
    assert con.execute("select count(*) from province_score where provenance = 'illustrative' "
                       "and source_key <> 'ILLUSTRATIVE' and rank_provenance not in ('published', 'derived')").fetchone()[0] == 0


def test_par_ranks_complete_each_year(con):
    rows = con.execute("""select year, count(*), min(rank), max(rank), count(distinct rank)
                          from province_score where index_name = 'PAR INDEX' and measure_code = 'total'
                          group by year""").fetchall()
    for year, n, mn, mx, d in rows:
        assert (n, mn, mx, d) == ((34 if year >= 2025 else 63), 1, n, n), year


def test_unit_scores_view_sums_and_bounds(con):
    bad = con.execute("""
        with c as (select year, unit_id, item_code, appraised_score from unit_scores where item_depth = 'criterion'),
             s as (select year, unit_id, parent_code, sum(appraised_score) as s from unit_scores
                   where item_depth = 'sub_criterion' group by all)
        select count(*) from c join s on s.year = c.year and s.unit_id = c.unit_id and s.parent_code = c.item_code
        where abs(coalesce(c.appraised_score, 0) - coalesce(s.s, 0)) > 1e-9""").fetchone()[0]
    assert bad == 0
    assert con.execute("select count(*) from unit_scores where appraised_score > max_points + 1e-9 "
                       "or self_score < appraised_score - 1e-9").fetchone()[0] == 0
    counts = con.execute("""select framework_id, count(*) filter (where depth = 'domain'),
                                   count(*) filter (where depth = 'criterion'),
                                   count(*) filter (where depth = 'sub_criterion'), sum(max_points) filter
                                   (where depth = 'domain') from framework_item group by 1""").fetchall()
    for fid, d, c, s, total in counts:
        assert d == 8 and total == 100, fid
        if fid.startswith("DEPT"):
            assert 28 <= c <= 32 and 65 <= s <= 85


def test_restructuring_2025(con):
    assert con.execute("select count(*) from unit_year y join unit u using (unit_id) "
                       "where u.level = 'district' and y.year >= 2025").fetchone()[0] == 0
    merged = con.execute("select count(*) from unit where successor_id = 'SO-TC-25'").fetchone()[0]
    assert merged == 2    # Kế hoạch và Đầu tư + Tài chính -> Tài chính


def test_views_have_documented_columns(con):
    cols = [r[0] for r in con.execute("describe province_scores").fetchall()]
    for c in ["index_name", "year", "province_code", "province_name", "measure_code", "measure_name", "score",
              "max_score", "rank", "provenance", "source"]:
        assert c in cols
    cols = [r[0] for r in con.execute("describe unit_scores").fetchall()]
    for c in ["year", "unit_id", "unit_name", "unit_level", "item_code", "item_depth", "item_name", "max_points",
              "self_score", "appraised_score", "points_lost", "provenance"]:
        assert c in cols
    assert con.execute("select count(*) from load_log").fetchone()[0] >= 1
