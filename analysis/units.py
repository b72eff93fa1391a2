"""The province's own index, unit by unit: ranks and bands, change and lineage, points lost, Pareto,
appraisal cuts, peers, targets and alerts. Pure functions on the frames that `queries/unit_*.sql` return
(no SQL, no Streamlit), each tested on hand-computed fixtures in tests/test_analysis_units.py."""
from __future__ import annotations

import numpy as np
import pandas as pd

EPS = 1e-9


# ------------------------------------------------------------------ ranks, bands, change, lineage

def band_of(score_pct: float, bands: pd.DataFrame) -> str | None:
    """The band whose threshold is the highest one not above score_pct (bands: band_code, min_score_pct)."""
    if score_pct is None or pd.isna(score_pct):
        return None
    ok = bands[bands.min_score_pct <= score_pct + EPS]
    return None if ok.empty else ok.sort_values("min_score_pct").band_code.iloc[-1]


def rank_units(totals: pd.DataFrame, bands: pd.DataFrame) -> pd.DataFrame:
    """Adds score_pct, rank within the year (ties share the best rank), n_units and band."""
    df = totals.copy()
    df["total_score"] = df.total_score.astype("float64")
    df["score_pct"] = 100 * df.total_score / df.max_total.astype("float64")
    df["rank"] = df.groupby("year").score_pct.rank(method="min", ascending=False).astype("Int64")
    df["n_units"] = df.groupby("year").unit_id.transform("count")
    df["band"] = bands_of(df.score_pct, bands)
    return df


def bands_of(score_pct: pd.Series, bands: pd.DataFrame) -> list[str | None]:
    """band_of for a whole column at once (a row-by-row filter took 10 s for 5,000 unit-years)."""
    b = bands.sort_values("min_score_pct")
    thresholds = b.min_score_pct.astype("float64").to_numpy()
    codes = list(b.band_code)
    x = score_pct.astype("float64").to_numpy()
    idx = np.searchsorted(thresholds, x + EPS, side="right") - 1
    return [None if np.isnan(v) or i < 0 else codes[i] for v, i in zip(x, idx)]


def predecessors(units: pd.DataFrame, unit_id: str) -> list[str]:
    """Units that merged into (or were renamed as) unit_id, directly."""
    return sorted(units.loc[units.successor_id == unit_id, "unit_id"])


def ancestry(units: pd.DataFrame, unit_id: str) -> list[str]:
    """unit_id and every unit that flowed into it, at any depth (a merger of mergers)."""
    out, todo = [], [unit_id]
    while todo:
        u = todo.pop()
        if u in out:
            continue
        out.append(u)
        todo.extend(predecessors(units, u))
    return out


def with_change(ranked: pd.DataFrame, units: pd.DataFrame) -> pd.DataFrame:
    """Adds prev_score_pct, score_change (percentage points of the maximum), rank_change (places, + = up)
    and change_basis: 'same' (the unit's own last year), 'predecessors' (the unweighted mean of the units
    merged into it; no rank change, the field changed) or None (nothing to compare with)."""
    df = ranked.reset_index(drop=True).copy()
    last = df[["unit_id", "year", "score_pct", "rank"]].assign(year=lambda d: d.year + 1)
    own = df[["unit_id", "year"]].merge(last, on=["unit_id", "year"], how="left", indicator=True)
    has_own = pd.Series((own._merge == "both").to_numpy(), index=df.index)
    # units merged into each unit (their last year before it), for rows without a last year of their own
    links = units.loc[units.successor_id.notna(), ["unit_id", "successor_id"]].rename(
        columns={"unit_id": "pred", "successor_id": "unit_id"})
    need = df.loc[~has_own, ["unit_id", "year"]].reset_index()
    via = need.merge(links, on="unit_id").merge(
        last.rename(columns={"unit_id": "pred"})[["pred", "year", "score_pct"]], on=["pred", "year"])
    pred_mean = via.groupby("index").score_pct.mean()
    prev_pct = own.score_pct.astype("float64").where(has_own.to_numpy())
    prev_pct = prev_pct.where(has_own.to_numpy(), pred_mean.reindex(df.index).to_numpy())
    df["prev_score_pct"] = pd.array(prev_pct.to_numpy(), dtype="float64")
    df["score_change"] = df.score_pct - df.prev_score_pct
    df["prev_rank"] = pd.array(own["rank"].where(has_own.to_numpy()).to_numpy(), dtype="Int64")
    df["rank_change"] = df.prev_rank - df["rank"]
    df["change_basis"] = np.where(has_own.to_numpy(), "same",
                                  np.where(df.index.isin(pred_mean.index), "predecessors", None)).tolist()
    df["change_basis"] = df.change_basis.astype(object).where(df.change_basis.notna(), None)
    return df


