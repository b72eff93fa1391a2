"""The briefing sequence for a meeting: overview → national position → weakest domains → trend → targets and
what-if → (internal) weakest units and criteria. Each screen is one headline sentence computed from the data
and one chart, described here once as a plain `Chart` (model.py: categories and series). Two renderers draw it:
the presentation mode (present.py, plotly) and the PowerPoint pack (pack.py, a native, editable chart).

The numbers come from the same cached helpers the leadership and Home Affairs pages use (league tables,
`overview_data`, `what_if_inputs`, ranked units, `analysis.units.targets`), so a screen and its page agree."""
from __future__ import annotations

import pandas as pd

from analysis import briefing as ab
from analysis import provinces as ap
from analysis import units as au
from ui import provinces as P
from ui.briefing.model import FOCUS, GAIN, INDEX, MAIN, MUTED, Chart, PackTexts, Screen
from ui.data import is_demo, q
from ui import units as U
from ui.i18n import lang, lower, num, t


def _pct(x: float) -> str:
    return num(x, 1) + " %"


def _province_name(code: str, year: int) -> str:
    pl = P.provinces(P.scheme_of(year))
    hit = pl[pl.province_code == code]
    return str(U.name(hit, "province_name").iloc[0]) if len(hit) else code


def _move(rank_change) -> str:
    if rank_change is None or pd.isna(rank_change):
        return ""
    k = int(rank_change)
    return t("places_up_short", n=k) if k > 0 else t("places_down_short", n=-k) if k < 0 else t("places_same_short")


def _index_max(index: str, year: int, code: str = "total") -> float | None:
    m = P.measures(index, year)
    hit = m[m.measure_code == code]
    return float(hit.max_score.iloc[0]) if len(hit) and not pd.isna(hit.max_score.iloc[0]) else None


# --- the screens ----------------------------------------------------------------------------------------

def overview(code: str, year: int, pname: str) -> Screen | None:
    cards, _, _ = P.overview_data(code, year)
    if not cards:
        return None
    cats, mine, med, illustrative, parts, srcs = [], [], [], False, [], []
    for index in P.INDEX_ORDER:
        r = cards.get(index)
        mx = _index_max(index, year)
        # that year's figure, with a score, against a median of every province (the card may show an earlier year)
        if r is None or not mx or r["year"] != year or r["score"] is None or r["rank"] is None \
                or not P.coverage(index, "total", year)[2]:
            continue
        lg = P.league(index, "total")
        ly = lg[lg.year == year]
        cats.append(index)
        mine.append(ab.share_of_max(r["score"], mx))
        med.append(ab.share_of_max(ly.score.median(), mx))
        illustrative |= r["illustrative"]
        srcs.append(r["source"])
        parts.append(f"{index} {r['rank']}/{r['n']}")
    if not cats:
        return None
    chart = Chart("column", cats, [(pname, mine), (t("bf_national_median"), med)], t("bf_share_of_max"),
                  colors=[FOCUS, MUTED], value_max=100, sources=srcs)
    return Screen("overview", t("bf_s_overview"), t("bf_h_overview", province=pname, year=year, parts=", ".join(parts)),
                  chart, " ".join(P.source_caption(i, False) for i in cats)
                  + (" " + t("src_illustrative") if illustrative else ""), illustrative)


def position(code: str, year: int, pname: str) -> Screen | None:
    lg = P.league(INDEX, "total")
    ly = lg[lg.year == year].sort_values(["rank", "score"], ascending=[True, False]).reset_index(drop=True)
    me = ly[ly.province_code == code]
    if me.empty:
        return None
    r = me.iloc[0]
    i = int(me.index[0])
    lo, hi = max(0, i - 5), min(len(ly), i + 6)
    near = ly.iloc[lo:hi]
    names = U.name(near, "province_name")
    cats = [f"{int(k)}. {n}" for k, n in zip(near["rank"], names)]
    illustrative = P.is_illustrative(near)
    if isinstance(r.change_basis, str) and r.change_basis == "members":
        head = t("bf_h_position_merger", province=pname, rank=int(r["rank"]), n=int(r.n), year=year)
    elif pd.isna(r.rank_change):
        head = t("bf_h_position_first", province=pname, rank=int(r["rank"]), n=int(r.n), year=year)
    else:
        prev = lg[(lg.province_code == code) & (lg.year < year)].year.max()
        head = t("bf_h_position", province=pname, rank=int(r["rank"]), n=int(r.n), year=year,
                 move=_move(r.rank_change), prev=int(prev))
    chart = Chart("bar", cats, [(t("score"), [float(v) for v in near.score])], t("score"), colors=[MAIN],
                  highlight=i - lo, decimals=2, sources=list(near.source))
    return Screen("position", t("bf_s_position"), head, chart, P.source_caption(INDEX, illustrative), illustrative,
                  note=t("bf_note_neighbours", n=int(r.n)))


