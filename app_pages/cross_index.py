"""Cross-index (Đối chiếu các chỉ số): two indices across provinces in one year, as a scatter with the
Spearman rank correlation and its p-value (scipy), the province highlighted; the correlation matrix of the
index totals; and the documented map of related parts (data/raw/reference/related_measures.csv)."""
from pathlib import Path

import pandas as pd
import streamlit as st

from analysis import provinces as ap
from ui import charts, provinces as P
from ui.data import q
from ui.filters import url_choice
from ui.i18n import lang, num, t
from ui.tables import table
from ui.units import name, require_db

RELATED = Path(__file__).resolve().parent.parent / "data" / "raw" / "reference" / "related_measures.csv"

require_db()
st.title(t("cx_title"))
st.caption(t("cx_intro"))

all_years = sorted({int(y) for y in P.index_years().year})
c1, c2, c3, c4 = st.columns([1, 2, 2, 2])
year = url_choice(t("year"), list(reversed(all_years)), "year", default=2016 if 2016 in all_years else all_years[-1],
                  container=c1)
# only indices whose table that year holds (nearly) every province: a correlation over the few provinces that
# happen to have published figures would describe nothing
present = [i for i in P.INDEX_ORDER if P.coverage(i, "total", year)[2]]
if len(present) < 2:
    partial = [i for i in P.INDEX_ORDER if year in P.years_of(i) and i not in present]
    if partial:
        held, n_all, _ = P.coverage(partial[0], "total", year)
        P.incomplete_notice(partial[0], year, held, n_all, t("cov_needs_cross"), index_key=None)
    else:
        st.info(t("cx_too_few", year=year))
    st.stop()
# default to two indices with published figures for every province (PAPI × PCI), where present
xi = url_choice(t("cx_x"), present, "x", default="PAPI" if "PAPI" in present else present[0], container=c2)
yi = url_choice(t("cx_y"), present, "y", default="PCI" if "PCI" in present and xi != "PCI"
                else next(i for i in present if i != xi), container=c3)
province = P.pick_province(year, c4)


def totals(index: str) -> pd.DataFrame:
    d = q("index_year_scores", index=index, year=year)
    return d[d.measure_code == "total"].set_index("province_code")


X, Y = totals(xi), totals(yi)
both = X[["score", "provenance", "source"]].add_suffix("_x").join(Y[["score", "provenance", "source"]].add_suffix("_y"),
                                                                   how="inner")
both = both.dropna(subset=["score_x", "score_y"])
nm = dict(zip(X.index, name(X.reset_index(), "province_name")))
r = ap.spearman(both.score_x, both.score_y)
illustrative = bool((both.provenance_x == "illustrative").any() or (both.provenance_y == "illustrative").any())
if r["n"] < 4:
    st.info(t("cx_too_few", year=year))
    st.stop()

fig = charts.figure()
others = both[both.index != province]
fig.add_scatter(x=others.score_x, y=others.score_y, mode="markers", marker=dict(size=10, color=charts.BASE, opacity=0.7),
                text=[nm.get(c, c) for c in others.index],
                customdata=[f"{xi} · {a}<br>{yi} · {b}" for a, b in zip(P.hover_source(others.source_x),
                                                                      P.hover_source(others.source_y))],
                hovertemplate="%{text}<br>%{x:.2f} · %{y:.2f}<br>%{customdata}<extra></extra>",
                showlegend=False)
if province in both.index:
    me = both.loc[[province]]
    fig.add_scatter(x=me.score_x, y=me.score_y, mode="markers+text", text=[nm.get(province, province)],
                    customdata=[f"{xi} · {a}<br>{yi} · {b}" for a, b in zip(P.hover_source(me.source_x),
                                                                          P.hover_source(me.source_y))],
                    hovertemplate="%{text}<br>%{x:.2f} · %{y:.2f}<br>%{customdata}<extra></extra>",
                    textposition="top center", marker=dict(size=18, color=charts.HOME, line=dict(width=2, color="white")),
                    showlegend=False, textfont=dict(size=15, color=charts.HOME))
fig.update_xaxes(title=xi)
fig.update_yaxes(title=yi)
strength = abs(r["rho"])
word = t("cx_strong") if strength >= 0.6 else t("cx_moderate") if strength >= 0.3 else t("cx_weak")
rho_text = t("cx_rho", rho=num(r["rho"]), p=num(r["p_value"], 3), n=r["n"])
charts.style(fig, f"{xi} × {yi}, {year}", illustrative, height=520)
charts.show(fig, "cx_scatter", " ".join(P.source_caption(i, illustrative) for i in (xi, yi)))
st.markdown("**" + rho_text + "** " + t("cx_strength", strength=word, sig=t("cx_sig") if r["p_value"] < 0.05
                                           else t("cx_nsig")))
if illustrative:
    st.warning(t("cx_illustrative"), icon=":material/warning:")

# --- every pair of index totals this year
st.subheader(t("cx_matrix", year=year))
tots = {i: totals(i).score.astype("float64") for i in present}
mat = pd.DataFrame([[ap.spearman(tots[a], tots[b])["rho"] for b in present] for a in present], index=present,
                   columns=present)
fig = charts.figure().add_heatmap(z=mat.values, x=present, y=present, zmin=-1, zmax=1, colorscale="RdBu",
                                  texttemplate="%{z:.2f}", hovertemplate="%{y} × %{x}: ρ = %{z:.2f}<extra></extra>")
fig.update_yaxes(autorange="reversed")
charts.style(fig, None, illustrative, height=360)
charts.show(fig, "cx_matrix", " ".join(P.source_caption(i, illustrative) for i in present))

# --- the documented map of related parts
st.subheader(t("cx_map"))
rel = pd.read_csv(RELATED, dtype=str).fillna("–")
suffix = "vi" if lang() == "vi" else "en"
rel = rel.assign(topic=rel[f"topic_{suffix}"], note=rel[f"note_{suffix}"])
table(rel, {"topic": t("topic"), "par_index": "PAR INDEX", "sipas": "SIPAS", "papi": "PAPI", "pci": "PCI",
            "note": t("note")}, key="cx_related", export="chi_so_lien_quan",
      title=t("cx_map"))
