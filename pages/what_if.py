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

# --- the fewest domains for a target rank
st.subheader(t("wi_target"))
target = int(url_choice(t("wi_target"), list(range(1, len(totals) + 1)), "target", default=max(1, now_rank - 5)))
r = ap.smallest_set_for_rank(mine, best.to_dict(), others.values, target)
if r["reachable"] and not r["chosen"]:
    st.success(t("wi_already", rank=target))
elif r["reachable"]:
    st.success(t("wi_smallest", rank=target, domains=", ".join(m.label[c] for c in r["chosen"]), total=num(r["total"]),
                 new_rank=r["rank"]))
    table(pd.DataFrame([dict(label=m.label[c], now=mine[c], best=best[c], gain=best[c] - mine[c]) for c in r["chosen"]]),
          {"label": t("measure"), "now": t("wi_now"), "best": t("wi_best"), "gain": t("difference")},
          key="wi_set", export=f"mo_phong_{index.replace(' ', '_')}_{year}", decimals={"now": 2, "best": 2, "gain": 2}, signed=("gain",),
          title=t("wi_target"), source=P.source_caption(index, illustrative),
          filters={t("index"): index, t("year"): year, t("province"): pname, t("wi_target"): target})
else:
    st.error(t("wi_unreachable", new_rank=r["rank"], total=num(r["total"])))
st.caption(t("wi_caveat") + " " + pname)
