"""The national indices, province by province: ranks and change (across the 2025 merger), PAR INDEX bands
and PAPI quartile groups, peers, trend classes with their significance, whether two PAPI scores differ
beyond the noise, the cross-index correlation, and the what-if for a rank. Pure functions (no SQL, no
Streamlit), tested on hand-computed cases in tests/test_analysis_provinces.py."""
from __future__ import annotations

import math

import numpy as np
import pandas as pd
from scipy import stats

from etl import refdata
from etl.schemes import MERGER_YEAR

EPS = 1e-9


def _bands(index_name: str) -> list[tuple[str, float]]:
    """An index's national groups, highest first: (band, lowest score as % of the maximum), from
    data/raw/reference/national_bands.csv."""
    d = refdata.read("national_bands", dtype={"band_code": str, "min_score_pct": float})
    d = d[d.index_name == index_name].sort_values("sort_order")
    return list(zip(d.band_code, d.min_score_pct.astype(float)))


PAR_BANDS = _bands("PAR INDEX")                                     # national PAR INDEX groups: A, B, C, D
PAPI_GROUPS = ["q1", "q2", "q3", "q4"]                               # best 25 % … poorest 25 %


# ------------------------------------------------------------------ ranks, groups, change

def rank_desc(scores: pd.Series) -> pd.Series:
    """1 = highest score; ties share the best rank."""
    return scores.rank(method="min", ascending=False).astype("Int64")


def par_band(score: float) -> str | None:
    if score is None or pd.isna(score):
        return None
    return next(code for code, lo in PAR_BANDS if score >= lo - EPS)


def papi_quartile(scores: pd.Series) -> pd.Series:
    """PAPI's four groups for one year and measure: q1 = the best 25 % of provinces … q4 = the poorest
    25 % (cut at the 75th, 50th and 25th percentiles of that year's scores)."""
    s = scores.astype("float64")
    q75, q50, q25 = s.quantile([0.75, 0.5, 0.25])
    return pd.Series(np.select([s >= q75, s >= q50, s >= q25], ["q1", "q2", "q3"], "q4"), index=s.index).where(
        s.notna())


def with_change(scores: pd.DataFrame, crosswalk: pd.DataFrame, merger_year: int = MERGER_YEAR) -> pd.DataFrame:
    """scores: one measure, several years (year, province_code, score, rank). Adds prev_score, score_change,
    rank_change (+ = up) and change_basis: 'same', or 'members' in the merger year (a new province compared
    with the unweighted mean of the old provinces merged into it; places are not compared, the field changed)."""
    df = scores.copy()
    df["score"] = df.score.astype("float64")
    df["rank"] = df["rank"].astype("Int64")
    prev = df[["year", "province_code", "score", "rank"]].rename(columns={"score": "prev_score", "rank": "prev_rank"})
    prev = prev.assign(year=prev.year + 1)
    out = df.merge(prev, on=["year", "province_code"], how="left")
    at_merger = out.year == merger_year
    out.loc[at_merger, ["prev_score"]] = np.nan
    out.loc[at_merger, "prev_rank"] = pd.NA
    basis = pd.Series(np.where(out.prev_score.notna(), "same", None), index=out.index, dtype=object)
    if len(crosswalk) and at_merger.any():
        before = df[df.year == merger_year - 1].merge(crosswalk[["old_code", "new_code"]], left_on="province_code",
                                                      right_on="old_code")
        means = before.groupby("new_code").score.mean()
        mm = out.loc[at_merger, "province_code"].map(means)
        out.loc[at_merger, "prev_score"] = mm
        basis[at_merger & out.prev_score.notna()] = "members"
    out["score_change"] = out.score - out.prev_score
    out["rank_change"] = out.prev_rank - out["rank"]
    out["change_basis"] = basis.where(basis.notna(), None)
    return out


COMPLETE_SHARE = 0.9          # a table is complete when this share of the provinces in force has a figure


def leagues(scores: pd.DataFrame, n_ranked: dict[int, int], crosswalk: pd.DataFrame,
            merger_year: int = 2025) -> dict[str, pd.DataFrame]:
    """One league table per measure (scores: year, province_code, measure_code, score, rank as published, …;
    n_ranked: year -> provinces in force). A table is complete when at least COMPLETE_SHARE of the provinces in
    force have a figure (PAPI surveyed 61 of 63 some years). Only a complete table gets computed ranks where none
    was published (ties share the best rank); an incomplete one keeps its published ranks and is never re-ranked
    among the provinces we happen to hold. Adds n (provinces ranked: those held in a complete table, else the
    provinces in force), complete, and the change since last year (with_change)."""
    s = scores.copy()
    s["score"] = s.score.astype("float64")
    s["rank"] = s["rank"].astype("Int64")
    by = s.groupby(["measure_code", "year"])
    held = by.province_code.transform("count")
    ranked = s.year.map({y: n_ranked[int(y)] for y in s.year.unique()})      # once per year, not per row
    complete = held >= COMPLETE_SHARE * ranked
    computed = by.score.rank(method="min", ascending=False).astype("Int64")
    s["rank"] = s["rank"].fillna(computed.where(complete))
    s["n"] = held.where(complete, ranked)
    s["complete"] = complete
    return {code: with_change(g.reset_index(drop=True), crosswalk, merger_year)
            for code, g in s.groupby("measure_code", sort=False)}