def unit_history(ranked: pd.DataFrame, units: pd.DataFrame, unit_id: str) -> pd.DataFrame:
    """One unit's score_pct and rank by year, following its lineage back through mergers: years before
    the unit existed show the unweighted mean of its predecessors (basis 'predecessors', rank empty)."""
    own = ranked[ranked.unit_id == unit_id][["year", "score_pct", "rank", "n_units"]].assign(basis="same")
    preds = [u for u in ancestry(units, unit_id) if u != unit_id]
    rows = [own]
    if preds:
        p = ranked[ranked.unit_id.isin(preds) & ~ranked.year.isin(own.year)]
        if not p.empty:
            g = p.groupby("year").agg(score_pct=("score_pct", "mean"), n_preds=("unit_id", "nunique")).reset_index()
            rows.append(g.assign(rank=pd.NA, n_units=pd.NA, basis="predecessors"))
    out = pd.concat(rows, ignore_index=True).sort_values("year").reset_index(drop=True)
    return out


def domain_history(domain_items: pd.DataFrame, units: pd.DataFrame, unit_id: str) -> pd.DataFrame:
    """Share achieved (%) per domain (rows: item_code) and year (columns) through the unit's lineage: its own years,
    and before it existed the unweighted mean of its predecessors' shares (domain_items: unit_items rows at domain
    depth, every year)."""
    lineage = ancestry(units, unit_id)
    dh = domain_items[domain_items.unit_id.isin(lineage)]
    dh = dh.assign(share=100 * share_achieved(dh))
    own_years = set(dh[dh.unit_id == unit_id].year)
    dh = dh[(dh.unit_id == unit_id) | ~dh.year.isin(own_years)]
    return dh.groupby(["item_code", "year"]).share.mean().unstack("year")


def method_breaks(level_years: pd.DataFrame, restructuring_year: int = 2025) -> list[tuple[float, str]]:
    """Where a time axis of one level is cut (level_years: year, framework_id): half-way between two years scored
    on different frameworks ('framework'), and before the restructuring year when the year before it is also held
    ('merger', which replaces a framework change at the same place)."""
    ly = level_years.sort_values("year")
    years, frameworks = list(ly.year), list(ly.framework_id)
    out = [(years[i] - 0.5, "framework") for i in range(1, len(years)) if frameworks[i] != frameworks[i - 1]]
    if restructuring_year in years and restructuring_year - 1 in years:
        out = [b for b in out if b[0] != restructuring_year - 0.5] + [(restructuring_year - 0.5, "merger")]
    return out


def rank_histories(ranked: pd.DataFrame) -> dict[str, list[int]]:
    """unit_id -> its ranks in year order (for sparklines)."""
    r = ranked.loc[ranked["rank"].notna(), ["unit_id", "year", "rank"]].sort_values(["unit_id", "year"])
    out: dict[str, list[int]] = {u: [] for u in ranked.unit_id.unique()}
    for u, k in zip(r.unit_id, r["rank"].astype("int64")):
        out[u].append(int(k))
    return out


# ------------------------------------------------------------------ points lost, Pareto, drill-down

def share_achieved(items: pd.DataFrame) -> pd.Series:
    """Final score as a share (0-1) of the item's maximum."""
    return items.final_score.astype("float64") / items.max_points.astype("float64")


def pareto(items: pd.DataFrame) -> pd.DataFrame:
    """Points lost per item summed over units, largest first, with share and cumulative share of all points
    lost, and how many units lost points there. items: one year and depth (unit_items rows)."""
    g = (items.assign(losing=items.points_lost > EPS)
         .groupby(["item_code", "item_name", "item_name_en"], sort=False)
         .agg(points_lost=("points_lost", "sum"), n_units_losing=("losing", "sum"), n_units=("unit_id", "nunique"),
              max_points=("max_points", "first"))
         .reset_index())
    g = g.sort_values(["points_lost", "item_code"], ascending=[False, True]).reset_index(drop=True)
    total = g.points_lost.sum()
    g["share"] = g.points_lost / total if total > 0 else 0.0
    g["cum_share"] = g.share.cumsum()
    return g


def units_losing(items: pd.DataFrame, item_code: str) -> pd.DataFrame:
    """The units that lost points on one item, largest loss first."""
    d = items[(items.item_code == item_code) & (items.points_lost > EPS)]
    return d.sort_values(["points_lost", "unit_name"], ascending=[False, True]).reset_index(drop=True)


