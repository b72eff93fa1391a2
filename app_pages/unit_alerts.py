"""Alerts (Cảnh báo): units whose score or rank fell, and criteria whose mean over the units fell, by at least
the chosen thresholds since last year (shares of maximum where the framework changed)."""
import pandas as pd
import streamlit as st

from analysis import units as au
from ui import plan as P, safe, units as U
from ui.filters import url_threshold
from ui.i18n import num, t
from ui.exports.tabular import export_notes
from ui.tables import downloads, table

U.require_db(unit_page=True)
st.title(t("al_title"))
st.caption(t("al_intro"))
level, year = U.level_and_year()

c1, c2, c3, c4 = st.columns(4)
min_points = url_threshold(t("al_min_points"), "min_points", 3.0, [1, 2, 3, 4, 5, 7.5, 10, 15, 20], container=c1)
min_places = int(url_threshold(t("al_min_places"), "min_places", 3, list(range(1, 11)), 0, container=c2))
item_points = url_threshold(t("al_item_points"), "item_points", 0.25, [0.1, 0.25, 0.5, 0.75, 1, 1.5, 2], 2,
                            container=c3)
item_share = url_threshold(t("al_item_share"), "item_share", 10.0, [5, 10, 15, 20, 25, 30, 40, 50], 0, container=c4)

ranked = U.ranked(level)
if year == int(ranked.year.min()):
    st.info(t("al_first_year", year=year))
    st.stop()
illustrative = U.is_illustrative(ranked[ranked.year == year])
U.illustrative_banner(illustrative)

units_down = au.unit_alerts(ranked, year, min_points, min_places)
units_down["unit"] = U.name(units_down)
units_down["reason"] = [
    "; ".join(([t("fell_points", x=num(-r.score_change))] if r.fell_points else [])
              + ([t("fell_places", n=int(-r.rank_change))] if r.fell_places else []))
    + (f" ({t('vs_predecessors')})" if r.change_basis == "predecessors" else "")
    for r in units_down.itertuples()]
both = U.detail_of(level, year) in ("sub_criterion", "criterion") and U.detail_of(level, year - 1) in (
    "sub_criterion", "criterion")
crit = U.items(level, "criterion", year)             # this year and the one before only, not every year
crit = pd.concat([U.items(level, "criterion", year - 1), crit], ignore_index=True) if both else crit.iloc[:0]
items_down = au.item_alerts(crit, year, item_points, item_share)
items_down["item"] = U.name(items_down, "item_name")
items_down["compared"] = items_down.compared_by.map({"points": t("by_points"), "share": t("by_share")})
st.markdown(t("al_count", n=len(units_down), k=len(items_down), year=year))
filters = {t("level"): t(level), t("year"): year, t("al_min_points"): min_points, t("al_min_places"): min_places,
           t("al_item_points"): item_points, t("al_item_share"): item_share}

st.subheader(t("al_units"))
if units_down.empty:
    st.success(t("al_none_units"))
else:
    cols = {"unit": t("unit"), "score_pct": t("score_pct"), "prev_score_pct": t("prev_score"),
            "score_change": t("change"), "rank": t("rank"), "rank_change": t("rank_change"), "reason": t("reason")}
    dec, signed = {"score_pct": 2, "prev_score_pct": 2, "score_change": 2, "rank_change": 0}, ("score_change", "rank_change")
    table(units_down, cols, key="al_units_table", signed=signed, decimals=dec)
    downloads(units_down, cols, f"canh_bao_don_vi_{level}_{year}", "al_dl_units",
              export_notes(t("al_units"), filters, illustrative, U.unit_source()),
              kinds={"score_pct": "percent", "prev_score_pct": "percent", "score_change": "pp", "rank": "count",
                     "rank_change": "count"}, decimals=dec, signed=signed)

st.subheader(t("al_items"))
if not both:
    U.has_detail(level, year if U.detail_of(level, year) not in ("sub_criterion", "criterion") else year - 1,
                 "criterion")
elif items_down.empty:
    st.success(t("al_none_items"))
else:
    cols = {"item_code": t("item_code"), "item": t("item"), "mean_score": t("mean_now"),
            "mean_score_prev": t("mean_prev"), "change_points": t("change"), "change_share_pp": t("change_pp"),
            "compared": t("compared_by")}
    dec, signed = {"mean_score": 2, "mean_score_prev": 2, "change_points": 2, "change_share_pp": 1}, ("change_points",)
    table(items_down, cols, key="al_items_table", signed=("change_points", "change_share_pp"), decimals=dec)
    downloads(items_down, cols, f"canh_bao_tieu_chi_{level}_{year}", "al_dl_items",
              export_notes(t("al_items"), filters, illustrative, U.unit_source()),
              kinds={"change_share_pp": "pp"}, decimals=dec, signed=signed)
P.missed_alerts(year)                               # the lines of this year's plan not reached
st.caption(safe.md(U.unit_source()))
