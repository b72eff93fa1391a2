"""The briefing's pure headline numbers (analysis/briefing.py), on examples small enough to work out by hand."""
from __future__ import annotations

import pandas as pd
import pytest

from analysis import briefing as ab


def test_a_score_as_a_share_of_its_maximum():
    assert ab.share_of_max(17.5, 25) == pytest.approx(70.0)
    assert ab.share_of_max(8, 10) == pytest.approx(80.0)


def test_the_weakest_domain_is_the_one_furthest_below_the_median():
    rows = pd.DataFrame({"label": ["A", "B", "C"], "mine": [80.0, 60.0, 70.0], "median": [70.0, 75.0, 70.0]})
    out = ab.domain_gaps(rows)
    # gaps: A +10, B −15, C 0 → B, C, A
    assert list(out.label) == ["B", "C", "A"]
    assert list(out.gap) == pytest.approx([-15.0, 0.0, 10.0])
    assert list(rows.columns) == ["label", "mine", "median"]            # the caller's table is left as it was


def test_five_places_up_raises_the_domain_furthest_below_the_best_first():
    mine = pd.Series({"a": 10.0, "b": 20.0})                       # total 30
    best = pd.Series({"a": 15.0, "b": 30.0})                       # a lacks 5, b lacks 10
    others = [50, 45, 40, 38, 36, 35, 34, 33, 20]                  # 8 totals above 30: rank 9 of 10
    step = ab.target_step(mine, best, others)
    # goal 9 − 5 = 4: equal the 4th total, 38, so 8 points, all from b (it lacks the most)
    assert (step["now"], step["goal"]) == (9, 4)
    assert step["raise_by"] == {"b": pytest.approx(8.0)}
    assert step["plan"]["reachable"] and step["plan"]["rank"] == 4 and step["plan"]["needed_gain"] == pytest.approx(8)


def test_the_goal_is_never_above_first():
    mine = pd.Series({"a": 10.0, "b": 20.0})                       # total 30, rank 3 of 3
    step = ab.target_step(mine, pd.Series({"a": 20.0, "b": 25.0}), [40, 35])
    # goal max(1, 3 − 5) = 1: equal 40, 10 points: a lacks 10 to the best, b 5 → all from a
    assert (step["now"], step["goal"]) == (3, 1)
    assert step["raise_by"] == {"a": pytest.approx(10.0)}


def test_a_province_already_first_is_shown_what_each_domain_lacks_to_the_best():
    mine = pd.Series({"a": 10.0, "b": 20.0})                       # total 30, above 25 and 20
    step = ab.target_step(mine, pd.Series({"a": 12.0, "b": 20.0}), [25, 20])
    assert step["now"] == 1
    assert step["raise_by"] == {"a": pytest.approx(2.0)}           # b is the national best already
