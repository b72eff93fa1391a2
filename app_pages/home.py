"""First page: what is loaded (indices, years, provinces, units), so a new user sees the data is there."""
import pandas as pd
import streamlit as st

from analysis.provinces import holdings
from ui.banner import open_demo
from ui.data import connection, is_demo, q
from ui.settings import public
from ui.i18n import lang, num, t
from ui.provinces import INDEX_ORDER
from ui.units import name

st.title(t("home_title"))
if connection() is None:
    st.error(t("no_db"))
    st.stop()


def _years(ys: list[int]) -> str:
    """2011–2016, 2018, 2020–2024: runs of consecutive years."""
    runs, start = [], None
    for i, y in enumerate(ys):
        if start is None:
            start = y
        if i == len(ys) - 1 or ys[i + 1] != y + 1:
            runs.append(str(start) if start == y else f"{start}–{y}")
            start = None
    return ", ".join(runs)


def holdings_sentence() -> str:
    """What this database holds, index by index, in one sentence."""
    parts = []
    hold = {h["index"]: h for h in holdings(q("coverage_by_index_year"))}
    for index in INDEX_ORDER:
        h = hold.get(index)
        if h is None:
            parts.append(t("hold_none", index=index))
            continue
        bits = [t("hold_complete", years=_years(h["complete"]))] if h["complete"] else []
        if h["partial"]:
            y, k, n = h["best"]
            bits.append(t("hold_partial", n_values=num(h["partial_values"], 0), years=_years(h["partial"]),
                          k=k, n=n, year=y))
        parts.append(f"**{index}**: " + "; ".join(bits))
    return " · ".join(parts) + "."


st.markdown(t("home_intro_demo") if is_demo() else t("home_intro"))
st.info(holdings_sentence(), icon=":material/fact_check:")
if not is_demo() and not public():
    o1, o2, _ = st.columns([1, 1, 2])
    o1.button(t("cov_demo"), on_click=open_demo, icon=":material/slideshow:", key="home_demo")
    o2.page_link("app_pages/admin.py", label=t("cov_load"), icon=":material/upload_file:")

home = q("home_province")
idx = q("loaded_index_summary")
units = q("loaded_unit_summary", home=q("home_unit_codes").province_code.tolist())
provs = q("province_counts").set_index("scheme").n_provinces

name_col = "name_p63_vi" if lang() == "vi" else "name_p63_en"
c1, c2, c3, c4 = st.columns([2, 1, 1, 1])
c1.metric(t("home_province"), home[name_col].iloc[0] if len(home) else "–", border=True)
c2.metric(t("indices"), num(len(idx), 0), border=True)
c3.metric(t("provinces"), f"{provs.get('p63', 0)} → {provs.get('p34', 0)}", border=True)
c4.metric(t("units"), num(units[units.is_home].n_units.sum(), 0), border=True,
          help=t("units_others", n=num(units[~units.is_home].n_units.sum(), 0)) if (~units.is_home).any() else None)
st.caption(t("provinces_63_34", n63=provs.get("p63", 0), n34=provs.get("p34", 0)))

st.subheader(t("indices"))
view = idx.assign(index=idx.index_name)
view = view[["index", "first_year", "last_year", "n_provinces", "n_published", "n_derived", "n_illustrative"]]
counts = ["n_published", "n_derived", "n_illustrative"]
shown = view.assign(**{c: view[c].map(lambda x: num(x, 0)) for c in counts})   # 27.198 in VI, 27,198 in EN
st.dataframe(
    shown, hide_index=True, width="stretch",
    column_config={c: st.column_config.TextColumn(t(c)) for c in view.columns} | {
        c: st.column_config.NumberColumn(t(c), format="%d", width="small")
        for c in ("first_year", "last_year", "n_provinces")})
if idx.n_illustrative.sum() > 0:
    st.warning("⚠️ " + t("illustrative_note"))

st.subheader(t("units"))
uv = units.assign(level=units.unit_level.map(t), province=name(units, "province_name"),
                  illustrative=units.has_illustrative.map(lambda b: t("yes") if b else t("no") if pd.notna(b) else "–"))
year_text = lambda y: str(int(y)) if pd.notna(y) else "–"   # noqa: E731 (no "None" for a province without scores)
uv = uv.assign(first_year=uv.first_year.map(year_text), last_year=uv.last_year.map(year_text))
uv = uv[["province", "level", "n_units", "n_units_scored", "first_year", "last_year", "n_years", "illustrative"]]
st.dataframe(uv, hide_index=True, width="stretch",
             column_config={"province": t("province"), "level": t("level"), "n_units": t("n_units"),
                            "n_units_scored": t("n_units_scored"),
                            "first_year": t("first_year"), "last_year": t("last_year"),
                            "n_years": t("n_years"), "illustrative": t("illustrative_badge")})
st.caption(t("sources_caption"))

if not public():                 # templates are for the province's loading, not for citizens
    with st.expander(t("templates")):
        st.markdown(t("templates_help"))
        from ui.admin.face import template_downloads
        from ui.data import DB_PATH
        template_downloads(DB_PATH, key="tpl")
