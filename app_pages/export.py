"""Export (Xuất dữ liệu): build any filtered table of national index scores or unit scores (years,
provinces or units, level, measures), preview it, and download it as Excel or CSV. Every filter is in the
URL, so the same export can be shared as a link."""
import streamlit as st

from ui import provinces as P, units as U
from ui.data import q
from ui.filters import url_choice, url_multi
from ui.i18n import lang, t
from ui.exports.tabular import export_notes
from ui.tables import downloads, table
from ui.units import name, require_db

PREVIEW = 200
require_db()
st.title(t("ex_title"))
st.caption(t("ex_intro"))

what = url_choice(t("ex_what"), ["index", "units"], "what", default="index", kind="radio",
                  format_func=lambda w: t("ex_index") if w == "index" else t("ex_units"))

if what == "index":
    c1, c2 = st.columns([2, 3])
    index = P.pick_index(c1)
    years_all = P.years_of(index)
    years = url_multi(t("years"), list(reversed(years_all)), "years", default=years_all[-1:], container=c2,
                      placeholder=t("choose"))
    c3, c4 = st.columns([3, 2])
    plist = P.all_scores(index)
    plist = plist[plist.year.isin(years)] if years else plist.iloc[0:0]
    names = {}
    for c, n, y in zip(plist.province_code, name(plist, "province_name"), plist.year):
        names.setdefault(c, set()).add(n)
    label = {c: " / ".join(sorted(v)) for c, v in names.items()}
    provinces = url_multi(t("ex_provinces"), sorted(label, key=label.get), "provinces", container=c3,
                          format_func=lambda c: f"{label[c]} ({c})", placeholder=t("ex_all"))
    depths = url_multi(t("depth"), ["total", "domain"], "depths", default=["total"], container=c4,
                       format_func=lambda d: t("total") if d == "total" else t("domain"), placeholder=t("choose"))
    measures = {"score": t("score"), "max_score": t("max_score"), "share_of_max": t("score_pct"), "rank": t("rank"),
                "change": t("change"), "provenance": t("provenance"), "source_text": t("source_col")}
    if index == "PAPI":
        measures |= {"ci_low": t("ex_ci_low"), "ci_high": t("ex_ci_high")}
    chosen = url_multi(t("ex_measures"), list(measures), "measures", default=["score", "rank", "change", "provenance", "source_text"],
                       format_func=measures.get, placeholder=t("choose"))
    df = q("export_index_scores", index=index, years=[int(y) for y in years], provinces=list(provinces),
           depths=list(depths) or ["total"])
    df = df.assign(province=name(df, "province_name"), measure=name(df, "measure_name"),
                   source_text=df.source.map(P.source_label),       # each row says where its figure comes from
                   measure_code=df.measure_code.replace({"total": t("total")}))      # a word, not the stored code
    headers = {"year": t("year"), "province_code": t("item_code"), "province": t("province"),
               "measure_code": t("item_code") + " " + t("measure").lower(), "measure": t("measure")}
    headers |= {m: measures[m] for m in measures if m in chosen}
    home = P.to_scheme(P.home_token(), "p63"), P.to_scheme(P.home_token(), "p34")
    highlight = ((df.province_code == home[0]) & (df.year < P.MERGER_YEAR)) | \
        ((df.province_code == home[1]) & (df.year >= P.MERGER_YEAR))
    filters = {t("index"): index, t("years"): years, t("ex_provinces"): [label.get(p, p) for p in provinces] or t("ex_all"),
               t("depth"): [t("total") if d == "total" else t("domain") for d in depths]}
    file_name = f"{index.replace(' ', '_')}_{'-'.join(map(str, sorted(years)))}"
    source = P.source_caption(index, P.is_illustrative(df))