def losing_by_item(items: pd.DataFrame) -> dict[str, list[tuple[str, str, float]]]:
    """Per item: the units that lost points there as (name, English name, points lost), largest loss first."""
    d = items[items.points_lost > EPS].sort_values(["item_code", "points_lost", "unit_name"],
                                                   ascending=[True, False, True])
    return {code: list(zip(g.unit_name, g.unit_name_en, g.points_lost.astype("float64")))
            for code, g in d.groupby("item_code", sort=False)}


# ------------------------------------------------------------------ self-assessment vs appraisal

def with_cuts(items: pd.DataFrame) -> pd.DataFrame:
    """Adds cut = self-assessed - appraised where both exist (survey items have neither), and was_cut."""
    df = items.copy()
    both = df.self_score.notna() & df.appraised_score.notna()
    df["cut"] = np.where(both, df.self_score.astype("float64") - df.appraised_score.astype("float64"), np.nan)
    df["was_cut"] = df.cut > EPS
    return df


def cuts_by_unit(items: pd.DataFrame) -> pd.DataFrame:
    """Per unit (and year): self-assessed and appraised totals, points cut, items cut, cut share of claim."""
    d = with_cuts(items)
    d = d[d.cut.notna()]
    g = d.groupby(["year", "unit_id", "unit_name", "unit_name_en"]).agg(
        self_total=("self_score", "sum"), appraised_total=("appraised_score", "sum"), cut=("cut", "sum"),
        n_items_cut=("was_cut", "sum"), n_items=("cut", "size")).reset_index()
    return unit_cuts(g)


def unit_cuts(g: pd.DataFrame) -> pd.DataFrame:
    """Per-unit sums of cuts (from cuts_by_unit, or the query unit_cuts at national scale) with the cut as a share
    of what the unit claimed, most cut first within each year."""
    g = g.copy()
    self_total = g.self_total.astype("float64")
    g["cut_pct_of_claim"] = np.where(self_total > 0, 100 * g.cut.astype("float64") / self_total, np.nan)
    return g.sort_values(["year", "cut", "unit_id"], ascending=[True, False, True]).reset_index(drop=True)


def cuts_by_item(items: pd.DataFrame) -> pd.DataFrame:
    """Per item: points cut in all, how many units were cut there and the share of units (how common)."""
    d = with_cuts(items)
    d = d[d.cut.notna()]
    g = d.groupby(["item_code", "item_name", "item_name_en"], sort=False).agg(
        cut=("cut", "sum"), n_units_cut=("was_cut", "sum"), n_units=("unit_id", "nunique")).reset_index()
    return item_cuts(g)


def item_cuts(g: pd.DataFrame) -> pd.DataFrame:
    """Per-item sums of cuts (from cuts_by_item, or the query item_cuts) with the share of units cut there,
    most common first."""
    g = g.copy()
    g["share_units_cut"] = g.n_units_cut.astype("float64") / g.n_units.astype("float64")
    return g.sort_values(["share_units_cut", "cut", "item_code"], ascending=[False, False, True],
                         kind="stable").reset_index(drop=True)


def repeat_overscorers(unit_cuts: pd.DataFrame, min_cut: float, last_years: list[int],
                       min_years: int) -> pd.DataFrame:
    """Units cut by at least min_cut points in at least min_years of last_years (from cuts_by_unit over years)."""
    d = unit_cuts[unit_cuts.year.isin(last_years)].assign(over=lambda x: x.cut >= min_cut - EPS)
    g = d.groupby(["unit_id", "unit_name", "unit_name_en"]).agg(
        years_over=("over", "sum"), mean_cut=("cut", "mean"), years=("year", "nunique")).reset_index()
    g = g[g.years_over >= min_years]
    return g.sort_values(["years_over", "mean_cut"], ascending=False).reset_index(drop=True)


# ------------------------------------------------------------------ peers

def peer_comparison(items: pd.DataFrame, unit_id: str) -> pd.DataFrame:
    """Per item of one year: the unit's score and share, the mean of the other units (excluding itself),
    and the best other unit's score. items: one year, one depth, every unit of the level."""
    d = items.assign(share=share_achieved(items))
    mine = d[d.unit_id == unit_id]
    peers = d[d.unit_id != unit_id]
    g = peers.groupby("item_code").agg(peer_mean=("final_score", "mean"), peer_best=("final_score", "max"),
                                       n_peers=("unit_id", "nunique")).reset_index()
    out = mine.merge(g, on="item_code", how="left")
    mx = out.max_points.astype("float64")
    out["peer_mean_share"] = out.peer_mean / mx
    out["peer_best_share"] = out.peer_best / mx
    out["gap_to_mean"] = out.final_score - out.peer_mean
    return out.sort_values("sort_order").reset_index(drop=True)


# ------------------------------------------------------------------ targets

