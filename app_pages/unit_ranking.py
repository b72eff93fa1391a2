"""Unit ranking (Xếp hạng đơn vị): score, rank, band and change for one level and year; a row opens the
unit's profile."""
import pandas as pd
import streamlit as st

from etl.text import vi_order
from ui import charts, labels, safe, units as U
from ui.i18n import lang, lower, num, t
from ui.settings import hidden_pages
from ui.exports.tabular import export_notes
from ui.tables import downloads, table

BAND_COLOURS = charts.BANDS

U.require_db(unit_page=True)
st.title(t("ur_title"))
st.caption(t("ur_intro"))
level, year = U.level_and_year()

ranked = U.ranked(level)
cur = ranked[ranked.year == year].sort_values(["rank", "unit_name"], key=vi_order).reset_index(drop=True)
cur["name"] = U.name(cur)
band_name = U.band_names(level)
illustrative = U.is_illustrative(cur)
U.illustrative_banner(illustrative)
if U.detail_of(level, year) != "sub_criterion":
    st.caption(t("ur_detail_caption", year=year, have=t(f"detail_{U.detail_of(level, year)}")))
first_year = year == int(ranked.year.min())

# --- KPIs and one sentence
top, bottom = cur.iloc[0], cur.iloc[-1]
counts = cur.band.value_counts()
c1, c2, c3 = st.columns([1, 1, 2])
c1.metric(t("ur_units"), num(len(cur), 0), border=True)
c2.metric(t("ur_mean"), num(cur.score_pct.mean()), border=True)
c3.metric(t("ur_bands") + ": " + " / ".join(band_name), " / ".join(str(counts.get(b, 0)) for b in band_name), border=True,
          help=t("ur_band_help") + " " + "; ".join(f"{b}: {n}" for b, n in band_name.items()))
st.markdown(t("ur_sentence", top=safe.md(top["name"]), top_score=num(top.score_pct), bottom=safe.md(bottom["name"]),
              bottom_score=num(bottom.score_pct)))

# --- chart: one bar per unit, coloured by band, with the band thresholds (a large province: the best and the
# weakest 30; every unit is in the table)
bars = cur
if len(cur) > U.CHART_MAX:
    half = U.CHART_MAX // 2
    bars = pd.concat([cur.head(half), cur.tail(half)])
    st.caption(t("ur_chart_capped", n=half, total=len(cur)))
filters = U.scope_filters()


def chart():
    """One bar per unit (kept by charts.show_built per database version, level, year and province)."""
    fig = charts.figure().add_bar(
        x=bars.score_pct, y=[f"{int(r)}. {n}" for r, n in zip(bars["rank"], bars["name"])] if len(bars) < len(cur)
        else bars["name"], orientation="h",
        marker_color=[BAND_COLOURS.get(b, charts.BASE) for b in bars.band],
        text=[num(v) for v in bars.score_pct], textposition="outside",
        customdata=bars.band.map(band_name), hovertemplate="%{y}: %{x:.2f} (%{customdata})<extra></extra>")
    for thr in sorted({float(x) for x in U.bands(level).min_score_pct if x > 0}):
        fig.add_vline(x=thr, line_dash="dot", line_color=charts.NOTE, layer="below")   # under the value labels
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(range=[0, 112], title=t("score_pct"))
    return charts.style(fig, " · ".join([t("ur_chart", level=lower(t(level)), year=year), *filters.values()]),
                        illustrative, height=max(360, 26 * len(bars) + 120))


charts.show_built(chart, "ur_chart", (level, year, U.scope_code(), tuple(filters.items())), U.unit_source(year))

# --- league table
hist = U.rank_histories(level, year)
cur["band_name"] = cur.band.map(band_name)
earlier = set(ranked.loc[ranked.year < year, "unit_id"])      # a unit with an older year but not last year's: "–"
cur["places"] = [labels.unit_places(r, b, first_year or u in earlier)
                 for r, b, u in zip(cur.rank_change, cur.change_basis, cur.unit_id)]
cur["history"] = cur.unit_id.map(lambda u: hist.get(u, []))
cur["prov"] = labels.provenances(cur.provenance)
columns = {
    "rank": st.column_config.NumberColumn(t("rank"), width="small"),
    "name": st.column_config.TextColumn(t("unit"), width="medium"),
    "score_pct": t("score_pct"),
    "band_name": t("band"),
    "score_change": t("change"),
    "places": t("rank_change"),
    "history": st.column_config.LineChartColumn(t("rank_history"), help=t("rank_history_help"),
                                                y_min=1, y_max=int(ranked.n_units.max())),
    "prov": t("provenance"),
}
event = table(cur, columns, key="ur_table", decimals={"score_pct": 2, "score_change": 2}, signed=("score_change",),
              on_select="rerun", selection_mode="single-row")
st.caption(t("ur_select_hint"))
rows = event.selection.rows if event is not None else []
if rows and "ho-so-don-vi" not in hidden_pages():      # a public server may leave the profile out
    st.switch_page("app_pages/unit_profile.py",
                   query_params={"level": level, "year": str(year), "unit": cur.unit_id.iloc[rows[0]]}
                   | ({"lang": "en"} if lang() == "en" else {}))

export_cols = {k: (v if isinstance(v, str) else v["label"]) for k, v in columns.items() if k != "history"}
downloads(cur, export_cols, f"xep_hang_{level}_{year}", "ur_dl",
          export_notes(t("ur_title"), U.scope_filters() | {t("level"): t(level), t("year"): year}, illustrative, U.unit_source(year)),
          kinds={"rank": "count", "score_pct": "percent", "score_change": "pp"},
          decimals={"score_pct": 2, "score_change": 2}, signed=("score_change",))
