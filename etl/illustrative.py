"""Illustrative national PAR INDEX and SIPAS tables, generated with a fixed seed.

Every published figure in the press facts is kept exactly (value, rank, national average,
membership of a published top or bottom group); everything else is invented, consistent with
those figures, and marked provenance='illustrative'. Nothing here may be quoted as official."""
from __future__ import annotations


import numpy as np
import pandas as pd
from scipy.stats import norm

from etl.batch import Batch
from etl.national import fact_constraints as _constraints, measures_for
from etl.press import facts as press_facts
from etl.reference import province_tables
from etl.schemes import scheme_for_year

SEED = 20151008
PAR_YEARS = range(2012, 2026)
SIPAS_YEARS = range(2017, 2026)      # SIPAS has been measured in every province since the 2017 scheme
# Assumed year shape where no national average is published: (mean, sd). Sources: research notes.
ASSUMED = {
    "PAR INDEX": {2012: (76.5, 5.5), 2013: (78.0, 5.5), 2014: (81.21, 4.5), 2015: (85.11, 4.5), 2016: (74.64, 5.0),
                  2017: (76.5, 4.5), 2018: (76.92, 4.5), 2019: (79.5, 4.0), 2020: (82.5, 3.5),
                  2021: (84.5, 2.8), 2022: (84.79, 3.0), 2023: (86.98, 2.6), 2024: (88.37, 2.3),
                  2025: (88.5, 2.5)},
    "SIPAS": {2017: (81.0, 4.5), 2018: (82.99, 4.0), 2019: (83.5, 4.0), 2020: (85.0, 4.0), 2021: (87.16, 2.0),
              2022: (80.08, 3.0), 2023: (82.66, 3.0), 2024: (83.94, 2.8), 2025: (84.5, 2.8)},
}
FLOOR = {"PAR INDEX": 55.0, "SIPAS": 60.0}


def _curve(n: int, mean: float, sd: float, pins: dict[int, float]) -> np.ndarray:
    q = norm.ppf((np.arange(n)[::-1] + 0.5) / n)            # rank 1 first, decreasing
    c = mean + sd * q
    if pins:
        rs = sorted(pins)
        e = np.interp(np.arange(1, n + 1), rs, [pins[r] - c[r - 1] for r in rs])
        c = c + e
    return c


def _fit(c: np.ndarray, pinned: dict[int, float], mean: float | None, floor: float) -> np.ndarray:
    """Make c strictly decreasing (0.01 steps), keep pins, hit the mean (2 decimals) by moving free slots."""
    n = len(c)
    c = c.copy()
    for r, v in pinned.items():
        c[r - 1] = v
    free = np.array([r + 1 not in pinned for r in range(n)])
    lo, hi = _bounds(c, free, floor)
    c[free] = np.clip(c[free], lo[free], hi[free])
    if mean is not None and free.any():
        _move_to_mean(c, free, lo, hi, mean)
    # strictly decreasing among free slots, rounding to 2 decimals
    c = np.round(c, 2)
    for r, v in pinned.items():          # published figures exactly as printed (some carry 4 decimals)
        c[r - 1] = v
    for i in range(1, n):
        if free[i] and c[i] >= c[i - 1]:
            c[i] = round(c[i - 1] - 0.01, 2)
    for i in range(n - 2, -1, -1):
        if free[i] and c[i] <= c[i + 1]:
            c[i] = round(c[i + 1] + 0.01, 2)
    if mean is not None:
        _fix_rounding(c, free, mean, floor)
    return c


def _bounds(c: np.ndarray, free: np.ndarray, floor: float) -> tuple[np.ndarray, np.ndarray]:
    """Each free slot's room: below the pinned value before it, above the pinned value after it (0.01 apart)."""
    n = len(c)
    lo, hi = np.full(n, floor), np.full(n, 100.0)
    last = 100.0 + 0.01
    for i in range(n):
        if not free[i]:
            last = c[i]
        else:
            hi[i] = last - 0.01 * 1
    nxt = floor - 0.01
    for i in range(n - 1, -1, -1):
        if not free[i]:
            nxt = c[i]
        else:
            lo[i] = nxt + 0.01
    return lo, hi


