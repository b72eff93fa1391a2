"""analysis/units.py on small hand-computed fixtures (the numbers in comments are worked by hand)."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis import units as au

BANDS = pd.DataFrame(dict(band_code=["A", "B", "C", "D"], min_score_pct=[90.0, 80.0, 70.0, 0.0]))

# A and B merge into AB-25 in 2025; C is renamed C-25.
UNITS = pd.DataFrame(dict(
    unit_id=["A", "B", "C", "AB-25", "C-25"],
    successor_id=["AB-25", "AB-25", "C-25", None, None]))


def _totals(rows):
    return pd.DataFrame(rows, columns=["year", "unit_id", "total_score"]).assign(max_total=100.0)


TOTALS = _totals([(2023, "A", 70), (2023, "B", 65), (2023, "C", 95),
                  (2024, "A", 80), (2024, "B", 60), (2024, "C", 90),
                  (2025, "AB-25", 85), (2025, "C-25", 70)])


def test_band_edges():
    assert au.band_of(90.0, BANDS) == "A"          # ≥ 90 is A
    assert au.band_of(89.999, BANDS) == "B"
    assert au.band_of(70.0, BANDS) == "C"
    assert au.band_of(12.0, BANDS) == "D"
    assert au.band_of(float("nan"), BANDS) is None


def test_rank_ties_share_the_best_rank():
    r = au.rank_units(_totals([(2024, "X", 80), (2024, "Y", 80), (2024, "Z", 70)]), BANDS)
    assert dict(zip(r.unit_id, r["rank"])) == {"X": 1, "Y": 1, "Z": 3}
    assert set(r.n_units) == {3}
    # a maximum other than 100: the share decides the band
    r = au.rank_units(pd.DataFrame(dict(year=[2024], unit_id=["X"], total_score=[45.0], max_total=[50.0])), BANDS)
    assert r.score_pct.iloc[0] == 90.0 and r.band.iloc[0] == "A"


def test_change_same_unit_and_through_a_merger():
    ch = au.with_change(au.rank_units(TOTALS, BANDS), UNITS).set_index(["unit_id", "year"])
    a = ch.loc[("A", 2024)]
    assert a.score_change == pytest.approx(10.0) and a.rank_change == 0 and a.change_basis == "same"
    assert ch.loc[("C", 2024)].score_change == pytest.approx(-5.0)
    ab = ch.loc[("AB-25", 2025)]
    assert ab.prev_score_pct == pytest.approx(70.0)          # mean(80, 60)
    assert ab.score_change == pytest.approx(15.0) and ab.change_basis == "predecessors"
    assert pd.isna(ab.rank_change)                           # a different field: no places compared
    assert ch.loc[("C-25", 2025)].score_change == pytest.approx(-20.0)
    assert pd.isna(ch.loc[("A", 2023)].change_basis) and pd.isna(ch.loc[("A", 2023)].score_change)


def test_lineage_history_and_ancestry():
    h = au.unit_history(au.rank_units(TOTALS, BANDS), UNITS, "AB-25")
    assert list(h.year) == [2023, 2024, 2025]
    assert list(h.score_pct) == pytest.approx([67.5, 70.0, 85.0])
    assert list(h.basis) == ["predecessors", "predecessors", "same"]
    chain = pd.DataFrame(dict(unit_id=["X", "Y", "Z"], successor_id=["Y", "Z", None]))
    assert au.ancestry(chain, "Z") == ["Z", "Y", "X"]
    assert au.predecessors(UNITS, "AB-25") == ["A", "B"]
    assert au.rank_histories(au.rank_units(TOTALS, BANDS))["A"] == [2, 2]


def _items():
    # unit, item, max, self, appraised, survey
    rows = [("U1", "i1", 4, 4.0, 3.0, None), ("U1", "i2", 2, 0.5, 0.5, None), ("U1", "i3", 1, None, None, 1.0),
            ("U2", "i1", 4, 3.0, 2.0, None), ("U2", "i2", 2, 2.0, 2.0, None), ("U2", "i3", 1, None, None, 0.5)]
    df = pd.DataFrame(rows, columns=["unit_id", "item_code", "max_points", "self_score", "appraised_score",
                                     "survey_score"])
    df["final_score"] = df.appraised_score.fillna(0) + df.survey_score.fillna(0)
    df["points_lost"] = df.max_points - df.final_score
    return df.assign(year=2024, framework_id="F", item_name=df.item_code, item_name_en=df.item_code,
                     unit_name=df.unit_id, unit_name_en=df.unit_id, is_survey=df.item_code == "i3",
                     responsible_agency="Sở Nội vụ", responsible_agency_en="Home Affairs",
                     sort_order=df.item_code.str[1].astype(int))


def test_pareto_shares_and_counts():
    p = au.pareto(_items())
    assert list(p.item_code) == ["i1", "i2", "i3"]
    assert list(p.points_lost) == pytest.approx([3.0, 1.5, 0.5])       # (1+2), (1.5+0), (0+0.5)
    assert list(p.share) == pytest.approx([0.6, 0.3, 0.1])
    assert list(p.cum_share) == pytest.approx([0.6, 0.9, 1.0])
    assert list(p.n_units_losing) == [2, 1, 1]
    lost = au.units_losing(_items(), "i1")
    assert list(lost.unit_id) == ["U2", "U1"] and list(lost.points_lost) == [2.0, 1.0]


def test_cuts_skip_survey_items():
    u = au.cuts_by_unit(_items()).set_index("unit_id")
    assert u.loc["U1", "self_total"] == 4.5 and u.loc["U1", "appraised_total"] == 3.5
    assert u.loc["U1", "cut"] == 1.0 and u.loc["U1", "n_items_cut"] == 1 and u.loc["U1", "n_items"] == 2
    assert u.loc["U1", "cut_pct_of_claim"] == pytest.approx(100 / 4.5)
    i = au.cuts_by_item(_items()).set_index("item_code")
    assert "i3" not in i.index
    assert i.loc["i1", "cut"] == 2.0 and i.loc["i1", "share_units_cut"] == 1.0 and i.loc["i2", "n_units_cut"] == 0


def test_repeat_overscorers():
    cuts = pd.DataFrame(dict(year=[2022, 2023, 2024] * 2, unit_id=["U1"] * 3 + ["U2"] * 3,
                             unit_name=["U1"] * 3 + ["U2"] * 3, unit_name_en=["U1"] * 3 + ["U2"] * 3,
                             cut=[3, 4, 1, 0.5, 0.5, 6]))
    r = au.repeat_overscorers(cuts, min_cut=2, last_years=[2022, 2023, 2024], min_years=2)
    assert list(r.unit_id) == ["U1"] and r.years_over.iloc[0] == 2
    assert r.mean_cut.iloc[0] == pytest.approx(8 / 3)


def test_peer_average_excludes_the_unit_itself():
    items = pd.DataFrame(dict(unit_id=["U1", "U2", "U3"], item_code="i1", max_points=4.0,
                              final_score=[3.0, 2.0, 4.0], sort_order=1))
    p1 = au.peer_comparison(items, "U1").iloc[0]
    assert p1.peer_mean == 3.0 and p1.peer_best == 4.0 and p1.n_peers == 2      # mean(2, 4)
    p3 = au.peer_comparison(items, "U3").iloc[0]
    assert p3.peer_mean == 2.5 and p3.peer_best == 3.0 and p3.gap_to_mean == 1.5
    assert p3.peer_mean_share == pytest.approx(2.5 / 4)


def test_targets_rank_recoverable_points_and_quick_wins():
    t = au.targets(_items()).set_index("item_code")
    assert list(t.index) == ["i1", "i2", "i3"]
    assert t.loc["i1", "recoverable"] == 3.0 and t.loc["i1", "share_full"] == 0.0 and not t.loc["i1", "quick_win"]
    assert t.loc["i2", "share_full"] == 0.5 and t.loc["i2", "quick_win"]          # U2 shows full marks are possible
    assert t.loc["i1", "mean_share"] == pytest.approx(2.5 / 4)
    assert t.loc["i2", "agency"] == "Sở Nội vụ"


def _two_years():
    # 2021 framework F1: '1' max 10 (mean 8), '2' max 5 (mean 4), '3.4' only in 2021.
    # 2022 framework F2: '1' max 8 (mean 6), '2' max 5 (mean 3), '7.5' new.
    rows = [(2021, "F1", "1", 10, 7), (2021, "F1", "1", 10, 9), (2021, "F1", "2", 5, 4), (2021, "F1", "2", 5, 4),
            (2021, "F1", "3.4", 2, 1), (2021, "F1", "3.4", 2, 1),
            (2022, "F2", "1", 8, 6), (2022, "F2", "1", 8, 6), (2022, "F2", "2", 5, 3), (2022, "F2", "2", 5, 3),
            (2022, "F2", "7.5", 2, 2), (2022, "F2", "7.5", 2, 2)]
    df = pd.DataFrame(rows, columns=["year", "framework_id", "item_code", "max_points", "final_score"])
    return df.assign(unit_id=["U1", "U2"] * 6, item_name=df.item_code, item_name_en=df.item_code)


def test_item_changes_across_a_framework_change():
    m = au.item_changes(_two_years(), 2022).set_index("item_code")
    assert m.loc["1", "compared_by"] == "share" and m.loc["1", "framework_changed"]
    assert pd.isna(m.loc["1", "change_points"])                          # max 10 -> 8: points not comparable
    assert m.loc["1", "change_share_pp"] == pytest.approx(-5.0)          # 75 % - 80 %
    assert m.loc["2", "compared_by"] == "points" and m.loc["2", "change_points"] == pytest.approx(-1.0)
    assert pd.isna(m.loc["7.5", "compared_by"])
    assert "3.4" not in m.index


def test_item_and_unit_alerts():
    a = au.item_alerts(_two_years(), 2022, min_points=1, min_share_pp=10)
    assert list(a.item_code) == ["2"]                                    # -1 point (and -20 pp)
    a = au.item_alerts(_two_years(), 2022, min_points=1, min_share_pp=5)
    assert list(a.item_code) == ["2", "1"]
    ch = au.with_change(au.rank_units(TOTALS, BANDS), UNITS)
    u = au.unit_alerts(ch, 2024, min_points=5, min_places=1)
    assert list(u.unit_id) == ["B", "C"]                                 # both -5 points, rank unchanged
    u = au.unit_alerts(ch, 2025, min_points=10, min_places=1)
    assert list(u.unit_id) == ["C-25"]


def test_domain_history_through_a_merger():
    # AB-25 (from A and B in 2025). Domain D1 (max 10): 2024 A 6, B 8 -> the predecessors' mean share
    # (60 % + 80 %) / 2 = 70 %; 2025 AB-25 9 -> 90 % (its own year: A and B are not averaged in). C is not in the
    # lineage. Domain D2 (max 20): 2024 A 10 -> 50 % (B has none: the mean of those with a figure), 2025 15 -> 75 %.
    rows = [("A", 2024, "D1", 6, 10), ("B", 2024, "D1", 8, 10), ("C", 2024, "D1", 1, 10),
            ("A", 2024, "D2", 10, 20), ("AB-25", 2025, "D1", 9, 10), ("AB-25", 2025, "D2", 15, 20),
            ("A", 2025, "D1", 0, 10)]                                     # a stray row in the unit's own year
    items = pd.DataFrame(rows, columns=["unit_id", "year", "item_code", "final_score", "max_points"])
    h = au.domain_history(items, UNITS, "AB-25")
    assert list(h.index) == ["D1", "D2"] and list(h.columns) == [2024, 2025]
    assert h.loc["D1", 2024] == pytest.approx(70.0) and h.loc["D1", 2025] == pytest.approx(90.0)
    assert h.loc["D2", 2024] == pytest.approx(50.0) and h.loc["D2", 2025] == pytest.approx(75.0)
    assert list(au.domain_history(items, UNITS, "C").columns) == [2024]


def test_method_breaks():
    # frameworks F1 2022–2023, F2 2024–2025: a framework break at 2023.5; 2025 is the restructuring (2024 held):
    # a merger break at 2024.5. F3 from 2025 as well: the merger break replaces the framework break there.
    ly = pd.DataFrame(dict(year=[2025, 2022, 2023, 2024], framework_id=["F2", "F1", "F1", "F2"]))
    assert au.method_breaks(ly) == [(2023.5, "framework"), (2024.5, "merger")]
    ly3 = ly.assign(framework_id=["F3", "F1", "F1", "F2"])
    assert au.method_breaks(ly3) == [(2023.5, "framework"), (2024.5, "merger")]
    assert au.method_breaks(ly[ly.year < 2025]) == [(2023.5, "framework")]        # no 2025: no merger break
    assert au.method_breaks(ly[ly.year != 2024]) == [(2024.5, "framework")]       # 2024 not held: a framework break
