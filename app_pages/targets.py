"""Targets (Mục tiêu cải thiện): the domains and criteria to target next year, ranked by recoverable points,
with how many units lose points there, the quick wins, and the responsible agency (each agency can filter
to its own list and export it)."""
import streamlit as st

from analysis import units as au
from etl.text import vi_sort_key
from ui import charts, plan as P, safe, units as U
from ui.data import q
from ui.filters import url_choice
from ui.i18n import lang, num, t
from ui.exports.tabular import export_notes
from ui.tables import downloads, table

U.require_db(unit_page=True)
st.title(t("tg_title"))
st.caption(t("tg_intro"))
level, year = U.level_and_year()

c1, c2 = st.columns([2, 2])
depth = U.depth_choice(level, year, "criterion", container=c1)
items = U.items(level, depth, year)
illustrative = U.is_illustrative(items)
U.illustrative_banner(illustrative)
# the agency that must act next year: one restructured away hands its targets to its successor
successors = q("agency_successors", year=int(year) + 1, home=q("home_unit_codes").province_code.tolist())
tg = au.agencies_in_force(au.targets(items), successors)
tg["item"] = U.name(tg, "item_name")
tg["agency_name"] = tg.agency_en.where(tg.agency_en.notna(), tg.agency) if lang() == "en" else tg.agency
agencies = sorted(tg.agency_name.dropna().unique(), key=vi_sort_key)
agency = url_choice(t("agency"), ["all"] + agencies, "agency", default="all",
                    format_func=lambda a: t("all") if a == "all" else a, container=c2)
if agency != "all":
    tg = tg[tg.agency_name == agency].reset_index(drop=True)
n_units = items.unit_id.nunique()
tg["per_unit"] = tg.recoverable / max(n_units, 1)
tg["losing"] = tg.n_units_losing.astype(int).astype(str) + f"/{n_units}"
tg["quick"] = tg.quick_win.map(lambda b: "✓ " + t("tg_quick") if b else "")
tg["losing_units"] = U.losing_units_text(tg.item_code, au.losing_by_item(items))
tg = tg[tg.recoverable > 0].reset_index(drop=True)
if tg.empty:
    st.success(t("tg_none"))
    st.stop()
# next year's plan is drafted from these targets (at criterion level when sub-criteria are shown)
plan_tg = tg.copy() if depth != "sub_criterion" else au.agencies_in_force(
    au.targets(U.items(level, "criterion", year)), successors)

k1, k2, k3 = st.columns(3)
k1.metric(t("tg_recoverable"), num(tg.recoverable.sum()), border=True)
k2.metric(t("tg_per_unit"), num(tg.per_unit.sum()), border=True)
k3.metric(t("tg_quick_n"), f"{int(tg.quick_win.sum())}/{len(tg)}", border=True)

top = tg.head(15).iloc[::-1]
fig = charts.figure().add_bar(
    y=top.item_code + ". " + top["item"].str.slice(0, 48), x=top.recoverable, orientation="h",
    marker_color=[charts.GOOD if q else charts.BASE for q in top.quick_win],
    text=[f"{num(v)} · {lo}" for v, lo in zip(top.recoverable, top.losing)], textposition="outside",
    customdata=top.agency_name.fillna("").map(safe.chart), hovertemplate="%{y}<br>%{x:.2f} (%{customdata})<extra></extra>")
fig.update_xaxes(title=t("tg_recoverable"), range=[0, 1.3 * top.recoverable.max()])
charts.style(fig, t("tg_chart", n=len(top)), illustrative, height=140 + 34 * len(top))
charts.show(fig, "tg_chart", U.unit_source() + " " + t("tg_legend"))

cols = {"item_code": t("item_code"), "item": t("item"), "agency_name": t("agency"),
        "recoverable": t("tg_recoverable"), "per_unit": t("tg_per_unit"), "losing": t("tg_losing"),
        "share_full": st.column_config.ProgressColumn(t("tg_share_full"), min_value=0, max_value=100, format="%.0f%%"),
        "mean_share": st.column_config.ProgressColumn(t("tg_mean_share"), min_value=0, max_value=100, format="%.0f%%"),
        "quick": t("tg_quick"), "losing_units": t("tg_losing_units")}
tg["share_full"], tg["mean_share"] = 100 * tg.share_full, 100 * tg.mean_share
table(tg, cols | {"item": st.column_config.TextColumn(t("item"), width="medium"),
                 "losing_units": st.column_config.TextColumn(t("tg_losing_units"), width="large")}, key="tg_table",
      decimals={"recoverable": 2, "per_unit": 2})
headers = {k: (v if isinstance(v, str) else v["label"]) for k, v in cols.items()}
notes = export_notes(t("tg_title"), {t("level"): t(level), t("year"): year, t("depth"): t(depth),
                                     t("agency"): t("all") if agency == "all" else agency}, illustrative,
                     U.unit_source())
kinds = {"share_full": "percent", "mean_share": "percent"}
decimals = {"recoverable": 2, "per_unit": 2, "share_full": 0, "mean_share": 0}
# a file per agency is named after it; the whole list also goes out as one workbook with a sheet per agency
downloads(tg, headers, "_".join(["muc_tieu"] + ([U.file_slug(agency)] if agency != "all" else [])
                                + [level, str(year), depth]), "tg_dl", notes, kinds=kinds, decimals=decimals)
if agency == "all":
    U.agency_workbook_button(tg, headers, f"muc_tieu_theo_co_quan_{level}_{year}_{depth}", notes, kinds=kinds,
                             decimals=decimals)

# the plan: tracking this year's plan, then drafting next year's (criteria, from the targets above)
P.section(year, level, plan_tg)