def _move_to_mean(c: np.ndarray, free: np.ndarray, lo: np.ndarray, hi: np.ndarray, mean: float) -> None:
    """Move the free slots, in place and in proportion to their room, until the values average `mean`."""
    n = len(c)
    for _ in range(200):
        gap = mean * n - c.sum()
        if abs(gap) < 1e-9:
            break
        room = (hi - c) if gap > 0 else (c - lo)
        room = np.where(free, np.maximum(room, 0), 0)
        if room.sum() <= 1e-12:
            break
        c += np.sign(gap) * np.minimum(room, abs(gap) * room / room.sum())


def _fix_rounding(c: np.ndarray, free: np.ndarray, mean: float, floor: float) -> None:
    """The rounding residual, fixed in place one cent at a time on free slots with room (order kept)."""
    n = len(c)
    for _ in range(n * 4):
        resid = round(mean * n - c.sum(), 2)
        if abs(resid) < 0.005 or round(c.mean(), 2) == round(mean, 2):
            break
        step = 0.01 if resid > 0 else -0.01
        for i in (np.where(free)[0] if step > 0 else np.where(free)[0][::-1]):
            prev = c[i - 1] if i > 0 else 100.01
            nxt = c[i + 1] if i < n - 1 else floor - 0.01
            if nxt < round(c[i] + step, 2) < prev:
                c[i] = round(c[i] + step, 2)
                break
        else:
            break


def approx_values(facts: pd.DataFrame, index_name: str, year: int) -> dict[str | None, float]:
    """Figures a source states only approximately ("about 87 per cent"), where no source gives the exact figure:
    province (None for the national average) -> the value. The demo stays close to them; the real database never
    holds them (they are in press_figures.csv as approx_score, not as a score)."""
    f = facts[(facts.index_name == index_name) & (facts.year == year) & facts.approx.notna() & facts.value.isna()]
    return {None if pd.isna(r.province_code) else r.province_code: float(r.approx) for r in f.itertuples()}


def _anchors(facts: pd.DataFrame, index_name: str, years, codes: list[str]) -> dict[str, dict[int, float]]:
    """Each province's published positions as normal scores (rank 1 of 63 ≈ +2.4): an exact rank, a value (or an
    approximate one) against the year's mean and spread, or the middle of a published group (top five …)."""
    n = len(codes)
    out: dict[str, dict[int, float]] = {p: {} for p in codes}
    for y in years:
        values, ranks, ranges, _vr, pub_mean, _notes = _constraints(facts, index_name, y, n)
        approx = approx_values(facts, index_name, y)
        mean, sd = ASSUMED[index_name][y]
        mean = pub_mean if pub_mean is not None else approx.get(None, mean)
        for p in codes:
            if p in ranks:
                z = norm.ppf(1 - (ranks[p] - 0.5) / n)
            elif p in values or p in approx:
                z = (values.get(p, approx.get(p)) - mean) / sd
            elif p in ranges:
                z = norm.ppf(1 - ((ranges[p][0] + ranges[p][1]) / 2 - 0.5) / n)
            else:
                continue
            out[p][y] = float(np.clip(z, -2.6, 2.6))
    return out


def _latent(codes: list[str], years: range, rng: np.random.Generator,
            anchors: dict[str, dict[int, float]] | None = None) -> dict[int, dict[str, float]]:
    """A smooth standing per province and year (a normal score; higher ranks better). Where sources publish a
    position, the path passes through it and runs straight between two published years; away from them it
    drifts slowly (an AR(1) walk, a few places a year), so the demo never jumps 30 places without a source."""
    anchors = anchors or {}
    ys = list(years)
    out: dict[int, dict[str, float]] = {y: {} for y in ys}
    for p in codes:
        base = rng.normal()
        walk, e = [], 0.0
        for _ in ys:
            e = 0.75 * e + rng.normal(scale=0.16)
            walk.append(e)
        a = anchors.get(p, {})
        if a:
            ay = sorted(a)
            core = np.interp(ys, ay, [a[y] for y in ay])                  # held flat before the first, after the last
            near = np.array([min(abs(y - k) for k in ay) for y in ys])
            path = core + np.minimum(1.0, near / 2.0) * np.array(walk)    # exact at a published year
        else:
            path = base + np.array(walk)
        for y, z in zip(ys, path):
            out[y][p] = float(z)
    return out


