"""analysis/plan.py's draft of next year's plan, on a hand-worked list of targets."""
from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from analysis import plan as ap


def test_draft_closes_half_the_gap_of_the_allowed_items_with_points_to_recover():
    # targets, most recoverable first: i1 at 60 % -> 60 + 40 / 2 = 80 %; i2 not in the plan's items; i3 nothing to
    # recover; i4 at 85 % -> 92,5 %; i5 at 33,3 % -> 66,65 -> 66,7 %
    tg = pd.DataFrame(dict(item_code=["i1", "i2", "i3", "i4", "i5"], recoverable=[5.0, 4.0, 0.0, 2.0, 1.0],
                           mean_share=[0.6, 0.5, 1.0, 0.85, 0.333], agency=["Sở Nội vụ", "X", "Y", None, "Z"]))
    d = ap.draft(tg, {"i1", "i3", "i4", "i5"}, 2026)
    assert list(d.item_code) == ["i1", "i4", "i5"]
    assert list(d.target_value) == pytest.approx([80.0, 92.5, 66.7])
    assert set(d.target_kind) == {"pct"} and set(d.deadline) == {dt.date(2026, 12, 31)}
    assert list(d.agency)[0] == "Sở Nội vụ"
    assert list(ap.draft(tg, {"i1", "i3", "i4", "i5"}, 2026, n=2).item_code) == ["i1", "i4"]
    assert ap.draft(tg.iloc[0:0], set(), 2026).empty