def weakest_domains(code: str, year: int, pname: str) -> Screen | None:
    m = P.measures(INDEX, year)
    rows = []
    for d in m[m.measure_code != "total"].itertuples():
        lg = P.league(INDEX, d.measure_code)
        ly = lg[lg.year == year]
        me = ly[ly.province_code == code]
        if me.empty or not d.max_score:
            continue
        mx = float(d.max_score)
        rows.append(dict(label=d.label, full=d.label, mine=ab.share_of_max(me.score.iloc[0], mx),
                         source=me.source.iloc[0],
                         median=ab.share_of_max(ly.score.median(), mx), illustrative=P.is_illustrative(me)))
    if not rows:
        return None
    df = ab.domain_gaps(pd.DataFrame(rows))
    worst = df.iloc[0]
    head = (t("bf_h_weak", province=pname, domain=worst.full, gap=num(worst.gap, 1)) if worst.gap < 0
            else t("bf_h_weak_none", province=pname))
    illustrative = bool(df.illustrative.any())
    chart = Chart("bar", list(df.label), [(pname, list(df.mine)), (t("bf_national_median"), list(df["median"]))],
                  t("bf_share_of_max"), colors=[FOCUS, MUTED], value_max=100, sources=list(df.source))
    return Screen("weak", t("bf_s_weak"), head, chart, P.source_caption(INDEX, illustrative), illustrative,
                  note=t("bf_note_weak"))


def trend(code: str, year: int, pname: str) -> Screen | None:
    """The province's PAR INDEX (as % of the maximum) and the national median over the years. After the 2025 merger
    the years before it show the unweighted mean of the old provinces that formed it (ranks are not compared
    across the merger: the field changed)."""
    lg = P.league(INDEX, "total")
    same = lg[((lg.year >= P.MERGER_YEAR) == (year >= P.MERGER_YEAR)) & (lg.year <= year)]
    mine = same[same.province_code == code].sort_values("year")
    before = pd.DataFrame(columns=["year", "score"])
    if year >= P.MERGER_YEAR:
        mm = ap.members_mean(lg[lg.year < P.MERGER_YEAR], P.crosswalk(), code)
        before = mm[mm.basis == "members_mean"].sort_values("year")
    if len(before) + len(mine) < 2:
        return None
    years = [int(y) for y in before.year] + [int(y) for y in mine.year]
    mx = {y: _index_max(INDEX, y) for y in years}
    share = [ab.share_of_max(v, mx[y]) for v, y in zip(list(before.score) + list(mine.score), years)]
    med = [ab.share_of_max(lg[lg.year == y].score.median(), mx[y]) for y in years]
    delta = ("+" if share[-1] >= share[0] else "") + num(share[-1] - share[0], 1)
    if len(before):
        olds = P.crosswalk()
        olds = olds[olds.new_code == code]
        members = ", ".join(str(x) for x in olds["old_name_vi" if lang() == "vi" else "old_name_en"])
        head = t("bf_h_trend_merger", province=pname, a=years[0], b=years[-1], x=_pct(share[0]), y=_pct(share[-1]),
                 delta=delta, members=members)
    else:
        a, b = mine.iloc[0], mine.iloc[-1]
        head = t("bf_h_trend", province=pname, a=years[0], b=years[-1], x=_pct(share[0]), y=_pct(share[-1]),
                 delta=delta, ra=int(a["rank"]), rb=int(b["rank"]), n=int(b.n))
    illustrative = P.is_illustrative(mine) or (len(before) > 0 and P.is_illustrative(
        lg[(lg.year < P.MERGER_YEAR) & lg.province_code.isin(P.crosswalk().query("new_code == @code").old_code)]))
    br = q("method_breaks", index=INDEX)
    inside = [b for b in br.itertuples() if years[0] < int(b.year) <= years[-1]]
    note = t("bf_note_breaks", breaks="; ".join(f"{int(b.year)}: {b.label_vi if lang() == 'vi' else b.label_en}"
                                                for b in inside)) if inside else ""
    if len(before):
        note = (t("bf_note_members_mean", year=P.MERGER_YEAR) + " " + note).strip()
    series_name = pname if not len(before) else t("bf_trend_series_merger", province=pname)
    chart = Chart("line", [str(y) for y in years], [(series_name, share), (t("bf_national_median"), med)],
                  t("bf_share_of_max"), colors=[FOCUS, MUTED],
                  sources=[None] * len(before) + list(mine.source))
    return Screen("trend", t("bf_s_trend"), head, chart, P.source_caption(INDEX, illustrative), illustrative, note=note)