def national_table(index_name: str, year: int, codes: list[str], latent: dict[str, float],
                   facts: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    n = len(codes)
    values, ranks, ranges, vranges, pub_mean, notes = _constraints(facts, index_name, year, n)
    approx = approx_values(facts, index_name, year)
    mean, sd = ASSUMED[index_name][year]
    mean = pub_mean if pub_mean is not None else approx.get(None, mean)
    slots: dict[int, str] = {}
    pins: dict[int, float] = {}
    for p, r in ranks.items():
        slots[r] = p
        if p in values:
            pins[r] = values[p]
    order = sorted(codes, key=lambda p: -latent[p])
    # range-constrained provinces (top/bottom groups)
    for p in sorted((p for p in ranges if p not in values), key=lambda p: -latent[p]):
        lo, hi = ranges[p]
        free = [r for r in range(1, n + 1) if r not in slots]
        # inside the published range, or (when conflicting sources overfill it) as close as possible
        r = min(free, key=lambda r: 0 if lo <= r <= hi else min(abs(r - lo), abs(r - hi)))
        slots[r] = p
    c = _curve(n, mean, sd, pins)
    # value-only provinces go where their value fits between pinned neighbours
    for p in sorted(set(values) - set(ranks) - set(slots.values()), key=lambda p: -values[p]):
        v = values[p]
        cands = [r for r in range(1, n + 1) if r not in slots
                 and all((pins[q] > v) if q < r else (pins[q] < v) for q in pins)]
        r = min(cands, key=lambda r: abs(c[r - 1] - v))
        slots[r], pins[r] = p, v
        c = _curve(n, mean, sd, pins)
    for p in order:
        if p not in slots.values():
            slots[next(r for r in range(1, n + 1) if r not in slots)] = p
    # a value stated only approximately ("about 87 per cent") is matched as closely as the published order allows
    # (the row stays illustrative: the source gave no exact figure)
    for p in (p for p in approx if p is not None and p not in values):
        r = next((r for r, q in slots.items() if q == p), None)
        if r is None:
            continue
        above = [pins[k] for k in pins if k < r]
        below = [pins[k] for k in pins if k > r]
        hi = min(above) - 0.01 * (r - max(k for k in pins if k < r)) if above else 100.0
        lo = max(below) + 0.01 * (min(k for k in pins if k > r) - r) if below else FLOOR[index_name]
        pins[r] = round(float(np.clip(approx[p], lo, hi)), 2)
        c = _curve(n, mean, sd, pins)
    for p, (lo, hi) in vranges.items():  # published group value bands (e.g. 2012 lowest group)
        r = next(r for r, q in slots.items() if q == p)
        c[r - 1] = min(max(c[r - 1], lo + 0.01), hi - 0.01)
    c = _fit(c, pins, mean, FLOOR[index_name])
    rows = []
    for r in range(1, n + 1):
        p = slots[r]
        fact = notes.get(p)
        published_value = p in values
        published_rank = p in ranks
        note = None
        if fact is not None:
            bits = []
            if isinstance(fact.rank_note, str):
                bits.append(fact.rank_note)
            if isinstance(fact.note, str):
                bits.append(fact.note)
            note = "; ".join(bits) or None
        rows.append(dict(index_name=index_name, year=year, province_code=p, measure_code="total",
                         score=float(c[r - 1]), rank=r, ci_low=None, ci_high=None, std_error=None,
                         provenance=_how(fact, "value_provenance") if published_value else "illustrative",
                         rank_provenance=_how(fact, "rank_provenance") if published_rank else "illustrative",
                         source_key=fact.source_key if (fact is not None and (published_value or published_rank))
                         else "ILLUSTRATIVE", note=note))
    return pd.DataFrame(rows)


def _how(fact, column: str) -> str:
    """'derived' for a figure worked out from a stated change, else 'published'."""
    return "derived" if getattr(fact, column, None) == "derived" else "published"


def _domains_par(total: pd.DataFrame, defs: pd.DataFrame, strengths: dict, rng) -> pd.DataFrame:
    doms = defs[defs.depth == "domain"]
    codes, maxes = list(doms.measure_code), doms.max_score.to_numpy()
    rows = []
    for r in total.itertuples():
        t = r.score
        share = np.clip(t / 100 + np.array([strengths[r.province_code][i] for i in range(len(codes))])
                        + rng.normal(scale=0.03, size=len(codes)), 0.35, 1.0)
        pts = share * maxes
        for _ in range(50):  # scale to the total without exceeding any maximum
            gap = t - pts.sum()
            if abs(gap) < 1e-9:
                break
            room = (maxes - pts) if gap > 0 else (pts - 0.2 * maxes)
            room = np.maximum(room, 0)
            pts += np.sign(gap) * np.minimum(room, abs(gap) * room / room.sum())
        pts = np.round(pts, 2)
        resid = round(t - pts.sum(), 2)
        j = int(np.argmax(maxes - pts)) if resid > 0 else int(np.argmax(pts))
        pts[j] = round(pts[j] + resid, 2)
        for code, v in zip(codes, pts):
            rows.append(dict(index_name=r.index_name, year=r.year, province_code=r.province_code,
                             measure_code=code, score=float(v), ci_low=None, ci_high=None, std_error=None,
                             provenance="illustrative", rank_provenance="illustrative",
                             source_key="ILLUSTRATIVE", note=None))
    return pd.DataFrame(rows)


def _components_sipas(total: pd.DataFrame, defs: pd.DataFrame, rng) -> pd.DataFrame:
    codes = list(defs[defs.depth == "domain"].measure_code)
    rows = []
    for r in total.itertuples():
        for code in codes:
            v = float(np.clip(round(r.score + rng.normal(scale=1.6) - (1.5 if code == "6" else 0), 2), 50, 99.9))
            rows.append(dict(index_name="SIPAS", year=r.year, province_code=r.province_code, measure_code=code,
                             score=v, ci_low=None, ci_high=None, std_error=None, provenance="illustrative",
                             rank_provenance="illustrative", source_key="ILLUSTRATIVE", note=None))
    return pd.DataFrame(rows)


def national_batch() -> Batch:
    """PAR INDEX 2012–2025 and SIPAS 2017–2025 for every province, published figures kept exactly."""
    rng = np.random.default_rng(SEED)
    t = province_tables()
    prov = t["province"]
    p63 = sorted(prov[(prov.scheme == "p63") & (prov.valid_to_year == 2024)].province_code)
    cross = t["province_crosswalk"]
    p34 = sorted(prov[prov.scheme == "p34"].province_code)
    facts = press_facts()
    b = Batch("illustrative_national")
    stats = []
    for index_name, years in (("PAR INDEX", PAR_YEARS), ("SIPAS", SIPAS_YEARS)):
        lat = _latent(p63, years, rng, _anchors(facts, index_name, [y for y in years if scheme_for_year(y) == "p63"], p63))
        strengths = {p: rng.normal(scale=0.06, size=8) for p in p63 + p34}
        for year in years:
            if scheme_for_year(year) == "p34":
                lat34 = {n: float(np.mean([lat[year][o] for o in cross[cross.new_code == n].old_code]))
                         for n in p34}
                codes, latent = p34, lat34
            else:
                codes, latent = p63, lat[year]
            total = national_table(index_name, year, codes, latent, facts, rng)
            defs = measures_for(index_name, year)
            parts = (_domains_par(total, defs, strengths, rng) if index_name == "PAR INDEX"
                     else _components_sipas(total, defs, rng))
            parts["rank"] = parts.groupby("measure_code")["score"].rank(ascending=False, method="min")
            parts["rank"] = parts["rank"].astype("Int64")
            b.add("province_score", pd.concat([total, parts], ignore_index=True))
            b.add("measure", defs)
            pm = facts[(facts.index_name == index_name) & (facts.year == year) & facts.province_code.isna()
                       & facts.value.notna()]
            for r in pm.itertuples():
                stats.append(dict(index_name=index_name, year=year, measure_code="total", stat="mean",
                                  value=float(r.value), provenance="published", source_key=r.source_key,
                                  note=r.note if isinstance(r.note, str) else None))
    b.add("national_stat", pd.DataFrame(stats))
    return b


# ------------------------------------------------------------------------------------ units

UNIT_YEARS = range(2015, 2026)
# Years known only from published annexes (domain scores, total, rank): so that pages show, on first start,
# how they handle years without criterion detail. The scores are generated like the others, then summed.
DOMAIN_ONLY_YEARS = (2015, 2016)


def units_batch(units: pd.DataFrame, frameworks: pd.DataFrame, items: pd.DataFrame) -> Batch:
    """Illustrative self-assessed, appraised and survey scores for the home province's units.

    Patterns: appraisal below self-assessment (cuts concentrated on evidence-heavy criteria), some
    criteria weak for years, improving and declining units, new units after the 2025 restructuring."""
    rng = np.random.default_rng(SEED + 1)
    rows, uy = [], []
    crit_difficulty = {}
    for fid, g in items.groupby("framework_id"):
        for code in g.code:
            crit_difficulty.setdefault(code, rng.normal(scale=0.12))
    # a few criteria are weak for years, whatever the unit
    for code in ("3.3.3", "7.2.1", "5.3.2", "2.2.2", "6.1.1", "4.2.2"):
        crit_difficulty[code] = -0.35
    quality = {u: rng.normal(scale=0.07) for u in units.unit_id}
    trend = {u: rng.choice([-0.012, 0.0, 0.0, 0.01, 0.02]) for u in units.unit_id}
    over = {u: abs(rng.normal(0.05, 0.05)) for u in units.unit_id}
    # a unit formed by a merger inherits its predecessors' habits (so its history continues plausibly)
    for u in units.itertuples():
        preds = list(units.loc[units.successor_id == u.unit_id, "unit_id"])
        if preds:
            quality[u.unit_id] = float(np.mean([quality[p] for p in preds]))
            trend[u.unit_id] = float(np.mean([trend[p] for p in preds]))
            over[u.unit_id] = float(np.mean([over[p] for p in preds]))
    for u in units.itertuples():
        to = u.valid_to_year if not pd.isna(u.valid_to_year) else max(UNIT_YEARS)
        for year in range(max(u.valid_from_year, min(UNIT_YEARS)), int(to) + 1):
            fw = frameworks[(frameworks.level == u.level) & (frameworks.year_from <= year)
                            & (pd.to_numeric(frameworks.year_to).isna() | (pd.to_numeric(frameworks.year_to) >= year))]
            if fw.empty:
                continue
            fid = fw.framework_id.iloc[0]
            leaves = items[(items.framework_id == fid) & (items.depth == "sub_criterion")]
            base = 0.80 + quality[u.unit_id] + trend[u.unit_id] * (year - 2015)
            for it in leaves.itertuples():
                mx = it.max_points
                share = float(np.clip(base + crit_difficulty.get(it.code, 0) + rng.normal(scale=0.10), 0, 1))
                if it.is_survey:
                    rows.append(dict(year=year, unit_id=u.unit_id, framework_id=fid, item_code=it.code,
                                     self_score=None, appraised_score=None,
                                     survey_score=round(share * mx, 2)))
                    continue
                appraised = round(share * mx * 4) / 4
                claim = float(np.clip(share + over[u.unit_id] * (rng.random() < 0.45) + rng.normal(scale=0.02),
                                      share, 1))
                self_score = max(appraised, round(claim * mx * 4) / 4)
                rows.append(dict(year=year, unit_id=u.unit_id, framework_id=fid, item_code=it.code,
                                 self_score=self_score, appraised_score=appraised, survey_score=None))
            uy.append(dict(year=year, unit_id=u.unit_id, framework_id=fid, detail_level="sub_criterion",
                           total_score=None, rank=None, band=None, provenance="illustrative",
                           source_key="ILLUSTRATIVE"))
    df = pd.DataFrame(rows)
    for col in ("self_score", "appraised_score", "survey_score"):
        df[col] = df[col].astype("float64")
    uy = pd.DataFrame(uy)
    df, uy = _domain_only(df, uy, items)
    df["provenance"] = "illustrative"
    df["source_key"] = "ILLUSTRATIVE"
    b = Batch("illustrative_units")
    b.add("unit_score", df)
    b.add("unit_year", uy)
    return b


def _domain_only(df: pd.DataFrame, uy: pd.DataFrame, items: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """DOMAIN_ONLY_YEARS as an annex prints them: each domain's final points (appraised + survey, no
    self-assessment), and the rank within the level and year."""
    early = df.year.isin(DOMAIN_ONLY_YEARS)
    leaf = items[items.depth == "sub_criterion"][["framework_id", "code", "parent_code"]]
    crit = items[items.depth == "criterion"][["framework_id", "code", "parent_code"]].rename(
        columns={"code": "parent_code", "parent_code": "domain"})
    e = df[early].merge(leaf.rename(columns={"code": "item_code"}), on=["framework_id", "item_code"])
    e = e.merge(crit, on=["framework_id", "parent_code"])
    e["final"] = e.appraised_score.fillna(0) + e.survey_score.fillna(0)
    dom = (e.groupby(["year", "unit_id", "framework_id", "domain"], as_index=False).final.sum()
           .rename(columns={"domain": "item_code", "final": "appraised_score"}))
    dom["appraised_score"] = dom.appraised_score.round(2)
    dom["self_score"] = float("nan")
    dom["survey_score"] = float("nan")
    out = pd.concat([df[~early], dom[df.columns]], ignore_index=True)
    uy = uy.copy()
    is_early = uy.year.isin(DOMAIN_ONLY_YEARS)
    uy.loc[is_early, "detail_level"] = "domain"
    uy["rank"] = uy["rank"].astype("Int64")
    return out, uy


# The demo's sample plan (Kế hoạch nâng cao Chỉ số CCHC năm 2025): made "after the 2024 results", so the demo shows
# the plan, its Word document and its tracking against the 2025 results on first start. Illustrative, like the rest.
SAMPLE_PLAN_YEAR = 2025
SAMPLE_PLAN = [
    # scope, index or level, item code, agency, target kind, target, actions
    ("index", "PAR INDEX", "total", "Sở Nội vụ", "rank", 15,
     "Tham mưu UBND tỉnh chỉ đạo, đôn đốc các sở, ngành thực hiện kế hoạch; tự đánh giá, chấm điểm đúng hướng dẫn."),
    ("index", "PAR INDEX", "3", "Văn phòng UBND tỉnh", "pct", 88,
     "Rà soát, đơn giản hóa thủ tục hành chính; công bố, công khai đầy đủ, đúng hạn."),
    ("index", "PAR INDEX", "7", "Sở Khoa học và Công nghệ", "pct", 97,
     "Nâng tỷ lệ hồ sơ trực tuyến toàn trình; kết nối, chia sẻ dữ liệu với Cổng Dịch vụ công quốc gia."),
    ("index", "SIPAS", "total", "Sở Nội vụ", "points", 85,
     "Khảo sát định kỳ sự hài lòng tại Trung tâm Phục vụ hành chính công; xử lý phản ánh, kiến nghị."),
    ("index", "PAPI", "total", "Sở Nội vụ", "rank", 20,
     "Công khai, minh bạch; tăng cường tiếp nhận, trả lời phản ánh của người dân."),
    ("unit", "department", "2.1", "Sở Tư pháp", "pct", 80,
     "Thẩm định, ban hành văn bản quy phạm pháp luật đúng trình tự, đúng hạn."),
    ("unit", "department", "7.2", "Sở Khoa học và Công nghệ", "pct", 70,
     "Hướng dẫn các sở, ngành cung cấp dịch vụ công trực tuyến toàn trình."),
    ("unit", "department", "6.1", "Sở Tài chính", "pct", 64,
     "Hướng dẫn lập, giao và quyết toán dự toán ngân sách đúng quy định."),
    ("unit", "department", "3.3", "Văn phòng UBND tỉnh", "pct", 65,
     "Giải quyết hồ sơ đúng hạn qua bộ phận một cửa; xin lỗi khi trễ hạn."),
]


def plan_batch(options: pd.DataFrame) -> Batch:
    """The sample plan; `options`: etl.plan.choices of the plan year (names the measures as the framework does)."""
    import datetime as dt
    names = dict(zip(options.key, options.name_vi))
    rows = [dict(plan_year=SAMPLE_PLAN_YEAR, line_no=i, scope=scope,
                 index_name=where if scope == "index" else None, level=where if scope == "unit" else None,
                 item_code=code, item_name=names[f"{scope}|{where}|{code}"], agency=agency, target_kind=kind, target_value=float(value),
                 deadline=dt.date(SAMPLE_PLAN_YEAR, 12, 31), actions=actions, provenance="illustrative",
                 updated_by="(minh họa)", updated_at=dt.datetime(SAMPLE_PLAN_YEAR - 1, 12, 15))
            for i, (scope, where, code, agency, kind, value, actions) in enumerate(SAMPLE_PLAN, start=1)]
    b = Batch("plan")
    b.add("plan_line", pd.DataFrame(rows))
    return b
