"""Trends (Xu hướng): the total and each domain over the years (as % of maximum, so method changes do not
fake a trend), method breaks marked, year-on-year change, a trend class per series with the long slope's
significance (scipy), and the most improved and most declined provinces."""

import pandas as pd
import streamlit as st

from etl.schemes import same_list
from analysis import provinces as ap
from ui import charts, provinces as P, safe
from ui.data import q
from ui.i18n import lang, num, t
from ui.exports.tabular import export_notes
from ui.tables import downloads, table
from ui.units import name, require_db

require_db()
st.title(t("tr_title"))
st.caption(t("tr_intro"))

c1, c2, c3 = st.columns([3, 1, 2])
index = P.pick_index(c1)
year = P.pick_year(index, c2)
province = P.pick_province(year, c3)
st.caption(t("tr_scheme_note"))

allv = P.all_scores(index)
same_scheme = same_list(allv.year, year)
mine = allv[same_scheme & (allv.province_code == province) & (allv.year <= year)].copy()
if mine.empty:
    st.info(t("no_index_year", index=index, year=year))
    st.stop()
mine["share"] = 100 * mine.score.astype("float64") / mine.max_score.astype("float64")
mine["series"] = [t("total") if c == "total" else f"{c}. {n}" for c, n in
                  zip(mine.measure_code, name(mine, "measure_name"))]
pname = name(mine, "province_name").iloc[-1]
illustrative = P.is_illustrative(mine)
breaks = q("method_breaks", index=index)
marks = [(float(b.year) - 0.5, b.label_vi if lang() == "vi" else b.label_en) for b in breaks.itertuples()]

# --- lines: total bold, domains thin (latest names; codes are stable within a method period)
order = sorted(mine.measure_code.unique(), key=lambda c: (c != "total", c))
series = {code: d.sort_values("year") for code, d in mine.groupby("measure_code", sort=False)}


def lines():
    """The chart for one view (kept by charts.show_built: a rerun or another session only sends it)."""
    fig = charts.figure()
    for code in order:
        d = series[code]
        total = code == "total"
        fig.add_scatter(x=d.year, y=d.share, mode="lines+markers", name=d.series.iloc[-1][:40],
                        line=dict(width=5 if total else 1.8, color=charts.HOME if total else None),
                        customdata=P.hover_source(d.source),
                        hovertemplate="%{x}: %{y:.1f} %<br>%{customdata}<extra>" + safe.chart(d.series.iloc[-1][:40])
                        + "</extra>")
    charts.breaks(fig, marks, mine.year.min(), mine.year.max())
    fig.update_xaxes(dtick=1 if mine.year.nunique() <= 8 else 2)
    fig.update_yaxes(title=t("tr_share"))
    charts.style(fig, f"{pname}: {index}", illustrative, height=640)
    fig.update_layout(legend=dict(orientation="h", y=-0.08, yanchor="top", x=0, font=dict(size=12)))
    return fig


charts.show_built(lines, "tr_lines", (index, year, province), P.source_caption(index, illustrative), national=True)

# --- trend class per series
rows = []
for code in order:
    d = series[code]
    r = ap.trend_class(d.year, d.share)
    last = d.iloc[-1]
    prev = d[d.year == last.year - 1]
    rows.append(dict(series=d.series.iloc[-1], share=last.share,
                     yoy=float(last.share - prev.share.iloc[0]) if len(prev) else float("nan"),
                     trend=t(r["trend"]) if r["trend"] else "–", long=r["long_slope"], recent=r["recent_slope"],
                     p=r["p_value"], sig="✓" if r["significant"] else "",
                     source_text=P.source_label(last.source)))      # where the latest figure comes from
cls = pd.DataFrame(rows)
st.subheader(t("tr_classes"))
cols = {"series": t("series"), "share": t("tr_share"), "yoy": t("tr_yoy"), "trend": t("tr_trend"),
        "long": t("tr_long"), "recent": t("tr_recent"), "p": t("tr_p"), "sig": "p < 0,05" if lang() == "vi" else "p < 0.05",
        "source_text": t("tr_source_last")}
cls_dec, cls_signed = {"share": 1, "yoy": 1, "long": 2, "recent": 2, "p": 3}, ("yoy", "long", "recent")
cls_kinds = {"share": "percent", "yoy": "pp"}
table(cls, cols, key="tr_classes", decimals=cls_dec, signed=cls_signed)
downloads(cls, cols, f"xu_huong_{index.replace(' ', '_')}_{province}", "tr_dl",
          export_notes(t("tr_title"), {t("index"): index, t("province"): pname, t("year"): year}, illustrative,
                       P.source_caption(index, illustrative)),
          kinds=cls_kinds, decimals=cls_dec, signed=cls_signed)

# --- most improved / most declined provinces (total, same province list)
tot = allv[same_scheme & (allv.measure_code == "total") & (allv.year <= year)]
years = sorted(tot.year.unique())
if len(years) >= 2:
    a = years[max(0, len(years) - 6)]
    up, down = ap.movers(tot.assign(score=tot.score.astype("float64")), a, year, n=5)
    nm = dict(zip(tot.province_code, name(tot, "province_name")))
    st.subheader(t("tr_movers", a=a, b=year))
    both = set(tot[tot.year == a].province_code) & set(tot[tot.year == year].province_code)
    st.caption(t("tr_movers_n", n=num(len(both), 0), a=a, b=year))      # few, where the record is sparse
    m1, m2 = st.columns(2)
    for col, d, title, key in ((m1, up, t("tr_up"), "tr_up"), (m2, down, t("tr_down"), "tr_down")):
        with col:
            st.markdown(f"**{title}**")
            table(d.assign(name=d.province_code.map(nm)), {"name": t("province"), "change": t("change")},
                  key=key, decimals={"change": 2}, signed=("change",), export=f"{key}_{index.replace(' ', '_')}_{a}_{year}",
                  source=P.source_caption(index, illustrative), title=f"{t('tr_title')}: {title}",
                  filters={t("index"): index, t("years"): f"{a}–{year}"})