def default_year(league: pd.DataFrame, home: str, years: list[int], merger_year: int = 2025) -> int:
    """The year a page opens on: the latest year, unless its table is incomplete (on real data a later year may hold
    only a few provinces) and the home province (a 63-province code) has a figure in an earlier year before the
    merger: then the latest of those."""
    mine = sorted(int(y) for y in league[(league.province_code == home) & (league.year < merger_year)].year) \
        if len(league) else []
    last = league[league.year == years[-1]] if len(league) else league
    complete = bool(len(last)) and bool(last.complete.all())
    return mine[-1] if mine and mine[-1] < years[-1] and not complete else years[-1]


def same_scheme(league: pd.DataFrame, year: int, merger_year: int = 2025) -> pd.DataFrame:
    """The years up to `year` in the same list of provinces (63 before the merger, 34 from it), in order."""
    return league[(league.year <= year) & ((league.year >= merger_year) == (year >= merger_year))].sort_values("year")


def rank_histories(league: pd.DataFrame, year: int, merger_year: int = 2025) -> dict[str, list[int]]:
    """province -> its ranks up to `year` within the same list of provinces (for sparklines)."""
    d = same_scheme(league, year, merger_year)
    return {c: [int(x) for x in g["rank"].dropna()] for c, g in d.groupby("province_code")}


def _int(x) -> int | None:
    return None if pd.isna(x) else int(x)


def _float(x) -> float | None:
    return None if pd.isna(x) else float(x)


def index_card(league: pd.DataFrame, province: str, year: int, merger_year: int = 2025) -> dict | None:
    """One index's card for a province: the chosen year, or the latest year before it with a figure in the same list
    of provinces (the card says which year), with score, rank of n, change since last year and the rank history.
    None when the province has no figure up to that year."""
    hist = same_scheme(league[league.province_code == province], year, merger_year)
    if hist.empty:
        return None
    r = hist.iloc[-1]
    return dict(year=int(r.year), score=_float(r.score), rank=_int(r["rank"]), n=int(r.n),
                score_change=_float(r.score_change), rank_change=_int(r.rank_change),
                change_basis=r.change_basis if isinstance(r.change_basis, str) else None,
                rank_history=[int(x) for x in hist["rank"].dropna()], illustrative=r.provenance == "illustrative",
                source=r.source)


def domain_gaps(measures: pd.DataFrame, leagues_by_code: dict[str, pd.DataFrame], province: str,
                year: int) -> tuple[pd.DataFrame, list[dict]]:
    """Every domain of one index in one year for a province (measures: measure_code, max_score, name_vi, name_en;
    leagues_by_code: measure -> its league table). Returns (score, national median and gap_pct = the gap as % of the
    domain's maximum, per domain the province has a figure for; each domain's change since last year, with how far
    it fell in % of the maximum and in places)."""
    mx = dict(zip(measures.measure_code, measures.max_score.astype("float64")))
    rows, changes = [], []
    for code, name_vi, name_en in zip(measures.measure_code, measures.name_vi, measures.name_en):
        ly = leagues_by_code.get(code, pd.DataFrame(columns=["year", "province_code", "score"]))
        ly = ly[ly.year == year]
        me = ly[ly.province_code == province]
        if code == "total" or me.empty:
            continue
        r = me.iloc[0]
        med = float(ly.score.median())
        labels = dict(label_vi=f"{code}. {name_vi}", label_en=f"{code}. {name_en}")
        rows.append(dict(measure_code=code, score=float(r.score), median=med,
                         gap_pct=100 * (float(r.score) - med) / mx[code], **labels, source=r.source))
        if not pd.isna(r.score_change):
            changes.append(dict(measure_code=code, **labels, score=float(r.score),
                                score_change=float(r.score_change), rank_change=r.rank_change,
                                fell_pct=-100 * float(r.score_change) / mx[code],
                                fell_places=0 if pd.isna(r.rank_change) else -int(r.rank_change), source=r.source))
    return pd.DataFrame(rows), changes


def weakest(gaps: pd.DataFrame, n: int = 3) -> pd.DataFrame:
    """The n domains furthest below the national median (only those below it)."""
    if gaps.empty:
        return gaps
    return gaps[gaps.gap_pct < 0].nsmallest(n, "gap_pct").reset_index(drop=True)


