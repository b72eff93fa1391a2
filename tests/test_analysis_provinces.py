"""analysis/provinces.py on hand-computed cases."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from analysis import provinces as ap

DOMAINS = pd.Series({"1": 5.0, "2": 6.0, "3": 7.0})          # total 18
OTHERS = [25.0, 20.0, 19.0, 10.0]                            # rank now: 1 + 3 = 4
BEST = {"1": 9.0, "2": 8.0, "3": 7.5}                        # gains 4, 2, 0.5


def test_new_rank_and_what_if():
    assert ap.new_rank(18, OTHERS) == 4
    assert ap.new_rank(20, OTHERS) == 2                        # a tie shares the better rank
    w = ap.what_if(DOMAINS, {"2": 10.0}, OTHERS)
    assert w["total"] == 22.0 and w["gain"] == 4.0 and w["rank"] == 2
    assert ap.what_if(DOMAINS, {"3": 1.0}, OTHERS)["total"] == 18.0   # a target below today never lowers it


def test_what_it_takes_to_reach_a_rank():
    r = ap.plan_for_rank(DOMAINS, BEST, OTHERS, 2)             # equal 20 (a tie shares rank 2): 2 points
    assert r["reachable"] and r["needed_gain"] == 2.0 and r["need_total"] == 20.0
    assert [(p["code"], p["raise_by"], p["to"]) for p in r["plan"]] == [("1", 2.0, 7.0)]   # the largest gap, in part
    assert r["total"] == 20.0 and r["rank"] == 2
    r = ap.plan_for_rank(DOMAINS, BEST, OTHERS, 3)             # 19 − 18 = 1 point
    assert r["plan"] == [dict(code="1", now=5.0, raise_by=1.0, to=6.0, reach=9.0)] and r["rank"] == 3
    r = ap.plan_for_rank(DOMAINS, BEST, OTHERS, 1)             # 7 points; every domain at the best gives 6.5
    assert not r["reachable"] and [p["code"] for p in r["plan"]] == ["1", "2", "3"]
    assert r["total"] == 24.5 and r["rank"] == 2 and r["needed_gain"] == 7.0
    r = ap.plan_for_rank(DOMAINS, BEST, OTHERS, 5)             # already there
    assert r["reachable"] and r["plan"] == [] and r["needed_gain"] == 0.0 and r["rank"] == 4


@pytest.mark.parametrize("values,trend", [
    ([1, 2, 3, 4, 5, 6, 7], "improving"),
    ([0, 2, 4, 6, 7, 7.5, 8], "slowing"),
    ([0, 2, 4, 6, 8, 7, 6], "warning"),
    ([7, 6, 5, 4, 3, 2, 1], "declining"),
])
def test_trend_classes(values, trend):
    r = ap.trend_class(range(2015, 2022), values)
    assert r["trend"] == trend


def test_trend_significance_and_short_series():
    r = ap.trend_class(range(2015, 2022), [1, 2, 3, 4, 5, 6, 7])
    assert r["long_slope"] == pytest.approx(1.0) and r["p_value"] < 1e-6 and r["significant"]
    noisy = ap.trend_class(range(2015, 2021), [5, 7, 4, 6, 5, 6])
    assert not noisy["significant"]
    assert ap.trend_class([2020, 2021], [1, 2])["trend"] is None


def test_papi_quartiles_and_par_bands():
    q = ap.papi_quartile(pd.Series([1, 2, 3, 4, 5, 6, 7, 8], dtype=float))
    assert list(q) == ["q4", "q4", "q3", "q3", "q2", "q2", "q1", "q1"]
    assert [ap.par_band(x) for x in (90, 89.99, 80, 70, 69.9)] == ["A", "B", "B", "C", "D"]


def test_difference_beyond_noise():
    assert ap.difference_test(6.0, 0.1, 5.5, 0.1)["meaningful"]            # z = 0.5 / 0.141 = 3.5
    r = ap.difference_test(6.0, 0.1, 5.9, 0.1)                             # z = 0.71
    assert not r["meaningful"] and r["p_value"] == pytest.approx(0.4795, abs=1e-3)
    assert ap.se_of({"std_error": None, "ci_low": 5.0, "ci_high": 5.392}) == pytest.approx(0.1, abs=1e-4)
    assert ap.difference_test(6.0, float("nan"), 5.0, 0.1)["meaningful"] is None


def test_change_across_the_merger():
    scores = pd.DataFrame(dict(year=[2023, 2024, 2024, 2025], province_code=["A", "A", "B", "N"],
                               score=[78.0, 80.0, 70.0, 85.0], rank=[1, 1, 2, 1]))
    cw = pd.DataFrame(dict(old_code=["A", "B"], new_code=["N", "N"]))
    ch = ap.with_change(scores, cw).set_index(["year", "province_code"])
    assert ch.loc[(2024, "A"), "score_change"] == 2.0 and ch.loc[(2024, "A"), "rank_change"] == 0
    n = ch.loc[(2025, "N")]
    assert n.prev_score == 75.0 and n.score_change == 10.0 and n.change_basis == "members" and pd.isna(n.rank_change)
    mm = ap.members_mean(scores, cw, "N")
    assert mm[(mm.basis == "members_mean") & (mm.year == 2024)].score.iloc[0] == 75.0


def test_profile_peers_exclude_the_province():
    d = pd.DataFrame(dict(province_code=["P", "Q", "R"], measure_code="1", score=[5.0, 7.0, 6.0]))
    p = ap.domain_profile(d, "P", ["P", "Q"]).iloc[0]
    assert p.best == 7.0 and p.best_province == "Q" and p["median"] == 6.0
    assert p.peer_mean == 7.0 and p.n_peers == 1


def test_spearman_and_movers():
    r = ap.spearman(pd.Series([1, 2, 3, 4, 5]), pd.Series([2, 4, 6, 8, 10]))
    assert r["rho"] == pytest.approx(1.0) and r["n"] == 5
    s = pd.DataFrame(dict(year=[2020] * 3 + [2021] * 3, province_code=list("abc") * 2, score=[1, 5, 3, 4, 4, 3]))
    up, down = ap.movers(s, 2020, 2021, n=1)
    assert up.province_code.iloc[0] == "a" and down.province_code.iloc[0] == "b"


def test_years_without_a_figure_are_left_out_not_read_as_a_fall():
    """Đồng Tháp's published PAR INDEX: 2012, then 2018–2020, rising. The unpublished years were read as the
    recent window (a 'warning sign' for a province that rose 2.3 points)."""
    nan = float("nan")
    r = ap.trend_class(range(2012, 2021), [83.44, nan, nan, nan, nan, nan, 83.71, 84.43, 86.77])
    assert r["trend"] in ("improving", "slowing") and r["recent_slope"] == pytest.approx(1.53, abs=0.01)
    assert r["long_slope"] > 0
    # the same years given without the gaps: the same answer
    assert ap.trend_class([2012, 2018, 2019, 2020], [83.44, 83.71, 84.43, 86.77]) == r
    # one figure in the recent window: no class (not a guess)
    one = ap.trend_class([2012, 2013, 2014, 2020], [80, 81, 82, 83])
    assert one["trend"] is None and math.isnan(one["recent_slope"])


# ------------------------------------------------------------------ league tables, cards, domain gaps (from ui/)

NO_CROSSWALK = pd.DataFrame(columns=["old_code", "new_code"])


def _long(rows):
    """(measure, year, province, score, published rank) -> index_all_scores rows."""
    d = pd.DataFrame(rows, columns=["measure_code", "year", "province_code", "score", "rank"])
    return d.assign(rank=d["rank"].astype("Int64"), provenance="published", source="SRC")


def test_league_ranks_a_complete_table_and_keeps_an_incomplete_one_as_published():
    # 2023: all 4 provinces in force have a figure, no rank published -> ranked here: B and D tie at 90 (both 1st),
    #       A 3rd, C 4th; n = 4.
    # 2024: 3 of 4 (75 % < 90 %): incomplete. The published ranks stay (A 2nd, B 1st); C has none and gets none;
    #       n = the 4 provinces in force, not the 3 held.
    s = _long([("total", 2023, "A", 80, None), ("total", 2023, "B", 90, None), ("total", 2023, "C", 70, None),
               ("total", 2023, "D", 90, None),
               ("total", 2024, "A", 85, 2), ("total", 2024, "B", 88, 1), ("total", 2024, "C", 60, None)])
    lg = ap.leagues(s, {2023: 4, 2024: 4}, NO_CROSSWALK)["total"].set_index(["year", "province_code"])
    assert [lg.loc[(2023, p), "rank"] for p in "ABCD"] == [3, 1, 4, 1]
    assert lg.loc[(2024, "A"), "rank"] == 2 and pd.isna(lg.loc[(2024, "C"), "rank"])
    assert list(lg.n) == [4] * 7
    assert list(lg.xs(2023).complete) == [True] * 4 and not lg.xs(2024).complete.any()
    # change since 2023: A +5 points and up 1 place (3rd -> 2nd); B −2 points, same place; C no rank, no places
    assert lg.loc[(2024, "A"), "score_change"] == 5 and lg.loc[(2024, "A"), "rank_change"] == 1
    assert lg.loc[(2024, "B"), "score_change"] == -2 and lg.loc[(2024, "B"), "rank_change"] == 0
    assert pd.isna(lg.loc[(2024, "C"), "rank_change"])
    # 3 of 3 in force is complete: 2024 is ranked then (C 3rd)
    lg3 = ap.leagues(s, {2023: 4, 2024: 3}, NO_CROSSWALK)["total"].set_index(["year", "province_code"])
    assert lg3.loc[(2024, "C"), "rank"] == 3 and lg3.loc[(2024, "C"), "n"] == 3


def test_index_card_and_rank_history_stay_in_one_list_of_provinces():
    s = _long([("total", 2023, "A", 80, 2), ("total", 2023, "B", 90, 1),
               ("total", 2024, "A", 95, 1), ("total", 2024, "B", 90, 2),
               ("total", 2025, "A", 70, 2), ("total", 2025, "B", 75, 1)])
    lg = ap.leagues(s, {2023: 2, 2024: 2, 2025: 2}, NO_CROSSWALK)["total"]
    card = ap.index_card(lg, "A", 2024)
    assert card == dict(year=2024, score=95.0, rank=1, n=2, score_change=15.0, rank_change=1, change_basis="same",
                        rank_history=[2, 1], illustrative=False, source="SRC")
    # 2025 is the 34-province list: its history starts there, the 2023–2024 ranks were among other provinces
    assert ap.index_card(lg, "A", 2025)["rank_history"] == [2]
    assert ap.rank_histories(lg, 2024) == {"A": [2, 1], "B": [1, 2]}
    assert ap.rank_histories(lg, 2025) == {"A": [2], "B": [1]}
    assert ap.index_card(lg, "Z", 2024) is None
    # a year without a figure: the card is the latest year before it (and says so: year=2024)
    assert ap.index_card(lg[lg.year != 2024], "A", 2024)["year"] == 2023


def test_domain_gaps_against_the_national_median():
    # domain 1 (max 10): 2024 A 6, B 8, C 4 -> median 6, A's gap 0 (not weak); A fell 7 -> 6: 1 point = 10 % of the
    #   max, and kept 2nd place (0 places).
    # domain 2 (max 20): 2024 A 10, B 16, C 14 -> median 14, gap −4 = −20 % of the max; A fell 15 -> 10: 5 points =
    #   25 %, from 2nd (15 of 16, 15, 14) to 3rd: 1 place.
    s = _long([("1", 2023, "A", 7, None), ("1", 2023, "B", 8, None), ("1", 2023, "C", 5, None),
               ("1", 2024, "A", 6, None), ("1", 2024, "B", 8, None), ("1", 2024, "C", 4, None),
               ("2", 2023, "A", 15, None), ("2", 2023, "B", 16, None), ("2", 2023, "C", 14, None),
               ("2", 2024, "A", 10, None), ("2", 2024, "B", 16, None), ("2", 2024, "C", 14, None)])
    lg = ap.leagues(s, {2023: 3, 2024: 3}, NO_CROSSWALK)
    m = pd.DataFrame(dict(measure_code=["total", "1", "2"], max_score=[30.0, 10.0, 20.0],
                          name_vi=["Tổng", "Một", "Hai"], name_en=["Total", "One", "Two"]))
    gaps, changes = ap.domain_gaps(m, lg, "A", 2024)
    assert list(gaps.measure_code) == ["1", "2"]
    assert list(gaps["median"]) == [6.0, 14.0] and list(gaps.gap_pct) == pytest.approx([0.0, -20.0])
    assert list(gaps.label_vi) == ["1. Một", "2. Hai"] and list(gaps.label_en) == ["1. One", "2. Two"]
    assert [(c["measure_code"], c["score_change"], c["fell_pct"], c["fell_places"]) for c in changes] == [
        ("1", -1.0, pytest.approx(10.0), 0), ("2", -5.0, pytest.approx(25.0), 1)]
    weak = ap.weakest(gaps)
    assert list(weak.measure_code) == ["2"]                          # domain 1 is at the median, not below it
    assert ap.domain_gaps(m, lg, "Z", 2024)[0].empty                 # no figure, no row


def test_domains_wide_keeps_provinces_with_every_domain():
    ys = pd.DataFrame(dict(province_code=["A", "A", "A", "B", "B"], measure_code=["total", "1", "2", "1", "total"],
                           measure_depth=["total", "domain", "domain", "domain", "total"],
                           score=[11.0, 5.0, 6.0, 4.0, 4.0]))
    w = ap.domains_wide(ys)
    assert list(w.index) == ["A"] and list(w.columns) == ["1", "2"] and list(w.loc["A"]) == [5.0, 6.0]   # B lacks 2
    assert ap.domains_wide(ys[ys.measure_depth == "total"]) is None


def test_default_year_skips_an_incomplete_latest_table_the_home_province_is_missing_from():
    # 2023 complete (3 of 3); 2024 holds 1 of 3 (incomplete) and not the home province H: open on 2023.
    s = _long([("total", 2023, "H", 80, 2), ("total", 2023, "B", 90, 1), ("total", 2023, "C", 70, 3),
               ("total", 2024, "B", 91, 1)])
    lg = ap.leagues(s, {2023: 3, 2024: 3}, NO_CROSSWALK)["total"]
    assert ap.default_year(lg, "H", [2023, 2024]) == 2023
    # the same 2024 complete: open on the latest year
    assert ap.default_year(ap.leagues(s, {2023: 3, 2024: 1}, NO_CROSSWALK)["total"], "H", [2023, 2024]) == 2024
    assert ap.default_year(lg, "Z", [2023, 2024]) == 2024                  # no figure for the home province
    assert ap.default_year(lg.iloc[0:0], "H", [2023, 2024]) == 2024