def targets(items: pd.DataFrame) -> pd.DataFrame:
    """Items ranked by recoverable points (points lost, summed over units), with how many units lose points
    there, the share of units already at full marks (a high share marks a quick win: others show it can be
    done), the mean share achieved and the responsible agency."""
    d = items.assign(losing=items.points_lost > EPS, full=items.points_lost <= EPS)
    g = d.groupby(["item_code", "item_name", "item_name_en"], sort=False).agg(
        recoverable=("points_lost", "sum"), n_units_losing=("losing", "sum"), share_full=("full", "mean"),
        mean_score=("final_score", "mean"), max_points=("max_points", "first"),
        agency=("responsible_agency", "first"), agency_en=("responsible_agency_en", "first"),
        is_survey=("is_survey", "first")).reset_index()
    g["mean_share"] = g.mean_score / g.max_points
    g["quick_win"] = (g.share_full >= 0.5) & (g.n_units_losing > 0)
    return g.sort_values(["recoverable", "item_code"], ascending=[False, True]).reset_index(drop=True)


def agencies_in_force(tg: pd.DataFrame, successors: pd.DataFrame) -> pd.DataFrame:
    """Targets whose responsible agency no longer exists go to the agency that took over its work, saying so
    ('Sở Khoa học và Công nghệ (nhận từ Sở Thông tin và Truyền thông)'); one without a successor is flagged
    ('… (đã sắp xếp 2025)'). `successors`: queries/agency_successors.sql."""
    vi = dict(zip(successors.name_vi, successors.successor_vi))
    en = dict(zip(successors.name_en, successors.successor_en))
    out = tg.copy()

    def move(name, table, took, gone):
        if not isinstance(name, str) or name not in table:
            return name
        new = table[name]
        return f"{new} ({took} {name})" if isinstance(new, str) and new else f"{name} ({gone})"
    out["agency"] = [move(a, vi, "nhận từ", "đã sắp xếp 2025") for a in out.agency]
    out["agency_en"] = [move(a, en, "taking over from", "restructured in 2025") for a in out.agency_en]
    return out


# ------------------------------------------------------------------ alerts

def unit_alerts(changed: pd.DataFrame, year: int, min_points: float, min_places: int) -> pd.DataFrame:
    """Units of `year` whose score fell by at least min_points (percentage points of the maximum) or whose
    rank fell by at least min_places, from with_change(); worst fall first."""
    d = changed[changed.year == year]
    fell_pts = d.score_change <= -min_points + EPS
    fell_rank = (d.rank_change <= -min_places).fillna(False).astype(bool)
    out = d[fell_pts.fillna(False) | fell_rank].copy()
    out["fell_points"] = fell_pts[out.index]
    out["fell_places"] = fell_rank[out.index]
    return out.sort_values("score_change").reset_index(drop=True)


def item_changes(items: pd.DataFrame, year: int) -> pd.DataFrame:
    """Each item's mean over the units of a level, this year against last year. Compared in points when the
    item kept its code and maximum; in percentage points of the maximum (and marked) when the framework
    changed the maximum; not compared when the code did not exist last year."""
    d = items.assign(share=share_achieved(items))
    g = d.groupby(["year", "framework_id", "item_code", "item_name", "item_name_en"]).agg(
        mean_score=("final_score", "mean"), mean_share=("share", "mean"), max_points=("max_points", "first"),
        n_units=("unit_id", "nunique")).reset_index()
    cur = g[g.year == year]
    prev = g[g.year == year - 1][["item_code", "framework_id", "mean_score", "mean_share", "max_points"]]
    m = cur.merge(prev, on="item_code", how="left", suffixes=("", "_prev"))
    same_max = (m.max_points - m.max_points_prev).abs() <= EPS
    m["framework_changed"] = m.framework_id_prev.notna() & (m.framework_id != m.framework_id_prev)
    m["compared_by"] = np.where(m.framework_id_prev.isna(), None, np.where(same_max, "points", "share"))
    m["change_points"] = np.where(m.compared_by == "points", m.mean_score - m.mean_score_prev, np.nan)
    m["change_share_pp"] = np.where(m.framework_id_prev.notna(), 100 * (m.mean_share - m.mean_share_prev), np.nan)
    return m


def item_alerts(items: pd.DataFrame, year: int, min_points: float, min_share_pp: float) -> pd.DataFrame:
    """Items whose mean over the units fell since last year by at least min_points (only where the maximum
    did not change) or by at least min_share_pp percentage points of the maximum; largest fall first."""
    m = item_changes(items, year)
    by_pts = (m.change_points <= -min_points + EPS).fillna(False)
    by_share = (m.change_share_pp <= -min_share_pp + EPS).fillna(False)
    out = m[by_pts | by_share].copy()
    return out.sort_values("change_share_pp").reset_index(drop=True)
