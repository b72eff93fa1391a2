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