else:
    # the unit export keeps its own choices in the URL (uyears, udepths, umeasures): switching from the national
    # indices never carries their years, detail or columns over (they gave "0 dòng" and a table without scores)
    U.pick_scope()
    c1, c2 = st.columns([2, 3])
    level = U.pick_level(c1)
    years_all = U.level_years(level)
    years = url_multi(t("years"), list(reversed(years_all)), "uyears", default=years_all[-1:], container=c2,
                      placeholder=t("choose"))
    c3, c4, c5 = st.columns([3, 2, 3])
    units = U.uq("units_of_level", level=level)
    ulabel = dict(zip(units.unit_id, name(units)))
    chosen_units = url_multi(t("ex_units_pick"), list(units.unit_id), "units", container=c3, format_func=ulabel.get,
                             placeholder=t("ex_all"))
    depths = url_multi(t("depth"), ["domain", "criterion", "sub_criterion"], "udepths", default=["domain"],
                       container=c4, format_func=t, placeholder=t("choose"))
    doms = q("level_domains", level=level)
    dlabel = dict(zip(doms.code, [f"{c}. {n}" for c, n in zip(doms.code, name(doms, "name"))]))
    domains = url_multi(t("ex_domains"), list(doms.code), "domains", container=c5, format_func=dlabel.get,
                        placeholder=t("ex_all"))
    measures = {"final_score": t("final_score"), "max_points": t("max_points"), "share_of_max": t("score_pct"),
                "points_lost": t("points_lost"), "self_score": t("self_score"), "appraised_score": t("appraised_score"),
                "survey_score": t("survey_score"), "change": t("change"), "agency": t("agency"),
                "provenance": t("provenance")}
    chosen = url_multi(t("ex_measures"), list(measures), "umeasures",
                       default=["final_score", "max_points", "points_lost", "self_score", "appraised_score", "provenance"],
                       format_func=measures.get, placeholder=t("choose"))
    df = U.uq("export_unit_scores", level=level, years=[int(y) for y in years], units=list(chosen_units),
              depths=list(depths) or ["domain"])
    if domains:                                  # a domain and everything under it (1, 1.2, 1.2.3)
        top = df.item_code.str.split(".").str[0]
        df = df[top.isin(domains)].reset_index(drop=True)
    df = df.assign(unit=name(df), item=name(df, "item_name"), agency=df.responsible_agency)
    headers = {"year": t("year"), "unit": t("unit"), "item_code": t("item_code"), "item": t("item")}
    headers |= {m: measures[m] for m in measures if m in chosen}
    highlight = None
    filters = U.scope_filters() | {t("level"): t(level), t("years"): years,
               t("ex_units_pick"): [ulabel.get(u, u) for u in chosen_units] or t("ex_all"),
               t("depth"): [t(d) for d in depths], t("ex_domains"): [dlabel.get(d, d) for d in domains] or t("ex_all")}
    file_name = f"diem_{level}_{'-'.join(map(str, sorted(years)))}"
    source = U.unit_source()

illustrative = "provenance" in df and bool((df.provenance == "illustrative").any())
if "provenance" in headers:                     # the codes stay in the data; people read them translated
    df = df.assign(provenance_label=U.provenance_labels(df.provenance))
    headers = {("provenance_label" if k == "provenance" else k): v for k, v in headers.items()}
U.illustrative_banner(illustrative)
st.markdown(t("ex_rows", n=f"{len(df):,}".replace(",", "." if lang() == "vi" else ","), shown=min(len(df), PREVIEW)))
if df.empty:
    st.info(t("no_rows"))
    st.stop()
decimals = {c: 2 for c in headers if c in ("score", "max_score", "change", "final_score", "max_points", "points_lost",
                                           "self_score", "appraised_score", "survey_score", "ci_low", "ci_high")}
preview = df.head(PREVIEW).assign(share_of_max=lambda d: 100 * d.share_of_max)
table(preview, headers, key="ex_preview", decimals=decimals | {"share_of_max": 1})
downloads(df, headers, file_name, "ex_dl",
          export_notes(t("ex_title"), filters, illustrative, source, df=df),
          highlight=highlight, kinds={"share_of_max": "fraction", "rank": "count", "year": "count"},
          decimals=decimals | {"share_of_max": 1})
