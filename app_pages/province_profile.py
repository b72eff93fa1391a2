"""Province profile and comparison (Hồ sơ tỉnh, So sánh): every domain of one province against the best
province that year and the national median, side by side with up to 5 provinces or a peer group (same
region; the provinces that merged into the same 2025 province), peer means excluding the province itself;
for PAPI, whether differences are beyond the published sampling error."""

import pandas as pd
import streamlit as st

from analysis import provinces as ap
from etl.text import vi_sort_key
from ui import charts, provinces as P, safe
from ui.data import q
from ui.filters import url_choice, url_multi
from ui.i18n import t
from ui.exports.tabular import export_notes
from ui.tables import downloads, table
from ui.units import name, require_db

require_db()
st.title(t("pp_title"))
st.caption(t("pp_intro"))

c1, c2, c3 = st.columns([3, 1, 2])
index = P.pick_index(c1, options=[i for i in ("PAR INDEX", "SIPAS", "PAPI", "PCI") if P.years_of(i)])
year = P.pick_year(index, c2)
province = P.pick_province(year, c3)
ys = q("index_year_scores", index=index, year=year)
dom = ys[ys.measure_depth == "domain"]
held, n_all, complete = P.coverage(index, "total", year)
if dom.empty or not complete:
    P.incomplete_notice(index, year, held, n_all, t("cov_needs_profile"))
    st.stop()
if province not in set(ys.province_code):
    st.info(t("no_index_year", index=index, year=year))
    st.stop()
names = dict(zip(ys.province_code, name(ys, "province_name")))
regions = dict(zip(ys.province_code, name(ys, "region")))
cw = P.crosswalk()

g1, g2 = st.columns([2, 3])
groups = ["custom", "region"] + (["merger"] if year < P.MERGER_YEAR else [])
group = url_choice(t("pp_peer_group"), groups, "peers", default="custom", kind="radio", container=g1,
                   format_func=lambda g: {"custom": t("pp_custom"), "region": t("pp_region"), "merger": t("pp_merger")}[g])
if group == "region":
    peers = [c for c, r in regions.items() if r == regions.get(province)]
elif group == "merger":
    new = cw.loc[cw.old_code == province, "new_code"]
    peers = list(cw.loc[cw.new_code.isin(new), "old_code"]) if len(new) else [province]
else:
    options = sorted((c for c in names if c != province), key=lambda c: vi_sort_key(names[c]))
    peers = [province] + url_multi(t("pp_compare"), options, "compare", container=g2, format_func=names.get,
                                   placeholder=t("choose"), max_selections=5)
shown = [province] + [p for p in peers if p != province]

m = P.measures(index, year).set_index("measure_code")
prof = ap.domain_profile(dom, province, peers)
prof["max"] = prof.measure_code.map(m.max_score).astype("float64")
prof["label"] = prof.measure_code.map(m.label)
prof["best_name"] = prof.best_province.map(names)
illustrative = P.is_illustrative(dom[dom.province_code.isin(shown)])

# --- bars: the province, each compared province, peer mean, best, median (as % of max)
wide = dom.pivot_table(index="measure_code", columns="province_code", values="score").reindex(prof.measure_code)
srcs = dom.pivot_table(index="measure_code", columns="province_code", values="source",
                       aggfunc="first").reindex(prof.measure_code)


def bars():
    fig = charts.figure()
    for i, c in enumerate(shown[:6]):
        if c not in wide:
            continue
        fig.add_bar(x=prof.label, y=100 * wide[c].values / prof["max"].values, name=names.get(c, c),
                    marker_color=charts.HOME if c == province else None, customdata=P.hover_source(srcs.get(c, [None] * len(prof))),
                    hovertemplate="%{x}<br>%{y:.1f} %<br>%{customdata}<extra>" + safe.chart(names.get(c, c)) + "</extra>")
    if len(peers) > 1:
        label = t("pp_members_mean") if group == "merger" else t("pp_peer_mean")
        fig.add_scatter(x=prof.label, y=100 * prof.peer_mean / prof["max"], mode="markers", name=label,
                        marker=dict(symbol="diamond", size=13, color=charts.INK))
    fig.add_scatter(x=prof.label, y=100 * prof.best / prof["max"], mode="markers", name=t("pp_best"),
                    marker=dict(symbol="star", size=15, color=charts.GOOD), customdata=prof.best_name,
                    hovertemplate="%{x}<br>%{y:.1f} % (%{customdata})<extra></extra>")
    fig.add_scatter(x=prof.label, y=100 * prof["median"] / prof["max"], mode="markers", name=t("median"),
                    marker=dict(symbol="line-ew-open", size=26, color=charts.INK_SOFT, line=dict(width=3)))
    fig.update_layout(barmode="group")
    fig.update_yaxes(title="% " + t("max_score").lower(), rangemode="tozero")
    fig.update_xaxes(tickangle=-20)
    return charts.style(fig, t("pp_chart", province=names[province], year=year), illustrative, height=520)


charts.show_built(bars, "pp_chart", (index, year, province, group, tuple(peers)), P.source_caption(index, illustrative), national=True)

prof["source_text"] = [P.source_label(k) for k in (srcs[province] if province in srcs else [None] * len(prof))]
cols = {"label": t("measure"), "score": names[province], "median": t("median"), "best": t("pp_best"),
        "best_name": t("province"), "peer_mean": t("pp_peer_mean"), "source_text": t("source_col")}
table(prof, cols, key="pp_table", decimals={"score": 2, "median": 2, "best": 2, "peer_mean": 2})
downloads(prof, cols, f"ho_so_{index.replace(' ', '_')}_{year}_{province}", "pp_dl",
          export_notes(t("pp_title"), {t("index"): index, t("year"): year, t("province"): names[province],
                                       t("pp_peer_group"): ", ".join(names.get(p, p) for p in peers)},
                       illustrative, P.source_caption(index, illustrative)))

# --- PAPI: is the difference beyond the noise?
if index == "PAPI" and len(shown) > 1:
    tot = ys[ys.measure_code == "total"].set_index("province_code")
    if province in tot.index:
        me = tot.loc[province]
        rows = []
        for c in shown[1:]:
            if c not in tot.index:
                continue
            o = tot.loc[c]
            r = ap.difference_test(float(me.score), ap.se_of(me.to_dict()), float(o.score), ap.se_of(o.to_dict()))
            rows.append(dict(name=names.get(c, c), score=float(o.score), diff=r["diff"], p=r["p_value"],
                             reading=t("pp_sig_na") if r["meaningful"] is None else
                             t("pp_sig_yes") if r["meaningful"] else t("pp_sig_no")))
        if rows:
            st.subheader(t("pp_sig"))
            table(pd.DataFrame(rows), {"name": t("province"), "score": t("score"), "diff": t("difference"),
                                       "p": "p", "reading": t("meaning")},
                  key="pp_sig", export=f"khac_biet_papi_{year}", decimals={"score": 2, "diff": 2, "p": 3}, signed=("diff",),
                  title=t("pp_sig"), filters={t("index"): index, t("year"): year, t("province"): names[province]},
                  source=P.source_caption(index, illustrative))
            st.caption(t("nr_ci_note"))