def members_mean(scores: pd.DataFrame, crosswalk: pd.DataFrame, new_code: str) -> pd.DataFrame:
    """For years before 2025: the old provinces that form `new_code`, side by side, plus their unweighted
    mean per year (province_code = new_code, basis 'members_mean')."""
    olds = list(crosswalk.loc[crosswalk.new_code == new_code, "old_code"])
    d = scores[scores.province_code.isin(olds)]
    mean = d.groupby("year", as_index=False).score.mean().assign(province_code=new_code, basis="members_mean")
    return pd.concat([d.assign(basis="member"), mean], ignore_index=True)


# ------------------------------------------------------------------ peers and the best province

def domain_profile(year_scores: pd.DataFrame, province: str, peers: list[str]) -> pd.DataFrame:
    """Per measure of one year: the province's score, the best province's score (and which), the national
    median, and the mean of the peers excluding the province itself."""
    d = year_scores.copy()
    d["score"] = d.score.astype("float64")
    g = d.groupby("measure_code").score
    out = pd.DataFrame({"best": g.max(), "median": g.median()})
    best_idx = d.loc[d.score.notna()].groupby("measure_code").score.idxmax()
    out["best_province"] = d.loc[best_idx, "province_code"].set_axis(best_idx.index)
    mine = d[d.province_code == province].set_index("measure_code").score
    out["score"] = mine
    others = [p for p in peers if p != province]
    out["peer_mean"] = d[d.province_code.isin(others)].groupby("measure_code").score.mean()
    out["n_peers"] = d[d.province_code.isin(others)].groupby("measure_code").province_code.nunique()
    return out.reset_index()


# ------------------------------------------------------------------ trends

def slope(years, values) -> tuple[float, float]:
    """Least-squares slope per year and its two-sided p-value (nan when fewer than 3 points)."""
    x = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    ok = ~np.isnan(y)
    x, y = x[ok], y[ok]
    if len(x) < 3 or np.ptp(x) == 0:
        return (float("nan"), float("nan"))
    r = stats.linregress(x, y)
    return float(r.slope), float(r.pvalue)


def trend_class(years, values, recent: int = 3) -> dict:
    """Compare the recent slope (the last `recent` years before the latest, and it) with the long one (every year):
    improving (recent ≥ long and rising), slowing (rising, but less than before), warning (long rise, recent
    fall), declining (both falling). Also the long slope's p-value (scipy linregress). Years without a figure are
    left out, not read as a fall: a province with published years 2012, 2018–2020 has a recent slope over
    2018–2020; with fewer than two figures in the recent window there is no class."""
    pts = [(float(y), float(v)) for y, v in zip(years, values) if v is not None and not pd.isna(v)]
    long_slope, p = slope([y for y, _ in pts], [v for _, v in pts])
    none = dict(trend=None, long_slope=long_slope, recent_slope=float("nan"), p_value=p, significant=False)
    if math.isnan(long_slope):
        return none
    last = max(y for y, _ in pts)
    window = [(y, v) for y, v in pts if y >= last - recent]
    if len(window) < 2:
        return none
    x, y = np.asarray([a for a, _ in window]), np.asarray([b for _, b in window])
    recent_slope = float(np.polyfit(x, y, 1)[0])
    if recent_slope >= 0 and recent_slope >= long_slope:
        trend = "improving"
    elif recent_slope >= 0:
        trend = "slowing"
    elif long_slope >= 0:
        trend = "warning"
    else:
        trend = "declining"
    return dict(trend=trend, long_slope=long_slope, recent_slope=recent_slope, p_value=p,
                significant=bool(p < 0.05))


