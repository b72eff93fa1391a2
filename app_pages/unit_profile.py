"""Unit profile (Hồ sơ đơn vị): one unit's domains and criteria against the other units of its level
(mean excluding itself, and the best of them); its history, following its lineage through the 2025
restructuring, with the breaks marked."""
import pandas as pd
import streamlit as st

from analysis import units as au
from ui import charts, safe, units as U
from ui.filters import url_choice
from ui.i18n import lang, num, t
from ui.exports.tabular import export_notes
from ui.tables import downloads, table

U.require_db(unit_page=True)
st.title(t("up_title"))
st.caption(t("up_intro"))

c1, c2, c3 = st.columns([2, 3, 1])
level = U.pick_level(c1)
ranked = U.ranked(level)
all_units = U.uq("units_of_level", level=level)
scored = ranked.groupby("unit_id").year.agg(["min", "max"])
choices = all_units[all_units.unit_id.isin(scored.index)]
if choices.empty:
    U.no_unit_data(level)
label = dict(zip(all_units.unit_id, U.name(all_units)))
span = {u: f"{int(a)}–{int(b)}" if a != b else str(int(a)) for u, a, b in zip(scored.index, scored["min"], scored["max"])}
unit_id = url_choice(t("unit"), list(choices.unit_id), "unit", default=choices.unit_id.iloc[-1],
                     format_func=lambda u: t("up_unit_years", name=label[u], years=span[u]), container=c2)
years = sorted(int(y) for y in ranked[ranked.unit_id == unit_id].year)
year = U.pick_year(level, c3, years=years)
me = all_units.set_index("unit_id").loc[unit_id]
uname = label[unit_id]

# --- lineage
preds = au.predecessors(all_units, unit_id)
if preds:
    st.info(t("up_merged_from", year=int(me.valid_from_year), names=", ".join(safe.md(label.get(p, p)) for p in preds)))
if isinstance(me.successor_id, str) and me.successor_id:
    succ_name = label.get(me.successor_id, me.successor_id)
    st.info(t("up_merged_into", year=int(me.valid_to_year) + 1, name=safe.md(succ_name)))
    if st.button(t("up_open_successor", name=safe.md(succ_name)), key="up_successor"):
        st.switch_page("app_pages/unit_profile.py", query_params={"level": level, "unit": me.successor_id}
                       | ({"lang": "en"} if lang() == "en" else {}))
elif not pd.isna(me.valid_to_year):
    st.caption(t("up_abolished", year=int(me.valid_to_year)))

# --- KPIs for the year
row = ranked[(ranked.unit_id == unit_id) & (ranked.year == year)].iloc[0]
band_name = U.band_names(level)
from_predecessors = isinstance(row.change_basis, str) and row.change_basis == "predecessors"   # NA for a new unit
k1, k2, k3, k4 = st.columns(4)
k1.metric(t("score_pct"), num(row.score_pct), None if pd.isna(row.score_change) else num(row.score_change),
          border=True, help=t("vs_predecessors") if from_predecessors else None)
# the delta's arrow and colour follow its sign: "-2" (fell two places) is red and points down, whatever the text
places = None if pd.isna(row.rank_change) else U.places_text(row.rank_change, row.change_basis, False)
k2.metric(t("rank"), t("up_rank_of", rank=int(row["rank"]), n=int(row.n_units)),
          None if places is None else f"{int(row.rank_change):+d} · {places.lstrip('▲▼ ')}", border=True,
          delta_color="off" if from_predecessors or places is None or not row.rank_change else "normal")
k3.metric(t("band"), row.band or "–", border=True, help=band_name.get(row.band))
k4.metric(t("sa_cut"), num((row.self_total or 0) - (row.appraised_total or 0))
          if pd.notna(row.self_total) else "–", border=True)

# --- domains against the peers
doms = U.items(level, "domain", year)
illustrative = U.is_illustrative(doms)
U.illustrative_banner(illustrative)
cmp = U.peers(level, "domain", year, unit_id).copy()
cmp["item"] = U.name(cmp, "item_name")
cmp["label"] = cmp.item_code + ". " + cmp["item"]
fig = charts.figure()
for col, nm, colour in (("share", t("up_this"), charts.HOME), ("peer_mean_share", t("up_peer_mean"), charts.PEER),
                        ("peer_best_share", t("up_peer_best"), charts.GOOD)):
    fig.add_bar(y=cmp.label, x=100 * cmp[col], name=nm, orientation="h", marker_color=colour,
                hovertemplate="%{y}: %{x:.1f} %<extra>" + nm + "</extra>")
