"""Criterion gaps (Phân tích tiêu chí): units × domains (drill to criteria and sub-criteria) coloured by share
of maximum, the Pareto of points lost across the province, and the units behind any one criterion."""
import streamlit as st

from analysis import units as au
from ui import charts, safe, units as U
from ui.filters import url_choice
from ui.i18n import lower, num, pct, t
from ui.exports.tabular import export_notes
from ui.tables import downloads, table

HEAT_MAX = 60                           # rows of the units × items heatmap

U.require_db(unit_page=True)
st.title(t("cg_title"))
st.caption(t("cg_intro"))
level, year = U.level_and_year()

c1, c2 = st.columns([2, 2])
depth = U.depth_choice(level, year, "domain", container=c1)
items = U.items(level, depth, year)
items["item"] = U.name(items, "item_name")
items["unit"] = U.name(items)
domains = U.items(level, "domain", year)
within = "all"
if depth != "domain":
    dom_label = dict(zip(domains.item_code, U.name(domains, "item_name")))
    within = url_choice(t("cg_within"), ["all"] + list(dict.fromkeys(domains.item_code)), "domain", default="all",
                        format_func=lambda c: t("all") if c == "all" else f"{c}. {dom_label[c]}", container=c2)
    if within != "all":
        items = items[items.item_code.str.startswith(within + ".")]
if items.empty:
    st.info(t("no_rows"))
    st.stop()
illustrative = U.is_illustrative(items)
U.illustrative_banner(illustrative)

# --- heatmap: units × items, share of maximum achieved
share = items.assign(share=100 * au.share_achieved(items))
order_units = (share.groupby("unit").final_score.sum().sort_values(ascending=False).index.tolist())
if len(order_units) > HEAT_MAX:         # a large province's communes: the weakest, readable; all in the tables below
    st.caption(t("cg_heat_capped", n=HEAT_MAX, total=len(order_units)))
    order_units = order_units[-HEAT_MAX:]
    share = share[share.unit.isin(set(order_units))]
codes = list(dict.fromkeys(share.sort_values("sort_order").item_code))
grid = share.pivot_table(index="unit", columns="item_code", values="share", aggfunc="first").reindex(
    index=order_units, columns=codes)
names = dict(zip(share.item_code, share.item))
hover = [[f"{safe.chart(u)}<br>{c}. {safe.chart(names[c])}" for c in codes] for u in order_units]
fig = charts.figure().add_heatmap(
    z=grid.values, x=codes, y=order_units, zmin=0, zmax=100, colorscale=charts.SEQUENTIAL,
    customdata=hover, hovertemplate="%{customdata}<br>%{z:.1f} %<extra></extra>",
    text=[[num(v, 0) for v in row] for row in grid.values] if len(codes) <= 12 else None,
    texttemplate="%{text}" if len(codes) <= 12 else None, colorbar=dict(title="%"))
fig.update_yaxes(autorange="reversed")
fig.update_xaxes(type="category", tickangle=-45 if len(codes) > 12 else 0)
charts.style(fig, t("cg_heatmap", depth=lower(t(depth))), illustrative, height=max(380, 24 * len(order_units) + 160))
charts.show(fig, "cg_heatmap", U.unit_source(year))

# --- Pareto of points lost
st.subheader(t("cg_pareto", depth=lower(t(depth))))
par = au.pareto(items)
par["item"] = U.name(par, "item_name")
top = par.head(20)
fig = charts.figure()
fig.add_bar(x=top.item_code, y=top.points_lost, name=t("points_lost"), marker_color=charts.BAD,
            customdata=top["item"].map(safe.chart), hovertemplate="%{x}. %{customdata}<br>%{y:.2f}<extra></extra>")
fig.add_scatter(x=top.item_code, y=100 * top.cum_share, name=t("cg_cum"), yaxis="y2", mode="lines+markers",
                line_color=charts.INK)
fig.update_layout(yaxis=dict(title=t("points_lost")),
                  yaxis2=dict(title=t("cg_cum"), overlaying="y", side="right", range=[0, 105], showgrid=False,
                              tickmode="linear", tick0=0, dtick=20))
fig.update_xaxes(type="category")
charts.style(fig, None, illustrative, height=420)
charts.show(fig, "cg_pareto", U.unit_source(year))
if par.points_lost.sum() > 0:
    n80 = int((par.cum_share < 0.8).sum()) + 1
    st.markdown(t("cg_pareto_sentence", n=min(n80, len(par)), depth=lower(t(depth)),
                  share=pct(100 * par.cum_share.iloc[min(n80, len(par)) - 1], 0),
                  lost=num(par.points_lost.sum(), 1)))
par_cols = {"item_code": t("item_code"), "item": t("item"), "max_points": t("max_points"),
            "points_lost": t("points_lost"), "n_units_losing": t("tg_losing"), "cum_share": t("cg_cum")}
par_view = par.assign(cum_share=100 * par.cum_share)
par_dec, par_kinds = {"max_points": 2, "points_lost": 2, "cum_share": 1}, {"n_units_losing": "count", "cum_share": "percent"}
table(par_view, par_cols, key="cg_pareto_table", decimals=par_dec)
downloads(par_view, par_cols, f"diem_bi_mat_{level}_{year}_{depth}", "cg_dl_pareto",
          export_notes(t("cg_pareto", depth=t(depth)), {t("level"): t(level), t("year"): year, t("depth"): t(depth),
                                                         t("cg_within"): within}, illustrative, U.unit_source(year)),
          kinds=par_kinds, decimals=par_dec)

# --- one criterion: the units that lost points there
st.subheader(t("cg_drill"))
code = url_choice(t("item"), list(par.item_code), "item", default=par.item_code.iloc[0] if len(par) else None,
                  format_func=lambda c: f"{c}. {names.get(c, '')}")
losing = au.units_losing(items, code)
losing["unit"] = U.name(losing)
if losing.empty:
    st.success(t("cg_none_lost", code=code))
else:
    st.markdown(t("cg_drill_count", n=len(losing), total=items.unit_id.nunique(), code=code,
                  lost=num(losing.points_lost.sum())))
    cols = {"unit": t("unit"), "final_score": t("final_score"), "max_points": t("max_points"),
            "points_lost": t("points_lost"), "self_score": t("self_score"), "appraised_score": t("appraised_score"),
            "survey_score": t("survey_score")}
    dec = {c: 2 for c in cols if c != "unit"}
    table(losing, cols, key="cg_units_table", decimals=dec)
    downloads(losing, cols, f"don_vi_mat_diem_{code}_{year}", "cg_dl_units",
              export_notes(f"{t('cg_drill')} {code}", {t("level"): t(level), t("year"): year}, illustrative,
                           U.unit_source(year)))