def target(code: str, year: int, pname: str) -> Screen | None:
    w = P.what_if_inputs(INDEX, year)
    if w is None or code not in w["wide"].index:
        return None
    wide, codes, m = w["wide"], w["codes"], w["measures"]
    mine = wide.loc[code, codes]
    others = wide[codes].sum(axis=1).drop(code)
    best = wide[codes].max()
    n = len(wide)
    step = ab.target_step(mine, best, others.values)
    now, r, raise_by = step["now"], step["plan"], step["raise_by"]
    labels = {c: m.label[c] for c in codes}
    if now == 1:
        head = t("bf_h_target_first", province=pname)
    elif r["reachable"]:
        head = t("bf_h_target", k=len(r["plan"]), gain=num(r["needed_gain"]),
                 domains=", ".join(m.label[c] for c in raise_by) if len(raise_by) <= 2 else ", ".join(raise_by),
                 new=r["rank"], now=now, n=n)
    else:
        head = t("bf_h_target_unreachable", rank=r["rank"], now=now, n=n)
    gain = [float(raise_by.get(c, 0.0)) for c in codes]
    illustrative = P.is_illustrative(w["scores"][w["scores"].province_code == code])
    chart = Chart("bar", [labels[c] for c in codes],
                  [(t("wi_now"), [float(mine[c]) for c in codes]), (t("bf_gain_to_best"), gain)],
                  t("score"), colors=[MAIN, GAIN], stacked=True, decimals=2)
    return Screen("target", t("bf_s_target"), head, chart, P.source_caption(INDEX, illustrative), illustrative,
                  note=t("wi_caveat"))


def _unit_year(level: str, year: int) -> int | None:
    years = U.level_years(level)
    if not years:
        return None
    return year if year in years else max([y for y in years if y <= year] or years)


def weakest_units(level: str, year: int) -> Screen | None:
    uy = _unit_year(level, year)
    if uy is None:
        return None
    rk = U.ranked(level)
    d = rk[rk.year == uy].sort_values("score_pct").head(10)
    if d.empty:
        return None
    n = int(rk[rk.year == uy].unit_id.nunique())
    low = d.iloc[0]
    lname = str(U.name(d.head(1)).iloc[0])
    head = t("bf_h_units", level=t(level), year=uy, unit=lname, pct=_pct(float(low.score_pct)), rank=int(low["rank"]), n=n)
    illustrative = U.is_illustrative(d)
    chart = Chart("bar", [f"{int(k)}. {s}" for k, s in zip(d["rank"], U.name(d))],
                  [(t("bf_index_pct"), [float(v) for v in d.score_pct])], t("bf_index_pct"),
                  colors=[MAIN], highlight=0, value_max=100)
    return Screen("units", t("bf_s_units"), head, chart, U.unit_source() + (" " + t("src_illustrative") if illustrative else ""),
                  illustrative, internal=True, note=t("bf_note_units", n=n))


def weakest_criteria(level: str, year: int) -> Screen | None:
    uy = _unit_year(level, year)
    if uy is None:
        return None
    note_year = ""
    if U.detail_of(level, uy) not in ("sub_criterion", "criterion"):     # a year known from its annex only
        years = U.detail_years(level, "criterion")
        if not years:
            return None
        prior = [y for y in years if y <= uy]
        used = prior[-1] if prior else years[0]          # the closest year with criteria
        note_year = t("bf_note_criteria_year", year=uy, used=used) + " "
        uy = used
    items = U.items(level, "criterion", uy)
    tg = au.targets(items)
    tg = tg[tg.recoverable > 0].head(8)
    if tg.empty:
        return None
    n = items.unit_id.nunique()
    names = U.name(tg, "item_name")
    top = tg.iloc[0]
    head = t("bf_h_criteria", year=uy, item=f"{top.item_code} {names.iloc[0]}", pts=num(float(top.recoverable), 1),
             k=int(top.n_units_losing), n=n, level=lower(t(level)))
    illustrative = U.is_illustrative(items)
    chart = Chart("bar", [f"{c}. {s}" for c, s in zip(tg.item_code, names)],
                  [(t("tg_recoverable"), [float(v) for v in tg.recoverable])], t("tg_recoverable"), colors=[MAIN],
                  highlight=0)
    return Screen("criteria", t("bf_s_criteria"), head, chart,
                  U.unit_source() + (" " + t("src_illustrative") if illustrative else ""), illustrative, internal=True,
                  note=note_year + t("bf_note_criteria"))