fig.update_layout(barmode="group")
fig.update_yaxes(autorange="reversed")
fig.update_xaxes(range=[0, 100], title="%")
charts.style(fig, t("up_domains", year=year), illustrative, height=120 + 60 * len(cmp))
charts.show(fig, "up_domains_chart", U.unit_source())

# --- criteria table (years known only from an annex have none: say so, keep the rest of the profile)
st.subheader(t("up_criteria", year=year))
if U.has_detail(level, year, "criterion"):
    cc = U.peers(level, "criterion", year, unit_id).copy()
    cc["item"] = U.name(cc, "item_name")
    cc["agency"] = U.name(cc.rename(columns={"responsible_agency": "agency_vi",
                                             "responsible_agency_en": "agency_en"}), "agency")
    crit_cols = {"item_code": t("item_code"), "item": t("item"), "max_points": t("max_points"),
                 "final_score": t("final_score"), "peer_mean": t("up_peer_mean"), "peer_best": t("up_peer_best"),
                 "gap_to_mean": t("gap_to_mean"), "agency": t("agency")}
    table(cc, crit_cols | {"item": st.column_config.TextColumn(t("item"), width="medium")}, key="up_crit_table",
          signed=("gap_to_mean",), decimals={c: 2 for c in crit_cols if c not in ("item_code", "item", "agency")})
    crit_cols |= {"points_lost": t("points_lost"), "self_score": t("self_score"),
                  "appraised_score": t("appraised_score")}
    downloads(cc, crit_cols, f"ho_so_{unit_id}_{year}", "up_dl",
              export_notes(f"{t('up_title')}: {uname}", {t("level"): t(level), t("year"): year}, illustrative,
                           U.unit_source()), signed=("gap_to_mean",))

# --- history through the lineage
hist = U.history(level, unit_id)
fig = charts.figure()
own, pred = hist[hist.basis == "same"], hist[hist.basis == "predecessors"]
if len(pred):
    bridge = pd.concat([pred, own.head(1)])
    fig.add_scatter(x=bridge.year, y=bridge.score_pct, mode="lines+markers", name=t("up_pred_mean"),
                    line=dict(dash="dot", color=charts.PEER), hovertemplate="%{x}: %{y:.2f}<extra></extra>")
fig.add_scatter(x=own.year, y=own.score_pct, mode="lines+markers", name=uname, line=dict(color=charts.HOME, width=3),
                hovertemplate="%{x}: %{y:.2f}<extra></extra>")
charts.breaks(fig, U.breaks(level), hist.year.min(), hist.year.max())
fig.update_xaxes(dtick=1, title=None)
fig.update_yaxes(title=t("score_pct"))
charts.style(fig, t("up_history"), illustrative, height=380)
charts.show(fig, "up_history_chart", U.unit_source())

# --- share achieved per domain, every year (shares compare across framework changes)
grid = U.domain_history(level, unit_id)
dn = dict(zip(doms.item_code, U.name(doms, "item_name")))
fig = charts.figure().add_heatmap(z=grid.values, x=grid.columns.astype(int), y=[f"{c}. {dn.get(c, '')}" for c in grid.index],
                           zmin=0, zmax=100, colorscale=charts.SEQUENTIAL, texttemplate="%{z:.0f}",
                           hovertemplate="%{y}<br>%{x}: %{z:.1f} %<extra></extra>", colorbar=dict(title="%"))
for x, _ in U.breaks(level):
    if grid.columns.min() < x < grid.columns.max():
        fig.add_vline(x=x, line_dash="dash", line_color="#0f172a", line_width=2)
fig.update_yaxes(autorange="reversed")
fig.update_xaxes(dtick=1)
charts.style(fig, t("up_domain_history"), illustrative, height=140 + 44 * len(grid))
charts.show(fig, "up_domain_history_chart", U.unit_source() + " " + t("up_breaks_note"))
