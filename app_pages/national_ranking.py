"""National ranking (Xếp hạng toàn quốc): league table, choropleth map (63 boundaries before 2025, 34 after;
shipped GeoJSON, no tiles), PAR INDEX bands / PAPI quartile groups, score distribution, PAPI confidence
intervals, and a bump chart of ranks over the years; the chosen province highlighted everywhere."""

import pandas as pd
import streamlit as st

from etl.schemes import same_list
from analysis import provinces as ap
from etl.text import vi_order
from ui import charts, labels, palette, provinces as P, safe
from ui.filters import url_multi
from ui.i18n import num, signed, t
from ui.exports.tabular import export_notes
from ui.tables import downloads
from ui.units import name, require_db

require_db()
st.title(t("nr_title"))
st.caption(t("nr_intro"))

c1, c2, c3, c4 = st.columns([3, 1, 2, 2])
index = P.pick_index(c1)
year = P.pick_year(index, c2)
measure = P.pick_measure(index, year, c3)
province = P.pick_province(year, c4)
scheme = P.scheme_of(year)

lg = P.league(index, measure)
cur = lg[lg.year == year].sort_values(["rank", "province_name"], key=vi_order).reset_index(drop=True)
if cur.empty:
    st.info(t("no_index_year", index=index, year=year))
    st.stop()
cur = cur.assign(name=name(cur, "province_name"))
illustrative = P.is_illustrative(cur)
caption = P.source_caption(index, illustrative)
mlabel = P.measures(index, year).set_index("measure_code").label.get(measure, measure)
is_par_total = index == "PAR INDEX" and measure == "total"
if is_par_total:
    cur = cur.assign(group=cur.score.map(ap.par_band))
    group_names = {g: t(f"band_{g}") for g in "ABCD"}
    colours = charts.BANDS
elif index == "PAPI":
    cur = cur.assign(group=ap.papi_quartile(cur.score))
    group_names = {g: t(g) for g in ap.PAPI_GROUPS}
    colours = charts.PAPI_QUARTILES
else:
    cur = cur.assign(group=None)
    group_names, colours = {}, {}
me = cur[cur.province_code == province]
held, n_all, complete = P.coverage(index, measure, year)
if not complete:
    P.incomplete_notice(index, year, held, n_all, t("cov_needs_table"))


def map_figure():
    """The choropleth for one view (kept by charts.show_built: adding the boundaries to a figure deep-copies them)."""
    fig = charts.figure()
    geo = P.geojson_url(scheme)
    hover = (cur.name.map(safe.chart) + "<br>" + cur.score.map(num) + " · " + t("rank") + " " + cur["rank"].astype(str)
             + "<br>" + t("source_col") + ": " + cur.source.map(lambda k: safe.chart(P.source_label(k))))
    if group_names:
        # one trace (the boundaries are sent once) with a stepped colour scale; legend entries are empty markers
        order = list(group_names)
        k = len(order)
        scale = [s for i, g in enumerate(order) for s in ([i / k, colours[g]], [(i + 1) / k, colours[g]])]
        fig.add_choropleth(geojson=geo, locations=cur.province_code, z=cur.group.map(order.index).astype(float),
                           zmin=-0.5, zmax=k - 0.5, colorscale=scale, showscale=False, customdata=hover,
                           hovertemplate="%{customdata}<extra></extra>", marker_line_color="white", marker_line_width=0.5,
                           showlegend=False)
        for g in order:
            if (cur.group == g).any():
                fig.add_scattergeo(lon=[None], lat=[None], mode="markers", name=group_names[g],
                                   marker=dict(size=14, color=colours[g], symbol="square"))
    else:
        fig.add_choropleth(geojson=geo, locations=cur.province_code, z=cur.score, colorscale=charts.SEQUENTIAL,
                           customdata=hover, hovertemplate="%{customdata}<extra></extra>", marker_line_color="white",
                           marker_line_width=0.5, colorbar=dict(title="", thickness=12), name=t("score"),
                           showlegend=False)          # the colour bar is its legend (no "trace 0" entry)
    if len(me):
        fig.add_choropleth(geojson=P.geojson_of(scheme, province), locations=me.province_code, z=[1], showscale=False,
                           name=t("home_marker"),
                           colorscale=[[0, palette.CLEAR], [1, palette.CLEAR]], marker_line_color=charts.INK,
                           marker_line_width=3, hoverinfo="skip", showlegend=True)
    fig.update_geos(visible=False, projection_type="mercator")
    charts.add_archipelagos(fig)
    charts.style(fig, t("nr_map", index=index, year=year, measure=mlabel), illustrative, height=640)
    fig.update_layout(legend=dict(orientation="v", y=0.02, yanchor="bottom", x=0.98, xanchor="right",
                                  bgcolor=palette.LEGEND_BACK), margin=dict(l=0, r=0, t=50, b=0))
    return fig