def plan_progress(year: int) -> Screen | None:
    """The province's plan for `year` against that year's results: per lead agency, targets reached, not reached and
    without data (ui.plan.tracking)."""
    from analysis import plan as aplan
    from ui import plan as UP
    tr = UP.tracking(int(year))
    if tr is None or (tr.status == "no_data").all():
        return None
    ag = aplan.by_agency(tr).iloc[::-1]           # most missed on top of the bar chart
    n_data = int((tr.status != "no_data").sum())
    worst = aplan.by_agency(tr).iloc[0]
    head = (t("bf_h_plan", year=year, k=int((tr.status == "reached").sum()), n=len(tr), agency=worst.agency,
              m=int(worst.missed)) if worst.missed else t("bf_h_plan_all", year=year, n=n_data))
    chart = Chart("bar", list(ag.agency),
                  [(t("pl_reached"), [float(v) for v in ag.reached]), (t("pl_missed"), [float(v) for v in ag.missed]),
                   (t("pl_no_data"), [float(v) for v in ag.no_data])], t("bf_plan_lines"),
                  colors=[GAIN, FOCUS, MUTED], stacked=True, decimals=0)
    illustrative = bool((tr.provenance == "illustrative").any())
    return Screen("plan", t("bf_s_plan"), head, chart,
                  t("pl_source") + (" " + t("src_illustrative") if illustrative else ""), illustrative, internal=True,
                  note=t("bf_note_plan", year=year))


def _unit_scope(code: str, year: int):
    """The units of that province (of those merged into it before 2025)."""
    return U.scoped(P.to_scheme(f"{P.scheme_of(year)}:{code}", "p34"))


def unit_years(code: str, year: int, level: str) -> list[int]:
    """The years of the province's units of `level` that are loaded (any of them can be briefed)."""
    with _unit_scope(code, year):
        return U.level_years(level)


def sequence(code: str, year: int, internal: bool = True, level: str = "department",
             unit_year: int | None = None) -> list[Screen]:
    """The screens for one province (its code in the year's scheme) and PAR INDEX year, in meeting order; the
    internal screens show the units of `unit_year` (default: that year, or the closest loaded year before it).
    A screen without data for that year is left out rather than shown empty."""
    pname = _province_name(code, year)
    steps = [overview(code, year, pname)]
    if P.coverage(INDEX, "total", year)[2]:  # position, domains, trend and targets compare with every province
        steps += [position(code, year, pname), weakest_domains(code, year, pname), trend(code, year, pname),
                  target(code, year, pname)]
    if internal:
        with _unit_scope(code, year):
            steps += [weakest_units(level, unit_year or year), weakest_criteria(level, unit_year or year)]
        if code in U.home_codes():           # the province's own plan, tracked on that year's results
            steps.append(plan_progress(year))
    return [s for s in steps if s is not None]


# --- texts for the PowerPoint pack (computed in the script run; the pack itself is built on click) -------

def pack_texts(code: str, year: int):
    from datetime import date

    src = q("sources_list")
    src = src[src.n_values > 0]
    press = src[src.source_key.str.startswith("PRESS-")]
    named = src[~src.source_key.str.startswith("PRESS-")]
    sources = [f"{r.title} ({r.citation})" if isinstance(r.citation, str) and r.citation else str(r.title)
               for r in named.head(6).itertuples()]
    if len(press):
        sources.append(t("bf_press_sources", n=len(press), sites=", ".join(sorted(set(press.title))[:8])))
    notes = [t(k).replace("**", "").replace("`", "") for k in ("me_par", "me_sipas", "me_papi", "me_merger",
                                                               "me_illustrative" if is_demo() else "me_real")]
    return PackTexts(title=t("bf_pack_title"), subtitle=t("bf_pack_sub", province=_province_name(code, year), year=year),
                     made=t("bf_pack_made", date=date.today().strftime("%d/%m/%Y")),
                     illustrative_label=t("demo_mark") if is_demo() else t("illustrative_chart"),
                     illustrative_note=(t("demo_banner") if is_demo() else t("bf_pack_illustrative")),
                     internal_tag=t("bf_internal_tag"), closing_title=t("bf_closing"), sources=sources,
                     method_notes=notes, decimal_comma=lang() == "vi")
