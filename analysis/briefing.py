"""The briefing's headline numbers that are pure arithmetic on tables already read (ui/briefing/screens.py reads them
and words the headlines): which domain lies furthest below the national median, and what five places up would take. Tested on hand-computed examples in tests/test_analysis_briefing.py."""
from __future__ import annotations

import pandas as pd

from analysis.provinces import new_rank, plan_for_rank

PLACES_UP = 5          # the target screen asks what it takes to climb this many places (at most to first)


def share_of_max(score: float, max_score: float) -> float:
    """A score as a percentage of its maximum (the briefing compares indices and domains on different scales)."""
    return 100 * float(score) / float(max_score)


def domain_gaps(rows: pd.DataFrame) -> pd.DataFrame:
    """rows: one per domain with `mine` and `median` (both % of the domain's maximum). Returns them with
    `gap` = mine − median, the weakest (most negative gap) first."""
    out = rows.copy()
    out["gap"] = out["mine"] - out["median"]
    return out.sort_values("gap", kind="stable").reset_index(drop=True)


def target_step(mine: pd.Series, best: pd.Series, others, places: int = PLACES_UP) -> dict:
    """What it takes to climb `places` ranks with every other province fixed, raising the domains furthest below the
    national best first (analysis.provinces.plan_for_rank). mine, best: domain -> score; others: the other
    provinces' totals. Returns now (rank today), goal, the plan (plan_for_rank's result) and raise_by (domain ->
    points); a province already first gets, instead, what each domain lacks to the national best."""
    now = new_rank(float(mine.sum()), others)
    goal = max(1, now - places)
    plan = plan_for_rank(mine, best.to_dict(), others, goal)
    raise_by = {p["code"]: p["raise_by"] for p in plan["plan"]}
    if now == 1:
        raise_by = {c: float(best[c] - mine[c]) for c in mine.index if best[c] > mine[c]}
    return dict(now=now, goal=goal, plan=plan, raise_by=raise_by)

