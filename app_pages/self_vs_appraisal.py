"""Self-assessment vs appraisal (Tự đánh giá và thẩm định): points cut per unit and per criterion, units that
over-score year after year, criteria where cuts are common, and the history."""
import streamlit as st

from analysis import units as au
from ui import charts, units as U
from ui.filters import url_threshold
from ui.i18n import num, t
from ui.exports.tabular import export_notes
from ui.tables import downloads, table

U.require_db(unit_page=True)
st.title(t("sa_title"))
st.caption(t("sa_intro"))
level, year = U.level_and_year()
if not U.has_detail(level, year, "criterion"):       # annex years: appraised results only, no self-assessment
    st.caption(t("sa_no_self"))
    st.stop()

by_unit, by_item, history = (d.copy() for d in U.cuts(level, year))
by_unit["unit"] = U.name(by_unit)
by_item["item"] = U.name(by_item, "item_name")
illustrative = U.is_illustrative(U.ranked(level).query("year == @year"))
U.illustrative_banner(illustrative)
if by_unit.empty:
    st.info(t("no_rows"))
    st.stop()

# --- KPIs
c1, c2, c3, c4 = st.columns(4)
c1.metric(t("sa_total_cut"), num(by_unit.cut.sum()), border=True)
c2.metric(t("sa_units_cut"), f"{int((by_unit.cut > 0).sum())}/{len(by_unit)}", border=True)
c3.metric(t("sa_mean_cut"), num(by_unit.cut.mean()), border=True)
c4.metric(t("sa_common"), f"{int((by_item.share_units_cut >= 0.5).sum())}/{len(by_item)}", border=True,
          help=t("sa_common_help"))

# --- per unit: self-assessed vs appraised
d = by_unit.sort_values("cut", ascending=True)
if len(d) > U.CHART_MAX:                          # the units cut most; every unit is in the table below
    st.caption(t("sa_chart_capped", n=U.CHART_MAX, total=len(d)))
    d = d.tail(U.CHART_MAX)
fig = charts.figure()
fig.add_bar(y=d.unit, x=d.appraised_total, name=t("appraised_score"), orientation="h", marker_color=charts.BASE)
fig.add_bar(y=d.unit, x=d.cut, name=t("sa_cut"), orientation="h", marker_color=charts.BAD,
            text=[num(v, 2) for v in d.cut], textposition="outside")
fig.update_layout(barmode="stack")
fig.update_xaxes(title=t("self_score") + " = " + t("appraised_score") + " + " + t("sa_cut"))
charts.style(fig, t("sa_by_unit", year=year), illustrative, height=max(360, 26 * len(d) + 140))
charts.show(fig, "sa_units_chart", U.unit_source(year))
unit_cols = {"unit": t("unit"), "self_total": t("self_score"), "appraised_total": t("appraised_score"),
             "cut": t("sa_cut"), "cut_pct_of_claim": t("sa_cut_pct"), "n_items_cut": t("sa_items_cut")}
unit_dec = {"self_total": 2, "appraised_total": 2, "cut": 2, "cut_pct_of_claim": 1}
unit_kinds = {"cut_pct_of_claim": "percent", "n_items_cut": "count"}
table(by_unit, unit_cols, key="sa_unit_table", decimals=unit_dec)
downloads(by_unit, unit_cols, f"diem_bi_cat_{level}_{year}", "sa_dl_units",
          export_notes(t("sa_by_unit", year=year), {t("level"): t(level), t("year"): year}, illustrative,
                       U.unit_source(year)), kinds=unit_kinds, decimals=unit_dec)

# --- per criterion: where cuts are common
st.subheader(t("sa_by_item"))
item_cols = {"item_code": t("item_code"), "item": t("item"), "cut": t("sa_cut"), "n_units_cut": t("sa_units_cut_n"),
             "share_units_cut": st.column_config.ProgressColumn(t("sa_share_units"), min_value=0, max_value=100,
                                                                format="%.0f%%")}
table(by_item.assign(share_units_cut=100 * by_item.share_units_cut), item_cols, key="sa_item_table",
      decimals={"cut": 2})
downloads(by_item, {k: (v if isinstance(v, str) else v["label"]) for k, v in item_cols.items()},
          f"tieu_chi_bi_cat_{level}_{year}", "sa_dl_items",
          export_notes(t("sa_by_item"), {t("level"): t(level), t("year"): year}, illustrative, U.unit_source(year)),
          kinds={"n_units_cut": "count", "share_units_cut": "fraction"}, decimals={"cut": 2, "share_units_cut": 0})

# --- repeat over-scorers and history
st.subheader(t("sa_repeat"))
years = sorted(y for y in history.year.unique() if y <= year)[-3:]
min_cut = url_threshold(t("sa_min_cut"), "min_cut", 2.0, [0.5, 1, 1.5, 2, 2.5, 3, 4, 5, 7.5, 10])
min_years = min(2, len(years))
st.caption(t("sa_repeat_rule", min_cut=num(min_cut, 1), min_years=min_years, n=len(years),
             years=", ".join(map(str, years))))
rep = au.repeat_overscorers(history, min_cut, years, min_years)
rep["unit"] = U.name(rep)
if rep.empty:
    st.success(t("sa_repeat_none"))
else:
    rep_cols = {"unit": t("unit"), "years_over": t("sa_years_over"), "mean_cut": t("sa_mean_cut")}
    table(rep, rep_cols, key="sa_repeat_table", decimals={"mean_cut": 2})
    downloads(rep, rep_cols, f"tu_cham_cao_{level}_{year}", "sa_dl_repeat",
              export_notes(t("sa_repeat"), {t("level"): t(level), t("years"): years, t("sa_min_cut"): min_cut},
                           illustrative, U.unit_source(year)))

per_year = history.groupby("year").agg(cut=("cut", "mean")).reset_index()
fig = charts.figure().add_scatter(x=per_year.year, y=per_year.cut, mode="lines+markers", line_color=charts.BAD,
                           hovertemplate="%{x}: %{y:.2f}<extra></extra>")
fig.add_scatter(x=[year], y=per_year[per_year.year == year].cut, mode="markers", marker=dict(size=14, color=charts.HOME),
                showlegend=False, hoverinfo="skip")
charts.breaks(fig, U.breaks(level), per_year.year.min(), per_year.year.max())
fig.update_xaxes(dtick=1, title=None)
fig.update_yaxes(title=t("sa_cut"), rangemode="tozero")
charts.style(fig, t("sa_history"), illustrative, height=360)
charts.show(fig, "sa_history_chart", U.unit_source())
