"""Tracking the province's plan: each line's value in the plan year (and the year before) from the measures of
queries/plan_measures.sql, and whether the target was reached. Pure functions on frames."""
from __future__ import annotations

import datetime as dt

import pandas as pd

EPS = 1e-9
KEY = ["scope", "index_name", "level", "item_code"]


def _with_key(df: pd.DataFrame) -> pd.DataFrame:
    out = df.copy()
    for c in KEY:
        out[c] = out[c].astype("object").where(out[c].notna(), "")
    return out


def measure_value(kind: str, score, max_score, rank):
    """What a target of `kind` is compared with: points, % of the maximum, or the rank (lower is better)."""
    if kind == "points":
        return score
    if kind == "pct":
        return None if pd.isna(score) or pd.isna(max_score) or not max_score else 100.0 * score / max_score
    return rank


def _values(lines: pd.DataFrame, measures: pd.DataFrame) -> list:
    m = _with_key(measures).set_index(KEY)
    out = []
    for r in _with_key(lines).itertuples(index=False):
        k = tuple(getattr(r, c) for c in KEY)
        if k not in m.index:
            out.append(None)
            continue
        row = m.loc[k]
        row = row.iloc[0] if isinstance(row, pd.DataFrame) else row
        v = measure_value(r.target_kind, row.score, row.max_score, row["rank"])
        out.append(None if v is None or pd.isna(v) else float(v))
    return out


def track(lines: pd.DataFrame, measures: pd.DataFrame, measures_before: pd.DataFrame) -> pd.DataFrame:
    """Each plan line with `actual` (its value in the plan year), `before` (the year before), `change` (actual −
    before; for a rank, places gained: before − actual) and `status`: 'reached', 'missed' or 'no_data' (the plan
    year's results are not loaded, or hold no value for that measure)."""
    out = lines.copy()
    out["actual"] = _values(lines, measures)
    out["before"] = _values(lines, measures_before)
    status, change = [], []
    for kind, target, actual, before in zip(out.target_kind, out.target_value, out.actual, out.before):
        if actual is None or pd.isna(actual):
            status.append("no_data")
        elif kind == "rank":
            status.append("reached" if actual <= target + EPS else "missed")
        else:
            status.append("reached" if actual >= target - EPS else "missed")
        if actual is None or before is None or pd.isna(actual) or pd.isna(before):
            change.append(None)
        else:
            change.append(before - actual if kind == "rank" else actual - before)
    out["status"] = status
    out["change"] = pd.array(change, dtype="Float64")
    out["actual"] = pd.array(out.actual, dtype="Float64")
    out["before"] = pd.array(out.before, dtype="Float64")
    return out


def by_agency(tracked: pd.DataFrame) -> pd.DataFrame:
    """Per agency: lines, reached, missed, without data; agencies with a missed line first."""
    g = tracked.assign(reached=tracked.status == "reached", missed=tracked.status == "missed",
                       no_data=tracked.status == "no_data")
    out = g.groupby("agency", sort=False).agg(lines=("line_no", "count"), reached=("reached", "sum"),
                                              missed=("missed", "sum"), no_data=("no_data", "sum")).reset_index()
    return out.sort_values(["missed", "agency"], ascending=[False, True]).reset_index(drop=True)


def draft(targets: pd.DataFrame, allowed: set[str], plan_year: int, n: int = 8) -> pd.DataFrame:
    """A first draft of next year's plan from the targets (analysis.units.targets, most recoverable points first):
    the first n items in `allowed` with points to recover, each asked to close half its gap to the maximum (share
    achieved in %, to one decimal) by the end of the plan year. Columns: item_code, agency, target_kind,
    target_value, deadline."""
    rows = []
    for r in targets.itertuples() if len(targets) else []:
        if r.item_code not in allowed or r.recoverable <= 0:
            continue
        share = 100 * r.mean_share
        rows.append(dict(item_code=r.item_code, agency=r.agency, target_kind="pct",
                         target_value=round(share + (100 - share) / 2, 1), deadline=dt.date(plan_year, 12, 31)))
        if len(rows) == n:
            break
    return pd.DataFrame(rows, columns=["item_code", "agency", "target_kind", "target_value", "deadline"])