def movers(scores: pd.DataFrame, year_from: int, year_to: int, n: int = 5) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Most improved and most declined provinces between two years (same province code in both)."""
    a = scores[scores.year == year_from].set_index("province_code").score
    b = scores[scores.year == year_to].set_index("province_code").score
    d = (b - a).dropna().rename("change").reset_index()
    d = d.sort_values("change", ascending=False)
    return d.head(n).reset_index(drop=True), d.tail(n).iloc[::-1].reset_index(drop=True)


# ------------------------------------------------------------------ uncertainty (PAPI)

def se_of(row) -> float:
    """Standard error from std_error, or from a 95 % interval (ci_high - ci_low) / (2 × 1.96)."""
    se = row.get("std_error")
    if se is not None and not pd.isna(se):
        return float(se)
    lo, hi = row.get("ci_low"), row.get("ci_high")
    if lo is not None and hi is not None and not pd.isna(lo) and not pd.isna(hi):
        return float(hi - lo) / (2 * 1.959964)
    return float("nan")


def difference_test(a: float, se_a: float, b: float, se_b: float) -> dict:
    """Is a − b beyond the sampling noise? z test on independent estimates, two-sided, 95 %."""
    if any(pd.isna(v) for v in (a, se_a, b, se_b)) or (se_a == 0 and se_b == 0):
        return dict(diff=a - b if not (pd.isna(a) or pd.isna(b)) else float("nan"), z=float("nan"),
                    p_value=float("nan"), meaningful=None)
    z = (a - b) / math.sqrt(se_a ** 2 + se_b ** 2)
    p = 2 * (1 - stats.norm.cdf(abs(z)))
    return dict(diff=a - b, z=z, p_value=p, meaningful=bool(p < 0.05))


# ------------------------------------------------------------------ cross-index

def spearman(x: pd.Series, y: pd.Series) -> dict:
    d = pd.concat([x.astype("float64"), y.astype("float64")], axis=1).dropna()
    if len(d) < 4:
        return dict(rho=float("nan"), p_value=float("nan"), n=len(d))
    r = stats.spearmanr(d.iloc[:, 0], d.iloc[:, 1])
    return dict(rho=float(r.statistic), p_value=float(r.pvalue), n=len(d))


# ------------------------------------------------------------------ what-if

def domains_wide(year_scores: pd.DataFrame) -> pd.DataFrame | None:
    """One year's domain scores as province × domain, only the provinces with every domain (what-if sums them);
    None when the year has no domain scores (year_scores: province_code, measure_code, measure_depth, score)."""
    dom = year_scores[year_scores.measure_depth == "domain"]
    if dom.empty:
        return None
    dom = dom.assign(score=dom.score.astype("float64"))
    return dom.pivot_table(index="province_code", columns="measure_code", values="score").dropna()


def new_rank(new_total: float, other_totals) -> int:
    """Rank of a new total with every other province held fixed (ties share the best rank)."""
    return 1 + int(sum(1 for t in other_totals if t > new_total + EPS))


def what_if(domains: pd.Series, targets: dict[str, float], other_totals) -> dict:
    """domains: the province's domain scores (total = their sum, as in PAR INDEX). targets: domain -> new
    value (never lowered). Returns the new total and rank."""
    new = domains.astype("float64").copy()
    for code, v in targets.items():
        if code in new.index and v is not None and not pd.isna(v):
            new[code] = max(new[code], float(v))
    total = float(new.sum())
    return dict(domains=new, total=total, gain=total - float(domains.sum()), rank=new_rank(total, other_totals))


def plan_for_rank(domains: pd.Series, reach: dict[str, float], other_totals, target_rank: int) -> dict:
    """What it takes to reach `target_rank` with the others fixed: the points needed (to equal the total now at that
    rank: a tie shares the rank) and the cheapest way to find them — the domains furthest below `reach` (e.g. the
    national best: points some province already earns) first, each raised only as far as needed, so the fewest
    domains are touched and the last one only in part.
    Returns needed_gain, need_total, plan (rows: code, now, raise_by, to, reach), the new total and rank, and
    reachable (False when every domain at `reach` is not enough)."""
    current = float(domains.sum())
    others = sorted((float(t) for t in other_totals), reverse=True)
    need = others[target_rank - 1] if target_rank - 1 < len(others) else -math.inf
    needed = max(0.0, need - current)
    gaps = sorted(((c, max(0.0, float(reach[c]) - float(domains[c]))) for c in domains.index if c in reach),
                  key=lambda x: -x[1])
    plan, left = [], needed
    for code, gap in gaps:
        if left <= EPS or gap <= EPS:
            break
        step = min(gap, left)
        plan.append(dict(code=code, now=float(domains[code]), raise_by=step, to=float(domains[code]) + step,
                         reach=float(reach[code])))
        left -= step
    total = current + sum(r["raise_by"] for r in plan)
    return dict(reachable=left <= EPS, needed_gain=needed, need_total=need, plan=plan, total=total,
                rank=new_rank(total, others))


def holdings(cov: pd.DataFrame, complete_share: float = COMPLETE_SHARE) -> list[dict]:
    """What a database holds per index, from coverage_by_index_year: the years whose table is complete (a figure
    for at least `complete_share` of the provinces in force), the partial years, how many province-years the
    partial years hold, and the partial year holding the most (year, held, provinces)."""
    out = []
    for index, g in cov.groupby("index_name", sort=False):
        done = g.n_held >= complete_share * g.n_provinces
        part = g[~done]
        best = part.sort_values(["n_held", "year"], ascending=[False, False]).head(1)
        out.append(dict(index=index, first=int(g.year.min()), last=int(g.year.max()),
                        complete=[int(y) for y in g[done].year], partial=[int(y) for y in part.year],
                        partial_values=int(part.n_held.sum()),
                        best=(int(best.year.iloc[0]), int(best.n_held.iloc[0]), int(best.n_provinces.iloc[0]))
                        if len(best) else None))
    return out
