"""Methodology and sources (Phương pháp và nguồn): what each index measures and its scale, method changes,
the 2025 merger, where every figure comes from (with citations and licences), and what "illustrative"
means here."""
import pandas as pd
import streamlit as st

from ui import provinces as P
from ui.data import is_demo, q
from ui.i18n import lang, t
from ui.tables import table
from ui.units import name, require_db

require_db()
st.title(t("me_title"))
st.caption(t("me_intro"))

for key in ("me_par", "me_sipas", "me_papi", "me_pci"):
    st.markdown(t(key))
st.markdown(t("me_merger"))
st.markdown(t("me_illustrative") if is_demo() else t("me_real"))

st.subheader(t("me_coverage"))
st.caption(t("me_coverage_help"))
cov = q("coverage_by_index_year")
cov = cov.assign(n_missing=(cov.n_provinces - cov.n_held).clip(lower=0))
cols = {"index_name": t("index"), "year": st.column_config.NumberColumn(t("year"), format="%d"),
        "n_provinces": t("me_cov_provinces"), "n_published": t("published"), "n_derived": t("derived"),
        "n_illustrative": t("illustrative"), "n_missing": t("me_cov_missing"), "n_rank_published": t("me_cov_ranks")}
if not is_demo():                   # the real database holds none (an invariant): no column of zeros
    del cols["n_illustrative"]
table(cov, cols,
      key="me_coverage", export="so_lieu_theo_chi_so_nam", title=t("me_coverage"),
      decimals={c: 0 for c in ("n_provinces", "n_published", "n_derived", "n_illustrative", "n_missing",
                               "n_rank_published")})

st.subheader(t("me_breaks"))
rows = []
for index in P.INDEX_ORDER:
    b = q("method_breaks", index=index)
    rows += [dict(index=index, year=r.year, label=r.label_vi if lang() == "vi" else r.label_en,
                 note=(r.note_vi if lang() == "vi" else r.note_en) or "–")
             for r in b.itertuples()]
table(pd.DataFrame(rows), {"index": t("index"), "year": st.column_config.NumberColumn(t("year"), format="%d"),
                           "label": t("measure"), "note": t("note")}, key="me_breaks", export="thay_doi_phuong_phap",
      title=t("me_breaks"))

st.subheader(t("me_measures"))
index = st.radio(t("index"), P.INDEX_ORDER, horizontal=True, key="me_index")
years = P.years_of(index)
grid = []
for y in years:
    m = P.index_measures(index, y)
    grid += [dict(year=y, code=r.measure_code, name=n, max_score=r.max_score)
             for r, n in zip(m.itertuples(), name(m, "name"))]
g = pd.DataFrame(grid)
if len(g):
    g = g.groupby(["code", "name", "max_score"], dropna=False).year.agg(["min", "max"]).reset_index()
    g["years"] = g["min"].astype(str) + "–" + g["max"].astype(str)
    table(g.sort_values(["code", "min"]), {"code": t("item_code"), "name": t("measure"), "max_score": t("max_score"),
                                            "years": t("years")}, key="me_measures", decimals={"max_score": 1},
          export=f"thang_diem_{index.replace(' ', '_')}", title=f"{t('me_measures')}: {index}")

st.subheader(t("me_merger_table"))
cw = P.crosswalk()
cw = cw.assign(old=name(cw, "old_name"), new=name(cw, "new_name"))
table(cw, {"old_code": t("item_code"), "old": t("old_province"), "new_code": t("item_code") + " ", "new": t("new_province")},
      key="me_merger", export="sap_xep_tinh_2025", title=t("me_merger_table"))

st.subheader(t("me_sources"))
src = q("sources_list")
if not is_demo():                   # the real database cites no generated value
    src = src[src.source_key != "ILLUSTRATIVE"]
table(src, {"source_key": t("item_code"), "title": t("title"), "citation": t("citation"), "url": st.column_config.LinkColumn("URL"),
            "licence": t("licence"), "n_values": t("n_values")}, key="me_sources", decimals={"n_values": 0}, export="nguon_so_lieu",
      kinds={"n_values": "count"}, title=t("me_sources"))