def charts_of_complete_table() -> None:
    """Map, distribution and rank chart: only for a table holding every province."""
    # --- map (built once per view and kept: the boundaries are large)
    left, right = st.columns([3, 2])
    with left:
        charts.show_built(map_figure, "nr_map", (index, year, measure, province), caption + " " + t("geo_source"),
                          wrap=75, national=True)

    # --- distribution with median/mean and the province marked
    with right:
        def distribution():
            med, mean = float(cur.score.median()), float(cur.score.mean())
            fig = charts.figure()
            fig.add_histogram(x=cur.score, nbinsx=20, marker_color=charts.PEER, name=t("score"), showlegend=False,
                              hovertemplate="%{x}: %{y}<extra></extra>")
            # labels inside the plot, stepping down (province, median, mean): none under the illustrative badge above
            # the plot, none over another; each on the side of its line with more room
            middle = (float(cur.score.min()) + float(cur.score.max())) / 2
            for i, (x, lab, dash) in enumerate(((med, t("median"), "dash"), (mean, t("mean"), "dot"))):
                fig.add_vline(x=x, line_dash=dash, line_color=charts.INK)
                fig.add_annotation(x=x, y=0.84 - 0.13 * i, yref="paper", text=f"{lab} {num(x)}", showarrow=False,
                                   xanchor="left" if x < middle else "right", yanchor="top", font=dict(size=12),
                                   bgcolor=charts.LABEL_BACK)
            if len(me):
                x = float(me.score.iloc[0])
                fig.add_vline(x=x, line_color=charts.HOME, line_width=4)
                fig.add_annotation(x=x, y=1, yref="paper", text=safe.chart(me.name.iloc[0]), showarrow=False,
                                   font=dict(color=charts.HOME, size=13), yanchor="top",
                                   xanchor="left" if x < middle else "right", bgcolor=charts.LABEL_BACK)
            return charts.style(fig, t("nr_dist_short"), illustrative, height=300)
        charts.show_built(distribution, "nr_dist", (index, year, measure, province), caption, wrap=50, national=True)

        # --- bump chart of ranks over the years of the same scheme
        same = lg[same_list(lg.year, year)]
        top3 = list(cur.province_code.head(3))
        names = dict(zip(cur.province_code, cur.name))
        pick = url_multi(t("nr_bump_pick"), list(cur.province_code), "bump",
                         default=[c for c in dict.fromkeys([province] + top3) if c in names],
                         format_func=lambda c: names.get(c, c), placeholder=t("choose"), max_selections=8)

        def ranks():
            fig = charts.figure()
            for c in pick:
                d = same[same.province_code == c].sort_values("year")
                home = c == province
                fig.add_scatter(x=d.year, y=d["rank"].astype("float64"), mode="lines+markers", name=names.get(c, c),
                                line=dict(width=5 if home else 2, color=charts.HOME if home else None),
                                customdata=P.hover_source(d.source),
                                hovertemplate="%{x}: " + t("rank").lower() + " %{y}<br>%{customdata}<extra>"
                                + safe.chart(names.get(c, c)) + "</extra>")
            fig.update_yaxes(autorange="reversed", title=t("rank"))
            fig.update_xaxes(dtick=1 if same.year.nunique() <= 8 else 2)
            return charts.style(fig, t("nr_bump"), P.is_illustrative(same[same.province_code.isin(pick)]), height=320)

        charts.show_built(ranks, "nr_bump", (index, year, measure, province, tuple(pick)), caption, wrap=50, national=True)


if complete:
    charts_of_complete_table()

# --- PAPI: confidence intervals where published
with_ci = cur.assign(se=[ap.se_of(r) for r in cur.to_dict("records")])
if index == "PAPI" and with_ci.se.notna().sum() > 5:
    d = with_ci.sort_values("score")
    err = 1.959964 * d.se
    fig = charts.figure().add_scatter(
        x=d.score, y=d.name, mode="markers", error_x=dict(type="data", array=err, color=charts.PEER),
        marker=dict(color=[charts.HOME if c == province else charts.BASE for c in d.province_code], size=9),
        hovertemplate="%{y}: %{x:.2f}<extra></extra>", showlegend=False)
    charts.style(fig, t("nr_ci"), False, height=max(500, 16 * len(d)))
    charts.show(fig, "nr_ci", t("nr_ci_note") + " " + caption)

# --- league table
hist = P.rank_histories(index, measure, year)
cur = cur.assign(
    score_change=cur.score_change.astype("float64"),
    places=[labels.province_places(r, b) for r, b in zip(cur.rank_change, cur.change_basis)],
    history=cur.province_code.map(lambda c: hist.get(c, [])),
    group_name=cur.group.map(group_names) if group_names else "",
    prov=labels.provenances(cur.provenance),
    src=cur.source.map(P.source_label))
cols = {"rank": st.column_config.NumberColumn(t("rank"), width="small"), "name": t("province"),
        "score": t("score"), "score_change": t("change"), "places": t("rank_change"),
        "history": st.column_config.LineChartColumn(t("rank_history"), help=t("rank_history_help"),
                                                    y_min=1, y_max=int(cur.n.max())),
        "group_name": t("group"), "prov": t("provenance"), "src": t("source_col")}
if not group_names:
    cols.pop("group_name")
view = cur[list(cols)].reset_index(drop=True)
# the grid draws an empty number as "None" whatever the styler says: a figure that was not published reads "–"
view = view.assign(score_change=[signed(x) for x in view.score_change])
if view.score.isna().any():         # a rank published without its score: "–", not the grid's "None"
    view = view.assign(score=[("–" if pd.isna(x) else num(x)) for x in view.score])
if "group_name" in view:
    view = view.assign(group_name=view.group_name.fillna("–"))
home_row = cur.index[cur.province_code == province]
styler = view.style.format({"score": lambda x: x if isinstance(x, str) else num(x)}, na_rep="–").apply(
    lambda r: [f"background-color: {palette.FOCUS_ROW}; font-weight: 700" if r.name in set(home_row) else "" for _ in r], axis=1)
st.dataframe(styler, column_config=cols, hide_index=True, width="stretch", key="nr_table")
downloads(cur, {k: (v if isinstance(v, str) else v["label"]) for k, v in cols.items() if k != "history"},
          f"xep_hang_{index.replace(' ', '_')}_{year}_{measure}", "nr_dl",
          export_notes(t("nr_title"), {t("index"): index, t("year"): year, t("measure"): mlabel}, illustrative,
                       caption),
          highlight=cur.province_code == province, kinds={"rank": "count", "score": "points", "score_change": "points"},
          signed=("score_change",))
