"""What it takes (Mô phỏng thứ hạng): raise chosen domains of the national PAR INDEX (or PAPI) to the national
best, the median of the top 10, or a typed value; see the new total and rank with every other province held
fixed; and the fewest domains that reach a target rank. Other provinces move too: the page says so."""
import pandas as pd
import streamlit as st

from analysis import provinces as ap
from ui import charts, provinces as P
from ui.filters import url_choice
from ui.i18n import num, t
from ui.tables import table
from ui.units import name, require_db

require_db()
st.title(t("wi_title"))
st.caption(t("wi_intro"))
st.warning(t("wi_caveat"), icon=":material/info:")

c1, c2, c3 = st.columns([2, 1, 2])
index = P.pick_index(c1, options=["PAR INDEX", "PAPI"], key="wi_index")
year = P.pick_year(index, c2)
province = P.pick_province(year, c3)

w_in = P.what_if_inputs(index, year)
held, n_all, complete = P.coverage(index, "total", year)
if w_in is None or not complete:
    P.incomplete_notice(index, year, held, n_all, t("cov_needs_whatif"),
                        index_key="wi_index" if index != "PAPI" else None)
    st.stop()
wide, codes, m, ys = w_in["wide"], w_in["codes"], w_in["measures"], w_in["scores"]
if province not in wide.index:
    st.info(t("wi_incomplete", index=index, year=year))
    st.stop()
mine = wide.loc[province, codes]
totals = wide[codes].sum(axis=1)
others = totals.drop(province)
best = wide[codes].max()
top10 = wide.loc[totals.nlargest(10).index, codes].median()
maxima = m.max_score.reindex(codes).astype("float64")
illustrative = P.is_illustrative(ys[(ys.province_code == province) & (ys.measure_depth == "domain")])
pname = name(ys[ys.province_code == province], "province_name").iloc[0]

# --- choose a level per domain
st.subheader(t("wi_level"))
targets, rows = {}, []
levels = ["keep", "best", "top10", "typed"]
labels = {"keep": t("wi_keep"), "best": t("wi_best"), "top10": t("wi_top10"), "typed": t("wi_typed")}
for code in codes:
    a, b, c = st.columns([4, 2, 2])
    a.markdown(f"{m.label[code]}  \n**{num(mine[code])}** / {num(maxima[code])}")
    lvl = url_choice(t("wi_level"), levels, f"lv{code}", default="keep", format_func=labels.get, container=b)
    if lvl == "best":
        targets[code] = float(best[code])
    elif lvl == "top10":
        targets[code] = float(top10[code])
    elif lvl == "typed":
        targets[code] = c.number_input(t("wi_value"), min_value=0.0, max_value=float(maxima[code]),
                                       value=float(min(maxima[code], max(mine[code], best[code]))), step=0.1,
                                       key=f"wi_val_{code}")
    shown = targets.get(code)
    if shown is not None and lvl != "typed":
        c.metric(t("wi_value"), num(max(shown, mine[code])), label_visibility="collapsed")
w = ap.what_if(mine, targets, others.values)
now_rank = ap.new_rank(float(mine.sum()), others.values)

k1, k2, k3 = st.columns(3)
k1.metric(t("wi_now"), f"{num(mine.sum())} · {now_rank}/{len(totals)}", border=True)
k2.metric(t("wi_new_total"), num(w["total"]), ("+" if w["gain"] >= 0 else "") + num(w["gain"]), border=True)
k3.metric(t("wi_new_rank"), f"{w['rank']}/{len(totals)}", f"{now_rank - w['rank']:+d}" if w["rank"] != now_rank
          else None, border=True)

fig = charts.figure()
my_src = ys[(ys.province_code == province)].set_index("measure_code").source
fig.add_bar(x=[m.label[c] for c in codes], y=mine.values, name=t("wi_now"), marker_color=charts.PEER,
            customdata=P.hover_source(my_src.reindex(codes)), hovertemplate="%{x}: %{y:.2f}<br>%{customdata}<extra></extra>")
fig.add_bar(x=[m.label[c] for c in codes], y=w["domains"].values - mine.values, name=t("wi_gain"),
            marker_color=charts.GOOD)
fig.add_scatter(x=[m.label[c] for c in codes], y=best.values, mode="markers", name=t("wi_best"),
                marker=dict(symbol="star", size=14, color="#0f172a"))
fig.update_layout(barmode="stack")
fig.update_xaxes(tickangle=-20)
charts.style(fig, t("wi_chart"), illustrative, height=460)
charts.show(fig, "wi_chart", P.source_caption(index, illustrative))

# --- what it takes to reach a rank: the points needed, and the cheapest domains to find them in
st.subheader(t("wi_target"))
target = int(url_choice(t("wi_target"), list(range(1, len(totals) + 1)), "target", default=max(1, now_rank - 5)))
r = ap.plan_for_rank(mine, best.to_dict(), others.values, target)
if not r["plan"] and r["reachable"]:
    st.success(t("wi_already", rank=target))
else:
    st.metric(t("wi_points_needed", rank=target), num(r["needed_gain"]), border=True)
    if r["reachable"]:
        st.success(t("wi_plan", rank=target, need=num(r["need_total"]), gain=num(r["needed_gain"]),
                     n=len(r["plan"]), domains=", ".join(m.label[p["code"]] for p in r["plan"])))
    else:
        st.error(t("wi_unreachable", new_rank=r["rank"], total=num(r["total"]), need=num(r["need_total"]),
                   rank=target))
    table(pd.DataFrame([dict(label=m.label[p["code"]], now=p["now"], raise_by=p["raise_by"], to=p["to"],
                             best=p["reach"], share=p["to"] / maxima[p["code"]] * 100) for p in r["plan"]]),
          {"label": t("measure"), "now": t("wi_now"), "raise_by": t("wi_raise_by"), "to": t("wi_to"),
           "best": t("wi_best"), "share": t("wi_share_of_max")},
          key="wi_set", export=f"mo_phong_{index.replace(' ', '_')}_{year}",
          decimals={"now": 2, "raise_by": 2, "to": 2, "best": 2, "share": 1}, signed=("raise_by",),
          kinds={"now": "points", "raise_by": "points", "to": "points", "best": "points", "share": "percent"},
          title=t("wi_target"), source=P.source_caption(index, illustrative),
          filters={t("index"): index, t("year"): year, t("province"): pname, t("wi_target"): target})
    st.caption(t("wi_plan_how"))
st.caption(t("wi_caveat") + " " + pname)
